"""Run the probes for a resolved environment: pick targets, consult the cache, probe.

Providers are named in :mod:`envcheck.probe.catalog` as ``"module:function"``
strings resolved on use, so importing this module imports no SDK.  Keys are
probed concurrently, one thread each (each probe is one blocking request
with its own timeout), so ten keys take about one round trip; results come
back in the resolution's key order.  Two rules that hold for every provider
live here, once: ``--min-credit`` (a reported balance below it is "no
credit", also for a cached "valid"), and "nothing to probe" is an error,
not a pass; a key's expiry (a JWT's ``exp``, read offline, or the date a
provider reported) against ``--expiry-warn``, also for a cached "valid".
A target a checked file may not have probed (:mod:`envcheck.probe.trust`)
is answered here, before the cache or any provider module is asked.  Each
key is probed once per model the app uses (:mod:`envcheck.probe.models`).
"""

from __future__ import annotations

import dataclasses
import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

from envcheck import tokens
from envcheck.errors import NothingToProbe, ProbeError
from envcheck.probe import ProbeResult, ProbeVerdict, catalog
from envcheck.probe.cache import VerdictCache
from envcheck.probe.models import ModelChoice, app_models
from envcheck.probe.support import result
from envcheck.probe.targets import (
    KeyPlan,
    Target,
    missing_keys,
    plans_from_schema,
    select_targets,
)
from envcheck.secret import reveal
from envcheck.sources.types import Origin, Resolution

__all__ = [
    "PROBES",
    "run_probes",
    "probe_target",
    "apply_min_credit",
    "apply_expiry",
    "refuse_misconfigured",
    "NOTHING_TO_PROBE",
]

PROBES: dict[str, str] = {p.name: p.probe for p in catalog.CATALOG}

ProbeFunc = Callable[..., ProbeResult]
_MAX_THREADS = 16
NOTHING_TO_PROBE = "nothing to probe: no API key found in the env files or the process environment"


def _probe_func(provider: str) -> ProbeFunc:
    module, _, attr = PROBES[provider].partition(":")
    return cast(ProbeFunc, getattr(importlib.import_module(module), attr))


def _from_cache(
    target: Target, cache: VerdictCache, model: str | None, billable: bool
) -> ProbeResult | None:
    hit = cache.get(target, model=model, billable=billable)
    if hit is None:
        return None
    age = max(0, int(time.time() - hit.checked))
    detail = {**hit.detail, "cached": "true", "cached_age_s": str(age)}
    return result(
        target, ProbeVerdict.VALID, f"{hit.summary} [cached {age}s ago]", detail=detail, requests=0
    )


def apply_min_credit(res: ProbeResult, min_credit: float | None) -> ProbeResult:
    """A "valid" whose reported balance is below ``min_credit`` becomes "no credit"."""
    if min_credit is None or res.verdict is not ProbeVerdict.VALID:
        return res
    try:
        balance = float(res.detail["balance"])
    except (KeyError, ValueError):
        return res
    if balance >= min_credit:
        return res
    currency = res.detail.get("currency", "")
    left = f"{balance:.2f} {currency}".strip()
    return ProbeResult(
        var=res.var,
        provider=res.provider,
        verdict=ProbeVerdict.NO_CREDIT,
        message=f"no credit: only {left} left, less than --min-credit {min_credit:g}",
        origin=res.origin,
        hint="add credit before the app runs out, or lower --min-credit",
        detail={**res.detail, "min_credit": f"{min_credit:g}"},
        requests=res.requests,
    )


def _replace(res: ProbeResult, verdict: ProbeVerdict, said: str, **detail: str) -> ProbeResult:
    """``res`` with another verdict, ``said`` after its message, and more detail."""
    return dataclasses.replace(
        res,
        verdict=verdict,
        message=f"{res.message}{said}",
        detail={**res.detail, **detail},
    )


