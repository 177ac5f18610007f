"""Which profile a project directory uses, from the files that declare its tools.

Read from package.json dependencies, then pyproject.toml / requirements.txt.
A folder that declares nothing is not guessed to be any framework: it gets
the ``plain`` profile (the process environment, plus a ``.env`` read as plain
dotenv), which is what a container or CI job with injected variables is.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# package.json dependency -> profile, first match wins.
_NODE_MARKERS = (
    ("next", "nextjs"),
    ("vite", "vite"),
    ("react-scripts", "cra"),
    ("dotenv-flow", "dotenv-flow"),
    ("dotenv", "dotenv"),
)
_PYTHON_MARKERS = (("pydantic-settings", "pydantic-settings"), ("python-dotenv", "python-dotenv"))


def _read_json(path: Path) -> Mapping[str, object]:
    import json  # only here: a configured framework never reads package.json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # an unreadable package.json is the app's problem, not a reason to stop
    return data if isinstance(data, dict) else {}


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
    if package.is_file():
        return "dotenv"
    return "plain"
