"""Work a run does once, counted (never timed): per-run facts a workspace run shares
among its apps, and the start-up's garbage-collector pause.

A root of 200 apps asks each per-run question 200 times; answering it by a scan of
every app made the run quadratic (an app's own package was found by comparing its
folder with every app's).  Counted with :func:`tests.bounded.python_steps`, the
same on an idle laptop and a loaded CI machine.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from envcheck.workspace import apps
from envcheck.workspace.discover import Workspace, discover
from tests.bounded import python_steps


def _workspace(root: Path, count: int) -> Workspace:
    """An npm workspace of ``count`` apps (``apps/app000``...), discovered."""
    root.mkdir()
    (root / "package.json").write_text(json.dumps({"private": True, "workspaces": ["apps/*"]}))
    for i in range(count):
        app = root / "apps" / f"app{i:03}"
        app.mkdir(parents=True)
        (app / "package.json").write_text(json.dumps({"name": f"app{i:03}"}))
    found = discover(root, "npm")
    assert found is not None and len(found.apps) == count
    return found


@pytest.fixture(autouse=True)
def _fresh() -> None:
    apps.forget()


def test_each_app_finds_its_own_package(tmp_path: Path) -> None:
    """The per-run index answers with the app in that folder, never another's."""
    workspace = _workspace(tmp_path / "ws", 12)
    for app in workspace.apps:
        found = apps.package_at(workspace, app.directory)
        assert found is not None and found.path == app.path
    assert apps.package_at(workspace, tmp_path / "ws" / "apps") is None  # no package there


def test_finding_every_apps_package_is_linear_in_the_apps(tmp_path: Path) -> None:
    small = _workspace(tmp_path / "small", 10)
    large = _workspace(tmp_path / "large", 40)

    def lookups(workspace: Workspace) -> int:
        apps.forget()
        return python_steps(
            lambda: [apps.package_at(workspace, a.directory) for a in workspace.apps]
        )

    ratio = lookups(large) / lookups(small)
    assert ratio < 6, ratio  # 4x the apps: about 4x the steps (a scan per app: 16x)


def test_a_library_caller_gets_the_collector_back_as_it_was(tmp_path: Path) -> None:
    """``main(argv)`` pauses the cyclic GC for the run only: a caller's setting stands."""
    from envcheck.cli import main

    (tmp_path / ".env").write_text("LOG_LEVEL=debug\n")
    for enabled in (True, False):
        if enabled:
            gc.enable()
        else:
            gc.disable()
        try:
            assert main(["check", str(tmp_path), "--framework", "dotenv", "-q"]) == 0
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
