"""Issue 17: right on the first run of a real project - no false alarms, no silent misses.

Each test builds a small project modelled on a public template (a Next.js +
Supabase AI chatbot, a FastAPI full-stack template), with values written
for these tests, and runs the real CLI on it.  Every test here failed on
the code before the fix it guards.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.cli import main
from envcheck.rules import security
from envcheck.schema.example import parse_example
from envcheck.schema.values import is_placeholder
from tests.rulefixtures import git, git_repo, isolated_git


def jwt(role: str) -> str:
    """A Supabase-style JWT with ``role`` (a made-up signature: nothing checks it)."""

    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = {"iss": "supabase", "ref": "qwertyuiopasdfghjklz", "role": role, "iat": 1700000000}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLWZvci10ZXN0cw"


ANON = jwt("anon")
SERVICE = jwt("service_role")
OPENAI = "sk-proj-" + "Tst1" * 12
STRIPE_PK = "pk_test_" + "51Tst" * 6
STRIPE_SK = "sk_test_" + "51Tst" * 6

# A Vercel AI chatbot / Supabase starter's template, in our own words.
TEMPLATE = """\
# Get an OpenAI API key: https://platform.openai.com/api-keys
OPENAI_API_KEY=

# Random string for session cookies: openssl rand -base64 32
AUTH_SECRET=

# Supabase (project settings > API)
NEXT_PUBLIC_SUPABASE_URL=https://your-project.supabase.co
NEXT_PUBLIC_SUPABASE_ANON_KEY=
SUPABASE_SERVICE_ROLE_KEY=

# Optional: payments
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=
STRIPE_SECRET_KEY=

# Analytics (optional)
NEXT_PUBLIC_POSTHOG_KEY=
NEXT_PUBLIC_SENTRY_DSN=
"""
FILLED = f"""\
OPENAI_API_KEY={OPENAI}
AUTH_SECRET=Q2hhdGJvdFNlc3Npb25TZWNyZXRGb3JUZXN0czEyMzQ
NEXT_PUBLIC_SUPABASE_URL=https://qwertyuiopasdfghjklz.supabase.co
NEXT_PUBLIC_SUPABASE_ANON_KEY={ANON}
SUPABASE_SERVICE_ROLE_KEY={SERVICE}
"""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    isolated_git(monkeypatch, tmp_path_factory.mktemp("githome"))
    # A single-user laptop (raising=False: the tests also run against the code before the fix).
    monkeypatch.setattr(security, "other_accounts", lambda owner: 0, raising=False)
    for var in ("NODE_ENV", "APP_ENV"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def chatbot(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The template cloned and ``cp .env.local.example .env.local`` filled in, cwd inside.

    In a directory every user can traverse (pytest's own are 0700, which hides EC404).
    """
    top = Path(tempfile.mkdtemp(prefix="envcheck-chatbot-"))
    top.chmod(0o755)
    app = top / "chatbot"
    app.mkdir()
    (app / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}\n')
    (app / ".gitignore").write_text(".env*.local\nnode_modules\n")
    (app / ".env.local.example").write_text(TEMPLATE)
    git_repo(app, ["package.json", ".gitignore", ".env.local.example"])
    (app / ".env.local").write_text(FILLED)
    (app / ".env.local").chmod(0o644)  # cp under the default umask
    monkeypatch.chdir(app)
    yield app
    shutil.rmtree(top, ignore_errors=True)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. init keeps a passing project passing ------------------------------------------


def test_init_keeps_a_passing_project_passing(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run(capsys, "check", "--no-process-env", "--strict")
    assert before[0] == 0, before[1]
    assert run(capsys, "init")[0] == 0
    toml = (chatbot / "envcheck.toml").read_text()
    after = run(capsys, "check", "--no-process-env", "--strict")
    assert after[0] == 0, after[1]
    assert "EC301" not in after[1] and "EC401" not in after[1]

    def table(key: str) -> str:
        return toml.split(f"[keys.{key}]\n", 1)[1].split("\n\n", 1)[0]

    for key in ("STRIPE_SECRET_KEY", "NEXT_PUBLIC_POSTHOG_KEY", "NEXT_PUBLIC_SENTRY_DSN"):
        assert "required = false" in table(key), key  # under "Optional" / "(optional)"
    assert "required = true" in table("OPENAI_API_KEY")
    anon = table("NEXT_PUBLIC_SUPABASE_ANON_KEY")
    assert "secret = true" not in anon and "public = true" in anon
    assert "secret = true" in table("SUPABASE_SERVICE_ROLE_KEY")
    assert ANON not in toml and SERVICE not in toml and OPENAI not in toml


def test_init_does_not_require_a_key_the_project_sets_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"vite": "5.0.0"}}\n')
    (tmp_path / ".env.development").write_text("VITE_APP_DEBUG_OVERLAY=\nVITE_APP_PORT=3000\n")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    assert run(capsys, "check", "--no-process-env", "--strict")[0] == 0


