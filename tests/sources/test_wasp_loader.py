"""Wasp apps (wasp-lang): detection, the two files of ``wasp start``, and their schema.

A Wasp app runs two processes, each with a file of its own: ``.env.server`` for the server
(Node dotenv, the shell wins), ``.env.client`` for the client (Wasp's Vite plugin: dotenv,
dotenv-expand, only ``REACT_APP_`` keys, the shell wins).  ``wasp build`` reads neither,
and a ``.env`` is never read (Wasp warns).  Read from Wasp's sources
(:mod:`envcheck.sources.loaders.wasp`).  Before this profile a Wasp app was checked as a
Vite app (open-saas lists ``vite``): no file of it was ever read, and its schema was the
client's template alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envcheck.schema.load import load_schema
from envcheck.secret import reveal
from envcheck.sources.detect import detect
from envcheck.sources.loaders.wasp import load_wasp
from envcheck.sources.profiles import get_profile
from envcheck.sources.readers.node import parse
from envcheck.sources.resolve import resolve
from envcheck.sources.types import LoadResult
from tests.harness import write

# open-saas's template/app/package.json, cut down: vite and react, no scripts
PACKAGE = {
    "name": "opensaas",
    "type": "module",
    "workspaces": [".wasp/out/*", ".wasp/out/sdk/wasp"],
    "dependencies": {"react": "^19.2.1", "zod": "^4.3.6"},
    "devDependencies": {"vite": "^8.1.0", "prisma": "5.19.1"},
}


def _values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(r.value) for k, r in result.vars.items()}


def _kinds(result: LoadResult) -> dict[str | None, str]:
    return {n.key: n.kind for n in result.notes}


@pytest.mark.parametrize("marker", [".wasproot", "main.wasp", "main.wasp.ts", "main.wasp.mts"])
def test_a_wasp_project_is_wasp_before_its_vite_dependency(tmp_path: Path, marker: str) -> None:
    write(tmp_path, {"package.json": json.dumps(PACKAGE), marker: "app x {}\n"})
    assert detect(tmp_path) == "wasp"


def test_without_a_wasp_file_the_same_package_is_no_wasp_app(tmp_path: Path) -> None:
    write(tmp_path, {"package.json": json.dumps(PACKAGE)})
    assert detect(tmp_path) != "wasp"


def test_an_old_wasp_app_has_no_package_json(tmp_path: Path) -> None:
    write(tmp_path, {"main.wasp": 'app todo { wasp: { version: "^0.11.0" } }\n'})
    assert detect(tmp_path) == "wasp"


def test_the_server_reads_its_file_and_the_client_its_react_app_keys() -> None:
    server = parse("STRIPE_API_KEY=sk_test_1\nREACT_APP_X=server\n", ".env.server")
    client = parse("REACT_APP_X=client\nREACT_APP_Y=y\nAPI_SECRET=s\n", ".env.client")
    result = load_wasp([server, client], {}, mode="development")
    assert _values(result) == {
        "STRIPE_API_KEY": "sk_test_1",
        "REACT_APP_X": "client",
        "REACT_APP_Y": "y",
    }
    assert result.vars["STRIPE_API_KEY"].source == ".env.server"
    assert result.vars["REACT_APP_X"].source == ".env.client"  # the key the browser reads
    # a key of .env.client without the prefix reaches neither process: said, not loaded
    assert _kinds(result) == {"API_SECRET": "wasp-client-key-dropped"}


def test_a_react_app_key_only_the_server_file_sets_never_reaches_the_browser() -> None:
    server = parse("REACT_APP_GA=G-1\nREACT_APP_API=http://a\n", ".env.server")
    result = load_wasp([server], {"REACT_APP_API": "http://b"}, mode="development")
    # the server has both; the client gets REACT_APP_API from the shell, REACT_APP_GA never
    assert _kinds(result)["REACT_APP_GA"] == "wasp-client-key-in-server-file"
    assert "REACT_APP_API" not in {n.key for n in result.notes if n.kind.startswith("wasp")}


def test_the_shell_wins_in_both_processes() -> None:
    server = parse("PORT=3001\n", ".env.server")
    client = parse("REACT_APP_API=http://localhost:3001\n", ".env.client")
    env = {"PORT": "4000", "REACT_APP_API": ""}  # an empty REACT_APP_ value still wins
    result = load_wasp([server, client], env, mode="development")
    assert _values(result) == {"PORT": "4000", "REACT_APP_API": ""}
    assert all(r.from_process for r in result.vars.values())
    assert {n.kind for n in result.notes} == {"process-shadows-file"}


def test_the_client_file_is_expanded_and_the_server_file_is_not() -> None:
    server = parse("BASE=http://a\nURL=${BASE}/x\n", ".env.server")
    client = parse("REACT_APP_BASE=http://b\nREACT_APP_URL=${REACT_APP_BASE}/x\n", ".env.client")
    result = load_wasp([server, client], {}, mode="development")
    assert _values(result)["URL"] == "${BASE}/x"  # node -r dotenv/config: no expansion
    assert _values(result)["REACT_APP_URL"] == "http://b/x"  # dotenv-expand in the plugin


def test_resolve_reads_both_files_in_development_and_neither_in_production(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            ".wasproot": "File marking the root of Wasp project.\n",
            ".env.server": "SENDGRID_API_KEY=SG.x\n",
            ".env.client": "REACT_APP_GA=G-1\n",
            ".env": "IGNORED=1\n",
        },
    )
    profile = get_profile("wasp")
    dev = resolve(tmp_path, profile, "development", {})
    assert dev.files == [".env.server", ".env.client"]
    assert set(dev.vars) == {"SENDGRID_API_KEY", "REACT_APP_GA"}
    assert "wasp-dotenv-unused" in {n.kind for n in dev.notes}  # Wasp warns of the .env
    prod = resolve(tmp_path, profile, "production", {})
    assert prod.files == []
    assert set(prod.skipped) == {".env.server", ".env.client"}


def test_the_schema_is_both_templates_server_first(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps(PACKAGE),
            "main.wasp.ts": "export default {}\n",
            ".env.server.example": (
                "STRIPE_API_KEY=sk_test_...\n\n# (OPTIONAL)\nOPENAI_API_KEY=sk-k...\n"
            ),
            ".env.client.example": "REACT_APP_GOOGLE_ANALYTICS_ID=G-...\n",
        },
    )
    schema = load_schema(tmp_path)
    assert schema is not None
    assert schema.source == ".env.server.example+.env.client.example"
    assert list(schema.keys) == [
        "STRIPE_API_KEY",
        "OPENAI_API_KEY",
        "REACT_APP_GOOGLE_ANALYTICS_ID",
    ]
    assert schema.keys["REACT_APP_GOOGLE_ANALYTICS_ID"].where == ".env.client.example:1"
    assert not schema.keys["OPENAI_API_KEY"].required


def test_two_templates_of_another_framework_stay_one_schema(tmp_path: Path) -> None:
    # maybe's .env.example (self-hosting) and .env.local.example: one is the setup
    write(
        tmp_path,
        {
            "package.json": '{"dependencies": {"next": "15.0.0"}}',
            ".env.example": "SELF_HOSTED=true\n",
            ".env.local.example": "NEXT_PUBLIC_URL=http://localhost:3000\n",
        },
    )
    schema = load_schema(tmp_path)
    assert schema is not None and "+" not in schema.source
