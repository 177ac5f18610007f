"""Node's built-in ``util.parseEnv`` dialect (the C++ parser of Node 20), with positions.

Why this dialect exists separately from the ``dotenv`` npm package: Vite 8.4.0
does not bundle dotenv's parser any more.  ``loadEnv`` in
``vite/dist/node/chunks/node.js`` imports ``parseEnv`` from ``node:util`` and
calls it on each file, so *how Vite reads a .env file depends on the Node
version running it*.  Node's parser lives in ``src/node_dotenv.cc`` and was
rewritten several times across 20.x, 22.x and 24.x.  This module is pinned to
**Node v20.20.x** and was checked by differential tests against ``node -e``
(``oracles/util-parse-env.cjs``); on another Node major the results can differ
(newer versions, for example, skip a line without ``=`` instead of letting it
swallow the next line into the key).

What Node 20's parser does, and why each point surprises people:

* every ``\\r`` is deleted before parsing (CRLF works, but a lone CR joins the
  two halves of a line), and only spaces are trimmed, never tabs;
* a line is skipped only if it *starts* with ``#`` or is empty.  Otherwise the
  key is everything up to the next ``=`` anywhere in the file: a line without
  ``=`` (or an indented comment, or a line of spaces) becomes part of the next
  key, e.g. ``"FOO\\nBAR"``;
* an empty key (``=value``) stops the parser: the rest of the file is lost;
* ``export `` (with exactly one space) is removed from the key;
* a double-quoted value ends at the next ``"`` anywhere, even lines later (no
  escapes: ``\\"`` ends it), and only ``\\n`` is expanded; single quotes and
  backticks likewise span lines, without expansion; text after the closing
  quote is ignored;
* an unclosed quote takes the rest of its line, quote included; at the end of
  the file it drops the key;
* an unquoted value ends at the first ``#`` wherever it is (``a#b`` -> ``a``);
* the result is a JavaScript object built by assignment, so ``__proto__`` is
  silently dropped; keys come out sorted (a ``std::map``), integer-like keys
  first (JavaScript property order).

The parser never raises: everything surprising becomes a :class:`Problem`.
It walks the text with ``str.find`` over indices (no per-character loop and
no slicing of the remaining text), so it is linear in the file size.
"""

from __future__ import annotations

import re

from envcheck.sources.gcpause import gc_paused
from envcheck.sources.lines import Scanner, read_findall, read_runs
from envcheck.sources.types import BACKTICK, DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

_scan_c: Scanner | None
try:
    from envcheck.sources._fastlines import scan_nodeutil as _scan_c
except ImportError:  # built without a C compiler: the findall fast path reads the same
    _scan_c = None

__all__ = ["parse"]

_QUOTES = (SINGLE, DOUBLE, BACKTICK)
_PLAIN_KEY = re.compile(r"[\w.-]+")
_ASSIGNMENT_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*=", re.M)
# The fast path: every item of ``findall`` is one line, or several for a quoted
# value that spans them.  A line is read here only when the exact reader
# (:class:`_Reader`) would read it the same way wherever it stands: a plain key
# at column 1 (``export `` with one space allowed), spaces around ``=``, then a
# value that is quoted with only spaces and a comment after it (over several
# lines only with no ``=`` and no backslash in it, since a swallowed
# assignment is a problem the reader reports), or unquoted with any ``#``
# after a space; or an empty or ``#`` line.  Anything else is captured whole
# (group 5) for the reader.  A last line without ``\n`` is left to the reader
# too: there a ``#`` line holding ``=`` is a binding.
_FAST = re.compile(
    r"(?:(export )?(?!__proto__ *=)([A-Za-z_][A-Za-z0-9_]*+) *+= *+"
    r"(?:(\"(?:(?:[^\"\n\\]|\\[^\"\n])*+(?<!\\)|[^\"\\=]*+)\""
    r"|'(?:[^'\n]*+|[^'=]*+)'|`(?:[^`\n]*+|[^`=]*+)`) *+(?:#[^\n]*+)?"
    r"|([^\s\"'`#][^\n#]*+|)(?:(?<= )#[^\n]*+)?)\n"
    r"|(?:#[^\n]*+)?\n|([^\n]*+)\n)"
)


