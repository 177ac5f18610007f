"""Go's text predicates, for the readers that port Go parsers (docker, compose).

Python's ``str.isspace`` is wider than Go's ``unicode.IsSpace`` (it also
counts the ASCII separators U+001C..U+001F), so a port that trimmed with
``str.strip()`` would accept lines the Go tool keeps, or the reverse.
"""

from __future__ import annotations

__all__ = ["go_is_space", "go_trim_left_space", "go_trim_right_space", "GO_SPACE"]

# unicode.IsSpace: Latin-1 whitespace plus the White_Space property above it.
GO_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE_CHARS = "".join(sorted(GO_SPACE))


def go_is_space(ch: str) -> bool:
    return ch in GO_SPACE


def go_trim_left_space(text: str) -> str:
    """``strings.TrimLeftFunc(text, unicode.IsSpace)``."""
    return text.lstrip(_SPACE_CHARS)


def go_trim_right_space(text: str) -> str:
    """``strings.TrimRightFunc(text, unicode.IsSpace)``."""
    return text.rstrip(_SPACE_CHARS)
