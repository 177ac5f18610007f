"""Hostile inputs through the real CLI: nothing crashes, hangs, or writes into the project.

Each input is something a real checkout can hold by accident or malice: a
binary blob saved as ``.env``, Latin-1 or UTF-16 text, a 50 MB file, a
1 MB line, a named pipe (Next.js reads FIFOs), a symlink loop, a directory
named ``.env``, a file root cannot read, a missing project, broken config
files, a settings module that raises.  Every command that reads the input
must answer with exit 2 and a one-line ``envcheck: error:`` naming the file
plus a hint (or, where the app itself would cope, a finding that names the
file), print no traceback, and leave the project tree exactly as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 120
ENVCHECK = [sys.executable, "-m", "envcheck"]


def _environment(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
    }


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` by lstat: type, mode, size, mtime, and a hash of regular files.

    Never follows links and never opens a FIFO (opening one would block).
    """
    found: dict[str, tuple[object, ...]] = {}
    for base, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(base, name)
            st = path.lstat()
            digest = ""
            if stat.S_ISREG(st.st_mode) and st.st_mode & stat.S_IRUSR:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(root))] = (
                stat.S_IFMT(st.st_mode),
                stat.S_IMODE(st.st_mode),
                st.st_size,
                0 if stat.S_ISFIFO(st.st_mode) else st.st_mtime_ns,  # a writer touches a pipe
                digest,
            )
    return found


# -- the inputs: each a function that fills a project directory ----------------


def _binary(p: Path) -> None:
    (p / ".env").write_bytes(bytes(range(256)) * 4096)  # 1 MiB, every byte value


def _invalid_utf8(p: Path) -> None:
    (p / ".env").write_bytes(b"GOOD=1\nNAME=Andr\xe9 M\xfcller\nLAST=\xff\xfe\xfd\n")


def _utf16(p: Path) -> None:
    (p / ".env").write_bytes("API_URL=https://example.com\nDEBUG=1\n".encode("utf-16"))


def _fifty_mb(p: Path) -> None:
    """50 MB: one real line, then NULs (a disk image or core dump saved under the name)."""
    with open(p / ".env", "wb") as fh:
        fh.write(b"GOOD=1\n")
        fh.truncate(50 * 1024 * 1024)


def _one_mb_line(p: Path) -> None:
    # Not one character repeated: that would be a placeholder (EC306), not just a big value.
    blob = "".join(f"{i:x}" for i in range(300_000))[: 1024 * 1024]
    (p / ".env").write_text("BLOB=" + blob + "\nNEXT=1\n")


def _one_mb_line_without_equals(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n" + "y" * (1024 * 1024) + "\n")


def _fifo(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "package.json").write_text('{"dependencies": {"next": "16.0.0"}}')
    os.mkfifo(p / ".env.local")


def _symlink_loop(p: Path) -> None:
    (p / ".env.local").symlink_to(".env")
    (p / ".env").symlink_to(".env.local")


def _dangling_symlink(p: Path) -> None:
    (p / ".env").symlink_to("nowhere/.env")


def _directory(p: Path) -> None:
    (p / ".env").mkdir()
    (p / ".env" / "inner").write_text("A=1\n")


def _unreadable(p: Path) -> None:
    (p / ".env").write_text("SECRET_TOKEN=abc\n")
    (p / ".env").chmod(0)


def _broken_config(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "envcheck.toml").write_text('[keys.API_URL\ntype = "url"\n')


def _config_not_utf8(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "envcheck.toml").write_bytes(b'[keys.NAME]\ndescription = "Andr\xe9"\n')


def _config_directory(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "envcheck.toml").mkdir()


def _pyproject_ours(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "pyproject.toml").write_text("[tool.envcheck\nstrict = true\n")


def _pyproject_not_ours(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "pyproject.toml").write_text("this is = = not toml\n[tool.poetry\n")


def _settings_raise(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "boom.py").write_text('raise RuntimeError("the database is down")\n')


def _settings_exit(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "boom.py").write_text("import sys\nprint('bye')\nsys.exit(3)\n")


def _settings_syntax(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "boom.py").write_text("class Settings(:\n")


def _package_json_broken(p: Path) -> None:
    (p / ".env").write_text("GOOD=1\n")
    (p / "package.json").write_bytes(b'{"dependencies": {"next": \xff')


def _billion_laughs(p: Path) -> None:
    """Each line doubles the last: forty of them ask Vite for a terabyte (EC509)."""
    lines = ["A0=xxxxxxxxxx", *(f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 41))]
    (p / ".env").write_text("\n".join(lines) + "\n")
    (p / "package.json").write_text('{"devDependencies": {"vite": "8.0.0"}}')


def _deep_chain(p: Path) -> None:
    """A 5000-link chain of references: react-scripts recurses once per link."""
    lines = ["A0=x", *(f"A{i}=${{A{i - 1}}}" for i in range(1, 5001))]
    (p / ".env").write_text("\n".join(reversed(lines)) + "\n")
    (p / "package.json").write_text('{"dependencies": {"react-scripts": "5.0.1"}}')


