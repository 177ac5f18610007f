"""The probe for providers without a light official SDK: one spec, one request.

Each provider module (:mod:`envcheck.probe.gemini`, ``mistral``, ``groq``...)
is a :class:`Spec`: which zero-cost request to send, how the key is sent, the
provider's error vocabulary, and what a success says (a balance, a key's
limit, or only "the key is accepted").  :func:`run` does what every one of
them shares: refuse an unsafe or untrusted URL before anything is sent, one
request through :mod:`envcheck.probe.http` (no redirects), classify the
parsed JSON body (never an exception's text), and describe the verdict with
what it does and does not prove.

Classification order: ``details[].reason`` (Google), ``error.type``,
``error.code``, ``error.status`` (Google), documented message markers, then
the HTTP status; anything else is "inconclusive", so an error type envcheck
has never seen is never reported as a bad key (markers are read only in
bodies that carry no ``type``, or a generic one the spec names).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.catalog import get
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

__all__ = ["Spec", "Signature", "Success", "signature", "classify", "run", "bearer", "WORDS"]

V = ProbeVerdict


@dataclass(frozen=True, slots=True)
class Signature:
    """The fields of an error body that classification reads (all optional)."""

    json_ok: bool
    type: str | None = None
    code: str | None = None
    status: str | None = None
    reason: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Success:
    """What a 2xx answer means: a verdict (a balance can say "no credit"), words, facts."""

    verdict: ProbeVerdict
    message: str
    detail: dict[str, str] = field(default_factory=dict)
    hint: str | None = None


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def _unchecked(proves: str) -> Callable[[Any], Success]:
    def success(_: Any) -> Success:
        return Success(V.VALID, f"valid: {proves}", {"credit": "unchecked"})

    return success


@dataclass(frozen=True, slots=True)
class Spec:
    """One provider's probe: request, vocabulary, and the meaning of success.

    ``path(model)`` is appended to the base URL; ``success(data)`` gets the
    parsed JSON body of a 2xx; ``plain_status`` decides by status alone when
    the body is not JSON (Perplexity answers a bad key with an HTML 401).
    """

    provider: str
    path: Callable[[str | None], str]
    proves: str
    keys_url: str
    billing_url: str
    method: str = "GET"
    body: Callable[[str | None], Any] | None = None
    auth: Callable[[str], dict[str, str]] = bearer
    reasons: Mapping[str, ProbeVerdict] = field(default_factory=dict)
    types: Mapping[str, ProbeVerdict] = field(default_factory=dict)
    codes: Mapping[str, ProbeVerdict] = field(default_factory=dict)
    statuses_text: Mapping[str, ProbeVerdict] = field(default_factory=dict)
    markers: tuple[tuple[str, ProbeVerdict], ...] = ()
    message_types: tuple[str, ...] = ()  # generic types whose message says what it is
    statuses: Mapping[int, ProbeVerdict] = field(
        default_factory=lambda: {401: V.INVALID, 402: V.NO_CREDIT, 429: V.RATE_LIMITED}
    )
    plain_status: Mapping[int, ProbeVerdict] = field(default_factory=dict)
    success: Callable[[Any], Success] | None = None
    default_model: str | None = None  # set when the request names a model: the verdict's model

    def on_success(self, data: Any) -> Success:
        return (self.success or _unchecked(self.proves))(data)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    return str(value) if isinstance(value, (str, int)) else None


def signature(body: bytes) -> Signature:
    """Parse the error shapes providers use: ``{"error": {...}}``, ``{"error": "..."}``,
    a flat ``{"message": ..., "type": ...}`` (Mistral), ``{"detail": ...}``."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Signature(json_ok=False)
    if not isinstance(data, dict):
        return Signature(json_ok=False)
    error = data.get("error")
    if isinstance(error, str):  # xAI: {"code": "...", "error": "..."}
        return Signature(
            True, message=error, type=_text(data.get("type")), code=_text(data.get("code"))
        )
    if not isinstance(error, dict):
        if not any(k in data for k in ("message", "detail", "type", "code")):
            return Signature(json_ok=False)
        error = data
    reason = None
    for item in error.get("details") or ():
        if isinstance(item, dict) and _text(item.get("reason")):
            reason = _text(item.get("reason"))
            break
    message = error.get("message")
    if message is None and isinstance(error.get("detail"), str):
        message = error["detail"]
    return Signature(
        json_ok=True,
        type=_text(error.get("type")),
        code=_text(error.get("code")),
        status=_text(error.get("status")),
        reason=reason,
        message=message if isinstance(message, str) else None,
    )


def classify(spec: Spec, answer: Answer) -> tuple[ProbeVerdict, Signature]:
    """The verdict for a non-2xx answer."""
    sig = signature(answer.body)
    if not sig.json_ok:
        return spec.plain_status.get(answer.status, V.INCONCLUSIVE), sig
    for value, table in (
        (sig.reason, spec.reasons),
        (sig.type, spec.types),
        (sig.code, spec.codes),
        (sig.status, spec.statuses_text),
    ):
        if value is not None and value in table:
            return table[value], sig
    # Messages decide only for bodies without a type (xAI's, Google's): an error
    # type nobody documented is "could not tell", whatever its message says.
    readable = sig.type is None or sig.type in spec.message_types
    lowered = (sig.message or "").lower() if readable else ""
    for marker, verdict in spec.markers:
        if marker in lowered:
            return verdict, sig
    return spec.statuses.get(answer.status, V.INCONCLUSIVE), sig


