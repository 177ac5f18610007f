"""When a key stops working: a JWT's ``exp`` and ``nbf`` claims, read offline.

Service-role keys (Supabase), custom API tokens and many short-lived
credentials are JWTs: ``header.payload.signature``, each part base64url.
Their expiry is written in the payload, so it can be read without sending
the token anywhere.  Only the payload is decoded; the signature is not
checked (there is no key to check it with, and nothing here trusts the
claims for more than a date to warn about).  Everything is bounded: a value
longer than :data:`MAX_TOKEN` is not looked at, and a malformed one is
simply "not a JWT".  The same dates come from GitHub's
``github-authentication-token-expiration`` header
(:func:`parse_http_date`), so one :func:`state` decides for both.  Next to
:mod:`envcheck.secret` rather than in :mod:`envcheck.probe`: ``check`` reads
it too (EC409), on its start-up path, with no probe machinery loaded.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache

from envcheck.model import FrozenRecord

__all__ = [
    "MAX_TOKEN",
    "DEFAULT_WARN_DAYS",
    "Times",
    "times",
    "state",
    "iso",
    "parse_http_date",
    "from_iso",
    "Expiry",
]

MAX_TOKEN = 8192  # characters; real JWTs are a few hundred
DEFAULT_WARN_DAYS = 14
# Claims beyond year 9999 (or before 1970) are not dates anyone wrote on purpose.
_MAX_EPOCH = 253402300799


class Times(FrozenRecord):
    """The validity window a token states about itself (either end may be absent)."""

    __slots__ = ("expires", "not_before")
    expires: datetime | None
    not_before: datetime | None

    def __init__(self, expires: datetime | None = None, not_before: datetime | None = None) -> None:
        object.__setattr__(self, "expires", expires)
        object.__setattr__(self, "not_before", not_before)


class Expiry(FrozenRecord):
    """What the window means now: ``expired``, ``expiring`` or ``not-yet-valid``."""

    __slots__ = ("status", "when", "days")
    status: str
    when: datetime
    days: float  # days from now to ``when`` (negative once past)

    def __init__(self, status: str, when: datetime, days: float) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "when", when)
        object.__setattr__(self, "days", days)

    def describe(self) -> str:
        """``"expired 2024-05-01 10:00 UTC (3 days ago)"`` and the like."""
        at = self.when.strftime("%Y-%m-%d %H:%M UTC")
        if self.status == "expired":
            return f"expired {at} ({_span(-self.days)} ago)"
        if self.status == "not-yet-valid":
            return f"not valid before {at} (in {_span(self.days)})"
        return f"expires {at} (in {_span(self.days)})"


@cache  # compiled on first use: most values do not start like a JWT
def _shape() -> re.Pattern[str]:
    return re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def _span(days: float) -> str:
    if days >= 2:
        return f"{int(days)} days"
    hours = days * 24
    return f"{int(hours)} hours" if hours >= 2 else "less than 2 hours"


def _epoch(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not 0 <= value <= _MAX_EPOCH:
        return None
    return datetime.fromtimestamp(value, UTC)


def times(value: str) -> Times | None:
    """The ``exp`` / ``nbf`` of a JWT, or None when ``value`` is not a JWT that states one."""
    value = value.strip()
    if len(value) > MAX_TOKEN or not value.startswith("eyJ") or not _shape().match(value):
        return None
    # Only for a value shaped like a JWT: most runs never decode one.
    import base64
    import binascii

    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    payload = value.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json_loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(claims, dict):
        return None
    found = Times(_epoch(claims.get("exp")), _epoch(claims.get("nbf")))
    return found if found.expires or found.not_before else None


def parse_http_date(text: str) -> datetime | None:
    """GitHub's ``2021-10-07 19:07:53 UTC`` (or ``+0000`` offset) as an aware datetime."""
    text = text.strip()[:64]
    for fmt in ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None


def iso(when: datetime) -> str:
    """The JSON form: ``2024-05-01T10:00:00Z``."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> datetime | None:
    try:
        parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC)


def state(found: Times, *, warn_days: float, now: datetime | None = None) -> Expiry | None:
    """What ``found`` means at ``now``: None while the token is good for over ``warn_days``."""
    now = now or datetime.now(UTC)
    if found.not_before is not None and found.not_before > now:
        return Expiry("not-yet-valid", found.not_before, _days(found.not_before - now))
    if found.expires is None:
        return None
    left = _days(found.expires - now)
    if left <= 0:
        return Expiry("expired", found.expires, left)
    if left <= warn_days:
        return Expiry("expiring", found.expires, left)
    return None


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400
