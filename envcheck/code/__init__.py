"""What an app reads from its environment, read statically from its source code.

API::

    from envcheck.code import scan
    facts = scan(package_dir, root=project_root)     # -> CodeFacts
    facts.reads            # EnvRead: key, kind, form, source, side, file, line, col, pattern,
                           #          context (app / test / script / config)
    facts.loads            # EnvLoad: loader, target, paths (per mode), base, outside, ...
    facts.models           # ModelUse: provider, model, file, line, col
    facts.notes            # Note: kind, message, file, line, col (files skipped or read in part)
    facts.required_keys()  # keys read somewhere with no default
    facts.reads_of("DATABASE_URL")

Every ``file`` is relative to ``root`` (posix).  The source is parsed, never
run or imported: tree-sitter for JS/TS (``.js .jsx .mjs .cjs`` with the
JavaScript grammar, ``.ts .mts .cts`` TypeScript, ``.tsx`` TSX; scripts of
``.astro .svelte .vue``), the stdlib ``ast`` for Python.  The parsers are
imported only when a file reaches them, so importing this package is cheap.

**Reads** (:class:`EnvRead`): ``process.env.X``, ``process.env["X"]``,
``const { A, B = "d" } = process.env``, ``import.meta.env.X``,
``Deno.env.get("X")``, ``Bun.env.X``, a call naming the key of a function of the same
module that reads ``process.env[key]`` (``validateEnv("X")``); ``os.environ["X"]``,
``os.environ.get("X"[, d])``, ``os.getenv("X"[, d])`` (also via ``from os
import environ, getenv``), django-environ ``env("X")`` / ``env.str("X",
default=...)`` / ``env.db()`` with ``env = environ.Env(...)``; the keys of a
t3-env ``createEnv({ server, client })`` (its ``runtimeEnv`` reads are the
schema's, not counted again; a ``runtimeEnv`` a call computes,
``runtimeEnvWithPrefix("REDIS_")``, reads each key under a name the file does not
give: a *dynamic* read whose pattern ends in the key, ``*HOST``), of envalid
``cleanEnv(process.env, {...})`` and of ``z.object({...}).parse(process.env)``;
SvelteKit ``import { X } from '$env/static/private'`` and ``env.X`` from
``$env/dynamic/*``; Wasp's ``env.X`` from ``wasp/server`` and ``wasp/client``.  ``kind``:
*optional* with a default (``?? "x"``, ``|| "x"``, ``.get("X", d)``,
``.optional()``, ``.default()``, ``.prefault()``, a local helper wrapping one or one
another file of the package or a workspace library exports
(:mod:`envcheck.code.schema_helpers`), envalid ``default``; also of the value
converted, ``parseInt(X, 10) || 5``, ``+X || 500``, ``toValidNumber(X) || 8192`` with
the project's own helper) or when the code
copes without the key: the read is only tested (``if (process.env.X)``, ``=== "1"``,
``switch (X)`` with no throwing ``default``, ``Boolean(...)``, ``X?.length > 0``,
``"X" in os.environ``), optionally chained (``process.env.X?.trim()``), stored in a
``const`` whose first use is such a test (``const k = process.env.X; if (!k)
return``), or made on a branch only taken when the key is set (``X ? X.trim() :
"/"``, after ``if (!X) return``, inside ``if (use)`` with ``const use = on &&
process.env.X`` in the block around, ``os.environ["X"] if "X" in os.environ``), or
tested elsewhere in its module without failing (a later statement, a module
constant such as ``const enabled = !!process.env.X``, another function), or
passed where undefined is by design (:mod:`envcheck.code.optional_options`, a
field written as JSON).  A test that throws or exits with a failure when the key is
missing (``if (!k) throw ...``, ``process.exit(1)``; ``process.exit(0)`` is a skip the
code copes with) makes it *required* when it runs as the module
loads, *feature* inside any other function (the feature fails with its own
message; the app starts); *feature* too in one ``case`` of a switch over a configured
provider (``switch (process.env.LLM_PROVIDER) { case "groq": ... }``) that the unset key
does not reach.  *dynamic* for a computed name
(``process.env[name]``: ``key`` is None, ``pattern`` what the text fixes); else
*required*.  Each read has a
``context``: a read in a test, e2e suite, story, script or tool config is no
requirement of the app (:func:`envcheck.code.sides.context_of`), nor is one in a package
that starts as a command-line tool, or of a key the package's build sets (a bundler
``define``, a published library's own version): :mod:`envcheck.code.roles`.

**Loads** (:class:`EnvLoad`): ``dotenv.config()`` / ``config({ path })`` /
``configDotenv`` / ``import "dotenv/config"`` (path a string, an array, a
template over ``NODE_ENV`` -> one path per mode, ``path.resolve(__dirname,
...)``, ``new URL(..., import.meta.url)``, a top-level ``const``, a call of a
function of the project that names the file by ``NODE_ENV``: the load keeps it in
``helper``, the function's table is ``facts.namers``, and the workspace joins the two),
dotenv-flow, ``@next/env`` ``loadEnvConfig(dir)``, Vite ``envDir`` (in
``vite.config.*``) and ``loadEnv(mode, dir)``, NestJS ``envFilePath``,
python-dotenv ``load_dotenv`` / ``dotenv_values`` / ``find_dotenv``,
django-environ ``read_env``.  Also the keys ``next.config.*`` inlines through
its ``env: {...}`` option (``facts.inlined``).  Paths are resolved as the runtime does:
against the file's folder (``__dirname``, ``Path(__file__).parent``) or the
working directory the app starts in, taken as the package folder.  A path
leaving ``root`` is kept with ``outside=True`` and never read here.

**Sides**: see :mod:`envcheck.code.sides`.  **Model literals**: ``model:
"..."`` in ``*.create/stream/parse`` calls of an OpenAI-style SDK,
``openai("gpt-4o")`` of the Vercel AI SDK, ``model="..."`` in Python;
the provider is guessed from the SDK the client comes from.

**Bounds**: the walk never follows links and skips vendored and built
folders (:mod:`envcheck.code.walk`); only files holding an env or SDK
token are parsed (:data:`envcheck.code.files.PREFILTER`); a file over 1 MiB
or minified is skipped with a note; at most 20,000 files per package.
Facts are cached under the user's cache folder (:mod:`envcheck.code.cache`):
per file by (path, size, ``mtime_ns``), and per package whole, under a
fingerprint of every source file's path, size and time, so that a warm run
walks, takes one ``lstat`` of each file and parses, classifies and resolves
nothing; facts only, never a value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from envcheck.code.facts import (
    CLIENT,
    SERVER,
    UNKNOWN,
    CodeFacts,
    EnvLoad,
    EnvRead,
    ModelUse,
    Note,
    Side,
)

if TYPE_CHECKING:
    from envcheck.code.facts import Namer, ReadContext
    from envcheck.code.raw import FileFacts
    from envcheck.code.walk import Walked

__all__ = [
    "CLIENT",
    "SERVER",
    "UNKNOWN",
    "CodeFacts",
    "EnvLoad",
    "EnvRead",
    "ModelUse",
    "Note",
    "Side",
    "cached_scan",
    "scan",
]


def _posix_relative(path: str, root: str) -> str:
    rel = os.path.relpath(path, root).replace(os.sep, "/")
    return "." if rel in ("", ".") else rel


def _fingerprint(walked: Walked, package_json: bytes, package_rel: str, root: str) -> str | None:
    """Everything a package's facts depend on beyond each file's own facts: which source
    files there are, each with the size and time its facts are keyed by, the names at the
    package's top and its ``package.json`` (the framework, the client/server split), and
    where the package lies in the project (the paths of its files and loads).  None when a
    file is an editor's unsaved buffer: nothing about it is kept."""
    from envcheck.code.cache import blake2b_hasher

    if walked.unsaved:
        return None
    digest = blake2b_hasher(package_json)
    digest.update(f"\0{package_rel}\0{root}\0".encode("utf-8", "surrogateescape"))
    walked.feed(digest)
    digest.update("\0".join(["", *sorted(walked.names)]).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def scan(
    package_dir: Path,
    *,
    root: Path,
    use_cache: bool = True,
    cache_file: Path | Callable[[], Path] | None = None,
    max_files: int | None = None,
) -> CodeFacts:
    """The code facts of the package folder ``package_dir`` inside the project ``root``.

    ``cache_file`` overrides the cache's place (tests), or computes it only when
    there is something to cache (a callable); ``max_files`` the
    file cap.  Never raises for anything the checkout holds: unreadable,
    oversized, minified or unparsable files become notes.  Raises
    ``ValueError`` if ``package_dir`` is not inside ``root`` (a caller bug).
    """
    facts = _scan(package_dir, root, use_cache, cache_file, max_files, only_cached=False)
    assert facts is not None  # only_cached=False always reads
    return facts


def cached_scan(
    package_dir: Path,
    *,
    root: Path,
    cache_file: Path | Callable[[], Path] | None = None,
    max_files: int | None = None,
) -> CodeFacts | None:
    """:func:`scan`'s result when the cache holds it whole (no source file changed since),
    else None, having parsed nothing.

    A few milliseconds (a walk and a ``stat`` per file): a caller with many packages
    (the workspace fan-out) takes these at once and spends a worker pool only on
    the packages that must be parsed.
    """
    return _scan(package_dir, root, True, cache_file, max_files, only_cached=True)


def _scan(
    package_dir: Path,
    root: Path,
    use_cache: bool,
    cache_file: Path | Callable[[], Path] | None,
    max_files: int | None,
    *,
    only_cached: bool,
) -> CodeFacts | None:
    from envcheck.code import walk as walking

    root_abs = os.path.abspath(root)
    package_abs = os.path.abspath(package_dir)
    package_rel = _posix_relative(package_abs, root_abs)
    if package_rel == ".." or package_rel.startswith("../"):
        raise ValueError(f"{package_dir} is not inside {root}")
    prefix = "" if package_rel == "." else package_rel + "/"

    from envcheck.sources.checkout import run_memo

    kept = run_memo(_WALKED_FOR_SCAN).pop(package_abs, None)
    walked = kept if isinstance(kept, walking.Walked) else None
    if walked is None:
        walked = walking.walk(package_abs, root_abs, max_files or walking.MAX_FILES)
    if not walked.count:  # a folder of env files only: nothing to parse, cache or classify
        return _with_walk(_NO_FACTS, walked, prefix, 0)
    from envcheck.code.cache import FactsCache, default_path
    from envcheck.sources.checkout import read_bytes

    try:  # through the run's reader: detection read it already, it is not opened again
        package_json = read_bytes(
            Path(package_abs, "package.json"), within=Path(package_abs), cap=walking.FILE_CAP
        )
    except OSError:
        package_json = b""
    cache = (
        FactsCache(cache_file() if callable(cache_file) else (cache_file or default_path()))
        if use_cache
        else None
    )
    fingerprint = None
    if cache is not None:
        fingerprint = _fingerprint(walked, package_json, package_rel, root_abs)
    if cache is not None and fingerprint is not None:
        known = cache.package(package_abs, fingerprint)
        if known is not None:  # nothing changed: not a file is read, classified or resolved
            return _with_walk(known, walked, prefix, 0)
    if only_cached:  # the scan that follows (here or in a forked worker) reuses this walk
        run_memo(_WALKED_FOR_SCAN)[package_abs] = walked
        return None
    from envcheck.code.files import read_facts  # its patterns only when a file changed

    per_file: dict[str, FileFacts] = {}
    parsed = 0
    for source in walked.files:
        facts = None if cache is None else cache.get(source.path, source.size, source.mtime_ns)
        if facts is None:
            facts = read_facts(source)
            parsed += facts.parsed
            if cache is not None:
                cache.put(source.path, source.size, source.mtime_ns, facts)
        per_file[source.rel] = facts
    found = _put_together(per_file, package_json, walked.names, prefix, package_rel, root_abs)
    if cache is not None:
        cache.retain(package_abs, (s.path for s in walked.files))
        cache.put_package(package_abs, fingerprint, found)
        cache.save()
    return _with_walk(found, walked, prefix, parsed)


_WALKED_FOR_SCAN = __name__ + ".walked"
"""The run memo (:func:`envcheck.sources.checkout.run_memo`) of the folders
:func:`cached_scan` walked and found changed, kept for the :func:`scan` the caller runs
next (the workspace fan-out asks the cache first, then scans the misses): one listing
per folder per run, never a listing from an earlier run."""

_NO_FACTS = CodeFacts(
    reads=(), loads=(), models=(), notes=(), files_scanned=0, files_parsed=0, files_failed=0
)


def _order(fact: EnvRead | EnvLoad | ModelUse | Note) -> tuple[str, int, int]:
    return (fact.file, fact.line or 0, fact.col or 0)


def _with_walk(facts: CodeFacts, walked: Walked, prefix: str, parsed: int) -> CodeFacts:
    """``facts`` (as put together, or kept by the cache) with this run's walk: its notes
    (a link out of the project, the file cap) and counts."""
    notes = facts.notes
    if walked.notes:
        found = [
            Note(kind, message, prefix + rel, None, None)  # type: ignore[arg-type]
            for kind, message, rel in walked.notes
        ]
        notes = tuple(sorted((*notes, *found), key=_order))
    return CodeFacts(
        reads=facts.reads,
        loads=facts.loads,
        models=facts.models,
        notes=notes,
        files_scanned=walked.count,
        files_parsed=parsed,
        files_failed=facts.files_failed,
        inlined=facts.inlined,
        links=facts.links,
        sets=facts.sets,
        namers=facts.namers,
        schema_helpers=facts.schema_helpers,
    )


def _whose_reads(
    package_json: bytes,
    walked: Collection[str],
    browser: bool,
    package_rel: str,
    root_abs: str,
) -> Callable[[str | None], ReadContext]:
    """The context of a read of the package's own code by its key
    (:mod:`envcheck.code.roles`): ``script`` for every read of a command-line tool, ``build``
    for a key the package's build sets, else ``app``.  Only files the walk found are read
    (``walked``, package-relative): never one through a link or out of the package."""
    from envcheck.code.roles import BUNDLER_CONFIGS, build_set_keys, command_line_tool, package_of
    from envcheck.code.walk import read_source

    package = package_of(package_json)
    folder = root_abs if package_rel == "." else os.path.join(root_abs, package_rel)

    def read(rel: str) -> bytes:
        if rel not in walked:
            return b""
        try:
            return read_source(os.path.join(folder, rel))
        except OSError:
            return b""

    if command_line_tool(package, browser, read):
        return lambda key: "script"
    configs = [(n, read(n)) for n in sorted(walked) if n.startswith(BUNDLER_CONFIGS)]
    built = build_set_keys(package, configs)
    if not built:
        return lambda key: "app"
    return lambda key: "build" if key in built else "app"


def _put_together(
    per_file: dict[str, FileFacts],
    package_json: bytes,
    names: set[str],
    prefix: str,
    package_rel: str,
    root_abs: str,
) -> CodeFacts:
    """The package's facts from its files' (what the cache keeps under the package's
    fingerprint): each read with its file's side and context, loads resolved, sorted."""
    from envcheck.code.links import selected_only
    from envcheck.code.loads import resolve_load
    from envcheck.code.roles import package_of, script_named_files
    from envcheck.code.schema_helpers import settle_in_package
    from envcheck.code.sides import Framework, classify, package_file_context, starts_on_its_own

    framework = Framework(names, package_json, per_file)
    sides = classify(per_file, framework)
    whose = _whose_reads(package_json, per_file.keys(), framework.browser, package_rel, root_abs)
    notes: list[Note] = []
    reads: list[EnvRead] = []
    loads: list[EnvLoad] = []
    models: list[ModelUse] = []
    inlined: set[str] = set()
    sets: set[str] = set()
    links: list[tuple[str, tuple[str, ...]]] = []
    namers: list[Namer] = []
    runs_on_its_own = starts_on_its_own(package_json)  # playwright.config's .env.test
    chosen = selected_only(per_file)  # a provider a key picks: its reads are its feature's
    package = package_of(package_json)
    started = script_named_files(package)  # run from the package folder
    helpers = frozenset(name for facts in per_file.values() for name in facts.schema_helpers)
    own_name = package.get("name") if isinstance(package.get("name"), str) else None
    files = set(per_file)
    for rel, facts in per_file.items():
        file = prefix + rel
        if facts.links:
            links.append((file, tuple(facts.links)))
        namers.extend((file, name, choices) for name, choices in facts.namers)
        side = sides[rel]
        context = package_file_context(rel)
        if rel.startswith("next.config."):
            inlined.update(facts.inlined)
        if context == "app":  # a test's `process.env.X = ...` sets nothing for the app
            sets.update(facts.sets)
        waiting = {(line, col): (module, name) for line, col, module, name in facts.helper_reads}
        for key, kind, form, api, override, line, col, pattern, rejects, asserted in facts.reads:
            own = context if context != "app" else whose(key)
            where = (override or side, file, line, col, pattern, own)
            helper = waiting.get((line, col))
            read = EnvRead(key, kind, form, api, *where, rejects, asserted, helper)  # type: ignore[arg-type]
            if read.helper is not None:  # createBooleanSchema(false) of another file
                read = settle_in_package(read, rel, per_file, files, helpers, own_name)
            if read.kind == "required" and rel in chosen:
                read = read.replace(kind="feature")
            reads.append(read)
        if context not in ("test", "config") or not runs_on_its_own:  # else the runner's
            loads.extend(
                resolve_load(raw, file, package_rel, root_abs, cwd_known=rel in started)
                for raw in facts.loads
            )
        for provider, model, line, col in facts.models:
            models.append(ModelUse(provider, model, file, line, col))
        for note_kind, message, line_no, col_no in facts.notes:
            notes.append(Note(note_kind, message, file, line_no, col_no))  # type: ignore[arg-type]
    return CodeFacts(
        reads=tuple(sorted(reads, key=_order)),
        loads=tuple(sorted(loads, key=_order)),
        models=tuple(sorted(models, key=_order)),
        notes=tuple(sorted(notes, key=_order)),
        files_scanned=0,
        files_parsed=0,
        files_failed=sum(f.failed for f in per_file.values()),
        inlined=tuple(sorted(inlined)),
        links=tuple(sorted(links)),
        sets=tuple(sorted(sets)),
        namers=tuple(sorted(namers)),
        schema_helpers=tuple(sorted(helpers)),
    )