@pytest.mark.parametrize(
    ("text", "optional"),
    [
        ("# Optional\nA=\nB=\n\nC=\n", {"A", "B", "C"}),  # a section runs until the next header
        ("# Optional\nA=\n\n# Database\nB=\n", {"A"}),
        ("# Optional: Stripe\nA=\n# the webhook secret\nB=\n", {"A", "B"}),  # key comment
        ("# General Configuration (Optional)\nA=\n", {"A"}),
        ("# Optional\n\nA=\n", {"A"}),  # a header on its own
        ("A=   # optional, for analytics\nB=\n", {"A"}),
        ("# Optional\nA=  # required\n", set()),  # a directive wins
        ("# This is not required\nA=\n", {"A"}),
        ("# Required\nA=\n", set()),
        ("# You can run `pnpm dev` without them.\n\n# GitHub\nA=\n\n# Twitter\nB=\n", {"A", "B"}),
        ("# Get a key at https://example.com\nA=\n", set()),
        ("A=\nB=\n", set()),
    ],
)
def test_example_prose_marks_keys_optional(text: str, optional: set[str]) -> None:
    keys = parse_example(text, ".env.example")
    assert {k.name for k in keys if k.fields.get("required") is False} == optional


# --- 2. .env.local.example and friends are templates -----------------------------------


@pytest.mark.parametrize(
    ("name", "template"),
    [
        (".env.example", True),
        (".env.local.example", True),
        (".env.sample", True),
        (".env.template", True),
        (".env.dist", True),
        ("example.env", True),
        (".env.development.example", True),
        (".env.example.local", True),
        (".env", False),
        (".env.local", False),
        (".env.production", False),
        (".env.examples-app", False),
    ],
)
def test_template_names(name: str, template: bool) -> None:
    from envcheck.sources.templates import is_template

    assert is_template(name) is template


def test_the_template_matching_the_live_files_is_the_schema(tmp_path: Path) -> None:
    from envcheck.sources.templates import find_example

    assert find_example(tmp_path) is None
    (tmp_path / ".env.local.example").write_text("A=\n")
    assert find_example(tmp_path) == ".env.local.example"
    (tmp_path / "example.env").write_text("A=\n")
    assert find_example(tmp_path) == ".env.local.example"
    (tmp_path / ".env.example").write_text("A=\n")
    assert find_example(tmp_path) == ".env.example"
    (tmp_path / ".env.local").write_text("A=1\n")  # the developer copied the local template
    assert find_example(tmp_path) == ".env.local.example"
    (tmp_path / ".env").write_text("A=1\n")
    assert find_example(tmp_path) == ".env.example"


