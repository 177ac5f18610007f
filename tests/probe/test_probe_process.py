"""The container case: keys only in the process environment, envcheck run under ``env -i``.

Every test starts envcheck as a subprocess with a minimal environment
(``PATH``, ``HOME``, a private cache, and the keys), in a folder with no env
file, as ``docker run -e`` or a CI job does.  A probe that found nothing
must say so and not pass; a key the schema marks for probing that is set
nowhere is an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.probe_server import Reply, serve

KEY = "sk-proj-" + "Canary7Q" * 6 + "Zq9X"
GROQ_KEY = "gsk_" + "Canary7Q" * 6 + "Zq9X"
QUOTA = Reply(
    429,
    {
        "error": {
            "message": "You exceeded your current quota, please check your plan.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    },
)


def envcheck(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    minimal = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd / "home"),
        "XDG_CACHE_HOME": str(cwd / "cache"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=minimal,
        capture_output=True,
        text=True,
        timeout=60,
    )


def schema(folder: Path, body: str) -> None:
    (folder / "envcheck.toml").write_text(body)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    return tmp_path / "app"


def test_a_schema_key_only_in_the_process_is_probed(folder: Path) -> None:
    with serve(QUOTA) as server:
        schema(folder, '[keys.OPENAI_API_KEY]\nprobe = "openai"\n')
        run = envcheck(
            folder, "probe", env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
        )
        [sent] = server.requests
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert run.returncode == 1, run.stderr
    assert "EC702 probe-no-credit" in run.stdout and "process environment" in run.stdout
    assert KEY not in run.stdout + run.stderr


def test_var_finds_a_process_only_key(folder: Path) -> None:
    with serve(QUOTA) as server:
        schema(folder, "[keys.OPENAI_API_KEY]\n")
        run = envcheck(
            folder,
            "probe",
            "--var",
            "OPENAI_API_KEY",
            "--format",
            "json",
            env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url},
        )
        assert len(server.requests) == 1
    payload = json.loads(run.stdout)
    assert run.returncode == 1 and payload["results"][0]["origin"] == "process environment"


def test_a_provider_key_in_the_process_is_probed_without_a_schema(folder: Path) -> None:
    valid = Reply(200, {"object": "list", "data": []})
    with serve(valid, prefix="") as server:
        # The base URL comes from the process too: configured outside the checked files.
        env = {"GROQ_API_KEY": GROQ_KEY, "GROQ_BASE_URL": server.base_url}
        run = envcheck(folder, "probe", env=env)
        [sent] = server.requests
    assert sent.headers["authorization"] == f"Bearer {GROQ_KEY}"
    assert run.returncode == 0, run.stdout + run.stderr
    assert "GROQ_API_KEY (process environment): valid" in run.stdout


def test_a_key_marked_for_probing_and_set_nowhere_is_an_error(folder: Path) -> None:
    schema(folder, '[keys.OPENAI_API_KEY]\nprobe = "openai"\nrequired = false\n')
    run = envcheck(folder, "probe", env={})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "EC709 probe-key-missing" in run.stdout
    assert "envcheck.toml:1" in run.stdout and "neither the env files nor the process" in run.stdout


def test_nothing_to_probe_says_so_and_does_not_pass(folder: Path) -> None:
    run = envcheck(folder, "probe", env={"UNRELATED": "x"})
    assert run.returncode == 2
    assert "nothing to probe" in run.stderr and "in CI, pass the secret" in run.stderr


def test_var_set_nowhere_is_a_usage_error(folder: Path) -> None:
    run = envcheck(folder, "probe", "--var", "OPENAI_API_KEY", env={})
    assert run.returncode == 2 and "not set in the files or the process environment" in run.stderr


def test_check_probe_in_the_container_case(folder: Path) -> None:
    with serve(QUOTA) as server:
        schema(folder, '[keys.OPENAI_API_KEY]\nprobe = "openai"\n')
        run = envcheck(
            folder,
            "check",
            "--probe",
            env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url},
        )
        assert len(server.requests) == 1
    assert run.returncode == 1 and "EC702" in run.stdout
    assert KEY not in run.stdout + run.stderr


def test_provider_filter(folder: Path) -> None:
    run = envcheck(folder, "probe", "--provider", "gemini", env={"GROQ_API_KEY": GROQ_KEY})
    assert run.returncode == 2 and "nothing to probe" in run.stderr and "gemini" in run.stderr
    bad = envcheck(folder, "probe", "--provider", "gemnii", env={"GROQ_API_KEY": GROQ_KEY})
    assert bad.returncode == 2 and "unknown provider gemnii" in bad.stderr


def test_exec_probe_probes_a_process_only_key_before_starting(folder: Path) -> None:
    """``ENTRYPOINT ["envcheck", "exec", "--probe", "--"]`` with the key from ``docker run -e``."""
    marker = folder / "started"
    with serve(QUOTA) as server:
        schema(folder, '[keys.OPENAI_API_KEY]\nprobe = "openai"\n')
        run = envcheck(
            folder,
            "exec",
            "--probe",
            "--",
            sys.executable,
            "-c",
            f"open({str(marker)!r}, 'w').close()",
            env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url},
        )
        assert len(server.requests) == 1
    assert run.returncode == 1, run.stderr
    assert "EC702" in run.stderr and "not starting" in run.stderr
    assert not marker.exists()
    assert KEY not in run.stdout + run.stderr


def test_check_probe_takes_the_probe_options(folder: Path) -> None:
    """``check --probe --provider`` limits the probe like ``probe --provider`` does."""
    schema(folder, '[keys.OPENAI_API_KEY]\nprobe = "openai"\n')
    run = envcheck(folder, "check", "--probe", "--provider", "groq", env={"OPENAI_API_KEY": KEY})
    assert run.returncode == 2, run.stdout + run.stderr  # nothing left to probe
    bad = envcheck(folder, "check", "--probe", "--provider", "nope", env={"OPENAI_API_KEY": KEY})
    assert bad.returncode == 2 and "unknown provider nope" in bad.stderr
