"""Turborepo rules (EC8xx): what ``turbo run`` hashes and passes, checked per app.

Turborepo replays a cached task when its hash is unchanged.  The hash covers
the task's ``inputs`` (by default the package's git-tracked and untracked,
not git-ignored files: an edited, git-ignored ``.env.local`` changes
nothing) and the variables named in ``env`` / ``globalEnv`` plus those the
detected framework infers (``NEXT_PUBLIC_*`` for Next.js).  In strict env
mode, the default since 2.0, a task sees only those variables, the
pass-through lists and a built-in list (``PATH``, ``HOME``, ``CI``, …).
Every such fact here was checked against the real ``turbo`` (see
tests/rules/test_turbo_oracle.py and docs/turborepo.md).

The family runs inside ``envcheck check`` for every project: without a
``turbo.json`` / ``turbo.jsonc`` in the project directory or above it
(up to the git work tree's top) it costs a few ``stat`` calls and imports
nothing: this module holds the rules and the root search, and
:mod:`envcheck.rules.turbo_checks` (imported once a root is found) the
checks.  The workspace root's ``.env`` that the app's framework never reads
(EC804) is checked there too, for Turborepo workspaces.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from envcheck.model import Finding, Record
from envcheck.rules.base import CheckContext
from envcheck.rules.turbo_rules import (  # RULES: what the registry lists for this family
    EC801,
    EC804,
    RULES,
    Located,
)

if TYPE_CHECKING:
    from envcheck.rules.gitfiles import Started


CONFIG_NAMES = ("turbo.json", "turbo.jsonc")
_MAX_LEVELS = 32  # folders walked up before giving up (a hostile deep tree)


def _config_in(folder: str) -> str | None:
    """The turbo config file in ``folder``, if any (once per folder per workspace run: its
    apps walk up through the same folders; any other caller looks every time)."""
    from envcheck.sources.checkout import run_memo
    from envcheck.workspace.current import SCHEMA_ROOT

    memo = run_memo(__name__) if SCHEMA_ROOT.get() is not None else {}
    if folder in memo:
        return memo[folder]  # type: ignore[return-value]
    found = None
    for name in CONFIG_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            found = path
            break
    memo[folder] = found
    return found


def _extends(path: str) -> bool:
    """A package-level turbo.json (``"extends": ["//"]``), told apart without parsing."""
    from envcheck.sources.checkout import read_bytes

    try:
        head = read_bytes(Path(path), within=Path(path).parent, cap=1024 * 1024, truncate=True)
        return b'"extends"' in head
    except OSError:
        return False


def locate(start: Path) -> Located | None:
    """The Turborepo root above ``start`` (inclusive); None when there is none.

    The walk stops at the first folder holding turbo.json / turbo.jsonc that
    is not the app's own package-level file, or at the work tree's top (as
    :func:`gitfiles.work_tree <envcheck.rules.gitfiles.work_tree>` accepts it)
    or the filesystem root.  git is asked for the top only once a config is
    found (most projects have none: their walk starts no process).
    """
    first = here = os.path.abspath(start)
    own: str | None = None
    passed: list[str] = []  # the folders walked before ``here``
    for _ in range(_MAX_LEVELS):
        config = _config_in(here)
        if config is not None:
            if here == first and _extends(config):
                own = config
            else:
                if _top_among(start, passed):
                    return None
                return Located(Path(here), Path(config), Path(own) if own else None)
        passed.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    return None


def _top_among(start: Path, folders: list[str]) -> bool:
    """Whether the work tree's top (as git answers for ``start``) is one of ``folders``."""
    if not folders:
        return False
    from envcheck.rules import gitfiles

    tree = gitfiles.work_tree(start)
    return tree is not None and str(tree.top) in {os.path.realpath(f) for f in folders}


class _State(Record):
    """What ``prepare`` found and started for ``check``."""

    __slots__ = ("located", "files", "git")
    located: Located | None
    files: list[str]
    git: Started | None

    def __init__(self, located: Located | None, files: list[str], git: Started | None) -> None:
        self.located = located
        self.files = files
        self.git = git


def _wanted(ctx: CheckContext) -> bool:
    return ctx.enabled is None or any(r.code in ctx.enabled for r in RULES)


def prepare(ctx: CheckContext) -> None:
    """Find the turbo root; if there is one, start asking git about the app's env files."""
    if not _wanted(ctx):
        return
    located = locate(ctx.project_dir)
    files: list[str] = []
    started = None
    if located is not None and located.root_dir != Path(os.path.abspath(ctx.project_dir)):
        from envcheck.rules import envfiles, gitfiles

        files = [
            n
            for n in envfiles.env_file_names(ctx.project_dir)
            if not envfiles.is_template(n) and n not in (".env.keys", ".env.vault")
        ]
        if files and (ctx.enabled is None or EC801.code in ctx.enabled):
            started = gitfiles.start(ctx.project_dir, files)
    ctx.shared[__name__] = _State(located, files, started)


def check(ctx: CheckContext) -> Iterable[Finding]:
    if __name__ not in ctx.shared:
        prepare(ctx)
    state: _State | None = ctx.shared.get(__name__)
    if state is None:
        return []
    if state.located is None:
        return _workspace_root_env(ctx)
    from envcheck.rules.turbo_checks import run

    return list(run(ctx, state.located, state.files, state.git))


def _workspace_root_env(ctx: CheckContext) -> list[Finding]:
    """EC804 in a workspace without turbo.json: only in a run at the root, which knows it."""
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None or (ctx.enabled is not None and EC804.code not in ctx.enabled):
        return []
    same = os.path.normcase(os.path.abspath(root)) == os.path.normcase(
        os.path.abspath(ctx.project_dir)
    )  # strings, not two Path objects per app of the run
    if same:
        return []
    from envcheck.rules.turbo_checks import root_env

    return list(root_env(ctx, Path(root)))
