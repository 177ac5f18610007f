"""docker compose's dotenv dialect: the project ``.env`` and every ``env_file``.

Ported from compose-spec/compose-go ``dotenv/parser.go`` (the parser docker
compose v2 links in), checked by ``tests/sources/test_compose_loader.py`` against
``docker compose config``.  How it differs from the ``dotenv`` npm package:

* ``KEY=value``, ``KEY: value`` (YAML style) and ``export KEY=value``; a key
  is letters, digits (any script) and ``_ . - [ ]``; any other character is
  an error that makes compose refuse the file, as is a space inside the key;
* ``KEY`` alone on its line takes ``KEY`` from the environment (the shell,
  then the service's ``environment:``), and is left out when unset;
* unquoted values end at the line end or at `` #`` (a space then ``#``: a
  ``#`` glued to the value is kept) and are right-trimmed;
* double quotes span lines and understand ``\\n \\t \\" \\\\ \\$`` and octal
  ``\\0NNN``; single quotes span lines and are literal except ``\\'``; an
  unclosed quote is an error;
* unquoted and double-quoted values are **interpolated** like the compose
  file (``${VAR:-x}``, ``$$``; see :mod:`compose_template`), looking a name up
  first in the environment, then in the variables read so far; single-quoted
  values are not.  Text after a closing quote starts the next statement.

``parse`` returns each entry's value *before* interpolation (for a
double-quoted value: after escapes, ``\\$`` kept as ``$$``); :func:`read_values`
interpolates them in file order, as compose does while parsing.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, MutableMapping, Sequence

from envcheck.sources.readers.compose_template import Lookup, TemplateError, substitute
from envcheck.sources.readers.gotext import GO_SPACE, go_trim_right_space
from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse", "read_values", "FATAL_KINDS"]

BOM = "\ufeff"
FATAL_KINDS = frozenset({"invalid-key", "unterminated-quote"})
_EXPORT = re.compile(r"export[\t\n\f\r ]+")  # Go's \s: no \v
_ESCAPES = re.compile(r"\\(?:[abcfnrtv$\"\\]|0\d{0,3})")
_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_SIMPLE.update({'"': '"', "\\": "\\"})
# compose-go's isSpace: a space that is not a line break.
_IS_SPACE = frozenset("\t\v\f\r \x85\xa0")
_KEY_PUNCT = frozenset("_.-[]")


def _is_key_char(ch: str) -> bool:
    return ch in _KEY_PUNCT or unicodedata.category(ch)[0] in "LN"


def _expand_escapes(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "\\$":
            return "$$"  # the interpolation then makes it one literal $
        if text.startswith("\\0"):
            digits = text[2:]
            # strconv.UnquoteChar needs exactly three octal digits, value <= 255
            if len(digits) == 3 and all(c in "01234567" for c in digits):
                code = int(digits, 8)
                return chr(code) if code <= 255 else text
            return text
        return _SIMPLE[text[1]]

    return _ESCAPES.sub(one, value)


class _Positions:
    """Offsets to 1-based (line, col), for problems and entries."""

    def __init__(self, text: str) -> None:
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[index - 1] + 1 if index else 0
        return index + 1, offset - start + 1


def parse(text: str, path: str) -> ParsedFile:
    """Entries as compose-go's parser finds them; it stops at the first error, as compose."""
    src = text[1:] if text.startswith(BOM) else text
    shift = len(text) - len(src)
    where = _Positions(text)
    out = ParsedFile(path)

    def fail(kind: str, message: str, offset: int) -> ParsedFile:
        line, col = where.at(offset + shift)
        out.problems.append(
            Problem(kind, f"{message}: docker compose refuses the file", path, line, col)
        )
        return out

    pos = 0
    while True:
        pos = _statement_start(src, pos)
        if pos < 0:
            return out
        start = pos
        if _EXPORT.match(src, pos):
            pos += len("export")
            while pos < len(src) and src[pos] in _IS_SPACE:
                pos += 1
        key_start = pos
        end = -1
        separator = ""
        for i in range(pos, len(src)):
            ch = src[i]
            if ch in _IS_SPACE:
                continue
            if ch in "=:\n":
                end, separator = i, ch
                break
            if not _is_key_char(ch):
                return fail("invalid-key", f"unexpected character {ch!r} in a variable name", i)
        if key_start >= len(src):
            return fail("invalid-key", "'export' with no variable after it", start)
        if end < 0:  # no '=', ':' or newline up to the end: compose reads key "" = the rest
            key, after = "", key_start
        else:
            key, after = src[key_start:end], end + 1
        key = go_trim_right_space(key)
        while after < len(src) and src[after] in _IS_SPACE:
            after += 1
        if " " in key:
            return fail("invalid-key", "a variable name cannot contain a space", key_start)
        line, col = where.at(key_start + shift)
        if separator == "\n":
            out.entries.append(Entry(key, "", path, line, col, end_line=line, bare=True))
            pos = after
            continue
        value, quote, pos, error = _value(src, after)
        if error is not None:
            return fail("unterminated-quote", error, after)
        end_line, _ = where.at(max(pos - 1, after) + shift)
        out.entries.append(
            Entry(
                key,
                value,
                path,
                line,
                col,
                quote,
                end_line,
                src.startswith("export", start),
                separator or "=",
            )
        )


