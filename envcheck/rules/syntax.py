"""Syntax rules (EC1xx): what the app's own parser would do with a file.

The parsers and the decoder never raise; they record what surprised them as
:class:`~envcheck.sources.types.Problem` data with a stable ``kind``.  This
family turns those problems into findings, one rule per kind (several kinds
may share a rule).  A kind no rule knows about still becomes a finding, under
EC199 ``parser-problem``: a new parser must never make a problem vanish.

Ownership, so that no problem is reported twice: syntax reports every
problem whose kind is in :data:`SYNTAX_KINDS` wherever it is (a parsed file's
problems or the resolution's notes, where ``unreadable`` lands), plus any
*unknown* kind found in a parsed file's problems (parsers only emit syntax).
Loader notes of other kinds (``process-shadows-file``, ``file-dropped``,
``expansion-cycle``, ``mode-overridden``, ...) belong to the precedence family,
which skips :data:`SYNTAX_KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from envcheck.model import Finding, Location, Severity
from envcheck.rules.base import Rule

if TYPE_CHECKING:
    from envcheck.rules.base import CheckContext
    from envcheck.sources.types import Problem

__all__ = ["RULES", "SYNTAX_KINDS", "check", "findings_from_problems", "rule_for_kind"]


def _doc(what: str, why: str, example: str, instead: str) -> str:
    return (
        f"## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n"
        f"## Example\n```sh\n{example}\n```\n\n## Use instead\n```sh\n{instead}\n```\n"
    )


E, W = Severity.ERROR, Severity.WARNING

UNTERMINATED_QUOTE = Rule(
    "EC101",
    "unterminated-quote",
    E,
    "A quoted value has no closing quote.",
    _doc(
        "Flags a value that opens a quote and never closes it on the lines the parser reads.",
        "Each loader recovers differently: Node's dotenv keeps the opening quote as part of "
        "the value, util.parseEnv takes the rest of the line or drops the key, python-dotenv "
        "drops the line.  The app sees something other than what was written.",
        'API_URL="https://api.example.com',
        'API_URL="https://api.example.com"',
    ),
)
DROPPED_LINE = Rule(
    "EC102",
    "dropped-line",
    E,
    "A line that the app's parser silently ignores.",
    _doc(
        "Flags a non-blank, non-comment line from which the framework's parser reads no "
        "variable (no '=', a key it rejects, text after an empty key).",
        "The variable you think you set does not exist in the app, and nothing says so.",
        "DEBUG true\n=orphan",
        "DEBUG=true",
    ),
)
SWALLOWED_LINE = Rule(
    "EC103",
    "swallowed-line",
    E,
    "A line without '=' becomes part of the next key.",
    _doc(
        "Flags a line that Node's util.parseEnv (Vite) or dotenv glues onto the following "
        "line, so that the next key's name contains it.",
        "The next variable gets a name with a newline in it and the app never finds it.",
        "# comment indented\n  stray text\nAPI_KEY=...",
        "# comment\nAPI_KEY=...",
    ),
)
INVALID_KEY = Rule(
    "EC104",
    "invalid-key",
    E,
    "A key the parser rejects, renames or drops.",
    _doc(
        "Flags a key with characters outside what the dialect accepts, or a key such as "
        "__proto__ that JavaScript objects swallow.",
        "The variable is missing, or present under another name.",
        "MY KEY=1\n__proto__=x",
        "MY_KEY=1",
    ),
)
INVALID_ENCODING = Rule(
    "EC105",
    "invalid-encoding",
    E,
    "The file is not valid UTF-8 text.",
    _doc(
        "Flags invalid UTF-8 bytes, UTF-16 files and files with NUL bytes.",
        "Node replaces bad bytes with U+FFFD; python-dotenv fails to load the whole file; "
        "a UTF-16 file (as some Windows editors save it) reads as garbage everywhere.",
        "# saved as UTF-16 by an editor",
        "# saved as UTF-8 without BOM",
    ),
)
BYTE_ORDER_MARK = Rule(
    "EC106",
    "byte-order-mark",
    W,
    "The file starts with a UTF-8 byte-order mark.",
    _doc(
        "Flags a UTF-8 BOM at the start of the file.",
        "Node's dotenv skips it, but python-dotenv makes it part of the first key, so the "
        "first variable silently gets another name.",
        "\\ufeffFIRST_KEY=1",
        "FIRST_KEY=1",
    ),
)
CRLF = Rule(
    "EC107",
    "crlf-line-ending",
    W,
    "The file uses CRLF (Windows) line endings.",
    _doc(
        "Flags the first CRLF line ending of a file.",
        "Most loaders cope, but shells that `source` the file and tools that split on LF "
        "keep a stray CR at the end of each value.",
        "KEY=value\\r\\n",
        "KEY=value\\n",
    ),
)
LONE_CR = Rule(
    "EC108",
    "lone-carriage-return",
    E,
    "A CR that is not followed by LF.",
    _doc(
        "Flags a bare CR inside a line.",
        "util.parseEnv deletes it and joins the text around it; python-dotenv treats it as a "
        "line break; editors show one line.  Each reader sees different variables.",
        "A=1\\rB=2",
        "A=1\\nB=2",
    ),
)
UNREADABLE = Rule(
    "EC109",
    "unreadable-file",
    E,
    "An env file exists but cannot be read.",
    _doc(
        "Flags an env file that is a directory, a broken link, too large, or not readable.",
        "The framework skips it or crashes; either way none of its values arrive.",
        "chmod 000 .env.local",
        "chmod 600 .env.local",
    ),
)
QUOTE_SPANS = Rule(
    "EC110",
    "quote-spans-assignments",
    E,
    "A quoted value runs over later KEY= lines.",
    _doc(
        "Flags a quoted value whose closing quote is found lines later, after other "
        "assignments, which become part of the value.",
        "The later variables do not exist; their text (maybe secrets) is inside this value.",
        'A="unclosed\nB=2\nC="x"',
        'A="closed"\nB=2\nC="x"',
    ),
)
ESCAPED_QUOTE = Rule(
    "EC111",
    "escaped-quote",
    W,
    "A backslash-escaped quote that the parser does not honour.",
    _doc(
        'Flags `\\"` inside a double-quoted value where the dialect has no escapes.',
        "The value ends at the escaped quote; the rest is lost.",
        'MSG="say \\"hi\\""',
        "MSG='say \"hi\"'",
    ),
)
TEXT_AFTER_QUOTE = Rule(
    "EC112",
    "text-after-quote",
    W,
    "Text after a closing quote is ignored.",
    _doc(
        "Flags text (other than a comment) after the closing quote of a value.",
        "The parser drops it silently, or keeps the quotes as part of the value.",
        'NAME="first" second',
        'NAME="first second"',
    ),
)
HASH_TRUNCATES = Rule(
    "EC113",
    "hash-truncates-value",
    W,
    "An unquoted value is cut at '#'.",
    _doc(
        "Flags an unquoted value containing '#' that the parser reads as a comment start.",
        "URL fragments and passwords with '#' lose everything after it.",
        "URL=https://example.com/#/home",
        'URL="https://example.com/#/home"',
    ),
)
PARSER_PROBLEM = Rule(
    "EC199",
    "parser-problem",
    W,
    "Another problem the parser or decoder reported.",
    _doc(
        "Reports a parser problem of a kind no other syntax rule covers yet.",
        "The parser noticed something that makes the app read the file differently from "
        "how it looks; the message says what.",
        "# see the message",
        "# see the hint",
    ),
)

RULES: tuple[Rule, ...] = (
    UNTERMINATED_QUOTE, DROPPED_LINE, SWALLOWED_LINE, INVALID_KEY, INVALID_ENCODING,
    BYTE_ORDER_MARK, CRLF, LONE_CR, UNREADABLE, QUOTE_SPANS, ESCAPED_QUOTE,
    TEXT_AFTER_QUOTE, HASH_TRUNCATES, PARSER_PROBLEM,
)  # fmt: skip

_BY_KIND: dict[str, Rule] = {
    "unterminated-quote": UNTERMINATED_QUOTE,
    "dropped-line": DROPPED_LINE,
    "swallowed-line": SWALLOWED_LINE,
    "invalid-key": INVALID_KEY,
    "invalid-utf8": INVALID_ENCODING,
    "encoding": INVALID_ENCODING,
    "binary": INVALID_ENCODING,
    "bom": BYTE_ORDER_MARK,
    "crlf": CRLF,
    "lone-cr": LONE_CR,
    "unreadable": UNREADABLE,
    "quote-spans-assignments": QUOTE_SPANS,
    "escaped-quote": ESCAPED_QUOTE,
    "text-after-quote": TEXT_AFTER_QUOTE,
    "ignored-trailing": TEXT_AFTER_QUOTE,
    "hash-truncates-value": HASH_TRUNCATES,
}

SYNTAX_KINDS: frozenset[str] = frozenset(_BY_KIND)
"""Problem kinds this family reports; the precedence family skips them."""

_HINTS: dict[str, str] = {
    "EC101": "close the quote on the same line, or quote a multi-line value on both ends",
    "EC102": "write it as KEY=value, or comment it out with '#'",
    "EC103": "make the stray line a comment starting at column 1, or delete it",
    "EC104": "use only letters, digits and '_' in keys, starting with a letter or '_'",
    "EC105": "save the file as UTF-8 (without BOM)",
    "EC106": "save the file as UTF-8 without BOM",
    "EC107": "convert the file to LF line endings (e.g. `dos2unix`)",
    "EC108": "replace the CR with a newline, or delete it",
    "EC109": "make it a readable regular file, or remove it",
    "EC110": "close the quote before the next KEY= line",
    "EC111": "use single quotes around a value that contains double quotes",
    "EC112": "put everything inside the quotes, or start the comment with ' #'",
    "EC113": 'quote the value: KEY="a#b"',
}


def rule_for_kind(kind: str) -> Rule:
    """The rule a problem kind maps to; EC199 for a kind no rule knows yet."""
    return _BY_KIND.get(kind, PARSER_PROBLEM)


def _finding(problem: Problem) -> Finding:
    rule = rule_for_kind(problem.kind)
    message = problem.message
    if problem.key and problem.key not in message:
        message = f"{problem.key}: {message}"
    hint = _HINTS.get(rule.code)
    if rule is PARSER_PROBLEM:
        hint = f"parser problem kind {problem.kind!r}"
    return rule.finding(
        message,
        Location(problem.path, problem.line, problem.col),
        key=problem.key,
        hint=hint,
    )


def findings_from_problems(problems: Iterable[Problem], *, unknown: bool = True) -> list[Finding]:
    """Findings for the syntax problems in ``problems``.

    ``unknown`` also maps kinds outside :data:`SYNTAX_KINDS` (to EC199); pass
    False for loader notes, whose other kinds belong to precedence.
    """
    return [_finding(p) for p in problems if unknown or p.kind in SYNTAX_KINDS]


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Every parsed file's problems, and the syntax kinds among the loader notes."""
    for parsed in ctx.resolution.parsed:
        yield from findings_from_problems(parsed.problems)
    yield from findings_from_problems(ctx.resolution.notes, unknown=False)
