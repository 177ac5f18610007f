"""Which resource a value points at, comparable across modes without keeping the secret.

``.env.staging`` with the production ``DATABASE_URL`` is the incident this
module exists for: staging tests migrations, load and deletions against
production's data.  The values differ (another password, another query
string) and the key is not named like a secret, so neither equality nor
EC604 sees it; the *resource* is the same.  :func:`identity` reduces a
value to the resource it names:

* a URL of a database, cache or broker (``postgres://``, ``mysql://``,
  ``mongodb+srv://``, ``redis://``, ``amqp://``, ...): its host(s), port (the
  scheme's default when absent) and database name;
* an HTTP(S) endpoint: host and port -- except loopback and local hosts
  (they name a different machine on each side) and the shared public APIs
  everyone calls (``api.openai.com``: :data:`SHARED_API_HOSTS` and the probe
  catalogue's exact hosts);
* a Stripe key (``sk_``/``pk_``/``rk_``, live or test): the mode and a keyed
  fingerprint of the account part that Stripe's current keys carry (the 16
  characters after the version digit, the same in an account's secret and
  publishable keys) -- test mode of the production account is not
  production;
* a Supabase project: the ref in ``https://<ref>.supabase.co`` and the
  ``ref`` claim of an anon or service-role JWT (read, never verified);
* an AWS ARN (Secrets Manager, SSM, any service): account, service, region
  and resource;
* a Firebase / Google Cloud project: ``*_FIREBASE_PROJECT_ID``, the
  ``<project>.firebaseapp.com`` / ``.appspot.com`` / ``.firebasestorage.app``
  / ``.firebaseio.com`` hosts, a service-account JSON's ``project_id``;
* a Sentry DSN: organisation and project (the public key is dropped).

An :class:`Identity` never holds a password or a key: the parts are names
(host, port, database, account id) or, for a part cut from a key, a keyed
fingerprint from the caller's per-run :class:`~envcheck.secret.Fingerprinter`.
Its ``repr`` shows only the kind.  Pure: no I/O, no import beyond the
standard library's parsers, linear in the value.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from functools import cache

from envcheck.model import FrozenRecord

__all__ = ["Identity", "SHARED_API_HOSTS", "identity", "url_password"]

MAX_VALUE = 8192  # longer than any URL or key: not parsed (a service-account JSON fits)

DATABASE, CACHE, BROKER, API = "database", "cache", "message broker", "API"
STRIPE, SUPABASE, AWS, GCP, SENTRY = (
    "Stripe account",
    "Supabase project",
    "AWS resource",
    "Firebase / Google Cloud project",
    "Sentry project",
)

# scheme -> (what it is, default port); ``jdbc:`` in front is dropped first.
_SCHEMES: dict[str, tuple[str, str]] = {
    "postgres": (DATABASE, "5432"),
    "postgresql": (DATABASE, "5432"),
    "postgis": (DATABASE, "5432"),
    "cockroachdb": (DATABASE, "26257"),
    "mysql": (DATABASE, "3306"),
    "mysql2": (DATABASE, "3306"),
    "mariadb": (DATABASE, "3306"),
    "mongodb": (DATABASE, "27017"),
    "mongodb+srv": (DATABASE, ""),  # a DNS SRV name: no port
    "sqlserver": (DATABASE, "1433"),
    "mssql": (DATABASE, "1433"),
    "clickhouse": (DATABASE, "9000"),
    "neo4j": (DATABASE, "7687"),
    "neo4j+s": (DATABASE, "7687"),
    "bolt": (DATABASE, "7687"),
    "libsql": (DATABASE, "443"),
    "redis": (CACHE, "6379"),
    "rediss": (CACHE, "6379"),
    "valkey": (CACHE, "6379"),
    "memcached": (CACHE, "11211"),
    "amqp": (BROKER, "5672"),
    "amqps": (BROKER, "5671"),
    "nats": (BROKER, "4222"),
    "kafka": (BROKER, "9092"),
    "mqtt": (BROKER, "1883"),
    "mqtts": (BROKER, "8883"),
    "http": (API, "80"),
    "https": (API, "443"),
    "ws": (API, "80"),
    "wss": (API, "443"),
}
# Where the database's name is the path's first segment, and its default when absent.
_DEFAULT_DATABASE = {"redis": "0", "rediss": "0", "valkey": "0"}

SHARED_API_HOSTS = frozenset(
    {
        "api.stripe.com",
        "api.github.com",
        "hooks.slack.com",
        "slack.com",
        "api.sendgrid.com",
        "api.resend.com",
        "api.postmarkapp.com",
        "api.mailgun.net",
        "api.twilio.com",
        "api.cloudflare.com",
        "www.googleapis.com",
        "oauth2.googleapis.com",
        "accounts.google.com",
        "login.microsoftonline.com",
        "graph.microsoft.com",
        "api.segment.io",
        "app.posthog.com",
        "us.i.posthog.com",
        "eu.i.posthog.com",
        "api.pinecone.io",
        "huggingface.co",
        "api-inference.huggingface.co",
    }
)
"""Public API hosts every customer shares: the same host in staging and production is
the same vendor, not the same resource (the account is in the key, compared on its own)."""

_LOCAL_HOST = re.compile(
    r"^(?:localhost|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0|host\.docker\.internal)$|\.(?:local|localhost)$"
)
_STRIPE = re.compile(r"^(sk|pk|rk)_(live|test)_([A-Za-z0-9]+)$")
_STRIPE_ACCOUNT = re.compile(r"^5([A-Za-z0-9]{16})[A-Za-z0-9]{8,}$")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]*\.(eyJ[A-Za-z0-9_-]*)\.[A-Za-z0-9_-]*$")
_ARN = re.compile(r"^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(\S+)$")
_GCP_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_FIREBASE_HOST = re.compile(
    r"^([a-z][a-z0-9-]{4,28}[a-z0-9])(?:-default-rtdb)?\."
    r"(?:firebaseapp\.com|appspot\.com|firebasestorage\.app|firebaseio\.com|"
    r"(?:[a-z0-9-]+\.)?firebasedatabase\.app)$"
)
_SUPABASE_HOST = re.compile(r"^([a-z0-9]{20})\.supabase\.(?:co|in)$")
_SENTRY_HOST = re.compile(r"^o(\d+)\.ingest(?:\.[a-z]{2})?\.sentry\.io$")
_SERVICE_ACCOUNT_PROJECT = re.compile(r'"project_id"\s*:\s*"([a-z][a-z0-9-]{4,28}[a-z0-9])"')


class Identity(FrozenRecord):
    """The resource a value names: ``noun`` (what it is) and comparable ``parts``.

    ``parts`` are ``(name, text)`` pairs -- names like ``host``, fingerprints
    for anything cut from a key -- compared as a whole: two identities are the
    same resource when kind and every part agree.  ``severity`` is None for
    the rule's own, or ``info`` where sharing is the vendor's advice (one
    Sentry project, environments told apart by a tag).
    """

    __slots__ = ("noun", "parts", "shared_by_design")
    _not_shown = ("parts",)
    noun: str
    parts: tuple[tuple[str, str], ...]
    shared_by_design: bool

    def __init__(
        self, noun: str, parts: tuple[tuple[str, str], ...], shared_by_design: bool = False
    ) -> None:
        object.__setattr__(self, "noun", noun)
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "shared_by_design", shared_by_design)

    @property
    def described(self) -> str:
        """The part names for a message: ``host, port and database``."""
        names = [name for name, _ in self.parts]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


Fingerprint = Callable[[str], str]
# How a Stripe key, a JWT, an ARN and a service-account JSON start: the values read by shape.
_SHAPED_HEADS = ("sk_", "pk_", "rk_", "eyJ", "arn:", "{")


def identity(key: str, value: str, fingerprint: Fingerprint) -> Identity | None:
    """The resource ``value`` (of ``key``) points at, or None when it names none we know.

    ``fingerprint`` turns a part cut from a key into something comparable
    within this run only (the diff's per-run keyed fingerprint).
    """
    text = value.strip()
    if len(text) < 6 or len(text) > MAX_VALUE:
        return None
    if text.startswith(_SHAPED_HEADS):  # one C call rules these shapes out for most values
        stripe = _STRIPE.match(text) if text.startswith(("sk_", "pk_", "rk_")) else None
        if stripe:
            return _stripe(stripe, fingerprint)
        if text.startswith("eyJ"):
            return _supabase_jwt(text)
        if text.startswith("arn:"):
            return _arn(text)
        if text.startswith("{"):
            found = _SERVICE_ACCOUNT_PROJECT.search(text)
            return Identity(GCP, (("project id", found.group(1)),)) if found else None
    if "://" in text:
        return _url(key, text)
    upper = key.upper()
    if "FIREBASE" in upper or "GCP" in upper or "GOOGLE_CLOUD" in upper:
        return _firebase_value(upper, text.lower())
    return None


def _stripe(match: re.Match[str], fingerprint: Fingerprint) -> Identity | None:
    _, mode, body = match.groups()
    account = _STRIPE_ACCOUNT.match(body)
    if account is None:
        return None  # an older key: no account part to compare (EC604 compares whole keys)
    return Identity(STRIPE, (("account", fingerprint(account.group(1))), ("mode", mode)))


def _supabase_jwt(text: str) -> Identity | None:
    """The ``ref`` claim of a Supabase anon / service-role JWT (the payload only)."""
    import base64

    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    match = _JWT.match(text)
    if match is None:
        return None
    payload = match.group(1)
    try:
        claims = json_loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict) or claims.get("iss") != "supabase":
        return None
    ref = claims.get("ref")
    return Identity(SUPABASE, (("project ref", ref),)) if isinstance(ref, str) and ref else None


def _arn(text: str) -> Identity | None:
    match = _ARN.match(text)
    if match is None:
        return None
    partition, service, region, account, resource = match.groups()
    return Identity(
        AWS,
        (
            ("account", f"{partition}:{account}"),
            ("service", service),
            ("region", region),
            ("resource", resource),
        ),
    )


def _firebase_value(upper: str, text: str) -> Identity | None:
    if upper.endswith("PROJECT_ID") or upper.endswith("PROJECT"):
        return Identity(GCP, (("project id", text),)) if _GCP_PROJECT.match(text) else None
    host = _FIREBASE_HOST.match(text)
    return Identity(GCP, (("project id", host.group(1)),)) if host else None


def _hosts(netloc: str) -> list[tuple[str, str]] | None:
    """``(host, port)`` of each host in a URL's authority (MongoDB lists several); no userinfo."""
    hosts: list[tuple[str, str]] = []
    for item in netloc.rpartition("@")[2].split(","):
        item = item.strip()
        if item.startswith("["):
            host, _, rest = item[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        else:
            host, _, port = item.partition(":")
        if port and not port.isdigit():
            return None
        hosts.append((host.lower().rstrip("."), port))
    return hosts


def _url(key: str, text: str) -> Identity | None:
    if text[:5].lower() == "jdbc:":
        text = text[5:]
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    known = _SCHEMES.get(scheme)
    hosts = _hosts(parts.netloc)
    if known is None or hosts is None:
        return None
    noun, default_port = known
    if scheme in ("postgres", "postgresql") and not any(h for h, _ in hosts):
        socket = dict(urllib.parse.parse_qsl(parts.query)).get("host", "")  # Cloud SQL socket
        hosts = [(socket, "")] if socket else hosts
    names = sorted({h for h, _ in hosts})
    if not names or not names[0] or any(_LOCAL_HOST.search(h) for h in names):
        return None  # no host, or one that is a different machine on each side
    if noun == API:
        return _endpoint(key, names[0], parts)
    ports = sorted({p or default_port for _, p in hosts})
    database = urllib.parse.unquote(parts.path.lstrip("/").split("/", 1)[0])
    database = database or _DEFAULT_DATABASE.get(scheme, "")
    found: list[tuple[str, str]] = [("host", ",".join(names))]
    if any(ports):
        found.append(("port", ",".join(ports)))
    found.append(("database", database))
    return Identity(noun, tuple(found))


def _endpoint(key: str, host: str, parts: urllib.parse.SplitResult) -> Identity | None:
    """An HTTP(S) URL: a known project (Supabase, Sentry, Firebase) or an API's host and port."""
    supabase = _SUPABASE_HOST.match(host)
    if supabase:
        return Identity(SUPABASE, (("project ref", supabase.group(1)),))
    firebase = _FIREBASE_HOST.match(host)
    if firebase:
        return Identity(GCP, (("project id", firebase.group(1)),))
    segments = [s for s in parts.path.split("/") if s]
    sentry = _SENTRY_HOST.match(host)
    if sentry or ("SENTRY" in key.upper() and parts.username and segments):
        organisation = sentry.group(1) if sentry else host
        project = segments[-1] if segments else ""
        return Identity(
            SENTRY,
            (("organisation", organisation), ("project", project)),
            shared_by_design=True,
        )
    if _shared_api(host):
        return None
    try:
        port = str(parts.port or "")
    except ValueError:
        return None
    default = _SCHEMES[parts.scheme.lower()][1]
    return Identity(API, (("host", host), ("port", port or default)))


def _shared_api(host: str) -> bool:
    """A public API every customer calls (the account is in the key, not the host)."""
    return host in SHARED_API_HOSTS or host in _catalog_hosts()


@cache
def _catalog_hosts() -> frozenset[str]:
    """Every probed provider's own hosts, gathered once (a diff asks for each URL key)."""
    from envcheck.probe.catalog import CATALOG

    return frozenset(h for p in CATALOG for h in p.own_hosts)  # exact hosts: ".x" are per customer


def url_password(value: str) -> str | None:
    """The credential a URL carries in its user part (``postgres://app:PASSWORD@db``), or None.

    What EC604 compares (through the diff's keyed fingerprint) when the same
    database password sits in two modes' URLs, whatever else differs.  A
    token-shaped user part with no password (``https://TOKEN@host``) counts.
    """
    text = value.strip()
    if "@" not in text or "://" not in text or len(text) > MAX_VALUE:
        return None
    try:
        parts = urllib.parse.urlsplit(text)
        password, username = parts.password, parts.username
    except ValueError:
        return None
    if password:
        return urllib.parse.unquote(password)
    from envcheck.secret import url_credential

    if username and url_credential(f"{parts.scheme}://{username}@x") is not None:
        return urllib.parse.unquote(username)
    return None
