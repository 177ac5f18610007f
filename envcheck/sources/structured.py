"""JSON and TOML documents from a checkout: parsed with bounded nesting, errors with a position.

``json.loads`` and ``tomllib.loads`` recurse once per nested array or
table, so ``[[[[...]]]]`` a few thousand levels deep (a few kilobytes in a
hostile ``package.json``, ``turbo.json`` or ``pyproject.toml``) raises
:class:`RecursionError`, which no reader expects.  Here nesting deeper
than :data:`MAX_DEPTH` (the bound :mod:`envcheck.sources.yamlsafe` puts on
YAML) is refused before parsing, as the format's own decode error
(:class:`json.JSONDecodeError`, :class:`tomllib.TOMLDecodeError`) at the
bracket that goes too deep, so every caller's existing handling of a
broken file applies unchanged: the readers that skip a broken
``package.json`` skip this one, and those that report one report this one
with its line and column.

:func:`load_toml` and :func:`load_json` go one step further for readers
whose broken file is the user's to fix: the envcheck error (exit 2) with
``file:line:col``, what is wrong and a hint.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from envcheck.errors import ConfigError, EnvcheckError

__all__ = ["MAX_DEPTH", "json_loads", "load_json", "load_toml", "toml_loads", "toml_type"]

MAX_DEPTH = 100
"""Arrays and objects (tables) nested deeper than this are refused; real config files nest < 10."""

_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
_FLATTEN = "flatten the structure: no config file needs that many nested arrays or tables"


@cache
def _json_tokens() -> re.Pattern[str]:
    """A string (skipped whole: brackets inside it do not count) or a bracket."""
    return re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


@cache
def _toml_tokens() -> re.Pattern[str]:
    """As :func:`_json_tokens`, for TOML's four kinds of string and its comments."""
    return re.compile(
        r'"""[\s\S]*?(?:"""|$)|\'\'\'[\s\S]*?(?:\'\'\'|$)|"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?'
        r"|#[^\n]*|[\[\]{}]"
    )


def _too_deep(text: str, tokens: re.Pattern[str]) -> int | None:
    """The index of the first bracket nested deeper than MAX_DEPTH, or None.

    Counting the brackets first keeps the common file (a few dozen) from
    being scanned at all.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in tokens.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif token in ("]", "}"):
            depth = max(0, depth - 1)
    return None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def json_loads(text: str | bytes) -> Any:
    """``json.loads`` that raises :class:`json.JSONDecodeError` for too deep a document too.

    The one way checkout data (files, values, JWT payloads inside values) is read as JSON:
    the stdlib's decoder recurses per nesting level, so ``[[[…`` 5,000 deep is a
    RecursionError, an internal error, where this gives a decode error the caller reports.
    Bytes are decoded as UTF-8 (what JSON is)."""
    import json

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")

    at = _too_deep(text, _json_tokens())
    if at is not None:
        raise json.JSONDecodeError(_TOO_DEEP, text, at)
    try:
        return json.loads(text)
    except RecursionError:  # a caller already deep in the stack: still a refused document
        raise json.JSONDecodeError(_TOO_DEEP, text, 0) from None


def toml_loads(text: str) -> dict[str, Any]:
    """``tomllib.loads`` that raises :class:`tomllib.TOMLDecodeError` for too deep a document."""
    import tomllib

    at = _too_deep(text, _toml_tokens())
    if at is not None:
        line, col = _line_col(text, at)
        raise tomllib.TOMLDecodeError(f"{_TOO_DEEP} (at line {line}, column {col})")
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise tomllib.TOMLDecodeError(f"{_TOO_DEEP} (at line 1, column 1)") from None


@cache
def _toml_position() -> re.Pattern[str]:
    return re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


def load_toml(text: str, shown: str, error: type[EnvcheckError] = ConfigError) -> dict[str, Any]:
    """The TOML document ``text`` of file ``shown``; ``error`` at ``shown:line:col`` if broken.

    tomllib puts the position in its message (``(at line 3, column 7)``, or
    ``(at end of document)``): it becomes the error's ``where``.
    """
    import tomllib

    try:
        return toml_loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        m = _toml_position().search(message)
        where = shown
        if m and m.group(1):
            where = f"{shown}:{m.group(1)}:{m.group(2)}"
        elif m:  # "at end of document": point after the last non-blank line
            lines = text.rstrip().splitlines() or [""]
            where = f"{shown}:{len(lines)}:{len(lines[-1]) + 1}"
        reason = _toml_position().sub("", message)
        raise error(
            f"invalid TOML: {reason}",
            where=where,
            hint=_FLATTEN
            if reason == _TOO_DEEP
            else "fix the syntax at that position (strings need quotes, tables [brackets])",
        ) from None


def load_json(
    text: str, shown: str, error: type[EnvcheckError] = ConfigError, hint: str | None = None
) -> Any:
    """The JSON document ``text`` of file ``shown``; ``error`` at ``shown:line:col`` if broken."""
    import json

    try:
        return json_loads(text)
    except json.JSONDecodeError as err:
        raise error(
            f"invalid JSON: {err.msg}",
            where=f"{shown}:{err.lineno}:{err.colno}",
            hint=_FLATTEN if err.msg == _TOO_DEEP else hint or "fix the syntax at that position",
        ) from None


def toml_type(value: Any) -> str:
    """What a value parsed from TOML is, in TOML's words (``an array``), for "must be" errors."""
    import datetime

    if isinstance(value, bool):
        return "a boolean"
    for kind, name in (
        (str, "a string"),
        (int, "an integer"),
        (float, "a float"),
        (list, "an array"),
        (dict, "a table"),
        (datetime.datetime, "a date-time"),
        (datetime.date, "a date"),
        (datetime.time, "a time"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__
