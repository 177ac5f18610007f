"""The code rules (EC901-EC905) through the real CLI, with the real tree-sitter grammars.

Each fixture under ``fixtures/rules/code/<CODE>/`` is copied to a temp dir and
checked with ``python -m envcheck check --format json --select <CODE>`` in a
clean environment (no process value of the developer's shell leaks in, and
the code-facts cache lives in the temp dir).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from envcheck.rules import code as family

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted(p for p in (ROOT / "fixtures" / "rules" / "code").iterdir() if p.is_dir())
FAKE_KEY = "sk-proj-" + "Q7fT2mZ9xLr4VbN8cK1sD6hJ3wY5pE0aG2uR7tI9oM4nB6vX"


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Only what Python needs, a private cache and HOME: no value of the shell leaks in."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp), "XDG_CACHE_HOME": str(tmp)}
    env.update(extra)
    return env


def envcheck(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=env if env is not None else clean_env(cwd.parent),
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, far above any real run
    )


def findings(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def lines(found: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['path']}:{f['line']}:{f['col']}: {f['code']} {f['severity']} {f['message']}"
        for f in found
    ]


def copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "project"
    shutil.copytree(src, dst)
    return dst


def test_every_rule_has_doc_and_fixture() -> None:
    assert {p.name for p in CASES} == {r.code for r in family.RULES}
    for rule in family.RULES:
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.doc, (rule.code, section)
        assert rule.name == rule.name.lower() and " " not in rule.name
    assert [r.code for r in family.RULES if not r.default_enabled] == ["EC902"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_rule_fixture(case: Path, tmp_path: Path) -> None:
    """Each rule finds exactly what its fixture expects, at the code or env-file line."""
    meta = tomllib.loads((case / "fixture.toml").read_text())
    project = copy(case, tmp_path)
    result = envcheck(
        project,
        "check", "--format", "json", "--select", case.name,
        "--framework", meta["framework"], "--mode", meta["mode"],
    )  # fmt: skip
    expected = (case / "expected.txt").read_text().splitlines()
    assert lines(findings(result)) == expected


def test_ec905_never_prints_the_value(tmp_path: Path) -> None:
    project = copy(ROOT / "fixtures" / "rules" / "code" / "EC905", tmp_path)
    value = (project / ".env.production").read_text().splitlines()[0].partition("=")[2]
    for fmt in ("text", "json", "sarif"):
        result = envcheck(project, "check", "--format", fmt, "--mode", "production")
        assert "EC905" in result.stdout + result.stderr
        assert value not in result.stdout + result.stderr
        assert value[8:24] not in result.stdout + result.stderr


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


NEXT = '{"name": "app", "private": true, "dependencies": {"next": "15.0.0"}}'


def test_a_declared_key_read_in_code_is_ec301_naming_the_code_not_ec901(tmp_path: Path) -> None:
    """EC301 owns a key both declared and read: one finding, whose hint names the read."""
    project = _project(
        tmp_path,
        {
            "package.json": NEXT,
            "envcheck.toml": "[keys.OPENAI_API_KEY]\nrequired = true\n",
            "src/lib/openai.ts": "export const key = process.env.OPENAI_API_KEY;\n",
            ".env": "PORT=3000\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json"))
    about = [f for f in found if f.get("key") == "OPENAI_API_KEY"]
    assert [f["code"] for f in about] == ["EC301"]
    assert "the code reads it at src/lib/openai.ts:1:" in about[0]["hint"]


def test_keys_the_runtime_sets_are_never_missing(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/x.ts": (
                "export const a = process.env.NODE_ENV;\n"
                "export const b = process.env.npm_package_version;\n"
                "export const c = process.env.VERCEL_URL;\n"
                "export const d = process.env.CI;\n"
                "export const e = process.env.PORT;\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert [(f["key"], f["line"]) for f in found] == [("PORT", 5)]


def test_a_key_the_process_sets_is_not_missing(tmp_path: Path) -> None:
    project = _project(
        tmp_path, {"package.json": NEXT, "lib/x.ts": "export const a = process.env.API_URL;\n"}
    )
    env = clean_env(tmp_path, API_URL="https://api.example.com")
    assert findings(envcheck(project, "check", "--format", "json", env=env)) == []
    found = findings(envcheck(project, "check", "--format", "json", "--no-process-env", env=env))
    assert [f["code"] for f in found] == ["EC901"]


def test_set_but_never_read_says_nothing_without_code_or_with_a_computed_name(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, {"package.json": NEXT, ".env": "UNUSED=1\n"})
    assert findings(envcheck(project, "check", "--format", "json", "--select", "EC902")) == []
    (project / "lib").mkdir()
    (project / "lib" / "x.ts").write_text("export const f = (n: string) => process.env[n];\n")
    assert findings(envcheck(project, "check", "--format", "json", "--select", "EC902")) == []
    (project / "lib" / "x.ts").write_text("export const a = process.env.OTHER ?? '';\n")
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC902"))
    assert [(f["code"], f["key"], f["path"]) for f in found] == [("EC902", "UNUSED", ".env")]


def test_no_code_reads_no_source(tmp_path: Path) -> None:
    """``--no-code``: no EC9xx finding; neither the parsers nor the code-facts layer is imported."""
    project = copy(ROOT / "fixtures" / "projects" / "next-client-server", tmp_path)
    assert any(
        f["code"].startswith("EC9")
        for f in findings(envcheck(project, "check", "--format", "json"))
    )
    found = findings(envcheck(project, "check", "--format", "json", "--no-code"))
    assert not [f for f in found if f["code"].startswith("EC9")]
    code = (
        "import contextlib, io, sys\n"
        "from envcheck.cli import main\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main(['check', '--no-code', {str(project)!r}])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tree_sitter', 'envcheck.code'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def test_explain_shows_where_the_code_reads_and_keys_set_nowhere(tmp_path: Path) -> None:
    project = copy(ROOT / "fixtures" / "projects" / "next-client-server", tmp_path)
    (project / "app" / "extra.ts").write_text(
        "export const a = process.env.NEW_FLAG;\nexport const n = process.env.NODE_ENV;\n"
    )
    result = envcheck(project, "explain", "--format", "json")
    assert result.returncode == 0, result.stderr
    keys = json.loads(result.stdout)["keys"]
    assert keys["OPENAI_API_KEY"]["read_at"][:2] == [
        {
            "path": "app/api/chat/route.ts",
            "line": 2,
            "col": 39,
            "kind": "required",
            "side": "server",
        },
        {
            "path": "lib/client-config.ts",
            "line": 2,
            "col": 10,
            "kind": "optional",
            "side": "client",
        },
    ]
    assert keys["NEW_FLAG"] == {
        "value": None,
        "read_at": [
            {"path": "app/extra.ts", "line": 1, "col": 18, "kind": "required", "side": "unknown"}
        ],
    }
    assert "NODE_ENV" not in keys  # the runtime sets it: never a "(not set)" row
    text = envcheck(project, "explain").stdout
    rows = text.splitlines()
    at = next(i for i, row in enumerate(rows) if row.startswith("NEW_FLAG"))
    assert rows[at].split()[1:4] == ["(not", "set)", "-"]
    assert rows[at + 1].strip() == "read at app/extra.ts:1"
    assert FAKE_KEY not in text and "sk-proj-" not in text.replace("sk-proj-…", "")
