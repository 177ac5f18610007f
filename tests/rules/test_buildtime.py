"""EC520: a public value set after the build never reaches the running bundle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NEXT = '{"dependencies": {"next": "16.0.0"}}'
VITE = '{"devDependencies": {"vite": "8.0.0"}}'


def check(project: Path, *args: str, **env: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json", *args],
        cwd=project,
        env={"PATH": os.environ["PATH"], "HOME": str(project), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def ec520(doc: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in doc["findings"] if f["code"] == "EC520"]


def built_next(tmp_path: Path, bundle: str = "console.log('hi')") -> Path:
    (tmp_path / "package.json").write_text(NEXT)
    (tmp_path / ".env.production").write_text("NEXT_PUBLIC_API_URL=https://api.example.com\n")
    chunks = tmp_path / ".next" / "static" / "chunks"
    chunks.mkdir(parents=True)
    (chunks / "main.js").write_text(bundle)
    marker = tmp_path / ".next" / "BUILD_ID"
    marker.write_text("abc123")
    old = marker.stat().st_mtime - 100
    os.utime(tmp_path / ".env.production", (old, old))  # the files predate the build
    return tmp_path


def test_process_value_after_the_build_is_reported(tmp_path: Path) -> None:
    project = built_next(tmp_path)
    doc = check(project, "--mode", "production", NEXT_PUBLIC_API_URL="https://other.example.com")
    [finding] = ec520(doc)
    assert finding["key"] == "NEXT_PUBLIC_API_URL" and finding["source"] == "process"
    assert ".next/BUILD_ID" in finding["message"] and "next build" in finding["hint"]
    assert finding["severity"] == "warning"


def test_process_only_public_key_is_reported(tmp_path: Path) -> None:
    project = built_next(tmp_path)
    doc = check(project, "--mode", "production", NEXT_PUBLIC_SENTRY_ENV="staging-eu")
    assert [f["key"] for f in ec520(doc)] == ["NEXT_PUBLIC_SENTRY_ENV"]


def test_value_the_bundle_already_holds_is_fine(tmp_path: Path) -> None:
    """Built and started with the same environment: the value was inlined, nothing to say."""
    project = built_next(tmp_path, bundle='const u="https://other.example.com";')
    doc = check(project, "--mode", "production", NEXT_PUBLIC_API_URL="https://other.example.com")
    assert ec520(doc) == []


def test_same_value_as_the_files_is_fine(tmp_path: Path) -> None:
    project = built_next(tmp_path)
    doc = check(project, "--mode", "production", NEXT_PUBLIC_API_URL="https://api.example.com")
    assert ec520(doc) == []


@pytest.mark.parametrize("mode", ["development", "test"])
def test_only_production_runs_a_build(tmp_path: Path, mode: str) -> None:
    project = built_next(tmp_path)
    doc = check(project, "--mode", mode, NEXT_PUBLIC_API_URL="https://other.example.com")
    assert ec520(doc) == []


def test_unbuilt_app_is_fine(tmp_path: Path) -> None:
    project = built_next(tmp_path)
    (project / ".next" / "BUILD_ID").unlink()
    doc = check(project, "--mode", "production", NEXT_PUBLIC_API_URL="https://other.example.com")
    assert ec520(doc) == []


def test_env_file_edited_after_the_build(tmp_path: Path) -> None:
    project = built_next(tmp_path)
    (project / ".env.production").write_text("NEXT_PUBLIC_API_URL=https://new.example.com\n")
    [finding] = ec520(check(project, "--mode", "production"))
    assert finding["path"] == ".env.production" and finding["line"] == 1
    assert "changed after the last build" in finding["message"]


def test_vite_dist(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(VITE)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text("<script src=/assets/a.js></script>")
    doc = check(tmp_path, "--mode", "production", VITE_API_URL="https://api.example.com")
    assert [f["key"] for f in ec520(doc)] == ["VITE_API_URL"]
