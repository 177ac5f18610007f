"""``envcheck exec`` through real processes: it must *become* CMD, not wrap it.

Every test starts the installed ``envcheck`` as a real subprocess and lets
the exec'd child report on itself (its PID, parent PID, argv, environment,
signal dispositions), so a wrapper that spawned CMD as a child, rewrote an
argument or forwarded signals imperfectly would fail here.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import REPO_ROOT
from tests.oracle import requires_node

pytestmark = pytest.mark.skipif(os.name != "posix", reason="exec replaces the process on POSIX")

_SCRIPT = Path(sys.executable).parent / "envcheck"
ENVCHECK = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "envcheck"]

# The child: prints what it is, as JSON.
REPORT = (
    "import json, os, sys; json.dump({'pid': os.getpid(), 'ppid': os.getppid(), "
    "'argv': sys.argv[1:], 'env': dict(os.environ)}, sys.stdout)"
)
MARKER = "import pathlib; pathlib.Path('marker').write_text('started')"
TIMEOUT = 60


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def _run(
    project: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENVCHECK, "exec", *args],
        cwd=project,
        env=env or _env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _write(project: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        {
            ".env": "FOO=from-env\nBAZ=${FOO}-x\nSHADOWED=file\nEMPTY=\n",
            ".env.local": "FOO=from-local\n",
            ".env.production": "FOO=from-production\n",
        },
    )


def test_child_sees_resolved_environment_and_keeps_the_pid(project: Path) -> None:
    proc = subprocess.Popen(
        [*ENVCHECK, "exec", "-f", "nextjs", "--", sys.executable, "-c", REPORT],
        cwd=project,
        env=_env(SHADOWED="process", UNRELATED="kept"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    child = json.loads(out)
    assert child["pid"] == proc.pid  # replaced, not spawned
    assert child["ppid"] == os.getpid()  # its parent is whoever started envcheck
    env = child["env"]
    assert env["FOO"] == "from-local"  # .env.local beats .env
    assert env["BAZ"] == "from-local-x"  # expanded as Next.js expands
    assert env["SHADOWED"] == "process"  # the process environment wins
    assert env["UNRELATED"] == "kept"
    assert env["EMPTY"] == ""


def test_mode_selects_the_mode_files(project: Path) -> None:
    proc = _run(project, "-f", "nextjs", "--mode", "production", "--", sys.executable, "-c", REPORT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["env"]["FOO"] == "from-local"
    (project / ".env.local").unlink()
    proc = _run(project, "-f", "nextjs", "--mode", "production", "--", sys.executable, "-c", REPORT)
    assert json.loads(proc.stdout)["env"]["FOO"] == "from-production"


def test_no_inject_hands_over_the_untouched_process_environment(project: Path) -> None:
    proc = _run(project, "--no-inject", "--", sys.executable, "-c", REPORT, env=_env(KEEP="1"))
    assert proc.returncode == 0, proc.stderr
    env = json.loads(proc.stdout)["env"]
    assert "FOO" not in env and "BAZ" not in env
    assert env["KEEP"] == "1"


@pytest.mark.parametrize(
    "args",
    [
        ["a b", "  leading and trailing  ", ""],
        ["--", "-x", "--help", "--mode", "production", "-C", "/nowhere"],
        ['"double"', "'single'", "back`tick`", "$HOME", "${FOO}", "*", "?", "~"],
        ["line\nbreak", "tab\there", "semi;colon", "a|b", "a&&b", "$(echo no)"],
        ["héllo wörld ✓", "=", "KEY=value", "\\", "\\n"],
    ],
)
def test_arguments_pass_verbatim(project: Path, args: list[str]) -> None:
    proc = _run(project, "--", sys.executable, "-c", REPORT, *args)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["argv"] == args


def test_arguments_without_separator_stop_at_cmd(project: Path) -> None:
    """Once CMD is named, everything after it is CMD's, options and ``--`` included."""
    proc = _run(project, sys.executable, "-c", REPORT, "--strict", "--", "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["argv"] == ["--strict", "--", "-q"]


def test_unknown_option_before_cmd_is_a_usage_error(project: Path) -> None:
    proc = _run(project, "--no-such-option", "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 2
    assert "No such option" in proc.stderr
    assert not (project / "marker").exists()


@pytest.mark.parametrize("status", [0, 1, 42, 255])
def test_exit_status_is_cmds_own(project: Path, status: int) -> None:
    proc = _run(project, "--", sys.executable, "-c", f"raise SystemExit({status})")
    assert proc.returncode == status


def test_stdin_reaches_cmd(project: Path) -> None:
    proc = _run(
        project,
        "--",
        sys.executable,
        "-c",
        "import sys; print(sys.stdin.read()[::-1])",
        stdin="abc",
    )
    assert proc.stdout == "cba\n"


def _start(project: Path, code: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [*ENVCHECK, "exec", "--", sys.executable, "-c", code],
        cwd=project,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().split()
    assert line[:1] == ["ready"], proc.stderr.read() if proc.stderr else ""
    assert int(line[1]) == proc.pid
    return proc


def test_sigterm_reaches_cmds_handler(project: Path) -> None:
    code = (
        "import os, signal, sys, time\n"
        "def on_term(sig, frame):\n"
        "    print('handled', sig, flush=True)\n"
        "    sys.exit(7)\n"
        "signal.signal(signal.SIGTERM, on_term)\n"
        "print('ready', os.getpid(), flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = _start(project, code)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=TIMEOUT)
    assert out.split() == ["handled", str(int(signal.SIGTERM))]
    assert proc.returncode == 7


def test_death_by_signal_is_cmds_own(project: Path) -> None:
    proc = _start(
        project, "import os, time; print('ready', os.getpid(), flush=True); time.sleep(60)"
    )
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGTERM


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_sigpipe_is_not_left_ignored(project: Path) -> None:
    """CPython ignores SIGPIPE; an ignored disposition would survive execve."""
    proc = _run(project, "--", "cat", "/proc/self/status")
    assert proc.returncode == 0, proc.stderr
    ignored = next(
        int(line.split()[1], 16) for line in proc.stdout.splitlines() if line.startswith("SigIgn:")
    )
    assert not ignored & (1 << (signal.SIGPIPE - 1))


def test_errors_block_cmd(tmp_path: Path) -> None:
    project = _write(tmp_path, {".env": "PRESENT=1\n", ".env.example": "PRESENT=\nNEEDED=\n"})
    proc = _run(project, "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 1
    assert not (project / "marker").exists()
    assert proc.stdout == ""
    assert "EC301" in proc.stderr and "NEEDED" in proc.stderr
    assert "not starting" in proc.stderr
    (project / ".env").write_text("PRESENT=1\nNEEDED=yes\n")
    proc = _run(project, "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 0, proc.stderr
    assert (project / "marker").read_text() == "started"


def test_report_never_shows_a_secret_value(tmp_path: Path) -> None:
    key = "sk-proj-" + "Zq9" * 20
    project = _write(
        tmp_path, {".env": f"NEXT_PUBLIC_OPENAI_API_KEY={key}\n", ".env.example": "NEEDED=\n"}
    )
    proc = _run(project, "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 1
    assert key not in proc.stderr and key[-20:] not in proc.stderr


def test_warnings_are_shown_on_stderr_unless_quiet(tmp_path: Path) -> None:
    project = _write(tmp_path, {".env": "OPENAI_API_BASE=https://example.test/v1\n"})
    proc = _run(project, "--", sys.executable, "-c", "print('ran')")
    assert proc.returncode == 0
    assert proc.stdout == "ran\n"
    assert "EC406" in proc.stderr
    proc = _run(project, "--quiet", "--", sys.executable, "-c", "print('ran')")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "ran\n", "")
    proc = _run(project, "--strict", "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 1
    assert not (project / "marker").exists()


def test_command_not_found_is_127(project: Path) -> None:
    proc = _run(project, "--", "envcheck-no-such-command-xyz", "arg")
    assert proc.returncode == 127
    assert "command not found: envcheck-no-such-command-xyz" in proc.stderr


def test_path_that_is_not_executable_is_126(project: Path) -> None:
    proc = _run(project, "--", "./.env")
    assert proc.returncode == 126
    assert "cannot run ./.env" in proc.stderr


def test_no_process_env_is_refused(project: Path) -> None:
    proc = _run(project, "--no-process-env", "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 2
    assert "--process-env-only" in proc.stderr
    assert not (project / "marker").exists()


def test_process_env_only_ignores_the_files(tmp_path: Path) -> None:
    project = _write(
        tmp_path,
        {".env": "API_URL=https://from-file.test\nFILE_ONLY=1\n", ".env.example": "API_URL=\n"},
    )
    # The file would satisfy the schema, but only what the orchestrator injected counts.
    proc = _run(project, "--process-env-only", "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 1
    assert "API_URL" in proc.stderr
    assert not (project / "marker").exists()
    proc = _run(
        project,
        "--process-env-only",
        "--",
        sys.executable,
        "-c",
        REPORT,
        env=_env(API_URL="https://injected.test"),
    )
    assert proc.returncode == 0, proc.stderr
    env = json.loads(proc.stdout)["env"]
    assert env["API_URL"] == "https://injected.test"
    assert "FILE_ONLY" not in env  # nothing from the files reaches CMD


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_probe_fail_open(tmp_path: Path) -> None:
    key = "sk-proj-" + "Ab1" * 20
    base = f"http://127.0.0.1:{_closed_port()}/v1"  # connection refused: inconclusive
    project = _write(tmp_path, {".env": f"OPENAI_API_KEY={key}\nOPENAI_BASE_URL={base}\n"})
    (project / ".env").chmod(0o600)
    trusted = "--trust-base-url"  # the .env's base URL: else refused, exit 2, never fail-open
    proc = _run(project, "--probe", trusted, "--timeout", "3", "--", sys.executable, "-c", MARKER)
    assert proc.returncode == 3
    assert "EC708" in proc.stderr
    assert not (project / "marker").exists()
    proc = _run(
        project,
        "--probe",
        "--probe-fail-open",
        trusted,
        "--timeout",
        "3",
        "--",
        sys.executable,
        "-c",
        MARKER,
    )
    assert proc.returncode == 0, proc.stderr
    assert "starting CMD anyway" in proc.stderr
    assert (project / "marker").read_text() == "started"
    assert key not in proc.stderr


NEXT_CASES = {
    "expansion": {
        ".env": "A=1\nB=${A}-b\nC=$A$A\nDEFAULT=${MISSING:-fallback}\n",
        ".env.local": "A=local\n",
    },
    "quotes-and-escapes": {
        ".env": "S='single $A'\nD=\"line\\nbreak\"\nESC=\\$notvar\nHASH=a#b\nSP=  padded  \n",
    },
    "process-values": {".env": "P=file\nFROM_P=${P}-x\nEMPTY_P=file\nDOLLAR_P=file\nA=1\n"},
    "defaults-and-backslashes": {
        ".env": "X=${UNSET:-dflt}\nY=${P:-no}\nZ=pre${Y}post\nWIN=C:\\temp\\new\nLIT='$X'\n",
        ".env.development": "Y=dev\n",
    },
}


@requires_node
@pytest.mark.parametrize("files", NEXT_CASES.values(), ids=list(NEXT_CASES))
def test_nextjs_reloading_under_exec_sees_the_same_values(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """The injected environment survives Next.js loading the files again inside CMD.

    @next/env's ``loadEnvConfig`` run by itself and run as CMD under
    ``envcheck exec`` must hand the app identical values, or ``exec`` would
    validate one environment and start another.
    """
    project = _write(tmp_path, files)
    base = {"PATH": os.environ["PATH"], "P": "proc", "EMPTY_P": "", "DOLLAR_P": "$A"}
    request = json.dumps({"dir": str(project), "dev": True})
    oracle = ["node", str(REPO_ROOT / "oracles" / "next.cjs")]
    alone = subprocess.run(
        oracle,
        input=request,
        env=base,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert alone.returncode == 0, alone.stderr
    under = subprocess.run(
        [*ENVCHECK, "exec", "-f", "nextjs", "--quiet", "--", *oracle],
        input=request,
        env={**base, "NO_COLOR": "1", "HOME": os.environ["HOME"]},
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert under.returncode in (0, 1), under.stderr
    if under.returncode == 1:
        pytest.fail(f"envcheck refused a project Next.js loads: {under.stderr}")
    assert dict(json.loads(under.stdout)["env"]) == dict(json.loads(alone.stdout)["env"])


def test_a_files_node_env_is_not_injected(tmp_path: Path) -> None:
    """The mode comes from the real environment; a file's NODE_ENV must not switch CMD's."""
    project = _write(tmp_path, {".env": "NODE_ENV=production\nFOO=1\n"})
    proc = _run(project, "-f", "nextjs", "--", sys.executable, "-c", REPORT)
    assert proc.returncode == 0, proc.stderr
    env = json.loads(proc.stdout)["env"]
    assert env["FOO"] == "1"
    assert "NODE_ENV" not in env
    proc = _run(
        project, "-f", "nextjs", "--", sys.executable, "-c", REPORT, env=_env(NODE_ENV="test")
    )
    assert json.loads(proc.stdout)["env"]["NODE_ENV"] == "test"
