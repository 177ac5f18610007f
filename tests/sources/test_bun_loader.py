"""Bun's env loading: the ``bun`` dialect and loader against the real Bun 1.4.5.

The oracle is the ``bun`` npm package (1.4.5, pinned in ``oracles/package.json``;
its binary comes from ``@oven/bun-linux-x64``) running ``oracles/bun-env.js``
(or ``oracles/bun-env.test.js`` under ``bun test``) with the fixture as its
working directory and a process environment the test sets completely.  Bun
loads the env files natively before the script runs; the script prints
``process.env``.  Every corpus file (``tests/corpus/files``, whoever wrote
it) and every corpus project (``tests/corpus/projects``) goes through both.
After ``make oracles`` a missing bun binary fails these tests; without
``oracles/node_modules`` they are skipped, like the other oracle tests.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.budget import Budget, BudgetExceeded
from envcheck.sources.decode import decode
from envcheck.sources.detect import detect
from envcheck.sources.loaders.bun import bun_mode, load_bun
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers import parser_for
from envcheck.sources.readers.bun import parse
from envcheck.sources.readers.bun_expand import Refs, expand_value
from envcheck.sources.resolve import resolve
from envcheck.sources.types import PROCESS_ORIGIN, LoadResult, ParsedFile
from tests.harness import CORPUS
from tests.oracle import BUN, ORACLES, requires_node, run_bun

BUN_VERSION = "1.4.5"
FILES = sorted((CORPUS / "files").glob("*.env"))
PROJECTS = sorted(p for p in (CORPUS / "projects").iterdir() if p.is_dir())
PROFILE = PROFILES["bun"]


def values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(v.value) for k, v in result.vars.items()}


def parsed_file(path: Path) -> ParsedFile:
    text, _ = decode(path.read_bytes(), str(path))
    return parse(text, str(path))


def write(directory: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, text in files.items():
        data = text.encode() if isinstance(text, str) else text
        (directory / name).write_bytes(data)
    return directory


def ours_for_project(
    directory: Path, mode: str, process: Mapping[str, str], env_files: Sequence[Path] = ()
) -> dict[str, str]:
    """The whole environment envcheck says the app sees: process plus resolved file keys."""
    resolution = resolve(directory, PROFILE, mode, process, env_files=env_files)
    return {**process, **{k: reveal(v.value) for k, v in resolution.vars.items()}}


# --- the oracle itself ---------------------------------------------------------------


@pytest.mark.oracle
@requires_node
def test_oracle_is_the_pinned_bun() -> None:
    pinned = json.loads((ORACLES / "package.json").read_text())["dependencies"]["bun"]
    assert pinned == BUN_VERSION
    if not BUN.exists():
        pytest.fail("the bun oracle is missing from oracles/node_modules: run `make oracles`")
    out = subprocess.run([str(BUN), "--version"], capture_output=True, text=True, env={})
    assert out.stdout.strip() == BUN_VERSION


@pytest.mark.oracle
@requires_node
def test_oracle_adds_nothing_of_its_own(tmp_path: Path) -> None:
    assert run_bun(tmp_path, {"ONLY": "this"}) == {"ONLY": "this"}


# --- every corpus file, parsed and expanded ---------------------------------------------

PROCESS_ENVS = [
    {},
    {"A": "from-process", "X": "px", "EMPTY": "", "FOO": "pfoo", "HOME": "/home/p"},
]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("process", PROCESS_ENVS, ids=["no-process", "process"])
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_matches_bun(tmp_path: Path, path: Path, process: dict[str, str]) -> None:
    real = run_bun(tmp_path, process, env_files=[str(path)])
    ours = {**process, **values(load_bun([parsed_file(path)], process, mode="development"))}
    assert ours == real


def test_corpus_has_bun_files() -> None:
    assert len([p for p in FILES if p.name.startswith("bun-")]) >= 8


# Seeded random texts from the pieces Bun treats specially: a differential fuzz that
# runs the same way every time (hypothesis below checks properties without the oracle).
_ATOMS = [
    "A", "B", "X", "export", " ", "\t", "\n", "\r\n", "\r", "=", ":", ": ", "#", '"', "'",
    "`", "\\", "$", "${", "}", "{", ":-", "-", "x", "1", "é", "\u00a0", "\ufeff", "A=",
    "B=", "$A", "${B}", "${X:-d}", "\\$", "\\n", ".", "\x0b",
]  # fmt: skip


@pytest.mark.oracle
@requires_node
def test_random_texts_match_bun(tmp_path: Path) -> None:
    rng = random.Random(12)
    path = tmp_path / "random.env"
    for i in range(120):
        text = "".join(rng.choice(_ATOMS) for _ in range(rng.randint(1, 25)))
        path.write_text(text, newline="")
        process = {"X": "px", "EMPTY": ""} if i % 2 else {}
        real = run_bun(tmp_path, process, env_files=[str(path)])
        ours = {**process, **values(load_bun([parse(text, "r.env")], process, mode="x"))}
        assert ours == real, repr(text)


# --- projects: which files, in which order, against the process -----------------------

MODE_CASES = [
    # (process NODE_ENV / BUN_ENV, the mode envcheck is asked for, run under `bun test`).
    # `bun app.js` is asked for development: the process alone switches Bun's files.
    ({}, "development", False),
    ({"NODE_ENV": "development"}, "development", False),
    ({"NODE_ENV": "production"}, "development", False),
    ({"NODE_ENV": "staging"}, "development", False),
    ({"NODE_ENV": "test"}, "development", False),
    ({"BUN_ENV": "production", "NODE_ENV": "test"}, "development", False),
    ({"BUN_ENV": "", "NODE_ENV": "production"}, "development", False),
    ({}, "test", True),
    ({"NODE_ENV": "production"}, "test", True),
]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize(
    "case", MODE_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{'test' if c[2] else 'run'}"
)
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_matches_bun(project: Path, case: tuple[dict[str, str], str, bool]) -> None:
    mode_env, mode, under_test = case
    extra = project / "process.json"
    base = json.loads(extra.read_text()) if extra.is_file() else {}
    for process in ({**mode_env}, {**base, **mode_env}):
        real = run_bun(project, process, test=under_test)
        if under_test:
            process = {**process, "NODE_ENV": process.get("NODE_ENV", "test")}
            real.setdefault("NODE_ENV", "test")
        assert ours_for_project(project, mode, process) == real


def test_enough_projects() -> None:
    assert len(PROJECTS) >= 10


LAYERS = {
    ".env": "K=env\nE=env\nREF_LOW=${LOW_ONLY:-unset}\nLOW_ONLY=low\nUSES_HIGH=$HIGH\n",
    ".env.local": "K=local\nL=local\nHIGH=high\nUSES_LOW=[$LOW_ONLY]\n",
    ".env.development": "K=dev\nD=dev\nNODE_ENV=production\n",
    ".env.development.local": "K=devlocal\n",
    ".env.production": "K=prod\nP=prod\n",
    ".env.test": "K=test\nT=test\n",
    ".env.test.local": "TL=testlocal\n",
}


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize(
    "process",
    [{}, {"K": "shell"}, {"K": ""}, {"HIGH": "shell-high", "LOW_ONLY": "shell-low"}],
    ids=["none", "K", "K-empty", "refs"],
)
@pytest.mark.parametrize("node_env", ["", "development", "production", "test", "staging"])
def test_layers_match_bun(tmp_path: Path, process: dict[str, str], node_env: str) -> None:
    write(tmp_path, LAYERS)
    full = {**process, **({"NODE_ENV": node_env} if node_env else {})}
    assert ours_for_project(tmp_path, node_env or "development", full) == run_bun(tmp_path, full)


@pytest.mark.oracle
@requires_node
def test_explicit_env_files_last_named_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".env": "AUTO=must not load\n",
            "a.env": "K=a\nA=a\nREF=$B_ONLY\n",
            "b.env": "K=b\nB_ONLY=b\nREF_A=${A:-none}\n",
        },
    )
    a, b = tmp_path / "a.env", tmp_path / "b.env"
    for process in ({}, {"K": "shell"}):
        real = run_bun(tmp_path, process, env_files=[str(a), str(b)])
        assert "AUTO" not in real
        assert ours_for_project(tmp_path, "development", process, [a, b]) == real
        assert run_bun(tmp_path, process, env_files=[f"{a},{b}"]) == real
        reverse = run_bun(tmp_path, process, env_files=[str(b), str(a)])
        assert ours_for_project(tmp_path, "development", process, [b, a]) == reverse


# --- behaviour, without the oracle ---------------------------------------------------


def test_priority_and_provenance(tmp_path: Path) -> None:
    write(
        tmp_path, {".env": "K=env\nB=1\n", ".env.local": "K=local\n", ".env.development": "K=d\n"}
    )
    res = resolve(tmp_path, PROFILE, "development", {})
    k = res.vars["K"]
    assert reveal(k.value) == "local"
    assert k.origin.source == ".env.local" and k.origin.line == 1
    assert [o.source for o in k.shadowed] == [".env.development", ".env"]
    assert res.files == [".env.local", ".env.development", ".env"]


def test_local_is_skipped_in_test(tmp_path: Path) -> None:
    write(tmp_path, {".env": "K=env\n", ".env.local": "K=local\n"})
    res = resolve(tmp_path, PROFILE, "development", {"NODE_ENV": "test"})
    assert res.mode == "test"
    assert reveal(res.vars["K"].value) == "env"
    assert ".env.local" in res.skipped


def test_process_wins_and_the_note_has_no_value(tmp_path: Path) -> None:
    write(tmp_path, {".env": "TOKEN=file-secret-value\nREF=$TOKEN\n"})
    res = load_bun([parsed_file(tmp_path / ".env")], {"TOKEN": "shell-secret"}, mode="x")
    token = res.vars["TOKEN"]
    assert token.origin == PROCESS_ORIGIN and token.raw is None
    assert reveal(res.vars["REF"].value) == "shell-secret"
    (note,) = [n for n in res.notes if n.kind == "process-shadows-file"]
    assert note.key == "TOKEN"
    assert "secret" not in note.message.replace("TOKEN", "")


@pytest.mark.parametrize(
    ("mode", "process", "expected"),
    [
        ("development", {}, "development"),
        ("staging", {}, "development"),
        ("production", {}, "production"),
        ("test", {"NODE_ENV": "production"}, "test"),
        ("development", {"NODE_ENV": "production"}, "production"),
        ("development", {"NODE_ENV": "test"}, "test"),
        ("development", {"BUN_ENV": "test", "NODE_ENV": "production"}, "test"),
        ("development", {"BUN_ENV": "", "NODE_ENV": "production"}, "development"),
        ("development", {"NODE_ENV": "PRODUCTION"}, "development"),
    ],
)
def test_bun_mode(mode: str, process: dict[str, str], expected: str) -> None:
    assert bun_mode(mode, process) == expected
    assert PROFILE.effective_mode(mode, process) == expected


def test_cross_file_reference_to_lower_file_is_a_note(tmp_path: Path) -> None:
    write(tmp_path, {".env": "LOW=1\n", ".env.local": "HIGH=[$LOW]\n"})
    res = resolve(tmp_path, PROFILE, "development", {})
    assert reveal(res.vars["HIGH"].value) == "[]"
    (note,) = [n for n in res.notes if n.kind == "expansion-order"]
    assert (note.key, note.path, note.line) == ("HIGH", ".env.local", 1)
    assert ".env" in note.message


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("A=$NOPE\n", "undefined-variable", "A"),
        ("A=x$A\n", "self-reference", "A"),
        ("B=$A\nA=$C\nC=1\n", "expansion-order", "B"),
        ("A=${U-d}\n", "bad-substitution", "A"),
        ("A=${U:-unclosed\n", "bad-substitution", "A"),
    ],
)
def test_expansion_notes(text: str, kind: str, key: str) -> None:
    res = load_bun([parse(text, ".env")], {}, mode="development")
    assert [(n.kind, n.key) for n in res.notes] == [(kind, key)]


def test_secret_names_are_not_echoed_in_notes() -> None:
    res = load_bun([parse("API_KEY=sk-$abcdef123\n", ".env")], {}, mode="development")
    (note,) = res.notes
    assert "abcdef123" not in note.message


def test_billion_laughs_is_stopped_by_the_budget() -> None:
    lines = ["L0=xxxxxxxxxxxxxxxx"] + [f"L{i}=${{L{i - 1}}}${{L{i - 1}}}" for i in range(1, 40)]
    res = load_bun([parse("\n".join(lines) + "\nAFTER=ok\n", ".env")], {}, mode="x")
    budget = [n for n in res.notes if n.kind == "expansion-budget"]
    assert budget and budget[0].key == "L17"  # 16 * 2**17 bytes is the first value past 1 MiB
    assert all(len(reveal(v.value)) <= 1 << 20 for v in res.vars.values())
    assert reveal(res.vars["AFTER"].value) == "ok"


def test_deeply_nested_defaults_are_stopped_by_the_budget() -> None:
    value = "${U:-" * 5000 + "x" + "}" * 5000
    res = load_bun([parse(f"A={value}\n", ".env")], {}, mode="x")
    assert [n.kind for n in res.notes] == ["expansion-budget"]


def test_expand_value_charges_the_budget() -> None:
    with pytest.raises(BudgetExceeded) as err:
        expand_value(
            "$A$A$A", {"A": "y" * 400}.get, key="K", budget=Budget(max_value=1000), refs=Refs()
        )
    assert err.value.key == "K"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"bun.lock": "{}", "package.json": '{"dependencies": {"hono": "1"}}'}, "bun"),
        ({"bun.lockb": "", "package.json": "{}"}, "bun"),
        ({"bun.lock": "{}"}, "bun"),
        ({"bun.lock": "{}", "package.json": '{"dependencies": {"next": "15"}}'}, "nextjs"),
        ({"bun.lock": "{}", "package.json": '{"dependencies": {"vite": "7"}}'}, "vite"),
        ({"bun.lock": "{}", "package.json": '{"dependencies": {"dotenv": "17"}}'}, "dotenv"),
        # What starts the app decides, not what merely exists (issue 26).
        ({"package.json": "{}"}, "plain"),
        ({"package.json": '{"scripts": {"start": "node server.js"}}'}, "dotenv"),
        ({"package.json": '{"main": "index.js"}'}, "dotenv"),
        ({"package.json": '{"scripts": {"dev": "bun run --watch src/index.ts"}}'}, "bun"),
        ({"package.json": '{"scripts": {"start": "deno run -A main.ts"}}'}, "deno"),
        (
            {
                "package.json": '{"devDependencies": {"prettier": "3"}, '
                '"scripts": {"fmt": "prettier -w ."}}',
                "docker-compose.yml": "services: {}\n",
            },
            "compose",
        ),
        ({"package.json": '{"devDependencies": {"husky": "9"}}'}, "plain"),
    ],
)
def test_detect_bun(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    write(tmp_path, files)
    assert detect(tmp_path) == expected


def test_registered() -> None:
    assert parser_for("bun") is parse
    assert PROFILE.dialect == "bun" and PROFILE.explicit_order == "last-wins"
    assert PROFILE.load_function() is load_bun


# --- properties of the parser -----------------------------------------------------------

_KEY = re.compile(r"[A-Za-z0-9_.-]+")
_PIECES = [*"AB_x1.-= :\t\n\r#\"'`\\${}é\x0b", "export ", "\ufeff", "\u00a0", ":-"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_parse_never_raises_and_positions_are_valid(text: str) -> None:
    out = parse(text, "p.env")
    lines = text.split("\n")
    for e in out.entries:
        assert _KEY.fullmatch(e.key)
        assert 1 <= e.line <= e.end_line <= len(lines)
        assert lines[e.line - 1][e.col - 1 :].startswith(e.key)
        assert e.quote in ("", '"', "'", "`")
        assert e.separator in ("=", ":")
        if e.quote == "":
            assert "\n" not in e.value and "\r" not in e.value and "#" not in e.value
            assert e.value == e.value.strip(" \t\x0b\x0c")
    for p in out.problems:
        assert 1 <= p.line <= len(lines) and p.col >= 1
    assert parse(text, "p.env").values() == out.values()


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_load_never_raises_and_keeps_every_key(text: str) -> None:
    pf = parse(text, ".env")
    res = load_bun([pf], {"X": "px"}, mode="development")
    assert set(res.vars) == set(pf.values())
    for key, resolved in res.vars.items():
        if "$" not in pf.values()[key] and key != "X":
            assert reveal(resolved.value) == pf.values()[key]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("A=x\n$#'\"")), max_size=60))
def test_unquoted_lines_round_trip(body: str) -> None:
    value = body.replace("\n", "").replace("#", "").replace('"', "").replace("'", "").strip()
    value = value.replace("$", "")
    assert parse(f"K={value}\n", ".env").values() == {"K": value}
