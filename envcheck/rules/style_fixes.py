"""Safe fixes for the style rules (``envcheck lint --fix`` / ``--diff``): one fixer per rule.

A fix may change how a file looks, never what the app reads.  Each fixer
turns one finding of :mod:`envcheck.rules.style` into an edit of the raw
lines (or declines when it cannot be sure of the spelling), and
:func:`fix_text` then *proves* the result: it parses the file before and
after with the dialect's own parser and keeps a set of edits only when
:func:`_reads` — every key's value as the loader keeps it (the last
definition; Deno's, the first), for every value with a ``$`` the quote style
and the keys defined above it (what expansion sees), and the kinds of parse
problems (what makes a tool refuse the file) — is identical.  The oracle
tests in ``tests/commands/test_lint_fix.py`` check this proof against every real tool.  When the
whole set fails the proof, edits are tried one at a time and only the proven ones
kept, so a file with a syntax problem is fixed where that is safe.

Fixable: EC201 (duplicate: keep the definition the loader keeps, the last;
not when any value expands, as the order of definitions matters then),
EC202, EC205, EC207, EC208, EC209 (only values without a quote, backslash,
``$`` or ``#``), EC211, EC212, EC214 (sort a block; refused when it would
change which keys a ``${VAR}`` sees).  Lines are split on ``\\n`` only,
with a ``\\r`` before it kept; a file with a lone ``\\r`` (a line break for
some parsers, not for others) is not fixed at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from envcheck.model import Finding
from envcheck.rules import style
from envcheck.sources.readers import parser_for
from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile

__all__ = ["FIXABLE", "FixResult", "fix_text"]

_BLANKS = re.compile(r"[ \t]*")
_LONE_CR = re.compile(r"\r(?!\n)")
_NEEDS_CARE = re.compile(r"[\"'`\\$#]")  # a value with these is not quoted by EC209's fixer


@dataclass(slots=True)
class _Lines:
    """The file as lines without their ``\\n`` (a CRLF line keeps its ``\\r``)."""

    bodies: list[str]
    final_newline: bool
    newline: str

    @classmethod
    def of(cls, text: str) -> _Lines:
        parts = text.split("\n")
        final = text.endswith("\n")
        if final:
            parts.pop()
        return cls(parts, final, "\r\n" if "\r\n" in text else "\n")

    def raw(self, line: int) -> str:
        """Line ``line`` (1-based) without a trailing ``\\r``."""
        return self.bodies[line - 1].removesuffix("\r") if 0 < line <= len(self.bodies) else ""


@dataclass(slots=True)
class _Edit:
    """One fix: spans of a line to replace, lines to drop, a block to reorder, a final newline.

    A span is ``(line, start, end, new text)`` in the original line, so the
    fixes of one line (indent, separator, quotes, trailing blanks) compose.
    """

    code: str
    line: int
    spans: tuple[tuple[int, int, int, str], ...] = ()
    delete: frozenset[int] = frozenset()
    order: tuple[int, list[int]] | None = None  # (first line, the block's lines in new order)
    final_newline: bool = False


@dataclass(slots=True)
class FixResult:
    """The fixed text, the findings fixed, and those left (unfixable or not proven safe)."""

    text: str
    fixed: list[Finding]
    left: list[Finding]

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


class _File:
    """What the fixers read: the lines, the parse and its entries by line."""

    def __init__(self, text: str, parsed: ParsedFile) -> None:
        self.lines = _Lines.of(text)
        self.parsed = parsed
        self.by_line: dict[int, list[Entry]] = {}
        for e in parsed.entries:
            self.by_line.setdefault(e.line, []).append(e)

    def entry(self, finding: Finding) -> Entry | None:
        """The single entry on the finding's line with the finding's key."""
        found = [
            e for e in self.by_line.get(finding.location.line or 0, []) if e.key == finding.key
        ]
        return found[0] if len(found) == 1 and len(self.by_line[found[0].line]) == 1 else None

    def value_start(self, e: Entry) -> tuple[int, int, int] | None:
        """(end of key, end of '=', start of value) in the key's line; None when unsure."""
        raw = self.lines.raw(e.line)
        k0 = e.col - 1
        if e.bare or raw[k0 : k0 + len(e.key)] != e.key:
            return None
        k1 = k0 + len(e.key)
        sep = _BLANKS.match(raw, k1).end()  # type: ignore[union-attr]
        if raw[sep : sep + 1] != "=" or e.separator.strip(" \t") not in ("", "="):
            return None
        start = _BLANKS.match(raw, sep + 1).end()  # type: ignore[union-attr]
        return k1, sep + 1, start


