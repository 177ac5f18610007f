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

The project root is decided above this module and handed to it
(:func:`set_project_root`): the directory envcheck checks (``-C DIR`` or the
working directory), widened by :func:`envcheck.project.set_project_root` to
the workspace it belongs to, so that an app of a monorepo reads
``../../.env`` of its root.  This reader knows no workspace marker: it only
keeps each read inside the root it was given (with no run started, inside
the folder the read is for).  Paths the checkout *names* (``dotenv -e
/etc/x`` in a package.json script, ``env_file: ../../x`` in compose) are
refused before any read by :func:`named_path_problem`, so the finding can
say which file named them.

**Each file is read once per run.**  :func:`set_project_root` starts a run;
within it a regular file's bytes are kept (:data:`RUN_CACHE_BUDGET` in all,
each at most :data:`KEEP_AT_MOST`) and handed to every later reader of the same real
path, so the schema, the template rules, the suppression comments and the
code scan never open a file the loader already read.  An entry is served
only while ``stat`` still gives the same device, inode, size, change and
modification times: a file written during the run (``lint --fix``, ``init``)
is read again, and a long-lived process (the language server) starts a
fresh run, with an empty cache, for every check.  Named pipes are never
kept (they were drained) and an editor's unsaved text (:func:`overlaid`)
always wins.

Errors are :class:`UnreadableFile`, an :class:`OSError`: callers that
already turn ``OSError`` into their "unreadable file" finding or error keep
doing so; a missing file is still :class:`FileNotFoundError`.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

__all__ = [
    "CONFIG_CAP",
    "ENV_FILE_CAP",
    "GENERATED_DIRS",
    "UnreadableFile",
    "KEEP_AT_MOST",
    "RUN_CACHE_BUDGET",
    "inside_project",
    "keep_read",
    "named_path_problem",
    "overlaid",
    "project_root",
    "read_bytes",
    "read_text",
    "run_memo",
    "many_apps_memo",
    "checking_many_apps",
    "run_root",
    "set_project_root",
]

MiB = 1024 * 1024


