"""Google Gemini (Generative Language API): ``GET /models/{model}``, free.

The key goes in the ``x-goog-api-key`` header (never the ``?key=`` query,
which proxies log).  A model lookup authenticates the key and checks that
the Generative Language API is enabled for its project and that the key's
API restrictions allow it; it costs nothing and generates nothing.  It does
not tell a free-tier key from a billed one, so success says "credit not
checked".  Errors are Google's ``{"error": {"code", "message", "status",
"details": [{"reason"}]}}``: the ``reason`` decides first.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

DEFAULT_MODEL = "gemini-2.5-flash"
V = ProbeVerdict

SPEC = Spec(
    provider="gemini",
    default_model=DEFAULT_MODEL,
    path=lambda model: f"/models/{model or DEFAULT_MODEL}",
    proves="key accepted and the Generative Language API is enabled (model lookup; "
    "free tier or billing not checked)",
    keys_url="https://aistudio.google.com/app/apikey",
    billing_url="https://aistudio.google.com/usage",
    auth=lambda key: {"x-goog-api-key": key},
    reasons={
        "API_KEY_INVALID": V.INVALID,
        "API_KEY_EXPIRED": V.INVALID,
        "API_KEY_SERVICE_BLOCKED": V.RESTRICTED,
        "API_KEY_HTTP_REFERRER_BLOCKED": V.RESTRICTED,
        "API_KEY_IP_ADDRESS_BLOCKED": V.RESTRICTED,
        "SERVICE_DISABLED": V.RESTRICTED,
        "CONSUMER_SUSPENDED": V.ACCOUNT_PROBLEM,
        "BILLING_DISABLED": V.ACCOUNT_PROBLEM,
        "RATE_LIMIT_EXCEEDED": V.RATE_LIMITED,
    },
    statuses_text={
        "UNAUTHENTICATED": V.INVALID,
        "RESOURCE_EXHAUSTED": V.RATE_LIMITED,
        "NOT_FOUND": V.MODEL_UNAVAILABLE,
    },
    markers=(
        ("user location is not supported", V.REGION_BLOCKED),
        ("api key not valid", V.INVALID),
    ),
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Gemini key with a free model lookup."""
    return run(SPEC, target, timeout=timeout, model=model)
