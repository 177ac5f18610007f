"""``init`` at a workspace root whose compose file runs infrastructure images.

openpanel's root ``docker-compose.yml`` runs postgres and redis with literal settings;
its root ``.env.example`` describes the Node apps that load ``../../.env`` themselves.
``check`` narrows the template to what the compose services are given (nothing), and
passes; ``init`` wrote the template's keys into a root ``envcheck.toml`` "for the root
and the apps that read its files", and the compose project took that config whole: 12
EC301 on the next ``check`` where ``check`` alone passed.  A root config shared with the
apps is narrowed for the compose project as the template is
(:func:`envcheck.workspace.compose_schema.schema_for_compose`); the apps that read the
root file still get every key.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import envcheck, repository

COMPOSE = """\
services:
  op-db:
    image: postgres:14-alpine
    environment:
      - POSTGRES_DB=postgres
      - POSTGRES_USER=postgres
      - POSTGRES_PASSWORD=postgres
  op-kv:
    image: redis:7.2.5-alpine
"""
TEMPLATE = """\
DATABASE_URL="postgresql://postgres:postgres@localhost:5432/postgres?schema=public"
REDIS_URL="redis://127.0.0.1:6379"
API_PORT=3333
"""
API_MAIN = """\
import * as dotenv from "dotenv";
dotenv.config({ path: "../../.env" });
export const port = process.env.API_PORT;
"""


def _project(tmp_path: Path) -> Path:
    root = repository(
        tmp_path,
        {
            "package.json": json.dumps(
                {
                    "name": "openpanel",
                    "private": True,
                    "scripts": {"dock:up": "docker compose up -d"},
                    "dependencies": {"dotenv-cli": "^7.3.0"},
                }
            ),
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            "docker-compose.yml": COMPOSE,
            ".env.example": TEMPLATE,
            ".gitignore": ".env\n",
            "apps/api/package.json": json.dumps(
                {"name": "@openpanel/api", "scripts": {"start": "node dist/index.js"}}
            ),
            "apps/api/src/index.ts": API_MAIN,
        },
    )
    (root / ".env").write_text(TEMPLATE)  # the README's `cp .env.example .env`
    return root


def _check(root: Path) -> tuple[int, list[tuple[str, str | None, str]]]:
    run = envcheck(root, "check", "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    document = json.loads(run.stdout)
    return run.returncode, [(f["code"], f.get("key"), f["path"]) for f in document["findings"]]


def test_init_at_a_root_does_not_charge_the_compose_project_with_the_apps_keys(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path)
    before, _ = _check(root)
    drafted = envcheck(root, "init")
    assert drafted.returncode == 0, drafted.stderr
    assert "apps/api" in (root / "envcheck.toml").read_text()
    after, found = _check(root)
    assert not [f for f in found if f[0] == "EC301"], found
    assert after <= before


def test_the_apps_that_read_the_root_file_keep_every_key(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert envcheck(root, "init").returncode == 0
    run = envcheck(root, "check", "--format", "json")
    summaries = {app["path"]: app["summary"] for app in json.loads(run.stdout)["apps"]}
    assert summaries["apps/api"]["schema_keys"] == 3, summaries  # the root config, whole
    assert summaries["."]["schema_keys"] == 0, summaries  # no service is given any of them
