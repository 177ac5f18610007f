"""Every file a checkout holds or names is read bounded, as a regular file, inside the project.

Real links to ``/dev/zero``, ``/dev/urandom``, ``/proc/self/environ``, a
pty's slave end and a file outside the project; real FIFOs; a directory
named ``.env``; package.json scripts and compose files that name files
outside the project.  Each run is a real ``python -m envcheck`` process
with a hang guard; it must end with the documented exit code, print no
traceback, and show nothing from outside the project (a canary written into
the outside file, or put into envcheck's own environment for
``/proc/self/environ``) in text or JSON output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.sources import checkout

TIMEOUT = 60  # a hang guard only: each run takes about a second
CANARY = "zzOutsideCanary7f3a9c"
ENV_CANARY = "zzProcessCanary51b2e8"
NEXT = '{"dependencies": {"next": "16.0.0"}}'
COMMANDS = {
    "check": ("check",),
    "check-json": ("check", "--format", "json"),
    "explain": ("explain",),
    "explain-json": ("explain", "--format", "json"),
    "lint": ("lint",),
    "diff": ("diff",),
    "diff-json": ("diff", "--format", "json"),
    "guard": ("guard", ".env", "--format", "json"),  # as pre-commit calls it: the staged name
}


def run(project: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "ENVCHECK_TEST_CANARY": ENV_CANARY,  # what /proc/self/environ would give away
    }
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
    )


def _assert_contained(done: subprocess.CompletedProcess[str]) -> str:
    output = done.stdout + done.stderr
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    assert CANARY not in output and ENV_CANARY not in output, output[-2000:]
    return output


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project holding a canary (another project's .env)."""
    other = tmp_path / "other-project"
    other.mkdir()
    (other / ".env").write_text(f"STOLEN={CANARY}\n")
    return other / ".env"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / ".git").mkdir()  # a clone: its top is the project root
    return root


def _pty_slave() -> str:
    master, slave = os.openpty()
    name = os.ttyname(slave)
    _pty_slave.fds = (master, slave)  # type: ignore[attr-defined]  # kept open for the test
    return name


# -- an env file that is not a file, or leads out ------------------------------------

ENV_TARGETS: dict[str, Callable[[Path], str]] = {
    "dev-zero": lambda _: "/dev/zero",
    "dev-urandom": lambda _: "/dev/urandom",
    "proc-self-environ": lambda _: "/proc/self/environ",
    "outside-file": lambda outside: str(outside),
    "outside-relative": lambda outside: os.path.join("..", "other-project", ".env"),
    "pty": lambda _: _pty_slave(),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("target", list(ENV_TARGETS))
def test_env_link_is_refused_and_reported(
    target: str, command: str, project: Path, outside: Path, tmp_path: Path
) -> None:
    """``.env`` -> device, /proc, pty or another project: EC109 (exit 1), never read."""
    (project / "package.json").write_text(NEXT)
    (project / ".env").symlink_to(ENV_TARGETS[target](outside))
    done = run(project, *COMMANDS[command], home=tmp_path / "home")
    output = _assert_contained(done)
    if command == "guard":  # a file guard cannot read is refused: exit 2, one line
        assert done.returncode == 2, output
        assert ".env" in done.stderr
    elif command.startswith("explain"):
        assert done.returncode == 0, output
        assert "not read" in output or '"unreadable"' in output or ".env" in output
    else:
        assert done.returncode == 1, output
        assert "EC109" in output, output


@pytest.mark.parametrize("command", ["check", "lint", "diff", "diff-json", "check-json"])
def test_a_directory_named_env_is_ec109_everywhere(
    command: str, project: Path, tmp_path: Path
) -> None:
    """diff and lint agree with check: a directory ``.env`` is EC109, exit 1."""
    (project / ".env").mkdir()
    (project / ".env" / "inner").write_text("A=1\n")
    done = run(project, *COMMANDS[command], home=tmp_path / "home")
    output = _assert_contained(done)
    assert done.returncode == 1, output
    assert "EC109" in output and "directory" in output, output


def test_a_fifo_env_file_without_writer_ends(project: Path, tmp_path: Path) -> None:
    (project / "package.json").write_text(NEXT)
    os.mkfifo(project / ".env")
    done = run(project, "check", home=tmp_path / "home")
    output = _assert_contained(done)
    assert done.returncode == 1 and "EC109" in output, output


# -- project files the detection and rules read ----------------------------------------

CONFIG_FILES = ["package.json", "Gemfile", ".nvmrc", "next.config.js", "pyproject.toml"]


@pytest.mark.parametrize("name", CONFIG_FILES)
@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "proc-self-environ", "outside"])
def test_config_files_that_are_not_files_are_skipped(
    name: str, kind: str, project: Path, outside: Path, tmp_path: Path
) -> None:
    """package.json & co. as /dev/zero, a FIFO, /proc or another project's file: the run ends."""
    (project / ".env").write_text("GOOD=1\n")
    if name != "package.json":
        (project / "package.json").write_text(
            '{"dependencies": {"next": "16.0.0"}, "engines": {"node": ">=20"}}'
        )
    path = project / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(
            {"dev-zero": "/dev/zero", "proc-self-environ": "/proc/self/environ"}.get(
                kind, str(outside)
            )
        )
    for args in (("check",), ("check", "--format", "json"), ("explain",), ("lint",), ("diff",)):
        done = run(project, *args, home=tmp_path / "home")
        _assert_contained(done)
        assert done.returncode in (0, 1), done.stdout + done.stderr


