"""Deploy targets as sources (issue #27): ``--target``, ``diff --to TARGET``, ``targets``.

Runs the real CLI on a copy of ``fixtures/targets/app``: a Next.js shop
deployed with fly.toml, Kubernetes (a Kustomize base and a prod overlay), a
Helm chart, a Render blueprint, Netlify contexts, Heroku app.json,
vercel.json, a compose production override and a GitHub workflow.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.harness import FIXTURES, findings
from tests.harness import isolated as run

APP = FIXTURES / "targets" / "app"
TARGETS = (
    "fly",
    "k8s:deployment/web",
    "k8s:overlay/prod/deployment/web",
    "helm:web/prod",
    "render:web",
    "netlify:production",
    "heroku",
    "vercel",
    "compose:prod/web",
    "github:deploy.yml/deploy",
)
# Planted in k8s/base/secret.yaml (stringData, and base64 data) and the overlay's secretGenerator.
CANARIES = (
    "CANARYstringData",
    "Q7mZ2xL9pR4vT8nB3kW6yH1jF5sD0gA2cE7uI9oP3",
    "c2tfbGl2ZV9DQU5BUllkYXRhYmFzZTY0dmFsdWVYWVo",
    "CANARYdatabase64",
    "CANARYgenerator",
)


@pytest.fixture
def app(tmp_path: Path) -> Path:
    project = tmp_path / "app"
    shutil.copytree(APP, project)
    (project / ".gitignore").write_text(".env\n")
    for env_file in project.glob(".env*"):
        env_file.chmod(0o600)
    return project


def test_targets_lists_every_deploy_source(app: Path) -> None:
    result = run(app, "targets", "--format", "json")
    assert result.returncode == 0, result.stderr
    names = {t["name"] for t in json.loads(result.stdout)["targets"]}
    assert set(TARGETS) <= names


def test_keys_carry_manifest_positions(app: Path) -> None:
    document = json.loads(run(app, "targets", "--format", "json").stdout)
    by_name = {t["name"]: t for t in document["targets"]}
    fly = by_name["fly"]["keys"]
    assert (fly["PORT"]["source"], fly["PORT"]["line"], fly["PORT"]["col"]) == ("fly.toml", 12, 3)
    overlay = by_name["k8s:overlay/prod/deployment/web"]["keys"]
    assert overlay["OPENAI_API_KEY"]["kind"] == "secret-store"  # envFrom secretRef: a name only
    assert overlay["NEXT_PUBLIC_API_URL"]["source"] == "k8s/overlays/prod/kustomization.yaml"
    assert by_name["render:web"]["keys"]["OPENAI_API_KEY"]["kind"] == "secret-store"  # sync: false
    assert by_name["render:web"]["keys"]["DATABASE_URL"]["kind"] == "reference"  # fromDatabase
    workflow = by_name["github:deploy.yml/deploy"]["keys"]
    assert workflow["DATABASE_URL"]["kind"] == "secret-store"  # ${{ secrets.X }}
    assert workflow["LOG_LEVEL"]["kind"] == "reference"  # ${{ vars.X }}
    assert by_name["heroku"]["keys"]["SESSION_SECRET"]["kind"] == "secret-store"  # generator
    helm = by_name["helm:web/prod"]["keys"]
    assert helm["LOG_LEVEL"]["source"] == "charts/web/values-prod.yaml"
    assert "FEATURE_FLAGS" in helm  # range over .Values.extraEnv under env:
    compose = by_name["compose:prod/web"]["keys"]
    assert compose["OPENAI_API_KEY"]["kind"] == "reference"  # ${OPENAI_API_KEY}: the shell's


def test_check_without_target_reads_the_env_files(app: Path) -> None:
    result = run(app, "check", "--no-process-env", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["files"][0] == ".env"


@pytest.mark.parametrize("name", TARGETS)
def test_check_with_target(app: Path, name: str) -> None:
    result = run(app, "check", "--target", name, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    found = findings(result)
    # A secret-store key is set (value unknown): never empty, never a bad format.
    assert not [f for f in found if f["code"] in ("EC302", "EC305", "EC306", "EC308")]
    for finding in found:
        if finding["code"] in ("EC301", "EC603"):
            assert name in str(finding["message"])
            assert ".env" not in str(finding.get("hint"))
    text = run(app, "check", "--target", name)
    assert ".env to .gitignore" not in text.stdout


def test_check_target_exit_codes(app: Path) -> None:
    assert run(app, "check", "--target", "k8s:overlay/prod/deployment/web").returncode == 0
    base = run(app, "check", "--target", "k8s:deployment/web", "--format", "json")
    assert base.returncode == 1  # the base has no API keys: real errors, naming the manifest
    missing = {f["key"] for f in findings(base) if f["code"] == "EC301"}
    assert missing == {"OPENAI_API_KEY", "STRIPE_SECRET_KEY"}
    assert run(app, "check", "--target", "nosuch:target").returncode == 2


@pytest.mark.parametrize("name", TARGETS)
def test_diff_to_target(app: Path, name: str) -> None:
    result = run(app, "diff", "--to", name, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["diff"]["to"]["label"] == f"target {name}"
    text = run(app, "diff", "--to", name)
    assert f"target {name}" in text.stdout


def test_fly_and_k8s_app_gets_no_false_missing_key(app: Path) -> None:
    """The issue's first bullet: production lives in fly.toml and Kubernetes, not in .env."""
    (app / ".env").unlink()
    plain = run(app, "check", "--mode", "production", "--no-process-env", "--format", "json")
    assert any(f["code"] == "EC301" for f in findings(plain))  # what a new user saw
    for name in ("fly", "k8s:overlay/prod/deployment/web"):
        result = run(app, "check", "--target", name, "--no-process-env", "--format", "json")
        errors = [f for f in findings(result) if f["code"] == "EC301" and f["severity"] == "error"]
        assert errors == [], name
        assert not any(".env" in str(f.get("hint")) for f in findings(result))
        assert result.returncode == 0


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_secret_values_never_printed(app: Path, fmt: str) -> None:
    outputs = []
    for name in ("k8s:overlay/prod/deployment/web", "k8s:deployment/web"):
        outputs.append(run(app, "check", "--target", name, "--format", fmt, "--verbose"))
        outputs.append(run(app, "diff", "--to", name, "--format", fmt, "--values", "--verbose"))
    outputs.append(run(app, "explain", "--target", "k8s:overlay/prod/deployment/web"))
    outputs.append(
        run(app, "explain", "--target", "k8s:overlay/prod/deployment/web", "--format", "json")
    )
    outputs.append(run(app, "targets", "--format", "json"))
    outputs.append(run(app, "targets"))
    for result in outputs:
        for canary in CANARIES:
            assert canary not in result.stdout + result.stderr


