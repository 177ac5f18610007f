"""One time limit for a whole HTTP request: connect, TLS, headers and body together.

httpx's timeouts, like a socket's, apply to each operation: a server that
sends one byte a second never lets a 5-second read timeout fire, and holds
the probe (and the CI job) for as long as it likes.  :func:`bound` gives an
httpx2 client a network backend whose every socket operation may take at
most the time left until the request's deadline, so the request fails with
httpx's own timeout error about ``--timeout`` after it started, whatever the
server does.  The deadline starts again at each request the client sends.

Imported only when a probe runs: it subclasses httpcore2's backend types.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import httpcore2

__all__ = ["Deadline", "bound"]


class Deadline:
    """The end of the current request: ``seconds`` after the last :meth:`restart`."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def restart(self, *_: object) -> None:
        """Start the clock for a new request (an httpx ``request`` event hook)."""
        self._end = time.monotonic() + self.seconds

    def clamp(self, timeout: float | None, error: type[Exception]) -> float:
        """``timeout`` cut to the time left; ``error`` when none is left."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise error(f"the request took longer than {self.seconds:g}s in all")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore2.NetworkStream):
    """A connection whose reads and writes end by the deadline."""

    def __init__(self, inner: httpcore2.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clamp(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clamp(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        limit = self._deadline.clamp(timeout, httpcore2.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, limit), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore2.NetworkBackend):
    """Opens connections as ``inner`` does, each bound to the deadline."""

    def __init__(self, inner: httpcore2.NetworkBackend, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        limit = self._deadline.clamp(timeout, httpcore2.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, limit, local_address, socket_options)
        return _Stream(stream, self._deadline)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        limit = self._deadline.clamp(timeout, httpcore2.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, limit, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound(client: Any, deadline: Deadline) -> bool:
    """Bind every connection pool of an httpx2 ``client`` (proxies too) to ``deadline``.

    httpx2 builds its pools (one per proxy route) in the client's
    constructor; each takes the backend its connections are opened with.
    Returns False when a pool has no backend to replace (another httpx2
    layout): the caller's thread guard then still ends the request.
    """
    transports = [client._transport, *client._mounts.values()]
    replaced = True
    for transport in transports:
        if transport is None:
            continue
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if not isinstance(backend, httpcore2.NetworkBackend):
            replaced = False
            continue
        pool._network_backend = _Backend(backend, deadline)  # type: ignore[union-attr]
    return replaced
