"""Production where it lives, part two (issue #27 items 4 and 6, and loose ends).

Resource identity (EC607, and EC604 for a URL's password), build artefacts
(EC408 ``.dockerignore``, EC521 standalone), the override-over-reference
warning (EC513), ``explain --target``'s stand-ins, the JSON ``target`` field
and compose targets per service.  The CLI runs for real on copies of
``fixtures/targets/{resource,docker,standalone,override}``; no password, key
or secret-store value may appear in any output format.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from envcheck.dockerignore import DockerIgnore
from envcheck.identity import identity, url_password
from envcheck.secret import Fingerprinter
from tests.harness import FIXTURES, findings
from tests.harness import isolated as run

TARGETS = FIXTURES / "targets"
APP = TARGETS / "app"
FORMATS = ("text", "json", "github", "sarif")


def _copy(tmp_path: Path, name: str) -> Path:
    project = tmp_path / name
    shutil.copytree(TARGETS / name, project)
    return project


def _values(project: Path, *names: str) -> list[str]:
    """Every value of the fixture's env files that is longer than a word: the canaries."""
    found = []
    for name in names:
        for line in (project / name).read_text().splitlines():
            key, _, value = line.partition("=")
            if value and not line.startswith("#") and len(value) >= 12:
                found.append(value)
    return found


def _secret_parts(value: str) -> list[str]:
    """A URL's password and a key's body: what must never be printed."""
    password = url_password(value)
    return [password] if password else [value]


# -- identity: the resource, never the secret ---------------------------------------------

FP = Fingerprinter(b"k" * 32)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (
            "postgres://u:p1@db.prod.internal:5432/shop",
            "postgres://v:p2@db.prod.internal/shop",
            True,
        ),
        (
            "postgres://u:p1@db.prod.internal/shop",
            "postgres://u:p1@db.prod.internal/shop_staging",
            False,
        ),
        (
            "postgres://u:p1@db.prod.internal/shop",
            "postgresql://u:p1@db.staging.internal/shop",
            False,
        ),
        (
            "mongodb+srv://u:p@cluster0.ab1cd.mongodb.net/app",
            "mongodb+srv://x:y@cluster0.ab1cd.mongodb.net/app?w=1",
            True,
        ),
        ("mongodb://u:p@h2:27017,h1/app", "mongodb://h1:27017,h2:27017/app", True),
        ("redis://:pw@cache.prod:6379/0", "redis://cache.prod", True),
        ("redis://cache.prod/1", "redis://cache.prod/0", False),
        ("https://api.shop.com/v1", "https://api.shop.com:443/v2", True),
        ("jdbc:postgresql://db.prod:5432/shop", "postgres://db.prod/shop", True),
    ],
)
def test_url_identity_is_host_port_and_database(a: str, b: str, same: bool) -> None:
    first, second = identity("DATABASE_URL", a, FP), identity("DATABASE_URL", b, FP)
    assert first is not None and second is not None
    assert (first == second) is same


@pytest.mark.parametrize(
    "value",
    [
        "postgres://u:p@localhost:5432/shop",
        "redis://127.0.0.1:6379",
        "http://web.local:3000",
        "https://api.openai.com/v1",  # a shared public API: the account is in the key
        "https://hooks.slack.com/services/x",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",  # an older Stripe key: no account part
        "not a url",
        "",
    ],
)
def test_no_identity_for_local_shared_or_unknown_values(value: str) -> None:
    assert identity("SOME_URL", value, FP) is None


def test_stripe_identity_is_account_and_mode_without_the_key() -> None:
    account = "1AbCdEfGhIjKlMnO"
    live_secret = "sk_live_5" + account + "x" * 60
    live_public = "pk_live_5" + account + "y" * 60
    test_secret = "sk_test_5" + account + "z" * 60
    assert identity("STRIPE_SECRET_KEY", live_secret, FP) == identity("K", live_public, FP)
    assert identity("STRIPE_SECRET_KEY", live_secret, FP) != identity("K", test_secret, FP)
    found = identity("STRIPE_SECRET_KEY", live_secret, FP)
    assert found is not None
    assert account not in repr(found.parts) and live_secret not in repr(found)  # fingerprinted


