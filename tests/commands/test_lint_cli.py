"""``envcheck lint`` and ``envcheck rules`` through the real entry point: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.cli import main


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        ("A=1\n", [], 0),
        ("A=1\nA=2\n", [], 0),  # a warning alone passes
        ("A=1\nA=2\n", ["--strict"], 1),  # unless --strict
        ('A="open\n', [], 1),  # an error fails
        ('A="open\n', ["--ignore", "EC101"], 0),
        ('A="open\n', ["--ignore", "syntax"], 0),
        ("A=1\nA=2\n", ["--strict", "--ignore", "duplicated-key"], 0),
        ("A=1\nA=2 # envcheck: ignore[EC201]\n", ["--strict"], 0),
        ("A=x y\n", ["--strict"], 1),
        ("B=1\nA=1\n", ["--strict", "--select", "EC214"], 0),  # info never fails
        ("A=1\n", ["--select", "nonsense"], 2),
    ],
)
def test_exit_codes(tmp_path: Path, text: str, args: list[str], code: int) -> None:
    path = write(tmp_path, ".env", text)
    assert main(["lint", *args, str(path)]) == code


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nope.env")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_no_files_lints_the_env_files_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without arguments: the current directory's live env files, not an error (issue 17)."""
    write(tmp_path, ".env", "A=1\nA=2\n")
    write(tmp_path, ".env.example", "B=1\nB=2\n")  # a template: not linted as a live file
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--strict"]) == 1
    out = capsys.readouterr().out
    assert ".env:2" in out and ".env.example" not in out


def test_text_to_stdout_summary_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".env", "A=1\nA=2\n")
    write(tmp_path, ".env.local", "B=1\n")
    assert main(["lint", ".env", ".env.local"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(".env:2:1: EC201 duplicated-key  A is already defined on line 1\n")
    assert err.strip() == "0 errors, 1 warning, 0 info in 2 files"


def test_select_turns_on_a_rule_that_is_off_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, ".env", "B=1\nA=1\n")
    main(["lint", str(path)])
    assert "EC214" not in capsys.readouterr().out
    main(["lint", "--select", "unordered-key", str(path)])
    assert "EC214 unordered-key  A should go before B" in capsys.readouterr().out


def test_python_dialect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, ".env", "DEBUG\n")
    assert main(["lint", "--dialect", "python", "--strict", str(path)]) == 1
    assert "EC213" in capsys.readouterr().out


def test_json_stdout_is_one_document(tmp_path: Path) -> None:
    path = write(tmp_path, ".env", "A=1\nA=2\nSECRET=sk-proj-CANARYcanaryCANARY0000 x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "lint", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert {f["code"] for f in doc["findings"]} == {"EC201", "EC209"}
    assert "CANARY" not in proc.stdout + proc.stderr


def test_rules_list_and_one_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "EC201  duplicated-key" in listing and "EC101" in listing
    assert main(["rules", "duplicated-key"]) == 0
    doc = capsys.readouterr().out
    assert doc.startswith("EC201 duplicated-key\n") and "## Why is this bad?" in doc
    assert main(["rules", "ec2"]) == 0
    family = capsys.readouterr().out
    assert "EC215" in family and "EC101" not in family


def test_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "EC000"]) == 2
    err = capsys.readouterr().err
    assert "no rule 'EC000'" in err and "hint:" in err
