"""envcheck.code reads: each source form -> the exact reads, with the real grammars.

Table-driven like python-dotenv's tests: a snippet, written to a file of a
fresh package, and the (key, kind, form, source, line, col) facts expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import scan

Row = tuple[str | None, str, str, str, int, int]


def _reads(tmp_path: Path, name: str, source: str) -> list[Row]:
    (tmp_path / name).write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return [(r.key, r.kind, r.form, r.source, r.line, r.col) for r in facts.reads]


JS_CASES: list[tuple[str, str, list[Row]]] = [
    (
        "member",
        "const a = process.env.API_KEY;",
        [("API_KEY", "required", "member", "process.env", 1, 11)],
    ),
    (
        "subscript",
        'f(process.env["API_KEY"]);',
        [("API_KEY", "required", "subscript", "process.env", 1, 3)],
    ),
    (
        "template key",
        "f(process.env[`API_KEY`]);",
        [("API_KEY", "required", "subscript", "process.env", 1, 3)],
    ),
    (
        "nullish default",
        'const a = process.env.PORT ?? "3000";',
        [("PORT", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "or default",
        'const a = process.env.PORT || "3000";',
        [("PORT", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "converted then defaulted",
        "const p = Number(process.env.PORT) || 3000;",
        [("PORT", "optional", "member", "process.env", 1, 18)],
    ),
    (
        "tested in if",
        "if (process.env.SENTRY_DSN) init();",
        [("SENTRY_DSN", "optional", "member", "process.env", 1, 5)],
    ),
    (
        "compared",
        'const p = process.env.NODE_ENV === "production";',
        [("NODE_ENV", "optional", "member", "process.env", 1, 11)],
    ),
    ("negated", "if (!process.env.CI) run();", [("CI", "optional", "member", "process.env", 1, 6)]),
    (
        "ternary test",
        'const u = process.env.X ? "a" : "b";',
        [("X", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "non-null is required",
        "const k = process.env.KEY!;",
        [("KEY", "required", "member", "process.env", 1, 11)],
    ),
    (
        "used is required",
        "const k = process.env.KEY.split(',');",
        [("KEY", "required", "member", "process.env", 1, 11)],
    ),
    ("write is not a read", 'process.env.X = "1"; delete process.env.Y;', []),
    (
        "dynamic",
        "const v = process.env[name];",
        [(None, "dynamic", "dynamic", "process.env", 1, 11)],
    ),
    (
        "destructuring",
        'const { A, B = "d", C: c, D: d = "x" } = process.env;',
        [
            ("A", "required", "destructure", "process.env", 1, 9),
            ("B", "optional", "destructure", "process.env", 1, 12),
            ("C", "required", "destructure", "process.env", 1, 21),
            ("D", "optional", "destructure", "process.env", 1, 27),
        ],
    ),
    (
        "import.meta.env",
        "const u = import.meta.env.VITE_API;",
        [("VITE_API", "required", "member", "import.meta.env", 1, 11)],
    ),
    ("vite builtins are not env", "const d = import.meta.env.DEV && import.meta.env.MODE;", []),
    (
        "Deno.env.get",
        'const k = Deno.env.get("DENO_KEY");',
        [("DENO_KEY", "required", "call", "Deno.env", 1, 11)],
    ),
    (
        "Deno.env.get default",
        'const k = Deno.env.get("DENO_KEY") ?? "";',
        [("DENO_KEY", "optional", "call", "Deno.env", 1, 11)],
    ),
    (
        "Bun.env",
        "const k = Bun.env.BUN_KEY;",
        [("BUN_KEY", "required", "member", "Bun.env", 1, 11)],
    ),
    (
        "cast",
        "const k = (process.env as Env).TOKEN;",
        [("TOKEN", "required", "member", "process.env", 1, 11)],
    ),
    (
        "t3-env createEnv",
        'import { createEnv } from "@t3-oss/env-nextjs";\n'
        "export const env = createEnv({\n"
        "  server: { DB_URL: z.string().url(), LOG: z.string().default('info') },\n"
        "  client: { NEXT_PUBLIC_X: z.string().optional() },\n"
        "  runtimeEnv: { DB_URL: process.env.DB_URL, LOG: process.env.LOG },\n"
        "});",
        [
            ("DB_URL", "required", "schema", "t3-env", 3, 13),
            ("LOG", "optional", "schema", "t3-env", 3, 39),
            ("NEXT_PUBLIC_X", "optional", "schema", "t3-env", 4, 13),
        ],
    ),
    (
        "envalid cleanEnv",
        'import { cleanEnv, str, port } from "envalid";\n'
        'const env = cleanEnv(process.env, { API: str(), HOST: str({ default: "" }), '
        "PORT: port({ devDefault: 3000 }) });",
        [
            ("API", "required", "schema", "envalid", 2, 37),
            ("HOST", "optional", "schema", "envalid", 2, 49),
            ("PORT", "required", "schema", "envalid", 2, 77),
        ],
    ),
    (
        "zod parse",
        "const env = z.object({ DB: z.string(), N: z.coerce.number().default(1) })"
        ".parse(process.env);",
        [("DB", "required", "schema", "zod", 1, 24), ("N", "optional", "schema", "zod", 1, 40)],
    ),
    (
        "zod schema const safeParse",
        "const schema = z.object({ SECRET: z.string(), OPT: z.string().optional() });\n"
        "const parsed = schema.safeParse(process.env);",
        [
            ("SECRET", "required", "schema", "zod", 1, 27),
            ("OPT", "optional", "schema", "zod", 1, 47),
        ],
    ),
    (
        "SvelteKit static",
        "import { DB_URL, API_KEY as key } from '$env/static/private';\n"
        "import { PUBLIC_X } from '$env/static/public';",
        [
            ("DB_URL", "required", "import", "$env/static/private", 1, 10),
            ("API_KEY", "required", "import", "$env/static/private", 1, 18),
            ("PUBLIC_X", "required", "import", "$env/static/public", 2, 10),
        ],
    ),
    (
        "SvelteKit dynamic",
        "import { env } from '$env/dynamic/private';\nconst k = env.SECRET ?? '';",
        [("SECRET", "optional", "member", "$env/dynamic/private", 2, 11)],
    ),
    (
        # open-saas: Wasp's validated env objects, the server's and the client's
        "Wasp env",
        'import { env, HttpError } from "wasp/server";\n'
        "export const stripe = new Stripe(env.STRIPE_API_KEY);\n"
        'import { env as clientEnv } from "wasp/client";\n'
        "const ga = clientEnv.REACT_APP_GA_ID ?? '';",
        [
            ("STRIPE_API_KEY", "required", "member", "wasp/server", 2, 34),
            ("REACT_APP_GA_ID", "optional", "member", "wasp/client", 4, 12),
        ],
    ),
]


@pytest.mark.parametrize(("label", "source", "expected"), JS_CASES, ids=[c[0] for c in JS_CASES])
def test_js_read_forms(tmp_path: Path, label: str, source: str, expected: list[Row]) -> None:
    assert _reads(tmp_path, "index.ts", source) == expected


def test_dynamic_read_keeps_the_fixed_prefix(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("const v = process.env[`NEXT_PUBLIC_${name}`];\n")
    (read,) = scan(tmp_path, root=tmp_path, use_cache=False).reads
    assert (read.key, read.kind, read.pattern) == (None, "dynamic", "NEXT_PUBLIC_*")


PY_CASES: list[tuple[str, str, list[Row]]] = [
    (
        "environ subscript",
        'import os\nX = os.environ["DB_URL"]',
        [("DB_URL", "required", "subscript", "os.environ", 2, 5)],
    ),
    (
        "environ.get",
        'import os\nX = os.environ.get("DB_URL")',
        [("DB_URL", "required", "call", "os.environ", 2, 5)],
    ),
    (
        "environ.get default",
        'import os\nX = os.environ.get("DB_URL", "sqlite://")',
        [("DB_URL", "optional", "call", "os.environ", 2, 5)],
    ),
    (
        "getenv",
        'import os\nX = os.getenv("TOKEN")',
        [("TOKEN", "required", "call", "os.getenv", 2, 5)],
    ),
    (
        "getenv default",
        'import os\nX = os.getenv("TOKEN", "")',
        [("TOKEN", "optional", "call", "os.getenv", 2, 5)],
    ),
    (
        "getenv or",
        'import os\nX = os.getenv("TOKEN") or "x"',
        [("TOKEN", "optional", "call", "os.getenv", 2, 5)],
    ),
    (
        "from os import",
        'from os import environ, getenv\nA = environ["A"]\nB = getenv("B", "b")',
        [
            ("A", "required", "subscript", "os.environ", 2, 5),
            ("B", "optional", "call", "os.getenv", 3, 5),
        ],
    ),
    (
        "membership",
        'import os\nif "FLAG" in os.environ:\n    pass',
        [("FLAG", "optional", "subscript", "os.environ", 2, 4)],
    ),
    (
        "write is not a read",
        'import os\nos.environ["X"] = "1"\nos.environ.setdefault("Y", "2")',
        [],
    ),
    (
        "dynamic",
        "import os\nX = os.environ[name]",
        [(None, "dynamic", "dynamic", "os.environ", 2, 5)],
    ),
    (
        "django-environ",
        "import environ\nenv = environ.Env(DEBUG=(bool, False))\n"
        "D = env('DEBUG')\nS = env('SECRET_KEY')\n"
        "B = env.bool('FAST', default=True)\nDB = env.db()\nH = env.list('HOSTS', default=[])",
        [
            ("DEBUG", "optional", "call", "django-environ", 3, 5),
            ("SECRET_KEY", "required", "call", "django-environ", 4, 5),
            ("FAST", "optional", "call", "django-environ", 5, 5),
            ("DATABASE_URL", "required", "call", "django-environ", 6, 6),
            ("HOSTS", "optional", "call", "django-environ", 7, 5),
        ],
    ),
    ("an env() not django-environ's", "def env(x):\n    return x\nA = env('A')", []),
]


@pytest.mark.parametrize(("label", "source", "expected"), PY_CASES, ids=[c[0] for c in PY_CASES])
def test_python_read_forms(tmp_path: Path, label: str, source: str, expected: list[Row]) -> None:
    assert _reads(tmp_path, "settings.py", source) == expected


def test_required_keys_and_reads_of(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("process.env.A; process.env.B ?? 1; process.env.A || 2;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.required_keys() == ("A",)
    assert [(r.kind, r.col) for r in facts.reads_of("A")] == [("required", 1), ("optional", 36)]
    assert facts.keys() == ("A", "B")


# -- GUARDED-READ (survey, issue #25/#26): a read the code checks before use is optional ------

Kinds = list[tuple[str | None, str]]

JS_GUARDS: list[tuple[str, str, Kinds]] = [
    (
        "const tested before use",
        "function f() {\n  const k = process.env.K;\n  if (!k) {\n    return null;\n  }\n"
        "  return k;\n}",
        [("K", "optional")],
    ),
    (
        "const with a ?? on first use",
        "const k = process.env.K;\nexport const v = k ?? 'd';",
        [("K", "optional")],
    ),
    (
        "const tested in a later statement",
        "const k = process.env.K;\nsend(k);\nif (k) log();",
        [("K", "optional")],
    ),
    (
        "const used and never tested",
        "const k = process.env.K;\nsend(k);\nlog(k);",
        [("K", "required")],
    ),
    (
        "const whose later test throws",
        "function f() {\n  const k = process.env.K;\n  send(k);\n"
        "  if (!k) throw new Error('K');\n}",
        [("K", "required")],
    ),
    (
        "const compared with a value later",
        "const k = process.env.K;\nsend(k);\nif (k === 's3') log();",
        [("K", "required")],
    ),
    ("const never used", "export const K = process.env.K;", [("K", "required")]),
    (
        "const whose test throws",
        "const k = process.env.K;\nif (!k) throw new Error('K is required');",
        [("K", "required")],
    ),
    (
        "ternary branch",
        "export const b = process.env.B\n  ? process.env.B.replace(/x/, '')\n  : '/';",
        [("B", "optional"), ("B", "optional")],
    ),
    ("and branch", "f(process.env.B && process.env.B.split(','));", [("B", "optional")] * 2),
    (
        "if branch",
        "if (process.env.B) {\n  f(`https://${process.env.B}`);\n}",
        [("B", "optional")] * 2,
    ),
    (
        "else branch of a negated test",
        "if (!process.env.B) {\n  g();\n} else {\n  f(process.env.B.trim());\n}",
        [("B", "optional")] * 2,
    ),
    (
        "after an early return",
        "function f() {\n  if (!process.env.B) return;\n  return process.env.B.trim();\n}",
        [("B", "optional")] * 2,
    ),
    (
        "compared with undefined",
        "f(process.env.B !== undefined ? process.env.B.trim() : 'd');",
        [("B", "optional")] * 2,
    ),
    (
        "typeof compared",
        "f(typeof process.env.B === 'string' ? process.env.B.trim() : 'd');",
        [("B", "optional")] * 2,
    ),
    ("Boolean()", "export const on = Boolean(process.env.B);", [("B", "optional")]),
    ("optional chaining", "export const t = process.env.B?.trim();", [("B", "optional")]),
    (
        "a throwing test is a requirement",
        "if (!process.env.B) {\n  throw new Error('B');\n}\nf(process.env.B.trim());",
        [("B", "required"), ("B", "optional")],
    ),
    (
        "process.exit is a requirement",
        "if (!process.env.B) {\n  console.error('B');\n  process.exit(1);\n}",
        [("B", "required")],
    ),
    # a test of another key makes a feature of the read: needed only when A turns it on
    (
        "a test of another key",
        "if (process.env.A) {\n  f(process.env.B.trim());\n}",
        [("A", "optional"), ("B", "feature")],
    ),
    (
        "a mode is no feature",
        "if (process.env.A === 'production') {\n  f(process.env.B.trim());\n}",
        [("A", "optional"), ("B", "required")],
    ),
    (
        "after a throw for another key",
        "if (!process.env.A) throw new Error('A');\nf(process.env.B.trim());",
        [("A", "required"), ("B", "required")],
    ),
    # negative controls: the wrong branch guards nothing
    (
        "the else branch of a positive test",
        "if (process.env.B) {\n  g();\n} else {\n  f(process.env.B.trim());\n}",
        [("B", "optional"), ("B", "required")],
    ),
    (
        "an early return that may fall through",
        "function f() {\n  if (!process.env.B) log();\n  return process.env.B.trim();\n}",
        [("B", "optional"), ("B", "required")],
    ),
]


@pytest.mark.parametrize(("label", "source", "expected"), JS_GUARDS, ids=[c[0] for c in JS_GUARDS])
def test_js_guarded_reads(tmp_path: Path, label: str, source: str, expected: Kinds) -> None:
    assert [(key, kind) for key, kind, *_ in _reads(tmp_path, "index.ts", source)] == expected


# GUARDED-ELSEWHERE (docs/survey.md): the test is in another function of the module, or on a
# module constant built from the read's truthiness.
JS_ELSEWHERE: list[tuple[str, str, Kinds]] = [
    (
        "a module flag guards a read",  # umami src/lib/redis.ts
        "const enabled = !!process.env.REDIS_URL;\n"
        "export function client() {\n  if (enabled) {\n    return connect(process.env.REDIS_URL);\n"
        "  }\n}",
        [("REDIS_URL", "optional"), ("REDIS_URL", "optional")],
    ),
    (
        "an exported Boolean() flag",
        "export const hasStripe = Boolean(process.env.STRIPE_KEY);\n"
        "export const stripe = hasStripe ? new Stripe(process.env.STRIPE_KEY) : null;",
        [("STRIPE_KEY", "optional"), ("STRIPE_KEY", "optional")],
    ),
    (
        "a flag of two keys in a ternary",  # dub apps/web/lib/upstash/redis.ts
        "const both = !!process.env.A && !!process.env.B;\n"
        "export const url = both ? process.env.A : 'x';\n"
        "export const token = both ? process.env.B : 'y';",
        [("A", "optional"), ("B", "optional"), ("A", "optional"), ("B", "optional")],
    ),
    (
        "flag tested, client built unguarded in another function",  # umami src/lib/kafka.ts
        "const enabled = Boolean(process.env.KAFKA_URL && process.env.KAFKA_BROKER);\n"
        "function getClient() {\n  return new Kafka(process.env.KAFKA_BROKER.split(','));\n}\n"
        "export default { enabled, getClient };",
        [("KAFKA_URL", "optional"), ("KAFKA_BROKER", "optional"), ("KAFKA_BROKER", "optional")],
    ),
    (
        "a configured() predicate next to a getter",  # openstatus sso/client.ts
        "export function configured() {\n  return Boolean(process.env.WORKOS_API_KEY);\n}\n"
        "export function client() {\n  return new WorkOS(process.env.WORKOS_API_KEY);\n}",
        [("WORKOS_API_KEY", "optional"), ("WORKOS_API_KEY", "optional")],
    ),
    (
        "tested through an alias in another function",  # unkey lib/utils/slackAlerts.ts
        "export function a() {\n  const url = process.env.HOOK;\n  if (!url) {\n    return;\n  }\n"
        "  post(url);\n}\nexport function b() {\n  return post(process.env.HOOK);\n}",
        [("HOOK", "optional"), ("HOOK", "optional")],
    ),
    (
        "a lookup table whose lookup is tested",  # dub packages/utils/src/functions/log.ts
        "const hooks = {\n  alerts: process.env.HOOK_ALERTS,\n"
        "  errors: process.env.HOOK_ERRORS,\n};\n"
        "export function log(type) {\n  const hook = hooks[type];\n  if (!hook) return;\n"
        "  return fetch(hook);\n}",
        [("HOOK_ALERTS", "optional"), ("HOOK_ERRORS", "optional")],
    ),
    (
        "Deno.env.has in a predicate",  # saaskit utils/stripe.ts
        'const KEY = Deno.env.get("STRIPE_SECRET_KEY");\n'
        'export function enabled() {\n  return Deno.env.has("STRIPE_SECRET_KEY");\n}\n'
        "export const stripe = new Stripe(KEY!);",
        [("STRIPE_SECRET_KEY", "optional"), ("STRIPE_SECRET_KEY", "optional")],
    ),
    # negative controls: the same function's branches decide; a failing test, a comparison
    # with a value, a default, a lookup used unguarded and a mutable flag guard nothing
    (
        "a module-level test that throws",
        "export function f() {\n  return Boolean(process.env.DB);\n}\n"
        "export function g() {\n  return connect(process.env.DB);\n}\n"
        "if (!process.env.DB) {\n  throw new Error('DB');\n}",
        [("DB", "optional"), ("DB", "required"), ("DB", "required")],
    ),
    (
        "a comparison with a value elsewhere",
        "export function s3() {\n  return process.env.STORE === 's3';\n}\n"
        "export function open() {\n  return use(process.env.STORE.trim());\n}",
        [("STORE", "optional"), ("STORE", "required")],
    ),
    (
        "a default elsewhere",
        "export const port = process.env.PORT ?? '3000';\n"
        "export function listen() {\n  return serve(process.env.PORT.trim());\n}",
        [("PORT", "optional"), ("PORT", "required")],
    ),
    (
        "a lookup table used unguarded",
        "const urls = { api: process.env.API_URL };\n"
        "export function get(kind) {\n  return fetch(urls[kind]);\n}",
        [("API_URL", "required")],
    ),
    (
        "a let flag is not a constant",
        "let enabled = !!process.env.A;\nenabled = true;\n"
        "if (enabled) {\n  f(process.env.B.trim());\n}",
        [("A", "optional"), ("B", "required")],
    ),
    (
        "a flag of another key",
        "const enabled = !!process.env.A;\nif (enabled) {\n  f(process.env.B.trim());\n}",
        [("A", "optional"), ("B", "feature")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), JS_ELSEWHERE, ids=[c[0] for c in JS_ELSEWHERE]
)
def test_js_reads_tested_elsewhere_in_the_module(
    tmp_path: Path, label: str, source: str, expected: Kinds
) -> None:
    assert [(key, kind) for key, kind, *_ in _reads(tmp_path, "index.ts", source)] == expected


# PLUGIN-OPTION / OPTIONAL-CONFIG (docs/survey.md): where an undefined value is by design.
JS_OPTIONS: list[tuple[str, str, Kinds]] = [
    (
        "Sentry.init dsn",  # openstatus apps/*/instrumentation-client.ts
        'import * as Sentry from "@sentry/nextjs";\n'
        "Sentry.init({ dsn: process.env.NEXT_PUBLIC_SENTRY_DSN, tracesSampleRate: 0.5 });",
        [("NEXT_PUBLIC_SENTRY_DSN", "optional")],
    ),
    (
        "named init, required()",
        'const { init } = require("@sentry/node");\ninit({ dsn: process.env.SENTRY_DSN });',
        [("SENTRY_DSN", "optional")],
    ),
    (
        "hono sentry middleware",  # openstatus apps/server/src/index.ts
        'import { sentry } from "@hono/sentry";\n'
        'app.use("*", sentry({ dsn: process.env.SENTRY_DSN }));',
        [("SENTRY_DSN", "optional")],
    ),
    (
        "withSentryConfig build options",  # midday, polar next.config
        'import { withSentryConfig } from "@sentry/nextjs";\n'
        "export default withSentryConfig(config, {\n  org: process.env.SENTRY_ORG,\n"
        "  project: process.env.SENTRY_PROJECT,\n  authToken: process.env.SENTRY_AUTH_TOKEN,\n});",
        [
            ("SENTRY_ORG", "optional"),
            ("SENTRY_PROJECT", "optional"),
            ("SENTRY_AUTH_TOKEN", "optional"),
        ],
    ),
    (
        "plugin options in a module constant",  # epic-stack vite.config.ts
        'import { sentryReactRouter } from "@sentry/react-router";\n'
        "const sentryConfig = {\n  authToken: process.env.SENTRY_AUTH_TOKEN,\n"
        "  org: process.env.SENTRY_ORG,\n};\n"
        "export const plugins = [sentryReactRouter(sentryConfig, c)];",
        [("SENTRY_AUTH_TOKEN", "optional"), ("SENTRY_ORG", "optional")],
    ),
    (
        "sentryVitePlugin",
        'import { sentryVitePlugin } from "@sentry/vite-plugin";\n'
        "export const p = sentryVitePlugin({ authToken: process.env.SENTRY_AUTH_TOKEN });",
        [("SENTRY_AUTH_TOKEN", "optional")],
    ),
    (
        "posthog-js init key",
        'import posthog from "posthog-js";\n'
        "posthog.init(process.env.NEXT_PUBLIC_POSTHOG_KEY, {\n"
        "  api_host: process.env.NEXT_PUBLIC_POSTHOG_HOST,\n});",
        [("NEXT_PUBLIC_POSTHOG_KEY", "optional"), ("NEXT_PUBLIC_POSTHOG_HOST", "optional")],
    ),
    (
        "config returned as JSON",  # umami src/app/api/config/route.ts
        "export async function GET() {\n  return json({\n    faviconUrl: process.env.FAVICON_URL,\n"
        "    nested: { links: process.env.LINKS_URL },\n  });\n}",
        [("FAVICON_URL", "optional"), ("LINKS_URL", "optional")],
    ),
    (
        "Response.json and JSON.stringify",
        "export const a = Response.json({ v: process.env.APP_VERSION });\n"
        "export const b = JSON.stringify({ r: process.env.REGION });",
        [("APP_VERSION", "optional"), ("REGION", "optional")],
    ),
    # negative controls: a client that throws without its key, an option the table does
    # not list, the same names from another module, an object that is not serialised
    (
        "OpenAI apiKey stays required",
        'import OpenAI from "openai";\n'
        "export const ai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });",
        [("OPENAI_API_KEY", "required")],
    ),
    (
        "an option Sentry does not list",
        'import * as Sentry from "@sentry/node";\n'
        "Sentry.init({ dsn: process.env.SENTRY_DSN, beforeSend: hooks[process.env.HOOK.trim()] });",
        [("SENTRY_DSN", "optional"), ("HOOK", "required")],
    ),
    (
        "init of another module",
        'import { init } from "./db";\ninit({ dsn: process.env.DATABASE_URL });',
        [("DATABASE_URL", "required")],
    ),
    (
        "an object passed to a client",
        'import { createClient } from "redis";\n'
        "export const r = createClient({ url: process.env.REDIS_URL });",
        [("REDIS_URL", "required")],
    ),
    (
        "JSON of a value, not an object",
        "export const b = JSON.stringify(process.env.PAYLOAD.trim());",
        [("PAYLOAD", "required")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), JS_OPTIONS, ids=[c[0] for c in JS_OPTIONS]
)
def test_js_reads_passed_where_undefined_is_by_design(
    tmp_path: Path, label: str, source: str, expected: Kinds
) -> None:
    assert [(key, kind) for key, kind, *_ in _reads(tmp_path, "index.ts", source)] == expected


def test_the_optional_options_table_is_one_documented_place() -> None:
    from envcheck.code.optional_options import OPTIONAL_OPTIONS, is_optional_option

    assert all(row.why and row.options for row in OPTIONAL_OPTIONS)
    assert is_optional_option("@sentry/bun", "init", 0, "dsn")
    assert not is_optional_option("@sentry/bun", "init", 1, "dsn")
    assert not is_optional_option("openai", "OpenAI", 0, "apiKey")


PY_GUARDS: list[tuple[str, str, Kinds]] = [
    (
        "conditional expression",
        'import json, os\nH = (\n    json.loads(os.environ["H"])\n'
        '    if "H" in os.environ\n    else None\n)',
        [("H", "optional"), ("H", "optional")],
    ),
    (
        "if body",
        'import os\nif "A" in os.environ:\n    A = os.environ["A"]',
        [("A", "optional"), ("A", "optional")],
    ),
    (
        "if .get() body",
        'import os\nif os.environ.get("A"):\n    A = os.environ["A"].split(",")',
        [("A", "optional"), ("A", "optional")],
    ),
    (
        "after an early return",
        'import os\ndef f():\n    if "B" not in os.environ:\n        return None\n'
        '    return os.environ["B"]',
        [("B", "optional"), ("B", "optional")],
    ),
    (
        "and operand",
        'import os\nE = os.environ.get("E") and os.environ["E"].split()',
        [("E", "optional"), ("E", "optional")],
    ),
    (
        "a raising test is a requirement",
        'import os\nif "C" not in os.environ:\n    raise SystemExit("C")\nC = os.environ["C"]',
        [("C", "required"), ("C", "optional")],
    ),
    (
        "a test of another key: a feature",
        'import os\nif "A" in os.environ:\n    B = os.environ["B"]',
        [("A", "optional"), ("B", "feature")],
    ),
    # negative controls
    (
        "a mode is no feature",
        'import os\nif os.getenv("A") == "prod":\n    B = os.environ["B"]',
        [("A", "optional"), ("B", "required")],
    ),
    (
        "after a raise for another key",
        'import os\nif "A" not in os.environ:\n    raise SystemExit(1)\nB = os.environ["B"]',
        [("A", "required"), ("B", "required")],
    ),
    (
        "the else branch",
        'import os\nif "A" in os.environ:\n    pass\nelse:\n    A = os.environ["A"]',
        [("A", "optional"), ("A", "required")],
    ),
    ("plain subscript", 'import os\nD = os.environ["D"]', [("D", "required")]),
]


@pytest.mark.parametrize(("label", "source", "expected"), PY_GUARDS, ids=[c[0] for c in PY_GUARDS])
def test_python_guarded_reads(tmp_path: Path, label: str, source: str, expected: Kinds) -> None:
    assert [(key, kind) for key, kind, *_ in _reads(tmp_path, "settings.py", source)] == expected


SCHEMA_DEFAULTS: list[tuple[str, str, Kinds]] = [
    (
        "zod 4 prefault",
        'export const env = z.object({ A: z.string().prefault("x") }).parse(process.env);',
        [("A", "optional")],
    ),
    (
        "arrow helper wrapping default",
        "const stringBool = (f: string) =>\n"
        '  z.string().default(f).transform((s) => s === "true");\n'
        'export const env = z.object({ DEMO: stringBool("false") }).parse(process.env);',
        [("DEMO", "optional")],
    ),
    (
        "function helper returning optional",
        "function maybeUrl() {\n  return z.string().url().optional();\n}\n"
        "export const env = z.object({ U: maybeUrl().describe('u') }).parse(process.env);",
        [("U", "optional")],
    ),
    (
        "a schema const with a default",
        "const port = z.coerce.number().default(3000);\n"
        "export const env = z.object({ PORT: port }).parse(process.env);",
        [("PORT", "optional")],
    ),
    (
        "optional on one branch of a ternary",  # openstatus packages/api/src/env.ts
        'const isSelfHost = process.env.SELF_HOST === "true";\n'
        "export const env = z.object({\n  KEY: isSelfHost ? z.string().optional() : z.string(),\n"
        "}).parse(process.env);",
        [("SELF_HOST", "optional"), ("KEY", "optional")],
    ),
    (
        "required on both branches of a ternary",
        "export const env = z.object({ KEY: a ? z.string().url() : z.string() })"
        ".parse(process.env);",
        [("KEY", "required")],
    ),
    (
        "a parse with a catch default",
        "export const on = z.stringbool().catch(false).parse(process.env.SELF_HOST);",
        [("SELF_HOST", "optional")],
    ),
    (
        "a helper without a default is required",
        "const url = () => z.string().url();\n"
        "export const env = z.object({ DB: url() }).parse(process.env);",
        [("DB", "required")],
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), SCHEMA_DEFAULTS, ids=[c[0] for c in SCHEMA_DEFAULTS]
)
def test_schema_defaults_through_local_helpers(
    tmp_path: Path, label: str, source: str, expected: Kinds
) -> None:
    assert [(key, kind) for key, kind, *_ in _reads(tmp_path, "env.ts", source)] == expected


# -- TEST-READ: whose requirement a read is -----------------------------------------------------

CONTEXTS = [
    ("src/app/page.tsx", "app"),
    ("next.config.ts", "app"),
    ("drizzle.config.ts", "app"),
    ("tests/utils/env.ts", "test"),
    ("test/setup.js", "test"),
    ("src/__tests__/a.ts", "test"),
    ("e2e/login.ts", "test"),
    ("playwright/auth.spec.ts", "test"),
    ("cypress/support/e2e.ts", "test"),
    ("src/logger.test.ts", "test"),
    ("src/logger.spec.tsx", "test"),
    ("src/Button.stories.tsx", "test"),
    ("app/test_settings.py", "test"),
    ("app/settings_test.py", "test"),
    ("conftest.py", "test"),
    ("scripts/seed.ts", "script"),
    ("src/scripts/migrate.ts", "script"),
    (".github/scripts/release.js", "script"),
    ("vitest.config.ts", "config"),
    ("jest.config.js", "config"),
    ("playwright.config.ts", "config"),
    (".storybook/main.ts", "config"),
]


@pytest.mark.parametrize(("rel", "context"), CONTEXTS, ids=[c[0] for c in CONTEXTS])
def test_context_of_a_file(rel: str, context: str) -> None:
    from envcheck.code.sides import context_of

    assert context_of(rel) == context


def test_reads_carry_their_context(tmp_path: Path) -> None:
    for rel in ("src/a.ts", "tests/b.ts", "scripts/c.ts", "vitest.config.ts"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("export const v = process.env.V;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert [(r.file, r.context) for r in facts.reads] == [
        ("scripts/c.ts", "script"),
        ("src/a.ts", "app"),
        ("tests/b.ts", "test"),
        ("vitest.config.ts", "config"),
    ]
    assert facts.required_keys() == ("V",)  # the app's read; the others add nothing


def test_a_test_read_alone_is_no_requirement(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "b.ts").write_text("export const v = process.env.E2E_TOKEN;\n")
    assert scan(tmp_path, root=tmp_path, use_cache=False).required_keys() == ()


# -- WINDOW-GUARD, VITE-LIB, NEXT-CONFIG-ENV: sides and config facts ----------------------------

CLIENT_MODULE = (
    "'use client';\n"
    "const isServer = typeof window === 'undefined';\n"
    "function base() {\n"
    "  if (typeof window !== 'undefined') {\n    return '';\n  }\n"
    "  return process.env.AFTER_RETURN;\n}\n"
    "if (typeof window === 'undefined') {\n  f(process.env.INSIDE);\n}\n"
    "f(typeof window !== 'undefined' ? '' : process.env.TERNARY);\n"
    "if (isServer) f(process.env.NAMED);\n"
    "export const shown = process.env.OUTSIDE;\n"
    "if (typeof window !== 'undefined') f(process.env.BROWSER_BRANCH);\n"
)


def test_a_typeof_window_guard_puts_its_server_branch_on_the_server(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "provider.tsx").write_text(CLIENT_MODULE)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert [(r.key, r.side) for r in facts.reads] == [
        ("AFTER_RETURN", "server"),
        ("INSIDE", "server"),
        ("TERNARY", "server"),
        ("NAMED", "server"),
        ("OUTSIDE", "client"),
        ("BROWSER_BRANCH", "client"),
    ]


VITE_PACKAGES = [
    (
        "library mode",
        {"vite.config.ts": "export default defineConfig({ build: { lib: { entry: 'a' } } });"},
        "server",
    ),
    (
        "ssr build",
        {"vite.config.mjs": "export default { build: { ssr: 'src/server.ts' } };"},
        "server",
    ),
    ("vite only for vitest", {}, "server"),
    ("a browser app with index.html", {"index.html": "<div id=app></div>"}, "client"),
    (
        "a browser app served by a script",
        {
            "vite.config.ts": "export default defineConfig({ build: { outDir: 'web' } });",
            "package.json": '{"scripts": {"dev": "vite --port 3000"},'
            ' "devDependencies": {"vite": "6.0.0"}}',
        },
        "client",
    ),
    (
        # trigger.dev's packages/cli-v3: a Node CLI built with tshy, its vite.config.ts only
        # vitest's (`defineConfig` from "vitest/config"), no index.html
        "a node cli tested with vitest",
        {
            "vite.config.ts": 'import { defineConfig } from "vitest/config";\n'
            "export default defineConfig({ test: { globals: true } });",
            "package.json": '{"type": "module", "bin": {"cli": "./dist/index.js"},'
            ' "scripts": {"build": "tshy", "dev": "tshy --watch", "test": "vitest"},'
            ' "devDependencies": {"tshy": "4.1.3", "vitest": "3.0.0"}}',
        },
        "server",
    ),
]


@pytest.mark.parametrize(
    ("label", "files", "side"), VITE_PACKAGES, ids=[c[0] for c in VITE_PACKAGES]
)
def test_vite_library_or_test_only_package_is_not_browser_code(
    tmp_path: Path, label: str, files: dict[str, str], side: str
) -> None:
    (tmp_path / "package.json").write_text(
        '{"devDependencies": {"vite": "6.0.0", "vitest": "3.0.0"}}'
    )
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "constants.ts").write_text("export const S = process.env.S3_SECRET;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert [(r.key, r.side) for r in facts.reads if r.file.startswith("src/")] == [
        ("S3_SECRET", side)
    ]


def test_next_config_env_keys_are_inlined(tmp_path: Path) -> None:
    (tmp_path / "next.config.ts").write_text(
        "const cloudUrl = process.env.CLOUD_URL || '';\n"
        "export default { env: { cloudUrl, 'selfTrack': 'on', version: pkg.version } };\n"
    )
    (tmp_path / "lib.ts").write_text("export const other = { env: { notNext: 1 } };\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.inlined == ("cloudUrl", "selfTrack", "version")