def apply_expiry(res: ProbeResult, target: Target, warn_days: float) -> ProbeResult:
    """Say when the key stops working, and turn a "valid" near its end into "expiring".

    The date is the provider's (``expires_at`` in the detail, e.g. GitHub's
    header) or the key's own ``exp`` when it is a JWT, decoded here, offline.
    A key past its date that the API still accepted stays "valid" no more:
    by this machine's clock it is expired, and the app's next request may fail.
    """
    when = tokens.from_iso(res.detail.get("expires_at", ""))
    stated = tokens.times(reveal(target.key))
    if when is None and stated is not None:
        when = stated.expires
    window = tokens.Times(when, stated.not_before if stated else None)
    if when is None and window.not_before is None:
        return res
    extra = {"expires_at": tokens.iso(when)} if when is not None else {}
    found = tokens.state(window, warn_days=warn_days)
    if found is None:
        return dataclasses.replace(res, detail={**res.detail, **extra})
    said = f"; the key {found.describe()}"
    if found.status == "expiring" and res.verdict is ProbeVerdict.VALID:
        return _replace(res, ProbeVerdict.EXPIRING, said, expiry=found.status, **extra)
    if found.status in ("expired", "not-yet-valid") and res.verdict is ProbeVerdict.VALID:
        hint = "replace the key before the app runs with it"
        out = _replace(res, ProbeVerdict.INVALID, said, expiry=found.status, **extra)
        return dataclasses.replace(out, hint=hint)
    return _replace(res, res.verdict, said, expiry=found.status, **extra)


def _name_model(res: ProbeResult, choice: ModelChoice) -> ProbeResult:
    """Say which model the verdict is about and what names it; where it is named is a place
    (``model_at``: a related location of the finding, placed by each renderer), not text."""
    if choice.model is None or res.detail.get("refused"):
        return res
    named = "model" if choice.model in res.message else f"model {choice.model}"
    source = f" ({named} from {choice.source})" if choice.source else ""
    detail = {**res.detail, "model": choice.model, "model_source": choice.source}
    if choice.at is not None:
        detail["model_at"] = str(choice.at)
    return dataclasses.replace(
        res, message=f"{res.message}{source}", detail=detail, model_at=choice.at
    )


def probe_target(
    target: Target,
    *,
    timeout: float = 5.0,
    model: str | None = None,
    billable: bool = False,
    cache: VerdictCache | None = None,
) -> ProbeResult:
    """Probe one target (or answer from the cache); never raises for network trouble."""
    reference = _reference(target)
    if reference is not None:
        return reference
    if target.refused is not None:
        return result(
            target,
            ProbeVerdict.INCONCLUSIVE,
            target.refused,
            hint=f"if it is meant to be probed as {target.provider}, name it on the command "
            f"line: --var {target.var}",
            detail={"refused": "not-enlisted"},
        )
    res: ProbeResult | None = None
    if cache is not None:
        res = _from_cache(target, cache, model, billable)
    if res is None:
        res = _probe_func(target.provider)(target, timeout=timeout, model=model, billable=billable)
        if cache is not None:
            cache.put(target, res, model=model, billable=billable)
    if target.overruled is not None:
        res = dataclasses.replace(res, message=f"{res.message} ({target.overruled})")
    return res


# How to run the probe where a reference is resolved into the key, per kind.
_RESOLVE_WITH = {
    "1password": "op run --env-file .env -- envcheck probe",
    "dotenvx": "dotenvx run -- envcheck probe (the private key in .env.keys or DOTENV_PRIVATE_KEY)",
    "doppler": "doppler run -- envcheck probe",
    "infisical": "infisical run -- envcheck probe",
    "secret-manager-reference": "doppler run -- envcheck probe (or infisical run -- …)",
    "github-secret": "pass the secret to the job's env: in a workflow it is resolved there",
}


def _reference(target: Target) -> ProbeResult | None:
    """A value that names where the key lives (``op://vault/item/field``) is never sent.

    Sent as a bearer token it would only earn a 401 ("invalid key") for a key
    that may be fine, and it tells the provider where the user's vault is.
    """
    from envcheck.sources.references import reference_kind

    kind = reference_kind(reveal(target.key))
    if kind is None:
        return None
    return result(
        target,
        ProbeVerdict.INCONCLUSIVE,
        f"not probed: the value is a {kind} reference, not the key; envcheck never sends one",
        hint="probe where the reference is resolved: "
        + _RESOLVE_WITH.get(kind, "run envcheck probe in the environment that resolves it"),
        detail={"refused": "reference"},
    )


def refuse_misconfigured(results: Sequence[ProbeResult]) -> None:
    """Raise :class:`ProbeError` (exit 2) when a key was not probed for a configuration reason.

    For ``check --probe`` and ``exec --probe``, whose exit code comes from
    the report: a refused destination is no "probe inconclusive, retry
    later", and no ``--probe-fail-open`` may start the app past it.
    """
    refused = [r for r in results if r.misconfigured]
    if not refused:
        return
    more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
    raise ProbeError(refused[0].message + more, hint=refused[0].hint)


