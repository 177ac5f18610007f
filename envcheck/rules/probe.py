"""Probe rules (EC7xx): what a live request says about each API key.

The probe runs only when asked (``envcheck probe``, ``check --probe``):
:func:`findings` turns :class:`~envcheck.probe.ProbeResult` values into
findings and :func:`exit_code` applies the contract (1 for a definitive
failure, 3 when the only problem is that the probe could not tell).  Every
finding points at the file and line the key came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from envcheck.errors import EXIT_FINDINGS, EXIT_INCONCLUSIVE, EXIT_OK, EXIT_USAGE, worst
from envcheck.model import Finding, Location, Related, Severity
from envcheck.probe import DEFINITIVE_FAILURES, PASSING, ProbeResult, ProbeVerdict
from envcheck.rules.base import CheckContext, Rule

__all__ = ["RULES", "RULE_FOR", "check", "findings", "exit_code"]


def _doc(what: str, why: str, example: str, instead: str) -> str:
    return (
        f"## What it does\n{what}\n\n## Why is this bad?\n{why}\n\n"
        f"## Example\n```\n{example}\n```\n\n## Use instead\n{instead}\n"
    )


_PROBE = "`envcheck probe` sends one request that generates nothing (OpenAI: `max_tokens: 0`)"

EC700 = Rule(
    "EC700",
    "probe-valid",
    Severity.INFO,
    "the key works and the account can pay",
    _doc(
        f"Reports a key the live probe accepted. {_PROBE}; a funded key gets a 400 on the "
        "token limit, with the account's rate limits in the headers.",
        "It is not bad: it records that the key was checked, and at which limits.",
        "OPENAI_API_KEY (.env.local:3): valid: key accepted and credit available",
        "Nothing to do. Off by default in `check`; `--select EC700` shows it.",
    ),
    default_enabled=False,
)
EC701 = Rule(
    "EC701",
    "probe-invalid-key",
    Severity.ERROR,
    "the API rejects the key",
    _doc(
        "Flags a key the provider answers with 401 `invalid_api_key` (or Anthropic's "
        "`authentication_error`).",
        "Every request the app makes will fail with 401: the key was revoked, mistyped, "
        "truncated when pasted, or belongs to another provider.",
        "OPENAI_API_KEY=sk-proj-...  # revoked last week",
        "Create a new key in the provider's console and replace the value where the "
        "finding points; `envcheck explain OPENAI_API_KEY` shows which file wins.",
    ),
)
EC702 = Rule(
    "EC702",
    "probe-no-credit",
    Severity.ERROR,
    "the key works but the account has no credit",
    _doc(
        "Flags a key whose account cannot pay: OpenAI `429 insufficient_quota` (also with "
        'codes such as `credit_balance_exhausted`), Anthropic `400` "Your credit balance '
        'is too low".',
        "The key passes every check that lists models, yet every completion fails. On "
        "OpenAI a dashboard showing `$0.00 / $30.00` is a spending cap, not a balance: "
        "prepaid credit must be bought.",
        "OPENAI_API_KEY (.env.local:3): no credit (429 insufficient_quota: You exceeded "
        "your current quota...)",
        "Add prepaid credit; check the key belongs to the organization and project that "
        "hold it; re-issue a key created while the balance was zero.",
    ),
)
EC703 = Rule(
    "EC703",
    "probe-restricted-key",
    Severity.ERROR,
    "a restricted key lacks a needed scope",
    _doc(
        "Flags a restricted key that lacks the permission to make model requests "
        "(OpenAI: `Missing scopes: model.request`).",
        "The key authenticates, so listing models works, but completions fail with 401.",
        "OPENAI_API_KEY (.env:2): restricted key: missing model.request",
        "Grant the key the `Model capabilities: Request` permission, or use another key.",
    ),
)
EC704 = Rule(
    "EC704",
    "probe-account-problem",
    Severity.ERROR,
    "the account or organization is blocked",
    _doc(
        "Flags a key whose account is deactivated or terminated, whose billing is not "
        "active, or whose `OPENAI_ORG_ID` / `OPENAI_PROJECT_ID` does not match the key.",
        "No request will succeed until the account is fixed; the message says which problem it is.",
        "OPENAI_ORG_ID=org-old  # the key belongs to another organization",
        "Remove or correct `OPENAI_ORG_ID` / `OPENAI_PROJECT_ID`, or contact the provider "
        "about the account.",
    ),
)
EC705 = Rule(
    "EC705",
    "probe-region-blocked",
    Severity.ERROR,
    "the provider refuses this region",
    _doc(
        "Flags `403 unsupported_country_region_territory` (Anthropic: 403 `forbidden`).",
        "Requests from this network's country or region are refused, whatever the key.",
        "OPENAI_API_KEY (.env:1): region not supported (403 unsupported_country_region_territory)",
        "Run the app from a supported region, or point the base URL at a provider that serves it.",
    ),
)
EC706 = Rule(
    "EC706",
    "probe-rate-limited",
    Severity.WARNING,
    "the probe was rate limited",
    _doc(
        "Reports a `429 rate_limit_exceeded`: the key is known to the API, but its "
        "credit could not be checked.",
        "It is transient, yet a key on a very low limit (3 requests per minute on an "
        "unpaid account) makes the app fail under any load.",
        "OPENAI_API_KEY (.env:1): rate limited (429 rate_limit_exceeded: ...)",
        "Probe again later; raise the account's tier if limits are hit routinely.",
    ),
)
EC707 = Rule(
    "EC707",
    "probe-model-unavailable",
    Severity.WARNING,
    "the key cannot use the probed model",
    _doc(
        "Reports `404 model_not_found`: the key works, but the model probed (the default "
        "snapshot, or `--model`) is not available to its project.",
        "If the app uses that model, its requests fail with 404; credit was not checked.",
        "OPENAI_API_KEY (.env:1): key works, but model gpt-4o-mini-2024-07-18 is not "
        "available to it",
        "Probe with the model the app uses (`envcheck probe --model gpt-4.1-mini`), or "
        "allow the model in the project's settings.",
    ),
)
EC708 = Rule(
    "EC708",
    "probe-inconclusive",
    Severity.WARNING,
    "the probe could not reach a verdict",
    _doc(
        "Reports a probe that could not tell: network, DNS or TLS failure, timeout, a 5xx, "
        "a body that is not the API's JSON, an error type envcheck does not know (the "
        "server's message is shown, masked), a redirect (never followed with a key), or a "
        "base URL the key must not be sent to: plain `http://` to a host that is not "
        "loopback, or a URL that nothing trusted configured (`--trust-base-url` or the "
        "process environment; see docs/providers.md). A refused destination exits 2, not 3: "
        "a retry would be refused again.",
        "Nothing is known about the key. It is never reported as invalid: an offline "
        "laptop does not have a bad key.",
        "OPENAI_API_KEY (.env:1): inconclusive: no answer from https://api.openai.com/v1 within 5s",
        "Check the network and `OPENAI_BASE_URL`, then probe again; `--timeout` raises the limit.",
    ),
)
EC709 = Rule(
    "EC709",
    "probe-key-missing",
    Severity.ERROR,
    "a key marked for probing is not set",
    _doc(
        'Flags a key whose schema spec sets `probe = "<provider>"` when neither the env '
        "files nor the process environment set it, so nothing could be probed.",
        "A probe that checks nothing must not pass: in CI this is usually a secret that was "
        "not passed to the job (forked pull requests get no secrets), in a container a "
        "missing `-e`. The app would start without the key.",
        '[keys.OPENAI_API_KEY]\nprobe = "openai"   # and OPENAI_API_KEY is set nowhere',
        "Set the key (in CI: `env: OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}`), or "
        "remove `probe` from its spec.",
    ),
)
EC710 = Rule(
    "EC710",
    "probe-verification-required",
    Severity.ERROR,
    "the model needs a verified organization",
    _doc(
        'Flags OpenAI\'s "Your organization must be verified to stream this model" (400) or '
        '"... to use the model `gpt-5`" (403) for the model the app uses (o3, gpt-5, '
        "gpt-image-1 and others).",
        "The key and its credit are fine, yet every request for that model fails, and each "
        "failing CI run may have paid for the requests before it.",
        "OPENAI_MODEL=o3   # the organization is not verified",
        "Verify the organization (Settings > General > Verify Organization; it can take 15 "
        "minutes), or configure a model that does not need it.",
    ),
)
EC711 = Rule(
    "EC711",
    "probe-model-not-allowed",
    Severity.ERROR,
    "the key's project may not use the app's model",
    _doc(
        "Flags OpenAI's 403 `model_not_found` \"Project `proj_…` does not have access to model "
        "`gpt-4o`\": the model exists, but the project's allowed models exclude it (a 404 "
        "`model_not_found`, a model that does not exist for the key, is EC707).",
        "Every request the app makes with that model fails with 403, whatever the credit.",
        "OPENAI_MODEL=gpt-4o   # the project allows gpt-4o-mini only",
        "Allow the model in the project's limits, use a key of a project that allows it, or "
        "change the app's model.",
    ),
)
EC712 = Rule(
    "EC712",
    "probe-key-expiring",
    Severity.WARNING,
    "the key works but expires soon",
    _doc(
        "Reports a key the probe accepted whose stated expiry is within `--expiry-warn` days "
        "(default 14): a JWT's `exp` (decoded offline, never sent anywhere) or GitHub's "
        "`github-authentication-token-expiration` header. An expired key is EC701.",
        "A scheduled job dies on the morning the token expires; the warning comes while "
        "there is time to rotate it.",
        "GITHUB_TOKEN (process environment): valid: token accepted ...; the key expires "
        "2025-06-01 00:00 UTC (in 5 days)",
        "Create a new token and replace the secret before the date; the exit code stays 0.",
    ),
)
RULES: tuple[Rule, ...] = (
    EC700,
    EC701,
    EC702,
    EC703,
    EC704,
    EC705,
    EC706,
    EC707,
    EC708,
    EC709,
    EC710,
    EC711,
    EC712,
)

RULE_FOR: dict[ProbeVerdict, Rule] = {
    ProbeVerdict.VALID: EC700,
    ProbeVerdict.INVALID: EC701,
    ProbeVerdict.NO_CREDIT: EC702,
    ProbeVerdict.RESTRICTED: EC703,
    ProbeVerdict.ACCOUNT_PROBLEM: EC704,
    ProbeVerdict.REGION_BLOCKED: EC705,
    ProbeVerdict.RATE_LIMITED: EC706,
    ProbeVerdict.MODEL_UNAVAILABLE: EC707,
    ProbeVerdict.INCONCLUSIVE: EC708,
    ProbeVerdict.MISSING: EC709,
    ProbeVerdict.VERIFICATION_REQUIRED: EC710,
    ProbeVerdict.MODEL_NOT_ALLOWED: EC711,
    ProbeVerdict.EXPIRING: EC712,
}


_MODEL = "the model is named here"
"""The label of a probe finding's related place: where the app names the model probed."""