def test_supabase_ref_from_url_and_jwt_claim() -> None:
    ref = "qwertyuiopasdfghjklz"
    jwt = (TARGETS / "resource" / ".env.staging").read_text().split("ANON_KEY=")[1].split()[0]
    from_url = identity("NEXT_PUBLIC_SUPABASE_URL", f"https://{ref}.supabase.co", FP)
    from_jwt = identity("NEXT_PUBLIC_SUPABASE_ANON_KEY", jwt, FP)
    assert from_url is not None and from_url == from_jwt
    assert from_url.noun == "Supabase project"


def test_aws_firebase_and_sentry_identities() -> None:
    arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
    found = identity("DB_SECRET_ARN", arn, FP)
    assert found is not None and found.noun == "AWS resource"
    assert identity("X", arn.replace("123456789012", "210987654321"), FP) != found
    project = identity("NEXT_PUBLIC_FIREBASE_PROJECT_ID", "shop-prod-1234", FP)
    assert project == identity(
        "NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN", "shop-prod-1234.firebaseapp.com", FP
    )
    sentry = identity("SENTRY_DSN", "https://abc123def456@o4504.ingest.us.sentry.io/4505", FP)
    assert sentry is not None and sentry.shared_by_design  # environments are a tag: info only


def test_url_password_is_the_user_part_credential_only() -> None:
    assert url_password("postgres://app:s3cr%40t@db/shop") == "s3cr@t"
    assert url_password("https://api.shop.com/v1") is None
    assert url_password("redis://cache:6379") is None


# -- .dockerignore: Docker's matching rules -------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        (".env*", ".env.local", True),
        (".env*", "apps/web/.env", False),  # no "**": the root only
        ("**/.env*", "apps/web/.env.local", True),
        ("**/.env*", ".env", True),  # "**/" matches no directory too
        (".env*\n!.env.example", ".env.example", False),
        (".env*\n!.env.example", ".env.local", True),
        ("!.env.local\n.env*", ".env.local", True),  # the last applicable pattern wins
        ("*\n!src", ".env", True),
        ("/.env.local", ".env.local", True),  # a leading "/" is the context root
        ("./.env.local/", ".env.local", True),  # cleaned like a path
        ("apps", "apps/web/.env", True),  # a parent directory's match counts
        ("**.env", "config/prod.env", True),  # Docker's suffix match
        (".env.[lp]*", ".env.local", True),
        (".env.[^l]*", ".env.local", False),
        ("# .env", ".env", False),  # a comment
        ("  .env.local  ", ".env.local", True),  # trimmed
        ("apps/**/.env", "apps/a/b/.env", True),
        (".env?local", ".env.local", True),
        ("*.local", "x/y.local", False),  # "*" never crosses "/"
        ("node_modules\nnpm-debug.log", ".env.local", False),
    ],
)
def test_dockerignore_matches_as_docker_does(patterns: str, path: str, excluded: bool) -> None:
    assert DockerIgnore.from_text(patterns).excludes(path) is excluded


def test_hostile_dockerignore_is_bounded() -> None:
    """Nested ``**`` and stars: a regex would backtrack; the matcher stays linear per pattern."""
    hostile = "\n".join(["**/" * 150 + "*?" * 50 + "x"] * 400)
    assert DockerIgnore.from_text(hostile).excludes("a/" * 30 + ".env.local") is False


# -- EC607: staging that points at production ----------------------------------------------


def test_staging_pointing_at_the_production_database_is_an_error(tmp_path: Path) -> None:
    project = _copy(tmp_path, "resource")
    result = run(project, "diff", "--from", "staging", "--to", "production", "--format", "json")
    assert result.returncode == 1, result.stderr
    ec607 = {f["key"]: f for f in findings(result) if f["code"] == "EC607"}
    assert set(ec607) == {
        "DATABASE_URL",
        "NEXT_PUBLIC_SUPABASE_URL",
        "NEXT_PUBLIC_SUPABASE_ANON_KEY",
    }
    database = ec607["DATABASE_URL"]
    assert database["severity"] == "error"
    assert database["message"] == (
        "DATABASE_URL in staging points at the production database: "
        "same host, port and database as in production"
    )
    assert [(r["path"], r["label"]) for r in database["related"]] == [
        (".env.production", "production value")
    ]
    # The Supabase staging anon key carries the production project's ref.
    assert "Supabase project" in str(ec607["NEXT_PUBLIC_SUPABASE_ANON_KEY"]["message"])


