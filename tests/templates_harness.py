"""Materialize a template fixture as a developer has it, and run envcheck on it.

A fixture under ``tests/corpus/templates/<name>/`` holds the files the
template ships (committed in the temp copy's git repository, with
``gitignore.txt`` as its ``.gitignore``) and, under ``filled/``, the files
a developer creates from the example (``.env.local`` / ``.env``), copied in
untracked.  Env files get mode 0600 so the world-readable rule, which
depends on this machine's other accounts, does not make the expectations
machine-dependent (it has its own tests).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.harness import CORPUS

TEMPLATES = CORPUS / "templates"
_KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")

Found = frozenset[tuple[str, str | None]]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def materialize(name: str, state: str, dest: Path) -> Path:
    """``dest/<name>``: the template as cloned ("fresh") or as the developer filled it in."""
    src = TEMPLATES / name
    project = dest / name
    shutil.copytree(src, project, ignore=shutil.ignore_patterns("filled", "gitignore.txt"))
    if (src / "gitignore.txt").is_file():
        shutil.copy(src / "gitignore.txt", project / ".gitignore")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "clone")
    if state == "filled":
        shutil.copytree(src / "filled", project, dirs_exist_ok=True)
    for path in project.rglob(".env*"):
        if path.is_file():
            path.chmod(0o600)
    return project


@contextlib.contextmanager
def clean_process_env() -> Iterator[None]:
    """Only PATH/HOME/locale in the process environment: no key of the runner leaks in."""
    saved = dict(os.environ)
    try:
        for key in list(os.environ):
            if key not in _KEEP_ENV:
                del os.environ[key]
        os.environ["NO_COLOR"] = "1"
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(project: Path, *args: str) -> tuple[int, str, str]:
    """``envcheck ARGS`` in ``project``, in-process; (exit code, stdout, stderr)."""
    from envcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with clean_process_env(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(cwd)
    return code, out.getvalue(), err.getvalue()


def findings(project: Path, *args: str) -> tuple[int, Found]:
    """The (code, key) pairs of ``envcheck check --format json ARGS``."""
    code, out, err = run(project, "check", "--format", "json", *args)
    assert code in (0, 1), err
    report = json.loads(out)
    return code, frozenset((f["code"], f["key"]) for f in report["findings"])
