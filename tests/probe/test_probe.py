"""The live probe: the real SDKs over real HTTP against a loopback replay server.

Every recorded case of the shared data file must reach its verdict with one
request whose body has ``max_tokens: 0``; every fault must come back
"inconclusive" within the timeout; the key must never appear in any output.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from envcheck.errors import ProbeError
from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.cache import CACHE_FILE, KEY_FILE, VerdictCache, cache_dir
from envcheck.probe.run import run_probes
from envcheck.probe.support import unsafe_url_reason
from envcheck.probe.targets import KeyPlan, Target, detect_provider, select_targets
from envcheck.rules.probe import RULES, exit_code, findings
from envcheck.secret import Secret, mask
from envcheck.sources.types import Origin, Resolution, Resolved
from tests.bounded import finishes
from tests.harness import DATA
from tests.probe_server import Reply, data_file, load_cases, serve

KEY = "sk-proj-" + "Canary7Q" * 6 + "Zq9X"
ANT_KEY = "sk-ant-api03-" + "Canary7Q" * 8 + "AAAA"
V = ProbeVerdict
EXIT = {
    "valid": 0,
    "invalid": 1,
    "no-credit": 1,
    "restricted": 1,
    "account-problem": 1,
    "region-blocked": 1,
    "rate-limited": 3,
    "model-unavailable": 3,
    "verification-required": 1,
    "model-not-allowed": 1,
    "expiring": 0,
    "inconclusive": 3,
}
CASES = load_cases()


@pytest.fixture(autouse=True, scope="module")
def _warm_sdks() -> None:
    """Import the SDKs once up front so timing asserts measure requests, not imports."""
    import anthropic  # noqa: F401
    import openai  # noqa: F401


def resolution(values: dict[str, str], path: str = ".env.local") -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(path, i + 1, 1)) for i, (k, v) in enumerate(values.items())
    }
    return Resolution("nextjs", "development", files=[path], vars=vars_)


def allow(var: str, url: str) -> dict[str, KeyPlan]:
    """The schema setting that lets ``var``'s key go to a loopback test server."""
    return {var: KeyPlan("", url)}


def probe_one(base_url: str, *, extra: dict[str, str] | None = None, **kw: Any) -> ProbeResult:
    values = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": base_url, **(extra or {})}
    kw.setdefault("use_cache", False)
    kw.setdefault("plans", allow("OPENAI_API_KEY", base_url))
    results = run_probes(resolution(values), **kw)
    assert len(results) == 1
    return results[0]


def assert_no_key(res: ProbeResult, key: str = KEY) -> None:
    shown = [res.message, res.hint or "", repr(res), json.dumps(res.detail)]
    shown += [repr(f) for f in findings([res])]
    for text in shown:
        assert key not in text
        assert key[8:-4] not in text  # not even the middle of it


# -- the shared recorded responses ------------------------------------------


@pytest.mark.skipif(not CASES, reason=f"no recorded responses found (looked for {data_file()})")
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_recorded_case_reaches_its_verdict(case: dict[str, Any]) -> None:
    with serve(Reply.from_case(case)) as server:
        res = probe_one(server.base_url, timeout=3)
    assert res.verdict.value == case["expected"], res.message
    assert len(server.requests) == 1 and res.requests == 1
    sent = server.requests[0]
    assert sent.method == "POST" and sent.path == "/v1/chat/completions"
    assert sent.body["max_tokens"] == 0
    assert sent.body["messages"] == [{"role": "user", "content": ""}]
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert "openai-organization" not in sent.headers and "openai-project" not in sent.headers
    assert res.headline.startswith("OPENAI_API_KEY (.env.local:1): ")
    assert ".env.local" not in res.message  # the location is a field, not message text
    assert exit_code([res]) == EXIT[case["expected"]]
    [finding] = findings([res])
    assert str(finding.location) == ".env.local:1:1" and finding.key == "OPENAI_API_KEY"
    assert_no_key(res)


def test_shared_data_is_copied_into_the_repo() -> None:
    in_repo = DATA / "openai-errors.json"
    assert in_repo.is_file()
    assert {c["expected"] for c in json.loads(in_repo.read_text())["cases"]} <= set(EXIT)


