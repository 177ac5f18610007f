"""Ruby's dotenv 3.x (``dotenv-rails``): the ``ruby`` dialect and loader, against the real gem.

The oracle is the gem itself (Debian's ``ruby-dotenv`` 3.2.0, which
``make oracles`` puts in ``oracles/ruby-dotenv/``) under a real ``ruby``
(``oracles/ruby-dotenv.rb``).  Every corpus file (the shared corpus of
tricky files and the Ruby-specific one), multi-file Rails projects with a
controlled process environment, and random files are loaded by both; the
environments, and whether the load raises, must agree.  Without Ruby the
oracle tests skip, unless ``ENVCHECK_REQUIRE_ORACLES`` is set (CI sets it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.detect import detect
from envcheck.sources.loaders.rails import load_dotenv_rails
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers.ruby import parse, substitute
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import LoadResult
from tests.harness import CORPUS, REPO_ROOT
from tests.oracle import missing as oracle_missing

ORACLE = REPO_ROOT / "oracles" / "ruby-dotenv.rb"
GEM = REPO_ROOT / "oracles" / "ruby-dotenv"
FILES = sorted((CORPUS / "files").glob("*.env")) + sorted((CORPUS / "ruby").glob("*.env"))
RAILS = PROFILES["dotenv-rails"]


def _oracle_missing() -> str | None:
    if shutil.which("ruby") is None:
        return "ruby is not installed (make oracles installs it where apt-get is usable)"
    if not (GEM / "lib" / "dotenv.rb").is_file():
        return "oracles/ruby-dotenv missing: run `make oracles`"
    return None


def real(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case loaded by the real gem: ``{"dir", "files", "env"}`` -> answer."""
    missing = _oracle_missing()
    if missing is not None:
        oracle_missing(missing)
    proc = subprocess.run(
        ["ruby", "-I", str(GEM / "lib"), str(ORACLE)],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answers: list[dict[str, Any]] = json.loads(proc.stdout)
    for answer in answers:
        if answer["status"] == "ok":
            assert answer["version"].startswith("3.")
    return answers


def values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(v.value) for k, v in result.vars.items()}


def boot_fails(result: LoadResult) -> bool:
    return any(n.kind == "file-dropped" for n in result.notes)


def unknown(result: LoadResult) -> set[str]:
    """Keys whose value comes from a ``$(...)`` command (the gem runs it; envcheck never does)."""
    return {n.key for n in result.notes if n.kind == "command-substitution" and n.key}


def ours(directory: Path, names: list[str], env: dict[str, str]) -> LoadResult:
    parsed = [pf for n in names if (pf := parse_file(directory / n, n, "ruby")) is not None]
    return load_dotenv_rails(parsed, env, project_dir=directory)


def agree(answer: dict[str, Any], result: LoadResult, env: dict[str, str], label: str) -> None:
    if answer["status"] != "ok":
        assert boot_fails(result), f"{label}: the gem raises {answer['error']}, envcheck loads it"
        return
    assert not boot_fails(result), f"{label}: envcheck says the load fails; the gem loads it"
    expected = {k: v for k, v in answer["env"].items() if k not in env or env[k] != v}
    got = {k: v for k, v in values(result).items() if k not in env}
    for key in unknown(result):
        expected.pop(key, None)
        got.pop(key, None)
    assert got == expected, label


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_corpus_file_loads_as_the_gem_loads_it(path: Path, tmp_path: Path) -> None:
    shutil.copy(path, tmp_path / ".env")
    [answer] = real([{"dir": str(tmp_path), "files": [".env"], "env": {}}])
    agree(answer, ours(tmp_path, [".env"], {}), {}, path.name)


def _rails_files(mode: str) -> list[str]:
    return RAILS.candidates(mode)


