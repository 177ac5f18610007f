"""``fly.toml``: ``[env]`` is the app's environment, ``[build.args]`` the build's.

Fly secrets (``fly secrets set``) are set outside the repository.  Their
names count as set (value unknown) only where the repository lists them: a
workflow or script running ``fly secrets set NAME=…`` / ``flyctl secrets
set``.  Otherwise the target says "secrets are set outside the repo:
unknown", and a key missing from ``[env]`` is reported as possibly such a
secret, never as "add it to .env".
"""

from __future__ import annotations

import re
from pathlib import Path

from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import SECRET_STORE, VALUE, Target, TargetKey

_FLY_FILE = re.compile(r"fly(?:\.([A-Za-z0-9_-]+))?\.toml")
_SECRETS_SET = re.compile(r"\bfly(?:ctl)?\s+secrets\s+set\b([^\n]*)")
_ASSIGNED = re.compile(r"(?<![\w-])([A-Za-z_][A-Za-z0-9_]*)=")
SCRIPT_GLOBS = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    "*.sh",
    "scripts/*.sh",
    "Makefile",
    "justfile",
    "package.json",
)


def target_name(file_name: str) -> str | None:
    match = _FLY_FILE.fullmatch(file_name)
    if match is None:
        return None
    return "fly" if match.group(1) is None else f"fly:{match.group(1)}"


def listed_secrets(project_dir: Path) -> dict[str, Origin]:
    """Names the repository sets with ``fly secrets set NAME=…``, and where."""
    found: dict[str, Origin] = {}
    for pattern in SCRIPT_GLOBS:
        for path in sorted(project_dir.glob(pattern))[:200]:
            relative = path.relative_to(project_dir).as_posix()
            source = _files.read(project_dir, relative)
            if source is None or "secrets" not in source:
                continue
            for match in _SECRETS_SET.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                for name in _ASSIGNED.finditer(match.group(1)):
                    found.setdefault(name.group(1), Origin(relative, line, 1))
    return found


def read(project_dir: Path, relative: str) -> Target:
    source = _files.read(project_dir, relative) or ""
    data = _files.toml(source, relative)
    name = target_name(Path(relative).name) or "fly"
    target = Target(name, "fly", relative)
    env = data.get("env")
    positions = _files.toml_positions(source, "env")
    if isinstance(env, dict):
        for key, value in env.items():
            line, col = positions.get(key, (1, 1))
            target.add(
                TargetKey(key, VALUE, Origin(relative, line, col), _files.scalar_string(value))
            )
    build = data.get("build")
    args = build.get("args") if isinstance(build, dict) else None
    if isinstance(args, dict):
        positions = _files.toml_positions(source, "build.args")
        for key, value in args.items():
            line, col = positions.get(key, (1, 1))
            target.build[key] = TargetKey(
                key, VALUE, Origin(relative, line, col), _files.scalar_string(value)
            )
    secrets = listed_secrets(project_dir)
    for key, origin in secrets.items():
        target.add(TargetKey(key, SECRET_STORE, origin, store="fly secrets"), override=False)
    # `fly secrets set` from a laptop, `fly postgres attach` (DATABASE_URL): always possible.
    target.outside = (
        "other Fly secrets may be set outside the repo (`fly secrets list`): unknown"
        if secrets
        else "Fly secrets are set outside the repo (`fly secrets list`): unknown"
    )
    return target
