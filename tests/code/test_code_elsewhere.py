"""A read whose key the project sets in another place than the app that reads it.

SET-ELSEWHERE (midday, after the README's setup): ``packages/jobs`` (run by ``trigger dev``,
its environment kept in Trigger.dev) and the marketing site (only a ``.env-template``, never
copied) load no env file of the checkout, and were told that nothing sets the
``RESEND_API_KEY`` / ``PLAIN_API_KEY`` they read, which the README has the developer fill in
``apps/api/.env`` and ``apps/dashboard/.env``.  An app that loads no env file takes its
environment from where it runs; a key another app of the project gives a value is set for
the project.  Negative controls: an app that loads a ``.env`` of its own is still told
(its file is where the key belongs), and a key no app sets (or sets empty) is still reported.

Every case runs the real CLI on a real git repository in ``tmp_path``.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import isolated, repository

SECRET = "re_Zq8vR2mK7pL4xT9wN3bH6cJ1dF5gS0aE"  # fake


def _package(name: str, **extra: object) -> str:
    return json.dumps({"name": name, "private": True, **extra})


def _ec901(root: Path) -> set[tuple[str | None, str]]:
    run = isolated(root, "check", "--format", "json", "--select", "EC901,EC906")  # this checkout's
    assert run.returncode in (0, 1), run.stderr
    document = json.loads(run.stdout)
    unset = ("EC901", "EC906")
    return {(f.get("key"), f["path"]) for f in document["findings"] if f["code"] in unset}


JOBS_READ = "packages/jobs/src/utils/resend.ts"


def _midday_shaped(tmp_path: Path, api_env: str, *, jobs_env: str | None = None) -> Path:
    """midday's shape: the API (bun, its own ``.env``) and the jobs package (``trigger
    dev``, no env file) both send mail with ``RESEND_API_KEY``; the jobs package reads it
    in its own code, with no default."""
    files = {
        "package.json": _package("acme", workspaces=["apps/*", "packages/*"]),
        ".gitignore": ".env\n",
        "apps/api/package.json": _package(
            "@acme/api", scripts={"dev": "bun run --hot src/index.ts"}
        ),
        "apps/api/.env-template": "RESEND_API_KEY=\n",
        "apps/api/.env": api_env,
        "apps/api/src/index.ts": "export const key = process.env.RESEND_API_KEY!.trim();\n",
        "packages/jobs/package.json": _package(
            "@acme/jobs", scripts={"dev": "trigger dev"}, dependencies={"dotenv": "16.0.0"}
        ),
        JOBS_READ: (
            'import { Resend } from "resend";\n'
            "export const resend = new Resend(process.env.RESEND_API_KEY!);\n"
        ),
    }
    if jobs_env is not None:
        files["packages/jobs/.env"] = jobs_env
    return repository(tmp_path, files)


def test_a_key_another_app_sets_is_set_for_an_app_that_loads_no_env_file(
    tmp_path: Path,
) -> None:
    found = _ec901(_midday_shaped(tmp_path, f"RESEND_API_KEY={SECRET}\n"))
    assert ("RESEND_API_KEY", JOBS_READ) not in found, found


def test_a_key_no_app_sets_is_still_reported_where_no_env_file_is_loaded(tmp_path: Path) -> None:
    found = _ec901(_midday_shaped(tmp_path, "RESEND_API_KEY=\n"))  # the template, copied
    assert ("RESEND_API_KEY", JOBS_READ) in found, found


def test_an_app_with_an_env_file_of_its_own_is_still_told(tmp_path: Path) -> None:
    found = _ec901(_midday_shaped(tmp_path, f"RESEND_API_KEY={SECRET}\n", jobs_env="OTHER=1\n"))
    assert ("RESEND_API_KEY", JOBS_READ) in found, found


# GUARDED-ELSEWHERE: a config section whose switch tests another key -----------------------

OUTLINE_DATABASE = """\
const shared = {
  use_env_variable: process.env.DATABASE_URL ? "DATABASE_URL" : undefined,
  dialect: "postgres",
  host: process.env.DATABASE_HOST,
  port: process.env.DATABASE_PORT || 5432,
  username: process.env.DATABASE_USER,
  database: process.env.DATABASE_NAME,
};

