"""Anthropic probe: a free token count by default, one billable token on request.

Which request, and what it costs:

* default: ``POST {base}/v1/messages/count_tokens`` with a one-word user
  message.  Anthropic documents token counting as free (it only counts
  against a requests-per-minute limit).  It authenticates the key and
  checks its permissions, so it tells a bad, disabled or restricted key
  from a good one.  Whether it also checks the credit balance is not
  documented: when it answers "Your credit balance is too low" the verdict
  is "no credit", but a success only proves the key, so the result says
  ``credit: unchecked`` and suggests ``--billable``.
* ``billable=True``: ``POST {base}/v1/messages`` with ``max_tokens: 1`` on
  the cheapest Haiku model: about ten input tokens and one output token,
  well under a hundredth of a cent.  It is the only request that proves
  the account can pay.

No credit is ``400 invalid_request_error`` with the message "Your credit
balance is too low to access the Anthropic API..."; that message is the only
signal (there is no code), so it is matched in the parsed JSON body, never in
an exception's text.  The ``anthropic`` SDK is used when it can be imported
(lazily, here only); otherwise the same request goes through the shared
client of :mod:`envcheck.probe.http`.  Either way redirects are not
followed, so a key is never replayed to another host, and ``--timeout``
limits the whole request.
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.support import (
    Answer,
    ErrorSignature,
    base_url_for,
    billed_to,
    clean_message,
    display_url,
    error_signature,
    header_facts,
    redirect_result,
    refuse_unsafe,
    result,
)
from envcheck.probe.targets import Target
from envcheck.secret import reveal

__all__ = ["DEFAULT_MODEL", "DEFAULT_BASE_URL", "classify", "probe"]

DEFAULT_MODEL = "claude-haiku-4-5-20251001"
DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"

V = ProbeVerdict
_TYPES = {
    "authentication_error": V.INVALID,
    "permission_error": V.RESTRICTED,
    "billing_error": V.ACCOUNT_PROBLEM,
    "not_found_error": V.MODEL_UNAVAILABLE,
    "rate_limit_error": V.RATE_LIMITED,
    "forbidden": V.REGION_BLOCKED,  # 403 "Request not allowed": unsupported region
}
# invalid_request_error carries these account states in its message only.
_MESSAGE_MARKERS = (
    ("credit balance is too low", V.NO_CREDIT),
    ("organization has been disabled", V.ACCOUNT_PROBLEM),
)
_HINTS = {
    V.INVALID: "create a new key at https://console.anthropic.com/settings/keys",
    V.NO_CREDIT: "buy credits at https://console.anthropic.com/settings/billing; check that "
    "the key belongs to the workspace and organization that hold them",
    V.RESTRICTED: "the key's workspace lacks permission for this model or endpoint",
    V.ACCOUNT_PROBLEM: "check billing and the organization's status in the Anthropic console",
    V.REGION_BLOCKED: "Anthropic does not serve requests from this country or region",
    V.RATE_LIMITED: "transient: try again shortly; credit could not be checked",
    V.MODEL_UNAVAILABLE: "the key works; choose a model it can use with --model",
}
_WORDS = {
    V.INVALID: "invalid key",
    V.NO_CREDIT: "no credit",
    V.RESTRICTED: "restricted key",
    V.ACCOUNT_PROBLEM: "account problem",
    V.REGION_BLOCKED: "region not supported",
    V.RATE_LIMITED: "rate limited",
    V.MODEL_UNAVAILABLE: "model not available to this key",
    V.INCONCLUSIVE: "inconclusive: unexpected answer",
}


def classify(answer: Answer) -> tuple[ProbeVerdict, ErrorSignature]:
    """Verdict for one answer: error type, then the documented messages, then status."""
    if 200 <= answer.status < 300:
        return V.VALID, ErrorSignature(json_ok=True)
    sig = error_signature(answer.body)
    if not sig.json_ok:
        return V.INCONCLUSIVE, sig
    if sig.type in _TYPES:
        return _TYPES[sig.type], sig
    if sig.type == "invalid_request_error" and sig.message:
        lowered = sig.message.lower()
        for marker, verdict in _MESSAGE_MARKERS:
            if marker in lowered:
                return verdict, sig
    if answer.status == 401:
        return V.INVALID, sig
    if answer.status == 429:
        return V.RATE_LIMITED, sig
    return V.INCONCLUSIVE, sig


def _send_plain(url: str, key: str, body: dict[str, Any], timeout: float) -> Answer:
    """The request without the SDK, through the client every REST probe uses."""
    from envcheck.probe import http

    headers = {"x-api-key": key, "anthropic-version": API_VERSION}
    return http.send("POST", url, headers=headers, timeout=timeout, body=body)


def _send_sdk(
    base_url: str, key: str, body: dict[str, Any], timeout: float, billable: bool
) -> Answer:
    import anthropic  # only the probe path pays for this import

    from envcheck.probe.http import client as http_client
    from envcheck.probe.http import within

    client = anthropic.Anthropic(
        api_key=key,
        base_url=base_url,
        max_retries=0,
        http_client=http_client(timeout),  # never follows a redirect with x-api-key
        timeout=anthropic.Timeout(timeout, connect=timeout),
    )
    messages = client.messages.with_raw_response

    def request() -> Answer:
        try:
            raw = messages.create(**body) if billable else messages.count_tokens(**body)
        except anthropic.APIStatusError as err:
            return Answer(err.status_code, dict(err.response.headers), err.response.content)
        return Answer(raw.status_code, dict(raw.headers), b"")

    return within(timeout, request)


def _sdk_available() -> bool:
    try:
        import anthropic  # noqa: F401
    except ImportError:
        return False
    return True


def _failure(target: Target, base_url: str, timeout: float, err: BaseException) -> ProbeResult:
    """An inconclusive result for a transport failure, named by class only."""
    from envcheck.probe.http import is_timeout, timed_out

    if is_timeout(err) or (err.__cause__ is not None and is_timeout(err.__cause__)):
        return timed_out(target, base_url, timeout)
    name = type(err.__cause__ or err).__name__
    message = f"inconclusive: could not talk to {display_url(base_url)} ({name})"
    return result(
        target,
        V.INCONCLUSIVE,
        message,
        hint="check the network, DNS, proxy and ANTHROPIC_BASE_URL",
        detail={"error": name},
        requests=1,
    )


def probe(
    target: Target,
    *,
    timeout: float = 5.0,
    model: str | None = None,
    billable: bool = False,
    use_sdk: bool | None = None,
) -> ProbeResult:
    """Probe one Anthropic key; never raises for a network or API failure."""
    base_url = base_url_for(target, "base_url", DEFAULT_BASE_URL)
    refused = refuse_unsafe(target, base_url)
    if refused is not None:
        return refused
    model = model or DEFAULT_MODEL
    body: dict[str, Any] = {"model": model, "messages": [{"role": "user", "content": "ping"}]}
    if billable:
        body["max_tokens"] = 1
    path = "/v1/messages" if billable else "/v1/messages/count_tokens"
    sdk = _sdk_available() if use_sdk is None else use_sdk
    key = reveal(target.key)
    try:
        if sdk:
            answer = _send_sdk(base_url, key, body, timeout, billable)
        else:
            answer = _send_plain(base_url + path, key, body, timeout)
    except Exception as err:  # the transport must never crash the probe
        return _failure(target, base_url, timeout, err)
    if 300 <= answer.status < 400:
        return redirect_result(target, answer)
    verdict, sig = classify(answer)
    detail = {"status": str(answer.status), "model": model, "request": path}
    # The organization the key belongs to, as the API names it on every answer.
    detail.update(header_facts(answer, {"organization": "anthropic-organization-id"}))
    paid_by = billed_to(detail)
    detail.update({k: v for k, v in (("type", sig.type), ("code", sig.code)) if v})
    if verdict is V.VALID:
        limits = {k.lower(): v for k, v in answer.headers.items()}
        for name in ("requests-limit", "input-tokens-limit", "tokens-limit"):
            if f"anthropic-ratelimit-{name}" in limits:
                detail[name.replace("-", "_")] = limits[f"anthropic-ratelimit-{name}"]
        if billable:
            message = f"valid: key accepted and credit available for {model} (one-token request)"
            hint = None
        else:
            detail["credit"] = "unchecked"
            message = f"valid: key accepted for {model} (free token count; credit not checked)"
            hint = "run with --billable to prove credit with a one-token request"
        return result(target, verdict, message + paid_by, hint=hint, detail=detail, requests=1)
    server = clean_message(sig.message, target.key)
    label = f"{answer.status} {sig.type}" if sig.type else str(answer.status)
    if not sig.json_ok:
        kind = answer.header("content-type", "unknown content").split(";")[0]
        message = (
            f"inconclusive: HTTP {answer.status} with a body that is not an API error ({kind})"
        )
    else:
        message = (
            f"{_WORDS[verdict]} ({label}: {server})" if server else f"{_WORDS[verdict]} ({label})"
        )
    return result(
        target, verdict, message + paid_by, hint=_HINTS.get(verdict), detail=detail, requests=1
    )
