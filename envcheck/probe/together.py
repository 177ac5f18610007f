"""Together AI: ``GET /v1/models``, free.

Listing models authenticates the key; errors are OpenAI-shaped
(``invalid_api_key``).  Together reports no balance through the API key, so
success does not prove credit; an exhausted account answers 402 or a
"credit limit" message, which the probe maps to no credit.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

V = ProbeVerdict

SPEC = Spec(
    provider="together",
    path=lambda _model: "/models",
    proves="key accepted (model list; credit not checked)",
    keys_url="https://api.together.ai/settings/api-keys",
    billing_url="https://api.together.ai/settings/billing",
    codes={"invalid_api_key": V.INVALID},
    markers=(("credit limit", V.NO_CREDIT), ("insufficient", V.NO_CREDIT)),
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Together AI key with one request."""
    return run(SPEC, target, timeout=timeout, model=model)