PROJECTS: list[tuple[str, dict[str, str], dict[str, str], str]] = [
    # (name, files, process env, mode)
    (
        "first-file-wins",
        {
            ".env": "A=base\nB=base\nC=base\nREF=${A}-${D}\n",
            ".env.local": "A=local\nD=local-only\n",
            ".env.development": "B=dev\nA=dev\n",
            ".env.development.local": "C=devlocal\n",
        },
        {},
        "development",
    ),
    (
        "process-wins-and-feeds-substitution",
        {".env": "TOKEN=file\nURL=https://${HOST}/v1\nHOST=file-host\n"},
        {"TOKEN": "from-shell", "HOST": "shell-host"},
        "development",
    ),
    (
        "later-file-sees-earlier-in-ENV",
        {".env.local": "HOST=local-host\n", ".env": "HOST=base-host\nURL=http://$HOST/x\n"},
        {},
        "development",
    ),
    (
        "export-of-a-key-set-earlier",
        {".env.local": "SECRET=one\n", ".env": "export SECRET\nOTHER=two\n"},
        {},
        "development",
    ),
    (
        "export-of-a-key-in-the-process",
        {".env": "export FROM_SHELL\n"},
        {"FROM_SHELL": "yes"},
        "development",
    ),
    (
        "test-mode-skips-local",
        {".env.local": "A=local\n", ".env.test": "B=test\n", ".env": "A=base\n"},
        {},
        "test",
    ),
    (
        "linebreak-mode-from-the-process",
        {".env": 'MSG="one\\ntwo"\n'},
        {"DOTENV_LINEBREAK_MODE": "legacy"},
        "development",
    ),
]


@pytest.mark.parametrize("name,files,env,mode", PROJECTS, ids=[p[0] for p in PROJECTS])
def test_projects_load_as_the_gem_loads_them(
    name: str, files: dict[str, str], env: dict[str, str], mode: str, tmp_path: Path
) -> None:
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    order = _rails_files(mode)
    [answer] = real([{"dir": str(tmp_path), "files": order, "env": env}])
    resolution = resolve(tmp_path, RAILS, mode, env)
    got = {k: reveal(v.value) for k, v in resolution.vars.items()}
    expected = {k: v for k, v in answer["env"].items() if k in got or k not in env}
    assert answer["status"] == "ok"
    assert got == expected


def test_the_winner_and_what_it_shadowed(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=base\n", encoding="utf-8")
    (tmp_path / ".env.local").write_text("A=local\n", encoding="utf-8")
    resolution = resolve(tmp_path, RAILS, "development", {})
    a = resolution.vars["A"]
    assert (a.origin.source, reveal(a.value)) == (".env.local", "local")
    assert [o.source for o in a.shadowed] == [".env"]
    resolution = resolve(tmp_path, RAILS, "development", {"A": "shell"})
    assert resolution.vars["A"].origin.is_process
    assert any(n.kind == "process-shadows-file" for n in resolution.notes)


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            ["A=1", "B=$A", "C=${B}x", "export A", "export Z", "D='q'", 'E="x\\ny"', "#c", ""]
        ),
        st.text(alphabet="AB_.=: \t#'\"\\$\n{}x", max_size=14),
    ),
    max_size=8,
)


