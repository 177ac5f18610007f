"""``dotenvx run`` as package.json starts it: -f order, --overload, --convention, -fk.

Each case writes a project whose ``dev`` script runs ``dotenvx run … -- node app.js``, then
runs that script's own words with the real pinned dotenvx CLI (the command after ``--``
replaced by a node one-liner that prints the environment), and ``envcheck explain --reveal``
in the same directory with the same process environment; the values must be equal.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT

BIN = REPO_ROOT / "oracles" / "node_modules" / ".bin"
PRINT_ENV = "console.log(JSON.stringify(process.env))"

FILES = {
    ".env": "A=base\nC=base\nREF=${B}-ref\n",
    ".env.local": "A=local\nB=local\n",
    ".env.development.local": "A=devlocal\nD=devlocal\n",
    ".env.development": "D=dev\nE=dev\n",
    "extra.env": "E=extra\nA=extra\n",
}

SCRIPTS = [
    ("first-file-wins", "dotenvx run -f .env.local -f .env -- node app.js", {}),
    ("overload-last-wins", "dotenvx run -f .env.local -f .env --overload -- node app.js", {}),
    ("short-overload", "dotenvx run -o -f .env.local -f .env -- node app.js", {"A": "shell"}),
    ("process-wins", "dotenvx run -f .env.local -f .env -- node app.js", {"A": "shell"}),
    ("equals-form", "dotenvx run --env-file=extra.env -f .env -- node app.js", {}),
    ("convention-nextjs", "dotenvx run --convention nextjs -- node app.js", {}),
    ("convention-and-file", "dotenvx run --convention nextjs -f extra.env -- node app.js", {}),
    (
        "convention-flow",
        "dotenvx run --convention=flow -- node app.js",
        {"NODE_ENV": "development"},
    ),
    ("default-env", "dotenvx run -- node app.js", {}),
]


def _real(project: Path, script: str, env: dict[str, str]) -> dict[str, str]:
    words = shlex.split(script)
    cut = words.index("--")
    args = [str(BIN / "dotenvx"), *words[1:cut], "--", "node", "-e", PRINT_ENV]
    proc = subprocess.run(
        args,
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(project), **env},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-1500:]
    printed: dict[str, str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return printed


def _ours(project: Path, env: dict[str, str]) -> tuple[dict[str, str], Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "explain", "--all", "--format", "json", "--reveal"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(project), **env},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    return {k: v["value"] for k, v in report["keys"].items()}, report


@pytest.mark.parametrize("name,script,env", SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_the_script_loads_what_dotenvx_loads(
    name: str, script: str, env: dict[str, str], tmp_path: Path
) -> None:
    assert (BIN / "dotenvx").exists(), "dotenvx missing from oracles: run `make oracles`"
    for file, text in FILES.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    package = {"name": "app", "dependencies": {"@dotenvx/dotenvx": "1.75.1"}}
    package["scripts"] = {"dev": script}  # type: ignore[assignment]
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    real = _real(tmp_path, script, env)
    ours, report = _ours(tmp_path, env)
    assert report["framework"] == "dotenvx"
    keys = {"A", "B", "C", "D", "E", "REF"}  # every key the files set
    assert {k: ours.get(k) for k in keys} == {k: real.get(k) for k in keys}


def test_keys_file_flag_is_where_the_private_key_is(tmp_path: Path) -> None:
    """``-fk secrets/.env.keys``: with the keys there, no EC511; the default place is not read."""
    (tmp_path / ".env").write_text("TOKEN=abc\n", encoding="utf-8")
    subprocess.run(
        [str(BIN / "dotenvx"), "encrypt", "-f", ".env"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
    )
    (tmp_path / "secrets").mkdir()
    (tmp_path / ".env.keys").rename(tmp_path / "secrets" / ".env.keys")
    package = {
        "name": "app",
        "dependencies": {"@dotenvx/dotenvx": "1.75.1"},
        "scripts": {"dev": "dotenvx run -fk secrets/.env.keys -f .env -- node app.js"},
    }
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    real = _real(tmp_path, package["scripts"]["dev"], {})  # type: ignore[index]
    assert real["TOKEN"] == "abc"  # the real dotenvx finds the key there
    code = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
        timeout=60,
    )
    findings = json.loads(code.stdout)["findings"]
    assert not [f for f in findings if f["code"] == "EC511"], findings
    package["scripts"] = {"dev": "dotenvx run -f .env -- node app.js"}
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    code = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
        timeout=60,
    )
    assert code.returncode == 1
    assert [f["key"] for f in json.loads(code.stdout)["findings"] if f["code"] == "EC511"] == [
        "TOKEN"
    ]
