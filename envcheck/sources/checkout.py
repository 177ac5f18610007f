"""The one way envcheck reads a file the checkout holds or names: bounded, regular, inside.

Everything in the checked project is data written by someone else (a pull
request, a fresh clone).  A file name there can be a link to ``/dev/zero``,
a named pipe nobody writes to, ``/dev/tty``, ``/proc/self/environ`` (this
very process's secrets) or ``../other-project/.env``.  So every read of such
a file goes through :func:`read_bytes`, which

* opens only a **regular file** (a named pipe only where the caller says the
  app itself would read one: env files, as Next.js does), non-blocking and
  checked again with ``fstat`` on the opened descriptor, so nothing can be
  swapped in between the check and the read;
* reads at most ``cap`` bytes (:data:`ENV_FILE_CAP`, :data:`CONFIG_CAP`),
  and refuses a larger file rather than reading part of it;
* resolves links and refuses a file whose real path lies **outside the
  project root**, unless the user named the path on the command line
  (``envcheck lint /some/file``, ``--env-file ../shared/.env``): the user
  may point anywhere; the checkout may not point out of itself.

The project root is the directory envcheck checks (``-C DIR`` or the
working directory), widened to the workspace it belongs to
(:func:`set_project_root`): an app of a monorepo reads ``../../.env`` of
its root.  Paths the checkout *names* (``dotenv -e /etc/x`` in a
package.json script, ``env_file: ../../x`` in compose) are refused before any
read by :func:`named_path_problem`, so the finding can say which file named
them.

Errors are :class:`UnreadableFile`, an :class:`OSError`: callers that
already turn ``OSError`` into their "unreadable file" finding or error keep
doing so; a missing file is still :class:`FileNotFoundError`.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CONFIG_CAP",
    "ENV_FILE_CAP",
    "GENERATED_DIRS",
    "UnreadableFile",
    "inside_project",
    "named_path_problem",
    "overlaid",
    "project_root",
    "read_bytes",
    "read_text",
    "set_project_root",
]

MiB = 1024 * 1024
ENV_FILE_CAP = 16 * MiB
"""Env files.  Real ones are kilobytes; a dotenvx-encrypted file with certificates
inline stays well under 1 MiB.  The parsers hold several copies of the text, so
16 MiB keeps a run in the low hundreds of MiB while no real file comes near it."""
CONFIG_CAP = 4 * MiB
"""package.json, envcheck.toml, turbo.json, compose files, Gemfile, .nvmrc,
settings modules, next.config.js: hand-written files of at most some hundred
KiB (a lock file is never read).  Parsed into objects much larger than the
text (JSON, YAML, TOML), so a smaller cap than for env files."""
MAX_UP = 3
"""How many folders above the checked directory a workspace root may be
(``apps/web`` -> the root is two up), as :mod:`envcheck.workspace.context`."""

_KINDS = {
    stat.S_IFDIR: "is a directory, not a file",
    stat.S_IFIFO: "is a named pipe, not a regular file",
    stat.S_IFCHR: "is a device, not a regular file",
    stat.S_IFBLK: "is a device, not a regular file",
    stat.S_IFSOCK: "is a socket, not a regular file",
}
GENERATED_DIRS = frozenset(
    {
        ".cache", ".git", ".next", ".nuxt", ".turbo", ".venv", "__pycache__", "build",
        "coverage", "dist", "node_modules", "out", "vendor", "venv",
    }
)  # fmt: skip
"""Folders a checkout holds that no one wrote by hand (dependencies, builds, caches, VCS):
the walks that look for source files or deploy manifests skip them, each adding its own."""
OUTSIDE = "leads outside the project (a link out of it); envcheck does not read it"

# The root for this run: (real path, path as given made absolute).  Set once per
# command by set_project_root; forked and threaded workers of a workspace run share it.
_ROOT: tuple[str, str] | None = None
_WALKING = False  # set while _workspace_root reads marker files
# Real path -> an editor's unsaved text (``envcheck lsp``, :func:`overlaid`): data only,
# read in place of the file's content after every check on the file itself has passed.
_OVERLAY: dict[str, bytes] = {}


def overlaid(texts: dict[str, bytes]) -> _Overlay:
    """Within ``with overlaid({real_path: data}):`` reads of those files return ``data``.

    The language server checks what the user is typing, not what was last
    saved, without ever writing the buffer to disk.  Only the content is
    replaced: a path must still exist, be a regular file and lie inside
    the project root, and ``data`` is held to the same cap as the file.
    """
    return _Overlay(texts)


def overlay_of(path: str) -> bytes | None:
    """The editor's unsaved text for ``path`` inside :func:`overlaid`, else None.

    For readers with their own bounded open (:func:`envcheck.code.walk.read_source`):
    they check the file as always, then take this in place of its content.
    """
    if not _OVERLAY:
        return None
    return _OVERLAY.get(os.path.realpath(path))


class _Overlay:
    def __init__(self, texts: dict[str, bytes]) -> None:
        self.texts = texts

    def __enter__(self) -> None:
        _OVERLAY.clear()
        _OVERLAY.update(self.texts)

    def __exit__(self, *_: object) -> None:
        _OVERLAY.clear()


class UnreadableFile(OSError):
    """A checkout file envcheck will not read: its kind, its size or where it leads.

    ``str()`` is the reason alone (``is a directory, not a file``); the
    caller says which file, as it does for every other unreadable file.
    """

    def __init__(self, code: int, reason: str, path: Path | str) -> None:
        super().__init__(code, reason, str(path))
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _is_repository_top(directory: Path) -> bool:
    return os.path.lexists(directory / ".git")


def _shares_files(directory: Path) -> bool:
    """An undeclared layout's root is a workspace root only when it holds what apps share.

    ``backend/`` + ``frontend/`` beside one ``.env`` (full-stack-fastapi-template)
    is an app pair; a folder of unrelated projects (``~/src``) is not, so a
    download unpacked there cannot reach its neighbours.
    """
    return any(os.path.lexists(directory / n) for n in (".git", "envcheck.toml", ".env"))


def _workspace_root(checked: Path) -> Path:
    """``checked``, or the workspace root above it (at most :data:`MAX_UP` up).

    Never above a repository's top (a folder holding ``.git``): a clone is
    the checkout, what lies around it is not.  A declared workspace
    (pnpm, npm/yarn/bun workspaces, turbo, Nx, uv) counts at any of those
    levels; an undeclared folder layout only as the direct parent, and only
    when it holds what its apps share (:func:`_shares_files`).
    """
    from envcheck.workspace import markers

    start = Path(os.path.realpath(checked))
    best = current = start
    if _is_repository_top(start):
        return start
    for _ in range(MAX_UP):
        parent = current.parent
        if parent == current:
            break
        layout = current == start and _shares_files(parent)  # only then may folders count
        if markers.workspace_kind(parent, folders=layout) is not None:
            best = parent
        if _is_repository_top(parent):
            break
        current = parent
    return best


def set_project_root(checked: Path) -> Path:
    """Make the root of ``checked`` (see :func:`_workspace_root`) this run's project root.

    Called once by each command before it reads anything; returns the root.
    """
    global _ROOT
    root = _workspace_root(checked)
    absolute = Path(os.path.abspath(checked))
    levels = len(Path(os.path.realpath(checked)).parts) - len(root.parts)
    lexical = absolute.parents[levels - 1] if 0 < levels <= len(absolute.parents) else absolute
    _ROOT = (str(root), str(lexical))
    return root


def project_root(within: Path) -> tuple[str, str]:
    """The root a file read for ``within`` (an app or project folder) must stay in.

    The run's root when ``within`` lies in it; else the root
    :func:`set_project_root` would choose for ``within`` (a library caller,
    or a folder the run looks at above its root, such as the root schema of
    an app).  Returned as (real path, absolute path).
    """
    real = os.path.realpath(within)
    if _ROOT is not None and _inside(real, _ROOT[0]):
        return _ROOT
    if _WALKING:  # the walk's own reads (marker files) stay in their folder
        return real, os.path.abspath(within)
    root = _root_of(real)  # a library caller, or a folder outside the run's root
    return root, root


@lru_cache(maxsize=256)
def _root_of(real: str) -> str:
    """:func:`_workspace_root` of a folder with no run around it, once per folder."""
    global _WALKING
    _WALKING = True
    try:
        return str(_workspace_root(Path(real)))
    finally:
        _WALKING = False


def inside_project(path: Path, within: Path) -> bool:
    """Whether ``path`` lies in the project root of ``within``, as written or really."""
    real, lexical = project_root(within)
    absolute = os.path.abspath(path)
    return _inside(absolute, lexical) or _inside(os.path.realpath(absolute), real)


def named_path_problem(name: str, base: Path) -> str | None:
    """Why the checkout may not name ``name`` (relative to ``base``), or None if it may.

    An absolute path, or one whose ``..`` leave the project root, points
    out of the checkout: ``dotenv -e /etc/passwd``, ``env_file:
    ../../../x``.  The caller turns the reason into a finding naming the
    file (and line) that wrote it.
    """
    if os.path.isabs(name) or name.startswith("~"):
        return f"names {name}, an absolute path outside the project; envcheck does not read it"
    if inside_project(Path(os.path.abspath(base), name), base):
        return None
    return f"names {name}, which is outside the project; envcheck does not read it"


def _real_target(path: Path, within: Path, named: bool) -> str:
    """The real path to open; raises for a link that leaves the root, a loop, or nothing."""
    real_root, lexical_root = project_root(within)
    target = os.path.realpath(path, strict=True)  # FileNotFoundError, or ELOOP for a loop
    if _inside(target, real_root):
        return target
    as_named = os.path.abspath(path)
    if named and not _inside(as_named, lexical_root) and not _inside(as_named, real_root):
        return target  # the user pointed outside the project on purpose
    raise UnreadableFile(errno.EACCES, OUTSIDE, path)


def _read_regular(fd: int, cap: int, path: Path, truncate: bool) -> bytes:
    size = os.fstat(fd).st_size
    if size > cap and not truncate:
        raise _too_large(size, cap, path)
    chunks: list[bytes] = []
    total = 0
    while total <= cap:  # /proc files say size 0 and still have content: read, counted
        chunk = os.read(fd, min(1024 * 1024, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    data = b"".join(chunks)
    if len(data) > cap:
        if truncate:
            return data[:cap]
        raise _too_large(len(data), cap, path)
    return data


def _too_large(size: int, cap: int, path: Path) -> UnreadableFile:
    shown = f"{size // MiB} MiB" if size >= MiB else f"{size} bytes"
    return UnreadableFile(
        errno.EFBIG, f"file is {shown}; envcheck reads at most {cap // MiB} MiB", path
    )


def _drain_pipe(fd: int, cap: int, path: Path, wait: float) -> bytes:
    """A named pipe's data as Next.js reads it, within ``wait`` seconds and ``cap`` bytes.

    Next.js blocks until the writer closes; a checker that hangs forever on
    a pipe nobody writes to (or one that never stops) would be worse than useless.
    """
    import select  # only here: env files are rarely pipes

    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + wait
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise UnreadableFile(
                errno.ETIMEDOUT,
                f"named pipe with no writer (or no end) after {wait:g} s; the app would block here",
                path,
            )
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            raise _too_large(total, cap, path)


def read_bytes(
    path: Path,
    *,
    within: Path,
    cap: int = CONFIG_CAP,
    named: bool = False,
    pipes: float | None = None,
    truncate: bool = False,
) -> bytes:
    """The bytes of the checkout file ``path``, read for the project folder ``within``.

    ``named``: the user gave this path on the command line, so it may lie
    outside the project (a link inside the project that leads out is still
    refused).  ``pipes``: a named pipe is read (env files: Next.js reads
    them) for at most that many seconds, and ``cap`` bytes.  ``truncate``: a file
    over ``cap`` yields its first ``cap`` bytes instead of an error (a
    bounded search through built bundles).

    Raises :class:`FileNotFoundError` for nothing there (or a dangling
    link), :class:`UnreadableFile` for a file envcheck will not read, and
    :class:`OSError` for one the system will not let it read.
    """
    target = _real_target(path, within, named)
    mode = os.stat(target).st_mode  # no open() of a device or a directory at all
    kind = stat.S_IFMT(mode)
    if kind != stat.S_IFREG and not (pipes is not None and kind == stat.S_IFIFO):
        raise UnreadableFile(errno.EINVAL, _KINDS.get(kind, "is not a regular file"), path)
    if _OVERLAY and target in _OVERLAY:  # the editor's unsaved text (envcheck lsp)
        data = _OVERLAY[target]
        if len(data) > cap and not truncate:
            raise _too_large(len(data), cap, path)
        return data[:cap]
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(target, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = stat.S_IFMT(os.fstat(fd).st_mode)  # what was opened, not what was looked at
        if opened == stat.S_IFREG:
            return _read_regular(fd, cap, path, truncate)
        if pipes is not None and opened == stat.S_IFIFO:
            return _drain_pipe(fd, cap, path, pipes)
        raise UnreadableFile(errno.EINVAL, _KINDS.get(opened, "is not a regular file"), path)
    finally:
        os.close(fd)


def read_text(
    path: Path, *, within: Path, cap: int = CONFIG_CAP, named: bool = False, errors: str = "strict"
) -> str:
    """:func:`read_bytes` decoded as UTF-8 (``UnicodeDecodeError`` with ``errors="strict"``)."""
    return read_bytes(path, within=within, cap=cap, named=named).decode("utf-8", errors)
