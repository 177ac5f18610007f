"""``envcheck init``: a schema drafted from the example and the files, never a secret."""

from __future__ import annotations

import os
import random
import string
from pathlib import Path

import pytest

from envcheck.cli import main
from envcheck.schema.init import draft, guess_spec, render
from envcheck.schema.load import load_schema

RNG = random.Random(5)
ALNUM = string.ascii_letters + string.digits
OPENAI = "sk-proj-" + "".join(RNG.choice(ALNUM) for _ in range(56))
STRIPE = "sk_test_" + "".join(RNG.choice(ALNUM) for _ in range(30))
PASSWORD = "correct-horse-battery-" + "".join(RNG.choice(ALNUM) for _ in range(8))
DB = f"postgres://app:{PASSWORD}@db.internal:5432/app"

EXAMPLE = f"""\
# The chat route's key.
# secret; format: openai-api-key; probe: openai
OPENAI_API_KEY=sk-...
PORT=3000            # optional
LOG_LEVEL=info       # choices: debug,info
DATABASE_URL=postgres://app:devpassword@localhost/app
SENTRY_DSN=          # modes: production
STRIPE_SECRET_KEY={STRIPE}
"""
ENV = f"""\
OPENAI_API_KEY={OPENAI}
DATABASE_URL={DB}
ADMIN_PASSWORD={PASSWORD}
DEBUG=true
REQUEST_TIMEOUT=30
API_URL=https://api.example.com/v1
GREETING=hello
"""
SECRETS = (OPENAI, STRIPE, PASSWORD, "devpassword", OPENAI[-12:], STRIPE[-12:])


def project(tmp_path: Path, example: str | None = EXAMPLE, env: str | None = ENV) -> Path:
    if example is not None:
        (tmp_path / ".env.example").write_text(example, encoding="utf-8")
    if env is not None:
        (tmp_path / ".env").write_text(env, encoding="utf-8")
    return tmp_path


def run(tmp_path: Path, *args: str) -> int:
    return main(["init", "--dir", str(tmp_path), "--framework", "vite", *args])


def test_init_writes_no_secret_and_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project(tmp_path)) == 0
    text = (tmp_path / "envcheck.toml").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text
    assert "wrote envcheck.toml with 11 keys from .env.example, .env" in capsys.readouterr().err
    schema = load_schema(tmp_path)
    assert schema is not None and schema.framework == "vite"
    keys = schema.keys
    assert list(keys)[:6] == [
        "OPENAI_API_KEY",
        "PORT",
        "LOG_LEVEL",
        "DATABASE_URL",
        "SENTRY_DSN",
        "STRIPE_SECRET_KEY",
    ]
    openai = keys["OPENAI_API_KEY"]
    assert (openai.secret, openai.format, openai.probe, openai.description) == (
        True,
        "openai-api-key",
        "openai",
        "The chat route's key.",
    )
    assert (keys["PORT"].required, keys["PORT"].type, keys["PORT"].default) == (
        False,
        "port",
        "3000",
    )
    assert keys["LOG_LEVEL"].choices == ("debug", "info") and keys["LOG_LEVEL"].default == "info"
    assert keys["DATABASE_URL"].format == "database-url" and keys["DATABASE_URL"].default is None
    assert keys["SENTRY_DSN"].required_modes == ("production",)
    assert keys["STRIPE_SECRET_KEY"].secret and keys["STRIPE_SECRET_KEY"].default is None
    assert keys["ADMIN_PASSWORD"].secret and keys["ADMIN_PASSWORD"].default is None
    assert keys["DEBUG"].type == "bool" and keys["REQUEST_TIMEOUT"].type == "int"
    assert keys["API_URL"].type == "url" and keys["GREETING"].type == "str"
    assert all(k.default is None for n, k in keys.items() if n not in ("PORT", "LOG_LEVEL"))


def test_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project(tmp_path)
    (tmp_path / "envcheck.toml").write_text("# mine\n", encoding="utf-8")
    assert run(tmp_path) == 2
    err = capsys.readouterr().err
    assert "envcheck.toml: envcheck.toml already exists" in err and "--force" in err
    assert (tmp_path / "envcheck.toml").read_text(encoding="utf-8") == "# mine\n"
    assert run(tmp_path, "--force") == 0
    assert "[keys.OPENAI_API_KEY]" in (tmp_path / "envcheck.toml").read_text(encoding="utf-8")


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    (tmp_path / "envcheck.toml").write_text("# mine\n", encoding="utf-8")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert run(tmp_path, "--force") == 2
    assert (tmp_path / "envcheck.toml").read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env", ".env.example", "envcheck.toml"]


def test_from_example_only(tmp_path: Path) -> None:
    assert run(project(tmp_path), "--from-example") == 0
    schema = load_schema(tmp_path)
    assert schema is not None and "ADMIN_PASSWORD" not in schema.keys
    assert len(schema.keys) == 6


def test_from_env_only(tmp_path: Path) -> None:
    assert run(project(tmp_path), "--from-env") == 0
    schema = load_schema(tmp_path)
    assert schema is not None and list(schema.keys)[0] == "OPENAI_API_KEY"
    assert "PORT" not in schema.keys and schema.keys["OPENAI_API_KEY"].format == "openai-api-key"
    text = (tmp_path / "envcheck.toml").read_text(encoding="utf-8")
    assert all(secret not in text for secret in SECRETS)


