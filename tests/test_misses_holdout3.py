"""Silent misses the third hold-out survey found (``bench/survey/verdicts.toml``, the
``[[miss]]`` entries of holdout3): each test is a small project in ``tmp_path`` with the
real repository's layout and code shape, run with the real CLI (and the real tree-sitter
grammars), fresh from a clone and after the README's ``cp``.

- plunk's API reads every key through its own ``validateEnv("KEY")``, which throws at start
  on an unset or empty value: each call is a read of its key, and the template's empty
  ``AWS_SES_CONFIGURATION_SET=`` copied as it is is EC302, not "the key left unused".
- plunk's ``prisma/`` folder holds ``schema.prisma`` and ``.env.example`` (copied to
  ``prisma/.env`` for ``yarn migrate``) outside every app: it is checked as a unit of its own.
- kentcdodds.com's content compiler and test setup fall back on ``.env.example``
  (``config({ path: ".env.example", override: false })``): the template stays the schema,
  so a fresh clone gets EC301 for the keys the app's validator needs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from envcheck.code import scan
from tests.harness import envcheck, repository

# plunk packages/api/src/app/constants.ts, as upstream writes it (abridged).
VALIDATE_ENV = """\
/**
 * Safely parse environment variables
 */
SIGNATURE
\tconst value = process.env[key] as T | undefined;

\tif (!value) {
\t\tif (typeof defaultValue !== "undefined") {
\t\t\treturn defaultValue;
\t\t}
\t\tthrow new Error(`${key} is not defined in environment variables`);
\t}

\treturn value;
}

export const JWT_SECRET = validateEnv("JWT_SECRET");
export const NODE_ENV = validateEnv<"development" | "production">("NODE_ENV", "production");
export const DISABLE_SIGNUPS = validateEnv("DISABLE_SIGNUPS", "false").toLowerCase() === "true";
export const AWS_REGION = validateEnv("AWS_REGION");
export const AWS_SES_CONFIGURATION_SET = validateEnv("AWS_SES_CONFIGURATION_SET");

export function webhookSecret() {
\treturn validateEnv("SNS_WEBHOOK_SECRET");
}
""".replace(
    "SIGNATURE",
    "export function validateEnv<T extends string = string>"
    "(key: keyof NodeJS.ProcessEnv, defaultValue?: T): T {",
)

PLUNK = {
    "package.json": json.dumps(
        {
            "name": "plunk",
            "private": True,
            "workspaces": {"packages": ["packages/*"]},
            "scripts": {
                "dev:api": "yarn workspace @plunk/api dev",
                "migrate": "prisma migrate dev",
            },
            "devDependencies": {"prisma": "^5.17.0"},
        }
    ),
    "packages/api/package.json": json.dumps(
        {
            "name": "@plunk/api",
            "private": True,
            "scripts": {
                "dev": "cross-env NODE_ENV=development ts-node-dev src/app.ts",
                "start": "node ./dist/app.js",
            },
            "dependencies": {"dotenv": "^16.4.5", "express": "^4.19.2"},
        }
    ),
    "packages/api/src/app.ts": 'import "dotenv/config";\n'
    'import { JWT_SECRET } from "./app/constants";\n'
    "console.log(JWT_SECRET.length);\n",
    "packages/api/src/app/constants.ts": VALIDATE_ENV,
    "packages/api/.env.example": "JWT_SECRET=mysupersecretJWTsecret\nDISABLE_SIGNUPS=false\n\n"
    "# AWS\nAWS_REGION=\nAWS_SES_CONFIGURATION_SET=\n",
    "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n'
    '  url      = env("DATABASE_URL")\n}\n',
    "prisma/.env.example": "DATABASE_URL=postgresql://postgres:postgres@localhost:55432/postgres\n",
}


def _findings(where: Path, *args: str) -> list[dict[str, Any]]:
    result = envcheck(where, "check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def _at(found: list[dict[str, Any]], code: str) -> set[tuple[str, str]]:
    return {(f["key"], f["path"]) for f in found if f["code"] == code}


def test_calls_of_a_throwing_env_accessor_are_reads_of_their_keys(tmp_path: Path) -> None:
    api = tmp_path / "api"
    (api / "src").mkdir(parents=True)
    (api / "src" / "constants.ts").write_text(VALIDATE_ENV)
    reads = {r.key: r for r in scan(api, root=api, use_cache=False).reads if r.key}
    # No default given: the accessor throws as the module loads, the app does not start.
    assert reads["JWT_SECRET"].kind == "required"
    assert reads["AWS_SES_CONFIGURATION_SET"].kind == "required"
    assert reads["AWS_SES_CONFIGURATION_SET"].form == "schema"  # the app's validator
    assert reads["AWS_SES_CONFIGURATION_SET"].line == 21  # the call, not the accessor
    # The default the accessor returns is given: the key may be unset.
    assert reads["NODE_ENV"].kind == "optional"
    assert reads["DISABLE_SIGNUPS"].kind == "optional"
    # Called only inside a function: that feature fails with the accessor's message.
    assert reads["SNS_WEBHOOK_SECRET"].kind == "feature"


def test_an_accessor_that_copes_or_hands_the_value_on_requires_nothing_more(
    tmp_path: Path,
) -> None:
    api = tmp_path / "api"
    (api / "src").mkdir(parents=True)
    (api / "src" / "env.ts").write_text(
        "const env = (name: string): string => process.env[name] ?? '';\n"
        "function raw(name: string) {\n  return process.env[name];\n}\n"
        'export const region = env("REGION");\n'
        'const port = raw("PORT");\n'
        "export const listen = port ? Number(port) : 3000;\n"
        'export const url = new URL(raw("BASE_URL"));\n'
    )
    reads = {r.key: r.kind for r in scan(api, root=api, use_cache=False).reads if r.key}
    assert reads == {"REGION": "optional", "PORT": "optional", "BASE_URL": "required"}


def test_an_empty_key_the_accessor_throws_on_is_reported_after_setup(tmp_path: Path) -> None:
    """The README's setup copies the template and sets the AWS credentials; the template's
    empty ``AWS_SES_CONFIGURATION_SET=`` stays empty, and the API throws when it starts."""
    root = tmp_path / "plunk"
    repository(root, PLUNK)
    shutil.copy(root / "packages/api/.env.example", root / "packages/api/.env")
    env = root / "packages/api/.env"
    env.write_text(env.read_text().replace("AWS_REGION=\n", "AWS_REGION=eu-west-3\n"))
    shutil.copy(root / "prisma/.env.example", root / "prisma/.env")
    found = _findings(root)
    assert ("AWS_SES_CONFIGURATION_SET", "packages/api/.env") in _at(found, "EC302")
    assert not [f for f in found if f["severity"] == "error" and f["code"] != "EC302"], found


def test_a_prisma_template_outside_every_app_is_checked_on_a_fresh_clone(tmp_path: Path) -> None:
    root = tmp_path / "plunk"
    repository(root, PLUNK)
    found = _findings(root)
    assert ("DATABASE_URL", "prisma/.env.example") in _at(found, "EC301")
    shutil.copy(root / "prisma/.env.example", root / "prisma/.env")
    assert ("DATABASE_URL", "prisma/.env.example") not in _at(_findings(root), "EC301")


def test_a_prisma_folder_inside_an_app_is_that_apps(tmp_path: Path) -> None:
    """Only folders outside the apps become units: an app's own ``api/prisma/`` is the
    app's (two levels down, where tool folders are looked for), never a unit of its own."""
    files = {
        k.replace("packages/api/", "api/").replace("prisma/", "api/prisma/"): v
        for k, v in PLUNK.items()
    }
    files["package.json"] = files["package.json"].replace("packages/*", "api")
    root = tmp_path / "plunk"
    repository(root, files)
    found = _findings(root)
    assert ("JWT_SECRET", "api/.env.example") in _at(found, "EC301")
    assert not [f for f in found if f["path"].startswith("api/prisma")], found


