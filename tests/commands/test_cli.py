"""The command line as users meet it: default command, explain, exit codes, errors."""

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

DEMO = FIXTURES / "demo"
STALE = "sk-proj-STALExSTALExSTALExSTALExSTALExSTALExSTALE0ld1"
YAK_STALE = "sk-proj-FAKEFAKEFAKEFAKE0notArealKey0staleShellExport0000000000000000Old1"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    """A real `python -m envcheck` process: stdout purity and exit codes as users see them."""
    full = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "XDG_CACHE_HOME")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd or REPO_ROOT,
        timeout=60,
    )


def demo_secrets() -> list[str]:
    text = (DEMO / ".env.local").read_text()
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("OPENAI")]


def test_explain_json_shape_and_provenance() -> None:
    done = run("explain", "--format", "json", "--dir", str(DEMO), env={"OPENAI_API_KEY": STALE})
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["framework"] == "nextjs" and doc["mode"] == "development"
    assert doc["files"] == [".env.local", ".env.development", ".env"]
    key = doc["keys"]["OPENAI_API_KEY"]
    assert key == {
        "value": "sk-proj-…0ld1",
        "secret": True,
        "why": "secret: the schema declares it",
        "source": "process",
        "shadowed": [{"source": ".env.local", "line": 2, "col": 1}],
    }
    assert doc["keys"]["LOG_LEVEL"]["source"] == ".env.development"
    assert doc["keys"]["LOG_LEVEL"]["shadowed"] == [{"source": ".env", "line": 3, "col": 1}]
    assert STALE not in done.stdout + done.stderr
    for secret in demo_secrets():
        assert secret not in done.stdout + done.stderr


def test_explain_production_mode_and_keys_and_dir_argument() -> None:
    done = run("explain", "API_URL", "DEBUG", str(DEMO), "--mode", "production")
    assert done.returncode == 1  # DEBUG is not set in production
    assert ".env.production:1" in done.stdout
    assert "(not set)" in done.stdout


def test_explain_reveal_is_the_only_way_to_raw_values() -> None:
    secret = demo_secrets()[0]
    hidden = run("explain", "OPENAI_API_KEY", "--dir", str(DEMO))
    shown = run("explain", "OPENAI_API_KEY", "--dir", str(DEMO), "--reveal")
    assert secret not in hidden.stdout and "…" in hidden.stdout
    assert secret in shown.stdout


def test_envcheck_alone_runs_check(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('GOOD=1\nBROKEN="unterminated\n')
    done = run(cwd=tmp_path)
    assert done.returncode == 1
    assert ".env:2:" in done.stdout and "EC101" in done.stdout
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / ".env").write_text("GOOD=1\n")
    assert run("--framework", "nextjs", cwd=clean).returncode == 0


def test_machine_formats_keep_stdout_pure(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('BROKEN="x\n')
    done = run("check", str(tmp_path), "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["findings"][0]["code"] == "EC101"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--framework", "rails"),
        ("check", "--dir", "/nonexistent/envcheck-test"),
        ("explain", "--format", "yaml"),
        ("nosuchcommand",),
        ("check", "--select", "EC999"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr


def test_broken_config_is_one_line_with_position(tmp_path: Path) -> None:
    (tmp_path / "envcheck.toml").write_text("[keys.A\n")
    done = run("check", str(tmp_path))
    assert done.returncode == 2
    assert "envcheck.toml:1:" in done.stderr
    assert "Traceback" not in done.stderr


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0 and "envcheck" in done.stdout


def test_in_process_main_returns_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_text("A=1\n")
    assert main(["check", str(tmp_path), "--framework", "dotenv"]) == 0
    assert main(["check", str(tmp_path), "--framework", "nope"]) == 2
    capsys.readouterr()


def test_yakgpt_like_reports_leak_and_shadowing(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "yakgpt-like", app)
    for f in app.glob(".env*"):
        f.chmod(0o600)
    done = run("check", str(app), env={"OPENAI_API_KEY": YAK_STALE})
    assert done.returncode == 1, done.stdout + done.stderr
    codes = [line.split()[1] for line in done.stdout.splitlines() if ": EC" in line]
    assert codes == ["EC401", "EC501"]
    assert ".env.local:2:1: EC401" in done.stdout
    assert ".env.local:3:1: EC501" in done.stdout
    secrets = [
        ln.split("=", 1)[1] for ln in (app / ".env.local").read_text().splitlines() if "=" in ln
    ]
    for value in [*secrets, YAK_STALE]:
        for i in range(0, len(value) - 12, 7):
            assert value[i : i + 12] not in done.stdout + done.stderr


def test_explain_follows_the_config_file(tmp_path: Path) -> None:
    """envcheck.toml's framework and `secret = true` apply to explain as to check."""
    (tmp_path / "envcheck.toml").write_text(
        '[envcheck]\nframework = "vite"\n\n[keys.SIGNUP_CODE]\nsecret = true\n'
    )
    (tmp_path / ".env").write_text("SIGNUP_CODE=plainwordsnotakey\n")
    doc = json.loads(run("explain", "--format", "json", "--dir", str(tmp_path)).stdout)
    assert doc["framework"] == "vite"
    assert doc["keys"]["SIGNUP_CODE"]["secret"] is True
    assert "plainwordsnotakey" not in json.dumps(doc)


def test_ci_formats_report_paths_from_the_working_directory(tmp_path: Path) -> None:
    """`envcheck -C apps/web --format github|sarif` annotates apps/web/.env, as GitHub needs."""
    app = tmp_path / "apps" / "web"
    app.mkdir(parents=True)
    (app / ".env").write_text('BROKEN="x\n')
    github = run("check", "-C", "apps/web", "--format", "github", cwd=tmp_path)
    assert "file=apps/web/.env,line=1" in github.stdout
    sarif = json.loads(run("check", "-C", "apps/web", "--format", "sarif", cwd=tmp_path).stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "apps/web/.env"
    text = run("check", "-C", "apps/web", cwd=tmp_path)
    assert text.stdout.startswith(".env:1:")  # the human format stays project-relative
