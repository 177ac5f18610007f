"""The python-dotenv dialect: what ``dotenv.parser.parse_stream`` yields, with positions.

python-dotenv (1.2.x) reads a binding as a fixed sequence of regexes, each
anchored where the previous one stopped: whitespace, optional ``export``, a key
(``'quoted'`` or bare), optional ``=`` and a value (single-, double- or
unquoted), an optional comment and the end of the line.  Any step that fails
makes the whole binding an error: python-dotenv logs a warning, drops it and
resumes *at the failing character's* line end.

We run the same grammar as one compiled regex per binding whose pieces are
atomic groups, so the engine can never backtrack into an earlier piece: it
matches exactly when python-dotenv's step-by-step reader succeeds.  Only when
it fails do we replay the steps one by one (:func:`_diagnose`) to find where
and why.  Most lines are plainer still (``KEY=value``, a quoted value, a
comment): a fast path reads those (:func:`_parse_fast`: the C scanner of
``_fastlines``, else one ``findall``), and only the other lines go through the
grammar regex, with the same result two to five times as fast.

Two things happen before python-dotenv's parser sees the text, and we mirror
both: files are opened in universal-newline mode (``\\r\\n`` and a lone ``\\r``
become ``\\n``), and ``Reader`` strips one leading BOM.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable

from envcheck.sources.lines import Scanner, read_findall, read_runs
from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

_scan_c: Scanner | None
try:
    from envcheck.sources._fastlines import scan_python as _scan_c
except ImportError:  # built without a C compiler: the findall fast path reads the same
    _scan_c = None

__all__ = ["parse"]

BOM = "\ufeff"

# The pieces, copied from dotenv/parser.py so a python-dotenv upgrade that changes
# them shows up as a failing differential test, not a silent import change.
_WS = r"[^\S\r\n]"
_KEY = r"(?>(?=\#)|'(?P<qkey>[^']+)'|(?!')(?P<key>[^=\#\s]+))"
_VALUE = (
    r"(?>"
    rf"(?<={_WS})(?=\#)"  # "KEY= # comment": whitespace after "=" then "#" is an empty value
    # python-dotenv's (?:\\.|[^'\\])* unrolled: the same matches, without one
    # alternation per character (a 4-line certificate took 9 us to match).
    r"|'(?P<sq>[^'\\]*(?:\\.[^'\\]*)*)'"
    r'|"(?P<dq>[^"\\]*(?:\\.[^"\\]*)*)"'
    r"|(?!['\"])(?P<uq>[^\r\n]*)"
    r")"
)
_BINDING = re.compile(
    rf"(?>\s*)"
    rf"(?>(?P<export>export{_WS}+)?)"
    rf"(?P<keystart>){_KEY}"
    rf"(?P<pre>(?>{_WS}*))(?>(?P<eq>={_WS}*+){_VALUE}|(?!=))"
    rf"(?>(?:{_WS}*\#[^\r\n]*)?)"
    rf"(?>{_WS}*(?:\n|$))",
    re.DOTALL,
)
# Same expression, split back into python-dotenv's steps, for the slow path.
_MULTILINE_WS = re.compile(r"\s*")
_EXPORT = re.compile(rf"(?:export{_WS}+)?")
_SINGLE_QUOTED_KEY = re.compile(r"'([^']+)'")
_UNQUOTED_KEY = re.compile(r"([^=\#\s]+)")
_WHITESPACE = re.compile(rf"{_WS}*")
_EQUAL_SIGN = re.compile(rf"(={_WS}*)")
_SINGLE_QUOTED_VALUE = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE_QUOTED_VALUE = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED_VALUE = re.compile(r"([^\r\n]*)")
_COMMENT = re.compile(rf"(?:{_WS}*#[^\r\n]*)?")
_END_OF_LINE = re.compile(rf"{_WS}*(?:\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*(?:\r|\n|\r\n)?")

_SQ = _BINDING.groupindex["sq"]
_DQ = _BINDING.groupindex["dq"]
_INLINE_COMMENT = re.compile(r"\s+#.*")
_DOUBLE_QUOTE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_SINGLE_QUOTE_ESCAPES = re.compile(r"\\[\\']")
_ESCAPES = {
    "\\\\": "\\",
    "\\'": "'",
    '\\"': '"',
    "\\a": "\a",
    "\\b": "\b",
    "\\f": "\f",
    "\\n": "\n",
    "\\r": "\r",
    "\\t": "\t",
    "\\v": "\v",
}
_NEWLINES = re.compile(r"\r\n?")
# The fast path: every item of ``findall`` is one line, or several for a quoted
# value that spans them.  A line is read here only when its meaning is plain: a
# key of ``[A-Za-z0-9_.-]`` at column 1 (optionally after ``export ``), ``=``
# with no space around it, and a value that is unquoted (not starting with a
# quote, space or ``#``; one line) or quoted with no backslash and only a
# comment after it; or a blank or comment line.  Any other line is captured
# whole (group 4) and read by the exact slow path.
# Quantifiers are possessive (nothing here needs backtracking), and the
# unquoted value, the most common, is tried first.
_FAST = re.compile(
    r"(?:(export[ \t]++)?([A-Za-z0-9_.-]++)="
    r"""(?:("[^"\\]*+"|'[^'\\]*+')[ \t]*+(?:\#[^\n]*+)?|([^\s'"\#][^\n]*+|))"""
    r"|[ \t]*+(?:\#[^\n]*+)?|([^\n]*+))\n"
)


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group(0)]


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` exactly as python-dotenv does; never raises.

    Bare keys (no ``=``) become entries with ``bare=True`` and value ``""``:
    python-dotenv yields ``None`` for them, which ``dotenv_values`` keeps and
    ``load_dotenv`` skips.  Lines python-dotenv drops become problems.

    The cyclic garbage collector is paused while entries are built: they hold
    no cycles, and on a 100k-line file its repeated full scans of the growing
    list cost more than the parsing itself.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, path)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, path: str) -> ParsedFile:
    out = ParsedFile(path)
    if text.startswith(BOM):
        text = text[1:]
        out.problems.append(
            Problem(
                "bom",
                "file starts with a byte-order mark; python-dotenv 1.2 strips it, "
                "older versions make it part of the first key",
                path,
            )
        )
    if "\r" in text:
        _newline_problems(text, path, out.problems)
        text = _NEWLINES.sub("\n", text)
    _parse_fast(text, out)
    return out


def _parse_fast(text: str, out: ParsedFile) -> None:
    """Read the plain lines fast; hand every other line to :func:`_parse_slow`.

    A plain line starts a binding and ends it, so it reads the same here as
    in python-dotenv.  The C scanner (``_fastlines``, built at install) reads
    runs of plain lines and stops at any other; without it, one ``findall``
    reads them (:func:`_parse_findall`).
    """
    path = out.path

    def step(at: int, at_line: int) -> int:
        return _parse_slow(text, path, out, at, at_line, once=True)

    if _scan_c is None:
        _parse_findall(text, out, step)
    else:
        read_runs(_scan_c, text, out, step)


def _parse_findall(text: str, out: ParsedFile, step: Callable[[int, int], int]) -> None:
    """The fast path in Python: one ``findall`` reads the plain lines."""
    scan = text if text.endswith("\n") else text + "\n"
    read_findall(iter(_FAST.findall(scan)), scan, text, out, step, _unquoted)


def _unquoted(value: str) -> str:
    """python-dotenv's ``parse_unquoted_value``: cut " #comment", strip."""
    if "#" in value:
        value = _INLINE_COMMENT.sub("", value)
    return value.rstrip()


def _parse_slow(
    text: str, path: str, out: ParsedFile, pos: int = 0, line: int = 1, *, once: bool = False
) -> int:
    """The exact reader: one grammar regex per binding from ``pos`` (line ``line``).

    With ``once`` it stops after one binding (or one failed one) and returns
    where python-dotenv resumes, which is always the start of a line.
    """
    end, counted = len(text), pos  # line number of offset ``counted``
    # Offset of the line holding ``counted``, kept up to date the same way: an
    # rfind from 0 for each binding is quadratic where bindings share one
    # "\n" line (python-dotenv also ends a line at a lone CR).
    line_start = text.rfind("\n", 0, pos) + 1
    match = _BINDING.match
    append = out.entries.append
    count = text.count
    while pos < end:
        m = match(text, pos)
        if m is None:
            line += count("\n", counted, pos)
            line_start = max(line_start, text.rfind("\n", counted, pos) + 1)
            counted = pos
            pos = _recover(text, pos, line, out)
            if once:
                return pos
            continue
        pos = m.end()
        export, _, qkey, key, pre, eq, sq, dq, uq = m.groups()
        if key is None:
            if qkey is None:  # comment line, or whitespace up to the end of the text
                continue
            key = qkey
        start = m.start(2)
        line += count("\n", counted, start)
        line_start = max(line_start, text.rfind("\n", counted, start) + 1)
        counted = start
        col = start - line_start + 1
        if uq is not None:
            if "#" in uq:  # python-dotenv's parse_unquoted_value: cut " #comment", strip
                uq = _INLINE_COMMENT.sub("", uq)
            value, quote, end_line = uq.rstrip(), UNQUOTED, line
            if qkey is not None:
                end_line += qkey.count("\n")
        elif dq is not None:
            value, quote = dq, DOUBLE
            if "\\" in dq:
                value = _DOUBLE_QUOTE_ESCAPES.sub(_unescape, dq)
            end_line = line + count("\n", start, m.end(_DQ))
        elif sq is not None:
            value, quote = sq, SINGLE
            if "\\" in sq:
                value = _SINGLE_QUOTE_ESCAPES.sub(_unescape, sq)
            end_line = line + count("\n", start, m.end(_SQ))
        else:  # bare key, or "KEY= # comment"
            value, quote, end_line = "", UNQUOTED, line
            if qkey is not None:
                end_line += qkey.count("\n")
        append(
            Entry(
                key,
                value,
                path,
                line,
                col,
                quote,
                end_line,
                export is not None,
                "" if eq is None else pre + eq,
                eq is None,
            )
        )
        if once:
            return pos
    return pos


def _newline_problems(text: str, path: str, problems: list[Problem]) -> None:
    """Report CRLF and lone CR once each: python-dotenv reads both as line breaks."""
    crlf = text.find("\r\n")
    lone = next((m.start() for m in re.finditer(r"\r(?!\n)", text)), -1)
    for kind, offset, message in (
        ("crlf", crlf, "file uses CRLF line endings; python-dotenv reads them as LF"),
        (
            "lone-cr",
            lone,
            "file has a bare CR (\\r, old Mac line ending); python-dotenv reads it as a line break",
        ),
    ):
        if offset >= 0:
            head = _NEWLINES.sub("\n", text[:offset])
            line = head.count("\n") + 1
            col = len(head) - head.rfind("\n")
            problems.append(Problem(kind, message, path, line, col))


def _recover(text: str, pos: int, line: int, out: ParsedFile) -> int:
    """Replay python-dotenv's steps from ``pos``; record why the binding fails.

    Returns where python-dotenv resumes: after the line holding the failing
    character (which may be lines below the key, after a multi-line quote).
    """
    start = _MULTILINE_WS.match(text, pos).end()  # type: ignore[union-attr]
    if start >= len(text):
        return start
    failure = _diagnose(text, start)
    if failure is None:  # cannot happen if the fast regex is right; resume safely
        failure = (start, "dropped-line", "python-dotenv could not parse this line")
    where, kind, reason = failure
    resume = _REST_OF_LINE.match(text, where).end()  # type: ignore[union-attr]
    line += text.count("\n", pos, start)
    col = start - text.rfind("\n", 0, start)
    fail_line = line + text.count("\n", start, where)
    if where != start:
        fail_col = where - (text.rfind("\n", 0, where) + 1) + 1
        reason = f"{reason} (line {fail_line}, column {fail_col})"
    span = f"line {line}" if fail_line == line else f"lines {line}-{fail_line}"
    out.problems.append(Problem(kind, f"{reason}; python-dotenv drops {span}", out.path, line, col))
    return resume


def _diagnose(text: str, pos: int) -> tuple[int, str, str] | None:
    """The offset, problem kind and reason of python-dotenv's failing step."""
    pos = _EXPORT.match(text, pos).end()  # type: ignore[union-attr]
    char = text[pos : pos + 1]
    if char == "'":
        m = _SINGLE_QUOTED_KEY.match(text, pos)
        if m is None:
            return pos, "unterminated-quote", "quoted key has no closing quote"
        pos = m.end()
    elif char != "#":
        m = _UNQUOTED_KEY.match(text, pos)
        if m is None:
            reason = "line starts with '=' (no key)" if char == "=" else "'export' with no key"
            return pos, "dropped-line", reason
        pos = m.end()
    pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith("=", pos):
        eq = _EQUAL_SIGN.match(text, pos).end()  # type: ignore[union-attr]
        char = text[eq : eq + 1]
        if eq - pos > 1 and char == "#":
            pos = eq
        elif char in ("'", '"'):
            regex = _SINGLE_QUOTED_VALUE if char == "'" else _DOUBLE_QUOTED_VALUE
            m = regex.match(text, eq)
            if m is None:
                return eq, "unterminated-quote", f"value opened with {char} has no closing quote"
            pos = m.end()
        else:
            pos = _UNQUOTED_VALUE.match(text, eq).end()  # type: ignore[union-attr]
        after_value = True
    else:
        after_value = False
    pos = _COMMENT.match(text, pos).end()  # type: ignore[union-attr]
    if _END_OF_LINE.match(text, pos) is not None:
        return None
    pos = _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]
    reason = "text after the closing quote" if after_value else "expected '=' after the key"
    return pos, "dropped-line", reason
