"""Bun's ``$VAR`` / ``${VAR}`` / ``${VAR:-default}`` expansion (Bun 1.4.5), bounded.

Bun expands each env file right after parsing it, before it reads the next
(lower-priority) file.  Checked against the real ``bun`` binary
(``tests/sources/test_bun_loader.py``):

* every value is expanded whatever its quotes -- single quotes and backticks
  too, unlike the shell and dotenv-expand;
* only the keys a file *adds* are expanded, one pass in the order they first
  appear; a reference is looked up in what Bun holds at that moment: the
  process environment, the files already loaded (expanded), the file's
  earlier keys (expanded) and its later keys *as written* (not expanded).
  A key of a lower-priority file is not loaded yet, so it reads as unset;
  a key that refers to itself gets its own unexpanded text;
* a name is ``[A-Za-z0-9_]+``; an unset name becomes ``""``; ``$`` not
  followed by a name stays (``$$``, ``a$``, ``$-``);
* ``${VAR:-default}`` takes ``default`` (itself expanded, nesting allowed)
  only when ``VAR`` is unset -- an empty ``VAR`` stays empty.  Any other
  operator (``${VAR-d}``, ``${VAR:+d}``, ``${VAR:=d}``) and an unclosed
  ``${`` are kept as written, and nothing inside them is expanded;
* ``\\$`` is a literal ``$`` (the backslash is dropped); any other backslash
  is kept.  Inside ``${...}`` a backslash stops the next character from
  closing or opening braces.

Every string built is charged to the run's
:class:`~envcheck.sources.budget.Budget`: a value growing past 1 MiB or
defaults nested more than 64 deep raise
:class:`~envcheck.sources.budget.BudgetExceeded`, which the loader turns into
an ``expansion-budget`` note.  Bun itself would build such a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from envcheck.sources.budget import Budget

__all__ = ["Refs", "expand_value"]

_SPECIAL = re.compile(r"[$\\]")
_BRACE = re.compile(r"[$\\}]")
_NAME = re.compile(r"[A-Za-z0-9_]*")


class Refs:
    """What one expansion ran into (names only, never values)."""

    __slots__ = ("unset", "kept", "used")

    def __init__(self) -> None:
        self.unset: list[str] = []  # names looked up, unset, with no default
        self.kept: list[str] = []  # ${...} forms Bun keeps as written ("operator", "unclosed")
        self.used: list[str] = []  # every name looked up


def _name_at(text: str, p: int) -> str:
    """The (possibly empty) name ``[A-Za-z0-9_]*`` starting at ``p``."""
    m = _NAME.match(text, p)
    return m.group() if m else ""


def _closing_brace(v: str, p: int) -> int:
    """Where the ``}`` closing the ``${`` before ``p`` is, or -1."""
    depth = 1
    n = len(v)
    while True:
        m = _BRACE.search(v, p)
        if m is None:
            return -1
        j = m.start()
        c = v[j]
        if c == "\\":
            p = j + 2
        elif c == "$":
            if j + 1 < n and v[j + 1] == "{":
                depth += 1
                p = j + 2
            else:
                p = j + 1
        else:
            depth -= 1
            if depth == 0:
                return j
            p = j + 1
        if p >= n:
            return -1


def expand_value(
    value: str,
    lookup: Callable[[str], str | None],
    *,
    key: str,
    budget: Budget,
    refs: Refs,
    chain: tuple[str, ...] = (),
) -> str:
    """``value`` as Bun expands it; ``lookup(name)`` is Bun's map (None: unset)."""
    if "$" not in value:
        return value
    out: list[str] = []
    size = 0
    i = 0
    n = len(value)
    limit = budget.max_value
    while True:
        m = _SPECIAL.search(value, i)
        if m is None:
            out.append(value[i:])
            break
        j = m.start()
        out.append(value[i:j])
        size += j - i
        if value[j] == "\\":
            if j + 1 < n and value[j + 1] == "$":
                out.append("$")
                i = j + 2
            else:
                out.append("\\")
                i = j + 1
            size += 1
            continue
        piece: str
        if j + 1 < n and value[j + 1] == "{":
            close = _closing_brace(value, j + 2)
            if close == -1:
                refs.kept.append("unclosed")
                out.append(value[j:])
                break
            inner = value[j + 2 : close]
            name = _name_at(inner, 0)
            rest = inner[len(name) :]
            i = close + 1
            if rest == "" or rest.startswith(":-"):
                refs.used.append(name)
                found = lookup(name)
                if found is not None:
                    piece = found
                elif rest:
                    budget.descend(key, (*chain, name))
                    piece = expand_value(
                        rest[2:], lookup, key=key, budget=budget, refs=refs, chain=(*chain, name)
                    )
                else:
                    if name:
                        refs.unset.append(name)
                    piece = ""
            else:
                refs.kept.append("operator")
                piece = value[j:i]
        else:
            name = _name_at(value, j + 1)
            if not name:
                piece = "$"
                i = j + 1
            else:
                refs.used.append(name)
                i = j + 1 + len(name)
                found = lookup(name)
                if found is None:
                    refs.unset.append(name)
                    piece = ""
                else:
                    piece = found
        size += len(piece)
        if size > limit:
            budget.charge(key, size, (*chain, name))
        out.append(piece)
    result = "".join(out)
    budget.charge(key, len(result), chain)
    return result