# kentcdodds.com services/site: the dev script runs the content compiler beside the app;
# the compiler and the test setup load `.env` and then `.env.example` as a fallback.
FALLBACK_LOAD = """\
import fs from 'node:fs'
import path from 'node:path'
import { config as loadDotenv } from 'dotenv'

const cwd = process.cwd()
const dotenvPath = path.join(cwd, '.env')
if (fs.existsSync(dotenvPath)) {
\tloadDotenv({ path: dotenvPath, override: false, quiet: true })
}
loadDotenv({
\tpath: path.join(cwd, '.env.example'),
\toverride: false,
\tquiet: true,
})
"""

KCD = {
    "package.json": json.dumps(
        {"name": "kcd-workspace", "private": True, "workspaces": ["services/*"]}
    ),
    "services/site/package.json": json.dumps(
        {
            "name": "kentcdodds.com",
            "private": True,
            "type": "module",
            "scripts": {
                "dev": 'concurrently "node other/mdx-artifacts/dev-watcher.ts" "react-router dev"',
                "test": "vitest --run",
            },
            "dependencies": {"react-router": "^7.9.0", "dotenv": "^17.0.0", "zod": "^4.0.0"},
            "devDependencies": {"@react-router/dev": "^7.9.0"},
        }
    ),
    "services/site/.env.example": "# Feature: authentication\n"
    "# Any value can be used locally, but it must be set (we fail fast when missing)\n\n"
    "SESSION_SECRET=anything_works_here\n\n"
    'DATABASE_URL="file:./.data/sqlite.db"\n',
    "services/site/app/utils/env.server.ts": "import { z } from 'zod'\n\n"
    "const nonEmptyString = z.string().trim().min(1)\n"
    "const schema = z.object({\n"
    "\tSESSION_SECRET: nonEmptyString,\n"
    "\tDATABASE_URL: nonEmptyString,\n"
    "})\n\n"
    "export function init() {\n\treturn schema.parse(process.env)\n}\n",
    "services/site/other/mdx-artifacts/bootstrap-env.ts": FALLBACK_LOAD,
    "services/site/other/mdx-artifacts/dev-watcher.ts": "import './bootstrap-env.ts'\n",
    "services/site/tests/setup-env.ts": FALLBACK_LOAD,
}


def test_a_template_some_script_falls_back_on_stays_a_template(tmp_path: Path) -> None:
    root = tmp_path / "kcd"
    repository(root, KCD)
    found = _findings(root)
    assert _at(found, "EC301") >= {
        ("SESSION_SECRET", "services/site/.env.example"),
        ("DATABASE_URL", "services/site/.env.example"),
    }
    # The template's stand-ins are no values the app runs with: no placeholder finding.
    assert not _at(found, "EC306"), found
    site = root / "services/site"
    shutil.copy(site / ".env.example", site / ".env")
    assert not _at(_findings(root), "EC301")
