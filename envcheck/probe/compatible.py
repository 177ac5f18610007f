"""An OpenAI-compatible server (Ollama, vLLM, LiteLLM): ``GET {base}/models``.

Chosen with ``probe = "openai-compatible"``; the base URL is the app's
``OPENAI_BASE_URL`` or the schema's ``base_url``, and it must be trusted
(:mod:`envcheck.probe.trust`) before the key is sent.  Listing models is
free on every such server and proves that the server is up and accepts the
key.  It proves nothing about credit, and a server that ignores keys (a
default Ollama) accepts any key: the verdict says so.
"""

from __future__ import annotations

from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.rest import Spec, Success, run
from envcheck.probe.targets import Target

V = ProbeVerdict


def _success(data: Any) -> Success:
    models = data.get("data") if isinstance(data, dict) else None
    count = len(models) if isinstance(models, list) else 0
    return Success(
        V.VALID,
        f"valid: the server answered and lists {count} model(s) (a server that does not "
        "check keys accepts any key; credit not applicable)",
        {"credit": "unchecked", "models": str(count)},
    )


SPEC = Spec(
    provider="openai-compatible",
    path=lambda _model: "/models",
    proves="the server accepted the key",
    keys_url="the server's configuration",
    billing_url="the server's configuration",
    codes={"invalid_api_key": V.INVALID},
    statuses={401: V.INVALID, 403: V.RESTRICTED, 429: V.RATE_LIMITED},
    success=_success,
)


def probe(
    target: Target, *, timeout: float = 5.0, model: str | None = None, **_: object
) -> ProbeResult:
    """Probe the configured OpenAI-compatible server."""
    return run(SPEC, target, timeout=timeout, model=model)
