"""What the app will actually call (issue 28): its model, who pays, when its key expires.

Every request goes through the real SDK (openai, anthropic) or the shared
HTTP client to a loopback stand-in that replays recorded answers
(``tests/data/*-errors.json``); JWT expiry is decoded offline from tokens
built here with fake claims.  The key never appears in any output.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from envcheck import tokens
from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.models import MAX_MODELS
from envcheck.probe.run import run_probes
from envcheck.probe.targets import KeyPlan
from envcheck.rules.probe import exit_code, findings
from envcheck.secret import Secret
from envcheck.sources.types import Origin, Resolution, Resolved
from tests.harness import DATA
from tests.probe_server import Reply, load_cases, serve

KEY = "sk-proj-" + "Qm4Zr8Tx" * 6 + "Wk2P"
ANT_KEY = "sk-ant-api03-" + "Qm4Zr8Tx" * 8 + "AAAA"
GH_TOKEN = "ghp_" + "Qm4Zr8TxQm4Zr8TxQm4Zr8TxQm4Zr8TxQm4Z"
V = ProbeVerdict
CASES = {c["name"]: c for c in load_cases()}
FUNDED = Reply.from_case(CASES["funded-param-error"])
DAY = 86400


@pytest.fixture(autouse=True, scope="module")
def _warm_sdks() -> None:
    import anthropic  # noqa: F401
    import openai  # noqa: F401


def resolution(values: dict[str, str], path: str = ".env") -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(path, i + 1, 1)) for i, (k, v) in enumerate(values.items())
    }
    return Resolution("dotenv", "development", files=[path], vars=vars_)


def shown(res: ProbeResult) -> list[str]:
    from envcheck.commands.probe import render_json, render_text

    return [
        res.message,
        res.hint or "",
        repr(res),
        json.dumps(res.detail),
        render_json([res]),
        render_text([res]),
        *(repr(f) for f in findings([res])),
    ]


def assert_no_key(res: ProbeResult, key: str) -> None:
    for text in shown(res):
        assert key not in text and key[8:-4] not in text


def openai_probe(
    base_url: str, values: dict[str, str] | None = None, **kw: Any
) -> list[ProbeResult]:
    env = {"OPENAI_API_KEY": KEY, **(values or {})}
    kw.setdefault("use_cache", False)
    plans = kw.pop("plans", {})
    plan = plans.get("OPENAI_API_KEY", KeyPlan(""))
    plans["OPENAI_API_KEY"] = KeyPlan(plan.provider, base_url, plan.where, plan.model)
    return run_probes(resolution(env), plans=plans, **kw)


def jwt(**claims: Any) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


# -- new verdicts, each with its hint ------------------------------------------


@pytest.mark.parametrize(
    ("case", "verdict", "words", "hint"),
    [
        (
            "verification-required-stream",
            V.VERIFICATION_REQUIRED,
            "verified organization",
            "Verify",
        ),
        ("verification-required-model", V.VERIFICATION_REQUIRED, "verified organization", "Verify"),
        ("model-not-allowed-for-project", V.MODEL_NOT_ALLOWED, "project may not use", "allow"),
        ("model-not-found", V.MODEL_UNAVAILABLE, "not available", "--model"),
        ("no-organization", V.ACCOUNT_PROBLEM, "belongs to no organization", "organization"),
    ],
)
def test_each_new_verdict_has_its_words_and_hint(
    case: str, verdict: ProbeVerdict, words: str, hint: str
) -> None:
    with serve(Reply.from_case(CASES[case])) as server:
        [res] = openai_probe(server.base_url)
    assert res.verdict is verdict, res.message
    assert words in res.message and res.hint and hint in res.hint
    assert res.detail["model"] == "gpt-4o-mini-2024-07-18"
    assert exit_code([res]) == (3 if verdict is V.MODEL_UNAVAILABLE else 1)
    assert_no_key(res, KEY)


def test_model_not_allowed_is_a_rule_of_its_own() -> None:
    with serve(Reply.from_case(CASES["model-not-allowed-for-project"])) as server:
        [res] = openai_probe(server.base_url)
    [finding] = findings([res])
    assert (finding.code, finding.name) == ("EC711", "probe-model-not-allowed")


def test_no_credit_names_the_limits_and_who_pays() -> None:
    """One answer for three limits: the result says which can bite and whose they are."""
    with serve(Reply.from_case(CASES["project-budget-or-credit"])) as server:
        [res] = openai_probe(server.base_url)
    assert res.verdict is V.NO_CREDIT
    assert res.detail["organization"] == "user-personal-0a1b2c"
    assert res.detail["project"] == "proj_Zx81TestBudget00000000"
    assert "billed to organization user-personal-0a1b2c, project proj_Zx81" in res.message
    assert res.hint is not None
    for limit in ("prepaid credit balance", "organization's monthly budget", "project's"):
        assert limit in res.hint
    assert "this key bills organization user-personal-0a1b2c" in res.hint


def test_valid_says_which_account_pays_in_text_and_json() -> None:
    from envcheck.commands.probe import render_json

    with serve(Reply.from_case(CASES["funded-with-account-headers"])) as server:
        [res] = openai_probe(server.base_url)
    assert res.verdict is V.VALID
    assert "billed to organization acme-research, project proj_Ac8meProd" in res.message
    [row] = json.loads(render_json([res]))["results"]
    assert row["organization"] == "acme-research"
    assert row["project"] == "proj_Ac8meProd000000000000"
    assert row["model"] == "gpt-4o-mini-2024-07-18" and row["expires_at"] is None


def test_without_account_headers_the_fields_are_null() -> None:
    from envcheck.commands.probe import render_json

    with serve(FUNDED) as server:
        [res] = openai_probe(server.base_url)
    [row] = json.loads(render_json([res]))["results"]
    assert row["organization"] is None and row["project"] is None
    assert "billed to" not in res.message


def test_unsupported_max_tokens_is_valid_body_validation() -> None:
    with serve(Reply.from_case(CASES["unsupported-max-tokens"])) as server:
        [res] = openai_probe(server.base_url, model="gpt-4o")
    assert res.verdict is V.VALID and exit_code([res]) == 0
    assert "gpt-4o" in res.message


def test_anthropic_names_the_organization() -> None:
    reply = Reply(200, {"input_tokens": 3}, {"anthropic-organization-id": "org-7a2e-test"})
    with serve(reply, prefix="") as server:
        [res] = run_probes(
            resolution({"ANTHROPIC_API_KEY": ANT_KEY, "ANTHROPIC_MODEL": "claude-sonnet-4-5"}),
            plans={"ANTHROPIC_API_KEY": KeyPlan("", server.base_url)},
            use_cache=False,
        )
    assert res.verdict is V.VALID and res.detail["organization"] == "org-7a2e-test"
    assert server.requests[0].body["model"] == "claude-sonnet-4-5"
    assert "claude-sonnet-4-5" in res.message and "(model from ANTHROPIC_MODEL)" in res.message
    assert str(res.model_at) == ".env:2"  # a place for the renderers, not text
    assert_no_key(res, ANT_KEY)


# -- the app's model -----------------------------------------------------------


def test_the_env_model_is_probed_and_named() -> None:
    with serve(FUNDED) as server:
        [res] = openai_probe(server.base_url, {"OPENAI_MODEL": "gpt-4.1-mini"})
    [sent] = server.requests
    assert sent.body["model"] == "gpt-4.1-mini" and sent.body["max_tokens"] == 0
    assert res.detail["model"] == "gpt-4.1-mini"
    assert "gpt-4.1-mini" in res.message and "(model from OPENAI_MODEL)" in res.message
    assert str(res.model_at) == ".env:2"  # a place for the renderers, not text
    from envcheck.commands.probe import render_text
    from envcheck.rules.probe import findings

    assert "   model named at: .env:2" in render_text([res]).splitlines()  # the probe command
    [finding] = findings([res])  # check --probe: a related location, placed by each renderer
    assert [(r.location.path, r.location.line) for r in finding.related] == [(".env", 2)]


def test_an_o_series_app_model_gets_its_token_parameter() -> None:
    with serve(Reply.from_case(CASES["verification-required-stream"])) as server:
        [res] = openai_probe(server.base_url, {"OPENAI_MODEL": "o3"})
    [sent] = server.requests
    assert sent.body["model"] == "o3" and sent.body["max_completion_tokens"] == 0
    assert res.verdict is V.VERIFICATION_REQUIRED and "model o3 needs a verified" in res.message


def test_every_model_the_app_uses_gets_one_request() -> None:
    plans = {"OPENAI_API_KEY": KeyPlan("", where="envcheck.toml:2", model="gpt-4.1")}
    with serve(FUNDED) as server:
        results = openai_probe(server.base_url, {"OPENAI_MODEL": "gpt-4.1-mini"}, plans=plans)
    assert sorted(r.body["model"] for r in server.requests) == ["gpt-4.1", "gpt-4.1-mini"]
    assert [r.detail["model"] for r in results] == ["gpt-4.1-mini", "gpt-4.1"]
    assert all(r.verdict is V.VALID and r.requests == 1 for r in results)
    assert "envcheck.toml:2" in results[1].message


def test_the_models_of_one_key_are_probed_at_once() -> None:
    """Concurrency shown by what the server saw in flight, not by a clock."""
    from tests.probe_server import OVERLAP

    plans = {"OPENAI_API_KEY": KeyPlan("", model="gpt-4.1")}
    slow = Reply(FUNDED.status, FUNDED.body, delay=0.5)
    OVERLAP.reset()
    with serve(slow) as server:
        results = openai_probe(server.base_url, {"OPENAI_MODEL": "gpt-4.1-mini"}, plans=plans)
    assert len(results) == len(server.requests) == 2 and OVERLAP.peak == 2


def test_the_command_line_model_wins() -> None:
    plans = {"OPENAI_API_KEY": KeyPlan("", model="gpt-4.1")}
    with serve(FUNDED) as server:
        [res] = openai_probe(
            server.base_url, {"OPENAI_MODEL": "gpt-4.1-mini"}, plans=plans, model="gpt-4o"
        )
    assert [r.body["model"] for r in server.requests] == ["gpt-4o"]
    assert res.detail["model"] == "gpt-4o"


def test_models_from_code_are_probed(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from openai import OpenAI\nclient = OpenAI()\n"
        'client.chat.completions.create(model="gpt-4.1-nano", messages=[])\n'
    )
    with serve(FUNDED) as server:
        [res] = openai_probe(server.base_url, code_dir=tmp_path)
    assert [r.body["model"] for r in server.requests] == ["gpt-4.1-nano"]
    assert "app.py" not in res.message and res.detail["model_source"] == "the code"
    assert res.model_at is not None and str(res.model_at) == "app.py:3"
    assert res.detail["model_at"] == "app.py:3"  # the JSON document's field


def test_a_hostile_model_name_is_not_sent() -> None:
    """A checked file's model is data: it must look like a model name (Gemini puts it in a path)."""
    values = {
        "GEMINI_API_KEY": "AIza" + "Qm4Zr8Tx" * 4 + "abc",
        "GEMINI_MODEL": "../../v1/files?x=",
    }
    reply = Reply(200, {"name": "models/gemini-2.5-flash"})
    with serve(reply, prefix="") as server:
        [res] = run_probes(
            resolution(values),
            plans={"GEMINI_API_KEY": KeyPlan("", server.base_url)},
            use_cache=False,
        )
    assert [r.path for r in server.requests] == ["/models/gemini-2.5-flash"]
    assert res.detail["model"] == "gemini-2.5-flash"


