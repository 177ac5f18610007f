"""The survey's faker (bench/survey/faker.py): every value that could be a secret is
replaced, and the shape envcheck's rules judge (prefix, length, character classes, URL
userinfo, JWT claims, placeholders, quoting) is kept -- else the survey would measure
envcheck on shapes no real project has."""

from __future__ import annotations

import base64
import importlib.util
import json
import string
import sys
from types import ModuleType

import pytest

from tests.harness import REPO_ROOT


def _load_faker() -> ModuleType:
    path = REPO_ROOT / "bench" / "survey" / "faker.py"
    spec = importlib.util.spec_from_file_location("survey_faker", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["survey_faker"] = module
    spec.loader.exec_module(module)
    return module


faker = _load_faker()


def _classes(text: str) -> list[str]:
    def cls(c: str) -> str:
        if c.isdigit():
            return "d"
        if c.islower():
            return "l"
        if c.isupper():
            return "u"
        return c

    return [cls(c) for c in text]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "true",
        "False",
        "enabled",
        "3000",
        "0.5",
        "production",
        "${DATABASE_URL}",
        "http://localhost:3000",
        "https://api.example.com/v1",
        "your-api-key-here",
        "changeme",
        "<your token>",
        "*** REPLACE ***",
        "/var/lib/app",
        "redis",
    ],
)
def test_values_that_cannot_be_secrets_are_their_own_fake(value: str) -> None:
    assert faker.fake_value(value, "seed") == value


@pytest.mark.parametrize(
    "value, prefix",
    [
        ("sk-proj-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3", "sk-proj-"),
        ("sk_live_51HcXyZAbCdEfGhIjKlMnOpQrStUv0123456789", "sk_live_"),
        ("ghp_0123456789abcdefABCDEF0123456789abcd", "ghp_"),
        ("AKIAIOSFODNN7EXAMPLQ", "AKIA"),
        ("3f9a1c0e7b2d4a6c8e0f1a3b5c7d9e1f", ""),
    ],
)
def test_a_key_keeps_prefix_length_and_character_classes(value: str, prefix: str) -> None:
    fake = faker.fake_value(value, "seed")
    assert fake != value
    assert fake.startswith(prefix)
    assert len(fake) == len(value)
    assert _classes(fake) == _classes(value)


def test_fakes_are_deterministic_per_seed() -> None:
    value = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    assert faker.fake_value(value, "a") == faker.fake_value(value, "a")
    assert faker.fake_value(value, "a") != faker.fake_value(value, "b")


def test_a_url_keeps_scheme_host_and_path_and_fakes_its_userinfo() -> None:
    value = "postgresql://admin:Sup3rS3cret99@db.internal:5432/app?sslmode=require"
    fake = faker.fake_value(value, "s")
    assert fake.startswith("postgresql://")
    assert fake.endswith("@db.internal:5432/app?sslmode=require")
    userinfo = fake[len("postgresql://") : fake.index("@")]
    assert userinfo != "admin:Sup3rS3cret99"
    assert _classes(userinfo) == _classes("admin:Sup3rS3cret99")


def test_a_webhook_url_fakes_its_token_segment_and_query_key() -> None:
    value = "https://hooks.slack.com/services/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?key=AbCdEf0123456789xyz"
    fake = faker.fake_value(value, "s")
    assert fake.startswith("https://hooks.slack.com/services/")
    assert "aBcD3fGh5jKl7mNo9pQr1sTu" not in fake
    assert "AbCdEf0123456789xyz" not in fake
    assert len(fake) == len(value)