def test_valid_reports_rate_limits_and_tier() -> None:
    case = next(c for c in CASES if c["name"] == "funded-param-error")
    with serve(Reply.from_case(case)) as server:
        res = probe_one(server.base_url)
    assert res.detail["limit_requests"] == "5000" and res.detail["limit_tokens"] == "4000000"
    assert res.detail["tier"] == "3" and "usage tier 3" in res.message


def test_no_credit_message_is_actionable() -> None:
    case = next(c for c in CASES if c["name"] == "insufficient-quota")
    with serve(Reply.from_case(case)) as server:
        res = probe_one(server.base_url)
    assert "no credit" in res.message and "insufficient_quota" in res.message
    assert res.hint and "prepaid credit" in res.hint and "re-issued" in res.hint


# -- more signatures ----------------------------------------------------------


def err(
    status: int, type_: str | None, code: str | None, param: str | None = None, message: str = "m"
) -> Reply:
    return Reply(
        status, {"error": {"message": message, "type": type_, "param": param, "code": code}}
    )


MORE = [
    ("new-credit-code", err(429, "invalid_request_error", "credit_balance_exhausted"), V.NO_CREDIT),
    ("quota-type-new-code", err(429, "insufficient_quota", "brand_new_code"), V.NO_CREDIT),
    ("billing-not-active", err(429, "billing_not_active", "billing_not_active"), V.ACCOUNT_PROBLEM),
    (
        "mismatched-project",
        err(401, "invalid_request_error", "mismatched_project"),
        V.ACCOUNT_PROBLEM,
    ),
    ("401-unknown-code", err(401, "invalid_request_error", "something_new"), V.INVALID),
    ("429-unknown", err(429, "tokens", None), V.RATE_LIMITED),
    ("403-unknown", err(403, "request_forbidden", "who_knows"), V.INCONCLUSIVE),
    (
        "400-other-param",
        err(400, "invalid_request_error", "invalid_value", "messages"),
        V.INCONCLUSIVE,
    ),
    ("404-unknown", err(404, "invalid_request_error", None), V.INCONCLUSIVE),
    ("unknown-type-418", err(418, "teapot_error", "teapot"), V.INCONCLUSIVE),
    ("success-200", Reply(200, {"id": "x", "object": "chat.completion", "choices": []}), V.VALID),
    ("503", err(503, "server_error", None), V.INCONCLUSIVE),
]


@pytest.mark.parametrize(("reply", "verdict"), [m[1:] for m in MORE], ids=[m[0] for m in MORE])
def test_more_signatures(reply: Reply, verdict: ProbeVerdict) -> None:
    with serve(reply) as server:
        res = probe_one(server.base_url)
    assert res.verdict is verdict, res.message
    assert len(server.requests) == 1


def test_account_problem_says_which() -> None:
    case = next(c for c in CASES if c["name"] == "mismatched-organization")
    with serve(Reply.from_case(case)) as server:
        res = probe_one(server.base_url, extra={"OPENAI_ORG_ID": "org-wrong"})
    assert "OPENAI_ORG_ID does not match" in res.message


def test_restricted_names_the_missing_scope() -> None:
    case = next(c for c in CASES if c["name"] == "restricted-key-missing-scope")
    with serve(Reply.from_case(case)) as server:
        res = probe_one(server.base_url)
    assert res.detail["missing_scopes"] == "model.request"