def test_gemini_probes_the_app_model_in_its_path() -> None:
    values = {"GEMINI_API_KEY": "AIza" + "Qm4Zr8Tx" * 4 + "abc", "GEMINI_MODEL": "gemini-2.5-pro"}
    with serve(Reply(200, {"name": "models/gemini-2.5-pro"}), prefix="") as server:
        [res] = run_probes(
            resolution(values),
            plans={"GEMINI_API_KEY": KeyPlan("", server.base_url)},
            use_cache=False,
        )
    assert [r.path for r in server.requests] == ["/models/gemini-2.5-pro"]
    assert res.detail["model"] == "gemini-2.5-pro" and "gemini-2.5-pro" in res.message


def test_the_number_of_models_per_key_is_bounded(tmp_path: Path) -> None:
    calls = "".join(
        f'client.chat.completions.create(model="gpt-4.1-m{i}", messages=[])\n' for i in range(9)
    )
    (tmp_path / "app.py").write_text("from openai import OpenAI\nclient = OpenAI()\n" + calls)
    with serve(FUNDED) as server:
        results = openai_probe(server.base_url, code_dir=tmp_path)
    assert len(results) == len(server.requests) == MAX_MODELS


# -- expiry: JWT claims, offline -----------------------------------------------


def test_jwt_times_are_decoded_offline() -> None:
    now = int(time.time())
    found = tokens.times(jwt(sub="x", exp=now + 3 * DAY, nbf=now - DAY))
    assert found is not None and found.expires is not None and found.not_before is not None
    assert int(found.expires.timestamp()) == now + 3 * DAY


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-abc",
        "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig",  # payload is not JSON
        "eyJhbGciOiJIUzI1NiJ9.WzFd.sig",  # a JSON list
        jwt(sub="no dates"),
        jwt(exp="tomorrow"),
        jwt(exp=10**20),  # beyond year 9999
        jwt(exp=True),
        "eyJ" + "a" * (tokens.MAX_TOKEN + 10) + ".eyJ.x",  # over the bound
    ],
)
def test_what_is_not_a_dated_jwt(value: str) -> None:
    assert tokens.times(value) is None


