"""django-environ's dialect: what ``environ.Env.read_env`` reads from one file, with positions.

Read from django-environ 0.14.0 (``environ/environ.py``, ``Env.read_env``)
and checked against it (``tests/sources/test_django_environ_loader.py``).  The
reader is a line loop over ``content.splitlines()`` of the file opened as
strict UTF-8 in universal-newline mode, far simpler than python-dotenv's:

* a binding is exactly ``KEY=value`` at column 1, optionally after
  ``export`` and one space; the key is ``[A-Za-z_0-9]+`` (a leading digit is
  fine).  No blank is allowed before the key or around ``=``: such a line is
  logged as "Invalid line" and dropped, as is any other line that is neither
  empty nor starts with ``#``;
* the value is the rest of the line, as written: no stripping, and ``#``
  starts no comment (``read_env(parse_comments=True)`` is not modelled);
* a value wrapped in ``'…'`` loses those quotes; then a value wrapped in
  ``"…"`` loses those and every ``\\x`` becomes ``x``, except ``\\n``,
  ``\\r`` and ``\\t``, which stay two characters (``Env.str(multiline=True)``
  turns a written ``\\n`` into a newline when the app reads it).  So
  ``'"x"'`` reads ``x``;
* nothing spans lines: an opening quote with no closing one on its line is
  kept in the value, and the next lines are read as new lines;
* ``str.splitlines`` also ends a line at ``\\v``, ``\\f``, ``\\x1c``-``\\x1e``,
  ``\\x85``, U+2028 and U+2029, which editors show inside one line;
* a byte-order mark is read as part of the first line, whose key then does
  not match: that binding is dropped.

``$NAME`` is not expanded here: ``Env`` follows such a "proxy" when the app
reads the variable (see :mod:`envcheck.sources.loaders.django_environ`).
"""

from __future__ import annotations

import re

from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse", "unescape_double"]

BOM = "\ufeff"
# Copied from Env.read_env, so an upgrade that changes them shows up as a failing
# differential test, not a silent change.
_BINDING = re.compile(r"\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z")
_SINGLE_QUOTED = re.compile(r"\A'(.*)'\Z")
_DOUBLE_QUOTED = re.compile(r'\A"(.*)"\Z')
_ESCAPED = re.compile(r"\\(.)")
# What envcheck says about a dropped line: a key django-environ would accept, written
# with blanks around it or around "=".
_SPACED = re.compile(r"\A[ \t]*(?:export[ \t]+)?([A-Za-z_0-9]+)[ \t]*=")
_EDITOR_BREAKS = ("\r\n", "\n", "\r")
_COMMENT_IN_VALUE = re.compile(r"[ \t]#")


def _keep_format_escapes(match: re.Match[str]) -> str:
    """``_keep_escaped_format_characters``: ``\\n``, ``\\r``, ``\\t`` stay; ``\\x`` -> ``x``."""
    char = match.group(1)
    return "\\" + char if char in "rnt" else char


def unescape_double(inner: str) -> str:
    """The text between double quotes as django-environ keeps it."""
    return _ESCAPED.sub(_keep_format_escapes, inner) if "\\" in inner else inner


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as ``Env.read_env`` does (``parse_comments=False``); never raises.

    Lines are numbered as an editor numbers them (CR, LF, CRLF), so a line
    ended by another of ``splitlines``' separators shares its number.
    """
    out = ParsedFile(path)
    line = 1
    odd_break_seen = False
    for piece in text.splitlines(keepends=True):
        content = piece.splitlines()[0]
        ending = piece[len(content) :]
        _read_line(content, path, line, out)
        if ending in _EDITOR_BREAKS:
            line += 1
        elif ending and not odd_break_seen:
            odd_break_seen = True
            out.problems.append(
                Problem(
                    "line-separator",
                    f"a U+{ord(ending):04X} character ends a line for django-environ "
                    "(str.splitlines), though editors show one line: replace it with a newline",
                    path,
                    line,
                )
            )
    return out


def _read_line(content: str, path: str, line: int, out: ParsedFile) -> None:
    m = _BINDING.match(content)
    if m is None:
        if content and not content.startswith("#"):
            problem = _dropped(content, path, line)
            if problem is not None:
                out.problems.append(problem)
        return
    key, value = m.group(1), m.group(2)
    export = content.startswith("export ") and m.start(1) == 7
    quote = UNQUOTED
    single = _SINGLE_QUOTED.match(value)
    if single is not None:
        value, quote = single.group(1), SINGLE
    double = _DOUBLE_QUOTED.match(value)
    if double is not None:
        value = unescape_double(double.group(1))
        quote = quote or DOUBLE
    col = m.start(1) + 1
    out.entries.append(Entry(key, value, path, line, col, quote, line, export, "="))
    if quote == UNQUOTED:
        _unquoted_problems(key, m.group(2), path, line, col, out)


def _unquoted_problems(
    key: str, value: str, path: str, line: int, col: int, out: ParsedFile
) -> None:
    """What reads differently here than in every other dotenv: quotes and comments kept."""
    head = value[:1]
    if head in ("'", '"'):
        closing = value.find(head, 1)
        kind, why = (
            ("unterminated-quote", "has no closing quote on its line (django-environ reads "
             "one line at a time)")
            if closing < 0
            else ("text-after-quote", "has text after its closing quote")
        )  # fmt: skip
        out.problems.append(
            Problem(
                kind,
                f"the value of {key} {why}: django-environ keeps it as written, quotes included",
                path,
                line,
                col,
                key,
            )
        )
    elif _COMMENT_IN_VALUE.search(value):
        out.problems.append(
            Problem(
                "comment-in-value",
                f"django-environ keeps ' #…' as part of the value of {key} "
                "(read_env strips comments only with parse_comments=True): "
                "put the comment on a line of its own",
                path,
                line,
                col,
                key,
            )
        )


def _dropped(content: str, path: str, line: int) -> Problem | None:
    """Why django-environ drops a non-empty, non-comment line; None when nothing is lost."""
    stripped = content.strip()
    if not stripped or stripped.startswith("#"):
        return None  # blank or an indented comment: logged as invalid, nothing lost
    if content.startswith(BOM):
        return Problem(
            "bom",
            "the file starts with a byte-order mark, which django-environ reads as part of "
            "the first line: that line's key does not match and is dropped; "
            "save the file as UTF-8 without BOM",
            path,
            line,
        )
    spaced = _SPACED.match(content)
    if spaced is not None:
        reason = (
            f"blanks before {spaced.group(1)} or around '=' (django-environ accepts only "
            "KEY=value at column 1)"
        )
    elif "=" in content:
        reason = "a key with characters other than A-Z, a-z, 0-9 and '_'"
    else:
        reason = "no '='"
    return Problem("dropped-line", f"{reason}; django-environ drops line {line}", path, line)
