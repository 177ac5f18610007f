"""Which packages of a workspace are apps, and the code facts each app is checked with.

A workspace declaration lists *packages*; not all of them run.  The rule
(issue #25), decided here and nowhere else:

* a package with env files of its own (``.env*``, templates included, or an
  ``envcheck.toml``) is an **app**: someone configures it;
* else a package another workspace package depends on (package.json
  ``dependencies`` / ``devDependencies`` / ``peerDependencies`` naming its
  ``name``, under any version spec, ``workspace:*`` included) is a
  **library**: its reads count for the apps that depend on it, not for
  itself, because a library never starts with an environment of its own;
* else a package whose code reads env is an **app** (a t3 app without a
  template);
* else it is nothing to check (a docs site, a config package).

The root's own project (path ``.``) is always an app.  The code of each
package is read once per process (:func:`package_facts`); a forked worker
of :mod:`envcheck.fanout.pool` inherits what the parent read.  Nothing of
the checkout is run or imported: :func:`envcheck.code.scan` parses.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import FrozenRecord

if TYPE_CHECKING:
    from envcheck.code import CodeFacts
    from envcheck.workspace.discover import App, Workspace

__all__ = [
    "Package",
    "app_facts",
    "checked_apps",
    "classify",
    "package_facts",
]

_DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies")
_FACTS: dict[str, CodeFacts] = {}  # absolute package folder -> its facts, package-relative
_WORKSPACES: dict[str, Workspace | None] = {}  # absolute root -> its discovery


class Package(FrozenRecord):
    """One workspace package as this module sees it: ``kind`` is ``app``, ``library`` or
    ``none`` (nothing to check); ``libraries`` are the workspace packages it depends on
    (directly or through another library), in discovery order."""

    __slots__ = ("app", "kind", "libraries")
    app: App
    kind: str
    libraries: tuple[App, ...]

    def __init__(self, app: App, kind: str, libraries: tuple[App, ...]) -> None:
        object.__setattr__(self, "app", app)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "libraries", libraries)


def package_facts(directory: Path) -> CodeFacts:
    """The code facts of the package folder ``directory``, paths relative to it (memoized)."""
    key = os.path.abspath(directory)
    found = _FACTS.get(key)
    if found is None:
        from envcheck.code import scan  # the parsers load only when a file reaches them

        found = scan(Path(key), root=Path(key), cache_file=_cache_file(key))
        _FACTS[key] = found
    return found


def _cache_file(package: str) -> Path:
    """One facts-cache file per package folder (named by a hash of its path).

    The apps of a workspace run are scanned in parallel worker processes; one shared
    file would be read whole by each and rewritten by each, the last writer dropping
    the others' entries, so a monorepo would never be warm.
    """
    import hashlib

    from envcheck.code.cache import CACHE_FILE, default_path

    digest = hashlib.sha256(package.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    stem, _, suffix = CACHE_FILE.rpartition(".")
    return default_path().with_name(f"{stem}-{digest}.{suffix}")


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


def _package_json(directory: Path) -> dict[str, Any]:
    from envcheck.sources.checkout import read_text
    from envcheck.sources.structured import json_loads  # bounded nesting

    try:
        data = json_loads(read_text(directory / "package.json", within=directory))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _dependency_names(directory: Path) -> set[str]:
    data = _package_json(directory)
    names: set[str] = set()
    for field in _DEPENDENCY_FIELDS:
        section = data.get(field)
        if isinstance(section, dict):
            names.update(k for k in section if isinstance(k, str))
    return names


def _direct_dependencies(packages: Sequence[App]) -> dict[str, list[App]]:
    """package path -> the workspace packages its package.json depends on."""
    by_name = {a.name: a for a in packages}
    return {
        a.path: [by_name[n] for n in sorted(_dependency_names(a.directory)) if n in by_name]
        for a in packages
    }


def _closure(start: str, direct: dict[str, list[App]]) -> tuple[App, ...]:
    """Every package reachable from ``start`` through dependencies (cycles are cut)."""
    seen: dict[str, App] = {}
    stack = list(reversed(direct.get(start, [])))
    while stack:
        lib = stack.pop()
        if lib.path in seen or lib.path == start:
            continue
        seen[lib.path] = lib
        stack.extend(reversed(direct.get(lib.path, [])))
    return tuple(seen.values())


def classify(workspace: Workspace, *, code: bool = True) -> list[Package]:
    """Each package of ``workspace``: app, library or nothing, with its library dependencies.

    ``code=False`` (``--no-code``): a package is not asked whether its code reads env, so
    one that is neither configured nor depended on counts as an app, as before issue #25.
    """
    from envcheck.workspace.discover import ROOT_APP

    packages = workspace.apps
    direct = _direct_dependencies(packages)
    depended_on = {lib.path for libs in direct.values() for lib in libs}
    out: list[Package] = []
    for app in packages:
        if app.path == ROOT_APP or has_own_env_files(app.directory):
            kind = "app"
        elif app.path in depended_on:
            kind = "library"
        elif not code or package_facts(app.directory).reads:
            kind = "app"
        else:
            kind = "none"
        out.append(Package(app, kind, _closure(app.path, direct)))
    return out


def checked_apps(
    workspace: Workspace, chosen: Sequence[App], *, code: bool = True
) -> tuple[App, ...]:
    """The packages of ``chosen`` to check: all but the libraries.

    A package that is nothing to check (no env files, no reads, no dependents) stays: its
    run says "nothing checked", which is the truth, and a root template no longer lands
    on it (:mod:`envcheck.workspace.context`).
    """
    _WORKSPACES[os.path.abspath(workspace.root)] = workspace  # the workers reuse it
    kinds = {p.app.path: p.kind for p in classify(workspace, code=code)}
    return tuple(a for a in chosen if kinds.get(a.path, "app") != "library")


def _workspace_of(directory: Path) -> Workspace | None:
    """The workspace of the running workspace run (memoized per root), else None.

    Only a run started at the root knows its workspace: a run inside an app does not
    look at the folders above it (outside the project root, which only trusted input
    may reach), so there a library's reads are not added.
    """
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None:
        return None
    key = os.path.abspath(root)
    if key not in _WORKSPACES:
        from envcheck.workspace import markers
        from envcheck.workspace.discover import WorkspaceError, discover

        kind = markers.workspace_kind(root)
        try:
            _WORKSPACES[key] = None if kind is None else discover(root, kind)
        except WorkspaceError:
            _WORKSPACES[key] = None
    return _WORKSPACES[key]


def libraries_of(directory: Path) -> tuple[App, ...]:
    """The workspace libraries the app in ``directory`` depends on (none outside a workspace)."""
    workspace = _workspace_of(directory)
    if workspace is None:
        return ()
    here = os.path.abspath(directory)
    packages = workspace.apps
    me = next((a for a in packages if os.path.abspath(a.directory) == here), None)
    if me is None:
        return ()
    return _closure(me.path, _direct_dependencies(packages))


def _rebased(facts: CodeFacts, up: str) -> CodeFacts:
    """``facts`` with every file path prefixed by ``up`` (the library seen from the app)."""

    def move(file: str) -> str:
        return posixpath.normpath(posixpath.join(up, file))

    return facts.replace(
        reads=tuple(r.replace(file=move(r.file)) for r in facts.reads),
        loads=(),  # a library's loads run only if the app calls them; its reads do count
        models=tuple(m.replace(file=move(m.file)) for m in facts.models),
        notes=tuple(n.replace(file=move(n.file)) for n in facts.notes),
    )


def app_facts(directory: Path) -> CodeFacts:
    """What the app in ``directory`` reads: its own code, plus the reads of the workspace
    libraries it depends on (their paths relative to the app: ``../../packages/db/x.ts``)."""
    own = package_facts(directory)
    libraries = libraries_of(directory)
    if not libraries:
        return own
    reads = list(own.reads)
    models = list(own.models)
    notes = list(own.notes)
    scanned = own.files_scanned
    for library in libraries:
        up = os.path.relpath(library.directory, directory).replace(os.sep, "/")
        theirs = _rebased(package_facts(library.directory), up)
        reads.extend(theirs.reads)
        models.extend(theirs.models)
        notes.extend(theirs.notes)
        scanned += theirs.files_scanned
    return own.replace(
        reads=tuple(reads), models=tuple(models), notes=tuple(notes), files_scanned=scanned
    )


def forget() -> None:
    """Drop what this process read (tests that change files between runs)."""
    _FACTS.clear()
    _WORKSPACES.clear()
