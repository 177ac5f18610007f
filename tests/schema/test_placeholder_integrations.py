"""A placeholder left after ``cp .env.example .env`` is EC306 only where something says the
app needs the key (issue #26, survey class PLACEHOLDER-OPTIONAL); a placeholder in the
paragraph of an integration the developer has not set up yet is EC310 (info, off by
default).  Each case is the real project's shape: the template's layout, its comments,
its own switch, and the app's validator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envcheck.schema.templates_sections import paragraphs, unconfigured_because
from tests.harness import envcheck, repository

NODE = '{"name": "api", "dependencies": {"dotenv": "16.4.0"}}'


def _findings(where: Path, *args: str) -> list[dict[str, Any]]:
    result = envcheck(where, "check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def _keys(found: list[dict[str, Any]], code: str) -> set[str]:
    return {f["key"] for f in found if f["code"] == code}


def _copied(root: Path, template: str, files: dict[str, str] | None = None) -> Path:
    """A clone whose README's ``cp .env.example .env`` has run."""
    project = repository(root, {".env.example": template, "package.json": NODE, **(files or {})})
    (project / ".env").write_text(template)
    return project


# midday's apps/api/.env-template: each service its own paragraph, its keys one stem.
MIDDAY = (
    "# Config\n"
    "DATABASE_URL=postgres://app:app@localhost:5432/app\n"
    "LOG_LEVEL=debug\n"
    "\n"
    "# Xero\n"
    "XERO_CLIENT_ID=your_client_id_here\n"
    "XERO_CLIENT_SECRET=your_client_secret_here\n"
    "XERO_OAUTH_REDIRECT_URL=http://localhost:3003/apps/xero/oauth-callback\n"
    "\n"
    "# Stripe\n"
    "STRIPE_SECRET_KEY=your_secret_key_here\n"
    "STRIPE_PUBLISHABLE_KEY=your_publishable_key_here\n"
    "\n"
    "# Lingo.dev API key for translation generation\n"
    "LINGO_API_KEY=your_api_key_here\n"
)
# midday's worker: the integration's own function reads the keys with no default.
MIDDAY_CODE = (
    'require("dotenv").config();\n'
    "export function credentials(provider) {\n"
    '  if (provider === "xero") {\n'
    "    return { id: process.env.XERO_CLIENT_ID, secret: process.env.XERO_CLIENT_SECRET };\n"
    "  }\n"
    "  return { key: process.env.STRIPE_SECRET_KEY.trim() };\n"
    "}\n"
)


