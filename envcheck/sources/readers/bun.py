"""Bun's own ``.env`` parser (the ``bun`` dialect), with positions.

Bun does not use the ``dotenv`` package: it parses env files natively, in
Zig (``src/env_loader.zig``, ``Parser``), before any JavaScript runs.  This
module follows that parser as **Bun 1.4.5** behaves (checked by differential
tests against the real ``bun`` binary, ``tests/sources/test_bun_loader.py``; where
the published source and 1.4.5 differ, 1.4.5 wins -- it no longer hunts for
a later closing quote, for instance).  What it does, and why each point
surprises people who know dotenv:

* a leading UTF-8 BOM is skipped (one only: a second one drops line 1);
* whitespace is space, tab, vertical tab, form feed, CR and LF, and it is
  skipped *across lines* between the parts of a binding: ``KEY`` on one line
  and ``=value`` on the next is ``KEY=value``, and ``KEY=`` followed by a
  quoted value on the next line takes that value;
* a key is ``[A-Za-z0-9_.-]+`` (leading digits, dots and dashes allowed);
  the separator is ``=``, or ``:`` followed by whitespace (``KEY: v``);
  ``export`` plus whitespace before a key is ignored, while ``export = 1``
  sets a key named ``export``.  Any other line is skipped up to the next
  CR or LF (a lone CR ends a line too);
* a value starting with ``"``, ``'`` or a backtick (after whitespace, which
  may again be newlines) runs to the next matching quote not preceded by a
  backslash, across lines; the rest of the closing line is ignored
  (``A="x" B=2`` sets only ``A``).  CRLF and lone CR inside become LF.  In
  double quotes ``\\n`` and ``\\r`` are newline and CR, and every other
  backslash pair is kept *as written* (``\\"`` stays ``\\"``, ``\\t`` stays
  ``\\t``); in single quotes and backticks backslashes are kept too, though
  they still stop the next character from closing the value;
* with no closing quote anywhere the value is read unquoted: the rest of the
  line, quote included;
* an unquoted value ends at the first ``#`` (``a#b`` is ``a``), CR or LF and
  is trimmed; there are no escapes;
* a key defined twice in one file keeps the last value.

Expansion (``$VAR``, ``${VAR}``, ``${VAR:-default}``) is applied to every
value whatever its quotes, single quotes included, by the loader
(:mod:`envcheck.sources.readers.bun_expand`): ``Entry.value`` is before it.
The parser never raises: everything surprising becomes a :class:`Problem`.
"""

from __future__ import annotations

import bisect
import re

from envcheck.sources.gcpause import gc_paused
from envcheck.sources.types import BACKTICK, DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse", "WHITESPACE"]

BOM = "\ufeff"
WHITESPACE = " \t\x0b\x0c\r\n"
_WS = re.compile(r"[ \t\x0b\x0c\r\n]*")
_KEY = re.compile(r"[A-Za-z0-9_.-]*")
_LINE_END = re.compile(r"[\r\n]")
_UNQUOTED_END = re.compile(r"[#\r\n]")
_DOUBLE_ESCAPES = re.compile(r"\\(.)|\r\n?", re.S)
_CR = re.compile(r"\r\n?")
_ASSIGNMENT_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?[A-Za-z0-9_.-]+[ \t]*(?:=|:[ \t])", re.M)
_QUOTES = (DOUBLE, SINGLE, BACKTICK)


def _double(m: re.Match[str]) -> str:
    ch = m.group(1)
    if ch is None:
        return "\n"  # CRLF or a lone CR
    if ch == "n":
        return "\n"
    if ch == "r":
        return "\r"
    return "\\" + ch


def unescape(inner: str, quote: str) -> str:
    """The text between the quotes as Bun stores it."""
    if quote == DOUBLE:
        if "\\" in inner or "\r" in inner:
            return _DOUBLE_ESCAPES.sub(_double, inner)
        return inner
    return _CR.sub("\n", inner) if "\r" in inner else inner


