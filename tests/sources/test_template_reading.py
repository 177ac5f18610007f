"""How templates are read: sections, banners, commented-out keys, names (issue 26).

Each case is the shape of a real repository's ``.env.example`` (values faked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.schema.example import parse_example
from envcheck.sources.templates import find_example, is_template, live_name


def _required(text: str) -> dict[str, bool]:
    return {k.name: k.fields.get("required", True) is not False for k in parse_example(text, "t")}


BOXED = """\
# Core
APP_URL=

###########################
###### OPTIONAL ######
###########################

# Stripe
STRIPE_SECRET_KEY=

# Sentry: error reporting
SENTRY_DSN=

###### DATABASE ######
DATABASE_URL=
"""


def test_a_boxed_banner_holds_across_paragraphs_until_the_next_banner() -> None:
    assert _required(BOXED) == {
        "APP_URL": True,
        "STRIPE_SECRET_KEY": False,
        "SENTRY_DSN": False,  # a new paragraph under the same banner
        "DATABASE_URL": True,  # the next banner ends the optional part
    }


@pytest.mark.parametrize("banner", ["# ==== Optional ====", "# --- optional integrations ---"])
def test_other_banner_styles(banner: str) -> None:
    text = f"A=\n\n{banner}\n\n# one\nB=\n\n# two\nC=\n"
    assert _required(text) == {"A": True, "B": False, "C": False}


def test_a_commented_out_key_says_nothing_about_the_next_key() -> None:
    text = '# Mail\n# MAIL_FROM="noreply@example.com" # (optional)\nMAIL_HOST=\n'
    assert _required(text) == {"MAIL_HOST": True}


def test_prose_above_a_key_still_counts() -> None:
    text = "# Optional: only for analytics\nPOSTHOG_KEY=\nAPP_URL=\n"
    assert _required(text)["POSTHOG_KEY"] is False


@pytest.mark.parametrize(
    ("name", "live"),
    [
        (".example.env", ".env"),
        ("example.env", ".env"),
        (".env.example", ".env"),
        # kener: a minimal variant of .env; langfuse: a variant of .env.dev
        (".env-min.example", ".env"),
        (".env.dev-azure.example", ".env.dev"),
        (".env.local.example", ".env.local"),
        (".env.docker.example", ".env.docker"),  # openstatus: cp to .env.docker
    ],
)
def test_template_names(name: str, live: str) -> None:
    assert is_template(name)
    assert live_name(name) == live


@pytest.mark.parametrize("name", [".env", ".env.local", ".envrc", ".env.production"])
def test_live_files_are_not_templates(name: str) -> None:
    assert not is_template(name)


def _variants(root: Path) -> None:
    """langfuse's layout: a development template and its deployment variants side by side."""
    (root / ".env.dev.example").write_text("DATABASE_URL=postgres://localhost/db\nSALT=x\n")
    (root / ".env.dev-azure.example").write_text(
        "DATABASE_URL=postgres://localhost/db\nSALT=x\nLANGFUSE_USE_AZURE_BLOB=true\n"
    )
    (root / ".env.prod.example").write_text("DATABASE_URL=\nSALT=\nNEXTAUTH_URL=\n")
    (root / ".env.test.example").write_text("DATABASE_URL=postgres://localhost/test\n")


def test_a_fresh_clone_reads_the_plain_development_template(tmp_path: Path) -> None:
    _variants(tmp_path)
    assert find_example(tmp_path) == ".env.dev.example"


@pytest.mark.parametrize("copied", [".env.dev-azure.example", ".env.prod.example"])
def test_the_template_a_live_file_was_copied_from_is_found_by_its_keys(
    tmp_path: Path, copied: str
) -> None:
    _variants(tmp_path)
    (tmp_path / ".env").write_text((tmp_path / copied).read_text())
    assert find_example(tmp_path) == copied


def test_a_live_file_sharing_few_keys_leaves_the_preferred_template(tmp_path: Path) -> None:
    _variants(tmp_path)
    (tmp_path / ".env").write_text("OTHER=1\nSALT=y\n")
    assert find_example(tmp_path) == ".env.dev.example"


def test_check_requires_only_the_chosen_variant_s_keys(tmp_path: Path) -> None:
    import json

    from tests.harness import envcheck

    _variants(tmp_path)
    result = envcheck(tmp_path, "check", "--no-code", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    keys = {f["key"] for f in findings if f["code"] == "EC301"}
    assert keys == {"DATABASE_URL", "SALT"}


def test_a_banner_for_the_maintainers_internal_use_is_optional() -> None:
    # dub apps/web/.env.example: ###### DUB.CO INTERNAL USE ONLY ###### after the optional part
    text = (
        "APP_URL=\n\n###### OPTIONAL ######\n\n# Stripe\nSTRIPE_KEY=\n\n"
        "###### ACME INTERNAL USE ONLY ######\n\n# Ahrefs\nAHREFS_API_KEY=\n\n"
        "###### DATABASE ######\nDATABASE_URL=\n"
    )
    assert _required(text) == {
        "APP_URL": True,
        "STRIPE_KEY": False,
        "AHREFS_API_KEY": False,
        "DATABASE_URL": True,
    }
