"""Which workspace root an app's schema falls back to, when the app has none of its own.

An app's own ``envcheck.toml`` (or ``[tool.envcheck]``, ``.env.example``)
is its schema, whole.  An app without one uses the root's: the workspace
run sets the root here for each app it checks; a command started inside an
app folder finds it by looking up at most :data:`MAX_UP` folders for an
``envcheck.toml`` beside a workspace declaration.  Only a project with no
schema pays for that walk (a ``stat`` per folder).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_ROOT", "root_schema", "schema_root"]

MAX_UP = 3
SCHEMA_ROOT: ContextVar[Path | None] = ContextVar("envcheck_workspace_root", default=None)


def schema_root(project_dir: Path) -> Path | None:
    """The workspace root whose schema ``project_dir`` uses, or None."""
    root = SCHEMA_ROOT.get()
    if root is not None:
        return None if _same(root, project_dir) else root
    from envcheck.workspace import markers

    here = project_dir.absolute()
    for parent in list(here.parents)[:MAX_UP]:
        if (parent / "envcheck.toml").is_file() and markers.workspace_kind(parent) is not None:
            return parent
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def root_schema(project_dir: Path, load: Callable[[Path], Any]) -> Any:
    """The root's schema for an app that has none, its file shown relative to the app.

    The root's ``framework`` and ``mode`` options are not applied: each app
    keeps its own detected framework.  ``[workspace] apps`` in the root's
    envcheck.toml limits the apps it applies to.
    """
    root = schema_root(project_dir)
    if root is None:
        return None
    import os

    from envcheck.workspace.config import schema_apps

    scope = schema_apps(root)
    try:
        up = os.path.relpath(root, project_dir).replace(os.sep, "/")
        here = os.path.relpath(project_dir, root).replace(os.sep, "/")
    except ValueError:
        up, here = str(root), str(project_dir)
    if scope is not None and here not in scope:
        return None  # [workspace] apps: the root's schema is for other apps
    schema = load(root)
    if schema is None:
        return None
    schema.source = f"{up}/{schema.source}"
    schema.framework = None
    schema.mode = None
    return schema
