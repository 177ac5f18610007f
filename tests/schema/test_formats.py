"""Detectors against real-shaped fake keys: every kind accepted, look-alikes rejected.

The keys are generated from a fixed seed with each issuer's alphabet and
length, so they have the real shape without being real credentials.
"""

from __future__ import annotations

import random
import string

import pytest

from envcheck.schema import formats
from envcheck.schema.formats import (
    DETECTORS,
    check_format,
    detect,
    format_for_name,
    is_placeholder,
    stray_characters,
)

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
URLSAFE = ALNUM + "-_"


def fake(n: int, alphabet: str = ALNUM, seed: int = 7) -> str:
    rng = random.Random(seed * 1000 + n)
    return "".join(rng.choice(alphabet) for _ in range(n))


OPENAI_LEGACY = "sk-" + fake(20) + "T3BlbkFJ" + fake(20, seed=8)
OPENAI_PROJ = "sk-proj-" + fake(74, URLSAFE) + "T3BlbkFJ" + fake(74, URLSAFE, seed=9)
OPENAI_SVC = "sk-svcacct-" + fake(74, URLSAFE) + "T3BlbkFJ" + fake(74, URLSAFE, seed=9)
OPENAI_ADMIN = "sk-admin-" + fake(74, URLSAFE)
ANTHROPIC = "sk-ant-api03-" + fake(93, URLSAFE) + "AA"
GOOGLE = "AIza" + fake(35, URLSAFE)
GROQ = "gsk_" + fake(52)
MISTRAL = fake(32)
AZURE_HEX = fake(32, HEX)
AZURE_NEW = fake(84)
AWS_ID = "AKIA" + fake(16, string.ascii_uppercase + "234567")
AWS_STS = "ASIA" + fake(16, string.ascii_uppercase + "234567")
AWS_SECRET = fake(40, ALNUM + "/+")
STRIPE_SK = "sk_live_" + fake(99)
STRIPE_TEST = "sk_test_" + fake(24)
STRIPE_RK = "rk_live_" + fake(99)
STRIPE_PK = "pk_test_" + fake(99)
GH_CLASSIC = "ghp_" + fake(36)
GH_FINE = "github_pat_" + fake(22) + "_" + fake(59, seed=3)
SLACK = "xoxb-" + fake(12, string.digits) + "-" + fake(13, string.digits) + "-" + fake(24)
SESSION = "sess-" + fake(40)
OPENROUTER = "sk-or-v1-" + fake(64, HEX)
HF = "hf_" + fake(34)

POSITIVE = [
    ("openai-api-key", OPENAI_LEGACY),
    ("openai-api-key", OPENAI_PROJ),
    ("openai-api-key", "sk-proj-" + fake(48)),
    ("openai-api-key", OPENAI_SVC),
    ("openai-api-key", OPENAI_ADMIN),
    ("azure-openai-key", AZURE_HEX),
    ("azure-openai-key", AZURE_NEW),
    ("anthropic-api-key", ANTHROPIC),
    ("google-api-key", GOOGLE),
    ("groq-api-key", GROQ),
    ("mistral-api-key", MISTRAL),
    ("aws-access-key-id", AWS_ID),
    ("aws-access-key-id", AWS_STS),
    ("aws-secret-access-key", AWS_SECRET),
    ("stripe-secret-key", STRIPE_SK),
    ("stripe-secret-key", STRIPE_TEST),
    ("stripe-secret-key", STRIPE_RK),
    ("stripe-publishable-key", STRIPE_PK),
    ("github-token", GH_CLASSIC),
    ("github-token", "gho_" + fake(36)),
    ("github-token", GH_FINE),
    ("slack-token", SLACK),
    ("openrouter-api-key", OPENROUTER),
    ("huggingface-token", HF),
    ("database-url", "postgres://app:pw@db.internal:5432/app"),
    ("database-url", "postgresql+asyncpg://app@localhost/app?sslmode=require"),
    ("database-url", "postgresql:///app?host=/var/run/postgresql"),
    ("database-url", "mysql://root:pw@127.0.0.1:3306/app"),
    ("database-url", "mongodb://u:p@h1:27017,h2:27017/app?replicaSet=rs0"),
    ("database-url", "mongodb+srv://u:p@cluster0.abcde.mongodb.net/app"),
    ("database-url", "redis://:pw@localhost:6379/0"),
    ("database-url", "rediss://cache.example.com"),
    ("database-url", "sqlite:///./app.db"),
    ("database-url", "postgres://[::1]:5432/app"),
    ("url", "https://api.openai.com/v1"),
    ("url", "http://localhost:11434/v1"),
]

