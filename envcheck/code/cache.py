"""Extracted facts kept between runs, so a ``predev`` hook re-parses only what changed.

One file, :data:`CACHE_FILE`, in envcheck's cache folder
(``$XDG_CACHE_HOME/envcheck`` or ``~/.cache/envcheck``, the convention of
:func:`envcheck.probe.cache.cache_dir`, repeated here because importing the
probe cache costs a cold start some 30 ms); a workspace run keeps one such
file per package (:func:`envcheck.workspace.apps._cache_file`).  It holds two
tables:

* **files**: each source file's facts (:class:`~envcheck.code.raw.FileFacts`),
  keyed by its absolute path and checked against its size and
  ``st_mtime_ns``: a run after an edit re-reads only the files that changed.
  A file edited in place so that both stay the same within one nanosecond
  tick would keep stale facts until its next change.
* **packages**: each package folder's finished :class:`~envcheck.code.CodeFacts`
  (the walk's own notes aside), under a fingerprint of everything they depend on
  (:func:`envcheck.code._fingerprint`: every source file's path, size and time,
  the names at the package's top, its ``package.json``, the project root).  A
  warm run of an unchanged package (a ``predev`` hook, a monorepo's other apps)
  walks, fingerprints and takes them: nothing is parsed, classified or put
  together again.  Any change to any file is a miss, and the package is put
  together from the files table.

A file written by another envcheck version or under another :data:`VERSION` of the
facts is not read at all.

The file is three lines: a magic line, the versions and the packages table
as one line of JSON, the files table as another.  A warm run parses only
the second (some 20 microseconds a package) and never the files table.
Not ``marshal``, though it parses three times faster: it trusts the counts
it reads, so a five-byte file declaring a list of 2**31 items makes it
allocate gigabytes; a JSON parser allocates no more than its input holds.
Every value taken from the file is type-checked (:meth:`FileFacts.from_row`,
:func:`_facts`): a damaged entry is a miss.

It holds **facts only**: key names, kinds, load paths as the code writes
them, model names, positions, notes.  No value of any kind is extracted in
the first place (a default is reduced to "optional"), so none can be
written.  The file is 0600 in a 0700 folder, written through a temporary
file and ``os.replace``; a file that is not ours, not private, larger than
:data:`_CAP`, not ours in form or of another version is ignored.  Every
failure of the cache is silent: it only ever saves a parse.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from envcheck import __version__
from envcheck.code.facts import (
    CodeFacts,
    EnvLoad,
    EnvRead,
    LoadBase,
    LoadTarget,
    ModelUse,
    Namer,
    Note,
    NoteKind,
    ReadContext,
    ReadForm,
    ReadKind,
    Side,
)
from envcheck.code.raw import (
    FileFacts,
    as_bool,
    as_helper,
    as_int,
    as_opt_int,
    as_opt_str,
    as_pairs,
    as_row,
    as_str,
    as_strings,
    as_tuple,
)
from envcheck.code.walk import UNSAVED

if TYPE_CHECKING:
    from hashlib import blake2b as _Blake2b

__all__ = ["CACHE_FILE", "VERSION", "FactsCache", "blake2b_hasher", "default_path"]

_FILE_FORMAT = "4"
"""The format number in the file names (the facts' own :data:`VERSION` is inside)."""
CACHE_FILE = f"code-facts-v{_FILE_FORMAT}.json"
VERSION = 18
"""Bumped whenever the cached facts change shape or meaning (v2: guarded reads are
optional, window-guarded reads are server-side, config facts ``inlined`` and
``vite_library``; v3: reads tested elsewhere in their module, optional SDK options, JSON
fields and one-branch-optional schemas are optional; v4: ``feature`` reads, Vite options;
v5: ``links``, the modules a file runs, and a package keeps every file that has any;
v7: rows of arrays, a package keeps its finished facts; v8: calls of a module's own env
accessor, ``validateEnv("X")``, are reads; v9: ``rejects_empty``, typed optional options,
switched config sections, ``build`` and ``script`` contexts of roles; v10: entries named by
their flag, provider-selected sections, tables looked up through types, Next.js options;
v11: ``asserted``, the code itself says the key must be there; ``selected`` links, and
the reads of a file only they run are ``feature``; a script's bare relative load path
taken from its own folder when only that stays inside; v12: fields of a settings object
a function returns unused are ``feature``, AI SDK base URLs and the New Relic agent's
config are optional options; v13: reads guarded where they sit: a ``case`` of a switch
over a provider, a switch's subject, ``parseInt(X, 10)``, ``+X``, a project helper's
result, local ``const`` guards, ``X?.length > 0``; v14: an SDK client's key is asserted
only where the client is built as the module loads; v15: a load path naming a function of
the project, ``helper``, and the functions that name an env file by mode, ``namers``;
v16: a module-level ``if (!X) throw`` rejects ``X=`` too; v17: Python's strict reads
assert only as the module loads, a bare ``os`` is the module, ``env.bool("X", False)``
and a constant read from one switch a feature, a read in an ``examples/`` folder is a
script's, a schema key whose validator is a function of another file returning an
optional schema is optional (per file ``schema_helpers`` and ``helper_reads``, a read's
``helper``, a package's ``schema_helpers``), t3-env keys read through a computed
``runtimeEnv`` are dynamic, a successful exit (``process.exit(0)``, ``sys.exit()``) is no
failure, and a non-null ``X!`` is asserted only as the module loads; v18: Wasp's ``env``
from ``wasp/server`` and ``wasp/client`` is read): an older file is ignored, never misread.
The envcheck version is written beside it, so an upgrade starts afresh too."""
_MAGIC = b"envcheck code facts\n"
"""The first line: what the file is (the second holds the versions)."""
_CAP = 64 * 1024 * 1024
_MAX_ENTRIES = 200_000
_MAX_PACKAGES = 10_000
_SIDES: frozenset[str] = frozenset(get_args(Side))
_KINDS: frozenset[str] = frozenset(get_args(ReadKind))
_FORMS: frozenset[str] = frozenset(get_args(ReadForm))
_CONTEXTS: frozenset[str] = frozenset(get_args(ReadContext))
_TARGETS: frozenset[str] = frozenset(get_args(LoadTarget))
_BASES: frozenset[str] = frozenset(get_args(LoadBase))
_NOTE_KINDS: frozenset[str] = frozenset(get_args(NoteKind))


def blake2b_hasher(data: bytes = b"", digest_size: int = 20) -> _Blake2b:
    """hashlib's BLAKE2b from its builtin module: ``import hashlib`` loads OpenSSL first
    (2 ms of every start that reads code), and the cache needs no OpenSSL digest."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the builtin module
        from hashlib import blake2b
    return blake2b(data, digest_size=digest_size)


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "envcheck" / CACHE_FILE


def _read_private(path: Path) -> bytes | None:
    """The file's bytes if it is a regular file of ours that no one else may write, at
    most :data:`_CAP` bytes; else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        owned = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if not stat.S_ISREG(st.st_mode) or not owned or st.st_mode & 0o077:
            return None
        if st.st_size > _CAP:
            return None
        with open(fd, "rb", closefd=False) as handle:
            return handle.read(_CAP + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


class FactsCache:
    """The cache file in memory: ``get`` / ``put`` per file, ``package`` / ``put_package``
    per package folder, ``save`` once per scan."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.packages: dict[str, Any] = {}  # package folder -> [fingerprint, facts row]
        self.dirty = False
        self._entries: dict[str, Any] | None = None  # path -> [size, mtime_ns, FileFacts row]
        self._files_part: bytes | memoryview = b""
        self._load()

    def _load(self) -> None:
        """Versions and the packages table now; the files table when a file is asked for
        (:attr:`entries`): a warm run takes a package's facts whole and never needs it."""
        import json

        data = _read_private(self.path)
        if data is None or not data.startswith(_MAGIC) or len(data) > _CAP:
            return
        end = data.find(b"\n", len(_MAGIC))
        if end < 0:
            return
        try:
            head = json.loads(data[len(_MAGIC) : end])
        except (ValueError, RecursionError):
            return
        if not isinstance(head, list) or len(head) != 3:
            return
        version, made_by, packages = head
        if version == VERSION and made_by == __version__ and isinstance(packages, dict):
            self.packages = packages
            self._files_part = memoryview(data)[end + 1 :]

    @property
    def entries(self) -> dict[str, Any]:
        """The files table, read from the file the first time it is asked for."""
        if self._entries is None:
            import json

            self._entries = {}
            if self._files_part:
                try:
                    files = json.loads(bytes(self._files_part))
                except (ValueError, RecursionError):
                    files = None
                if isinstance(files, dict):
                    self._entries = files
                self._files_part = b""
        return self._entries

    def get(self, path: str, size: int, mtime_ns: int) -> FileFacts | None:
        entry = self.entries.get(path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != [size, mtime_ns]:
            return None
        try:
            return FileFacts.from_row(entry[2])
        except (TypeError, ValueError):
            return None

    def put(self, path: str, size: int, mtime_ns: int, facts: FileFacts) -> None:
        if mtime_ns == UNSAVED:  # an editor's unsaved buffer: not the file, never kept
            return
        self.entries[path] = [size, mtime_ns, facts.to_row()]
        self.dirty = True

    def package(self, folder: str, fingerprint: str) -> CodeFacts | None:
        """The package's finished facts (``files_scanned`` and ``files_parsed`` 0, the
        walk's notes left out) if kept under ``fingerprint``; else None."""
        memo = self.packages.get(folder)
        if not isinstance(memo, list) or len(memo) != 2 or memo[0] != fingerprint:
            return None
        try:
            return _facts(memo[1])
        except (TypeError, ValueError):  # damaged: put together again, and kept whole
            del self.packages[folder]
            self.dirty = True
            return None

    def put_package(self, folder: str, fingerprint: str | None, facts: CodeFacts) -> None:
        """Keep what :meth:`package` gives back (None: nothing may be kept)."""
        if fingerprint is None:
            if self.packages.pop(folder, None) is not None:
                self.dirty = True
            return
        memo = self.packages.get(folder)
        if isinstance(memo, list) and memo[:1] == [fingerprint]:
            return
        if len(self.packages) >= _MAX_PACKAGES:
            self.packages.clear()
        self.packages[folder] = [fingerprint, _row(facts)]
        self.dirty = True

    def retain(self, folder: str, seen: Iterable[str]) -> None:
        """Forget files under ``folder`` that this scan did not see (deleted, now ignored)."""
        keep = set(seen)
        prefix = folder.rstrip(os.sep) + os.sep
        gone = [p for p in self.entries if p.startswith(prefix) and p not in keep]
        for path in gone:
            del self.entries[path]
        if len(self.entries) > _MAX_ENTRIES:
            self._entries = {p: e for p, e in self.entries.items() if p in keep}
            gone.append("")
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        import json
        import tempfile

        with contextlib.suppress(OSError, ValueError):
            folder = self.path.parent
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            tight = (",", ":")  # and ASCII (the default): no raw newline inside a line
            head = json.dumps([VERSION, __version__, self.packages], separators=tight)
            files = json.dumps(self.entries, separators=tight)
            data = b"".join((_MAGIC, head.encode(), b"\n", files.encode()))
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600
                    handle.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self.dirty = False
            _sweep_older_formats(folder)


_CACHE_NAME = re.compile(r"code-facts-v(\d+)(?:-[0-9a-f]{20})?\.(?:json|bin)")
"""The names envcheck gives its facts files, from the first release on: one per format
(``code-facts-v3.json``), later one per package folder (``code-facts-v4-<hash>.json``).
A file of an earlier format is never read again once the format moved on."""
_SWEEP_AT_MOST = 10_000


def _sweep_older_formats(folder: Path) -> None:
    """Delete the facts files of earlier formats in our own cache folder (regular files
    of ours, by their exact names; at most :data:`_SWEEP_AT_MOST` entries looked at per
    save): a user's folder held 1,100 of them, never read again."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for count, entry in enumerate(entries):
            if count >= _SWEEP_AT_MOST:
                break
            name = _CACHE_NAME.fullmatch(entry.name)
            if name is None or name.group(1) == _FILE_FORMAT:
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                owned = not hasattr(os, "getuid") or st.st_uid == os.getuid()
                if stat.S_ISREG(st.st_mode) and owned:
                    os.unlink(entry.path)


def _row(facts: CodeFacts) -> tuple[Any, ...]:
    """A package's facts as plain tuples, for :func:`_facts` (counts are the run's own)."""
    return (
        tuple(
            (
                r.key,
                r.kind,
                r.form,
                r.source,
                r.side,
                r.file,
                r.line,
                r.col,
                r.pattern,
                r.context,
                r.rejects_empty,
                r.asserted,
                r.helper,
            )
            for r in facts.reads
        ),
        tuple(
            (
                x.loader,
                x.target,
                tuple(x.paths),
                tuple(x.modes),
                x.pattern,
                x.base,
                x.outside,
                x.resolved,
                x.file,
                x.line,
                x.col,
                x.helper,
            )
            for x in facts.loads
        ),  # fmt: skip
        tuple((m.provider, m.model, m.file, m.line, m.col) for m in facts.models),
        tuple((n.kind, n.message, n.file, n.line, n.col) for n in facts.notes),
        facts.files_failed,
        tuple(facts.inlined),
        tuple((file, tuple(links)) for file, links in facts.links),
        tuple(facts.sets),
        tuple((file, name, tuple(choices)) for file, name, choices in facts.namers),
        tuple(facts.schema_helpers),
    )


def _one_of(value: Any, allowed: frozenset[str]) -> Any:
    if type(value) is not str or value not in allowed:
        raise ValueError("not one of the known values")
    return value


def _facts(row: Any) -> CodeFacts:
    """Rebuild :func:`_row`'s tuples, every field checked; ``TypeError`` / ``ValueError``
    on any damage."""
    reads, loads, models, notes, failed, inlined, links, sets, namers, helpers = as_row(row, 10)
    return CodeFacts(
        reads=tuple(_read(r) for r in as_tuple(reads)),
        loads=tuple(_load(x) for x in as_tuple(loads)),
        models=tuple(_model(m) for m in as_tuple(models)),
        notes=tuple(_note(n) for n in as_tuple(notes)),
        files_scanned=0,
        files_parsed=0,
        files_failed=as_int(failed),
        inlined=tuple(as_strings(inlined)),
        links=tuple(_link(x) for x in as_tuple(links)),
        sets=tuple(as_strings(sets)),
        namers=tuple(_namer(x) for x in as_tuple(namers)),
        schema_helpers=tuple(as_strings(helpers)),
    )


def _read(value: Any) -> EnvRead:
    key, kind, form, source, side, file, line, col, pattern, context, rejects, asserted, helper = (
        as_row(value, 13)
    )
    return EnvRead(
        as_opt_str(key),
        _one_of(kind, _KINDS),
        _one_of(form, _FORMS),
        as_str(source),
        _one_of(side, _SIDES),
        as_str(file),
        as_int(line),
        as_int(col),
        as_opt_str(pattern),
        _one_of(context, _CONTEXTS),
        as_bool(rejects),
        as_bool(asserted),
        as_helper(helper),
    )


def _load(value: Any) -> EnvLoad:
    loader, target, paths, modes, pattern, base, outside, resolved, file, line, col, helper = (
        as_row(value, 12)
    )
    return EnvLoad(
        loader=as_str(loader),
        target=_one_of(target, _TARGETS),
        paths=tuple(as_strings(paths)),
        modes=tuple(as_strings(modes)),
        pattern=as_opt_str(pattern),
        base=_one_of(base, _BASES),
        outside=as_bool(outside),
        resolved=as_bool(resolved),
        file=as_str(file),
        line=as_int(line),
        col=as_int(col),
        helper=as_helper(helper),
    )


def _namer(value: Any) -> Namer:
    file, name, choices = as_row(value, 3)
    return as_str(file), as_str(name), as_pairs(choices)


def _model(value: Any) -> ModelUse:
    provider, model, file, line, col = as_row(value, 5)
    return ModelUse(as_str(provider), as_str(model), as_str(file), as_int(line), as_int(col))


def _note(value: Any) -> Note:
    kind, message, file, line, col = as_row(value, 5)
    return Note(
        _one_of(kind, _NOTE_KINDS), as_str(message), as_str(file), as_opt_int(line),
        as_opt_int(col),
    )  # fmt: skip


def _link(value: Any) -> tuple[str, tuple[str, ...]]:
    file, links = as_row(value, 2)
    return as_str(file), tuple(as_strings(links))
