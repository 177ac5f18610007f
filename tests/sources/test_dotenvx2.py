"""dotenvx 2.x: the reading and expansion that differ from 1.x, against the real 2.x.

The oracle is ``oracles/dotenvx2-run.js``: the ``dotenvx2`` npm alias of
``@dotenvx/dotenvx`` 2.38.2 running ``dotenvx run``'s own loading step
(``services/validate.js``) with Armor and every key store off.  Every corpus
file, several process environments, ``--overload``, multi-file ``-f``
orders and random files load alike in envcheck (``major=2``) and in the real
2.x.  The 1.x line (1.75.1) is checked the same way in
``tests/sources/test_dotenvx_loader.py``.  Which line a project gets comes from what
it depends on (:func:`dotenvx_major`).  Without the oracle the tests fail
under ``ENVCHECK_REQUIRE_ORACLES`` (CI) and skip otherwise.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.loaders.dotenvx import LATEST_MAJOR, dotenvx_major, load_dotenvx
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers.dotenvx import parse, parse_v2
from envcheck.sources.resolve import resolve
from tests.oracle import dotenvx2 as _oracle
from tests.sources.dotenvx_cases import (
    PROCESS_ENVS,
    STOPPED_KINDS,
    corpus_disagreements,
)
from tests.sources.dotenvx_cases import differences as _differences


def test_corpus_matches_real_dotenvx_2() -> None:
    assert not corpus_disagreements(_oracle, major=2)


# Each line reads differently in 1.x and 2.x (checked against both real CLIs).
DIFFERENCES = {
    "SQ": ("SQ='it\\'s'", "it\\'s", "it's"),
    "DASH": ("DASH=${EMPTY-fallback}", "fallback", ""),
    "PLUS": ("PLUS=${EMPTY+alt}", "", "alt"),
    "NULL": ("NULL=${UNSETnullword}", "word", ""),
}


@pytest.mark.parametrize("key", list(DIFFERENCES))
def test_each_difference_between_the_lines(key: str, tmp_path: Path) -> None:
    line, v1, v2 = DIFFERENCES[key]
    text = f"EMPTY=\n{line}\n"
    (tmp_path / ".env").write_text(text, encoding="utf-8")
    [answer] = _oracle([{"cwd": str(tmp_path), "files": [".env"], "env": {}}])
    assert dict(answer["env"])[key] == v2
    for major, want in ((1, v1), (2, v2)):
        result = load_dotenvx([parse(text, ".env")], {}, major=major)
        assert reveal(result.vars[key].value) == want, major
    assert parse_v2(text, ".env").values().get("SQ", "it's") == "it's"


@pytest.mark.parametrize("overload", [False, True])
def test_several_files_in_order(tmp_path: Path, overload: bool) -> None:
    files = {
        ".env": "A=env\nB=${A-none}\nQ='x\\'y'\n",
        ".env.local": "A=\nC=${A+set}\nD=${A:-empty}\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    cases, models = [], []
    for order in ([".env.local", ".env"], [".env", ".env.local"]):
        for env in PROCESS_ENVS:
            parsed = [parse(files[n], n) for n in order]
            models.append((env, load_dotenvx(parsed, env, overload=overload, major=2)))
            cases.append({"cwd": str(tmp_path), "files": order, "env": env, "overload": overload})
    for (env, model), answer in zip(models, _oracle(cases), strict=True):
        assert not _differences(model, env, dict(answer["env"]))


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "E=",
                "A=1",
                "B=${E-d}",
                "C=${E+a}",
                "D=${Z-}x",
                "F='q\\'r'",
                "G=${A:-x}${E:+y}",
                "H=$A$E",
                "#c",
                "",
            ]
        ),
        st.text(alphabet="ABE_=:-+ \t#'\"\\${}x", max_size=14),
    ),
    max_size=8,
)


def _random_files_agree_with_dotenvx_2(
    files: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One dotenvx 2.x process per example, 30 random files in it."""
    base = tmp_path_factory.mktemp("rand")
    cases, models = [], []
    for i, lines in enumerate(files):
        folder = base / str(i)
        folder.mkdir()
        text = "\n".join(lines)
        (folder / ".env").write_text(text, encoding="utf-8")
        model = load_dotenvx([parse(text, ".env")], {}, major=2)
        if any(n.kind in STOPPED_KINDS for n in model.notes):
            continue
        models.append((text, model))
        cases.append({"cwd": str(folder), "files": [".env"], "env": {}})
    if not cases:
        return
    for (text, model), answer in zip(models, _oracle(cases), strict=True):
        assert not _differences(model, {}, dict(answer["env"])), text


