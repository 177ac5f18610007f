"""What a run holds at 100,000 lines, counted on small inputs (never measured or timed).

A command's peak memory is what it holds at once: the bytes of a file kept
for later readers, a file read as chunks and their join, the whole report
text before the first byte is written, a row object per key of ``explain``.
These tests count the bytes kept, the reads, the pieces written and the rows
alive, where a count shows the rule as well as a big file would.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
from pathlib import Path

import pytest

from envcheck.model import Finding, Location, Report, Severity
from envcheck.sources import checkout


@pytest.fixture
def run(tmp_path: Path) -> Path:
    """A run started at ``tmp_path`` (its read cache empty)."""
    checkout.set_project_root(tmp_path)
    return tmp_path


def test_a_run_keeps_a_small_file_and_not_a_large_one(run: Path) -> None:
    """A generated file of megabytes is read again by its later readers, not held through
    the run; a real env file of kilobytes is still read once."""
    small, large = run / "small.env", run / "large.env"
    small.write_bytes(b"A=1\n" * 100)
    large.write_bytes(b"B=2\n" * (checkout.KEEP_AT_MOST // 4 + 1))
    for path in (small, large):
        assert checkout.read_bytes(path, within=run, cap=checkout.ENV_FILE_CAP)
    kept = {os.path.basename(path) for path in checkout._RUN_READS}
    assert kept == {"small.env"}
    assert checkout._run_bytes == 400
    again = checkout.read_bytes(large, within=run, cap=checkout.ENV_FILE_CAP)
    assert again == large.read_bytes()  # read again from disk, the same bytes


def test_a_large_file_is_read_in_one_call(run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file's size says how much to read: one buffer, not 1 MiB chunks held
    beside their join (twice the file at once)."""
    path = run / "big.env"
    path.write_bytes(b"K=v\n" * (3 * 1024 * 1024 // 4))
    calls: list[int] = []
    real_read = os.read

    def counting(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(checkout.os, "read", counting)
    data = checkout.read_bytes(path, within=run, cap=checkout.ENV_FILE_CAP)
    assert len(data) == 3 * 1024 * 1024
    assert len(calls) == 2  # the file, then the end of it


def _report(count: int) -> Report:
    findings = [
        Finding(
            "EC201",
            "duplicated-key",
            Severity.WARNING,
            f"KEY_{i} is already defined",
            Location(f"{'a' if i % 3 else 'b'}.env", i + 1, 1),
            hint="remove one",
        )
        for i in range(count)
    ]
    return Report(findings, framework="dotenv", files=["a.env", "b.env"])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_report_is_written_as_it_is_rendered(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``check``'s report goes out in pieces, none of them the whole text, and the pieces
    are exactly the one-string rendering and its newline."""
    from envcheck import report as reporting
    from envcheck.report import json as json_report
    from envcheck.report import text

    monkeypatch.setattr(text, "FINDINGS_PER_CHUNK", 8)
    monkeypatch.setattr(json_report, "CHUNK", 8)
    report = _report(60)
    pieces: list[str] = []
    reporting.write(report, fmt, pieces.append)
    whole = reporting.render(report, fmt)
    assert "".join(pieces) == whole + "\n"
    assert len(pieces) > 5 and max(map(len, pieces)) < len(whole) / 4
    if fmt == "json":
        assert len(json.loads("".join(pieces))["findings"]) == 60


def test_an_empty_text_report_writes_nothing() -> None:
    from envcheck import report as reporting

    pieces: list[str] = []
    reporting.write(Report(), "text", pieces.append)
    assert pieces == []


def _explain_project(tmp_path: Path, keys: int) -> Path:
    body = "".join(f"KEY_{i}=value-{i}\n" for i in range(keys)) + "KEY_1=again\n"
    (tmp_path / ".env").write_text(body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_holds_no_row_per_key_while_it_writes(tmp_path: Path, fmt: str) -> None:
    """The command line's ``explain`` makes each row as it is written: while the output
    goes out, a handful of rows are alive, not one per key; the output is the same as
    from rows made up front, and the view pickles as the rows themselves."""
    from envcheck.commands import explain as command

    project = _explain_project(tmp_path, 400)
    lazy, _ = command._explain((), False, False, project, lazy=True, framework="dotenv")
    eager, _ = command._explain((), False, False, project, framework="dotenv")
    assert isinstance(lazy.rows, command.ShownRows) and isinstance(eager.rows, tuple)
    alive: list[int] = []

    def out(piece: str) -> None:
        alive.append(sum(type(o) is command.Row for o in gc.get_objects()))

    del eager
    gc.collect()
    lazy.write(fmt, out)
    assert alive and max(alive) < 10
    eager, _ = command._explain((), False, False, project, framework="dotenv")
    assert lazy.stdout(fmt) == eager.stdout(fmt)
    assert pickle.loads(pickle.dumps(lazy)).rows == eager.rows


def test_explain_rows_its_code_reads_set_nowhere_whatever_the_case() -> None:
    """A read is shown by a row whatever the case of either name (the upper-cased
    copies are made only for the rows' keys that are not upper case already)."""
    from envcheck.commands.explain import unset_reads

    rows = dict.fromkeys(["API_KEY", "lower_key", "Mixed_Key"])
    reads: dict[str, list[object]] = {
        k: [] for k in ("api_key", "LOWER_KEY", "mixed_key", "NEW_KEY", "HOME")
    }
    assert unset_reads(rows, reads) == ["NEW_KEY"]  # HOME: the runtime sets it
    assert unset_reads(rows, {}) == []


def test_a_ten_megabyte_value_is_linted_within_a_bounded_address_space(tmp_path: Path) -> None:
    """The style rules' quiet-line regex keeps no state per character: ``lint`` and
    ``check`` of one 10 MB value run under a 768 MiB address-space limit (the regex with a
    plain ``(?:…|…)*`` took 1.2 GB).  A bound on memory, not a measure of it."""
    import resource
    import subprocess
    import sys

    value = ("Ab3dEf7h" * 1_250_001)[:10_000_000]
    (tmp_path / ".env").write_text(f"BEFORE=1\nHUGE={value}\nAFTER=${{BEFORE}}\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (768 * 2**20, 768 * 2**20))

    for args in (["lint", "--format", "json", ".env"], ["check", "--format", "json"]):
        done = subprocess.run(
            [sys.executable, "-m", "envcheck", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,  # a hang guard
            preexec_fn=limit,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        assert done.returncode in (0, 1), done.stderr[-500:]
        assert "HUGE" not in done.stderr