def _statement_start(src: str, pos: int) -> int:
    """compose-go ``getStatementStart``: the next non-space character not in a comment."""
    while True:
        while pos < len(src) and src[pos] in GO_SPACE:
            pos += 1
        if pos >= len(src):
            return -1
        if src[pos] != "#":
            return pos
        newline = src.find("\n", pos)
        if newline < 0:
            return -1
        pos = newline


def _value(src: str, pos: int) -> tuple[str, str, int, str | None]:
    """(value before interpolation, quote, position after it, error or None)."""
    if pos >= len(src) or src[pos] not in "\"'":
        newline = src.find("\n", pos)
        stop = len(src) if newline < 0 else newline
        value = src[pos:stop]
        cut = value.find(" #")
        if cut >= 0:
            value = value[:cut]
        return go_trim_right_space(value), UNQUOTED, min(stop + 1, len(src)), None
    quote = src[pos]
    chars: list[str] = []
    escaped = False
    i = pos + 1
    while i < len(src):
        ch = src[i]
        if ch != quote:
            if not escaped and ch == "\\":
                escaped = True
            else:
                if escaped:
                    escaped = False
                    chars.append("\\")
                chars.append(ch)
            i += 1
            continue
        if escaped:  # \" or \' : the quote itself
            escaped = False
            chars.append(ch)
            i += 1
            continue
        value = "".join(chars)
        if quote == DOUBLE:
            value = _expand_escapes(value)
        return value, quote, i + 1, None
    return "", quote, len(src), "unterminated quoted value"


def expand(entry: Entry, lookup: Lookup, unset: list[str] | None = None) -> str:
    """One entry's value as compose interpolates it (single quotes: as written)."""
    if entry.quote == SINGLE:
        return entry.value
    return substitute(entry.value, lookup, unset)


def read_values(
    entries: Sequence[Entry],
    lookup: Lookup,
    into: MutableMapping[str, str],
    unset: list[str] | None = None,
) -> list[tuple[Entry, str | None]]:
    """Interpolate ``entries`` in file order into ``into``, as compose-go's parser does.

    ``lookup`` is asked first (the environment), then ``into`` (the variables
    read so far).  A bare ``KEY`` asks ``lookup`` only, and is ``None`` (not
    set) when it is unknown.  Raises :class:`TemplateError` (with
    ``entry`` set) where compose would refuse the file.
    """

    def chained(name: str) -> str | None:
        found = lookup(name)
        return found if found is not None else into.get(name)

    out: list[tuple[Entry, str | None]] = []
    for entry in entries:
        if entry.bare:
            value = lookup(entry.key)
            if value is not None:
                into[entry.key] = value
            out.append((entry, value))
            continue
        try:
            value = expand(entry, chained, unset)
        except TemplateError as err:
            err.entry = entry
            raise
        into[entry.key] = value
        out.append((entry, value))
    return out


def lookup_in(*maps: Callable[[str], str | None]) -> Lookup:
    """The first of ``maps`` that knows a name."""

    def find(name: str) -> str | None:
        for one in maps:
            value = one(name)
            if value is not None:
                return value
        return None

    return find