def _env_file_cap(environ: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """16 MiB, or what ``ENVCHECK_MAX_ENV_FILE_MIB`` in the process environment says (1 to
    1024): a user with a generated file of a million lines can opt in.  Only the process
    environment may raise it (trusted input); nothing in the checkout can."""
    raw = environ.get("ENVCHECK_MAX_ENV_FILE_MIB", "")
    if raw.isdigit() and 1 <= int(raw) <= 1024:
        return int(raw) * MiB
    return 16 * MiB


ENV_FILE_CAP = _env_file_cap()
"""Env files.  Real ones are kilobytes; a dotenvx-encrypted file with certificates
inline stays well under 1 MiB.  The parsers hold several copies of the text, so
16 MiB keeps a run in the low hundreds of MiB while no real file comes near it
(``ENVCHECK_MAX_ENV_FILE_MIB`` raises it for one process: :func:`_env_file_cap`)."""
CONFIG_CAP = 4 * MiB
"""package.json, envcheck.toml, turbo.json, compose files, Gemfile, .nvmrc,
settings modules, next.config.js: hand-written files of at most some hundred
KiB (a lock file is never read).  Parsed into objects much larger than the
text (JSON, YAML, TOML), so a smaller cap than for env files."""
RUN_CACHE_BUDGET = 32 * MiB
"""Bytes a run keeps for reading a file again without opening it.  A real project's
env files, templates and configs are kilobytes; past the budget, reads are simply
not kept (correct, only slower)."""
KEEP_AT_MOST = 1 * MiB
"""The largest file a run keeps.  Real env files and configs are kilobytes, and each is
read once; a generated one of megabytes (100,000 lines: 3.4 MiB) is read again by the
one or two readers after the loader (a millisecond each) rather than held through the
whole run beside the objects parsed from it (a command's peak memory)."""

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
# Real path -> (stat signature, bytes, complete) of the files this run has read
# (:func:`read_bytes`); emptied by set_project_root, the start of every run.
_RUN_READS: dict[str, tuple[tuple[int, ...], bytes, bool]] = {}
_run_bytes = 0
# Folder as given -> its real path, looked up once per run (:func:`_real_dir`); emptied
# by set_project_root.  A 200-app workspace run reads each app's files a few dozen
# times (loader, schema, rules, code): without it each read resolved every component
# of its path again (13,000 ``realpath`` calls, a third of the run).
_REAL_DIRS: dict[str, str] = {}
# Name -> a memo of answers about the checkout kept for this run (:func:`run_memo`);
# emptied by set_project_root.
_RUN_MEMOS: dict[str, dict[object, object]] = {}
# Whether a workspace run is checking its apps (:func:`checking_many_apps`).
_MANY_APPS = False
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


def overlay_active() -> bool:
    """Whether :func:`overlaid` holds any text now: a walk of thousands of files asks once."""
    return bool(_OVERLAY)


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


def set_project_root(checked: Path, root: Path | None = None) -> Path:
    """Start a run: reads for ``checked`` stay inside ``root`` (default: ``checked``).

    The caller decides the root (:func:`envcheck.project.set_project_root`
    widens an app of a monorepo to its workspace root); ``checked`` must lie
    in it.  Called once by each command before it reads anything, it also
    empties the run's read cache: a file read in an earlier run is read
    again.  Returns the root's real path.
    """
    global _ROOT, _run_bytes
    real_checked = os.path.realpath(checked)
    real_root = os.path.realpath(root) if root is not None else real_checked
    if not _inside(real_checked, real_root):
        raise ValueError(f"{checked} is not inside {root}")  # a caller bug
    absolute = Path(os.path.abspath(checked))
    levels = len(Path(real_checked).parts) - len(Path(real_root).parts)
    lexical = absolute.parents[levels - 1] if 0 < levels <= len(absolute.parents) else absolute
    _ROOT = (real_root, str(lexical))
    _RUN_READS.clear()
    _REAL_DIRS.clear()
    _RUN_MEMOS.clear()
    _run_bytes = 0
    return Path(real_root)


def run_memo(name: str) -> dict[object, object]:
    """A dictionary for one question's answers about the checkout, kept for this run only.

    For answers every app of a workspace run would otherwise look up again (whether a
    folder above them holds a turbo.json: the same seven folders for 200 apps).  Emptied
    when the next run starts (:func:`set_project_root`: every command, every check of
    the language server); before any run, a fresh one that nothing keeps.
    """
    if _ROOT is None:
        return {}
    memo = _RUN_MEMOS.get(name)
    if memo is None:
        memo = _RUN_MEMOS[name] = {}
    return memo


def many_apps_memo(name: str) -> dict[object, object]:
    """:func:`run_memo` while a workspace run checks its apps (:func:`checking_many_apps`),
    else a fresh dictionary nothing keeps.

    For answers every app of the run would look up again (a template parsed, the root's
    env files listed, which template each copy came from): a single project asks each
    once or twice, and a library caller between runs (a test, an editor) must find the
    files as they are now, not as an earlier run left its memo.
    """
    return run_memo(name) if _MANY_APPS else {}


class checking_many_apps:  # noqa: N801 - used as ``with checking_many_apps():``
    """Within it, :func:`many_apps_memo` keeps its answers for the run (envcheck.fanout.run
    enters it around the apps' runs; forked workers inherit it)."""

    def __enter__(self) -> None:
        global _MANY_APPS
        self._was = _MANY_APPS
        _MANY_APPS = True

    def __exit__(self, *_: object) -> None:
        global _MANY_APPS
        _MANY_APPS = self._was


def run_root() -> Path | None:
    """The real path of the root of the run in progress, or None before any run."""
    return None if _ROOT is None else Path(_ROOT[0])


def project_root(within: Path) -> tuple[str, str]:
    """The root a file read for ``within`` (an app or project folder) must stay in.

    The run's root when ``within`` lies in it; else ``within`` itself (a
    library caller before any run, or a folder outside the run's root: its
    reads stay in that folder).  Returned as (real path, absolute path).
    """
    try:
        real = _real_dir(os.fspath(within))
    except OSError:  # no such folder (yet): as realpath names it, not kept
        real = os.path.realpath(within)
    if _ROOT is not None and _inside(real, _ROOT[0]):
        return _ROOT
    return real, os.path.abspath(within)


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


def _real_dir(directory: str) -> str:
    """The real path of the existing folder ``directory``, resolved once per run.

    Raises OSError when there is no such folder (nothing is kept then).  Within a
    run a folder is taken to stay what it was; the file itself is looked at on every
    read (:func:`_real_file`), and opened with ``O_NOFOLLOW``.
    """
    if not os.path.isabs(directory):  # "." is another folder after a chdir
        directory = os.path.abspath(directory)
    found = _REAL_DIRS.get(directory)
    if found is None:
        found = _resolved_dir(directory)
        if _ROOT is not None:  # a run is in progress: it empties the memo when it starts
            _REAL_DIRS[directory] = found
    return found


def _resolved_dir(directory: str) -> str:
    """``os.path.realpath(directory, strict=True)``, from its parent's real path when a run
    is in progress: one ``lstat`` of the folder itself, not one per component (a workspace
    run resolves 200 app folders under the same few parents, in discovery and in each
    app's check)."""
    head, name = os.path.split(directory)
    if _ROOT is None or not head or head == directory or name in ("", os.curdir, os.pardir):
        return os.path.realpath(directory, strict=True)
    here = os.path.join(_real_dir(head), name)
    if stat.S_ISLNK(os.lstat(here).st_mode):  # FileNotFoundError for nothing there
        return os.path.realpath(here, strict=True)
    return here


def _real_file(path: Path) -> tuple[str, os.stat_result | None]:
    """``os.path.realpath(path, strict=True)``: its folder's real path from this run's
    memo, then one ``lstat`` of the file (a link is resolved in full, every time).

    With it, that ``lstat`` when the file is no link: it is then the file's own
    ``stat``, which the read need not ask for again (None: ask).
    """
    head, name = os.path.split(os.fspath(path))
    if name in ("", ".", ".."):
        return os.path.realpath(path, strict=True), None
    try:
        folder = _real_dir(head or os.curdir)
    except OSError:  # no folder, a loop: the full lookup raises the error to report
        return os.path.realpath(path, strict=True), None
    target = os.path.join(folder, name)
    looked = os.lstat(target)  # FileNotFoundError for nothing there
    if stat.S_ISLNK(looked.st_mode):
        return os.path.realpath(target, strict=True), None
    return target, looked


def _real_target(path: Path, within: Path, named: bool) -> tuple[str, os.stat_result | None]:
    """The real path to open (and its ``stat`` if known, :func:`_real_file`); raises for a
    link that leaves the root, a loop, or nothing."""
    real_root, lexical_root = project_root(within)
    target, looked = _real_file(path)  # FileNotFoundError, or ELOOP for a loop
    if _inside(target, real_root):
        return target, looked
    as_named = os.path.abspath(path)
    if named and not _inside(as_named, lexical_root) and not _inside(as_named, real_root):
        return target, looked  # the user pointed outside the project on purpose
    raise UnreadableFile(errno.EACCES, OUTSIDE, path)


def _read_regular(fd: int, size: int, cap: int, path: Path, truncate: bool) -> tuple[bytes, bool]:
    """(at most ``cap`` bytes, whether they are the whole file)."""
    if size > cap and not truncate:
        raise _too_large(size, cap, path)
    chunks: list[bytes] = []
    total = 0
    # The whole file in one read where its size says so (one buffer, not chunks and their
    # join: twice a large file's size at once); /proc files say size 0 and still have
    # content: read a MiB at a time, counted.
    step = max(size + 1, MiB)
    while total <= cap:
        chunk = os.read(fd, min(step, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    data = b"".join(chunks)
    if len(data) > cap:
        if truncate:
            return data[:cap], False
        raise _too_large(len(data), cap, path)
    return data, True


def _signature(st: os.stat_result) -> tuple[int, ...]:
    """What must not change for a kept read to still be the file's content."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _kept(target: str, st: os.stat_result, cap: int, path: Path, truncate: bool) -> bytes | None:
    """This run's earlier read of ``target``, held to this call's cap, or None."""
    entry = _RUN_READS.get(target)
    if entry is None or entry[0] != _signature(st):
        return None
    _, data, complete = entry
    if len(data) <= cap and complete:
        return data
    if truncate and cap <= len(data):
        return data[:cap]
    if complete:  # the whole file is known and larger than this caller's cap
        raise _too_large(len(data), cap, path)
    return None  # an earlier bounded search kept less than this caller wants


def keep_read(real_path: str, opened: os.stat_result, data: bytes) -> None:
    """Hand the run a whole regular file read by a reader with its own bounded open.

    :func:`envcheck.code.walk.read_source` opens thousands of source files
    without a ``realpath`` each; what it read is kept here so that a rule
    reading the same file later (``next.config.mjs``) does not open it again.
    ``real_path`` must be the path as opened with ``O_NOFOLLOW`` (a path
    through a linked folder is simply never looked up); ``opened`` is the
    ``fstat`` of the descriptor the bytes came from.
    """
    if stat.S_ISREG(opened.st_mode) and _OVERLAY.get(real_path) is None:
        _keep(real_path, opened, data, True)


def _keep(target: str, st: os.stat_result, data: bytes, complete: bool) -> None:
    global _run_bytes
    if _ROOT is None or len(data) > KEEP_AT_MOST or _run_bytes + len(data) > RUN_CACHE_BUDGET:
        return  # no run (a library caller), too large or over budget: never kept
    previous = _RUN_READS.get(target)
    _run_bytes += len(data) - (len(previous[1]) if previous is not None else 0)
    _RUN_READS[target] = (_signature(st), data, complete)


def _too_large(size: int, cap: int, path: Path) -> UnreadableFile:
    shown = f"{size // MiB} MiB" if size >= MiB else f"{size} bytes"
    raise_it = " (ENVCHECK_MAX_ENV_FILE_MIB=N raises it)" if cap == ENV_FILE_CAP else ""
    return UnreadableFile(
        errno.EFBIG, f"file is {shown}; envcheck reads at most {cap // MiB} MiB{raise_it}", path
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
    target, looked_up = _real_target(path, within, named)
    looked = looked_up or os.stat(target)  # no open() of a device or a directory at all
    kind = stat.S_IFMT(looked.st_mode)
    if kind != stat.S_IFREG and not (pipes is not None and kind == stat.S_IFIFO):
        raise UnreadableFile(errno.EINVAL, _KINDS.get(kind, "is not a regular file"), path)
    if _OVERLAY and target in _OVERLAY:  # the editor's unsaved text (envcheck lsp)
        data = _OVERLAY[target]
        if len(data) > cap and not truncate:
            raise _too_large(len(data), cap, path)
        return data[:cap]
    if kind == stat.S_IFREG:
        if looked.st_size > cap and not truncate:
            raise _too_large(looked.st_size, cap, path)  # known without opening it
        kept = _kept(target, looked, cap, path, truncate)
        if kept is not None:
            return kept
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(target, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        opened = os.fstat(fd)  # what was opened, not what was looked at
        if stat.S_IFMT(opened.st_mode) == stat.S_IFREG:
            data, complete = _read_regular(fd, opened.st_size, cap, path, truncate)
            _keep(target, opened, data, complete)
            return data
        if pipes is not None and stat.S_IFMT(opened.st_mode) == stat.S_IFIFO:
            return _drain_pipe(fd, cap, path, pipes)
        kind = stat.S_IFMT(opened.st_mode)
        raise UnreadableFile(errno.EINVAL, _KINDS.get(kind, "is not a regular file"), path)
    finally:
        os.close(fd)


def read_text(
    path: Path, *, within: Path, cap: int = CONFIG_CAP, named: bool = False, errors: str = "strict"
) -> str:
    """:func:`read_bytes` decoded as UTF-8 (``UnicodeDecodeError`` with ``errors="strict"``)."""
    return read_bytes(path, within=within, cap=cap, named=named).decode("utf-8", errors)
