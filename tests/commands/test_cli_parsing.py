"""How the command line is read: the default command after leading options, comma lists.

``envcheck`` alone is ``envcheck check``; options before a command name are
that command's (``envcheck -C apps/web explain``), and ``--select`` /
``--ignore`` take comma lists in every command that has them.  Run in
process through :func:`envcheck.cli.main` (what the console script calls)
and, for the exit codes a hook sees, as a process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envcheck.cli import main
from tests.harness import isolated as envcheck
from tests.harness import write

SECRET = "sk_live_" + "Qx7vCanary9Z" * 3  # fake, the shape EC401 knows


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A Next.js app whose .env has a public-prefixed secret (EC401) and a broken line (EC102)."""
    return write(
        tmp_path / "web",
        {
            "package.json": '{"name": "web", "dependencies": {"next": "15.0.0"}}',
            ".env": f"NEXT_PUBLIC_STRIPE_KEY={SECRET}\nBROKEN LINE\nPORT=3000\n",
        },
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and SECRET not in out + err
    return code, out, err


# -- the command after leading options ------------------------------------------------------


def test_dash_c_before_a_command_name_is_that_commands_option(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.parent)
    code, out, err = run(capsys, "-C", "web", "explain", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document == json.loads(run(capsys, "explain", "-C", "web", "--format", "json")[1])
    assert "PORT" in json.dumps(document)
    for argv in (["--dir", "web"], ["--dir=web"], ["-Cweb"]):
        assert json.loads(run(capsys, *argv, "explain", "--format", "json")[1]) == document


def test_leading_options_of_several_kinds_then_a_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--mode", "production", "-C", str(project), "explain", "--format",
                       "json")  # fmt: skip
    assert code == 0 and json.loads(out)["mode"] == "production"


def test_without_a_command_name_it_is_still_check(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert run(capsys)[0] == 1  # envcheck alone
    code, out, _ = run(capsys, "--format", "json", "-C", str(project))
    assert code == 1 and {f["code"] for f in json.loads(out)["findings"]} >= {"EC401", "EC102"}
    assert run(capsys, str(project), "--format", "json")[0] == 1  # check DIRECTORY


def test_a_folder_named_like_a_command_is_still_a_dash_c_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "explain", {".env": "PORT=1\nBROKEN LINE\n"})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "-C", "explain", "--format", "json")
    assert code == 1 and json.loads(out)["findings"][0]["code"] == "EC102"  # checked, not explained


def test_dash_c_explain_as_a_process(project: Path) -> None:
    result = envcheck(project.parent, "-C", "web", "explain")
    assert result.returncode == 0, result.stderr
    assert "PORT" in result.stdout and "Traceback" not in result.stderr


# -- comma lists for --select and --ignore --------------------------------------------------


def _codes(out: str) -> set[str]:
    return {f["code"] for f in json.loads(out)["findings"]}


def test_ignore_and_select_take_comma_lists_in_check(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("check", str(project), "--format", "json")
    assert _codes(run(capsys, *base)[1]) >= {"EC401", "EC102"}
    code, out, _ = run(capsys, *base, "--ignore", "EC401,EC102,EC404")
    repeated = run(capsys, *base, "--ignore", "EC401", "--ignore", "EC102", "--ignore", "EC404")
    assert (code, out) == repeated[:2]
    assert not _codes(out) & {"EC401", "EC102"}
    code, out, _ = run(capsys, *base, "--select=EC401, EC102")
    assert _codes(out) == {"EC401", "EC102"}


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--ignore", "EC401,EC404"],
        ["--ignore", "EC401,EC404"],
        ["lint", "--ignore", "EC401,EC404", ".env"],
        ["diff", "--ignore", "EC401,EC404"],
        ["exec", "--ignore", "EC401,EC404", "--", "true"],
        ["check", "--select", "EC401,EC102"],
    ],
)
def test_every_command_accepts_a_comma_list(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(project)
    code, _, err = run(capsys, *argv)
    assert code != 2, err
    assert "EC401,EC404" not in err and "EC401,EC102" not in err


def test_an_unknown_member_of_a_comma_list_is_named_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", str(project), "--ignore", "EC401,bogus")
    assert code == 2 and "--ignore 'bogus' matches no rule" in err
