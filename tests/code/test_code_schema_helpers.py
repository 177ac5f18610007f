"""Schema keys whose validator a function of another file builds (homarr's t3-env files).

homarr writes each flag of its t3-env schemas as ``DEMO_MODE: createBooleanSchema(false)``,
the function exported by ``packages/core/src/infrastructure/env/schemas.ts`` and imported
from the workspace package ``@homarr/core/infrastructure/env`` (a barrel: ``export * from
"./schemas"``) or relatively (``"../env"``, ``"../env/schemas"``).  Read one file at a time,
each such key looked required and asserted, and EC901 reported every flag of the app
(:mod:`envcheck.code.schema_helpers`).  Its Redis and database schemas take their values
through ``runtimeEnv: runtimeEnvWithPrefix("REDIS_")``: their keys (``HOST``) are not the
env keys read (``REDIS_HOST``).  Each project here has the real layout, small.
"""

from __future__ import annotations

import json
from pathlib import Path

from envcheck.code import scan
from envcheck.code.cache import CACHE_FILE
from tests.harness import findings, write
from tests.harness import isolated as envcheck

SCHEMAS = """\
import { z } from "zod/v4";

const trueStrings = ["1", "yes", "t", "true"];

export const createBooleanSchema = (defaultValue: boolean) =>
  z
    .stringbool({ truthy: trueStrings, case: "insensitive" })
    .default(defaultValue);

export const createDurationSchema = (defaultValue: string) =>
  z
    .string()
    .regex(/^\\d+[smhd]?$/)
    .default(defaultValue)
    .transform((duration) => Number(duration.slice(0, -1)));

export function createSecretSchema() {
  return z.string().min(64);
}
"""

ENV_INDEX = """\
import { createEnv as createEnvT3 } from "@t3-oss/env-nextjs";

export const defaultEnvOptions = {
  emptyStringAsUndefined: true,
  skipValidation: Boolean(process.env.CI),
};

export const createEnv: typeof createEnvT3 = (options) =>
  createEnvT3({ ...defaultEnvOptions, ...options });

export * from "./prefix";
export * from "./schemas";
"""

PREFIX = """\
export const runtimeEnvWithPrefix = (prefix: `${string}_`) =>
  Object.entries(process.env)
    .filter(([key]) => key.startsWith(prefix))
    .reduce((acc, [key, value]) => {
      if (value === undefined) return acc;
      acc[key.replace(prefix, "")] = value;
      return acc;
    }, {} as Record<string, string>);
"""

REDIS_ENV = """\
import { z } from "zod/v4";

import { createEnv } from "../env";
import { runtimeEnvWithPrefix } from "../env/prefix";
import { createBooleanSchema } from "../env/schemas";

export const redisEnv = createEnv({
  server: {
    IS_EXTERNAL: createBooleanSchema(false),
    HOST: z.string(),
    PORT: z.coerce.number().default(6379).optional(),
  },
  runtimeEnv: runtimeEnvWithPrefix("REDIS_"),
});
"""

DNS_ENV = """\
import { createBooleanSchema, createEnv, createSecretSchema } from "../env";

export const dnsEnv = createEnv({
  server: {
    ENABLE_DNS_CACHING: createBooleanSchema(true),
    DNS_SECRET: createSecretSchema(),
  },
  experimental__runtimeEnv: process.env,
});
"""

# packages/core importing itself by its package name (homarr's db/env.ts)
SELF_ENV = """\
import { z } from "zod/v4";
import { createDurationSchema, createEnv } from "@acme/core/infrastructure/env";

export const selfEnv = createEnv({
  server: {
    SESSION_TTL: createDurationSchema("30d"),
    OWN_SECRET: z.string().min(1),
  },
  runtimeEnv: { SESSION_TTL: process.env.SESSION_TTL, OWN_SECRET: process.env.OWN_SECRET },
});
"""

CORE = {
    "packages/core/package.json": json.dumps(
        {
            "name": "@acme/core",
            "private": True,
            "type": "module",
            "exports": {
                "./infrastructure/env": "./src/infrastructure/env/index.ts",
                "./infrastructure/redis": "./src/infrastructure/redis/env.ts",
                "./infrastructure/dns": "./src/infrastructure/dns/env.ts",
                "./infrastructure/self": "./src/infrastructure/self/env.ts",
            },
            "dependencies": {"@t3-oss/env-nextjs": "0.13.0", "zod": "4.0.0"},
        }
    ),
    "packages/core/src/infrastructure/env/index.ts": ENV_INDEX,
    "packages/core/src/infrastructure/env/prefix.ts": PREFIX,
    "packages/core/src/infrastructure/env/schemas.ts": SCHEMAS,
    "packages/core/src/infrastructure/redis/env.ts": REDIS_ENV,
    "packages/core/src/infrastructure/dns/env.ts": DNS_ENV,
    "packages/core/src/infrastructure/self/env.ts": SELF_ENV,
}

WEB_ENV = """\
import { z } from "zod/v4";

import {
  createBooleanSchema,
  createDurationSchema,
  createEnv,
} from "@acme/core/infrastructure/env";
import { looseBoolean } from "env-helpers";

export const env = createEnv({
  server: {
    DEMO_MODE: createBooleanSchema(false),
    AUTH_SESSION_EXPIRY_TIME: createDurationSchema("30d"),
    AUTH_SECRET: z.string().min(1),
    THIRD_PARTY_FLAG: looseBoolean(),
  },
  runtimeEnv: {
    DEMO_MODE: process.env.DEMO_MODE,
    AUTH_SESSION_EXPIRY_TIME: process.env.AUTH_SESSION_EXPIRY_TIME,
    AUTH_SECRET: process.env.AUTH_SECRET,
    THIRD_PARTY_FLAG: process.env.THIRD_PARTY_FLAG,
  },
});
"""