def test_a_jwt_keeps_its_claims_and_gets_a_fake_signature() -> None:
    def seg(obj: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    signature = "Xy9" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3"
    jwt = f"{seg({'alg': 'HS256'})}.{seg({'role': 'anon'})}.{signature}"
    fake = faker.fake_value(jwt, "s")
    head, claims, fake_signature = fake.split(".")
    assert (head, claims) == tuple(jwt.split(".")[:2])
    assert fake_signature != signature and len(fake_signature) == len(signature)


def test_an_env_file_keeps_layout_quotes_comments_and_references() -> None:
    text = (
        "# Stripe\n"
        'export STRIPE_SECRET_KEY="sk_test_4eC39HqLyjWDarjtT1zdp7dc" # from the dashboard\n'
        "DEBUG=true\n"
        "\n"
        "# OPENAI_API_KEY=sk-proj-abcdefghijklmnop1234567890ABCDEFGH\n"
        "DATABASE_URL='postgres://u:p4ssw0rdXYZ@localhost/db'\n"
        "URL=${BASE}/api\n"
        "EMPTY=\n"
    )
    fake = faker.fake_env_text(text, "repo:.env")
    lines = fake.split("\n")
    assert lines[0] == "# Stripe"
    assert lines[1].startswith('export STRIPE_SECRET_KEY="sk_test_')
    assert lines[1].endswith('" # from the dashboard')
    assert "4eC39HqLyjWDarjtT1zdp7dc" not in fake
    assert lines[2] == "DEBUG=true" and lines[3] == ""
    assert lines[4].startswith("# OPENAI_API_KEY=sk-proj-") and "abcdefghijklmnop1234" not in fake
    assert lines[5].startswith("DATABASE_URL='postgres://") and "p4ssw0rdXYZ" not in fake
    assert lines[6] == "URL=${BASE}/api" and lines[7] == "EMPTY="
    assert len(lines) == len(text.split("\n"))


def test_a_multiline_pem_keeps_its_markers_and_fakes_the_body() -> None:
    body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"
    text = f'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----"\nNEXT=1\n'
    fake = faker.fake_env_text(text, "s")
    assert body not in fake
    assert "-----BEGIN PRIVATE KEY-----" in fake and '-----END PRIVATE KEY-----"' in fake
    assert fake.endswith("NEXT=1\n")


def test_filling_gives_empty_secret_names_a_value_and_leaves_the_rest() -> None:
    text = (
        'NEXTAUTH_SECRET=\nSENTRY_DSN=\nAPI_KEY=""\n# TOKEN=\nPORT=3000\n'
        "NEXT_PUBLIC_DISABLE_PASSWORD_SIGNUP=\n"
    )
    filled = dict(faker.iter_assignments(faker.fill_empty_secrets(text, "s")))
    assert len(filled["NEXTAUTH_SECRET"]) == 32
    assert set(filled["NEXTAUTH_SECRET"]) <= set(string.ascii_letters + string.digits)
    assert len(filled["API_KEY"]) == 32
    assert filled["SENTRY_DSN"] == "" and filled["PORT"] == "3000"
    assert filled["NEXT_PUBLIC_DISABLE_PASSWORD_SIGNUP"] == ""  # a boolean, not a secret
    assert "# TOKEN=\n" in faker.fill_empty_secrets(text, "s")


def test_the_harness_fakes_env_files_and_templates_and_nothing_else() -> None:
    # Only what a pre-commit hook's env pattern would pick: faking (or linting) a SQL
    # query named *_env_* or a vite config would measure the harness, not envcheck.
    path = REPO_ROOT / "bench" / "survey" / "run.py"
    spec = importlib.util.spec_from_file_location("survey_run", path)
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    env_files = [
        ".env",
        "apps/web/.env.local",
        ".env.example",
        ".example.env",
        "plausible-conf.env",
        "env-example-relational",
        "apps/api/.env-template",
        "kubernetes/.env_sample",
        "docker/compose/docker-compose.env",
        ".env.docker.example",
    ]
    other = [
        "types/env.env.d.ts",
        ".envrc",
        "apps/web/vite.env-validation.config.mts",
        "pkg/db/queries/app_env_var_insert.sql",
        "src/env.ts",
        "node_modules/x/.env",
    ]
    assert all(run.is_env_file(name) for name in env_files)
    assert not any(run.is_env_file(name) for name in other)


@pytest.mark.parametrize(
    "value", ["polar123456789", "pass1234567", "polarpolar", "fakefakefakefake", "abcabcabcabc"]
)
def test_typed_dummies_are_their_own_fake(value: str) -> None:
    # polar's server/.env.testing: POLAR_AWS_SECRET_ACCESS_KEY=polar123456789 cannot carry a
    # secret; faked char by char it became a random-looking one envcheck rightly flags.
    assert faker.is_obvious_dummy(value)
    assert faker.fake_value(value, "s") == value
    assert faker.fake_env_text(f"POLAR_AWS_SECRET_ACCESS_KEY={value}\n", "s") == (
        f"POLAR_AWS_SECRET_ACCESS_KEY={value}\n"
    )


@pytest.mark.parametrize("value", ["hunter22x", "k8Jd0aPq3LmZ", "polar1234", "a1b2c3d4e5"])
def test_generated_looking_values_are_still_faked(value: str) -> None:
    assert not faker.is_obvious_dummy(value)
    assert faker.fake_value(value, "s") != value


def test_filling_under_a_public_prefix_uses_only_public_vendor_shapes() -> None:
    # hoppscotch's VITE_PROXYSCOTCH_ACCESS_TOKEN: no public shape known, so it stays empty
    # rather than holding a random server secret the project never meant to ship.
    text = (
        "VITE_PROXYSCOTCH_ACCESS_TOKEN=\nNEXT_PUBLIC_STRIPE_KEY=\n"
        "NEXT_PUBLIC_GOOGLE_API_KEY=\nNEXT_PUBLIC_OPENAI_API_KEY=\nSERVER_TOKEN=\n"
    )
    filled = dict(faker.iter_assignments(faker.fill_empty_secrets(text, "s")))
    assert filled["VITE_PROXYSCOTCH_ACCESS_TOKEN"] == ""
    assert filled["NEXT_PUBLIC_STRIPE_KEY"].startswith("pk_test_")
    assert filled["NEXT_PUBLIC_GOOGLE_API_KEY"].startswith("AIza")
    assert filled["NEXT_PUBLIC_OPENAI_API_KEY"] == ""
    assert len(filled["SERVER_TOKEN"]) == 32
