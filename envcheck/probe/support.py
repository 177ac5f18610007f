"""What every provider's probe needs: URL safety, error bodies, clean messages.

Kept apart from the providers so the rules about what may leave the
machine (no key over plain HTTP except to loopback) and what may be shown
(server messages masked, never the exception's text) live in one place.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.targets import Target
from envcheck.probe.trust import allow_hint, is_loopback_host, untrusted_reason
from envcheck.secret import Secret, redact

__all__ = [
    "Answer",
    "ErrorSignature",
    "unsafe_url_reason",
    "display_url",
    "error_signature",
    "clean_message",
    "header_facts",
    "billed_to",
    "result",
]

_MAX_MESSAGE = 240
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer as the probe saw it: status, headers, raw body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        """A header by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), default)


@dataclass(frozen=True, slots=True)
class ErrorSignature:
    """The fields of an API error body that classification looks at.

    ``json_ok`` is False when the body is not a JSON object with an
    ``error`` member: then nothing in it is trusted as a signature.
    """

    json_ok: bool
    type: str | None = None
    code: str | None = None
    param: str | None = None
    message: str | None = None


def unsafe_url_reason(url: str) -> str | None:
    """Why a key must not be sent to ``url``, or None when it is safe.

    HTTPS anywhere; plain HTTP only to a loopback host (a local proxy or a
    test server).  Anything else would put the key on the wire in clear.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "the URL cannot be parsed"
    if parts.scheme == "https" and host:
        return None
    if parts.scheme != "http" or not host:
        return "it is not an http(s) URL"
    if is_loopback_host(host):
        return None
    return "it is plain http:// to a host that is not loopback"


def display_url(url: str) -> str:
    """``scheme://host[:port]/path`` without user info, query or fragment."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unparsable URL)"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def error_signature(body: bytes) -> ErrorSignature:
    """Parse an error body: OpenAI's ``{"error": {...}}`` (Anthropic wraps it too)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ErrorSignature(json_ok=False)
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return ErrorSignature(json_ok=False)
    code = error.get("code")
    return ErrorSignature(
        json_ok=True,
        type=_text(error.get("type")),
        code=str(code) if isinstance(code, (str, int)) and code != "" else None,
        param=_text(error.get("param")),
        message=_text(error.get("message")),
    )


def header_facts(answer: Answer, names: Mapping[str, str]) -> dict[str, str]:
    """``fact -> header`` values the answer carries (short, printable: an ID, never a body)."""
    facts = {}
    for fact, header in names.items():
        value = answer.header(header).strip()
        if value and len(value) <= 128 and value.isprintable():
            facts[fact] = value
    return facts


def billed_to(detail: Mapping[str, str]) -> str:
    """``"; billed to organization x, project y"`` as the API named them, or ""."""
    named = [f"{k} {detail[k]}" for k in ("organization", "project") if detail.get(k)]
    return f"; billed to {', '.join(named)}" if named else ""


def clean_message(message: str | None, key: Secret) -> str:
    """A server message safe to print: key masked, one line, bounded length."""
    if not message:
        return ""
    text = _CONTROL.sub(" ", redact(message, [key])).strip()
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1].rstrip() + "…"
    return text


def result(
    target: Target,
    verdict: ProbeVerdict,
    message: str,
    *,
    hint: str | None = None,
    detail: Mapping[str, str] | None = None,
    requests: int = 0,
) -> ProbeResult:
    """Build a result for ``target`` (its variable and origin are fields, not message text)."""
    return ProbeResult(
        var=target.var,
        provider=target.provider,
        verdict=verdict,
        message=message,
        origin=target.origin,
        hint=hint,
        detail=dict(detail or {}),
        requests=requests,
    )


def refuse_insecure(target: Target, base_url: str) -> ProbeResult | None:
    """The "not probed" result when ``base_url`` would carry the key in clear, else None.

    Every provider asks this before it sends anything: a key never goes to a
    plain-http URL unless the host is loopback.
    """
    reason = unsafe_url_reason(base_url)
    if reason is None:
        return None
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"not probed: the key would be sent to {display_url(base_url)} and {reason}",
        hint="use an https:// base URL (plain http is allowed only for loopback)",
        detail={"refused": "insecure-url"},
    )


def base_url_for(target: Target, setting: str, default: str) -> str:
    """Where the key goes: the app's setting, else the schema's ``base_url``, else the default.

    The schema's ``base_url`` both names the URL an app sets in code (an
    Ollama ``baseURL`` the env never mentions) and allows the key to go there.
    """
    return (target.setting(setting) or target.allowed_url or default).rstrip("/")


def refuse_unsafe(target: Target, base_url: str) -> ProbeResult | None:
    """The "not probed" result when the key must not go to ``base_url``, else None.

    Every provider calls this before it sends anything: plain http only to
    loopback (:func:`refuse_insecure`), and a host that is not the
    provider's own only when configured outside the checked files
    (:mod:`envcheck.probe.trust`).
    """
    refused = refuse_insecure(target, base_url)
    if refused is not None:
        return refused
    reason = untrusted_reason(target, base_url)
    if reason is None:
        return None
    shown = display_url(base_url)
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"not probed: the key would be sent to {shown} and {reason}",
        hint=allow_hint(target, base_url, shown),
        detail={"refused": "untrusted-url"},
    )


def redirect_result(target: Target, answer: Answer) -> ProbeResult:
    """An inconclusive result for a 3xx: probes never follow redirects with a key."""
    location = answer.header("location")
    where = f" to {display_url(location)}" if location else ""
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"inconclusive: HTTP {answer.status} redirect{where}; the key was not sent there",
        hint="point the base URL at the final address; envcheck never follows a redirect "
        "with a key",
        detail={"status": str(answer.status), "refused": "redirect"},
        requests=1,
    )