NEGATIVE = [
    ("openai-api-key", SESSION, "session token"),
    ("openai-api-key", ANTHROPIC, "looks like an Anthropic API key"),
    ("openai-api-key", GROQ, "looks like a Groq API key"),
    ("openai-api-key", OPENROUTER, "looks like an OpenRouter API key"),
    ("openai-api-key", "sk-" + fake(32, HEX), "OpenAI-compatible"),
    ("openai-api-key", "sk-" + fake(48), "does not have the shape"),
    ("openai-api-key", OPENAI_PROJ[:20], "does not have the shape"),
    ("openai-api-key", STRIPE_SK, "looks like a Stripe secret key"),
    ("azure-openai-key", fake(31, HEX), "does not have the shape"),
    ("anthropic-api-key", "sk-ant-admin01-" + fake(93, URLSAFE), "Admin API key"),
    ("anthropic-api-key", "sk-ant-oat01-" + fake(93, URLSAFE), "OAuth token"),
    ("anthropic-api-key", OPENAI_PROJ, "looks like an OpenAI API key"),
    ("google-api-key", "AIza" + fake(30), "does not have the shape"),
    ("groq-api-key", "gsk_short", "does not have the shape"),
    ("mistral-api-key", fake(31), "does not have the shape"),
    ("mistral-api-key", OPENAI_LEGACY, "looks like an OpenAI API key"),
    ("aws-access-key-id", "AKIA" + fake(15, string.ascii_uppercase), "does not have the shape"),
    ("aws-access-key-id", "akia" + fake(16, string.ascii_uppercase), "does not have the shape"),
    ("aws-secret-access-key", fake(39, ALNUM + "/+"), "does not have the shape"),
    ("stripe-secret-key", STRIPE_PK, "publishable key"),
    ("stripe-secret-key", "sk_prod_" + fake(30), "does not have the shape"),
    ("stripe-publishable-key", STRIPE_SK, "secret key where a publishable key"),
    ("github-token", "ghx_" + fake(36), "does not have the shape"),
    ("github-token", "ghp_" + fake(20), "does not have the shape"),
    ("slack-token", "xoxz-" + fake(30), "does not have the shape"),
    ("database-url", "https://db.example.com/app", "known database scheme"),
    ("database-url", "postgres:///app", "no host"),
    ("database-url", "postgres://db:99999/app", "port"),
    ("database-url", "postgres://db:abc/app", "port"),
    ("database-url", "localhost:5432", "not a database URL"),
    ("openrouter-api-key", "sk-or-v1-" + fake(64), "does not have the shape"),
    ("huggingface-token", "hf_" + fake(10), "does not have the shape"),
    ("url", "localhost:3000", "not an absolute URL"),
    ("url", "https://", "no host"),
    ("url", "https://exa mple.com", "not an absolute URL"),
]


@pytest.mark.parametrize(("name", "value"), POSITIVE)
def test_detector_accepts(name: str, value: str) -> None:
    assert check_format(name, value) is None


@pytest.mark.parametrize(("name", "value", "reason"), NEGATIVE)
def test_detector_rejects_with_reason_and_no_value(name: str, value: str, reason: str) -> None:
    verdict = check_format(name, value)
    assert verdict is not None
    assert reason in verdict
    assert value not in verdict
    assert value[-8:] not in verdict


def test_sess_token_is_not_an_api_key_and_is_named_as_such() -> None:
    verdict = check_format("openai-api-key", SESSION)
    assert verdict is not None and verdict.startswith("is a ChatGPT browser session token")


