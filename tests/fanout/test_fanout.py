"""The workspace fan-out's plumbing (issue #24): each app through the engine, results as data.

* no stream is replaced while the apps of a report command run, and no message
  is rewritten on the way to the merged output: a finding's places move with
  :meth:`Report.rebased`, its text stays byte for byte what the rule wrote;
* shared work happens once per run: each package folder's code is scanned once
  however many apps depend on it and however many workers check them;
* the per-app result crosses a process boundary (it pickles).

In-process runs use the real CLI entry (``envcheck.cli.main``) on real git
repositories in ``tmp_path``; counts, never durations.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envcheck.fanout import merge, pool
from envcheck.fanout.result import AppRun
from envcheck.model import Finding, Location, Related, Report, Severity
from envcheck.workspace.discover import Workspace
from tests.harness import repository

WORKSPACE = '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}\n'
LIBRARY = '{"name": "@acme/db", "main": "index.ts"}\n'
KEY = "sk-proj-" + "Q7vRm2Xk9LpT4sWb" * 3  # fake


def _app(name: str) -> str:
    return (
        f'{{"name": "{name}", "scripts": {{"dev": "next dev"}},'
        ' "dependencies": {"next": "15.0.0", "@acme/db": "workspace:*"}}\n'
    )


def _monorepo(root: Path, apps: int) -> Path:
    """``apps`` Next.js apps, each with its own env file, all depending on one library."""
    files = {
        "package.json": WORKSPACE,
        ".gitignore": ".env*.local\n",
        "packages/db/package.json": LIBRARY,
        "packages/db/index.ts": "export const url = process.env.DATABASE_URL;\n",
    }
    for i in range(apps):
        files[f"apps/app{i}/package.json"] = _app(f"app{i}")
        files[f"apps/app{i}/.env.local"] = f"DATABASE_URL=postgres://localhost/app{i}\n"
        files[f"apps/app{i}/app/page.tsx"] = "export default function Page() { return null }\n"
    return repository(root, files)


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A run as a fresh process starts it: nothing memoized, a private facts cache."""
    from envcheck.workspace import apps

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    apps.forget()
    yield
    apps.forget()


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from envcheck.cli import main

    monkeypatch.chdir(root)
    return main(list(args))


COMMANDS = (
    ("check", "--format", "json"),
    ("lint",),
    ("guard",),
    ("explain", "--format", "json"),
    ("diff",),
    ("probe",),
)


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_root_run_never_replaces_stdout_or_stderr(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh: None,
    command: tuple[str, ...],
) -> None:
    """Every app's run, for every command, sees the process's own streams: nothing is
    captured, whatever the command prints is printed by the merge."""
    from envcheck.fanout import run

    root = _monorepo(tmp_path / "repo", apps=3)
    real = (sys.stdout, sys.stderr)
    seen: list[bool] = []
    one_app = run._one_app

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append((sys.stdout, sys.stderr) == real)
        result = one_app(*args, **kwargs)
        seen.append((sys.stdout, sys.stderr) == real)
        return result

    monkeypatch.setattr(run, "_one_app", watched)
    monkeypatch.setenv("ENVCHECK_WORKSPACE_POOL", "serial")  # the apps run in this process
    _run(root, monkeypatch, *command)
    assert len(seen) >= 2 * 3 and all(seen)  # every app ran (lint, guard: the root's too)


def _views(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> list[Any]:
    """The per-app results a root run hands to the merge."""
    seen: list[Any] = []
    emit = merge.emit

    def kept(command: str, workspace: Any, labels: Any, results: Any, *rest: Any) -> int:
        seen.extend(results)
        return emit(command, workspace, labels, results, *rest)

    monkeypatch.setattr(merge, "emit", kept)
    _run(root, monkeypatch, *args)
    monkeypatch.setattr(merge, "emit", emit)
    return seen


@pytest.mark.parametrize("command", ["explain", "diff", "probe"])
def test_document_commands_hand_the_merge_typed_picklable_views(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None, command: str
) -> None:
    """explain, diff and probe return data (no printed text) that crosses a process
    boundary; masked values only."""
    root = _monorepo(tmp_path / "repo", apps=2)
    (root / "apps/app0/.env.local").write_text(f"OPENAI_API_KEY={KEY}\nPLAIN=1\n")
    monkeypatch.setenv("ENVCHECK_WORKSPACE_POOL", "serial")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # refused: inconclusive
    args = ["--provider", "openai", "--timeout", "0.5"] if command == "probe" else []
    runs = _views(root, monkeypatch, command, *args, "--format", "json")
    views = [r.view for r in runs if r.view is not None]
    assert views, runs
    for view in views:
        data = pickle.dumps(view)
        assert KEY.encode() not in data
        assert pickle.loads(data) == view


def test_root_text_is_each_apps_own_output_under_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh: None
) -> None:
    """Under ``== apps/app0 ==`` stands what ``explain`` prints inside that app: the view
    renders the same text both ways (``--no-code``: a run inside an app does not see the
    libraries the root run reads)."""
    root = _monorepo(tmp_path / "repo", apps=2)
    _run(root / "apps/app0", monkeypatch, "explain", "--no-code")
    alone = capsys.readouterr().out
    _run(root, monkeypatch, "explain", "--no-code")
    merged = capsys.readouterr().out
    assert f"== apps/app0 ==\n{alone}== apps/app1 ==\n" in merged


