"""How templates are read: sections, banners, commented-out keys, names (issue 26).

Each case is the shape of a real repository's ``.env.example`` (values faked).
"""

from __future__ import annotations

import pytest

from envcheck.schema.example import parse_example
from envcheck.sources.templates import is_template, live_name


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
    [(".example.env", ".env"), ("example.env", ".env"), (".env.example", ".env")],
)
def test_template_names(name: str, live: str) -> None:
    assert is_template(name)
    assert live_name(name) == live


@pytest.mark.parametrize("name", [".env", ".env.local", ".envrc", ".env.production"])
def test_live_files_are_not_templates(name: str) -> None:
    assert not is_template(name)
