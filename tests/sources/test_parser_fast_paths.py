"""The parsers' fast paths read every text exactly as their exact slow paths do.

``python_parser``, ``node_parser`` and ``nodeutil_parser`` read plain lines
with a C scanner (``_fastlines``) or, without it, one ``findall`` over the
whole text, and hand every other line to the exact per-binding reader.
These tests run both on generated texts, built from plain lines and from the
fragments that make a line not plain (quotes over several lines, escapes,
spaces around ``=``, ``__proto__``, Unicode line separators, CR, BOM, ...),
and require the same entries and problems, positions included.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.readers import node as node_parser
from envcheck.sources.readers import node_expand, python_expand
from envcheck.sources.readers import nodeutil as nodeutil_parser
from envcheck.sources.readers import python as python_parser
from envcheck.sources.types import Entry, ParsedFile

KEYS = ["A", "B_1", "a.b-c", "export A", "export  B", "export\tC", "export", "__proto__"]
KEYS += ["export __proto__", "'q k'", " A", "\tB", "A B", "1X", "K\u00e9", "\ufeffA"]
SEPARATORS = ["=", "=", "=", " =", "= ", " = ", ":", ": ", "=\t"]
VALUES = ["", "x", "plain value", "v # c", "v#c", "v  ", "#c", " #c", "a=b", "a'b", 'a"b']
VALUES += ['"q"', "'q'", "`q`", '"q" # c', "'q'#c", '"a\\nb"', "'a\\'b'", '"a\\"b"', '"x" tail']
VALUES += ['"open', "'open", "`open", '"multi', 'line"', '"\\', "a\u2028b", "a\x0bb", "\u00a0x"]
OTHER = ["", "", "# comment", "  # indented", "   ", "\x0b", "\u2028", "garbage", "=v"]
OTHER += ['"', "'", "close'", 'end"', "`", "KEY", "export", "\ufeff", "#\u2028:", " # c\u2029x=1"]
NEWLINES = ["\n", "\n", "\n", "\r\n", "\r"]


def _line(key: str, sep: str, value: str) -> str:
    return key + sep + value


lines = st.one_of(
    st.builds(_line, st.sampled_from(KEYS), st.sampled_from(SEPARATORS), st.sampled_from(VALUES)),
    st.sampled_from(OTHER),
    st.text(alphabet="AB=#'\"` \t\\\n:x\u2028\u00a0\u00e9\U0001f600\ufeff\x1c\x85", max_size=12),
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(lines, st.sampled_from(NEWLINES)), max_size=14))
    text = "".join(line + nl for line, nl in parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    return text


def _as_data(pf: ParsedFile) -> tuple[list[tuple[object, ...]], list[object]]:
    entries: list[tuple[object, ...]] = [
        (e.key, e.value, e.line, e.col, e.quote, e.end_line, e.export, e.separator, e.bare)
        for e in pf.entries
    ]
    return entries, list(pf.problems)


def _python_slow(text: str, out: ParsedFile) -> None:
    python_parser._parse_slow(text, out.path, out)


def _without_c(module: object, attr: str) -> Callable[[str, str], ParsedFile]:
    """``module.parse`` with its Python fast path, as without the C extension."""

    def parse(text: str, path: str) -> ParsedFile:
        with pytest.MonkeyPatch.context() as m:
            m.setattr(module, attr, None)
            result: ParsedFile = module.parse(text, path)  # type: ignore[attr-defined]
            return result

    return parse


def _node_slow(text: str, out: ParsedFile) -> None:
    node_parser._scan(text, out)


DIALECTS: list[tuple[str, Callable[[str, str], ParsedFile], object, str, object]] = [
    ("python", python_parser.parse, python_parser, "_parse_fast", _python_slow),
    (
        "python-findall",
        _without_c(python_parser, "_scan_c"),
        python_parser,
        "_parse_fast",
        _python_slow,
    ),
    ("node", node_parser.parse, node_parser, "_parse_fast", _node_slow),
    ("node-findall", _without_c(node_parser, "_scan_c"), node_parser, "_parse_fast", _node_slow),
    ("nodeutil", nodeutil_parser.parse, nodeutil_parser, "_parse_fast", nodeutil_parser._read_all),
    (
        "nodeutil-findall",
        _without_c(nodeutil_parser, "_scan_c"),
        nodeutil_parser,
        "_parse_fast",
        nodeutil_parser._read_all,
    ),
]
NAMES = [d[0] for d in DIALECTS]


def _both(name: str, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    _, parse, module, attr, slow = next(d for d in DIALECTS if d[0] == name)
    fast = _as_data(parse(text, ".env"))
    with monkeypatch.context() as m:
        m.setattr(module, attr, slow)
        exact = _as_data(parse(text, ".env"))
    return fast, exact


TABLE = [
    "A=1\nB=2",
    "A=1\n\n# c\nB='x' # c\nexport C=\"y\"\n",
    'A="multi\nB=2\nline"\nC=3\n',
    "A=\n'taken'\nB=2",
    "A=1\n__proto__=x\nexport __proto__=y\nB=2",
    "garbage\nA=1\nmore garbage\n",
    "A=a\u2028B=2\nC=3",
    "\ufeffA=1\nB=2",
    "A=1\r\nB=2\rC=3",
    "A=1\n\x0b\nB=2\n",
    "A=1\nA=1\nKEY\nKEY\nA=1",
    "A=1\n\n\n",
    "A='unterminated\nB=2\nC=3",
    "A=x\n#\u2028:\n",  # dotenv's match for A runs into the comment and stops at U+2028
    "A=x\n \n  # c\u2029B=1\nC=2",
    "\nA=x\nA=x\n#\u2028:\n",  # the same text read fast on line 2, slowly on line 3
    'A="cert\nline two"\nB=1\n',  # a multi-line quote read by the fast path
    # The slow path's binding for A ends inside B's multi-line quote (python-dotenv
    # and dotenv read A's quote up to B's opening one): the fast path must resync.
    'A="x\\"\nB="p\nq"\nC=1\n',
    "A='x\nB='p\nq'\nC=1\n",
    'A=`x\nB="p\nq"\nC=1\n',
    "A=\"\"\nB=''\nC=``\nD=\nE= \n",  # empty values, quoted and not
    "A=1\n#c=1",  # util.parseEnv: a last '#' line without a newline, holding '=', is a binding
    "  A=1\nexport  B=2\nC= x\nD=x#y\nE=x #y\nF=x\t#y\n",
    'A="p\nB=1\nq"\nC="a\\nb"\nD="a\\"\n',
    "NO_EQUALS\nA=1\n   \nB=2\n",  # util.parseEnv: lines without '=' join the next key
    "A=\ufeff'x'\nB=\ufeffy\n",  # dotenv: U+FEFF is a space before a quote (JavaScript's \s)
    "A=\x1cx\nB=x\x85#c\nC='\x0b'\n",  # Python-only whitespace
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("text", TABLE)
def test_fast_path_matches_slow_path_on_table(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, exact = _both(name, text, monkeypatch)
    assert fast == exact


@pytest.mark.parametrize("name", NAMES)
def test_fast_path_actually_reads_plain_lines(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard against a fast path that silently sends every line to the slow one."""
    _, parse, module, _, _ = next(d for d in DIALECTS if d[0] == name)
    slow_calls: list[int] = []
    owner, attr = {
        "python": (module, "_parse_slow"),
        "node": (module, "_scan"),
        "nodeutil": (nodeutil_parser._Reader, "read_from"),
    }[name.removesuffix("-findall")]
    real = getattr(owner, attr)

    def counting(*args: object, **kwargs: object) -> object:
        slow_calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, counting)
    pf = parse("A=1\nB='x'\n# c\n\nexport C=\"y\" # c\nD=plain v # c\n", ".env")
    assert [e.key for e in pf.entries] == ["A", "B", "C", "D"]
    assert slow_calls == []


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=600, deadline=None)
@given(text=texts())
def test_fast_path_matches_slow_path(name: str, text: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        fast, exact = _both(name, text, mp)
    assert fast == exact


def test_c_fast_paths_are_built() -> None:
    """``make install`` compiles ``_fastlines.c``; without it large files parse 2-3x slower."""
    scanners = (python_parser._scan_c, node_parser._scan_c, nodeutil_parser._scan_c)
    assert None not in scanners, "envcheck.sources._fastlines is missing: reinstall"


@pytest.mark.parametrize("scanner", ["scan_python", "scan_node", "scan_nodeutil"])
def test_c_scanner_leaves_a_last_line_without_newline(scanner: str) -> None:
    from envcheck.sources import _fastlines

    out: list[Entry] = []
    assert getattr(_fastlines, scanner)("A=1\n# c\nB=2", 0, 1, ".env", Entry, out) == (8, 3)
    assert [(e.key, e.value, e.line) for e in out] == [("A", "1", 1)]
    with pytest.raises(ValueError, match="outside"):
        getattr(_fastlines, scanner)("A=1\n", 9, 1, ".env", Entry, out)


# --- expanders: the faster forms give the same results -------------------------

_THEIR_REF = re.compile(r"(?<!\\)\$\{([^{}]+)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)")


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet="$\\{}ab_1:-+", max_size=16), pos=st.integers(0, 16))
def test_v12_reference_regex_is_dotenv_expands(text: str, pos: int) -> None:
    """``$`` first (a literal scan) finds the same references as dotenv-expand's regex."""
    ours, theirs = (
        node_expand.DOTENV_EXPAND_REF.search(text, pos),
        _THEIR_REF.search(text, pos),
    )
    assert (ours and (ours.span(), ours.groups())) == (theirs and (theirs.span(), theirs.groups()))


@settings(max_examples=2000, deadline=None)
@given(
    value=st.lists(st.sampled_from(["${", "}", ":-", "A", "B", "x", ":", "$"]), max_size=14).map(
        "".join
    ),
    override=st.booleans(),
)
def test_python_expansion_regex_path_matches_linear_scan(value: str, override: bool) -> None:
    """A value with few ``${`` is expanded by ``re.sub``; it must equal the generic scan."""
    environ = {"A": "env", "C": "c"}
    entry = Entry("K", value, ".env", 1, 1)
    got = python_expand.expand_entries(
        [Entry("A", "a", ".env", 1, 1), Entry("B", "", ".env", 1, 1, bare=True), entry],
        environ,
        override=override,
    )[-1]
    resolved: dict[str, str | None] = {"A": "a", "B": None}
    assert got == python_expand._expand(value, resolved, environ, override)
