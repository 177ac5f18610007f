"""A template holds a compose project only to the keys its services use (survey classes
COMPOSE-INFRA-SCHEMA, openpanel, and the root-compose half of ROOT-SCHEMA-EVERY-PACKAGE,
langfuse).

A compose project hands its containers what ``env_file:`` and ``environment:`` give
them, nothing else.  A root ``.env.example`` that documents the ``.env`` the Node apps
load themselves (``dotenv -e ../../.env``) is no list of what postgres and redis
images need: charged to the root compose project, every key was "missing" although
the ``.env`` the README's ``cp`` made sets it.  Each case runs the real CLI in a
subprocess on a real git repository in ``tmp_path``, with a control that keeps the
true finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import clone as project
from tests.harness import isolated_json as envcheck

# openpanel's root docker-compose.yml: infrastructure images with literal settings only
INFRA_COMPOSE = (
    'version: "3"\n'
    "services:\n"
    "  op-db:\n"
    "    image: postgres:14-alpine\n"
    "    environment:\n"
    "      - POSTGRES_USER=postgres\n"
    "      - POSTGRES_PASSWORD=postgres\n"
    "  op-kv:\n"
    "    image: redis:7.2.5-alpine\n"
    '    command: ["redis-server", "--maxmemory-policy", "noeviction"]\n'
    "  op-ch:\n"
    "    image: clickhouse/clickhouse-server:26.1\n"
    "    environment:\n"
    "      CLICKHOUSE_DB: openpanel\n"
)
ROOT_TEMPLATE = (
    "NODE_ENV=development\n"
    'REDIS_URL="redis://127.0.0.1:6379"\n'
    'DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:5432/postgres?schema=public"\n'
    'ENCRYPTION_KEY="0123456789abcdef0123456789abcdef"\n'
    "API_PORT=3333\n"
)


def _ec301(document: dict[str, Any] | None) -> list[tuple[str | None, str | None]]:
    return [
        (f.get("key"), f.get("path"))
        for f in (document or {}).get("findings", [])
        if f["code"] == "EC301"
    ]


def _openpanel(tmp_path: Path, *, filled: bool) -> Path:
    """A pnpm workspace whose API loads the root .env through dotenv-cli, beside a root
    compose project of infrastructure images."""
    return project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "openpanel", "private": true}\n',
            "pnpm-workspace.yaml": 'packages:\n  - "apps/*"\n',
            "docker-compose.yml": INFRA_COMPOSE,
            ".env.example": ROOT_TEMPLATE,
            "apps/api/package.json": (
                '{"name": "@openpanel/api", "scripts": '
                '{"dev": "dotenv -e ../../.env -c -- tsx watch src/index.ts"},'
                ' "dependencies": {"fastify": "4.0.0"}}\n'
            ),
            "apps/api/src/index.ts": (
                "export const db = process.env.DATABASE_URL!;\n"
                "export const redis = process.env.REDIS_URL!;\n"
                "export const key = process.env.ENCRYPTION_KEY!;\n"
                "export const port = Number(process.env.API_PORT ?? 3000);\n"
            ),
        },
        untracked={".env": ROOT_TEMPLATE} if filled else None,
    )


def test_a_compose_project_of_infrastructure_images_is_not_charged_the_root_template(
    tmp_path: Path,
) -> None:
    # openpanel after `cp .env.example .env`: the root compose project (postgres, redis,
    # clickhouse) was told REDIS_URL, DATABASE_URL, ENCRYPTION_KEY… are missing
    root = _openpanel(tmp_path, filled=True)
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert "." in [a["path"] for a in document.get("apps", [])]  # the compose project is checked
    assert _ec301(document) == []


def test_the_root_template_keys_stay_required_of_the_apps_that_load_the_root_file(
    tmp_path: Path,
) -> None:
    # control: on a fresh clone the API (dotenv -e ../../.env) still lacks them
    root = _openpanel(tmp_path, filled=False)
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    keys = {key for key, _ in _ec301(document)}
    assert {"DATABASE_URL", "REDIS_URL", "ENCRYPTION_KEY"} <= keys


# langfuse's root docker-compose.yml: the app images get the keys listed under environment:
LANGFUSE_COMPOSE = (
    "services:\n"
    "  langfuse-web:\n"
    "    image: docker.io/langfuse/langfuse:3\n"
    "    environment:\n"
    "      DATABASE_URL: ${DATABASE_URL:-postgresql://postgres:postgres@postgres:5432/postgres}\n"
    "      SALT: ${SALT}\n"
    "      TELEMETRY_ENABLED: ${TELEMETRY_ENABLED:-true}\n"
    "  postgres:\n"
    "    image: docker.io/postgres:${POSTGRES_VERSION:-17}\n"
)
DEV_TEMPLATE = (
    "DIRECT_URL=postgresql://postgres:postgres@localhost:5432/postgres\n"
    "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/postgres\n"
    "SALT=mysalt\n"
    "NEXT_PUBLIC_LANGFUSE_CLOUD_REGION=DEV\n"
)


def test_a_key_no_compose_service_is_given_is_not_the_compose_projects(tmp_path: Path) -> None:
    # langfuse after `cp .env.dev.example .env`: DIRECT_URL and
    # NEXT_PUBLIC_LANGFUSE_CLOUD_REGION are for web/ and worker/ (which load ../.env);
    # no compose service lists them, yet the compose project was charged them
    root = project(
        tmp_path / "repo",
        {
            "docker-compose.yml": LANGFUSE_COMPOSE,
            ".env.dev.example": DEV_TEMPLATE,
            ".env.prod.example": DEV_TEMPLATE + "LANGFUSE_S3_EVENT_UPLOAD_BUCKET=bucket\n",
        },
        untracked={".env": DEV_TEMPLATE},
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert document["framework"] == "compose"
    assert _ec301(document) == [], stderr


def test_a_key_a_compose_service_is_given_stays_required(tmp_path: Path) -> None:
    # control: SALT is passed to langfuse-web (SALT: ${SALT}) and the .env lacks it
    root = project(
        tmp_path / "repo",
        {"docker-compose.yml": LANGFUSE_COMPOSE, ".env.example": DEV_TEMPLATE},
        untracked={".env": "DATABASE_URL=postgresql://u:p@localhost:5432/db\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    keys = {key for key, _ in _ec301(document)} | {
        f.get("key") for f in document["findings"] if f["code"] in ("EC302", "EC507")
    }
    assert "SALT" in keys
    assert "DIRECT_URL" not in {key for key, _ in _ec301(document)}


def test_a_service_reading_the_templates_file_is_held_to_every_key(tmp_path: Path) -> None:
    # control (plane, pocket-id): `env_file: .env` gives the service every key of the
    # template's file, so a key the .env lacks is missing for the compose project
    root = project(
        tmp_path / "repo",
        {
            "docker-compose.yml": (
                "services:\n  app:\n    image: example/app:1\n    env_file: .env\n"
            ),
            ".env.example": "APP_URL=http://localhost:1411\nMAXMIND_LICENSE_KEY=abc\n",
        },
        untracked={".env": "APP_URL=http://localhost:1411\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("MAXMIND_LICENSE_KEY", ".env") in _ec301(document)
