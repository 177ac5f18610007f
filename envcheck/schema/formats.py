"""Named detectors for the public shapes of credentials and URLs.

Each detector checks a value against the shape its issuer documents or
visibly uses (the prefixes secret scanners such as GitHub's and gitleaks'
key on); a verdict is a reason string, never the value.  Shapes are checked
loosely in length where issuers change lengths, strictly in prefix and
alphabet, because the point is to catch a key pasted into the wrong
variable or a browser token used as an API key, not to judge randomness.

The providers' key shapes, prefixes, names and look-alikes are rows of
:mod:`envcheck.providers`; this module turns each key of that table into a
detector and adds the shapes that belong to no provider (database URLs,
URLs).  It imports only ``re`` and the table: the schema rules run on every
``check``.  Its regexes are compiled on first use: the schema loader imports
it on every ``explain`` and ``check`` just to validate format names, and a
``check`` meets only the few shapes its values start like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from envcheck.model import PUBLIC_PREFIXES, FrozenRecord
from envcheck.providers import Key, keys, well_known_names

# Re-exported: value hygiene lives in its own module, part of the same public API.
from envcheck.schema.values import is_placeholder, stray_characters

__all__ = [
    "DETECTORS",
    "Detector",
    "check_format",
    "detect",
    "format_for_name",
    "is_placeholder",
    "stray_characters",
]

Check = Callable[[str], "str | None"]


class Detector(FrozenRecord):
    """One named shape: ``check`` returns why a value does not fit, or None.

    ``distinctive`` detectors have a prefix no other kind shares, so
    :func:`detect` may name them for any value; bare shapes (32 hex
    characters, 40 base64 characters) only apply where a schema or a
    well-known variable name asks for them.
    """

    __slots__ = ("name", "title", "shape", "check", "distinctive", "secret")
    name: str
    title: str
    shape: str
    check: Check
    distinctive: bool
    secret: bool

    def __init__(
        self,
        name: str,
        title: str,
        shape: str,
        check: Check,
        distinctive: bool = True,
        secret: bool = True,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "check", check)
        object.__setattr__(self, "distinctive", distinctive)
        object.__setattr__(self, "secret", secret)


def _a(title: str) -> str:
    return f"{'an' if title[0] in 'AEIOU' else 'a'} {title}"


# Detector name -> the provider table's key, for every key that is a detector:
# :func:`detect` and the checks read shapes, prefixes and look-alikes from here.
_KEYS: dict[str, Key] = {key.format: key for _, key in keys() if key.format}


@cache
def _shape_rx(name: str) -> re.Pattern[str]:
    """The compiled full shape of detector ``name``."""
    return re.compile(_KEYS[name].pattern)


@cache
def _lookalike_rx(pattern: str) -> re.Pattern[str]:
    """A look-alike's pattern, compiled the first time a value misses its key's shape."""
    return re.compile(pattern)


def _key_check(key: Key) -> Check:
    """The check of a provider's key: its shape, then the look-alikes its provider issues
    (a session token, an admin key, the key's own twin), then any other known kind."""
    name, title = key.format, key.title

    def check(value: str) -> str | None:
        if _shape_rx(name).fullmatch(value):
            return None
        for pattern, reason in key.lookalikes:
            if _lookalike_rx(pattern).match(value):
                return reason
        other = detect(value)
        if other is not None and other != name:
            return f"looks like {_a(DETECTORS[other].title)}, not {_a(title)}"
        return f"does not have the shape of {_a(title)} ({key.shape})"

    check.__doc__ = f"{title}: {key.shape}."
    return check


@cache
def _url_rx() -> re.Pattern[str]:
    return re.compile(
        r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://"
        r"(?:(?P<userinfo>[^@/?#\s]*)@)?"
        r"(?P<hosts>[^/?#\s]*)"
        r"(?P<rest>[/?#]\S*)?"
    )


@cache
def _host_rx() -> re.Pattern[str]:
    return re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.%-]+)(?::(?P<port>[^:]*))?")


@cache
def _db_schemes_rx() -> re.Pattern[str]:
    return re.compile(
        r"(?:postgres|postgresql|mysql|mariadb|mongodb|mongodb\+srv|redis|rediss|"
        r"cockroachdb|mssql|sqlserver|clickhouse)(?:\+[a-z0-9_]+)?"
    )


