"""Which packages of a workspace are apps, and the code facts each app is checked with.

A workspace declaration lists *packages*; not all of them run.  The rule
(issue #25), decided here and nowhere else:

* a package in a test, script or dev-tool folder (``tools/compare-models``,
  ``packages/e2e_tests``: :func:`envcheck.code.sides.context_of` of its path, the
  rule that makes its reads no requirement of the app) is a **tool**: not part of
  running the app, never checked as one, even with a template of its own;
* a package another workspace package depends on (package.json
  ``dependencies`` / ``devDependencies`` / ``peerDependencies`` naming its
  ``name``, under any version spec, ``workspace:*`` included) is a
  **library** -- even with a template or an ``.env`` of its own (openstatus'
  ``packages/db/.env.example`` lists what the importing app must set) -- because a
  library never starts with an environment of its own: its reads count for the
  apps that run its code; unless it runs on its own (:func:`runs_on_its_own`: a
  start script that serves, ``next dev``, ``nest start``, ``bun run --hot
  src/index.ts``; an ``envcheck.toml``): such a
  package is started, not imported, and is judged as if nothing depended on it;
* else a package with env files of its own (``.env*``, templates included) is an
  **app**: someone configures it;
* else a package whose code reads env is an **app** (a t3 app without a
  template);
* else it is nothing to check (a docs site, a config package).

``check`` and its kin run the apps only (:func:`checked_apps`); ``lint`` and ``guard``
still read every package's env files (a library's committed ``.env`` leaks as any).

A library read counts for an app only when the app's imports reach the file
(:mod:`envcheck.workspace.reach`, :func:`app_facts`): midday's dashboard and API
depend on the same ``@midday/banking`` and run different parts of it.  A package that
runs on its own keeps its reads to itself: an app that depends on it (midday's
dashboard imports ``@midday/api`` for the tRPC router's *types*) is never charged
them, nor those of the libraries behind it.  The root's own project (path ``.``) is
always an app.  The code of each
package is read once per process (:func:`package_facts`); a forked worker
of :mod:`envcheck.fanout.pool` inherits what the parent read.  Nothing of
the checkout is run or imported: :func:`envcheck.code.scan` parses.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import FrozenRecord
from envcheck.workspace.markers import has_own_env_files

if TYPE_CHECKING:
    from envcheck.code import CodeFacts, EnvRead
    from envcheck.workspace.discover import App, Workspace

__all__ = [
    "NOT_CHECKED",
    "Package",
    "app_facts",
    "checked_apps",
    "classify",
    "libraries_by_package",
    "package_at",
    "package_facts",
    "runs_on_its_own",
    "workspace_of_run",
]

_DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies")
NOT_CHECKED = frozenset({"library", "tool"})
"""The kinds of package ``check`` never runs as an app (:func:`classify`)."""
_FACTS: dict[str, CodeFacts] = {}  # absolute package folder -> its facts, package-relative
_WORKSPACES: dict[str, Workspace | None] = {}  # absolute root -> its discovery


class Package(FrozenRecord):
    """One workspace package as this module sees it: ``kind`` is ``app``, ``library``,
    ``tool`` or ``none`` (nothing to check); ``libraries`` are the workspace packages it depends on
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

        found = scan(Path(key), root=Path(key), cache_file=lambda: _cache_file(key))
        _FACTS[key] = found
    return found


def remember_facts(directory: Path, facts: CodeFacts) -> None:
    """Keep ``facts`` as the package folder's (read by a worker of the workspace fan-out,
    which reads every folder once, before the apps are checked: envcheck.fanout.run)."""
    _FACTS[os.path.abspath(directory)] = facts


def cached_facts(directory: Path) -> CodeFacts | None:
    """The package folder's facts if known without parsing (memoized, or whole in its
    facts cache: :func:`envcheck.code.cached_scan`), else None: the fan-out sends only
    those folders to a worker pool."""
    key = os.path.abspath(directory)
    found = _FACTS.get(key)
    if found is None:
        from envcheck.code import cached_scan

        found = cached_scan(Path(key), root=Path(key), cache_file=lambda: _cache_file(key))
        if found is not None:
            _FACTS[key] = found
    return found


