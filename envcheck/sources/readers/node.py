"""Node's dotenv dialect: exactly what ``dotenv.parse`` (17.x) returns, with positions.

dotenv does not parse line by line: it runs one multi-line regex (``LINE`` in
``dotenv/lib/main.js``) over the whole text, after turning CRLF and lone CR
into LF.  Its quirks follow from that regex and we keep every one of them,
because the app sees them: ``KEY=`` followed by a quoted line takes that
line as its value, ``#`` starts a comment even without a space before it, an
unterminated quote keeps the quote character in the value, ``KEY:value``
without a space is dropped.  The same parse is bundled in ``@next/env``
(dotenv 16.3.1) and used by dotenv-flow (dotenv 16.6.1): their ``parse``
functions are identical to 17.4.2's, so one parser serves all three.

Plain lines (``KEY=value``, a quoted value, a comment) read the same
wherever they are, so a fast path reads those (:func:`_parse_fast`: the C
scanner of ``_fastlines``, else one ``findall``) and only the other lines run
the LINE regex.

The regex is translated to Python with JavaScript's character classes
(``\\s``, ``\\w``, ``.``, and multi-line ``^``/``$`` that also break at
U+2028/U+2029), since Python's differ on non-ASCII text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from envcheck.sources.gcpause import gc_paused
from envcheck.sources.lines import Scanner, read_findall, read_runs
from envcheck.sources.types import DOUBLE, UNQUOTED, Entry, ParsedFile, Problem

_scan_c: Scanner | None
try:
    from envcheck.sources._fastlines import scan_node as _scan_c
except ImportError:  # built without a C compiler: the findall fast path reads the same
    _scan_c = None

__all__ = ["parse", "JS_WS", "NOT_LT", "dropped_reason", "line_ending_problems"]

# JavaScript's ``\s`` (WhiteSpace + LineTerminator): also exactly what ``String.trim`` strips.
JS_WS = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# JavaScript's ``.``: anything but a line terminator.
NOT_LT = "[^\n\r\u2028\u2029]"


_S = f"[{re.escape(JS_WS)}]"
_QUOTES = "'\"`"

# The exact reader's regexes compile on first use: most files never need
# them (the fast path reads every plain line), and compiling them costs a
# few milliseconds of every cold start.


@cache
def _quote_strip() -> re.Pattern[str]:
    """dotenv's ``/^(['"`])([\\s\\S]*)\\1$/mg``: strips quotes, line-anchored."""
    return re.compile(f"(?<!{NOT_LT})(['\"`])(.*)\\1(?!{NOT_LT})", re.DOTALL)


@cache
def _line() -> re.Pattern[str]:
    """dotenv's LINE regex, groups added for ``export`` and the separator.

    The groups do not change what matches: 1 export, 2 key, 3 separator, 4 value.
    """
    return re.compile(
        rf"(?<!{NOT_LT})"  # ^ (multi-line)
        rf"{_S}*(?:(export){_S}+)?([A-Za-z0-9_.-]+)({_S}*={_S}*?|:{_S}+?)"
        # Each quoted alternative first tries a value with no backslash in one
        # character-class run (fast), then dotenv's own; with no backslash before
        # the first closing quote that is the only place either can close, so the
        # match is the same.
        rf"({_S}*'(?:[^'\\]*'|(?:\\'|[^'])*')"
        rf"|{_S}*\"(?:[^\"\\]*\"|(?:\\\"|[^\"])*\")"
        rf"|{_S}*`(?:[^`\\]*`|(?:\\`|[^`])*`)"
        rf"|[^#\r\n]+)?"
        rf"{_S}*(?:#{NOT_LT}*)?"
        rf"(?!{NOT_LT})"  # $ (multi-line)
    )


@cache
def _assignment() -> re.Pattern[str]:
    """A continuation line inside a quoted value that looks like an assignment."""
    return re.compile(rf"{_S}*(?:export{_S}+)?[A-Za-z0-9_.-]+{_S}*=")


