"""Secret values never print themselves; fingerprints are keyed per run."""

from __future__ import annotations

import json
import logging
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import (
    Fingerprinter,
    Secret,
    expects_credential,
    is_secret,
    is_secret_name,
    mask,
    not_a_secret_because,
    redact,
    reveal,
    shown,
    url_credential,
)

KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd3xQa"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (KEY, "sk-proj-…3xQa"),
        ("sk-ant-api03-" + "x" * 40 + "ZZZZ", "sk-ant-api03-…ZZZZ"),
        ("ghp_" + "a" * 32 + "wxyz", "ghp_…wxyz"),
        ("hunter2", "****"),
        ("", "****"),
        ("plainlongpassword", "…word"),
        ("longvaluewithcontrol\x1b[0m", "…?[0m"),
    ],
)
def test_mask(value: str, expected: str) -> None:
    assert mask(value) == expected


def test_secret_never_prints_raw(caplog: pytest.LogCaptureFixture) -> None:
    s = Secret(KEY)
    rendered = [str(s), repr(s), f"{s}", f"{s!r}", f"{s:>60}", f"{s}"]
    rendered += [str([s]), str({"k": s})]
    logging.getLogger("t").warning("value %s", s)
    rendered.append(caplog.text)
    rendered.append(json.dumps({"v": s}, default=lambda o: o.to_json()))
    for text in rendered:
        assert KEY not in text
        assert "3xQa" in text
    assert reveal(s) == KEY


def test_secret_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(KEY))


def test_secret_equality_without_exposure() -> None:
    assert Secret(KEY) == Secret(KEY)
    assert Secret(KEY) != Secret(KEY + "x")
    assert Secret(KEY) != KEY  # a Secret is not a str