def test_every_detector_is_documented_and_covered() -> None:
    assert len(DETECTORS) >= 12
    covered = {n for n, _ in POSITIVE} & {n for n, _, _ in NEGATIVE}
    assert covered == set(DETECTORS)
    for d in DETECTORS.values():
        assert d.shape and d.check.__doc__


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (OPENAI_LEGACY, "openai-api-key"),
        (OPENAI_PROJ, "openai-api-key"),
        (ANTHROPIC, "anthropic-api-key"),
        (GOOGLE, "google-api-key"),
        (GROQ, "groq-api-key"),
        (AWS_ID, "aws-access-key-id"),
        (STRIPE_SK, "stripe-secret-key"),
        (STRIPE_PK, "stripe-publishable-key"),
        (GH_FINE, "github-token"),
        (SLACK, "slack-token"),
        (OPENROUTER, "openrouter-api-key"),
        (HF, "huggingface-token"),
        (MISTRAL, None),  # bare shapes are never guessed
        (AWS_SECRET, None),
        (SESSION, None),
        ("sk-xxxx", None),
        ("hello world", None),
        ("", None),
    ],
)
def test_detect(value: str, kind: str | None) -> None:
    assert detect(value) == kind


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("OPENAI_API_KEY", "openai-api-key"),
        ("NEXT_PUBLIC_OPENAI_API_KEY", "openai-api-key"),
        ("VITE_GEMINI_API_KEY", "google-api-key"),
        ("DATABASE_URL", "database-url"),
        ("GITHUB_TOKEN", "github-token"),
        ("MY_OPENAI_API_KEY", None),
        ("PORT", None),
    ],
)
def test_format_for_name(name: str, fmt: str | None) -> None:
    assert format_for_name(name) == fmt


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (" " + OPENAI_PROJ, "starts with whitespace"),
        (OPENAI_PROJ + " ", "ends with whitespace"),
        (OPENAI_PROJ + "\n", "ends with whitespace"),
        (OPENAI_PROJ[:30] + "\n" + OPENAI_PROJ[30:], "line break"),
        ('"' + OPENAI_PROJ + '"', "wrapped in quote"),
        ("\u201c" + OPENAI_PROJ + "\u201d", "wrapped in quote"),
        ("'" + OPENAI_PROJ, "stray quote"),
        (OPENAI_PROJ[:10] + "\u200b" + OPENAI_PROJ[10:], "zero-width character at position 11"),
        ("\ufeff" + OPENAI_PROJ, "zero-width"),
        (OPENAI_PROJ, None),
        ("it's fine", None),
        ("", None),
    ],
)
def test_stray_characters(value: str, reason: str | None) -> None:
    verdict = stray_characters(value)
    if reason is None:
        assert verdict is None
    else:
        assert verdict is not None and reason in verdict
        assert OPENAI_PROJ[8:] not in verdict


@pytest.mark.parametrize(
    "value",
    [
        "your-api-key-here",
        "YOUR_OPENAI_API_KEY",
        "your_key",
        "<your-openai-key>",
        "{{OPENAI_API_KEY}}",
        "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
        "sk-proj-XXXXXXXXXXXX",
        "sk-...",
        "sk-",
        "sk-your-key",
        "sk_test_xxxxxxxx",
        "changeme",
        "CHANGE_ME",
        "REPLACE_ME",
        "replace-this",
        "TODO",
        "tbd",
        "xxx",
        "***",
        "...",
        "…",
        "example",
        "placeholder",
        "insert-token-here",
        "paste_your_token",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        # a URL's stand-ins in a bare host name (vercel/commerce's SHOPIFY_STORE_DOMAIN)
        "[your-shopify-store-subdomain].myshopify.com",
        "<your-domain>.vercel.app",
        "api.your-domain.com",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        OPENAI_PROJ,
        OPENAI_LEGACY,
        ANTHROPIC,
        STRIPE_TEST,
        GH_CLASSIC,
        "",
        "3000",
        "true",
        "https://example.com",
        "https://api.openai.com/v1",
        "development",
        '{"a": [1, 2]}',
        "[1, 2]",
        "hunter2",
        "my-app",
        "todo-list-app",
        "shop.myshopify.com",
        "[2001:db8::1]",
        "v1.2.3",
        "example.com",
    ],
)
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_module_imports_only_re() -> None:
    imported = {name for name, obj in vars(formats).items() if type(obj).__name__ == "module"}
    assert imported == {"re"}
