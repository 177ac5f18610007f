"""Bounded work on hostile checkouts (issue #23): no input makes envcheck work super-linearly.

Four attacks, each a file a pull request can add:

* a YAML alias bomb (``compose.yaml``, ``pnpm-workspace.yaml``): a 1 KiB file
  whose aliases of aliases name billions of nodes, an alias cycle, nesting
  10,000 deep -- refused by :mod:`envcheck.sources.yamlsafe` at file:line:col
  with exit 2, as docker compose's own YAML library refuses them;
* 12,000 one-line ``.env.<mode>`` files: the mode-comparing rule (EC504) once
  compared every mode with every other one; its work is *counted* here
  (executed lines of the rules module) at N and 2N files;
* a schema pattern that backtracks (``(a+)+$``) in ``envcheck.toml`` or
  ``.env.example``: patterns run on RE2 (linear time); a backreference or
  lookaround is a config error at the schema line;
* 100 kB values against every format detector and the placeholder check,
  whose regexes once rescanned the tail at every ``T3BlbkFJ`` or ``[``.

No test asserts a duration: subprocesses run under a timeout far above what
they need, in-process matching under a ``signal.alarm`` hang guard.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from envcheck.rules import precedence
from envcheck.schema import formats
from envcheck.schema.values import is_placeholder
from tests.rulefixtures import context

TIMEOUT = 120  # seconds; every case here needs about one
HANG_GUARD = 30  # seconds, for in-process matching
ENVCHECK = [sys.executable, "-m", "envcheck"]


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = project.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [*ENVCHECK, *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def one_line_error(done: subprocess.CompletedProcess[str], where: str, what: str) -> None:
    """Exit 2, ``envcheck: error: <where>...: ...<what>...`` on one line, no traceback."""
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("envcheck: error:")]
    assert len(errors) == 1, output
    assert errors[0].startswith(f"envcheck: error: {where}"), errors[0]
    assert what in errors[0], errors[0]


@contextmanager
def hang_guard(seconds: int = HANG_GUARD) -> Iterator[None]:
    """Fail (not hang) when the block runs past ``seconds``: a guard, not a measurement."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s: super-linear work")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- YAML ------------------------------------------------------------------------------


def alias_bomb(levels: int = 12, width: int = 9) -> str:
    """``x-a0: &a0 [lol × 9]``, ``x-a1: &a1 [*a0 × 9]``, ...: 9**12 nodes in under 1 KiB."""
    lines = [f"x-a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 40) -> str:
    """``<<: [*m0, *m0]`` merge keys, doubling at each level (flattened eagerly by PyYAML)."""
    lines = ["x-m0: &m0 {A: '1'}"]
    lines += [f"x-m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


COMPOSE_SERVICE = "services:\n  web:\n    image: nginx\n    environment:\n      A: '1'\n"


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        (alias_bomb() + COMPOSE_SERVICE, 6, "alias bomb"),
        (merge_bomb() + COMPOSE_SERVICE, None, "alias bomb"),
        ("x-a: &a [1, *a]\n" + COMPOSE_SERVICE, 1, "cycle"),
        ("x-deep: " + "[" * 10_000 + "]" * 10_000 + "\n" + COMPOSE_SERVICE, 1, "levels deep"),
    ],
    ids=["alias-bomb", "merge-bomb", "alias-cycle", "deep-nesting"],
)
def test_a_hostile_compose_file_is_a_one_line_error(
    tmp_path: Path, text: str, line: int | None, what: str
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "compose.yaml").write_text(text)
    for args in (("check",), ("check", "--framework", "compose"), ("explain",)):
        done = run(project, *args)
        one_line_error(done, f"compose.yaml:{line}:" if line else "compose.yaml:", what)


@pytest.mark.parametrize(
    "text",
    [alias_bomb().replace("x-a11:", "packages:"), merge_bomb() + "packages: ['apps/*']\n"],
    ids=["alias-bomb", "merge-bomb"],
)
def test_a_hostile_pnpm_workspace_file_is_a_one_line_error(tmp_path: Path, text: str) -> None:
    project = tmp_path / "p"
    (project / "apps" / "web").mkdir(parents=True)
    (project / "apps" / "web" / "package.json").write_text('{"name": "web"}')
    (project / "apps" / "web" / ".env").write_text("A=1\n")
    (project / "package.json").write_text('{"name": "root", "private": true}')
    (project / "pnpm-workspace.yaml").write_text(text)
    one_line_error(run(project, "check"), "pnpm-workspace.yaml:", "alias bomb")