def _cache_file(package: str) -> Path:
    """One facts-cache file per package folder (named by a hash of its path).

    The apps of a workspace run are scanned in parallel worker processes; one shared
    file would be read whole by each and rewritten by each, the last writer dropping
    the others' entries, so a monorepo would never be warm.
    """
    from envcheck.code.cache import CACHE_FILE, blake2b_hasher, default_path

    digest = blake2b_hasher(package.encode("utf-8", "surrogateescape"), 10).hexdigest()
    stem, _, suffix = CACHE_FILE.rpartition(".")
    return default_path().with_name(f"{stem}-{digest}.{suffix}")


# A start script running one of these starts a server or an app framework: the package is
# run, not imported.  program -> the sub-commands that serve ("" = no sub-command: bare
# ``vite`` is its dev server); None = any call.  Not here: build and watch tools (``tsc
# -w``, ``tsup --watch``, ``vite build --watch``) and previewers of a library's own parts
# (``email dev``, ``storybook dev``), which leave the package a library.
_SERVERS: dict[str, frozenset[str] | None] = {
    "next": frozenset({"dev", "start"}),
    "vite": frozenset({"", "dev", "serve", "preview"}),
    "astro": frozenset({"dev", "start", "preview"}),
    "nuxt": frozenset({"dev", "start", "preview"}),
    "nuxi": frozenset({"dev", "start", "preview"}),
    "remix": frozenset({"dev", "vite:dev"}),
    "remix-serve": None,
    "react-router": frozenset({"dev"}),
    "nest": frozenset({"start"}),
    "wrangler": frozenset({"dev"}),
    "trigger": frozenset({"dev"}),  # trigger.dev runs the package's tasks in its dev worker
    "expo": frozenset({"start"}),
    "react-scripts": frozenset({"start"}),
    "ng": frozenset({"serve"}),
    "vue-cli-service": frozenset({"serve"}),
    "webpack": frozenset({"serve"}),
    "webpack-dev-server": None,
    "uvicorn": None,
    "gunicorn": None,
    "hypercorn": None,
    "flask": frozenset({"run"}),
    "fastapi": frozenset({"dev", "run"}),
}
# Runtimes that start a program when given its entry file (``tsx watch src/index.ts``).
_RUNTIMES = frozenset(
    {"node", "nodemon", "tsx", "ts-node", "ts-node-dev", "node-dev", "pm2", "bun", "deno"}
)
_ENTRY_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")
_RUN_FILES = ("envcheck.toml",)
_EVIDENCE: dict[str, bool] = {}  # absolute package folder -> runs on its own
_CLOSURES: dict[str, dict[str, tuple[App, ...]]] = {}  # absolute root -> package -> libraries
_BY_FOLDER: dict[str, dict[str, App]] = {}  # absolute root -> absolute package folder -> package
# absolute root -> (the discovery asked about, package -> its direct libraries)
_DIRECT: dict[str, tuple[Workspace, dict[str, list[App]]]] = {}


def _serves(program: str, args: Sequence[str]) -> bool:
    """``program args`` (one part of a script) starts a server, a framework or an entry file."""
    if program in _RUNTIMES:
        # Not a file of the package's scripts or tools (typebot's ``@typebot.io/prisma``:
        # ``"dev": "tsx scripts/studio.ts"`` opens Prisma Studio): a dev tool of the
        # library, which the apps importing it still run as theirs.
        from envcheck.code.sides import context_of

        return any(
            not a.startswith("-") and a.endswith(_ENTRY_SUFFIXES) and context_of(a) == "app"
            for a in args
        )
    if program in ("python", "python3"):  # python manage.py runserver, python -m uvicorn
        return "runserver" in args or any(
            a == "-m" and b in _SERVERS for a, b in zip(args, args[1:], strict=False)
        )
    if program not in _SERVERS:
        return False
    wanted = _SERVERS[program]
    first = next((a for a in args if not a.startswith("-")), "")
    return wanted is None or first in wanted


def starts_a_server(directory: Path) -> bool:
    """A start script of the package's package.json runs a server or an app framework."""
    from envcheck.sources.detect import _START_SCRIPTS  # the scripts that start a package
    from envcheck.sources.scripts import calls

    scripts = _package_json(directory).get("scripts")
    if not isinstance(scripts, dict):
        return False
    return any(
        _serves(program, args)
        for name in _START_SCRIPTS
        if isinstance(command := scripts.get(name), str)
        for program, args in calls(command)
    )