def _span(finding: Finding, line: int, start: int, end: int, new: str) -> _Edit:
    return _Edit(finding.code, line, spans=((line, start, end, new),))


# -- one fixer per rule ----------------------------------------------------------------------


def fix_trailing_whitespace(file: _File, finding: Finding) -> _Edit | None:
    """EC207: drop the spaces and tabs at the end of the line."""
    line = finding.location.line or 0
    raw = file.lines.raw(line)
    return _span(finding, line, len(raw.rstrip(" \t")), len(raw), "")


def fix_indented_line(file: _File, finding: Finding) -> _Edit | None:
    """EC205: start the assignment at column 1."""
    line = finding.location.line or 0
    raw = file.lines.raw(line)
    return _span(finding, line, 0, len(raw) - len(raw.lstrip(" \t")), "")


def fix_extra_blank_line(file: _File, finding: Finding) -> _Edit | None:
    """EC211: delete the blank line that follows another."""
    return _Edit(
        finding.code, finding.location.line or 0, delete=frozenset({finding.location.line or 0})
    )


def fix_missing_final_newline(file: _File, finding: Finding) -> _Edit | None:
    """EC212: end the file with a newline (CRLF in a CRLF file)."""
    return _Edit(finding.code, finding.location.line or 0, final_newline=True)


def fix_space_around_separator(file: _File, finding: Finding) -> _Edit | None:
    """EC202: ``KEY = value`` -> ``KEY=value``."""
    e = file.entry(finding)
    where = None if e is None or e.end_line > e.line else file.value_start(e)
    if e is None or where is None:
        return None
    k1, _, start = where
    return _span(finding, e.line, k1, start, "=")


def _after_value_is_a_comment_or_nothing(rest: str) -> bool:
    stripped = rest.lstrip(" \t")
    return not stripped or (stripped.startswith("#") and len(stripped) < len(rest))


def fix_needless_quotes(file: _File, finding: Finding) -> _Edit | None:
    """EC208: ``PORT="3000"`` -> ``PORT=3000`` (the value is made of safe characters only)."""
    e = file.entry(finding)
    where = None if e is None else file.value_start(e)
    if e is None or where is None or e.quote not in (SINGLE, DOUBLE, "`"):
        return None
    start = where[2]
    raw = file.lines.raw(e.line)
    close = start + 1 + len(e.value)
    if raw[start : close + 1] != f"{e.quote}{e.value}{e.quote}":
        return None
    rest = raw[close + 1 :]
    if not _after_value_is_a_comment_or_nothing(rest):
        return None
    return _span(finding, e.line, start, close + 1, e.value)


def fix_unquoted_whitespace(file: _File, finding: Finding) -> _Edit | None:
    """EC209: ``GREETING=hello world`` -> ``GREETING="hello world"``."""
    e = file.entry(finding)
    where = None if e is None else file.value_start(e)
    if e is None or where is None or e.quote != UNQUOTED or _NEEDS_CARE.search(e.value):
        return None
    start = where[2]
    raw = file.lines.raw(e.line)
    if not raw.startswith(e.value, start):
        return None
    rest = raw[start + len(e.value) :]
    if not _after_value_is_a_comment_or_nothing(rest):
        return None
    return _span(finding, e.line, start, start + len(e.value), f'"{e.value}"')