def test_built_bundle_linked_to_dev_zero_is_not_read_whole(project: Path, tmp_path: Path) -> None:
    """EC520 searches ``.next/static/**``: a bundle file -> /dev/zero must not exhaust memory."""
    (project / "package.json").write_text(NEXT)
    (project / ".env.production").write_text("NEXT_PUBLIC_API=https://api.example.com\n")
    (project / ".next" / "static").mkdir(parents=True)
    (project / ".next" / "BUILD_ID").write_text("x\n")
    (project / ".next" / "static" / "main.js").symlink_to("/dev/zero")
    (project / ".next" / "static" / "pipe.js").parent.mkdir(exist_ok=True)
    os.mkfifo(project / ".next" / "static" / "pipe.js")
    home = tmp_path / "home"
    env_done = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--mode", "production"],
        cwd=project,
        env={
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(home),
            "NEXT_PUBLIC_API": "https://other.example.com",
            "NO_COLOR": "1",
        },
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    _assert_contained(env_done)
    assert env_done.returncode in (0, 1), env_done.stderr
    assert "EC520" in env_done.stdout  # the value was looked for, not found: the rule still runs


# -- paths the checkout names ----------------------------------------------------------


@pytest.mark.parametrize(
    "named",
    ["/etc/passwd", "ABS_OUTSIDE", "../other-project/.env", "../../../../../../etc/passwd"],
)
def test_a_script_naming_a_file_outside_is_refused(
    named: str, project: Path, outside: Path, tmp_path: Path
) -> None:
    """``dotenv -e /etc/x`` / ``node --env-file=../x``: EC109 on package.json, not a read."""
    name = str(outside) if named == "ABS_OUTSIDE" else named
    scripts = {"dev": f"node --env-file={name} server.js"}
    (project / "package.json").write_text(json.dumps({"scripts": scripts}))
    for args in (("check",), ("check", "--format", "json"), ("explain",)):
        done = run(project, *args, home=tmp_path / "home")
        output = _assert_contained(done)
        assert "package.json" in output, output
        assert "outside the project" in output, output
        if args[0] == "check":
            assert done.returncode == 1, output


