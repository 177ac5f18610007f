"""Hostile checkouts (issue #23): nothing a checked file says unmasks a value or runs code.

Each case is a real project in a temp dir, run as a real ``envcheck``
process.  The fake secrets are fresh per run (a canary), so a value that
turns up in stdout, stderr or a written file can only have come from this
run.  Classes held here:

* a committed schema's ``secret = false`` never unmasks a process value
  (``explain`` text and JSON, ``diff --values``);
* a password glued into a key by Vite's parser is never printed, nor
  written by ``init``;
* ``guard`` reads files as the loaders would (UTF-16 with a BOM), scans
  commented-out assignments and bare credential lines, and refuses what it
  cannot read;
* ``exec``: start-up variables from a file (``LD_PRELOAD``, ``BASH_ENV``,
  ``NODE_OPTIONS``, ``PATH``) are EC407, and ``--strict`` never starts CMD.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.model import Finding, Severity

_ALNUM = string.ascii_letters + string.digits


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


@pytest.fixture
def api_key() -> str:
    """A fake OpenAI-shaped key, new for every test."""
    return "sk-proj-" + _random(48)


@pytest.fixture
def password() -> str:
    """A fake password with no credential shape: only its place says what it is."""
    return "Pw7" + _random(17) + "!x9"


def _run(
    project: Path, *args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "HOME": str(project),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=project,
        env={k: v for k, v in {**base, **(env or {})}.items() if k not in drop},
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, far above the second these take
    )


def _output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def _no_trace(secret: str, text: str) -> None:
    """Neither the secret nor any 12-character slice of it is in ``text``."""
    assert secret not in text
    assert not any(secret[i : i + 12] in text for i in range(len(secret) - 11))


# -- class 6: only trusted input unmasks ------------------------------------------


def _schema_unmasking(project: Path) -> None:
    (project / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}')
    (project / "envcheck.toml").write_text(
        "[keys.CI_DEPLOY_TOKEN]\nsecret = false\n\n[keys.GREETING]\nsecret = false\n"
    )
    # GREETING copies the process secret into a name no one would mask.
    (project / ".env").write_text("PORT=3000\nGREETING=hello-${CI_DEPLOY_TOKEN}\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_schema_secret_false_does_not_unmask_a_process_value(
    tmp_path: Path, password: str, fmt: str
) -> None:
    _schema_unmasking(tmp_path)
    env = {"CI_DEPLOY_TOKEN": password}
    for args in (
        ["explain", "CI_DEPLOY_TOKEN", "GREETING"],
        ["explain", "--all"],
    ):
        done = _run(tmp_path, *args, "--format", fmt, env=env)
        assert done.returncode == 0, done.stderr
        _no_trace(password, _output(done))
    if fmt == "json":
        keys = json.loads(done.stdout)["keys"]
        assert keys["CI_DEPLOY_TOKEN"]["secret"] is True
        assert keys["GREETING"]["value"].startswith("hello-")  # the file's own part stays
    # --reveal, the command line, is the way to see it (and proves the canary would show).
    shown = _run(tmp_path, "explain", "CI_DEPLOY_TOKEN", "--reveal", env=env)
    assert password in shown.stdout


def test_schema_secret_false_still_unmasks_the_checkouts_own_value(tmp_path: Path) -> None:
    (tmp_path / "envcheck.toml").write_text("[keys.SESSION_SECRET]\nsecret = false\n")
    (tmp_path / ".env").write_text("SESSION_SECRET=dev-only-Value-1234\n")
    done = _run(tmp_path, "explain", "SESSION_SECRET", "--no-process-env", "-f", "vite")
    assert "dev-only-Value-1234" in done.stdout  # the file's data, readable in the file too


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_schema_secret_false_does_not_unmask_in_diff(
    tmp_path: Path, password: str, fmt: str
) -> None:
    (tmp_path / "envcheck.toml").write_text("[keys.CI_DEPLOY_TOKEN]\nsecret = false\n")
    (tmp_path / ".env").write_text("PORT=1\nCI_DEPLOY_TOKEN=\n")
    done = _run(
        tmp_path, "diff", "--to", "process", "--values", "--format", fmt,
        env={"CI_DEPLOY_TOKEN": password},
    )  # fmt: skip
    assert "CI_DEPLOY_TOKEN" in done.stdout, done.stderr
    _no_trace(password, _output(done))


# -- class 6: a credential glued into a key ---------------------------------------


def _glued(project: Path, password: str, api_key: str) -> None:
    (project / "package.json").write_text('{"devDependencies": {"vite": "5.4.0"}}')
    # util.parseEnv (Vite) glues each line without '=' onto the next key.
    (project / ".env").write_text(
        f"{password}\nDB_PASSWORD=\n{api_key}\nOPENAI_API_KEY=x\nPORT=5173\n"
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_glued_password_is_never_printed(
    tmp_path: Path, password: str, api_key: str, fmt: str
) -> None:
    _glued(tmp_path, password, api_key)
    runs = [
        _run(tmp_path, "explain", "--format", fmt),
        _run(tmp_path, "explain", "--format", fmt, "--all"),
        _run(tmp_path, "check", "--format", fmt),
        _run(tmp_path, "check", "--format", "github" if fmt == "text" else "sarif"),
        _run(tmp_path, "lint", "--format", fmt),
        _run(tmp_path, "diff", "--values", "--format", fmt),
    ]
    for done in runs:
        assert "Traceback" not in done.stderr, done.stderr
        _no_trace(password, _output(done))
        _no_trace(api_key, _output(done))
    assert "PORT" in runs[0].stdout  # the plain key is still named exactly


def test_init_never_writes_a_glued_or_bare_password(
    tmp_path: Path, password: str, api_key: str
) -> None:
    vite = tmp_path / "vite"
    vite.mkdir()
    _glued(vite, password, api_key)
    done = _run(vite, "init")
    assert done.returncode == 0, done.stderr
    written = (vite / "envcheck.toml").read_text()
    assert "[keys.PORT]" in written
    _no_trace(password, written + _output(done))
    _no_trace(api_key, written)
    # python-dotenv keeps a line without '=' as a key without a value.
    py = tmp_path / "py"
    py.mkdir()
    (py / "requirements.txt").write_text("python-dotenv\n")
    (py / ".env").write_text(f"{password}\nDB_PASSWORD=\nPASSED_THROUGH\n")
    done = _run(py, "init")
    assert done.returncode == 0, done.stderr
    written = (py / "envcheck.toml").read_text()
    assert "[keys.DB_PASSWORD]" in written and "[keys.PASSED_THROUGH]" in written
    _no_trace(password, written)


def test_every_finding_names_a_credential_holding_key_masked(password: str) -> None:
    """The choke point: whichever rule writes the message, the key in it is masked."""
    key = f"{password}\nDB_PASSWORD"
    f = Finding("EC999", "x", Severity.WARNING, f"{key} is odd", key=key, hint=f"fix {key}")
    _no_trace(password, f.message + (f.hint or ""))
    assert f.key == key  # the key itself stays exact for matching; reporters mask it


# -- class 7: the commit guard fails closed ----------------------------------------


def _guard(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(project, "guard", *args)


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("dialect", ["node", "nodeutil", "python"])
def test_guard_refuses_hidden_secrets(tmp_path: Path, api_key: str, fmt: str, dialect: str) -> None:
    files = {
        ".env.commented": f"PORT=3000\n# OPENAI_API_KEY={api_key}\n".encode(),
        ".env.utf16": f"PORT=3000\nOPENAI_API_KEY={api_key}\n".encode("utf-16"),
        ".env.bare": f"PORT=3000\n{api_key}\nOPENAI_API_KEY=\n".encode(),
        ".env.utf8bom": f"\ufeffOPENAI_API_KEY={api_key}\n".encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        done = _guard(tmp_path, "--dialect", dialect, "--format", fmt, name)
        assert done.returncode == 1, (name, done.stdout, done.stderr)
        assert "EC402" in done.stdout, (name, done.stdout)
        _no_trace(api_key, _output(done))


def test_guard_passes_a_clean_template(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(
        "# OPENAI_API_KEY=sk-...\nOPENAI_API_KEY=\nDB_PASSWORD=changeme\n"
        "# DB_PASSWORD=your-password-here\nSTRIPE_SECRET_KEY=sk_live_xxx\nPORT=3000\n"
    )
    (tmp_path / ".env.utf16.example").write_bytes("OPENAI_API_KEY=\nPORT=3000\n".encode("utf-16"))
    done = _guard(tmp_path, ".env.example", ".env.utf16.example")
    assert done.returncode == 0, done.stdout + done.stderr


def test_guard_refuses_what_it_cannot_read(tmp_path: Path, api_key: str) -> None:
    cases = {
        ".env.latin1": b"PORT=3000\nNOTE=caf\xe9\n" + f"OPENAI_API_KEY={api_key}\n".encode(),
        ".env.nul": b"PORT=3000\x00\n",
        ".env.badutf16": b"\xff\xfeP\x00O\x00\x00\xd8",  # a lone surrogate
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        done = _guard(tmp_path, name)
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        message = done.stderr.strip().splitlines()
        assert message and message[0].startswith(f"envcheck: error: {name}"), done.stderr
        assert "Traceback" not in done.stderr
        _no_trace(api_key, _output(done))
    os.mkfifo(tmp_path / ".env.fifo")
    done = _guard(tmp_path, ".env.fifo")
    assert done.returncode == 2, done.stdout + done.stderr
    if os.geteuid() != 0:  # root reads a file whatever its mode says
        (tmp_path / ".env.closed").write_text(f"OPENAI_API_KEY={api_key}\n")
        (tmp_path / ".env.closed").chmod(0)
        done = _guard(tmp_path, ".env.closed")
        assert done.returncode == 2, done.stdout + done.stderr


# -- class 9: exec refuses start-up variables from a file ---------------------------

_HIJACKS = ("LD_PRELOAD", "BASH_ENV", "NODE_OPTIONS")


def _hijacking_project(project: Path) -> Path:
    (project / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}')
    (project / ".env").write_text(
        f"PORT=3000\nLD_PRELOAD={project / 'x.so'}\nBASH_ENV=./evil.sh\n"
        'NODE_OPTIONS="--require ./evil.js"\n'
    )
    return project / "started"


_TOUCH = "import pathlib; pathlib.Path('started').write_text('1')"


def test_exec_warns_about_start_up_variables_from_a_file(tmp_path: Path) -> None:
    marker = _hijacking_project(tmp_path)
    done = _run(tmp_path, "exec", "--", sys.executable, "-c", _TOUCH)
    assert done.returncode == 0, done.stderr
    for name in _HIJACKS:
        assert f"EC407 start-up-hijack-variable  {name} is set by this env file" in done.stderr
    assert marker.exists()  # a warning: CMD starts, the user was told
    check = _run(tmp_path, "check", "--format", "json")
    flagged = {f["key"] for f in json.loads(check.stdout)["findings"] if f["code"] == "EC407"}
    assert flagged == set(_HIJACKS)  # predev (check) sees it too


def test_exec_strict_never_starts_cmd(tmp_path: Path) -> None:
    marker = _hijacking_project(tmp_path)
    done = _run(tmp_path, "exec", "--strict", "--", sys.executable, "-c", _TOUCH)
    assert done.returncode == 1, done.stderr
    assert "EC407" in done.stderr and "not starting" in done.stderr
    assert not marker.exists()


def test_process_start_up_variables_are_the_users(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}')
    (tmp_path / ".env").write_text("PORT=3000\n")
    env = {"NODE_OPTIONS": "--max-old-space-size=4096", "PYTHONPATH": str(tmp_path)}
    done = _run(tmp_path, "exec", "--strict", "--", sys.executable, "-c", _TOUCH, env=env)
    assert done.returncode == 0, done.stderr
    assert "EC407" not in done.stderr
    assert (tmp_path / "started").exists()


def test_a_files_path_does_not_choose_the_program(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}')
    evil = tmp_path / "evil"
    evil.mkdir()
    fake = evil / "sh"
    fake.write_text("#!/bin/sh\necho hijacked > hijacked\n")
    fake.chmod(0o755)
    (tmp_path / ".env").write_text(f"PORT=3000\nPATH={evil}\n")
    # A process PATH wins over the file's; without one (a bare container) the file's reaches CMD.
    done = _run(tmp_path, "exec", "--", "sh", "-c", "echo started > started", drop=("PATH",))
    assert "EC407 start-up-hijack-variable  PATH is set by this env file" in done.stderr
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "started").exists() and not (tmp_path / "hijacked").exists()
