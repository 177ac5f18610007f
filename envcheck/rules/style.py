"""Style rules (EC2xx): dotenv-linter's and wemake dotenv-linter's checks, without their noise.

The two linters' most common complaints are false positives on multi-line
quoted values and on JSON values.  Both come from judging raw lines without
knowing where a value starts and ends.  These checks read the raw text
(whitespace and quotes are only visible there) but take the value
boundaries from the dialect's parser: lines inside a multi-line value
(``Entry.line`` .. ``Entry.end_line``) are never judged as lines, and value
checks look at the parsed ``Entry.value``.  Lines where the parser already
reported a syntax problem get no key or value checks, so one mistake is
reported once.  Messages name keys, never values; no raw line is kept.

Noisy, purely cosmetic rules (needless quotes, extra blank lines, key order)
are ``default_enabled=False``.  ``lint_text`` works without a project, for
``envcheck lint FILE…``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from envcheck.model import Finding, Location, Severity
from envcheck.rules.base import Rule
from envcheck.secret import looks_like_key, mask, safe_key
from envcheck.sources.lines import LineIndex
from envcheck.sources.types import BACKTICK, DOUBLE, SINGLE, UNQUOTED

if TYPE_CHECKING:
    from pathlib import Path

    from envcheck.rules.base import CheckContext
    from envcheck.sources.types import Entry, Problem

__all__ = ["RULES", "check", "lint_text"]

W, INFO = Severity.WARNING, Severity.INFO


def _rule(
    code: str, name: str, severity: Severity, summary: str, doc: tuple[str, str, str, str],
    hint: str, *, default: bool = True,
) -> Rule:  # fmt: skip
    what, why, example, instead = doc
    text = (
        f"## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n"
        f"## Example\n```sh\n{example}\n```\n\n## Use instead\n```sh\n{instead}\n```\n"
    )
    _HINTS[code] = hint
    return Rule(code, name, severity, summary, text, default)


_HINTS: dict[str, str] = {}

# fmt: off
DUPLICATED = _rule("EC201", "duplicated-key", W, "A key is defined twice in one file.", (
    "Flags the second and later definitions of a key within one file.",
    "Only one of them reaches the app; editing the other one changes nothing.",
    "PORT=3000\nPORT=8080", "PORT=8080"), "delete the definition you do not want")
SPACED = _rule("EC202", "space-around-separator", W, "Whitespace around '='.", (
    "Flags spaces or tabs between a key and '=' or between '=' and the value.",
    "Loaders disagree: dotenv trims them, a shell `source` or `docker --env-file` does "
    "not (a shell fails, docker keeps the spaces in the name or value).",
    "API_URL = https://example.com", "API_URL=https://example.com"), "remove the whitespace")
LOWERCASE = _rule("EC203", "lowercase-key", INFO, "A key with lowercase letters.", (
    "Flags keys that contain lowercase letters.",
    "Environment variables are upper case by convention, and lookups are case-sensitive "
    "on Linux: `process.env.API_KEY` does not find `api_key`.",
    "api_key=...", "API_KEY=..."), "write the key in upper case")
LEADING = _rule("EC204", "leading-character", W, "A key that starts with a digit or symbol.", (
    "Flags keys whose first character is not a letter or '_'.",
    "Such names are not valid shell variables and several loaders reject them.",
    "1PASSWORD_TOKEN=...\n.HIDDEN=1", "ONEPASSWORD_TOKEN=...\nHIDDEN=1"),
    "start the key with a letter or '_'")
INDENTED = _rule("EC205", "indented-line", INFO, "An assignment with leading whitespace.", (
    "Flags assignments whose line starts with spaces or tabs.",
    "Loaders strip it, but it hides the key from `grep ^KEY=` and looks like a continuation.",
    "  DEBUG=1", "DEBUG=1"), "start the line at column 1")
DELIMITER = _rule("EC206", "incorrect-delimiter", W, "A key with '-', '.' or other symbols.", (
    "Flags keys containing characters other than letters, digits and '_'.",
    "Shells cannot export them and python-dotenv, Node and docker disagree about them.",
    "API-KEY=...\napp.port=1", "API_KEY=...\nAPP_PORT=1"), "separate words with '_'")
TRAILING = _rule("EC207", "trailing-whitespace", INFO, "Whitespace at the end of a line.", (
    "Flags spaces or tabs at the end of a line, outside quoted multi-line values.",
    "Invisible, and kept in the value by some tools (docker --env-file, shells).",
    "DEBUG=1␠␠", "DEBUG=1"), "delete the trailing whitespace")
QUOTES = _rule("EC208", "needless-quotes", INFO, "Quotes around a value that needs none.", (
    "Flags a quoted single-line value made only of characters that are safe unquoted.",
    "Quotes are removed by dotenv but kept by docker --env-file; without them the file "
    "means the same everywhere.",
    'PORT="3000"', "PORT=3000"), "remove the quotes", default=False)
UNQUOTED_WS = _rule("EC209", "unquoted-whitespace", W, "An unquoted value with whitespace.", (
    "Flags unquoted values with spaces or tabs inside.",
    "A shell `source` runs the second word as a command; other tools cut the value.",
    "GREETING=hello world", 'GREETING="hello world"'), "quote the value")
SUBSTITUTION = _rule("EC210", "malformed-substitution", W, "A broken ${VAR} reference.", (
    "Flags '${' without a closing '}' and references whose name is empty or invalid, in "
    "values that are expanded (unquoted and double-quoted).",
    "dotenv-expand and python-dotenv leave the text as is: the app sees '${' literally.",
    "DATABASE_URL=postgres://${DB_HOST/app", "DATABASE_URL=postgres://${DB_HOST}/app"),
    "close the reference: ${NAME}")
BLANKS = _rule("EC211", "extra-blank-line", INFO, "More than one blank line in a row.", (
    "Flags a blank line that follows another blank line.",
    "Purely cosmetic.", "A=1\n\n\nB=2", "A=1\n\nB=2"), "delete the extra blank line",
    default=False)
FINAL_NL = _rule("EC212", "missing-final-newline", W, "The file does not end with a newline.", (
    "Flags a file whose last line has no newline.",
    "`echo KEY=value >> .env` then appends to the last line, silently changing its value.",
    "LAST=1<EOF>", "LAST=1\n<EOF>"), "add a newline at the end of the file")
BARE = _rule("EC213", "key-without-value", W, "A key with no '='.", (
    "Flags a line with a key but no '=' that the dialect keeps as a variable.",
    "python-dotenv sets it to None (unset), Node's dotenv drops the line: the intent is "
    "unclear to every reader.", "DEBUG", "DEBUG="), "write KEY= for an empty value")
UNORDERED = _rule("EC214", "unordered-key", INFO, "Keys not in alphabetical order.", (
    "Flags a key that sorts before an earlier key of the same block (blocks are separated "
    "by blank lines).", "Purely cosmetic; sorted files merge with fewer conflicts.",
    "B=1\nA=2", "A=2\nB=1"), "sort the keys of the block", default=False)
HASH = _rule("EC215", "hash-in-unquoted-value", W, "An unquoted value containing '#'.", (
    "Flags an unquoted value with a '#' not preceded by whitespace; `KEY=# what it is` (an "
    "empty value and a comment for Node's dotenv) only where a reader of the file - compose's "
    "env_file, docker's --env-file, python-dotenv - takes the comment as the value.",
    "Node's dotenv ends the value at '#', python-dotenv keeps it: the same file gives two "
    "apps two different values (URL fragments, passwords).",
    "URL=https://example.com/#/home", 'URL="https://example.com/#/home"'), "quote the value")
# fmt: on

RULES: tuple[Rule, ...] = (
    DUPLICATED, SPACED, LOWERCASE, LEADING, INDENTED, DELIMITER, TRAILING, QUOTES,
    UNQUOTED_WS, SUBSTITUTION, BLANKS, FINAL_NL, BARE, UNORDERED, HASH,
)  # fmt: skip

# The codes :meth:`_Linter.entry` reports: when none is on, no binding's line is read.
_ENTRY_CODES = frozenset(
    r.code for r in (BARE, LOWERCASE, LEADING, DELIMITER, INDENTED, SPACED, UNQUOTED_WS, QUOTES,
                     SUBSTITUTION, HASH)
)  # fmt: skip
# Kinds that are about the file as a whole, not about one line's key or value.
_FILE_KINDS = frozenset({"crlf", "bom", "encoding", "invalid-utf8", "binary", "lone-cr"})
_SAFE_UNQUOTED = re.compile(r"[A-Za-z0-9_./:@+%,-]+")
# Upper case, digits and '_', not starting with a digit: no EC203, EC204 or EC206.
_PLAIN_KEY = re.compile(r"[A-Z_][A-Z0-9_]*")
_BLANKS = re.compile(r"[ \t]*")
# A line no key or value check can flag: a plain key at column 1, '=' and an unquoted
# value without whitespace, '#', quotes or backslashes, whose '$' starts no '${' or a
# well-formed '${NAME}' / '${NAME:-default}' (EC210 passes it).  Most lines of a large file
# are like this; one regex call lets them skip the per-entry checks.
# Runs of plain characters are matched whole and every repetition is possessive: the
# alternatives start differently, so nothing is given back, and ``re`` keeps no
# backtracking state per character (a 10 MB value took 1.2 GB with ``(?:…|…)*``).
_QUIET_VALUE = (
    r"""(?:[^ \t#$"'`\\]++|\$(?!\{)|\$\{[A-Za-z_][A-Za-z0-9_]*+(?::?[-+=?][^ \t#$"'`\\}]*+)?\})"""
)
_QUIET_LINE = re.compile(rf"[A-Z_][A-Z0-9_]*={_QUIET_VALUE}*+")
# The same value, then blanks and a comment: quiet when the parser cut the comment off
# (the value it read is group 1; Docker's env files keep "# ..." in the value).
_QUIET_COMMENTED = re.compile(rf"[A-Z_][A-Z0-9_]*=({_QUIET_VALUE}++)[ \t]+#")
# A plain key at column 1 and a quote right after '=': with EC208 off, only EC210 (a '${'
# in a value not in single quotes) can flag the binding.
_QUIET_QUOTED = re.compile(r"[A-Z_][A-Z0-9_]*=[\"'`]")


# Compiled on first use: only unusual keys and values with "${" need them.
@cache
def _not_key_char() -> re.Pattern[str]:
    return re.compile(r"[^A-Za-z0-9_]")


@cache
def _leading_ok() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z_]")


