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
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

TRACKED = "tracked"
IGNORED = "ignored"
UNTRACKED = "untracked"  # neither tracked nor ignored

TIMEOUT = 10.0


def _git(
    project_dir: Path, *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            ["git", "-C", str(project_dir), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # git not installed, not executable, or hung


def _names(out: bytes) -> set[str]:
    return {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}


def status(project_dir: Path, paths: Sequence[str]) -> dict[str, str]:
    """``path -> TRACKED | IGNORED | UNTRACKED``; empty when git cannot tell.

    ``paths`` are relative to ``project_dir`` (which may be a subdirectory of
    the work tree).  ``git ls-files`` prints paths relative to ``-C``, so the
    answers match the questions.
    """
    if not paths:
        return {}
    listed = _git(project_dir, "--literal-pathspecs", "ls-files", "-z", "--", *paths)
    if listed is None or listed.returncode != 0:
        return {}  # 128: not a git repository (or a dubious-ownership refusal)
    tracked = _names(listed.stdout) & set(paths)
    out = dict.fromkeys(tracked, TRACKED)
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