@pytest.mark.parametrize(
    ("org", "project"), [(None, None), ("org-abc", None), (None, "proj_1"), ("org-abc", "proj_1")]
)
def test_organization_and_project_headers_only_when_set(
    org: str | None, project: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-from-the-real-shell")  # must not leak in
    extra = {k: v for k, v in (("OPENAI_ORG_ID", org), ("OPENAI_PROJECT_ID", project)) if v}
    with serve(err(400, "invalid_request_error", "x", "max_tokens")) as server:
        res = probe_one(server.base_url, extra=extra)
    assert res.verdict is V.VALID
    headers = server.requests[0].headers
    assert headers.get("openai-organization") == org
    assert headers.get("openai-project") == project


def test_companion_settings_fall_back_to_the_process_env() -> None:
    with serve(err(400, "invalid_request_error", "x", "max_tokens")) as server:
        results = run_probes(
            resolution({"OPENAI_API_KEY": KEY}),
            use_cache=False,
            environ={"OPENAI_BASE_URL": server.base_url, "OPENAI_ORG_ID": "org-p"},
        )
    assert results[0].verdict is V.VALID
    assert server.requests[0].headers["openai-organization"] == "org-p"


@pytest.mark.parametrize("model", ["o3-mini", "gpt-5-mini", "o1"])
def test_models_that_need_max_completion_tokens(model: str) -> None:
    with serve(err(400, "invalid_request_error", "x", "max_completion_tokens")) as server:
        res = probe_one(server.base_url, model=model)
    body = server.requests[0].body
    assert body["max_completion_tokens"] == 0 and "max_tokens" not in body
    assert body["model"] == model and res.verdict is V.VALID


def test_a_400_on_the_other_token_parameter_proves_the_key_too() -> None:
    """Body validation is reached after authentication, scopes and quota, whichever name."""
    with serve(err(400, "invalid_request_error", "unsupported_parameter", "max_tokens")) as server:
        res = probe_one(server.base_url, model="o3-mini")
    assert res.verdict is V.VALID and "o3-mini" in res.message
    assert exit_code([res]) == 0


def test_billable_fallback_sends_one_token_only_when_needed() -> None:
    other = err(400, "invalid_request_error", "invalid_value", "messages")
    ok = Reply(200, {"id": "x", "object": "chat.completion", "choices": []})
    with serve(other, ok) as server:
        res = probe_one(server.base_url, billable=True)
    assert res.verdict is V.VALID and res.requests == 2
    assert [r.body["max_tokens"] for r in server.requests] == [0, 1]
    with serve(err(429, "insufficient_quota", "insufficient_quota")) as server:
        res = probe_one(server.base_url, billable=True)
    assert res.verdict is V.NO_CREDIT and len(server.requests) == 1


# -- faults -------------------------------------------------------------------

FAULTS = ["refuse", "hang", "truncate", "html502", "badjson", "echo"]


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_is_inconclusive_within_timeout(fault: str) -> None:
    timeout = 1.0
    with serve(Reply(fault=fault)) as server:
        res = finishes(lambda: probe_one(server.base_url, timeout=timeout))
    assert res.verdict is V.INCONCLUSIVE, res.message
    assert len(server.requests) == (0 if fault == "refuse" else 1)
    assert exit_code([res]) == 3
    assert_no_key(res)


def test_echoed_key_is_masked_in_the_message() -> None:
    with serve(Reply(401, fault="echo")) as server:
        res = probe_one(server.base_url)
    assert res.verdict is V.INVALID
    assert mask(KEY) in res.message and KEY not in res.message


def test_timeout_message_names_the_limit() -> None:
    with serve(Reply(fault="hang")) as server:
        res = probe_one(server.base_url, timeout=0.5)
    assert "within 0.5s" in res.message and res.detail["error"] == "timeout"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://api.openai.com/v1", True),
        ("http://127.0.0.1:8080/v1", True),
        ("http://127.8.9.10/v1", True),
        ("http://localhost:11434/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://10.0.0.5/v1", False),
        ("http://api.example.com/v1", False),
        ("http://localhost.evil.com/v1", False),
        ("ftp://api.example.com/v1", False),
        ("api.openai.com/v1", False),
        ("https:///v1", False),
    ],
)
def test_unsafe_url_table(url: str, safe: bool) -> None:
    assert (unsafe_url_reason(url) is None) is safe


def test_plain_http_to_a_remote_host_is_refused_without_a_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the probe opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    res = probe_one("http://user:pw@api.example.com/v1")
    assert res.verdict is V.INCONCLUSIVE and res.requests == 0
    assert res.detail["refused"] == "insecure-url"
    assert "http://api.example.com/v1" in res.message and "pw" not in res.message