def test_merged_documents_name_every_place_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh: None
) -> None:
    """JSON: each app's document moved to the root (files, origins, code reads);
    github: each app's annotations placed from the working directory, once."""
    root = _monorepo(tmp_path / "repo", apps=2)
    (root / "apps/app0/.env.production").write_text("DATABASE_URL=postgres://localhost/app0\n")
    _run(root, monkeypatch, "explain", "--format", "json")
    document = json.loads(capsys.readouterr().out)
    first = document["apps"][0]["document"]
    assert first["files"] == ["apps/app0/.env.local"]
    assert first["keys"]["DATABASE_URL"]["source"] == "apps/app0/.env.local"
    reads = [r["path"] for r in first["keys"]["DATABASE_URL"].get("read_at", [])]
    assert all(p.startswith("packages/db/") for p in reads)
    _run(root, monkeypatch, "diff", "--format", "github")
    lines = capsys.readouterr().out.splitlines()
    assert lines, "the production side reads a development value: a finding"
    assert all(line.startswith("::error file=apps/app0/.env") for line in lines), lines


def _finding(message: str, path: str) -> Finding:
    return Finding(
        "EC999",
        "test-rule",
        Severity.ERROR,
        message,
        Location(path, 2, 1),
        "API_KEY",
        f"hint naming {path} and ../../.env",
        (Related(Location("../../envcheck.toml", 4), "declared here"),),
    )


