"""Perplexity: an empty ``POST /chat/completions``, nothing generated.

Perplexity has no free read-only endpoint, so the probe sends a chat request
with an empty ``messages`` list: the API authenticates the key first (a bad
key gets an HTML ``401 Authorization Required`` page from its gateway,
not JSON), then rejects the body with a 400, so nothing is generated or
billed.  That 400 proves the key; it does not prove credit.
"""

from __future__ import annotations

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, run
from envcheck.probe.targets import Target

V = ProbeVerdict

DEFAULT_MODEL = "sonar"

SPEC = Spec(
    provider="perplexity",
    default_model=DEFAULT_MODEL,
    path=lambda _model: "/chat/completions",
    method="POST",
    body=lambda model: {"model": model or DEFAULT_MODEL, "messages": []},
    proves="key accepted (credit not checked)",
    keys_url="https://www.perplexity.ai/account/api/keys",
    billing_url="https://www.perplexity.ai/account/api/billing",
    types={"insufficient_quota": V.NO_CREDIT},
    markers=(("exceeded your current quota", V.NO_CREDIT),),
    statuses={400: V.VALID, 401: V.INVALID, 402: V.NO_CREDIT, 429: V.RATE_LIMITED},
    plain_status={401: V.INVALID},
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one Perplexity key with one request."""
    return run(SPEC, target, timeout=timeout, model=model)
