"""One way for tests to run envcheck and to build the projects it runs on.

Subprocess runs are what users run: a fresh interpreter, the real CLI entry,
a process environment of PATH, HOME and the caller's extras only (no key of
the machine running the tests leaks in), and a hang guard far above any real
run (a guard, never a duration assertion).  Projects are real git
repositories in temp dirs, committed as a clone would be.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

HANG_GUARD = 120.0

# The paths tests use, defined here only: a test names them, never ``__file__``,
# so moving a test file between folders cannot break a path.
TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
CORPUS = TESTS_DIR / "corpus"  # files and projects the differential tests share
DATA = TESTS_DIR / "data"  # recorded provider answers, the SARIF schema
FIXTURES = REPO_ROOT / "fixtures"


def envcheck(
    where: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m envcheck ARGS`` in ``where`` with a minimal environment."""
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env={"PATH": "/usr/bin:/bin", "HOME": str(where), "NO_COLOR": "1", **(env or {})},
    )


def git(where: Path, *args: str) -> None:
    """Real git, with an identity and no signing, whatever the machine's config says."""
    subprocess.run(
        [
            "git",
            "-c", "user.name=envcheck tests",
            "-c", "user.email=tests@envcheck.invalid",
            "-c", "commit.gpgsign=false",
            "-c", "init.defaultBranch=main",
            *args,
        ],
        cwd=where,
        check=True,
        capture_output=True,
        timeout=HANG_GUARD,
    )  # fmt: skip


def repository(root: Path, files: Mapping[str, str]) -> Path:
    """``root`` as a fresh clone: ``files`` written and committed."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "clone")
    return root