@cache
def _keyish() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A dropped line read as ``KEY SEP AFTER``, and what a key may hold."""
    return re.compile(r"(?:export\s+)?([^=:]*)([=:]?)(.?)"), re.compile(r"[A-Za-z0-9_.-]+")


def dropped_reason(body: str) -> str:
    """Why a Node dotenv parser skips a line, without quoting any of it."""
    keyish, key_ok = _keyish()
    m = keyish.match(body)
    name, sep, after = (m.group(1), m.group(2), m.group(3)) if m else ("", "", "")
    if not sep:
        return "line has no '=' (or ': ')"
    if not key_ok.fullmatch(name.strip(JS_WS)):
        return "text before the separator is not a valid key (letters, digits, '_', '.', '-')"
    if sep == ":" and after not in JS_WS:
        return "'KEY:value' needs a space after the colon"
    return "line does not parse as KEY=value"


_LT = ("\n", "\u2028", "\u2029")


def _value(raw: str) -> tuple[str, str]:
    """The value dotenv stores for the matched value text, and its quote style."""
    value = raw.strip(JS_WS)
    first = value[:1]
    quote = UNQUOTED
    if "\n" in value or "\u2028" in value or "\u2029" in value:
        # Multi-line: dotenv's quote-stripping regex is line-anchored; run it.
        if "'" in value or '"' in value or "`" in value:
            stripped = _quote_strip().sub(_second_group, value)
            if first in _QUOTES and stripped[:1] != first:
                quote = first
            value = stripped
    elif first and first in _QUOTES and len(value) > 1 and value[-1] == first:
        quote = first
        value = value[1:-1]
    if first == DOUBLE:
        value = value.replace("\\n", "\n").replace("\\r", "\r")
    return value, quote


def _second_group(m: re.Match[str]) -> str:
    return m.group(2)


@gc_paused
def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as ``dotenv.parse`` does; never raises.

    Entries come in file order with duplicates kept (the last one wins, as in
    dotenv); lines dotenv ignores, unterminated quotes and unusual line
    endings become problems.  One regex pass plus constant work per entry:
    line numbers are counted incrementally, not looked up.
    """
    out = ParsedFile(path)
    if "\r" in text:
        line_ending_problems(text, path, out.problems)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _parse_fast(text, out)
    return out


# The fast path: every item of ``findall`` is one line, or several for a quoted
# value that spans them.  A line is read here only when dotenv's LINE regex
# reads it alone and plainly: a key at column 1 (optionally after ``export``;
# not ``__proto__``), ``=`` with no space around it, a value that is unquoted
# (not starting with a space, quote or ``#``) or quoted with no backslash, then
# only a comment; no JavaScript line terminator other than ``\n``.  "A space"
# includes U+FEFF: JavaScript's ``\s`` (and so dotenv) counts it as a space
# before a possible quote, Python's ``\s`` does not.  A quoted value over
# several lines must hold no ``=``: dotenv reads it the same way, but a
# continuation line that looks like an assignment is a problem the slow path
# reports.  The lookahead: dotenv's match may run on over blank lines into a
# following ``#`` comment and stop inside it at a U+2028/U+2029, so the rest
# of that line would be read on its own; such a binding goes to the slow path
# too.  Blank and comment lines are items with no key.  Any other line is
# captured whole (group 5) for the slow path.  ``_fastlines.scan_node`` reads
# exactly the same lines.
@cache
def _fast() -> re.Pattern[str]:
    """Only the regex fallback (no C scanner) uses it: compiled on first need."""
    return re.compile(
        rf"(?:(export[ \t]+)?(?!__proto__=)([A-Za-z0-9_.-]+)="
        rf"(?:(\"(?:[^\"\\\n\u2028\u2029]*+|[^\"\\=\u2028\u2029]*+)\""
        rf"|'(?:[^'\\\n\u2028\u2029]*+|[^'\\=\u2028\u2029]*+)'"
        rf"|`(?:[^`\\\n\u2028\u2029]*+|[^`\\=\u2028\u2029]*+)`)[ \t]*"
        rf"|([^\s'\"`#\u2028\u2029\ufeff][^#\n\u2028\u2029]*))(?:#{NOT_LT}*)?\n(?!{_S}*#{NOT_LT}*[\u2028\u2029])"
        rf"|[ \t]*(?:#{NOT_LT}*)?\n|([^\n]+)\n)"
    )


