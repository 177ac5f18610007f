"""Output safe for terminals and CI logs; keys exact in data formats.

A hostile ``.env`` (a cloned repository, a pull request) holds keys, values
and file names with ANSI/OSC escapes, ``\\r`` overwrites, bidi overrides,
zero-width characters and GitHub workflow commands.  Text and GitHub output
must show them as visible escapes; JSON and SARIF must carry every key
exactly (keys are not secrets), with no two keys collapsed into one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envcheck.model import Finding, Location, Severity
from envcheck.report.github import annotation
from envcheck.report.sanitize import for_github, for_github_property, for_terminal
from envcheck.secret import safe_key

ESC = "\x1b"
HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1b]0;title\x07",  # OSC window title
    "ok\rFAKE",  # carriage-return overwrite
    "\u202eevil",  # right-to-left override
    "a\u200bb",  # zero-width space
    "\x9b31m",  # C1 CSI
    "\x08\x08",  # backspaces
    "a\u2028b",  # line separator
    "\U000e0041",  # tag character
]


@pytest.mark.parametrize("text", HOSTILE)
def test_for_terminal_leaves_nothing_to_interpret(text: str) -> None:
    out = for_terminal(text)
    assert out.isascii() or all(c.isprintable() for c in out), repr(out)
    assert ESC not in out and "\r" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\" in out  # shown, not dropped


def test_for_terminal_shows_escapes_readably_and_keeps_letters() -> None:
    assert for_terminal("CLÉ_日本") == "CLÉ_日本"
    assert for_terminal("a\x1b[31mb") == "a\\x1b[31mb"
    assert for_terminal("\u202e") == "\\u202e"
    assert for_terminal("a\nb") == "a\\nb"
    assert for_terminal("a\nb", keep_newlines=True) == "a\nb"


@pytest.mark.parametrize(
    "text", ["::set-env name=X::1", "  ::add-mask::x", "::stop-commands::tok", "ok\n::error::x"]
)
def test_no_line_can_start_a_workflow_command(text: str) -> None:
    for out in (for_terminal(text), for_terminal(text, keep_newlines=True)):
        assert not any(line.lstrip().startswith("::") for line in out.split("\n")), out


def test_github_escaping_follows_the_workflow_command_rules() -> None:
    assert for_github("a%b\nc") == "a%25b%0Ac"
    assert for_github_property("a:b,c") == "a%3Ab%2Cc"
    assert for_github("x\ry") == "x%0Dy"  # GitHub's own escape, as @actions/core writes it


def test_an_annotation_is_one_command_whatever_the_finding_holds() -> None:
    f = Finding(
        "EC101",
        "unterminated-quote",
        Severity.ERROR,
        "KEY\n::set-env name=PATH::/evil\r%0A\x1b[2K",
        Location(".env,title=x::fake\n::warning::y", 3, 1),
        key="K",
        hint="hint\n::add-mask::z",
    )
    line = annotation(f)
    assert "\n" not in line and "\r" not in line and ESC not in line
    assert line.startswith("::error file=")
    # The properties end at the first "::" after the command; every later "::" is message text.
    props = line[2 : line.index("::", 2)]
    assert props.endswith("title=EC101 unterminated-quote"), props
    assert "%250A" in line  # a literal %0A in the message stays literal


@given(st.text())
def test_sanitised_text_is_always_inert(text: str) -> None:
    out = for_terminal(text)
    assert all(c == " " or (c.isprintable() and ord(c) < 0xE0000) for c in out)
    assert "\n" not in out
    gh = for_github(text)
    assert "\n" not in gh and "\r" not in gh


# -- through the CLI ------------------------------------------------------------


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


UNUSUAL = ["CLÉ", "123", ".LEADING_DOT", "KEY@HOST", '"DQ_KEY"']


def _unusual(project: Path) -> None:
    lines = [f"{k}={i}" for i, k in enumerate(UNUSUAL)]
    lines += ["RED\x1b[31mKEY=1", "RTL\u202eKEY=2", "DESC=ok\x1b]0;pwned\x07 \x1b[2J"]
    (project / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("framework", ["vite", "python-dotenv"])
def test_json_and_reveal_carry_every_key_exactly(framework: str, tmp_path: Path) -> None:
    _unusual(tmp_path)
    done = _run(tmp_path, "explain", "-f", framework, "--no-process-env", "--format", "json")
    keys = json.loads(done.stdout)["keys"]
    for key in [*UNUSUAL, "RED\x1b[31mKEY", "RTL\u202eKEY"]:
        assert key in keys, (key, list(keys))
    text = _run(tmp_path, "explain", "-f", framework, "--no-process-env", "--reveal")
    assert "CLÉ" in text.stdout and "KEY@HOST" in text.stdout
    assert "RED\\x1b[31mKEY" in text.stdout and "RTL\\u202eKEY" in text.stdout
    assert ESC not in text.stdout and "\u202e" not in text.stdout and "\x07" not in text.stdout
    assert "unusual key" not in text.stdout + done.stdout


def test_two_unusual_keys_are_two_keys_in_json(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("KEY@ONE=1\nKEY@TWO=2\n")
    done = _run(tmp_path, "explain", "-f", "vite", "--no-process-env", "--format", "json")
    assert {"KEY@ONE", "KEY@TWO"} <= set(json.loads(done.stdout)["keys"])


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_output_is_inert(fmt: str, tmp_path: Path) -> None:
    _unusual(tmp_path)
    (tmp_path / ".env").write_text(
        (tmp_path / ".env").read_text() + '::set-env name=X::y=1\nA="unterminated\x1b[2J\n'
    )
    hostile_name = "x\x1b]0;pwned\x07\u202e.env"  # a file name is text from the checkout too
    (tmp_path / hostile_name).write_text('B="unterminated\n')
    done = _run(tmp_path, "check", "-f", "vite", "--no-process-env", "--format", fmt)
    assert done.returncode == 1, done.stderr
    assert ESC not in done.stdout + done.stderr
    done = _run(
        tmp_path, "check", "-f", "vite", "--no-process-env", "--format", fmt,
        "--env-file", ".env", "--env-file", hostile_name,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    out = done.stdout + done.stderr
    assert ESC not in out and "\u202e" not in out and "\x07" not in out and "\r" not in out
    assert not any(line.lstrip().startswith("::") for line in done.stderr.splitlines())
    if fmt == "github":
        for line in done.stdout.splitlines():
            assert line.startswith(("::error ", "::warning ", "::notice ")), line
            props = line[2 : line.index("::", 2)]
            assert props.count("title=") == 1 and "%0A" not in props.split("title=")[1], line
    else:
        assert not any(line.lstrip().startswith("::") for line in done.stdout.splitlines())


def test_a_pasted_credential_used_as_a_key_is_still_masked() -> None:
    pasted = "sk-proj-" + "Ab3" * 20
    assert pasted not in safe_key(pasted)
    assert pasted[:20] not in safe_key(f"{pasted}\nNEXT_KEY")
    assert safe_key("ghost_writer_feature_flag_enabled") == "ghost_writer_feature_flag_enabled"
    assert safe_key("KEY@HOST") == "KEY@HOST"