def test_messages_naming_paths_stay_byte_identical_and_places_move(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The merge moves locations, related locations and files, never the text."""
    message = "../../.env and apps/web/.env (../x) name files: ``../../.env``"
    report = Report(
        [_finding(message, "../../.env"), _finding(message, ".env.local")],
        framework="nextjs",
        files=["../../.env", ".env.local"],
        schema="../../envcheck.toml",
        schema_keys=1,
    )
    workspace = Workspace(Path("."), "npm", "package.json", ())
    code = merge.emit("check", workspace, ["apps/web"], [AppRun(1, report)], {"fmt": "json"}, ())
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    places = [(f["path"], f["message"], f["hint"]) for f in document["findings"]]
    assert places == [
        (".env", message, "hint naming ../../.env and ../../.env"),
        ("apps/web/.env.local", message, "hint naming .env.local and ../../.env"),
    ]
    assert [r["path"] for f in document["findings"] for r in f["related"]] == ["envcheck.toml"] * 2
    assert document["files"] == [".env", "apps/web/.env.local"]
    assert document["apps"][0]["summary"]["schema"] == "envcheck.toml"


def test_an_apps_notes_are_data_printed_under_its_label(
    capsys: pytest.CaptureFixture[str],
) -> None:
    workspace = Workspace(Path("."), "npm", "package.json", ())
    run = AppRun(0, Report(files=["apps/web/.env"]), ("envcheck: apps/web/.env: a note",))
    merge.emit("lint", workspace, ["apps/web"], [run], {"fmt": "text"}, ())
    assert "apps/web: envcheck: apps/web/.env: a note" in capsys.readouterr().err


def test_an_app_result_crosses_a_process_boundary() -> None:
    run = AppRun(
        1,
        Report([_finding("m", ".env")], files=[".env"]),
        ("a note",),
        shared={"KEY": ("#ab", ".env", 1)},
    )
    assert pickle.loads(pickle.dumps(run)) == run


def test_each_package_folder_is_scanned_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    """8 apps share one library, checked by 4 forked workers: the library is read once."""
    import envcheck.code

    if pool.pool_kind() != "process":
        pytest.skip("no fork on this platform: the thread pool shares one memo anyway")
    root = _monorepo(tmp_path / "repo", apps=8)
    log = tmp_path / "scans.log"
    scan = envcheck.code.scan

    def counted(directory: Path, *args: Any, **kwargs: Any) -> Any:
        with open(log, "a", encoding="utf-8") as out:  # forked workers append too
            out.write(os.path.relpath(directory, root) + "\n")
        return scan(directory, *args, **kwargs)

    monkeypatch.setattr(envcheck.code, "scan", counted)
    monkeypatch.setattr(pool, "default_jobs", lambda: 4)
    code = _run(root, monkeypatch, "check", "--format", "json")
    assert code in (0, 1)
    scanned = log.read_text(encoding="utf-8").split()
    assert scanned.count("packages/db") == 1
    assert len(scanned) == len(set(scanned))  # no folder twice


def test_a_root_run_resolves_real_paths_per_folder_not_per_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    """Each app's files are read a few dozen times (loader, schema, rules, code): the
    reader looks up a folder's real path once per run, so the ``realpath`` calls are
    bounded by the checkout's files and folders (a few per folder), not by files × reads
    (it was ~66 per app: 571 here)."""
    import posixpath

    root = _monorepo(tmp_path / "repo", apps=8)
    entries = sum(
        len(dirs) + len(files) for where, dirs, files in os.walk(root) if ".git" not in where
    )
    calls: list[str] = []
    realpath = posixpath.realpath

    def counted(path: Any, *args: Any, **kwargs: Any) -> str:
        calls.append(os.fspath(path))
        return realpath(path, *args, **kwargs)

    monkeypatch.setattr(os.path, "realpath", counted)
    monkeypatch.setenv("ENVCHECK_WORKSPACE_POOL", "serial")  # every read in this process
    assert _run(root, monkeypatch, "check") in (0, 1)
    assert 8 <= len(calls) <= 2 * entries, len(calls)


def test_a_warm_run_parses_nothing_and_starts_no_pool_to_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    """With the facts cache warm, every package folder's facts come from the cache, read
    in this process: the only pool is the apps' checks (a second one just to scan cost
    a fork per worker)."""
    import envcheck.code.files
    from envcheck.fanout import run
    from envcheck.workspace import apps

    root = _monorepo(tmp_path / "repo", apps=4)
    assert _run(root, monkeypatch, "check") in (0, 1)  # fills the facts cache
    apps.forget()  # as a fresh process: only the cache file remembers
    pools: list[int] = []
    parsed: list[str] = []
    run_all, read_facts = run.run_all, envcheck.code.files.read_facts

    def counted_pool(tasks: Any, **kwargs: Any) -> Any:
        pools.append(len(tasks))
        return run_all(tasks, **kwargs)

    def counted_parse(source: Any) -> Any:
        parsed.append(source.rel)
        return read_facts(source)

    monkeypatch.setattr(run, "run_all", counted_pool)
    monkeypatch.setattr(envcheck.code.files, "read_facts", counted_parse)
    assert _run(root, monkeypatch, "check") in (0, 1)
    assert pools == [4]  # the four apps, nothing else
    assert parsed == []


def test_the_first_app_runs_before_the_fork() -> None:
    """What the first app's run imports and memoizes (rule families, patterns), every
    forked worker inherits; results still come back in task order (the pool itself:
    tests/fanout/test_pool.py)."""
    if pool.pool_kind() != "process":
        pytest.skip("no fork on this platform")
    here = os.getpid()
    ran = pool.run_all([os.getpid] * 6, jobs=2, pool="process")
    assert ran[0] == here
    assert len(set(ran[1:]) - {here}) <= 1  # this process and at most one worker


def test_a_root_templates_missing_key_is_one_finding_for_the_apps_that_share_it(
    tmp_path: Path,
) -> None:
    """Two apps loading the root's .env (not created yet) miss the same key of the root
    template: one finding, not one per app (no per-app place is guessed for the file)."""
    import json
    import subprocess
    import sys

    (tmp_path / "pnpm-workspace.yaml").write_text("packages:\n  - apps/*\n")
    (tmp_path / "package.json").write_text('{"private": true}\n')
    (tmp_path / ".env.example").write_text("SESSION_SECRET=\n")
    for app in ("web", "admin"):
        folder = tmp_path / "apps" / app
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(
            json.dumps({"name": app, "scripts": {"dev": "dotenv -e ../../.env -- next dev"}})
        )
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--no-code", "--format", "json"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EC301"]
    assert [f["key"] for f in found] == ["SESSION_SECRET"], done.stdout[-2000:]
