"""GitHub tokens: ``GET /user``, free: validity, OAuth scopes and the token's expiry.

Every authenticated answer carries what a nightly job needs to know before
its token dies: ``x-oauth-scopes`` (classic tokens; fine-grained and app
tokens have none) and ``github-authentication-token-expiration`` (tokens
created with an expiry).  The request goes to ``api.github.com``, or to the
``GITHUB_API_URL`` of a GitHub Enterprise Server when the process
environment sets it (Actions does); a checked file cannot choose it
(:mod:`envcheck.probe.trust`).  Answers:

* 200: valid, with the login, scopes and expiry;
* 401 "Bad credentials": invalid (revoked, expired, mistyped);
* 403 "Resource not accessible by integration": an app or Actions token,
  which authenticates but has no user: valid for what it proves;
* 403/429 with ``x-ratelimit-remaining: 0`` or "rate limit": rate limited;
* anything else: inconclusive.

The expiry date goes to ``detail["expires_at"]``; the runner
(:func:`envcheck.probe.run.apply_expiry`) turns a date within
``--expiry-warn`` days into "expiring".
"""

from __future__ import annotations

import json
from typing import Any

from envcheck import tokens
from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.support import (
    Answer,
    base_url_for,
    clean_message,
    redirect_result,
    refuse_unsafe,
    result,
)
from envcheck.probe.targets import Target
from envcheck.secret import reveal

__all__ = ["DEFAULT_BASE_URL", "API_VERSION", "classify", "facts", "probe"]

DEFAULT_BASE_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
V = ProbeVerdict
_INTEGRATION = "resource not accessible by integration"
_MAX_SCOPES = 512


def _message(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    message = data.get("message") if isinstance(data, dict) else None
    return message if isinstance(message, str) else None


def classify(answer: Answer) -> ProbeVerdict:
    """The verdict for one answer to ``GET /user``."""
    if 200 <= answer.status < 300:
        return V.VALID
    message = (_message(answer.body) or "").lower()
    if answer.status == 401:
        return V.INVALID
    if answer.status in (403, 429) and (
        answer.header("x-ratelimit-remaining") == "0" or "rate limit" in message
    ):
        return V.RATE_LIMITED
    if answer.status == 403 and _INTEGRATION in message:
        return V.VALID
    return V.INCONCLUSIVE


def facts(answer: Answer) -> dict[str, str]:
    """Scopes and expiry from the headers; the login from a 200's body."""
    detail: dict[str, str] = {"status": str(answer.status)}
    scopes = answer.header("x-oauth-scopes").strip()[:_MAX_SCOPES]
    if any(name.lower() == "x-oauth-scopes" for name in answer.headers) and scopes.isprintable():
        detail["scopes"] = scopes  # "" for a classic token without scopes
    expires = tokens.parse_http_date(answer.header("github-authentication-token-expiration"))
    if expires is not None:
        detail["expires_at"] = tokens.iso(expires)
    if 200 <= answer.status < 300:
        try:
            login = json.loads(answer.body).get("login")
        except (ValueError, UnicodeDecodeError, AttributeError):
            login = None
        if isinstance(login, str) and login.isprintable() and len(login) <= 64:
            detail["login"] = login
    return detail


def _describe(
    target: Target, verdict: ProbeVerdict, answer: Answer, detail: dict[str, str]
) -> tuple[str, str | None]:
    scopes = detail.get("scopes")
    said = f"scopes: {scopes or 'none'}" if scopes is not None else "no OAuth scopes reported"
    expiry = "expires " + detail["expires_at"] if "expires_at" in detail else "no expiry reported"
    server = clean_message(_message(answer.body), target.key)
    if verdict is V.VALID and answer.status < 300:
        who = f" as {detail['login']}" if "login" in detail else ""
        return f"valid: token accepted{who} ({said}; {expiry})", None
    if verdict is V.VALID:
        return (
            "valid: an app or Actions token (it authenticates; GET /user needs a user token, "
            f"so scopes and expiry are not shown: {server or answer.status})",
            None,
        )
    if verdict is V.INVALID:
        return (
            f"invalid token (401: {server or 'Bad credentials'})",
            "create a new token at https://github.com/settings/tokens (an expired one answers "
            "401 too) and replace this one",
        )
    if verdict is V.RATE_LIMITED:
        return (
            f"rate limited ({answer.status}: {server})",
            "transient: try again after the rate-limit window",
        )
    if answer.status >= 500:
        return f"inconclusive: server error ({answer.status})", "GitHub failed; try again later"
    kind = answer.header("content-type", "unknown content").split(";")[0]
    return (
        f"inconclusive: unexpected answer (HTTP {answer.status}, {kind}: {server})",
        "check GITHUB_API_URL, or try again later",
    )


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: Any
) -> ProbeResult:
    """Probe one GitHub token with ``GET /user``; never raises for a network or API failure."""
    from envcheck.probe import http

    base_url = base_url_for(target, "base_url", DEFAULT_BASE_URL)
    refused = refuse_unsafe(target, base_url)
    if refused is not None:
        return refused
    headers = {
        "authorization": f"Bearer {reveal(target.key)}",
        "accept": "application/vnd.github+json",
        "x-github-api-version": API_VERSION,
    }
    try:
        answer = http.send("GET", base_url + "/user", headers=headers, timeout=timeout)
    except Exception as err:  # noqa: BLE001 - the transport must never crash the probe
        return http.failure(target, base_url, timeout, err)
    if 300 <= answer.status < 400:
        return redirect_result(target, answer)
    verdict = classify(answer)
    detail = facts(answer)
    message, hint = _describe(target, verdict, answer, detail)
    return result(target, verdict, message, hint=hint, detail=detail, requests=1)
