"""``"predev": "envcheck"`` driven by the real ``npm``.

npm runs ``predev`` before ``dev`` and stops when it fails, so an invalid
environment must keep ``dev`` from starting (no marker file), show
envcheck's report, and make ``npm run dev`` fail; a valid one lets ``dev``
run.  The venv's ``bin`` goes first on ``PATH``, as an activated virtualenv
or a ``pipx``-installed envcheck would be.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NPM = shutil.which("npm")
pytestmark = pytest.mark.skipif(NPM is None, reason="npm is not installed (CI has it)")

BIN = Path(sys.executable).parent
MARKER = "require('fs').writeFileSync('marker', 'dev ran')"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    if not (BIN / "envcheck").exists():
        pytest.skip("envcheck is not installed next to this Python (pip install -e .)")
    package = {
        "name": "envcheck-npm-test",
        "version": "1.0.0",
        "private": True,
        "scripts": {
            "predev": "envcheck",
            "dev": f'node -e "{MARKER}"',
            "prebuild": "envcheck --mode production",
            "build": f'node -e "{MARKER}"',
        },
        "dependencies": {"next": "15.0.0"},  # never installed: it tells envcheck the framework
    }
    (tmp_path / "package.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    (tmp_path / ".env.example").write_text("# type: url\nAPI_URL=\nPORT=3000 # optional\n")
    return tmp_path


def _npm(project: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        npm_config_update_notifier="false",
        npm_config_fund="false",
        npm_config_audit="false",
        npm_config_cache=str(project / ".npm-cache"),
    )
    assert NPM is not None
    return subprocess.run(
        [NPM, "run", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env_file", "why"),
    [
        ("PORT=3000\n", "EC301"),  # API_URL missing
        ("API_URL=not a url\n", "EC304"),  # wrong type
        ('API_URL="https://api.test\nPORT=1\n', "EC101"),  # unterminated quote
    ],
)
def test_invalid_environment_blocks_dev(project: Path, env_file: str, why: str) -> None:
    (project / ".env").write_text(env_file, encoding="utf-8")
    proc = _npm(project, "dev")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert not (project / "marker").exists()
    assert why in output
    assert "error" in output  # envcheck's summary line: "N errors, ..."


def test_valid_environment_runs_dev(project: Path) -> None:
    (project / ".env").write_text("API_URL=https://api.test\n", encoding="utf-8")
    proc = _npm(project, "dev")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "marker").read_text() == "dev ran"


def test_prebuild_checks_production_files(project: Path) -> None:
    (project / ".env").write_text("API_URL=https://api.test\n", encoding="utf-8")
    (project / ".env.production").write_text("API_URL=localhost:3000\n", encoding="utf-8")
    proc = _npm(project, "build")
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert ".env.production:1:1: EC304" in proc.stdout + proc.stderr
    assert not (project / "marker").exists()
    (project / ".env.production").write_text("API_URL=https://prod.test\n", encoding="utf-8")
    proc = _npm(project, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "marker").exists()