# A few hundred random files in ``make test``; ``make fuzz`` runs the marked copy at scale.
@settings(max_examples=10, deadline=None)
@given(files=st.lists(_LINES, min_size=30, max_size=30))
def test_random_files_load_as_dotenvx_2_loads_them(
    files: list[list[str]], tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    _random_files_agree_with_dotenvx_2(files, tmp_path_factory)


@pytest.mark.fuzz
@settings(max_examples=int(os.environ.get("ENVCHECK_FUZZ_EXAMPLES") or 40), deadline=None)
@given(files=st.lists(_LINES, min_size=30, max_size=30))
def test_fuzz_random_files_load_as_dotenvx_2_loads_them(
    files: list[list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    _random_files_agree_with_dotenvx_2(files, tmp_path_factory)


# ---- which line a project gets (no oracle needed) ----


@pytest.mark.parametrize(
    ("package", "installed", "expected"),
    [
        ({"dependencies": {"@dotenvx/dotenvx": "^1.75.1"}}, None, 1),
        ({"devDependencies": {"@dotenvx/dotenvx": "~2.3.4"}}, None, 2),
        ({"dependencies": {"@dotenvx/dotenvx": "latest"}}, None, LATEST_MAJOR),
        ({"dependencies": {"@dotenvx/dotenvx": "^1.0.0"}}, "2.38.2", 2),
        ({"dependencies": {"x": "npm:@dotenvx/dotenvx@1"}}, None, LATEST_MAJOR),
        (None, None, LATEST_MAJOR),
    ],
)
def test_the_major_follows_the_project(
    tmp_path: Path, package: dict[str, Any] | None, installed: str | None, expected: int
) -> None:
    if package is not None:
        (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    if installed is not None:
        pkg = tmp_path / "node_modules" / "@dotenvx" / "dotenvx"
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"version": installed}), encoding="utf-8")
    assert dotenvx_major(tmp_path) == expected


@pytest.mark.parametrize(("declared", "expected"), [("1.75.1", "fallback"), ("2.38.2", "")])
def test_resolve_reads_the_declared_line(tmp_path: Path, declared: str, expected: str) -> None:
    package = {
        "dependencies": {"@dotenvx/dotenvx": declared},
        "scripts": {"dev": "dotenvx run -- node app.js"},
    }
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    (tmp_path / ".env").write_text("EMPTY=\nDASH=${EMPTY-fallback}\n", encoding="utf-8")
    resolution = resolve(tmp_path, PROFILES["dotenvx"], "development", {})
    assert reveal(resolution.vars["DASH"].value) == expected


def test_an_unreadable_package_json_means_the_latest(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text('{"dependencies": [', encoding="utf-8")
    assert dotenvx_major(project) == LATEST_MAJOR
    # A package.json that leads out of the checkout is not read.
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"dependencies": {"@dotenvx/dotenvx": "1.0.0"}}))
    (project / "package.json").unlink()
    (project / "package.json").symlink_to(outside)
    assert dotenvx_major(project) == LATEST_MAJOR


def test_digit_keys_and_empty_defaults_read_alike_in_both_lines(tmp_path: Path) -> None:
    """The issue suspected these differ; against 1.75.1 and 2.38.2 they do not."""
    text = "1X=one\nA=${1X}\nB=$1X\nC=${1X:-d}\n9=nine\nD=$9\nE=${EMPTY:-}\nF=${EMPTY-}\n"
    text += "G=${UNSET:-}\nEMPTY=\nH=${EMPTY:-}z\n"
    (tmp_path / ".env").write_text(text, encoding="utf-8")
    [answer] = _oracle([{"cwd": str(tmp_path), "files": [".env"], "env": {}}])
    for major in (1, 2):
        result = load_dotenvx([parse(text, ".env")], {}, major=major)
        assert not _differences(result, {}, dict(answer["env"])), major
