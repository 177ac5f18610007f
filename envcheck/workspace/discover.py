"""List a workspace's apps from the files that declare them.

pnpm-workspace.yaml ``packages:``, package.json ``workspaces`` (npm, yarn,
bun: an array, or ``{"packages": [...]}``), ``[tool.uv.workspace]``
``members`` / ``exclude``, Nx projects (a ``project.json`` or
``package.json`` under the root), turbo.json over ``apps/*`` and
``packages/*``, or several folders that are apps (``backend/`` +
``frontend/``).  Patterns are globs over folders (``*`` one folder name,
``**`` any depth); a ``!`` pattern removes what it matches.

A declaration that cannot be read is a :class:`WorkspaceError` naming the
file: invalid YAML, JSON or TOML, a pattern that matches no folder, a
symbolic-link cycle.  The walk is bounded (depth and folder count), so a
hostile tree cannot make discovery run away.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import posixpath
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError
from envcheck.model import FrozenRecord
from envcheck.workspace import markers

__all__ = ["App", "Workspace", "WorkspaceError", "discover"]

MAX_DEPTH = 8
MAX_FOLDERS = 20_000
_SKIP = frozenset({"node_modules", ".git", ".venv", "venv", "__pycache__", "dist", "build"})
_NX_GLOBS = ("apps/*", "libs/*", "packages/*", "apps/*/*", "libs/*/*", "packages/*/*")


class WorkspaceError(ConfigError):
    """A workspace declaration that cannot be read (exit 2, one line)."""


class App(FrozenRecord):
    """One app of a workspace: its name, its folder relative to the root, the folder itself."""

    __slots__ = ("name", "path", "directory")
    name: str
    path: str
    directory: Path

    def __init__(self, name: str, path: str, directory: Path) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "directory", directory)


class Workspace(FrozenRecord):
    """A root, what declared it (:mod:`.markers` kind, and the file) and its apps, by path."""

    __slots__ = ("root", "kind", "declared_by", "apps")
    root: Path
    kind: str
    declared_by: str
    apps: tuple[App, ...]

    def __init__(self, root: Path, kind: str, declared_by: str, apps: tuple[App, ...]) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "declared_by", declared_by)
        object.__setattr__(self, "apps", apps)


# -- reading the declarations -------------------------------------------------------


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) else "not UTF-8"
        raise WorkspaceError(f"cannot read: {why}", where=path.name) from None


def _patterns(value: Any, where: str, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WorkspaceError(
            f"{what} must be a list of folder globs", where=where, hint='e.g. ["apps/*"]'
        )
    return [v for v in value if v.strip()]


def _pnpm(root: Path) -> list[str]:
    import yaml  # only at a pnpm root

    name = "pnpm-workspace.yaml"
    try:
        data = yaml.safe_load(_text(root / name))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        problem = getattr(err, "problem", None) or "not valid YAML"
        raise WorkspaceError(
            f"invalid YAML: {problem}", where=where, hint="packages: is a list of globs"
        ) from None
    if data is None:
        return []
    if not isinstance(data, dict):
        raise WorkspaceError("must be a mapping with a packages: list", where=name)
    return _patterns(data.get("packages"), name, "packages")


def _json(path: Path) -> Any:
    import json  # only at a root that declares workspaces

    try:
        return json.loads(_text(path))
    except json.JSONDecodeError as err:
        raise WorkspaceError(
            f"invalid JSON: {err.msg}",
            where=f"{path.name}:{err.lineno}:{err.colno}",
            hint="fix the syntax at that position",
        ) from None


def _npm(root: Path) -> list[str]:
    data = _json(root / "package.json")
    value = data.get("workspaces") if isinstance(data, dict) else None
    if isinstance(value, dict):  # yarn 1: {"packages": [...], "nohoist": [...]}
        value = value.get("packages")
    return _patterns(value, "package.json", "workspaces")


def _uv(root: Path) -> list[str]:
    import tomllib

    try:
        data = tomllib.loads(_text(root / "pyproject.toml"))
    except tomllib.TOMLDecodeError as err:
        raise WorkspaceError(f"invalid TOML: {err}", where="pyproject.toml") from None
    section = data.get("tool", {}).get("uv", {}).get("workspace", {})
    if not isinstance(section, dict):
        raise WorkspaceError("[tool.uv.workspace] must be a table", where="pyproject.toml")
    members = _patterns(section.get("members"), "pyproject.toml", "members")
    exclude = _patterns(section.get("exclude"), "pyproject.toml", "exclude")
    return [*members, *(f"!{e}" for e in exclude)]


# -- globs over folders -------------------------------------------------------------


class _Walk:
    """Folders under the root, each visited once; a symbolic-link cycle is an error."""

    def __init__(self, root: Path, declared_by: str) -> None:
        self.root = root
        self.declared_by = declared_by
        self.seen = 0

    def children(self, rel: str, ancestors: frozenset[tuple[int, int]]) -> Iterator[str]:
        path = self.root / rel if rel else self.root
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name in _SKIP:
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if entry.is_symlink():
                try:
                    st = os.stat(entry.path)
                except OSError as err:
                    if (
                        err.errno == errno.ELOOP
                    ):  # ELOOP: a link that points at itself, through others
                        self._cycle(child)
                    continue
                if (st.st_dev, st.st_ino) in ancestors:
                    self._cycle(child)
            if is_dir:
                self.seen += 1
                if self.seen > MAX_FOLDERS:
                    raise WorkspaceError(
                        f"more than {MAX_FOLDERS} folders match the workspace patterns",
                        where=self.declared_by,
                        hint="narrow the globs (apps/*, not **)",
                    )
                yield child

    def _cycle(self, child: str) -> None:
        raise WorkspaceError(
            f"symbolic-link cycle at {child} (matched by the workspace patterns)",
            where=self.declared_by,
            hint="remove the link, or exclude it with a ! pattern",
        )

    def identity(self, rel: str) -> tuple[int, int]:
        st = os.stat(self.root / rel if rel else self.root)
        return st.st_dev, st.st_ino

    def match(self, pattern: str) -> list[str]:
        parts = [p for p in pattern.strip().strip("/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            return []
        out: list[str] = []
        self._match("", parts, frozenset({self.identity("")}), 0, out)
        return out

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
        if depth > MAX_DEPTH:
            return
        head, rest = parts[0], parts[1:]
        if head == "**":
            self._match(rel, rest, ancestors, depth, out)  # zero folders
            for child in self.children(rel, ancestors):
                below = ancestors | {self.identity(child)}
                self._match(child, parts, below, depth + 1, out)
            return
        if not any(c in head for c in "*?["):
            child = f"{rel}/{head}" if rel else head
            if (self.root / child).is_dir():
                self._match(child, rest, ancestors | {self.identity(child)}, depth + 1, out)
            return
        for child in self.children(rel, ancestors):
            if fnmatch.fnmatchcase(posixpath.basename(child), head):
                self._match(child, rest, ancestors | {self.identity(child)}, depth + 1, out)


def _expand(
    root: Path,
    patterns: Sequence[str],
    declared_by: str,
    *,
    marker: Sequence[str] = ("package.json", "pyproject.toml"),
    strict: bool = True,
) -> list[str]:
    """The folders the patterns name that hold one of ``marker``, in pattern order."""
    walk = _Walk(root, declared_by)
    chosen: dict[str, None] = {}
    for pattern in patterns:
        negated = pattern.startswith("!")
        found = [
            p
            for p in walk.match(pattern[1:] if negated else pattern)
            if p and any((root / p / m).is_file() for m in marker)
        ]
        if negated:
            for p in found:
                chosen.pop(p, None)
            continue
        if not found and strict:
            raise WorkspaceError(
                f"workspace pattern {pattern!r} matches no folder with {' or '.join(marker)}",
                where=declared_by,
                hint="fix or remove the pattern (is the folder missing or misspelt?)",
            )
        chosen.update(dict.fromkeys(found))
    return list(chosen)


def _name(root: Path, rel: str) -> str:
    """The package name (package.json ``name``, pyproject ``[project] name``), else the folder's."""
    package = root / rel / "package.json"
    if package.is_file():
        import json

        try:
            data = json.loads(package.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("name"), str) and data["name"]:
            return str(data["name"])
    return posixpath.basename(rel)


