"""OpenRouter: ``GET /api/v1/key``, free: the key's limit, usage and what is left.

The key endpoint authenticates the key and reports ``limit`` (the key's
credit cap, or null), ``usage`` and ``limit_remaining``.  A key whose cap
is used up cannot pay, whatever the account holds: no credit.  A key
without a cap spends the account's credits, which this endpoint does not
report, so then the verdict proves the key only.  The key's ``label`` (a
masked key) is never copied into the result.
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, Success, run
from envcheck.probe.targets import Target

V = ProbeVerdict


def _money(value: Any) -> str:
    return f"{float(value):.2f}"


def _success(data: Any) -> Success:
    info = data["data"]
    usage, limit, left = info.get("usage"), info.get("limit"), info.get("limit_remaining")
    detail = {"usage": _money(usage or 0)}
    if info.get("is_free_tier") is True:
        detail["free_tier"] = "true"
    if limit is None or left is None:
        detail["credit"] = "unchecked"
        return Success(
            V.VALID,
            f"valid: key accepted; the key has no credit limit (used ${detail['usage']}); "
            "the account's balance is not reported to the key",
            detail,
        )
    detail.update(limit=_money(limit), balance=_money(left), currency="USD", credit="checked")
    said = f"limit ${detail['limit']}, used ${detail['usage']}, ${detail['balance']} left"
    if float(left) <= 0:
        return Success(V.NO_CREDIT, f"no credit: the key's limit is used up ({said})", detail)
    return Success(V.VALID, f"valid: key accepted ({said})", detail)


SPEC = Spec(
    provider="openrouter",
    path=lambda _model: "/key",
    proves="key accepted",
    keys_url="https://openrouter.ai/settings/keys",
    billing_url="https://openrouter.ai/settings/credits",
    markers=(("insufficient credits", V.NO_CREDIT), ("user not found", V.INVALID)),
    success=_success,
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one OpenRouter key and read its limit."""
    return run(SPEC, target, timeout=timeout, model=model)
