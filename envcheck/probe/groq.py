"""Groq: ``GET /openai/v1/models``, free.

Listing models authenticates the key.  Groq's errors are OpenAI-shaped
(``invalid_api_key``; ``organization_restricted`` for a blocked
organization).  Groq has a free tier and no balance endpoint: success does
not prove a paid plan.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

V = ProbeVerdict

SPEC = Spec(
    provider="groq",
    path=lambda _model: "/models",
    proves="key accepted (model list; credit not checked: Groq reports no balance)",
    keys_url="https://console.groq.com/keys",
    billing_url="https://console.groq.com/settings/billing",
    codes={
        "invalid_api_key": V.INVALID,
        "organization_restricted": V.ACCOUNT_PROBLEM,
        "rate_limit_exceeded": V.RATE_LIMITED,
    },
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Groq key with one request."""
    return run(SPEC, target, timeout=timeout, model=model)
