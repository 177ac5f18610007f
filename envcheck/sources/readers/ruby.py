"""Ruby's ``dotenv`` gem (3.x, which ``dotenv-rails`` loads): its parser and its substitutions.

Read from bkeepers/dotenv 3.2.0 (``lib/dotenv/parser.rb``,
``substitutions/variable.rb``, ``substitutions/command.rb``) and checked
against that gem running under a real Ruby (``tests/sources/test_rails_loader.py``).
The parser is one regular expression scanned over the whole file, not a
line loop, and :data:`_LINE` is that expression, translated (Ruby's ``^`` /
``$`` are line anchors, ``\\s`` and ``\\w`` are ASCII):

* a key is ``[A-Za-z0-9_.]+``, optionally after ``export``; the separator is
  ``=`` (blanks around it) or ``:`` and at least one blank (YAML style);
* a value is ``'…'`` or ``"…"`` (either may span lines, as long as the
  closing quote ends its line), else everything up to the first ``#`` or
  the end of the line: **any** ``#`` starts a comment in an unquoted value;
* a line the expression does not match is skipped silently, and so is a
  quoted value with text after its closing quote (it is read unquoted,
  quotes kept); a key alone on a line (``DEBUG``) is set to the empty string;
* the value is stripped (blanks, and NUL), unquoted; in ``"…"`` a written
  ``\\n`` stays a backslash and an ``n`` unless ``DOTENV_LINEBREAK_MODE``
  is ``legacy``; outside ``'…'`` a backslash before any character but ``$``
  is dropped, then ``$(command)`` runs and ``$VAR`` / ``${VAR}`` is
  substituted (:func:`substitute`).

Substitution and the ``export KEY`` check need the environment at load
time, so they run in the loader (:mod:`envcheck.sources.loaders.rails`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse", "substitute", "Substituted", "LINEBREAK_MODE", "RUBY_BLANKS"]

LINEBREAK_MODE = "DOTENV_LINEBREAK_MODE"
RUBY_BLANKS = " \t\n\v\f\r\0"  # what Ruby's String#strip removes

# parser.rb LINE, as Python: (?m) for Ruby's line anchors, ASCII for its \s and \w.
_LINE = re.compile(
    r"(?:^|\A)\s*(?P<export>export\s+)?(?P<key>[\w.]+)"
    r"(?:(?P<sep>\s*=\s*?|:\s+?)"
    r"(?P<value>\s*'(?:\\'|[^'])*'|\s*\"(?:\\\"|[^\"])*\"|[^#\n]+)?)?"
    r"\s*(?:#.*)?(?:$|\Z)",
    re.MULTILINE | re.ASCII,
)
_QUOTED = re.compile(r"\A(['\"])(.*)\1\Z", re.DOTALL)
_UNESCAPE = re.compile(r"\\([^$])")
# substitutions/variable.rb: an optional backslash, $, not "(", optional braces.
_VARIABLE = re.compile(r"(\\)?\$(?!\()\{?([A-Z0-9_]+)?\}?", re.IGNORECASE | re.ASCII)


def _value(written: str, legacy: bool) -> tuple[str, str]:
    """``parse_value`` up to the substitutions: (value, quote as written)."""
    value = written.strip(RUBY_BLANKS)
    quoted = _QUOTED.match(value)
    quote = quoted.group(1) if quoted else UNQUOTED
    if quoted:
        value = quoted.group(2)
    if quote == SINGLE:
        return value, quote
    if quote == DOUBLE:
        if legacy:
            value = value.replace("\\n", "\n").replace("\\r", "\r")
        else:
            value = value.replace("\\n", "\\\\n").replace("\\r", "\\\\r")
    return _UNESCAPE.sub(r"\1", value), quote


class _Lines:
    """Offset -> line number, for offsets asked in increasing order (linear over the file)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line

    def col(self, offset: int) -> int:
        return offset - self.text.rfind("\n", 0, offset)


def _gap_problems(text: str, start: int, end: int, lines: _Lines, out: ParsedFile) -> None:
    """Lines between two matches that hold something other than blanks or a comment."""
    if start >= end or text[start:end].isspace():
        return
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        stripped = text[pos:stop].strip(RUBY_BLANKS)
        if stripped and not stripped.startswith("#"):
            first = pos + (len(text[pos:stop]) - len(text[pos:stop].lstrip(RUBY_BLANKS)))
            out.problems.append(
                Problem(
                    "dropped-line",
                    "not a KEY=value line: Ruby's dotenv skips it without a word",
                    out.path,
                    lines.at(first),
                    lines.col(first),
                )
            )
        pos = stop + 1


