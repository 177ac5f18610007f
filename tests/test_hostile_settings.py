"""A checked file cannot make envcheck run project code (issue #23).

``settings = "mod:Class"`` in a committed ``envcheck.toml`` or
``[tool.envcheck]`` used to make every command import that module, and a
committed ``.venv/bin/python`` (a shell script keeps its run bit through
git) was run with the resolved environment on its stdin.  Here a real
repository is committed and cloned, and each command runs as a real
process: the module would leave a marker when imported, the "interpreter"
when run.  Nothing runs without consent on the command line or in the
process environment, a one-line note says why, and the class's keys are
not claimed as checked; with consent, both are used (the positive control).

The interpreter search stops at the repository root (the project directory
when there is none) and skips a venv the user does not own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.schema.interpreter import find_python, repository_root, set_python

IMPORTED = "IMPORTED"  # written by evil.py when imported
VENV_RAN = "VENV_RAN"  # written by the committed .venv/bin/python when run
NOTE = 'settings = "evil:Settings" is not imported'
OTHER_UID = 65534  # nobody

EVIL = f"""
import pathlib

pathlib.Path(__file__).with_name({IMPORTED!r}).write_text("imported")

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    app_token: str
"""

# Not Python: a shell script that keeps its run bit through git, as a fake venv would.
FAKE_PYTHON = f'#!/bin/sh\necho ran > "$(dirname "$0")/../../{VENV_RAN}"\ncat >/dev/null\n'

CONFIGS = {
    "envcheck.toml": '[envcheck]\nframework = "python-dotenv"\n\nsettings = "evil:Settings"\n',
    "pyproject.toml": '[project]\nname = "app"\n\n[tool.other]\nsettings = "x"\n\n'
    '[tool.envcheck]\nframework = "python-dotenv"\nsettings = "evil:Settings"\n',
}
NOTE_LINE = {"envcheck.toml": "envcheck.toml:4", "pyproject.toml": "pyproject.toml:9"}

COMMANDS = {
    "check": (("check",), 0),
    "explain": (("explain",), 0),
    "diff": (("diff",), 0),
    "probe": (("probe",), 2),  # no API key in the project: nothing to probe
    "exec": (("exec", "--", "true"), 0),
}

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        check=True,
        timeout=60,
    )


def _fake_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return python


def _clone_of_hostile_repo(tmp_path: Path, config: str) -> Path:
    """A repository with the config, evil.py and a fake .venv, committed and freshly cloned."""
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    (origin / config).write_text(CONFIGS[config])
    (origin / "evil.py").write_text(EVIL)
    (origin / ".env").write_text("GREETING=hello\n")
    _fake_python(origin / ".venv")
    _git(origin, "add", "-A")
    _git(origin, "commit", "-q", "-m", "innocent")
    _git(tmp_path, "clone", "-q", str(origin), "checkout")
    checkout = tmp_path / "checkout"
    assert os.access(checkout / ".venv" / "bin" / "python", os.X_OK)  # the run bit survived
    return checkout


def _envcheck(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    drop = ("VIRTUAL_ENV", "ENVCHECK_PYTHON", "ENVCHECK_ALLOW_PROJECT_CODE")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", **env},
        check=False,
        timeout=120,  # a hang guard, far above the expected second
    )


def _ran(project: Path) -> set[str]:
    return {name for name in (IMPORTED, VENV_RAN) if (project / name).exists()}


@pytest.fixture(params=sorted(CONFIGS))
def config(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_committed_settings_option_runs_nothing(
    tmp_path: Path, config: str, command: str
) -> None:
    checkout = _clone_of_hostile_repo(tmp_path, config)
    args, code = COMMANDS[command]
    done = _envcheck(checkout, *args)
    assert _ran(checkout) == set(), done.stderr
    assert done.returncode == code, done.stdout + done.stderr
    notes = [line for line in done.stderr.splitlines() if NOTE in line]
    assert notes == [
        f"envcheck: note: {NOTE_LINE[config]}: {NOTE}: a checked file cannot make envcheck "
        "run project code; pass --allow-project-code (or set ENVCHECK_ALLOW_PROJECT_CODE=1) "
        "to check the class's fields"
    ]
    assert "Traceback" not in done.stderr


def test_what_was_checked_does_not_claim_the_class(tmp_path: Path, config: str) -> None:
    checkout = _clone_of_hostile_repo(tmp_path, config)
    text = _envcheck(checkout, "check")
    assert "schema key" not in text.stderr and "evil:Settings (" not in text.stderr
    report = json.loads(_envcheck(checkout, "check", "--format", "json").stdout)
    assert report["summary"]["schema"] is None and report["summary"]["schema_keys"] == 0
    assert not [f for f in report["findings"] if f.get("key") == "APP_TOKEN"]
    assert _ran(checkout) == set()


@pytest.mark.parametrize("how", ["flag", "env-var"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_with_consent_the_class_is_imported(
    tmp_path: Path, config: str, command: str, how: str
) -> None:
    """The positive control: the defence is consent, not a broken feature."""
    checkout = _clone_of_hostile_repo(tmp_path, config)
    args, _ = COMMANDS[command]
    # --python: envcheck's own interpreter, so the class is really imported (not the fake venv)
    options = ("--python", sys.executable)
    env = {}
    if how == "flag":
        options += ("--allow-project-code",)
    else:
        env["ENVCHECK_ALLOW_PROJECT_CODE"] = "1"
    done = _envcheck(checkout, args[0], *options, *args[1:], **env)
    assert _ran(checkout) == {IMPORTED}, done.stdout + done.stderr
    assert NOTE not in done.stderr
    if command == "check":
        assert done.returncode == 1
        assert "APP_TOKEN is required" in done.stdout
        assert "1 schema key (settings:evil:Settings)" in done.stderr


def test_settings_on_the_command_line_is_consent(tmp_path: Path, config: str) -> None:
    checkout = _clone_of_hostile_repo(tmp_path, config)
    done = _envcheck(checkout, "check", "--settings", "evil:Settings", "--python", sys.executable)
    assert done.returncode == 1 and "APP_TOKEN is required" in done.stdout
    assert _ran(checkout) == {IMPORTED}
    assert NOTE not in done.stderr


def test_with_consent_the_checkouts_own_venv_is_used(tmp_path: Path) -> None:
    """Consent covers the project's interpreter too: that is what --allow-project-code means."""
    checkout = _clone_of_hostile_repo(tmp_path, "envcheck.toml")
    done = _envcheck(checkout, "check", "--allow-project-code")
    assert _ran(checkout) == {VENV_RAN}
    assert done.returncode == 2 and "the settings worker gave no answer" in done.stderr


