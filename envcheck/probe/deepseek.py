"""DeepSeek: ``GET /user/balance``, free, and it says whether the account can pay.

The balance endpoint authenticates the key and answers ``is_available``
(whether the balance can pay for API calls) with a balance per currency
(``total_balance`` = granted + topped up).  That is the one provider answer
that proves credit without a request that costs anything; the amount is
shown, and ``--min-credit`` compares against it in the account's currency.
A 402 "Insufficient Balance" from any endpoint also means no credit.
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, Success, run
from envcheck.probe.targets import Target

V = ProbeVerdict


def _success(data: Any) -> Success:
    infos = [i for i in data.get("balance_infos") or [] if isinstance(i, dict)]
    info = next((i for i in infos if i.get("currency") == "USD"), infos[0] if infos else {})
    balance = str(info.get("total_balance", "")).strip()
    currency = str(info.get("currency", "")).strip()
    detail = {"credit": "checked"}
    if balance:
        detail.update(balance=balance, currency=currency)
    amount = f"{balance} {currency}".strip() or "unknown"
    if data.get("is_available") is not True:
        return Success(
            V.NO_CREDIT,
            f"no credit: the key works but the balance cannot pay for API calls "
            f"(is_available false, balance {amount})",
            detail,
        )
    return Success(
        V.VALID, f"valid: key accepted and the account can pay (balance {amount})", detail
    )


SPEC = Spec(
    provider="deepseek",
    path=lambda _model: "/user/balance",
    proves="key accepted",
    keys_url="https://platform.deepseek.com/api_keys",
    billing_url="https://platform.deepseek.com/top_up",
    types={"authentication_error": V.INVALID},
    markers=(("insufficient balance", V.NO_CREDIT), ("authentication fails", V.INVALID)),
    success=_success,
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe one DeepSeek key and read its balance."""
    return run(SPEC, target, timeout=timeout, model=model)