# -- targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "provider"),
    [
        ("OPENAI_API_KEY", "openai"),
        ("NEXT_PUBLIC_OPENAI_API_KEY", "openai"),
        ("VITE_OPENAI_API_KEY", "openai"),
        ("MY_APP_OPENAI_API_KEY", "openai"),
        ("AZURE_OPENAI_API_KEY", "azure-openai"),
        ("ANTHROPIC_API_KEY", "anthropic"),
        ("OPENAI_ORG_ID", None),
        ("OPENAI_API_KEY_OLD", None),
        ("XOPENAI_API_KEY", None),
        ("DATABASE_URL", None),
    ],
)
def test_detect_provider(name: str, provider: str | None) -> None:
    assert detect_provider(name) == provider


def test_public_variant_prefers_prefixed_companions() -> None:
    res = resolution(
        {
            "NEXT_PUBLIC_OPENAI_API_KEY": KEY,
            "OPENAI_BASE_URL": "https://a/v1",
            "NEXT_PUBLIC_OPENAI_BASE_URL": "https://b/v1",
            "OPENAI_ORG_ID": "org-1",
        }
    )
    [target] = select_targets(res)
    assert target.settings == {"base_url": "https://b/v1", "organization": "org-1"}


def test_explicit_mapping_and_var_selection() -> None:
    res = resolution({"LLM_KEY": KEY, "OPENAI_API_KEY": KEY, "ANTHROPIC_API_KEY": ANT_KEY})
    assert [t.var for t in select_targets(res)] == ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"]
    mapped = select_targets(res, providers={"LLM_KEY": "openai", "ANTHROPIC_API_KEY": "off"})
    assert [(t.var, t.provider) for t in mapped] == [
        ("LLM_KEY", "openai"),
        ("OPENAI_API_KEY", "openai"),
    ]
    assert [t.var for t in select_targets(res, var="ANTHROPIC_API_KEY")] == ["ANTHROPIC_API_KEY"]
    with pytest.raises(ProbeError, match="not set"):
        select_targets(res, var="MISSING_KEY")
    with pytest.raises(ProbeError, match="no probe provider"):
        select_targets(resolution({"DB_PASSWORD": "hunter2hunter2"}), var="DB_PASSWORD")
    with pytest.raises(ProbeError, match="unknown probe provider"):
        select_targets(res, providers={"LLM_KEY": "openia"})


def test_empty_values_are_not_probed() -> None:
    assert select_targets(resolution({"OPENAI_API_KEY": "  "})) == []


# -- anthropic ----------------------------------------------------------------

