"""envcheck on fifteen popular public templates, as a new user meets them.

Each fixture in ``tests/corpus/templates/`` copies the env-relevant files of
one template (names, comments, quoting and placeholders as the template has
them; every key is a fake of the same shape) and a ``filled/`` variant: the
files a developer creates from the example.  The expectations below are
the *right* answers, judged by hand (docs/templates.md gives the reasons):
a false positive coming back or a true problem missed fails a test.  A case
envcheck does not get right yet is ``xfail(strict=True)`` with its entry in
the survey's false-positive list, so fixing it turns the xfail into a
failure that asks for the mark to go.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.templates_harness import TEMPLATES, Found, findings, materialize, run


def _f(*pairs: str) -> Found:
    """``"EC301:KEY"`` -> ("EC301", "KEY"); ``"EC207:"`` -> ("EC207", None)."""
    out = set()
    for pair in pairs:
        code, _, key = pair.partition(":")
        out.add((code, key or None))
    return frozenset(out)


def _missing(*keys: str) -> Found:
    return _f(*(f"EC301:{k}" for k in keys))


def _known(ref: str, reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"{ref}: {reason}")


# (fixture, state) -> exactly what `envcheck check` must report.
CHECK: dict[tuple[str, str], Found] = {
    # Vercel AI chatbot: nothing set on a fresh clone; filled, only the template's own
    # trailing space on a comment line (info).
    ("ai-chatbot", "fresh"): _missing(
        "AUTH_SECRET", "AI_GATEWAY_API_KEY", "BLOB_READ_WRITE_TOKEN", "POSTGRES_URL", "REDIS_URL"
    ),
    ("ai-chatbot", "filled"): _f("EC207:"),
    # chatbot-ui: the Supabase anon key is public by design (an info note, not a leak);
    # the optional providers the developer leaves empty are not errors.
    ("chatbot-ui", "filled"): _f("EC401:NEXT_PUBLIC_SUPABASE_ANON_KEY"),
    ("cmsaasstarter-sveltekit", "fresh"): _missing(
        "PUBLIC_SUPABASE_URL",
        "PUBLIC_SUPABASE_ANON_KEY",
        "PRIVATE_SUPABASE_SERVICE_ROLE",
        "PRIVATE_STRIPE_API_KEY",
    ),
    ("cmsaasstarter-sveltekit", "filled"): _f("EC401:PUBLIC_SUPABASE_ANON_KEY"),
    # cookiecutter-django keeps its env files in .envs/ (docker compose env_file):
    # nothing to discover; see test_cookiecutter_django_env_files.
    ("cookiecutter-django", "fresh"): _f(),
    ("cookiecutter-django", "filled"): _f(),
    ("cookiecutter-flask", "fresh"): _missing(
        "FLASK_APP",
        "FLASK_DEBUG",
        "FLASK_ENV",
        "DATABASE_URL",
        "GUNICORN_WORKERS",
        "LOG_LEVEL",
        "SECRET_KEY",
        "SEND_FILE_MAX_AGE_DEFAULT",
    ),
    ("cookiecutter-flask", "filled"): _f(),
    # create-t3-app's Astro site: the example says every key is optional; a GitHub
    # token under PUBLIC_ is a real leak into the client bundle.
    ("create-t3-app-www-astro", "fresh"): _f(),
    ("create-t3-app-www-astro", "filled"): _f("EC401:PUBLIC_GITHUB_TOKEN"),
    ("create-t3-turbo", "fresh"): _missing(
        "POSTGRES_URL", "AUTH_SECRET", "AUTH_DISCORD_ID", "AUTH_DISCORD_SECRET"
    ),
    ("create-t3-turbo", "filled"): _f(),
    # excalidraw commits .env.development / .env.production: public URLs, a Firebase
    # web config (AIza… keys are public by design) and an RSA public key.
    ("excalidraw-vite", "fresh"): _f(),
    ("excalidraw-vite", "filled"): _f(),
    # full-stack-fastapi-template commits .env with `changethis`: placeholders, not
    # leaked secrets; once the developer puts real secrets in that tracked file, EC402.
    ("full-stack-fastapi-template", "fresh"): _f(
        "EC306:SECRET_KEY", "EC306:FIRST_SUPERUSER_PASSWORD", "EC306:POSTGRES_PASSWORD"
    ),
    ("full-stack-fastapi-template", "filled"): _f("EC402:SECRET_KEY"),
    # maybe (Rails, dotenv-rails): the developer copies .env.local.example to .env.local.
    ("maybe-rails", "filled"): _f(),
    ("nextjs-subscription-payments", "filled"): _f("EC401:NEXT_PUBLIC_SUPABASE_ANON_KEY"),
    ("nuxt-movies", "fresh"): _missing("BASE_URL"),
    ("nuxt-movies", "filled"): _f(),
    ("remix-indie-stack", "fresh"): _missing("DATABASE_URL", "SESSION_SECRET"),
    ("remix-indie-stack", "filled"): _f(),  # file:./data.db is Prisma's SQLite URL
    ("taxonomy", "fresh"): _missing(
        "NEXT_PUBLIC_APP_URL",
        "NEXTAUTH_URL",
        "NEXTAUTH_SECRET",
        "GITHUB_CLIENT_ID",
        "GITHUB_CLIENT_SECRET",
        "GITHUB_ACCESS_TOKEN",
        "DATABASE_URL",
        "SMTP_FROM",
        "POSTMARK_API_TOKEN",
        "POSTMARK_SIGN_IN_TEMPLATE",
        "POSTMARK_ACTIVATION_TEMPLATE",
        "STRIPE_API_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_PRO_MONTHLY_PLAN_ID",
    ),
    ("taxonomy", "filled"): _f(),
    # yakGPT ships no example; its README puts OpenAI and ElevenLabs keys under
    # NEXT_PUBLIC_: both are inlined into the browser bundle.
    ("yakgpt", "fresh"): _f(),
    ("yakgpt", "filled"): _f(
        "EC401:NEXT_PUBLIC_OPENAI_API_KEY", "EC401:NEXT_PUBLIC_11LABS_API_KEY"
    ),
}

# Fresh clones whose examples mix required and optional keys without marking them:
# the true problems must be reported, and nothing but missing declared keys.
FRESH_AT_LEAST: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # fixture: (keys that must be reported missing, keys that may be)
    "chatbot-ui": (
        frozenset({"NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY"})
        | {"SUPABASE_SERVICE_ROLE_KEY"},
        frozenset(
            {
                "NEXT_PUBLIC_OLLAMA_URL",
                "NEXT_PUBLIC_OPENAI_ORGANIZATION_ID",
                "NEXT_PUBLIC_USER_FILE_SIZE_LIMIT",
                "AZURE_OPENAI_API_KEY",
                "AZURE_OPENAI_ENDPOINT",
                "AZURE_GPT_35_TURBO_NAME",
                "AZURE_GPT_45_VISION_NAME",
                "AZURE_GPT_45_TURBO_NAME",
                "AZURE_EMBEDDINGS_NAME",
            }
        ),
    ),
    # Its .env.example is the self-hosting list and sends developers to .env.local.example
    # in its header: a reference, whose keys ask nothing the (unread Ruby) code demands.
    "maybe-rails": (
        frozenset(),
        frozenset(
            {"SELF_HOSTED", "SYNTH_API_KEY", "SECRET_KEY_BASE", "PORT", "SMTP_ADDRESS", "SMTP_PORT"}
            | {"SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_TLS_ENABLED", "EMAIL_SENDER", "DB_HOST"}
            | {"DB_PORT", "POSTGRES_PASSWORD", "POSTGRES_USER", "APP_DOMAIN"}
        ),
    ),
    "nextjs-subscription-payments": (
        frozenset(),
        frozenset(
            {
                "SUPABASE_AUTH_EXTERNAL_GITHUB_REDIRECT_URI",
                "SUPABASE_AUTH_EXTERNAL_GITHUB_CLIENT_ID",
                "SUPABASE_AUTH_EXTERNAL_GITHUB_SECRET",
                "NEXT_PUBLIC_SITE_URL",
                "NEXT_PUBLIC_SUPABASE_ANON_KEY",
                "NEXT_PUBLIC_SUPABASE_URL",
                "SUPABASE_SERVICE_ROLE_KEY",
                "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
                "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET",
            }
        ),
    ),
}

# After `envcheck init`, where the answer differs from plain `check`: init records the
# public-by-design keys (`public = true`), which silences their info note.
AFTER_INIT: dict[tuple[str, str], Found] = {
    ("chatbot-ui", "filled"): _f(),
    ("cmsaasstarter-sveltekit", "filled"): _f(),
    ("nextjs-subscription-payments", "filled"): _f(),
}
NO_INIT = {"cookiecutter-django", "yakgpt"}  # no template to describe: init says so, exit 2

KNOWN: dict[tuple[str, str, str], pytest.MarkDecorator] = {}


def _cases(command: str) -> list[object]:
    out: list[object] = []
    for name, state in CHECK:
        if command == "init" and name in NO_INIT:
            continue
        mark = KNOWN.get((command, name, state))
        out.append(pytest.param(name, state, marks=(mark,) if mark else (), id=f"{name}-{state}"))
    return out


def test_every_fixture_is_covered() -> None:
    names = {p.name for p in TEMPLATES.iterdir() if p.is_dir()}
    assert len(names) >= 13
    for name in names:
        assert (TEMPLATES / name / "filled").is_dir(), f"{name} has no filled/ variant"
        assert (name, "filled") in CHECK, name
        assert (name, "fresh") in CHECK or name in FRESH_AT_LEAST, name


@pytest.mark.parametrize(("name", "state"), _cases("check"))
def test_check(tmp_path: Path, name: str, state: str) -> None:
    code, found = findings(materialize(name, state, tmp_path))
    assert found == CHECK[(name, state)]
    errors = {c for c, _ in found if c in {"EC301", "EC306", "EC401", "EC402"}}
    assert code == (1 if errors - {"EC401"} or _is_leak(found, name, state) else 0)


def _is_leak(found: Found, name: str, state: str) -> bool:
    """EC401 is an error for a real leak, an info note for a public-by-design key."""
    return (name, state) in {("yakgpt", "filled"), ("create-t3-app-www-astro", "filled")}


@pytest.mark.parametrize("name", sorted(FRESH_AT_LEAST))
def test_fresh_clone_reports_what_is_missing_and_nothing_else(tmp_path: Path, name: str) -> None:
    must, may = FRESH_AT_LEAST[name]
    _, found = findings(materialize(name, "fresh", tmp_path))
    assert {c for c, _ in found} <= {"EC301"}
    keys = {k for _, k in found}
    assert must <= keys <= must | may


@pytest.mark.parametrize(("name", "state"), _cases("init"))
def test_init_then_check(tmp_path: Path, name: str, state: str) -> None:
    project = materialize(name, state, tmp_path)
    code, _, err = run(project, "init")
    assert code == 0, err
    assert (project / "envcheck.toml").is_file()
    _, found = findings(project)
    assert found == AFTER_INIT.get((name, state), CHECK[(name, state)])


@pytest.mark.parametrize("name", sorted(NO_INIT))
def test_init_without_a_template_says_so(tmp_path: Path, name: str) -> None:
    """No template, no env file and no code read: a starting file with no keys that says
    so (it was exit 2), and check after it finds what check alone found."""
    project = materialize(name, "fresh", tmp_path)
    before, found = findings(project)
    code, _, err = run(project, "init")
    assert code == 0 and "with no keys: found none to describe" in err and "Traceback" not in err
    assert "[keys." not in (project / "envcheck.toml").read_text().replace("# [keys.", "")
    assert findings(project) == (before, found)


def test_cookiecutter_django_env_files(tmp_path: Path) -> None:
    """Its .envs/.local files are committed by design (generated local docker creds):
    EC402 is true there, and the production files, git-ignored, are clean."""
    project = materialize("cookiecutter-django", "filled", tmp_path)
    local = ("--env-file", ".envs/.local/.django", "--env-file", ".envs/.local/.postgres")
    _, found = findings(project, *local)
    assert found == _f("EC402:CELERY_FLOWER_PASSWORD", "EC402:POSTGRES_PASSWORD")
    prod = ("--env-file", ".envs/.production/.django", "--env-file", ".envs/.production/.postgres")
    code, found = findings(project, *prod)
    assert (code, found) == (0, _f())


DIFF_KNOWN: dict[str, pytest.MarkDecorator] = {}


def _diff_cases() -> list[object]:
    out: list[object] = []
    for name in sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir()):
        mark = DIFF_KNOWN.get(name)
        out.append(pytest.param(name, marks=(mark,) if mark else (), id=name))
    return out


@pytest.mark.parametrize("name", _diff_cases())
def test_diff_without_a_production_file_is_not_a_wall_of_errors(tmp_path: Path, name: str) -> None:
    """FP-1..3: production values of these apps come from the platform, not a file.

    Without a production file, diff must not claim the same secret, a loopback
    host or a missing key "in production"; excalidraw, which commits
    .env.production, must not either for values that differ or are empty.
    """
    project = materialize(name, "filled", tmp_path)
    code, out, err = run(project, "diff", "--format", "json")
    assert code in (0, 1), err
    report = json.loads(out)
    noisy = {
        (f["code"], f["key"])
        for f in report["findings"]
        if f["code"] in {"EC601", "EC603", "EC604", "EC605"} and f["severity"] != "info"
    }
    assert noisy == set(), sorted(noisy)
