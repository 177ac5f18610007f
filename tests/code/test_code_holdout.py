"""Shapes of the survey's hold-out repositories (docs/survey.md) the code reading got wrong.

Each test is a small project in ``tmp_path`` with the real layout and code shape of one
false class (a Node CLI tested with vitest read as browser code, zod ``preprocess``
wrappers, a local helper whose parameter has a fallback, destructured reads only
tested, a test runner's env file taken for the app's), checked with the real CLI and
the real tree-sitter grammars.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.code import scan
from tests.harness import findings, keys_of, write
from tests.harness import isolated as envcheck


def _kinds(root: Path) -> dict[str, str]:
    return {r.key: r.kind for r in scan(root, root=root, use_cache=False).reads if r.key}


# trigger.dev packages/cli-v3: a Node CLI (tshy, a `bin`, "type": "module") whose
# vite.config.ts is vitest's.  Read as a Vite browser app, each of its 60 reads was EC904.
CLI_PACKAGE = (
    '{"name": "cli", "type": "module", "bin": {"cli": "./dist/esm/index.js"},'
    ' "scripts": {"build": "tshy", "dev": "tshy --watch", "test": "vitest"},'
    ' "devDependencies": {"tshy": "4.1.3", "vitest": "3.0.0"}}'
)


def test_a_node_cli_tested_with_vitest_is_no_browser_code(tmp_path: Path) -> None:
    project = write(
        tmp_path / "cli",
        {
            "package.json": CLI_PACKAGE,
            "vite.config.ts": 'import { configDefaults, defineConfig } from "vitest/config";\n'
            "export default defineConfig({ test: { exclude: [...configDefaults.exclude] } });\n",
            "src/commands/update.ts": "export const pre = process.env.ENABLE_PRERELEASE_CHECKS;\n",
            ".env": "ENABLE_PRERELEASE_CHECKS=1\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert keys_of(found, "EC904") == set()
    # the same package served by `vite` with an index.html is a browser app: kept
    (project / "index.html").write_text("<div id=app></div>\n")
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert keys_of(found, "EC904") == {"ENABLE_PRERELEASE_CHECKS"}


# trigger.dev apps/webapp/app/env.server.ts and inbox-zero apps/web/env.ts: "blank means
# unset" wrappers around an optional or defaulted schema, as constants and as helpers.
ZOD_WRAPPERS = """\
import { z } from "zod";
const OptionalIntEnv = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
  z.coerce.number().int().optional()
);
const IntEnvWithDefault = (defaultValue: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().default(defaultValue)
  );
const BoolEnvWithDefault = (defaultValue: boolean) =>
  z.preprocess((v) => {
    if (typeof v !== "string" || v.trim() === "") return undefined;
    return ["true", "1"].includes(v.toLowerCase().trim());
  }, z.boolean().default(defaultValue));
const llmsEnv = (legacy: string | undefined) =>
  z.preprocess((value) => value ?? legacy, z.string().optional());
