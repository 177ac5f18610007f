"""Secret references are pointers, not values (issue 27, item 5).

``OPENAI_API_KEY=op://vault/openai/key`` is the documented 1Password workflow
(``op run --env-file .env -- npm start``): no wrong-shape finding, no leak for
``guard``, no "same secret" across modes, and never sent to a provider.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.secret import is_secret, not_a_secret_because
from tests.harness import envcheck as _run
from tests.harness import repository

REFERENCES = [
    ("op://vault/openai/api-key", "1password"),
    ("op://Private/Stripe/credentials/secret_key", "1password"),
    ("${{ secrets.OPENAI_API_KEY }}", "github-secret"),
    (
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/openai-AbCdEf",
        "aws-secrets-manager",
    ),
    ("{{resolve:ssm-secure:/prod/openai}}", "aws-ssm"),
    ("vault:secret/data/openai#key", "vault"),
    ("doppler://project/config/OPENAI_API_KEY", "doppler"),
]


@pytest.mark.parametrize(("value", "kind"), REFERENCES)
def test_a_reference_is_no_secret_value(value: str, kind: str) -> None:
    assert not is_secret("OPENAI_API_KEY", value)
    reason = not_a_secret_because(value)
    assert reason is not None and kind in reason


@pytest.fixture
def project(tmp_path: Path) -> Path:
    reference = "OPENAI_API_KEY=op://vault/openai/api-key\n"
    return repository(
        tmp_path,
        {
            "package.json": '{"dependencies": {"next": "15.1.0"}}',
            ".env": reference,
            ".env.production": reference,
        },
    )


def test_check_guard_and_diff_take_a_reference_for_what_it_is(project: Path) -> None:
    check = json.loads(_run(project, "check", "--format", "json").stdout)
    codes = {f["code"] for f in check["findings"]}
    assert codes.isdisjoint({"EC305", "EC306", "EC308", "EC402", "EC403"}), check["findings"]
    assert _run(project, "guard", ".env", ".env.production").returncode == 0
    diff = json.loads(_run(project, "diff", "--format", "json").stdout)
    assert "EC604" not in {f["code"] for f in diff["findings"]}


@pytest.fixture
def trap() -> Iterator[tuple[list[bytes], int]]:
    """A loopback proxy that records every connection attempt and answers nothing."""
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(4096))
                except OSError:
                    seen.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield seen, server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


def test_probe_never_sends_a_reference(project: Path, trap: tuple[list[bytes], int]) -> None:
    seen, port = trap
    proxy = f"http://127.0.0.1:{port}"
    done = _run(
        project,
        "probe",
        "--timeout",
        "2",
        env={"HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "ALL_PROXY": proxy},
    )
    assert seen == []  # not even a CONNECT toward the provider
    assert done.returncode == 2  # a retry cannot help; probing where it is resolved can
    assert "op run --env-file .env -- envcheck probe" in done.stdout + done.stderr


def test_each_pattern_can_only_match_text_starting_with_its_lead() -> None:
    """The cheap ``startswith`` gate in front of the patterns must never turn a reference
    away: each pattern's literal beginning (as the regex parser sees it) is its lead."""
    import re._parser as parser  # the stdlib's own regex parser: the literal prefix

    from envcheck.sources.references import _PATTERN_SOURCES

    for kind, lead, source in _PATTERN_SOURCES:
        literal = ""
        for op, arg in parser.parse(source):
            if op is not parser.LITERAL:
                break
            literal += chr(arg)
        assert literal.startswith(lead), f"{kind}: pattern begins {literal!r}, lead {lead!r}"