@cache
def _substitution() -> re.Pattern[str]:
    return re.compile(r"(?<!\\)\$\{")


@cache
def _reference() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?::?[-+=?].*)?", re.S)


@cache
def _prose() -> re.Pattern[str]:
    """``#your provider API key``, ``#DEPRECATED, use X instead``: words, not a value."""
    return re.compile(r"[A-Za-z][A-Za-z'-]+[,:.]?[ \t]+[A-Za-z]+")


def _has_inner_blank(value: str) -> bool:
    """Whether a space or tab is left once the value is stripped of them (no regex)."""
    inner = value.strip(" \t")
    return " " in inner or "\t" in inner


def _comment_shaped(raw: str, h: int) -> bool:
    """Whether the '#' a value starts with opens a description (``KEY=# the API URL``,
    ``KEY= # note``, ``KEY=#your provider API key here`` -- words, as chat-ui's committed
    defaults write them), not a value that starts with '#' (``COLOR=#fff``, ``PASS=#x9!``,
    which Node's dotenv cuts to empty: the plain EC215)."""
    if raw[h + 1 : h + 2] in ("", " ", "\t") or raw[h - 1 : h] in (" ", "\t"):
        return True
    return _prose().match(raw, h + 1) is not None


def _nameable(e: Entry) -> bool:
    """Whether a message may name the key: not a pasted value that a parser took for a key."""
    return not e.bare and "\n" not in e.key and not looks_like_key(e.key)