def _jobs(
    targets: Sequence[Target],
    model: str | None,
    plans: Mapping[str, KeyPlan],
    code_dir: Path | None,
) -> list[tuple[Target, ModelChoice]]:
    """One job per key and model the app uses; the code is read only when it can matter."""
    in_code: Mapping[str, list[tuple[str, Origin]]] = {}
    wants_code = any(
        (p := catalog.get(t.provider)) is not None and p.probes_model and t.refused is None
        for t in targets
    )
    if code_dir is not None and model is None and wants_code:
        from envcheck.probe.models import scan_code

        in_code = scan_code(code_dir)
    return [
        (target, choice)
        for target in targets
        for choice in app_models(
            target,
            explicit=model,
            plan=plans.get(target.var),
            in_code=in_code.get(target.provider, ()),
        )
    ]


def _missing_result(name: str, plan: KeyPlan) -> ProbeResult:
    where = Origin(plan.where.split(":")[0], _line(plan.where)) if plan.where else Origin("schema")
    return ProbeResult(
        var=name,
        provider=plan.provider,
        verdict=ProbeVerdict.MISSING,
        message=(
            f"not probed: the schema marks it probe = {plan.provider!r}, "
            "but neither "
            "the env files nor the process environment set it"
        ),
        origin=where,
        hint="set it (in CI: pass the secret to the job's env), or remove probe from its spec",
        detail={"refused": "missing"},
    )


def _line(where: str) -> int | None:
    parts = where.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def run_probes(
    resolution: Resolution,
    *,
    var: str | None = None,
    providers: Mapping[str, str] | None = None,
    timeout: float = 5.0,
    model: str | None = None,
    billable: bool = False,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    schema: Any = None,
    cache_directory: Path | None = None,
    plans: Mapping[str, KeyPlan] | None = None,
    trust_base_url: bool = False,
    min_credit: float | None = None,
    only: frozenset[str] | None = None,
    require: bool = True,
    code_dir: Path | None = None,
    expiry_warn: float = tokens.DEFAULT_WARN_DAYS,
) -> list[ProbeResult]:
    """Probe every credential the resolution or the process holds (or only ``var``).

    ``providers``: an explicit ``var -> provider`` mapping, over the plans read
    from ``schema`` (keys whose spec sets ``probe`` or ``base_url``) and
    ``plans``.  ``environ``: the process environment the resolution was built
    from: its keys a provider recognises are probed too, and companion
    settings (``OPENAI_ORG_ID``...) come from it when the files do not set
    them.  A schema key marked for probing that is set nowhere gets a
    ``missing`` result (exit 1).  Raises :class:`~envcheck.errors.ProbeError`
    for a usage problem (``var`` unset or without a provider) and, when
    ``require``, when there is nothing at all to probe: a probe that checked
    nothing must not pass.  ``model`` (``--model``) probes that model only;
    otherwise each key is probed with every model the app names for it (its
    ``OPENAI_MODEL``-style variable, the schema's ``model``, and, with
    ``code_dir``, model literals in the code), one request each.
    ``expiry_warn``: days before a key's stated expiry to report it "expiring".
    """
    merged = {**plans_from_schema(schema), **(plans or {})}
    targets = select_targets(
        resolution,
        var=var,
        providers=providers,
        environ=environ,
        plans=merged,
        trust_base_url=trust_base_url,
        only=only,
    )
    missing = [] if var is not None else missing_keys(resolution, merged, environ)
    if only is not None:
        missing = [(n, p) for n, p in missing if p.provider in only]
    if not targets and not missing and require:
        wanted = f" for {', '.join(sorted(only))}" if only else ""
        raise NothingToProbe(
            NOTHING_TO_PROBE + wanted,
            hint=(
                'mark a key with probe = "<provider>" in envcheck.toml, pass --var NAME, or '
                "set a provider's key (OPENAI_API_KEY, GEMINI_API_KEY, ...); in CI, pass the "
                "secret to the job's env"
            ),
        )
    cache = VerdictCache(cache_directory) if use_cache else None
    jobs = _jobs(targets, model, merged, code_dir)

    def one(job: tuple[Target, ModelChoice]) -> ProbeResult:
        target, choice = job
        res = probe_target(
            target, timeout=timeout, model=choice.model, billable=billable, cache=cache
        )
        res = _name_model(res, choice)
        if not res.misconfigured:
            res = apply_expiry(res, target, expiry_warn)
        return apply_min_credit(res, min_credit)

    if len(jobs) <= 1:
        results = [one(j) for j in jobs]
    else:
        with ThreadPoolExecutor(max_workers=min(_MAX_THREADS, len(jobs))) as pool:
            results = list(pool.map(one, jobs))
    return results + [_missing_result(n, p) for n, p in missing]
