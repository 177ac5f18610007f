"""What a workspace run reads once and shares, and that what it shares is per run and per
app: an app's own code is read by the task that checks it (in a forked worker), the
git listing runs on a thread that is joined before the fork, and the per-run memos
(package.json dependencies, turbo.json above the apps) are answered again by the next
run.  Counted and compared, never timed.
"""

from __future__ import annotations

import json
import os
import posixpath
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envcheck.fanout import pool
from tests.harness import repository


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A run as a fresh process starts it: nothing memoized, a private facts cache."""
    from envcheck.workspace import apps

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    apps.forget()
    yield
    apps.forget()


def _monorepo(root: Path, apps: int, *, library: bool = True) -> Path:
    """``apps`` Next.js apps; app ``i`` reads ``ONLY_APP_i!`` (set nowhere; the ``!`` says
    the app needs it) in its code and (``library``) ``SHARED_URL!`` through the library every
    app depends on."""
    files = {
        "package.json": '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}',
        "packages/db/package.json": '{"name": "@acme/db", "main": "index.ts"}\n',
        "packages/db/index.ts": "export const url = process.env.SHARED_URL!;\n",
    }
    for i in range(apps):
        dependencies = {"next": "15.0.0", **({"@acme/db": "workspace:*"} if library else {})}
        files[f"apps/app{i}/package.json"] = json.dumps(
            {"name": f"app{i}", "scripts": {"dev": "next dev"}, "dependencies": dependencies}
        )
        files[f"apps/app{i}/.env"] = "LOG_LEVEL=debug\n"
        files[f"apps/app{i}/app/page.tsx"] = (
            ('import { url } from "@acme/db";\n' if library else "const url = 1;\n")
            + f"export const key = process.env.ONLY_APP_{i}!;\n"
            "export default function Page() { return url }\n"
        )
    return repository(root, files)


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from envcheck.cli import main

    monkeypatch.chdir(root)
    return main(list(args))


@pytest.mark.parametrize("library", [False, True], ids=["no-library", "library"])
def test_each_folder_is_read_once_and_each_app_gets_only_its_facts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh: None,
    library: bool,
) -> None:
    """Every folder is read once.  With no library, each app's folder is read by the task
    that checks it (forked workers; the first app runs before the fork); with one, every
    folder before the apps run (an app may ask what the others read).  Every app is told of
    its own unset key (and the library's), never of another app's."""
    import envcheck.code

    if pool.pool_kind() != "process":
        pytest.skip("no fork on this platform: the thread pool reads in this process")
    root = _monorepo(tmp_path / "repo", apps=6, library=library)
    log = tmp_path / "scans.log"
    scan = envcheck.code.scan

    def counted(directory: Path, *args: Any, **kwargs: Any) -> Any:
        with open(log, "a", encoding="utf-8") as out:  # forked workers append too
            out.write(f"{os.getpid()} {os.path.relpath(directory, root)}\n")
        return scan(directory, *args, **kwargs)

    monkeypatch.setattr(envcheck.code, "scan", counted)
    monkeypatch.setattr(pool, "default_jobs", lambda: 3)
    assert _run(root, monkeypatch, "check", "--format", "json") == 1
    scans = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    folders = [folder for _, folder in scans]
    apps = [f"apps/app{i}" for i in range(6)]
    assert sorted(folders) == sorted(["packages/db", *apps])  # with no dependant, an app
    here = [f for pid, f in scans if pid == str(os.getpid())]
    if not library:  # packages/db: read to classify it (no env file, no dependant); the
        # first app's task runs here, before the fork; the others here or in a worker
        assert here[:2] == ["packages/db", "apps/app0"]
    report = json.loads(capsys.readouterr().out)
    by_app: dict[str, set[str]] = {}
    for finding in report["findings"]:
        if finding["code"] == "EC901":  # related: the app's own env file, where to set it
            related = finding["related"]  # none: an app with no env file (packages/db)
            app = posixpath.dirname(related[0]["path"] if related else finding["path"])
            by_app.setdefault(app, set()).add(finding["key"])
    shared = {"SHARED_URL"} if library else set()
    expected = {f"apps/app{i}": {f"ONLY_APP_{i}", *shared} for i in range(6)}
    if not library:
        expected["packages/db"] = {"SHARED_URL"}  # an app of its own: it reads env
    assert by_app == expected


def test_the_git_listing_thread_is_done_before_the_apps_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    """The repository is listed once, meanwhile on a thread: by the time a pool starts
    (and forks workers) the thread is gone and its answers are there for every app."""
    from envcheck.fanout import run
    from envcheck.rules import gitfiles

    root = _monorepo(tmp_path / "repo", apps=3)
    seen: list[tuple[int, bool]] = []
    run_all = run.run_all

    def observed(tasks: Any, **kwargs: Any) -> Any:
        seen.append((threading.active_count(), bool(gitfiles._shared)))
        return run_all(tasks, **kwargs)

    monkeypatch.setattr(run, "run_all", observed)
    assert _run(root, monkeypatch, "check") == 1
    assert seen == [(1, True), (1, True)]  # the library's scan (a cold cache), the apps
    assert not gitfiles._shared  # forgotten when the run ends


def test_a_new_discovery_reads_the_dependencies_again(tmp_path: Path, fresh: None) -> None:
    """The dependency memo holds for one discovery: a package.json changed before the next
    run's discovery (the language server's next check) is read again."""
    from envcheck.sources.checkout import set_project_root
    from envcheck.workspace.apps import classify
    from envcheck.workspace.discover import discover

    root = _monorepo(tmp_path / "repo", apps=2)
    set_project_root(root)
    kinds = {p.app.path: p.kind for p in classify(discover(root, "npm"))}
    assert kinds["packages/db"] == "library"
    for i in range(2):  # no app depends on the library any more
        (root / f"apps/app{i}/package.json").write_text(json.dumps({"name": f"app{i}"}))
    set_project_root(root)
    kinds = {p.app.path: p.kind for p in classify(discover(root, "npm"))}
    assert kinds["packages/db"] == "app"  # its code reads env: an app of its own now


def test_turbo_json_is_looked_for_once_per_folder_per_run_and_again_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every app of a run walks up through the same folders: each is asked once per run;
    a turbo.json written before the next run is found by it."""
    from envcheck.rules import turbo
    from envcheck.sources.checkout import set_project_root
    from envcheck.workspace.current import SCHEMA_ROOT

    root = tmp_path / "repo"
    apps = [root / "apps" / f"app{i}" for i in range(5)]
    for app in apps:
        app.mkdir(parents=True)
    asked: list[str] = []
    isfile = os.path.isfile

    def counted(path: Any) -> bool:
        asked.append(os.fspath(path))
        return isfile(path)

    monkeypatch.setattr(os.path, "isfile", counted)
    set_project_root(root)
    token = SCHEMA_ROOT.set(root)  # as the fan-out sets it for each app's run
    try:
        assert [turbo.locate(app) for app in apps] == [None] * 5
        assert len(asked) == len(set(asked))  # no folder asked twice in the run
        (root / "turbo.json").write_text('{"tasks": {}}\n')
        set_project_root(root)  # the next run
        found = turbo.locate(apps[0])
    finally:
        SCHEMA_ROOT.reset(token)
    assert found is not None and found.root_config == root / "turbo.json"
