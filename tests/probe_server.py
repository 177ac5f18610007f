"""A loopback HTTP server that replays recorded API answers, for the probe tests.

It runs in-process in a thread, answers every request with the configured
case (status, JSON body, headers) or fault, and records each request (path,
headers, JSON body) so tests can assert what the real SDK sent.  Faults:

* ``refuse``   - no server at all: the port is bound, then closed;
* ``hang``     - accept the request and never answer;
* ``truncate`` - send headers and half the announced body, then close;
* ``html502``  - an HTML 502 page, as a proxy in front of the API sends;
* ``badjson``  - ``application/json`` that is not JSON;
* ``echo``     - an error (the reply's status, else 418) of an unknown type
  whose message echoes the key it was sent.

A reply may also ``delay`` its answer (seconds); :data:`OVERLAP` records how
many requests, across every server in the process, were in flight at once,
so a test can show that probes ran concurrently without timing anything.
A ``redirect`` is just a 3xx reply with a ``location`` header.

``python -m tests.probe_server CASE`` serves one case of the shared data
file until interrupted and prints its base URL (used by ``make demo``).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.harness import DATA, TESTS_DIR

DATA_CANDIDATES = (
    DATA / "openai-errors.json",
    TESTS_DIR.parents[1] / "shared" / "data" / "openai-errors.json",
)
FAULTS = ("refuse", "hang", "truncate", "html502", "badjson", "echo")


def data_file() -> Path | None:
    """The recorded responses: the in-repo copy first, then the shared one."""
    return next((p for p in DATA_CANDIDATES if p.is_file()), None)


def load_cases() -> list[dict[str, Any]]:
    path = data_file()
    if path is None:
        return []
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return list(cases)


class _Overlap:
    """Requests in flight across all servers, and the most seen at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.peak = 0

    def reset(self) -> None:
        with self._lock:
            self.current = self.peak = 0

    def enter(self) -> None:
        with self._lock:
            self.current += 1
            self.peak = max(self.peak, self.current)

    def leave(self) -> None:
        with self._lock:
            self.current -= 1


OVERLAP = _Overlap()


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    """What the server answers: a status/body/headers triple, or a fault name."""

    status: int = 200
    body: Any = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    fault: str | None = None
    delay: float = 0.0
    content_type: str = "application/json"

    @classmethod
    def from_case(cls, case: Mapping[str, Any]) -> Reply:
        """A recorded case; ``body_text`` + ``content_type`` record a non-JSON body."""
        if "body_text" in case:
            body: Any = str(case["body_text"]).encode()
            return cls(
                case["status"], body, case.get("headers") or {}, content_type=case["content_type"]
            )
        return cls(case["status"], case["body"], case.get("headers") or {})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        return  # keep test output clean (and never print request headers)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.server.requests.append(
            Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        replies = self.server.replies
        reply = replies[min(len(self.server.requests), len(replies)) - 1]
        OVERLAP.enter()
        try:
            if reply.delay:
                time.sleep(reply.delay)
            self._reply(reply)
        finally:
            OVERLAP.leave()

    def _reply(self, reply: Reply) -> None:
        fault = reply.fault
        if fault == "hang":
            self.server.release.wait(30)
            self.close_connection = True
            return
        if fault == "truncate":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "400")
            self.end_headers()
            self.wfile.write(b'{"id": "chatcmpl-1", "obj')
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "html502":
            self._send(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
            return
        if fault == "badjson":
            self._send(400, b'{"error": {"message": "oops", ', "application/json")
            return
        if fault == "echo":
            auth = self.headers.get("authorization", "") or self.headers.get("x-api-key", "")
            key = auth.removeprefix("Bearer ")
            payload = {
                "error": {
                    "message": f"Incorrect API key provided: {key}. Try again.",
                    "type": "strange_new_error",
                    "param": None,
                    "code": None,
                }
            }
            status = reply.status if reply.status >= 400 else 418
            self._send(status, json.dumps(payload).encode(), "application/json")
            return
        data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        self._send(reply.status, data, reply.content_type, reply.headers)

    def _send(
        self, status: int, data: bytes, ctype: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    replies: list[Reply]
    requests: list[Recorded]
    release: threading.Event


@dataclass
class ProbeServer:
    """A running server (or, for ``refuse``, a closed port) and what it received."""

    base_url: str
    requests: list[Recorded]
    _server: _Server | None = None

    def set(self, *replies: Reply) -> None:
        """Answer the n-th request with the n-th reply (the last one repeats)."""
        assert self._server is not None
        self._server.replies = list(replies)
        self.requests.clear()


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(*replies: Reply, prefix: str = "/v1") -> Iterator[ProbeServer]:
    """Run the server for the duration of the block; base URL ends in ``prefix``.

    The n-th request gets the n-th reply; the last one repeats.
    """
    replies = replies or (Reply(),)
    if replies[0].fault == "refuse":
        yield ProbeServer(f"http://127.0.0.1:{_closed_port()}{prefix}", [])
        return
    server = _Server(("127.0.0.1", 0), _Handler)
    server.replies = list(replies)
    server.requests = []
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield ProbeServer(f"http://127.0.0.1:{port}{prefix}", server.requests, server)
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def main(argv: list[str]) -> int:
    """Serve one recorded case (by name) until interrupted."""
    wanted = argv[0] if argv else "insufficient-quota"
    case = next((c for c in load_cases() if c["name"] == wanted), None)
    if case is None:
        print(f"no case named {wanted!r}", file=sys.stderr)
        return 2
    with serve(Reply.from_case(case)) as server:
        print(server.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
