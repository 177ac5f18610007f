"""Survey classes of holdout4 (bench/survey verdicts), pinned in their real shapes.

* LD-PREFIX-APP-KEY: linkding's own ``LD_DB_HOST``, ``LD_HOST_PORT`` … are settings, not
  the dynamic linker's variables (ld.so(8) lists those by name).
* PUBLIC-BY-DESIGN: Stack Auth's ``*_PUBLISHABLE_CLIENT_KEY`` is publishable ("safe to
  include in frontend code"), as Stripe's ``pk_`` keys are: the word says so.
* PLACEHOLDER-SECRET: values that say they are stand-ins (``mock_…``,
  ``…-is-for-local-development-only``, ``s3mockroot``, ``swarm2replace2password``,
  ``teable123``, Cloudflare Turnstile's documented test secret) hold no secret, and a
  committed ``.env.development`` (development defaults, never loaded for production) holds
  secrets only by shape; ``guard`` passes such a clone.
* HASH-COMMENT-NODE-ONLY: ``KEY=# description`` is an empty value and a comment for Node's
  dotenv (what the authors mean); EC215 says so only where a reader of the file (docker's
  ``--env-file``, compose's ``env_file``) takes the text as the value, and never advises
  quoting, which would make the description the value.

Each case runs the real CLI on a real git clone in ``tmp_path``; every value is fake.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import NEXT_PACKAGE, clone, findings, isolated

# A drawn value (no stand-in word) under a secret name: the control that stays a secret.
DRAWN = "Qm7vT2xR9kLp4wZ8nB3cY6hJ1fD5gS0a"


def test_an_apps_own_ld_settings_are_not_start_up_variables(tmp_path: Path) -> None:
    project = clone(
        tmp_path / "linkding",
        {
            ".env.sample": "LD_CONTAINER_NAME=linkding\nLD_HOST_PORT=9090\nLD_DB_HOST=\n",
            ".gitignore": ".env\n",
        },
        untracked={
            ".env": "LD_CONTAINER_NAME=linkding\nLD_HOST_PORT=9090\nLD_DB_HOST=db\n"
            "LD_PRELOAD=/tmp/x.so\nLD_BIND_NOW=1\n"
        },
    )
    found = findings(isolated(project, "check", "--format", "json"))
    flagged = {f["key"] for f in found if f["code"] == "EC407"}
    assert flagged == {"LD_PRELOAD", "LD_BIND_NOW"}  # the linker's names, not the LD_ prefix


def _stack_example(root: Path, values: str) -> Path:
    """A Stack Auth example app: Next.js, its committed .env.development used by default."""
    return clone(
        root,
        {
            "package.json": NEXT_PACKAGE,
            ".gitignore": ".env.local\n",
            ".env.development": "NEXT_PUBLIC_STACK_PROJECT_ID=internal\n" + values,
        },
    )


def test_a_publishable_client_key_is_public_by_design(tmp_path: Path) -> None:
    project = _stack_example(
        tmp_path / "app", f"NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY=pck_{DRAWN}\n"
    )
    found = findings(isolated(project, "check", "--format", "json"))
    leaks = [f for f in found if f["code"] in ("EC401", "EC402") and f["severity"] == "error"]
    assert leaks == []
    assert isolated(project, "guard").returncode == 0
    explained = isolated(project, "explain", "NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY")
    assert "a publishable key (its name says so) is made to ship to the browser" in (
        explained.stdout
    )


def test_a_publishable_name_holding_a_secret_key_shape_stays_a_secret(tmp_path: Path) -> None:
    secret_shape = "sk_live_" + DRAWN
    project = _stack_example(
        tmp_path / "app", f"NEXT_PUBLIC_STACK_PUBLISHABLE_CLIENT_KEY={secret_shape}\n"
    )
    assert isolated(project, "guard").returncode == 1


_STAND_INS = (
    "STACK_SECRET_SERVER_KEY=this-secret-server-key-is-for-local-development-only\n"
    "STACK_OPENAI_API_KEY=mock_openai_api_key\n"
    "STACK_S3_SECRET_ACCESS_KEY=s3mockroot\n"
    "STACK_EMAIL_MONITOR_RESEND_EMAIL_API_KEY=this-is-a-fake-key\n"
    "STACK_TURNSTILE_SECRET_KEY=1x0000000000000000000000000000000AA\n"
    "PLUGIN_CHART_SECRET=defaultSecretKey\n"
    "MINIO_SECRET_KEY=example2secret\n"
    "REDIS_PASSWORD=swarm2replace2password\n"
    "MINIO_ROOT_PASSWORD=teable123\n"
)


def test_values_that_say_they_are_stand_ins_pass_guard(tmp_path: Path) -> None:
    # A committed .env of the local stack (teable's plugins/.env, dockers/examples/*/.env).
    project = clone(tmp_path / "stack", {"package.json": NEXT_PACKAGE, ".env": _STAND_INS})
    done = isolated(project, "guard")
    assert done.returncode == 0, done.stdout
    # The same file with one drawn value: guard still stops it, naming that key only.
    drawn = clone(
        tmp_path / "drawn",
        {"package.json": NEXT_PACKAGE, ".env": _STAND_INS + f"STACK_SERVER_SECRET={DRAWN}\n"},
    )
    done = isolated(drawn, "guard")
    assert done.returncode == 1
    assert "STACK_SERVER_SECRET" in done.stdout and "STACK_OPENAI_API_KEY" not in done.stdout


def test_a_committed_development_file_holds_defaults_not_secrets(tmp_path: Path) -> None:
    # stack-auth's apps/backend/.env.development: next dev loads it, a production build never.
    defaults = _STAND_INS + f"STACK_SERVER_SECRET={DRAWN}\n"
    assert isolated(_stack_example(tmp_path / "app", defaults), "guard").returncode == 0
    # A vendor key pasted there is still a leak, found by its shape.
    pasted = defaults + "OPENAI_API_KEY=sk-proj-" + DRAWN + DRAWN[:16] + "\n"
    done = isolated(_stack_example(tmp_path / "pasted", pasted), "guard")
    assert done.returncode == 1
    assert "a development run's defaults meant for git, but OPENAI_API_KEY" in done.stdout


_DESCRIBED = "NEXT_PUBLIC_STACK_API_URL=# https://your-backend-domain.com\n"


def test_a_description_after_the_equals_sign_is_said_only_where_a_reader_takes_it(
    tmp_path: Path,
) -> None:
    project = clone(
        tmp_path / "stack",
        {
            # Read by next dev (@next/env, Node's dotenv): an empty value and a comment.
            "apps/backend/package.json": NEXT_PACKAGE,
            "apps/backend/.env": _DESCRIBED + "STACK_SECRET_SERVER_KEY=# a random string\n",
            # The self-host template for `docker run --env-file`: the text is the value.
            "docker/server/Dockerfile": "FROM node:20\n",
            "docker/server/.env": _DESCRIBED,
            # A Next.js app's .env that compose also reads as an env_file.
            "apps/web/package.json": NEXT_PACKAGE,
            "apps/web/.env": "REDIS_URL= # used for caching\n",
            # Its template (inbox-zero's): read as the file it is copied to.
            "apps/web/.env.example": "REDIS_URL= # used for caching\n",
            "docker-compose.yml": "services:\n  web:\n    image: web\n"
            "    env_file: apps/web/.env\n",
        },
    )
    files = ("apps/backend/.env", "docker/server/.env", "apps/web/.env", "apps/web/.env.example")
    found = findings(isolated(project, "lint", "--format", "json", *files))
    hashes = {f["path"]: f for f in found if f["code"] == "EC215"}
    assert set(hashes) == {"docker/server/.env", "apps/web/.env", "apps/web/.env.example"}
    assert "docker's --env-file reads the '#…' text" in hashes["docker/server/.env"]["message"]
    web = hashes["apps/web/.env"]["message"]
    assert "docker compose reads the '#…' text" in web and "Next.js an empty value" in web
    for finding in hashes.values():
        assert "quote" not in finding["hint"].replace("quoting would", "")


def test_a_value_that_starts_with_a_hash_is_still_cut_by_node(tmp_path: Path) -> None:
    project = clone(tmp_path / "app", {"package.json": NEXT_PACKAGE, ".env": "COLOR=#fff\n"})
    found = findings(isolated(project, "lint", "--format", "json", ".env"))
    assert [(f["code"], f["hint"]) for f in found if f["code"] == "EC215"] == [
        ("EC215", "quote the value")
    ]


def test_words_after_the_equals_sign_are_a_description_too(tmp_path: Path) -> None:
    """chat-ui's committed defaults: ``KEY=#your … here`` with no space after '#'. Every
    reader of the file reads an empty value there (Vite, dotenv-cli), which is what the
    author means; a value shaped as one (``#fff``, ``#x9!k``) is still said."""
    env = (
        "OPENAI_API_KEY=#your provider API key (works for HF router, OpenAI, etc.). \n"
        "PARQUET_EXPORT_SECRET=#DEPRECATED, use ADMIN_API_SECRET instead\n"
        "COLOR=#fff\nPASSWORD=#x9!k\n"
    )
    project = clone(tmp_path / "app", {"package.json": NEXT_PACKAGE, ".env": env})
    found = findings(isolated(project, "lint", "--format", "json", ".env"))
    assert sorted(f["key"] for f in found if f["code"] == "EC215") == ["COLOR", "PASSWORD"]


def test_a_publishable_name_unmasks_no_value_of_the_process(tmp_path: Path) -> None:
    # The name is the file's word: it may show a value the checkout's own file sets, never
    # one the process environment holds (`--reveal`, the command line, does that).
    value = "Qm7Rt2Yx9Lp4Wn8Zc3Vb6Hs1"
    project = clone(tmp_path / "app", {"package.json": NEXT_PACKAGE})
    for args in (["explain", "--all"], ["explain", "--all", "--format", "json"], ["check"]):
        done = isolated(project, *args, env={"NEXT_PUBLIC_ACME_PUBLISHABLE_CLIENT_KEY": value})
        assert done.returncode in (0, 1), done.stderr
        assert value not in done.stdout + done.stderr
