"""xAI: ``GET /v1/api-key``, free: the key's status and its team's.

The endpoint authenticates the key and reports ``api_key_blocked``,
``api_key_disabled`` and ``team_blocked`` (xAI blocks a team that has no
credits or hit its spending limit) with the key's ACLs.  A team that is not
blocked can make requests; the prepaid balance itself is only on the
management API, so a success proves the key and an unblocked team, not an
amount.  A bad key is a 400 ``{"code": ..., "error": "Incorrect API key
provided: ..."}``; an unfunded team a 403/429 "doesn't have any credits" or
"used all available credits".
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, Success, run
from envcheck.probe.targets import Target

V = ProbeVerdict


def _success(data: Any) -> Success:
    detail = {"credit": "team-not-blocked"}
    acls = data.get("acls")
    if isinstance(acls, list):
        detail["acls"] = ",".join(str(a) for a in acls)[:200]
    if data.get("api_key_blocked") is True or data.get("api_key_disabled") is True:
        return Success(V.INVALID, "invalid key: the key is blocked or disabled", detail)
    if data.get("team_blocked") is True:
        return Success(
            V.ACCOUNT_PROBLEM,
            "account problem: the key's team is blocked (no credits, a spending limit "
            "reached, or a policy block)",
            detail,
        )
    return Success(V.VALID, "valid: key accepted and its team is not blocked", detail)


SPEC = Spec(
    provider="xai",
    path=lambda _model: "/api-key",
    proves="key accepted",
    keys_url="https://console.x.ai",
    billing_url="https://console.x.ai",
    markers=(
        ("incorrect api key", V.INVALID),
        ("doesn't have any credits", V.NO_CREDIT),
        ("used all available credits", V.NO_CREDIT),
        ("spending limit", V.NO_CREDIT),
    ),
    success=_success,
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one xAI key and its team's status."""
    return run(SPEC, target, timeout=timeout, model=model)