@dataclass(frozen=True)
class Hostile:
    """An input, the file a message must name, and how the CLI must answer it.

    ``usage``: the input is envcheck's own business (config, settings): exit 2
    with a one-line error.  Otherwise the app would cope (or choke) and
    envcheck reports a finding, exit 1 - or ``clean`` when the app reads it
    without complaint, exit 0.
    """

    make: Callable[[Path], None]
    name: str
    usage: bool = False
    clean: bool = False
    settings: str | None = None


INPUTS: dict[str, Hostile] = {
    "binary": Hostile(_binary, ".env"),
    "invalid-utf8": Hostile(_invalid_utf8, ".env"),
    "utf16-bom": Hostile(_utf16, ".env"),
    "50MB": Hostile(_fifty_mb, ".env"),
    "1MB-line": Hostile(_one_mb_line, ".env", clean=True),  # exec: too big to pass on
    "1MB-line-without-equals": Hostile(_one_mb_line_without_equals, ".env"),
    "fifo-no-writer": Hostile(_fifo, ".env.local"),
    "symlink-loop": Hostile(_symlink_loop, ".env"),
    # a link to a file not created yet (the README's setup creates it): absent, as the app sees it
    "dangling-symlink": Hostile(_dangling_symlink, ".env", clean=True),
    "directory": Hostile(_directory, ".env"),
    "unreadable": Hostile(_unreadable, ".env"),
    "broken-envcheck-toml": Hostile(_broken_config, "envcheck.toml", usage=True),
    "envcheck-toml-not-utf8": Hostile(_config_not_utf8, "envcheck.toml", usage=True),
    "envcheck-toml-directory": Hostile(_config_directory, "envcheck.toml", usage=True),
    "pyproject-ours-not-toml": Hostile(_pyproject_ours, "pyproject.toml", usage=True),
    "pyproject-not-ours": Hostile(_pyproject_not_ours, "", clean=True),
    "settings-raises": Hostile(_settings_raise, "boom", usage=True, settings="boom:Settings"),
    "settings-exits": Hostile(_settings_exit, "boom", usage=True, settings="boom:Settings"),
    "settings-syntax": Hostile(_settings_syntax, "boom", usage=True, settings="boom:Settings"),
    # detection only: the app's own tools report it, envcheck falls back to the dotenv profile
    "package-json-broken": Hostile(_package_json_broken, "package.json", clean=True),
    "billion-laughs": Hostile(_billion_laughs, ".env"),
    "deep-chain": Hostile(_deep_chain, ".env"),
}

# The commands that read a project, and how each is pointed at it.
COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check",),
    "check-json": ("check", "--format", "json"),
    "explain": ("explain",),
    "diff": ("diff",),
    "exec": ("exec", "--", sys.executable, "-c", "pass"),
}
# What each command does with file problems: check-like ones report them (exit 1);
# explain shows what the app would see and lists unreadable files (exit 0);
# diff compares modes and reports only what differs.
REPORTS_FINDINGS = {"check", "check-json", "exec"}
# explain reads envcheck.toml too (framework, mode, declared secrets), but takes no --settings.
READS_CONFIG = {"check", "check-json", "diff", "exec", "explain"}
SLOW = {"50MB", "fifo-no-writer"}  # each run costs seconds: check only


def _cases() -> list[tuple[str, str]]:
    out = []
    for name, hostile in INPUTS.items():
        for command in COMMANDS:
            if name in SLOW and command not in ("check", "explain"):
                continue
            if hostile.settings and command in ("explain",):
                continue  # explain takes no --settings
            out.append((name, command))
    return out


def _drop_read_override() -> None:
    """Child side of a root run: give up CAP_DAC_OVERRIDE/READ_SEARCH so mode 000 bites.

    Dropped from the bounding set before exec, root's new program never
    gets them back; the owner's permission bits then apply to root too.
    """
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    pr_capbset_drop = 24
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _can_drop_privileges() -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return os.name == "posix"
    try:
        done = subprocess.run(
            [sys.executable, "-c", "open('/proc/self/status').read()"],
            preexec_fn=_drop_read_override,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def run_cli(
    project: Path, args: tuple[str, ...], home: Path, *, drop: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENVCHECK, *args],
        cwd=project,
        env=_environment(home),
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
        preexec_fn=_drop_read_override if drop and os.geteuid() == 0 else None,
    )


