"""The one HTTP client every probe uses (httpx2, which the openai SDK brings).

Why one: every provider needs the same things, and each is a safety
property that must not be re-implemented per module: redirects are never
followed (httpx keeps ``api-key`` and ``x-goog-api-key`` headers across
hosts, and even ``Authorization`` on an http->https hop); ``--timeout`` is
the limit for a whole request, connect, headers and body together, not per
socket read (:mod:`envcheck.probe.deadline`), so a server that answers one
byte a second cannot hold a CI job; and a transport failure is named by its
class only (an exception's text can echo the URL or headers).
:func:`client` also builds the ``http_client`` handed to the official SDKs,
and :func:`within` guards their calls with the same limit.  httpx2 is
imported on use only.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.support import Answer, display_url, result
from envcheck.probe.targets import Target

__all__ = ["client", "within", "send", "failure", "timed_out", "is_timeout"]

USER_AGENT = "envcheck-probe"
_MAX_BODY = 1 << 20  # an error body or a key's facts; a models list beyond this is cut
# The guard in `within` fires this long after the deadline: the client's own
# deadline ends a request first whenever a socket timeout can end it; the
# guard is for what none can (a name lookup that hangs), with room for an
# SDK's first-use imports, which run inside the guarded call.
_GUARD_GRACE = 2.0
T = TypeVar("T")


def client(timeout: float) -> Any:
    """An httpx2 client that never follows redirects, each request limited to ``timeout`` in all.

    The proxy settings of the environment (``HTTPS_PROXY``, ``NO_PROXY``)
    apply as they would to the app's SDK.
    """
    import httpx2

    from envcheck.probe.deadline import Deadline, bound

    deadline = Deadline(timeout)
    http = httpx2.Client(
        follow_redirects=False,
        timeout=httpx2.Timeout(timeout, connect=timeout),
        headers={"user-agent": USER_AGENT},
        event_hooks={"request": [deadline.restart]},
    )
    bound(http, deadline)
    return http


def within(timeout: float, work: Callable[[], T]) -> T:
    """``work()``, or :class:`TimeoutError` when it has not returned shortly after ``timeout``.

    The request runs in a daemon thread; at the deadline it is abandoned
    (it ends on its own, and never holds up the exit).
    """
    box: Future[T] = Future()

    def run() -> None:
        try:
            box.set_result(work())
        except BaseException as err:  # noqa: BLE001 - handed to the caller as it is
            box.set_exception(err)

    threading.Thread(target=run, name="envcheck-probe-request", daemon=True).start()
    try:
        return box.result(timeout + _GUARD_GRACE)
    except TimeoutError:
        if box.done():
            raise  # work itself raised TimeoutError
        raise TimeoutError(f"no complete answer within {timeout:g}s") from None


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

    def request() -> Answer:
        with client(timeout) as http, http.stream(method, url, headers=sent, content=content) as r:
            data = b""
            for chunk in r.iter_bytes():
                data += chunk
                if len(data) > _MAX_BODY:
                    break
            return Answer(r.status_code, dict(r.headers.items()), data[:_MAX_BODY])

    return within(timeout, request)


def timed_out(target: Target, url: str, timeout: float, requests: int = 1) -> ProbeResult:
    """The inconclusive result for a request that did not finish within ``timeout``."""
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"inconclusive: timed out: no complete answer from {display_url(url)} within {timeout:g}s",
        hint="check the network or raise --timeout",
        detail={"error": "timeout"},
        requests=requests,
    )


def is_timeout(err: BaseException) -> bool:
    """httpx2's and the SDKs' timeout errors, and :func:`within`'s."""
    return isinstance(err, TimeoutError) or "Timeout" in type(err).__name__


def failure(target: Target, url: str, timeout: float, err: BaseException) -> ProbeResult:
    """An inconclusive result for a transport failure, named by class only."""
    name = type(err).__name__
    if is_timeout(err):
        return timed_out(target, url, timeout)
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"inconclusive: could not talk to {display_url(url)} ({name})",
        hint="check the network, DNS, proxy and the base URL",
        detail={"error": name},
        requests=1,
    )