class _Linter:
    """One pass over one file's lines; appends findings in line order."""

    def __init__(
        self,
        text: str,
        path: str,
        entries: Sequence[Entry],
        problems: Iterable[Problem],
        enabled: frozenset[str] | None = None,
        last: Mapping[str, Entry] | None = None,
        readings: Sequence[tuple[str, Mapping[str, str]]] | None = None,
    ):
        self.readings = readings  # each reader of the file and its values; None: unknown
        self.enabled = enabled  # None: every rule; else findings of other codes are not built
        self.last = last  # key -> its last entry (ParsedFile.last_entries), when the caller has it
        self.path = path
        self.text = text
        self.lines = LineIndex(text)  # a line is split off only when a check reads it
        self.entries = entries
        self.troubled = {p.line for p in problems if p.kind not in _FILE_KINDS}
        self.in_value: set[int] = set()  # lines whose text belongs to a multi-line value
        for e in entries:
            if e.end_line > e.line:
                self.in_value.update(range(e.line + 1, e.end_line + 1))
        self.out: list[Finding] = []

    def on(self, rule: Rule) -> bool:
        return self.enabled is None or rule.code in self.enabled

    def add(
        self,
        rule: Rule,
        message: str,
        line: int,
        col: int,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        if self.enabled is not None and rule.code not in self.enabled:
            return
        loc = Location(self.path, line, col)
        self.out.append(rule.finding(message, loc, key=key, hint=hint or _HINTS[rule.code]))

    def raw(self, line: int) -> str:
        return self.lines.raw(line)

    def repeated(self) -> Collection[str] | None:
        """The keys defined more than once (EC201's), or None when unknown (then every key
        is tracked): with the file's last entries at hand, a file whose keys are all
        distinct needs no key -> first entry table, which is a large file's largest."""
        last = self.last
        if last is None:
            return None
        if len(last) == len(self.entries):
            return ()
        return {e.key for e in self.entries if last.get(e.key) is not e}

    def run(self) -> list[Finding]:
        seen: dict[str, Entry] = {}
        repeated = self.repeated()
        judge = self.enabled is None or not self.enabled.isdisjoint(_ENTRY_CODES)
        troubled, text, quiet = self.troubled, self.text, _QUIET_LINE.fullmatch
        commented, quoted = _QUIET_COMMENTED.match, _QUIET_QUOTED.match
        quoted_quiet = not self.on(QUOTES)
        starts, count, size = self.lines.starts, self.lines.count, len(text)
        for e in self.entries:
            key = e.key
            if "\n" in key:
                continue
            if repeated is None or key in repeated:
                first = seen.setdefault(key, e)
                if first is not e and _nameable(e):
                    self.add(DUPLICATED, f"{key} is already defined on line {first.line}",
                             e.line, e.col, key)  # fmt: skip
            line = e.line
            if not judge or line in troubled:
                continue
            if not e.bare and line <= count:
                # Matched where it is, not sliced out: most lines are quiet.  A "\r" before
                # the "\n" changes none of the tests (it is a quiet value's character).
                start = starts[line - 1]
                end = starts[line] - 1 if line < len(starts) else size
                if e.export and text.startswith("export ", start, end):
                    start += 7  # the binding after "export " is judged as a line of its own
                if not text.startswith(f"{key}=", start, end):
                    pass
                elif e.quote == UNQUOTED:
                    if e.end_line == line and quiet(text, start, end):
                        continue  # every check in entry() passes such a line
                    found = commented(text, start, end) if e.end_line == line else None
                    if found is not None and found.group(1) == e.value:
                        continue  # ... and so does one whose comment the parser cut off
                elif (
                    quoted_quiet
                    and quoted(text, start, end)
                    and text.startswith(e.quote, start + len(key) + 1, end)
                    and (e.quote == SINGLE or "${" not in e.value)
                ):
                    continue  # EC208 off: only EC210 reads a quoted value's line
            self.entry(e)
        if self.on(TRAILING) or self.on(BLANKS) or self.on(FINAL_NL):
            self.layout()
        if self.on(UNORDERED):
            self.order()
        self.out.sort(key=lambda f: (f.location.line or 0, f.location.col or 0, f.code))
        return self.out

    def entry(self, e: Entry) -> None:
        """The key and value checks of a binding whose line is not quiet (:meth:`run`)."""
        raw = self.raw(e.line)
        if e.bare or looks_like_key(e.key):
            # A "key" without '=' is often a value pasted on a line of its own: never name it.
            name = e.key if safe_key(e.key) == e.key else mask(e.key)
            if e.bare:
                self.add(
                    BARE, f"{name} has no '='", e.line, e.col, None if name != e.key else e.key
                )
            return
        key = e.key
        if not _PLAIN_KEY.fullmatch(key):
            self.key_name(e)
        if raw[:1] in (" ", "\t"):
            self.add(INDENTED, f"{key} is indented", e.line, 1, key)
        start = self.value_start(e, raw)
        multi = e.end_line > e.line
        vcol = start + 1 if start is not None else e.col
        if e.quote == UNQUOTED and _has_inner_blank(e.value):
            self.add(UNQUOTED_WS, f"{key} has an unquoted value with whitespace", e.line, vcol, key)
        if (
            e.quote in (SINGLE, DOUBLE, BACKTICK)
            and not multi
            and self.on(QUOTES)  # off by default: the value is not matched then
            and _SAFE_UNQUOTED.fullmatch(e.value)
        ):
            self.add(QUOTES, f"{key} has quotes it does not need", e.line, vcol, key)
        if e.quote != SINGLE and "${" in e.value:  # every _substitution() match holds "${"
            self.substitutions(e, raw, start)
        if e.quote == UNQUOTED and start is not None and not multi:
            h = raw.find("#", start)
            if h == start and self.readings is not None and _comment_shaped(raw, h):
                self.leading_hash(key, e.line, h + 1)
            elif h != -1 and (h == start or raw[h - 1] not in " \t"):
                self.add(HASH, f"{key} has an unquoted '#' in its value", e.line, h + 1, key)

    def leading_hash(self, key: str, line: int, col: int) -> None:
        """``KEY=# what it is``: Node's dotenv reads an empty value and a comment (what the
        author means); python-dotenv, compose and docker's ``--env-file`` take the text as
        the value.  Said only when a reader of the file takes the text, naming it (and one
        that reads it empty); quoting would make the text the value for every reader, so
        the hint moves the comment instead."""
        keeps = empty = None
        for title, values in self.readings or ():
            value = values.get(key)
            if value and keeps is None:
                keeps = title
            elif value == "" and empty is None:
                empty = title
        if keeps is None:
            return
        said = f"{keeps} reads the '#…' text as {key}'s value"
        self.add(
            HASH,
            said + (f", {empty} an empty value" if empty else "") + " from this line",
            line,
            col,
            key,
            hint=f"put the comment on a line of its own above {key}=, which every reader "
            "reads as empty (quoting would make the comment the value)",
        )

    def key_name(self, e: Entry) -> None:
        key = e.key
        if key.upper() != key:
            self.add(LOWERCASE, f"{key} has lowercase letters", e.line, e.col, key)
        if key and not _leading_ok().match(key):
            self.add(LEADING, f"{key} starts with {key[0]!r}", e.line, e.col, key)
        if bad := _not_key_char().search(key, 1):
            self.add(DELIMITER, f"{key} contains {bad.group()!r}",
                     e.line, e.col + bad.start(), key)  # fmt: skip

    def value_start(self, e: Entry, raw: str) -> int | None:
        """Offset of the value in the key's line; reports EC202 on the way.  None if unsure."""
        k0 = e.col - 1
        if raw[k0 : k0 + len(e.key)] != e.key:
            k0 = raw.find(e.key)
            if k0 == -1 or e.bare:
                return None
        k1 = k0 + len(e.key)
        # python-dotenv's parser records the separator with its whitespace (" = ").
        separator = e.separator.strip(" \t") or "="
        sep = _BLANKS.match(raw, k1).end()  # type: ignore[union-attr]
        if raw[sep : sep + len(separator)] != separator:
            return None
        after = sep + len(separator)
        start = _BLANKS.match(raw, after).end()  # type: ignore[union-attr]
        value_follows = start < len(raw) and raw[start] != "#"
        if sep > k1 or (start > after and value_follows and separator == "="):
            where = k1 if sep > k1 else after
            self.add(
                SPACED, f"{e.key} has whitespace around '{separator}'", e.line, where + 1, e.key
            )
        return start

    def substitutions(self, e: Entry, raw: str, start: int | None) -> None:
        for m in _substitution().finditer(e.value):
            close = e.value.find("}", m.end())
            inner = e.value[m.end() : close] if close != -1 else ""
            if close != -1 and _reference().fullmatch(inner):
                continue
            what = "'${' without a closing '}'" if close == -1 else "a malformed '${…}' reference"
            col = e.col
            if start is not None and e.end_line <= e.line and (at := raw.find("${", start)) != -1:
                col = at + 1
            self.add(SUBSTITUTION, f"{e.key} has {what}", e.line, col, e.key)
            return

    def layout(self) -> None:
        multi = [e for e in self.entries if e.end_line > e.line]
        starts = {e.line for e in multi}
        ends = {e.end_line: e.quote for e in multi}
        blank_before = False
        lines: Iterable[tuple[int, str]] = ()
        if self.on(BLANKS):  # every line: whether one is blank decides for the next
            lines = enumerate(self.lines, 1)
        elif self.on(TRAILING):  # only the lines that end in a space or tab can be flagged
            lines = ((n, self.raw(n)) for n in self.lines.ending_in_blank())
        for n, raw in lines:
            stripped = raw.rstrip(" \t")
            if n in starts or n in self.in_value:
                blank_before = False
                # Whitespace inside a quoted value is the value; after the closing quote it is not.
                quote = ends.get(n)
                if n in starts or not quote or not stripped.endswith(quote):
                    continue
            if len(stripped) < len(raw):
                self.add(TRAILING, "trailing whitespace", n, len(stripped) + 1)
            blank = n not in self.in_value and not stripped
            if blank and blank_before:
                self.add(BLANKS, "extra blank line", n, 1)
            blank_before = blank
        if self.text and not self.text.endswith(("\n", "\r")):
            last = self.raw(self.lines.count)
            self.add(FINAL_NL, "no newline at end of file", self.lines.count, len(last) + 1)

    def order(self) -> None:
        block_max: str | None = None
        block: set[str] = set()  # the block's keys so far
        entries = iter(sorted(self.entries, key=lambda e: e.line))
        prev_line = 0
        for e in entries:
            if not _nameable(e):
                continue
            gap = range(prev_line + 1, e.line)
            if any(not self.raw(n).strip() and n not in self.in_value for n in gap):
                block_max, block = None, set()
            prev_line = max(e.line, e.end_line)
            if block_max is not None and e.key.upper() < block_max.upper():
                if not _would_break_a_reference(e, block):
                    self.add(
                        UNORDERED, f"{e.key} should go before {block_max}", e.line, e.col, e.key
                    )
            elif block_max is None or e.key.upper() > block_max.upper():
                block_max = e.key
            block.add(e.key)


def _would_break_a_reference(entry: Entry, earlier: Collection[str]) -> bool:
    """Whether sorting ``entry`` up would put it above a key its value references.

    python-dotenv and dotenv-expand resolve ``${VAR}`` from the keys above
    (and the process): ``B=x`` then ``A=${B}/y`` works, ``A`` moved above
    ``B`` gets an empty string.  Sorting is cosmetic; a broken value is not.
    """
    if "$" not in entry.value:
        return False
    key = entry.key.upper()
    # Only the names the value references are looked up: linear in the file.
    return any(
        name in earlier and name.upper() > key
        for m in _referenced_name().finditer(entry.value)
        if (name := m.group(1) or m.group(2))
    )


@cache  # compiled on first use: only values with "$" in a file that EC214 checks need it
def _referenced_name() -> re.Pattern[str]:
    return re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)")


