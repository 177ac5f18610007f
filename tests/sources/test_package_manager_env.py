"""Variables the package manager sets for the script that starts the app (issue 26).

Create React App documents ``REACT_APP_VERSION=$npm_package_version``; npm,
pnpm and yarn set it from package.json before react-scripts expands ``.env``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.harness import envcheck as _run


def _project(tmp_path: Path, deps: dict[str, str]) -> Path:
    (tmp_path / "package.json").write_text(
        json.dumps({"name": "web", "version": "1.4.2", "dependencies": deps})
    )
    (tmp_path / ".env").write_text(
        "REACT_APP_VERSION=$npm_package_version\nREACT_APP_NAME=${npm_package_name}\n"
    )
    return tmp_path


@pytest.mark.parametrize("deps", [{"react-scripts": "5.0.1"}, {"vite": "7.0.0"}])
def test_npm_package_fields_are_defined(tmp_path: Path, deps: dict[str, str]) -> None:
    where = _project(tmp_path, deps)
    check = _run(where, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "EC507" not in check.stdout
    explained = json.loads(_run(where, "explain", "--format", "json").stdout)
    values = {k: v["value"] for k, v in explained["keys"].items()}
    assert values == {"REACT_APP_VERSION": "1.4.2", "REACT_APP_NAME": "web"}


def test_other_package_fields_are_not_invented(tmp_path: Path) -> None:
    """npm 7+ sets only name and version of npm_package_*; a reference to another is undefined."""
    where = _project(tmp_path, {"react-scripts": "5.0.1"})
    (where / ".env").write_text("REACT_APP_DESC=$npm_package_description\n")
    check = _run(where, "check")
    assert "EC507" in check.stdout


def test_a_python_app_gets_no_npm_variables(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname="x"\ndependencies=["python-dotenv"]\n'
    )
    (tmp_path / "package.json").write_text('{"name": "docs", "version": "1.0.0"}')
    (tmp_path / ".env").write_text("V=${npm_package_version}\n")
    check = _run(tmp_path, "check")
    assert "EC507" in check.stdout