const Trimmed = z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().min(1));
const EnvironmentSchema = z.object({
  POOL_TIMEOUT: OptionalIntEnv,
  MAX_WAIT_MS: IntEnvWithDefault(10000),
  RETRY_ENABLED: BoolEnvWithDefault(true),
  CHAT_LLMS: llmsEnv(undefined),
  RETENTION_DAYS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number().int().nonnegative().default(14),
  ),
  SESSION_SECRET: Trimmed,
  DATABASE_URL: z.string().url(),
});
export const env = EnvironmentSchema.parse(process.env);
"""


def test_zod_preprocess_wrappers_say_optional_by_their_inner_schema(tmp_path: Path) -> None:
    project = write(
        tmp_path / "web",
        {"package.json": '{"dependencies": {"zod": "3.23.0"}}', "env.server.ts": ZOD_WRAPPERS},
    )
    kinds = _kinds(project)
    assert {k for k, kind in kinds.items() if kind == "required"} == {
        "SESSION_SECRET",
        "DATABASE_URL",
    }
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert keys_of(found, "EC901") == {"SESSION_SECRET", "DATABASE_URL"}


# langfuse packages/shared/.../export-source-policy.ts: the read is passed to a local
# function that falls back when its parameter is unset.
FALLBACK_PARAMETER = """\
function cutoffFromEnv(override: string | undefined, fallbackIso: string): Date {
  if (!override) return new Date(fallbackIso);
  const parsed = new Date(override);
  return isNaN(parsed.getTime()) ? new Date(fallbackIso) : parsed;
}
const orDefault = (value = "eu") => value.toUpperCase();
const mustHave = (value: string | undefined, name: string): string => {
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const trimmed = (value: string) => value.trim();
export const CUTOFF = cutoffFromEnv(process.env.EXPORT_CUTOFF, "2026-05-20T00:00:00.000Z");
export const REGION = orDefault(process.env.REGION);
export const TOKEN = mustHave(process.env.API_TOKEN, "API_TOKEN");
export const HOST = trimmed(process.env.API_HOST);
"""


def test_a_read_passed_to_a_local_function_that_falls_back_is_optional(tmp_path: Path) -> None:
    project = write(tmp_path / "shared", {"package.json": "{}", "policy.ts": FALLBACK_PARAMETER})
    assert _kinds(project) == {
        "EXPORT_CUTOFF": "optional",
        "REGION": "optional",
        "API_TOKEN": "required",  # the function throws without it, as the module loads
        "API_HOST": "required",
    }


# trigger.dev packages/cli-v3/src/utilities/supportsHyperlinks.ts: names destructured
# from process.env and then only tested.
DESTRUCTURED = """\
export function supportsHyperlinks(stream: { isTTY?: boolean }): boolean {
  const { FORCE_HYPERLINK, NETLIFY, SHOW_LINKS_FOR } = process.env;
  if (FORCE_HYPERLINK) {
    return !(FORCE_HYPERLINK.length > 0 && Number.parseInt(FORCE_HYPERLINK, 10) === 0);
  }
  if (NETLIFY) return true;
  return SHOW_LINKS_FOR.split(",").length > 0 && Boolean(stream.isTTY);
}
"""


def test_a_destructured_read_only_tested_is_optional(tmp_path: Path) -> None:
    project = write(tmp_path / "cli", {"package.json": "{}", "links.ts": DESTRUCTURED})
    assert _kinds(project) == {
        "FORCE_HYPERLINK": "optional",
        "NETLIFY": "optional",
        "SHOW_LINKS_FOR": "required",  # used unguarded: still the app's requirement
    }


# rallly apps/web: playwright.config.ts loads .env.test for the e2e run; the app's dev
# server reads .env (from .env.sample).  The runner's file is not the app's.
def test_a_test_runners_env_file_is_not_the_apps(tmp_path: Path) -> None:
    project = write(
        tmp_path / "web",
        {
            "package.json": '{"scripts": {"dev": "next dev", "test": "playwright test"},'
            ' "dependencies": {"next": "15.0.0"}, "devDependencies": {"dotenv": "16.0.0"}}',
            ".env.sample": "SECRET_PASSWORD=\nDATABASE_URL=\nSMTP_USER=\n",
            ".env.test": "SECRET_PASSWORD=abcdefghijklmnopqrstuvwxyz123456\n"
            "DATABASE_URL=postgres://localhost:5450/db\n",
            "playwright.config.ts": 'import { config } from "dotenv";\n'
            'config({ path: ".env.test" });\n'
            "export default { testDir: './tests' };\n",
            "src/app/page.tsx": "export default function Page() { return null; }\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC301"))
    assert keys_of(found, "EC301") == {"SECRET_PASSWORD", "DATABASE_URL", "SMTP_USER"}
    assert all(f["path"] != ".env.test" for f in found)


# rallly (js-cookie attributes, nodemailer), papermark (a Vertex client, unsend's base
# URL, allowed hosts filtered for presence), trigger.dev (Sentry's serverName, build
# labels sent through remix-typedjson): values the code passes where undefined is by
# design.  An unfiltered list element and a filter that uses the value stay required.
OPTIONAL_VALUES = """\
import Cookies from "js-cookie";
import { Unsend } from "unsend";
import * as Sentry from "@sentry/node";
import { createVertex } from "@ai-sdk/google-vertex";
import { typedjson } from "remix-typedjson";
const cookieAttributes = { path: "/", domain: process.env.COOKIE_DOMAIN } as const;
export function clearZone() {
  Cookies.remove("tz", cookieAttributes);
}
export const unsend = process.env.UNSEND_API_KEY
  ? new Unsend(process.env.UNSEND_API_KEY, process.env.UNSEND_BASE_URL)
  : null;
Sentry.init({ dsn: process.env.SENTRY_DSN, serverName: process.env.SERVICE_NAME });
export const vertex = createVertex({ apiKey: process.env.GOOGLE_VERTEX_API_KEY });
export async function loader() {
  const allowed = [process.env.HOST_EU, process.env.HOST_US].filter(
    (host): host is string => !!host,
  );
  const prefixed = [process.env.HOST_ASIA].filter((h) => h.startsWith("https:"));
  return typedjson({
    buildInfo: { appVersion: process.env.BUILD_APP_VERSION } satisfies { appVersion?: string },
    allowed,
    prefixed,
  });
}
"""


def test_values_passed_where_undefined_is_by_design_are_optional(tmp_path: Path) -> None:
    project = write(tmp_path / "web", {"package.json": "{}", "src/a.ts": OPTIONAL_VALUES})
    required = {k for k, kind in _kinds(project).items() if kind == "required"}
    assert required == {"HOST_ASIA"}


# trigger.dev packages/cli-v3: the dev CLI spawns its watchdog with WATCHDOG_* in the
# child's env, and the watchdog reads them with `!`.  The code sets them, not a file.
def test_keys_the_code_sets_for_itself_or_its_children_are_set(tmp_path: Path) -> None:
    project = write(
        tmp_path / "cli",
        {
            "package.json": CLI_PACKAGE,
            "src/dev/devSupervisor.ts": 'import { spawn } from "node:child_process";\n'
            "export function startWatchdog(url: string) {\n"
            '  return spawn(process.execPath, ["devWatchdog.js"], {\n'
            "    env: { ...process.env, WATCHDOG_PARENT_PID: String(process.pid),"
            " WATCHDOG_API_URL: url },\n"
            "  });\n"
            "}\n"
            'process.env.TRIGGER_TELEMETRY_DISABLED = "1";\n',
            "src/dev/devWatchdog.ts": "const pid = parseInt(process.env.WATCHDOG_PARENT_PID!);\n"
            "const apiUrl = process.env.WATCHDOG_API_URL!;\n"
            "const telemetry = process.env.TRIGGER_TELEMETRY_DISABLED!;\n"
            "const apiKey = process.env.WATCHDOG_API_KEY!;\n"
            "export { pid, apiUrl, apiKey, telemetry };\n",
            "src/dev/devWatchdog.test.ts": 'process.env.WATCHDOG_API_KEY = "test";\n',
            "scripts/gen.py": "import os, subprocess\n"
            'subprocess.run(["x"], env={**os.environ, "PY_CHILD": "1"})\n',
            "src/worker.py": 'import os\nos.environ.setdefault("PY_SET", "1")\n'
            'v = os.environ["PY_SET"]\nw = os.environ["PY_CHILD"]\n',
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    # a test's write sets nothing for the app; a script's child env is the script's
    assert keys_of(found, "EC901") == {"WATCHDOG_API_KEY", "PY_CHILD"}


# A loaded file that leaves a key empty (a template copied as is): `process.env.X` is ""
# where the code expects a value.  Was silent (the key counted as set).
def test_a_required_read_of_a_key_set_empty_is_reported(tmp_path: Path) -> None:
    project = write(
        tmp_path / "api",
        {
            "package.json": '{"scripts": {"start": "node src/a.js"},'
            ' "dependencies": {"dotenv": "16.4.0"}}',
            ".env": "SMTP_HOST=\nSMTP_FROM=\nSENTRY_DSN=\nDECLARED=\n",
            "envcheck.toml": "[keys.DECLARED]\nrequired = true\n",
            "src/a.js": 'require("dotenv").config();\n'
            "const host = new URL(process.env.SMTP_HOST);\n"
            'const from = process.env.SMTP_FROM || "noreply@example.com";\n'
            "const dsn = process.env.SENTRY_DSN ? process.env.SENTRY_DSN.trim() : null;\n"
            "const declared = process.env.DECLARED.trim();\n"
            "module.exports = { host, from, dsn, declared };\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json"))
    ec901 = [f for f in found if f["code"] == "EC901"]
    assert [(f["key"], f["path"], f["line"]) for f in ec901] == [("SMTP_HOST", "src/a.js", 2)]
    assert "sets it to the empty string" in ec901[0]["message"]
    # the schema's key left empty is EC302's, never EC901 as well
    assert "DECLARED" in keys_of(found, "EC302")


# unkey: web/internal/db/drizzle.config.ts reads DRIZZLE_DATABASE_URL, which the root
# Makefile sets inline for `pnpm --dir=web/internal/db run migrate` (drizzle-kit push).
UNKEY_MAKEFILE = """\
.PHONY: pscale-branch
pscale-branch:
\t@PW=$$(pscale password create unkey "$(BRANCH)" --format json); \\
\tUSER=$$(echo "$$PW" | jq -r '.username'); \\
\tDRIZZLE_DATABASE_URL="mysql://$$USER@$$HOST/unkey?ssl={}" \\
\t\tpnpm --dir=db run migrate
"""


def test_a_key_a_script_sets_for_the_tool_that_reads_the_config(tmp_path: Path) -> None:
    drizzle = (
        'import { defineConfig } from "drizzle-kit";\n'
        "export default defineConfig({\n"
        "  dialect: 'mysql',\n"
        "  dbCredentials: { url: process.env.DRIZZLE_DATABASE_URL!, ssl: process.env.DB_SSL! },\n"
        "});\n"
    )
    project = write(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true}',
            "pnpm-workspace.yaml": "packages:\n  - db\n",
            "Makefile": UNKEY_MAKEFILE,
            "db/package.json": '{"name": "@acme/db", "scripts": {"migrate": "drizzle-kit push",'
            ' "studio": "DB_STUDIO_PORT=4983 drizzle-kit studio"}}',
            "db/drizzle.config.ts": drizzle,
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    # the Makefile's variable reaches drizzle-kit; DB_SSL is set by no command
    assert keys_of(found, "EC901") == {"DB_SSL"}


# papermark lib/integrations/slack/client.ts: the constructor stores the reads in fields
# and throws its own error when they are missing: the Slack feature fails, the app starts.
# inbox-zero apps/web/sanity.cli.ts: the Sanity CLI's config, no code of the app.
def test_fields_tested_by_their_constructor_and_a_cli_config(tmp_path: Path) -> None:
    slack = (
        "export class SlackClient {\n"
        "  private clientId: string;\n"
        "  private region: string;\n"
        "  constructor() {\n"
        "    this.clientId = process.env.SLACK_CLIENT_ID as string;\n"
        "    this.region = process.env.SLACK_REGION as string;\n"
        "    if (!this.clientId) {\n"
        '      throw new Error("SLACK_CLIENT_ID must be set");\n'
        "    }\n"
        "    this.region.trim();\n"
        "  }\n"
        "}\n"
    )
    project = write(
        tmp_path / "web",
        {
            "package.json": "{}",
            "lib/slack.ts": slack,
            "sanity.cli.ts": "export default { api: { projectId:"
            " process.env.NEXT_PUBLIC_SANITY_PROJECT_ID! } };\n",
        },
    )
    facts = scan(project, root=project, use_cache=False)
    assert {(r.key, r.kind, r.context) for r in facts.reads} == {
        ("SLACK_CLIENT_ID", "feature", "app"),
        ("SLACK_REGION", "required", "app"),  # used unguarded
        ("NEXT_PUBLIC_SANITY_PROJECT_ID", "required", "config"),
    }


# rallly packages/screenshots: run only by playwright (`"capture": "playwright test"`), its
# playwright.config.ts loads ../../apps/web/.env: that is the package's environment.
def test_a_package_run_only_by_its_runner_keeps_the_runners_env_file(tmp_path: Path) -> None:
    project = write(
        tmp_path / "screenshots",
        {
            "package.json": '{"scripts": {"capture": "playwright test"},'
            ' "dependencies": {"dotenv": "17.2.4"}}',
            ".env.capture": "DATABASE_URL=postgres://localhost:5450/db\n",
            "playwright.config.ts": 'import { config } from "dotenv";\n'
            'config({ path: ".env.capture" });\n'
            "export default { testDir: './capture' };\n",
            "capture/helpers.ts": "export const url = new URL(process.env.DATABASE_URL!);\n"
            "export const region = new URL(process.env.CAPTURE_REGION!);\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert keys_of(found, "EC901") == {"CAPTURE_REGION"}
