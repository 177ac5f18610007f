"""Reads the survey found judged wrong: server functions and server-rendering frameworks
(EC904), and reads a project copes without though no default is written (EC901).

Each fixture is the real shape found (TanStack Start's ``createServerFn().handler``,
``createIsomorphicFn().server``, a sibling-key guard of an integration, a logged value, a
non-null assertion under ``||``, a guarded ``typeof process`` read tested with
``Number.isFinite``, Django production settings behind ``"K" in os.environ``), read
with the real tree-sitter grammars and the stdlib ``ast``; the end-to-end cases run the
real CLI (helpers of :mod:`tests.code.test_code_rules`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envcheck.code import scan
from tests.harness import findings, keys_of, write_project
from tests.harness import isolated as envcheck


def _facts(tmp_path: Path, files: dict[str, str]) -> list[tuple[str | None, str, str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return [(r.key, r.kind, r.side) for r in facts.reads]


# -- server functions: a module of client code may define code only the server runs -----

SERVER_FUNCTIONS = [
    (
        "TanStack Start createServerFn().handler",
        "import { createServerFn } from '@tanstack/react-start';\n"
        "export const getServerEnvs = createServerFn({ method: 'GET' })\n"
        "  .validator((d: unknown) => d)\n"
        "  .handler(() => ({ apiUrl: String(process.env.API_URL) }));\n",
        [("API_URL", "server")],
    ),
    (
        "createIsomorphicFn: .server runs on the server, .client in the browser",
        "const pick = createIsomorphicFn()\n"
        "  .server(() => process.env.API_URL_SSR)\n"
        "  .client(() => process.env.IN_BROWSER);\n",
        [("API_URL_SSR", "server"), ("IN_BROWSER", "client")],
    ),
    (
        "a Next.js / SolidStart inline 'use server' action",
        "export async function save() {\n  'use server';\n  return process.env.DB_URL;\n}\n"
        "export const shown = process.env.SHOWN;\n",
        [("DB_URL", "server"), ("SHOWN", "client")],
    ),
    (
        "Qwik server$",
        "export const load = server$(async () => process.env.QWIK_SECRET);\n",
        [("QWIK_SECRET", "server")],
    ),
    (
        "React Router / Remix loader and action exports",
        "export async function loader() {\n  return process.env.LOADER_KEY;\n}\n"
        "export const action = async () => process.env.ACTION_KEY;\n"
        "function loaderLike() {\n  return process.env.NOT_EXPORTED;\n}\n",
        [("LOADER_KEY", "server"), ("ACTION_KEY", "server"), ("NOT_EXPORTED", "client")],
    ),
    (
        "a .handler of anything else is no server function",
        "export const h = createThing().handler(() => process.env.PLAIN);\n",
        [("PLAIN", "client")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), SERVER_FUNCTIONS, ids=[c[0] for c in SERVER_FUNCTIONS]
)
def test_a_server_function_in_a_client_module_reads_on_the_server(
    tmp_path: Path, label: str, source: str, expected: list[tuple[str, str]]
) -> None:
    facts = _facts(tmp_path, {"app/widget.tsx": "'use client';\n" + source})
    assert [(key, side) for key, _, side in facts] == expected


TANSTACK_START = json.dumps(
    {
        "name": "portal",
        "private": True,
        "type": "module",
        "scripts": {"dev": "vite dev --port 3100", "build": "vite build"},
        "dependencies": {"@tanstack/react-start": "1.168.6", "react": "19.2.4", "zod": "4"},
        "devDependencies": {"vite": "7.0.0"},
    }
)


def test_a_tanstack_start_app_is_no_single_page_app(tmp_path: Path) -> None:
    """unkey's portal: ``vite dev`` serves a TanStack Start app, which renders on the server
    too; its ``src/lib/env.ts`` (a zod parse of ``process.env``, called by the database
    module its server functions use) is no browser code, so no EC904."""
    project = write_project(
        tmp_path,
        {
            "package.json": TANSTACK_START,
            ".env": "DATABASE_HOST=db\nDATABASE_PASSWORD=fake-password\n",
            "src/lib/env.ts": (
                "import { z } from 'zod';\n"
                "const schema = z.object({ DATABASE_HOST: z.string(), "
                "DATABASE_PASSWORD: z.string() });\n"
                "export function env() {\n  return schema.parse(process.env);\n}\n"
            ),
            "src/lib/db.ts": "import { env } from './env';\nexport const db = () => env();\n",
            "src/lib/api.ts": (
                "import { createServerFn } from '@tanstack/react-start';\n"
                "import { db } from './db';\n"
                "export const list = createServerFn({ method: 'GET' }).handler(() => db());\n"
            ),
            "src/routes/index.tsx": (
                "import { list } from '../lib/api';\nexport const Route = () => list();\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert keys_of(found, "EC904") == set()


def test_a_server_key_read_in_a_vite_spa_is_still_reported(tmp_path: Path) -> None:
    """The control: the same module in a plain Vite single-page app runs in the browser."""
    spa = json.loads(TANSTACK_START)
    spa["dependencies"] = {"react": "19.2.4"}
    project = write_project(
        tmp_path,
        {
            "package.json": json.dumps(spa),
            ".env": "DATABASE_HOST=db\n",
            "src/main.tsx": "export const host = process.env.DATABASE_HOST;\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert keys_of(found, "EC904") == {"DATABASE_HOST"}


# -- reads the code copes without -------------------------------------------------------

COPES = [
    (
        "a logged value, then a read with a fallback (openpanel)",
        "export const f = () => {\n"
        "  console.log('API_URL_SSR', process.env.API_URL_SSR);\n"
        "  return process.env.API_URL_SSR || undefined;\n};\n",
        [("API_URL_SSR", "optional"), ("API_URL_SSR", "optional")],
    ),
    (
        "a non-null assertion under || (midday)",
        "export const c = () => make(\n"
        "  process.env.NEXT_PUBLIC_SUPABASE_URL! || process.env.SUPABASE_URL!,\n"
        "  process.env.SUPABASE_SECRET_KEY!,\n);\n",
        [
            ("NEXT_PUBLIC_SUPABASE_URL", "optional"),
            ("SUPABASE_URL", "optional"),
            ("SUPABASE_SECRET_KEY", "required"),
        ],
    ),
    (
        "a typeof-process branch tested with Number.isFinite (shelf.nu)",
        "const RATE = (() => {\n"
        "  const raw =\n    typeof process !== 'undefined'\n"
        "      ? Number(process.env.SAMPLE_RATE)\n      : NaN;\n"
        "  return Number.isFinite(raw) && raw >= 0 ? raw : 1;\n})();\n",
        [("SAMPLE_RATE", "optional")],
    ),
    (
        "a branch's value used as is stays required",
        "const url = typeof window === 'undefined' ? process.env.API : '/api';\n"
        "fetch(url.trim());\n",
        [("API", "required")],
    ),
    (
        "sibling keys of an integration behind its client id (openpanel's Slack)",
        "const ID = process.env.SLACK_CLIENT_ID;\n"
        "const SECRET = process.env.SLACK_CLIENT_SECRET;\n"
        "export const installer = ID\n"
        "  ? new InstallProvider({ clientId: ID!, clientSecret: SECRET! })\n"
        "  : ({} as InstallProvider);\n",
        [("SLACK_CLIENT_ID", "optional"), ("SLACK_CLIENT_SECRET", "feature")],
    ),
]


@pytest.mark.parametrize(("label", "source", "expected"), COPES, ids=[c[0] for c in COPES])
def test_reads_the_code_copes_without(
    tmp_path: Path, label: str, source: str, expected: list[tuple[str, str]]
) -> None:
    facts = _facts(tmp_path, {"index.ts": source})
    assert [(key, kind) for key, kind, _ in facts] == expected


DJANGO_PRODUCTION = (
    "import os\n"
    'if (\n    "CF_TOKEN" in os.environ\n    or "CF_BEARER_TOKEN" in os.environ\n):\n'
    '    CACHE = {"ZONEID": os.environ["CF_ZONEID"]}\n'
    '    if "CF_TOKEN" in os.environ:\n'
    '        CACHE.update({"EMAIL": os.environ["CF_EMAIL"]})\n'
    "SECRET_KEY = os.environ['SECRET_KEY']\n"
)


def test_django_settings_behind_another_keys_test_are_a_feature(tmp_path: Path) -> None:
    """wagtail/bakerydemo's production settings: the Cloudflare keys are read only when a
    Cloudflare token is set; ``SECRET_KEY`` is read whatever is set."""
    facts = _facts(tmp_path, {"settings/production.py": DJANGO_PRODUCTION})
    kinds = {key: kind for key, kind, _ in facts}
    assert kinds["CF_ZONEID"] == "feature"
    assert kinds["CF_EMAIL"] == "feature"
    assert kinds["SECRET_KEY"] == "required"


def test_ec901_skips_an_integrations_sibling_keys_but_not_an_unguarded_read(
    tmp_path: Path,
) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": '{"name": "api", "private": true, "dependencies": {"express": "5"}}',
            ".env": "PORT=3000\n",
            "src/slack.ts": COPES[-1][1],
            "src/db.ts": "export const url = new URL(process.env.DATABASE_URL);\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert keys_of(found, "EC901") == {"DATABASE_URL"}


# -- keys the project sets where it builds and runs the app -----------------------------


def test_ec901_skips_a_key_the_apps_dockerfile_sets(tmp_path: Path) -> None:
    """langfuse's ``NEXT_PUBLIC_BUILD_ID``: ``ARG`` + ``ENV X=$X`` in the app's Dockerfile,
    filled by CI's ``--build-arg``; the running stage's ``ENV``.  umami's builder stage sets
    ``DATABASE_URL`` to a dummy for the build only: still reported."""
    project = write_project(
        tmp_path,
        {
            "package.json": '{"name": "web", "private": true, "dependencies": {"next": "15"}}',
            ".env": "PORT=3000\n",
            "Dockerfile": (
                "FROM node:20 AS builder\nARG NEXT_PUBLIC_BUILD_ID\n"
                "ENV NEXT_PUBLIC_BUILD_ID=$NEXT_PUBLIC_BUILD_ID\n"
                'ENV DATABASE_URL="postgresql://user:pass@localhost:5432/dummy"\n'
                "RUN npm run build\n"
                'FROM node:20 AS runner\nENV HOSTNAME=0.0.0.0\nCMD ["node", "server.js"]\n'
            ),
            "src/server/version.ts": (
                "export const build = process.env.NEXT_PUBLIC_BUILD_ID.slice(0, 7);\n"
                "export const host = process.env.HOSTNAME.trim();\n"
                "export const db = new URL(process.env.DATABASE_URL);\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert keys_of(found, "EC901") == {"DATABASE_URL"}


def test_a_local_logged_before_its_use_stays_required(tmp_path: Path) -> None:
    facts = _facts(
        tmp_path,
        {
            "index.ts": (
                "const key = process.env.KEY;\nconsole.log('key', key);\nconnect(key.trim());\n"
            )
        },
    )
    assert [(key, kind) for key, kind, _ in facts] == [("KEY", "required")]


def test_a_features_function_that_throws_for_its_client_id_makes_the_rest_a_feature(
    tmp_path: Path,
) -> None:
    """openpanel's ``getSlackInstallUrl``: ``if (!SLACK_CLIENT_ID) throw`` inside a function,
    then the redirect URL: the install link fails with its message, the app runs.  The same
    throw as the module loads makes the app need ``A``, and what follows it stays required."""
    facts = _facts(
        tmp_path,
        {
            "slack.ts": (
                "const ID = process.env.SLACK_CLIENT_ID;\n"
                "const REDIRECT = process.env.SLACK_OAUTH_REDIRECT_URL;\n"
                "export const url = () => {\n"
                "  if (!ID) {\n    throw new Error('SLACK_CLIENT_ID is not set');\n  }\n"
                "  return install({ redirectUri: REDIRECT.trim() });\n};\n"
            ),
            "boot.ts": "if (!process.env.A) throw new Error('A');\nf(process.env.B.trim());\n",
        },
    )
    assert [(key, kind) for key, kind, _ in facts] == [
        ("A", "required"),
        ("B", "required"),
        ("SLACK_CLIENT_ID", "feature"),
        ("SLACK_OAUTH_REDIRECT_URL", "feature"),
    ]
