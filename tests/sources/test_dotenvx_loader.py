"""dotenvx loader: unit cases, then differential tests against the real ``dotenvx run``.

The oracle (``oracles/dotenvx-run.js``) runs the pinned ``@dotenvx/dotenvx``'s own
``run`` steps with a controlled process environment; ``oracles/dotenvx-guard.js``
stops it before any ``$(...)`` other than a plain ``echo`` could run.  These tests
fail (not skip) when the oracle is missing: ``make test`` installs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.loaders.dotenvx import (
    default_files,
    load_dotenvx,
    load_dotenvx_nextjs,
    private_key_name,
)
from envcheck.sources.readers.dotenvx import parse
from tests.oracle import dotenvx1 as _oracle
from tests.sources.dotenvx_cases import (
    STOPPED_KINDS,
    corpus_disagreements,
)
from tests.sources.dotenvx_cases import differences as _compare


def test_corpus_matches_real_dotenvx() -> None:
    assert not corpus_disagreements(_oracle, mode="", major=1)


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


PROJECT = {
    ".env": "A=env\nB=env\nC=${A}-c\nONLY_ENV=1\n",
    ".env.local": "A=local\nD=local\n",
    ".env.development": "A=dev\nB=dev\nE=${B}\n",
    ".env.development.local": "F=devlocal\n",
    ".env.production": "A=prod\n",
    ".env.test": "A=test\n",
    ".env.defaults": "A=defaults\nG=defaults\n",
    ".env.staging": "A=staging\n",
}


@pytest.mark.parametrize("overload", [False, True])
@pytest.mark.parametrize("process", [{}, {"A": "proc", "D": ""}])
def test_files_order_and_conventions(
    tmp_path: Path, overload: bool, process: dict[str, str]
) -> None:
    project = _project(tmp_path, PROJECT)
    runs: list[tuple[list[str], str | None, str]] = [
        ([".env", ".env.local"], None, "development"),
        ([".env.local", ".env"], None, "development"),
        ([".env.development", ".env.local", ".env"], None, "development"),
    ]
    for mode in ("development", "test", "production", "staging"):
        runs.append(([], "nextjs", mode))
        runs.append(([], "flow", mode))
    cases, expected = [], []
    for files, convention, mode in runs:
        env = {**process, "NODE_ENV": mode}
        if convention == "nextjs":
            canon = mode in ("development", "test", "production")
            names = [
                *([f".env.{mode}.local"] if canon else []),
                *([".env.local"] if mode != "test" else []),
                *([f".env.{mode}"] if canon else []),
                ".env",
            ]
        elif convention == "flow":
            names = [f".env.{mode}.local", f".env.{mode}", ".env.local", ".env", ".env.defaults"]
        else:
            names = files
        parsed = [parse((project / n).read_text(), n) for n in names if (project / n).is_file()]
        loader = load_dotenvx_nextjs if convention == "nextjs" else load_dotenvx
        expected.append((env, loader(parsed, env, mode=mode, overload=overload, major=1)))
        cases.append(
            {
                "cwd": str(project),
                "files": files,
                "convention": convention,
                "env": env,
                "overload": overload,
            }
        )
    for (env, model), answer in zip(expected, _oracle(cases), strict=True):
        assert not _compare(model, env, dict(answer["env"]))


def test_process_wins_unless_overload() -> None:
    pf = parse("A=file\nB=$A\n", ".env")
    plain = load_dotenvx([pf], {"A": "proc"}, mode="")
    assert reveal(plain.vars["A"].value) == "proc" and plain.vars["A"].origin.is_process
    assert reveal(plain.vars["B"].value) == "proc"
    over = load_dotenvx([pf], {"A": "proc"}, mode="", overload=True)
    assert reveal(over.vars["A"].value) == "file" and over.vars["A"].shadowed[-1].is_process


def test_command_substitution_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    pf = parse(f"A=$(touch {marker})\nB=${{A}}/x\nC='$(touch {marker})'\n", ".env")
    result = load_dotenvx([pf], {}, mode="")
    assert not marker.exists()
    assert {n.key for n in result.notes if n.kind == "command-substitution"} == {"A", "B"}


def test_cycle_and_budget_are_stopped() -> None:
    result = load_dotenvx([parse("D=a$&b\nE=${D}\n", ".env")], {}, mode="")
    assert [n.key for n in result.notes if n.kind in STOPPED_KINDS] == ["E"]  # grows forever
    result = load_dotenvx([parse("X=-${T}\n", ".env")], {"T": "${U}", "U": "${T}"}, mode="")
    assert [n.key for n in result.notes if n.kind == "expansion-cycle"] == ["X"]
    big = (
        "A0="
        + "x" * 1000
        + "\n"
        + "".join(f"A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 30))
    )
    result = load_dotenvx([parse(big, ".env")], {}, mode="")
    assert any(n.kind == "expansion-budget" for n in result.notes)


def test_private_key_names_and_defaults() -> None:
    assert private_key_name(".env") == "DOTENV_PRIVATE_KEY"
    assert private_key_name("apps/.env.production") == "DOTENV_PRIVATE_KEY_PRODUCTION"
    assert private_key_name(".env.production.local") == "DOTENV_PRIVATE_KEY_PRODUCTION_LOCAL"
    assert private_key_name(".env1") == "DOTENV_PRIVATE_KEY_DEVELOPMENT1"
    assert default_files({}) == [".env"]
    assert default_files({"DOTENV_PRIVATE_KEY_CI": "k"}) == [".env.ci"]


def test_ciphertext_needs_its_private_key(tmp_path: Path) -> None:
    pf = parse('SECRET="encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt"\n', ".env.production")
    missing = load_dotenvx([pf], {}, mode="", project_dir=tmp_path)
    notes = [n for n in missing.notes if n.kind == "private-key-missing"]
    assert [n.key for n in notes] == ["SECRET"] and "DOTENV_PRIVATE_KEY_PRODUCTION" in notes[
        0
    ].message
    found = load_dotenvx([pf], {"DOTENV_PRIVATE_KEY_PRODUCTION": "k"}, mode="")
    assert not [n for n in found.notes if n.kind == "private-key-missing"]
    (tmp_path / ".env.keys").write_text("DOTENV_PRIVATE_KEY_PRODUCTION=k\n")
    keyed = load_dotenvx([pf], {}, mode="", project_dir=tmp_path)
    assert not [n for n in keyed.notes if n.kind == "private-key-missing"]


_TEXT = st.text(alphabet=st.sampled_from(list("AB=$:{}-+'\"`#\\\n tx(")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_parse_and_load_never_raise(text: str) -> None:
    pf = parse(text, ".env")
    result = load_dotenvx([pf], {"A": "1"}, mode="")
    assert set(result.vars) <= {e.key for e in pf.entries}