@pytest.mark.parametrize(
    ("offset", "warn", "status"),
    [
        (30 * DAY, 14, None),
        (3 * DAY, 14, "expiring"),
        (3 * DAY, 2, None),
        (-DAY, 14, "expired"),
    ],
)
def test_expiry_state(offset: int, warn: float, status: str | None) -> None:
    found = tokens.times(jwt(exp=int(time.time()) + offset))
    assert found is not None
    state = tokens.state(found, warn_days=warn)
    assert (state.status if state else None) == status


def _compatible(key: str, **kw: Any) -> tuple[ProbeResult, int]:
    with serve(Reply(200, {"object": "list", "data": []})) as server:
        [res] = run_probes(
            resolution({"LOCAL_LLM_KEY": key}),
            plans={"LOCAL_LLM_KEY": KeyPlan("openai-compatible", server.base_url)},
            use_cache=False,
            **kw,
        )
    return res, len(server.requests)


def test_a_jwt_key_near_its_exp_is_expiring_and_exits_0() -> None:
    key = jwt(sub="svc", exp=int(time.time()) + 3 * DAY)
    res, sent = _compatible(key)
    assert sent == 1  # the usual probe only: the claims were read here
    assert res.verdict is V.EXPIRING and "expires" in res.message and "in 2 days" in res.message
    assert res.detail["expires_at"].endswith("Z") and exit_code([res]) == 0
    [finding] = findings([res])
    assert (finding.code, finding.severity.value) == ("EC712", "warning")
    assert_no_key(res, key)


