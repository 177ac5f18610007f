"""The container entrypoint case: keys only in the process, as ``docker run -e`` gives them.

Every test runs the real ``envcheck`` in a fresh process whose environment
is exactly what the test sets (like ``env -i``), in a folder that has a
schema but no package.json, no pyproject and often no env file at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "sk-proj-" + "Q7wErTyUiOpAsDfGhJkLzXcVbNm1234567890qwertyuiopASDF" + "x9Zk"
DB = "postgres://app:s3cretpw@db.internal:5432/app"
SCHEMA = """\
[keys.OPENAI_API_KEY]
format = "openai-api-key"
secret = true

[keys.DATABASE_URL]
type = "url"

[keys.PORT]
type = "port"
required = false
"""


def run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """envcheck ARGS in ``cwd`` with nothing in its environment but PATH, HOME and ``env``."""
    full = {"PATH": os.environ["PATH"], "HOME": str(cwd), **env}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def container(tmp_path: Path) -> Path:
    """An image's working directory: the schema, no env file, no package manifest."""
    (tmp_path / "envcheck.toml").write_text(SCHEMA)
    return tmp_path


def assert_no_secret(done: subprocess.CompletedProcess[str]) -> None:
    for secret in (KEY, "s3cretpw", KEY[8:20]):
        assert secret not in done.stdout + done.stderr


def test_check_passes_on_process_keys_and_says_what_it_checked(container: Path) -> None:
    done = run(container, "check", OPENAI_API_KEY=KEY, DATABASE_URL=DB)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 schema keys (envcheck.toml), 2 set only in the process environment" in done.stderr
    assert_no_secret(done)


def test_check_fails_when_the_process_lacks_a_required_key(container: Path) -> None:
    done = run(container, "check", OPENAI_API_KEY=KEY)
    assert done.returncode == 1
    assert "EC301" in done.stdout and "DATABASE_URL" in done.stdout
    assert "PORT" not in done.stdout  # optional


def test_check_validates_process_values(container: Path) -> None:
    done = run(container, "check", "--format", "json", OPENAI_API_KEY="not-a-key", DATABASE_URL=DB)
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    assert [f["key"] for f in findings if f["severity"] == "error"] == ["OPENAI_API_KEY"]


def test_explain_lists_process_keys_the_schema_declares(container: Path) -> None:
    done = run(container, "explain", "--format", "json", OPENAI_API_KEY=KEY, UNRELATED="x")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["framework"] == "plain"
    assert doc["files"] == []
    keys = doc["keys"]
    assert keys["OPENAI_API_KEY"]["source"] == "process"
    assert keys["OPENAI_API_KEY"]["value"] == "sk-proj-…x9Zk"
    assert keys["DATABASE_URL"] is None and keys["PORT"] is None  # declared, set nowhere
    assert "UNRELATED" not in keys  # only --all lists the rest of the process
    assert_no_secret(done)


def test_explain_text_names_the_plain_profile(container: Path) -> None:
    done = run(container, "explain", OPENAI_API_KEY=KEY)
    assert done.returncode == 0
    header = done.stdout.splitlines()[0]
    assert header.startswith("no framework (process environment, .env as plain dotenv)")
    assert "files: (none found)" in header
    row = next(line for line in done.stdout.splitlines() if line.startswith("OPENAI_API_KEY"))
    assert "process environment" in row


def test_empty_folder_says_it_checked_nothing(tmp_path: Path) -> None:
    done = run(tmp_path, "check", OPENAI_API_KEY=KEY)
    assert done.returncode == 0
    assert "nothing checked: no env file found for plain and no schema" in done.stderr
    strict = run(tmp_path, "check", "--strict")
    assert strict.returncode == 1
    doc = json.loads(run(tmp_path, "check", "--format", "json").stdout)
    assert doc["summary"]["checked_nothing"] is True


def test_plain_folder_reads_dotenv_and_the_process_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\nREGION=eu\n")
    (tmp_path / ".env.local").write_text("REGION=us\n")  # no framework reads it here
    done = run(tmp_path, "explain", "--format", "json", LOG_LEVEL="info")
    doc = json.loads(done.stdout)
    assert doc["files"] == [".env"]
    assert doc["keys"]["LOG_LEVEL"]["source"] == "process"
    assert doc["keys"]["LOG_LEVEL"]["shadowed"] == [{"source": ".env", "line": 1, "col": 1}]
    assert doc["keys"]["REGION"]["value"] == "eu"


def test_diff_to_process_compares_process_only_keys(container: Path) -> None:
    done = run(container, "diff", "--to", "process", "--format", "json", OPENAI_API_KEY=KEY)
    assert done.returncode == 1, done.stdout + done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert any(f["key"] == "DATABASE_URL" for f in findings)
    assert not any(f["key"] == "OPENAI_API_KEY" and f["severity"] == "error" for f in findings)
    assert_no_secret(done)


def test_pydantic_style_schema_finds_keys_in_any_case(tmp_path: Path) -> None:
    """A case-insensitive schema sees ``openai_api_key`` whatever case the process uses."""
    from envcheck.project import add_declared_process_keys
    from envcheck.sources.types import Resolution

    resolution = Resolution("plain", "development")
    add_declared_process_keys(
        resolution, ("OPENAI_API_KEY",), {"openai_api_key": KEY, "OTHER": "1"}, case_sensitive=False
    )
    assert list(resolution.vars) == ["openai_api_key"]
    assert resolution.vars["openai_api_key"].origin.is_process
