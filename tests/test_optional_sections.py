"""A template's optional part goes on past its header: linkwarden's ``.env.sample``.

After its required head, linkwarden's template says ``# Additional Optional Settings``
and then lists section after section of integrations (``# MeiliSearch Settings``,
``# AWS S3 Settings``, a ``# SSO Providers`` banner, ``# Apple``...), every value empty.
A fresh clone was told each of those ~290 keys is required (EC301); the head's keys
still are, and a section of the app's own keys (``# Database``) is never carried over.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.schema.example import parse_example
from tests.harness import NEXT_PACKAGE, findings, isolated, keys_of, repository

# The real shape, cut down: required head, the optional header, then integration sections.
SAMPLE = """\
# Full list of environment variables: https://docs.example.com/self-hosting
NEXTAUTH_URL=http://localhost:3000/api/v1/auth
NEXTAUTH_SECRET=

# Docker installation database settings
POSTGRES_PASSWORD=

# Additional Optional Settings
PAGINATION_TAKE_COUNT=
STORAGE_FOLDER=

# MeiliSearch Settings
MEILI_HOST=
MEILI_MASTER_KEY=

# AWS S3 Settings
SPACES_KEY=
SPACES_SECRET=
SPACES_BUCKET_NAME=

#################
# SSO Providers #
#################

# Apple
NEXT_PUBLIC_APPLE_ENABLED=
APPLE_CLIENT_ID=
APPLE_CLIENT_SECRET=
"""


def test_integration_sections_after_an_optional_header_are_optional() -> None:
    keys = {k.name: k for k in parse_example(SAMPLE, ".env.sample")}
    required = {name for name, k in keys.items() if k.fields.get("required") is not False}
    assert required == {"NEXTAUTH_URL", "NEXTAUTH_SECRET", "POSTGRES_PASSWORD"}
    # The evidence is kept for the finding that weighs the key (EC310's reason).
    assert keys["MEILI_HOST"].optional_after == (
        "its section configures Meili, past '# Additional Optional Settings'"
    )
    assert keys["PAGINATION_TAKE_COUNT"].optional_after is None  # the header's own section


def test_carrying_stops_at_a_filled_in_value_or_a_required_header() -> None:
    filled = "# Optional: analytics\nPOSTHOG_KEY=\n\n# Redis\nREDIS_URL=redis://localhost\nREDIS_TOKEN=\n"
    said = (
        "# Optional: analytics\nPOSTHOG_KEY=\n\n# Stripe (required)\nSTRIPE_KEY=\nSTRIPE_SECRET=\n"
    )
    app_own = "# Optional: analytics\nPOSTHOG_KEY=\n\n# Core\nDATABASE_URL=\nSESSION_SECRET=\n"
    for text, still_required in (
        (filled, {"REDIS_URL", "REDIS_TOKEN"}),
        (said, {"STRIPE_KEY", "STRIPE_SECRET"}),
        (app_own, {"DATABASE_URL", "SESSION_SECRET"}),  # mixed stems: the app's own keys
    ):
        keys = parse_example(text, ".env.example")
        required = {k.name for k in keys if k.fields.get("required") is not False}
        assert required == still_required, text


def test_fresh_clone_is_told_only_the_required_head(tmp_path: Path) -> None:
    project = repository(tmp_path / "app", {"package.json": NEXT_PACKAGE, ".env.sample": SAMPLE})
    found = findings(isolated(project, "check", "--format", "json", "--no-process-env"))
    assert keys_of(found, "EC301") == {"NEXTAUTH_URL", "NEXTAUTH_SECRET", "POSTGRES_PASSWORD"}


# postiz's shape: a one-sided ``# === …`` title standing alone opens the optional part,
# and everything after it is optional but what says "required".
POSTIZ = """\
# === Required Settings
DATABASE_URL="postgresql://user:password@localhost:5432/db"
JWT_SECRET="random string for your JWT secret, make it long"

# === Common optional Settings

# Where will social media icons be saved - local or cloudflare.
STORAGE_PROVIDER="local"

# Social Media API Settings
X_API_KEY=""
LINKEDIN_CLIENT_ID=""
MASTODON_URL="https://mastodon.social"

# Misc Settings
OPENAI_API_KEY=""
API_LIMIT=30 # The limit of the public API hour limit

# Developer Settings
IS_GENERAL="true" # required for now
"""
# maybe's shape: a title underlined by a rule, standing alone.
MAYBE = """\
# Required self-hosting vars
# --------------------------------------------------------------------------------

SECRET_KEY_BASE=secret-value

# Optional self-hosting vars
# --------------------------------------------------------------------------------

# Custom port config
PORT=3000

# SMTP Configuration
SMTP_ADDRESS=
SMTP_PORT=465
"""
# NextChat writes every comment ``### …``: a marker over a comment block is the key's.
NEXTCHAT = """\
# Your openai api key. (required)
OPENAI_API_KEY=sk-xxxx

### (optional)
### Whitelist of allowed WebDAV endpoints for chat-log sync, separated by comma.
### Each entry must be a complete endpoint, e.g. https://dav.example.com/path
WHITE_WEBDAV_ENDPOINTS=

### Database
DATABASE_URL=
"""


def _required(text: str) -> set[str]:
    return {k.name for k in parse_example(text, ".env.example") if k.fields.get("required", True)}


def test_a_title_that_stands_alone_opens_a_part_of_the_file() -> None:
    assert _required(POSTIZ) == {"DATABASE_URL", "JWT_SECRET", "IS_GENERAL"}
    assert _required(MAYBE) == {"SECRET_KEY_BASE"}


def test_a_one_sided_title_that_goes_on_into_comments_is_the_keys_comment() -> None:
    # "### (optional)" is about the key below its comment block, not a part's title, and
    # "### Database" right above its key opens no part that the marker's word would reach.
    assert _required(NEXTCHAT) == {"OPENAI_API_KEY", "DATABASE_URL"}


def test_a_rule_under_a_title_that_goes_on_is_still_decoration() -> None:
    # openstatus: "# REDIS & QUEUE" over "# ====" over "# Redis (optional)": the comment
    # after the rule heads the paragraph, and both its keys are optional.
    text = (
        "# DATABASE\n# ======\nDATABASE_URL=\n\n"
        "# REDIS & QUEUE\n# ======\n# Redis (optional) - for caching\n"
        "UPSTASH_REDIS_REST_URL=http://localhost:6379\nUPSTASH_REDIS_REST_TOKEN=placeholder\n"
    )
    assert _required(text) == {"DATABASE_URL"}