class _Positions:
    """Maps offsets in the CR-stripped text to 1-based line:col of the file.

    The parser asks for positions in increasing order, so the line number is
    kept incrementally (counting newlines only over the text just consumed).
    """

    def __init__(self, original: str, stripped: str) -> None:
        self._original = original
        self._s = stripped
        self._line = 1
        self._start = 0  # offset where self._line starts
        self.has_cr = len(original) != len(stripped)
        self._orig_starts: list[int] = []
        if self.has_cr:
            self._orig_starts = [0]
            self._orig_starts.extend(m.end() for m in re.finditer("\n", original))

    def line(self, offset: int) -> int:
        s, start = self._s, self._start
        if offset < start:
            return s.count("\n", 0, offset) + 1
        last = s.rfind("\n", start, offset)
        if last != -1:
            self._line += s.count("\n", start, offset)
            self._start = last + 1
        return self._line

    def at(self, offset: int) -> tuple[int, int]:
        line = self.line(offset)
        if offset < self._start:
            col = offset - self._s.rfind("\n", 0, offset) - 1
        else:
            col = offset - self._start
        if self.has_cr:
            col = self._with_crs(line, col)
        return line, col + 1

    def _with_crs(self, line: int, col: int) -> int:
        """Node deleted the CRs; count this line's back in before ``col``."""
        text, i = self._original, self._orig_starts[line - 1]
        seen = 0
        start = i
        while seen < col or text[i : i + 1] == "\r":
            if text[i] != "\r":
                seen += 1
            i += 1
        return i - start


def _trim_start(s: str, p: int, e: int) -> int:
    while p < e and s[p] == " ":
        p += 1
    return p