@pytest.mark.parametrize("args", [(), ("--no-code",)], ids=["code read", "no code"])
def test_a_placeholder_in_an_integrations_paragraph_is_ec310(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    project = _copied(tmp_path / "api", MIDDAY, {"src/accounting.js": MIDDAY_CODE})
    found = _findings(project, *args)
    assert _keys(found, "EC306") == set(), found
    selected = _findings(project, "--select", "EC310", *args)
    placeholders = {
        "XERO_CLIENT_ID",
        "XERO_CLIENT_SECRET",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "LINGO_API_KEY",
    }
    assert _keys(selected, "EC310") == placeholders
    xero = next(f for f in selected if f["key"] == "XERO_CLIENT_ID")
    # With the code read, its reads say why (a field of the object `credentials()` returns
    # to its caller, inside the provider's branch); without it, the template's paragraph.
    why = "the template lists it under Xero" if args else "reads it only where it copes"
    assert why in xero["message"], xero["message"]
    assert all(f["severity"] == "info" for f in selected if f["code"] == "EC310")


def test_init_then_check_weighs_the_integration_as_check_did(tmp_path: Path) -> None:
    project = _copied(tmp_path / "api", MIDDAY, {"src/accounting.js": MIDDAY_CODE})
    assert envcheck(project, "init").returncode == 0
    assert (project / "envcheck.toml").is_file()
    assert _keys(_findings(project), "EC306") == set()


# shelf.nu: the app's core settings share one paragraph of mixed stems; `{HOST}` stand-ins.
SHELF = (
    "# Direct URL is used by prisma to run migrations and pg-boss connection.\n"
    'DIRECT_URL="postgres://{USER}:{PASSWORD}@{HOST}:5432/{DB_NAME}"\n'
    "\n"
    'SESSION_SECRET="difal-muqxw-e4azrh"\n'
    'SUPABASE_ANON_PUBLIC="{ANON_PUBLIC}"\n'
    'SUPABASE_SERVICE_ROLE="{SERVICE_ROLE}"\n'
    'SUPABASE_URL="https://{YOUR_INSTANCE_NAME}.supabase.co"\n'
    'SERVER_URL="http://localhost:3000"\n'
    "\n"
    "# Cron jobs\n"
    "CRON_SECRET=your-random-cron-secret\n"
)


def test_the_apps_own_settings_keep_their_placeholder_error(tmp_path: Path) -> None:
    project = _copied(tmp_path / "webapp", SHELF)
    found = _findings(project, "--no-code")
    assert _keys(found, "EC306") >= {
        "DIRECT_URL",
        "SUPABASE_ANON_PUBLIC",
        "SUPABASE_SERVICE_ROLE",
        "SUPABASE_URL",
        "CRON_SECRET",  # the app's own secret, whatever its paragraph is called
    }
    assert all(f["severity"] == "error" for f in found if f["key"] == "CRON_SECRET")


def test_a_template_of_one_service_lists_what_the_app_needs(tmp_path: Path) -> None:
    # saaskit: GitHub OAuth is the only sign-in, and the template holds nothing else.
    template = "GITHUB_CLIENT_ID=xxx\nGITHUB_CLIENT_SECRET=xxx\n"
    project = _copied(tmp_path / "saas", template)
    assert _keys(_findings(project), "EC306") == {"GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"}


@pytest.mark.parametrize(
    ("storage", "code"), [("local", "EC310"), ("s3", "EC306")], ids=["switch off", "switch on"]
)
def test_the_templates_own_switch_says_whether_the_integration_is_on(
    tmp_path: Path, storage: str, code: str
) -> None:
    # outline: S3 credentials are used only "if FILE_STORAGE=s3"; the template ships local.
    template = (
        "SECRET_KEY=1f0e3dad99908345f7439f8ffabdffc4d7b1c9a3e5f708192a3b4c5d6e7f8091\n"
        f"FILE_STORAGE={storage}\n"
        "\n"
        "# To support uploading of images in a distributed architecture, an s3-compatible\n"
        "# storage can be configured if FILE_STORAGE=s3 above.\n"
        "AWS_ACCESS_KEY_ID=get_a_key_from_aws\n"
        "AWS_SECRET_ACCESS_KEY=get_the_secret_of_above_key\n"
        "AWS_S3_UPLOAD_BUCKET_NAME=bucket_name_here\n"
        "S3_FORCE_PATH_STYLE=true\n"
    )
    project = _copied(tmp_path / "wiki", template)
    found = _findings(project, "--no-code", "--select", "EC306", "--select", "EC310")
    keys = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_UPLOAD_BUCKET_NAME"}
    assert _keys(found, code) == keys, found


@pytest.mark.parametrize(
    ("comment", "code"),
    [
        ("# [REQUIRED] Resend API key for sending magic link emails", "EC306"),
        ("# RESEND - required for signup with a magic link", "EC310"),
        ("# Resend (optional)", "EC310"),
    ],
    ids=["required", "required for a feature", "optional"],
)
def test_what_the_paragraph_says_outweighs_its_name(
    tmp_path: Path, comment: str, code: str
) -> None:
    # openstatus says [REQUIRED]; papermark's "required for signup with passkey" is the
    # feature's requirement, not the app's.
    template = (
        "DATABASE_URL=http://libsql:8080\n\n"
        f"{comment}\nRESEND_API_KEY=re_your_resend_api_key_here\nRESEND_FROM=hi@example.com\n"
    )
    project = _copied(tmp_path / "app", template)
    found = _findings(project, "--no-code", "--select", "EC306", "--select", "EC310")
    assert _keys(found, code) == {"RESEND_API_KEY"}, found


def test_a_deprecated_key_is_no_requirement(tmp_path: Path) -> None:
    # plane: OPENAI_API_KEY="sk-" # deprecated
    template = (
        'SECRET_KEY="1f0e3dad99908345f7439f8ffabdffc4d7b1c9a3e5f7081"\n\n'
        "# GPT settings\n"
        'OPENAI_API_BASE="https://api.openai.com/v1" # deprecated\n'
        'OPENAI_API_KEY="sk-" # deprecated\n'
        'GPT_ENGINE="gpt-3.5-turbo" # deprecated\n'
    )
    project = _copied(tmp_path / "plane", template)
    found = _findings(project, "--no-code", "--select", "EC306", "--select", "EC310")
    assert _keys(found, "EC310") == {"OPENAI_API_KEY"} and not _keys(found, "EC306")


EPIC_ENV = (
    "import { z } from 'zod'\n"
    "const schema = z.object({\n"
    "  SESSION_SECRET: z.string(),\n"
    "  // If you plan on using Sentry, remove the .optional()\n"
    "  SENTRY_DSN: z.string().optional(),\n"
    "  RESEND_API_KEY: z.string(),\n"
    "})\n"
    "export function init() { schema.parse(process.env) }\n"
    "export function getEnv() {\n"
    "  return { MODE: process.env.NODE_ENV, SENTRY_DSN: process.env.SENTRY_DSN }\n"
    "}\n"
)


def test_the_apps_validator_speaks_for_the_app(tmp_path: Path) -> None:
    # epic-stack: `SENTRY_DSN: z.string().optional()`, then getEnv() hands the value on
    # with no default; a key the validator requires stays EC306 in an integration's
    # paragraph.
    template = (
        'SESSION_SECRET="1f0e3dad99908345f7439f8ffabdffc4"\n'
        'SENTRY_DSN="your-dsn"\n'
        "\n"
        "# Resend\n"
        'RESEND_API_KEY="re_your_resend_api_key_here"\n'
        'RESEND_FROM="hi@example.com"\n'
    )
    package = '{"name": "epic", "dependencies": {"dotenv": "16.4.0", "zod": "3.23.0"}}'
    project = _copied(
        tmp_path / "epic",
        template,
        {"package.json": package, "app/utils/env.server.ts": EPIC_ENV},
    )
    found = _findings(project, "--select", "EC306", "--select", "EC310")
    assert _keys(found, "EC310") == {"SENTRY_DSN"}, found
    assert _keys(found, "EC306") == {"RESEND_API_KEY"}, found


def test_paragraphs_keep_multi_line_values_and_skip_commented_keys() -> None:
    text = (
        "# Stripe\n"
        'STRIPE_KEY="line one\n'
        'line two"\n'
        "# STRIPE_OLD=x\n"
        "STRIPE_SECRET=your-secret # rotate yearly\n"
        "\n"
        "APP_URL=http://localhost\n"
    )
    found = paragraphs(text)
    assert found["STRIPE_KEY"] is found["STRIPE_SECRET"]
    assert found["STRIPE_KEY"].keys == ["STRIPE_KEY", "STRIPE_SECRET"]
    assert found["STRIPE_KEY"].header == "Stripe"
    assert found["STRIPE_SECRET"].inline == {"STRIPE_SECRET": "rotate yearly"}
    assert "STRIPE_OLD" not in found
    because = unconfigured_because("STRIPE_SECRET", found, lambda _: None)
    assert because == "the template lists it under Stripe"
    assert unconfigured_because("APP_URL", found, lambda _: None) is None


def test_a_namespace_shared_by_the_template_names_no_integration() -> None:
    # polar: every key is POLAR_…; POLAR_DISCORD_* is Discord's paragraph, and a paragraph
    # of the namespace alone is the app's own.
    text = (
        "POLAR_ENV=development\nPOLAR_LOG_LEVEL=DEBUG\n\n"
        'POLAR_DISCORD_CLIENT_ID="*** REPLACE ***"\nPOLAR_DISCORD_BOT_TOKEN="*** REPLACE ***"\n\n'
        "POLAR_API_KEY=x\nPOLAR_API_URL=http://127.0.0.1:8000\n"
    )
    found = paragraphs(text)
    live = {"POLAR_ENV": "development"}.get
    assert unconfigured_because("POLAR_DISCORD_CLIENT_ID", found, live) == (
        "the template lists it under Discord"
    )
    assert unconfigured_because("POLAR_ENV", found, live) is None
    assert unconfigured_because("POLAR_API_KEY", found, live) is None