def _assert_one_line_error(stderr: str, name: str) -> None:
    """``envcheck: error: <file…>: what`` plus at most a ``hint:`` line, nothing else."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("envcheck: error:")]
    assert len(errors) == 1, stderr
    assert name in errors[0], stderr
    hints = [line for line in lines if line.strip().startswith("hint:")]
    assert len(hints) == 1, f"no hint saying what to do: {stderr}"
    assert len(lines) <= 3, stderr  # a settings module's own print may add one line


@pytest.mark.parametrize(("name", "command"), _cases(), ids=[f"{n}-{c}" for n, c in _cases()])
def test_hostile_input(name: str, command: str, tmp_path: Path) -> None:
    hostile = INPUTS[name]
    if name == "unreadable" and not _can_drop_privileges():
        pytest.skip(
            "running as root without a way to drop CAP_DAC_OVERRIDE: every file is readable"
        )
    project = tmp_path / "project"
    project.mkdir()
    hostile.make(project)
    before = snapshot(project)
    args = COMMANDS[command]
    if hostile.settings and command != "explain":
        args = (args[0], "--settings", hostile.settings, *args[1:])
    done = run_cli(project, args, tmp_path / "home", drop=name == "unreadable")
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-2000:]
    assert "internal error" not in output, output[-2000:]
    if hostile.usage and command in READS_CONFIG:
        assert done.returncode == 2, output[-2000:]
        _assert_one_line_error(done.stderr, hostile.name)
    elif name == "1MB-line" and command == "exec":
        # Linux caps one environment string at 128 KiB: say so, and what to do
        assert done.returncode == 126, output[-2000:]
        _assert_one_line_error(done.stderr, "too big")
        assert "--no-inject" in done.stderr
    elif hostile.clean or hostile.usage:
        assert done.returncode == 0, output[-2000:]
    elif command in REPORTS_FINDINGS:
        assert done.returncode == 1, output[-2000:]
        stream = done.stderr if command == "exec" else done.stdout
        assert f"{hostile.name}:" in stream or f'"{hostile.name}"' in stream, output[-2000:]
        assert "hint" in stream
    elif command == "explain" and name in ("directory", "symlink-loop", "fifo-no-writer"):
        assert done.returncode == 0
        assert f"not read: {hostile.name}" in done.stdout, done.stdout
    else:
        assert done.returncode in (0, 1), output[-2000:]
    if command == "exec" and done.returncode == 0:
        assert done.stdout == ""
    assert snapshot(project) == before, "envcheck wrote into the project"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_fifo_with_a_writer_is_read_like_nextjs_reads_it(fmt: str, tmp_path: Path) -> None:
    """A pipe someone writes into is an env file (Next.js reads it), read once, never reopened."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text('{"dependencies": {"next": "16.0.0"}}')
    fifo = project / ".env.local"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as fh:  # blocks until envcheck opens the pipe
            fh.write("FROM_PIPE=1\nlower=2\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    before = snapshot(project)
    done = run_cli(project, ("explain", "--format", fmt), tmp_path / "home")
    writer.join(5)
    assert done.returncode == 0, done.stderr
    assert "FROM_PIPE" in done.stdout and ".env.local" in done.stdout
    assert snapshot(project) == before


def test_fifo_with_a_writer_is_checked_without_blocking(tmp_path: Path) -> None:
    """``check`` re-reads files for inline suppressions and style: never a drained pipe."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text('{"dependencies": {"next": "16.0.0"}}')
    fifo = project / ".env.local"
    os.mkfifo(fifo)
    (project / ".env").write_text("GOOD=1\n")

    def write() -> None:
        with open(fifo, "w") as fh:
            fh.write('BROKEN="unterminated\n')

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    done = run_cli(project, ("check",), tmp_path / "home")
    writer.join(5)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ".env.local:1:" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("check", "no-such-dir"),
        ("check", "--dir", "no-such-dir"),
        ("explain", "--dir", "no-such-dir"),
        ("diff", "--dir", "no-such-dir"),
        ("init", "--dir", "no-such-dir"),
        ("probe", "--dir", "no-such-dir"),
        ("exec", "--dir", "no-such-dir", "--", "true"),
        ("lint", "no-such-dir/.env"),
        ("check", "--env-file", "no-such-dir/.env"),
    ],
    ids=lambda a: " ".join(a),
)
def test_missing_project_directory(args: tuple[str, ...], tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    done = run_cli(tmp_path, args, tmp_path / "home")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    _assert_one_line_error(done.stderr, "no-such-dir")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["binary", "utf16-bom", "fifo-no-writer", "directory"])
def test_lint_names_the_file(name: str, tmp_path: Path) -> None:
    """pre-commit's entry point: a finding on the file, exit 1, nothing written."""
    project = tmp_path / "project"
    project.mkdir()
    INPUTS[name].make(project)
    before = snapshot(project)
    target = INPUTS[name].name
    done = run_cli(project, ("lint", target, "--format", "github"), tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"file={target}," in done.stdout
    assert snapshot(project) == before


def test_debug_shows_the_traceback_of_an_internal_error(tmp_path: Path) -> None:
    """``--debug`` is the escape hatch: an unexpected exception keeps its traceback."""
    (tmp_path / "sitecustomize.py").write_text(
        "import envcheck.engine\n"
        "def _boom(*a, **k):\n    raise RuntimeError('injected')\n"
        "envcheck.engine.run_families = _boom\n"
    )
    (tmp_path / ".env").write_text("A=1\n")
    env = {**_environment(tmp_path / "home"), "PYTHONPATH": str(tmp_path)}
    plain = subprocess.run(
        [*ENVCHECK, "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    debug = subprocess.run(
        [*ENVCHECK, "check", "--debug"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert "internal error (RuntimeError)" in plain.stderr and "--debug" in plain.stderr
    assert debug.returncode != 0 and "Traceback" in debug.stderr
