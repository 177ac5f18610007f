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
``Deno.env.get("X")``, ``Bun.env.X``; ``os.environ["X"]``,
``os.environ.get("X"[, d])``, ``os.getenv("X"[, d])`` (also via ``from os
import environ, getenv``), django-environ ``env("X")`` / ``env.str("X",
default=...)`` / ``env.db()`` with ``env = environ.Env(...)``; the keys of a
t3-env ``createEnv({ server, client })`` (its ``runtimeEnv`` reads are the
schema's, not counted again), of envalid ``cleanEnv(process.env, {...})``
and of ``z.object({...}).parse(process.env)``; SvelteKit ``import { X } from
'$env/static/private'`` and ``env.X`` from ``$env/dynamic/*``.  ``kind``:
*optional* with a default (``?? "x"``, ``|| "x"``, ``.get("X", d)``,
``.optional()``, ``.default()``, ``.prefault()``, a local helper wrapping one,
envalid ``default``) or when the code copes without the key: the read is only
tested (``if (process.env.X)``, ``=== "1"``, ``Boolean(...)``, ``"X" in
os.environ``), optionally chained (``process.env.X?.trim()``), stored in a
``const`` whose first use is such a test (``const k = process.env.X; if (!k)
return``), or made on a branch only taken when the key is set (``X ? X.trim() :
"/"``, after ``if (!X) return``, ``os.environ["X"] if "X" in os.environ``), or
tested elsewhere in its module without failing (a later statement, a module
constant such as ``const enabled = !!process.env.X``, another function), or
passed where undefined is by design (:mod:`envcheck.code.optional_options`, a
field written as JSON).  A test that throws or exits when the key is missing
(``if (!k) throw ...``) makes it *required* when it runs as the module
loads, *feature* inside any other function (the feature fails with its own
message; the app starts).  *dynamic* for a computed name
(``process.env[name]``: ``key`` is None, ``pattern`` what the text fixes); else
*required*.  Each read has a
``context``: a read in a test, e2e suite, story, script or tool config is no
requirement of the app (:func:`envcheck.code.sides.context_of`).

**Loads** (:class:`EnvLoad`): ``dotenv.config()`` / ``config({ path })`` /
``configDotenv`` / ``import "dotenv/config"`` (path a string, an array, a
template over ``NODE_ENV`` -> one path per mode, ``path.resolve(__dirname,
...)``, ``new URL(..., import.meta.url)``, a top-level ``const``),
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
Facts are cached per file by (path, size, mtime) under the user's cache
folder (:mod:`envcheck.code.cache`): facts only, never a value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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


def _fingerprint(walked: Walked, package_json: bytes) -> str | None:
    """Everything the package's facts depend on beyond each file's own facts: which source
    files there are (with the size and time each file's cached facts are keyed by), the
    names at the package's top and its ``package.json`` (the framework).  None when a file
    is an editor's unsaved buffer: nothing about it is kept."""
    from envcheck.code.cache import blake2b_hasher
    from envcheck.code.walk import UNSAVED

    digest = blake2b_hasher(package_json)
    for source in walked.files:
        if source.mtime_ns == UNSAVED:
            return None
        digest.update(f"\0{source.rel}\0{source.size}\0{source.mtime_ns}".encode())
    digest.update("\0".join(["", *sorted(walked.names)]).encode())
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

    walked = walking.walk(package_abs, root_abs, max_files or walking.MAX_FILES)
    if not walked.files:  # a folder of env files only: nothing to parse, cache or classify
        walk_notes = tuple(
            Note(kind, message, prefix + rel, None, None)  # type: ignore[arg-type]
            for kind, message, rel in walked.notes
        )
        return CodeFacts(
            reads=(), loads=(), models=(), notes=walk_notes, files_scanned=0, files_parsed=0,
            files_failed=0, inlined=(),
        )  # fmt: skip
    from envcheck.code.cache import FactsCache, default_path
    from envcheck.code.loads import resolve_load
    from envcheck.code.raw import FileFacts
    from envcheck.code.sides import Framework, classify, context_of, starts_on_its_own
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
    fingerprint = _fingerprint(walked, package_json) if cache is not None else None
    known = None if cache is None else cache.package(package_abs, fingerprint)
    per_file: dict[str, FileFacts] = {}
    parsed = 0
    if known is not None:  # nothing changed: the files with facts, and their sides
        per_file, sides = known
    elif only_cached:
        return None
    else:
        from envcheck.code.files import read_facts  # its patterns only when a file changed

        for source in walked.files:
            facts = None if cache is None else cache.get(source.path, source.size, source.mtime_ns)
            if facts is None:
                facts = read_facts(source)
                parsed += facts.parsed
                if cache is not None:
                    cache.put(source.path, source.size, source.mtime_ns, facts)
            per_file[source.rel] = facts
        sides = classify(per_file, Framework(walked.names, package_json, per_file))
        if cache is not None:
            cache.retain(package_abs, (s.path for s in walked.files))
            cache.put_package(package_abs, fingerprint, walked.files, per_file, sides)
    if cache is not None:
        cache.save()

    notes: list[Note] = []
    reads: list[EnvRead] = []
    loads: list[EnvLoad] = []
    models: list[ModelUse] = []
    inlined: set[str] = set()
    sets: set[str] = set()
    links: list[tuple[str, tuple[str, ...]]] = []
    runs_on_its_own = starts_on_its_own(package_json)  # playwright.config's .env.test
    for rel, facts in per_file.items():
        file = prefix + rel
        if facts.links:
            links.append((file, tuple(facts.links)))
        side = sides[rel]
        context = context_of(rel)
        if rel.startswith("next.config."):
            inlined.update(facts.inlined)
        if context == "app":  # a test's `process.env.X = ...` sets nothing for the app
            sets.update(facts.sets)
        for key, kind, form, api, override, line, col, pattern in facts.reads:
            reads.append(
                EnvRead(key, kind, form, api, override or side, file, line, col, pattern, context)  # type: ignore[arg-type]
            )
        if context not in ("test", "config") or not runs_on_its_own:  # else the runner's
            loads.extend(resolve_load(raw, file, package_rel, root_abs) for raw in facts.loads)
        for provider, model, line, col in facts.models:
            models.append(ModelUse(provider, model, file, line, col))
        for note_kind, message, line_no, col_no in facts.notes:
            notes.append(Note(note_kind, message, file, line_no, col_no))  # type: ignore[arg-type]
    for note_kind, message, rel in walked.notes:
        notes.append(Note(note_kind, message, prefix + rel, None, None))  # type: ignore[arg-type]

    def order(fact: EnvRead | EnvLoad | ModelUse | Note) -> tuple[str, int, int]:
        return (fact.file, fact.line or 0, fact.col or 0)

    return CodeFacts(
        reads=tuple(sorted(reads, key=order)),
        loads=tuple(sorted(loads, key=order)),
        models=tuple(sorted(models, key=order)),
        notes=tuple(sorted(notes, key=order)),
        files_scanned=len(walked.files),
        files_parsed=parsed,
        files_failed=sum(f.failed for f in per_file.values()),
        inlined=tuple(sorted(inlined)),
        links=tuple(sorted(links)),
        sets=tuple(sorted(sets)),
    )