def fix_duplicated_key(file: _File, finding: Finding) -> _Edit | None:
    """EC201: delete the definition before the flagged one (the loader keeps the last).

    Each later definition is flagged, so the findings together delete all
    but the last.
    """
    entries = file.parsed.entries
    if any("$" in e.value for e in entries):
        return None  # expansion reads the definitions in order: deleting one may change a value
    same = [e for e in entries if e.key == finding.key]
    at = next((i for i, e in enumerate(same) if e.line == finding.location.line), 0)
    if at == 0:
        return None
    dropped = same[at - 1]
    lines = set(range(dropped.line, max(dropped.line, dropped.end_line) + 1))
    if any(e is not dropped and e.line in lines for e in entries):
        return None  # a line shared with another entry
    return _Edit(finding.code, finding.location.line or 0, delete=frozenset(lines))


def _keys_above(entries: Sequence[Entry]) -> list[tuple[str, str, str, frozenset[str]]]:
    """For each value that expands: (key, value, quote, the keys above it)."""
    out: list[tuple[str, str, str, frozenset[str]]] = []
    above: set[str] = set()
    for e in entries:
        if "$" in e.value:
            out.append((e.key, e.value, e.quote, frozenset(above)))
        above.add(e.key)
    return sorted(out)


def fix_unordered_key(file: _File, finding: Finding) -> _Edit | None:
    """EC214: sort the finding's block (comments above a key move with it)."""
    line = finding.location.line or 0
    lines = file.lines
    in_value = {
        n for e in file.parsed.entries for n in range(e.line + 1, max(e.line, e.end_line) + 1)
    }

    def blank(n: int) -> bool:
        return not lines.raw(n).strip() and n not in in_value

    first, last = line, line
    while first > 1 and not blank(first - 1):
        first -= 1
    while last < len(lines.bodies) and not blank(last + 1):
        last += 1
    entries = sorted(
        (e for e in file.parsed.entries if first <= e.line <= last), key=lambda e: e.line
    )
    problems = {p.line for p in file.parsed.problems}
    keys = [e.key for e in entries]
    if (
        len(set(keys)) != len(keys)
        or len({e.line for e in entries}) != len(entries)
        or any(e.bare or not style._nameable(e) for e in entries)
        or any(first <= n <= last for n in problems)
    ):
        return None
    units: list[tuple[str, list[int]]] = []
    start = first
    for e in entries:
        end = max(e.line, e.end_line)
        if any(lines.raw(n).strip() and not lines.raw(n).lstrip().startswith("#")
               for n in range(start, e.line)):  # fmt: skip
            return None  # a line above the key that is neither a comment nor the key
        units.append((e.key, list(range(start, end + 1))))
        start = end + 1
    tail = list(range(start, last + 1))
    ordered = sorted(units, key=lambda u: u[0].upper())
    for index, entry in enumerate(entries):
        if style._would_break_a_reference(entry, keys[:index]):
            return None
    new_entries = [next(e for e in entries if e.key == key) for key, _ in ordered]
    if _keys_above(new_entries) != _keys_above(entries):
        return None  # a ${VAR} would see other keys above it
    return _Edit(finding.code, line, order=(first, [n for _, ns in ordered for n in ns] + tail))


FIXERS: dict[str, Callable[[_File, Finding], _Edit | None]] = {
    style.DUPLICATED.code: fix_duplicated_key,
    style.SPACED.code: fix_space_around_separator,
    style.INDENTED.code: fix_indented_line,
    style.TRAILING.code: fix_trailing_whitespace,
    style.QUOTES.code: fix_needless_quotes,
    style.UNQUOTED_WS.code: fix_unquoted_whitespace,
    style.BLANKS.code: fix_extra_blank_line,
    style.FINAL_NL.code: fix_missing_final_newline,
    style.UNORDERED.code: fix_unordered_key,
}
FIXABLE = frozenset(FIXERS)


