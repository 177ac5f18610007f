"""The one HTTP client the SDK-less probes share (httpx2, which the openai SDK brings).

Why one: every provider without a light official SDK needs the same three
things, and each is a safety property that must not be re-implemented per
module: redirects are never followed (httpx keeps ``api-key`` and
``x-goog-api-key`` headers across hosts, and even ``Authorization`` on an
http->https hop), one timeout covers connect and read, and a transport
failure is named by its class only (an exception's text can echo the URL
or headers).  :func:`client` also builds the ``http_client`` handed to the
official SDKs, for the same redirect rule.  httpx2 is imported on use only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.support import Answer, display_url, result
from envcheck.probe.targets import Target

__all__ = ["client", "send", "failure"]

USER_AGENT = "envcheck-probe"
_MAX_BODY = 1 << 20  # an error body or a key's facts; a models list beyond this is cut


def client(timeout: float) -> Any:
    """An httpx2 client that never follows redirects, with one timeout for everything."""
    import httpx2

    return httpx2.Client(
        follow_redirects=False,
        timeout=httpx2.Timeout(timeout, connect=timeout),
        headers={"user-agent": USER_AGENT},
    )


def send(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float,
    body: Any = None,
) -> Answer:
    """One request; raises httpx2's errors for transport failures (see :func:`failure`)."""
    content = None if body is None else json.dumps(body).encode()
    sent = dict(headers)
    if content is not None:
        sent["content-type"] = "application/json"
    with client(timeout) as http, http.stream(method, url, headers=sent, content=content) as resp:
        data = b""
        for chunk in resp.iter_bytes():
            data += chunk
            if len(data) > _MAX_BODY:
                break
        return Answer(resp.status_code, dict(resp.headers.items()), data[:_MAX_BODY])


def failure(target: Target, url: str, timeout: float, err: BaseException) -> ProbeResult:
    """An inconclusive result for a transport failure, named by class only."""
    name = type(err).__name__
    if "Timeout" in name or isinstance(err, TimeoutError):
        return result(
            target,
            ProbeVerdict.INCONCLUSIVE,
            f"inconclusive: no answer from {display_url(url)} within {timeout:g}s",
            hint="check the network or raise --timeout",
            detail={"error": "timeout"},
            requests=1,
        )
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"inconclusive: could not talk to {display_url(url)} ({name})",
        hint="check the network, DNS, proxy and the base URL",
        detail={"error": name},
        requests=1,
    )
