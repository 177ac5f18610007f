"""Is this directory a workspace root?  Answered with a few ``stat`` calls.

Every project command asks this before it starts, so a single app must pay
almost nothing: a ``stat`` per marker file, one read of ``package.json`` /
``pyproject.toml`` searched as bytes (no JSON or TOML parser is imported),
and one ``scandir`` of the root for the plain layout (``backend/`` +
``frontend/``).  A root that is no project of its own (no env file, no
compose file, no framework: healthchecks' Django checkout) also pays for a
bounded look one and two levels down for compose projects (``docker/``).
Only a directory that looks like a root pays for
:mod:`envcheck.workspace.discover`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "COMPOSE",
    "FOLDERS",
    "NPM",
    "NX",
    "PNPM",
    "TURBO",
    "UV",
    "app_folders",
    "compose_folders",
    "has_own_env_files",
    "workspace_kind",
]

PNPM = "pnpm"  # pnpm-workspace.yaml
NPM = "npm"  # package.json "workspaces" (npm, yarn, bun)
TURBO = "turbo"  # turbo.json over apps/* and packages/* (no workspaces list)
NX = "nx"  # nx.json with projects under it (not a standalone app)
UV = "uv"  # [tool.uv.workspace] in pyproject.toml
FOLDERS = "folders"  # no declaration: several folders that are apps (backend/ + frontend/)
COMPOSE = "compose"  # no declaration: compose projects below a root that is no project (docker/)

# Folders that are never apps of a plain layout.
_NOT_APPS = frozenset(
    {"node_modules", "dist", "build", "out", "coverage", "venv", "env", "site-packages",
     "__pycache__", "target", "vendor", "tmp"}
)  # fmt: skip
_APP_FILES = ("package.json", "pyproject.toml")
_MAX_READ = 1024 * 1024  # a marker file larger than this is not read here
COMPOSE_DEPTH = 2  # compose projects are looked for this many levels below the root, no deeper
MAX_COMPOSE_FOLDERS = 200  # folders looked into at most: a huge tree costs no more than this


def _head(path: Path) -> bytes:
    from envcheck.sources.checkout import read_bytes

    try:  # never a pipe or a device; a link only within the folder it is in
        return read_bytes(path, within=path.parent, cap=_MAX_READ, truncate=True)
    except OSError:
        return b""


def app_folders(root: Path, *, enough: int | None = None) -> list[str]:
    """Immediate subfolders holding a ``package.json`` or ``pyproject.toml``, sorted.

    ``enough`` stops the scan once that many are found.
    """
    found: list[str] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")) or name in _NOT_APPS:
            continue
        try:
            if not entry.is_dir():
                continue
        except OSError:
            continue
        if any(os.path.isfile(os.path.join(entry.path, f)) for f in _APP_FILES):
            found.append(name)
            if enough is not None and len(found) >= enough:
                break
    return found


def has_own_env_files(directory: Path) -> bool:
    """An ``.env*`` file (templates too) or an ``envcheck.toml`` in the folder itself."""
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if (name.startswith(".env") or name == "envcheck.toml") and entry.is_file(
                    follow_symlinks=False
                ):
                    return True
    except OSError:
        return False
    return False


def _has_compose_file(directory: Path) -> bool:
    # compose's own file names, as detection knows them (the compose loader is not imported)
    from envcheck.sources.detect import _COMPOSE_FILES

    return any((directory / name).is_file() for name in _COMPOSE_FILES)


def compose_folders(root: Path, *, enough: int | None = None) -> list[str]:
    """Folders one or two levels below ``root`` holding a compose file, breadth first.

    Bounded: hidden folders, dependencies and build or vendored folders
    (:data:`_NOT_APPS`) are never entered, nor a symbolic link (it may point out
    of the checkout), and at most :data:`MAX_COMPOSE_FOLDERS` folders are looked
    into.  A folder holding a compose file is not looked below: it is the project.
    ``enough`` stops the scan once that many are found.
    """
    found: list[str] = []
    level = [""]
    looked = 0
    for _ in range(COMPOSE_DEPTH):
        below: list[str] = []
        for rel in level:
            try:
                entries = sorted(os.scandir(os.path.join(root, rel)), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                if name.startswith((".", "_")) or name in _NOT_APPS:
                    continue
                try:
                    if not entry.is_dir(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                looked += 1
                if looked > MAX_COMPOSE_FOLDERS:
                    return found
                child = f"{rel}/{name}" if rel else name
                if _has_compose_file(Path(entry.path)):
                    found.append(child)
                    if enough is not None and len(found) >= enough:
                        return found
                else:
                    below.append(child)
        level = below
    return found


def _is_no_project(root: Path) -> bool:
    """The root has nothing of its own to check: no env file, no compose file, no framework."""
    return not has_own_env_files(root) and not _has_compose_file(root) and not root_is_an_app(root)


def root_is_an_app(root: Path) -> bool:
    """The root itself runs a framework (a Next.js app with an ``e2e/`` package is one app)."""
    from envcheck.sources.detect import detect

    return detect(root) not in ("dotenv", "plain", "compose", "bun")


def workspace_kind(root: Path, *, folders: bool = True) -> str | None:
    """Which kind of workspace ``root`` is, or None for a single project.

    ``folders=False``: declared workspaces only (no scan for the plain layout).
    """
    if (root / "pnpm-workspace.yaml").is_file():
        return PNPM
    package = root / "package.json"
    if package.is_file() and b'"workspaces"' in _head(package):
        return NPM
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and b"tool.uv.workspace" in _head(pyproject):
        return UV
    if (root / "turbo.json").is_file() and any((root / d).is_dir() for d in ("apps", "packages")):
        return TURBO
    if (root / "nx.json").is_file() and not (root / "project.json").is_file():
        return NX
    if folders and len(app_folders(root, enough=2)) >= 2 and not root_is_an_app(root):
        return FOLDERS
    if folders and not has_own_env_files(root) and compose_folders(root, enough=1):
        if _is_no_project(root):
            return COMPOSE
    return None
