"""Type validation of one string value against a :class:`KeySpec`.

Numbers, booleans, URLs, emails and JSON go through pydantic ``TypeAdapter``s
so that "valid" means what it means to a pydantic-settings app.  pydantic is
imported inside :func:`_adapter` and each adapter is built once: a project
whose schema only has ``str`` keys never imports it (the start-up budget).
Reasons never contain the value: pydantic's messages for these types do not
echo input, and anything a message could echo is redacted anyway.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from typing import Any

from envcheck.schema.model import KeySpec
from envcheck.secret import redact

_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s.]+"
EMAIL_FALLBACK_NOTE = "checked with a simple pattern; install email-validator for full validation"


@cache
def has_email_validator() -> bool:
    """pydantic's EmailStr needs the optional ``email-validator`` package."""
    return importlib.util.find_spec("email_validator") is not None


@cache
def _adapter(kind: str) -> Any:
    from typing import Annotated

    import pydantic

    targets: dict[str, Any] = {
        "int": int,
        "float": float,
        "bool": bool,
        "port": Annotated[int, pydantic.Field(ge=1, le=65535)],
        "url": pydantic.AnyUrl,
        "json": pydantic.Json,
    }
    if kind == "email":
        return pydantic.TypeAdapter(pydantic.EmailStr)
    return pydantic.TypeAdapter(targets[kind])


def _pydantic_reason(kind: str, value: str) -> str | None:
    from pydantic import ValidationError

    try:
        _adapter(kind).validate_python(value)
    except ValidationError as err:
        errors = err.errors(include_url=False, include_input=False)
        message = str(errors[0]["msg"]) if errors else "is invalid"
        return redact(message[:1].lower() + message[1:], [value])
    return None


_LABELS = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (true/false, 1/0, yes/no, on/off)",
    "port": "a port number from 1 to 65535",
    "url": "a URL",
    "email": "an email address",
    "json": "JSON",
}


def validate(spec: KeySpec, value: str) -> str | None:
    """Why ``value`` is not valid for ``spec`` (type, choices, pattern), or None."""
    reason = _type_reason(spec, value)
    if reason is None and spec.pattern is not None:
        from envcheck.schema.patterns import full_match  # linear time (RE2): patterns are data

        if not full_match(spec.pattern, value):
            reason = "does not match the pattern the schema requires"
    return reason


def _type_reason(spec: KeySpec, value: str) -> str | None:
    kind = spec.type
    if spec.choices is not None or kind == "enum":
        choices = spec.choices or ()
        if value in choices:
            return None
        return f"is not one of: {', '.join(choices)}"
    if kind in ("str", "path"):
        return "contains a NUL character" if "\0" in value else None
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as err:
            return f"is not a valid regular expression: {err.msg}"
        return None
    if kind == "email" and not has_email_validator():
        return (
            None
            if _compiled(_EMAIL).fullmatch(value)
            else f"is not an email address ({EMAIL_FALLBACK_NOTE})"
        )
    if kind == "url" and "://" not in value:
        return "is not a URL: expected scheme://host"
    if kind == "bool" and value.strip().lower() not in _BOOLS:
        return f"is not {_LABELS['bool']}"
    if kind not in _LABELS:
        return None  # unknown types are rejected by the loader; be lenient here
    if _plainly_valid(kind, value):
        return None
    reason = _pydantic_reason(kind, value)
    return None if reason is None else f"is not {_LABELS[kind]}: {reason}"


# Values whose validity is beyond doubt skip pydantic (≈0.2 s to import): the
# start-up budget holds for the usual schema.  Anything else goes to pydantic,
# so "valid" still means what it means to a pydantic-settings app.
_PLAIN = {
    "int": r"-?[0-9]{1,18}",
    "float": r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?",
    "url": r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,4})?(?:/[!-~]*)?",
}


@cache  # on first use: a schema uses a few of these types, if any
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _plainly_valid(kind: str, value: str) -> bool:
    if kind == "bool":
        return value.strip().lower() in _BOOLS
    if kind == "port":
        return value.isascii() and value.isdigit() and 1 <= int(value) <= 65535
    if kind == "json":
        from envcheck.sources.structured import json_loads  # bounded nesting: a file's value

        try:
            json_loads(value)
        except ValueError:
            return False
        return not any(word in value for word in ("NaN", "Infinity"))
    plain = _PLAIN.get(kind)
    return plain is not None and _compiled(plain).fullmatch(value) is not None


# pydantic's own bool spellings (case-insensitive), checked first for a clearer message.
_BOOLS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"})
