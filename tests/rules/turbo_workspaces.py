"""Turborepo workspaces for the Turborepo family's tests (tests/rules/test_turbo*.py):
a fixture copied into a real git repository, a known process environment, and a
``check`` that fails if a fixture secret is printed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.harness import FIXTURES, HANG_GUARD, git

NPM_TURBO = FIXTURES / "turbo" / "npm-turbo"
WORKSPACES = FIXTURES / "workspaces"
# Values that must never be printed: the fixtures' secrets and what tests export.
ROOT_DB_PASSWORD = "fixture-db-pw-7Qx2"
EXPORTED = "exported-value-9Zk4"
SECRETS = (
    ROOT_DB_PASSWORD,
    EXPORTED,
    "staging.example.invalid",
    "sk_live_FAKEfakeFAKEfake00000000",
    "invented-auth-secret-3333",
)


def workspace(
    tmp_path: Path, files: Mapping[str, str | None] = (), *, source: Path = NPM_TURBO
) -> Path:
    """``source`` copied to a real git repository, ``files`` written (None: removed) first."""
    root = tmp_path / "ws"
    shutil.copytree(source, root)
    for name, text in dict(files).items():
        path = root / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if (root / "gitignore.txt").exists():
        (root / "gitignore.txt").rename(root / ".gitignore")
    elif not (root / ".gitignore").exists():
        (root / ".gitignore").write_text(".env*.local\nnode_modules\n.turbo\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "fixture")
    return root


def base_env(extra: Mapping[str, str] = ()) -> dict[str, str]:
    """A small, known process environment: the tools' basics plus ``extra``."""
    keep = ("PATH", "HOME", "XDG_CACHE_HOME", "LANG", "SYSTEMROOT", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep or k.startswith("GIT_")}
    env.update(extra)
    return env


def check(where: Path, env: Mapping[str, str] = (), *args: str) -> tuple[int, dict[str, Any]]:
    """``envcheck check --format json`` in ``where``: exit code and document (no secret shown)."""
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json", *args],
        cwd=where,
        env=base_env(env),
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    for secret in SECRETS:
        assert secret not in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return proc.returncode, json.loads(proc.stdout)


def found(document: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [f for f in document["findings"] if f["code"] == code]


def turbo_json(tasks: dict[str, Any], **top: Any) -> str:
    return json.dumps({"$schema": "https://turbo.build/schema.json", **top, "tasks": tasks})


def web(tmp_path: Path, files: Mapping[str, str | None] = ()) -> Path:
    return workspace(tmp_path, files) / "apps" / "web"


BUILD = {"dependsOn": ["^build"], "outputs": ["env-keys.json"]}
DEV = {"cache": False, "persistent": True}
