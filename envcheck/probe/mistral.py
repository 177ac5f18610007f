"""Mistral: ``GET /v1/models``, free.

Listing models authenticates the key and costs nothing.  Mistral's API has no
balance endpoint, so success does not prove that the workspace can pay (an
Experiment-plan key works until its limits).  401 bodies are
``{"message": "Unauthorized", "request_id": ...}`` or ``{"detail": ...}``.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

V = ProbeVerdict

SPEC = Spec(
    provider="mistral",
    path=lambda _model: "/models",
    proves="key accepted (model list; credit not checked: Mistral reports no balance)",
    keys_url="https://console.mistral.ai/api-keys",
    billing_url="https://console.mistral.ai/billing",
    markers=(("unauthorized", V.INVALID),),
    statuses={401: V.INVALID, 402: V.NO_CREDIT, 403: V.RESTRICTED, 429: V.RATE_LIMITED},
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Mistral key with one request."""
    return run(SPEC, target, timeout=timeout, model=model)
