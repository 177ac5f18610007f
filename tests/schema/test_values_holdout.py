"""Value-level precision on the survey's hold-out repositories (issue #26), each class from
the real shape: a bucket name that starts like a vendor's stem is no key (skyvern), a test
run's committed settings hold stand-ins (rallly, outline), http to a compose service
crosses no network (langfuse, inbox-zero), a section title's "(optional)" after a rule
line heads every key of its block (openstatus), one answer to "which template was this
live file copied from" (nestjs-boilerplate), and the app's own key shipped as zeros stays
a placeholder (langfuse)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import envcheck, repository

# Fake values only: random characters drawn once for these tests.
_FAKE_LIVE_KEY = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dcXq2Lmn8Rb0"
_FAKE_HEX_KEY = "F0E5AD933D7F6FD8F4DBB3E038C501C052DC0593C686D21ACB30AE205D2F634B"


def _run(where: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = envcheck(where, *args, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def _keys(found: list[dict[str, Any]], code: str) -> set[str]:
    return {f["key"] for f in found if f["code"] == code}


def test_a_bucket_name_that_starts_like_a_vendor_stem_is_no_key(tmp_path: Path) -> None:
    # skyvern .env.example: a commented-out GCS block; `skyvern-…` starts with `sk`.
    project = repository(
        tmp_path / "app",
        {
            ".env.example": (
                "# Uncomment to store screenshots in Google Cloud Storage\n"
                "# SKYVERN_STORAGE_TYPE=gcs\n"
                "# GCS_BUCKET_SCREENSHOTS=skyvern-screenshots\n"
                "# GCS_BUCKET_BROWSER_SESSIONS=skyvern-browser-sessions\n"
                "# GCS_BUCKET_UPLOADS=sk_UPLOADS_BUCKET_NAME_HERE\n"
            ),
            "package.json": '{"name": "app"}',
        },
    )
    code, found = _run(project, "guard", ".env.example")
    assert code == 0, found
    # A drawn key commented out in the same template is still refused.
    (project / ".env.example").write_text(f"# STRIPE_SECRET_KEY={_FAKE_LIVE_KEY}\n")
    code, found = _run(project, "guard", ".env.example")
    assert code == 1 and _keys(found, "EC402") == {"STRIPE_SECRET_KEY"}, found


def _test_settings(root: Path) -> Path:
    """rallly's apps/web/.env.test and outline's .env.test, committed on purpose."""
    return repository(
        root,
        {
            "package.json": '{"name": "app", "scripts": {"test": "playwright test"}}',
            ".gitignore": ".env\n.env*.local\n",
            ".env.example": "SECRET_KEY=\nCRON_SECRET=\n",
            ".env.test": (
                "NODE_ENV=test\n"
                "CRON_SECRET=1234567890abcdef1234567890abcdef1234\n"
                "SECRET_PASSWORD=abcdef1234567890abcdef1234567890\n"
                "DATABASE_URL=postgres://user:pass@127.0.0.1:5432/app-test\n"
                f"SECRET_KEY={_FAKE_HEX_KEY}\n"
                "SLACK_VERIFICATION_TOKEN=test-token-123\n"
                "GITHUB_CLIENT_SECRET=123;\n"
                'GITHUB_APP_PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n'
                '-----END RSA PRIVATE KEY-----"\n'
            ),
        },
    )


def test_a_test_run_s_committed_settings_hold_stand_ins_not_secrets(tmp_path: Path) -> None:
    project = _test_settings(tmp_path / "app")
    code, found = _run(project, "guard", ".env.test")
    assert code == 0, found  # the documented pre-commit hook lets a fresh clone commit
    _, found = _run(project, "check", "--mode", "test")
    assert not _keys(found, "EC402"), found


def test_a_vendor_key_pasted_into_test_settings_is_still_refused(tmp_path: Path) -> None:
    project = _test_settings(tmp_path / "app")
    with (project / ".env.test").open("a") as out:
        out.write(f"STRIPE_SECRET_KEY={_FAKE_LIVE_KEY}\n")
    code, found = _run(project, "guard", ".env.test")
    assert code == 1 and _keys(found, "EC402") == {"STRIPE_SECRET_KEY"}, found
    assert "test run's settings" in found[0]["message"]


def _compose(root: Path, endpoint: str) -> Path:
    """langfuse's self-hosting compose file: the worker reaches MinIO by its service name."""
    return repository(
        root,
        {
            "docker-compose.yml": (
                "services:\n"
                "  worker:\n"
                "    image: langfuse/langfuse-worker:3\n"
                "    environment:\n"
                f"      LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT: {endpoint}\n"
                "      LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID: minio\n"
                "      LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY: Wq8mV3kPz1xR7tYb\n"
                "  minio:\n"
                "    image: minio/minio\n"
            ),
        },
    )