@pytest.mark.parametrize(
    ("args", "example", "env", "needle"),
    [
        (("--from-example",), None, ENV, "no .env.example"),
    ],
)
def test_nothing_to_draft_is_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    example: str | None,
    env: str | None,
    needle: str,
) -> None:
    assert run(project(tmp_path, example, env), *args) == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "envcheck.toml").exists()


def test_a_compose_project_that_sets_everything_inline_drafts_its_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No template and no env file, only `environment:` in the compose file (a Django
    app whose settings read ``os.getenv`` with defaults): init exited 2, "found no keys",
    where ``check`` passed.  The keys the services see are the keys to describe; no
    value is copied, and the next ``check`` passes as ``check`` alone did."""
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  server:\n    image: app\n    environment:\n"
        f"      - POSTGRES_HOST=database\n      - POSTGRES_PASSWORD={PASSWORD}\n"
        "      - APP_DEBUG=False\n",
        encoding="utf-8",
    )
    assert main(["check", "--dir", str(tmp_path)]) == 0
    assert main(["init", "--dir", str(tmp_path)]) == 0
    assert "with 3 keys from docker-compose.yml" in capsys.readouterr().err
    text = (tmp_path / "envcheck.toml").read_text(encoding="utf-8")
    assert PASSWORD not in text
    schema = load_schema(tmp_path)
    assert schema is not None
    assert set(schema.keys) == {"POSTGRES_HOST", "POSTGRES_PASSWORD", "APP_DEBUG"}
    assert schema.keys["POSTGRES_PASSWORD"].secret
    assert main(["check", "--dir", str(tmp_path)]) == 0


def test_nothing_to_describe_writes_a_starting_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No template, no env file, no code read (a Rails app: envcheck reads no Ruby): a
    file with no keys that says where they go, exit 0 -- it was exit 2 ("found no keys"),
    the survey's one refusal of such a project.  ``--from-example`` asked for a template's
    keys: still a usage error when there is none (above)."""
    assert run(tmp_path) == 0
    assert "wrote envcheck.toml with no keys" in capsys.readouterr().err
    text = (tmp_path / "envcheck.toml").read_text(encoding="utf-8")
    assert "[keys.DATABASE_URL]" in text  # the example, commented out
    schema = load_schema(tmp_path)
    assert schema is not None and not schema.keys
    assert main(["check", "--dir", str(tmp_path)]) == 0
    assert run(tmp_path) == 2  # an existing file is never replaced without --force


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("PORT", "3000", ("port", None, None)),
        ("PORT", "99999", ("str", None, None)),
        ("DB_PORT", "5432", ("port", None, None)),
        ("WORKERS", "4", ("str", None, None)),  # no hint in the name: stays str
        ("HTTP_TIMEOUT", "30", ("int", None, None)),
        ("FEATURE_X", "false", ("bool", None, None)),
        ("HOMEPAGE_URL", "https://x.dev", ("url", None, None)),
        ("HOMEPAGE_URL", "not a url", ("str", None, None)),
        ("CACHE", "redis://localhost:6379", ("str", "database-url", None)),  # no password
        ("SOME_KEY", OPENAI, ("str", "openai-api-key", True)),
        ("OPENAI_API_KEY", "", ("str", "openai-api-key", True)),
        ("GITHUB_TOKEN", "your-token-here", ("str", "github-token", True)),
        ("NAME", "changeme", ("str", None, None)),
        # The value the app runs with contradicts the name's format: declare none (issue 26).
        ("OPENAI_API_KEY", "hf_" + "a1B2" * 9, ("str", None, True)),
        ("AUTH_ENABLED", "true", ("bool", None, None)),  # named like a credential, a boolean
        # empty: the name's last word decides (documenso's flag vs a key slot)
        ("NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP", "", ("str", None, None)),
    ],
)
def test_guesses_are_conservative(
    key: str, value: str, expected: tuple[str, str | None, bool | None]
) -> None:
    spec = guess_spec(key, value)
    assert (spec.type, spec.format, spec.secret) == expected
    assert spec.default is None  # current files never provide defaults


def test_render_quotes_odd_names_and_escapes() -> None:
    keys = draft(current={"my.key": "x", "QUOTE": "a"})
    text = render(keys, framework=None, sources=[".env"])
    assert '[keys."my.key"]' in text
    import tomllib

    assert set(tomllib.loads(text)["keys"]) == {"my.key", "QUOTE"}


def test_a_workspace_root_whose_templates_live_in_the_apps_drafts_each_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 26: init at such a root was exit 2 ("found no keys")."""
    (tmp_path / "pnpm-workspace.yaml").write_text("packages:\n  - apps/*\n")
    (tmp_path / "package.json").write_text('{"name": "root", "private": true}')
    for app, key in (("web", "NEXT_PUBLIC_API_URL"), ("api", "DATABASE_URL")):
        folder = tmp_path / "apps" / app
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(
            f'{{"name": "{app}", "dependencies": {{"next": "15"}}}}'
        )
        (folder / ".env.example").write_text(f"{key}=\n")
    (tmp_path / "apps" / "api" / "envcheck.toml").write_text("[keys.X]\n")  # kept: no --force
    assert main(["init", "--dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "wrote apps/web/envcheck.toml with 1 keys" in err
    assert "apps/api: " in err and "--force" in err
    assert "NEXT_PUBLIC_API_URL" in (tmp_path / "apps" / "web" / "envcheck.toml").read_text()
    assert (tmp_path / "apps" / "api" / "envcheck.toml").read_text() == "[keys.X]\n"
    assert not (tmp_path / "envcheck.toml").exists()
