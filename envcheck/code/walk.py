"""Which files of a package are source, and their bytes, read with care and within caps.

The walk uses ``os.scandir`` and never follows a link: a linked folder or
file is not entered (one leading out of the project gets a ``link`` note),
so a checkout cannot make envcheck read ``/`` or loop.  Vendored and built
folders (:data:`SKIP_DIRS`) are skipped, and so are the folder names the
package's and the root's top-level ``.gitignore`` list as plain names (no
glob, no negation: a cheap reading, never ``git check-ignore``, which would
run git on the checkout's config).

Files are opened here rather than through
:func:`envcheck.sources.checkout.read_bytes`: that reader resolves each path
against the run's global root (a ``realpath`` per file, too slow for
thousands of files, and this layer takes its root as a parameter).  The
same care is kept: ``O_NOFOLLOW | O_NONBLOCK``, ``fstat`` of the opened
descriptor must say regular file, at most :data:`FILE_CAP` bytes; what is
read is handed to the run's reader (:func:`envcheck.sources.checkout.keep_read`)
so that no later reader opens the file again.  Inside
the language server's overlay a file's content is the editor's unsaved text
(:func:`envcheck.sources.checkout.overlay_of`), after the same checks.
"""

from __future__ import annotations

import os
import re
import stat
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from envcheck.sources.checkout import (
    GENERATED_DIRS,
    keep_read,
    overlay_active,
    overlay_of,
    read_bytes,
)

__all__ = [
    "FILE_CAP",
    "MAX_FILES",
    "SKIP_DIRS",
    "SOURCE_SUFFIXES",
    "UNSAVED",
    "SourceFile",
    "Walked",
    "read_source",
    "walk",
]

FILE_CAP = 1024 * 1024
"""Hand-written source files are far below 1 MiB; a larger one is generated or bundled."""
MAX_FILES = 20_000
"""Source files looked at per package; a package past it is noted and read in part."""
SKIP_DIRS = GENERATED_DIRS | {
    ".astro",
    ".mypy_cache",
    ".output",
    ".pytest_cache",
    ".svelte-kit",
    ".tox",
    ".vercel",
    "site-packages",
}  # framework and tool output
SOURCE_SUFFIXES = frozenset(
    {
        ".js",
        ".jsx",
        ".mjs",
        ".cjs",
        ".ts",
        ".tsx",
        ".mts",
        ".cts",
        ".py",
        ".astro",
        ".svelte",
        ".vue",
    }
)
UNSAVED = -1
"""The ``mtime_ns`` of a file read from an editor's unsaved buffer
(:func:`envcheck.sources.checkout.overlaid`, ``envcheck lsp``): no cache keeps its facts."""
_GLOB = re.compile(r"[*?\[\]!\\]")
_GITIGNORE_CAP = 64 * 1024


class SourceFile:
    """A source file found by the walk: paths, and the stat the cache is keyed by."""

    __slots__ = ("rel", "path", "size", "mtime_ns")

    def __init__(self, rel: str, path: str, size: int, mtime_ns: int) -> None:
        self.rel = rel  # posix, relative to the package folder
        self.path = path  # absolute
        self.size = size
        self.mtime_ns = mtime_ns


Folder = tuple[str, str, list[str], list[tuple[int, int]]]
"""One folder's source files: (its posix prefix in the package, ``""`` or ``"src/lib/"``;
its absolute path; the files' names, sorted; each file's ``(size, mtime_ns)``)."""


class Walked:
    """The walk's result: the source files folder by folder, notes as (kind, message, rel
    path), the names at the package's top, and whether an editor's unsaved buffer stands in
    for a file (:data:`UNSAVED`).

    A warm run only fingerprints the listing (:meth:`feed`): no object or path is built per
    file until a run must read them (:attr:`files`).
    """

    __slots__ = ("folders", "notes", "names", "count", "unsaved", "_files")

    def __init__(self) -> None:
        self.folders: list[Folder] = []
        self.notes: list[tuple[str, str, str]] = []
        self.names: set[str] = set()  # every file name seen at the package top (config markers)
        self.count = 0  # source files, in all folders
        self.unsaved = False
        self._files: list[SourceFile] | None = None

    @property
    def files(self) -> list[SourceFile]:
        """Every source file, each folder's sorted by name, a folder before its subfolders."""
        if self._files is None:
            join = os.path.join
            self._files = [
                SourceFile(prefix + name, join(folder, name), size, mtime_ns)
                for prefix, folder, names, stats in self.folders
                for name, (size, mtime_ns) in zip(names, stats, strict=True)
            ]
        return self._files

    def feed(self, digest: _Hasher) -> None:
        """Every source file's path, size and time into ``digest``, as ``marshal`` lays out
        the folders' lists (the cheapest exact encoding: a third of a millisecond for 5,000
        files, where formatting each file took a millisecond and a half)."""
        import marshal

        digest.update(
            marshal.dumps([(prefix, names, stats) for prefix, _, names, stats in self.folders])
        )


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def _ignored_dirs(folder: str) -> tuple[set[str], set[str]]:
    """Plain folder names a top-level ``.gitignore`` lists: (anywhere, at its own top only)."""
    anywhere: set[str] = set()
    rooted: set[str] = set()
    try:  # through the run's reader: the root's is read once for all its packages
        data = read_bytes(Path(folder, ".gitignore"), within=Path(folder), cap=_GITIGNORE_CAP)
    except OSError:
        return anywhere, rooted
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or _GLOB.search(line):
            continue
        line = line.rstrip("/")
        if line.startswith("/"):
            if "/" not in line[1:] and line[1:]:
                rooted.add(line[1:])
        elif "/" not in line and line not in (".", ".."):
            anywhere.add(line)
    return anywhere, rooted


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