def test_http_to_a_compose_service_crosses_no_network(tmp_path: Path) -> None:
    _, found = _run(_compose(tmp_path / "inside", "http://minio:9000"), "check")
    assert not _keys(found, "EC405"), found
    _, found = _run(_compose(tmp_path / "outside", "http://s3.internal.example.com"), "check")
    assert _keys(found, "EC405") == {"LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT"}, found


def test_a_section_title_after_a_rule_line_heads_its_whole_block(tmp_path: Path) -> None:
    # openstatus .env.docker.example: "# Redis (optional) - for caching" under a
    # "# REDIS & QUEUE" title and a rule line; the token next to the URL is optional too.
    from envcheck.schema.example import parse_example

    text = (
        "# REDIS & QUEUE\n"
        "# " + "=" * 40 + "\n"
        "# Redis (optional) - for caching\n"
        "UPSTASH_REDIS_REST_URL=http://localhost:6379\n"
        "UPSTASH_REDIS_REST_TOKEN=placeholder\n"
        "\n"
        "# AUTH\n"
        "# " + "=" * 40 + "\n"
        "AUTH_SECRET=\n"
    )
    required = {k.name: k.fields.get("required", True) for k in parse_example(text, "t")}
    assert required == {
        "UPSTASH_REDIS_REST_URL": False,
        "UPSTASH_REDIS_REST_TOKEN": False,
        "AUTH_SECRET": True,
    }


def _variants(root: Path, live: str) -> Path:
    """nestjs-boilerplate: two templates with the same keys, both copied to ``.env``."""
    keys = "APP_PORT=3000\nDATABASE_TYPE={}\nDATABASE_URL={}\nDATABASE_HOST={}\n"
    relational = keys.format("postgres", "", "postgres")
    document = keys.format("mongodb", "mongodb://mongo:27017/api", "")
    return repository(
        root,
        {
            "env-example-relational": relational,
            "env-example-document": document,
            ".env": {"relational": relational, "document": document}[live],
        },
    )


def test_the_template_a_copy_came_from_is_chosen_by_its_content(tmp_path: Path) -> None:
    from envcheck.sources.templates import copied_from, find_example

    for live, other in (("relational", "document"), ("document", "relational")):
        project = _variants(tmp_path / live, live)
        assert copied_from(project, ".env") == f"env-example-{live}"
        assert find_example(project) == f"env-example-{live}", other


def test_a_copy_under_another_name_is_found_by_its_keys_only_when_they_match(
    tmp_path: Path,
) -> None:
    from envcheck.sources.templates import copied_from

    (tmp_path / ".env.dev.example").write_text("A=1\nB=2\n")
    (tmp_path / ".env.prod.example").write_text("A=\nB=\nC=\nD=\n")
    (tmp_path / ".env").write_text("A=1\nB=9\nC=3\nD=4\n")
    assert copied_from(tmp_path, ".env") == ".env.prod.example"
    (tmp_path / ".env").write_text("X=1\nY=2\nA=1\n")
    assert copied_from(tmp_path, ".env") is None
    # A compose file is no copy of a template, whatever keys it shares.
    (tmp_path / "docker-compose.yml").write_text("A: 1\nB: 2\n")
    assert copied_from(tmp_path, "docker-compose.yml") is None


def test_the_app_s_own_key_shipped_as_zeros_stays_a_placeholder(tmp_path: Path) -> None:
    # langfuse: ENCRYPTION_KEY=0000…(64) "CHANGEME" in the template and the compose file;
    # a bundled database's typed password (polarpolar) the template ships still works.
    template = "ENCRYPTION_KEY=" + "0" * 64 + "  # CHANGEME\nPOSTGRES_PASSWORD=polarpolar\n"
    project = repository(
        tmp_path / "app",
        {".env.example": template, ".env": template, "package.json": '{"name": "app"}'},
    )
    _, found = _run(project, "check")
    assert _keys(found, "EC306") == {"ENCRYPTION_KEY"}, found
