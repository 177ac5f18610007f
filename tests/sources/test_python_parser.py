"""The python-dotenv dialect: table-driven cases, then python-dotenv itself as the oracle."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from dotenv import dotenv_values
from dotenv.main import DotEnv
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.decode import decode
from envcheck.sources.readers.python import parse
from envcheck.sources.readers.python_expand import (
    Literal,
    Variable,
    expand_entries,
    parse_template,
    resolve_values,
)
from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, ParsedFile
from tests.harness import CORPUS

CORPUS_FILES = CORPUS / "files"
CORPUS_FILES = sorted(p for p in CORPUS_FILES.iterdir() if p.is_file())
# A fixed process environment for interpolation; the py-interp-* files use these names.
FAKE_ENV = {
    "PROC_ONLY": "from-process",
    "SHARED": "process-shared",
    "EMPTY_PROC": "",
    "HOME": "/home/fake",
    "PATH_LIKE": "/bin",
    "A": "process-a",
}


@pytest.fixture(autouse=True)
def _quiet_dotenv() -> Iterator[None]:
    """python-dotenv logs a warning per dropped line; the tests assert on data instead."""
    logger = logging.getLogger("dotenv.main")
    old = logger.disabled
    logger.disabled = True
    yield
    logger.disabled = old


def as_dotenv(pf: ParsedFile) -> dict[str, str | None]:
    """Our entries in the shape ``dotenv_values(interpolate=False)`` returns."""
    return {e.key: None if e.bare else e.value for e in pf.entries}


def oracle_values(data: bytes, **kwargs: object) -> dict[str, str | None]:
    """python-dotenv reading ``data`` the way it reads a file (strict UTF-8, universal newlines)."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    return dict(dotenv_values(stream=stream, **kwargs))  # type: ignore[arg-type]


