"""Which packages' reads are the app's: a command-line tool's and the keys a build sets are not.

Built from the real shapes of openpanel (the survey's false EC901 of issue #26):
``admin/`` is an operator CLI its start script runs (``dotenv -e .env -c -- jiti
src/cli.ts``, a ``#!`` file); ``packages/sdks/*`` are published libraries reading their own
version (``process.env.WEB_VERSION!``) that the release build writes in.  Each test runs
the real command on a real git clone, and keeps a true finding beside the false one, so
that the rule is seen to take only what it should.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import isolated, repository

ROOT = {
    "package.json": json.dumps({"name": "root", "private": True}),
    "pnpm-workspace.yaml": 'packages:\n  - "apps/*"\n  - "packages/**"\n  - "admin"\n',
}
API = {
    "apps/api/package.json": json.dumps(
        {
            "name": "@acme/api",
            "private": True,
            "scripts": {"start": "tsx src/index.ts"},
            "dependencies": {"fastify": "4.0.0"},
        }
    ),
    "apps/api/.env.example": "DATABASE_URL=\n",
    "apps/api/.env": "DATABASE_URL=postgres://localhost/app\n",
    "apps/api/src/index.ts": "export const url = process.env.DATABASE_URL;\n"
    "export const hook = process.env.SLACK_WEBHOOK_URL;\n",
}
CLI = """#!/usr/bin/env node
import inquirer from 'inquirer';

async function main() {
  const DATABASE_URL = process.env.DATABASE_URL;
  const REDIS_URL = process.env.REDIS_URL;
  console.log(new URL(DATABASE_URL!).host, new URL(REDIS_URL!).host);
  await inquirer.prompt([{ type: 'list', name: 'command', choices: [] }]);
}