def test_local_example_is_a_template_not_a_live_file(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A template that documents the public key with a sample value.
    text = TEMPLATE.replace(
        "NEXT_PUBLIC_SUPABASE_ANON_KEY=", "NEXT_PUBLIC_SUPABASE_ANON_KEY=your-anon-key"
    )
    (chatbot / ".env.local.example").write_text(text + "NEXT_PUBLIC_API_TOKEN=demo-token-123\n")
    code, out, err = run(capsys, "check", "--no-process-env")
    assert ".env.local.example:" not in out  # neither linted nor a "leak"
    assert "schema keys (.env.local.example)" in err
    (chatbot / ".env.local").write_text(FILLED.replace(f"OPENAI_API_KEY={OPENAI}\n", ""))
    code, out, _ = run(capsys, "check", "--no-process-env")
    assert code == 1 and "EC301" in out and "OPENAI_API_KEY" in out  # the template is the schema
    assert run(capsys, "init", "--from-example")[0] == 0
    assert "[keys.OPENAI_API_KEY]" in (chatbot / "envcheck.toml").read_text()


# --- 3. diff without .env.production ---------------------------------------------------


def test_diff_without_a_production_file_says_so_once(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (chatbot / ".env.local").write_text(
        FILLED + "DATABASE_URL=postgres://dev:dev@localhost:5432/chat\n"
    )
    (chatbot / "envcheck.toml").write_text(
        "[keys.OPENAI_API_KEY]\nrequired = true\n[keys.RESEND_API_KEY]\nmodes = ['production']\n"
    )
    code, out, _ = run(capsys, "diff")
    assert code == 0, out
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    body = "\n".join(line for line in out.splitlines() if line not in notes)
    for noise in ("EC603", "EC604", "EC605"):
        assert noise not in body
    assert len(notes) == 1 and "come from the deployment" in notes[0]


def test_diff_reports_a_production_file_that_repeats_a_dev_secret(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (chatbot / ".env.development").write_text(f"STRIPE_SECRET_KEY={STRIPE_SK}\n")
    (chatbot / ".env.production").write_text(f"STRIPE_SECRET_KEY={STRIPE_SK}\n")
    code, out, _ = run(capsys, "diff", "--format", "json")
    document = json.loads(out)
    shared = {f["key"]: f for f in document["findings"] if f["code"] == "EC604"}
    assert code == 1 and shared["STRIPE_SECRET_KEY"]["path"] == ".env.production"
    # With a production file, `next build` here also reads .env.local: shared secrets count.
    assert "AUTH_SECRET" in shared and "NEXT_PUBLIC_SUPABASE_ANON_KEY" not in shared
    assert document["diff"]["notes"] == []


# --- 4. public-by-design keys --------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "leak", "why"),
    [
        (f"NEXT_PUBLIC_SUPABASE_ANON_KEY={ANON}", None, 'role "anon"'),
        (f"NEXT_PUBLIC_SUPABASE_KEY={ANON}", None, 'role "anon"'),
        (f"NEXT_PUBLIC_SUPABASE_ANON_KEY={SERVICE}", "error", "service_role"),
        (f"NEXT_PUBLIC_SUPABASE_SERVICE_KEY={SERVICE}", "error", "bypasses row-level security"),
        (f"NEXT_PUBLIC_STRIPE_KEY={STRIPE_PK}", None, "Stripe publishable key"),
        ("NEXT_PUBLIC_CLERK_KEY=pk_live_Y2xlcmsuY2hhdGJvdC5leGFtcGxlLmRldiQ", None, "Clerk"),
        (f"NEXT_PUBLIC_STRIPE_KEY={STRIPE_SK}", "error", "shape of a credential"),
        ("NEXT_PUBLIC_FIREBASE_API_KEY=AIzaSyTst0Tst1Tst2Tst3Tst4Tst5Tst6Tst7T", None, "referrer"),
        ("NEXT_PUBLIC_GEMINI_API_KEY=AIzaSyTst0Tst1Tst2Tst3Tst4Tst5Tst6Tst7T", "error", "GEMINI"),
        (
            "NEXT_PUBLIC_SENTRY_DSN=https://0123456789abcdef0123456789abcdef@o1234.ingest.sentry.io/56",
            None,
            "Sentry DSN",
        ),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=" + STRIPE_PK, None, None),  # no doubt to explain
        ("NEXT_PUBLIC_POSTHOG_TOKEN=phc_Tst0Tst1Tst2Tst3Tst4Tst5Tst6", None, "PostHog"),
        ("NEXT_PUBLIC_POSTHOG_TOKEN=phx_Tst0Tst1Tst2Tst3Tst4Tst5Tst6", "error", "personal API key"),
        ("NEXT_PUBLIC_MAPBOX_KEY=pk.eyJ1IjoidGVzdCJ9.VGVzdFRva2Vu", None, "Mapbox"),
        ("NEXT_PUBLIC_ALGOLIA_SEARCH_KEY=0123456789abcdef0123456789abcdef", None, "search-only"),
        ("NEXT_PUBLIC_ALGOLIA_ADMIN_KEY=0123456789abcdef0123456789abcdef", "error", "ADMIN_KEY"),
    ],
)
def test_public_by_design_keys(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    line: str,
    leak: str | None,
    why: str | None,
) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}\n')
    (tmp_path / ".env").write_text(line + "\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--no-process-env", "--select", "EC401", "--format", "json")
    found = json.loads(out)["findings"]
    value = line.split("=", 1)[1]
    assert value not in out
    if leak:
        assert code == 1 and [f["severity"] for f in found] == [leak]
        assert why in found[0]["message"]
    elif why is None:
        assert code == 0 and found == []
    else:  # an info line says why the key is fine
        assert code == 0 and [f["severity"] for f in found] == ["info"]
        assert why in found[0]["message"] and "not a leak" in found[0]["message"]


def test_jwt_role_is_read_locally_and_tolerates_junk() -> None:
    from envcheck.schema import public_keys

    assert public_keys.jwt_role(ANON) == "anon"
    assert public_keys.jwt_role(SERVICE) == "service_role"
    assert public_keys.jwt_role("eyJhbGciOi.eyJ!!!.x") is None
    assert public_keys.jwt_role("eyJhbGciOiJI.eyJub3QganNvbg.sig") is None  # not JSON
    assert public_keys.jwt_role("not-a-jwt") is None


def test_guard_lets_public_keys_pass_and_stops_the_service_role_key(tmp_path: Path) -> None:
    from envcheck.commands.guard import guard_files

    env = tmp_path / ".env"
    env.write_text(f"NEXT_PUBLIC_SUPABASE_ANON_KEY={ANON}\nNEXT_PUBLIC_STRIPE_KEY={STRIPE_PK}\n")
    assert guard_files([env]).findings == []
    env.write_text(f"NEXT_PUBLIC_SUPABASE_ANON_KEY={SERVICE}\n")
    assert [f.key for f in guard_files([env]).findings] == ["NEXT_PUBLIC_SUPABASE_ANON_KEY"]


# --- 5. placeholders ------------------------------------------------------------------

PLACEHOLDERS = [
    "changethis",
    "CHANGE_THIS",
    "changeme",
    "change-me-please",
    "your-api-key-here",
    "your_api_key",
    "YOUR_OPENAI_API_KEY",
    "xxx",
    "XXXX-XXXX-XXXX",
    "<your-key>",
    "{{API_KEY}}",
    "[YOUR-PASSWORD]",
    "replace_me",
    "REPLACE_WITH_YOUR_KEY",
    "TODO",
    "sk-...",
    "sk-xxxxxxxxxxxxxxxx",
    "pk_test_...",
    "insert_your_key",
    "INSERT_KEY_HERE",
    "put-your-token-here",
    "dummy",
    "dummy-api-key",
    "set-me",
    "your-domain.com",
    "https://your-project.supabase.co",
    "https://xxxx.supabase.co",
    "postgresql://postgres:[YOUR-PASSWORD]@db.qwerty.supabase.co:5432/postgres",
    "postgres://<user>:<password>@db.internal/app",
    # issue 26, from public repositories
    "*** REPLACE ***",
    "### your-key-here ###",
    "get_a_key_from_https://platform.example.com",
    "generate-a-secret-with-openssl",
    "fakefakefakefakefakefakefakefakefakefake",
    "polarpolar",
    "polar123456789",
    "some_secret_key_for_kener",  # kener's template
    "{ANON_PUBLIC}",  # shelf.nu's template
    "postgres://{USER}:{PASSWORD}@{HOST}:5432/{DB_NAME}",
    "https://{PROJECT_ID}.supabase.co",
]
REAL_VALUES = [
    "localhost",
    "true",
    "3000",
    "info",
    "development",
    "password",  # a real (weak) development password, not a stand-in
    "postgres://postgres:postgres@localhost:5432/app",
    "https://example.com",
    "https://api.example.com/v1",
    "admin@example.com",
    "https://my-app.vercel.app",
    "https://my-project.supabase.co",
    OPENAI,
    STRIPE_PK,
    ANON,
    '["a","b"]',
    "changelog",
    "replacement",
    "dummy_data_enabled",
    "Europe/Berlin",
    "${DATABASE_URL}",  # an expansion, not a stand-in
    "https://api.example.com/${VERSION}/users",
    '{"level":"info"}',
    "awesome_key",
    "some-made-up-token",  # epic-stack's working development token (the Dockerfile sets prod's)
    "some-value",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", REAL_VALUES)
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_fastapi_template_changethis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """full-stack-fastapi-template commits a .env whose secrets are all ``changethis``."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\ndependencies = []\n')
    (tmp_path / ".env").write_text(
        "DOMAIN=localhost\nSECRET_KEY=changethis\nFIRST_SUPERUSER_PASSWORD=changethis\n"
        "POSTGRES_PASSWORD=changethis\nPOSTGRES_PORT=5432\n"
    )
    git_repo(tmp_path, [".env", "pyproject.toml"])
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--no-process-env")
    assert code == 1
    assert "EC402" not in out  # a committed file of placeholders leaks nothing
    for key in ("SECRET_KEY", "FIRST_SUPERUSER_PASSWORD", "POSTGRES_PASSWORD"):
        assert f"EC306 placeholder-value  {key}" in out


# --- 6. noise that failed --strict ------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    ("mode", "others", "flagged"),
    [
        (0o644, 0, None),  # cp .env.example .env.local on a single-user machine
        (0o644, 2, "2 other user accounts on this machine can read it"),
        (0o646, 0, "every user on this machine can overwrite it"),
        (0o600, 2, None),
    ],
)
def test_world_readable_only_where_someone_can_read_it(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: int,
    others: int,
    flagged: str | None,
) -> None:
    open_dir = Path(tempfile.mkdtemp(prefix="envcheck-open-"))
    open_dir.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(open_dir, ignore_errors=True))
    (open_dir / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}\n')
    (open_dir / ".env.local").write_text(f"OPENAI_API_KEY={OPENAI}\n")
    (open_dir / ".env.local").chmod(mode)
    monkeypatch.setattr(security, "other_accounts", lambda owner: others)
    monkeypatch.chdir(open_dir)
    code, out, _ = run(capsys, "check", "--no-process-env", "--strict", "--select", "EC404")
    if flagged is None:
        assert code == 0 and "EC404" not in out
    else:
        assert code == 1 and flagged in out


def test_other_accounts_counts_people_in_use_not_services() -> None:
    """Issue 26: a dormant account (an image's ``node`` user) made EC404 fire on every machine."""
    import pwd

    logins = {
        e.pw_uid
        for e in pwd.getpwall()
        if e.pw_uid not in (os.getuid(), 0, 65534)
        and e.pw_uid >= 1000
        and not e.pw_shell.endswith(("nologin", "false"))
    }
    owners = {p.stat().st_uid for p in Path("/proc").iterdir() if p.name.isdigit()}
    security._other_accounts.cache_clear()
    assert security._other_accounts(os.getuid()) == len(logins & owners)


def test_an_account_that_runs_a_process_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    fake = [
        pwd.struct_passwd(("alice", "x", 1001, 1001, "", "/home/alice", "/bin/bash")),
        pwd.struct_passwd(("node", "x", 1000, 1000, "", "/home/node", "/bin/sh")),
        pwd.struct_passwd(("svc", "x", 1002, 1002, "", "/", "/usr/sbin/nologin")),
    ]
    monkeypatch.setattr(pwd, "getpwall", lambda: fake)
    monkeypatch.setattr(security, "_process_owners", lambda: {1001, 1002})
    security._other_accounts.cache_clear()
    try:
        assert security._other_accounts(0) == 1  # alice runs something; node is dormant
        monkeypatch.setattr(security, "_process_owners", lambda: None)  # no /proc: all logins
        security._other_accounts.cache_clear()
        assert security._other_accounts(0) == 2
    finally:
        security._other_accounts.cache_clear()


def test_guard_asks_git_whether_a_local_file_is_ignored_staged_or_exposed(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "guard", ".env.local")[0] == 0  # ignored, not staged: nothing to stop
    git(chatbot, "add", "-f", ".env.local")
    code, out, _ = run(capsys, "guard", ".env.local")
    assert code == 1 and "staged for commit" in out and "git rm --cached .env.local" in out
    git(chatbot, "commit", "-q", "-m", "oops")
    code, out, _ = run(capsys, "guard", ".env.local")
    assert code == 1 and "git tracks it" in out
    git(chatbot, "rm", "-q", "--cached", ".env.local")
    (chatbot / ".gitignore").write_text("node_modules\n")
    code, out, _ = run(capsys, "guard", ".env.local")
    assert code == 1 and "EC403" in out and "does not ignore it" in out and "staged" not in out


def test_select_means_only_those_rules(
    chatbot: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(security, "other_accounts", lambda owner: 3)  # EC404 would fire
    code, out, _ = run(capsys, "check", "--no-process-env", "--select", "EC507")
    assert code == 0 and out.strip() == ""
    code, out, _ = run(capsys, "check", "--no-process-env", "--select", "EC404")
    assert {line.split()[1] for line in out.splitlines() if line.startswith(".env")} == {"EC404"}
    # The config's `select` adds a rule to the defaults; --select still picks.
    (chatbot / "envcheck.toml").write_text('[envcheck]\nselect = ["unordered-key"]\n')
    (chatbot / ".env").write_text("B=1\nA=2\n")
    _, out, _ = run(capsys, "check", "--no-process-env")
    assert "EC214" in out and "EC404" in out


def test_env_file_reports_only_on_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}\n')
    (tmp_path / ".env.x").write_text(f"NEXT_PUBLIC_OPENAI_API_KEY={OPENAI}\n")
    (tmp_path / ".env.y").write_text("APP_NAME=chat\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "--no-process-env", "--env-file", ".env.y")
    assert code == 0 and ".env.x" not in out + err
    assert err.strip().endswith("in 1 file")


def test_summary_counts_every_file_it_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}\n')
    (tmp_path / ".env").write_text("APP_NAME=chat\nNEXT_PUBLIC_API_TOKEN=tok_dev_123456\n")
    (tmp_path / ".env.production").write_text(f"OPENAI_API_KEY={OPENAI}\n")
    git_repo(tmp_path, [".env", ".env.production", "package.json"])
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "--no-process-env")
    listed = {line.split(":", 1)[0] for line in out.splitlines() if line.startswith(".env")}
    assert listed == {".env", ".env.production"}
    assert f"in {len(listed)} files" in err


# --- 7. lint and guard without arguments ---------------------------------------------------


def test_lint_and_guard_without_arguments_check_the_project(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (chatbot / ".env").write_text("APP_NAME=chat\nAPP_NAME=again\n")
    code, out, err = run(capsys, "lint", "--strict")
    assert code == 1 and ".env:2" in out and ".env.local.example" not in out
    assert "in 2 files" in err  # .env and .env.local; the template is not a live file
    assert run(capsys, "guard")[0] == 0  # .env.local is ignored; the template holds no key
    (chatbot / ".env.local.example").write_text(f"OPENAI_API_KEY={OPENAI}\n")
    code, out, _ = run(capsys, "guard")
    assert code == 1 and ".env.local.example:1" in out and OPENAI not in out


def test_lint_and_guard_without_arguments_in_an_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("lint", "guard"):
        code, _, err = run(capsys, command)
        assert code == 0 and "no env files" in err


def test_git_is_real() -> None:
    """The git tests above need a real git (installed by the CI image)."""
    assert subprocess.run(["git", "--version"], capture_output=True).returncode == 0


def test_a_key_the_template_and_its_copy_leave_empty_is_not_an_error(
    chatbot: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """chatbot-ui's Azure block: empty in the template, left empty in the developer's copy."""
    (chatbot / ".env.local.example").write_text(TEMPLATE + "\n# Azure\nAZURE_OPENAI_ENDPOINT=\n")
    (chatbot / ".env.local").write_text(FILLED + "AZURE_OPENAI_ENDPOINT=\n")
    code, out, _ = run(capsys, "check", "--no-process-env", "--strict")
    assert code == 0 and "EC302" not in out, out
    (chatbot / ".env.local.example").write_text(TEMPLATE + "\nAZURE_OPENAI_ENDPOINT=  # required\n")
    code, out, _ = run(capsys, "check", "--no-process-env")
    assert code == 1 and "EC302 empty-value  AZURE_OPENAI_ENDPOINT" in out


def test_init_calls_a_database_url_secret_only_when_it_carries_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Remix stacks ship Prisma's ``file:./data.db``: a path, nothing to hide (or to reject)."""
    (tmp_path / "package.json").write_text('{"dependencies": {"@remix-run/node": "2.0.0"}}\n')
    (tmp_path / ".env").write_text(
        "DATABASE_URL=file:./data.db?connection_limit=1\n"
        "REDIS_URL=redis://default:s3cr3tPass@cache.internal:6379\n"
        "POSTGRES_PASSWORD=changethis\n"
        "PG_URL=postgresql://app:${POSTGRES_PASSWORD}@db:5432/app\n"  # a placeholder, expanded
    )
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    toml = (tmp_path / "envcheck.toml").read_text()
    database = toml.split("[keys.DATABASE_URL]\n", 1)[1].split("\n\n", 1)[0]
    redis = toml.split("[keys.REDIS_URL]\n", 1)[1].split("\n\n", 1)[0]
    pg = toml.split("[keys.PG_URL]\n", 1)[1].split("\n\n", 1)[0]
    assert "secret = true" not in database and "secret = true" in redis
    assert "secret = true" not in pg
    code, out, _ = run(capsys, "check", "--no-process-env", "--ignore", "EC306", "--strict")
    assert code == 0, out  # no EC402-EC404 "secret" in a file of placeholders
    assert "EC305" not in out and "EC308" not in out  # file: is a database URL
