"""dotenvx's dialect: what ``dotenvx run`` reads from one file, and how it expands it.

Read from ``@dotenvx/dotenvx`` 1.75.1 (``src/lib/helpers/parse.js``,
``evalKeyValue.js``, ``resolveEscapeSequences.js``; the same code is
``@dotenvx/primitives``' ``scan``/``expand``).  The line regex is dotenv 17's
``LINE`` character for character, and ``clean`` is dotenv's with one more
escape: in a value whose first character is ``"`` also ``\\t`` becomes a
tab.  So :func:`parse` is the Node dotenv reader plus that escape.

What differs is what happens to each value afterwards (:func:`expand`,
driven per key by ``envcheck.sources.loaders.dotenvx``):

* a value whose first character is ``'`` (closed or not) is a literal;
* ``$(command)`` runs the command through a shell (``execSync``) and
  splices in its output; a value that ran a command is then *not* expanded.
  envcheck never runs it: :func:`has_command` tells the loader the value is
  unknown;
* ``${NAME}``, ``$NAME``, ``${NAME:-d}``/``${NAME-d}`` (both: d when unset
  *or empty*), ``${NAME:+a}``/``${NAME+a}`` (both: a when set and non-empty);
  a braced name with none of these operators is split on the word ``null``
  (JavaScript's ``split(null)``), so ``${AnullB}`` reads ``A`` with default
  ``B``; the value is spliced in with ``String.replace``, so ``$$``, ``$&``,
  ``$``` and ``$'`` in it are replacement patterns;
* the text is rescanned from the start after every replacement until no
  reference is left, the result equals the referenced value, or the name is
  a literal that itself holds a reference.  A reference that keeps coming
  back makes dotenvx loop forever; envcheck stops (``expansion-cycle``), as
  it does for a value past the expansion budget (``expansion-budget``);
* finally ``\\$`` becomes ``$``.

dotenvx 2.x (read from 2.38.2, ``@dotenvx/primitives`` 3.x ``parse``/``expand``,
and checked against its CLI in ``tests/sources/test_dotenvx2.py``) differs in three
places, so each major has its own reading (:func:`parse_v2` or, on entries
the 1.x reading produced, :func:`value_v2`; ``expand(..., major=2)``),
chosen by the loader from the version the project depends on:

* in a value whose first character is ``'``, ``\\'`` becomes ``'``;
* ``${NAME-d}`` is ``d`` only when NAME is *unset* (set but empty gives the
  empty string) and ``${NAME+a}`` is ``a`` whenever NAME is set, empty or
  not, as in POSIX shells; the ``:`` forms are unchanged;
* a braced name with no operator is no longer split on ``null``: ``${AnullB}``
  reads the variable ``A`` and drops ``B`` (the ``null`` split still picks
  the name).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from envcheck.secret import CIPHERTEXT_PREFIX, is_ciphertext
from envcheck.sources.budget import Budget
from envcheck.sources.readers import node
from envcheck.sources.types import DOUBLE, SINGLE, UNQUOTED, Entry, ParsedFile

__all__ = [
    "CIPHER_PREFIX",
    "ExpandStop",
    "expand",
    "first_quote",
    "has_command",
    "has_ref",
    "is_ciphertext",
    "is_literal",
    "parse",
    "parse_v2",
    "value_v2",
]

CIPHER_PREFIX = CIPHERTEXT_PREFIX
_QUOTES = ("'", '"', "`")
# parse.js expand(): a reference not preceded by a backslash.
_REF = re.compile(r"(?<!\\)\$\{([^{}]+)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)")
# The operators, leftmost first and in this order at one position (opRegex).
_OP = re.compile(r":\+|\+|:-|-")
# A literal that "contains expansion patterns" stops the rescan.
_HAS_REF = re.compile(r"\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*")
# evalKeyValue.js: the outermost $(...) spans.
_COMMAND = re.compile(r"\$\(([^)]+(?:\)[^(]*)*)\)")


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as dotenvx's ``Parse`` does, before decryption and expansion."""
    out = node.parse(text, path)
    for entry in out.entries:
        if "\\t" in entry.value and first_quote(entry) == DOUBLE:
            entry.value = entry.value.replace("\\t", "\t")
    return out


