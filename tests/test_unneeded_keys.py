"""A template's comment that the app does without a key: bookwyrm's ``.env.example``.

bookwyrm ships ``EMAIL_SENDER_DOMAIN=`` empty under ``# defaults to DOMAIN``, says "If
NGINX_SETUP is not defined, we default to https mode" over ``NGINX_SETUP``, lists its
``OTEL_*`` keys below "example keys if you want to enable automatically sending
telemetry", and leaves ``AWS_*`` empty under ``USE_S3=false``.  A fresh clone was told
each is required (EC301); the keys the comments only describe still are.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.schema.example import parse_example
from tests.harness import findings, isolated, keys_of, repository

# The real shape, cut down.
BOOKWYRM = """\
# Your domain ("example.com"). If running development on localhost, set this to localhost
DOMAIN=your.domain.here

# If you use letsencrypt and get https directly to nginx, use https mode,

# if you have something in front of nginx, use reverse_proxy mode.
#
# If NGINX_SETUP is not defined, we default to https mode
#
# docker compose NGINX setup: https, reverse_proxy
NGINX_SETUP=https

# Email config
EMAIL_HOST=smtp.mailgun.org
EMAIL_HOST_PASSWORD=
EMAIL_SENDER_NAME=admin
# defaults to DOMAIN
EMAIL_SENDER_DOMAIN=

# S3 configuration
USE_S3=false
AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=

# Commented are example values if you use a non-AWS, S3-compatible service
# AWS_S3_URL_PROTOCOL must end in ":" and defaults to the same protocol as
# the instance ("http:" or "https:").
# AWS_S3_URL_PROTOCOL=None        # "http:"

# Preview image generation can be computing and storage intensive
PREVIEW_SECRET=

# Below are example keys if you want to enable automatically
# sending telemetry to an OTLP-compatible service.
#
# consult their documentation for setup instructions

# Service name is an arbitrary tag that is attached to any data sent.

# API endpoint for your provider
OTEL_EXPORTER_OTLP_ENDPOINT=
# Service name to identify your app
OTEL_SERVICE_NAME=

# TOTP settings
TOTP_SECRET=
"""
# The keys the comments above only describe, or that name another key's default.
STILL_REQUIRED = {
    "DOMAIN",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_SENDER_NAME",
    "USE_S3",
    "PREVIEW_SECRET",
    "TOTP_SECRET",
}


def _required(text: str) -> set[str]:
    return {k.name for k in parse_example(text, ".env.example") if k.fields.get("required", True)}


def test_a_default_a_feature_condition_or_a_switch_shipped_off_makes_a_key_optional() -> None:
    assert _required(BOOKWYRM) == STILL_REQUIRED


def test_a_sentence_about_another_key_makes_this_one_no_less_required() -> None:
    text = "# Mail\n# MAIL_FROM defaults to the admin's address\nMAIL_HOST=\nMAIL_FROM=\n"
    assert _required(text) == {"MAIL_HOST"}


def test_a_stand_alone_heading_reaches_only_the_next_paragraph_of_keys() -> None:
    text = (
        "# Keys below only if you want to enable Sentry\n\n"
        "SENTRY_DSN=\n\n"
        "# Database\nDATABASE_URL=\n"
    )
    assert _required(text) == {"DATABASE_URL"}


def test_a_switch_on_amid_its_paragraph_or_before_a_value_keeps_the_keys_required() -> None:
    text = (
        "USE_S3=true\nAWS_KEY=\n\n"
        "ENABLE_SSO=false\nSSO_ISSUER=https://id.example.com\n\n"
        "SMTP_HOST=localhost\nSMTP_SECURE_ENABLED=0\nSMTP_USER=\n"
    )
    required = {"USE_S3", "AWS_KEY", "ENABLE_SSO", "SSO_ISSUER", "SMTP_HOST"}
    assert _required(text) == required | {"SMTP_SECURE_ENABLED", "SMTP_USER"}


def test_a_setting_only_the_development_run_needs_stays_required() -> None:
    # dub: "NEXTAUTH_URL=http://localhost:8888 # (only needed for localhost)"
    text = "NEXTAUTH_URL=http://localhost:8888 # (only needed for localhost)\n"
    assert _required(text) == {"NEXTAUTH_URL"}


def test_fresh_clone_is_told_only_the_keys_the_template_needs(tmp_path: Path) -> None:
    project = repository(tmp_path / "app", {".env.example": BOOKWYRM, "settings.py": "X = 1\n"})
    found = findings(isolated(project, "check", "--format", "json", "--no-process-env"))
    assert keys_of(found, "EC301") == STILL_REQUIRED


def test_a_section_default_leaves_a_filled_in_key_required() -> None:
    # formbricks: the sentence naming FORMBRICKS_APP_URL spans two lines, and the keys
    # below the stand-alone paragraph carry working values.
    text = (
        "# Set FORMBRICKS_WORKSPACE_ID to the Workspace ID that hosts your surveys to mount\n"
        "# the survey widget in the authenticated app. FORMBRICKS_APP_URL is the Formbricks\n"
        "# instance serving the widget (defaults to https://app.formbricks.com).\n\n"
        "FORMBRICKS_WORKSPACE_ID=x6dnhn4fdu32iy5obuzdnkj2\n"
        "FORMBRICKS_APP_URL=https://app.formbricks.com\n"
        "FORMBRICKS_TOKEN=\n"
    )
    assert _required(text) == {"FORMBRICKS_WORKSPACE_ID", "FORMBRICKS_APP_URL", "FORMBRICKS_TOKEN"}