# (text, [(key, value or None for bare, line, col, quote, export)], [problem kinds])
CASES: list[tuple[str, list[tuple[str, str | None, int, int, str, bool]], list[str]]] = [
    ("", [], []),
    ("a=b", [("a", "b", 1, 1, UNQUOTED, False)], []),
    (" a = b ", [("a", "b", 1, 2, UNQUOTED, False)], []),
    ("export a=b", [("a", "b", 1, 8, UNQUOTED, True)], []),
    ("export\ta=b", [("a", "b", 1, 8, UNQUOTED, True)], []),
    ("export=b", [("export", "b", 1, 1, UNQUOTED, False)], []),
    ("exporta=b", [("exporta", "b", 1, 1, UNQUOTED, False)], []),
    ("export a", [("a", None, 1, 8, UNQUOTED, True)], []),
    ("'a'=b", [("a", "b", 1, 1, UNQUOTED, False)], []),
    ("'a b'=c", [("a b", "c", 1, 1, UNQUOTED, False)], []),
    ("[a]=b", [("[a]", "b", 1, 1, UNQUOTED, False)], []),
    ("a.b-c:d=e", [("a.b-c:d", "e", 1, 1, UNQUOTED, False)], []),
    ("a=b c", [("a", "b c", 1, 1, UNQUOTED, False)], []),
    ("a='b c'", [("a", "b c", 1, 1, SINGLE, False)], []),
    ('a="b c"', [("a", "b c", 1, 1, DOUBLE, False)], []),
    ("a='b\\'c'", [("a", "b'c", 1, 1, SINGLE, False)], []),
    ("a='b\\nc'", [("a", "b\\nc", 1, 1, SINGLE, False)], []),
    ('a="b\\nc"', [("a", "b\nc", 1, 1, DOUBLE, False)], []),
    ('a="b\\"c"', [("a", 'b"c', 1, 1, DOUBLE, False)], []),
    ('a="b\\\\"', [("a", "b\\", 1, 1, DOUBLE, False)], []),
    ('a="\\x41\\u0041"', [("a", "\\x41\\u0041", 1, 1, DOUBLE, False)], []),
    ('a="\\a\\b\\f\\r\\t\\v"', [("a", "\a\b\f\r\t\v", 1, 1, DOUBLE, False)], []),
    ("a=b#c", [("a", "b#c", 1, 1, UNQUOTED, False)], []),
    ("a=b #c", [("a", "b", 1, 1, UNQUOTED, False)], []),
    ("a=b\t#c", [("a", "b", 1, 1, UNQUOTED, False)], []),
    ("a=#b", [("a", "#b", 1, 1, UNQUOTED, False)], []),
    ("a= #b", [("a", "", 1, 1, UNQUOTED, False)], []),
    ('a="b" #c', [("a", "b", 1, 1, DOUBLE, False)], []),
    ('a="b#c"', [("a", "b#c", 1, 1, DOUBLE, False)], []),
    ("a=", [("a", "", 1, 1, UNQUOTED, False)], []),
    ("a", [("a", None, 1, 1, UNQUOTED, False)], []),
    ("a #c", [("a", None, 1, 1, UNQUOTED, False)], []),
    ("# comment\na=b", [("a", "b", 2, 1, UNQUOTED, False)], []),
    ("\n\n  a=b", [("a", "b", 3, 3, UNQUOTED, False)], []),
    ("a=b\nc=d", [("a", "b", 1, 1, UNQUOTED, False), ("c", "d", 2, 1, UNQUOTED, False)], []),
    (
        "a=b\r\nc=d",
        [("a", "b", 1, 1, UNQUOTED, False), ("c", "d", 2, 1, UNQUOTED, False)],
        ["crlf"],
    ),
    (
        "a=b\rc=d",
        [("a", "b", 1, 1, UNQUOTED, False), ("c", "d", 2, 1, UNQUOTED, False)],
        ["lone-cr"],
    ),
    ('a="b\r\nc"', [("a", "b\nc", 1, 1, DOUBLE, False)], ["crlf"]),
    ('a="b\nc"\nd=e', [("a", "b\nc", 1, 1, DOUBLE, False), ("d", "e", 3, 1, UNQUOTED, False)], []),
    ("a='b\nc'", [("a", "b\nc", 1, 1, SINGLE, False)], []),
    ("\ufeffa=b", [("a", "b", 1, 1, UNQUOTED, False)], ["bom"]),
    ("=b", [], ["dropped-line"]),
    ("=b\nc=d", [("c", "d", 2, 1, UNQUOTED, False)], ["dropped-line"]),
    ("a b", [], ["dropped-line"]),
    ('a="b" c', [], ["dropped-line"]),
    ("a='b'c\nd=e", [("d", "e", 2, 1, UNQUOTED, False)], ["dropped-line"]),
    ("export \na=b", [("a", "b", 2, 1, UNQUOTED, False)], ["dropped-line"]),
    ('a="b\nc=d', [("c", "d", 2, 1, UNQUOTED, False)], ["unterminated-quote"]),
    ("a='b\nc=d", [("c", "d", 2, 1, UNQUOTED, False)], ["unterminated-quote"]),
    ("'a=b\nc=d", [("c", "d", 2, 1, UNQUOTED, False)], ["unterminated-quote"]),
    ('a="b\nc=d\ne="f"\ng=h', [("g", "h", 4, 1, UNQUOTED, False)], ["dropped-line"]),
    ("ü=ö", [("ü", "ö", 1, 1, UNQUOTED, False)], []),
    ("a=b\u00a0", [("a", "b", 1, 1, UNQUOTED, False)], []),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
def test_parse_table(
    text: str, expected: list[tuple[str, str | None, int, int, str, bool]], kinds: list[str]
) -> None:
    pf = parse(text, ".env")
    got = [
        (e.key, None if e.bare else e.value, e.line, e.col, e.quote, e.export) for e in pf.entries
    ]
    assert got == expected
    assert [e.bare for e in pf.entries] == [x[1] is None for x in expected]
    assert [p.kind for p in pf.problems] == kinds


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
@pytest.mark.oracle
def test_table_matches_python_dotenv(
    text: str, expected: list[tuple[str, str | None, int, int, str, bool]], kinds: list[str]
) -> None:
    assert as_dotenv(parse(text, ".env")) == oracle_values(text.encode(), interpolate=False)


@pytest.mark.parametrize(
    ("text", "line", "col", "end_line", "separator"),
    [
        ('K="a\nb\nc"', 1, 1, 3, "="),
        ("K='a\nb'", 1, 1, 2, "="),
        ("  K  =  v", 1, 3, 1, "  =  "),
        ("\n\nexport K=v", 3, 8, 3, "="),
        ("K", 1, 1, 1, ""),
        ("'mul\nti'=v", 1, 1, 2, "="),
    ],
)
def test_positions(text: str, line: int, col: int, end_line: int, separator: str) -> None:
    (entry,) = parse(text, ".env").entries
    assert (entry.line, entry.col, entry.end_line, entry.separator) == (
        line,
        col,
        end_line,
        separator,
    )


@pytest.mark.parametrize(
    ("text", "kind", "line", "col", "reason"),
    [
        ('OK=1\nA="abc\nB=2', "unterminated-quote", 2, 1, "no closing quote (line 2, column 3)"),
        ("OK=1\n  =x", "dropped-line", 2, 3, "no key"),
        ('A="x" junk', "dropped-line", 1, 1, "text after the closing quote (line 1, column 7)"),
        ('A="x\nB=2\nC="y"z', "dropped-line", 1, 1, "drops lines 1-3"),
        ("A B", "dropped-line", 1, 1, "expected '=' after the key"),
    ],
)
def test_problems_have_position_and_reason(
    text: str, kind: str, line: int, col: int, reason: str
) -> None:
    (problem,) = parse(text, ".env").problems
    assert (problem.kind, problem.line, problem.col) == (kind, line, col)
    assert reason in problem.message


def test_problem_messages_never_hold_values() -> None:
    secret = "sk-proj-abcdefghijklmnop1234"
    text = f'A="{secret}\nB={secret}" junk\nC=\'{secret}'
    pf = parse(text, ".env")
    assert pf.problems
    assert all(secret not in p.message and "abcdef" not in p.message for p in pf.problems)
    assert secret not in repr(pf)


def test_bom_python_dotenv_strips_it() -> None:
    """Checked against python-dotenv 1.2: the BOM does not end up in the first key."""
    data = b"\xef\xbb\xbfFIRST=1\n"
    text, _ = decode(data, ".env")
    pf = parse(text, ".env")
    assert as_dotenv(pf) == {"FIRST": "1"} == oracle_values(data, interpolate=False)
    assert [p.kind for p in pf.problems] == ["bom"]


# ---------------------------------------------------------------- interpolation


@pytest.mark.parametrize(
    ("value", "atoms"),
    [
        ("", ()),
        ("abc", (Literal("abc"),)),
        ("${A}", (Variable("A"),)),
        ("x${A:-d}y", (Literal("x"), Variable("A", "d"), Literal("y"))),
        ("$A ${A", (Literal("$A ${A"),)),
        ("${A:-${B}}", (Variable("A", "${B"), Literal("}"))),
        ("${}", (Variable(""),)),
    ],
)
def test_parse_template(value: str, atoms: tuple[object, ...]) -> None:
    assert parse_template(value) == atoms


@pytest.mark.parametrize(
    ("text", "env", "override", "expected"),
    [
        ("A=1\nB=${A}", {}, True, {"A": "1", "B": "1"}),
        ("A=1\nB=${A}", {"A": "p"}, True, {"A": "1", "B": "1"}),
        ("A=1\nB=${A}", {"A": "p"}, False, {"A": "1", "B": "p"}),
        ("B=${A:-d}", {}, True, {"B": "d"}),
        ("B=${A:-d}", {"A": ""}, True, {"B": ""}),
        ("A\nB=${A:-d}", {"A": "p"}, True, {"A": None, "B": ""}),
        ("A\nB=${A:-d}", {"A": "p"}, False, {"A": None, "B": "p"}),
        ("A=1\nB='${A}'", {}, True, {"A": "1", "B": "1"}),
        ("B=$A", {"A": "p"}, True, {"B": "$A"}),
        ("A=1\nA=${A}2", {}, True, {"A": "12"}),
        ("P=${P}:x", {"P": "/bin"}, True, {"P": "/bin:x"}),
    ],
)
def test_expand_table(
    text: str, env: dict[str, str], override: bool, expected: dict[str, str | None]
) -> None:
    assert resolve_values(parse(text, ".env").entries, env, override=override) == expected


class CountingMapping(Mapping[str, str]):
    """A process environment that counts every access, to prove expansion never copies it."""

    def __init__(self, data: dict[str, str]) -> None:
        self.data = data
        self.ops = 0

    def __getitem__(self, key: str) -> str:
        self.ops += 1
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        for key in self.data:
            self.ops += 1
            yield key

    def __len__(self) -> int:
        self.ops += len(self.data)
        return len(self.data)


def test_expansion_of_a_long_chain_is_linear() -> None:
    """20k lines, each referencing the previous one: python-dotenv copies the mapping 20k times."""
    n = 20_000
    text = "K0=x\n" + "".join(f"K{i}=${{K{i - 1}}}\n" for i in range(1, n))
    entries = parse(text, ".env").entries
    environ = CountingMapping({f"UNRELATED{i}": "v" for i in range(1000)} | {"K5": "p"})
    for override in (True, False):
        environ.ops = 0
        values = expand_entries(entries, environ, override=override)
        assert environ.ops <= 2 * n  # at most one probe per reference, never a copy
        assert values[-1] == ("x" if override else "p")


# ---------------------------------------------------------------- python-dotenv as oracle


@pytest.mark.oracle
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_matches_python_dotenv(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus file (python, node and vite ones alike) parses and expands as python-dotenv."""
    data = path.read_bytes()
    text, problems = decode(data, path.name)
    pf = parse(text, path.name)
    if any(p.kind == "invalid-utf8" for p in problems):
        with pytest.raises(UnicodeDecodeError):
            dotenv_values(path, interpolate=False)
        return
    assert as_dotenv(pf) == dict(dotenv_values(path, interpolate=False))
    monkeypatch.setattr(os, "environ", dict(FAKE_ENV))
    for override in (True, False):
        expected = dict(DotEnv(path, override=override).dict())
        assert resolve_values(pf.entries, FAKE_ENV, override=override) == expected, override


def test_corpus_has_enough_python_files() -> None:
    assert len([p for p in CORPUS_FILES if p.name.startswith("py-")]) >= 20


_TOKENS = st.sampled_from(
    [
        "A", "b", "_", "=", " ", "\t", "#", "'", '"', "\\", "\n", "\r", "\r\n", "export ",
        "${", "}", ":-", "$", "é", "\x0b", "\u2028", "\ufeff", "\x00", "ü",
    ]
)  # fmt: skip
_DOTENV_TEXT = st.lists(_TOKENS, max_size=40).map("".join) | st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), max_size=60
)


@given(_DOTENV_TEXT)
@settings(max_examples=400, deadline=None)
def test_never_raises_and_positions_in_range(text: str) -> None:
    pf = parse(text, ".env")
    n_lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    for e in pf.entries:
        assert 1 <= e.line <= e.end_line <= n_lines
        assert e.col >= 1
    for p in pf.problems:
        assert 1 <= p.line <= n_lines and p.col >= 1
        assert "could not parse this line" not in p.message  # fast and slow paths agree


@pytest.mark.oracle
@given(_DOTENV_TEXT)
@settings(max_examples=400, deadline=None)
def test_random_text_matches_python_dotenv(text: str) -> None:
    data = text.encode("utf-8")
    pf = parse(text, ".env")
    assert as_dotenv(pf) == oracle_values(data, interpolate=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "environ", dict(FAKE_ENV))
        for override in (True, False):
            stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
            expected = dict(DotEnv(None, stream=stream, override=override).dict())
            assert resolve_values(pf.entries, FAKE_ENV, override=override) == expected
