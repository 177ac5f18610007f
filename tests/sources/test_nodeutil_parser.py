"""Node 20's util.parseEnv dialect: table tests, corpus + fuzz differential, properties."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.jsorder import js_order
from envcheck.sources.readers import nodeutil as nodeutil_parser
from envcheck.sources.readers.nodeutil import parse
from tests.bounded import assert_linear
from tests.harness import CORPUS
from tests.oracle import missing as oracle_missing
from tests.oracle import requires_node, run_node

CORPUS_FILES = CORPUS / "files"


def js_object(text: str) -> list[tuple[str, str]]:
    """Our parse as util.parseEnv's object: (key, value) pairs in JS key order."""
    values = parse(text, "f.env").values()
    return [(k, values[k]) for k in js_order(sorted(values))]


def kinds(text: str) -> set[str]:
    return {p.kind for p in parse(text, "f.env").problems}


VALUES = [
    ("A=1\nB=2", {"A": "1", "B": "2"}),
    (" A = 1 ", {"A": "1"}),
    ("A=\t1\t", {"A": "\t1\t"}),  # only spaces are trimmed
    ("FOO\nB=2\nC=3", {"FOO\nB": "2", "C": "3"}),  # swallowed line
    ("A=1\n  # c\nB=2", {"A": "1", "# c\nB": "2"}),  # indented comment swallowed
    ("A=1\n   =x", {"A": "1", "\n": "x"}),  # spaces-only key reads as newline
    ("=v\nB=2", {}),  # empty key stops the parser
    ("export A=1", {"A": "1"}),
    ("export  A=1", {" A": "1"}),
    ("export =1", {"export": "1"}),
    ('A="x\ny"\nB=1', {"A": "x\ny", "B": "1"}),
    ('A="unterminated\nB=2', {"A": '"unterminated', "B": "2"}),
    ('A="x', {}),
    ("A='x = y", {"'x": "y"}),  # unclosed quote at EOF: reparsed as a key
    ('A="a\\nb"', {"A": "a\nb"}),
    ("A='a\\nb'", {"A": "a\\nb"}),
    ('A="a\\"b"', {"A": "a\\"}),
    ("A=a#b", {"A": "a"}),
    ("A = # c\nB=1", {"A": "", "B": "1"}),
    ('A="x" y', {"A": "x"}),
    ("A=\r\nB=2\r\n", {"A": "", "B": "2"}),
    ("A=a\rb", {"A": "ab"}),
    ("A:1", {}),
    ("A==b", {"A": "=b"}),
    ("__proto__=1\nA=2", {"A": "2"}),
    ("A=1\nB", {"A": "1"}),
    ("#A=1", {"#A": "1"}),  # a comment without newline after it is a key
    ("", {}),
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_values(text: str, expected: dict[str, str]) -> None:
    assert parse(text, "f.env").values() == expected


PROBLEMS = [
    ("FOO\nB=2", "swallowed-line"),
    ("A=1\n=x\nB=2", "dropped-line"),
    ("A=1\nNOPE", "dropped-line"),
    ('A="x\nB=1', "unterminated-quote"),
    ('A="x', "unterminated-quote"),
    ("A=1\r\n", "crlf"),
    ("A=1\rB=2", "lone-cr"),
    ("A=a#b", "hash-truncates-value"),
    ('A="a\\"b"', "escaped-quote"),
    ('A="x" y', "ignored-trailing"),
    ('A="x\nB=2\n"', "quote-spans-assignments"),
    ("export  A=1", "invalid-key"),
    ("__proto__=1", "invalid-key"),
]


@pytest.mark.parametrize(("text", "kind"), PROBLEMS)
def test_problems(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize("text", ["A=1\nB='x'\nexport C=\"y\" # c\n", 'A="x\ny"\nB=2 # c'])
def test_clean_files_have_no_problems(text: str) -> None:
    assert parse(text, "f.env").problems == []


def test_positions_and_fields() -> None:
    text = 'A=1\n  export B = "x\ny" \r\nFOO\nC=3\n'
    a, b, c = parse(text, "f.env").entries
    assert (a.line, a.col, a.quote, a.end_line, a.export) == (1, 1, "", 1, False)
    assert (b.key, b.line, b.col, b.quote, b.end_line, b.export) == ("B", 2, 10, '"', 3, True)
    assert (c.key, c.line, c.col) == ("FOO\nC", 4, 1)


def test_columns_count_deleted_crs() -> None:
    entry = parse("X=1\r\n\r A=2\r\n", "f.env").entries[1]
    assert (entry.key, entry.line, entry.col) == ("A", 2, 3)


def test_swallowed_problem_hides_the_line() -> None:
    (problem,) = parse("sk-secret-value\nB=2", "f").problems
    assert problem.kind == "swallowed-line" and problem.key is None
    assert "sk-secret" not in problem.message


def test_js_order() -> None:
    assert js_order(["b", "10", "A", "2", "01", "4294967295"]) == [
        "2",
        "10",
        "b",
        "A",
        "01",
        "4294967295",
    ]


def test_fast_path_agrees_with_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(CORPUS_FILES.glob("*.env"))]
    texts += [t for t, _ in VALUES]
    fast = [parse(t, "f") for t in texts]
    monkeypatch.setattr(nodeutil_parser, "_parse_fast", nodeutil_parser._read_all)
    slow = [parse(t, "f") for t in texts]
    for f, s in zip(fast, slow, strict=True):
        assert f.entries == s.entries
        assert f.problems == s.problems


@pytest.mark.oracle
@requires_node
def test_corpus_matches_util_parse_env() -> None:
    files = sorted(CORPUS_FILES.glob("*.env"))
    assert len([f for f in files if f.name.startswith("vite-")]) >= 15
    # Vite reads with readFileSync(path, "utf-8"): replacement chars, BOM kept.
    texts = [f.read_bytes().decode("utf-8", "replace") for f in files]
    expected = run_node("util-parse-env.cjs", {"texts": texts})
    mismatched = [
        f.name
        for f, t, want in zip(files, texts, expected, strict=True)
        if js_object(t) != list(want.items())
    ]
    assert mismatched == []


ATOMS = [
    "A", "B", "KEY_1", "export ", "export", "=", "==", " ", "  ", "\t", "\n", "\n", "\r\n",
    "\r", "#", " # c", '"', "'", "`", "\\n", "\\", "x", "y z", "__proto__", "é", "=v",
    '"x"', "'y'", "\n#c\n", "10",
]  # fmt: skip


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("seed", range(3))
def test_random_texts_match_util_parse_env(seed: int) -> None:
    rng = random.Random(seed)
    texts = ["".join(rng.choices(ATOMS, k=rng.randint(0, 24))) for _ in range(4000)]
    expected = run_node("util-parse-env.cjs", {"texts": texts})
    bad = [t for t, want in zip(texts, expected, strict=True) if js_object(t) != list(want.items())]
    assert bad == []


def test_node_is_the_pinned_major() -> None:
    import shutil
    import subprocess

    if shutil.which("node") is None:
        oracle_missing("node missing: make test needs Node 20")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    assert version.startswith("v20."), "nodeutil_parser mirrors Node 20's util.parseEnv"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("AB_= \t\n\r#\"'`\\xé$")), max_size=80))
def test_never_raises_and_positions_in_range(text: str) -> None:
    parsed = parse(text, "f.env")
    lines = text.split("\n")
    spots = [(e.line, e.col) for e in parsed.entries] + [(p.line, p.col) for p in parsed.problems]
    for line_no, col in spots:
        assert 1 <= line_no <= len(lines)
        assert 1 <= col <= len(lines[line_no - 1]) + 1
    for entry in parsed.entries:
        assert entry.line <= entry.end_line <= len(lines)
        line = lines[entry.line - 1]
        if "\n" not in entry.key and not entry.key.startswith(" "):
            assert line[entry.col - 1 :].replace("\r", "").startswith(entry.key.replace("\r", ""))


def test_linear_work() -> None:
    line = "KEY_{i}=value # c\nexport Q_{i}=\"a\\nb\"\n# comment\nS_{i}='x'\n"

    def work(n: int) -> Callable[[], object]:
        text = "".join(line.format(i=i) for i in range(n))
        return lambda: parse(text, "f")

    assert_linear(work, 500)
