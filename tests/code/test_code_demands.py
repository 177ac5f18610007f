"""What a JS/TS read demands of the environment, from the survey's EMPTY-ACCEPTED,
OPTIONAL-CONFIG, SCHEMA-DEFAULT and GUARDED-READ classes, with the real grammars and,
for the rules, the real CLI.

* A validator's key may be *present* and still take the empty string: zod's
  ``z.string()`` passes ``""`` (only ``.min(1)``, ``.url()``, ``z.enum([...])``, ... fail
  it), so ``KEY=`` shipped by the template is no EC302 (unkey's ``UNKEY_API_ID``).
* A read placed where ``undefined`` is the documented default: a property the local
  TypeScript type declares optional (``name?: string``), a cookie's ``domain``, nodemailer's
  ``tls.servername``; a read inside a block the app's own state switches on by the key's
  feature (``providers.includes("openid") && ...VITE_OPENID_NAME``).
* A read handed to a project helper with a fallback argument (``parseEnvBoolean(X, false)``).

Each snippet is the shape of a real project's file (named in the comment).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import scan
from tests.harness import NEXT_PACKAGE as NEXT
from tests.harness import findings
from tests.harness import isolated as envcheck
from tests.harness import write_project as _project


def _reads(tmp_path: Path, name: str, source: str) -> dict[str | None, tuple[str, bool]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return {r.key: (r.kind, r.rejects_empty) for r in facts.reads}


ZOD_ENV = (  # unkey web/apps/dashboard/lib/env.ts, openstatus apps/web/src/env.ts
    'import { z } from "zod";\n'
    "export const env = () => z.object({\n"
    "  UNKEY_API_ID: z.string(),\n"
    '  VERCEL_ENV: z.enum(["development", "preview", "production"]).optional(),\n'
    "  VAULT_URL: z.url(),\n"
    "  VAULT_TOKEN: z.string().min(1),\n"
    "  TOKEN_OPT: z.string().min(1).optional(),\n"
    "  LABEL: z.string().trim().max(20),\n"
    "  NONEMPTY: z.string().nonempty(),\n"
    "  SLUG: z.string().regex(/^[a-z]+$/),\n"
    "  ANY_TEXT: z.string().regex(/^.*$/),\n"
    '  MODE: z.enum(["", "a"]),\n'
    "  PORT: z.coerce.number(),\n"
    "  COUNT: z.number(),\n"
    "  REFINED: z.string().refine((v) => v.length > 2),\n"
    # inbox-zero apps/web/env.ts: blank means unset, and a helper of another file
    '  QUEUE_BACKEND: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["a"]).optional()),\n'
    "  RESEND_ON: booleanString.optional(),\n"
    "  FLAG: booleanString,\n"
    "}).parse(process.env);\n"
)


def test_zod_schema_keys_say_whether_they_take_the_empty_string(tmp_path: Path) -> None:
    reads = _reads(tmp_path, "lib/env.ts", ZOD_ENV)
    assert reads == {
        "UNKEY_API_ID": ("required", False),
        "VERCEL_ENV": ("optional", True),
        "VAULT_URL": ("required", True),
        "VAULT_TOKEN": ("required", True),
        "TOKEN_OPT": ("optional", True),
        "LABEL": ("required", False),
        "NONEMPTY": ("required", True),
        "SLUG": ("required", True),
        "ANY_TEXT": ("required", False),
        "MODE": ("required", False),
        "PORT": ("required", False),
        "COUNT": ("required", True),
        "REFINED": ("required", True),
        "QUEUE_BACKEND": ("optional", False),
        "RESEND_ON": ("optional", False),
        "FLAG": ("required", True),
    }


def test_t3_env_blank_as_unset_and_envalid_str(tmp_path: Path) -> None:
    t3 = (  # openstatus packages/db/env.mjs, with the option t3-env documents
        'import { createEnv } from "@t3-oss/env-core";\nimport { z } from "zod";\n'
        "export const env = createEnv({\n"
        "  server: { CLICKHOUSE_URL: z.string(), CLICKHOUSE_NAME: z.string().optional() },\n"
        "  runtimeEnv: process.env,\n  emptyStringAsUndefined: true,\n});\n"
    )
    assert _reads(tmp_path, "env.mjs", t3) == {
        "CLICKHOUSE_URL": ("required", True),
        "CLICKHOUSE_NAME": ("optional", False),
    }
    envalid = (
        'import { cleanEnv, str, url } from "envalid";\n'
        "export const env = cleanEnv(process.env, {\n"
        '  NAME: str(),\n  LEVEL: str({ choices: ["debug", "info"] }),\n  API: url(),\n});\n'
    )
    (tmp_path / "env.mjs").unlink()
    assert _reads(tmp_path, "env.ts", envalid) == {
        "NAME": ("required", False),
        "LEVEL": ("required", True),
        "API": ("required", True),
    }


def _check(project: Path, *codes: str) -> set[tuple[str, str]]:
    """The (code, key) of ``check``'s findings with one of ``codes`` (the whole run: a
    schema rule asks the code facts only when a code rule is on)."""
    out = findings(envcheck(project, "check", "--format", "json"))
    if "EC906" in codes:  # plain reads nothing sets: off by default
        out += findings(envcheck(project, "check", "--format", "json", "--select", "EC906"))
    return {(f["code"], f["key"]) for f in out if f["code"] in codes}


def test_a_template_left_empty_is_no_ec302_for_a_key_zod_takes_empty(tmp_path: Path) -> None:
    """unkey: ``cp .env.example .env`` leaves ``UNKEY_API_ID=`` empty, and the dashboard's
    ``z.string()`` takes it; ``VAULT_TOKEN: z.string().min(1)`` does not."""
    template = "UNKEY_API_ID=\nVAULT_TOKEN=\n"
    source = (
        'import { z } from "zod";\n'
        "export const env = z.object({\n"
        "  UNKEY_API_ID: z.string(),\n  VAULT_TOKEN: z.string().min(1),\n"
        "}).parse(process.env);\n"
    )
    project = _project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env.example": template,
            ".env": template,
            "lib/env.ts": source,
        },
    )
    assert _check(project, "EC302") == {("EC302", "VAULT_TOKEN")}


OPTIONAL_CONFIG: list[tuple[str, str, str, dict[str | None, str]]] = [
    (
        "a constructor parameter type of this file says name?:",  # trigger.dev clickhouse
        "src/index.ts",
        "type Common = { logLevel?: string };\n"
        "export type ClickHouseConfig = ({ name?: string; url?: string } & Common)\n"
        "  | ({ name?: never; writerName?: string; writerUrl: string } & Common);\n"
        "export class ClickHouse {\n  constructor(config: ClickHouseConfig) {}\n"
        "  static fromEnv(): ClickHouse {\n"
        "    return new ClickHouse({\n      writerUrl: process.env.W_URL,\n"
        "      writerName: process.env.W_NAME,\n    });\n  }\n}\n",
        {"W_URL": "required", "W_NAME": "optional"},
    ),
    (
        "the return type of the function says version?:",  # unkey structured-logger.ts
        "lib/logger.ts",
        "export interface BaseLogAttributes {\n  service: string;\n  version?: string;\n"
        "  region: string;\n}\n"
        "function base(): BaseLogAttributes {\n  return {\n    service: 'dashboard',\n"
        "    version: process.env.APP_VERSION,\n    region: process.env.REGION,\n  };\n}\n",
        {"APP_VERSION": "optional", "REGION": "required"},
    ),
    (
        "a cookie's domain",  # rallly apps/web/src/lib/locale/constants.ts
        "lib/constants.ts",
        "export const LOCALE_COOKIE_OPTIONS = {\n  path: '/',\n"
        "  domain: process.env.NEXT_PUBLIC_COOKIE_DOMAIN,\n};\n"
        "export const OTHER = { domain: process.env.MAIL_DOMAIN };\n",
        {"NEXT_PUBLIC_COOKIE_DOMAIN": "optional", "MAIL_DOMAIN": "required"},
    ),
    (
        "nodemailer's tls.servername",  # rallly packages/emails/src/transport.ts
        "src/transport.ts",
        'import { createTransport } from "nodemailer";\n'
        "export const t = createTransport({\n  host: process.env.SMTP_HOST,\n"
        "  tls: { servername: process.env.SMTP_TLS_SERVERNAME },\n});\n",
        {"SMTP_HOST": "required", "SMTP_TLS_SERVERNAME": "optional"},
    ),
    (
        "a flag written as a ternary of true and false",  # linkwarden [...nextauth].ts
        "src/auth.ts",
        "const mailOn = process.env.MAIL_FROM && process.env.MAIL_HOST ? true : false;\n"
        'const named = process.env.NAME_SET ? "yes" : "no";\n'  # both truthy: no flag
        "if (mailOn) send({ server: process.env.MAIL_SERVER, host: process.env.MAIL_HOST });\n"
        "if (named) use(process.env.OTHER_KEY);\n",
        {
            "MAIL_FROM": "optional",
            "MAIL_HOST": "optional",
            "NAME_SET": "optional",
            "MAIL_SERVER": "feature",
            "OTHER_KEY": "required",
        },
    ),
    (
        "better-auth's client baseURL",  # OpenCut packages/auth/src/client.ts
        "src/client.ts",
        'import { createAuthClient } from "better-auth/react";\n'
        "export const { signIn } = createAuthClient({\n"
        "  baseURL: process.env.NEXT_PUBLIC_BETTER_AUTH_URL!,\n"
        "  fetchOptions: { headers: { k: process.env.AUTH_HEADER! } },\n});\n",
        {"NEXT_PUBLIC_BETTER_AUTH_URL": "optional", "AUTH_HEADER": "required"},
    ),
    (
        "nodemailer's SMTP auth",  # linkwarden packages/lib/transporter.ts
        "src/mail.ts",
        'import { createTransport } from "nodemailer";\n'
        "export default createTransport({\n  url: process.env.EMAIL_SERVER,\n"
        "  auth: { user: process.env.EMAIL_FROM, pass: process.env.EMAIL_PASS },\n});\n",
        {"EMAIL_SERVER": "required", "EMAIL_FROM": "optional", "EMAIL_PASS": "optional"},
    ),
    (
        "a block the app's state switches on by the key's feature",  # Reactive-Resume
        "src/social.tsx",  # apps/client/src/pages/auth/_components/social-auth.tsx
        "export const S = ({ providers }) => (\n  <div>\n"
        '    {providers.includes("openid") && (\n      <a href="/api/auth/openid">\n'
        "        {import.meta.env.VITE_OPENID_NAME}\n      </a>\n    )}\n"
        '    {providers.includes("github") && <b>{import.meta.env.VITE_GOOGLE_NAME}</b>}\n'
        "    <p>Tax ID: {import.meta.env.VITE_EIN}</p>\n"  # dub's invoice: printed blank
        '    {kind === "pagerduty" && <a href={import.meta.env.VITE_PAGERDUTY_APP_ID} />}\n'
        "  </div>\n);\n",  # openstatus' channel list: a dispatch over every kind
        {
            "VITE_OPENID_NAME": "feature",
            "VITE_GOOGLE_NAME": "required",
            "VITE_EIN": "required",
            "VITE_PAGERDUTY_APP_ID": "required",
        },
    ),
    (
        "a project helper with a fallback argument",  # Hexabot config.context.tsx
        "src/config.tsx",
        'import { parseEnvBoolean, parseEnvNumber } from "@/utils/env";\n'
        'import { decode } from "./codec";\nconst MB = 1024 * 1024;\n'
        "export const c = {\n"
        "  sso: parseEnvBoolean(import.meta.env.VITE_SSO_ENABLED, false),\n"
        "  max: parseEnvNumber(import.meta.env.VITE_UPLOAD_MAX, 20 * MB),\n"
        '  key: decode(import.meta.env.VITE_KEY, "base64"),\n};\n',
        {"VITE_SSO_ENABLED": "optional", "VITE_UPLOAD_MAX": "optional", "VITE_KEY": "required"},
    ),
]


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [case[1:] for case in OPTIONAL_CONFIG],
    ids=[case[0] for case in OPTIONAL_CONFIG],
)
def test_a_read_the_app_runs_without_is_not_required(
    tmp_path: Path, name: str, source: str, expected: dict[str | None, str]
) -> None:
    reads = _reads(tmp_path, name, source)
    assert {key: kind for key, (kind, _) in reads.items()} == expected


def test_a_safe_parse_stops_nothing_on_the_empty_string(tmp_path: Path) -> None:
    """unkey lib/env.ts: ``githubOAuthSchema.safeParse(process.env)`` hands a failure to
    the code (``parsed.success ? parsed.data : null``); ``.parse`` would throw."""
    source = (
        'import { z } from "zod";\n'
        "const oauth = z.object({ GITHUB_CLIENT_ID: z.string().min(1) });\n"
        "const parsed = oauth.safeParse(process.env);\n"
        "export const env = z.object({ VAULT_TOKEN: z.string().min(1) }).parse(process.env);\n"
    )
    reads = _reads(tmp_path, "lib/env.ts", source)
    assert reads == {
        "GITHUB_CLIENT_ID": ("required", False),
        "VAULT_TOKEN": ("required", True),
    }


def test_check_and_init_leave_a_helper_fallback_and_a_typed_option(tmp_path: Path) -> None:
    """Hexabot's frontend ``config.context.tsx`` and trigger.dev's ClickHouse wrapper: no
    EC901 for the keys the code runs without, and ``init`` drafts them as not required;
    the plain reads beside them are still reported (EC906: nothing says the app needs
    them), and drafted as not required either, as ``check`` judges them."""
    vite = '{"name": "web", "private": true, "devDependencies": {"vite": "6.0.0"}}'
    project = _project(
        tmp_path,
        {
            "package.json": vite,
            "index.html": '<script type="module" src="/src/main.tsx"></script>\n',
            "src/main.tsx": 'import { c } from "./config";\nimport "./clickhouse";\n'
            "console.log(c);\n",
            "src/config.tsx": OPTIONAL_CONFIG[-1][2],
            "src/clickhouse.ts": OPTIONAL_CONFIG[0][2],
        },
    )
    assert _check(project, "EC901", "EC906") == {("EC906", "VITE_KEY"), ("EC906", "W_URL")}
    assert envcheck(project, "init").returncode == 0
    drafted = (project / "envcheck.toml").read_text()
    for key, required in (("VITE_SSO_ENABLED", False), ("W_NAME", False), ("VITE_KEY", False)):
        section = drafted.partition(f"[keys.{key}]")[2].partition("[keys.")[0]
        assert f"required = {'true' if required else 'false'}" in section, (key, drafted)