def runs_on_its_own(directory: Path) -> bool:
    """A start script that serves, or an ``envcheck.toml`` of its own: the package is run
    (or described) as an app, so its reads are its own even when another app depends on it.

    A template alone is not enough here: openstatus' ``packages/db`` and
    ``packages/notifications/*`` ship an ``.env.example`` listing what the app that
    imports them must set; their reads stay the importing apps' (the survey lost ten
    true findings per run when a template stopped them).  Nor a ``Dockerfile``:
    openstatus' ``packages/db`` builds a database image beside the library every app
    imports (taking it for an app cut the library's reads from all of them).  Memoized
    per folder.
    """
    key = os.path.abspath(directory)
    found = _EVIDENCE.get(key)
    if found is None:
        found = any((directory / name).is_file() for name in _RUN_FILES) or starts_a_server(
            directory
        )
        _EVIDENCE[key] = found
    return found


def _package_json(directory: Path) -> dict[str, Any]:
    from envcheck.workspace.discover import package_json  # loaded: a workspace was discovered

    return package_json(directory, directory) or {}


def _dependency_names(directory: Path) -> set[str]:
    data = _package_json(directory)
    names: set[str] = set()
    for field in _DEPENDENCY_FIELDS:
        section = data.get(field)
        if isinstance(section, dict):
            names.update(k for k in section if isinstance(k, str))
    return names


def _direct_dependencies(workspace: Workspace) -> dict[str, list[App]]:
    """package path -> the workspace packages its package.json depends on.

    Memoized for the discovery ``workspace`` (a run at a root of 200 apps asked three
    times, each reading and parsing every package.json again); a new discovery, which
    every run makes, reads them again.
    """
    key = os.path.abspath(workspace.root)
    known = _DIRECT.get(key)
    if known is not None and known[0] is workspace:
        return known[1]
    packages = workspace.apps
    by_name = {a.name: a for a in packages}
    found = {
        a.path: [by_name[n] for n in sorted(_dependency_names(a.directory)) if n in by_name]
        for a in packages
    }
    _DIRECT[key] = (workspace, found)
    return found


def _closure(start: str, direct: dict[str, list[App]]) -> tuple[App, ...]:
    """The libraries reachable from ``start`` through dependencies (cycles are cut).

    The walk stops at a package that runs on its own: neither its reads nor those of
    the libraries behind it are the dependant's (they are that app's).
    """
    from envcheck.workspace.discover import ROOT_APP  # loaded: a workspace was discovered

    seen: dict[str, App] = {}
    stack = list(reversed(direct.get(start, [])))
    while stack:
        lib = stack.pop()
        if lib.path in seen or lib.path in (start, ROOT_APP):
            continue
        if runs_on_its_own(lib.directory):
            continue
        seen[lib.path] = lib
        stack.extend(reversed(direct.get(lib.path, [])))
    return tuple(seen.values())


def classify(workspace: Workspace, *, code: bool = True) -> list[Package]:
    """Each package of ``workspace``: app, library, tool or nothing, with its library
    dependencies (the rule of this module's docstring).

    ``code=False`` (``--no-code``): a package is not asked whether its code reads env, so
    one that is neither configured nor depended on counts as an app, as before issue #25.
    """
    from envcheck.code.sides import context_of
    from envcheck.workspace.discover import ROOT_APP

    packages = workspace.apps
    direct = _direct_dependencies(workspace)
    depended_on = {lib.path for libs in direct.values() for lib in libs}
    out: list[Package] = []
    for app in packages:
        if app.path == ROOT_APP:
            kind = "app"
        elif context_of(app.path + "/package.json") != "app":
            kind = "tool"
        elif app.path in depended_on and not runs_on_its_own(app.directory):
            kind = "library"
        elif has_own_env_files(app.directory):
            kind = "app"
        elif not code or package_facts(app.directory).reads:
            kind = "app"
        else:
            kind = "none"
        out.append(Package(app, kind, _closure(app.path, direct)))
    return out


