"""Discovery and reading: what the framework reads, and hostile files as data."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from envcheck.errors import SourceError
from envcheck.sources.detect import detect
from envcheck.sources.profiles import PROFILES, get_profile
from envcheck.sources.resolve import resolve


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"package.json": '{"dependencies": {"next": "15"}}'}, "nextjs"),
        ({"package.json": '{"devDependencies": {"vite": "8"}}'}, "vite"),
        ({"package.json": '{"dependencies": {"react-scripts": "5"}}'}, "cra"),
        ({"package.json": '{"dependencies": {"dotenv-flow": "4"}}'}, "dotenv-flow"),
        ({"package.json": '{"dependencies": {"express": "4"}}'}, "dotenv"),
        ({"package.json": "{not json"}, "plain"),  # nothing says what starts the app
        (
            {"pyproject.toml": '[project]\ndependencies = ["pydantic-settings>=2"]\n'},
            "pydantic-settings",
        ),
        ({"pyproject.toml": '[project]\ndependencies = ["python-dotenv"]\n'}, "python-dotenv"),
        ({"pyproject.toml": "this is [not toml"}, "plain"),
        ({}, "plain"),
        ({"app.py": "print()", ".env": "A=1"}, "plain"),
    ],
)
def test_detect(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    assert detect(_write(tmp_path, files)) == expected


def test_candidates_follow_the_framework() -> None:
    assert PROFILES["nextjs"].candidates("test") == [".env.test.local", ".env.test", ".env"]
    assert PROFILES["vite"].candidates("staging") == [
        ".env.staging.local",
        ".env.staging",
        ".env.local",
        ".env",
    ]
    assert ".env.local" in PROFILES["nextjs"].skipped("test")


def test_missing_project_dir_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        resolve(tmp_path / "nope", get_profile("nextjs"), "development", {})
    assert "does not exist" in str(err.value)


def _kinds(resolution) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.path, p.kind) for p in resolution.problems()]


def test_directory_named_env_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()
    _write(tmp_path, {".env.local": "A=1\n"})
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    assert (".env", "unreadable") in _kinds(res)
    assert res.files == [".env.local"]


def test_symlink_loop_and_dangling_link(tmp_path: Path) -> None:
    os.symlink(tmp_path / ".env", tmp_path / ".env")
    os.symlink(tmp_path / "missing", tmp_path / ".env.local")
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    kinds = _kinds(res)
    assert (".env", "unreadable") in kinds
    # A link to a file not created yet (issue 26: `apps/web/.env -> ../../.env` on a fresh
    # clone) is absent, as the app sees it: no finding, nothing loaded.
    assert (".env.local", "unreadable") not in kinds and ".env.local" not in res.files


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    _write(tmp_path, {".env": "A=1\n"}).joinpath(".env").chmod(0)
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    assert (".env", "unreadable") in _kinds(res)


def test_fifo_is_read_like_nextjs_does(tmp_path: Path) -> None:
    fifo = tmp_path / ".env.local"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "w") as fh:
            fh.write("FROM_FIFO=yes\n")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    thread.join(0.2)
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    assert "FROM_FIFO" in res.vars


def test_fifo_without_writer_does_not_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("envcheck.sources.resolve.FIFO_WAIT", 0.1)
    os.mkfifo(tmp_path / ".env")
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    assert (".env", "unreadable") in _kinds(res)


def test_invalid_utf8_and_utf16_are_problems(tmp_path: Path) -> None:
    _write(tmp_path, {".env": b"A=caf\xe9\nB=2\n", ".env.local": "\ufeffC=1\n".encode("utf-16")})
    res = resolve(tmp_path, get_profile("nextjs"), "development", {})
    kinds = _kinds(res)
    assert (".env", "invalid-utf8") in kinds
    assert (".env.local", "encoding") in kinds
    assert "B" in res.vars


def test_explicit_env_files_order(tmp_path: Path) -> None:
    _write(tmp_path, {"a.env": "X=a\n", "b.env": "X=b\n"})
    files = [tmp_path / "a.env", tmp_path / "b.env"]
    first = resolve(tmp_path, get_profile("dotenv"), "development", {}, env_files=files)
    last = resolve(tmp_path, get_profile("pydantic-settings"), "development", {}, env_files=files)
    assert first.vars["X"].origin.source == "a.env"
    assert last.vars["X"].origin.source == "b.env"


def test_explicit_missing_env_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        resolve(tmp_path, get_profile("dotenv"), "development", {}, env_files=[tmp_path / "x"])
