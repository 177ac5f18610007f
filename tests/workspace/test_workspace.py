"""Monorepos through the real CLI: one run at the root checks every app, grouped per app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.cli import main
from tests.harness import FIXTURES, REPO_ROOT

WORKSPACES = FIXTURES / "workspaces"
WEB_SECRET = "sk_live_FAKEfakeFAKEfake00000000"
ADMIN_SECRET = "sk_live_FAKEfakeFAKEfake11111111"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(WORKSPACES / name, target, symlinks=True)
    return target


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A real `python -m envcheck` process, as a user or CI runs it."""
    full = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_CACHE_HOME")}
    full["PYTHONPATH"] = str(REPO_ROOT)
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=120,
    )


def as_json(result: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document


def apps_by_path(document: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {a["path"]: a for a in document["apps"]}


# -- the failing cases ---------------------------------------------------------


def test_pnpm_turbo_root_reports_both_public_secrets_per_app(tmp_path: Path) -> None:
    root = copy("pnpm-turbo", tmp_path)
    result = run("check", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stderr
    document = as_json(result)
    apps = apps_by_path(document)
    assert set(apps) == {"apps/web", "apps/admin", "packages/ui"}
    assert apps["apps/web"]["framework"] == "nextjs"
    assert apps["apps/web"]["files"] == ["apps/web/.env.local"]
    assert apps["apps/admin"]["framework"] == "vite"
    assert apps["apps/admin"]["files"] == ["apps/admin/.env"]
    assert apps["apps/web"]["exit_code"] == 1 and apps["apps/admin"]["exit_code"] == 1
    public = {(f["path"], f["key"]) for f in document["findings"] if f["code"] == "EC401"}
    assert public == {
        ("apps/web/.env.local", "NEXT_PUBLIC_STRIPE_SECRET_KEY"),
        ("apps/admin/.env", "VITE_STRIPE_KEY"),
    }
    assert document["summary"]["files"] == 2
    assert document["workspace"] == {"kind": "pnpm", "declared_by": "pnpm-workspace.yaml"}
    for secret in (WEB_SECRET, ADMIN_SECRET):
        assert secret not in result.stdout + result.stderr


def test_pnpm_turbo_text_groups_findings_under_each_app(tmp_path: Path) -> None:
    root = copy("pnpm-turbo", tmp_path)
    result = run("check", cwd=root)
    assert result.returncode == 1
    out = result.stdout
    admin, web = out.index("== apps/admin (vite"), out.index("== apps/web (nextjs")
    assert admin < out.index("apps/admin/.env:2:1: EC401") < web
    assert web < out.index("apps/web/.env.local:2:1: EC401")
    assert "packages/ui: " in out and "nothing checked" in out
    assert "3 apps" in result.stderr
    assert WEB_SECRET not in out + result.stderr


def test_t3_turbo_dotenv_cli_root_env_is_the_apps_source(tmp_path: Path) -> None:
    root = copy("t3-turbo", tmp_path)
    document = as_json(run("check", "--format", "json", cwd=root))
    nextjs = apps_by_path(document)["apps/nextjs"]
    assert nextjs["files"] == [".env"]  # dotenv -e ../../.env, relative to the root
    keys = {(f["path"], f["key"]) for f in document["findings"] if f["code"] == "EC401"}
    assert (".env", "NEXT_PUBLIC_OPENAI_KEY") in keys
    inside = run("explain", "--format", "json", cwd=root / "apps" / "nextjs")
    assert inside.returncode == 0, inside.stderr
    assert "../../.env" in inside.stdout and "DATABASE_URL" in inside.stdout
    assert "invented@localhost" not in inside.stdout  # the URL password stays masked


def test_fastapi_backend_reads_the_root_env_through_its_settings_class(tmp_path: Path) -> None:
    root = copy("fastapi-fullstack", tmp_path)
    document = as_json(run("check", "--format", "json", cwd=root))
    apps = apps_by_path(document)
    assert apps["backend"]["framework"] == "pydantic-settings"
    assert apps["backend"]["files"] == [".env"]  # env_file="../.env"
    assert apps["frontend"]["files"] == ["frontend/.env"]
    assert document["workspace"]["kind"] == "folders"
    inside = run("check", "--format", "json", cwd=root / "backend")
    assert as_json(inside)["files"] == ["../.env"]
    assert "apps" not in as_json(inside)  # inside an app: that app only


# -- one run, every app ---------------------------------------------------------------


def test_app_option_narrows_the_run_and_exit_code_is_the_worst_apps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy("pnpm-turbo", tmp_path)
    (root / "apps" / "admin" / ".env").write_text("VITE_API_URL=http://localhost:8080\n")
    assert main(["check", str(root), "--app", "@acme/admin", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [a["path"] for a in document["apps"]] == ["apps/admin"]
    assert main(["check", str(root), "--app", "admin", "--app", "web", "--format", "json"]) == 1
    assert [a["path"] for a in json.loads(capsys.readouterr().out)["apps"]] == [
        "apps/admin",
        "apps/web",
    ]
    assert main(["check", str(root), "--app", "nope"]) == 2
    err = capsys.readouterr().err
    assert "--app 'nope' is not an app" in err and "apps/web" in err


def test_app_option_outside_a_workspace_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text("PORT=1\n")
    assert main(["check", str(tmp_path), "--app", "web"]) == 2
    assert "not one" in capsys.readouterr().err


def test_sarif_and_github_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    root = copy("pnpm-turbo", tmp_path)
    sarif = as_json(run("check", "--format", "sarif", cwd=root))
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
    }
    assert {"apps/web/.env.local", "apps/admin/.env"} <= uris
    github = run("check", "--format", "github", cwd=root)
    assert "file=apps/web/.env.local,line=2" in github.stdout
    assert "file=apps/admin/.env,line=2" in github.stdout


def test_threads_and_processes_give_the_same_report(tmp_path: Path) -> None:
    root = copy("pnpm-turbo", tmp_path)
    docs = [
        as_json(run("check", "--format", "json", cwd=root, env={"ENVCHECK_WORKSPACE_POOL": p}))
        for p in ("thread", "process", "serial")
    ]
    assert docs[0] == docs[1] == docs[2]


def test_lint_guard_explain_diff_run_per_app_at_the_root(tmp_path: Path) -> None:
    root = copy("t3-turbo", tmp_path)
    guard = run("guard", "--format", "json", cwd=root)
    assert guard.returncode == 1
    document = as_json(guard)
    assert "." in apps_by_path(document)  # the root's own .env is guarded
    assert {f["path"] for f in document["findings"]} == {".env"}
    lint = run("lint", cwd=root)
    assert lint.returncode == 0, lint.stderr
    explain = as_json(run("explain", "--format", "json", cwd=root))
    assert [a["path"] for a in explain["apps"]] == ["apps/nextjs", "packages/db"]
    assert all(isinstance(a["document"], dict) for a in explain["apps"])
    diff = run("diff", cwd=root)
    assert "== apps/nextjs ==" in diff.stdout


def test_an_apps_own_schema_wins_else_the_roots_applies(tmp_path: Path) -> None:
    root = copy("npm-workspaces", tmp_path)
    (root / "apps" / "api" / "envcheck.toml").write_text("[keys.PORT]\ntype = 'port'\n")
    document = as_json(run("check", "--format", "json", "--ignore", "EC810", cwd=root))
    apps = apps_by_path(document)
    assert apps["apps/api"]["summary"]["schema"] == "apps/api/envcheck.toml"
    assert apps["apps/site"]["summary"]["schema"] == "envcheck.toml"
    inside = as_json(run("check", "--format", "json", cwd=root / "apps" / "site"))
    assert inside["summary"]["schema"] == "../../envcheck.toml"  # found from inside the app


def test_related_places_are_named_from_the_root_in_every_format(tmp_path: Path) -> None:
    """An app's related locations move with its locations (Report.rebased), ``../../`` too."""
    root = copy("npm-workspaces", tmp_path)
    (root / "apps" / "api" / ".env").write_text("PORT=8080\n")  # SESSION_SECRET: EC301
    (root / "apps" / "api" / "src").mkdir()
    (root / "apps" / "api" / "src" / "auth.ts").write_text(
        "export const s = process.env.SESSION_SECRET;\n"
    )
    document = as_json(run("check", "--format", "json", "--ignore", "EC810", cwd=root))
    (missing,) = [f for f in document["findings"] if f["code"] == "EC301"]
    assert (missing["path"], missing["key"]) == ("apps/api/.env", "SESSION_SECRET")
    schema_line = (root / "envcheck.toml").read_text().splitlines().index("[keys.SESSION_SECRET]")
    assert [(r["path"], r["line"], r["label"]) for r in missing["related"]] == [
        ("envcheck.toml", schema_line + 1, "declared here"),  # ../../envcheck.toml of the app
        ("apps/api/src/auth.ts", 1, "read here"),
    ]
    assert "envcheck.toml" not in missing["message"] + missing["hint"]
    text = run("check", "--ignore", "EC810", cwd=root).stdout
    assert f"  related: envcheck.toml:{schema_line + 1} declared here" in text
    github = run("check", "--format", "github", "--ignore", "EC810", cwd=root).stdout
    assert f"(also: envcheck.toml:{schema_line + 1}, apps/api/src/auth.ts:1)" in github
    sarif = as_json(run("check", "--format", "sarif", "--ignore", "EC810", cwd=root))
    related = [
        r["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for r in result.get("relatedLocations", ())
    ]
    assert related == ["envcheck.toml", "apps/api/src/auth.ts"]


# -- cross-app: shared keys (EC810) -----------------------------------------------------


def test_shared_key_with_different_values_is_ec810_masked(tmp_path: Path) -> None:
    root = copy("npm-workspaces", tmp_path)
    result = run("check", "--format", "json", cwd=root)
    assert result.returncode == 1
    ec810 = [f for f in as_json(result)["findings"] if f["code"] == "EC810"]
    assert [(f["path"], f["line"], f["key"]) for f in ec810] == [
        ("apps/site/.env", 1, "SESSION_SECRET")
    ]
    assert [(r["path"], r["line"], r["label"]) for r in ec810[0]["related"]] == [
        ("apps/api/.env", 1, "apps/api value")  # the app it differs from: a place, not prose
    ]
    for value in ("invented-session-secret-one-0000", "invented-session-secret-two-1111"):
        assert value not in result.stdout + result.stderr
    text = run("check", cwd=root)
    assert "== workspace (across apps) ==" in text.stdout
    assert run("check", "--ignore", "EC810", cwd=root).returncode == 0


def test_shared_key_with_equal_values_is_clean(tmp_path: Path) -> None:
    root = copy("npm-workspaces", tmp_path)
    site_env = root / "apps" / "site" / ".env"
    site_env.write_text("SESSION_SECRET=invented-session-secret-one-0000\n")
    result = run("check", "--format", "json", cwd=root)
    assert result.returncode == 0, result.stdout
    assert not [f for f in as_json(result)["findings"] if f["code"] == "EC810"]


# -- nothing checked is never a silent pass ------------------------------------------------


def test_root_with_no_apps_and_no_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "pnpm-workspace.yaml").write_text("packages: []\n")
    result = run("check", cwd=tmp_path)
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if "nothing checked" in line]
    assert len(lines) == 1 and "pnpm-workspace.yaml declares no apps" in result.stderr
    assert run("check", "--strict", cwd=tmp_path).returncode == 1


def test_app_without_files_is_reported_and_a_root_schema_makes_it_fail(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"private": true, "workspaces": ["apps/*"]}')
    for name in ("one", "two"):
        (tmp_path / "apps" / name).mkdir(parents=True)
        (tmp_path / "apps" / name / "package.json").write_text(json.dumps({"name": name}))
    (tmp_path / "apps" / "one" / ".env").write_text("PORT=3000\n")
    document = as_json(run("check", "--format", "json", cwd=tmp_path))
    apps = apps_by_path(document)
    assert apps["apps/two"]["summary"]["checked_nothing"] is True
    assert apps["apps/one"]["summary"]["checked_nothing"] is False
    (tmp_path / "envcheck.toml").write_text("[keys.DATABASE_URL]\ntype = 'url'\n")
    result = run("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    missing = {(f["code"], f["key"]) for f in as_json(result)["findings"]}
    assert ("EC301", "DATABASE_URL") in missing


def test_single_app_output_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "14.2.5"}}')
    (tmp_path / ".env").write_text("PORT=3000\n")
    document = as_json(run("check", "--format", "json", cwd=tmp_path))
    assert "apps" not in document and document["files"] == [".env"]
