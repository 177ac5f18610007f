"""compose's ``${VAR}`` interpolation, ported from compose-go ``template/template.go``.

One engine serves both places compose interpolates: every string of the
compose file (against the shell and the project ``.env``) and the values of
an ``env_file`` / ``.env`` in the compose dotenv dialect.  Supported, as in
compose: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``,
``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, nesting
inside the default, and ``$$`` for a literal ``$``.  Names are
``[_a-zA-Z][_a-zA-Z0-9]*``; a ``$`` before anything else stays literal, a
``${`` that does not parse is an error ("invalid interpolation format").

The port keeps compose-go's quirks on purpose: the operator is the one that
occurs first in the whole ``${...}`` text, and the text after the first
balanced ``}`` of a match is interpolated again and appended.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["Lookup", "TemplateError", "substitute"]

Lookup = Callable[[str], "str | None"]

_PATTERN = re.compile(
    r"\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|"
    r"{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))"
)
# compose-go's interpolationMapping order: a tie in position keeps this order.
_OPERATORS = (":?", "?", ":-", "-", ":+", "+")


class TemplateError(Exception):
    """compose refuses the value: ``kind`` is ``invalid`` or ``required``.

    Never carries the template text (it may hold a secret): only the
    variable name and the author's own error message for ``${VAR:?msg}``.
    """

    def __init__(self, kind: str, variable: str = "", reason: str = "") -> None:
        self.entry: object = None  # the env-file Entry whose value failed, if any
        self.kind = kind
        self.variable = variable
        self.reason = reason
        if kind == "invalid":
            text = "invalid interpolation format (write $$ for a literal $)"
        elif reason:
            text = f"required variable {variable} is missing a value: {reason}"
        else:
            text = f"required variable {variable} is missing a value"
        super().__init__(text)


def _operator(text: str) -> str:
    """The operator compose-go picks: the one found earliest in ``text``."""
    found = [(text.find(op), i, op) for i, op in enumerate(_OPERATORS) if op in text]
    return min(found)[2] if found else _OPERATORS[0]


def _first_closing_brace(text: str) -> int:
    depth = 0
    i = 0
    while i < len(text):
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        if text[i] == "{":
            depth += 1
            i += 1
        i += 1
    return -1


def substitute(template: str, lookup: Lookup, unset: list[str] | None = None) -> str:
    """``template`` interpolated; names found unset are appended to ``unset``.

    Raises :class:`TemplateError` as compose would fail.  ``unset`` collects
    what compose only warns about ("The X variable is not set").
    """
    error: list[TemplateError] = []

    def replace(match: re.Match[str]) -> str:
        try:
            return _replacement(match.group(0), lookup, unset)
        except TemplateError as err:
            if not error:
                error.append(err)
            return ""

    result = _PATTERN.sub(replace, template)
    if error:
        raise error[0]
    return result


def _replacement(substring: str, lookup: Lookup, unset: list[str] | None) -> str:
    op = _operator(substring)
    closing = _first_closing_brace(substring)
    rest = ""
    if closing > -1:
        rest = substring[closing + 1 :]
        substring = substring[: closing + 1]
    match = _PATTERN.match(substring)  # Go's FindStringSubmatch: leftmost-first, as re
    if match is None:  # cannot happen: the cut keeps the start of a match
        raise TemplateError("invalid")
    if match.group("escaped"):
        return "$"
    name = match.group("named") or ""
    braced = False
    if not name:
        name = match.group("braced") or ""
        braced = True
    if not name:
        raise TemplateError("invalid")
    if braced:
        applied, value = _apply(op, name, lookup, unset)
        if applied:
            return value + substitute(rest, lookup, unset)
    value_or_none = lookup(name)
    if value_or_none is None:
        if unset is not None:
            unset.append(name)
        return ""
    return value_or_none


def _apply(op: str, text: str, lookup: Lookup, unset: list[str] | None) -> tuple[bool, str]:
    """One ``${NAME<op>arg}``: (applied, value), as compose-go's substitute functions."""
    if op not in text:
        return False, ""
    name, _, arg = text.partition(op)
    value = lookup(name)
    if op in (":-", "-"):
        if value is None or (op == ":-" and value == ""):
            return True, substitute(arg, lookup, unset)
        return True, value
    if op in (":+", "+"):
        if value is not None and (op == "+" or value != ""):
            return True, substitute(arg, lookup, unset)
        return True, value or ""
    # ":?" / "?"
    if value is None or (op == ":?" and value == ""):
        raise TemplateError("required", name, substitute(arg, lookup, unset))
    return True, value