module.exports = { development: shared, production: { ...shared, ssl: true } };
"""

HEXABOT_CONFIG = """\
export const config = {
  apiUrl: process.env.API_ORIGIN,
  audit: {
    enabled:
      process.env.AUDIT_LOG_ENABLED === undefined
        ? true
        : process.env.AUDIT_LOG_ENABLED === 'true',
    backend: process.env.AUDIT_LOG_BACKEND || 'database',
    failClosed: process.env.AUDIT_LOG_FAIL_CLOSED === 'true',
    opentelemetry: {
      url: process.env.AUDIT_LOG_OTEL_URL,
      hostname: process.env.AUDIT_LOG_OTEL_HOSTNAME,
    },
    clickhouse: {
      url: process.env.AUDIT_LOG_CLICKHOUSE_URL,
      databaseName: process.env.AUDIT_LOG_CLICKHOUSE_DATABASE || 'hexabot_auditlog',
    },
  },
  debug: process.env.DEBUG === 'true',
  mail: {
    host: process.env.MAIL_HOST,
    secure:
      process.env.MAIL_SECURE !== undefined
        ? process.env.MAIL_SECURE === 'true'
        : false,
  },
};
"""


def _node_app(tmp_path: Path, files: dict[str, str], env: str) -> Path:
    return repository(
        tmp_path,
        {
            "package.json": _package(
                "app",
                scripts={"start": "node -r dotenv/config server/index.js"},
                dependencies={"dotenv": "16.0.0"},
            ),
            ".gitignore": ".env\n",
            ".env": env,
            "server/index.js": "require('./config/database');\nrequire('./config/index');\n",
            **files,
        },
    )


def test_the_alternatives_to_a_key_the_config_switches_on_are_not_required(
    tmp_path: Path,
) -> None:
    """outline's ``server/config/database.js``: sequelize uses ``DATABASE_URL`` when the
    switch finds it set, and the ``DATABASE_*`` parts only without it."""
    root = _node_app(
        tmp_path,
        {"server/config/database.js": OUTLINE_DATABASE},
        "DATABASE_URL=postgres://localhost:5432/outline\n",
    )
    keys = {key for key, _ in _ec901(root)}
    assert keys.isdisjoint({"DATABASE_HOST", "DATABASE_USER", "DATABASE_NAME"}), keys


def test_the_fields_of_a_section_with_a_switch_are_not_required(tmp_path: Path) -> None:
    """Hexabot's audit section: its ``enabled`` switch tests ``AUDIT_LOG_ENABLED`` and
    its backends' URLs are used only by the backend it selects.  Negative controls: a
    plain read outside the switched section (``API_ORIGIN``), and a section beside a mere
    flag comparison (``debug: X === 'true'``) or a setting with a default (``secure: X !==
    undefined ? X === 'true' : false``) is no switch, are still required."""
    root = _node_app(tmp_path, {"server/config/index.ts": HEXABOT_CONFIG}, "PORT=3000\n")
    keys = {key for key, _ in _ec901(root)}
    assert keys.isdisjoint(
        {"AUDIT_LOG_OTEL_URL", "AUDIT_LOG_OTEL_HOSTNAME", "AUDIT_LOG_CLICKHOUSE_URL"}
    ), keys
    assert {"API_ORIGIN", "MAIL_HOST"} <= keys, keys


SAASKIT_STRIPE = """\
import Stripe from "stripe";

const STRIPE_SECRET_KEY = Deno.env.get("STRIPE_SECRET_KEY");

export function isStripeEnabled() {
  return Deno.env.has("STRIPE_SECRET_KEY");
}

export function getStripePremiumPlanPriceId() {
  return Deno.env.get(
    "STRIPE_PREMIUM_PLAN_PRICE_ID",
  );
}

