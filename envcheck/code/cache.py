"""Extracted facts per file, kept between runs so a ``predev`` hook re-parses only what changed.

One JSON file, ``code-facts-v2.json``, in envcheck's cache folder
(``$XDG_CACHE_HOME/envcheck`` or ``~/.cache/envcheck``, the convention of
:func:`envcheck.probe.cache.cache_dir`, repeated here because importing the
probe cache costs a cold start some 30 ms).  An entry is keyed by the
file's absolute path and checked against its size and ``st_mtime_ns``; a
file edited in place so that both stay the same within one nanosecond tick
would keep stale facts until its next change.

Beside the files, one entry per package folder: a fingerprint of what the
package's facts depend on beyond each file (:func:`envcheck.code._fingerprint`:
every source file's path, size and time, the names at its top, its
``package.json``) and the files whose facts reach the result, with the
client/server side of each.  A warm run of an unchanged package (a
``predev`` hook, a monorepo's other apps) rebuilds only those files' facts
and classifies nothing; any change to any file is a miss, and the package is
put together from the per-file entries as before.

It holds **facts only**: key names, kinds, load paths as the code writes
them, model names, positions, notes.  No value of any kind is extracted in
the first place (a default is reduced to "optional"), so none can be
written.  The file is 0600 in a 0700 folder, written through a temporary
file and ``os.replace``; a file that is not ours, not private, too large,
not JSON or of another version is ignored, and a damaged entry is a miss.
Every failure of the cache is silent: it only ever saves a parse.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.code.facts import CLIENT, SERVER, UNKNOWN, Side
from envcheck.code.raw import FileFacts
from envcheck.code.walk import UNSAVED, SourceFile

if TYPE_CHECKING:
    from hashlib import blake2b as _Blake2b

__all__ = ["CACHE_FILE", "FactsCache", "default_path"]

CACHE_FILE = "code-facts-v3.json"
VERSION = 6
"""Bumped whenever the cached facts change shape or meaning (v2: guarded reads are
optional, window-guarded reads are server-side, config facts ``inlined`` and
``vite_library``; v3: reads tested elsewhere in their module, optional SDK options, JSON
fields and one-branch-optional schemas are optional; v4: ``feature`` reads, Vite options;
v5: ``links``, the modules a file runs, and a package keeps every file that has any):
an older file is ignored, never misread."""
_CAP = 64 * 1024 * 1024
_MAX_ENTRIES = 200_000
_SIDES = frozenset({CLIENT, SERVER, UNKNOWN})


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _contributes(facts: FileFacts) -> bool:
    """Whether a file's facts reach the package's (a file with none only shapes the sides);
    its ``links`` do: a workspace follows them to the library files an app runs."""
    return bool(
        facts.reads
        or facts.loads
        or facts.models
        or facts.notes
        or facts.inlined
        or facts.sets
        or facts.failed
        or facts.links
    )


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


def _private_file(path: Path) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    owned = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return stat.S_ISREG(st.st_mode) and owned and not st.st_mode & 0o077 and st.st_size <= _CAP


class FactsCache:
    """The cache file in memory: ``get`` / ``put`` per file, ``save`` once per scan."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}
        self.packages: dict[str, Any] = {}  # package folder -> [fingerprint, [[rel, path, side]]]
        self.dirty = False
        self._load()

    def _load(self) -> None:
        if not _private_file(self.path):
            return
        import json

        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return
        if isinstance(data, dict) and data.get("version") == VERSION:
            files = data.get("files")
            if isinstance(files, dict):
                self.entries = files
                packages = data.get("packages")
                if isinstance(packages, dict):
                    self.packages = packages

    def get(self, path: str, size: int, mtime_ns: int) -> FileFacts | None:
        entry = self.entries.get(path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[:2] != [size, mtime_ns]:
            return None
        try:
            return FileFacts.from_json(entry[2])
        except (TypeError, ValueError):
            return None

    def put(self, path: str, size: int, mtime_ns: int, facts: FileFacts) -> None:
        if mtime_ns == UNSAVED:  # an editor's unsaved buffer: not the file, never kept
            return
        self.entries[path] = [size, mtime_ns, facts.to_json()]
        self.dirty = True

    def package(
        self, folder: str, fingerprint: str | None
    ) -> tuple[dict[str, FileFacts], dict[str, Side]] | None:
        """The package's files that hold facts, and their sides, if ``fingerprint`` (see
        :func:`envcheck.code._fingerprint`) is the one they were kept under; else None.

        A warm run of an unchanged package takes these instead of rebuilding the facts of
        every file and classifying the client/server split again.
        """
        memo = self.packages.get(folder)
        if fingerprint is None or not isinstance(memo, list) or len(memo) != 2:
            return None
        stored, rows = memo
        if stored != fingerprint or not isinstance(rows, list):
            return None
        per_file: dict[str, FileFacts] = {}
        sides: dict[str, Side] = {}
        try:
            for rel, path, side in rows:
                entry = self.entries.get(path)
                if not isinstance(entry, list) or len(entry) != 3 or side not in _SIDES:
                    return None
                per_file[_text(rel)] = FileFacts.from_json(entry[2])
                sides[rel] = side
        except (TypeError, ValueError):
            return None
        return per_file, sides

    def put_package(
        self,
        folder: str,
        fingerprint: str | None,
        files: Iterable[SourceFile],
        per_file: Mapping[str, FileFacts],
        sides: Mapping[str, Side],
    ) -> None:
        """Keep what :meth:`package` gives back: only files whose facts reach the result."""
        if fingerprint is None:
            self.packages.pop(folder, None)
            return
        memo = self.packages.get(folder)
        if isinstance(memo, list) and memo[:1] == [fingerprint]:
            return
        rows = [[s.rel, s.path, sides[s.rel]] for s in files if _contributes(per_file[s.rel])]
        if any(path not in self.entries for _, path, _ in rows):
            self.packages.pop(folder, None)  # a file's facts were not kept: no shortcut
            return
        self.packages[folder] = [fingerprint, rows]
        self.dirty = True

    def retain(self, folder: str, seen: Iterable[str]) -> None:
        """Forget files under ``folder`` that this scan did not see (deleted, now ignored)."""
        keep = set(seen)
        prefix = folder.rstrip(os.sep) + os.sep
        gone = [p for p in self.entries if p.startswith(prefix) and p not in keep]
        for path in gone:
            del self.entries[path]
        if len(self.entries) > _MAX_ENTRIES:
            self.entries = {p: e for p, e in self.entries.items() if p in keep}
            gone.append("")
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        import json
        import tempfile

        with contextlib.suppress(OSError):
            folder = self.path.parent
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            data = json.dumps(
                {"version": VERSION, "files": self.entries, "packages": self.packages},
                separators=(",", ":"),
            )
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600
                    handle.write(data.encode())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self.dirty = False