ANT = [
    ("valid", Reply(200, {"input_tokens": 3}), V.VALID),
    (
        "no-credit",
        Reply(
            400,
            {
                "type": "error",
                "error": {
                    "type": "invalid_request_error",
                    "message": "Your credit balance is too low to access the Anthropic API. "
                    "Please go to Plans & Billing to upgrade or purchase credits.",
                },
            },
        ),
        V.NO_CREDIT,
    ),
    (
        "invalid",
        Reply(
            401,
            {
                "type": "error",
                "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            },
        ),
        V.INVALID,
    ),
    (
        "restricted",
        Reply(403, {"type": "error", "error": {"type": "permission_error", "message": "no"}}),
        V.RESTRICTED,
    ),
    (
        "disabled",
        Reply(
            400,
            {
                "type": "error",
                "error": {
                    "type": "invalid_request_error",
                    "message": "This organization has been disabled.",
                },
            },
        ),
        V.ACCOUNT_PROBLEM,
    ),
    (
        "rate",
        Reply(429, {"type": "error", "error": {"type": "rate_limit_error", "message": "x"}}),
        V.RATE_LIMITED,
    ),
    (
        "overloaded",
        Reply(
            529, {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        ),
        V.INCONCLUSIVE,
    ),
    ("html", Reply(fault="html502"), V.INCONCLUSIVE),
    ("refuse", Reply(fault="refuse"), V.INCONCLUSIVE),
    ("hang", Reply(fault="hang"), V.INCONCLUSIVE),
    ("echo", Reply(401, fault="echo"), V.INVALID),
]


@pytest.mark.parametrize("use_sdk", [True, False], ids=["sdk", "urllib"])
@pytest.mark.parametrize(("reply", "verdict"), [a[1:] for a in ANT], ids=[a[0] for a in ANT])
def test_anthropic(
    reply: Reply, verdict: ProbeVerdict, use_sdk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import envcheck.probe.anthropic as ant

    monkeypatch.setattr(ant, "_sdk_available", lambda: use_sdk)
    with serve(reply, prefix="") as server:
        results = finishes(
            lambda: run_probes(
                resolution({"ANTHROPIC_API_KEY": ANT_KEY, "ANTHROPIC_BASE_URL": server.base_url}),
                use_cache=False,
                timeout=1.0,
                plans=allow("ANTHROPIC_API_KEY", server.base_url),
            )
        )
    [res] = results
    assert res.verdict is verdict, res.message
    assert_no_key(res, ANT_KEY)
    if reply.fault != "refuse":
        [sent] = server.requests
        assert sent.path == "/v1/messages/count_tokens"
        # The API takes the key as x-api-key; recent SDKs send it as a Bearer token.
        sent_key = sent.headers.get("x-api-key") or sent.headers["authorization"][len("Bearer ") :]
        assert sent_key == ANT_KEY and "anthropic-version" in sent.headers
        assert "max_tokens" not in sent.body
    if verdict is V.VALID:
        assert res.detail["credit"] == "unchecked" and res.hint and "--billable" in res.hint


def test_anthropic_billable_sends_one_token() -> None:
    ok = Reply(
        200,
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": "m",
            "stop_reason": "max_tokens",
            "usage": {"input_tokens": 8, "output_tokens": 1},
        },
    )
    with serve(ok, prefix="") as server:
        [res] = run_probes(
            resolution({"ANTHROPIC_API_KEY": ANT_KEY, "ANTHROPIC_BASE_URL": server.base_url}),
            use_cache=False,
            billable=True,
            plans=allow("ANTHROPIC_API_KEY", server.base_url),
        )
    assert res.verdict is V.VALID and "credit" not in res.detail
    [sent] = server.requests
    assert sent.path == "/v1/messages" and sent.body["max_tokens"] == 1


def test_several_keys_are_probed_in_order() -> None:
    quota = err(429, "insufficient_quota", "insufficient_quota")
    with serve(quota) as oai, serve(Reply(200, {"input_tokens": 1}), prefix="") as ant:
        values = {
            "OPENAI_API_KEY": KEY,
            "OPENAI_BASE_URL": oai.base_url,
            "ANTHROPIC_API_KEY": ANT_KEY,
            "ANTHROPIC_BASE_URL": ant.base_url,
        }
        plans = allow("OPENAI_API_KEY", oai.base_url) | allow("ANTHROPIC_API_KEY", ant.base_url)
        results = run_probes(resolution(values), use_cache=False, plans=plans)
    assert [(r.var, r.verdict) for r in results] == [
        ("OPENAI_API_KEY", V.NO_CREDIT),
        ("ANTHROPIC_API_KEY", V.VALID),
    ]
    assert exit_code(results) == 1


# -- cache --------------------------------------------------------------------

FUNDED = err(400, "invalid_request_error", "integer_below_min_value", "max_tokens")


def test_cache_serves_valid_verdicts_without_a_request() -> None:
    with serve(FUNDED) as server:
        first = probe_one(server.base_url, use_cache=True)
        second = probe_one(server.base_url, use_cache=True)
        bypass = probe_one(server.base_url, use_cache=False)
    assert first.verdict is second.verdict is bypass.verdict is V.VALID
    assert (first.requests, second.requests, bypass.requests) == (1, 0, 1)
    assert len(server.requests) == 2
    assert second.detail["cached"] == "true" and "cached" in second.message
    assert second.headline.startswith("OPENAI_API_KEY (.env.local:1): valid")


def test_cache_files_are_private_and_hold_no_secret() -> None:
    with serve(FUNDED) as server:
        probe_one(server.base_url, use_cache=True, extra={"OPENAI_ORG_ID": "org-secretish"})
    directory = cache_dir()
    assert str(directory).startswith(os.environ["XDG_CACHE_HOME"])
    for name in (CACHE_FILE, KEY_FILE):
        assert stat.S_IMODE((directory / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    raw = (directory / CACHE_FILE).read_bytes()
    for text in (KEY, mask(KEY), KEY[8:-4], KEY[-4:], "org-secretish"):
        assert text.encode() not in raw
    assert [p.name for p in directory.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    "reply",
    [
        err(429, "insufficient_quota", "insufficient_quota"),
        Reply(fault="html502"),
        err(401, None, "invalid_api_key"),
    ],
)
def test_only_valid_verdicts_are_cached(reply: Reply) -> None:
    with serve(reply) as server:
        first = probe_one(server.base_url, use_cache=True)
        second = probe_one(server.base_url, use_cache=True)
    assert first.verdict is not V.VALID and second.requests == 1
    assert not (cache_dir() / CACHE_FILE).exists()


def test_a_failure_evicts_a_cached_valid(tmp_path: Path) -> None:
    target = Target("OPENAI_API_KEY", "openai", Secret(KEY), Origin(".env", 1))
    cache = VerdictCache(tmp_path)
    valid = ProbeResult("OPENAI_API_KEY", "openai", V.VALID, "valid", Origin(".env", 1))
    cache.put(target, valid, model=None, billable=False)
    assert cache.get(target, model=None, billable=False) is not None
    bad = ProbeResult("OPENAI_API_KEY", "openai", V.INVALID, "x", Origin(".env", 1))
    cache.put(target, bad, model=None, billable=False)
    assert cache.get(target, model=None, billable=False) is None


def test_cache_ttl_and_fingerprint_inputs(tmp_path: Path) -> None:
    now = [1000.0]
    cache = VerdictCache(tmp_path, ttl=60, clock=lambda: now[0])
    target = Target(
        "OPENAI_API_KEY",
        "openai",
        Secret(KEY),
        Origin(".env", 1),
        {"base_url": "https://api.openai.com/v1"},
    )
    valid = ProbeResult(
        "OPENAI_API_KEY",
        "openai",
        V.VALID,
        "valid",
        Origin(".env", 1),
        detail={"limit_tokens": "1"},
    )
    cache.put(target, valid, model=None, billable=False)
    hit = cache.get(target, model=None, billable=False)
    assert hit is not None and hit.summary == "valid" and hit.detail == {"limit_tokens": "1"}
    others = [
        Target("X", "openai", Secret(KEY + "x"), Origin(".env", 1), target.settings),
        Target("X", "openai", Secret(KEY), Origin(".env", 1), {"base_url": "https://b/v1"}),
        Target(
            "X",
            "openai",
            Secret(KEY),
            Origin(".env", 1),
            {**target.settings, "organization": "org-2"},
        ),
        Target(
            "X", "openai", Secret(KEY), Origin(".env", 1), {**target.settings, "project": "proj_2"}
        ),
    ]
    assert all(cache.get(t, model=None, billable=False) is None for t in others)
    assert cache.get(target, model="gpt-4.1", billable=False) is None
    assert cache.get(target, model=None, billable=True) is None
    now[0] += 59
    assert cache.get(target, model=None, billable=False) is not None
    now[0] += 2
    assert cache.get(target, model=None, billable=False) is None


def test_cache_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = Target("OPENAI_API_KEY", "openai", Secret(KEY), Origin(".env", 1))
    valid = ProbeResult("OPENAI_API_KEY", "openai", V.VALID, "v", Origin(".env", 1))
    cache = VerdictCache(tmp_path)
    cache.put(target, valid, model=None, billable=False)
    before = (tmp_path / CACHE_FILE).read_bytes()
    replaced: list[tuple[str, str]] = []

    def failing_replace(src: str, dst: str) -> None:
        replaced.append((str(src), str(dst)))
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    other = Target("B", "openai", Secret(KEY + "b"), Origin(".env", 2))
    cache.put(other, valid, model=None, billable=False)  # must not raise
    assert replaced and replaced[0][1] == str(tmp_path / CACHE_FILE)
    assert (tmp_path / CACHE_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE_FILE, KEY_FILE]


def test_a_cache_others_can_read_is_ignored(tmp_path: Path) -> None:
    target = Target("OPENAI_API_KEY", "openai", Secret(KEY), Origin(".env", 1))
    valid = ProbeResult("OPENAI_API_KEY", "openai", V.VALID, "v", Origin(".env", 1))
    VerdictCache(tmp_path).put(target, valid, model=None, billable=False)
    os.chmod(tmp_path / CACHE_FILE, 0o644)
    assert VerdictCache(tmp_path).get(target, model=None, billable=False) is None


# -- rules and exit codes -----------------------------------------------------


def test_only_the_valid_verdict_is_off_by_default() -> None:
    """Docs, names and fixtures of every rule: tests/rules/test_rules.py."""
    assert [r.code for r in RULES if not r.default_enabled] == ["EC700"]


def _res(verdict: ProbeVerdict) -> ProbeResult:
    return ProbeResult("K", "openai", verdict, "m", Origin(".env", 1))


@pytest.mark.parametrize(
    ("verdicts", "code"),
    [
        ([], 0),
        ([V.VALID, V.VALID], 0),
        ([V.VALID, V.INCONCLUSIVE], 3),
        ([V.RATE_LIMITED], 3),
        ([V.INCONCLUSIVE, V.NO_CREDIT], 1),
        ([V.REGION_BLOCKED], 1),
        ([V.RESTRICTED, V.VALID], 1),
    ],
)
def test_exit_code(verdicts: list[ProbeVerdict], code: int) -> None:
    assert exit_code([_res(v) for v in verdicts]) == code


# -- the command --------------------------------------------------------------


def test_render_text_and_json() -> None:
    from envcheck.commands.probe import render_json, render_text

    results = [_res(V.NO_CREDIT), _res(V.VALID)]
    text = render_text(results)
    assert "EC702 probe-no-credit" in text and "EC700 probe-valid" in text
    payload = json.loads(render_json(results))
    assert payload["exit_code"] == 1
    assert [r["verdict"] for r in payload["results"]] == ["no-credit", "valid"]
    assert "nothing probed" in render_text([])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_probe_command(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    from envcheck.cli import main

    case = next(c for c in CASES if c["name"] == "insufficient-quota")
    with serve(Reply.from_case(case)) as server:
        (tmp_path / ".env.local").write_text(
            f"OPENAI_API_KEY={KEY}\nOPENAI_BASE_URL={server.base_url}\n"
        )
        (tmp_path / "envcheck.toml").write_text(
            f'[keys.OPENAI_API_KEY]\nbase_url = "{server.base_url}"\n'
        )
        code = main(
            [
                "probe",
                "--dir",
                str(tmp_path),
                "--framework",
                "nextjs",
                "--format",
                fmt,
                "--timeout",
                "2",
            ]
        )
    out = capsys.readouterr()
    assert code == 1
    assert KEY not in out.out + out.err
    if fmt == "json":
        payload = json.loads(out.out)
        assert payload["exit_code"] == 1
        assert payload["results"][0]["verdict"] == "no-credit"
        assert payload["results"][0]["origin"] == ".env.local:1"
    else:
        assert "EC702 probe-no-credit" in out.out and ".env.local:1" in out.out
        assert "hint: add prepaid credit" in out.out


def test_probe_command_unknown_var_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from envcheck.cli import main

    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-x\n")
    assert main(["probe", "--dir", str(tmp_path), "--var", "NOPE", "--framework", "nextjs"]) == 2
    assert "NOPE is not set" in capsys.readouterr().err


# -- azure openai -------------------------------------------------------------


def test_azure_probe_goes_to_the_deployment() -> None:
    with serve(FUNDED, prefix="") as server:
        values = {
            "AZURE_OPENAI_API_KEY": KEY,
            "AZURE_OPENAI_ENDPOINT": server.base_url,
            "AZURE_OPENAI_DEPLOYMENT": "my-mini",
        }
        plans = allow("AZURE_OPENAI_API_KEY", server.base_url)
        [res] = run_probes(resolution(values), use_cache=False, plans=plans)
    assert res.verdict is V.VALID and res.provider == "azure-openai"
    [sent] = server.requests
    assert sent.path.startswith("/openai/deployments/my-mini/chat/completions?api-version=")
    assert sent.headers["api-key"] == KEY and sent.body["max_tokens"] == 0


def test_azure_without_endpoint_is_not_probed() -> None:
    [res] = run_probes(resolution({"AZURE_OPENAI_API_KEY": KEY}), use_cache=False)
    assert res.verdict is V.INCONCLUSIVE and res.requests == 0
    assert "AZURE_OPENAI_ENDPOINT" in res.message
