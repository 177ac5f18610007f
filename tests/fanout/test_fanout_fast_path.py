"""At a workspace root, a plain ``envcheck check`` takes the command line's fast path
(no click, :mod:`envcheck.cli`) and still prints, byte for byte, what the click
command prints: the merged report, the notes, the errors of ``--app``, the exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import repository

KEY = "sk-proj-" + "Zt4Hq8Wm1Rb6Ny3Kc5Jd7Lf" * 2  # fake


def _workspace(root: Path) -> Path:
    files = {
        "package.json": '{"private": true, "workspaces": ["apps/*"]}\n',
        ".gitignore": ".env*.local\n",
    }
    for i, prefix in enumerate(("NEXT_PUBLIC_", "VITE_", "NEXT_PUBLIC_")):
        tool = '"vite": "6.0.0"' if prefix == "VITE_" else '"next": "15.1.0"'
        files[f"apps/app{i}/package.json"] = f'{{"name": "app{i}", "dependencies": {{{tool}}}}}\n'
        files[f"apps/app{i}/.env.example"] = f"DATABASE_URL=\n{prefix}SITE_URL=\nOPENAI_API_KEY=\n"
        files[f"apps/app{i}/.env.local"] = (
            f"DATABASE_URL=postgres://app:pw{i}@localhost/app{i}\n{prefix}OPENAI_KEY={KEY}\n"
        )
    return repository(root, files)


def _run(entry: str, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``argv`` through ``entry``: ``fast`` (envcheck.cli.main) or ``click`` (the group)."""
    if entry == "fast":
        code = (
            "import sys\nfrom envcheck.cli import main\n"
            f"code = main({argv!r})\nassert 'click' not in sys.modules, 'click imported'\n"
        )
    else:
        code = f"from envcheck.commands.group import run\ncode = run({argv!r})\n"
    return subprocess.run(
        [sys.executable, "-c", code + "raise SystemExit(code)\n"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["--format", "json"],
        ["check", "--format", "sarif", "-q"],
        ["--app", "app1"],
        ["--app", "nothing-here"],
        ["--strict", "--no-code", "--select", "EC4"],
    ],
    ids=" ".join,
)
def test_the_root_prints_the_same_without_click(argv: list[str], tmp_path: Path) -> None:
    root = _workspace(tmp_path / "repo")
    fast, slow = _run("fast", argv, root), _run("click", argv, root)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )
    assert fast.returncode in (1, 2)  # leaked keys (1), or an unknown app (2)
    assert KEY not in fast.stdout + fast.stderr