export function getSiteUrl() {
  return Deno.env.get("SITE_URL");
}

export const stripe = new Stripe(STRIPE_SECRET_KEY!, { apiVersion: "2023-08-16" });
"""

SAASKIT_UPGRADE = """\
import { getStripePremiumPlanPriceId, getSiteUrl, isStripeEnabled } from "@/utils/stripe.ts";

export default async function handler() {
  if (!isStripeEnabled()) return new Response("Not Found", { status: 404 });
  const price = getStripePremiumPlanPriceId();
  return Response.redirect(`${getSiteUrl()}/checkout/${price}`);
}
"""


def test_a_read_of_a_feature_whose_module_offers_its_switch_is_not_required(
    tmp_path: Path,
) -> None:
    """saaskit's ``utils/stripe.ts``: ``isStripeEnabled()`` tests ``STRIPE_SECRET_KEY``, and
    every caller asks it before ``getStripePremiumPlanPriceId()``.  Negative control: the
    module's read of a key of another family (``SITE_URL``) is still required."""
    root = repository(
        tmp_path,
        {
            "deno.json": json.dumps({"tasks": {"start": "deno run -A --env main.ts"}}),
            ".gitignore": ".env\n",
            ".env": "GITHUB_CLIENT_ID=abc\n",
            "main.ts": 'import handler from "./routes/upgrade.ts";\nDeno.serve(handler);\n',
            "utils/stripe.ts": SAASKIT_STRIPE,
            "routes/upgrade.ts": SAASKIT_UPGRADE,
        },
    )
    keys = {key for key, _ in _ec901(root)}
    assert "STRIPE_PREMIUM_PLAN_PRICE_ID" not in keys, keys
    assert "SITE_URL" in keys, keys


NEST_DATABASE = """\
export default () => ({
  url: process.env.DATABASE_URL,
  host: process.env.DATABASE_HOST,
  port: process.env.DATABASE_PORT
    ? parseInt(process.env.DATABASE_PORT, 10)
    : 5432,
  ca: process.env.DATABASE_CA,
});
"""


def test_a_default_written_as_a_ternary_is_no_switch(tmp_path: Path) -> None:
    """nestjs-boilerplate's database config: ``port: X ? parseInt(X, 10) : 5432`` gives
    ``DATABASE_PORT`` a default; it turns nothing on or off, so ``DATABASE_HOST`` beside it
    is still required."""
    root = _node_app(tmp_path, {"server/config/database.js": NEST_DATABASE}, "PORT=3000\n")
    keys = {key for key, _ in _ec901(root)}
    assert {"DATABASE_HOST", "DATABASE_CA"} <= keys, keys


# GUARDED-ELSEWHERE: reads used only once a feature is switched on (holdout4) ---------------

LINKWARDEN_PROVIDERS = """\
import GitlabProvider from "next-auth/providers/gitlab";
import Auth0Provider from "next-auth/providers/auth0";

function oauth(factory: (o: any) => any, idEnv: string, secretEnv: string, extra?: object) {
  return () =>
    factory({ clientId: process.env[idEnv], clientSecret: process.env[secretEnv], ...extra });
}

export function isAuthProviderEnabled(entry: { flagEnvs: string[] }) {
  return entry.flagEnvs.some((flag) => process.env[flag] === "true");
}

export const authProviders = [
  {
    id: "gitlab",
    flagEnvs: ["NEXT_PUBLIC_GITLAB_ENABLED"],
    build: () =>
      GitlabProvider({
        clientId: process.env.GITLAB_CLIENT_ID!,
        clientSecret: process.env.GITLAB_CLIENT_SECRET!,
      }),
  },
  {
    id: "auth0",
    flagEnvs: ["NEXT_PUBLIC_AUTH0_ENABLED"],
    build: oauth(Auth0Provider, "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", {
      issuer: process.env.AUTH0_ISSUER,
    }),
  },
  {
    id: "always",
    names: ["Always on"],
    build: () => GitlabProvider({ clientId: process.env.ALWAYS_CLIENT_ID! }),
  },
];
"""


