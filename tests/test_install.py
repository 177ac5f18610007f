"""``pip install .`` works for use, without a C compiler, and shell completion is click's own.

The package is built from a copy of the files an sdist holds, by pip, into a
fresh virtualenv (created without pip, so no ensurepip cost; the runner's pip
installs into it with ``--python``).  ``--no-deps`` keeps it offline-fast:
the venv sees envcheck's dependencies through a ``.pth`` line to the
runner's site-packages.  ``CC=/bin/false`` proves the C extension optional.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.harness import REPO_ROOT


def _source_copy(work: Path) -> Path:
    """The files an sdist holds, as a clean checkout has them (no build output)."""
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO_ROOT / name, src / name)
    shutil.copytree(
        REPO_ROOT / "envcheck",
        src / "envcheck",
        ignore=shutil.ignore_patterns("__pycache__", "*.so"),
    )
    return src


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    src = _source_copy(work)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "runner-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--disable-pip-version-check", str(src)],
        check=True,
        cwd=work,
        env={**os.environ, "CC": "/bin/false"},  # no C compiler: the extension is optional
    )
    return venv


def _run(venv: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "envcheck"), *args],
        capture_output=True,
        text=True,
        cwd=venv.parent,  # not the repository: its envcheck/ must not shadow the installed one
        env={**os.environ, **env},
        check=False,
    )


def test_the_installed_command_runs_the_installed_package(installed: Path) -> None:
    done = _run(installed, "--version")
    assert done.returncode == 0 and "envcheck" in done.stdout
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import envcheck; print(envcheck.__file__)"],
        capture_output=True,
        text=True,
        cwd=installed.parent,
        check=True,
    ).stdout
    assert str(installed) in where


def test_without_a_compiler_there_is_no_extension_and_the_parsers_still_work(
    installed: Path, tmp_path: Path
) -> None:
    assert not list(installed.rglob("_fastlines*.so"))
    (tmp_path / ".env").write_text("A=1\nB='two words'\n")
    done = _run(installed, "explain", "--dir", str(tmp_path), "--no-process-env")
    assert done.returncode == 0, done.stderr
    assert "two words" in done.stdout


def test_package_data_is_installed(installed: Path) -> None:
    assert list(installed.rglob("envcheck/py.typed"))


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "complete"), ("zsh", "compdef"), ("fish", "complete")]
)
def test_shell_completion_scripts(installed: Path, shell: str, marker: str) -> None:
    done = _run(installed, **{"_ENVCHECK_COMPLETE": f"{shell}_source"})
    assert done.returncode == 0, done.stderr
    assert "_ENVCHECK_COMPLETE" in done.stdout and marker in done.stdout


def test_completion_lists_the_commands(installed: Path) -> None:
    done = _run(
        installed, _ENVCHECK_COMPLETE="bash_complete", COMP_WORDS="envcheck ", COMP_CWORD="1"
    )
    assert done.returncode == 0, done.stderr
    words = {line.split(",", 1)[-1] for line in done.stdout.splitlines()}
    assert {"check", "explain", "diff", "init"} <= words


@pytest.mark.parametrize(
    "command",
    [
        ("pipx", "install", "{src}"),  # then the command is on PIPX_BIN_DIR
        ("uvx", "--from", "{src}", "envcheck", "--version"),
    ],
    ids=["pipx-install", "uvx-from"],
)
def test_install_for_use_with_pipx_and_uvx(command: tuple[str, ...], tmp_path: Path) -> None:
    """The README's install-for-use commands, with the real pipx and uv (dependencies from PyPI)."""
    tool = Path(sys.executable).parent / command[0]
    assert tool.exists(), f"{command[0]} is a test dependency: run `make install`"
    src = _source_copy(tmp_path)
    home = tmp_path / "home"
    env = {
        **os.environ,  # the machine's registry settings (index, certificates) as a user has them
        "HOME": str(home),
        "PIPX_HOME": str(home / "pipx"),
        "PIPX_BIN_DIR": str(home / "bin"),
        "UV_CACHE_DIR": str(home / "uv-cache"),
        "UV_TOOL_DIR": str(home / "uv-tools"),
        "UV_PYTHON": sys.executable,  # the running interpreter: uv downloads none
    }
    args = [str(tool), *(a.format(src=src) for a in command[1:])]
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    if command[0] == "pipx":
        done = subprocess.run(
            [str(home / "bin" / "envcheck"), "--version"], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("envcheck, version ")