def test_expiry_warn_days_is_the_window() -> None:
    key = jwt(sub="svc", exp=int(time.time()) + 3 * DAY)
    res, _ = _compatible(key, expiry_warn=1)
    assert res.verdict is V.VALID and "expires_at" in res.detail


def test_an_expired_jwt_key_is_invalid() -> None:
    key = jwt(sub="svc", exp=int(time.time()) - 2 * DAY)
    res, _ = _compatible(key)
    assert res.verdict is V.INVALID and exit_code([res]) == 1 and "expired" in res.message
    assert_no_key(res, key)


# -- GitHub ----------------------------------------------------------------------


def github(reply: Reply, *, from_file: bool = False, **kw: Any) -> tuple[ProbeResult, Any]:
    with serve(reply, prefix="") as server:
        if from_file:
            values = {"GITHUB_TOKEN": GH_TOKEN, "GITHUB_API_URL": server.base_url}
            [res] = run_probes(resolution(values), use_cache=False, **kw)
        else:
            [res] = run_probes(
                resolution({}),
                environ={"GITHUB_TOKEN": GH_TOKEN, "GITHUB_API_URL": server.base_url},
                use_cache=False,
                **kw,
            )
        return res, list(server.requests)


def _expiring_header(days: float) -> str:
    when = time.gmtime(time.time() + days * DAY)
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", when)


