"""CI: probe results as GitHub annotations and SARIF, the composite action, the example workflows.

The action's steps are run as the script they are (inputs passed the way
the runner passes them, as environment variables), against loopback
stand-ins; ``actionlint`` validates the action and the example workflows in
a throwaway project laid out as GitHub expects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness import REPO_ROOT
from tests.probe_server import Reply, serve

KEY = "sk-proj-" + "Canary7Q" * 6 + "Zq9X"
DS_KEY = "sk-" + "Canary7Q" * 4
QUOTA = Reply(
    429,
    {
        "error": {
            "message": "You exceeded your current quota.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    },
)


def balance(amount: str) -> Reply:
    infos = [{"currency": "USD", "total_balance": amount}]
    return Reply(200, {"is_available": True, "balance_infos": infos})


def run_cli(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    minimal = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "XDG_CACHE_HOME": str(cwd / ".cache"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=minimal,
        capture_output=True,
        text=True,
        timeout=60,
    )


def project(tmp_path: Path, url: str, *, dotenv: bool) -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "envcheck.toml").write_text(
        f'[keys.OPENAI_API_KEY]\nprobe = "openai"\nbase_url = "{url}"\n'
    )
    if dotenv:
        (app / ".env").write_text(f"OPENAI_API_KEY={KEY}\n")
    return app


# -- formats ------------------------------------------------------------------


def test_github_annotation_points_at_the_env_file_line(tmp_path: Path) -> None:
    with serve(QUOTA) as server:
        project(tmp_path, server.base_url, dotenv=True)
        run = run_cli(tmp_path, "probe", "-C", "app", "--format", "github", env={})
    assert run.returncode == 1, run.stderr
    [line] = run.stdout.splitlines()
    assert line.startswith("::error file=app/.env,line=1,col=1,title=EC702 probe-no-credit::")
    assert "%0Ahint: add prepaid credit" in line  # one line: newlines escaped
    assert KEY not in run.stdout


def test_github_annotation_for_a_process_key_has_no_file(tmp_path: Path) -> None:
    with serve(QUOTA) as server:
        project(tmp_path, server.base_url, dotenv=False)
        run = run_cli(
            tmp_path,
            "probe",
            "-C",
            "app",
            "--format",
            "github",
            env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url},
        )
    [line] = run.stdout.splitlines()
    assert line.startswith("::error title=EC702 probe-no-credit::process environment: ")


def test_github_valid_key_is_a_notice(tmp_path: Path) -> None:
    with serve(balance("40.00"), prefix="") as server:
        env = {"DEEPSEEK_API_KEY": DS_KEY, "DEEPSEEK_BASE_URL": server.base_url}
        run = run_cli(tmp_path, "probe", "--format", "github", env=env)
    assert run.returncode == 0
    assert run.stdout.startswith("::notice title=EC700 probe-valid::")
    assert "balance 40.00 USD" in run.stdout


def test_sarif_is_valid_and_locates_file_and_process_keys(tmp_path: Path) -> None:
    import jsonschema

    with serve(QUOTA) as server, serve(balance("1.00"), prefix="") as ds:
        project(tmp_path, server.base_url, dotenv=True)
        env = {"DEEPSEEK_API_KEY": DS_KEY, "DEEPSEEK_BASE_URL": ds.base_url}
        args = ["probe", "-C", "app", "--format", "sarif", "--min-credit", "5"]
        run = run_cli(tmp_path, *args, env=env)
    assert run.returncode == 1, run.stderr
    sarif = json.loads(run.stdout)
    schema = json.loads((REPO_ROOT / "tests/data/sarif-schema-2.1.0-rtm.5.json").read_text())
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert set(by_rule) == {"EC702"} and len(results) == 2
    located = [r["locations"][0] for r in results]
    files = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for loc in located
        if "physicalLocation" in loc
    ]
    names = [loc["logicalLocations"][0]["name"] for loc in located if "logicalLocations" in loc]
    assert files == ["app/.env"] and names == ["DEEPSEEK_API_KEY"]
    assert KEY not in run.stdout and DS_KEY not in run.stdout


# -- the action ---------------------------------------------------------------


def action() -> dict[str, Any]:
    data = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert isinstance(data, dict)
    return data


def run_action_steps(
    workspace: Path, inputs: dict[str, str], secrets: dict[str, str]
) -> tuple[int, str, dict[str, str]]:
    """Run every ``run:`` step of the composite action as the runner would (minus the install)."""
    meta = action()
    values = {k: str(v.get("default", "")) for k, v in meta["inputs"].items()}
    values.update(inputs)
    output_file = workspace / "github-output"
    output_file.write_text("")
    bin_dir = str(Path(sys.executable).parent)
    out, code = "", 0
    for step in meta["runs"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        env = {
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(workspace),
            "XDG_CACHE_HOME": str(workspace / ".cache"),
            "GITHUB_ACTION_PATH": str(REPO_ROOT),
            "GITHUB_OUTPUT": str(output_file),
            **secrets,
        }
        for name, value in (step.get("env") or {}).items():
            m = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", str(value))
            assert m, f"step env {name} must be exactly one input expression"
            env[name] = values[m.group(1)]
        assert "${{" not in step["run"], "inputs must reach the script as env, not as text"
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        out += proc.stdout
        code = proc.returncode
        if code:
            break
    outputs = dict(
        line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
    )
    return code, out, outputs


def test_action_fails_on_no_credit_with_annotations(tmp_path: Path) -> None:
    with serve(QUOTA) as server:
        project(tmp_path, server.base_url, dotenv=False)
        code, out, outputs = run_action_steps(
            tmp_path,
            {"dir": "app", "providers": "openai"},
            {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url},
        )
        assert len(server.requests) == 1
    assert code == 1 and outputs["exit-code"] == "1"
    assert "::error title=EC702 probe-no-credit::process environment: OPENAI_API_KEY" in out
    assert KEY not in out


def test_action_min_credit_input(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    with serve(balance("3.00"), prefix="") as server:
        secrets = {"DEEPSEEK_API_KEY": DS_KEY, "DEEPSEEK_BASE_URL": server.base_url}
        low = run_action_steps(tmp_path, {"dir": "app", "min-credit": "5"}, secrets)
        ok = run_action_steps(tmp_path, {"dir": "app", "min-credit": "2"}, secrets)
    assert low[0] == 1 and "less than --min-credit 5" in low[1]
    assert ok[0] == 0 and ok[2]["exit-code"] == "0" and "::notice" in ok[1]


def test_action_warns_before_a_github_token_expires(tmp_path: Path) -> None:
    """The daily job's promise: a token near its expiry is a warning annotation, exit 0."""
    import time

    (tmp_path / "app").mkdir()
    soon = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(time.time() + 5 * 86400))
    reply = Reply(200, {"login": "octocat"}, {"github-authentication-token-expiration": soon})
    token = "ghp_" + "Canary7Q" * 4 + "Zq9X"
    with serve(reply, prefix="") as server:
        secrets = {"GH_PAT": token, "GITHUB_API_URL": server.base_url}
        warned = run_action_steps(tmp_path, {"dir": "app", "providers": "github"}, secrets)
        later = run_action_steps(
            tmp_path, {"dir": "app", "providers": "github", "expiry-warn": "3"}, secrets
        )
    code, out, outputs = warned
    assert code == 0 and outputs["exit-code"] == "0"
    assert "::warning title=EC712 probe-key-expiring::" in out and "expires" in out
    assert later[0] == 0 and "EC712" not in later[1] and "::notice" in later[1]
    assert token not in out + later[1]


