"""``docker run --env-file``: the kvfile reader, the loader, and the real docker CLI.

The oracle is the docker CLI itself, talking to a fake Docker Engine API on
127.0.0.1 that records the body of ``POST /containers/create`` and answers
with an error: its ``Env`` list is exactly what the CLI parsed from the
``--env-file`` files and ``-e`` flags.  No daemon is needed, nothing runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.loaders.docker import FLAG_SOURCE, load_docker
from envcheck.sources.profiles import get_profile
from envcheck.sources.readers.docker import MAX_LINE_BYTES, parse
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import LoadResult, ParsedFile
from tests.harness import CORPUS
from tests.oracle import missing as oracle_missing

FILES = sorted((CORPUS / "files").glob("*.env")) + sorted((CORPUS / "docker").glob("*.env"))
DOCKER = shutil.which("docker")
# What the shell that runs `docker` holds besides its own variables: bare keys look these up.
SHELL = {"SET_IN_SHELL": "from-shell", "EMPTY_IN_SHELL": "", "B": "bee", "D": "dee"}


def values(result: LoadResult) -> dict[str, str]:
    return {key: reveal(r.value) for key, r in result.vars.items()}


def load(
    *texts: str, process: dict[str, str] | None = None, flags: tuple[str, ...] = ()
) -> LoadResult:
    """Files given in command-line order (first = first --env-file)."""
    parsed = [parse(text, f"f{i}.env") for i, text in enumerate(texts)]
    return load_docker(list(reversed(parsed)), process or {}, flags=flags)


# ---------------------------------------------------------------- reader


def test_every_line_is_literal() -> None:
    text = (CORPUS / "docker" / "docker-literal.env").read_text()
    got = parse(text, "x").values()
    assert got["QUOTED"] == '"double # kept"'
    assert got["SINGLE"] == "'single'"
    assert got["HASH"] == "value # not a comment"
    assert got["EXPAND"] == "${HOME}/x and $USER"
    assert got["TRAIL"] == "trailing   "
    assert got["ESC"] == "a\\nb\\tc"
    assert got["EQ"] == "a=b=c"
    assert got["EMPTY"] == ""
    # No `export` handling: the key holds a space, and docker refuses the file.
    assert [p.kind for p in parse("export A=1", "x").problems] == ["invalid-key"]


def test_problems_positions_and_bom_crlf() -> None:
    pf = parse("\ufeffA=1\r\n  # c\n\tB=2\nBAD KEY=1\n=x\n", "f")
    assert [(e.key, e.value, e.line, e.col) for e in pf.entries] == [
        ("A", "1", 1, 1),
        ("B", "2", 3, 2),
    ]
    assert [(p.kind, p.line) for p in pf.problems] == [("invalid-key", 4), ("invalid-key", 5)]
    assert all("KEY=1" not in p.message and "x" != p.message for p in pf.problems)


def test_bare_key_and_long_line() -> None:
    pf = parse("ONLY\nNEXT=1\n", "f")
    assert [(e.key, e.bare) for e in pf.entries] == [("ONLY", True), ("NEXT", False)]
    long = parse("A=" + "x" * MAX_LINE_BYTES + "\nB=1\n", "f")
    assert [p.kind for p in long.problems] == ["line-too-long"] and long.entries == []


# ---------------------------------------------------------------- loader


def test_later_file_wins_and_flags_win_over_files() -> None:
    result = load("A=first\nB=1", "A=second", flags=("B=flag", "C"), process={"C": "shell"})
    assert values(result) == {"A": "second", "B": "flag", "C": "shell"}
    assert str(result.vars["A"].origin) == "f1.env:1"
    assert [str(o) for o in result.vars["A"].shadowed] == ["f0.env:1"]
    assert result.vars["B"].origin.source == FLAG_SOURCE


def test_process_env_is_not_passed_through() -> None:
    result = load("A=1\nBARE\nGONE", process={"BARE": "b", "OTHER": "o", "A": "shell"})
    assert values(result) == {"A": "1", "BARE": "b"}  # the process does not win, OTHER absent
    assert [n.kind for n in result.notes] == ["bare-key-ignored"]
    assert "GONE" in result.notes[0].message


def test_unset_flag_removes_the_key() -> None:
    assert values(load("A=1", flags=("A",))) == {}


def test_rejected_file_is_a_load_crash() -> None:
    result = load("OK=1\nBAD KEY=2\n")
    assert [n.kind for n in result.notes] == ["load-crash"]
    assert (result.notes[0].path, result.notes[0].line) == ("f0.env", 2)


def test_profile_reads_dotenv_and_explicit_files_last_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('A="quoted"\n')
    (tmp_path / "b.env").write_text("A=b\n")
    profile = get_profile("docker")
    res = resolve(tmp_path, profile, "development", {"A": "shell"})
    assert reveal(res.vars["A"].value) == '"quoted"'
    res = resolve(
        tmp_path, profile, "development", {}, env_files=[tmp_path / ".env", tmp_path / "b.env"]
    )
    assert reveal(res.vars["A"].value) == "b"


def test_cli_explain_masks_and_names_the_profile(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-proj-" + "a1B2" * 10 + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", "explain", "-C", str(tmp_path), "-f", "docker"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "OPENAI_API_KEY": "sk-proj-shell"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "docker run --env-file" in out and "a1B2a1B2a1B2" not in out
    assert "process environment" not in out  # the shell's key does not reach the container


# ---------------------------------------------------------------- the real docker CLI


class _Engine(BaseHTTPRequestHandler):
    """Just enough of the Engine API for `docker create`: ping, then record and refuse."""

    captured: dict[str, list[str]] = {}
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, code: int, body: str, ctype: str = "application/json") -> None:
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Api-Version", "1.45")
        self.send_header("Ostype", "linux")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self._send(200, "OK", "text/plain")

    def do_GET(self) -> None:
        if self.path.endswith("/_ping"):
            self._send(200, "OK", "text/plain")
        else:
            self._send(200, json.dumps({"ApiVersion": "1.45", "Os": "linux"}))

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path.split("?")[0].endswith("/containers/create"):
            with self.lock:
                self.captured[body["Image"]] = body["Env"] or []
        self._send(500, json.dumps({"message": "envcheck test engine: not creating anything"}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if DOCKER is None:
        oracle_missing(
            "the docker CLI is not installed (make test does not install it: the Debian "
            "package brings a daemon); the docker oracle tests need only the CLI",
            installed_by_make_test=False,
        )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Engine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    config = tmp_path_factory.mktemp("docker-config")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(config),
        "DOCKER_HOST": f"tcp://127.0.0.1:{server.server_address[1]}",
        "DOCKER_CONFIG": str(config),
        **SHELL,
    }
    yield env
    server.shutdown()


def docker_env(env: dict[str, str], tag: str, *args: str) -> list[str] | None:
    """The Env list `docker create ARGS` sends, or None if the CLI refused before sending."""
    assert DOCKER is not None
    image = f"envcheck-oracle-{tag}"
    run = subprocess.run(
        [DOCKER, "create", *args, image], env=env, capture_output=True, timeout=60, check=False
    )
    assert run.returncode != 0  # the fake engine always refuses
    return _Engine.captured.pop(image, None)


def as_dict(env_list: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in env_list:
        key, _, value = item.partition("=")
        out[key] = value  # runc keeps the last of duplicate keys
    return out


def test_docker_cli_version_recorded() -> None:
    if DOCKER is None:
        oracle_missing("the docker CLI is not installed", installed_by_make_test=False)
    version = subprocess.run(
        [DOCKER, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert version.startswith("Docker version ")


def test_corpus_against_docker_cli(engine: dict[str, str]) -> None:
    def one(path: Path) -> tuple[Path, list[str] | None]:
        return path, docker_env(engine, path.stem.lower(), "--env-file", str(path))

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, FILES))
    mismatches = []
    for path, sent in results:
        parsed = parse_file(path, path.name, "docker")
        assert parsed is not None
        result = load_docker([parsed], engine)
        crashed = any(n.kind == "load-crash" for n in result.notes)
        if sent is None:
            if not crashed:
                mismatches.append(f"{path.name}: docker refuses it, envcheck does not say so")
            continue
        if crashed:
            mismatches.append(f"{path.name}: envcheck says docker refuses it, docker sends it")
        if as_dict(sent) != values(result):
            mismatches.append(f"{path.name}: values differ")
    assert mismatches == []
    assert len(results) == len(FILES) > 111


def test_several_files_and_flags_against_docker_cli(engine: dict[str, str], tmp_path: Path) -> None:
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    first.write_text("A=first\nB=first\nSET_IN_SHELL\n")
    second.write_text("A=second\nC=second\n")
    flags = ("B=flag", "D", "NOT_SET_ANYWHERE")
    sent = docker_env(
        engine,
        "several",
        "--env-file",
        str(first),
        "--env-file",
        str(second),
        *(arg for flag in flags for arg in ("-e", flag)),
    )
    assert sent is not None
    parsed = [parse_file(p, p.name, "docker") for p in (second, first)]
    result = load_docker([p for p in parsed if p is not None], engine, flags=flags)
    # NOT_SET_ANYWHERE goes out as a bare name (the daemon unsets it): not a variable.
    assert "NOT_SET_ANYWHERE" in sent
    assert as_dict([item for item in sent if "=" in item]) == values(result)


def test_parsed_file_type() -> None:
    assert isinstance(parse("", "x"), ParsedFile)


# ---------------------------------------------------------------- cross-reader (EC510)


def test_quotes_and_comments_docker_keeps_are_reader_mismatches(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        'API_URL="https://internal.example"\nNOTE=abc # comment\nPLAIN=same\n'
    )
    res = resolve(tmp_path, get_profile("docker"), "development", {})
    notes = {n.key: n for n in res.notes if n.kind == "reader-mismatch"}
    assert set(notes) == {"API_URL", "NOTE"}
    assert all("internal.example" not in n.message for n in notes.values())
    assert "keeps quotes" in notes["API_URL"].message
    assert "own line" in notes["NOTE"].message
    assert "Node dotenv" in notes["API_URL"].message  # no framework here: dotenv is the app


def test_reader_mismatch_is_rule_ec510_with_its_own_hint(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('TOKEN="ghp_' + "x1Y2" * 9 + '"\n')
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "-f", "docker", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "")},
        timeout=60,
        check=False,
    )
    assert "x1Y2x1Y2" not in done.stdout + done.stderr
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EC510"]
    assert len(found) == 1 and found[0]["line"] == 1
    assert "remove them" in found[0]["hint"]
    docs = subprocess.run(
        [sys.executable, "-m", "envcheck", "rules", "EC510"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert docs.returncode == 0 and "format: raw" in docs.stdout


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB= #\t\r\n\"'$\ufeff\xa0\x1cé", max_size=60))
def test_reader_never_raises_and_positions_are_in_range(text: str) -> None:
    pf = parse(text, "f")
    lines = text.count("\n") + 1
    for item in [*pf.entries, *pf.problems]:
        assert 1 <= item.line <= lines and 1 <= item.col <= len(text) + 1
    for entry in pf.entries:
        assert "\n" not in entry.value and entry.key.strip(" \t") == entry.key