def parse(text: str, path: str, *, legacy: bool = False) -> ParsedFile:
    """Parse ``text`` as ``Dotenv::Parser`` does, before substitution; never raises.

    ``legacy``: ``DOTENV_LINEBREAK_MODE=legacy`` in the environment (the
    file's own setting of it, on an earlier line, wins).  An ``export KEY``
    line without a value is an entry with ``bare=True`` and ``export=True``:
    the loader decides whether Ruby raises on it.
    """
    out = ParsedFile(path)
    if text.startswith("\ufeff"):
        text = text[1:]  # File.open(…, "rb:bom|utf-8") drops it
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        out.problems.append(
            Problem("crlf", "carriage returns (Ruby's dotenv reads CRLF and CR as LF)", path, line)
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _Lines(text)
    own_mode: str | None = None  # the file's own DOTENV_LINEBREAK_MODE so far
    previous_end = 0
    for match in _LINE.finditer(text):
        k0 = match.start("key")
        _gap_problems(text, previous_end, match.start(), lines, out)
        previous_end = match.end()
        key, written, sep = match.group("key", "value", "sep")
        line = lines.at(k0)
        col = lines.col(k0)
        export = match.group("export") is not None
        if written is None:
            separator = "" if sep is None else sep.strip(RUBY_BLANKS)
            entry = Entry(key, "", path, line, col, UNQUOTED, line, export, separator, True)
            out.entries.append(entry)
            continue
        is_legacy = own_mode == "legacy" if own_mode is not None else legacy
        value, quote = _value(written, is_legacy)
        v0 = match.start("value")
        end_line = lines.line + text.count("\n", k0, match.end("value"))
        separator = sep.strip(RUBY_BLANKS) if sep else "="
        out.entries.append(Entry(key, value, path, line, col, quote, end_line, export, separator))
        if key == LINEBREAK_MODE:
            own_mode = value
        stripped = written.strip(RUBY_BLANKS)
        if "\n" in written[: len(written) - len(written.lstrip(RUBY_BLANKS))]:
            out.problems.append(
                Problem(
                    "swallowed-line",
                    "empty value followed by a quoted line: Ruby's dotenv reads that line "
                    "as this key's value",
                    path,
                    line,
                    col,
                    key,
                )
            )
        if quote == UNQUOTED and stripped[:1] in ("'", '"'):
            closes = stripped.find(stripped[0], 1)
            kind, message = (
                (
                    "text-after-quote",
                    "text after the closing quote: Ruby's dotenv keeps both quotes",
                )
                if closes != -1
                else ("unterminated-quote", "unclosed quote: Ruby's dotenv keeps it in the value")
            )
            out.problems.append(Problem(kind, message, path, line, lines.col(v0), key))
        elif quote == UNQUOTED and match.end("value") < len(text):
            if text[match.end("value")] == "#" and not written[-1:].isspace():
                out.problems.append(
                    Problem(
                        "hash-truncates-value",
                        "unquoted value ends at '#' (Ruby's dotenv reads the rest as a comment)",
                        path,
                        line,
                        col,
                        key,
                    )
                )
        elif quote != UNQUOTED and end_line > line and "=" in value.split("\n", 1)[-1]:
            out.problems.append(
                Problem(
                    "quote-spans-assignments",
                    f"{quote}-quoted value spans lines that look like assignments",
                    path,
                    line,
                    col,
                    key,
                )
            )
    _gap_problems(text, previous_end, len(text), lines, out)
    return out


class Substituted:
    """A value after ``$(…)`` and ``$VAR``: the text, the names used, whether a command ran.

    ``found``: the names substituted with a value; ``undefined``: those set
    nowhere (replaced by the empty string); ``commands``: how many ``$(…)``.
    """

    __slots__ = ("value", "found", "undefined", "commands")

    def __init__(self, value: str, found: list[str], undefined: list[str], commands: int) -> None:
        self.value = value
        self.found = found
        self.undefined = undefined
        self.commands = commands

    def __repr__(self) -> str:
        return f"Substituted(undefined={len(self.undefined)}, commands={self.commands})"


def _command_end(s: str, i: int) -> int:
    """``\\((?:[^()]|\\g<cmd>)+\\)`` at ``s[i] == "("``: the index after it, or -1."""
    counts = [0]  # items matched in each open group
    j, n = i + 1, len(s)
    while j < n:
        c = s[j]
        if c == "(":
            counts.append(0)
        elif c == ")":
            if counts.pop() == 0:
                return -1  # "()" is not a group: Ruby's expression needs one item
            if not counts:
                return j + 1
            counts[-1] += 1
        else:
            counts[-1] += 1
        j += 1
    return -1


def _commands(value: str) -> list[tuple[bool, str]]:
    """Split ``value`` into (is_command, text) pieces as ``Command.call`` finds them.

    ``\\$(…)`` is not run: the piece is the text without its backslash.
    """
    pieces: list[tuple[bool, str]] = []
    start = pos = 0
    while (at := value.find("$(", pos)) != -1:
        end = _command_end(value, at + 1)
        if end == -1:
            pos = at + 1
            continue
        escaped = at > 0 and value[at - 1] == "\\"
        cut = at - 1 if escaped else at
        if cut > start:
            pieces.append((False, value[start:cut]))
        pieces.append((not escaped, value[at:end]))
        start = pos = end
    if start < len(value):
        pieces.append((False, value[start:]))
    return pieces


def substitute(value: str, lookup: Callable[[str], str | None]) -> Substituted:
    """``Command`` then ``Variable``: ``$(cmd)`` is never run, ``$VAR`` becomes ``lookup(VAR)``.

    ``lookup`` is the file's own earlier values, then ``ENV`` (the process
    and the files loaded before this one); a name found in neither is the
    empty string.  A command's output is unknown: its text is kept.
    """
    if "$" not in value:
        return Substituted(value, [], [], 0)
    found_names: list[str] = []
    undefined: list[str] = []

    def variable(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(0)[1:]
        name = match.group(2)
        if name is None:
            return match.group(0)
        found = lookup(name)
        if found is None:
            undefined.append(name)
            return ""
        found_names.append(name)
        return found

    out: list[str] = []
    commands = 0
    for is_command, text in _commands(value):
        if is_command:
            commands += 1
            out.append(text)
        else:
            out.append(_VARIABLE.sub(variable, text) if "$" in text else text)
    return Substituted("".join(out), found_names, undefined, commands)