def discover(root: Path, kind: str | None = None) -> Workspace | None:
    """The workspace at ``root`` (None if it is not one); raises WorkspaceError if malformed."""
    kind = kind or markers.workspace_kind(root)
    if kind is None:
        return None
    strict = True
    if kind == markers.PNPM:
        declared_by, patterns = "pnpm-workspace.yaml", _pnpm(root)
    elif kind == markers.NPM:
        declared_by, patterns = "package.json", _npm(root)
    elif kind == markers.UV:
        declared_by, patterns = "pyproject.toml", _uv(root)
    elif kind == markers.TURBO:
        declared_by, patterns, strict = "turbo.json", ["apps/*", "packages/*"], False
        _json(root / "turbo.json")  # a broken turbo.json is reported, not skipped
    elif kind == markers.NX:
        declared_by, patterns, strict = "nx.json", list(_NX_GLOBS), False
        _json(root / "nx.json")
    else:
        declared_by, patterns = "(app folders)", markers.app_folders(root)
    marker: tuple[str, ...] = ("package.json", "pyproject.toml")
    if kind == markers.NX:
        marker = ("project.json", "package.json")
    elif kind == markers.UV:
        marker = ("pyproject.toml",)
    paths = _expand(root, patterns, declared_by, marker=marker, strict=strict)
    apps = tuple(App(_name(root, p), p, root / p) for p in sorted(paths))
    return Workspace(root, kind, declared_by, apps)
