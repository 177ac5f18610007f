"""A load whose file name a function of the project returns by mode (survey class
DOTENV-COMPUTED-PATH, novu).

novu's services load ``dotenv.config({ path: path.join(__dirname, '..',
getEnvFileNameForNodeEnv(process.env.NODE_ENV)) })``, the function imported from the
workspace library ``@novu/shared``, which returns ``envFileFromNodeEnv[nodeEnv ||
DEFAULT_ENV]`` (``local`` -> ``.env``, ``test`` -> ``.env.test``, ``dev`` ->
``.env.development``).  The setup copies ``src/.example.env`` to ``src/.env``; before
the function was read, every key that file sets was still reported after setup.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import clone, codes
from tests.harness import isolated_json as envcheck

_WORKSPACE = {
    "package.json": '{"name": "novu-like", "private": true}\n',
    "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
    "apps/api/package.json": (
        '{"name": "@acme/api", "private": true, "scripts": {"start": "nest start --watch"},'
        ' "dependencies": {"@acme/shared": "workspace:*", "dotenv": "16.4.5",'
        ' "@nestjs/core": "10.0.0"}}\n'
    ),
    "apps/api/src/config/env.config.ts": (
        "import dotenv from 'dotenv';\n"
        "import path from 'node:path';\n"
        "import { getEnvFileNameForNodeEnv } from '@acme/shared';\n\n"
        "dotenv.config({ path: path.join(__dirname, '..',"
        " getEnvFileNameForNodeEnv(process.env.NODE_ENV)) });\n"
    ),
    "apps/api/src/main.ts": (
        "import './config/env.config';\n"
        "const url = process.env.MONGO_URL;\n"
        "if (!url) throw new Error('MONGO_URL is not set');\n"
        "export const mongo = url.trim();\n"
    ),
    "apps/api/src/.example.env": "MONGO_URL=mongodb://127.0.0.1:27017/novu-db\n",
    # committed, for other modes: never the development start's
    "apps/api/src/.env.development": "OTHER_SETTING=1\n",
    "apps/api/src/.env.test": "MONGO_URL=mongodb://127.0.0.1:27017/novu-test\n",
    "packages/shared/package.json": (
        '{"name": "@acme/shared", "private": true, "main": "dist/index.js",'
        ' "types": "dist/index.d.ts"}\n'
    ),
    "packages/shared/src/index.ts": "export * from './config/processEnv';\n",
    "packages/shared/src/config/processEnv.ts": (
        "const DEFAULT_ENV = 'local';\n\n"
        "const envFileFromNodeEnv = {\n"
        "  production: '.env.production',\n"
        "  test: '.env.test',\n"
        "  ci: '.env.ci',\n"
        "  local: '.env',\n"
        "  dev: '.env.development',\n"
        "} satisfies Record<string, string>;\n\n"
        "export function getEnvFileNameForNodeEnv(nodeEnv?: string): string {\n"
        "  const selectedEnvFile = envFileFromNodeEnv[nodeEnv || DEFAULT_ENV];\n\n"
        "  return selectedEnvFile;\n"
        "}\n"
    ),
}


def test_a_load_named_by_a_library_function_reads_the_file_it_names(tmp_path: Path) -> None:
    root = clone(tmp_path / "repo", _WORKSPACE)
    # a fresh clone: src/.env is not there, and the committed .env.development is not
    # what NODE_ENV unset loads -- the key stays reported
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "MONGO_URL") in codes(document)
    # test mode: the function names the committed .env.test, which sets it
    _, document, stderr = envcheck(root, "check", "--mode", "test", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "MONGO_URL") not in codes(document)
    # the setup's copy: src/.env is what the development start loads
    (root / "apps/api/src/.env").write_text("MONGO_URL=mongodb://127.0.0.1:27017/novu-db\n")
    (root / "apps/api/src/.env").chmod(0o600)
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "MONGO_URL") not in codes(document), codes(document)
    # nor production: the table names .env.production, which is not there
    _, document, stderr = envcheck(root, "check", "--mode", "production", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "MONGO_URL") in codes(document)


def test_two_library_functions_of_one_name_that_disagree_resolve_nothing(tmp_path: Path) -> None:
    # negative control: the look-up is by the import's package and the function's name;
    # where that names two different tables, the load stays unread, as before
    files = dict(_WORKSPACE)
    files["packages/shared/src/config/other.ts"] = (
        "export function getEnvFileNameForNodeEnv(nodeEnv?: string): string {\n"
        "  return nodeEnv === 'test' ? '.env.test' : '.env.shared';\n"
        "}\n"
    )
    root = clone(tmp_path / "repo", files, untracked={"apps/api/src/.env": "MONGO_URL=x\n"})
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "MONGO_URL") in codes(document)


def test_a_switch_of_the_app_itself_names_the_file(tmp_path: Path) -> None:
    # the function in the app's own code, a relative import, a switch with a default
    root = clone(
        tmp_path / "repo",
        {
            "package.json": (
                '{"name": "svc", "private": true, "scripts": {"start": "node src/main.js"},'
                ' "dependencies": {"dotenv": "16.4.5"}}\n'
            ),
            "src/env-file.js": (
                "function envFile(mode) {\n"
                "  switch (mode) {\n"
                "    case 'production':\n"
                "      return 'config/production.env';\n"
                "    default:\n"
                "      return 'config/local.env';\n"
                "  }\n"
                "}\n"
                "module.exports = { envFile };\n"
            ),
            "src/main.js": (
                "const path = require('path');\n"
                "const { envFile } = require('./env-file');\n"
                "require('dotenv').config({ path: path.resolve(__dirname, '..',"
                " envFile(process.env.NODE_ENV)) });\n"
                "const token = process.env.QUEUE_TOKEN;\n"
                "if (!token) throw new Error('QUEUE_TOKEN is not set');\n"
                "module.exports = token.trim();\n"
            ),
            "config/production.env": "QUEUE_TOKEN=from-production\n",
        },
        untracked={"config/local.env": "QUEUE_TOKEN=local-queue\n"},
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "QUEUE_TOKEN") not in codes(document), codes(document)
    (root / "config/local.env").unlink()
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("EC901", "QUEUE_TOKEN") in codes(document)  # production.env is not development's