def test_fingerprints_are_keyed_per_run() -> None:
    a, b = Fingerprinter(), Fingerprinter()
    assert a(KEY) == a(Secret(KEY))
    assert a(KEY) != a(KEY + "1")
    assert a(KEY) != b(KEY)
    assert KEY not in a(KEY)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("OPENAI_API_KEY", True),
        ("STRIPE_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("DB_PASSWORD", True),
        ("PRIVATE_KEY", True),
        ("AWS_ACCESS_KEY_ID", False),
        ("PORT", False),
        ("KEYBOARD_LAYOUT", False),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", False),
        ("MONKEY", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


# Issue 26: a name is a hint, the value decides.  Each row is a value found under a
# credential-like name in a public repository (values replaced by fakes of the same shape).
NAMED_LIKE_SECRETS_HOLDING_NONE = [
    ("AUTH_DISABLE_EMAIL_SIGNUP", "true", "it is a boolean"),
    ("PASSWORD_AUTH", "Enabled", "it is a boolean"),
    ("GITHUB_TOKEN_KIND", "personal-access-token", "it is a word, not a credential"),
    ("SESSION_STORE", "redis", "it is a word, not a credential"),
    ("AUTH_SERVER", "https://auth.example.com/realms/app", "it is a URL without a credential"),
    ("TOKEN_ISSUER_BASE", "https://login.example.com", "it is a URL without a credential"),
    ("SESSION_TIMEOUT_SECONDS_TOKEN", "3600", "it is a number"),
    ("API_SECRET", "", "it is empty"),
    ("API_SECRET", "   ", "it is empty"),
]
CREDENTIALS_UNDER_SECRET_NAMES = [
    ("DB_PASSWORD", "hunter2"),
    ("JWT_SECRET", "mysupersecretkey"),  # one long run: a weak secret is still a secret
    ("SESSION_SECRET", "correct-horse-battery-staple"),  # a passphrase, not an enum word
    ("AUTH_SECRET", "Xy9-Qp2_Lm4"),
    ("WEBHOOK_SECRET", "https://hooks.example.com/T0123ABCD/B0456EFGH/a1B2c3D4e5F6g7H8i9J0"),
    ("AUTH_CALLBACK_SECRET", "https://api.example.com/hook?token=abc123"),
    ("DATABASE_SECRET", "postgres://app:S3cretPw@db:5432/app"),
]


@pytest.mark.parametrize(("name", "value", "reason"), NAMED_LIKE_SECRETS_HOLDING_NONE)
def test_a_secret_name_with_a_value_that_cannot_be_one_is_no_secret(
    name: str, value: str, reason: str
) -> None:
    assert is_secret_name(name)
    assert not_a_secret_because(value) == reason
    assert not is_secret(name, value)
    assert expects_credential(name, value)  # a placeholder there would still be worth saying


@pytest.mark.parametrize(("name", "value"), CREDENTIALS_UNDER_SECRET_NAMES)
def test_a_secret_name_with_a_value_that_can_be_one_is_a_secret(name: str, value: str) -> None:
    assert not_a_secret_because(value) is None
    assert is_secret(name, value)


@pytest.mark.parametrize(
    ("url", "credential"),
    [
        ("postgres://app:pw@db/app", "a password in the URL"),
        ("postgres://app@db/app", None),
        (
            "https://ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345@github.com/x.git",
            "a token in the URL's user part",
        ),
        ("https://x.example/v1?api_key=abc", "a credential in the URL's query (api_key=)"),
        ("https://x.example/v1?page=2&sort=asc", None),
        (
            "https://discord.com/api/webhooks/123456789012345678/aBcDeFgHiJ0123456789kLmNoP",
            "a token-shaped segment in the URL's path",
        ),
        ("https://api.example.com/v1/chat/completions", None),
    ],
)
def test_url_credential(url: str, credential: str | None) -> None:
    assert url_credential(url) == credential


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("COOKIE_NAME", False),
        ("SESSION_COOKIE_NAME", False),
        ("GITHUB_TOKEN_TYPE", False),
        ("AUTH_TRUST_HOST_ENABLED", False),
        ("JWT_ALGORITHM", False),
        ("ACCESS_TOKEN_EXPIRES_IN", False),
        ("AUTH_GITHUB_ID", False),
        ("SSH_KEY_PATH", False),
        ("NEXTAUTH_URL", False),
        ("AUTH_GITHUB_SECRET", True),
        ("SECRET_KEY_BASE", True),
        ("SENTRY_AUTH_TOKEN", True),
    ],
)
def test_names_that_describe_a_credential_are_not_one(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_secret_by_shape_and_display() -> None:
    assert is_secret("SOMETHING", KEY)
    assert not is_secret("PORT", "3000")
    assert shown("PORT", "3000") == "3000"
    assert shown("SOMETHING", Secret(KEY)) == "sk-proj-…3xQa"


def test_redact_masks_echoed_keys_in_all_encodings() -> None:
    import base64
    import urllib.parse

    message = (
        f"Incorrect API key provided: {KEY}. b64={base64.b64encode(KEY.encode()).decode()} "
        f"url={urllib.parse.quote(KEY, safe='')} other=sk-live0123456789abcdefghij"
    )
    out = redact(message, [Secret(KEY)])
    assert KEY not in out
    assert base64.b64encode(KEY.encode()).decode().rstrip("=") not in out
    assert "sk-live0123456789abcdefghij" not in out
    assert "sk-proj-…3xQa" in out


_NAME_PIECES = [
    *"_ABCKSXakxs019", "ſ", "K", "\n",
    "KEY", "key", "APIKEY", "SECRET", "SECRETS", "TOKEN", "TOKENS", "PASSWORD", "PASSWD",
    "PASS", "PWD", "PRIVATE", "CREDENTIAL", "CREDENTIALS", "AUTH", "DSN", "SALT",
    "SIGNATURE", "COOKIE", "SESSION", "_KEY_ID", "_PATH", "_FILE", "_URL", "_URLS", "_ID",
    "_IDS", "_SCOPE", "_SCOPES", "PUBLIC_KEY", "PUBLISHABLE_KEY", "_MAX_AGE", "_EXPIRES_IN",
    "_ENDPOINT", "_name", "_ttl", "OPENAI", "NEXT_PUBLIC_",
]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=6).map("".join))
def test_the_secret_name_word_test_agrees_with_the_regexes(name: str) -> None:
    """The per-word answer (no memo: a large file's keys are all distinct) is the regexes'."""
    from envcheck.secret import _NOT_SECRET_NAME, _SECRET_NAME

    by_regex = bool(_SECRET_NAME.search(name)) and not _NOT_SECRET_NAME.search(name)
    assert is_secret_name(name) is by_regex