def checked_apps(
    workspace: Workspace, chosen: Sequence[App], *, code: bool = True
) -> tuple[App, ...]:
    """The packages of ``chosen`` to check: all but the libraries and the tools.

    A package that is nothing to check (no env files, no reads, no dependents) stays: its
    run says "nothing checked", which is the truth, and a root template no longer lands
    on it (:mod:`envcheck.workspace.context`).  ``lint`` and ``guard`` do not ask: every
    package's env files are theirs to read.
    """
    _WORKSPACES[os.path.abspath(workspace.root)] = workspace  # the workers reuse it
    kinds = {p.app.path: p.kind for p in classify(workspace, code=code)}
    return tuple(a for a in chosen if kinds.get(a.path, "app") not in NOT_CHECKED)


def _discovered(root: Path) -> Workspace | None:
    """The workspace rooted at ``root``, None if it is none (memoized per root; a
    declaration that cannot be read is reported by the run, and is none here)."""
    key = os.path.abspath(root)
    if key not in _WORKSPACES:
        from envcheck.workspace import markers

        kind = markers.workspace_kind(root)
        _WORKSPACES[key] = None if kind is None else _discover(root, kind)
    return _WORKSPACES[key]


def _discover(root: Path, kind: str) -> Workspace | None:
    """:func:`envcheck.workspace.discover.discover`, None for a declaration it cannot read
    (imported here: a single app's run has no workspace to discover)."""
    from envcheck.workspace.discover import WorkspaceError, discover

    try:
        return discover(root, kind)
    except WorkspaceError:
        return None


def workspace_of_run(directory: Path) -> Workspace | None:
    """The workspace of the running workspace run (memoized per root), else None.

    Only a run started at the root knows its workspace: a run inside an app does not
    look at the folders above it (outside the project root, which only trusted input
    may reach), so there a library's reads are not added.
    """
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    return None if root is None else _discovered(root)


def libraries_of(directory: Path) -> tuple[App, ...]:
    """The workspace libraries the app in ``directory`` depends on (none outside a workspace)."""
    workspace = workspace_of_run(directory)
    if workspace is None:
        return ()
    me = package_at(workspace, directory)
    if me is None:
        return ()
    return _closures(workspace)[me.path]


def package_at(workspace: Workspace, directory: Path) -> App | None:
    """The package of ``workspace`` in ``directory``, if any (one dictionary look-up: a
    run at a root of 200 apps asks once per app, and a scan of the apps for each made the
    run quadratic)."""
    key = os.path.abspath(workspace.root)
    found = _BY_FOLDER.get(key)
    if found is None:
        found = {}
        for app in workspace.apps:
            found.setdefault(os.path.abspath(app.directory), app)  # the first, as before
        _BY_FOLDER[key] = found
    return found.get(os.path.abspath(directory))


def libraries_by_package(workspace: Workspace) -> dict[str, tuple[App, ...]]:
    """package path -> the workspace libraries it depends on, directly or through another
    (:attr:`Package.libraries`, without classifying every package again)."""
    return _closures(workspace)


def _closures(workspace: Workspace) -> dict[str, tuple[App, ...]]:
    """package path -> its libraries (:func:`_closure`), for every package (memoized)."""
    key = os.path.abspath(workspace.root)
    found = _CLOSURES.get(key)
    if found is None:
        direct = _direct_dependencies(workspace)
        found = {a.path: _closure(a.path, direct) for a in workspace.apps}
        _CLOSURES[key] = found
    return found


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
    """What the app in ``directory`` reads: its own code, plus the reads of the library
    files its imports reach (:func:`envcheck.workspace.reach.reachable`; their paths
    relative to the app: ``../../packages/db/x.ts``).

    Why not give a library read to the consumer that configures its key (tried before
    this): openstatus' ``apps/server`` runs ``@openstatus/db`` without ``DATABASE_URL``
    while the dashboard sets it, and the server was told nothing.  On the survey that
    rule, over reachability, hid 7 true findings for the 18 false ones it removed.
    """
    own = package_facts(directory)
    workspace = workspace_of_run(directory)
    if workspace is None:
        return _without_other_apps(own, directory)
    me = package_at(workspace, directory)
    if me is None:
        return own
    libraries = _closures(workspace)[me.path]
    if not libraries:
        return own
    from envcheck.workspace.reach import ALL, reachable

    reach = reachable(
        me,
        libraries,
        lambda package: package_facts(package.directory),
        lambda package: _package_json(package.directory),
    )
    reads = list(own.reads)
    models = list(own.models)
    notes = list(own.notes)
    scanned = own.files_scanned
    for library in libraries:
        facts = package_facts(library.directory)
        scanned += facts.files_scanned
        files = reach.get(library.path, frozenset())
        if files is not ALL:
            facts = _only(facts, files)
        up = os.path.relpath(library.directory, directory).replace(os.sep, "/")
        theirs = _rebased(facts, up)
        reads.extend(theirs.reads)
        models.extend(theirs.models)
        notes.extend(theirs.notes)
    if any(read.helper is not None for read in reads):
        reads = _settled(reads, libraries)
    return own.replace(
        reads=tuple(reads), models=tuple(models), notes=tuple(notes), files_scanned=scanned
    )