def _parse_fast(text: str, out: ParsedFile) -> None:
    """Read the plain lines fast; hand every other line to :func:`_scan`.

    dotenv's regex reads a plain line the same way whatever surrounds it (the
    lines a match may run over before or after it are blank or comments,
    which yield nothing), so only the slow path's lines need the real regex.
    The C scanner (``_fastlines``) reads runs of plain lines; without it, one
    ``findall`` reads them (:func:`_parse_findall`).
    """

    def step(at: int, at_line: int) -> int:
        return _scan(text, out, at, at_line, once=True)

    if _scan_c is None:
        _parse_findall(text, out, step)
    else:
        read_runs(_scan_c, text, out, step)


def _parse_findall(text: str, out: ParsedFile, step: Callable[[int, int], int]) -> None:
    """The fast path in Python: one ``findall`` reads the plain lines."""
    scan = text if text.endswith("\n") else text + "\n"
    read_findall(iter(_fast().findall(scan)), scan, text, out, step, _unquoted)


def _unquoted(plain: str) -> str:
    """dotenv trims an unquoted value as JavaScript's ``String.trim`` does."""
    return plain.strip(JS_WS)


def _scan(text: str, out: ParsedFile, begin: int = 0, line: int = 1, *, once: bool = False) -> int:
    """dotenv's LINE regex from ``begin``, a line start (line number ``line``).

    With ``once`` it stops after the first match that ends a line and returns
    the start of the next line; otherwise (and when the text runs out) it reads
    to the end and returns the text's length.
    """
    path = out.path
    problems = out.problems
    append = out.entries.append
    bom = 1 if text.startswith("\ufeff") else 0
    count, rfind = text.count, text.rfind
    at = begin  # line number of offset ``at`` is ``line``
    # Start of the line holding ``at``, moved on with it: an rfind from 0 for
    # each key is quadratic where keys share one "\n" line (lone CRs).
    line_start = rfind("\n", 0, begin) + 1
    covered_to = begin  # offset up to which the text has been explained
    for m in _line().finditer(text, begin):
        start = m.start()
        if start > covered_to and (start != covered_to + 1 or text[covered_to] != "\n"):
            first = line + count("\n", at, covered_to)
            _dropped_lines(text, covered_to, start, path, problems, first)
        covered_to = m.end()
        export, key, sep, raw = m.groups()
        kpos = m.start(2)
        line += count("\n", at, kpos)
        line_start = max(line_start, rfind("\n", at, kpos) + 1)
        at = kpos
        col = kpos - line_start + 1 - (bom if line == 1 else 0)
        if raw:
            value, quote = _value(raw)
            multi = "\n" in raw
            end_line = line + count("\n", kpos, m.end(4)) if multi else line
        else:
            value, quote, multi, end_line = "", UNQUOTED, False, line
        if key == "__proto__":
            why = "the key __proto__ cannot be stored in a JavaScript object; dotenv ignores it"
            problems.append(Problem("dropped-line", why, path, line, col, key))
        else:
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
                    ":" if sep[0] == ":" else "=",
                )
            )
            if multi or (not quote and raw and raw.lstrip(JS_WS)[:1] in _QUOTES):
                _value_problems(text, m, raw, quote, key, path, problems, line)
        if once:
            if text.startswith("\n", covered_to):
                return covered_to + 1
            if text[covered_to - 1] == "\n" and covered_to < len(text):
                return covered_to
    if covered_to < len(text):
        first = line + count("\n", at, covered_to)
        _dropped_lines(text, covered_to, len(text), path, problems, first)
    return len(text)


