"""Ask the real git whether files are tracked, ignored or neither.

``.gitignore`` semantics (negations, nested ignore files, ``info/exclude``,
``core.excludesFile``, a file tracked *despite* an ignore pattern) are too
subtle to re-implement, so envcheck asks git: one ``git ls-files`` for all
files, then one ``git check-ignore --stdin`` for the untracked ones.  Paths go to
``ls-files`` as literal pathspecs (a file named ``.env.[mode]`` is not a glob;
``check-ignore`` refuses that flag but takes plain paths) and come back
NUL-separated (no quoting).  When git is missing, the directory is not in a
work tree, the repository is refused (below), or git fails for any reason, the
answer is "unknown": the security rules then say nothing rather than guess,
and ``guard`` refuses a machine-local file it cannot prove ignored.

Every git envcheck runs is run here, and git runs nothing from the checkout
-------------------------------------------------------------------------------
git reads the ``config`` of the repository it finds, and several settings in
it name a program git then runs: ``core.fsmonitor`` (run by any command that
reads the index, ``ls-files`` included), ``core.hooksPath`` hooks, diff
textconv and clean/smudge/process filters, ``core.sshCommand``, credential
helpers, ``core.pager``, ``core.alternateRefsCommand``,
``uploadpack.packObjectsHook``, ``protocol.*``/``ext::`` transports.

*Which config is the user's.*  The ``.git/config`` at the top of the work tree
was written by ``git clone``/``git init`` and the user's own ``git config``
calls, never by the repository's content: git refuses to check out any path
with a ``.git`` component, so no commit can create or change anything under a
``.git`` directory.  That config is user config, as trusted as
``~/.gitconfig``.  The danger is a *nested* git directory that is committed
content: a folder holding ``HEAD``, ``config``, ``objects/`` and ``refs/``
(``apps/web/``) is a bare repository to git's discovery, and its ``config`` is
whatever the pull request says.  Run in ``apps/web`` without care, git would
take that folder as the repository and run its ``core.fsmonitor`` (or, from an
archive rather than a clone, a ``.git`` *file* whose ``gitdir:`` points at
such a folder).

*So the repository is discovered once per directory* (:func:`work_tree`, one
``git rev-parse --show-toplevel --absolute-git-dir``, cached for the run) and
accepted only when its git directory is ``<top>/.git`` itself, or, for a
``.git`` file (a submodule, a ``git worktree add`` checkout), a directory with
a ``.git`` component in its path (``.git/modules/x``, ``.git/worktrees/x``):
the places no checkout can write.  A bare repository is never accepted
(``safe.bareRepository=explicit`` makes git refuse one it would find, and
``--show-toplevel`` fails in one anyway), nor is a gitdir that points back into
the checked files (``--separate-git-dir`` layouts and a ``core.worktree``
that moves the top are refused with them: answer "unknown").  A directory
with no ``.git`` entry in it or above it can hold no accepted repository, so
git is not even started there (a project outside any repository costs no
process).  Discovery itself is git's own, so its ``safe.directory``
ownership check still applies to a repository another account owns.  Every
later call names the accepted repository explicitly (``--git-dir``/
``--work-tree``), so git cannot find a different one on its own.

*And every call turns the config-driven programs off* anyway (belt and
braces, so even the user's own ``core.fsmonitor`` does not start a daemon from
a pre-commit hook): ``core.fsmonitor=false``, hooks from an empty path,
``core.untrackedCache=false``, ``protocol.allow=never`` and
``GIT_NO_LAZY_FETCH=1`` (a partial clone's missing tree is not fetched, so no
transport, ssh command or credential helper starts), ``GIT_TERMINAL_PROMPT=0``,
``GIT_OPTIONAL_LOCKS=0`` (a read-only question does not write the index), and
``--no-pager``.  The commands used (``rev-parse``, ``ls-files`` without
``-m``/``-o``, ``check-ignore``, ``ls-tree --name-only``) read the index,
ignore files and tree objects only: none of them reads file contents, so no
textconv or filter driver can be involved (there is no ``--no-textconv`` to
pass).  System and global config (``GIT_CONFIG_NOSYSTEM`` and friends) are left
as the user set them: they are the user's.

*The process environment is trusted, but only partly relevant.*  The
variables that choose a repository (``GIT_DIR``, ``GIT_WORK_TREE``,
``GIT_COMMON_DIR``, ``GIT_OBJECT_DIRECTORY``...) are removed: envcheck asks
about a file by its directory, and a ``GIT_DIR`` set for another purpose (a
hook's relative ``GIT_DIR=.git`` would resolve under ``apps/web`` after
``-C``) would answer for the wrong repository; a layout that needs them
(a ``GIT_DIR=~/.dotfiles`` bare repository) gets "unknown".
``GIT_INDEX_FILE`` is kept, made absolute, when it lies in the accepted git
directory: git gives it to a commit hook (relative to the top, the hook's
current directory), and with ``git commit -a``/``git commit <path>`` it names
the temporary index being committed.  ``GIT_CEILING_DIRECTORIES`` and the
other variables are passed on: they only narrow git's search or are the
user's settings.

git takes a few milliseconds, a tenth of a cold ``envcheck check``, so a
caller that knows its question early can :func:`start` it and hand the result
to :func:`status` later: git then runs while the other rule families check.
The answer comes from the same git calls either way.

*A workspace run asks once* (:func:`share`): started at a monorepo root,
envcheck checks every app, and each app's questions would start their own
``rev-parse``, ``ls-files`` and ``check-ignore`` (three processes per app,
most of a 200-app run).  :func:`share` asks the root's repository once: the
discovery, one ``ls-files`` of every tracked file below the root and one
``ls-files --others --ignored --directory`` of what the ignore rules exclude
(git's own answer; ignored folders such as ``node_modules`` are listed as one
entry, not walked).  A folder below the root then shares the root's
repository only when git's own discovery would have found it: no ``.git``
and no bare-repository layout between them, the same file system, and no
``GIT_CEILING_DIRECTORIES``; else it is discovered on its own, as before.
``guard`` (``staged``) always asks git directly.
"""