def _hosts_reason(hosts: str, *, many: bool) -> str | None:
    if not hosts:
        return "has no host"
    for host in hosts.split(",") if many else [hosts]:
        m = _host_rx().fullmatch(host)
        if m is None:
            return "has a malformed host"
        port = m.group("port")
        # At most 5 digits before int(): a 100 kB digit string would not convert at all.
        if port is not None and not (port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
            return "has a port that is not a number from 1 to 65535"
    return None


def _url(value: str) -> str | None:
    """An absolute URL with a scheme and a host (``https://api.example.com/v1``)."""
    m = _url_rx().fullmatch(value)
    if m is None:
        return "is not an absolute URL (scheme://host/…)"
    return _hosts_reason(m.group("hosts"), many=False)


def _database_url(value: str) -> str | None:
    """Database URLs: ``postgres(ql)://``, ``mysql://``, ``mongodb(+srv)://``,
    ``redis(s)://`` (SQLAlchemy ``+driver`` suffixes allowed) with a host,
    ``sqlite:///path``, or Prisma's SQLite ``file:./dev.db`` (the Remix stacks ship it)."""
    if re.fullmatch(r"sqlite(?:\+[a-z0-9_]+)?:///?\S*|file:\S+", value):
        return None
    m = _url_rx().fullmatch(value)
    if m is None:
        return "is not a database URL (scheme://user:password@host:port/db)"
    scheme = m.group("scheme").lower()
    if not _db_schemes_rx().fullmatch(scheme):
        return "does not use a known database scheme (postgres, mysql, mongodb, redis, …)"
    if not m.group("hosts") and "host=" in (m.group("rest") or ""):
        return None  # postgres socket: postgresql:///db?host=/var/run/postgresql
    return _hosts_reason(m.group("hosts"), many=scheme.startswith("mongodb"))


DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (
        *(
            Detector(k.format, k.title, k.shape, _key_check(k), bool(k.starts), k.secret)
            for k in _KEYS.values()
        ),
        Detector(
            "database-url",
            "database URL",
            "postgres://, mysql://, mongodb://, redis:// with a host",
            _database_url,
            distinctive=False,
        ),
        Detector("url", "URL", "scheme://host/…", _url, distinctive=False, secret=False),
    )
}

# Longer prefixes before the prefixes they extend (``sk-ant-api`` before ``sk-``).
_DETECT_ORDER = tuple(
    sorted(
        (name for name, key in _KEYS.items() if key.starts),
        key=lambda name: -max(map(len, _KEYS[name].starts)),
    )
)
# Every prefix ``detect`` knows: a value starting with none of them is no detected kind.
DETECT_PREFIXES = tuple(p for name in _DETECT_ORDER for p in _KEYS[name].starts)


def detect(value: str) -> str | None:
    """Which distinctive kind of credential ``value`` is, or None.

    Only prefixed shapes are named (a bare 32-character string could be
    anything), so the security rules can call this on every value.
    """
    if not value.startswith(DETECT_PREFIXES):
        return None
    for name in _DETECT_ORDER:
        if value.startswith(_KEYS[name].starts) and _shape_rx(name).fullmatch(value):
            return name
    return None


def check_format(name: str, value: str) -> str | None:
    """Why ``value`` does not fit detector ``name`` (None when it fits).

    Raises KeyError for an unknown detector name: the schema loader
    validates names, so that is a programming error.
    """
    return DETECTORS[name].check(value)


# Variables whose names say which detector applies, whatever the schema says.
# The provider table's names, and the names of values that are no provider's key.
WELL_KNOWN: dict[str, str] = {
    **well_known_names(),
    "DATABASE_URL": "database-url",
    "REDIS_URL": "database-url",
    "MONGODB_URI": "database-url",
    "OPENAI_BASE_URL": "url",
}
_PUBLIC_STARTS = PUBLIC_PREFIXES


@cache
def _public_rx() -> re.Pattern[str]:
    return re.compile(f"^(?:{'|'.join(_PUBLIC_STARTS)})")


def format_for_name(key: str) -> str | None:
    """The detector a well-known variable name implies (public prefixes ignored)."""
    found = WELL_KNOWN.get(key)
    if found or not key.startswith(_PUBLIC_STARTS):
        return found  # without a public prefix, the prefix regex would change nothing
    return WELL_KNOWN.get(_public_rx().sub("", key))
