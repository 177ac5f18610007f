"""Deno's env-file dialect (``deno run --env-file``): its parser and its ``$VAR`` substitution.

Read from denoland/deno's ``libs/dotenv/lib.rs`` (crate ``deno_dotenv``
0.26, Deno 2.9) and checked against the real ``deno`` 2.9.6 binary (npm
package ``deno`` / ``@deno/linux-x64-glibc``, ``tests/sources/test_deno_loader.py``).
The parser is a port of Node 22's ``node_dotenv.cc`` (see
:mod:`envcheck.sources.readers.nodeutil22`) with two changes:

* **the closing quote is guessed**: if text other than blanks or a ``#``
  comment follows the first matching quote on its line, Deno looks from the
  end of that line backwards for a quote followed by a ``#`` comment, else
  the last quote followed only by blanks (``A="say "hi""`` is ``say "hi"``,
  where Node stops at ``say ``);
* **values are substituted** (:func:`substitute`): unquoted and
  double-quoted values, not single-quoted, backtick or unclosed ones.
  ``${NAME}`` (any text up to ``}``; an unclosed ``${`` takes the rest) and
  ``$NAME`` (ASCII letters, digits, ``_``; a ``$`` followed by none is
  dropped) become the process environment's value, else the value this file
  gave NAME on an earlier line, else nothing.  ``\\$`` is a literal ``$``.
  There are no defaults (``${A:-x}`` looks up the name ``A:-x``) and no
  recursion.

The reader keeps every binding in file order (duplicates too: Deno's loader
keeps the *first*, unlike Node).  Substitution needs the environment at load
time, so it runs in the loader (:mod:`envcheck.sources.loaders.deno`).
"""

from __future__ import annotations

from collections.abc import Callable

from envcheck.sources.readers.nodeutil22 import Lines, after_line, skip_blanks, trim_blanks
from envcheck.sources.types import BACKTICK, DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse", "substitutes", "substitute", "MAX_VALUE"]

_QUOTES = (DOUBLE, SINGLE, BACKTICK)
MAX_VALUE = 1 << 20  # characters a substituted value may reach before envcheck stops


def _closing_quote(s: str, quote: str, start: int, e: int) -> int:
    """``find_closing_quote``: the quote that ends the value opened at ``start``; -1 if none.

    Walks back with ``rfind`` and looks only at the blanks after each
    candidate (no slices), so a long line of quotes stays linear.
    """
    first = s.find(quote, start + 1, e)
    if first == -1:
        return -1
    line_end = s.find("\n", first + 1, e)
    if line_end == -1:
        line_end = e
    after = skip_blanks(s, first + 1, line_end)
    if after == line_end or s[after] == "#":
        return first
    best = -1
    i = s.rfind(quote, first + 1, line_end)
    while i != -1:
        after = skip_blanks(s, i + 1, line_end)
        if after < line_end and s[after] == "#":
            return i
        if after == line_end and best == -1:
            best = i
        i = s.rfind(quote, first + 1, i)
    return first if best == -1 else best


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as ``deno_dotenv`` does (before substitution); never raises."""
    out = ParsedFile(path)
    s = text.replace("\r", "") if "\r" in text else text
    if len(s) != len(text):
        line = text.count("\n", 0, text.index("\r")) + 1
        out.problems.append(Problem("crlf", "carriage returns (Deno deletes every CR)", path, line))
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
        if key and not (key.isidentifier() and key.isascii()):
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
            if s[skip_blanks(s, p, e)] != "#":
                problem("dropped-line", "line has no '='; Deno skips it", p)
            if nl == -1:
                break
            p = skip_blanks(s, nl + 1, e)
            continue
        k0, k1 = skip_blanks(s, p, eq), trim_blanks(s, p, eq)
        key = s[k0:k1]
        p = eq + 1
        if p >= e or s[p] == "\n":
            if not key:
                problem("invalid-key", "empty key: Deno panics setting it", k0)
            add(key, "", k0, UNQUOTED, k0, False)
            continue
        v = skip_blanks(s, p, e)
        if s.find("\n", p, v) != -1:
            problem(
                "swallowed-line",
                "empty value followed by a blank: Deno reads the next line as the value",
                k0,
                key,
            )
        p = v
        if not key:
            problem("dropped-line", "empty key: Deno skips the value", k0)
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
            close = _closing_quote(s, c, p, e) if last[c] > p else -1
            if close != -1:
                value = s[p + 1 : close]
                if c == DOUBLE and "\\n" in value:
                    value = value.replace("\\n", "\n")
                add(key, value, k0, c, close, export)
                if s.find("\n", p + 1, close) != -1 and "=" in s[p + 1 : close]:
                    problem("quote-spans-assignments", f"{c}-quoted value spans lines", p, key)
                nxt = after_line(s, close + 1, e)
                rest = s[close + 1 : nxt].strip(" \t\n")
                if rest and not rest.startswith("#"):
                    problem("ignored-trailing", "text after the closing quote is ignored", p, key)
                p = nxt
                continue
            nl = s.find("\n", p, e)
            stop = e if nl == -1 else nl
            problem("unterminated-quote", f"unclosed {c}: value is the rest of the line", p, key)
            add(key, s[p:stop], k0, UNQUOTED, p, export)
            if nl == -1:
                break
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


def substitutes(entry: Entry) -> bool:
    """Whether Deno substitutes ``$`` in this entry's value (unquoted or double-quoted).

    An unclosed quote is read raw, quote included, as :data:`UNQUOTED`; it is
    the only unquoted value that starts with a quote character.
    """
    if entry.quote == DOUBLE:
        return True
    return entry.quote == UNQUOTED and entry.value[:1] not in _QUOTES


def _is_name_char(c: str) -> bool:
    return c == "_" or (c.isascii() and c.isalnum())


def substitute(value: str, lookup: Callable[[str], str | None]) -> tuple[str, bool]:
    """``apply_value_substitution``: the value with ``$NAME``/``${NAME}`` replaced.

    ``lookup(name)`` is the process environment, then this file's earlier
    values.  Returns the value and whether :data:`MAX_VALUE` stopped it (a
    chain of ``$A$A`` lines doubles at each line; envcheck stops at 1 MiB).
    """
    if "$" not in value:
        return value, False
    out: list[str] = []
    size, i, n = 0, 0, len(value)
    while i < n:
        at = value.find("$", i)
        if at == -1:
            out.append(value[i:])
            size += n - i
            break
        if at > i and value[at - 1] == "\\":
            out.append(value[i : at - 1])
            out.append("$")
            size += at - i
            i = at + 1
            continue
        out.append(value[i:at])
        size += at - i
        if at + 1 < n and value[at + 1] == "{":
            end = value.find("}", at + 2)
            if end == -1:
                end = n
            name = value[at + 2 : end]
            i = end + 1 if end < n else end
        else:
            end = at + 1
            while end < n and _is_name_char(value[end]):
                end += 1
            name = value[at + 1 : end]
            i = end
        found = lookup(name) if name else None
        if found:
            out.append(found)
            size += len(found)
        if size > MAX_VALUE:
            return "".join(out)[:MAX_VALUE], True
    return "".join(out), False