def test_anchors_and_merge_keys_of_a_real_compose_file_still_work(tmp_path: Path) -> None:
    """Positive control: the usual ``x-env: &env`` block reused by services is no bomb."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "compose.yaml").write_text(
        "x-env: &env\n  DATABASE_URL: postgres://db:5432/app\n  LOG_LEVEL: info\n"
        "services:\n"
        + "".join(
            f"  s{i}:\n    image: app\n    environment:\n      <<: *env\n      NAME: s{i}\n"
            for i in range(30)
        )
    )
    done = run(project, "explain", "--service", "s7", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    keys = set(json.loads(done.stdout)["keys"])
    assert {"DATABASE_URL", "LOG_LEVEL", "NAME"} <= keys


# --- 12,000 mode files -----------------------------------------------------------------


def write_modes(project: Path, modes: int) -> None:
    project.mkdir(parents=True, exist_ok=True)
    (project / ".env").write_text("BASE=1\n")
    for i in range(modes):
        (project / f".env.m{i}").write_text(f"K{i}=v\n")


def counted_lines(project: Path) -> int:
    """Lines executed in the precedence rules (EC501-EC512) while checking ``project``."""
    module_file = precedence.__file__
    executed = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal executed
        if frame.f_code.co_filename != module_file:
            return None  # do not trace other modules' frames
        if event == "line":
            executed += 1
        return tracer

    ctx = context(project)
    sys.settrace(tracer)
    try:
        findings = list(precedence.check(ctx))
    finally:
        sys.settrace(None)
    assert any(f.code == "EC504" for f in findings)  # the rule ran and found the keys
    return executed


def test_rules_comparing_modes_do_linear_work_in_the_number_of_mode_files(
    tmp_path: Path,
) -> None:
    """Twice the mode files, about twice the work (was four times: every mode vs every mode)."""
    small, big = 400, 800
    write_modes(tmp_path / "small", small)
    write_modes(tmp_path / "big", big)
    work_small = counted_lines(tmp_path / "small")
    work_big = counted_lines(tmp_path / "big")
    assert work_big < 2.5 * work_small, (work_small, work_big)


def test_twelve_thousand_mode_files_end_to_end(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_modes(project, 12_000)
    done = run(project, "check")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    done = run(project, "check", "--select", "EC504", "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    findings = json.loads(done.stdout)["findings"]
    assert len(findings) == 12_000
    # Each message names a few of the other modes and counts the rest: its size
    # does not grow with the number of files.
    assert all(len(f["message"]) < 300 for f in findings)
    assert "and 11994 more" in findings[0]["message"]


# --- schema patterns -------------------------------------------------------------------

CRAFTED = "a" * 29 + "!"  # 30 characters: (a+)+$ backtracks 2**29 times on it in Python's re


def test_an_exponential_pattern_in_envcheck_toml_ends_with_the_right_verdict(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "envcheck.toml").write_text(
        '[keys.SLOW]\npattern = "(a+)+$"\n[keys.KEY]\npattern = "^sk-[a-z]+$"\n'
    )
    (project / ".env").write_text(f"SLOW={CRAFTED}\nKEY=sk-abc\n")
    done = run(project, "check", "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    flagged = {f["key"] for f in json.loads(done.stdout)["findings"] if f["code"] == "EC304"}
    assert flagged == {"SLOW"}
    # Positive control: the same patterns still accept and refuse what they should.
    (project / ".env").write_text("SLOW=aaaa\nKEY=sk-ABC\n")
    done = run(project, "check", "--format", "json")
    flagged = {f["key"] for f in json.loads(done.stdout)["findings"] if f["code"] == "EC304"}
    assert flagged == {"KEY"}


def test_an_exponential_pattern_in_env_example_ends_with_the_right_verdict(
    tmp_path: Path,
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / ".env.example").write_text(
        "# pattern: (a+)+$\nSLOW=\n# pattern: ^sk-[a-z]+$\nKEY=\n"
    )
    (project / ".env").write_text(f"SLOW={CRAFTED}\nKEY=sk-abc\n")
    done = run(project, "check", "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    flagged = {f["key"] for f in json.loads(done.stdout)["findings"] if f["code"] == "EC304"}
    assert flagged == {"SLOW"}


@pytest.mark.parametrize(
    ("schema", "text", "where", "feature"),
    [
        ("envcheck.toml", '[keys.A]\npattern = "(a+)\\\\1"\n', "envcheck.toml:1", "backreference"),
        ("envcheck.toml", "[keys.A]\npattern = '(?=a)a+'\n", "envcheck.toml:1", "lookaround"),
        (".env.example", "X=1\n# pattern: (?P<p>a)(?P=p)\nA=\n", ".env.example:2", "backreference"),
        (".env.example", "# pattern: (?<!b)a\nA=\n", ".env.example:1", "lookaround"),
    ],
)
def test_a_pattern_that_needs_backtracking_is_a_config_error_at_its_line(
    tmp_path: Path, schema: str, text: str, where: str, feature: str
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / schema).write_text(text)
    (project / ".env").write_text("A=aa\n")
    done = run(project, "check")
    one_line_error(done, where, "can take exponential time")
    assert feature in done.stderr
    assert "re2.cc" not in done.stderr  # RE2's own log stays quiet


# --- 100 kB values against the value detectors -----------------------------------------

_FRAGMENTS = ("a", "0", "-", "_", "T3BlbkFJ", "@", ":", "/", "[", "[your", ".", "%", "sk-")


def hostile_values() -> Iterator[str]:
    """100 kB values: every detector's prefix, then a repeated fragment, then a bad ending."""
    size = 100_000
    prefixes = ("", "http://a:", "postgres://", *formats.DETECT_PREFIXES)
    for prefix in prefixes:
        for fragment in _FRAGMENTS:
            for ending in ("", "!", " "):
                yield prefix + fragment * (size // len(fragment)) + ending


def test_every_format_detector_is_linear_on_100kb_values() -> None:
    checked = 0
    with hang_guard():
        for value in hostile_values():
            formats.detect(value)
            is_placeholder(value)
            for detector in formats.DETECTORS.values():
                detector.check(value)
                checked += 1
    assert checked > 1000


LEGACY_OPENAI = "sk-" + "A1b2C3d4E5f6G7h8I9j0" + "T3BlbkFJ" + "K1l2M3n4O5p6Q7r8S9t0"
TRUE_SAMPLES = {
    "openai-api-key": [LEGACY_OPENAI, "sk-proj-" + "Ab1" * 16, "sk-svcacct-" + "x_Y-z" * 8],
    "anthropic-api-key": ["sk-ant-api03-" + "aB3_" * 24],
    "google-api-key": ["AIza" + "Sy0_aBcDeFgHiJkLmNoPqRsTuVwXyZ012-x"],
    "github-token": ["ghp_" + "a1B2" * 9, "github_pat_" + "A_1" * 20],
    "slack-token": ["xoxb-1234567890-abcdef"],
    "stripe-secret-key": ["sk_test_" + "a1B2" * 6],
    "database-url": ["postgres://u:p@db:5432/app", "sqlite:///dev.db", "file:./dev.db"],
    "url": ["https://api.example.com/v1", "http://[::1]:8080/"],
}
FALSE_SAMPLES = {
    "openai-api-key": [
        "sk-" + "A" * 19 + "T3BlbkFJ" + "B" * 20,  # too short before the marker
        "sk-" + "A" * 20 + "T3BlbkFJ" + "B" * 19,  # too short after it
        "sk-" + "A" * 20 + "T3BlbkFJ" + "B" * 20 + "!",  # a character outside the alphabet
        "sk-" + "A" * 48,  # no marker
        "sess-" + "a" * 40,
    ],
    "github-token": ["ghp_short"],
    "database-url": ["http://x:99999999999999999999/", "postgres://h:" + "9" * 5000 + "/db"],
    "url": ["not a url", "https://h:" + "0" * 5000 + "/"],
}


def test_detectors_classify_true_and_false_samples_as_before() -> None:
    with hang_guard():
        for name, values in TRUE_SAMPLES.items():
            for value in values:
                assert formats.check_format(name, value) is None, (name, value)
        for name, values in FALSE_SAMPLES.items():
            for value in values:
                assert formats.check_format(name, value) is not None, (name, value)
    assert formats.detect(LEGACY_OPENAI) == "openai-api-key"
    assert formats.detect("sk-" + "T3BlbkFJ" * 12_500 + "!") is None


def test_url_placeholders_are_still_found() -> None:
    with hang_guard():
        assert is_placeholder("postgresql://postgres:[YOUR-PASSWORD]@db.example.co:5432/postgres")
        assert is_placeholder("https://[your-key]@api.example.com/")
        assert not is_placeholder("postgres://u:[real]@h/db")
        assert not is_placeholder("postgres://" + "[" * 100_000)
