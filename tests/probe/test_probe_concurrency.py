"""N keys are probed concurrently, and the cache keeps only "valid", keyed by an HMAC.

Concurrency is shown by what the servers saw (how many requests were in
flight at once), not by a wall-clock bound.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.probe import ProbeVerdict
from envcheck.probe.cache import CACHE_FILE, KEY_FILE
from envcheck.probe.run import run_probes
from envcheck.probe.targets import KeyPlan
from envcheck.secret import Secret, mask
from envcheck.sources.types import Origin, Resolution, Resolved
from tests.probe_server import OVERLAP, Reply, serve

DELAY = 0.5
OPENAI_OK = Reply(
    400,
    {
        "error": {
            "message": "m",
            "type": "invalid_request_error",
            "param": "max_tokens",
            "code": "x",
        }
    },
)
MODELS = Reply(200, {"object": "list", "data": []})
# provider variable -> (URL prefix the stand-in serves under, its answer)
TEN: dict[str, tuple[str, Reply]] = {
    "OPENAI_API_KEY": ("/v1", OPENAI_OK),
    "ANTHROPIC_API_KEY": ("", Reply(200, {"input_tokens": 1})),
    "GEMINI_API_KEY": ("", Reply(200, {"name": "models/gemini-2.5-flash"})),
    "MISTRAL_API_KEY": ("", MODELS),
    "GROQ_API_KEY": ("", MODELS),
    "PERPLEXITY_API_KEY": ("", Reply(400, {"error": {"message": "empty", "type": "x"}})),
    "DEEPSEEK_API_KEY": ("", Reply(200, {"is_available": True, "balance_infos": []})),
    "OPENROUTER_API_KEY": ("", Reply(200, {"data": {"usage": 0, "limit": None}})),
    "XAI_API_KEY": ("", Reply(200, {"team_blocked": False})),
    "TOGETHER_API_KEY": ("", MODELS),
}


def key_for(var: str) -> str:
    return f"k-{var.split('_')[0].lower()}-" + "Canary7Q" * 5


def resolution(values: dict[str, str]) -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(".env", i + 1, 1))
        for i, (k, v) in enumerate(values.items())
    }
    return Resolution("dotenv", "development", files=[".env"], vars=vars_)


def test_ten_providers_are_probed_at_once() -> None:
    from contextlib import ExitStack

    import anthropic  # noqa: F401 - imports are not what this test is about
    import httpx2  # noqa: F401
    import openai  # noqa: F401

    with ExitStack() as stack:
        servers = {
            var: stack.enter_context(
                serve(Reply(r.status, r.body, r.headers, delay=DELAY), prefix=prefix)
            )
            for var, (prefix, r) in TEN.items()
        }
        OVERLAP.reset()
        results = run_probes(
            resolution({var: key_for(var) for var in TEN}),
            plans={var: KeyPlan("", s.base_url) for var, s in servers.items()},
            use_cache=False,
            timeout=10,
        )
    assert [r.var for r in results] == list(TEN)  # the resolution's order, whatever finished first
    assert all(r.verdict is ProbeVerdict.VALID for r in results), [r.message for r in results]
    assert all(len(s.requests) == 1 for s in servers.values())
    assert OVERLAP.peak == len(TEN), f"only {OVERLAP.peak} requests were in flight at once"


def test_cache_keeps_valid_verdicts_of_any_provider_and_no_key(tmp_path: Path) -> None:
    balance = Reply(
        200,
        {"is_available": True, "balance_infos": [{"currency": "USD", "total_balance": "7.00"}]},
    )
    key = key_for("DEEPSEEK_API_KEY")
    with serve(balance, prefix="") as server:
        plans = {"DEEPSEEK_API_KEY": KeyPlan("", server.base_url)}
        values = resolution({"DEEPSEEK_API_KEY": key})
        first = run_probes(values, plans=plans, cache_directory=tmp_path)
        second = run_probes(values, plans=plans, cache_directory=tmp_path)
        low = run_probes(values, plans=plans, cache_directory=tmp_path, min_credit=10)
    assert len(server.requests) == 1
    assert (first[0].requests, second[0].requests) == (1, 0)
    assert second[0].detail["cached"] == "true" and second[0].detail["balance"] == "7.00"
    assert low[0].verdict is ProbeVerdict.NO_CREDIT  # --min-credit applies to a cached balance
    raw = (tmp_path / CACHE_FILE).read_bytes() + (tmp_path / KEY_FILE).read_bytes()
    for text in (key, mask(key), key[2:-4]):
        assert text.encode() not in raw


def test_a_failure_is_not_cached(tmp_path: Path) -> None:
    invalid = Reply(401, {"error": {"message": "Invalid API Key", "code": "invalid_api_key"}})
    with serve(invalid, prefix="") as server:
        plans = {"GROQ_API_KEY": KeyPlan("", server.base_url)}
        values = resolution({"GROQ_API_KEY": key_for("GROQ_API_KEY")})
        for _ in range(2):
            [res] = run_probes(values, plans=plans, cache_directory=tmp_path)
            assert res.verdict is ProbeVerdict.INVALID and res.requests == 1
    assert len(server.requests) == 2
    assert not (tmp_path / CACHE_FILE).exists()
