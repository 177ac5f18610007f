"""A read is judged against the environment of the process that really runs its code.

Two shapes from the survey (SET-ELSEWHERE, 38 false EC901 after the README's setup):

* openstatus' root ``docker-compose.yaml`` builds ``apps/server`` (``dockerfile:
  apps/server/Dockerfile``) and hands it ``env_file: .env.docker``, the file the README
  fills: the server's ``CRON_SECRET`` is set where the project runs the server, though
  the server's folder has no ``.env`` (:func:`envcheck.workspace.sources.run_by_compose`);
* hoppscotch's ``hoppscotch-common`` Vue components are run by the self-hosted web app
  with the root ``.env`` its ``envDir`` loads; the desktop shell depends on the same
  library, reaches the components only because the walk counts every component of a
  library it imports (they are registered by name), loads no env, and was told that
  nothing sets ``VITE_BASE_URL``
  (:func:`envcheck.workspace.sources.set_where_the_library_runs`).

Each rule keeps what is really unset: a key the compose service gets empty, a key no app
that runs the library sets, a read in code the app's own imports name.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import envcheck, repository

SECRET = "Zq8vR2mK7pL4xT9wN3bH6cJ1dF5gS0aE"  # fake, 32 alphanumerics


def _ec901(root: Path) -> set[tuple[str | None, str]]:
    run = envcheck(root, "check", "--format", "json", "--select", "EC901,EC906")
    assert run.returncode in (0, 1), run.stderr
    document = json.loads(run.stdout)
    unset = ("EC901", "EC906")
    return {(f.get("key"), f["path"]) for f in document["findings"] if f["code"] in unset}


def _package(name: str, **extra: object) -> str:
    return json.dumps({"name": name, "private": True, **extra})


WORKSPACE = {
    "package.json": _package("acme", devDependencies={"turbo": "2.0.0"}),
    "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
}


def _compose_project(tmp_path: Path, cron_secret: str) -> Path:
    return repository(
        tmp_path,
        {
            **WORKSPACE,
            "apps/server/package.json": _package(
                "@acme/server", scripts={"start": "bun run src/index.ts"}
            ),
            "apps/server/src/index.ts": 'import { env } from "./env";\nconsole.log(env);\n',
            "apps/server/src/env.ts": (
                "export const env = {\n"
                "  cronSecret: process.env.CRON_SECRET,\n"
                "  adminToken: process.env.SUPER_ADMIN_TOKEN,\n"
                "};\n"
                'if (!env.cronSecret.length) throw new Error("x");\n'
            ),
            "apps/server/Dockerfile": "FROM oven/bun:1\nCOPY . .\nCMD bun run src/index.ts\n",
            "apps/worker/package.json": _package(
                "@acme/worker", scripts={"start": "bun run src/index.ts"}
            ),
            "apps/worker/src/index.ts": "console.log(process.env.CRON_SECRET.length);\n",
            "docker-compose.yaml": (
                "services:\n"
                "  server:\n"
                "    build:\n"
                "      context: .\n"
                "      dockerfile: apps/server/Dockerfile\n"
                "    env_file:\n"
                "      - .env.docker\n"
            ),
            ".env.docker.example": "CRON_SECRET=\nSUPER_ADMIN_TOKEN=\n",
            ".gitignore": ".env.docker\n",
            ".env.docker": f"CRON_SECRET={cron_secret}\nSUPER_ADMIN_TOKEN=\n",
        },
    )


def test_a_key_the_compose_service_that_builds_the_app_sets_is_set(tmp_path: Path) -> None:
    found = _ec901(_compose_project(tmp_path, SECRET))
    assert ("CRON_SECRET", "apps/server/src/env.ts") not in found, found
    # what the service gets empty stays unset; an app no service builds is not given it
    assert ("SUPER_ADMIN_TOKEN", "apps/server/src/env.ts") in found, found
    assert ("CRON_SECRET", "apps/worker/src/index.ts") in found, found


def test_a_key_the_compose_service_gets_empty_is_still_reported(tmp_path: Path) -> None:
    found = _ec901(_compose_project(tmp_path, ""))
    assert ("CRON_SECRET", "apps/server/src/env.ts") in found, found


BY_NAME = 'import { version } from "@acme/common";\nconsole.log(version);\n'
VITE_APP = {"dev": "vite"}
VITE_DEPS = {"vite": "5.0.0", "vue": "3.0.0", "@acme/common": "workspace:*"}
INVITE = """\
<script setup lang="ts">
const link = `${import.meta.env.VITE_BASE_URL.trim()}/join`
</script>
<template><a :href="link">join</a></template>
"""


def _component_project(tmp_path: Path, root_env: str, desktop_main: str) -> Path:
    """hoppscotch's shape: ``@acme/common`` holds Vue components the self-hosted web app
    registers by name and runs with the root ``.env`` (``envDir: "../.."``); the desktop
    shell depends on the same library and loads no env file of its own."""
    return repository(
        tmp_path,
        {
            "package.json": _package("acme"),
            "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
            ".env.example": "VITE_BASE_URL=http://localhost:3000\n",
            ".gitignore": ".env\n",
            ".env": root_env,
            "packages/common/package.json": _package("@acme/common", main="src/index.ts"),
            "packages/common/src/index.ts": "export const version = 1;\n",
            "packages/common/src/components/teams/Invite.vue": INVITE,
            "packages/web/package.json": _package("web", scripts=VITE_APP, dependencies=VITE_DEPS),
            "packages/web/index.html": "<div id=app></div>\n",
            "packages/web/vite.config.ts": (
                'import path from "path";\n'
                "export default { envDir: path.resolve(__dirname, '../..') };\n"
            ),
            "packages/web/src/main.ts": BY_NAME,
            "packages/desktop/package.json": _package(
                "desktop", scripts=VITE_APP, dependencies=VITE_DEPS
            ),
            "packages/desktop/index.html": "<div id=app></div>\n",
            "packages/desktop/vite.config.ts": "export default {};\n",
            "packages/desktop/src/main.ts": desktop_main,
        },
    )


INVITE_PATH = "packages/common/src/components/teams/Invite.vue"


def test_a_component_key_the_app_that_runs_the_library_sets_is_not_charged_elsewhere(
    tmp_path: Path,
) -> None:
    found = _ec901(_component_project(tmp_path, "VITE_BASE_URL=http://localhost:3000\n", BY_NAME))
    assert ("VITE_BASE_URL", INVITE_PATH) not in found, found


def test_a_component_key_no_app_that_runs_the_library_sets_is_still_reported(
    tmp_path: Path,
) -> None:
    found = _ec901(_component_project(tmp_path, "OTHER=1\n", BY_NAME))
    assert ("VITE_BASE_URL", INVITE_PATH) in found, found


def test_a_component_the_app_imports_itself_is_the_apps_to_configure(tmp_path: Path) -> None:
    """The desktop shell imports the invite component by path: it runs that code, so the
    key is its to set, whoever else configures it (midday's dashboard importing the
    banking env the API sets is told too: tests/workspace/test_workspace_consumers.py)."""
    imports = (
        'import Invite from "@acme/common/src/components/teams/Invite.vue";\nconsole.log(Invite);\n'
    )
    found = _ec901(_component_project(tmp_path, "VITE_BASE_URL=http://localhost:3000\n", imports))
    assert ("VITE_BASE_URL", INVITE_PATH) in found, found


def test_a_compose_literal_configures_the_library_only_in_that_service(tmp_path: Path) -> None:
    """openstatus' compose file writes ``DATABASE_URL=http://libsql:8080`` for the services
    it builds: set there, but a container-network address configures nothing for an app
    started elsewhere (the screenshot service), which still reads ``@acme/db`` unset."""
    db = {"@acme/db": "workspace:*"}
    root = repository(
        tmp_path,
        {
            **WORKSPACE,
            "packages/db/package.json": _package("@acme/db", main="env.ts"),
            "packages/db/env.ts": "export const url = process.env.DATABASE_URL.trim();\n",
            "apps/server/package.json": _package(
                "@acme/server", scripts={"start": "bun run src/index.ts"}, dependencies=db
            ),
            "apps/server/src/index.ts": 'import { url } from "@acme/db";\nconsole.log(url);\n',
            "apps/server/Dockerfile": "FROM oven/bun:1\nCOPY . .\n",
            "apps/shots/package.json": _package(
                "@acme/shots", scripts={"start": "bun run src/index.ts"}, dependencies=db
            ),
            "apps/shots/src/index.ts": 'import { url } from "@acme/db";\nconsole.log(url);\n',
            "docker-compose.yaml": (
                "services:\n"
                "  server:\n"
                "    build:\n"
                "      context: .\n"
                "      dockerfile: apps/server/Dockerfile\n"
                "    environment:\n"
                "      - DATABASE_URL=http://libsql:8080\n"
            ),
        },
    )
    run = envcheck(root, "check", "--format", "json")
    document = json.loads(run.stdout)
    per_app = {app["path"]: app["summary"]["errors"] for app in document["apps"]}
    assert per_app["apps/server"] == 0, per_app
    assert per_app["apps/shots"] == 1, per_app
    assert ("DATABASE_URL", "packages/db/env.ts") in _ec901(root)