# -- applying and proving ----------------------------------------------------------------------


def _apply(lines: _Lines, edits: Sequence[_Edit]) -> str:
    bodies = list(lines.bodies)
    spans = sorted({span for edit in edits for span in edit.spans}, reverse=True)
    for (n, start, end, new), after in zip(spans, [None, *spans], strict=False):
        if after is not None and after[0] == n and after[1] < end:
            continue  # overlaps a span already applied: left for another run
        bodies[n - 1] = bodies[n - 1][:start] + new + bodies[n - 1][end:]
    positions = list(range(1, len(bodies) + 1))
    sorted_blocks: set[int] = set()
    for edit in edits:
        if edit.order is not None and edit.order[0] not in sorted_blocks:
            sorted_blocks.add(edit.order[0])
            first, new_order = edit.order
            positions[first - 1 : first - 1 + len(new_order)] = new_order
    deleted = frozenset().union(*(e.delete for e in edits))
    kept = [bodies[n - 1] for n in positions if n not in deleted]
    final = lines.final_newline or any(e.final_newline for e in edits)
    if not kept:
        return ""
    # A reordered block may move the unterminated last line up: every line gets its break.
    text = "\n".join(kept)
    return text + "\n" if final else text


# Dialects whose loader keeps the *first* definition of a key repeated in one file (Deno sets
# a key only when it is not set yet: see envcheck.sources.loaders.deno); the others keep the last.
_FIRST_DEFINITION_WINS = frozenset({"deno"})


def _reads(parsed: ParsedFile, dialect: str) -> tuple[object, ...]:
    """What the app reads from one file: what every fix must leave unchanged.

    The kinds of problems count too: a fix must not turn a file the tool refuses
    (docker's ``export `` with a trailing blank) into one it loads, or back.
    """
    entries = parsed.entries
    if dialect in _FIRST_DEFINITION_WINS:
        entries = entries[::-1]
    values = {e.key: (None if e.bare else e.value) for e in entries}
    problems = tuple(sorted({p.kind for p in parsed.problems}))
    return (
        tuple(sorted(values.items(), key=lambda kv: kv[0])),
        tuple(_keys_above(parsed.entries)),
        problems,
    )


def fix_text(
    text: str, path: str, dialect: str, enabled: frozenset[str] | None = None
) -> FixResult:
    """``text`` with the safe fixes applied; ``enabled`` limits them to those codes."""
    parse = parser_for(dialect)
    parsed = parse(text, path)
    codes = FIXABLE if enabled is None else FIXABLE & enabled
    findings = style.lint_text(text, path, parsed.entries, parsed.problems, codes)
    if not findings or _LONE_CR.search(text):
        return FixResult(text, [], findings)
    file = _File(text, parsed)
    candidates: list[tuple[Finding, _Edit]] = []
    left: list[Finding] = []
    for finding in findings:
        edit = FIXERS[finding.code](file, finding)
        if edit is None:
            left.append(finding)
        else:
            candidates.append((finding, edit))
    before = _reads(parsed, dialect)

    def proven(edits: list[_Edit]) -> str | None:
        after = _apply(file.lines, edits)
        return after if _reads(parse(after, path), dialect) == before else None

    everything = proven([e for _, e in candidates])
    if everything is not None:
        return FixResult(everything, [f for f, _ in candidates], left)
    kept: list[_Edit] = []
    fixed: list[Finding] = []
    result = text
    for finding, edit in candidates:  # one at a time: keep each that is proven
        attempt = proven([*kept, edit])
        if attempt is None:
            left.append(finding)
        else:
            kept.append(edit)
            fixed.append(finding)
            result = attempt
    left.sort(key=lambda f: (f.location.line or 0, f.code))
    return FixResult(result, fixed, left)
