"""Named detectors for the public shapes of credentials and URLs.

Each detector checks a value against the shape its issuer documents or
visibly uses (the prefixes secret scanners such as GitHub's and gitleaks'
key on); a verdict is a reason string, never the value.  Shapes are checked
loosely in length where issuers change lengths, strictly in prefix and
alphabet, because the point is to catch a key pasted into the wrong
variable or a browser token used as an API key, not to judge randomness.

The module imports only ``re``: the schema rules run on every ``check``.
Its regexes are compiled on first use: the schema loader imports it on every
``explain`` and ``check`` just to validate format names, and a ``check``
meets only the few shapes its values start like.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from envcheck.model import PUBLIC_PREFIXES, FrozenRecord

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


_SHAPES: dict[str, str] = {
    "openai-api-key": (
        r"sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}"  # project, service account, admin
        # Legacy user key: sk- + alphanumerics with T3BlbkFJ (base64 "OpenAI") after at
        # least 20 and before at least 20 of them.  Written so that matching is linear:
        # the lookahead checks the alphabet once, the lazy prefix stops at the first
        # T3BlbkFJ with 20 after it, and nothing after it backtracks.  The plain form
        # ``[A-Za-z0-9]{20,}T3BlbkFJ[A-Za-z0-9]{20,}`` rescans the tail at every
        # T3BlbkFJ: 100 kB of them took 18 s.
        r"|sk-(?=[A-Za-z0-9]*+\Z)[A-Za-z0-9]{20,}?T3BlbkFJ[A-Za-z0-9]{20}[A-Za-z0-9]*+"
    ),
    "anthropic-api-key": r"sk-ant-api\d\d-[A-Za-z0-9_-]{80,}",
    "stripe-secret-key": r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}",
    "stripe-publishable-key": r"pk_(?:live|test)_[A-Za-z0-9]{24,}",
}
"""Detector name -> the full shape, for :func:`detect` (no reasons needed there)."""


@cache
def _shape_rx(name: str) -> re.Pattern[str]:
    """The compiled full shape of detector ``name``."""
    return re.compile(_SHAPES[name])


def _shape(name: str, title: str, shape: str, pattern: str, **kw: bool) -> Detector:
    _SHAPES[name] = pattern

    def check(value: str) -> str | None:
        if _shape_rx(name).fullmatch(value):
            return None
        other = detect(value)
        if other is not None and other != name:
            return f"looks like {_a(DETECTORS[other].title)}, not {_a(title)}"
        return f"does not have the shape of {_a(title)} ({shape})"

    check.__doc__ = f"{title}: {shape}."
    return Detector(name, title, shape, check, **kw)


def _openai(value: str) -> str | None:
    """OpenAI API keys: ``sk-proj-…``, ``sk-svcacct-…``, ``sk-admin-…`` and legacy
    ``sk-`` + 48 characters containing ``T3BlbkFJ`` (platform.openai.com/api-keys).
    A ChatGPT browser session token (``sess-…``) is not an API key."""
    if _shape_rx("openai-api-key").fullmatch(value):
        return None
    if value.startswith("sess-"):
        return "is a ChatGPT browser session token (sess-…), not an API key; the API rejects it"
    other = detect(value)
    if other is not None and other != "openai-api-key":
        return f"looks like {_a(DETECTORS[other].title)}, not an OpenAI API key"
    if re.fullmatch(r"sk-[0-9a-f]{32}", value):
        return (
            "has the sk- + 32 hex shape of an OpenAI-compatible provider's key "
            "(e.g. DeepSeek), not an OpenAI key"
        )
    return (
        "does not have the shape of an OpenAI API key "
        "(sk-proj-…, sk-svcacct-…, sk-admin-… or a legacy sk-…T3BlbkFJ… key)"
    )


def _anthropic(value: str) -> str | None:
    """Anthropic API keys: ``sk-ant-api03-`` + ~95 URL-safe characters (console.anthropic.com).
    Admin keys (``sk-ant-admin01-``) and OAuth tokens (``sk-ant-oat01-``) cannot call the API."""
    if _shape_rx("anthropic-api-key").fullmatch(value):
        return None
    if value.startswith("sk-ant-admin"):
        return (
            "is an Anthropic Admin API key (sk-ant-admin01-…), which cannot call the Messages API"
        )
    if value.startswith("sk-ant-oat"):
        return "is an Anthropic OAuth token (sk-ant-oat01-…), not an API key"
    other = detect(value)
    if other is not None and other != "anthropic-api-key":
        return f"looks like {_a(DETECTORS[other].title)}, not an Anthropic API key"
    return "does not have the shape of an Anthropic API key (sk-ant-api03-…)"


def _stripe_secret(value: str) -> str | None:
    """Stripe secret and restricted keys: ``sk_live_``/``sk_test_``/``rk_live_``/``rk_test_``
    + 24 or more alphanumerics (docs.stripe.com/keys)."""
    if _shape_rx("stripe-secret-key").fullmatch(value):
        return None
    if value.startswith("pk_"):
        return "is a Stripe publishable key (pk_…), not a secret key"
    return "does not have the shape of a Stripe secret key (sk_live_…, sk_test_… or rk_…)"


def _stripe_publishable(value: str) -> str | None:
    """Stripe publishable keys: ``pk_live_``/``pk_test_`` + 24 or more alphanumerics."""
    if _shape_rx("stripe-publishable-key").fullmatch(value):
        return None
    if value.startswith(("sk_", "rk_")):
        return "is a Stripe secret key where a publishable key (pk_…) belongs"
    return "does not have the shape of a Stripe publishable key (pk_live_… or pk_test_…)"


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
        Detector(
            "openai-api-key",
            "OpenAI API key",
            "sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…",
            _openai,
        ),
        _shape(
            "azure-openai-key",
            "Azure OpenAI key",
            "32 hex characters, or the 84-character form",
            r"[0-9A-Fa-f]{32}|[A-Za-z0-9]{84}",
            distinctive=False,
        ),
        Detector("anthropic-api-key", "Anthropic API key", "sk-ant-api03-…", _anthropic),
        _shape(
            "google-api-key", "Google API key", "AIza + 35 characters", r"AIza[0-9A-Za-z_-]{35}"
        ),
        _shape("groq-api-key", "Groq API key", "gsk_ + 52 alphanumerics", r"gsk_[A-Za-z0-9]{40,}"),
        _shape(
            "mistral-api-key",
            "Mistral API key",
            "32 bare alphanumerics",
            r"[A-Za-z0-9]{32}",
            distinctive=False,
        ),
        _shape(
            "openrouter-api-key",
            "OpenRouter API key",
            "sk-or-v1- + 64 hex characters",
            r"sk-or-v1-[0-9a-f]{64}",
        ),
        _shape(
            "huggingface-token",
            "Hugging Face token",
            "hf_ + 34 alphanumerics",
            r"hf_[A-Za-z0-9]{30,}",
        ),
        _shape(
            "aws-access-key-id",
            "AWS access key ID",
            "AKIA or ASIA + 16 upper-case characters",
            r"(?:AKIA|ASIA)[A-Z0-9]{16}",
            secret=False,
        ),
        _shape(
            "aws-secret-access-key",
            "AWS secret access key",
            "40 base64 characters",
            r"[A-Za-z0-9/+]{40}",
            distinctive=False,
        ),
        Detector(
            "stripe-secret-key", "Stripe secret key", "sk_live_…, sk_test_…, rk_…", _stripe_secret
        ),
        Detector(
            "stripe-publishable-key",
            "Stripe publishable key",
            "pk_live_…, pk_test_…",
            _stripe_publishable,
            secret=False,
        ),
        _shape(
            "github-token",
            "GitHub token",
            "ghp_/gho_/ghu_/ghs_/ghr_ + 36 characters, or github_pat_…",
            r"gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{40,}",
        ),
        _shape(
            "slack-token",
            "Slack token",
            "xoxb-, xoxp-, xoxa- or xoxs- + dash-separated parts",
            r"xox[bpas]-[A-Za-z0-9-]{10,}",
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

# Order matters: longer prefixes before the prefixes they extend.
_DETECT_ORDER = (
    "anthropic-api-key",
    "openrouter-api-key",
    "openai-api-key",
    "google-api-key",
    "groq-api-key",
    "huggingface-token",
    "aws-access-key-id",
    "stripe-secret-key",
    "stripe-publishable-key",
    "github-token",
    "slack-token",
)
_PREFIXES = {
    "anthropic-api-key": ("sk-ant-api",),
    "openrouter-api-key": ("sk-or-v1-",),
    "openai-api-key": ("sk-",),
    "google-api-key": ("AIza",),
    "groq-api-key": ("gsk_",),
    "huggingface-token": ("hf_",),
    "aws-access-key-id": ("AKIA", "ASIA"),
    "stripe-secret-key": ("sk_", "rk_"),
    "stripe-publishable-key": ("pk_",),
    "github-token": ("gh", "github_pat_"),
    "slack-token": ("xox",),
}


# Every prefix ``detect`` knows: a value starting with none of them is no detected kind.
DETECT_PREFIXES = tuple(p for name in _DETECT_ORDER for p in _PREFIXES[name])


def detect(value: str) -> str | None:
    """Which distinctive kind of credential ``value`` is, or None.

    Only prefixed shapes are named (a bare 32-character string could be
    anything), so the security rules can call this on every value.
    """
    if not value.startswith(DETECT_PREFIXES):
        return None
    for name in _DETECT_ORDER:
        if value.startswith(_PREFIXES[name]) and _shape_rx(name).fullmatch(value):
            return name
    return None


def check_format(name: str, value: str) -> str | None:
    """Why ``value`` does not fit detector ``name`` (None when it fits).

    Raises KeyError for an unknown detector name: the schema loader
    validates names, so that is a programming error.
    """
    return DETECTORS[name].check(value)


# Variables whose names say which detector applies, whatever the schema says.
WELL_KNOWN: dict[str, str] = {
    "OPENAI_API_KEY": "openai-api-key",
    "AZURE_OPENAI_API_KEY": "azure-openai-key",
    "AZURE_OPENAI_KEY": "azure-openai-key",
    "ANTHROPIC_API_KEY": "anthropic-api-key",
    "GOOGLE_API_KEY": "google-api-key",
    "GEMINI_API_KEY": "google-api-key",
    "GOOGLE_GENERATIVE_AI_API_KEY": "google-api-key",
    "GROQ_API_KEY": "groq-api-key",
    "MISTRAL_API_KEY": "mistral-api-key",
    "OPENROUTER_API_KEY": "openrouter-api-key",
    "HF_TOKEN": "huggingface-token",
    "HUGGING_FACE_HUB_TOKEN": "huggingface-token",
    "AWS_ACCESS_KEY_ID": "aws-access-key-id",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-access-key",
    "STRIPE_SECRET_KEY": "stripe-secret-key",
    "STRIPE_PUBLISHABLE_KEY": "stripe-publishable-key",
    "GITHUB_TOKEN": "github-token",
    "GH_TOKEN": "github-token",
    "SLACK_BOT_TOKEN": "slack-token",
    "SLACK_TOKEN": "slack-token",
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
