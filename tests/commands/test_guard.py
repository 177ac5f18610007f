"""``envcheck guard``: which env files may be committed (the hook itself: test_precommit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from envcheck.cli import cli
from envcheck.commands.guard import guard_files, is_local_file

KEY = "sk-proj-" + "Qw7" * 20

CASES = [
    # (file name, contents, refused keys or "<file>" for a refused name, None when allowed)
    (".env.local", "", ["<file>"]),
    (".env.development.local", "DEBUG=1\n", ["<file>"]),
    (".env.production.local", f"OPENAI_API_KEY={KEY}\n", ["<file>"]),
    (".env", "PORT=3000\nDEBUG=true\n", None),
    (".env", f"PORT=3000\nOPENAI_API_KEY={KEY}\n", ["OPENAI_API_KEY"]),
    (".env.production", "DB_PASSWORD=hunter2hunter\nSESSION_SECRET=\n", ["DB_PASSWORD"]),
    (".env", "AWS_SECRET_ACCESS_KEY=${FROM_VAULT}\n", None),  # a reference, not a value
    (".env.example", "OPENAI_API_KEY=\nDB_PASSWORD=changeme\nPORT=3000\n", None),
    (".env.example", "OPENAI_API_KEY=sk-...\nSTRIPE_SECRET_KEY=sk_live_xxx\n", None),
    (".env.sample", f"OPENAI_API_KEY={KEY}\n", ["OPENAI_API_KEY"]),
    (".env.template", "DB_PASSWORD=hunter2hunter\n", None),  # templates: only key shapes count
    (".env", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_" + "a" * 24 + "\n", None),
    (".env.vault", f"DOTENV_VAULT_PRODUCTION={KEY}\n", None),  # dotenvx: committed by design
    (".env", f"OPENAI_API_KEY={KEY} # envcheck: ignore[EC402]\n", None),
]


@pytest.mark.parametrize(("name", "text", "refused"), CASES)
def test_guard_files(tmp_path: Path, name: str, text: str, refused: list[str] | None) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = guard_files([path])
    got = sorted(f.key or "<file>" for f in report.findings)
    assert got == (refused or [])
    assert all(f.code == "EC402" for f in report.findings)
    assert all(KEY not in f.message and KEY not in (f.hint or "") for f in report.findings)


@pytest.mark.parametrize(
    ("name", "local"),
    [
        (".env.local", True),
        (".env.test.local", True),
        (".env.local.example", False),
        (".env", False),
        ("env.local", False),
        (".env.localhost", False),
    ],
)
def test_is_local_file(name: str, local: bool) -> None:
    assert is_local_file(Path(name)) is local


def test_cli_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path(".env.example").write_text("OPENAI_API_KEY=\n")
    Path(".env").write_text(f"OPENAI_API_KEY={KEY}\n")
    runner = CliRunner()
    ok = runner.invoke(cli, ["guard", ".env.example"])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(cli, ["guard", ".env.example", ".env"])
    assert refused.exit_code == 1
    assert ".env:1:1: EC402" in refused.output
    assert "an OpenAI API key" in refused.output
    assert KEY not in refused.output and KEY[-4:] not in refused.output
    missing = runner.invoke(cli, ["guard", "nope.env"])
    assert missing.exit_code == 2


def test_the_framework_is_detected_once_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every secret's hint names where it should live, from one detection per file: a file
    with thousands of secrets detected its framework once per secret (2/3 of guard's time)."""
    from envcheck.sources import detect

    calls: list[Path] = []
    real = detect.detect

    def counted(where: Path) -> str:
        calls.append(where)
        return real(where)

    monkeypatch.setattr(detect, "detect", counted)
    path = tmp_path / ".env"
    path.write_text("".join(f"SVC{i}_OPENAI_API_KEY={KEY}\n" for i in range(40)), "utf-8")
    report = guard_files([path])
    assert len(report.findings) == 40
    assert len(calls) == 1
