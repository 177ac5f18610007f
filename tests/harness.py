"""One way for tests to run envcheck and to build the projects it runs on.

Subprocess runs are what users run: a fresh interpreter, the real CLI entry,
a process environment of PATH, HOME and the caller's extras only (no key of
the machine running the tests leaks in), and a hang guard far above any real
run (a guard, never a duration assertion).  Projects are real git
repositories in temp dirs, committed as a clone would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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
    write(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "clone")
    return root


def write(root: Path, files: Mapping[str, str]) -> Path:
    """``files`` written under ``root`` (no git): a project as a developer's folder."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def clone(
    root: Path,
    files: Mapping[str, str],
    symlinks: Mapping[str, str] | None = None,
    untracked: Mapping[str, str] | None = None,
) -> Path:
    """A cloned repository: ``files`` (and ``symlinks``) committed, ``untracked`` added
    afterwards as the developer's own files (mode 0600).  Every env file is 0600, so the
    machine's other accounts do not decide EC404."""
    write(root, files)
    for relative, target in (symlinks or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "clone")
    write(root, untracked or {})
    for relative in untracked or {}:
        (root / relative).chmod(0o600)
    for path in root.rglob(".env*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)
    return root


def private_env(project: Path, **extra: str) -> dict[str, str]:
    """PATH, and a HOME and cache of the project's own beside it (never inside, never
    shared with another test's project): no value of the shell running the tests, and
    no code-facts cache of another test, leaks in."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(project.with_name(project.name + ".home")),
        "XDG_CACHE_HOME": str(project.with_name(project.name + ".cache")),
        "PYTHONPATH": str(REPO_ROOT),
        "LANG": "C.UTF-8",
        **extra,
    }


def isolated(
    where: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m envcheck ARGS`` in ``where`` under :func:`private_env` plus ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=where,
        env=private_env(where, **(env or {})),
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )


def isolated_json(where: Path, *args: str) -> tuple[int, dict[str, Any] | None, str]:
    """:func:`isolated`'s exit code, JSON document (None if stdout is not one), stderr."""
    proc = isolated(where, *args)
    document = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
    return proc.returncode, document, proc.stderr


def findings(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """A ``--format json`` run's findings; the run must have ended with 0 or 1."""
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def codes(document: Mapping[str, Any] | None) -> set[tuple[str, str | None]]:
    """(code, key) of every finding of a JSON document."""
    return {(f["code"], f.get("key")) for f in (document or {}).get("findings", [])}


# A Next.js app's package.json, the smallest that envcheck reads as one.
NEXT_PACKAGE = '{"name": "app", "private": true, "dependencies": {"next": "15.0.0"}}'


def write_project(tmp: Path, files: Mapping[str, str]) -> Path:
    """``files`` written under ``tmp/project`` (no git); returns the project folder."""
    return write(tmp / "project", files)


def keys_of(found: list[dict[str, Any]], code: str) -> set[str]:
    """The keys of the findings with ``code``."""
    return {f["key"] for f in found if f["code"] == code}


def unset_reads(found: list[dict[str, Any]]) -> set[str]:
    """The keys the code reads with no default that nothing sets: EC901's (the code says it
    needs the key) and EC906's (a plain read; off by default, so select it to see these)."""
    return {f["key"] for f in found if f["code"] in ("EC901", "EC906")}
