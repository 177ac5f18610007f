"""Fireworks AI: ``GET /inference/v1/models``, free.

Listing models authenticates the key; errors are OpenAI-shaped.  No balance
is reported, so success does not prove credit; a suspended account or one
without a payment method is reported by message.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

V = ProbeVerdict

SPEC = Spec(
    provider="fireworks",
    path=lambda _model: "/models",
    proves="key accepted (model list; credit not checked)",
    keys_url="https://fireworks.ai/account/api-keys",
    billing_url="https://fireworks.ai/account/billing",
    codes={"invalid_api_key": V.INVALID},
    message_types=("invalid_request_error",),
    markers=(
        ("suspended", V.ACCOUNT_PROBLEM),
        ("payment method", V.NO_CREDIT),
        ("api key you provided is invalid", V.INVALID),
    ),
    statuses={401: V.INVALID, 402: V.NO_CREDIT, 403: V.RESTRICTED, 429: V.RATE_LIMITED},
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Fireworks AI key with one request."""
    return run(SPEC, target, timeout=timeout, model=model)
