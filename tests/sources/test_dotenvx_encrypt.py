"""Files encrypted by the real ``dotenvx encrypt``, checked as a user runs envcheck on them.

The pinned ``@dotenvx/dotenvx`` (oracles/) encrypts a ``.env`` holding real-shaped secrets in a
temporary git repository; envcheck must then treat the ``encrypted:`` values as ciphertext
(never as leaked secrets), need ``DOTENV_PRIVATE_KEY`` only when neither the process nor
``.env.keys`` has it, and refuse ``.env.keys`` in git, all without printing a value.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT

DOTENVX = REPO_ROOT / "oracles" / "node_modules" / ".bin" / "dotenvx"
SECRET = "sk-proj-" + "Q7" * 20 + "x9Zt"
PASSWORD = "hunter2-" + "pw" * 6
PLAIN = f"OPENAI_API_KEY={SECRET}\nDATABASE_URL=postgres://app:{PASSWORD}@db.internal:5432/app\n"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert DOTENVX.exists(), "dotenvx missing from oracles: run `make oracles`"
    if shutil.which("git") is None:
        pytest.fail("git is required")
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "app", "dependencies": {"@dotenvx/dotenvx": "1.75.1"}}),
        encoding="utf-8",
    )
    (tmp_path / ".env").write_text(PLAIN + "PORT=3000\n", encoding="utf-8")
    subprocess.run(
        [str(DOTENVX), "encrypt", "-f", ".env"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
    )
    text = (tmp_path / ".env").read_text(encoding="utf-8")
    assert SECRET not in text and "encrypted:" in text  # the real tool did encrypt
    assert (tmp_path / ".env.keys").is_file()
    (tmp_path / ".gitignore").write_text(".env.keys\n", encoding="utf-8")
    for name in (".env", ".env.keys"):
        (tmp_path / name).chmod(0o600)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".env", ".gitignore", "package.json")
    return tmp_path


def envcheck(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, Any, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", *args, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), **(env or {})},
        timeout=60,
    )
    return proc.returncode, json.loads(proc.stdout), proc.stdout + proc.stderr


def codes(report: Any) -> set[tuple[str, str | None]]:
    return {(f["code"], f.get("key")) for f in report["findings"]}


def private_key(project: Path) -> str:
    for line in (project / ".env.keys").read_text(encoding="utf-8").splitlines():
        if line.startswith("DOTENV_PRIVATE_KEY="):
            return line.split("=", 1)[1].strip('"')
    raise AssertionError("no DOTENV_PRIVATE_KEY in .env.keys")


def test_a_committed_encrypted_env_with_its_keys_beside_it_passes(project: Path) -> None:
    code, report, out = envcheck(project, "check")
    assert report["framework"] == "dotenvx"
    assert code == 0, report["findings"]
    assert not {c for c, _ in codes(report) if c.startswith("EC4")}  # ciphertext is no leak
    assert SECRET not in out and PASSWORD not in out
    assert private_key(project) not in out


def test_without_the_private_key_every_encrypted_value_is_ec511(project: Path) -> None:
    key = private_key(project)
    (project / ".env.keys").unlink()
    code, report, out = envcheck(project, "check")
    assert code == 1
    assert {k for c, k in codes(report) if c == "EC511"} == {
        "OPENAI_API_KEY",
        "DATABASE_URL",
        "PORT",
    }
    code, report, out = envcheck(project, "check", env={"DOTENV_PRIVATE_KEY": key})
    assert code == 0, report["findings"]
    assert key not in out


def test_the_keys_file_in_git_is_refused(project: Path) -> None:
    _git(project, "add", "-f", ".env.keys")
    code, report, out = envcheck(project, "check")
    assert code == 1
    assert ("EC402", "DOTENV_PRIVATE_KEY") in codes(report)
    code, report, out = envcheck(project, "guard", ".env.keys")
    assert code == 1
    [finding] = report["findings"]
    assert "dotenvx rotate" in finding["hint"]
    assert private_key(project) not in out
    code, report, _ = envcheck(project, "guard", ".env")
    assert code == 0, report["findings"]  # the encrypted file is meant for git
