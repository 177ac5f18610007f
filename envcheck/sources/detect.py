"""Which profile a project directory uses, from the files that declare its tools.

Read from package.json dependencies, then pyproject.toml / requirements.txt,
then an Nx ``project.json``'s executors (``@nx/next:build``, ``@nx/vite:build``),
then a Gemfile (Ruby's dotenv, dotenv-rails).
A folder with ``bun.lock`` / ``bun.lockb`` and no framework dependency gets
the ``bun`` profile.  A folder with a compose file and no app framework gets
the ``compose`` profile.  A folder that declares nothing is not guessed to be any framework: it gets
the ``plain`` profile (the process environment, plus a ``.env`` read as plain
dotenv), which is what a container or CI job with injected variables is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

# package.json dependency -> profile, first match wins.
_NODE_MARKERS = (
    ("next", "nextjs"),
    ("astro", "astro"),
    ("@sveltejs/kit", "sveltekit"),
    ("vite", "vite"),
    ("react-scripts", "cra"),
    # dotenvx injects into the process env: a framework above still reads its own files.
    ("@dotenvx/dotenvx", "dotenvx"),
    ("dotenv-flow", "dotenv-flow"),
    ("dotenv", "dotenv"),
)
# docker compose's file names (envcheck.sources.loaders.compose.COMPOSE_FILES; not
# imported from there: detection must not import the compose loader).
_COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
_BUN_LOCKS = ("bun.lock", "bun.lockb")
_DENO_CONFIGS = ("deno.json", "deno.jsonc")
# A Gemfile line `gem "name"` (not commented out).
_GEM = re.compile(r"""^[ \t]*gem[ \t(]+["']([\w.-]+)["']""", re.MULTILINE)
_PYTHON_MARKERS = (("pydantic-settings", "pydantic-settings"), ("python-dotenv", "python-dotenv"))


def _read_json(path: Path) -> Mapping[str, object]:
    import json  # only here: a configured framework never reads package.json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # an unreadable package.json is the app's problem, not a reason to stop
    return data if isinstance(data, dict) else {}


def _runs_node_env_file(package: Mapping[str, object]) -> bool:
    """A script starts the app with Node's own ``--env-file`` (and no loader package)."""
    scripts = package.get("scripts")
    if not isinstance(scripts, dict):
        return False
    from envcheck.sources.scripts import find_invocations  # only for such a package.json

    return any(
        inv.tool == "node"
        for command in scripts.values()
        if isinstance(command, str) and "--env-file" in command
        for inv in find_invocations(command)
    )


def _ruby_profile(gemfile: Path) -> str | None:
    """``dotenv-rails``, or ``dotenv`` in a Rails app (3.x loads its Railtie): ``dotenv-rails``.

    ``dotenv`` without Rails: ``ruby-dotenv`` (``Dotenv.load`` reads ``.env``).
    """
    try:
        text = gemfile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    gems = {m.group(1) for m in _GEM.finditer(text)}
    if "dotenv-rails" in gems or ("dotenv" in gems and "rails" in gems):
        return "dotenv-rails"
    return "ruby-dotenv" if "dotenv" in gems else None


# An Nx project.json target's executor -> profile (Nx apps often have no package.json).
_NX_EXECUTORS = (("next:", "nextjs"), ("vite:", "vite"))


def _nx_profile(project: Path) -> str | None:
    """The framework an Nx project builds with, read from its targets' ``executor``."""
    if not project.is_file():
        return None
    targets = _read_json(project).get("targets")
    if not isinstance(targets, dict):
        return None
    executors = [t.get("executor") for t in targets.values() if isinstance(t, dict)]
    for marker, profile in _NX_EXECUTORS:
        for executor in executors:
            if isinstance(executor, str) and executor.startswith(("@nx/", "@nrwl/")):
                if executor.split("/", 1)[1].startswith(marker):
                    return profile
    return None


def detect(project_dir: Path) -> str:
    """The profile a project uses, from package.json or pyproject.toml; else ``plain``."""
    package = project_dir / "package.json"
    if package.is_file():
        data = _read_json(package)
        deps: set[str] = set()
        for section in ("dependencies", "devDependencies", "peerDependencies"):
            value = data.get(section)
            if isinstance(value, dict):
                deps.update(value)
        for dep, profile in _NODE_MARKERS:
            if dep in deps:
                return profile
    nx_profile = _nx_profile(project_dir / "project.json")
    if nx_profile is not None:
        return nx_profile
    for name in ("pyproject.toml", "requirements.txt"):
        path = project_dir / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8").lower()
            except (OSError, UnicodeDecodeError):
                continue
            if name == "pyproject.toml":
                import tomllib  # only here: a Node project never pays for it

                try:
                    tomllib.loads(text)
                except tomllib.TOMLDecodeError:
                    continue
            for dep, profile in _PYTHON_MARKERS:
                if dep in text or dep.replace("-", "_") in text:
                    return profile
    ruby = _ruby_profile(project_dir / "Gemfile")
    if ruby is not None:
        return ruby
    if any((project_dir / name).is_file() for name in _BUN_LOCKS):
        # Bun's own lock file and no framework dependency: the app runs under bun,
        # which loads the env files itself.  (A Next.js or Vite app installed with
        # bun keeps its framework's profile: the framework loads the files.)
        return "bun"
    if any((project_dir / name).is_file() for name in _DENO_CONFIGS):
        return "deno"  # Deno loads env files only through --env-file
    if package.is_file():
        return "node" if _runs_node_env_file(_read_json(package)) else "dotenv"
    if any((project_dir / name).is_file() for name in _COMPOSE_FILES):
        return "compose"  # no app framework, but compose starts it: what compose hands over
    return "plain"
