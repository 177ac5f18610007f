"""Is this directory a workspace root?  Answered with a few ``stat`` calls.

Every project command asks this before it starts, so a single app must pay
almost nothing: a ``stat`` per marker file, one read of ``package.json`` /
``pyproject.toml`` searched as bytes (no JSON or TOML parser is imported),
and one ``scandir`` of the root for the plain layout (``backend/`` +
``frontend/``).  Only a directory that looks like a root pays for
:mod:`envcheck.workspace.discover`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PNPM", "NPM", "TURBO", "NX", "UV", "FOLDERS", "workspace_kind", "app_folders"]

PNPM = "pnpm"  # pnpm-workspace.yaml
NPM = "npm"  # package.json "workspaces" (npm, yarn, bun)
TURBO = "turbo"  # turbo.json over apps/* and packages/* (no workspaces list)
NX = "nx"  # nx.json with projects under it (not a standalone app)
UV = "uv"  # [tool.uv.workspace] in pyproject.toml
FOLDERS = "folders"  # no declaration: several folders that are apps (backend/ + frontend/)

# Folders that are never apps of a plain layout.
_NOT_APPS = frozenset(
    {"node_modules", "dist", "build", "out", "coverage", "venv", "env", "site-packages",
     "__pycache__", "target", "vendor", "tmp"}
)  # fmt: skip
_APP_FILES = ("package.json", "pyproject.toml")
_MAX_READ = 1024 * 1024  # a marker file larger than this is not read here


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
    return None
