"""Reads written as options, not demands: the survey's OPTIONAL-CONFIG and PLUGIN-OPTION
classes, with the real grammars and, for the rules, the real CLI.

* A field of a settings object a function returns, which no code of the file uses: the
  caller that takes the field decides (NextChat's ``getServerSideConfig()``, anything-llm's
  ``SystemSettings.currentSettings()`` sent to the settings page), so the read is a
  ``feature`` read.  Not when the file says the field must be there: ``process.env.X!``,
  a declared type with the field not optional, a function that checks the env it returns
  (brocoders' ``validateConfig(process.env, V)``), or a call in the file that uses the
  result (``fetch(u, { headers: this.headers() })``).
* The AI SDK's provider factories default their ``baseURL`` (firecrawl's
  ``createOpenAI({ baseURL: process.env.OPENAI_BASE_URL })``, ``createOllama``); their
  ``apiKey`` stays required.
* ``newrelic.js`` / ``newrelic.ts`` is New Relic's agent config: the agent, not the app,
  takes its values, and it switches itself off without a license key (novu).

Each snippet is the shape of a real project's file (named in the comment).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import scan
from tests.harness import findings, write_project
from tests.harness import isolated as envcheck


def _kinds(tmp_path: Path, name: str, source: str) -> dict[str | None, str]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return {read.key: read.kind for read in facts.reads}


SERVER_CONFIG = (  # NextChat app/config/server.ts
    "export const getServerSideConfig = () => {\n"
    "  const isTencent = !!process.env.TENCENT_API_KEY;\n"
    "  return {\n"
    "    isTencent,\n"
    "    tencentSecretId: process.env.TENCENT_SECRET_ID,\n"
    "    cloudflare: { accountId: process.env.CLOUDFLARE_ACCOUNT_ID },\n"
    "    asserted: process.env.ASSERTED_KEY!,\n"
    "  };\n"
    "};\n"
)

SETTINGS_MODEL = (  # anything-llm server/models/systemSettings.js
    "const SystemSettings = {\n"
    "  currentSettings: async function () {\n"
    "    return {\n"
    "      StorageDir: process.env.STORAGE_DIR,\n"
    "      ...this.vectorDBPreferenceKeys(),\n"
    "    };\n"
    "  },\n"
    "  vectorDBPreferenceKeys: function () {\n"
    "    return { PineConeIndex: process.env.PINECONE_INDEX };\n"
    "  },\n"
    "  headers: function () {\n"
    "    return { Authorization: process.env.HUB_TOKEN };\n"
    "  },\n"
    "  sync: async function () {\n"
    '    return fetch("https://hub.example", { headers: this.headers() });\n'
    "  },\n"
    "};\n"
    "module.exports.SystemSettings = SystemSettings;\n"
)

RETURNED: list[tuple[str, str, str, dict[str | None, str]]] = [
    (
        "a config builder's fields; one asserted set",
        "app/config/server.ts",
        SERVER_CONFIG,
        {
            "TENCENT_API_KEY": "optional",
            "TENCENT_SECRET_ID": "feature",
            "CLOUDFLARE_ACCOUNT_ID": "feature",
            "ASSERTED_KEY": "required",
        },
    ),
    (
        "an object's methods, one spread into the other; one whose result is sent",
        "server/models/systemSettings.js",
        SETTINGS_MODEL,
        {"STORAGE_DIR": "feature", "PINECONE_INDEX": "feature", "HUB_TOKEN": "required"},
    ),
    (
        "a config that checks the env it returns; a factory handed to a call",
        "src/database/config/database.config.ts",  # brocoders/nestjs-boilerplate
        "import { registerAs } from '@nestjs/config';\n"
        "export function database() {\n"
        "  validateConfig(process.env, EnvironmentVariablesValidator);\n"
        "  return { host: process.env.DATABASE_HOST };\n"
        "}\n"
        "export const mail = registerAs('mail', () => ({ user: process.env.MAIL_USER }));\n",
        {"DATABASE_HOST": "required", "MAIL_USER": "required"},
    ),
    (
        "the declared return type has the field, not optional",  # unkey structured-logger
        "lib/logger.ts",
        "interface Attributes {\n  region: string;\n  version?: string;\n}\n"
        "export function base(): Attributes {\n"
        "  return { region: process.env.REGION, version: process.env.APP_VERSION };\n"
        "}\n",
        {"REGION": "required", "APP_VERSION": "optional"},
    ),
    (
        "a helper this file calls and uses the result of",  # postiz mewe.provider.ts
        "src/client.ts",
        "function authHeaders() {\n  return { 'X-Api-Key': process.env.MEWE_API_KEY };\n}\n"
        "export const get = () => fetch('https://mewe.example', { headers: authHeaders() });\n",
        {"MEWE_API_KEY": "required"},
    ),
    (
        "a class method's result; a same-named method of another object is called",
        "src/get-credentials.usecase.ts",  # novu get-novu-provider-credentials.usecase.ts
        "export class GetCredentials {\n"
        "  async execute(command) {\n"
        "    await this.limits.execute({ id: command.id });\n"
        "    return { apiKey: process.env.DEMO_EMAIL_API_KEY };\n"
        "  }\n"
        "  token() {\n    return { token: process.env.DEMO_TOKEN };\n  }\n"
        "  async send() {\n    return post(this.token());\n  }\n"
        "}\n",
        {"DEMO_EMAIL_API_KEY": "feature", "DEMO_TOKEN": "required"},
    ),
    (
        "props a framework hands to the page",  # Next.js: an undefined prop is an error
        "pages/index.tsx",
        "export async function getServerSideProps() {\n"
        "  return { props: { apiUrl: process.env.API_URL } };\n"
        "}\n",
        {"API_URL": "required"},
    ),
]


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [case[1:] for case in RETURNED],
    ids=[case[0] for case in RETURNED],
)
def test_a_field_of_a_returned_settings_object_is_the_callers_choice(
    tmp_path: Path, name: str, source: str, expected: dict[str | None, str]
) -> None:
    assert _kinds(tmp_path, name, source) == expected


AI_SDK = (  # firecrawl apps/api/src/lib/generic-ai.ts
    'import { createOpenAI } from "@ai-sdk/openai";\n'
    'import { createOllama } from "ollama-ai-provider";\n'
    'import { createOpenRouter } from "@openrouter/ai-sdk-provider";\n'
    "const providers = {\n"
    "  openai: createOpenAI({\n"
    "    apiKey: process.env.OPENAI_API_KEY,\n"
    "    baseURL: process.env.OPENAI_BASE_URL,\n"
    "  }),\n"
    "  ollama: createOllama({ baseURL: process.env.OLLAMA_BASE_URL }),\n"
    "  openrouter: createOpenRouter({ apiKey: process.env.OPENROUTER_API_KEY }),\n"
    "};\n"
    "export const model = (name: keyof typeof providers) => providers[name];\n"
)


def test_an_ai_sdk_factory_defaults_its_base_url_not_its_key(tmp_path: Path) -> None:
    assert _kinds(tmp_path, "src/lib/generic-ai.ts", AI_SDK) == {
        "OPENAI_API_KEY": "required",
        "OPENAI_BASE_URL": "optional",
        "OLLAMA_BASE_URL": "optional",
        "OPENROUTER_API_KEY": "required",
    }


NEW_RELIC = (  # novu apps/api/src/newrelic.ts
    "exports.config = {\n"
    "  app_name: [process.env.NEW_RELIC_APP_NAME],\n"
    "  license_key: process.env.NEW_RELIC_LICENSE_KEY,\n"
    "  distributed_tracing: { enabled: true },\n"
    "};\n"
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("src/newrelic.ts", "optional"),
        ("newrelic.js", "optional"),
        ("src/newrelic.db.ts", "required"),
    ],
)
def test_the_new_relic_agents_config_holds_its_options(
    tmp_path: Path, name: str, kind: str
) -> None:
    assert _kinds(tmp_path, name, NEW_RELIC) == {
        "NEW_RELIC_APP_NAME": kind,
        "NEW_RELIC_LICENSE_KEY": kind,
    }


def test_check_and_init_leave_the_options_to_their_takers(tmp_path: Path) -> None:
    """End to end: no EC901 for a returned settings field, an AI SDK base URL or the New
    Relic agent's config, and ``init`` drafts them as not required; the field written
    ``process.env.ASSERTED_KEY!`` stays a demand of the file (not its caller's choice), but
    a non-null ``!`` in a function run later is a type assertion, no more: a plain read
    (EC906), as the SDK's keys are."""
    project = write_project(
        tmp_path,
        {
            "package.json": '{"name": "api", "private": true, "scripts": {"start": '
            '"node dist/main.js"}, "dependencies": {"dotenv": "16.4.5"}}\n',
            "src/main.ts": 'import "dotenv/config";\nimport "newrelic";\n'
            'import "./config";\nimport "./ai";\n',
            "src/config.ts": SERVER_CONFIG,
            "src/ai.ts": AI_SDK,
            "src/newrelic.ts": NEW_RELIC,
        },
    )
    run = envcheck(project, "check", "--format", "json", "--select", "EC901,EC906")
    reported = {(f["code"], f["key"]) for f in findings(run)}
    assert reported == {  # plain reads: EC906, off by default
        ("EC906", "ASSERTED_KEY"),
        ("EC906", "OPENAI_API_KEY"),
        ("EC906", "OPENROUTER_API_KEY"),
    }, run.stdout
    assert envcheck(project, "init").returncode == 0
    drafted = (project / "envcheck.toml").read_text()
    for key, required in (
        ("TENCENT_SECRET_ID", False),
        ("OLLAMA_BASE_URL", False),
        ("NEW_RELIC_LICENSE_KEY", False),
        ("ASSERTED_KEY", False),
    ):
        section = drafted.partition(f"[keys.{key}]")[2].partition("[keys.")[0]
        assert f"required = {'true' if required else 'false'}" in section, (key, drafted)
