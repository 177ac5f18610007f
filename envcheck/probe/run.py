"""Run the probes for a resolved environment: pick targets, consult the cache, probe.

Providers are named in an explicit registry of ``"module:function"`` strings
resolved on use, so importing this module imports no SDK.  Several keys are
probed in threads (each probe is one blocking request with its own timeout),
and results come back in the resolution's key order.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.cache import VerdictCache
from envcheck.probe.support import result
from envcheck.probe.targets import (
    ANTHROPIC,
    AZURE_OPENAI,
    OPENAI,
    Target,
    providers_from_schema,
    select_targets,
)
from envcheck.sources.types import Resolution

__all__ = ["PROBES", "run_probes", "probe_target"]

PROBES: dict[str, str] = {
    OPENAI: "envcheck.probe.openai:probe",
    AZURE_OPENAI: "envcheck.probe.openai:probe",
    ANTHROPIC: "envcheck.probe.anthropic:probe",
}

ProbeFunc = Callable[..., ProbeResult]
_MAX_THREADS = 8


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
) -> list[ProbeResult]:
    """Probe every credential the resolution holds (or only ``var``).

    ``providers``: an explicit ``var -> provider`` mapping, over the one read
    from ``schema`` (keys whose spec sets ``probe``).  ``environ``: the
    process environment the resolution was built from, consulted for
    companion settings (``OPENAI_ORG_ID``...) the files do not set.  Raises
    :class:`~envcheck.errors.ProbeError` only for a usage problem (``var``
    unset or without a provider); every network or API outcome is a result.
    """
    mapping = {**providers_from_schema(schema), **(providers or {})}
    targets = select_targets(resolution, var=var, providers=mapping, environ=environ)
    cache = VerdictCache(cache_directory) if use_cache else None
    kwargs: dict[str, Any] = {
        "timeout": timeout,
        "model": model,
        "billable": billable,
        "cache": cache,
    }
    if len(targets) <= 1:
        return [probe_target(t, **kwargs) for t in targets]
    with ThreadPoolExecutor(max_workers=min(_MAX_THREADS, len(targets))) as pool:
        return list(pool.map(lambda t: probe_target(t, **kwargs), targets))