def test_what_an_entry_switched_by_its_named_flag_builds_is_not_required(
    tmp_path: Path,
) -> None:
    """linkwarden's ``authProviders``: each entry names the env flag that turns it on
    (``flagEnvs: ["NEXT_PUBLIC_GITLAB_ENABLED"]``, tested ``=== "true"`` before ``build()``
    runs), so what it builds, in an arrow function or through a helper's call, is read only
    once that provider is enabled.  Negative control: an entry naming no flag (its list
    holds no env key) still demands its read."""
    root = _node_app(tmp_path, {"server/config/index.ts": LINKWARDEN_PROVIDERS}, "PORT=3000\n")
    keys = {key for key, _ in _ec901(root)}
    assert keys.isdisjoint({"GITLAB_CLIENT_ID", "GITLAB_CLIENT_SECRET", "AUTH0_ISSUER"}), keys
    assert "ALWAYS_CLIENT_ID" in keys, keys


TEABLE_STORAGE = """\
import { registerAs } from '@nestjs/config';

export const storageConfig = registerAs('storage', () => ({
  provider: (process.env.BACKEND_STORAGE_PROVIDER ?? 'local') as 'local' | 'minio' | 's3',
  local: {
    path: process.env.BACKEND_STORAGE_LOCAL_PATH,
  },
  minio: {
    endPoint: process.env.BACKEND_STORAGE_MINIO_ENDPOINT,
    port: Number(process.env.BACKEND_STORAGE_MINIO_PORT ?? 9000),
    accessKey: process.env.BACKEND_STORAGE_MINIO_ACCESS_KEY,
  },
  s3: {
    region: process.env.BACKEND_STORAGE_S3_REGION!,
  },
  bucket: process.env.BACKEND_STORAGE_BUCKET,
}));
"""

TEABLE_AUTH = """\
import { registerAs } from '@nestjs/config';

export const authConfig = registerAs('auth', () => ({
  accessToken: {
    prefix: process.env.BRAND_NAME!.toLocaleLowerCase(),
    encryption: { key: process.env.BACKEND_ACCESS_TOKEN_KEY ?? 'ie21hOKjlXUiGDx9' },
  },
  socialAuthProviders: process.env.SOCIAL_AUTH_PROVIDERS?.split(',') ?? [],
  github: {
    clientID: process.env.BACKEND_GITHUB_CLIENT_ID,
    clientSecret: process.env.BACKEND_GITHUB_CLIENT_SECRET,
  },
  oidc: {
    issuer: process.env.BACKEND_OIDC_ISSUER,
    other: process.env.BACKEND_OIDC_OTHER ? JSON.parse(process.env.BACKEND_OIDC_OTHER) : {},
  },
}));
"""


def test_a_provider_section_the_selector_must_pick_is_not_required(tmp_path: Path) -> None:
    """teable's ``storage.ts``: ``provider: (X ?? 'local') as 'local' | 'minio' | 's3'``
    picks which section is used, so the MinIO and S3 settings are read only once the env
    selects them; ``auth.config.ts``: ``socialAuthProviders: X?.split(',') ?? []`` selects
    none by default, so a provider's bare settings (``github``, ``oidc``) are read only
    once listed.  Negative controls: the selector's fallback section (``local``), a plain
    option beside the sections (``bucket``), and a section with defaults of its own beside
    an empty selector (``accessToken``, no provider's) still demand their reads."""
    root = _node_app(
        tmp_path,
        {"server/config/storage.ts": TEABLE_STORAGE, "server/config/auth.ts": TEABLE_AUTH},
        "PORT=3000\n",
    )
    keys = {key for key, _ in _ec901(root)}
    switched = {
        "BACKEND_STORAGE_MINIO_ENDPOINT",
        "BACKEND_STORAGE_MINIO_ACCESS_KEY",
        "BACKEND_STORAGE_S3_REGION",
        "BACKEND_GITHUB_CLIENT_ID",
        "BACKEND_GITHUB_CLIENT_SECRET",
        "BACKEND_OIDC_ISSUER",
    }
    assert keys.isdisjoint(switched), keys
    assert {"BACKEND_STORAGE_LOCAL_PATH", "BACKEND_STORAGE_BUCKET", "BRAND_NAME"} <= keys, keys


