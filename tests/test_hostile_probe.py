"""A hostile checkout against ``envcheck probe``: keys go only where the user said, in time.

Every case runs envcheck as a real process in a checkout the attacker wrote
(``envcheck.toml``, ``.env.example`` notes, ``.env``), with keys in the
process environment as a CI job has them.  Two loopback servers watch:

* the **collector**, the attacker's server, named by the checkout;
* the **trap**, set as ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY`` (and no
  ``NO_PROXY``), so a request meant for a real host (``api.openai.com``,
  ``api.anthropic.com``) arrives here as a ``CONNECT`` and goes no further.
  Plain-http requests to the collector come here too, in absolute form, and
  keep their ``Host`` header: "sent to the collector" is a request, to either
  server, whose ``Host`` is the collector's.

Both record every request and its ``Authorization`` header.  A slow-loris
server (one byte a second, headers then body) shows that ``--timeout`` is a
limit for the whole request.  No test measures time: a subprocess timeout
far above the expected seconds only keeps a regression from hanging the run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

KEY = "sk-proj-" + "Hx7tQ2mV9pLr4sWc8nBf3kYd6gJz1aEu5oTi0RvNqXhC2wMb"
TOKEN = "ghp_" + "Hx7tQ2mV9pLr4sWc8nBf3kYd6gJz1aEu5oTi"
GROQ_KEY = "gsk_" + "Hx7tQ2mV9pLr4sWc8nBf3kYd6gJz1aEu5oTi0RvNqXhC2wMb"
ANT_KEY = "sk-ant-api03-" + "Hx7tQ2mV9pLr4sWc8nBf3kYd6gJz1aEu5oTi0RvNqXhC2wMb"
SECRETS = (KEY, TOKEN, GROQ_KEY, ANT_KEY)
HANG_GUARD = 60  # seconds; a run takes a few


# A funded key's answer to the zero-token chat request: "valid".
FUNDED = {
    "error": {
        "message": "Invalid 'max_tokens'",
        "type": "invalid_request_error",
        "param": "max_tokens",
        "code": "integer_below_min_value",
    }
}


@dataclass
class Seen:
    """One request as a server saw it: method, target, Host, Authorization."""

    method: str
    target: str
    host: str
    authorization: str


@dataclass
class Recorder:
    """A running loopback server and every request it received."""

    netloc: str
    seen: list[Seen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.netloc}/v1"

    def keys(self) -> list[str]:
        return [s.authorization for s in self.seen if s.authorization]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        return

    def _record(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.server.recorder.seen.append(
            Seen(
                self.command,
                self.path,
                self.headers.get("host", ""),
                self.headers.get("authorization", "") or self.headers.get("x-api-key", ""),
            )
        )

    def do_CONNECT(self) -> None:  # a tunnel to a real host: refused, nothing passes
        self._record()
        self.send_response(403)
        self.send_header("content-length", "0")
        self.end_headers()
        self.close_connection = True

    def _answer(self) -> None:
        self._record()
        body = json.dumps(FUNDED).encode()
        self.send_response(400)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = _answer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    recorder: Recorder


@contextmanager
def recording() -> Iterator[Recorder]:
    """A loopback server that records every request (also as a proxy) and answers "funded"."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.recorder = Recorder(f"127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def slow_loris(phase: str) -> Iterator[str]:
    """A server that answers one byte a second: from the status line, or after quick headers.

    Yields its base URL (``/v1``).  It drips until the client hangs up.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    head += b"x-padding: " + b"p" * 200 + b"\r\ncontent-length: 100000\r\n\r\n"
    body = b'{"data": [' + b" " * 99980 + b"]}"

    def drip(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536) or b"\r\n\r\n"
                quick, slow = (b"", head + body) if phase == "headers" else (head, body)
                conn.sendall(quick)
                for byte in slow:
                    if stop.wait(1.0):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: what the test wants

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@pytest.fixture
def collector() -> Iterator[Recorder]:
    with recording() as server:
        yield server


@pytest.fixture
def trap() -> Iterator[Recorder]:
    with recording() as server:
        yield server


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    return tmp_path / "app"


def envcheck(
    cwd: Path, *args: str, env: dict[str, str], trap: Recorder | None = None
) -> subprocess.CompletedProcess[str]:
    """envcheck as CI runs it: a minimal environment, the keys, and (with ``trap``) proxies."""
    minimal = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd.parent / "home"),
        "XDG_CACHE_HOME": str(cwd.parent / "cache"),
        **env,
    }
    if trap is not None:
        proxy = f"http://{trap.netloc}"
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
            minimal[name] = minimal[name.lower()] = proxy
    run = subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=minimal,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    shown = run.stdout + run.stderr
    assert not any(secret in shown for secret in SECRETS), shown
    assert "Traceback" not in shown, shown
    return run


def sent_to(recorder: Recorder, *servers: Recorder) -> list[str]:
    """The credentials addressed to ``recorder``, as any of ``servers`` received them."""
    return [s.authorization for srv in servers for s in srv.seen if s.host == recorder.netloc]


def tunnels(trap: Recorder) -> list[str]:
    """The real hosts something tried to reach through the trap."""
    return [s.target for s in trap.seen if s.method == "CONNECT"]


# -- a checked file cannot enlist a process variable ---------------------------


@pytest.mark.parametrize("provider", ["openai-compatible", "openai", "anthropic"])
def test_a_committed_schema_cannot_enlist_a_process_variable(
    app: Path, collector: Recorder, trap: Recorder, provider: str
) -> None:
    """``[keys.CI_DEPLOY_TOKEN] probe = ...``: the CI token goes nowhere, also with ``--var``.

    A variable the provider table does not know (GITHUB_TOKEN is a GitHub key
    now, probed at api.github.com only because the table names it).
    """
    (app / "envcheck.toml").write_text(
        f'[keys.CI_DEPLOY_TOKEN]\nprobe = "{provider}"\nbase_url = "{collector.url}"\n'
    )
    env = {"CI_DEPLOY_TOKEN": TOKEN}
    refused = envcheck(app, "probe", env=env, trap=trap)
    checked = envcheck(app, "check", "--probe", env=env, trap=trap)
    named = envcheck(app, "probe", "--var", "CI_DEPLOY_TOKEN", env=env, trap=trap)
    assert collector.seen == [] and trap.seen == []  # not a request, not a tunnel
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "CI_DEPLOY_TOKEN (process environment): not probed" in refused.stdout
    assert "--var CI_DEPLOY_TOKEN" in refused.stdout
    assert checked.returncode == 2 and "not probed" in checked.stderr
    # Named on the command line, it is enlisted; the schema's base_url still may not have it.
    if provider == "openai-compatible":
        assert named.returncode == 2 and "--trust-base-url" in named.stdout


def test_an_expanded_value_is_not_the_checkout_s_own(
    app: Path, collector: Recorder, trap: Recorder
) -> None:
    """``LLM_KEY=${CI_DEPLOY_TOKEN}`` in a committed ``.env`` launders nothing."""
    (app / ".env").write_text("LLM_KEY=${CI_DEPLOY_TOKEN}\n")
    (app / "envcheck.toml").write_text(
        f'[keys.LLM_KEY]\nprobe = "openai-compatible"\nbase_url = "{collector.url}"\n'
    )
    run = envcheck(app, "probe", "-f", "nextjs", env={"CI_DEPLOY_TOKEN": TOKEN}, trap=trap)
    assert collector.seen == [] and trap.seen == []
    assert run.returncode == 2 and "LLM_KEY (.env:1): not probed" in run.stdout


@pytest.mark.parametrize("where", ["env-file", "schema"])
def test_a_checkout_cannot_point_the_github_token_elsewhere(
    app: Path, collector: Recorder, trap: Recorder, where: str
) -> None:
    """The CI's GITHUB_TOKEN goes to api.github.com only: not to a GITHUB_API_URL in a
    committed ``.env``, nor to a schema ``base_url``."""
    if where == "env-file":
        (app / ".env").write_text(f"GITHUB_API_URL={collector.url}\n")
    else:
        (app / "envcheck.toml").write_text(f'[keys.GITHUB_TOKEN]\nbase_url = "{collector.url}"\n')
    run = envcheck(app, "probe", "-f", "nextjs", env={"GITHUB_TOKEN": TOKEN}, trap=trap)
    assert sent_to(collector, collector, trap) == [] and collector.seen == []
    assert run.returncode == 2, run.stdout + run.stderr
    assert "GITHUB_TOKEN (process environment): not probed" in run.stdout
    assert tunnels(trap) == []  # refused before anything was sent, even to GitHub


# -- a schema base_url does not receive a process key --------------------------


def test_a_schema_base_url_does_not_receive_a_process_key(
    app: Path, collector: Recorder, trap: Recorder
) -> None:
    (app / "envcheck.toml").write_text(
        f'[keys.OPENAI_API_KEY]\nprobe = "openai"\nbase_url = "{collector.url}"\n'
    )
    env = {"OPENAI_API_KEY": KEY}
    run = envcheck(app, "probe", env=env, trap=trap)
    assert collector.seen == [] and trap.seen == []
    assert run.returncode == 2, run.stdout + run.stderr
    assert "not probed: the key would be sent to " + collector.url in run.stdout
    assert "--trust-base-url" in run.stdout and "OPENAI_BASE_URL" in run.stdout
    # The command line is the user's: it may allow the schema's URL.
    allowed = envcheck(app, "probe", "--trust-base-url", env=env, trap=trap)
    assert allowed.returncode == 0, allowed.stdout
    assert sent_to(collector, collector, trap) == [f"Bearer {KEY}"]


def test_a_schema_base_url_sends_a_file_key_only_to_loopback(app: Path, trap: Recorder) -> None:
    """The developer's own (untracked) .env key is not the committed schema's to send away."""
    (app / ".env").write_text(f"OPENAI_API_KEY={KEY}\n")
    (app / "envcheck.toml").write_text(
        '[keys.OPENAI_API_KEY]\nbase_url = "https://collector.example/v1"\n'
    )
    run = envcheck(app, "probe", env={}, trap=trap)
    assert trap.seen == []
    assert run.returncode == 2 and "loopback server only" in run.stdout


# -- a # probe: note cannot reroute a process key ------------------------------


def test_a_probe_note_cannot_reroute_a_process_key(
    app: Path, collector: Recorder, trap: Recorder
) -> None:
    (app / ".env.example").write_text("# secret; probe: anthropic\nOPENAI_API_KEY=\n")
    run = envcheck(app, "probe", "--format", "json", env={"OPENAI_API_KEY": KEY}, trap=trap)
    assert not [t for t in tunnels(trap) if "anthropic" in t]  # never toward Anthropic
    assert tunnels(trap) == ["api.openai.com:443"]  # its own provider, through the proxy
    assert collector.seen == [] and trap.keys() == []  # the key itself reached no server
    [result] = json.loads(run.stdout)["results"]
    assert result["provider"] == "openai" and "probed as openai" in result["message"]
    assert run.returncode == 3  # the trap refused the tunnel: a network problem

    # Positive control: the same key, with a base URL from the process environment, is sent.
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": collector.url}
    sent = envcheck(app, "probe", env=env, trap=trap)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert sent_to(collector, collector, trap) == [f"Bearer {KEY}"]


# -- a refused destination is a configuration problem --------------------------


def test_plain_http_to_a_remote_host_is_exit_2(app: Path, trap: Recorder) -> None:
    env = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://collector.example/v1"}
    run = envcheck(app, "probe", env=env, trap=trap)
    assert run.returncode == 2 and "plain http:// to a host that is not loopback" in run.stdout
    marker = app / "started"
    start = [sys.executable, "-c", f"open({str(marker)!r}, 'w').close()"]
    exec_ = envcheck(app, "exec", "--probe", "--probe-fail-open", "--", *start, env=env, trap=trap)
    assert exec_.returncode == 2 and not marker.exists()  # not "inconclusive: start anyway"
    assert trap.seen == []


# -- --timeout bounds the whole request ----------------------------------------


@pytest.mark.parametrize("phase", ["headers", "body"])
@pytest.mark.parametrize(
    ("key_var", "key", "url_var"),
    [
        ("OPENAI_API_KEY", KEY, "OPENAI_BASE_URL"),  # the openai SDK
        ("ANTHROPIC_API_KEY", ANT_KEY, "ANTHROPIC_BASE_URL"),  # the anthropic SDK
        ("GROQ_API_KEY", GROQ_KEY, "GROQ_BASE_URL"),  # the shared REST client
    ],
    ids=["openai", "anthropic", "rest"],
)
def test_a_slow_loris_server_cannot_outlast_the_timeout(
    app: Path, phase: str, key_var: str, key: str, url_var: str
) -> None:
    with slow_loris(phase) as url:
        base = url.removesuffix("/v1") if key_var == "ANTHROPIC_API_KEY" else url
        run = envcheck(app, "probe", "--timeout", "2", env={key_var: key, url_var: base})
    assert run.returncode == 3, run.stdout + run.stderr
    assert "timed out" in run.stdout and "within 2s" in run.stdout


# -- the rule, as a table ------------------------------------------------------

PROCESS = "process"
WRITTEN = "written"  # the key is the text of a checked .env line
EXPANDED = "expanded"  # a checked .env line, but ${VAR} brought the value in

ORIGINS = {
    PROCESS: ("process environment", False),
    WRITTEN: (".env", False),
    EXPANDED: (".env", True),
}


@pytest.mark.parametrize(
    ("key_from", "url", "url_from", "allowed"),
    [
        # the provider's own host: always
        (PROCESS, "https://api.openai.com/v1", None, True),
        (WRITTEN, "https://api.openai.com/v1", None, True),
        # a base URL the process environment set: always
        (PROCESS, "https://llm.corp.example/v1", "process", True),
        (EXPANDED, "https://llm.corp.example/v1", "process", True),
        # a base URL an env file set: never by itself
        (WRITTEN, "http://127.0.0.1:8080/v1", "file", False),
        (PROCESS, "https://llm.corp.example/v1", "file", False),
        # the schema's base_url: a written key to loopback only; nothing else
        (WRITTEN, "http://127.0.0.1:8080/v1", "schema", True),
        (WRITTEN, "https://llm.corp.example/v1", "schema", False),
        (PROCESS, "http://127.0.0.1:8080/v1", "schema", False),
        (EXPANDED, "http://127.0.0.1:8080/v1", "schema", False),
    ],
)
def test_where_a_key_may_go(key_from: str, url: str, url_from: str | None, allowed: bool) -> None:
    from envcheck.probe.targets import Target
    from envcheck.probe.trust import untrusted_reason
    from envcheck.secret import Secret
    from envcheck.sources.types import PROCESS_ORIGIN, Origin

    source, expanded = ORIGINS[key_from]
    origin = PROCESS_ORIGIN if source == "process environment" else Origin(source, 1)
    settings, sources = {}, {}
    if url_from in ("process", "file"):
        settings = {"base_url": url}
        sources = {"base_url": PROCESS_ORIGIN if url_from == "process" else Origin(".env", 2)}
    target = Target(
        "OPENAI_API_KEY",
        "openai",
        Secret(KEY),
        origin,
        settings,
        sources,
        allowed_url=url if url_from == "schema" else None,
        expanded=expanded,
    )
    assert (untrusted_reason(target, url) is None) is allowed
    # --trust-base-url (the command line) allows any of them.
    assert untrusted_reason(dataclasses.replace(target, trust_base_url=True), url) is None