_BY_FD = os.scandir in os.supports_fd
"""List a folder through a descriptor, so that each entry's ``lstat`` is relative to it
(``fstatat``): no path is built or looked up again per file, a quarter of a warm walk's
system time."""
_ENDINGS = tuple(SOURCE_SUFFIXES)
_BY_NAME = attrgetter("name")
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def walk(package: str, root: str, max_files: int = MAX_FILES) -> Walked:
    """Every source file under ``package`` (absolute), links and skipped folders aside.

    One ``scandir`` per folder, its entry types (``d_type``) telling files, folders and
    links apart without a system call, and one ``lstat`` per source file: its size and
    ``mtime_ns`` key the cache, so an edit, a new, deleted or moved file is always seen.
    """
    walked = Walked()
    anywhere, rooted = _ignored_dirs(package)
    if os.path.normpath(root) != os.path.normpath(package):
        more, _ = _ignored_dirs(root)  # the root's rooted names are about the root's folders
        anywhere |= more
    skipped = SKIP_DIRS | anywhere
    overlay = overlay_active()
    room = max_files
    stack = [(package, "")]
    while stack:
        folder, prefix = stack.pop()
        top = not prefix
        fd = None
        try:
            if _BY_FD:  # the package itself may be reached through a link; a subfolder not
                fd = os.open(folder, _DIR_FLAGS if top else _DIR_FLAGS | _NOFOLLOW)
            sources: list[os.DirEntry[str]] = []
            subfolders: list[str] = []
            links: list[str] = []
            with os.scandir(folder if fd is None else fd) as entries:
                for entry in entries:
                    name = entry.name
                    if top:
                        walked.names.add(name)
                    try:
                        if name.endswith(_ENDINGS) and entry.is_file(follow_symlinks=False):
                            if name not in SOURCE_SUFFIXES and not name.endswith(".d.ts"):
                                sources.append(entry)  # not ".js" itself, nor a declaration
                        elif entry.is_dir(follow_symlinks=False):
                            if name not in skipped and not (top and name in rooted):
                                subfolders.append(name)
                        elif entry.is_symlink():
                            links.append(name)
                    except OSError:
                        continue
            sources.sort(key=_BY_NAME)
            if len(sources) > room:
                walked.notes.append(
                    (
                        "file-cap",
                        f"more than {max_files} source files; the rest were not read",
                        prefix + sources[room].name,
                    )
                )
                del sources[room:]
                stack.clear()
                subfolders.clear()
            names, stats = _stats(sources)
        except OSError:
            continue
        finally:
            if fd is not None:
                os.close(fd)
        if overlay:
            _overlaid(walked, folder, names, stats)
        for name in links:
            _note_link(walked, os.path.join(folder, name), prefix + name, root)
        walked.folders.append((prefix, folder, names, stats))
        walked.count += len(names)
        room -= len(names)
        subfolders.sort()
        stack.extend((os.path.join(folder, name), f"{prefix}{name}/") for name in subfolders)
    return walked


def _stats(sources: list[os.DirEntry[str]]) -> tuple[list[str], list[tuple[int, int]]]:
    """The names of ``sources`` and each one's ``(size, mtime_ns)``, from an ``lstat``
    relative to the listed folder's descriptor; a file gone since the listing is left out."""
    try:
        found = [entry.stat(follow_symlinks=False) for entry in sources]
    except OSError:  # removed meanwhile: one by one, keeping those still there
        found = []
        for entry in list(sources):
            try:
                found.append(entry.stat(follow_symlinks=False))
            except OSError:
                sources.remove(entry)
    return [entry.name for entry in sources], [(st.st_size, st.st_mtime_ns) for st in found]


def _overlaid(walked: Walked, folder: str, names: list[str], stats: list[tuple[int, int]]) -> None:
    """An editor's unsaved text stands in for a file: its size, and a time no cache keeps."""
    for index, name in enumerate(names):
        if (buffer := overlay_of(os.path.join(folder, name))) is not None:
            stats[index] = (len(buffer), UNSAVED)
            walked.unsaved = True


def _note_link(walked: Walked, path: str, rel: str, root: str) -> None:
    """A link is never followed; one leading out of the project is said so."""
    if _suffix(rel) not in SOURCE_SUFFIXES and "." in os.path.basename(rel):
        return
    target = os.path.realpath(path)
    if not _inside(target, os.path.realpath(root)):
        walked.notes.append(("link", "link leads outside the project; not followed", rel))


def read_source(path: str, cap: int = FILE_CAP) -> bytes:
    """The bytes of a regular file, opened without following a link; ``OSError`` if not one,
    or if larger than ``cap``."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError("not a regular file")
        if (buffer := overlay_of(path)) is not None:  # checked as a file, read as the buffer
            if len(buffer) > cap:
                raise OSError(f"larger than {cap // 1024} KiB")
            return buffer
        if st.st_size > cap:
            raise OSError(f"larger than {cap // 1024} KiB")
        data = os.read(fd, cap + 1)
        chunks = [data]
        total = len(data)
        while data and total <= cap:
            data = os.read(fd, cap + 1 - total)
            chunks.append(data)
            total += len(data)
        if total > cap:
            raise OSError(f"larger than {cap // 1024} KiB")
        whole = b"".join(chunks)
        keep_read(path, st, whole)  # a rule reading it later takes it from the run
        return whole
    finally:
        os.close(fd)
