"""List a workspace's apps from the files that declare them.

pnpm-workspace.yaml ``packages:``, package.json ``workspaces`` (npm, yarn,
bun: an array, or ``{"packages": [...]}``), ``[tool.uv.workspace]``
``members`` / ``exclude``, Nx projects (a ``project.json`` or
``package.json`` under the root), turbo.json over ``apps/*`` and
``packages/*``, or several folders that are apps (``backend/`` +
``frontend/``; one of them may be a workspace itself, whose apps are then
listed).  A root compose file whose services set variables is an app of its
own (path ``.``): it runs apps the declaration may leave out.  A root that is
no project of its own (no env file, no compose file, no framework) whose
compose projects live one or two levels down (healthchecks' ``docker/``) has
those projects as its apps (:func:`envcheck.workspace.markers.compose_folders`).
A root that declares nothing (or only settings: a pnpm-workspace.yaml without
``packages:``) but holds app folders of its own kind -- started by a script,
configured by an env file or template of their own -- has them as apps beside
its own project (:func:`envcheck.workspace.markers.undeclared_apps`: skyvern's
``skyvern-frontend/``).  A folder outside every app where a tool's config sits beside a
template of the env file that tool loads (plunk's ``prisma/``: ``schema.prisma`` and
``.env.example``) is a unit of its own (:func:`envcheck.workspace.markers.tool_env_folders`).

Patterns are globs over folders, read as pnpm and npm read them (checked
against pnpm 9/10 and npm, ``tests/workspace/test_workspace_first_run.py``): ``*`` one
folder name, ``**`` any depth; a ``!`` pattern removes what it matches; a
folder is a package only if it holds the marker file; the root itself,
``node_modules`` and hidden folders are never matched.  A pattern that
matches nothing is a *note*, not an error: pnpm and npm accept it (a
generated folder, an empty ``packages/config/*``).

A declaration that cannot be read at all is a :class:`WorkspaceError`
naming the file (invalid YAML, JSON or TOML).  The checkout is data: the walk
never leaves the root (a symbolic link to a folder outside it is noted and
not entered), never follows a link back into its own ancestors, and is
bounded in depth and folder count, so a hostile tree cannot make discovery
read elsewhere or run away.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError
from envcheck.model import FrozenRecord
from envcheck.workspace import markers

__all__ = ["ROOT_APP", "App", "Workspace", "WorkspaceError", "discover", "workspace_entry"]

MAX_DEPTH = 16
MAX_FOLDERS = 20_000
ROOT_APP = "."  # the path of the root's own compose project, as an app
# Never walked: dependencies (pnpm and npm skip node_modules, pnpm bower_components too)
# and Python's environments and caches, which hold no app of their own.  Hidden folders
# (.git, .venv, .next) are skipped as pnpm's and npm's globs skip them.
_SKIP = frozenset({"node_modules", "bower_components", "venv", "__pycache__"})
_NX_GLOBS = ("apps/*", "libs/*", "packages/*", "apps/*/*", "libs/*/*", "packages/*/*")
_ENV_KEYS = ("env_file", "environment")  # a compose service with either hands variables over


class WorkspaceError(ConfigError):
    """A workspace declaration that cannot be read (exit 2, one line)."""


class App(FrozenRecord):
    """One app of a workspace: its name, its folder relative to the root, the folder itself.

    ``framework``: the profile to check it with where detection would pick
    another (the root's compose project, whose package.json names no framework).
    """

    __slots__ = ("name", "path", "directory", "framework")
    name: str
    path: str
    directory: Path
    framework: str | None

    def __init__(self, name: str, path: str, directory: Path, framework: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "directory", directory)
        object.__setattr__(self, "framework", framework)


class Workspace(FrozenRecord):
    """A root, what declared it (:mod:`.markers` kind, and the file), its apps, by path.

    ``notes``: what discovery left out and why (a pattern that matched nothing,
    a link out of the repository), one line each, for the report.
    """

    __slots__ = ("root", "kind", "declared_by", "apps", "notes")
    root: Path
    kind: str
    declared_by: str
    apps: tuple[App, ...]
    notes: tuple[str, ...]

    def __init__(
        self,
        root: Path,
        kind: str,
        declared_by: str,
        apps: tuple[App, ...],
        notes: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "declared_by", declared_by)
        object.__setattr__(self, "apps", apps)
        object.__setattr__(self, "notes", notes)


def workspace_entry(workspace: Workspace) -> dict[str, Any]:
    """The JSON output's ``workspace`` object: kind, declaring file, and notes if any."""
    entry: dict[str, Any] = {"kind": workspace.kind, "declared_by": workspace.declared_by}
    if workspace.notes:
        entry["notes"] = list(workspace.notes)
    return entry


# -- reading the declarations -------------------------------------------------------


def _inside(root: Path, path: Path) -> bool:
    """``path``, links resolved, is the root or under it (the checkout may not point out)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _read(root: Path, rel: str) -> str | None:
    """A declaration file's text, None if there is none; WorkspaceError if it is not read.

    Through :func:`envcheck.sources.checkout.read_text`: a regular file inside
    the root, bounded; a link out of the root or a FIFO is never opened.
    """
    from envcheck.sources.checkout import read_text

    try:
        return read_text(root / rel, within=root)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        why = (err.strerror or str(err)) if isinstance(err, OSError) else "not UTF-8"
        raise WorkspaceError(f"cannot read: {why}", where=rel) from None


def _text(root: Path, name: str) -> str:
    text = _read(root, name)
    if text is None:
        raise WorkspaceError("cannot read: no such file", where=name)
    return text


def _patterns(value: Any, where: str, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkspaceError(
            f"{what} must be a list of folder globs", where=where, hint='e.g. ["apps/*"]'
        )
    return [v for v in value if v.strip()]


def _pnpm(root: Path) -> list[str] | None:
    """``packages:``; None when there is no such key (settings only: a single project).

    pnpm 10 writes a pnpm-workspace.yaml without ``packages:`` for settings
    such as ``onlyBuiltDependencies``; pnpm then treats the root as the one project.
    """
    from envcheck.sources import yamlsafe  # PyYAML only at a pnpm root; bounded aliases, depth

    name = "pnpm-workspace.yaml"
    data = yamlsafe.load(_text(root, name), name, WorkspaceError, "packages: is a list of globs")
    if data is None:
        return None
    if not isinstance(data, dict):
        raise WorkspaceError(
            "must be a mapping with a packages: list", where=name, hint="packages: [apps/*]"
        )
    if "packages" not in data:
        return None
    return _patterns(data.get("packages"), name, "packages")


def _json(root: Path, name: str) -> Any:
    import json  # only at a root that declares workspaces

    from envcheck.sources.structured import json_loads  # bounded nesting

    try:
        return json_loads(_text(root, name))
    except json.JSONDecodeError as err:
        raise WorkspaceError(
            f"invalid JSON: {err.msg}",
            where=f"{name}:{err.lineno}:{err.colno}",
            hint="fix the syntax at that position",
        ) from None


def _npm(root: Path) -> list[str]:
    data = _json(root, "package.json")
    value = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(value, dict):  # yarn 1: {"packages": [...], "nohoist": [...]}
        value = value.get("packages")
    return _patterns(value, "package.json", "workspaces")


def _uv(root: Path) -> list[str]:
    from envcheck.sources.structured import load_toml  # file:line:col, bounded nesting

    data = load_toml(_text(root, "pyproject.toml"), "pyproject.toml", WorkspaceError)
    section: Any = data
    for table in ("tool", "tool.uv", "tool.uv.workspace"):  # each level may be anything
        section = section.get(table.rpartition(".")[2], {})
        if not isinstance(section, dict):
            raise WorkspaceError(
                f"[{table}] must be a table",
                where="pyproject.toml",
                hint='e.g. [tool.uv.workspace] with members = ["apps/*"]',
            )
    members = _patterns(section.get("members"), "pyproject.toml", "members")
    exclude = _patterns(section.get("exclude"), "pyproject.toml", "exclude")
    return [*members, *(f"!{e}" for e in exclude)]


# -- globs over folders -------------------------------------------------------------


class _Walk:
    """Folders under the root, each visited once, never out of the root or round a cycle.

    A folder the walk will not enter (a link out of the repository, a link
    back to one of its own ancestors) is still *matched* by a pattern that
    ends there, so that a ``!`` pattern can exclude it; :func:`_expand` turns
    a positive match into a note.  ``refused`` maps such a path to the reason.
    """

    def __init__(self, root: Path, declared_by: str) -> None:
        self.root = root
        self.declared_by = declared_by
        self.seen = 0
        self.refused: dict[str, str] = {}
        self.too_deep: set[str] = set()

    def _enter(self, rel: str, ancestors: frozenset[tuple[int, int]]) -> tuple[int, int] | None:
        """The folder's identity if the walk may enter it; None for no folder or a refused one."""
        path = os.path.join(self.root, rel)
        try:
            linked = stat.S_ISLNK(os.lstat(path).st_mode)
            if linked and not _inside(self.root, Path(path)):  # decided before any stat there
                self.refused[rel] = f"{rel} is a symlink to outside the repository; not checked"
                return None
            info = os.stat(path)
        except OSError as err:
            if err.errno == errno.ELOOP:  # a link that points at itself, through others
                self.refused[rel] = f"{rel} is a symbolic-link cycle; not followed"
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None
        identity = (info.st_dev, info.st_ino)
        if linked and identity in ancestors:
            self.refused[rel] = f"{rel} is a symbolic-link cycle; not followed"
            return None
        return identity

    def children(self, rel: str) -> Iterator[str]:
        path = os.path.join(self.root, rel) if rel else self.root
        try:
            names = sorted(e.name for e in os.scandir(path))
        except OSError:
            return
        for name in names:
            if name in _SKIP or name.startswith("."):
                continue
            yield f"{rel}/{name}" if rel else name

    def _count(self) -> None:
        self.seen += 1
        if self.seen > MAX_FOLDERS:
            raise WorkspaceError(
                f"more than {MAX_FOLDERS} folders match the workspace patterns",
                where=self.declared_by,
                hint="narrow the globs (apps/*, not **)",
            )

    def match(self, pattern: str) -> list[str]:
        parts = [p for p in pattern.strip().strip("/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            return []
        root_id = os.stat(self.root)
        out: list[str] = []
        self._match("", parts, frozenset({(root_id.st_dev, root_id.st_ino)}), 0, out)
        return out

    def _step(
        self,
        child: str,
        rest: Sequence[str],
        ancestors: frozenset[tuple[int, int]],
        depth: int,
        out: list[str],
    ) -> None:
        """Go into ``child`` with the pattern's ``rest``; a refused folder ends the walk there."""
        identity = self._enter(child, ancestors)
        if identity is None:
            if child in self.refused and all(p == "**" for p in rest):
                out.append(child)  # matched, not entered: a note, or excluded by a ! pattern
            return
        self._count()
        self._match(child, rest, ancestors | {identity}, depth + 1, out)

    def _match(
        self,
        rel: str,
        parts: Sequence[str],
        ancestors: frozenset[tuple[int, int]],
        depth: int,
        out: list[str],
    ) -> None:
        if not parts:
            out.append(rel)
            return
        if depth >= MAX_DEPTH:
            self.too_deep.add(rel)
            return
        head, rest = parts[0], parts[1:]
        if head == "**":
            self._match(rel, rest, ancestors, depth, out)  # zero folders
            for child in self.children(rel):
                self._step(child, parts, ancestors, depth, out)
            return
        if not any(c in head for c in "*?["):
            self._step(f"{rel}/{head}" if rel else head, rest, ancestors, depth, out)
            return
        for child in self.children(rel):
            if fnmatch.fnmatchcase(posixpath.basename(child), head):
                self._step(child, rest, ancestors, depth, out)


def _expand(
    root: Path,
    patterns: Sequence[str],
    declared_by: str,
    *,
    marker: Sequence[str] = ("package.json", "pyproject.toml"),
    note_unmatched: bool = True,
) -> tuple[list[str], list[str]]:
    """The folders the patterns name that hold one of ``marker``, in pattern order; notes."""
    walk = _Walk(root, declared_by)
    chosen: dict[str, None] = {}
    refused: dict[str, None] = {}
    notes: list[str] = []
    for pattern in patterns:
        negated = pattern.startswith("!")
        matched = walk.match(pattern[1:] if negated else pattern)
        found = [
            p
            for p in matched
            if p
            and p not in walk.refused
            and any(os.path.isfile(os.path.join(root, p, m)) for m in marker)
        ]
        turned_away = [p for p in matched if p in walk.refused]
        if negated:
            for p in (*found, *turned_away):
                chosen.pop(p, None)
                refused.pop(p, None)
            continue
        if not found and not turned_away and note_unmatched:
            notes.append(
                f"{declared_by}: pattern {pattern!r} matches no folder with "
                f"{' or '.join(marker)} (nothing to check there)"
            )
        chosen.update(dict.fromkeys(found))
        refused.update(dict.fromkeys(turned_away))
    notes += [walk.refused[p] for p in refused]
    if walk.too_deep:
        notes.append(
            f"{declared_by}: folders deeper than {MAX_DEPTH} levels are not searched "
            f"(under {min(walk.too_deep)})"
        )
    return list(chosen), notes


def package_json(directory: Path, within: Path) -> dict[str, Any] | None:
    """``directory``'s package.json as a JSON object, read for ``within``; None when there
    is none, or it is unreadable, not JSON or not an object.

    Kept for the run (:func:`envcheck.sources.checkout.run_memo`): discovery asks each
    package's name, and the apps' classification its dependencies and scripts, of the
    same 200 files.  Callers only read the object.
    """
    from envcheck.sources.checkout import project_root, read_text, run_memo
    from envcheck.sources.structured import json_loads  # bounded nesting

    path = directory / "package.json"
    key = (os.fspath(path), project_root(within))  # the same file within the same bounds
    memo = run_memo("package.json")
    if key in memo:
        return memo[key]  # type: ignore[return-value]
    try:
        data = json_loads(read_text(path, within=within))
    except (OSError, ValueError):  # ValueError: not UTF-8, not JSON
        data = None
    found = data if isinstance(data, dict) else None
    memo[key] = found
    return found


def _name(root: Path, rel: str) -> str:
    """The package name (package.json ``name``), else the folder's."""
    data = package_json(root / rel if rel else root, root)
    if data is not None and isinstance(data.get("name"), str) and data["name"]:
        return str(data["name"])
    return posixpath.basename(rel)


def _compose_project(folder: Path) -> str | None:
    """The folder's compose file, if its services hand variables to containers.

    Such a file is a project of its own: at the root, its ``env_file:`` entries
    may name folders no workspace pattern lists (an app excluded with
    ``!apps/api``); below a root that is no project, it is what runs
    (healthchecks' ``docker/``).  A file that is not valid YAML counts too:
    checking it reports the error.
    """
    from envcheck.sources.loaders.compose import find_compose_file

    found = find_compose_file(folder)
    if found is None:
        return None
    from envcheck.sources import yamlsafe  # bounded: an alias bomb is an error, not a hang

    try:
        text = _read(folder, found.name)
        data = yamlsafe.load(text, found.name, WorkspaceError) if text is not None else None
    except WorkspaceError:  # invalid or refused YAML: checking it reports the error
        return found.name
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return None
    for service in services.values():
        if isinstance(service, dict) and any(k in service for k in _ENV_KEYS):
            return found.name
    return None


def _root_app(root: Path, kind: str, *, alone: bool) -> App | None:
    """The root as an app of its own (path ``.``), when it is one.

    pnpm, npm and uv count the root as a project of the workspace: a Next.js
    app at the root with ``workspaces: ["packages/*"]`` for its libraries is
    checked too.  Not in Nx, whose root package.json holds every project's
    dependencies, nor in a plain layout (found only where the root is no app).
    Else a root compose file whose services set variables is the root's project.
    ``alone``: no other app; a root that runs a framework is then checked as
    the single project it is (no workspace run at all).
    """
    if kind in (markers.PNPM, markers.NPM, markers.UV, markers.TURBO) and markers.root_is_an_app(
        root
    ):
        if alone:
            return None
        return App(_name(root, "") or root.name, ROOT_APP, root)
    compose = _compose_project(root)
    return None if compose is None else App(compose, ROOT_APP, root, "compose")


def _declared(root: Path, kind: str) -> tuple[str, list[str], bool] | None:
    """(declaring file, patterns, note unmatched patterns), or None: not a workspace after all."""
    if kind == markers.PNPM:
        patterns = _pnpm(root)
        return None if patterns is None else ("pnpm-workspace.yaml", patterns, True)
    if kind == markers.NPM:
        return "package.json", _npm(root), True
    if kind == markers.UV:
        return "pyproject.toml", _uv(root), True
    if kind == markers.TURBO:
        _json(root, "turbo.json")  # a broken turbo.json is reported, not skipped
        return "turbo.json", ["apps/*", "packages/*"], False
    if kind == markers.NX:
        _json(root, "nx.json")
        return "nx.json", list(_NX_GLOBS), False
    return "(app folders)", markers.app_folders(root), True


def _nested(root: Path, folders: Sequence[str]) -> tuple[list[App], list[str]]:
    """Plain app folders, each one that is a workspace itself replaced by its apps.

    A ``backend/`` + ``frontend/`` layout whose ``frontend/`` holds a
    pnpm-workspace.yaml: its apps are what runs (one level; not recursive).
    """
    apps: list[App] = []
    notes: list[str] = []
    for folder in folders:
        kind = markers.workspace_kind(root / folder, folders=False)  # declared ones only
        inner = None
        if kind is not None:
            inner = discover(root / folder, kind)
        if inner is None or not inner.apps:
            apps.append(App(_name(root, folder), folder, root / folder))
            continue
        for app in inner.apps:
            path = folder if app.path == ROOT_APP else f"{folder}/{app.path}"
            apps.append(App(app.name, path, root / path))
        notes += [f"{folder}/{note}" for note in inner.notes]
    return apps, notes


def discover(root: Path, kind: str | None = None) -> Workspace | None:
    """The workspace at ``root``; None if it is not one (a settings-only pnpm-workspace.yaml).

    Raises WorkspaceError only for a declaration that cannot be read.
    """
    kind = kind or markers.workspace_kind(root)
    if kind is None:
        return None
    if kind == markers.COMPOSE:
        return _compose_folders(root)
    if kind == markers.NESTED:
        return _undeclared(root)
    declared = _declared(root, kind)
    if declared is None:  # settings only: pnpm sees the root alone, its app folders still run
        return _undeclared(root)
    declared_by, patterns, note_unmatched = declared
    marker: tuple[str, ...] = ("package.json", "pyproject.toml")
    if kind == markers.NX:
        marker = ("project.json", "package.json")
    elif kind == markers.UV:
        marker = ("pyproject.toml",)
    paths, notes = _expand(
        root, patterns, declared_by, marker=marker, note_unmatched=note_unmatched
    )
    if kind == markers.FOLDERS:
        found, inner_notes = _nested(root, sorted(paths))
        notes += inner_notes
    else:
        found = [App(_name(root, p), p, root / p) for p in sorted(paths)]
    own = _root_app(root, kind, alone=not found)
    if own is not None:
        found.insert(0, own)
    if found:
        found += _tool_folders(root, found)
    return Workspace(root, kind, declared_by, tuple(found), tuple(dict.fromkeys(notes)))


def _tool_folders(root: Path, apps: Sequence[App]) -> list[App]:
    """The folders outside every app where a tool's config sits beside the template of
    the env file the tool loads (plunk's ``prisma/``: :func:`markers.tool_env_folders`),
    each a unit of its own: the tool runs there, whichever app's script starts it."""
    paths = {a.path for a in apps if a.path != ROOT_APP}

    def taken(rel: str) -> bool:  # an app or a folder in one (``packages/`` is looked into)
        while rel not in paths:  # each folder above ``rel``: not each app (200 apps, 100 asks)
            rel, slash, _ = rel.rpartition("/")
            if not slash:
                return False
        return True

    units: list[App] = []
    for rel in markers.tool_env_folders(root, taken):
        config = next(n for n in markers.TOOL_ENV_CONFIGS if (root / rel / n).is_file())
        units.append(App(f"{rel}/{config}", rel, root / rel, markers.TOOL_ENV_CONFIGS[config]))
    return units


def _compose_folders(root: Path) -> Workspace | None:
    """The compose projects one or two levels below a root that is no project of its own.

    healthchecks keeps its ``docker-compose.yml`` (``env_file: .env``) and
    ``.env.example`` in ``docker/``: from the root, that project is what runs.
    Each folder whose compose file hands variables over is an app checked with
    the compose profile; None when there is none (the root stays a single project).
    The look is bounded (:func:`envcheck.workspace.markers.compose_folders`).
    """
    found = [
        App(f"{rel}/{compose}", rel, root / rel, "compose")
        for rel in markers.compose_folders(root)
        if (compose := _compose_project(root / rel)) is not None
    ]
    if not found:
        return None
    return Workspace(root, markers.COMPOSE, "(compose folders)", tuple(found))


def _undeclared(root: Path) -> Workspace | None:
    """The app folders no declaration lists, beside the root's own project; None if none.

    skyvern's root is a Python app (pyproject, ``.env.example``, compose) and
    ``skyvern-frontend/`` a Vite app with its own template: both run, each with its own
    files, so each is checked (:func:`envcheck.workspace.markers.undeclared_apps`).  The
    root stays an app, checked as it would be alone, unless it has nothing of its own
    (:func:`envcheck.workspace.markers.is_no_project`).  A folder that is a workspace
    itself is replaced by its apps (:func:`_nested`).
    """
    folders = markers.undeclared_apps(root)
    if not folders:
        return None
    found, notes = _nested(root, folders)
    if not markers.is_no_project(root):
        found.insert(0, App(_name(root, "") or root.name, ROOT_APP, root))
    return Workspace(
        root, markers.NESTED, "(undeclared app folders)", tuple(found), tuple(dict.fromkeys(notes))
    )
