"""The yakgpt-like app: the public-prefix leak and the stale shell key, at the right places.

The app is copied to a temp dir first: in the envcheck repository its
``.env.local`` is tracked (or untracked and not ignored), which the git rules
would rightly report; here only the two problems the fixture is about count.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from envcheck.model import Finding, Report, Severity
from envcheck.rules import precedence, security
from envcheck.sources.detect import detect
from tests.harness import FIXTURES
from tests.rulefixtures import context, git_repo, isolated_git

APP = FIXTURES / "yakgpt-like"
# The stale key "exported in the shell"; fake, like the two in .env.local.
STALE = "sk-proj-FAKEFAKEFAKEFAKE0notArealKey0staleShellExport0000000000000000Old1"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    dst = tmp_path / "yakgpt-like"
    shutil.copytree(APP, dst)
    for env_file in dst.glob(".env*"):
        env_file.chmod(0o600)
    return dst


def fixture_keys() -> list[str]:
    text = (APP / ".env.local").read_text(encoding="utf-8")
    return [line.split("=", 1)[1] for line in text.splitlines() if "=" in line]


def line_of(key: str) -> int:
    lines = (APP / ".env.local").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(f"{key}="))


def findings(project: Path) -> list[Finding]:
    ctx = context(project, detect(project), "development", {"OPENAI_API_KEY": STALE})
    found = [*security.check(ctx), *precedence.check(ctx)]
    return Report(found).sorted()


def test_fixture_is_a_next_app_that_runs_envcheck_before_dev() -> None:
    package = json.loads((APP / "package.json").read_text(encoding="utf-8"))
    assert "next" in package["dependencies"]
    assert package["scripts"]["predev"] == "envcheck"
    assert detect(APP) == "nextjs"
    keys = fixture_keys()
    assert len(keys) == 2 and len(set(keys)) == 2
    assert all(k.startswith("sk-proj-FAKEFAKE") for k in keys)


def test_reports_the_leak_and_the_shadowing(app: Path) -> None:
    found = findings(app)
    got = [(f.code, f.severity, str(f.location), f.key) for f in found]
    assert got == [
        (
            "EC401",
            Severity.ERROR,
            f".env.local:{line_of('NEXT_PUBLIC_OPENAI_API_KEY')}:1",
            "NEXT_PUBLIC_OPENAI_API_KEY",
        ),
        ("EC501", Severity.WARNING, f".env.local:{line_of('OPENAI_API_KEY')}:1", "OPENAI_API_KEY"),
    ]
    shadow = found[1].message
    assert shadow.startswith(
        "OPENAI_API_KEY from the process environment overrides this line (nextjs, development)"
    )
    assert "the values differ" in shadow
    assert [str(r) for r in found[1].related] == [".env:4:1 shadowed too"]
    assert "unset OPENAI_API_KEY in your shell" in (found[1].hint or "")


def test_no_key_value_in_any_finding(app: Path) -> None:
    text = "\n".join(f"{f} {f.message} {f.hint} {f.location} {f.key}" for f in findings(app))
    for key in [*fixture_keys(), STALE]:
        assert key not in text
        assert key[-12:] not in text


def test_still_two_findings_in_a_repo_that_ignores_local_files(
    app: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolated_git(monkeypatch, tmp_path / "home")
    (app / ".gitignore").write_text(".env*.local\nnode_modules/\n")
    git_repo(app, [".gitignore", ".env", "package.json"])
    assert [f.code for f in findings(app)] == ["EC401", "EC501"]


def test_committing_the_local_file_is_reported(
    app: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    isolated_git(monkeypatch, tmp_path / "home")
    git_repo(app, [".env", ".env.local", "package.json"])
    assert [f.code for f in findings(app)] == ["EC401", "EC402", "EC501"]


def test_without_the_stale_export_only_the_leak(app: Path) -> None:
    ctx = context(app, "nextjs", "development", {})
    found = [*security.check(ctx), *precedence.check(ctx)]
    assert [f.code for f in found] == ["EC401"]