def test_staging_with_its_own_database_has_no_finding(tmp_path: Path) -> None:
    project = _copy(tmp_path, "resource")
    staging = project / ".env.staging"
    staging.write_text(staging.read_text().replace("db.prod.internal", "db.staging.internal"))
    result = run(project, "diff", "--from", "staging", "--to", "production", "--format", "json")
    assert not [f for f in findings(result) if f["key"] == "DATABASE_URL"]


def test_reverse_direction_is_judged_too(tmp_path: Path) -> None:
    project = _copy(tmp_path, "resource")
    result = run(project, "diff", "--from", "production", "--to", "staging", "--format", "json")
    assert any(f["code"] == "EC607" and f["path"] == ".env.staging" for f in findings(result))


def test_same_password_in_two_urls_is_ec604(tmp_path: Path) -> None:
    project = _copy(tmp_path, "resource")
    password = "Reused" + "pw9Q2" * 4
    (project / ".env.staging").write_text(
        f"DATABASE_URL=postgres://staging:{password}@db.staging.internal:5432/shop\n"
    )
    (project / ".env.production").write_text(
        f"DATABASE_URL=postgres://app:{password}@db.prod.internal:5432/shop\n"
    )
    result = run(project, "diff", "--from", "staging", "--to", "production", "--format", "json")
    codes = [f["code"] for f in findings(result) if f["key"] == "DATABASE_URL"]
    assert codes == ["EC604"]
    for fmt in FORMATS:
        out = run(
            project, "diff", "--from", "staging", "--to", "production", "--format", fmt, "--values"
        )
        assert password not in out.stdout + out.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_password_or_key_of_the_resource_fixture_is_printed(tmp_path: Path, fmt: str) -> None:
    project = _copy(tmp_path, "resource")
    canaries = [
        part
        for value in _values(project, ".env.staging", ".env.production")
        for part in _secret_parts(value)
        if "supabase.co" not in part and "redis://" not in part
    ]
    assert len(canaries) >= 5
    outputs = [
        run(
            project,
            "diff",
            "--from",
            "staging",
            "--to",
            "production",
            "--format",
            fmt,
            "--values",
            "--verbose",
        ),
        run(project, "check", "--mode", "staging", "--format", fmt, "--verbose"),
    ]
    for result in outputs:
        for canary in canaries:
            assert canary not in result.stdout + result.stderr


# -- EC408: secrets in the Docker build context ---------------------------------------------


def _docker_findings(project: Path) -> list[dict[str, object]]:
    result = run(project, "check", "--no-process-env", "--format", "json", "--select", "EC408")
    assert result.returncode in (0, 1), result.stderr
    return findings(result)


def test_env_file_in_docker_context_is_an_error(tmp_path: Path) -> None:
    project = _copy(tmp_path, "docker")
    found = _docker_findings(project)
    assert [(f["code"], f["severity"], f["path"]) for f in found] == [
        ("EC408", "error", ".env.local")
    ]
    assert "Dockerfile:5" in str(found[0]["message"])  # the COPY . . that takes it


@pytest.mark.parametrize(
    ("ignore", "reported"),
    [
        ("node_modules\n.env*\n", False),
        ("node_modules\n.env*\n!.env.example\n", False),  # the template may go in
        ("**/.env*\n", False),
        ("node_modules\n.env*\n!.env.local\n", True),  # an exception puts it back
        ("node_modules\n.env\n", True),  # .env only: .env.local still goes
    ],
)
def test_dockerignore_entries(tmp_path: Path, ignore: str, reported: bool) -> None:
    project = _copy(tmp_path, "docker")
    (project / ".dockerignore").write_text(ignore)
    assert bool(_docker_findings(project)) is reported


def test_dockerfile_specific_ignore_file_wins(tmp_path: Path) -> None:
    project = _copy(tmp_path, "docker")
    (project / "Dockerfile.dockerignore").write_text(".env*\n")
    assert _docker_findings(project) == []