from __future__ import annotations

import os
import posixpath
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # imported where git runs: a folder outside any repository never needs it
    import subprocess

TRACKED = "tracked"
STAGED = "staged"  # in the index, not yet in a commit (only with ``status(staged=True)``)
IGNORED = "ignored"
UNTRACKED = "untracked"  # neither tracked nor ignored

TIMEOUT = 10.0

# Config-driven programs off, whatever any config says (see the module docstring).
_HARDENED = (
    "--no-pager",
    "-c",
    "core.fsmonitor=false",
    "-c",
    f"core.hooksPath={os.devnull}",
    "-c",
    "safe.bareRepository=explicit",
    "-c",
    "core.untrackedCache=false",
    "-c",
    "protocol.allow=never",
)

# Variables that make git use another repository than the one discovered here.
_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_IMPLICIT_WORK_TREE",
)

_DISCOVER = ("rev-parse", "--show-toplevel", "--absolute-git-dir")


class WorkTree(NamedTuple):
    """An accepted repository: the work tree's top and its git directory (both real paths)."""

    top: Path
    git_dir: Path


def _environment(tree: WorkTree | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1")
    index = os.environ.get("GIT_INDEX_FILE")
    if tree is not None and index:
        index = os.path.realpath(index)  # a hook's relative one: its current directory is the top
        if index.startswith(str(tree.git_dir) + os.sep):
            env["GIT_INDEX_FILE"] = index
    return env


def _spawn(directory: Path, tree: WorkTree | None, *args: str) -> subprocess.Popen[bytes] | None:
    """git ``args`` in ``directory``, hardened; in ``tree`` when given, else git's discovery."""
    import subprocess

    where = ("--git-dir", str(tree.git_dir), "--work-tree", str(tree.top)) if tree else ()
    try:
        return subprocess.Popen(
            ["git", "-C", str(directory), *_HARDENED, *where, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(tree),
        )
    except (OSError, subprocess.SubprocessError):
        return None  # git not installed or not executable


def _finish(
    process: subprocess.Popen[bytes] | None, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes] | None:
    """What ``subprocess.run`` returns for a started git; None when it hung or failed."""
    if process is None:
        return None
    import subprocess

    with process:  # closes the pipes and reaps git on the way out
        try:
            stdout, stderr = process.communicate(stdin, timeout=TIMEOUT)
        except BaseException as err:
            process.kill()  # whatever went wrong, as subprocess.run does
            if isinstance(err, (OSError, subprocess.SubprocessError)):
                return None  # hung, or a pipe failed
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _accepted(answer: subprocess.CompletedProcess[bytes] | None) -> WorkTree | None:
    """The repository ``rev-parse`` found, if it is one the user made (module docstring)."""
    if answer is None or answer.returncode != 0:
        return None  # no repository, a refused bare one, a dubious owner, no git
    lines = answer.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 2 or not all(os.path.isabs(line) for line in lines):
        return None
    top, git_dir = (os.path.realpath(line) for line in lines)
    dot_git = os.path.join(top, ".git")
    if os.path.isdir(dot_git) and os.path.realpath(dot_git) == git_dir:
        return WorkTree(Path(top), Path(git_dir))
    if os.path.isfile(dot_git) and _under_a_dot_git(Path(git_dir), Path(top)):
        return WorkTree(Path(top), Path(git_dir))  # a submodule or a linked work tree
    return None


def _under_a_dot_git(git_dir: Path, top: Path) -> bool:
    """Is ``git_dir`` in (or) a ``.git`` directory that does not hold the work tree too."""
    return any(
        folder.name == ".git" and not top.is_relative_to(folder)
        for folder in (git_dir, *git_dir.parents)
    )


class _Discovery:
    """The one ``rev-parse`` of a directory: started once, its answer kept for the run.

    Workspace runs check apps in threads or forked workers: the answer is
    collected under a lock, and a worker forked while a discovery was still
    running starts its own (the running git is its parent's child).
    """

    def __init__(self, directory: Path) -> None:
        self.owner = os.getpid()
        self.lock = threading.Lock()
        found = _dot_git_above(directory)
        self.process = _spawn(directory, None, *_DISCOVER) if found else None
        self.done = False
        self.tree: WorkTree | None = None

    def result(self) -> WorkTree | None:
        with self.lock:
            if not self.done:
                self.tree = _accepted(_finish(self.process))
                self.done = True
        return self.tree


def _dot_git_above(directory: Path) -> bool:
    """Whether ``directory`` or a folder above it has a ``.git`` entry (a few ``lstat`` calls).

    Without one, git's discovery finds no repository that :func:`_accepted`
    would take (it needs ``<top>/.git`` above ``directory``; a bare layout is
    refused), so git is not started: a project outside any repository costs
    no process.  Both the path as given and its real path are walked, since
    git walks the physical path after ``-C``.
    """
    for start in {os.path.abspath(directory), os.path.realpath(directory)}:
        folder = start
        while True:
            if os.path.lexists(os.path.join(folder, ".git")):
                return True
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return False


_discoveries: dict[str, _Discovery] = {}  # absolute directory -> its discovery
_discoveries_lock = threading.Lock()


def _discovery(directory: Path) -> _Discovery:
    key = os.path.abspath(directory)
    with _discoveries_lock:
        known = _discoveries.get(key)
        if known is None or not (known.done or known.owner == os.getpid()):
            known = _discoveries[key] = _Discovery(Path(key))
        return known


class _Shared(NamedTuple):
    """One repository's answers for a workspace run (:func:`share`), paths relative to
    ``base`` (the real path of the root the run started at)."""

    tree: WorkTree
    base: str
    tracked: frozenset[str]  # tracked files, and every folder holding one ("x/")
    ignored: frozenset[str]  # untracked files the ignore rules exclude, and ignored folders ("x/")


_shared: dict[str, _Shared] = {}  # real path of a run's root -> its answers


def _looks_like_a_repository(folder: str) -> bool:
    """A ``.git`` entry, or the layout git's discovery takes for a bare repository."""
    return os.path.lexists(os.path.join(folder, ".git")) or (
        os.path.isfile(os.path.join(folder, "HEAD"))
        and os.path.isdir(os.path.join(folder, "objects"))
        and os.path.isdir(os.path.join(folder, "refs"))
    )


def _shared_for(directory: Path) -> tuple[_Shared, str] | None:
    """The shared answers ``directory`` may use, with its path relative to their base.

    Only where git's discovery from ``directory`` would reach the same repository:
    every folder from ``directory`` up to the base (not included) holds no repository
    of its own and sits on the same file system.
    """
    if not _shared or os.environ.get("GIT_CEILING_DIRECTORIES"):
        return None
    real = os.path.realpath(directory)
    for base, shared in _shared.items():
        if real != base and not real.startswith(base + os.sep):
            continue
        try:
            device = os.stat(base).st_dev
            folder = real
            while folder != base:
                if os.stat(folder).st_dev != device or _looks_like_a_repository(folder):
                    return None
                folder = os.path.dirname(folder)
        except OSError:
            return None
        rel = os.path.relpath(real, base).replace(os.sep, "/")
        return shared, "" if rel == "." else rel + "/"
    return None


def _with_folders(names: set[str]) -> frozenset[str]:
    """``names`` and every folder above each of them, as ``"folder/"``."""
    out = set(names)
    for name in names:
        head = name.rstrip("/")
        while "/" in head:
            head = head.rsplit("/", 1)[0]
            out.add(head + "/")
    return frozenset(out)


def share(root: Path) -> None:
    """Ask ``root``'s repository once for every folder below it (a workspace run).

    Call it before the apps are checked (before the fan-out forks, so every
    worker inherits the answers); without a repository, or when git fails,
    nothing is shared and each folder asks git itself.
    """
    tree = work_tree(root)
    if tree is None:
        return
    tracked = _git(tree, root, "ls-files", "-z")
    ignored = _git(
        tree, root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"
    )
    if tracked is None or ignored is None or tracked.returncode or ignored.returncode:
        return
    _shared[os.path.realpath(root)] = _Shared(
        tree,
        os.path.realpath(root),
        _with_folders(_names(tracked.stdout)),
        frozenset(_names(ignored.stdout)),
    )


def unshare() -> None:
    """Forget what :func:`share` asked (the run is over; tests)."""
    _shared.clear()


def _shared_status(shared: _Shared, prefix: str, paths: Sequence[str]) -> dict[str, str]:
    """:func:`status` answered from a workspace run's shared listings."""
    out: dict[str, str] = {}
    for path in paths:
        name = posixpath.normpath(prefix + path)
        if name in shared.tracked or name + "/" in shared.tracked:
            out[path] = TRACKED
            continue
        folders = name.split("/")[:-1]
        above = ("/".join(folders[: i + 1]) + "/" for i in range(len(folders)))
        hit = name in shared.ignored or any(f in shared.ignored for f in above)
        out[path] = IGNORED if hit else UNTRACKED
    return out


def _content_paths(tree: WorkTree, project_dir: Path, paths: Sequence[str]) -> dict[str, str]:
    """``link -> its target`` (relative to ``project_dir``) for the paths that are symlinks.

    git stores a link as the few bytes of its target's name, never the target's
    contents: ``apps/web/.env -> ../../.env`` committed leaks nothing, and
    whether the secrets are committed is the target's state.  Only targets in
    the same work tree are followed (git cannot answer for others).
    """
    import os

    out: dict[str, str] = {}
    for path in paths:
        full = project_dir / path
        if not full.is_symlink():
            continue
        try:
            target = full.resolve()
        except (OSError, RuntimeError):  # a loop
            continue
        if target == full or not target.is_relative_to(tree.top):
            continue
        out[path] = os.path.relpath(target, project_dir.resolve()).replace(os.sep, "/")
    return out


def work_tree(directory: Path) -> WorkTree | None:
    """The accepted repository holding ``directory``; None when there is none (asked once)."""
    shared = _shared_for(directory)
    if shared is not None:
        return shared[0].tree
    return _discovery(directory).result()


def _git(
    tree: WorkTree, directory: Path, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes] | None:
    return _finish(_spawn(directory, tree, *args), stdin)


def _ls_files(paths: Sequence[str]) -> tuple[str, ...]:
    return ("--literal-pathspecs", "ls-files", "-z", "--", *paths)


def _names(out: bytes) -> set[str]:
    return {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}


def _committed(tree: WorkTree, project_dir: Path, paths: Sequence[str]) -> set[str]:
    """Which of ``paths`` the ``HEAD`` commit holds (none before the first commit)."""
    args = ("--literal-pathspecs", "ls-tree", "-z", "--name-only", "HEAD", "--", *paths)
    listed = _git(tree, project_dir, *args)
    if listed is None or listed.returncode != 0:
        return set()  # no HEAD yet: everything in the index is only staged
    return _names(listed.stdout) & set(paths)


class Started:
    """The git of one :func:`status` question, running since :func:`start`.

    That is ``git ls-files`` when the directory's repository is already known,
    else the discovery of the repository (nothing else runs before it is
    accepted).  If nothing collects it (a rule failed first), git finishes on
    its own.
    """

    def __init__(self, project_dir: Path, paths: Sequence[str]) -> None:
        self.question = (project_dir, tuple(paths))
        self.discovery: _Discovery | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.lists = False
        if _shared_for(project_dir) is not None:  # a workspace run asked already
            return
        pending = _discoveries.get(os.path.abspath(project_dir))
        self.discovery = _discovery(project_dir)
        self.lists = self.discovery.done  # else the repository is not accepted yet
        tree = self.discovery.tree
        if self.lists:
            self.process = _spawn(project_dir, tree, *_ls_files(paths)) if tree else None
        else:  # the discovery, when this question is the one that started it
            self.process = None if self.discovery is pending else self.discovery.process


def start(project_dir: Path, paths: Sequence[str]) -> Started:
    """Start asking git ``status(project_dir, paths)``; pass the result to that call."""
    return Started(project_dir, paths)


def status(
    project_dir: Path,
    paths: Sequence[str],
    *,
    started: Started | None = None,
    staged: bool = False,
) -> dict[str, str]:
    """``path -> TRACKED | IGNORED | UNTRACKED``; empty when git cannot tell.

    With ``staged``, a file in the index that no commit holds yet is
    ``STAGED`` (one more ``git ls-tree HEAD``): ``guard`` tells "unstage it"
    from "remove it from history".

    ``paths`` are relative to ``project_dir`` (which may be a subdirectory of
    the work tree).  ``git ls-files`` prints paths relative to ``-C``, so the
    answers match the questions.  ``started`` is always collected, and its
    answer used when it asked this very question; else git is asked now.
    """
    early = None
    if started is not None:
        if started.lists:
            early = _finish(started.process)
        elif started.discovery is not None:
            started.discovery.result()  # collects the discovery it started
    if not paths:
        return {}
    shared = None if staged else _shared_for(project_dir)
    if shared is not None and not any(p.startswith("../") or "/../" in p for p in paths):
        if not _content_paths(shared[0].tree, project_dir, paths):  # links: below, by target
            return _shared_status(shared[0], shared[1], paths)
    tree = work_tree(project_dir)
    if tree is None:
        return {}
    content = _content_paths(tree, project_dir, paths)
    if content:  # a link's secrets are its target's: ask about the target instead
        answers = status(project_dir, [content.get(p, p) for p in paths], staged=staged)
        return {p: s for p in paths if (s := answers.get(content.get(p, p))) is not None}
    listed = early
    if started is None or not started.lists or started.question != (project_dir, tuple(paths)):
        listed = _git(tree, project_dir, *_ls_files(paths))
    if listed is None or listed.returncode != 0:
        return {}
    tracked = _names(listed.stdout) & set(paths)
    out = dict.fromkeys(tracked, TRACKED)
    if staged and tracked:
        committed = _committed(tree, project_dir, sorted(tracked))
        out.update(dict.fromkeys(tracked - committed, STAGED))
    rest = [p for p in paths if p not in tracked]
    if not rest:
        return out
    names = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in rest)
    ignored = _git(tree, project_dir, "check-ignore", "-z", "--stdin", stdin=names)
    if ignored is None or ignored.returncode not in (0, 1):  # 1: none of them is ignored
        return out
    hits = _names(ignored.stdout)
    out.update({p: IGNORED if p in hits else UNTRACKED for p in rest})
    return out