class _Reader:
    """One pass over the text, binding by binding, as Bun's ``_parse`` loops."""

    def __init__(self, text: str, out: ParsedFile) -> None:
        self.s = text
        self.n = len(text)
        self.out = out
        self.path = out.path
        self._newlines = [m.start() for m in re.finditer("\n", text)] if "\n" in text else []

    def at(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` (lines counted by LF)."""
        i = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[i - 1] + 1 if i else 0
        return i + 1, offset - start + 1

    def line_of(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def problem(self, kind: str, message: str, offset: int, key: str | None = None) -> None:
        line, col = self.at(offset)
        self.out.problems.append(Problem(kind, message, self.path, line, col, key))

    def skip_ws(self, p: int) -> int:
        m = _WS.match(self.s, p)
        return m.end() if m else p

    def key_at(self, p: int, check_export: bool) -> tuple[str, int, int, str, bool] | None:
        """``parseKey``: (key, key offset, offset after the separator, separator, export)."""
        s, n = self.s, self.n
        if check_export:
            p = self.skip_ws(p)
        m = _KEY.match(s, p)
        end = m.end() if m else p
        if end < n and p < end:
            q = self.skip_ws(end)
            if q < n:
                if check_export and end < q and s[p:end] == "export":
                    inner = self.key_at(q, False)
                    if inner is not None:
                        return inner[0], inner[1], inner[2], inner[3], True
                c = s[q]
                if c == "=":
                    return s[p:end], p, q + 1, "=", False
                if c == ":" and q + 1 < n and s[q + 1] in WHITESPACE:
                    return s[p:end], p, q + 2, ":", False
        return None

    def skip_line(self, p: int) -> int:
        m = _LINE_END.search(self.s, p)
        return m.end() if m else self.n

    def run(self, p: int) -> None:
        s, n = self.s, self.n
        while p < n:
            found = self.key_at(p, True)
            if found is None:
                q = self.skip_ws(p)
                p = self.skip_line(q)
                if q < n and s[q] != "#":
                    self.problem("dropped-line", "not a KEY=value line: Bun skips it", q)
                continue
            p = self.binding(*found)

    def binding(self, key: str, k0: int, p: int, separator: str, export: bool) -> int:
        """Read the value after the separator at ``p``; return where reading goes on."""
        s, n = self.s, self.n
        line, col = self.at(k0)
        if "\n" in s[k0:p] or "\r" in s[k0:p]:
            self.problem(
                "swallowed-line",
                f"the {separator!r} after {key} is on a later line: Bun joins the lines",
                k0,
                key,
            )
        q = self.skip_ws(p)
        if q >= n:
            self.out.entries.append(
                Entry(key, "", self.path, line, col, UNQUOTED, line, export, separator)
            )
            return n
        c = s[q]
        if c in _QUOTES:
            close = self.closing(q + 1, c)
            if close != -1:
                return self.quoted(key, line, col, p, q, close, c, separator, export)
            self.problem(
                "unterminated-quote",
                f"unclosed {c}: Bun reads the rest of the line, quote included, as the value",
                q,
                key,
            )
        m = _UNQUOTED_END.search(s, p)
        end = m.start() if m else n
        raw = s[p:end]
        value = raw.strip(WHITESPACE)
        if m is not None and s[end] == "#" and value and raw.endswith(value):
            self.problem("hash-truncates-value", "unquoted value ends at '#'", end, key)
        self.out.entries.append(
            Entry(key, value, self.path, line, col, UNQUOTED, line, export, separator)
        )
        return end

    def closing(self, p: int, quote: str) -> int:
        """The next ``quote`` from ``p`` that no backslash escapes, or -1."""
        s = self.s
        close = s.find(quote, p)
        while close != -1:
            slash = s.find("\\", p, close)
            if slash == -1:
                return close
            p = slash + 2
            if p > close:  # the backslash escaped this quote: look for the next one
                close = s.find(quote, p)
        return -1

    def quoted(
        self,
        key: str,
        line: int,
        col: int,
        p: int,
        q: int,
        close: int,
        quote: str,
        separator: str,
        export: bool,
    ) -> int:
        s = self.s
        if _LINE_END.search(s, p, q):
            self.problem(
                "swallowed-line",
                f"{key} has no value on its line: Bun takes the quoted text on a later line",
                q,
                key,
            )
        inner = s[q + 1 : close]
        if "\\" + quote in inner:
            self.problem(
                "escaped-quote",
                f"\\{quote} does not end the value, and Bun keeps the backslash in it",
                q,
                key,
            )
        end_line = line
        if _LINE_END.search(inner):
            end_line = self.line_of(close)
            if _ASSIGNMENT_LINE.search(inner):
                self.problem(
                    "quote-spans-assignments", f"{quote}-quoted value swallows lines", q, key
                )
        value = unescape(inner, quote)
        self.out.entries.append(
            Entry(key, value, self.path, line, col, quote, end_line, export, separator)
        )
        m = _LINE_END.search(s, close + 1)
        stop = m.start() if m else self.n
        rest = self.skip_ws(close + 1)
        if rest < stop and s[rest] != "#":
            self.problem(
                "ignored-trailing", "text after the closing quote is ignored by Bun", rest, key
            )
        return m.end() if m else self.n


def _line_end_problems(text: str, path: str, problems: list[Problem]) -> None:
    """CRLF once per file; each lone CR, which Bun reads as a line break."""
    crlf = text.find("\r\n")
    if crlf != -1:
        line = text.count("\n", 0, crlf) + 1
        problems.append(
            Problem(
                "crlf",
                "CRLF line endings (Bun reads them, other tools keep the CR)",
                path,
                line,
                crlf - text.rfind("\n", 0, crlf),
            )
        )
    line, counted = 1, 0  # counted on from the previous CR: a count from 0 is quadratic
    for m in re.finditer(r"\r(?!\n)", text):
        at = m.start()
        line += text.count("\n", counted, at)
        counted = at
        problems.append(
            Problem(
                "lone-cr",
                "lone CR: Bun reads it as a line break, most editors and tools do not",
                path,
                line,
                at - text.rfind("\n", 0, at),
            )
        )


@gc_paused
def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as Bun 1.4.5 parses one env file, before expansion; never raises.

    ``ParsedFile.values()`` is what the file defines (last value of each key).
    """
    out = ParsedFile(path)
    if "\r" in text:
        _line_end_problems(text, path, out.problems)
    _Reader(text, out).run(1 if text.startswith(BOM) else 0)
    return out