def test_in_context_but_not_copied_is_a_warning(tmp_path: Path) -> None:
    project = _copy(tmp_path, "docker")
    (project / "Dockerfile").write_text("FROM node:20\nCOPY package.json server.js ./\n")
    assert [f["severity"] for f in _docker_findings(project)] == ["warning"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_docker_finding_never_prints_the_key(tmp_path: Path, fmt: str) -> None:
    project = _copy(tmp_path, "docker")
    key = (project / ".env.local").read_text().split("=", 1)[1].strip()
    result = run(project, "check", "--format", fmt, "--verbose")
    assert "EC408" in result.stdout
    assert key not in result.stdout + result.stderr


# -- EC521: Next.js standalone never loads .env.local ---------------------------------------


def test_standalone_with_key_only_in_env_local_warns(tmp_path: Path) -> None:
    project = _copy(tmp_path, "standalone")
    result = run(project, "check", "--mode", "production", "--no-process-env", "--format", "json")
    ec521 = [f for f in findings(result) if f["code"] == "EC521"]
    # LOG_LEVEL is also in .env (shipped); NEXT_PUBLIC_* was inlined at build.
    assert [(f["key"], f["severity"]) for f in ec521] == [("DATABASE_URL", "warning")]
    password = url_password((project / ".env.local").read_text().split("=", 1)[1].split()[0])
    assert password and password not in result.stdout


def test_no_standalone_output_no_warning(tmp_path: Path) -> None:
    project = _copy(tmp_path, "standalone")
    config = project / "next.config.js"
    config.write_text(config.read_text().replace("output: 'standalone'", "// output: 'standalone'"))
    result = run(project, "check", "--mode", "production", "--no-process-env", "--format", "json")
    assert not [f for f in findings(result) if f["code"] == "EC521"]


_DOCKERFILE_STANDALONE = """\
FROM node:22-alpine AS build
WORKDIR /app
COPY . .
RUN npx next build
FROM node:22-alpine
WORKDIR /app
COPY --from=build /app/.next/standalone ./
CMD ["node", "server.js"]
"""


def _ec521(project: Path) -> list[tuple[str, str]]:
    """(key, where the server is started) of each EC521: a related place, not text; the
    second related place is where next.config sets the output, which the text never names."""
    result = run(project, "check", "--mode", "production", "--no-process-env", "--format", "json")
    found = [f for f in findings(result) if f["code"] == "EC521"]
    for f in found:
        assert "next.config" not in f["message"]
        config = f["related"][1]
        assert (config["path"], config["label"]) == ("next.config.js", "sets output: 'standalone'")
        source = (project / "next.config.js").read_text().splitlines()
        assert "output: 'standalone'" in source[config["line"] - 1]
    return [
        (
            f["key"],
            f"{f['related'][0]['path']}:{f['related'][0]['line']} {f['related'][0]['label']}",
        )
        for f in found
    ]


def _dev_and_image(tmp_path: Path) -> Path:
    """nextcrm's shape: `next dev` locally, server.js only in an image whose context
    leaves `.env*.local` out."""
    project = _copy(tmp_path, "standalone")
    package = project / "package.json"
    package.write_text(package.read_text().replace("node .next/standalone/server.js", "next dev"))
    (project / "Dockerfile").write_text(_DOCKERFILE_STANDALONE)
    (project / ".dockerignore").write_text("node_modules\n.next\n.env\n.env.local\n.env*.local\n")
    return project


def test_standalone_for_an_image_that_leaves_env_local_out_is_not_flagged(tmp_path: Path) -> None:
    """output: 'standalone' alone does not mean .env.local was meant for server.js."""
    assert _ec521(_dev_and_image(tmp_path)) == []


def test_standalone_image_that_copies_env_local_into_its_build_warns(tmp_path: Path) -> None:
    project = _dev_and_image(tmp_path)
    (project / ".dockerignore").write_text("node_modules\n.next\n")
    [(key, started)] = _ec521(project)
    assert key == "DATABASE_URL"
    assert started.startswith("Dockerfile:3 runs the standalone server")


def test_standalone_started_by_a_script_warns(tmp_path: Path) -> None:
    [(key, started)] = _ec521(_copy(tmp_path, "standalone"))
    assert key == "DATABASE_URL"
    assert started == "package.json:1 starts .next/standalone/server.js"


# -- EC513: override replaces a resolved secret reference -----------------------------------


def _ec513(project: Path) -> list[dict[str, object]]:
    result = run(project, "check", "--no-process-env", "--format", "json", "--select", "EC513")
    return findings(result)


def test_dotenv_override_true_with_reference_warns(tmp_path: Path) -> None:
    project = _copy(tmp_path, "override")
    found = _ec513(project)
    assert [(f["key"], f["severity"]) for f in found] == [("OPENAI_API_KEY", "warning")]
    assert "index.js:1" in str(found[0]["message"])
    (project / "index.js").write_text("require('dotenv').config({ path: '.env' });\n")
    assert _ec513(project) == []


@pytest.mark.parametrize(
    ("name", "text", "warned"),
    [
        ("app.py", "from dotenv import load_dotenv\nload_dotenv(override=True)\n", True),
        ("app.py", "from dotenv import load_dotenv\nload_dotenv()\n", False),
        ("Procfile", "web: dotenv run -- gunicorn app:app\n", True),  # override is its default
        ("Procfile", "web: dotenv -f .env --no-override run -- gunicorn app:app\n", False),
    ],
)
def test_python_dotenv_override(tmp_path: Path, name: str, text: str, warned: bool) -> None:
    project = tmp_path / "py"
    project.mkdir()
    (project / "requirements.txt").write_text("python-dotenv==1.0.1\n")
    (project / ".env").write_text("OPENAI_API_KEY=op://Production/OpenAI/credential\n")
    (project / name).write_text(text)
    assert bool(_ec513(project)) is warned


# -- loose ends ----------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Path:
    project = tmp_path / "app"
    shutil.copytree(APP, project)
    return project


def test_explain_target_shows_where_the_value_lives(app: Path) -> None:
    for fmt in ("text", "json"):
        result = run(app, "explain", "--target", "fly", "--format", fmt)
        assert result.returncode in (0, 1), result.stderr
        assert "envcheck-unknown" not in result.stdout
        assert "(secret store: fly secrets)" in result.stdout
    k8s = run(app, "explain", "--target", "k8s:overlay/prod/deployment/web")
    assert "(set by Kubernetes" in k8s.stdout and "envcheck-unknown" not in k8s.stdout


def test_check_target_json_names_the_target(app: Path) -> None:
    document = json.loads(run(app, "check", "--target", "fly", "--format", "json").stdout)
    assert document["target"] == {"name": "fly", "platform": "fly", "manifest": "fly.toml"}
    plain = json.loads(run(app, "check", "--no-process-env", "--format", "json").stdout)
    assert "target" not in plain


def test_compose_targets_per_service(app: Path) -> None:
    listed = json.loads(run(app, "targets", "--format", "json").stdout)["targets"]
    by_name = {t["name"]: t for t in listed}
    assert {"compose:prod/web", "compose:prod/db"} <= set(by_name)
    assert "POSTGRES_PASSWORD" not in by_name["compose:prod/web"]["keys"]
    assert "POSTGRES_PASSWORD" in by_name["compose:prod/db"]["keys"]
    # The chain's name alone is the service its production override defines.
    document = json.loads(run(app, "check", "--target", "compose:prod", "--format", "json").stdout)
    assert document["target"]["name"] == "compose:prod/web"
    assert run(app, "diff", "--to", "compose:prod/db").returncode in (0, 1)


def test_new_rules_are_listed_with_docs() -> None:
    listing = run(TARGETS, "rules").stdout
    for code in ("EC408", "EC513", "EC521", "EC607"):
        assert re.search(rf"^{code}\s", listing, re.M), code
        doc = run(TARGETS, "rules", code).stdout
        for section in ("What it does", "Why is this bad?", "Example", "Use instead"):
            assert section in doc, (code, section)


def test_staging_against_a_deploy_target(tmp_path: Path) -> None:
    """``diff --to TARGET``: a target is production; its manifest's value is compared too."""
    project = _copy(tmp_path, "resource")
    (project / "fly.toml").write_text(
        'app = "shop"\n\n[env]\n  DATABASE_URL = "postgres://db.prod.internal:5432/shop"\n'
    )
    result = run(project, "diff", "--from", "staging", "--to", "fly", "--format", "json")
    ec607 = [f for f in findings(result) if f["code"] == "EC607"]
    assert [(f["key"], f["path"]) for f in ec607] == [("DATABASE_URL", ".env.staging")]
    assert [r["path"] for r in ec607[0]["related"]] == ["fly.toml"]
