"""Ask the real git whether files are tracked, ignored or neither.

``.gitignore`` semantics (negations, nested ignore files, ``info/exclude``,
``core.excludesFile``, a file tracked *despite* an ignore pattern) are too
subtle to re-implement, so envcheck asks git: one ``git ls-files`` for all
files, then one ``git check-ignore --stdin`` for the untracked ones.  Paths go to
``ls-files`` as literal pathspecs (a file named ``.env.[mode]`` is not a glob;
``check-ignore`` refuses that flag but takes plain paths) and come back
NUL-separated (no quoting).  When git is missing, the directory is not in a
work tree, or git fails for any reason, the answer is "unknown": the security
rules then say nothing rather than guess.

git takes a few milliseconds, a tenth of a cold ``envcheck check``, so a
caller that knows its question early can :func:`start` it and hand the result
to :func:`status` later: ``git ls-files`` then runs while the other rule
families check.  The answer comes from the same git calls either way.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

TRACKED = "tracked"
STAGED = "staged"  # in the index, not yet in a commit (only with ``status(staged=True)``)
IGNORED = "ignored"
UNTRACKED = "untracked"  # neither tracked nor ignored

TIMEOUT = 10.0


def _spawn(project_dir: Path, *args: str) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            ["git", "-C", str(project_dir), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # git not installed or not executable


def _finish(
    process: subprocess.Popen[bytes] | None, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes] | None:
    """What ``subprocess.run`` returns for a started git; None when it hung or failed."""
    if process is None:
        return None
    with process:  # closes the pipes and reaps git on the way out
        try:
            stdout, stderr = process.communicate(stdin, timeout=TIMEOUT)
        except BaseException as err:
            process.kill()  # whatever went wrong, as subprocess.run does
            if isinstance(err, (OSError, subprocess.SubprocessError)):
                return None  # hung, or a pipe failed
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _git(
    project_dir: Path, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes] | None:
    return _finish(_spawn(project_dir, *args), stdin)


def _ls_files(paths: Sequence[str]) -> tuple[str, ...]:
    return ("--literal-pathspecs", "ls-files", "-z", "--", *paths)


def _names(out: bytes) -> set[str]:
    return {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}


def _committed(project_dir: Path, paths: Sequence[str]) -> set[str]:
    """Which of ``paths`` the ``HEAD`` commit holds (none before the first commit)."""
    listed = _git(
        project_dir, "--literal-pathspecs", "ls-tree", "-z", "--name-only", "HEAD", "--", *paths
    )
    if listed is None or listed.returncode != 0:
        return set()  # no HEAD yet: everything in the index is only staged
    return _names(listed.stdout) & set(paths)


class Started:
    """The ``git ls-files`` of one :func:`status` question, running since :func:`start`.

    If nothing collects it (a rule failed first), git finishes on its own.
    """

    def __init__(self, project_dir: Path, paths: Sequence[str]) -> None:
        self.question = (project_dir, tuple(paths))
        self.process = _spawn(project_dir, *_ls_files(paths))


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
    listed = _finish(started.process) if started is not None else None
    if not paths:
        return {}
    if started is None or started.question != (project_dir, tuple(paths)):
        listed = _git(project_dir, *_ls_files(paths))
    if listed is None or listed.returncode != 0:
        return {}  # 128: not a git repository (or a dubious-ownership refusal)
    tracked = _names(listed.stdout) & set(paths)
    out = dict.fromkeys(tracked, TRACKED)
    if staged and tracked:
        out.update(dict.fromkeys(tracked - _committed(project_dir, sorted(tracked)), STAGED))
    rest = [p for p in paths if p not in tracked]
    if not rest:
        return out
    names = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in rest)
    ignored = _git(project_dir, "check-ignore", "-z", "--stdin", stdin=names)
    if ignored is None or ignored.returncode not in (0, 1):  # 1: none of them is ignored
        return out
    hits = _names(ignored.stdout)
    out.update({p: IGNORED if p in hits else UNTRACKED for p in rest})
    return out