def _pos(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in LF-normalised text (for the rare problems)."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def line_ending_problems(text: str, path: str, problems: list[Problem]) -> None:
    crlf = text.find("\r\n")
    lone = re.search(r"\r(?!\n)", text)
    if crlf >= 0:
        line = text.count("\n", 0, crlf) + 1
        problems.append(
            Problem(
                "crlf",
                "file has Windows (CRLF) line endings; dotenv reads them as LF, "
                "other tools keep the CR in values",
                path,
                line,
                1,
            )
        )
    if lone is not None:
        head = text[: lone.start()]
        line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
        problems.append(
            Problem(
                "lone-cr",
                "file has a bare CR line ending; dotenv treats it as a line break, "
                "many editors and tools do not",
                path,
                line,
                1,
            )
        )


def _dropped_lines(
    text: str, start: int, end: int, path: str, problems: list[Problem], line: int
) -> None:
    """Report the non-blank, non-comment lines in ``text[start:end]`` (dotenv skips them).

    ``line`` is the line number of ``start``, known to the caller: counting it
    here from the top of the text would be quadratic on a binary file, where
    nearly every "line" is dropped.
    """
    chunk = text[start:end]
    if not chunk.strip(JS_WS):
        return
    offset = start
    line_start = text.rfind("\n", 0, start) + 1
    for piece in chunk.split("\n"):
        body = piece.lstrip(JS_WS)
        if body and not body.startswith("#"):
            col = offset + len(piece) - len(body) - line_start + 1
            if line == 1 and text.startswith("\ufeff"):
                col -= 1
            why = dropped_reason(body) + "; dotenv ignores it"
            problems.append(Problem("dropped-line", why, path, line, col))
        offset += len(piece) + 1
        line += 1
        line_start = offset


def _value_problems(
    text: str,
    m: re.Match[str],
    raw: str,
    quote: str,
    key: str,
    path: str,
    problems: list[Problem],
    line: int,
) -> None:
    """Quotes dotenv reads differently from what the author meant (only then called).

    ``line`` is the key's line: positions are counted from there, not from the
    top of the file, because every multi-line value comes here and a file of
    certificates would otherwise make the parse quadratic.
    """
    kpos = m.start(2)

    def pos(offset: int) -> tuple[int, int]:
        return line + text.count("\n", kpos, offset), offset - text.rfind("\n", 0, offset)

    vline, vcol = pos(m.start(4) + len(raw) - len(raw.lstrip(JS_WS)))
    if vline > line:
        why = f"{key} has no value on its own line; dotenv takes line {vline} as its value"
        problems.append(Problem("swallowed-line", why, path, vline, vcol, key))
    trimmed = raw.strip(JS_WS)
    first = trimmed[:1]
    if first and first in _QUOTES and quote == UNQUOTED:
        if first in trimmed[1:]:
            kind = "text-after-quote"
            why = "has text after its closing quote; dotenv keeps the quotes in the value"
        else:
            kind = "unterminated-quote"
            why = "opens a quote that is never closed; dotenv keeps the quote character"
        problems.append(Problem(kind, f"value of {key} {why}", path, vline, vcol, key))
    elif quote != UNQUOTED and "\n" in trimmed:
        offset = m.start(4) + len(raw) - len(raw.lstrip(JS_WS))
        for piece in trimmed.split("\n")[1:]:
            offset = text.index("\n", offset) + 1
            if "=" in piece and _assignment().match(piece):
                pline = pos(offset)[0]
                why = (
                    f"line {pline} looks like an assignment but is inside the quoted value "
                    f"of {key} (a quote is not closed where you think)"
                )
                problems.append(Problem("swallowed-line", why, path, pline, 1, key))