def test_phase_build_requires_only_public_keys(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.3"}}')
    (tmp_path / "envcheck.toml").write_text(
        '[keys.NEXT_PUBLIC_API_URL]\ntype = "url"\n\n[keys.OPENAI_API_KEY]\nsecret = true\n\n'
        '[keys.BUILD_SHA]\nphase = "build"\n'
    )
    build = run(tmp_path, "check", "--phase", "build", "--no-process-env", "--format", "json")
    assert {f["key"] for f in findings(build) if f["code"] == "EC301"} == {
        "NEXT_PUBLIC_API_URL",
        "BUILD_SHA",
    }
    start = run(tmp_path, "check", "--phase", "start", "--no-process-env", "--format", "json")
    assert {f["key"] for f in findings(start) if f["code"] == "EC301"} == {"OPENAI_API_KEY"}


def test_dockerfile_arg_provides_a_build_key(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.3"}}')
    (tmp_path / "envcheck.toml").write_text('[keys.NEXT_PUBLIC_API_URL]\ntype = "url"\n')
    (tmp_path / "Dockerfile").write_text(
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nRUN npm run build\n"
        "FROM node:20 AS runner\nCOPY --from=builder /app/.next .next\n"
    )
    missing = run(tmp_path, "check", "--phase", "build", "--no-process-env", "--format", "json")
    assert [f["key"] for f in findings(missing) if f["code"] == "EC301"] == ["NEXT_PUBLIC_API_URL"]
    (tmp_path / "Dockerfile").write_text(
        "FROM node:20 AS builder\nWORKDIR /app\nARG NEXT_PUBLIC_API_URL\nCOPY . .\n"
        "RUN npm run build\nFROM node:20 AS runner\nCOPY --from=builder /app/.next .next\n"
    )
    provided = run(tmp_path, "check", "--phase", "build", "--no-process-env", "--format", "json")
    assert provided.returncode == 0
    assert not [f for f in findings(provided) if f["code"] in ("EC301", "EC302", "EC305")]


def test_unknown_phase_in_schema_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "envcheck.toml").write_text('[keys.API_URL]\nphase = "deploy"\n')
    result = run(tmp_path, "check")
    assert result.returncode == 2
    assert "unknown phase 'deploy'" in result.stderr
    assert "Traceback" not in result.stderr


def test_one_password_reference_is_not_a_bad_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("OPENAI_API_KEY=op://vault/openai/key\n")
    (tmp_path / "envcheck.toml").write_text('[keys.OPENAI_API_KEY]\nformat = "openai-api-key"\n')
    result = run(tmp_path, "check", "--no-process-env", "--format", "json")
    assert not [f for f in findings(result) if f["code"] in ("EC305", "EC308")]
    (tmp_path / "envcheck.toml").unlink()
    result = run(tmp_path, "check", "--no-process-env", "--format", "json")
    assert not [f for f in findings(result) if f["code"] in ("EC305", "EC308")]


def test_kustomization_pointing_outside_is_not_followed(app: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n"
        "data:\n  OUTSIDE_CANARY_KEY: outside-canary-value\n"
    )
    kustomization = app / "k8s" / "overlays" / "prod" / "kustomization.yaml"
    kustomization.write_text(
        kustomization.read_text().replace(
            "  - ../../base\n", "  - ../../base\n  - ../../../../outside/leak.yaml\n"
        )
    )
    (app / "k8s" / "base" / "linked.yaml").symlink_to(outside / "leak.yaml")
    result = run(app, "targets", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "outside-canary" not in result.stdout and "OUTSIDE_CANARY_KEY" not in result.stdout
    overlay = next(t for t in json.loads(result.stdout)["targets"] if "overlay" in t["name"])
    assert any("outside the project" in note for note in overlay["notes"])


def test_alias_bomb_manifest_is_refused_in_one_line(app: Path) -> None:
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: bomb",
        "data:",
        "  a: &a [x, x, x, x, x, x, x, x, x, x]",
    ]
    previous = "a"
    for n in range(1, 12):
        lines.append(f"  b{n}: &b{n} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = f"b{n}"
    (app / "k8s" / "bomb.yaml").write_text("\n".join(lines) + "\n")
    listed = run(app, "targets")
    assert listed.returncode == 0
    assert "k8s/bomb.yaml" in listed.stderr and "alias" in listed.stderr
    assert "Traceback" not in listed.stderr
    assert run(app, "check", "--target", "fly").returncode in (0, 1)  # other targets still work