WEB = {
    "apps/web/package.json": json.dumps(
        {
            "name": "@acme/web",
            "private": True,
            "scripts": {"dev": "next dev"},
            "dependencies": {"next": "15.0.0", "@acme/core": "workspace:*"},
        }
    ),
    "apps/web/src/env.ts": WEB_ENV,
    "apps/web/src/app/page.tsx": 'import { env } from "~/env";\n'
    'import "@acme/core/infrastructure/redis";\nimport "@acme/core/infrastructure/dns";\n'
    'import "@acme/core/infrastructure/self";\n'
    "export default function Page() { return env.DEMO_MODE ? 1 : 0 }\n",
}

WORKSPACE = {
    "package.json": '{"name": "acme", "private": true}',
    "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
}


def _said(root: Path) -> dict[str | None, tuple[str, bool]]:
    facts = scan(root, root=root, use_cache=False)
    assert not facts.notes, facts.notes
    return {r.key: (r.kind, r.asserted) for r in facts.reads if r.source == "t3-env"}


def test_a_helper_of_the_same_package_gives_its_default(tmp_path: Path) -> None:
    """In ``packages/core`` alone: ``createBooleanSchema`` imported through the barrel
    (``"../env"``, which re-exports ``./schemas``), straight from ``"../env/schemas"``, or
    by the package's own name: optional, not asserted.  A helper whose schema has no default
    (``createSecretSchema``) and a plain ``z.string().min(1)`` stay required and asserted."""
    root = write(tmp_path, CORE) / "packages" / "core"
    said = _said(root)
    assert said["ENABLE_DNS_CACHING"] == ("optional", False)  # through the barrel
    assert said["SESSION_TTL"] == ("optional", False)  # by the package's own name
    assert said["DNS_SECRET"] == ("required", True)
    assert said["OWN_SECRET"] == ("required", True)
    facts = scan(root, root=root, use_cache=False)
    assert facts.schema_helpers == ("createBooleanSchema", "createDurationSchema")
    assert not [r for r in facts.reads if r.helper is not None]  # all settled here


def test_keys_read_through_a_computed_runtime_env_are_no_keys_of_their_own(
    tmp_path: Path,
) -> None:
    """``runtimeEnv: runtimeEnvWithPrefix("REDIS_")``: ``HOST`` takes ``REDIS_HOST``'s value.
    The schema's keys are read under a name this file does not give: each is a dynamic read
    of a name ending in the key, never a required ``HOST``."""
    root = write(tmp_path, CORE) / "packages" / "core"
    facts = scan(root, root=root, use_cache=False)
    redis = [r for r in facts.reads if r.file.endswith("redis/env.ts")]
    assert [(r.key, r.kind, r.pattern, r.asserted) for r in redis] == [
        (None, "dynamic", "*IS_EXTERNAL", False),
        (None, "dynamic", "*HOST", False),
        (None, "dynamic", "*PORT", False),
    ]
    # `experimental__runtimeEnv: process.env` is no renaming: its keys are the env's
    assert "ENABLE_DNS_CACHING" in {r.key for r in facts.reads}


def test_a_helper_of_a_workspace_library_gives_its_default(tmp_path: Path) -> None:
    """The app imports the helpers from the library by name (``@acme/core/infrastructure/
    env``): no EC901 for the flags, nor for the Redis keys read under a prefix; the app's
    own required secret, the library's helper without a default, and a function of a
    package outside the workspace (``env-helpers``: not looked into) are still reported.
    Checked from the root: a run inside the app does not look above it (nor adds the
    library's reads), so there the flags stay as the file reads them."""
    project = write(tmp_path / "acme", {**WORKSPACE, **CORE, **WEB})
    run = envcheck(project, "check", "--format", "json", "--select", "EC901")
    reported = {(f["key"], f["path"]) for f in findings(run)}
    core = "packages/core/src/infrastructure"
    assert reported == {
        ("AUTH_SECRET", "apps/web/src/env.ts"),
        ("THIRD_PARTY_FLAG", "apps/web/src/env.ts"),
        ("DNS_SECRET", f"{core}/dns/env.ts"),
        ("OWN_SECRET", f"{core}/self/env.ts"),
    }, run.stdout


def test_the_helpers_come_back_from_the_cache(tmp_path: Path) -> None:
    """The exported helpers and the reads waiting on one survive both tables: the package's
    whole facts, and a file's facts when another file of the package changed."""
    root = write(tmp_path, {**CORE, **WEB}) / "apps" / "web"
    cache = tmp_path / "cache" / CACHE_FILE
    cold = scan(root, root=root, cache_file=cache)
    waiting = [(r.key, r.helper) for r in cold.reads if r.helper is not None]
    assert waiting == [
        ("DEMO_MODE", ("@acme/core/infrastructure/env", "createBooleanSchema")),
        ("AUTH_SESSION_EXPIRY_TIME", ("@acme/core/infrastructure/env", "createDurationSchema")),
        ("THIRD_PARTY_FLAG", ("env-helpers", "looseBoolean")),
    ]
    warm = scan(root, root=root, cache_file=cache)
    assert warm.files_parsed == 0
    assert warm.reads == cold.reads
    core = root.parent.parent / "packages" / "core"
    core_cold = scan(core, root=core, cache_file=cache)
    (core / "src" / "infrastructure" / "redis" / "env.ts").write_text(
        REDIS_ENV.replace("HOST", "HOSTNAME")
    )
    again = scan(core, root=core, cache_file=cache)
    assert again.files_parsed == 1  # the rest from the files table
    assert again.schema_helpers == core_cold.schema_helpers
    assert [r for r in again.reads if r.key] == [r for r in core_cold.reads if r.key]