def parse_v2(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as dotenvx 2.x does: the 1.x reading, then ``\\'`` -> ``'`` in ``'…'``."""
    out = parse(text, path)
    for entry in out.entries:
        entry.value = value_v2(entry)
    return out


def value_v2(entry: Entry) -> str:
    """The value dotenvx 2.x reads where 1.x read ``entry.value`` (an escaped ``'`` unescaped)."""
    if "\\'" in entry.value and first_quote(entry) == SINGLE:
        return entry.value.replace("\\'", "'")
    return entry.value


def first_quote(entry: Entry) -> str:
    """The first character of the value as written, when it is a quote (``Parse.quote``).

    Not ``entry.quote``: dotenvx decides on the first character alone, so an
    unterminated ``'abc`` is a literal too.  The Node reader keeps that quote
    character at the start of the value when it does not strip it.
    """
    if entry.quote != UNQUOTED:
        return entry.quote
    head = entry.value[:1]
    return head if head in _QUOTES else UNQUOTED


def is_literal(entry: Entry) -> bool:
    """Whether dotenvx neither runs commands in nor expands this value."""
    return first_quote(entry) == SINGLE


def has_command(value: str) -> bool:
    """Whether dotenvx would run a ``$(...)`` command to build this value."""
    return "$(" in value and _COMMAND.search(value) is not None


def has_ref(value: str) -> bool:
    """Whether a literal's text holds a reference (then it stops a rescan that reaches it)."""
    return "$" in value and _HAS_REF.search(value) is not None


class ExpandStop(Exception):
    """dotenvx would never finish expanding this value (it rescans forever)."""


Lookup = Callable[[str], "str | None"]


def expand(
    value: str,
    lookup: Lookup,
    literal_has_ref: Callable[[str], bool],
    budget: Budget,
    key: str,
    used: Callable[[str], None] | None = None,
    major: int = 1,
) -> str:
    """``Parse.expand`` then ``resolveEscapeSequences``, step for step.

    ``lookup(name)`` is the value dotenvx's merged ``env`` holds for a name
    (None: not there); ``literal_has_ref(name)`` whether the name is a
    single-quoted literal of this file whose text holds a reference.
    ``used(name)`` is told each name whose value was spliced in (the loader
    tracks values it cannot know).  Raises :class:`ExpandStop` for a rescan
    that would never end, and ``BudgetExceeded`` past the budget.
    """
    if "$" not in value:
        return value
    result = value
    seen: set[tuple[int, int]] = set()
    while (m := _REF.search(result)) is not None:
        template = m.group(0)
        expression = m.group(1) if m.group(1) is not None else m.group(2)
        op = _OP.search(expression)
        splitter = op.group(0) if op else "null"
        name, found, rest = expression.partition(splitter)
        env_value = lookup(name)
        replacement, spliced = _operate(splitter, env_value, rest if found else "", major)
        if spliced and used is not None:
            used(name)
        result = _replace_first(result, template, replacement)
        budget.charge(key, len(result))
        if result == env_value:
            break
        if literal_has_ref(name):
            break
        state = (hash(result), len(result))
        if state in seen:
            raise ExpandStop(key)
        seen.add(state)
    return result.replace("\\$", "$")


def _operate(operator: str, env_value: str | None, word: str, major: int) -> tuple[str, bool]:
    """What one ``${NAME<operator>word}`` becomes (``operator`` "null": none), and
    whether that is NAME's value.

    1.x treats ``-`` as ``:-`` and ``+`` as ``:+`` and uses the word after a
    ``null`` split as a default; 2.x tells unset from empty for ``-`` and
    ``+`` and drops that word.
    """
    is_set = env_value is not None
    if operator == ":+" or operator == "+":
        wanted = is_set if major >= 2 and operator == "+" else bool(env_value)
        return (word if wanted else ""), False
    if env_value and (major < 2 or operator != "-") or (major >= 2 and operator == "-" and is_set):
        return env_value or "", bool(env_value)
    return ("" if major >= 2 and operator == "null" else word), False


def _replace_first(text: str, template: str, replacement: str) -> str:
    """JavaScript's ``text.replace(template, replacement)`` with a string pattern.

    The first occurrence is replaced, and the replacement's ``$$``, ``$&``,
    ``$``` and ``$'`` patterns are substituted (no captures: ``$1`` and
    ``$<`` stay as written).
    """
    at = text.find(template)
    if at < 0:
        return text
    before, after = text[:at], text[at + len(template) :]
    if "$" in replacement:
        replacement = _substitute(replacement, template, before, after)
    return before + replacement + after


def _substitute(replacement: str, matched: str, before: str, after: str) -> str:
    out: list[str] = []
    i, n = 0, len(replacement)
    while i < n:
        ch = replacement[i]
        nxt = replacement[i + 1] if i + 1 < n else ""
        if ch == "$" and nxt in ("$", "&", "`", "'") and nxt:
            out.append({"$": "$", "&": matched, "`": before, "'": after}[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
