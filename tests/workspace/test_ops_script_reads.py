"""A library file only the ops scripts import is no app's read: typebot's
``packages/prisma/src/withReadReplica.ts`` (TEST-READ).

``@typebot.io/prisma`` is the database library builder and viewer import.  Its ``dev``
script is ``tsx scripts/studio.ts`` (Prisma Studio), and its ``./effect`` export names
``./.effect/index.ts``, code a generator writes and the checkout lacks.  Only
``packages/scripts`` (hosted-ops jobs) imports ``withReadReplica.ts``, which reads
``DATABASE_URL_REPLICA``; the app the README runs never does.  Two guesses charged that
read to the app: the Studio script made the library an app of its own, and the missing
generated export made the whole library reachable from builder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envcheck.workspace import apps as workspace_apps
from envcheck.workspace.discover import discover
from tests.harness import clone as project
from tests.harness import isolated_json as envcheck

WORKSPACE = '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}\n'


def _package(name: str, **fields: Any) -> str:
    return json.dumps({"name": name, **fields}) + "\n"


DB = _package(
    "@acme/prisma",
    exports={
        ".": "./src/index.ts",
        "./*": "./src/*.ts",
        "./effect": "./.effect/index.ts",
    },
    scripts={"dev": "tsx scripts/studio.ts"},
)
FILES = {
    "package.json": WORKSPACE,
    "packages/prisma/package.json": DB,
    "packages/prisma/src/index.ts": "export const db = process.env.DATABASE_URL ?? 'x';\n",
    "packages/prisma/src/withReadReplica.ts": (
        "export const replica = process.env.DATABASE_URL_REPLICA!.trim();\n"
    ),
    "packages/prisma/scripts/studio.ts": "console.log('studio');\n",
    "packages/scripts/package.json": _package(
        "@acme/scripts", dependencies={"@acme/prisma": "workspace:*"}
    ),
    "packages/scripts/src/cleanExpiredData.ts": (
        "import { replica } from '@acme/prisma/withReadReplica';\nconsole.log(replica);\n"
    ),
    "apps/builder/package.json": _package(
        "@acme/builder",
        scripts={"dev": "next dev"},
        dependencies={"next": "15.0.0", "@acme/prisma": "workspace:*"},
    ),
    "apps/builder/src/app/page.tsx": (
        "import { db } from '@acme/prisma';\nimport { layer } from '@acme/prisma/effect';\n"
        "export default () => db + layer;\n"
    ),
    "apps/builder/.env.example": "NEXT_PUBLIC_URL=http://localhost:3000\n",
}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _ec901(document: dict[str, Any] | None) -> list[tuple[str, str]]:
    found = (document or {}).get("findings", [])
    return sorted((f["key"], f["path"]) for f in found if f["code"] == "EC901")


def test_a_library_whose_dev_script_runs_a_tool_script_stays_a_library(tmp_path: Path) -> None:
    root = project(tmp_path / "repo", FILES)
    workspace_apps.forget()
    workspace = discover(root)
    assert workspace is not None
    kinds = {p.app.path: p.kind for p in workspace_apps.classify(workspace)}
    assert kinds["packages/prisma"] == "library"  # Prisma Studio is not the app starting
    assert kinds["packages/scripts"] == "tool"


def test_what_only_the_ops_scripts_import_is_no_apps_read(tmp_path: Path) -> None:
    root = project(tmp_path / "repo", FILES, untracked={"apps/builder/.env": "X=1\n"})
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == []
    # negative control: once the app imports it, its read is the app's
    (root / "apps/builder/src/app/page.tsx").write_text(
        "import { replica } from '@acme/prisma/withReadReplica';\nexport default () => replica;\n"
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert _ec901(document) == [("DATABASE_URL_REPLICA", "packages/prisma/src/withReadReplica.ts")]
