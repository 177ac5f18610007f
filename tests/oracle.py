"""Run the real loaders (Node packages in ``oracles/``) as test oracles.

Each oracle is a Node script in ``oracles/`` that reads one JSON request on
stdin and writes one JSON answer on stdout.  Tests call :func:`run_node`;
they are skipped with a clear reason when Node or the packages are missing
(``make oracles`` installs them; ``make test`` does that first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.harness import REPO_ROOT

ORACLES = REPO_ROOT / "oracles"


def node_available() -> bool:
    return shutil.which("node") is not None and (ORACLES / "node_modules").is_dir()


requires_node = pytest.mark.skipif(
    not node_available(), reason="node or oracles/node_modules missing: run `make oracles`"
)


def run_node(
    script: str, payload: Any, *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Any:
    """Run ``oracles/<script>`` with ``payload`` as JSON on stdin; return its JSON answer.

    ``env`` is the *complete* process environment the script sees (plus PATH),
    so a test controls exactly what the loader finds in ``process.env``.
    """
    if not node_available():
        pytest.skip("node or oracles/node_modules missing: run `make oracles`")
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