def _settled(reads: list[EnvRead], libraries: Sequence[App]) -> list[EnvRead]:
    """The schema reads whose validator is a call of a function another package exports
    (:attr:`envcheck.code.facts.EnvRead.helper`: homarr's ``DEMO_MODE:
    createBooleanSchema(false)`` imported from ``@homarr/core/infrastructure/env``), looked
    up in that package when it is one of the app's ``libraries``
    (:mod:`envcheck.code.schema_helpers`); a package that is none (``node_modules``) leaves
    the read as it was."""
    from envcheck.code.schema_helpers import package_name, settle

    by_name = {library.name: library for library in libraries if library.name}
    settled: list[EnvRead] = []
    for read in reads:
        library = None if read.helper is None else by_name.get(package_name(read.helper[0]))
        if library is not None:
            read = settle(read, package_facts(library.directory).schema_helpers)
        settled.append(read)
    return settled


def _only(facts: CodeFacts, files: frozenset[str]) -> CodeFacts:
    """``facts`` of the files an app reaches only; a Python file's count whatever the
    imports (they are not followed: :mod:`envcheck.workspace.reach`)."""
    return _kept(facts, lambda file: file in files or file.endswith(".py"))


def _kept(facts: CodeFacts, keep: Callable[[str], bool]) -> CodeFacts:
    """``facts`` of the files ``keep`` says yes to (package-relative paths)."""
    return facts.replace(
        reads=tuple(r for r in facts.reads if keep(r.file)),
        loads=tuple(load for load in facts.loads if keep(load.file)),
        models=tuple(m for m in facts.models if keep(m.file)),
        notes=tuple(n for n in facts.notes if keep(n.file)),
    )


def _without_other_apps(facts: CodeFacts, directory: Path) -> CodeFacts:
    """The root's own facts in the workspace run started there: less the files of the
    other apps the run checks, which are theirs.

    The root's code is read as one package, folders of other packages included.
    skyvern's root is a Python app and ``skyvern-frontend/`` a Vite app checked on its
    own (:func:`envcheck.workspace.markers.undeclared_apps`): with the frontend's
    ``.env`` set up, the root was still told that nothing sets the frontend's
    ``VITE_API_BASE_URL``, a file the root's loader never reads.  The *apps* are taken
    out (:func:`classify`), and the libraries the root does not depend on: their reads
    count for the apps that import them (OpenCut's root runs only ``turbo run dev``; its
    ``packages/auth`` is ``apps/web``'s, configured by ``apps/web/.env.local``), while a
    library the root imports keeps counting for it.  Unchanged anywhere but at a workspace
    root (the run's discovery, remembered by :func:`checked_apps`; else discovered here
    once: ``init`` drafts the root so too).
    """
    workspace = _discovered(directory)
    if workspace is None:
        return facts
    from envcheck.workspace.discover import ROOT_APP  # loaded: a workspace was discovered

    if not any(a.path == ROOT_APP for a in workspace.apps):
        return facts
    mine = {library.path for library in _closures(workspace)[ROOT_APP]}
    theirs = tuple(
        package.app.path + "/"
        for package in classify(workspace, code=False)  # a package with reads is an app
        if package.app.path != ROOT_APP
        and (package.kind == "app" or package.kind == "library" and package.app.path not in mine)
    )
    if not theirs:
        return facts
    return _kept(facts, lambda file: not file.startswith(theirs))


def forget() -> None:
    """Drop what this process read (tests that change files between runs)."""
    _FACTS.clear()
    _WORKSPACES.clear()
    _EVIDENCE.clear()
    _CLOSURES.clear()
    _BY_FOLDER.clear()
    _DIRECT.clear()