def test_action_without_keys_fails_instead_of_passing(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    code, _, outputs = run_action_steps(tmp_path, {"dir": "app"}, {})
    assert code == 2 and outputs["exit-code"] == "2"


def test_action_install_is_pinned() -> None:
    [install] = [s for s in action()["runs"]["steps"] if s.get("id") == "install"]
    assert "--constraint" in install["run"] and "ci/action-constraints.txt" in install["run"]
    pins = {}
    for line in (REPO_ROOT / "ci/action-constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not pinned exactly: {line}"
            pins[name.lower()] = version
    deps = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for dep in deps:
        name = re.match(r"[A-Za-z0-9_.-]+", dep)
        assert name and name.group(0).lower() in pins, f"{dep} is not pinned for the action"
    for step in action()["runs"]["steps"]:
        if "uses" in step:
            assert re.search(r"@[0-9a-f]{40}$", step["uses"]), f"not pinned by commit: {step}"


# -- actionlint ---------------------------------------------------------------


def _lint_project(
    tmp_path: Path, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """action.yml at the root and the examples in .github/workflows, as GitHub lays them out."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "action.yml", tmp_path / "action.yml")
    for example in (REPO_ROOT / "examples" / "workflows").glob("*.yml"):
        shutil.copy(example, workflows / example.name)
    for name, text in (extra or {}).items():
        (workflows / name).write_text(text)
    (tmp_path / ".git").mkdir()
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint, "actionlint is installed by `make install` ([test] extras)"
    return subprocess.run(
        [actionlint, "-no-color", "-shellcheck="],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_actionlint_accepts_the_action_and_the_examples(tmp_path: Path) -> None:
    assert sorted(p.name for p in (REPO_ROOT / "examples" / "workflows").glob("*.yml")) == [
        "envcheck-code-scanning.yml",
        "envcheck-daily-probe.yml",
    ]
    run = _lint_project(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_would_catch_a_wrong_input(tmp_path: Path) -> None:
    daily = (REPO_ROOT / "examples/workflows/envcheck-daily-probe.yml").read_text()
    bad = daily.replace("min-credit:", "min-creditt:")
    run = _lint_project(tmp_path, {"bad.yml": bad})
    assert run.returncode == 1 and 'input "min-creditt" is not defined' in run.stdout


@pytest.mark.parametrize("name", ["envcheck-daily-probe.yml"])
def test_daily_example_runs_on_a_schedule_with_secrets(name: str) -> None:
    workflow = yaml.safe_load((REPO_ROOT / "examples/workflows" / name).read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"].count(" ") == 4
    step = next(s for s in workflow["jobs"]["probe"]["steps"] if s.get("uses") == "./")
    assert all("secrets." in v for v in step["env"].values())
