"""Schema patterns (``pattern = "..."``, ``# pattern: ...``), matched in linear time.

A pattern comes from a checked file (``envcheck.toml``, ``.env.example``),
so it is data from a checkout that may be hostile, and so is the value it is
tested against.  Python's ``re`` backtracks: ``(a+)+$`` against 30 ``a``s
and a ``!`` takes minutes.  Patterns therefore run on RE2 (the
``google-re2`` package), whose matching time is linear in the value for any
pattern.  RE2 has no backreferences, lookaround, possessive quantifiers or
atomic groups -- exactly the features that need backtracking -- so a pattern
using one is a config error at the schema line, not a silent slow path:
env-var patterns (``^sk-[a-z]+$``, ``[0-9]{4}``) never need them.

Two differences from ``re`` remain for patterns both accept: ``\\d``, ``\\w``
and ``\\s`` are ASCII-only in RE2, and ``\\Z`` is spelled ``\\z`` (a pattern
must match the whole value anyway, so anchors are optional).

``re2`` is imported on first use only (the start-up import budget).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["PatternProblem", "full_match", "problem"]

# How a feature RE2 refuses is written, to name it in the error; first match wins.
_FEATURES = (
    (re.compile(r"\\[1-9]|\(\?P=|\\g<"), "a backreference"),
    (re.compile(r"\(\?<?[=!]"), "lookaround"),
    (re.compile(r"\(\?>"), "an atomic group"),
    (re.compile(r"(?<!\\)[*+?}]\+"), "a possessive quantifier"),
    (re.compile(r"\(\?\("), "a conditional group"),
)
_LINEAR_HINT = (
    "rewrite it without that feature: a value in a checkout must not be able to hang a check"
)


class PatternProblem:
    """Why a schema pattern cannot be used: a one-line message and a hint."""

    __slots__ = ("message", "hint")

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint


@cache
def _compiled(pattern: str) -> Any:
    """The RE2 program of ``pattern``; raises ``re2.error`` where RE2 refuses it."""
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print the pattern to stderr on its own
    return re2.compile(pattern, options)


def problem(pattern: str) -> PatternProblem | None:
    """Why ``pattern`` is not usable (invalid, or not runnable in linear time), or None."""
    try:
        re.compile(pattern)
    except re.error as err:
        return PatternProblem(f"invalid pattern: {err.msg}", "fix the regular expression")
    except (OverflowError, RecursionError):  # a{99999999999}, or groups nested thousands deep
        return PatternProblem(
            "invalid pattern: a repetition count or nesting too large for a regular expression",
            "keep repetition counts at most 1000 and groups nested a few levels deep",
        )
    import re2

    try:
        _compiled(pattern)
    except re2.error as err:
        for written, feature in _FEATURES:
            if written.search(pattern):
                return PatternProblem(
                    f"pattern uses a feature that can take exponential time ({feature}); "
                    "envcheck runs patterns in linear time",
                    _LINEAR_HINT,
                )
        reason = err.args[0] if err.args else "refused"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return PatternProblem(
            f"pattern cannot run in linear time (RE2: {reason})",
            "use \\z for \\Z, and keep repetition counts at most 1000",
        )
    return None


def full_match(pattern: str, value: str) -> bool:
    """Whether ``value`` as a whole matches ``pattern``, in time linear in ``value``.

    The schema loaders refuse patterns :func:`problem` objects to, so a
    pattern reaching here compiles.
    """
    return _compiled(pattern).fullmatch(value) is not None
