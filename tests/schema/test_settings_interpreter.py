"""``--settings`` imports the class with the project's interpreter, not envcheck's.

An app's settings module imports the app's dependencies (the FastAPI
template's needs email-validator), which envcheck's own environment - pipx,
uvx, or this repository's venv - does not have.  These tests build a real
virtualenv in a temp dir, install into it a tiny local package that
envcheck's venv lacks (a wheel written here, installed offline by pip), and
check that envcheck uses that venv, or says exactly what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.harness import REPO_ROOT

DEP = "envcheck_fixture_dep"
SECRET = "sk-proj-FAKEsettingsINTERPRETERtestKEY0000000000000000000000000000000000000001"

SETTINGS = f"""
from pydantic import field_validator
from pydantic_settings import BaseSettings

import {DEP}


class Settings(BaseSettings):
    openai_api_key: str
    region: str = "eu"
    workers: int = 1

    @field_validator("region")
    @classmethod
    def _known(cls, value: str) -> str:
        return {DEP}.known_region(value)
"""

DEP_SOURCE = b'''"""A dependency envcheck's own environment does not have."""


def known_region(value):
    if value not in ("eu", "us"):
        raise ValueError("region must be eu or us")
    return value
'''


def _wheel(directory: Path) -> Path:
    """A minimal pure-Python wheel of the dependency (pip installs it offline, no build)."""

    def record(name: str, data: bytes) -> str:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        return f"{name},sha256={digest.decode()},{len(data)}"

    info = f"{DEP}-1.0.dist-info"
    files = {
        f"{DEP}/__init__.py": DEP_SOURCE,
        f"{info}/METADATA": b"Metadata-Version: 2.1\nName: envcheck-fixture-dep\nVersion: 1.0\n",
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    path = directory / f"{DEP}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        for name, data in files.items():
            whl.writestr(name, data)
        lines = [record(n, d) for n, d in files.items()] + [f"{info}/RECORD,,"]
        whl.writestr(f"{info}/RECORD", "\n".join(lines) + "\n")
    return path


def _venv(path: Path, *, with_dep: bool, wheels: Path) -> Path:
    """A real venv at ``path`` that sees pydantic (a .pth to envcheck's site-packages)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "envcheck-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    if with_dep:
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
            + ["--no-deps", "--no-index", "--disable-pip-version-check", str(_wheel(wheels))],
            check=True,
        )
    return python


@pytest.fixture(scope="module")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("venvs")
    return {
        "with": _venv(root / "with-dep", with_dep=True, wheels=root),
        "without": _venv(root / "without-dep", with_dep=False, wheels=root),
    }


def _project(tmp_path: Path, env: str) -> Path:
    project = tmp_path / "app"
    (project / ".git").mkdir(parents=True)  # the venv search stops at the repository root
    (project / "config.py").write_text(SETTINGS)
    (project / ".env").write_text(env)
    (project / ".env").chmod(0o600)
    return project


def _envcheck(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "ENVCHECK_PYTHON")}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--settings", "config:Settings", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", **env},
        check=False,
    )


def _link_venv(project: Path, python: Path) -> None:
    """``project/.venv`` -> the prepared venv, as ``python -m venv .venv`` leaves it."""
    (project / ".venv").symlink_to(python.parent.parent, target_is_directory=True)


def test_envcheck_itself_lacks_the_dependency() -> None:
    """The premise: in-process import of the settings module must fail here."""
    done = subprocess.run([sys.executable, "-c", f"import {DEP}"], capture_output=True, check=False)
    assert done.returncode != 0


def test_the_projects_venv_imports_and_validates_the_class(
    tmp_path: Path, venvs: dict[str, Path]
) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\nREGION=mars\nWORKERS=many\n")
    _link_venv(project, venvs["with"])
    done = _envcheck(project, "--format", "json")
    assert done.returncode == 1, done.stderr
    found = {(f["code"], f["key"]) for f in json.loads(done.stdout)["findings"]}
    # Both errors come from the class run under the project's interpreter, the
    # first from a validator in the dependency envcheck cannot import.
    assert {("EC309", "REGION"), ("EC309", "WORKERS")} <= found
    assert SECRET not in done.stdout + done.stderr
    assert "mars" not in done.stdout + done.stderr and "many" not in done.stdout + done.stderr
    assert not list(project.rglob("__pycache__"))  # nothing written into the project


def test_a_valid_environment_passes_under_the_projects_venv(
    tmp_path: Path, venvs: dict[str, Path]
) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\nREGION=us\n")
    _link_venv(project, venvs["with"])
    done = _envcheck(project, "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert not [f for f in report["findings"] if f["code"] == "EC309"]
    assert SECRET not in done.stdout + done.stderr


def test_missing_module_is_named_with_the_interpreter_and_the_install_command(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\n")
    done = _envcheck(project)
    assert done.returncode == 2
    err = done.stderr
    assert "cannot import settings module 'config': ModuleNotFoundError" in err
    assert f"module {DEP!r} is not installed for {sys.executable} (envcheck's own)" in err
    assert f"{sys.executable} -m pip install envcheck-fixture-dep" in err
    assert "--python PATH" in err
    assert "Traceback" not in err and SECRET not in err


def test_missing_module_in_the_projects_venv_names_that_venv(
    tmp_path: Path, venvs: dict[str, Path]
) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\n")
    _link_venv(project, venvs["without"])
    done = _envcheck(project)
    assert done.returncode == 2
    python = project / ".venv" / "bin" / "python"
    assert f"is not installed for {python} (the project's venv)" in done.stderr
    assert f"{python} -m pip install envcheck-fixture-dep" in done.stderr


@pytest.mark.parametrize("how", ["option", "env-var", "virtual-env"])
def test_an_interpreter_outside_the_project(
    tmp_path: Path, venvs: dict[str, Path], how: str
) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\nREGION=mars\n")
    python = str(venvs["with"])
    if how == "option":
        done = _envcheck(project, "--python", python, "--format", "json")
    elif how == "env-var":
        done = _envcheck(project, "--format", "json", ENVCHECK_PYTHON=python)
    else:
        done = _envcheck(project, "--format", "json", VIRTUAL_ENV=str(venvs["with"].parent.parent))
    assert done.returncode == 1, done.stderr
    assert ("EC309", "REGION") in {
        (f["code"], f["key"]) for f in json.loads(done.stdout)["findings"]
    }


def test_an_explicit_python_beats_the_projects_venv(tmp_path: Path, venvs: dict[str, Path]) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\n")
    _link_venv(project, venvs["with"])
    done = _envcheck(project, "--python", str(venvs["without"]))
    assert done.returncode == 2
    assert f"is not installed for {venvs['without']} (--python)" in done.stderr


def test_a_python_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\n")
    done = _envcheck(project, "--python", str(tmp_path / "nope" / "python"))
    assert done.returncode == 2
    assert "no executable Python there" in done.stderr and "Traceback" not in done.stderr


def test_diff_and_exec_take_python_too(tmp_path: Path, venvs: dict[str, Path]) -> None:
    project = _project(tmp_path, f"OPENAI_API_KEY={SECRET}\n")
    for command in ("diff", "exec"):
        args = [sys.executable, "-m", "envcheck", command, "--settings", "config:Settings"]
        args += ["--python", str(venvs["with"])]
        if command == "exec":
            args += ["--", sys.executable, "-c", "pass"]
        done = subprocess.run(args, cwd=project, capture_output=True, text=True, check=False)
        assert "no such option" not in done.stderr
        assert "cannot import settings module" not in done.stderr, command


def test_the_worker_reply_holds_no_value(tmp_path: Path, venvs: dict[str, Path]) -> None:
    """What crosses back from the project's interpreter: metadata and messages only."""
    project = _project(tmp_path, "")
    worker = REPO_ROOT / "envcheck" / "schema" / "settings_worker.py"
    request = {
        "target": "config:Settings",
        "dir": str(project),
        "env": {"OPENAI_API_KEY": SECRET, "REGION": "mars-" + SECRET[-12:], "WORKERS": "x"},
    }
    done = subprocess.run(
        [str(venvs["with"]), "-c", worker.read_text()],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=project,
        check=True,
    )
    reply = json.loads(done.stdout)
    assert reply["class"] == "Settings" and reply["case_sensitive"] is False
    assert [f["env"][0] for f in reply["fields"]] == ["OPENAI_API_KEY", "REGION", "WORKERS"]
    assert {tuple(e["loc"]) for e in reply["errors"]} == {("region",), ("workers",)}
    assert SECRET[-12:] not in done.stdout + done.stderr and "mars" not in done.stdout
