"""Extracted facts per file, kept between runs so a ``predev`` hook re-parses only what changed.

One JSON file, ``code-facts-v2.json``, in envcheck's cache folder
(``$XDG_CACHE_HOME/envcheck`` or ``~/.cache/envcheck``, the convention of
:func:`envcheck.probe.cache.cache_dir`, repeated here because importing the
probe cache costs a cold start some 30 ms).  An entry is keyed by the
file's absolute path and checked against its size and ``st_mtime_ns``; a
file edited in place so that both stay the same within one nanosecond tick
would keep stale facts until its next change.

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
from typing import Any

from envcheck.code.raw import FileFacts
from envcheck.code.walk import UNSAVED

__all__ = ["CACHE_FILE", "FactsCache", "default_path"]

CACHE_FILE = "code-facts-v3.json"
VERSION = 3
"""Bumped whenever the cached facts change shape or meaning (v2: guarded reads are
optional, window-guarded reads are server-side, config facts ``inlined`` and
``vite_library``; v3: reads tested elsewhere in their module, optional SDK options, JSON
fields and one-branch-optional schemas are optional): an older file is ignored, never
misread."""
_CAP = 64 * 1024 * 1024
_MAX_ENTRIES = 200_000


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
            data = json.dumps({"version": VERSION, "files": self.entries}, separators=(",", ":"))
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