def test_a_setting_of_another_shape_is_not_echoed(tmp_path: Path) -> None:
    """The note names the option, not a value that may be escapes or a pasted key."""
    key = "sk-proj-" + "Q7" * 24
    (tmp_path / "envcheck.toml").write_text(
        f'[envcheck]\nsettings = "\\u001b]52;c;{key}\\u0007:X"\n'
    )
    (tmp_path / ".env").write_text("GREETING=hello\n")
    done = _envcheck(tmp_path, "check")
    assert done.returncode == 0
    assert "envcheck.toml:2: settings = … is not imported" in done.stderr
    assert "\x1b" not in done.stderr and key[8:20] not in done.stderr + done.stdout


# ------------------------------------------------------------ the interpreter search


@pytest.fixture
def no_chosen_python(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    set_python(None)
    yield
    set_python(None)


@pytest.mark.usefixtures("no_chosen_python")
def test_a_venv_above_the_repository_root_is_not_used(tmp_path: Path) -> None:
    outer = tmp_path / "shared"
    _fake_python(outer / ".venv")  # someone else's directory, above the checkout
    repo = outer / "repo"
    (repo / "app").mkdir(parents=True)
    _git(repo, "init", "-q")
    assert repository_root(repo / "app") == repo.resolve()
    assert find_python(repo / "app") == (None, "envcheck's own")
    _fake_python(repo / ".venv")  # the checkout's own: found, up to the root
    inside = repo.resolve() / ".venv" / "bin" / "python"
    assert find_python(repo / "app") == (inside, "the project's venv")


@pytest.mark.usefixtures("no_chosen_python")
def test_outside_a_repository_only_the_project_dir_is_searched(tmp_path: Path) -> None:
    """No ``.git`` anywhere: the search never walks to ``/``, not even one level up."""
    if repository_root(tmp_path) != tmp_path.resolve():
        pytest.skip("the temp directory is inside a repository here")
    _fake_python(tmp_path / ".venv")
    project = tmp_path / "app"
    project.mkdir()
    (project / "evil.py").write_text(EVIL)
    assert find_python(project) == (None, "envcheck's own")
    done = _envcheck(project, "check", "--settings", "evil:Settings")  # consent: in-process
    assert done.returncode == 1 and "APP_TOKEN is required" in done.stdout
    assert _ran(project) == {IMPORTED} and not (tmp_path / VENV_RAN).exists()


@pytest.mark.usefixtures("no_chosen_python")
@pytest.mark.parametrize("owned_by_other", ["python", "venv-dir", "link-target"])
def test_an_interpreter_the_user_does_not_own_is_skipped(
    tmp_path: Path, owned_by_other: str
) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    project = tmp_path / "app"
    (project / ".git").mkdir(parents=True)
    python = _fake_python(project / ".venv")
    if owned_by_other == "link-target":
        target = tmp_path / "elsewhere-python"
        python.rename(target)
        python.symlink_to(target)
        os.chown(target, OTHER_UID, OTHER_UID)
    else:
        os.chown(python if owned_by_other == "python" else project / ".venv", OTHER_UID, -1)
    assert find_python(project) == (None, "envcheck's own")
    done = _envcheck(project, "check", "--settings", "evil:Settings")
    assert not (project / VENV_RAN).exists() and "the project's venv" not in done.stderr


@pytest.mark.usefixtures("no_chosen_python")
def test_an_explicit_python_stays_trusted(tmp_path: Path) -> None:
    """``--python`` / ``$ENVCHECK_PYTHON`` is the user's choice: owner and place do not matter."""
    python = _fake_python(tmp_path / "elsewhere")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(python, OTHER_UID, -1)
    set_python(str(python))
    assert find_python(tmp_path) == (python, "--python")
