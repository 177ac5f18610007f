"""What a check at a workspace root does once per run, not once per app (issue #24: 200
apps at a root in at most 3x one app's time).  Counted, never timed: the same run with 3
and with 9 apps asks each shared question the same number of times, and each app's own
question once.  The apps run in this process (``serial``) so that every call is seen.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.harness import repository


@pytest.fixture(autouse=True)
def _fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from envcheck.workspace import apps

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ENVCHECK_WORKSPACE_POOL", "serial")  # every call in this process
    apps.forget()
    yield
    apps.forget()


def _workspace(root: Path, apps: int) -> Path:
    """``apps`` Next.js apps with the same template and a copy leaving a key empty (EC302
    asks which template the copy came from), as bench/workspace_bench.py writes them."""
    files = {
        "package.json": '{"private": true, "workspaces": ["apps/*"]}\n',
        ".gitignore": "node_modules\n.env*.local\n",
    }
    for i in range(apps):
        files[f"apps/app{i}/package.json"] = json.dumps(
            {"name": f"app{i}", "private": True, "dependencies": {"next": "15.1.0"}}
        )
        files[f"apps/app{i}/.env.example"] = "DATABASE_URL=\nOPENAI_API_KEY=\nLOG_LEVEL=info\n"
        files[f"apps/app{i}/.env.local"] = (
            f"DATABASE_URL=postgres://app:pw{i}@localhost:5432/app{i}\nOPENAI_API_KEY=\n"
            "LOG_LEVEL=debug\n"
        )
    return repository(root, files)


def _check(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from envcheck.cli import main

    monkeypatch.chdir(root)
    assert main(["check", "--format", "json"]) in (0, 1)


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Counter[str]:
    """Calls of ``module.name``, by the first argument's absolute path."""
    calls: Counter[str] = Counter()
    real = getattr(module, name)

    def counted(first: Any, *args: Any, **kwargs: Any) -> Any:
        calls[os.path.abspath(first) if isinstance(first, (str, Path)) else repr(first)] += 1
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize("apps", [3, 9])
def test_one_template_text_is_parsed_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], apps: int
) -> None:
    """The schema's loader and EC302 read the same template; the apps share its text."""
    from envcheck.schema import example

    parsed = _counted(monkeypatch, example, "_parse_example")
    _check(_workspace(tmp_path / "repo", apps), monkeypatch)
    assert sum(parsed.values()) == 1  # one text, one name: parsed once for every app
    document = json.loads(capsys.readouterr().out)
    assert len(document["apps"]) == apps


def test_each_app_asks_once_which_template_its_copy_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema's loader (which template is the schema) and EC302 (does the copy's
    template ship the key empty) ask the same question: each app's copy is read for it
    once, and each app folder listed for templates once."""
    from envcheck.sources import templates

    read = _counted(monkeypatch, templates, "_lines_of")
    listed = _counted(monkeypatch, templates, "template_names")
    root = _workspace(tmp_path / "repo", 4)
    _check(root, monkeypatch)
    copies = [p for p in read if p.endswith(".env.local")]
    assert sorted(copies) == [str(root / f"apps/app{i}/.env.local") for i in range(4)]
    assert set(read.values()) == {1}
    assert listed == Counter({str(root / f"apps/app{i}"): 1 for i in range(4)})


@pytest.mark.parametrize("apps", [3, 9])
def test_the_root_folder_is_listed_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apps: int
) -> None:
    """EC804 asks, for every app, which env files the root holds: listed once per run."""
    from envcheck.rules import envfiles

    listed = _counted(monkeypatch, envfiles, "env_file_names")
    root = _workspace(tmp_path / "repo", apps)
    _check(root, monkeypatch)
    assert listed[str(root)] == 1


def test_folders_are_resolved_from_their_parents_whatever_the_number_of_apps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder's real path is its parent's (known) plus one ``lstat``: the full
    ``realpath`` walks (a ``lstat`` per component of the path) do not grow with the apps."""
    import posixpath

    realpath = posixpath.realpath
    calls: list[str] = []

    def counted(path: Any, *args: Any, **kwargs: Any) -> str:
        calls.append(os.fspath(path))
        return realpath(path, *args, **kwargs)

    walks: list[int] = []
    for apps in (3, 9):
        calls.clear()
        monkeypatch.setattr(os.path, "realpath", counted)
        _check(_workspace(tmp_path / f"repo{apps}", apps), monkeypatch)
        monkeypatch.setattr(os.path, "realpath", realpath)
        walks.append(len(calls))
    assert walks[0] == walks[1], walks