def _random_files_agree_with_the_gem(
    files: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One gem process per example, 40 random files in it."""
    base = tmp_path_factory.mktemp("rand")
    cases = []
    for i, lines in enumerate(files):
        folder = base / str(i)
        folder.mkdir()
        (folder / ".env").write_text("\n".join(lines), encoding="utf-8")
        cases.append({"dir": str(folder), "files": [".env"], "env": {}})
    for case, answer in zip(cases, real(cases), strict=True):
        folder = Path(case["dir"])
        agree(answer, ours(folder, [".env"], {}), {}, (folder / ".env").read_text())


# A few hundred random files in ``make test``; ``make fuzz`` runs the marked copy at scale.
@settings(max_examples=15, deadline=None)
@given(files=st.lists(_LINES, min_size=40, max_size=40))
def test_random_files_load_as_the_gem_loads_them(files: list[list[str]], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    _random_files_agree_with_the_gem(files, tmp_path_factory)


@pytest.mark.fuzz
@settings(max_examples=int(os.environ.get("ENVCHECK_FUZZ_EXAMPLES") or 60), deadline=None)
@given(files=st.lists(_LINES, min_size=40, max_size=40))
def test_fuzz_random_files_load_as_the_gem_loads_them(
    files: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    _random_files_agree_with_the_gem(files, tmp_path_factory)


# ---- what envcheck tells the user (no oracle needed) ----


def test_the_parser_never_keeps_a_value_in_its_repr() -> None:
    parsed = parse("TOKEN=sk_live_abcdefghijklmnopqrstuvwx\n", ".env")
    assert "sk_live" not in repr(parsed)
    assert "sk_live" not in repr(substitute("$X sk_live_abc", lambda n: None))


def test_a_skipped_line_a_hash_and_a_swallowed_line_are_reported() -> None:
    parsed = parse('JUNK LINE\nURL=http://x/#/home\nEMPTY=\n"next"\n', ".env")
    kinds = {(p.kind, p.line) for p in parsed.problems}
    assert ("dropped-line", 1) in kinds
    assert ("hash-truncates-value", 2) in kinds
    assert ("swallowed-line", 3) in kinds
    assert parsed.values()["EMPTY"] == "next"


@pytest.mark.parametrize(
    "gemfile,expected",
    [
        ('gem "rails", "~> 7.2"\ngem "dotenv-rails", groups: [:development]\n', "dotenv-rails"),
        ("gem 'rails'\ngem 'dotenv'\n", "dotenv-rails"),
        ('gem "sinatra"\ngem "dotenv"\n', "ruby-dotenv"),
        ('gem "rails"\n# gem "dotenv-rails"\n', "plain"),
    ],
)
def test_the_gemfile_names_the_profile(gemfile: str, expected: str, tmp_path: Path) -> None:
    (tmp_path / "Gemfile").write_text(gemfile, encoding="utf-8")
    assert detect(tmp_path) == expected


def _envcheck(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, Any]:
    """A real ``python -m envcheck`` process in ``tmp_path`` with only ``env`` (and PATH)."""
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", *args, "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), **(env or {})},
        cwd=tmp_path,
        timeout=60,
    )
    return proc.returncode, json.loads(proc.stdout)


def _check(tmp_path: Path) -> tuple[int, Any]:
    return _envcheck(tmp_path, "check")


def test_an_export_without_value_is_a_boot_failure(tmp_path: Path) -> None:
    (tmp_path / "Gemfile").write_text('gem "rails"\ngem "dotenv-rails"\n', encoding="utf-8")
    (tmp_path / ".env").write_text("export MISSING_KEY\nA=1\n", encoding="utf-8")
    code, report = _check(tmp_path)
    assert report["framework"] == "dotenv-rails"
    assert code == 1
    assert any(f["code"] == "EC505" for f in report["findings"])


def test_undefined_reference_and_command_are_reported(tmp_path: Path) -> None:
    (tmp_path / "Gemfile").write_text('gem "rails"\ngem "dotenv"\n', encoding="utf-8")
    (tmp_path / ".env").write_text(
        "API_URL=${API_HOST}/v1\nREVISION=$(git rev-parse HEAD)\n", encoding="utf-8"
    )
    code, report = _check(tmp_path)
    rules = {(f["code"], f.get("key")) for f in report["findings"]}
    assert ("EC507", "API_URL") in rules
    assert ("EC512", "REVISION") in rules
    assert code == 0  # warnings only


def test_rails_env_picks_the_mode_files(tmp_path: Path) -> None:
    (tmp_path / "Gemfile").write_text('gem "rails"\ngem "dotenv-rails"\n', encoding="utf-8")
    (tmp_path / ".env.production").write_text("ONLY_PROD=1\n", encoding="utf-8")
    (tmp_path / ".env.local").write_text("LOCAL=1\n", encoding="utf-8")
    code, report = _envcheck(tmp_path, "explain", "--all", env={"RAILS_ENV": "production"})
    assert code == 0
    assert report["mode"] == "production"
    assert set(report["files"]) == {".env.local", ".env.production"}
