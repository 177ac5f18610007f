"""Run the probes for a resolved environment: pick targets, consult the cache, probe.

Providers are named in :mod:`envcheck.probe.catalog` as ``"module:function"``
strings resolved on use, so importing this module imports no SDK.  Keys are
probed concurrently, one thread each (each probe is one blocking request
with its own timeout), so ten keys take about one round trip; results come
back in the resolution's key order.  Two rules that hold for every provider
live here, once: ``--min-credit`` (a reported balance below it is "no
credit", also for a cached "valid"), and "nothing to probe" is an error,
not a pass.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

from envcheck.errors import NothingToProbe
from envcheck.probe import ProbeResult, ProbeVerdict, catalog
from envcheck.probe.cache import VerdictCache
from envcheck.probe.support import result
from envcheck.probe.targets import (
    KeyPlan,
    Target,
    missing_keys,
    plans_from_schema,
    select_targets,
)
from envcheck.sources.types import Origin, Resolution

__all__ = ["PROBES", "run_probes", "probe_target", "apply_min_credit", "NOTHING_TO_PROBE"]

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
    prefix = f"{res.var} ({res.origin}): "
    return ProbeResult(
        var=res.var,
        provider=res.provider,
        verdict=ProbeVerdict.NO_CREDIT,
        message=f"{prefix}no credit: only {left} left, less than --min-credit {min_credit:g}",
        origin=res.origin,
        hint="add credit before the app runs out, or lower --min-credit",
        detail={**res.detail, "min_credit": f"{min_credit:g}"},
        requests=res.requests,
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
    if cache is not None:
        cached = _from_cache(target, cache, model, billable)
        if cached is not None:
            return cached
    res = _probe_func(target.provider)(target, timeout=timeout, model=model, billable=billable)
    if cache is not None:
        cache.put(target, res, model=model, billable=billable)
    return res


def _missing_result(name: str, plan: KeyPlan) -> ProbeResult:
    where = Origin(plan.where.split(":")[0], _line(plan.where)) if plan.where else Origin("schema")
    return ProbeResult(
        var=name,
        provider=plan.provider,
        verdict=ProbeVerdict.MISSING,
        message=(
            f"{name} ({where}): not probed: the schema marks it probe = {plan.provider!r}, "
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
    nothing must not pass.
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

    def one(target: Target) -> ProbeResult:
        res = probe_target(target, timeout=timeout, model=model, billable=billable, cache=cache)
        return apply_min_credit(res, min_credit)

    if len(targets) <= 1:
        results = [one(t) for t in targets]
    else:
        with ThreadPoolExecutor(max_workers=min(_MAX_THREADS, len(targets))) as pool:
            results = list(pool.map(one, targets))
    return results + [_missing_result(n, p) for n, p in missing]