WORDS = {
    V.INVALID: "invalid key",
    V.NO_CREDIT: "no credit",
    V.RESTRICTED: "restricted key",
    V.ACCOUNT_PROBLEM: "account problem",
    V.REGION_BLOCKED: "region not supported",
    V.RATE_LIMITED: "rate limited",
    V.MODEL_UNAVAILABLE: "model not available to this key",
    V.INCONCLUSIVE: "inconclusive: unexpected answer",
}


def _hint(spec: Spec, verdict: ProbeVerdict) -> str | None:
    return {
        V.INVALID: f"create a new key at {spec.keys_url} and replace this one",
        V.NO_CREDIT: f"add credit at {spec.billing_url}",
        V.RESTRICTED: "the key lacks a permission this request needs; check its scopes "
        "or the project's enabled APIs",
        V.ACCOUNT_PROBLEM: f"check the account's status and billing at {spec.billing_url}",
        V.REGION_BLOCKED: "the provider does not serve requests from this country or region",
        V.RATE_LIMITED: "transient: try again shortly; the key could not be confirmed",
        V.MODEL_UNAVAILABLE: "the key works; choose a model it can use with --model",
        V.INCONCLUSIVE: "check the base URL, or try again later",
    }.get(verdict)


def _describe_failure(
    spec: Spec, target: Target, answer: Answer, verdict: ProbeVerdict, sig: Signature
) -> ProbeResult:
    detail = {"status": str(answer.status)}
    for name in ("type", "code", "status", "reason"):
        value = getattr(sig, name)
        if value and name != "status":
            detail[name] = value
        elif value:
            detail["error_status"] = value
    if verdict is V.VALID:  # auth passed; the body was refused before anything ran
        message = f"valid: {spec.proves} (HTTP {answer.status} on the body: nothing generated)"
        detail["credit"] = "unchecked"
        return result(target, verdict, message, detail=detail, requests=1)
    if not sig.json_ok:
        kind = answer.header("content-type", "unknown content").split(";")[0]
        if verdict is V.INCONCLUSIVE:
            message = (
                f"inconclusive: HTTP {answer.status} with a body that is not an API error ({kind})"
            )
        else:
            message = f"{WORDS[verdict]} (HTTP {answer.status}, {kind} body)"
    else:
        label = " ".join(x for x in (str(answer.status), sig.reason or sig.type or sig.code) if x)
        server = clean_message(sig.message, target.key)
        said = f" ({label}: {server})" if server else f" ({label})"
        if verdict is V.INCONCLUSIVE and answer.status >= 500:
            message = f"inconclusive: server error{said}"
        else:
            message = f"{WORDS[verdict]}{said}"
    hint = _hint(spec, verdict)
    if verdict is V.INCONCLUSIVE and answer.status >= 500:
        hint = "the API failed; try again later"
    return result(target, verdict, message, hint=hint, detail=detail, requests=1)


def run(spec: Spec, target: Target, *, timeout: float, model: str | None) -> ProbeResult:
    """Probe one key with ``spec``; never raises for a network or API failure.

    When the request names a model, the result says which one it proved.
    """
    model = model or spec.default_model
    res = _run(spec, target, timeout=timeout, model=model)
    if model is None or spec.default_model is None or res.requests == 0:
        return res
    return dataclasses.replace(
        res, message=f"{res.message} [model {model}]", detail={**res.detail, "model": model}
    )


def _run(spec: Spec, target: Target, *, timeout: float, model: str | None) -> ProbeResult:
    from envcheck.probe import http

    provider = get(spec.provider)
    default = provider.default_base_url if provider else ""
    base_url = base_url_for(target, "base_url", default)
    if not base_url:
        names = provider.settings.get("base_url", ()) if provider else ()
        var = names[0] if names else "a base URL"
        return result(
            target,
            V.INCONCLUSIVE,
            f"not probed: no base URL ({var} is not set)",
            hint=f'set {var}, or base_url = "..." under [keys.{target.var}] in envcheck.toml',
            detail={"refused": "no-base-url"},
        )
    refused = refuse_unsafe(target, base_url)
    if refused is not None:
        return refused
    url = base_url + spec.path(model)
    try:
        answer = http.send(
            spec.method,
            url,
            headers=spec.auth(reveal(target.key)),
            timeout=timeout,
            body=spec.body(model) if spec.body else None,
        )
    except Exception as err:  # noqa: BLE001 - the transport must never crash the probe
        return http.failure(target, base_url, timeout, err)
    if 300 <= answer.status < 400:
        return redirect_result(target, answer)
    if 200 <= answer.status < 300:
        try:
            data = json.loads(answer.body) if answer.body else {}
        except (ValueError, UnicodeDecodeError):
            data = None
        if data is None:
            kind = answer.header("content-type", "unknown content").split(";")[0]
            return result(
                target,
                V.INCONCLUSIVE,
                f"inconclusive: HTTP {answer.status} with a body that is not JSON ({kind})",
                hint="check the base URL: it does not look like the provider's API",
                detail={"status": str(answer.status)},
                requests=1,
            )
        try:
            ok = spec.on_success(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            return result(
                target,
                V.INCONCLUSIVE,
                "inconclusive: the success answer does not have the documented shape",
                hint="check the base URL; the API may have changed",
                detail={"status": str(answer.status)},
                requests=1,
            )
        detail = {"status": str(answer.status), **ok.detail}
        hint = ok.hint if ok.verdict is V.VALID else (ok.hint or _hint(spec, ok.verdict))
        return result(target, ok.verdict, ok.message, hint=hint, detail=detail, requests=1)
    verdict, sig = classify(spec, answer)
    return _describe_failure(spec, target, answer, verdict, sig)