main();
"""


def _admin(
    start: str, *, shebang: bool = True, dependencies: dict[str, str] | None = None
) -> dict[str, str]:
    return {
        "admin/package.json": json.dumps(
            {
                "name": "@acme/admin",
                "private": True,
                "type": "module",
                "scripts": {"start": start, "typecheck": "tsc --noEmit"},
                "dependencies": dependencies or {"inquirer": "^9.3.5", "jiti": "^2.4.2"},
            }
        ),
        "admin/src/cli.ts": CLI if shebang else CLI.split("\n", 1)[1],
    }


def _ec901(root: Path) -> set[tuple[str, str]]:
    proc = isolated(root, "check", "--format", "json", "--select", "EC901,EC906")
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)["findings"]
    return {(f["key"], f["path"]) for f in found if f["code"] in ("EC901", "EC906")}


def test_an_operator_cli_started_as_a_command_requires_nothing_of_the_app(tmp_path: Path) -> None:
    """openpanel's ``admin``: a start script running a ``#!`` file, no server, no browser.
    Its reads are what the operator's shell gives the command; the API's unset read stays."""
    root = repository(
        tmp_path / "repo", {**ROOT, **API, **_admin("dotenv -e .env -c -- jiti src/cli.ts")}
    )
    found = _ec901(root)
    assert ("SLACK_WEBHOOK_URL", "apps/api/src/index.ts") in found
    assert not {f for f in found if f[1].startswith("admin/")}, found


def test_the_same_package_without_the_command_line_is_an_app(tmp_path: Path) -> None:
    """Without the ``#!`` line the start script starts a program like any other: its
    unset reads are findings (the evidence is the file, not the folder's name)."""
    root = repository(
        tmp_path / "repo",
        {**ROOT, **API, **_admin("dotenv -e .env -c -- jiti src/cli.ts", shebang=False)},
    )
    found = _ec901(root)
    assert ("REDIS_URL", "admin/src/cli.ts") in found


def test_a_server_started_through_a_command_file_is_still_an_app(tmp_path: Path) -> None:
    """express-generator's shape: a ``#!`` entry that serves (an HTTP server dependency)."""
    root = repository(
        tmp_path / "repo",
        {**ROOT, **API, **_admin("tsx src/cli.ts", dependencies={"express": "^4.19.0"})},
    )
    assert ("REDIS_URL", "admin/src/cli.ts") in _ec901(root)


def test_a_command_file_only_a_side_script_runs_leaves_the_package_an_app(tmp_path: Path) -> None:
    """midday's ``packages/db``: a ``#!`` eval script beside the code is no start script."""
    files = _admin("tsx src/server.ts")
    package = json.loads(files["admin/package.json"])
    package["scripts"]["eval"] = "bun run src/cli.ts"
    files["admin/package.json"] = json.dumps(package)
    files["admin/src/server.ts"] = "export const url = process.env.QUEUE_URL;\n"
    root = repository(tmp_path / "repo", {**ROOT, **API, **files})
    assert ("QUEUE_URL", "admin/src/server.ts") in _ec901(root)


SDK_WEB = {
    "packages/sdks/web/package.json": json.dumps(
        {
            "name": "@acme/web",
            "version": "1.4.1-local",
            "license": "MIT",
            "module": "index.ts",
            "scripts": {"build": "rm -rf dist && tsup", "typecheck": "tsc --noEmit"},
            "devDependencies": {"tsup": "^7.2.0", "typescript": "^5.9.3"},
        }
    ),
    "packages/sdks/web/tsup.config.ts": "import { defineConfig } from 'tsup';\n\n"
    "export default defineConfig({ entry: ['index.ts'], format: ['cjs', 'esm'], dts: true });\n",
    "packages/sdks/web/index.ts": "export * from './src/index';\n",
    "packages/sdks/web/src/index.ts": "export class OpenPanel {\n"
    "  sdkVersion = process.env.WEB_VERSION!;\n"
    "  apiUrl = process.env.ACME_API_URL!;\n"
    "}\n",
}
SITE = {
    "apps/site/package.json": json.dumps(
        {
            "name": "@acme/site",
            "private": True,
            "scripts": {"dev": "tsx src/main.ts"},
            "dependencies": {"@acme/web": "workspace:*"},
        }
    ),
    "apps/site/.env.example": "PORT=3000\n",
    "apps/site/src/main.ts": "import { OpenPanel } from '@acme/web';\n\n"
    "export const op = new OpenPanel();\n",
}


def test_a_published_librarys_own_version_is_set_by_its_build(tmp_path: Path) -> None:
    """openpanel's ``packages/sdks/web`` read from ``apps/start``: ``WEB_VERSION`` (the
    library's own version, written in by its release build) is no key of the app; the
    library's other unset read (``ACME_API_URL``) still is."""
    root = repository(tmp_path / "repo", {**ROOT, **SDK_WEB, **SITE})
    keys = {key for key, _ in _ec901(root)}
    assert "ACME_API_URL" in keys
    assert "WEB_VERSION" not in keys


def test_a_private_package_reading_its_name_and_version_is_not_taken_for_a_release(
    tmp_path: Path,
) -> None:
    """An app's ``API_VERSION`` (a provider's API version it is configured with) stays a
    requirement: only a published package (not private, no start script) is released."""
    files = {
        "apps/api/package.json": json.dumps(
            {
                "name": "api",
                "version": "1.0.0",
                "private": True,
                "scripts": {"start": "tsx src/index.ts"},
            }
        ),
        "apps/api/.env.example": "PORT=3000\n",
        "apps/api/src/index.ts": "export const version = process.env.API_VERSION!;\n",
    }
    root = repository(tmp_path / "repo", {**ROOT, **files})
    assert ("API_VERSION", "apps/api/src/index.ts") in _ec901(root)


def test_a_key_the_bundler_config_defines_is_set_at_build_time(tmp_path: Path) -> None:
    """``define: { "process.env.CLI_VERSION": ... }`` (Vite) and tsup's ``env: { X }``
    replace the read when the package is built: no env file needs them.  The read no
    config defines (``API_ADDR``) still is a finding."""
    files = {
        "package.json": json.dumps(
            {
                "name": "tool",
                "private": True,
                "scripts": {"dev": "tsx src/index.ts", "build": "vite build"},
            }
        ),
        ".env.example": "PORT=3000\n",
        "vite.config.ts": "import { defineConfig } from 'vite';\n\nexport default defineConfig({\n"
        "  build: { ssr: 'src/index.ts' },\n"
        "  define: { 'process.env.CLI_VERSION': JSON.stringify('1.0.0') },\n});\n",
        "tsup.config.ts": "import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n"
        "  entry: ['src/index.ts'],\n  env: { BUILD_CHANNEL: 'stable' },\n});\n",
        "src/index.ts": "export const v = process.env.CLI_VERSION!;\n"
        "export const channel = process.env.BUILD_CHANNEL!;\n"
        "export const addr = process.env.API_ADDR!;\n",
    }
    root = repository(tmp_path / "repo", files)
    keys = {key for key, _ in _ec901(root)}
    assert keys == {"API_ADDR"}, keys