def test_a_dotenv_cli_wrapper_naming_a_file_outside_is_refused(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    (project / "package.json").write_text(
        json.dumps(
            {
                "dependencies": {"vite": "5.0.0"},
                "scripts": {"dev": f"dotenv -e {outside} -- vite"},
            }
        )
    )
    done = run(project, "check", "--format", "json", home=tmp_path / "home")
    output = _assert_contained(done)
    assert done.returncode == 1, output
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EC109"]
    assert found and found[0]["path"] == "package.json", found


@pytest.mark.parametrize("named", ["ABS_OUTSIDE", "../other-project/.env"])
def test_a_compose_env_file_outside_is_refused(
    named: str, project: Path, outside: Path, tmp_path: Path
) -> None:
    name = str(outside) if named == "ABS_OUTSIDE" else named
    (project / "compose.yaml").write_text(
        f"services:\n  web:\n    image: nginx\n    env_file: {name}\n"
    )
    done = run(project, "check", "--format", "json", home=tmp_path / "home")
    output = _assert_contained(done)
    assert done.returncode == 1, output
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EC109"]
    assert found and found[0]["path"] == "compose.yaml" and found[0]["line"] == 4, found


# -- what must keep working -------------------------------------------------------------


def test_a_link_inside_the_project_still_reads(tmp_path: Path) -> None:
    """``apps/web/.env -> ../../.env`` inside a workspace root: read, as before."""
    root = tmp_path / "mono"
    (root / "apps" / "web").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "pnpm-workspace.yaml").write_text("packages:\n  - apps/*\n")
    (root / "package.json").write_text('{"private": true}')
    (root / ".env").write_text("SHARED_FROM_ROOT=1\n")
    (root / "apps" / "web" / "package.json").write_text(NEXT)
    (root / "apps" / "web" / ".env").symlink_to(os.path.join("..", "..", ".env"))
    for cwd in (root, root / "apps" / "web"):
        done = run(cwd, "explain", "--format", "json", home=tmp_path / "home")
        assert done.returncode == 0, done.stderr
        assert "SHARED_FROM_ROOT" in done.stdout, done.stdout


def test_the_user_may_name_a_file_outside(project: Path, outside: Path, tmp_path: Path) -> None:
    """``--env-file`` and ``lint FILE`` are the user's choice: read even outside the project."""
    done = run(project, "lint", str(outside), home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    done = run(project, "explain", "--env-file", str(outside), "STOLEN", home=tmp_path / "home")
    assert done.returncode == 0 and "STOLEN" in done.stdout, done.stdout + done.stderr


def test_a_link_the_user_names_still_may_not_lead_out(
    project: Path, outside: Path, tmp_path: Path
) -> None:
    """``lint .env`` (pre-commit passes the staged names) when .env leads out: refused."""
    (project / ".env").symlink_to(outside)
    done = run(project, "lint", ".env", home=tmp_path / "home")
    output = _assert_contained(done)
    assert done.returncode == 1 and "EC109" in output, output


# -- the reader itself -------------------------------------------------------------------


def test_reader_caps_and_types(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 2048)
    with pytest.raises(checkout.UnreadableFile, match="at most"):
        checkout.read_bytes(tmp_path / "big", within=tmp_path, cap=1024)
    assert checkout.read_bytes(tmp_path / "big", within=tmp_path, cap=1024, truncate=True) == (
        b"x" * 1024
    )
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(checkout.UnreadableFile, match="named pipe"):
        checkout.read_bytes(tmp_path / "pipe", within=tmp_path)
    with pytest.raises(checkout.UnreadableFile, match="pipe"):
        checkout.read_bytes(tmp_path / "pipe", within=tmp_path, pipes=0.05)
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(checkout.UnreadableFile):
        checkout.read_bytes(tmp_path / "zero", within=tmp_path, named=True)
    with pytest.raises(FileNotFoundError):
        checkout.read_bytes(tmp_path / "nothing", within=tmp_path)


def test_named_path_problem(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    assert checkout.named_path_problem(".env", app) is None
    assert checkout.named_path_problem("/etc/passwd", app) is not None
    assert checkout.named_path_problem("../x/.env", app) is not None
