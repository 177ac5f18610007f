"""Reads that are no requirement of the app (the survey's GUARDED-READ, TEST-READ and
PLATFORM-VAR classes), with the real grammars and, for the rules, the real CLI.

* A *feature* read: the function that reads a key throws its own error when it is
  missing (``const k = process.env.X; if (!k) throw ...`` in a handler, a constructor, a
  module constant tested so in a function; ``if not os.environ.get("X"): raise`` in a
  ``def``).  The app starts without it; only that feature fails, with the code's own
  message.  The same test at module load (top level, or a function the module calls
  there) keeps the key required.
* A read in a test suite, benchmark, mock or dev tool, by its path in the package or in
  the workspace.
* A Vite option (``server: { host: process.env.HOST }``): undefined is Vite's default.

Each snippet is the shape of a real project's file (named in the comment).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envcheck.code import scan
from envcheck.code.sides import context_of, package_file_context
from tests.harness import NEXT_PACKAGE as NEXT
from tests.harness import findings, unset_reads
from tests.harness import isolated as envcheck
from tests.harness import write_project as _project

Kinds = list[tuple[str | None, str]]


def _kinds(tmp_path: Path, name: str, source: str) -> Kinds:
    (tmp_path / name).write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return [(r.key, r.kind) for r in facts.reads]


JS_FEATURE: list[tuple[str, str, Kinds]] = [
    (
        "an alias tested with a throw in a function",  # midday packages/trpc/src/internal.ts
        "export function createInternalClient() {\n"
        "  const internalApiKey = process.env.INTERNAL_API_KEY;\n"
        "  if (!internalApiKey) {\n"
        '    throw new Error("INTERNAL_API_KEY environment variable is required");\n'
        "  }\n  return connect(internalApiKey);\n}\n",
        [("INTERNAL_API_KEY", "feature")],
    ),
    (
        "two aliases tested together in a constructor",  # midday inbox/providers/gmail.ts
        "export class GmailProvider {\n  constructor(db) {\n"
        "    const clientId = process.env.GMAIL_CLIENT_ID;\n"
        "    const clientSecret = process.env.GMAIL_CLIENT_SECRET;\n"
        "    if (!clientId || !clientSecret) {\n"
        '      throw new Error("GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET must be set");\n'
        "    }\n    this.client = new OAuth2(clientId, clientSecret);\n  }\n}\n",
        [("GMAIL_CLIENT_ID", "feature"), ("GMAIL_CLIENT_SECRET", "feature")],
    ),
    (
        "module constants tested with a throw in a function",  # midday slack/server/client.ts
        "const SLACK_CLIENT_ID = process.env.SLACK_CLIENT_ID;\n"
        "export const getSlackInstaller = () => {\n"
        "  if (!SLACK_CLIENT_ID) {\n"
        '    throw new Error("Slack client credentials are required");\n'
        "  }\n  return new InstallProvider({ clientId: SLACK_CLIENT_ID });\n};\n",
        [("SLACK_CLIENT_ID", "feature")],
    ),
    (
        "Deno.env.get compared with undefined in a handler",  # saaskit stripe-webhooks.ts
        "export const handler = {\n  async POST(req) {\n"
        '    const signingSecret = Deno.env.get("STRIPE_WEBHOOK_SECRET");\n'
        "    if (signingSecret === undefined) {\n"
        '      throw new Error("`STRIPE_WEBHOOK_SECRET` environment variable is not set");\n'
        "    }\n    return verify(req, signingSecret);\n  },\n};\n",
        [("STRIPE_WEBHOOK_SECRET", "feature")],
    ),
    (
        "a direct test, then the read it guards",  # openstatus notifications/telegram
        "export async function sendMessage(chatId) {\n"
        "  if (!process.env.TELEGRAM_BOT_TOKEN) {\n"
        '    throw new Error("TELEGRAM_BOT_TOKEN is not set");\n  }\n'
        "  return fetch(`https://api.telegram.org/bot${process.env.TELEGRAM_BOT_TOKEN}/x`);\n}\n",
        [("TELEGRAM_BOT_TOKEN", "feature"), ("TELEGRAM_BOT_TOKEN", "optional")],
    ),
    (
        "in an async generator",  # openstatus services/src/monitor/stream-monitor-preview.ts
        "export async function* streamMonitorPreview(args) {\n"
        "  const cronSecret = process.env.CRON_SECRET;\n"
        "  if (!cronSecret) {\n"
        '    throw new InternalServiceError("CRON_SECRET is not set");\n'
        "  }\n  yield probe(args, cronSecret);\n}\n",
        [("CRON_SECRET", "feature")],
    ),
    (
        '"KEY" in import.meta.env guards the read',  # karakeep apps/cli/src/index.ts
        "program.version(\n"
        '  import.meta.env && "CLI_VERSION" in import.meta.env\n'
        '    ? import.meta.env.CLI_VERSION\n    : "0.0.0",\n);\n',
        [("CLI_VERSION", "optional")],
    ),
    # negative controls: a throw as the module loads stops the app, so the key is required
    (
        "a module-level throw",
        "const k = process.env.DB_URL;\nif (!k) throw new Error('DB_URL');\n",
        [("DB_URL", "required")],
    ),
    (
        "a function the module calls at top level",
        "function getEnv() {\n  const k = process.env.DB_URL;\n"
        "  if (!k) throw new Error('DB_URL');\n  return k;\n}\nexport const url = getEnv();\n",
        [("DB_URL", "required")],
    ),
    (
        "an IIFE",
        "export const url = (() => {\n  const k = process.env.DB_URL;\n"
        "  if (!k) throw new Error('DB_URL');\n  return k;\n})();\n",
        [("DB_URL", "required")],
    ),
    (
        "a class constructed at top level",
        "class Db {\n  constructor() {\n    if (!process.env.DB_URL) throw new Error('DB_URL');\n"
        "  }\n}\nexport const db = new Db();\n",
        [("DB_URL", "required")],
    ),
    (
        "a module constant tested with a throw at top level",
        "const K = process.env.DB_URL;\nif (!K) {\n  throw new Error('DB_URL');\n}\n"
        "export const f = () => K;\n",
        [("DB_URL", "required")],
    ),
    (
        "an unguarded read in a function",
        "export function f() {\n  return connect(process.env.DB_URL.trim());\n}\n",
        [("DB_URL", "required")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), JS_FEATURE, ids=[c[0] for c in JS_FEATURE]
)
def test_js_feature_reads(tmp_path: Path, label: str, source: str, expected: Kinds) -> None:
    assert _kinds(tmp_path, "index.ts", source) == expected


PY_FEATURE: list[tuple[str, str, Kinds]] = [
    (
        "a get tested with a raise in a def",
        "import os\n\ndef send():\n    if not os.environ.get('SLACK_TOKEN'):\n"
        "        raise RuntimeError('SLACK_TOKEN is not set')\n",
        [("SLACK_TOKEN", "feature")],
    ),
    (
        "a membership test with a raise in a def",
        "import os\n\ndef send():\n    if 'SLACK_TOKEN' not in os.environ:\n"
        "        raise RuntimeError('SLACK_TOKEN is not set')\n"
        "    return os.environ['SLACK_TOKEN']\n",
        [("SLACK_TOKEN", "feature"), ("SLACK_TOKEN", "optional")],
    ),
    (
        "at module level",
        "import os\n\nif 'DATABASE_URL' not in os.environ:\n    raise SystemExit('DATABASE_URL')\n",
        [("DATABASE_URL", "required")],
    ),
    (
        "in a def the module calls",
        "import os\n\ndef settings():\n    if 'DATABASE_URL' not in os.environ:\n"
        "        raise RuntimeError('DATABASE_URL')\n\nSETTINGS = settings()\n",
        [("DATABASE_URL", "required")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), PY_FEATURE, ids=[c[0] for c in PY_FEATURE]
)
def test_python_feature_reads(tmp_path: Path, label: str, source: str, expected: Kinds) -> None:
    assert _kinds(tmp_path, "app.py", source) == expected


VITE = (  # pocket-id frontend/vite.config.ts
    "import { defineConfig } from 'vite';\n"
    "export default defineConfig(() => ({\n"
    "  server: {\n    host: process.env.HOST,\n"
    "    proxy: { '/api': { target: process.env.DEVELOPMENT_BACKEND_URL } },\n  },\n"
    "  define: { __API__: JSON.stringify(process.env.API_URL) },\n"
    "}));\n"
)


def test_a_vite_option_is_optional_but_a_define_is_the_apps(tmp_path: Path) -> None:
    assert _kinds(tmp_path, "vite.config.ts", VITE) == [
        ("HOST", "optional"),
        ("DEVELOPMENT_BACKEND_URL", "optional"),
        ("API_URL", "required"),
    ]
    # the same object in another file is no Vite option: a plain read stays required
    assert ("HOST", "required") in _kinds(tmp_path, "server.ts", VITE)


@pytest.mark.parametrize(
    ("path", "context"),
    [
        ("packages/notifications/discord/src/mock.ts", "test"),  # openstatus
        ("src/notify.mock.ts", "test"),
        ("src/mocks/handlers.ts", "test"),
        ("packages/benchmarks/src/trpc.ts", "test"),  # karakeep, workspace-relative
        ("packages/e2e_tests/utils/trpc.ts", "test"),  # karakeep
        ("src/search.bench.ts", "test"),
        ("tools/seed-snapshot/src/index.ts", "script"),  # karakeep
        ("web/tools/migrate/tinybird-export.ts", "script"),  # unkey
        # controls: a `tools/` folder inside the app or its source is the app's
        ("src/lib/ai/tools/weather.ts", "app"),
        ("app/tools/page.tsx", "app"),
        ("apps/tools/src/index.ts", "app"),
        ("src/server/mockingbird.ts", "app"),
    ],
)
def test_context_of_tests_mocks_benchmarks_and_tools(path: str, context: str) -> None:
    assert context_of(path) == context


@pytest.mark.parametrize(
    ("path", "context"),
    [
        ("src/oss/examples/llms/mistral-example.ts", "script"),  # mem0-ts, package-relative
        ("examples/basic.ts", "script"),
        # a page named so is the app's
        ("app/examples/page.tsx", "app"),
        ("src/pages/example/index.tsx", "app"),
        ("src/lib/env.ts", "app"),
    ],
)
def test_an_examples_folder_in_a_package_holds_scripts(path: str, context: str) -> None:
    assert package_file_context(path) == context
    # a whole package under examples/ (stack-auth's examples/demo) is an app of its own
    assert context_of("examples/demo/package.json") == "app"


def _ec901(project: Path) -> set[str]:
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901,EC906"))
    return unset_reads(found)


def test_ec901_leaves_feature_reads_and_reports_a_load_time_throw(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/internal.ts": JS_FEATURE[0][1],
            "lib/db.ts": "const k = process.env.DB_URL;\nif (!k) throw new Error('DB_URL');\n"
            "export const db = k;\n",
        },
    )
    assert _ec901(project) == {"DB_URL"}


def test_explain_and_init_show_a_feature_read_as_such(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/internal.ts": JS_FEATURE[0][1],
        },
    )  # no env file: explain lists the key as read and not set, init drafts from the code
    text = envcheck(project, "explain")
    assert text.returncode == 0, text.stderr
    assert "lib/internal.ts:2 (feature only:" in text.stdout
    shown = json.loads(envcheck(project, "explain", "--format", "json").stdout)
    assert shown["keys"]["INTERNAL_API_KEY"]["read_at"][0]["kind"] == "feature"
    assert envcheck(project, "init").returncode == 0
    drafted = (project / "envcheck.toml").read_text()
    section = drafted.partition("[keys.INTERNAL_API_KEY]")[2].partition("[keys.")[0]
    assert "required = false" in section
    assert envcheck(project, "check").returncode == 0  # init then check: still passes


def test_a_vite_dev_server_option_is_no_ec901(tmp_path: Path) -> None:
    vite = '{"name": "web", "private": true, "devDependencies": {"vite": "6.0.0"}}'
    project = _project(tmp_path, {"package.json": vite, "vite.config.ts": VITE})
    assert _ec901(project) == {"API_URL"}


def test_a_test_package_of_a_workspace_requires_nothing(tmp_path: Path) -> None:
    """karakeep: ``packages/e2e_tests`` and ``packages/benchmarks`` are packages of their
    own (so their files' package paths say nothing), checked from the workspace root."""
    trpc = (
        "import { createTRPCClient } from '@trpc/client';\n"
        "export const client = createTRPCClient({\n"
        "  url: `http://localhost:${process.env.KARAKEEP_PORT}/api/trpc`,\n});\n"
    )
    node = '{{"name": "@acme/{0}", "private": true, "scripts": {{"start": "node {1}"}}}}'
    project = _project(
        tmp_path,
        {
            "package.json": '{"name": "acme", "private": true}',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
            "packages/e2e_tests/package.json": node.format("e2e_tests", "utils/trpc.ts"),
            "packages/e2e_tests/utils/trpc.ts": trpc,
            "packages/benchmarks/package.json": node.format("benchmarks", "src/trpc.ts"),
            "packages/benchmarks/src/trpc.ts": trpc,
            "apps/api/package.json": node.format("api", "src/index.ts"),
            "apps/api/src/index.ts": "export const db = connect(process.env.API_DB_URL);\n",
        },
    )
    result = envcheck(project, "check", "--format", "json", "--select", "EC901,EC906")
    assert result.returncode in (0, 1), result.stderr
    assert "API_DB_URL" in result.stdout  # the app's own read is still reported
    assert "KARAKEEP_PORT" not in result.stdout
