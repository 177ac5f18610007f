"""A workspace run asks git once (``gitfiles.share``), and the answers are git's own.

Each question a folder below the root asks (tracked / ignored / untracked) gets
the same answer from the shared listings as from its own ``git ls-files`` and
``git check-ignore``; a folder holding a repository of its own never uses them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.rules import gitfiles
from tests.harness import git, repository

FILES = {
    ".gitignore": ".env*.local\nbuild/\n!apps/web/.env.keep.local\n",
    "apps/web/.env": "A=1\n",
    "apps/web/.gitignore": ".env.production\n!.env.development.local\n",
    "apps/api/.env.example": "A=\n",
}
LATER = {  # written after the commit: untracked
    "apps/web/.env.local": "A=1\n",
    "apps/web/.env.production": "A=1\n",
    "apps/web/.env.development.local": "A=1\n",
    "apps/web/.env.keep.local": "A=1\n",
    "apps/web/.env.staging": "A=1\n",
    "apps/web/build/.env": "A=1\n",
    "apps/api/.env": "A=1\n",
}
QUESTIONS = {
    "apps/web": [
        ".env", ".env.local", ".env.production", ".env.development.local",
        ".env.keep.local", ".env.staging", "build/.env", ".env.missing",
    ],
    "apps/api": [".env", ".env.example"],
}  # fmt: skip


@pytest.fixture
def monorepo(tmp_path: Path) -> Iterator[Path]:
    root = repository(tmp_path / "repo", FILES)
    for relative, text in LATER.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    gitfiles.unshare()
    yield root
    gitfiles.unshare()


def _answers(root: Path) -> dict[str, dict[str, str]]:
    return {app: gitfiles.status(root / app, paths) for app, paths in QUESTIONS.items()}


def test_shared_answers_are_the_per_folder_answers(monorepo: Path) -> None:
    alone = _answers(monorepo)
    gitfiles.share(monorepo)
    shared = _answers(monorepo)
    assert shared == alone
    assert alone["apps/web"][".env.local"] == gitfiles.IGNORED  # a sanity check of the case
    assert alone["apps/web"][".env.staging"] == gitfiles.UNTRACKED


def test_shared_answers_start_no_git(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gitfiles.share(monorepo)
    started: list[tuple[str, ...]] = []
    spawn = gitfiles._spawn

    def counted(*args: object) -> subprocess.Popen[bytes] | None:
        started.append(tuple(str(a) for a in args[2:]))
        return spawn(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(gitfiles, "_spawn", counted)
    _answers(monorepo)
    assert gitfiles.work_tree(monorepo / "apps" / "web") is not None
    assert started == []


def test_a_folder_with_a_repository_of_its_own_asks_git_itself(monorepo: Path) -> None:
    inner = monorepo / "apps" / "api"
    git(inner, "init", "-q")  # apps/api is now its own repository: nothing tracked there
    gitfiles.share(monorepo)
    assert gitfiles.status(inner, [".env.example"]) == {".env.example": gitfiles.UNTRACKED}
