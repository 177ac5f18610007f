"""Which files of its libraries an app runs: the import graph, followed across packages.

A library is shared code with several entry points: midday's ``@midday/banking`` holds
the bank providers the API calls and the account helpers the dashboard imports.  Charging
every dependant with every read of the library told the dashboard that nothing sets the
API's ``PLAID_SECRET``; giving a read to whichever consumer configures its key hid the
keys an app really reads and nobody set.  Here the code says it: an app runs its own
files and every file reachable from them by imports -- ``import`` / ``export … from`` /
``import("x")`` / ``require("x")`` with a literal (type-only imports run nothing),
relative, ``@/`` / ``~/`` aliases, and workspace packages by name (``@acme/db``,
``@acme/db/client``) -- so a library read counts for an app only when its file is
reached (:func:`reachable`), and a library file no app imports counts for none.  The
imports of tests, scripts and tool configs are not followed (rallly's Playwright
screenshot suite imports ``@rallly/database``; that makes no database read the app's).

A package import resolves as the bundlers and TypeScript find it in a monorepo: the
``package.json`` ``exports`` (a string, conditions, a subpath map with ``./*``
patterns; every condition's target is followed, so ``types`` and ``import`` both
count), else ``source`` / ``module`` / ``main`` / ``types``, else ``src/index.*`` and
``index.*``; a built path (``./dist/index.js``, ``./dist/index.d.ts``) is mapped back to
its source (``src/index.ts``) when the build output is not in the checkout.  A
subpath without ``exports`` is a file of the package (``@acme/ui/button`` ->
``button.tsx`` or ``src/button.tsx``).

Over-approximations, on purpose (a read wrongly left out hides a true finding; one
wrongly kept is the old behaviour): a barrel (``index.ts`` re-exporting every module)
reaches all it re-exports, though the app may use one name; an import whose target
cannot be found makes the whole package reachable (not one whose target is in a hidden
folder, ``./.effect/index.ts``: generated code, which reaches no other file); every
``.vue`` / ``.svelte`` file of a library the app reaches at all is reached (components
are registered by name -- ``unplugin-vue-components``, global registration -- and pages
found by file-system routing plugins, as hoppscotch's self-hosted app takes
``hoppscotch-common``'s, never imported by path); a Python file's reads count for
every app that depends on its package (Python imports are not followed here).  Only
packages of the app's dependency closure are entered
(:func:`envcheck.workspace.apps.libraries_of`), so a package that runs on its own is
never walked into.  Work is linear in files + import edges (each file's edges resolved
once per process, each at most :data:`envcheck.code.files.LINK_CAP`).

What the over-approximation costs is paid back where a key would be reported: a library
read that another app of the run reaches too, and gives a value where it runs, is
configured for the library, not missing from this app
(:func:`envcheck.workspace.sources.set_where_the_library_runs`).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from envcheck.code import CodeFacts
    from envcheck.workspace.discover import App

__all__ = ["ALL", "Reach", "entry_targets", "reachable"]

ALL = None
"""The whole package is reached (an import whose target is not found)."""
Reach = dict[str, frozenset[str] | None]
"""package path -> its files the app runs (package-relative), or :data:`ALL`."""

_BUILT_DIRS = ("dist/", "build/", "lib/", "out/", "esm/", "cjs/")
_DECLARATION = (".d.ts", ".d.mts", ".d.cts")
_ENTRY_FIELDS = ("source", "module", "main", "types", "typings")
_DEFAULT_ENTRIES = ("src/index", "index")
_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_NO_TARGET: tuple[tuple[str, str | None], ...] = ()
_COMPONENTS = (".vue", ".svelte")


def _leaves(target: Any) -> list[str]:
    """Every path a conditions object (or array) can resolve to, in order."""
    if isinstance(target, str):
        return [target]
    if isinstance(target, list):
        return [leaf for item in target for leaf in _leaves(item)]
    if isinstance(target, dict):
        return [leaf for value in target.values() for leaf in _leaves(value)]
    return []  # null: the subpath is blocked


def entry_targets(package_json: Mapping[str, Any], sub: str) -> list[str]:
    """The paths (as ``package.json`` writes them) that importing the package, or its
    subpath ``sub`` (``""`` for the package itself), loads; [] when it says nothing.

    ``exports`` first, as Node and the bundlers read it: a string or a conditions object
    is the package's ``.``; a subpath map names each subpath, ``*`` patterns (the longest
    matching prefix wins) included.  Without ``exports`` the entry fields for the
    package, and the subpath itself as a file of the package.
    """
    key = "./" + sub if sub else "."
    exports = package_json.get("exports")
    if isinstance(exports, (str, list)) or (
        isinstance(exports, dict) and not any(str(k).startswith(".") for k in exports)
    ):
        exports = {".": exports}
    if isinstance(exports, dict):
        if key in exports:
            return _leaves(exports[key])
        best: tuple[str, str, Any] | None = None
        for pattern, target in exports.items():
            if not isinstance(pattern, str) or pattern.count("*") != 1:
                continue
            head, tail = pattern.split("*")
            fits = key.startswith(head) and key.endswith(tail)
            if fits and len(key) >= len(head) + len(tail):
                if best is None or len(head) > len(best[0]):
                    best = (head, tail, target)
        if best is not None:
            head, tail, target = best
            star = key[len(head) : len(key) - len(tail)]
            return [leaf.replace("*", star) for leaf in _leaves(target)]
        return []
    if sub:
        return [sub]
    return [v for field in _ENTRY_FIELDS if isinstance(v := package_json.get(field), str)]


def _source_candidates(target: str) -> list[str]:
    """``target`` (package-relative) and where its source is when it names build output."""
    path = posixpath.normpath(target.replace("\\", "/"))
    if path.startswith("../") or path == ".." or path.startswith("/"):
        return []  # outside the package: not followed
    out = [path, *(path[: -len(end)] for end in _DECLARATION if path.endswith(end))]
    for built in _BUILT_DIRS:
        for candidate in list(out):
            if candidate.startswith(built):
                rest = candidate[len(built) :]
                out.extend(("src/" + rest, rest))
    return list(dict.fromkeys(out))


def _generated(target: str) -> bool:
    """``target`` lies in a hidden folder (typebot's ``"./effect": "./.effect/index.ts"``):
    code a generator writes there, absent from the checkout - the import names it exactly,
    so it reaches that code and no other file of the package."""
    return any(part.startswith(".") and part not in (".", "..") for part in target.split("/")[:-1])


def _facts_files(facts: CodeFacts) -> set[str]:
    """The package's files that hold a fact (only these matter to the walk)."""
    files = {file for file, _ in facts.links}
    files.update(r.file for r in facts.reads)
    files.update(m.file for m in facts.models)
    files.update(n.file for n in facts.notes)
    files.update(load.file for load in facts.loads)
    return files


class _Package:
    """One package as the walk sees it: its folder, ``package.json``, files and links."""

    __slots__ = ("app", "package_json", "files", "links", "entries", "components")

    def __init__(self, app: App, package_json: Mapping[str, Any], facts: CodeFacts) -> None:
        self.app = app
        self.package_json = package_json
        self.files = _facts_files(facts)
        self.links: dict[str, tuple[str, ...]] = dict(facts.links)
        self.entries: dict[str, tuple[str, ...] | None] = {}  # subpath -> files | ALL
        self.components = sorted(f for f in self.files if f.endswith(_COMPONENTS))

    def find(self, base: str) -> str | None:
        """The file ``base`` (package-relative, maybe without suffix) names, as bundlers
        find it (:func:`envcheck.code.sides._resolve`)."""
        from envcheck.code.sides import _resolve  # the one module resolution of the code layer

        return _resolve("", "./" + base, self.files)

    def on_disk(self, base: str) -> bool:
        """A file ``base`` names exists, though it holds no fact (nothing to reach from it)."""
        folder = self.app.directory
        return any(os.path.isfile(folder / (base + s)) for s in ("", *_SUFFIXES)) or any(
            os.path.isfile(folder / base / ("index" + s)) for s in _SUFFIXES
        )

    def entry(self, sub: str) -> tuple[str, ...] | None:
        """The files ``import "<name>/<sub>"`` loads; () when they hold no fact; ALL when
        no target is found (memoized)."""
        if sub in self.entries:
            return self.entries[sub]
        targets = entry_targets(self.package_json, sub)
        if not sub and not targets:
            targets = list(_DEFAULT_ENTRIES)
        elif sub and "exports" not in self.package_json:
            targets.append("src/" + sub)
        candidates = [c for t in targets for c in _source_candidates(t)]
        found = [f for c in candidates if (f := self.find(c)) is not None]
        result: tuple[str, ...] | None
        if found:
            result = tuple(dict.fromkeys(found))
        elif any(self.on_disk(c) for c in candidates) or (
            candidates and all(_generated(c) for c in candidates)
        ):
            result = ()
        else:
            result = ALL
        self.entries[sub] = result
        return result


def _split(spec: str) -> tuple[str, str]:
    """(package name, subpath) of a bare specifier: ``@a/b/c/d`` -> (``@a/b``, ``c/d``)."""
    parts = spec.split("/")
    size = 2 if spec.startswith("@") else 1
    return "/".join(parts[:size]), "/".join(parts[size:])


class _Graph:
    """The packages an app may reach, and the targets of each of their files' links."""

    def __init__(self, packages: Iterable[_Package]) -> None:
        self.by_path = {p.app.path: p for p in packages}
        self.by_name = {p.app.name: p for p in self.by_path.values() if p.app.name}
        self.edges: dict[tuple[str, str], tuple[tuple[str, str | None], ...]] = {}

    def targets(self, package: _Package, rel: str) -> tuple[tuple[str, str | None], ...]:
        """(package path, file | None = the whole package) for each link of ``rel``; none
        for a test's, a script's or a tool config's (:func:`envcheck.code.sides.context_of`):
        what only they import is no part of how the app runs."""
        from envcheck.code.sides import context_of

        node = (package.app.path, rel)
        found = self.edges.get(node)
        if found is None:
            out: list[tuple[str, str | None]] = []
            links = package.links.get(rel, ()) if context_of(rel) == "app" else ()
            for spec in links:
                out.extend(self._resolve(package, rel, spec))
            found = tuple(out) or _NO_TARGET
            self.edges[node] = found
        return found

    def _resolve(self, package: _Package, rel: str, spec: str) -> list[tuple[str, str | None]]:
        path = package.app.path
        if spec.startswith(("@/", "~/")):
            from envcheck.code.sides import _resolve

            hit = _resolve(rel, spec, package.files)
            return [] if hit is None else [(path, hit)]
        if spec.startswith(".") or spec.startswith("/"):
            if spec.startswith("/"):
                return []
            base = posixpath.normpath(posixpath.join(posixpath.dirname(rel), spec))
            if base == ".." or base.startswith("../"):
                return self._outside(path, base)
            hit = package.find(base)
            return [] if hit is None else [(path, hit)]
        name, sub = _split(spec)
        target = self.by_name.get(name)
        if target is None:
            return []  # not a package of the closure: node_modules, or an app run on its own
        files = target.entry(sub)
        if files is ALL:
            return [(target.app.path, None)]
        # "" = the package is entered through a file without facts: its components count
        return [(target.app.path, f) for f in files] or [(target.app.path, "")]

    def _outside(self, path: str, base: str) -> list[tuple[str, str | None]]:
        """A relative import leaving its package (``../../packages/db/src/x``)."""
        where = posixpath.normpath(posixpath.join(path, base))
        for other_path, other in self.by_path.items():
            if other_path != "." and where.startswith(other_path + "/"):
                hit = other.find(where[len(other_path) + 1 :])
                return [] if hit is None else [(other_path, hit)]
        return []


def reachable(
    me: App,
    libraries: Sequence[App],
    facts_of: Callable[[App], CodeFacts],
    package_json_of: Callable[[App], Mapping[str, Any]],
    *,
    guessed: bool = True,
) -> Reach:
    """The files of each package the app ``me`` runs: ``me`` whole, and the files of
    ``libraries`` (its dependency closure) its imports reach, transitively.

    A library absent from the answer is depended on but never imported; :data:`ALL` for
    one whose import could not be resolved to a file.  ``guessed=False``: only what the
    imports name, without the over-approximations (every component of a library reached,
    a whole package for an import whose target is not found).
    """
    mine = _Package(me, package_json_of(me), facts_of(me))
    graph = _Graph(
        [mine, *(_Package(lib, package_json_of(lib), facts_of(lib)) for lib in libraries)]
    )
    reach: dict[str, set[str] | None] = {me.path: None}
    stack = [(mine, rel) for rel in mine.links]
    while stack:
        package, rel = stack.pop()
        for path, file in graph.targets(package, rel):
            if path == me.path:
                continue  # the app's own files are all reached already
            if path in reach and reach[path] is ALL:
                continue
            target = graph.by_path[path]
            if file is None:
                if not guessed:
                    continue
                reach[path] = ALL
                stack.extend((target, r) for r in target.links)
                continue
            held = reach.get(path)
            if held is None:  # first reached: its components are registered by name
                held = reach[path] = set()
                for component in target.components if guessed else ():
                    held.add(component)
                    stack.append((target, component))
            if file and file not in held:
                held.add(file)
                stack.append((target, file))
    return {path: None if files is None else frozenset(files) for path, files in reach.items()}
