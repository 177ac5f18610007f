"""``init`` then ``check`` never fails where ``check`` alone passed (issue #26), on the value
classes of the hold-out survey: a development database URL is no secret at rest (outline),
a compose file's empty default is the project's own "off" (langfuse), and a template's
"(optional)" still weighs a placeholder after ``init`` drafted the schema (openstatus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envcheck.schema.init import guess_spec
from tests.harness import envcheck, repository

# A drawn password (fake, random characters), the shape of a real one.
_DRAWN = "q7Rz2LmX9vKp4TnW"


def _run(where: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = envcheck(where, *args, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def _codes(found: list[dict[str, Any]], code: str) -> set[str]:
    return {f["key"] for f in found if f["code"] == code}


def _init(where: Path) -> None:
    result = envcheck(where, "init")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgres://user:pass@postgres:5432/outline", None),  # a word, to a compose service
        ("postgres://user:pass@127.0.0.1:5432/outline", None),
        (f"postgres://app:{_DRAWN}@postgres:5432/app", None),  # drawn, but on the bridge network
        (f"postgres://app:{_DRAWN}@localhost/app", None),
        (f"postgres://app:{_DRAWN}@[::1]:5432/app", None),
        ("postgres://app:postgres@db.example.com/app", None),  # a word is no credential
        ("postgres://app:${DB_PASSWORD}@db.example.com/app", None),  # a reference
        (f"postgres://app:{_DRAWN}@db.example.com:5432/app", True),  # a real one, elsewhere
        (f"mysql://app:{_DRAWN}@10.0.3.7/app", True),  # a private address is still a host
    ],
)
def test_init_calls_a_database_url_secret_only_for_a_password_to_a_remote_host(
    url: str, secret: bool | None
) -> None:
    spec = guess_spec("DATABASE_URL", url)
    assert spec.format == "database-url"
    assert spec.secret is secret


def test_a_committed_development_database_url_is_no_secret_after_init(tmp_path: Path) -> None:
    # outline: the template's compose URL and the committed .env.development's loopback one.
    project = repository(
        tmp_path / "app",
        {
            "package.json": '{"name": "app", "scripts": {"dev": "node server/index.js"}}',
            "server/index.js": (
                "require('dotenv').config();\nconst url = process.env.DATABASE_URL;\n"
            ),
            ".env.sample": (
                "# The database URL, including username, password, and database name.\n"
                "DATABASE_URL=postgres://user:pass@postgres:5432/outline\n"
            ),
            ".env.development": "DATABASE_URL=postgres://user:pass@127.0.0.1:5432/outline\n",
        },
    )
    code, found = _run(project, "check")
    assert "DATABASE_URL" not in _codes(found, "EC402"), found
    _init(project)
    text = (project / "envcheck.toml").read_text(encoding="utf-8")
    assert "secret = true" not in text.split("[keys.DATABASE_URL]")[1].split("[keys.")[0]
    after, found = _run(project, "check")
    assert "DATABASE_URL" not in _codes(found, "EC402"), found
    assert after <= code


_COMPOSE = """\
services:
  worker:
    image: example/worker:1
    environment:
      DATABASE_URL: ${DATABASE_URL:-postgresql://postgres:postgres@postgres:5432/postgres}
      EMAIL_FROM_ADDRESS: ${EMAIL_FROM_ADDRESS:-}
      SMTP_CONNECTION_URL: ${SMTP_CONNECTION_URL-}
      LANGFUSE_AWS_BEDROCK_REGION: ""
      REDIS_HOST: ${REDIS_HOST}
"""
_TEMPLATE = """\
DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres
EMAIL_FROM_ADDRESS=noreply@example.com
SMTP_CONNECTION_URL=smtp://localhost:1025
LANGFUSE_AWS_BEDROCK_REGION=us-east-1
REDIS_HOST=localhost
"""


def test_a_compose_empty_default_is_the_projects_off(tmp_path: Path) -> None:
    # langfuse: `${VAR:-}` in the self-hosting compose file; the template lists a value.
    project = repository(
        tmp_path / "app", {"docker-compose.yml": _COMPOSE, ".env.example": _TEMPLATE}
    )
    code, found = _run(project, "check", "--framework", "compose")
    # `${REDIS_HOST}` with no default is no choice: compose warns that it is unset (EC507);
    # the empty value that follows is the same cause, said once (no EC302 beside it).
    assert _codes(found, "EC302") == set(), found
    assert _codes(found, "EC507") == {"REDIS_HOST"}, found
    _init(project)
    after, found = _run(project, "check", "--framework", "compose")
    assert _codes(found, "EC302") == set(), found
    assert _codes(found, "EC507") == {"REDIS_HOST"}, found
    assert after <= code


def test_the_compose_loader_keeps_what_the_file_writes(tmp_path: Path) -> None:
    from envcheck.sources.loaders.compose import (
        empty_by_default,
        resolve_compose,
        set_empty_by_default,
    )
    from envcheck.sources.profiles import PROFILES

    (tmp_path / "docker-compose.yml").write_text(_COMPOSE, encoding="utf-8")
    (tmp_path / ".env").write_text("REDIS_HOST=\n", encoding="utf-8")
    res = resolve_compose(tmp_path, PROFILES["compose"], "development", {})
    empty = {k for k, r in res.vars.items() if set_empty_by_default(r)}
    assert empty == {"EMAIL_FROM_ADDRESS", "SMTP_CONNECTION_URL", "LANGFUSE_AWS_BEDROCK_REGION"}
    assert [empty_by_default(t) for t in ("${A:-}", "${A-}${B:-}", "", "${A}", "${A:-x}")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_init_keeps_the_templates_optional_word_for_a_placeholder(tmp_path: Path) -> None:
    # openstatus .env.docker.example: "# Redis (optional)" under a rule line, a placeholder.
    template = (
        "# ====================\n"
        "# Redis (optional) - for caching\n"
        "UPSTASH_REDIS_REST_URL=http://localhost:6379\n"
        "UPSTASH_REDIS_REST_TOKEN=placeholder\n"
    )
    project = repository(
        tmp_path / "app",
        {
            "package.json": '{"name": "app", "scripts": {"start": "node index.js"}}',
            "index.js": (
                "require('dotenv').config();\n"
                "const redis = { url: process.env.UPSTASH_REDIS_REST_URL,"
                " token: process.env.UPSTASH_REDIS_REST_TOKEN };\n"
                "module.exports = redis;\n"
            ),
            ".env.example": template,
        },
    )
    (project / ".env").write_text(template, encoding="utf-8")  # the README's cp
    args = ("check", "--select", "EC306", "--select", "EC310")
    code, found = _run(project, *args)
    assert _codes(found, "EC310") == {"UPSTASH_REDIS_REST_TOKEN"} and not _codes(found, "EC306")
    _init(project)
    after, found = _run(project, *args)
    assert _codes(found, "EC310") == {"UPSTASH_REDIS_REST_TOKEN"}, found
    assert not _codes(found, "EC306") and after <= code


def test_a_declared_secret_still_needs_a_value_that_can_be_one(tmp_path: Path) -> None:
    # init drafts `secret = true` from the template's name; the committed development
    # settings hold a word there (`dev`), which `check` alone calls no secret.
    project = repository(
        tmp_path / "app",
        {
            "package.json": '{"name": "app", "scripts": {"dev": "node index.js"}}',
            "index.js": "require('dotenv').config();\nconst s = process.env.SESSION_SECRET;\n",
            ".env.example": "SESSION_SECRET=\n",
            ".env.development": "SESSION_SECRET=dev\n",
        },
    )
    code, found = _run(project, "check")
    assert not _codes(found, "EC402"), found
    _init(project)
    assert "secret = true" in (project / "envcheck.toml").read_text(encoding="utf-8")
    after, found = _run(project, "check")
    assert not _codes(found, "EC402") and after <= code, found
    # A drawn value there is the development run's own default (committed on purpose, as
    # Next.js documents .env.development), declared or not; a vendor's key is a leak.
    (project / ".env.development").write_text(f"SESSION_SECRET={_DRAWN}\n", encoding="utf-8")
    _, found = _run(project, "check")
    assert not _codes(found, "EC402"), found
    vendor = "sk_live_" + "Zq8Xr2Lm5Tn9Vb3Kd7Wf1Hj4" + "Q8rN"
    (project / ".env.development").write_text(f"SESSION_SECRET={vendor}\n", encoding="utf-8")
    _, found = _run(project, "check")
    assert _codes(found, "EC402") == {"SESSION_SECRET"}, found
    assert vendor not in json.dumps(found)