def test_github_token_reports_scopes_and_a_far_expiry() -> None:
    headers = {
        "x-oauth-scopes": "repo, workflow",
        "github-authentication-token-expiration": _expiring_header(90),
    }
    res, [sent] = github(Reply(200, {"login": "octocat"}, headers))
    assert (sent.method, sent.path) == ("GET", "/user")
    assert sent.headers["authorization"] == f"Bearer {GH_TOKEN}"
    assert res.verdict is V.VALID and res.provider == "github"
    assert "as octocat" in res.message and "scopes: repo, workflow" in res.message
    assert res.detail["scopes"] == "repo, workflow" and res.detail["expires_at"].endswith("Z")
    assert_no_key(res, GH_TOKEN)


def test_github_token_expiring_within_the_window_warns() -> None:
    headers = {"github-authentication-token-expiration": _expiring_header(5)}
    res, _ = github(Reply(200, {"login": "octocat"}, headers))
    assert res.verdict is V.EXPIRING and exit_code([res]) == 0
    from envcheck.commands.probe import render_json

    [row] = json.loads(render_json([res]))["results"]
    assert row["expires_at"] == res.detail["expires_at"] and row["code"] == "EC712"
    res, _ = github(Reply(200, {"login": "octocat"}, headers), expiry_warn=3)
    assert res.verdict is V.VALID


def test_github_actions_token_is_valid_without_a_user() -> None:
    case = json.loads((DATA / "github-errors.json").read_text())
    integration = next(c for c in case["cases"] if c["name"] == "actions-or-app-token")
    res, _ = github(Reply.from_case(integration))
    assert res.verdict is V.VALID and "app or Actions token" in res.message


def test_github_api_url_from_a_checked_file_is_refused() -> None:
    """GITHUB_API_URL in a .env is data: the token goes nowhere, and it is exit 2."""
    res, sent = github(FUNDED, from_file=True)
    assert sent == [] and res.requests == 0
    assert res.detail["refused"] == "untrusted-url" and exit_code([res]) == 2
    assert_no_key(res, GH_TOKEN)


# -- the commands ------------------------------------------------------------------


def test_probe_command_json_carries_expiry_and_honours_expiry_warn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from envcheck.cli import main

    headers = {
        "x-oauth-scopes": "repo",
        "github-authentication-token-expiration": _expiring_header(5),
    }
    with serve(Reply(200, {"login": "octocat"}, headers), prefix="") as server:
        monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
        monkeypatch.setenv("GITHUB_API_URL", server.base_url)  # trusted: the process's own
        args = ["probe", "--dir", str(tmp_path), "-f", "dotenv", "--format", "json", "--no-cache"]
        warned = main(args)
        payload = json.loads(capsys.readouterr().out)
        quiet = main([*args, "--expiry-warn", "2"])
        later = json.loads(capsys.readouterr().out)
    [row] = payload["results"]
    assert warned == 0 and row["verdict"] == "expiring" and row["code"] == "EC712"
    assert row["expires_at"].endswith("Z") and row["model"] is None
    assert quiet == 0 and later["results"][0]["verdict"] == "valid"
    assert GH_TOKEN not in json.dumps(payload) + json.dumps(later)


def test_check_reports_a_jwt_near_its_exp_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EC409 from plain ``check``: no --probe, nothing sent anywhere."""
    from envcheck.cli import main

    token = jwt(role="service_role", exp=int(time.time()) + 3 * DAY)
    (tmp_path / ".env").write_text(f"SUPABASE_SERVICE_ROLE_KEY={token}\n")
    args = ["check", str(tmp_path), "-f", "dotenv", "--select", "EC409", "--no-code"]
    code = main(args)
    out = capsys.readouterr()
    assert "EC409" in out.out and "expires" in out.out and code == 0  # a warning
    assert token not in out.out + out.err and token.split(".")[1] not in out.out
    assert main([*args, "--expiry-warn", "1"]) == 0
    assert "EC409" not in capsys.readouterr().out
    (tmp_path / ".env").write_text(f"SUPABASE_SERVICE_ROLE_KEY={jwt(exp=int(time.time()) - DAY)}\n")
    assert main(args) == 1 and "expired" in capsys.readouterr().out
