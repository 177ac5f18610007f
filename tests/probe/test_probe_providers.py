"""Every provider's probe over real HTTP against a loopback stand-in serving its recorded answers.

Each ``tests/data/<provider>-errors.json`` case must reach its verdict with
exactly one request of the documented zero-cost shape, the key sent only in
the provider's auth header, and never shown; every fault (refused, timeout,
truncated, HTML 502, malformed JSON, an unknown error type) must come back
"inconclusive" with exit 3.  The stand-in's URL is allowed the way a user
would allow one: the schema's ``base_url`` for the key.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from envcheck.probe import ProbeResult, ProbeVerdict, catalog
from envcheck.probe.run import apply_min_credit, run_probes
from envcheck.probe.targets import KeyPlan, detect_provider
from envcheck.rules.probe import exit_code, findings
from envcheck.secret import Secret
from envcheck.sources.types import Origin, Resolution, Resolved
from tests.bounded import finishes
from tests.harness import DATA
from tests.probe_server import Reply, serve

KEY = "pk-" + "Canary7Q" * 6 + "Zq9X"
V = ProbeVerdict
EXIT = {
    "valid": 0,
    "expiring": 0,
    "rate-limited": 3,
    "model-unavailable": 3,
    "inconclusive": 3,
}

# provider -> (variable, method, path, how the key is sent)
REQUESTS: dict[str, tuple[str, str, str, str]] = {
    "gemini": ("GEMINI_API_KEY", "GET", "/models/gemini-2.5-flash", "x-goog-api-key"),
    "mistral": ("MISTRAL_API_KEY", "GET", "/models", "bearer"),
    "groq": ("GROQ_API_KEY", "GET", "/models", "bearer"),
    "perplexity": ("PERPLEXITY_API_KEY", "POST", "/chat/completions", "bearer"),
    "deepseek": ("DEEPSEEK_API_KEY", "GET", "/user/balance", "bearer"),
    "openrouter": ("OPENROUTER_API_KEY", "GET", "/key", "bearer"),
    "xai": ("XAI_API_KEY", "GET", "/api-key", "bearer"),
    "together": ("TOGETHER_API_KEY", "GET", "/models", "bearer"),
    "fireworks": ("FIREWORKS_API_KEY", "GET", "/models", "bearer"),
    "openai-compatible": ("LOCAL_LLM_KEY", "GET", "/models", "bearer"),
    "github": ("GITHUB_TOKEN", "GET", "/user", "bearer"),
}


def cases(provider: str) -> list[dict[str, Any]]:
    return list(json.loads((DATA / f"{provider}-errors.json").read_text())["cases"])


ALL_CASES = [(p, c) for p in REQUESTS for c in cases(p)]


def resolution(values: dict[str, str]) -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(".env", i + 1, 1))
        for i, (k, v) in enumerate(values.items())
    }
    return Resolution("dotenv", "development", files=[".env"], vars=vars_)


def probe(provider: str, base_url: str, **kw: Any) -> ProbeResult:
    var = REQUESTS[provider][0]
    wanted = provider if provider == "openai-compatible" else ""
    kw.setdefault("use_cache", False)
    [res] = run_probes(resolution({var: KEY}), plans={var: KeyPlan(wanted, base_url)}, **kw)
    return res


def assert_no_key(res: ProbeResult) -> None:
    shown = [res.message, res.hint or "", repr(res), json.dumps(res.detail)]
    shown += [repr(f) for f in findings([res])]
    for text in shown:
        assert KEY not in text and KEY[3:-4] not in text


def test_every_provider_has_recorded_answers_for_every_verdict_it_claims() -> None:
    for provider in REQUESTS:
        data = json.loads((DATA / f"{provider}-errors.json").read_text())
        assert data["about"] and data["request"]
        for case in data["cases"]:
            assert case["expected"] in {v.value for v in V}, (provider, case["name"])
            assert case["source"] and case["evidence"] in {
                "recorded",
                "derived",
                "constructed",
                "synthetic",
            }
        verdicts = {c["expected"] for c in data["cases"]}
        assert {"valid", "invalid"} <= verdicts, provider


@pytest.mark.parametrize(
    ("provider", "case"), ALL_CASES, ids=[f"{p}-{c['name']}" for p, c in ALL_CASES]
)
def test_recorded_case_reaches_its_verdict(provider: str, case: dict[str, Any]) -> None:
    var, method, path, auth = REQUESTS[provider]
    with serve(Reply.from_case(case), prefix="") as server:
        res = probe(provider, server.base_url, timeout=3)
    assert res.verdict.value == case["expected"], res.message
    assert res.provider == provider and res.requests == 1
    [sent] = server.requests
    assert (sent.method, sent.path) == (method, path)
    if auth == "bearer":
        assert sent.headers["authorization"] == f"Bearer {KEY}"
    else:
        assert sent.headers[auth] == KEY and "authorization" not in sent.headers
    assert "key=" not in sent.path  # never in a URL, which proxies log
    if provider == "perplexity":
        assert sent.body == {"model": "sonar", "messages": []}  # nothing to generate
    assert res.headline.startswith(f"{var} (.env:1): ")
    assert exit_code([res]) == EXIT.get(case["expected"], 1)
    assert_no_key(res)


FAULTS = ["refuse", "hang", "truncate", "html502", "badjson", "echo"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("provider", list(REQUESTS))
def test_faults_are_inconclusive(provider: str, fault: str) -> None:
    with serve(Reply(fault=fault), prefix="") as server:
        res = finishes(lambda: probe(provider, server.base_url, timeout=1.0))
    assert res.verdict is V.INCONCLUSIVE, res.message
    assert len(server.requests) == (0 if fault == "refuse" else 1)
    assert exit_code([res]) == 3
    assert_no_key(res)


def test_an_echoed_key_is_masked() -> None:
    with serve(Reply(401, fault="echo"), prefix="") as server:
        res = probe("groq", server.base_url)
    assert res.verdict is V.INVALID and KEY not in res.message and "…" in res.message


def test_success_that_is_not_json_is_inconclusive() -> None:
    reply = Reply(200, b"<html>hi</html>", content_type="text/html")
    with serve(reply, prefix="") as server:
        res = probe("deepseek", server.base_url)
    assert res.verdict is V.INCONCLUSIVE and "not JSON" in res.message


def test_success_with_an_undocumented_shape_is_inconclusive() -> None:
    with serve(Reply(200, {"unexpected": True}), prefix="") as server:
        res = probe("openrouter", server.base_url)
    assert res.verdict is V.INCONCLUSIVE and "documented shape" in res.message


# -- balances -----------------------------------------------------------------


def _case(provider: str, name: str) -> dict[str, Any]:
    return next(c for c in cases(provider) if c["name"] == name)


def test_deepseek_shows_the_balance() -> None:
    with serve(Reply.from_case(_case("deepseek", "funded")), prefix="") as server:
        res = probe("deepseek", server.base_url)
    assert res.detail["balance"] == "110.00" and res.detail["currency"] == "CNY"
    assert "balance 110.00 CNY" in res.message and res.detail["credit"] == "checked"


def test_openrouter_shows_limit_usage_and_remaining() -> None:
    with serve(Reply.from_case(_case("openrouter", "capped-key-with-credit")), prefix="") as srv:
        res = probe("openrouter", srv.base_url)
    assert (res.detail["limit"], res.detail["usage"], res.detail["balance"]) == (
        "5.00",
        "0.10",
        "4.90",
    )
    assert "$4.90 left" in res.message
    assert "sk-or-v1" not in json.dumps(res.detail) + res.message  # the key's label is not copied


def test_openrouter_uncapped_key_says_what_it_does_not_prove() -> None:
    with serve(Reply.from_case(_case("openrouter", "uncapped-key")), prefix="") as srv:
        res = probe("openrouter", srv.base_url)
    assert res.verdict is V.VALID and res.detail["credit"] == "unchecked"
    assert "not reported" in res.message


@pytest.mark.parametrize(
    ("provider", "case", "min_credit", "verdict"),
    [
        ("deepseek", "funded", 100, V.VALID),
        ("deepseek", "funded", 200, V.NO_CREDIT),
        ("openrouter", "capped-key-with-credit", 4, V.VALID),
        ("openrouter", "capped-key-with-credit", 5, V.NO_CREDIT),
        ("openrouter", "uncapped-key", 1000, V.VALID),  # no balance reported: nothing to compare
        ("groq", "valid-models", 1000, V.VALID),
    ],
)
def test_min_credit(provider: str, case: str, min_credit: float, verdict: ProbeVerdict) -> None:
    with serve(Reply.from_case(_case(provider, case)), prefix="") as server:
        res = probe(provider, server.base_url, min_credit=min_credit)
    assert res.verdict is verdict, res.message
    if verdict is V.NO_CREDIT:
        assert f"less than --min-credit {min_credit:g}" in res.message
        assert exit_code([res]) == 1


def test_min_credit_leaves_other_verdicts_alone() -> None:
    res = ProbeResult("K", "deepseek", V.INVALID, "m", Origin(".env", 1), detail={"balance": "0"})
    assert apply_min_credit(res, 5) is res


def test_unchecked_credit_is_said_in_the_message() -> None:
    for provider, name in (("gemini", "valid-model-lookup"), ("mistral", "valid-models")):
        with serve(Reply.from_case(_case(provider, name)), prefix="") as server:
            res = probe(provider, server.base_url)
        assert res.verdict is V.VALID and res.detail["credit"] == "unchecked"
        assert "not checked" in res.message


# -- detection ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "provider"),
    [
        ("GEMINI_API_KEY", "gemini"),
        ("GOOGLE_API_KEY", "gemini"),
        ("GOOGLE_GENERATIVE_AI_API_KEY", "gemini"),
        ("NEXT_PUBLIC_GEMINI_API_KEY", "gemini"),
        ("MISTRAL_API_KEY", "mistral"),
        ("GROQ_API_KEY", "groq"),
        ("PERPLEXITY_API_KEY", "perplexity"),
        ("PPLX_API_KEY", "perplexity"),
        ("DEEPSEEK_API_KEY", "deepseek"),
        ("OPENROUTER_API_KEY", "openrouter"),
        ("XAI_API_KEY", "xai"),
        ("TOGETHER_API_KEY", "together"),
        ("FIREWORKS_API_KEY", "fireworks"),
        ("AZURE_OPENAI_API_KEY", "azure-openai"),
        ("OPENAI_API_KEY", "openai"),
        ("GROQ_API_KEY_OLD", None),
        ("XGROQ_API_KEY", None),
        ("GOOGLE_CLIENT_ID", None),
    ],
)
def test_detect_provider(name: str, provider: str | None) -> None:
    assert detect_provider(name) == provider


def test_every_catalog_provider_has_a_module_with_probe() -> None:
    import importlib

    for provider in catalog.CATALOG:
        module, _, attr = provider.probe.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), provider.name


def test_compatible_server_needs_a_base_url() -> None:
    [res] = run_probes(
        resolution({"LOCAL_LLM_KEY": KEY}),
        plans={"LOCAL_LLM_KEY": KeyPlan("openai-compatible")},
        use_cache=False,
    )
    assert res.verdict is V.INCONCLUSIVE and res.requests == 0
    assert "OPENAI_BASE_URL" in res.message