STACK_ENV = """\
const _inlineEnvVars = {
  NEXT_PUBLIC_STACK_URL: process.env.NEXT_PUBLIC_STACK_URL,
  NEXT_PUBLIC_POSTHOG_KEY: process.env.NEXT_PUBLIC_POSTHOG_KEY,
} as const;

const _postBuildEnvVars = {
  NEXT_PUBLIC_STACK_URL: "SENTINEL_NEXT_PUBLIC_STACK_URL",
  NEXT_PUBLIC_POSTHOG_KEY: "SENTINEL_NEXT_PUBLIC_POSTHOG_KEY",
} satisfies typeof _inlineEnvVars;

export function getPublicEnvVar(name: keyof typeof _inlineEnvVars): string | undefined {
  const value = _inlineEnvVars[name];
  if (value && value.startsWith("SENTINEL")) {
    return undefined;
  }
  return value;
}
"""

STACK_STRICT_ENV = """\
const _table = {
  NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL,
} as const;

export function apiVar(name: keyof typeof _table): string {
  return _table[name].trim();
}
"""


def test_a_table_of_reads_whose_lookups_are_tested_is_not_required(tmp_path: Path) -> None:
    """stack-auth's dashboard ``env.tsx``: a record of the ``NEXT_PUBLIC_*`` reads, named
    in types (``keyof typeof``, ``satisfies typeof``), looked up only by an accessor that
    tests the value and hands ``undefined`` on: a type names no lookup, so the table's every
    lookup is tested and its callers decide.  Negative control: a table whose lookup is
    used untested (``_table[name].trim()``) still demands its read."""
    root = _node_app(
        tmp_path,
        {"server/config/env.ts": STACK_ENV, "server/config/strict.ts": STACK_STRICT_ENV},
        "PORT=3000\n",
    )
    keys = {key for key, _ in _ec901(root)}
    assert keys.isdisjoint({"NEXT_PUBLIC_STACK_URL", "NEXT_PUBLIC_POSTHOG_KEY"}), keys
    assert "NEXT_PUBLIC_API_URL" in keys, keys


STACK_NEXT_CONFIG = """\
/** @type {import('next').NextConfig} */
const nextConfig = {
  // optionally set output to "standalone" for Docker builds
  output: process.env.NEXT_CONFIG_OUTPUT,
  poweredByHeader: false,
  images: {
    remotePatterns: [{ protocol: 'https', hostname: process.env.IMAGE_HOST }],
  },
};

export default nextConfig;
"""


def test_a_next_option_read_from_the_env_is_not_required(tmp_path: Path) -> None:
    """stack-auth's ``next.config.mjs``: ``output: process.env.NEXT_CONFIG_OUTPUT``, unset
    in development; every option of the config Next reads has Next's default when it is
    undefined.  Negative control: a value deeper in an option (an image host pattern's
    ``hostname``) is what that option needs, still demanded."""
    root = repository(
        tmp_path,
        {
            "package.json": _package(
                "web", scripts={"dev": "next dev"}, dependencies={"next": "15.0.0"}
            ),
            ".gitignore": ".env\n",
            ".env": "PORT=3000\n",
            "next.config.mjs": STACK_NEXT_CONFIG,
            "app/page.tsx": "export default function Page() { return null; }\n",
        },
    )
    keys = {key for key, _ in _ec901(root)}
    assert "NEXT_CONFIG_OUTPUT" not in keys, keys
    assert "IMAGE_HOST" in keys, keys
