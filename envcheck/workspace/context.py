"""Which workspace root an app's schema falls back to, when the app has none of its own.

An app's own ``envcheck.toml`` (or ``[tool.envcheck]``, ``.env.example``)
is its schema, whole.  An app without one uses the root's: the workspace
run sets the root here for each app it checks; a command started inside an
app folder finds it by looking up at most :data:`MAX_UP` folders for an
``envcheck.toml`` beside a workspace declaration.  Only a project with no
schema pays for that walk (a ``stat`` per folder).

A root *template* (``.env.example`` and kin, no ``envcheck.toml``) is not a
declaration that every package needs every key: it documents the root
``.env``.  It applies only to the apps that load a file of the root folder
(a wrapper script's ``-e ../../.env``, ``dotenv.config({ path:
"../../.env" })``, Vite ``envDir: "../.."``: :func:`loads_root_file`).  An
explicit root ``envcheck.toml`` applies to every app (``[workspace] apps``
narrows it).  Either way each key's ``where`` is rewritten relative to the
app (``../../.env.example:4``), so that a finding at the spec names a file
that exists, and the workspace merge turns it back into the root's path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from envcheck.workspace.current import SCHEMA_ROOT

__all__ = ["apps_reading", "loads_root_file", "root_schema", "schema_root"]

MAX_UP = 3


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
    if _is_template(schema) and not loads_root_file(project_dir, root):
        return None  # the root template documents a file this app never reads
    schema.keys = {
        name: spec.replace(where=_moved(spec.where, up, root)) for name, spec in schema.keys.items()
    }
    schema.source = f"{up}/{schema.source}"
    schema.framework = None
    schema.mode = None
    return schema


def _is_template(schema: Any) -> bool:
    """The schema is only a root ``.env.example`` (no config file, no settings class)."""
    return getattr(schema, "config_file", None) is None and schema.settings_class is None


def _moved(where: str | None, up: str, root: Path) -> str | None:
    """``.env.example:4`` of the root as the app reaches it: ``../../.env.example:4``."""
    if not where:
        return where
    path, colon, line = where.rpartition(":")
    if not colon or not line.isdigit():
        path, line = where, ""
    if "/" in path or not (root / path).is_file():
        return where  # not a root file (a settings field): leave it as it is
    import posixpath

    moved = posixpath.normpath(f"{up}/{path}")
    return f"{moved}:{line}" if line else moved


def loads_root_file(project_dir: Path, root: Path) -> bool:
    """The app in ``project_dir`` reads an env file of the root folder: through a wrapper
    script, a settings class or its code (see :mod:`envcheck.workspace.sources`)."""
    import os

    from envcheck.sources.detect import detect
    from envcheck.sources.profiles import get_profile
    from envcheck.workspace.sources import outside_files

    base = os.path.abspath(project_dir)
    top = os.path.normpath(os.path.abspath(root))
    profile = get_profile(detect(project_dir))
    for mode in ("development", "production"):
        for name in outside_files(project_dir, profile, mode):
            if os.path.dirname(os.path.normpath(os.path.join(base, name))) == top:
                return True
    return False


def apps_reading(root: Path) -> list[str]:
    """The apps (paths from the root) that read an env file of the root folder.

    The same test that decides which apps a root template applies to
    (:func:`loads_root_file`), so that ``init`` at a root scopes the schema it
    drafts exactly as the template it drafts from was.
    """
    from envcheck.workspace.discover import ROOT_APP, discover

    workspace = discover(root)
    if workspace is None:
        return []
    return [
        app.path
        for app in workspace.apps
        if app.path != ROOT_APP and loads_root_file(app.directory, root)
    ]
