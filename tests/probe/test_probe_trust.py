"""Where a key may go: the provider's own host, or a host configured outside the checked files.

A base URL read from the same ``.env`` as the key is shown and not used
until ``--trust-base-url``, the schema's ``base_url`` or the process
environment allows it; a redirect never carries the key's header to
another host (the probes do not follow redirects at all).  The loopback
servers here stand in for a hostile collector: each test asserts what they
received, not only the verdict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envcheck.probe import ProbeVerdict
from envcheck.probe.run import run_probes
from envcheck.probe.targets import KeyPlan, Target
from envcheck.probe.trust import same_url, untrusted_reason
from envcheck.secret import Secret
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Resolution, Resolved
from tests.probe_server import Reply, serve

KEY = "sk-proj-" + "Canary7Q" * 6 + "Zq9X"
ANT_KEY = "sk-ant-api03-" + "Canary7Q" * 8 + "AAAA"
V = ProbeVerdict
FUNDED = Reply(
    400,
    {
        "error": {
            "message": "Invalid 'max_tokens'",
            "type": "invalid_request_error",
            "param": "max_tokens",
            "code": "integer_below_min_value",
        }
    },
)


def file_resolution(values: dict[str, str], path: str = ".env") -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(path, i + 1, 1)) for i, (k, v) in enumerate(values.items())
    }
    return Resolution("dotenv", "development", files=[path], vars=vars_)


def keys_sent(server: Any) -> list[str]:
    """Every credential header a server received."""
    names = ("authorization", "api-key", "x-api-key", "x-goog-api-key")
    return [req.headers[n] for req in server.requests for n in names if n in req.headers]


def test_a_base_url_from_the_checked_file_is_shown_and_not_used() -> None:
    with serve(FUNDED) as server:
        values = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
        [res] = run_probes(file_resolution(values), use_cache=False)
    assert server.requests == [] and res.requests == 0
    assert res.verdict is V.INCONCLUSIVE and res.detail["refused"] == "untrusted-url"
    assert server.base_url in res.message and ".env:2" in res.message
    assert res.hint and "--trust-base-url" in res.hint and "base_url =" in res.hint


def test_trust_base_url_flag_sends_it() -> None:
    with serve(FUNDED) as server:
        values = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
        [res] = run_probes(file_resolution(values), use_cache=False, trust_base_url=True)
    assert res.verdict is V.VALID and keys_sent(server) == [f"Bearer {KEY}"]


def test_the_schema_base_url_allows_exactly_that_url() -> None:
    with serve(FUNDED) as server, serve(FUNDED) as other:
        values = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": server.base_url}
        allowed = {"OPENAI_API_KEY": KeyPlan("", server.base_url + "/")}  # trailing / is the same
        [ok] = run_probes(file_resolution(values), use_cache=False, plans=allowed)
        elsewhere = {"OPENAI_API_KEY": KeyPlan("", other.base_url)}
        [refused] = run_probes(file_resolution(values), use_cache=False, plans=elsewhere)
    assert ok.verdict is V.VALID and len(server.requests) == 1
    assert refused.detail["refused"] == "untrusted-url" and other.requests == []


def test_a_base_url_from_the_process_environment_is_trusted() -> None:
    with serve(FUNDED) as server:
        [res] = run_probes(
            file_resolution({"OPENAI_API_KEY": KEY}),
            use_cache=False,
            environ={"OPENAI_BASE_URL": server.base_url},
        )
    assert res.verdict is V.VALID and keys_sent(server) == [f"Bearer {KEY}"]


def test_a_process_value_that_wins_over_the_file_is_trusted() -> None:
    with serve(FUNDED) as server:
        vars_ = {
            "OPENAI_API_KEY": Resolved("OPENAI_API_KEY", Secret(KEY), Origin(".env", 1)),
            "OPENAI_BASE_URL": Resolved("OPENAI_BASE_URL", Secret(server.base_url), PROCESS_ORIGIN),
        }
        res_ = Resolution("dotenv", "development", files=[".env"], vars=vars_)
        [res] = run_probes(res_, use_cache=False)
    assert res.verdict is V.VALID


@pytest.mark.parametrize(
    ("provider", "url", "trusted"),
    [
        ("openai", "https://api.openai.com/v1", True),
        ("openai", "https://API.OPENAI.COM/v1", True),
        ("openai", "https://api.openai.com.evil.example/v1", False),
        ("azure-openai", "https://myres.openai.azure.com", True),
        ("azure-openai", "https://openai.azure.com.evil.example", False),
        ("gemini", "https://generativelanguage.googleapis.com/v1beta", True),
        ("groq", "https://api.groq.com/openai/v1", True),
        ("groq", "https://collector.example/openai/v1", False),
        ("openai-compatible", "http://127.0.0.1:11434/v1", False),  # loopback is not a pass
    ],
)
def test_own_hosts(provider: str, url: str, trusted: bool) -> None:
    setting = "endpoint" if provider == "azure-openai" else "base_url"
    target = Target(
        "K", provider, Secret(KEY), Origin(".env", 1), {setting: url}, {setting: Origin(".env", 2)}
    )
    assert (untrusted_reason(target, url) is None) is trusted


def test_same_url() -> None:
    assert same_url("https://a.example/v1/", "https://A.example:443/v1")
    assert not same_url("https://a.example/v1", "http://a.example/v1")
    assert not same_url("https://a.example/v1", "https://a.example/v2")


# -- redirects ----------------------------------------------------------------


def _redirect_to(url: str) -> Reply:
    return Reply(307, {}, headers={"location": url})


@pytest.mark.parametrize(
    ("var", "extra", "provider"),
    [
        ("OPENAI_API_KEY", {}, "openai"),
        ("AZURE_OPENAI_API_KEY", {"AZURE_OPENAI_DEPLOYMENT": "d"}, "azure-openai"),
        ("ANTHROPIC_API_KEY", {}, "anthropic"),
        ("GEMINI_API_KEY", {}, "gemini"),
        ("OPENROUTER_API_KEY", {}, "openrouter"),
    ],
)
def test_a_redirect_never_carries_the_key_to_another_host(
    var: str, extra: dict[str, str], provider: str
) -> None:
    prefix = "/v1" if provider == "openai" else ""
    with serve(FUNDED, prefix="") as collector:
        with serve(_redirect_to(collector.base_url + "/steal"), prefix=prefix) as server:
            setting = {"azure-openai": "AZURE_OPENAI_ENDPOINT"}.get(provider)
            values = {var: KEY, **extra}
            env = {setting: server.base_url} if setting else {}
            plans = {} if setting else {var: KeyPlan("", server.base_url)}
            [res] = run_probes(file_resolution(values), use_cache=False, plans=plans, environ=env)
        assert len(server.requests) == 1 and keys_sent(server)  # the configured host got it
    assert collector.requests == []  # the redirect target got nothing at all
    assert res.verdict is V.INCONCLUSIVE and res.detail.get("refused") == "redirect", res.message
    assert "the key was not sent there" in res.message


def test_anthropic_urllib_path_does_not_follow_redirects(monkeypatch: pytest.MonkeyPatch) -> None:
    import envcheck.probe.anthropic as ant

    monkeypatch.setattr(ant, "_sdk_available", lambda: False)
    with serve(FUNDED, prefix="") as collector:
        with serve(_redirect_to(collector.base_url + "/v1/messages"), prefix="") as server:
            [res] = run_probes(
                file_resolution({"ANTHROPIC_API_KEY": ANT_KEY}),
                use_cache=False,
                plans={"ANTHROPIC_API_KEY": KeyPlan("", server.base_url)},
            )
    assert collector.requests == [] and res.verdict is V.INCONCLUSIVE


def test_command_shows_an_untrusted_url_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from envcheck.cli import main

    with serve(FUNDED) as server:
        (tmp_path / ".env").write_text(f"OPENAI_API_KEY={KEY}\nOPENAI_BASE_URL={server.base_url}\n")
        args = ["probe", "--dir", str(tmp_path), "--framework", "dotenv", "--no-cache"]
        code = main(args)
        out = capsys.readouterr().out
        assert server.requests == []
        assert code == 2 and "not probed" in out and server.base_url in out  # not "retry later"
        assert main([*args, "--trust-base-url"]) == 0
        assert len(server.requests) == 1
    assert KEY not in out
