"""OpenAI (and Azure OpenAI) probe: one zero-cost request through the official SDK.

The request is ``POST {base_url}/chat/completions`` with an empty user message
and ``max_tokens: 0`` (``max_completion_tokens: 0`` for o-series and gpt-5
models, which reject ``max_tokens``).  The API authenticates the key, checks
its scopes and its quota before it validates the body, so:

* a funded key gets ``400`` on the token-limit parameter: nothing generated,
  nothing billed;
* an unfunded key gets ``429 insufficient_quota``; a bad key ``401``.

That ordering is observed, not documented, so a 400 counts as "funded" only
when it names a token-limit parameter (either name: a model that wants
``max_completion_tokens`` answers ``max_tokens`` with "Unsupported parameter");
any other 400 is reported for what it is.  ``billable=True`` then allows one
fallback request with a one-token limit (a fraction of a cent on the default
model).  The model is the app's (:mod:`envcheck.probe.models`), so two answers
about it get verdicts of their own: "Your organization must be verified"
(verification required) and a 403 ``model_not_found`` naming the project
(the project's allowed models exclude it).  OpenAI appears to validate the
body before it checks verification, so a "valid" does not prove the
organization is verified for a model that needs it.  Every answer's
``openai-organization`` / ``openai-project`` headers say whose account
answered; ``insufficient_quota`` has one wording for an unfunded
organization, a reached organization budget and a reached project budget,
so the result names the limits and the account rather than guessing.

The client is built from the resolved environment the way the app's SDK
builds it (``OPENAI_API_KEY``, ``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID``,
``OPENAI_BASE_URL``) with ``max_retries=0`` (the SDK retries 429 twice by
default) and ``--timeout`` as the limit for each whole request
(:mod:`envcheck.probe.http`).  Verdicts come from the JSON
error body (``error.type``, then ``error.code``, then the HTTP status), never
from the exception's text.  ``openai`` is imported only inside :func:`probe`.
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe import openai_errors as vocab
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
from envcheck.probe.targets import AZURE_OPENAI, Target
from envcheck.secret import reveal

__all__ = ["DEFAULT_MODEL", "DEFAULT_BASE_URL", "token_param", "classify", "probe"]

DEFAULT_MODEL = "gpt-4o-mini-2024-07-18"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
AZURE_API_VERSION = "2024-10-21"

V = ProbeVerdict


def token_param(model: str) -> str:
    """The token-limit parameter the model accepts."""
    return "max_completion_tokens" if vocab.O_SERIES.match(model) else "max_tokens"


def classify(answer: Answer, *, sent_param: str) -> tuple[ProbeVerdict, ErrorSignature]:
    """Verdict for one answer: the documented messages, error type, code, then HTTP status.

    Two messages come first because their codes say something else:
    verification (``unsupported_value`` or none) and a project's model
    allow-list (``model_not_found`` with 403, where a 404 means "no such model").
    """
    if 200 <= answer.status < 300:
        return V.VALID, ErrorSignature(json_ok=True)
    sig = error_signature(answer.body)
    if not sig.json_ok:
        return V.INCONCLUSIVE, sig
    message = sig.message or ""
    if sig.type in (None, "invalid_request_error") and vocab.VERIFICATION.search(message):
        return V.VERIFICATION_REQUIRED, sig
    if sig.code == "model_not_found" and (
        answer.status == 403 or vocab.PROJECT_MODEL.search(message)
    ):
        return V.MODEL_NOT_ALLOWED, sig
    if sig.type in vocab.TYPES:
        return vocab.TYPES[sig.type], sig
    if sig.code in vocab.CODES:
        return vocab.CODES[sig.code], sig
    if answer.status == 400 and _names_token_param(sig, sent_param):
        return V.VALID, sig  # body validation reached: auth, scopes and quota passed
    if answer.status in (401, 403) and sig.message and vocab.MISSING_SCOPES.search(sig.message):
        return V.RESTRICTED, sig
    if answer.status == 401:
        return V.INVALID, sig
    if answer.status == 429:
        return V.RATE_LIMITED, sig
    return V.INCONCLUSIVE, sig


def _names_token_param(sig: ErrorSignature, sent_param: str) -> bool:
    """The 400 is about a token-limit parameter: the one sent, or either name.

    A model that wants ``max_completion_tokens`` answers ``max_tokens`` with
    "Unsupported parameter: 'max_tokens' ... Use 'max_completion_tokens'
    instead": validation of the body, reached after everything that decides
    whether the key can pay.
    """
    if sig.param in vocab.TOKEN_PARAMS or sig.param == sent_param:
        return True
    return sig.param is None and bool(vocab.UNSUPPORTED_TOKEN_PARAM.search(sig.message or ""))


def _rate_detail(answer: Answer, model: str) -> dict[str, str]:
    headers = {k.lower(): v for k, v in answer.headers.items()}
    detail = {
        name.replace("-", "_"): headers[f"x-ratelimit-{name}"]
        for name in vocab.RATE_HEADERS
        if f"x-ratelimit-{name}" in headers
    }
    if model.startswith("gpt-4o-mini") and detail.get("limit_tokens") in vocab.MINI_TPM_TIER:
        detail["tier"] = vocab.MINI_TPM_TIER[detail["limit_tokens"]]
    return detail


def account_facts(answer: Answer) -> dict[str, str]:
    """The organization and project the API says the request was billed to (its headers)."""
    return header_facts(
        answer, {"organization": "openai-organization", "project": "openai-project"}
    )


def _describe(
    target: Target, verdict: ProbeVerdict, answer: Answer, sig: ErrorSignature, model: str
) -> tuple[str, str | None, dict[str, str]]:
    """Message, hint and detail for a classified answer."""
    detail = {"status": str(answer.status), **account_facts(answer)}
    for name in ("type", "code", "param"):
        value = getattr(sig, name)
        if value:
            detail[name] = value
    label = " ".join(x for x in (str(answer.status), sig.code or sig.type) if x)
    server = clean_message(sig.message, target.key)
    said = f" ({label}: {server})" if server else f" ({label})"
    hint = vocab.HINTS.get(verdict)
    if verdict is V.VALID:
        detail.update(_rate_detail(answer, model))
        how = "request succeeded" if answer.status < 300 else "zero-cost probe, nothing generated"
        limits = ""
        if "limit_requests" in detail or "limit_tokens" in detail:
            limits = (
                f"; limits for {model}: {detail.get('limit_requests', '?')} requests/min, "
                f"{detail.get('limit_tokens', '?')} tokens/min"
            )
            if "tier" in detail:
                limits += f" (usage tier {detail['tier']})"
        return (
            f"valid: key accepted and credit available for {model} ({how}){limits}"
            f"{billed_to(detail)}",
            None,
            detail,
        )
    if verdict is V.ACCOUNT_PROBLEM:
        what, fix = vocab.ACCOUNT_WHAT.get(sig.code or "") or vocab.ACCOUNT_WHAT.get(
            sig.type or "", ("unknown", "check the account at https://platform.openai.com")
        )
        detail["problem"] = what
        return f"account problem: {what}{said}{billed_to(detail)}", fix, detail
    if verdict is V.RESTRICTED:
        found = vocab.MISSING_SCOPES.search(sig.message or "")
        if found:
            detail["missing_scopes"] = found.group(1).strip()
        scopes = detail.get("missing_scopes", "a required scope")
        return f"restricted key: missing {scopes}{said}", hint, detail
    if verdict is V.MODEL_UNAVAILABLE:
        return f"key works, but model {model} is not available to it{said}", hint, detail
    if verdict is V.MODEL_NOT_ALLOWED:
        return (
            f"key works, but its project may not use model {model}{said}{billed_to(detail)}",
            hint,
            detail,
        )
    if verdict is V.VERIFICATION_REQUIRED:
        return (
            f"key works, but model {model} needs a verified organization{said}{billed_to(detail)}",
            hint,
            detail,
        )
    if verdict is V.NO_CREDIT:
        detail["limit"] = "organization-credit-or-budget-or-project-budget"
        return (
            f"no credit for {model}{said}{billed_to(detail)}",
            vocab.quota_hint(detail.get("organization"), detail.get("project")),
            detail,
        )
    if verdict is V.INCONCLUSIVE:
        if not sig.json_ok:
            kind = answer.header("content-type", "unknown content").split(";")[0]
            return (
                (
                    f"inconclusive: HTTP {answer.status} with a body that is not an API error "
                    f"({kind})"
                ),
                "check the base URL, or try again later",
                detail,
            )
        if answer.status >= 500:
            return f"inconclusive: server error{said}", "the API failed; try again later", detail
        return (
            f"inconclusive: unexpected answer{said}",
            "check the base URL and model, or run with --billable",
            detail,
        )
    words = {
        V.INVALID: "invalid key",
        V.REGION_BLOCKED: "region not supported",
        V.RATE_LIMITED: "rate limited",
    }
    return f"{words[verdict]}{said}", hint, detail


def _client(target: Target, base_url: str, timeout: float) -> Any:
    import openai  # only the probe path pays for this import

    from envcheck.probe.http import client as http_client

    key = reveal(target.key)
    # The SDK follows redirects by default and httpx keeps ``api-key`` (Azure)
    # across hosts: a client that never follows one keeps the key where it was sent.
    http = http_client(timeout)
    if target.provider == AZURE_OPENAI:
        return openai.AzureOpenAI(
            api_key=key,
            azure_endpoint=base_url,
            api_version=target.setting("api_version") or AZURE_API_VERSION,
            max_retries=0,
            http_client=http,
            timeout=openai.Timeout(timeout, connect=timeout),
        )
    client = openai.OpenAI(
        api_key=key,
        organization=target.setting("organization"),
        project=target.setting("project"),
        base_url=base_url,
        max_retries=0,
        http_client=http,
        timeout=openai.Timeout(timeout, connect=timeout),
    )
    # The SDK falls back to os.environ for unset values; the app's environment
    # is the resolution, so pin both to what it says.
    client.organization = target.setting("organization")
    client.project = target.setting("project")
    return client


def _send(client: Any, model: str, param: str, limit: int, timeout: float) -> Answer:
    """One request, ``timeout`` in all; the HTTP answer, or the SDK's connection errors."""
    import openai

    from envcheck.probe.http import within

    create = client.chat.completions.with_raw_response.create  # the SDK's lazy imports: not timed

    def request() -> Answer:
        try:
            raw = create(model=model, messages=[{"role": "user", "content": ""}], **{param: limit})
        except openai.APIStatusError as err:
            return Answer(err.status_code, dict(err.response.headers), err.response.content)
        return Answer(raw.status_code, dict(raw.headers), b"")

    return within(timeout, request)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, billable: bool = False
) -> ProbeResult:
    """Probe one OpenAI or Azure OpenAI key; never raises for a network or API failure."""
    azure = target.provider == AZURE_OPENAI
    base_url = base_url_for(
        target, "endpoint" if azure else "base_url", "" if azure else DEFAULT_BASE_URL
    )
    model = model or (target.setting("deployment") if azure else None) or DEFAULT_MODEL
    if not base_url:
        return result(
            target,
            V.INCONCLUSIVE,
            "not probed: AZURE_OPENAI_ENDPOINT is not set",
            hint="set AZURE_OPENAI_ENDPOINT to the resource's endpoint",
            detail={"refused": "no-endpoint"},
        )
    refused = refuse_unsafe(target, base_url)
    if refused is not None:
        return refused
    param = token_param(model)
    import openai

    from envcheck.probe.http import timed_out

    sent = 0
    try:
        client = _client(target, base_url, timeout)
        sent += 1
        answer = _send(client, model, param, 0, timeout)
        if 300 <= answer.status < 400:
            return redirect_result(target, answer)
        verdict, sig = classify(answer, sent_param=param)
        if billable and verdict is V.INCONCLUSIVE and answer.status == 400:
            sent += 1
            answer = _send(client, model, param, 1, timeout)
            verdict, sig = classify(answer, sent_param=param)
    except (openai.APITimeoutError, TimeoutError):
        return timed_out(target, base_url, timeout, requests=sent)
    except openai.APIConnectionError as err:
        cause = type(err.__cause__).__name__ if err.__cause__ else "connection error"
        return result(
            target,
            V.INCONCLUSIVE,
            f"inconclusive: could not talk to {display_url(base_url)} ({cause})",
            hint="check the network, DNS, proxy and the base URL",
            detail={"error": cause},
            requests=sent,
        )
    except Exception as err:  # noqa: BLE001 - the SDK must never crash the probe
        return result(
            target,
            V.INCONCLUSIVE,
            f"inconclusive: the request failed ({type(err).__name__})",
            detail={"error": type(err).__name__},
            requests=sent,
        )
    message, hint, detail = _describe(target, verdict, answer, sig, model)
    detail["model"] = model
    return result(target, verdict, message, hint=hint, detail=detail, requests=sent)
