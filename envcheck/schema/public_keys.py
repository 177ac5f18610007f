"""Keys that are public by design, and their secret twins: one classification for every rule.

Several services issue a key that is *meant* for the browser next to one
that must never leave the server: Supabase's ``anon`` key and its
``service_role`` key, Stripe's and Clerk's ``pk_`` and ``sk_`` keys,
Mapbox's ``pk.`` and ``sk.`` tokens, PostHog's ``phc_`` project key and
``phx_`` personal key, Algolia's search-only key and its admin key.  The
public one is protected by something other than secrecy (row-level
security, an HTTP-referrer or App Check restriction, a write-only ingest
endpoint), so ``NEXT_PUBLIC_SUPABASE_ANON_KEY`` is fine in a bundle and
``NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY`` is a leak.

Both are told apart by shape and, for Supabase's JWTs, by the ``role``
claim: the payload is decoded locally (base64url JSON; the signature is not
checked - a forged token proves nothing either way, and the claim is what
Supabase itself acts on).  Names decide only where the value cannot (an
empty example value, Algolia's undistinguished hex keys).

The security rules (EC401, EC402-EC404), ``init`` and ``guard`` all ask
this module, so they never disagree about a key.  Every verdict is a reason
in words, never the value.  Imports only ``re`` at module level.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = [
    "PUBLIC_BY_DESIGN",
    "SECRET_STARTS",
    "jwt_role",
    "public_name",
    "public_reason",
    "secret_reason",
]

# The end of a name (after any public prefix) that marks a key public by design.
PUBLIC_BY_DESIGN: dict[str, str] = {
    "ANON_KEY": "a Supabase anon key is public by design: row-level security guards the data",
    "SUPABASE_KEY": "",  # decided by the value alone: anon or service_role
    "SITE_KEY": "a CAPTCHA site key is meant for the browser",
    "FIREBASE_API_KEY": (
        "a Firebase web API key is public by design: it identifies the project and is "
        "restricted by HTTP referrer and App Check, not by secrecy"
    ),
    "MAPS_API_KEY": (
        "a Google Maps browser key is public by design: it is restricted by HTTP referrer"
    ),
    "MAPBOX_ACCESS_TOKEN": "a Mapbox public token (pk.) is meant for the browser",
    "MAPBOX_TOKEN": "a Mapbox public token (pk.) is meant for the browser",
    "POSTHOG_KEY": "a PostHog project key (phc_) only sends events",
    "POSTHOG_API_KEY": "a PostHog project key (phc_) only sends events",
    "SENTRY_DSN": "a Sentry DSN is public by design: it only lets clients send events",
    "SEARCH_KEY": "an Algolia search-only key is meant for the browser",
    "SEARCH_API_KEY": "an Algolia search-only key is meant for the browser",
    "SEARCH_ONLY_API_KEY": "an Algolia search-only key is meant for the browser",
    "SEGMENT_WRITE_KEY": "a Segment write key only sends events",
    "AMPLITUDE_API_KEY": "an Amplitude API key only sends events",
    "MIXPANEL_TOKEN": "a Mixpanel project token only sends events",
}
# A name with the word PUBLISHABLE anywhere (``STRIPE_PUBLISHABLE_KEY``, Stack Auth's
# ``STACK_PUBLISHABLE_CLIENT_KEY``): the provider calls the key publishable because it is
# made to ship to browsers (Stack's docs: "safe to include in frontend code"; Stripe's and
# Clerk's pk_ keys).  The word, not one provider's ending, is what says so.
_PUBLISHABLE_WORD = "PUBLISHABLE"
_PUBLISHABLE = "a publishable key (its name says so) is made to ship to the browser"
# What every value :func:`secret_reason` can call a secret starts with (a cheap pre-test).
SECRET_STARTS = ("eyJ", "sb_secret_", "sk.eyJ", "phx_")
_BY_LENGTH = tuple(sorted(PUBLIC_BY_DESIGN, key=len, reverse=True))

_SERVICE_ROLE = (
    "a Supabase service_role key (JWT role service_role): it bypasses row-level "
    "security; only the anon key is public"
)


@cache  # the name words below are read only for an AIza value: compiled on first use
def _ai_words() -> re.Pattern[str]:
    return re.compile(r"(?:^|_)(?:GEMINI|GENERATIVE|GENAI|PALM|VERTEX|AI|LLM)(?:_|$)")


@cache
def _google_public_words() -> re.Pattern[str]:
    return re.compile(r"(?:^|_)(?:FIREBASE|MAPS?|PLACES|RECAPTCHA|YOUTUBE)(?:_|$)")


@cache
def _jwt_rx() -> re.Pattern[str]:
    return re.compile(r"eyJ[A-Za-z0-9_-]{2,}\.(eyJ[A-Za-z0-9_-]{2,4096})\.[A-Za-z0-9_-]*")


@cache
def _shapes() -> dict[str, re.Pattern[str]]:
    return {
        "stripe": re.compile(r"pk_(?:live|test)_[A-Za-z0-9]{24,}"),
        "clerk": re.compile(r"pk_(?:live|test)_[A-Za-z0-9+/=_$-]{10,}"),
        "supabase": re.compile(r"sb_publishable_[A-Za-z0-9_-]{10,}"),
        "sentry": re.compile(
            r"https://[0-9a-f]{6,64}@[A-Za-z0-9.-]*(?:sentry\.io|ingest\.[A-Za-z0-9.-]+)"
            r"(?::\d+)?/\d+"
        ),
        "posthog": re.compile(r"phc_[A-Za-z0-9]{20,}"),
        "mapbox": re.compile(r"pk\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"),
        "google": re.compile(r"AIza[0-9A-Za-z_-]{30,45}"),  # 35 by Google's docs; be lenient
    }


_SHAPE_REASONS = {
    "stripe": "a Stripe publishable key (pk_…) is meant for the browser",
    "clerk": "a Clerk publishable key (pk_…) is meant for the browser",
    "supabase": "a Supabase publishable key (sb_publishable_…) is meant for the browser",
    "sentry": "a Sentry DSN is public by design: it only lets clients send events",
    "posthog": "a PostHog project key (phc_…) only sends events",
    "mapbox": "a Mapbox public token (pk.…) is meant for the browser",
    "google": (
        "a Firebase/Google browser key (AIza…) is public by design: "
        "it is restricted by HTTP referrer and App Check, not by secrecy"
    ),
}


def jwt_role(value: str) -> str | None:
    """The ``role`` claim of a JWT-shaped value, decoded locally (no signature check)."""
    text = value.strip()
    if not text.startswith("eyJ"):
        return None
    m = _jwt_rx().fullmatch(text)
    if m is None:
        return None
    import base64
    import binascii

    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    payload = m.group(1)
    try:
        data = json_loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    role = data.get("role") if isinstance(data, dict) else None
    return role if isinstance(role, str) else None


def secret_reason(value: str) -> str | None:
    """Why a value is the *secret* twin of a public-by-design key, or None.

    These shapes are secrets wherever they appear, so a ``public = true``
    in the schema or a public-sounding name cannot excuse them.
    """
    text = value.strip()
    if text.startswith("eyJ"):
        role = jwt_role(text)
        if role in ("service_role", "supabase_admin"):
            return _SERVICE_ROLE
        return None
    if text.startswith("sb_secret_") and len(text) > 20:
        return "a Supabase secret key (sb_secret_…): it bypasses row-level security"
    if text.startswith("sk.eyJ"):
        return "a Mapbox secret token (sk.…)"
    if text.startswith("phx_") and len(text) > 20:
        return "a PostHog personal API key (phx_…), which can read and change the project"
    return None


def _google_public(bare: str) -> bool:
    """An ``AIza`` key is public under a public prefix unless the name says it calls an AI API.

    Gemini keys share the ``AIza`` shape and bill the project, so a
    ``NEXT_PUBLIC_GEMINI_API_KEY`` stays a leak.
    """
    return bool(_google_public_words().search(bare)) or not _ai_words().search(bare)


def _clerk(text: str) -> bool:
    """Clerk's ``pk_live_``/``pk_test_`` keys encode their frontend API host, ending in ``$``."""
    import base64
    import binascii

    rest = text.split("_", 2)[-1]
    try:
        decoded = base64.b64decode(rest + "=" * (-len(rest) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return decoded.endswith(b"$") and b"." in decoded


def value_reason(bare: str, value: str, *, public_prefix: bool) -> str | None:
    """Why ``value`` (of a key named ``bare``, public prefix removed) is public by its shape."""
    text = value.strip()
    if not text:
        return None
    if text.startswith("eyJ"):
        if jwt_role(text) == "anon":
            return (
                'a Supabase anon key (JWT role "anon") is public by design: '
                "row-level security guards the data"
            )
        return None
    if text.startswith("pk_") and _clerk(text):
        return _SHAPE_REASONS["clerk"]
    for kind in ("stripe", "clerk", "supabase", "sentry", "posthog", "mapbox"):
        if text.startswith(("pk", "sb_", "https://", "phc_")) and _shapes()[kind].fullmatch(text):
            return _SHAPE_REASONS[kind]
    if text.startswith("AIza") and _shapes()["google"].fullmatch(text):
        if public_prefix and _google_public(bare) or _google_public_words().search(bare):
            return _SHAPE_REASONS["google"]
    return None


def public_name(bare: str) -> str | None:
    """Why a name (public prefix removed) is public by design, or None; '' = value decides."""
    upper = bare.upper()
    if _PUBLISHABLE_WORD in upper and _PUBLISHABLE_WORD in upper.split("_"):
        return _PUBLISHABLE
    for end in _BY_LENGTH:
        if upper.endswith(end) and (len(upper) == len(end) or upper[-len(end) - 1] == "_"):
            return PUBLIC_BY_DESIGN[end]
    return None


def public_reason(bare: str, values: list[str], *, public_prefix: bool) -> str | None:
    """Why a key is public by design: its values' shapes first, then its name.

    ``bare`` is the name without its public prefix.  None when any value is
    a secret twin (:func:`secret_reason`), or nothing marks the key public.
    """
    present = [v for v in values if v.strip()]
    if any(secret_reason(v) for v in present):
        return None
    for value in present:
        why = value_reason(bare, value, public_prefix=public_prefix)
        if why:
            return why
    why = public_name(bare)
    if why is None:
        return None
    if why == "" or (present and _contradicts(bare, present)):
        return None
    return why


def _contradicts(bare: str, values: list[str]) -> bool:
    """A public-sounding name holding a shape that is a secret elsewhere (``sk_live_…``)."""
    from envcheck.secret import looks_like_key

    return any(looks_like_key(v) and not v.strip().startswith(("pk", "AIza")) for v in values)
