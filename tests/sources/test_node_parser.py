"""Node dotenv dialect: table-driven cases, properties, and agreement with the real thing.

The differential tests run every file in ``tests/corpus/files`` (whoever wrote
it) and a few thousand generated texts through ``dotenv.parse`` and
dotenv-expand 12 in one Node process and require identical results.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.jsorder import js_order
from envcheck.sources.readers.node import parse
from envcheck.sources.readers.node_cra import parse as parse_dotenv10
from envcheck.sources.readers.node_expand import expand_dotenv, js_replace_first
from tests.bounded import assert_linear
from tests.harness import CORPUS
from tests.oracle import requires_node, run_node

FILES = sorted((CORPUS / "files").glob("*.env"))
PROCESS = {"HOST": "prod.example", "A": "fromproc", "UNSET": "", "SET": "", "X": "$A"}


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


# --- table: values --------------------------------------------------------------

VALUES = [
    ("A=1", {"A": "1"}),
    ("A = spaced value  ", {"A": "spaced value"}),
    ("export A=1", {"A": "1"}),
    ("export=1", {"export": "1"}),
    ("A: one", {"A": "one"}),
    ("A:one", {}),
    ("A=x#y", {"A": "x"}),
    ("A=x # y", {"A": "x"}),
    ("A='x # y'", {"A": "x # y"}),
    ('A="a\\nb"', {"A": "a\nb"}),
    ("A='a\\nb'", {"A": "a\\nb"}),
    ("A=`a'b\"c`", {"A": "a'b\"c"}),
    ('A="multi\nline"\nB=2', {"A": "multi\nline", "B": "2"}),
    ('A="open\nB=2', {"A": '"open', "B": "2"}),
    ('A="x" tail', {"A": '"x" tail'}),
    ("A=\nB=1", {"A": "", "B": "1"}),
    ("A=\n'taken'\nB=2", {"A": "taken", "B": "2"}),
    ("A:\nB=1", {"A": "B=1"}),
    ("A=1\r\nB=2\rC=3", {"A": "1", "B": "2", "C": "3"}),
    ("\ufeffA=1", {"A": "1"}),
    ("A=1\nA=2", {"A": "2"}),
    ("MY KEY=1\nOK=2", {"OK": "2"}),
    ("__proto__=x\nY=1", {"Y": "1"}),
    ("A=a\u2028b", {"A": "a\u2028b"}),
    ("A=\u00a0x\u3000", {"A": "x"}),
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_values(text: str, expected: dict[str, str]) -> None:
    assert parse(text, ".env").values() == expected


# --- table: positions and entry details ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "fields"),
    [
        ("A=1\n  B=2", "B", {"line": 2, "col": 3, "end_line": 2, "quote": ""}),
        ("\ufeffA=1", "A", {"line": 1, "col": 1}),
        ("export  K='v'", "K", {"col": 9, "export": True, "quote": "'"}),
        ("K: v", "K", {"separator": ":", "export": False}),
        ('X=1\nK="a\nb\nc"', "K", {"line": 2, "end_line": 4, "quote": '"'}),
        ("A=1\r\nB=2\r\n\tK=`x`", "K", {"line": 3, "col": 2, "quote": "`"}),
        ("K=\n\n'v'", "K", {"line": 1, "end_line": 3}),
    ],
)
def test_entry_fields(text: str, key: str, fields: dict[str, object]) -> None:
    entry = parse(text, "f.env").last_entries()[key]
    assert entry.path == "f.env"
    for name, value in fields.items():
        assert getattr(entry, name) == value, name


def test_duplicates_kept_in_order() -> None:
    entries = parse("A=1\nB=2\nA=3\n", ".env").entries
    assert [(e.key, e.line) for e in entries] == [("A", 1), ("B", 2), ("A", 3)]


# --- table: problems ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1\nJUSTTEXT\nB=2", [("dropped-line", 2, 1)]),
        ("MY KEY=1", [("dropped-line", 1, 1)]),
        ("  K:v", [("dropped-line", 1, 3)]),
        ("__proto__=1", [("dropped-line", 1, 1)]),
        ('A="never closed\nB=2', [("unterminated-quote", 1, 3)]),
        ("A='x' tail", [("text-after-quote", 1, 3)]),
        ('A="x\nB=2"', [("swallowed-line", 2, 1)]),
        ("A=\n'v'", [("swallowed-line", 2, 1)]),
        ("A=1\r\nB=2", [("crlf", 1, 1)]),
        ("A=1\rB=2\rC=3", [("lone-cr", 1, 1)]),
        ("# comment\n\n   \nA=1 # c\n", []),
        ("", []),
    ],
)
def test_problems(text: str, expected: list[tuple[str, int, int]]) -> None:
    problems = parse(text, ".env").problems
    assert [(p.kind, p.line, p.col) for p in problems] == expected


def test_problem_messages_never_hold_values() -> None:
    text = "SECRET=\"sk-live-abcdef\nsk-live-abcdef trailing\nT='sk-live-abcdef' x\n"
    for problem in parse(text, ".env").problems:
        assert "sk-live" not in problem.message


# --- dotenv 10 (react-scripts) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1 # not a comment", {"A": "1 # not a comment"}),
        ("export A=1", {}),
        ("A: 1", {}),
        ('A="x"  ', {"A": '"x"'}),
        ('A="a\\nb"', {"A": "a\nb"}),
        ('A="', {"A": '"'}),
        ('A="multi\nline"', {"A": '"multi'}),
    ],
)
def test_dotenv10_values(text: str, expected: dict[str, str]) -> None:
    assert parse_dotenv10(text, ".env").values() == expected


# --- helpers -------------------------------------------------------------------------


def test_js_order_puts_indices_first() -> None:
    assert js_order(["b", "10", "a", "2", "01", "4294967295"]) == [
        "2",
        "10",
        "b",
        "a",
        "01",
        "4294967295",
    ]


@pytest.mark.parametrize(
    ("s", "pattern", "repl", "expected"),
    [
        ("a-X-X", "X", "y", "a-y-X"),
        ("aXb", "X", "$$", "a$b"),
        ("aXb", "X", "[$&]", "a[X]b"),
        ("aXb", "X", "$`$'", "aabb"),
        ("aXb", "X", "$1", "a$1b"),
        ("ab", "X", "y", "ab"),
    ],
)
def test_js_replace_first(s: str, pattern: str, repl: str, expected: str) -> None:
    assert js_replace_first(s, pattern, repl) == expected


@pytest.mark.parametrize(
    ("text", "env", "expected", "issues"),
    [
        ("A=x\nB=${A}-$A", {}, {"A": "x", "B": "x-x"}, []),
        ("B=${NOPE:-d}${NOPE-e}${A:+f}", {"A": "1"}, {"B": "def"}, []),
        ("B=\\$A", {"A": "1"}, {"B": "$A"}, []),
        ("A=$A", {}, {"A": ""}, ["undefined-variable"]),  # A is not in processEnv
        ("A=1\nB=${annulled}", {"an": "Z"}, {"A": "1", "B": "Z"}, []),
        ("A=file", {"A": "proc"}, {"A": "proc"}, []),
        ("V=$&\nW=a${V}b", {}, {"V": "$&", "W": "a${V}b"}, ["expansion-runaway"]),
    ],
)
def test_expand_dotenv(
    text: str, env: dict[str, str], expected: dict[str, str], issues: list[str]
) -> None:
    values, found = expand_dotenv(parse(text, ".env").values(), env)
    assert values == expected
    assert [i.kind for i in found] == issues


# --- properties ---------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("AB_.=:-# \t\n\r'\"`\\$x{}") + ["export ", "\u2028", "\ufeff", "\u00a0", "é", "\\n"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=80))
def test_parse_never_raises_and_positions_are_inside(text: str) -> None:
    for parser in (parse, parse_dotenv10):
        result = parser(text, ".env")
        normal = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = normal.split("\n")
        spots = [(e.line, e.col) for e in result.entries]
        spots += [(p.line, p.col) for p in result.problems]
        for line, col in spots:
            assert 1 <= line <= len(lines)
            assert 1 <= col <= len(lines[line - 1]) + 1
        for entry in result.entries:
            assert entry.line <= entry.end_line <= len(lines)


def test_parse_is_linear_on_a_large_file() -> None:
    def work(n: int) -> Callable[[], object]:
        head = "BASE=root\n"
        text = head + "".join(f'KEY_{i}="value {i} ${{BASE}}/$BASE" # note\n' for i in range(n))
        return lambda: expand_dotenv(parse(text, ".env").values(), {})

    assert_linear(work, 1_000)


# --- differential ----------------------------------------------------------------------


def _generated(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = [
        *"AB1_.-=: \t\n#'\"`\\nr${}x",
        "\r\n",
        "\r",
        "export ",
        "\u2028",
        "\u00a0",
        "\ufeff",
    ]
    alphabet += ["é", "x=", "\\n", '\\"', ":-", ":+", "null", "$$"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@requires_node
@pytest.mark.oracle
def test_corpus_matches_dotenv_parse() -> None:
    texts = [_text(f) for f in FILES]
    answers = run_node("node-dotenv.cjs", {"texts": texts})
    for path, text, answer in zip(FILES, texts, answers, strict=True):
        mine = parse(text, path.name).values()
        in_js_order = [(k, mine[k]) for k in js_order(mine)]
        assert in_js_order == [tuple(kv) for kv in answer["parsed"]], path.name


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("process_env", [{}, PROCESS], ids=["noproc", "proc"])
def test_corpus_matches_dotenv_expand(process_env: dict[str, str]) -> None:
    texts = [_text(f) for f in FILES]
    payload = {"texts": texts, "expand": True, "processEnv": process_env}
    answers = run_node("node-dotenv.cjs", payload)
    for path, text, answer in zip(FILES, texts, answers, strict=True):
        mine, _ = expand_dotenv(parse(text, path.name).values(), process_env)
        assert list(mine.items()) == [tuple(kv) for kv in answer["expanded"]], path.name


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("seed", [1, 2])
def test_generated_texts_match_dotenv(seed: int) -> None:
    texts = _generated(seed, 3000)
    payload = {"texts": texts, "expand": True, "processEnv": PROCESS}
    answers = run_node("node-dotenv.cjs", payload)
    for text, answer in zip(texts, answers, strict=True):
        values = parse(text, ".env").values()
        assert values == dict(map(tuple, answer["parsed"])), repr(text)
        expanded, _ = expand_dotenv(values, PROCESS)
        assert list(expanded.items()) == [tuple(kv) for kv in answer["expanded"]], repr(text)