def lint_text(
    text: str,
    path: str,
    entries: Sequence[Entry],
    problems: Iterable[Problem] = (),
    enabled: frozenset[str] | None = None,
    last: Mapping[str, Entry] | None = None,
    readings: Sequence[tuple[str, Mapping[str, str]]] | None = None,
) -> list[Finding]:
    """Style findings for one file's ``text`` as parsed into ``entries``.

    ``problems`` are the parser's problems for the same file: lines they point
    at get no key or value checks (the syntax finding says it better).
    ``enabled`` limits the findings to those codes (None: all).  ``last``: the
    file's ``ParsedFile.last_entries()`` for these ``entries``, when at hand.
    ``readings``: each program that reads the file and its values
    (:func:`envcheck.sources.crossread.readings`); a ``KEY=# text`` line is then said
    only where they differ.
    """
    return _Linter(text, path, entries, problems, enabled, last, readings).run()


def readings_for(path: Path, text: str) -> list[tuple[str, dict[str, str]]] | None:
    """:func:`envcheck.sources.crossread.readings`, asked only of a text with a line whose
    value starts with '#' (most files have none), after blanks or not (``KEY=   # note``)."""
    # One pass over the text, no list of its lines (a 100k-line file held twice cost 7 MiB).
    if "#" not in text or re.search(r"(?m)^[^=\n]*=[ \t]*#", text) is None:
        return None
    from envcheck.sources import crossread

    return crossread.readings(path, text)


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Lint each file the resolution read, re-reading its text from disk."""
    from envcheck.sources.decode import decode
    from envcheck.sources.resolve import read_again

    for parsed in ctx.resolution.parsed:
        data = read_again(ctx.project_dir / parsed.path, within=ctx.project_dir)
        if data is None:
            continue  # unreadable (the syntax family says so), or a pipe already drained
        text, _ = decode(data, parsed.path)
        readings = (
            readings_for(ctx.project_dir / parsed.path, text)
            if ctx.enabled is None or HASH.code in ctx.enabled
            else None
        )
        yield from lint_text(
            text,
            parsed.path,
            parsed.entries,
            parsed.problems,
            ctx.enabled,
            parsed.last_entries(),
            readings,
        )