@gc_paused
def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` exactly as Node 20's ``util.parseEnv`` does; never raises.

    ``ParsedFile.values()`` equals the object ``util.parseEnv`` returns (as a
    mapping; use :func:`envcheck.sources.jsorder.js_order` for its key order).
    """
    out = ParsedFile(path)
    _line_end_problems(text, path, out.problems)
    s = text.replace("\r", "") if "\r" in text else text
    reader = _Reader(text, s, out)
    if reader.pos.has_cr:  # columns need the deleted CRs counted back: the exact reader
        _read_all(reader)
    else:
        _parse_fast(reader)
    if "__proto__" in s:
        out.entries = [x for x in out.entries if x.key != "__proto__"]
    return out


def _read_all(reader: _Reader) -> None:
    """The whole text through the exact reader, as ``util.parseEnv`` loops."""
    p = _trim_start(reader.s, 0, reader.end)
    while p < reader.end:
        p = reader.step(p)


def _parse_fast(reader: _Reader) -> None:
    """Read the plain lines fast; hand every other line to the reader.

    The C scanner (``_fastlines``) reads runs of plain lines; without it, one
    ``findall`` reads them (:func:`_parse_findall`).  The last line, if it
    has no newline, is always the reader's.
    """
    if _scan_c is None:
        _parse_findall(reader)
    else:
        read_runs(_scan_c, reader.s[: reader.end], reader.out, reader.read_from)


def _parse_findall(reader: _Reader) -> None:
    """The fast path in Python: one ``findall`` reads the plain lines, then the last line."""
    s, e = reader.s, reader.end
    scan = s[:e]
    if not read_findall(
        iter(_FAST.findall(scan)), scan, scan, reader.out, reader.read_from, _unquoted
    ):
        return
    # The last line, if it has no "\n" (or the text is empty).
    p = scan.rfind("\n") + 1
    if p == 0:
        p = _trim_start(s, 0, e)
    while p < e:
        p = reader.step(p)


def _unquoted(plain: str) -> str:
    """util.parseEnv trims only spaces, and only at the end of an unquoted value."""
    return plain.rstrip(" ")


class _Reader:
    """The exact reader: ``util.parseEnv``'s loop, one binding per :meth:`step`."""

    def __init__(self, original: str, s: str, out: ParsedFile) -> None:
        self.s = s
        self.end = len(s.rstrip(" "))
        self.pos = _Positions(original, s)
        self.out = out
        self.path = out.path

    def problem(self, kind: str, message: str, offset: int, key: str | None = None) -> None:
        line, col = self.pos.at(offset)
        # A key that is not a plain name may hold pasted text: leave it out.
        safe = key if key is not None and _PLAIN_KEY.fullmatch(key) else None
        self.out.problems.append(Problem(kind, message, self.path, line, col, safe))

    def read_from(self, p: int, line: int = 0) -> int:
        """Read from line start ``p`` (the first line: after its spaces) to the next line start.

        Returns ``self.end`` or more once the text is done.  ``line``, the
        line number of ``p``, is what the fast paths' step functions are
        given; positions here are counted from the text instead.
        """
        s, e = self.s, self.end
        if p == 0:
            p = _trim_start(s, 0, e)
        while p < e:
            p = self.step(p)
            if s[p - 1] == "\n":
                break
        return p

    def step(self, p: int) -> int:
        """Read one binding (or skip one line) from ``p``; return where the next read starts.

        Returns ``self.end`` or more where ``util.parseEnv`` stops reading.
        """
        s, e, pos, path = self.s, self.end, self.pos, self.path
        entries, problems, problem = self.out.entries, self.out.problems, self.problem
        find = s.find
        c = s[p]
        if c == "\n" or c == "#":
            nl = find("\n", p, e)
            if nl != -1:
                return nl + 1
        eq = find("=", p, e)
        if eq == -1:
            _drop_rest(s, p, e, pos, path, problems, "has no '='; util.parseEnv ignores it")
            return e
        segment = s[p:eq]
        key = segment.strip(" ")
        k0 = p + len(segment) - len(segment.lstrip(" "))
        p = eq + 1
        if p < e and s[p] == " ":
            p = _trim_start(s, p, e)
        if not key:
            if segment:
                # Only spaces: trim_spaces() calls remove_prefix(npos), which in
                # practice steps one character back, so the key is the newline.
                key, k0 = "\n", k0 - len(segment)
                problem("invalid-key", "key of only spaces: Node 20 reads it as a newline", k0)
            else:
                problem("dropped-line", "empty key: util.parseEnv stops here", eq)
                nl = find("\n", eq, e)
                if nl != -1:
                    _drop_rest(s, nl + 1, e, pos, path, problems, "comes after an empty key")
                return e
        export = key.startswith("export ")
        if export:
            key = key[7:]
            k0 += 7
        if not (key.isidentifier() and key.isascii()) and s[k0] != "\n":
            _key_problems(key, k0, pos, path, problems)
        line, col = pos.at(k0)
        if key == "__proto__":
            # Node assigns it on a plain object: the prototype setter eats it.
            problem("invalid-key", "key __proto__ is dropped by util.parseEnv", k0)
        if p >= e:
            entries.append(Entry(key, "", path, line, col, UNQUOTED, line, export))
            return e
        c = s[p]
        if c == DOUBLE or c == SINGLE or c == BACKTICK:
            close = find(c, p + 1, e)
            if close == -1:
                nl = find("\n", p, e)
                if nl == -1:
                    # Node stores nothing and parses again from the quote as a new key.
                    problem(
                        "unterminated-quote", f"unclosed {c}: key dropped at end of file", p, key
                    )
                    return p
                problem(
                    "unterminated-quote", f"unclosed {c}: value is the rest of the line", p, key
                )
                entries.append(Entry(key, s[p:nl], path, line, col, UNQUOTED, line, export))
                return nl + 1
            value = s[p + 1 : close]
            if c == DOUBLE:
                if "\\n" in value:
                    value = value.replace("\\n", "\n")
                if s[close - 1] == "\\":
                    problem(
                        "escaped-quote", 'value ends at \\" (util.parseEnv has no escapes)', close
                    )
            end_line = line
            if find("\n", p + 1, close) != -1:
                if _ASSIGNMENT_LINE.search(s, p + 1, close):
                    problem("quote-spans-assignments", f"{c}-quoted value swallows lines", p, key)
                end_line = pos.line(close)
            entries.append(Entry(key, value, path, line, col, c, end_line, export))
            nl = find("\n", close + 1, e)
            stop = e if nl == -1 else nl
            if close + 1 < stop:
                rest = _trim_start(s, close + 1, stop)
                if rest < stop and s[rest] != "#":
                    problem(
                        "ignored-trailing", "text after the closing quote is ignored", rest, key
                    )
            return e if nl == -1 else nl + 1
        nl = find("\n", p, e)
        stop = e if nl == -1 else nl
        hash_at = find("#", p, stop)
        if hash_at != -1:
            if hash_at > p and s[hash_at - 1] not in " \t":
                problem("hash-truncates-value", "unquoted value ends at '#'", hash_at, key)
            stop = hash_at
        value = s[p:stop].rstrip(" ")
        entries.append(Entry(key, value, path, line, col, UNQUOTED, line, export))
        return e if nl == -1 else nl + 1


def _line_end_problems(text: str, path: str, problems: list[Problem]) -> None:
    """CRLF once per file; each lone CR, which Node deletes (joining the line)."""
    if "\r" not in text:
        return
    crlf = text.find("\r\n")
    if crlf != -1:
        line = text.count("\n", 0, crlf) + 1
        col = crlf - text.rfind("\n", 0, crlf)
        problems.append(
            Problem("crlf", "CRLF line endings (util.parseEnv deletes every CR)", path, line, col)
        )
    # Lines counted and the last newline found on from the previous CR: a count
    # or an rfind from 0 is quadratic (a file of lone CRs has no newline at all).
    line, counted, newline = 1, 0, -1
    for m in re.finditer(r"\r(?!\n)", text):
        at = m.start()
        line += text.count("\n", counted, at)
        found = text.rfind("\n", counted, at)
        newline = found if found != -1 else newline
        counted = at
        col = at - newline
        problems.append(
            Problem(
                "lone-cr", "lone CR: util.parseEnv deletes it, joining the text", path, line, col
            )
        )


def _key_problems(key: str, k0: int, pos: _Positions, path: str, problems: list[Problem]) -> None:
    if _PLAIN_KEY.fullmatch(key):
        return
    if "\n" in key:
        # The key text may hold a value pasted on its own line: never echo it.
        line, col = pos.at(k0)
        last = pos.line(k0 + len(key))
        problems.append(
            Problem(
                "swallowed-line",
                f"line without '=' becomes part of the key on line {last}",
                path,
                line,
                col,
            )
        )
        return
    line, col = pos.at(k0)
    problems.append(
        Problem("invalid-key", "key has characters outside [A-Za-z0-9_.-]", path, line, col)
    )


def _drop_rest(
    s: str, p: int, e: int, pos: _Positions, path: str, problems: list[Problem], why: str
) -> None:
    """Report each non-blank, non-comment line in ``s[p:e]`` as dropped."""
    while p < e:
        nl = s.find("\n", p, e)
        stop = e if nl == -1 else nl
        q = _trim_start(s, p, stop)
        if q < stop and s[q] != "#":
            line, col = pos.at(q)
            problems.append(Problem("dropped-line", f"line {why}", path, line, col))
        p = stop + 1