def findings(results: Iterable[ProbeResult]) -> list[Finding]:
    """One finding per probed key, located where the key was set (its message names the key)."""
    out: list[Finding] = []
    for res in results:
        origin = res.origin
        location = Location(origin.source, origin.line, origin.col)
        at = res.model_at
        related = () if at is None else (Related(Location(at.source, at.line, at.col), _MODEL),)
        out.append(
            RULE_FOR[res.verdict].finding(
                f"{res.var}: {res.message}", location, key=res.var, hint=res.hint, related=related
            )
        )
    return out


def exit_code(results: Sequence[ProbeResult]) -> int:
    """2 if a key was refused for its configuration, 1 if any key definitively fails,
    else 3 if any probe was not conclusive, else 0.

    Rate limited and model unavailable count as "could not tell": the key is
    known to the API, but its credit was not confirmed.  A refused
    destination is not: a retry would be refused again (``misconfigured``).
    """
    return worst(_code(r) for r in results)


def _code(result: ProbeResult) -> int:
    """One result's exit code, merged by :func:`envcheck.errors.worst`."""
    if result.misconfigured:
        return EXIT_USAGE
    if result.verdict in DEFINITIVE_FAILURES:
        return EXIT_FINDINGS
    return EXIT_OK if result.verdict in PASSING else EXIT_INCONCLUSIVE


def check(ctx: CheckContext) -> list[Finding]:
    """``check --probe``: probe when ``ctx.options["probe"]`` is set, else nothing.

    Reads ``probe_var``, ``probe_timeout``, ``probe_model``, ``probe_billable``,
    ``probe_cache`` and ``probe_providers`` (the schema's var -> provider map)
    from ``ctx.options``.
    """
    opts = ctx.options
    if not opts.get("probe"):
        return []
    from envcheck.probe.run import run_probes

    results = run_probes(
        ctx.resolution,
        var=opts.get("probe_var"),
        providers=opts.get("probe_providers"),
        timeout=float(opts.get("probe_timeout", 5.0)),
        model=opts.get("probe_model"),
        billable=bool(opts.get("probe_billable", False)),
        use_cache=bool(opts.get("probe_cache", True)),
        environ=ctx.process_env,
    )
    opts["probe_results"] = results
    return findings(results)
