"""Shapes from the real-project survey (bench/survey, docs/survey.md), pinned.

Each case is a minimal reproduction of a class of finding the survey met in a public
repository: a few lines in the real file's shape, every value faked.  A class already
fixed is a plain test (it must stay fixed); a class still open is
``xfail(strict=True)`` and names the survey's class id, so fixing it turns the case
into an unexpected pass that the fixer flips to a plain test.

Each case runs the real CLI in a subprocess on a real git repository in ``tmp_path``,
with a process environment of PATH/HOME/locale only, as the survey does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import clone as project
from tests.harness import codes
from tests.harness import isolated_json as envcheck

# ---------------------------------------------------------------- open classes

NEXT_APP = (
    '{"name": "web", "scripts": {"dev": "next dev"},'
    ' "dependencies": {"next": "15.0.0", "react": "19.0.0"}}\n'
)


# survey class GUARDED-READ: open at the first 'now' run, fixed at the final one
def test_a_read_the_code_checks_before_use_is_not_required(tmp_path: Path) -> None:
    # dub apps/web/.../fetch-plausible-pageviews.ts, documenso react-router.config.ts
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "API_URL=http://localhost:3000\n",
            "src/plausible.ts": (
                "export function pageviews() {\n"
                "  const apiKey = process.env.PLAUSIBLE_API_KEY;\n"
                "  if (!apiKey) {\n    return null;\n  }\n  return apiKey;\n}\n"
                "export const basename = process.env.BASE_PATH\n"
                "  ? process.env.BASE_PATH.replace(/\\/$/, '')\n  : '/';\n"
            ),
        },
        untracked={".env": "API_URL=http://localhost:3000\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC901"}


# survey class TEST-READ: open at the first 'now' run, fixed at the final one
def test_reads_in_tests_and_scripts_are_not_app_requirements(tmp_path: Path) -> None:
    # dub apps/web/tests/utils/env.ts, formbricks apps/web/playwright/*.spec.ts,
    # formbricks packages/database/src/scripts/*.ts
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "API_URL=http://localhost:3000\n",
            "tests/utils/env.ts": "export const token = process.env.E2E_TOKEN;\n",
            "playwright/auth.spec.ts": (
                "export const remote = Boolean(process.env.PLAYWRIGHT_SERVICE_URL);\n"
            ),
            "src/logger.test.ts": "export const level = process.env.OTEL_SERVICE_NAME;\n",
            "scripts/seed.ts": "export const url = process.env.SEED_DATABASE_URL;\n",
        },
        untracked={".env": "API_URL=http://localhost:3000\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC901"}


# survey class VITE-LIB: open at the first 'now' run, fixed at the final one
def test_a_node_library_built_with_vite_is_server_code(tmp_path: Path) -> None:
    # formbricks packages/storage: "build": "vite build", vitest, src/constants.ts
    root = project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true, "workspaces": ["packages/*"]}\n',
            ".env.example": "S3_SECRET_KEY=\n",
            "packages/storage/package.json": (
                '{"name": "@acme/storage",'
                ' "scripts": {"build": "vite build", "test": "vitest run"},'
                ' "dependencies": {"@aws-sdk/client-s3": "3.0.0"},'
                ' "devDependencies": {"vite": "6.0.0", "vitest": "3.0.0"}}\n'
            ),
            "packages/storage/vite.config.ts": (
                "import { defineConfig } from 'vite';\n"
                "export default defineConfig({ build: {"
                " lib: { entry: 'src/index.ts', formats: ['es'] },"
                " ssr: true } });\n"
            ),
            "packages/storage/src/constants.ts": (
                "export const S3_SECRET_KEY = process.env.S3_SECRET_KEY;\n"
            ),
            "packages/storage/src/index.ts": "export * from './constants';\n",
        },
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC904"}


def test_a_committed_link_to_the_root_env_is_not_an_unreadable_file_on_a_fresh_clone(
    tmp_path: Path,
) -> None:
    # formbricks apps/web/.env -> ../../.env (the root .env is created by the setup script)
    root = project(
        tmp_path / "repo",
        {
            ".env.example": "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/app\n",
            "apps/web/package.json": NEXT_APP,
        },
        symlinks={"apps/web/.env": "../../.env"},
    )
    code, document, _ = envcheck(root, "lint", "--format", "json", ".env.example", "apps/web/.env")
    assert code == 0, codes(document)


# survey class RATE-LIMIT: open at the first 'now' run, fixed at the final one
def test_a_rate_limit_under_an_api_key_name_is_not_a_secret(tmp_path: Path) -> None:
    # plane deployments/*/variables.env: API_KEY_RATE_LIMIT=60/minute
    root = project(
        tmp_path / "repo",
        {
            "variables.env": "WEB_URL=http://localhost\nAPI_KEY_RATE_LIMIT=60/minute\n",
        },
    )
    code, document, _ = envcheck(root, "guard", "--format", "json", "variables.env")
    assert code == 0, codes(document)


# survey class APP-AS-LIBRARY: open at the survey's final run, fixed since
def test_an_app_another_app_imports_for_types_keeps_its_reads_to_itself(tmp_path: Path) -> None:
    # midday: apps/dashboard depends on @midday/api (the tRPC router's types); the API's
    # reads were charged to the dashboard, whose env does not set them.
    root = project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true, "workspaces": ["apps/*"]}\n',
            "apps/api/package.json": (
                '{"name": "@acme/api", "scripts": {"dev": "bun run --hot src/index.ts"},'
                ' "dependencies": {"hono": "4.0.0"}}\n'
            ),
            "apps/api/.env-template": 'ALLOWED_API_ORIGINS="http://localhost:3001"\n',
            "apps/api/src/index.ts": (
                'export const origins = process.env.ALLOWED_API_ORIGINS!.split(",");\n'
            ),
            "apps/dashboard/package.json": (
                '{"name": "@acme/dashboard", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "react": "19.0.0",'
                ' "@acme/api": "workspace:*"}}\n'
            ),
            "apps/dashboard/.env-example": "NEXT_PUBLIC_URL=http://localhost:3001\n",
            "apps/dashboard/src/client.ts": (
                "import type { AppRouter } from '@acme/api';\nexport type R = AppRouter;\n"
            ),
        },
        untracked={
            "apps/api/.env": 'ALLOWED_API_ORIGINS="http://localhost:3001"\n',
            "apps/dashboard/.env": "NEXT_PUBLIC_URL=http://localhost:3001\n",
        },
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "ALLOWED_API_ORIGINS") not in codes(document)


# survey class NEXT-CONFIG-ENV: open at the first 'now' run, fixed at the final one
def test_keys_next_config_inlines_are_readable_from_client_code(tmp_path: Path) -> None:
    # umami next.config.ts: env: { cloudUrl, selfTrack }, read in 'use client' components
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n",
            "next.config.ts": (
                "const cloudUrl = process.env.CLOUD_URL || '';\n"
                "export default { env: { cloudUrl } };\n"
            ),
            "src/app/App.tsx": (
                "'use client';\n"
                "export function App() {\n  return `${process.env.cloudUrl}/login`;\n}\n"
            ),
        },
        untracked={".env": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC904", "cloudUrl") not in codes(document)


# survey class WINDOW-GUARD: open at the first 'now' run, fixed at the final one
def test_a_server_branch_of_a_client_module_may_read_server_keys(tmp_path: Path) -> None:
    # unkey web/apps/dashboard/app/react-query-provider.tsx (the tRPC getBaseUrl pattern)
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n",
            "app/provider.tsx": (
                "'use client';\n"
                "function getBaseUrl() {\n"
                "  if (typeof window !== 'undefined') {\n    return '';\n  }\n"
                "  if (process.env.VERCEL_URL) {\n"
                "    return `https://${process.env.VERCEL_URL}`;\n  }\n"
                "  return `http://localhost:${process.env.PORT ?? 3000}`;\n}\n"
                "export const base = getBaseUrl();\n"
            ),
        },
        untracked={".env": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC904"}


def test_a_server_key_read_in_a_use_client_module_is_reported(tmp_path: Path) -> None:
    # dub apps/web/app/app.dub.co/layout.tsx: VERCEL read in a 'use client' layout is
    # undefined in the browser (a true finding the survey keeps)
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n",
            "app/layout.tsx": (
                "'use client';\n"
                "export default function Layout() {\n"
                "  return process.env.VERCEL === '1' ? '.example.com' : 'localhost';\n}\n"
            ),
        },
        untracked={".env": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC904", "VERCEL") in codes(document)


ZOD_APP = (
    '{"name": "w", "scripts": {"start": "node src/env.js"},'
    ' "dependencies": {"zod": "4.0.0", "dotenv": "16.0.0"}}\n'
)


# survey class SCHEMA-DEFAULT: open at the first 'now' run, fixed at the final one
def test_a_zod4_prefault_is_a_default(tmp_path: Path) -> None:
    # openstatus apps/workflows/src/env.ts: SITE_URL: z.string().prefault("http://localhost:3000")
    root = project(
        tmp_path / "app",
        {
            "package.json": ZOD_APP,
            ".env.example": "A=1\n",
            "src/env.ts": (
                'import { z } from "zod";\n'
                "export const env = z.object({\n"
                '  SITE_URL: z.string().prefault("http://localhost:3000"),\n'
                "}).parse(process.env);\n"
            ),
        },
        untracked={".env": "A=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "SITE_URL") not in codes(document)


# survey class SCHEMA-DEFAULT: open at the first 'now' run, fixed at the final one
def test_a_schema_helper_that_wraps_a_default_is_a_default(tmp_path: Path) -> None:
    # karakeep packages/shared/config.ts: DEMO_MODE: stringBool("false")
    root = project(
        tmp_path / "app",
        {
            "package.json": ZOD_APP,
            ".env.example": "A=1\n",
            "src/env.ts": (
                'import { z } from "zod";\n'
                "const stringBool = (fallback: string) =>\n"
                '  z.string().default(fallback).transform((s) => s === "true");\n'
                "export const env = z.object({\n"
                '  DEMO_MODE: stringBool("false"),\n'
                "}).parse(process.env);\n"
            ),
        },
        untracked={".env": "A=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "DEMO_MODE") not in codes(document)


def test_a_multi_line_zod_chain_with_a_default_is_optional(tmp_path: Path) -> None:
    # karakeep OCR_LANGS / formbricks NEXTAUTH_URL: z\n.string()\n.default(...) -- handled
    root = project(
        tmp_path / "app",
        {
            "package.json": ZOD_APP,
            ".env.example": "A=1\n",
            "src/env.ts": (
                'import { z } from "zod";\n'
                "export const env = z.object({\n"
                '  OCR_LANGS: z\n    .string()\n    .default("eng")\n'
                '    .transform((s) => s.split(",")),\n'
                "}).parse(process.env);\n"
            ),
        },
        untracked={".env": "A=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "OCR_LANGS") not in codes(document)


# survey class GUARDED-READ (Python): open at the first 'now' run, fixed at the final one
def test_a_python_read_under_an_in_environ_test_is_optional(tmp_path: Path) -> None:
    # paperless-ngx src/paperless/settings/__init__.py: SECURE_PROXY_SSL_HEADER
    root = project(
        tmp_path / "app",
        {
            "pyproject.toml": (
                '[project]\nname = "app"\ndependencies = ["django", "python-dotenv"]\n'
            ),
            ".env.example": "DJANGO_DEBUG=1\n",
            "app/settings.py": (
                "import json\nimport os\n\n"
                "SECURE_PROXY_SSL_HEADER = (\n"
                '    tuple(json.loads(os.environ["PROXY_SSL_HEADER"]))\n'
                '    if "PROXY_SSL_HEADER" in os.environ\n'
                "    else None\n)\n"
            ),
        },
        untracked={".env": "DJANGO_DEBUG=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "PROXY_SSL_HEADER") not in codes(document)


# survey class PLACEHOLDER-SECRET: open at the first 'now' run, fixed at the final one
def test_placeholder_secrets_in_a_committed_template_are_not_secrets(tmp_path: Path) -> None:
    # brocoders/nestjs-boilerplate env-example-relational; polar server/.env.testing;
    # openstatus apps/*/.env.test
    root = project(
        tmp_path / "repo",
        {
            "env-example-relational": (
                "AUTH_JWT_SECRET=secret\n"
                "AUTH_CONFIRM_EMAIL_SECRET=secret_for_confirm_email\n"
                "AUTH_JWT_TOKEN_EXPIRES_IN=15m\n"
            ),
            ".env.testing": (
                'GITHUB_CLIENT_SECRET="fakefakefakefakefakefakefakefakefakefake"\n'
                "SQLD_HTTP_AUTH=basic:token\n"
            ),
        },
    )
    code, document, _ = envcheck(
        root, "guard", "--format", "json", "env-example-relational", ".env.testing"
    )
    assert code == 0, codes(document)


def test_booleans_rates_and_credential_free_urls_under_secret_names_pass_guard(
    tmp_path: Path,
) -> None:
    # documenso NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP, formbricks PASSWORD_RESET_DISABLED,
    # nestjs-boilerplate env-example-relational -- each an EC402 of the baseline (9da9c70)
    root = project(
        tmp_path / "repo",
        {
            "env-example-relational": (
                "NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP=true\n"
                "PASSWORD_RESET_DISABLED=1\n"
                "AUTH_REFRESH_TOKEN_EXPIRES_IN=3650d\n"
                "AUTH_UNIFORM_ERRORS=false\n"
                "DATABASE_PASSWORD=secret\n"
                "AUTH_URL=http://localhost:3000\n"
            ),
        },
    )
    code, document, _ = envcheck(root, "guard", "--format", "json", "env-example-relational")
    assert code == 0, codes(document)


# ---------------------------------------------------------------- refusals and silent misses


@pytest.mark.parametrize(
    "workspace",
    [
        # dub: a generated folder listed in pnpm-workspace.yaml
        "packages:\n  - apps/*\n  - apps/web/.react-email\n",
        # openstatus: an empty packages/config/*
        "packages:\n  - apps/*\n  - packages/config/*\n",
        # umami: packages: ['**'] in a single-app repository
        "packages:\n  - '**'\n",
    ],
)
def test_a_workspace_pattern_matching_no_folder_is_not_a_refusal(
    tmp_path: Path, workspace: str
) -> None:
    # each one exit 2 on every command at the baseline (9da9c70); pnpm accepts them
    root = project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true}\n',
            "pnpm-workspace.yaml": workspace,
            "apps/web/package.json": NEXT_APP,
            "apps/web/.env.example": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n",
        },
        untracked={"apps/web/.env": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\n"},
    )
    code, _, stderr = envcheck(root, "check", "--format", "json")
    assert code != 2, stderr


# survey class COMPOSE-ENV-FILE: open at the first 'now' run, fixed at the final one
def test_a_compose_env_file_the_readme_creates_is_a_finding_on_a_fresh_clone(
    tmp_path: Path,
) -> None:
    # plane, hoppscotch, openstatus, pocket-id: `env_file: .env` created by `cp .env.example .env`
    root = project(
        tmp_path / "repo",
        {
            "docker-compose.yml": (
                "services:\n  app:\n    image: example/app:1\n    env_file: .env\n"
            ),
            ".env.example": "APP_URL=http://localhost:1411\nENCRYPTION_KEY=\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr
    assert ("EC301", "APP_URL") in codes(document)


# survey class NESTED-COMPOSE: open at the survey's final run, fixed since
def test_a_compose_project_in_a_subfolder_is_checked_from_the_root(tmp_path: Path) -> None:
    # healthchecks: docker/docker-compose.yml with env_file .env and docker/.env.example;
    # the root run says 'nothing checked' and exits 0, init exits 2
    root = project(
        tmp_path / "repo",
        {
            "requirements.txt": "Django==5.0\n",
            "docker/docker-compose.yml": (
                "services:\n  web:\n    image: example/hc:1\n    env_file: .env\n"
            ),
            "docker/.env.example": "SECRET_KEY=\nDB=postgres\n",
        },
        untracked={"docker/.env": "SECRET_KEY=\nDB=postgres\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not (document or {}).get("summary", {}).get("checked_nothing", True)


# survey class TEMPLATE-NAME: open at the first 'now' run, fixed at the final one
def test_an_env_example_named_file_is_read_as_the_template(tmp_path: Path) -> None:
    # brocoders/nestjs-boilerplate: `cp env-example-relational .env`; init exits 2
    root = project(
        tmp_path / "repo",
        {
            "package.json": (
                '{"name": "api", "scripts": {"start": "nest start"},'
                ' "dependencies": {"@nestjs/core": "10.0.0"}}\n'
            ),
            "env-example-relational": "APP_PORT=3000\nAUTH_JWT_SECRET=secret\n",
        },
    )
    code, _, stderr = envcheck(root, "init")
    assert code == 0, stderr


# survey class PLACEHOLDER-OPTIONAL: open at the first 'now' run, fixed at the final one
def test_a_placeholder_of_an_integration_nothing_requires_is_not_an_error(tmp_path: Path) -> None:
    # midday apps/api/.env-template: XERO_CLIENT_ID=your_client_id_here (optional app)
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\nXERO_CLIENT_ID=your_client_id_here\n",
            "src/xero.ts": "export const xero = process.env.XERO_CLIENT_ID ? 'on' : 'off';\n",
        },
        untracked={
            ".env": "DATABASE_URL=postgresql://user:pass@localhost:5432/app\nXERO_CLIENT_ID=your_client_id_here\n"
        },
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    errors = {
        (f["code"], f["key"])
        for f in (document or {}).get("findings", [])
        if f["severity"] == "error"
    }
    assert ("EC306", "XERO_CLIENT_ID") not in errors


# survey class PLATFORM-VAR: open at the first 'now' run, fixed at the final one
def test_platform_variables_are_not_required_from_the_project(tmp_path: Path) -> None:
    # dub apps/web/scripts/run.ts NODE_OPTIONS, tests ACTIONS_ID_TOKEN_REQUEST_URL,
    # midday apps/dashboard/next.config.ts GIT_COMMIT_SHA, image-loader NEXT_PUBLIC_VERCEL_URL
    root = project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            ".env.example": "A=1\n",
            "src/build.ts": (
                "export const options = [process.env.NODE_OPTIONS, '--conditions=react-server'];\n"
                "export const url = `https://${process.env.NEXT_PUBLIC_VERCEL_URL}`;\n"
            ),
        },
        untracked={".env": "A=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC901"}


# survey class SYMLINK-TRACKED: open at the first 'now' run, fixed at the final one
def test_a_committed_link_to_the_root_env_is_not_a_tracked_secret_file(tmp_path: Path) -> None:
    # formbricks apps/web/.env -> ../../.env, after the README's setup fills the root .env
    root = project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true}\n',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            ".gitignore": "**/.env\n!apps/web/.env\n",
            ".env.example": "NEXTAUTH_SECRET=\n",
            "apps/web/package.json": NEXT_APP,
        },
        symlinks={"apps/web/.env": "../../.env"},
        untracked={".env": "NEXTAUTH_SECRET=Zx8Qm2Lp4Rt6Vy1Nw3Kc5Hb7Jd9Fg0Sa\n"},
    )
    _, document, _ = envcheck(root, "guard", "--format", "json")
    assert ("EC402", "NEXTAUTH_SECRET") not in codes(document)


# survey class SECRET-FROM-NAME: open at the first 'now' run, fixed at the final one
def test_an_empty_public_flag_with_a_credential_word_is_not_a_secret(tmp_path: Path) -> None:
    # documenso .env.example: NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP= (empty; 'true' to
    # disable), copied to .env by the README -- EC401 'is a secret' from the name alone
    template = (
        "NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP=\nNEXT_PUBLIC_WEBAPP_URL=http://localhost:3000\n"
    )
    root = project(
        tmp_path / "app",
        {"package.json": NEXT_APP, ".gitignore": ".env\n", ".env.example": template},
        untracked={".env": template},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert not {key for code, key in codes(document) if code == "EC401"}


# survey class INIT-ESCALATES: open at the survey's final run, fixed since
def test_init_then_check_passes_where_check_alone_passed(tmp_path: Path) -> None:
    # saleor (filled): `cp .env.example .env` keeps SECRET_KEY=changeme; check warns
    # (exit 0), init records the key as required, and the next check fails (exit 1)
    template = "SECRET_KEY=changeme\nDATABASE_URL=postgres://app:app@localhost:5432/app\n"
    root = project(
        tmp_path / "app",
        {
            ".env.example": template,
            ".gitignore": ".env\n",
            "pyproject.toml": (
                '[project]\nname = "app"\ndependencies = ["django", "python-dotenv"]\n'
            ),
            "app/settings.py": 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY")\n',
        },
        untracked={".env": template},
    )
    assert envcheck(root, "check", "--format", "json")[0] == 0
    assert envcheck(root, "init")[0] == 0
    code, document, _ = envcheck(root, "check", "--format", "json")
    assert code == 0, codes(document)


# survey class SCHEMA-DEFAULT: a schema optional on one branch of a ternary (fixed)
def test_a_zod_field_optional_when_self_hosted_is_not_required(tmp_path: Path) -> None:
    # openstatus packages/api/src/env.ts: KEY: isSelfHost ? z.string().optional() : z.string()
    root = project(
        tmp_path / "app",
        {
            "package.json": ZOD_APP,
            ".env.example": "A=1\n",
            "src/env.ts": (
                'import { z } from "zod";\n'
                'const isSelfHost = process.env.SELF_HOST === "true";\n'
                "export const env = z.object({\n"
                "  STRIPE_SECRET_KEY: isSelfHost ? z.string().optional() : z.string(),\n"
                "}).parse(process.env);\n"
            ),
        },
        untracked={".env": "A=1\n"},
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "STRIPE_SECRET_KEY") not in codes(document)
