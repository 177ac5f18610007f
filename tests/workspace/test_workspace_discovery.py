"""Which apps a workspace root declares, malformed declarations, and the process-only cases.

Each test builds a small workspace in a temp dir and runs the real CLI as a
process (as CI and pre-commit do), so exit codes and the one-line errors are
what a user sees.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.harness import FIXTURES, write
from tests.harness import isolated as envcheck
from tests.probe_server import Reply, serve

KEY = "sk-proj-" + "Canary7Q" * 6 + "Zq9X"


def app_paths(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode in (0, 1), result.stderr
    return [a["path"] for a in json.loads(result.stdout)["apps"]]


NEXT_APP = '{"name": "%s", "dependencies": {"next": "15.0.0"}}'


# -- malformed declarations: one line, the file, exit 2 ------------------------------------

MALFORMED = {
    "bad-yaml": (
        {"pnpm-workspace.yaml": 'packages:\n  - "apps/*\n  - x: [\n'},
        "pnpm-workspace.yaml:4:1: invalid YAML",
    ),
    "yaml-not-a-list": ({"pnpm-workspace.yaml": "packages: apps/*\n"}, "pnpm-workspace.yaml:"),
    "bad-json": (
        {"package.json": '{"workspaces": ["apps/*",]}\n'},
        "package.json:1:26: invalid JSON",
    ),
    "bad-toml": (
        {"pyproject.toml": '[tool.uv.workspace]\nmembers = ["a"\n'},
        "pyproject.toml:2:15: invalid TOML",  # file:line:col, as envcheck.toml
    ),
    "bad-turbo-json": (
        {"turbo.json": '{"tasks": {', "apps/web/package.json": NEXT_APP % "web"},
        "turbo.json:1:",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_workspace_file_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    files, expected = MALFORMED[case]
    root = write(tmp_path / "ws", files)
    for command in ("check", "lint", "explain"):
        result = envcheck(root, command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        errors = [
            line for line in result.stderr.splitlines() if line.startswith("envcheck: error:")
        ]
        assert len(errors) == 1 and expected in errors[0], result.stderr
        assert "Traceback" not in result.stderr


def test_a_symlink_cycle_under_a_glob_is_a_note_not_a_hang(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {"package.json": '{"workspaces": ["apps/**"]}', "apps/a/package.json": "{}"},
    )
    (root / "apps" / "a" / "loop").symlink_to("..")
    result = envcheck(root, "check")
    assert result.returncode == 0
    assert "note: apps/a/loop is a symbolic-link cycle; not followed" in result.stderr
    assert "Traceback" not in result.stderr


# -- discovery per kind ---------------------------------------------------------------------


def test_yarn_packages_object_and_pnpm_negation(tmp_path: Path) -> None:
    yarn = write(
        tmp_path / "yarn",
        {
            "package.json": '{"workspaces": {"packages": ["apps/*"], "nohoist": ["**/x"]}}',
            "apps/web/package.json": NEXT_APP % "web",
            "apps/web/.env": "PORT=1\n",
        },
    )
    assert app_paths(envcheck(yarn, "check", "--format", "json")) == ["apps/web"]
    pnpm = write(
        tmp_path / "pnpm",
        {
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n",
            "apps/web/package.json": NEXT_APP % "web",
            "apps/legacy/package.json": NEXT_APP % "legacy",
        },
    )
    assert app_paths(envcheck(pnpm, "check", "--format", "json")) == ["apps/web"]


def test_nx_projects_get_their_framework_from_the_executor(tmp_path: Path) -> None:
    executor = '{"name": "web", "targets": {"build": {"executor": "@nx/next:build"}}}'
    root = write(
        tmp_path / "nx",
        {
            "nx.json": "{}",
            "apps/web/project.json": executor,
            "apps/web/.env.local": "NEXT_PUBLIC_STRIPE_SECRET=sk_live_" + "Q" * 24 + "\n",
            "libs/ui/project.json": '{"name": "ui"}',
        },
    )
    result = envcheck(root, "check", "--format", "json")
    document = json.loads(result.stdout)
    apps = {a["path"]: a for a in document["apps"]}
    assert apps["apps/web"]["framework"] == "nextjs"
    assert apps["libs/ui"]["summary"]["checked_nothing"] is True
    assert ("EC401", "apps/web/.env.local") in {
        (f["code"], f["path"]) for f in document["findings"]
    }
    assert result.returncode == 1


def test_uv_workspace_members_and_exclude(tmp_path: Path) -> None:
    member = '[project]\nname = "%s"\ndependencies = ["pydantic-settings"]\n'
    root = write(
        tmp_path / "uv",
        {
            "pyproject.toml": (
                '[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/skip"]\n'
            ),
            "packages/api/pyproject.toml": member % "api",
            "packages/api/.env": "DEBUG=1\n",
            "packages/skip/pyproject.toml": member % "skip",
        },
    )
    result = envcheck(root, "check", "--format", "json")
    assert app_paths(result) == ["packages/api"]
    assert json.loads(result.stdout)["apps"][0]["framework"] == "pydantic-settings"


# -- the process environment at a root (the container / CI case) ----------------------------


def _two_apps_with_root_schema(root: Path, schema: str) -> Path:
    return write(
        root,
        {
            "package.json": '{"private": true, "workspaces": ["apps/*"]}',
            "apps/web/package.json": NEXT_APP % "web",
            "apps/worker/package.json": '{"name": "worker", "dependencies": {"dotenv": "16.4.5"}}',
            "envcheck.toml": schema,
        },
    )


def test_explain_at_a_root_shows_process_only_schema_keys_per_app(tmp_path: Path) -> None:
    root = _two_apps_with_root_schema(tmp_path / "ws", "[keys.OPENAI_API_KEY]\nsecret = true\n")
    result = envcheck(root, "explain", "--format", "json", env={"OPENAI_API_KEY": KEY})
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["apps"]] == ["apps/web", "apps/worker"]
    for app in document["apps"]:
        assert app["document"]["keys"]["OPENAI_API_KEY"]["source"] == "process"
    assert KEY not in result.stdout + result.stderr


def test_check_at_a_root_fails_each_app_missing_a_required_key(tmp_path: Path) -> None:
    root = _two_apps_with_root_schema(tmp_path / "ws", "[keys.DATABASE_URL]\nrequired = true\n")
    missing = envcheck(root, "check", "--format", "json")
    assert missing.returncode == 1
    found = {(f["code"], f["key"]) for f in json.loads(missing.stdout)["findings"]}
    assert ("EC301", "DATABASE_URL") in found
    given = envcheck(root, "check", env={"DATABASE_URL": "postgres://db/app"})
    assert given.returncode == 0, given.stdout + given.stderr


def test_probe_at_a_root_probes_every_app_and_none_anywhere_is_exit_2(tmp_path: Path) -> None:
    error = {"message": "You exceeded your current quota.", "code": "insufficient_quota"}
    quota = Reply(429, {"error": {**error, "type": "insufficient_quota"}})
    with serve(quota) as server:
        schema = f'[keys.OPENAI_API_KEY]\nprobe = "openai"\nbase_url = "{server.base_url}"\n'
        root = _two_apps_with_root_schema(tmp_path / "ws", schema)
        probed = envcheck(
            root, "probe", env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
        )
    assert probed.returncode == 1, probed.stderr
    assert probed.stdout.count("EC702") == 2  # apps/web and apps/worker
    assert "== apps/web ==" in probed.stdout and "== apps/worker ==" in probed.stdout
    assert KEY not in probed.stdout + probed.stderr

    bare = write(
        tmp_path / "bare",
        {
            "package.json": '{"workspaces": ["apps/*"]}',
            "apps/a/package.json": "{}",
            "apps/b/package.json": "{}",
        },
    )
    nothing = envcheck(bare, "probe")
    assert nothing.returncode == 2
    assert "apps/a: nothing to probe" in nothing.stderr
    assert "(in every app)" in nothing.stderr and "Traceback" not in nothing.stderr


# -- files of the root that an app reads ---------------------------------------------------


def test_a_root_file_read_by_an_app_is_named_from_the_root_in_messages(tmp_path: Path) -> None:
    secret = "sk_live_" + "R" * 24
    root = write(
        tmp_path / "ws",
        {
            "package.json": '{"private": true, "workspaces": ["apps/*"]}',
            "apps/web/package.json": json.dumps(
                {
                    "name": "web",
                    "scripts": {"dev": "dotenv -e ../../.env -- next dev"},
                    "dependencies": {"next": "15.0.0", "dotenv-cli": "7.4.2"},
                }  # fmt: skip
            ),
            ".env": f"STRIPE_SECRET_KEY={secret}\n",
        },
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=root, check=True)
    at_root = envcheck(root, "check", "--format", "json")
    [tracked] = [f for f in json.loads(at_root.stdout)["findings"] if f["code"] == "EC402"]
    assert tracked["path"] == ".env" and "../../.env" not in tracked["message"] + tracked["hint"]
    assert "git rm --cached .env" in tracked["hint"]
    inside = envcheck(root / "apps" / "web", "check", "--format", "json")
    [from_app] = [f for f in json.loads(inside.stdout)["findings"] if f["code"] == "EC402"]
    assert from_app["path"] == "../../.env"  # inside the app: paths relative to it
    assert secret not in at_root.stdout + inside.stdout


# -- many apps: the same answers as one at a time -----------------------------------------


def test_fifty_apps_in_parallel_report_exactly_what_each_app_reports_alone(tmp_path: Path) -> None:
    files = {"package.json": '{"private": true, "workspaces": ["apps/*"]}'}
    for i in range(50):
        files[f"apps/a{i:02}/package.json"] = NEXT_APP % f"a{i:02}"
        leak = f"NEXT_PUBLIC_OPENAI_KEY=sk-proj-{'Z' * 40}{i:04}\n" if i % 7 == 0 else ""
        files[f"apps/a{i:02}/.env.local"] = f"PORT={3000 + i}\n{leak}"
    root = write(tmp_path / "ws", files)
    result = envcheck(root, "check", "--format", "json")
    document = json.loads(result.stdout)
    assert len(document["apps"]) == 50 and result.returncode == 1
    leaking = sorted({f["path"] for f in document["findings"] if f["code"] == "EC401"})
    assert leaking == [f"apps/a{i:02}/.env.local" for i in range(0, 50, 7)]
    alone = envcheck(root / "apps" / "a07", "check", "--format", "json")
    assert {f["code"] for f in json.loads(alone.stdout)["findings"]} == {
        f["code"] for f in document["findings"] if f["path"] == "apps/a07/.env.local"
    }


def test_explain_and_diff_documents_name_files_from_the_root(tmp_path: Path) -> None:
    root = _two_apps_with_root_schema(tmp_path / "ws", "")
    write(root, {"apps/web/.env": "PORT=1\n", "apps/web/.env.production": "PORT=2\nX=1\n"})
    explain = json.loads(envcheck(root, "explain", "--format", "json").stdout)
    web = explain["apps"][0]["document"]
    assert web["files"] == ["apps/web/.env"] and web["keys"]["PORT"]["source"] == "apps/web/.env"
    diff = json.loads(envcheck(root, "diff", "--format", "json").stdout)
    rows = {r["key"]: r for r in diff["apps"][0]["document"]["diff"]["rows"]}
    assert rows["PORT"]["source"]["source"] == "apps/web/.env"
    github = envcheck(root, "diff", "--format", "github", "--select", "ALL").stdout
    assert "file=.env" not in github


def test_init_at_a_root_scopes_the_schema_to_the_apps_that_read_the_root_file(
    tmp_path: Path,
) -> None:
    """full-stack-fastapi-template: backend/ reads ../.env; the Vite frontend never does."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "workspaces" / "fastapi-fullstack", root)
    assert envcheck(root, "init").returncode == 0
    assert 'apps = ["backend"]' in (root / "envcheck.toml").read_text()
    document = json.loads(envcheck(root, "check", "--format", "json").stdout)
    apps = {a["path"]: a for a in document["apps"]}
    assert apps["backend"]["summary"]["schema"] == "envcheck.toml"
    assert apps["frontend"]["summary"]["schema"] is None  # not held to the backend's keys
    assert not [f for f in document["findings"] if f["code"] == "EC301"]
    (root / "envcheck.toml").write_text("[workspace]\napps = 3\n")
    bad = envcheck(root, "check")
    assert bad.returncode == 2 and "[workspace] apps must be a list" in bad.stderr


def test_a_root_env_the_next_app_never_reads_is_ec804_without_turbo(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {
            "package.json": '{"private": true, "workspaces": ["apps/*"]}',
            "apps/web/package.json": NEXT_APP % "web",
            "apps/web/.env.example": "DATABASE_URL=\n",
            ".env": "DATABASE_URL=postgres://localhost/app\n",
        },
    )
    document = json.loads(envcheck(root, "check", "--format", "json").stdout)
    [unread] = [f for f in document["findings"] if f["code"] == "EC804"]
    assert (unread["path"], unread["line"], unread["key"]) == (".env", 1, "DATABASE_URL")
    assert "dotenv -e ../../.env --" in unread["hint"]
    package = {"name": "web", "scripts": {"dev": "dotenv -e ../../.env -- next dev"},
               "dependencies": {"next": "15.0.0", "dotenv-cli": "7.4.2"}}  # fmt: skip
    (root / "apps" / "web" / "package.json").write_text(json.dumps(package))
    read = json.loads(envcheck(root, "check", "--format", "json").stdout)
    assert not [f for f in read["findings"] if f["code"] in ("EC804", "EC301")]
