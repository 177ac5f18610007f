"""The command line's fast path (envcheck.cli) reads check's options exactly as click does.

A plain ``envcheck check`` runs without importing click; these tests hold
the fast parser to check's click declaration, option by option, and show
that whenever it answers, its answer is click's.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.cli import (
    CHECK_DEFAULTS,
    CHECK_FLAGS,
    CHECK_REPEATED,
    CHECK_VALUES,
    fast_check_arguments,
)
from envcheck.commands.group import cli
from envcheck.report.echo import echo

ROOT = Path(__file__).resolve().parent.parent
LEFT_TO_CLICK = {"python", "allow_project_code"}  # callbacks and environment variables


def _check() -> click.Command:
    command = cli.get_command(click.Context(cli), "check")
    assert command is not None
    return command


def _click_arguments(args: list[str]) -> dict[str, Any] | None:
    """What click hands check for ``args`` (after ``check``), or None when it refuses."""
    words = list(args[1:]) if args[:1] == ["check"] else list(args)
    try:
        with _check().make_context("check", words) as ctx:
            return dict(ctx.params)
    except (click.ClickException, click.exceptions.Exit):
        return None


def test_every_option_of_check_is_read_as_click_declares_it() -> None:
    """Each option's spellings, kind (flag, value, repeatable) and default are click's."""
    declared: dict[str, str] = {}
    for param in _check().params:
        if isinstance(param, click.Argument):
            assert param.name == "directory"
            continue
        assert isinstance(param, click.Option)
        assert param.name is not None
        if param.name in LEFT_TO_CLICK:
            assert not set(param.opts) & {*CHECK_FLAGS, *CHECK_VALUES, *CHECK_REPEATED}
            continue
        table = CHECK_FLAGS if param.is_flag else CHECK_REPEATED if param.multiple else CHECK_VALUES
        for spelling in param.opts + param.secondary_opts:
            declared[spelling] = param.name
            assert table.get(spelling) == param.name, spelling
    assert declared == {**CHECK_FLAGS, **CHECK_VALUES, **CHECK_REPEATED}
    defaults = _click_arguments([])
    assert defaults == CHECK_DEFAULTS
    assert defaults is not None
    assert {k: type(v) for k, v in defaults.items()} == {
        k: type(v) for k, v in CHECK_DEFAULTS.items()
    }


SAMPLES = [
    [],
    ["check"],
    ["check", "."],
    ["."],
    ["--strict", "--probe", "--trust-base-url", "-q", "-v", "--no-process-env", "--no-code"],
    ["--quiet", "--verbose", "--strict", "--strict"],
    ["--settings", "pkg.mod:Settings", "--timeout", "2.5", "--min-credit", "0"],
    ["--expiry-warn=30", "--min-credit=1.5", "--timeout=1e1"],
    ["--format", "json"],
    ["--format=sarif", "--format", "github"],
    ["--target", "web", "--phase", "build"],
    ["--phase=start"],
    ["--dir", "."],
    ["-C", ".", "--framework", "vite", "-m", "production"],
    ["-f", "auto", "--mode=test", "--dialect", "python"],
    ["--provider", "openai,stripe", "--provider", "github"],
    ["--select", "EC401,EC404", "--select", " EC2 ", "--ignore=EC1,,EC3"],
    ["--env-file", "a.env", "--env-file=b.env", "--service", "web", "--service=db"],
    ["--app", "web", "--app=apps/api"],
    ["check", "--mode", "production", "."],
    # what the fast path leaves to click (None): all must still agree where it answers
    ["--format", "yaml"],
    ["--phase", "run"],
    ["--timeout", "soon"],
    ["--min-credit", "-1"],
    ["--expiry-warn", "4000"],
    ["--framework", "rails2"],
    ["-qv"],
    ["-C."],
    ["--mode"],
    ["--strict=yes"],
    ["--help"],
    ["--version"],
    ["--python", "/usr/bin/python3"],
    ["--allow-project-code"],
    ["explain"],
    ["-C", ".", "explain"],
    [".", "extra"],
    ["--", "."],
    ["--dir", "envcheck.toml"],
    ["--env-file", "."],
    ["--bogus"],
]


@pytest.mark.parametrize("args", SAMPLES, ids=" ".join)
def test_the_fast_parser_agrees_with_click(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wherever the fast path answers, click gives check the very same arguments."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envcheck.toml").write_text("")
    fast = fast_check_arguments(args)
    if fast is None:
        return
    click_arguments = _click_arguments(args)
    assert fast == click_arguments
    assert click_arguments is not None
    assert {k: type(v) for k, v in fast.items()} == {k: type(v) for k, v in click_arguments.items()}


def test_the_fast_parser_answers_the_plain_command_lines() -> None:
    """Not a path that is never taken: every option of check has a sample it answers."""
    answered = {tuple(args) for args in SAMPLES if fast_check_arguments(args) is not None}
    spelt = {word.partition("=")[0] for args in answered for word in args}
    assert set(CHECK_FLAGS) | set(CHECK_VALUES) | set(CHECK_REPEATED) <= spelt
    assert fast_check_arguments(["--help"]) is None
    assert fast_check_arguments(["--python", "x"]) is None


VOCABULARY = [
    *CHECK_FLAGS, *CHECK_VALUES, *CHECK_REPEATED,
    "check", "explain", ".", "sub", "json", "text", "build", "vite", "auto", "1", "-1", "1e3",
    "a,b", "", "-", "--", "-qv", "--format=json", "--mode=", "--app=x", "--help", "--python",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=6))
def test_any_command_line_the_fast_path_reads_is_read_as_click_reads_it(
    args: list[str],
) -> None:
    """Random mixes of check's words: the fast path answers click's answer, or declines."""
    fast = fast_check_arguments(args)
    if fast is not None:
        assert fast == _click_arguments(args)


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_plain_check_runs_without_click_and_prints_what_click_would(
    fmt: str, tmp_path: Path
) -> None:
    """Same stdout, stderr and exit code as through click, with click never imported."""
    demo = str(ROOT / "fixtures" / "demo")
    argv = ["check", demo, "--format", fmt]
    fast = _run(
        "import sys\nfrom envcheck.cli import main\n"
        f"code = main({argv!r})\nassert 'click' not in sys.modules\nsys.exit(code)\n",
        tmp_path,
    )
    slow = _run(
        "import sys\nfrom envcheck.commands.group import run\n"
        f"code = run({argv!r})\nassert 'click' in sys.modules\nsys.exit(code)\n",
        tmp_path,
    )
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )
    assert fast.stdout or fast.stderr


def test_a_usage_error_still_goes_through_click(tmp_path: Path) -> None:
    done = _run(
        "from envcheck.cli import main\nraise SystemExit(main(['--format', 'yaml']))", tmp_path
    )
    assert done.returncode == 2
    assert "Invalid value for '--format'" in done.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Broken(io.StringIO):
    def isatty(self) -> bool:
        raise ValueError("closed")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            ["a", "é", " ", "\n", "\t", "\x1b", "[", "3", "1", ";", "m", "?", "K"]
        )
    ),
    st.booleans(),
    st.sampled_from([io.StringIO, _Terminal, _Broken]),
)
def test_echo_writes_what_click_echo_writes(
    message: str, nl: bool, kind: type[io.StringIO]
) -> None:
    """envcheck.report.echo is click.echo for text: styles kept for a terminal, else stripped."""
    ours, theirs = kind(), kind()
    echo(message, file=ours, nl=nl)
    click.echo(message, file=theirs, nl=nl)
    assert ours.getvalue() == theirs.getvalue()


@pytest.mark.parametrize(
    "name", ["ENVCHECK_PYTHON", "ENVCHECK_ALLOW_PROJECT_CODE", "_ENVCHECK_COMPLETE"]
)
def test_what_click_reads_from_the_environment_goes_to_click(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, "1")
    assert fast_check_arguments(["check"]) is None


def test_shell_completion_still_answers(tmp_path: Path) -> None:
    """``_ENVCHECK_COMPLETE``: click completes check's options instead of a check running."""
    env = {**os.environ, "_ENVCHECK_COMPLETE": "bash_complete"}
    env.update(COMP_WORDS="envcheck check --fo", COMP_CWORD="2")
    done = subprocess.run(
        [sys.executable, "-m", "envcheck"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "plain,--format\n")
