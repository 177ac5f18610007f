"""The deploy-target readers as pure functions, and secret references (issue #27)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from envcheck.sources.references import reference_kind, unknown_value
from envcheck.targets import dockerfile, k8s
from envcheck.targets.discover import discover
from envcheck.targets.model import SECRET_STORE
from envcheck.targets.platforms import injected
from tests.harness import FIXTURES

APP = FIXTURES / "targets" / "app"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("op://Private/OpenAI/credential", "1password"),
        ("op://vault/item/section/field", "1password"),
        ("encrypted:BDb7t4Yh0pQkz3x9yXzbb2ZkQ", "dotenvx"),
        ("vault:secret/data/shop#openai", "vault"),
        ("ref+vault://secret/shop#openai", "vault"),
        (
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/openai-AbCdEf",
            "aws-secrets-manager",
        ),
        ("arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db-url", "aws-ssm"),
        ("{{resolve:ssm:/prod/db-url:3}}", "aws-ssm"),
        ("{{resolve:secretsmanager:prod/openai:SecretString:key}}", "aws-secrets-manager"),
        ("${{ secrets.OPENAI_API_KEY }}", "github-secret"),
        ("${{ vars.LOG_LEVEL }}", "github-variable"),
        ("doppler://shop/prd", "doppler"),
        ("${prd.OPENAI_API_KEY}", "secret-manager-reference"),
        ("${shared.backend.OPENAI_API_KEY}", "secret-manager-reference"),
        (unknown_value("Secret web key openai"), "deploy-target"),
    ],
)
def test_reference_kinds(value: str, kind: str) -> None:
    assert reference_kind(value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-" + "a" * 48,
        "${OPENAI_API_KEY}",
        "https://example.com/op://x/y/z",
        "op://only-vault",
        "",
        "Bearer op://v/i/f",
    ],
)
def test_values_are_not_references(value: str) -> None:
    assert reference_kind(value) is None


def test_secret_values_never_reach_the_model(tmp_path: Path) -> None:
    project = tmp_path / "app"
    shutil.copytree(APP, project)
    found = discover(project)
    assert not found.failed
    for target in found.targets.values():
        for item in target.keys.values():
            assert "CANARY" not in repr(item) and "CANARY" not in (item.value or "") + item.store
            if item.kind == SECRET_STORE:
                assert item.value is None
    build = k8s.kustomize(project, "k8s/base")
    assert set(build.secrets["web-api-keys"]) == {"OPENAI_API_KEY", "STRIPE_SECRET_KEY"}


def test_platform_variables() -> None:
    assert injected("vercel", "VERCEL_GIT_COMMIT_SHA")
    assert injected("fly", "FLY_REGION") and not injected("fly", "VERCEL_URL")
    assert injected("k8s", "REDIS_CACHE_SERVICE_HOST", ["redis-cache"])
    assert injected("heroku", "DATABASE_URL", ["heroku-postgresql:essential-0"])
    assert not injected("heroku", "DATABASE_URL", [])


def test_dockerfile_build_stage(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "ARG NODE=20\nFROM node:${NODE} AS base\nENV SHARED=1\n"
        "FROM base AS builder\nARG NEXT_PUBLIC_API_URL\nARG BUILD_SHA=dev\n"
        "ENV NEXT_PUBLIC_SITE=$NEXT_PUBLIC_API_URL \\\n    TELEMETRY=0\nRUN npm run build\n"
        "FROM node:20 AS runner\nENV RUNTIME_ONLY=1\n"
    )
    keys = dockerfile.build_keys(tmp_path)
    assert set(keys) == {
        "SHARED",
        "NEXT_PUBLIC_API_URL",
        "BUILD_SHA",
        "NEXT_PUBLIC_SITE",
        "TELEMETRY",
    }
    assert keys["BUILD_SHA"].value == "dev" and keys["NEXT_PUBLIC_API_URL"].value is None
    assert keys["NEXT_PUBLIC_API_URL"].origin.line == 5
