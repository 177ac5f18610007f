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
from pathlib import Path

from envcheck.sources.checkout import GENERATED_DIRS, keep_read, overlay_of, read_bytes

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


class Walked:
    """The walk's result: the source files, and notes as (kind, message, rel path)."""

    __slots__ = ("files", "notes", "names")

    def __init__(self) -> None:
        self.files: list[SourceFile] = []
        self.notes: list[tuple[str, str, str]] = []
        self.names: set[str] = set()  # every file name seen at the package top (config markers)


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


def walk(package: str, root: str, max_files: int = MAX_FILES) -> Walked:
    """Every source file under ``package`` (absolute), links and skipped folders aside."""
    walked = Walked()
    anywhere, rooted = _ignored_dirs(package)
    if os.path.normpath(root) != os.path.normpath(package):
        more, _ = _ignored_dirs(root)  # the root's rooted names are about the root's folders
        anywhere |= more
    real_root = os.path.realpath(root)
    stack = [(package, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        for entry in listed:
            name = entry.name
            rel = prefix + name
            if not prefix:
                walked.names.add(name)
            try:
                if entry.is_symlink():
                    _note_link(walked, entry.path, rel, real_root)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if name in SKIP_DIRS or name in anywhere or (not prefix and name in rooted):
                        continue
                    stack.append((entry.path, rel + "/"))
                    continue
                if _suffix(name) not in SOURCE_SUFFIXES or name.endswith(".d.ts"):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                if len(walked.files) >= max_files:
                    walked.notes.append(
                        (
                            "file-cap",
                            f"more than {max_files} source files; the rest were not read",
                            rel,
                        )
                    )
                    return walked
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            size, mtime_ns = st.st_size, st.st_mtime_ns
            if (buffer := overlay_of(entry.path)) is not None:  # an editor's unsaved text
                size, mtime_ns = len(buffer), UNSAVED
            walked.files.append(SourceFile(rel, entry.path, size, mtime_ns))
    return walked


def _note_link(walked: Walked, path: str, rel: str, real_root: str) -> None:
    """A link is never followed; one leading out of the project is said so."""
    if _suffix(rel) not in SOURCE_SUFFIXES and "." in os.path.basename(rel):
        return
    target = os.path.realpath(path)
    if not _inside(target, real_root):
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
