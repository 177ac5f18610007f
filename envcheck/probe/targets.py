"""Which variables to probe, and the settings the app's SDK would pair them with.

A variable is probed when the schema names its provider (``probe = "openai"``)
or when its name says which provider it is for (``OPENAI_API_KEY``,
``NEXT_PUBLIC_OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``, ...).  The companion
settings (base URL, organization, project) are read from the same resolved
environment, so the probe goes where the app's requests would go.  A public
variant (``VITE_OPENAI_API_KEY``) looks for same-prefixed companions first,
because browser code cannot see the unprefixed ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from envcheck.errors import ProbeError
from envcheck.secret import Secret, reveal
from envcheck.sources.types import Origin, Resolution

__all__ = ["Target", "PROVIDERS", "detect_provider", "providers_from_schema", "select_targets"]

OPENAI = "openai"
AZURE_OPENAI = "azure-openai"
ANTHROPIC = "anthropic"
PROVIDERS = (OPENAI, AZURE_OPENAI, ANTHROPIC)
# A schema's ``probe = "off"`` turns detection off for that key.
_OFF = frozenset({"off", "none", "false", "no"})

# Prefixes that expose a variable to browser code; kept to find companions.
_PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
)

# Name patterns, most specific first (Azure before plain OpenAI).
_DETECT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:^|_)AZURE_OPENAI_API_KEY$"), AZURE_OPENAI),
    (re.compile(r"(?:^|_)OPENAI_API_KEY$"), OPENAI),
    (re.compile(r"(?:^|_)ANTHROPIC_API_KEY$"), ANTHROPIC),
)

# provider -> setting -> the variable names the provider's SDK reads, in order.
_SETTINGS: dict[str, dict[str, tuple[str, ...]]] = {
    OPENAI: {
        "base_url": ("OPENAI_BASE_URL",),
        "organization": ("OPENAI_ORG_ID",),
        "project": ("OPENAI_PROJECT_ID",),
    },
    AZURE_OPENAI: {
        "endpoint": ("AZURE_OPENAI_ENDPOINT",),
        "api_version": ("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION"),
        "deployment": ("AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_DEPLOYMENT_NAME"),
    },
    ANTHROPIC: {"base_url": ("ANTHROPIC_BASE_URL",)},
}


@dataclass(frozen=True, slots=True)
class Target:
    """One credential to probe: the key stays a :class:`Secret` until sent."""

    var: str
    provider: str
    key: Secret
    origin: Origin
    settings: dict[str, str] = field(default_factory=dict)

    def setting(self, name: str) -> str | None:
        return self.settings.get(name) or None


def detect_provider(name: str) -> str | None:
    """The provider a variable's name points at, or None."""
    upper = name.upper()
    for pattern, provider in _DETECT:
        if pattern.search(upper):
            return provider
    return None


def providers_from_schema(schema: Any) -> dict[str, str]:
    """The schema's ``var -> provider`` mapping (keys whose spec sets ``probe``)."""
    keys = getattr(schema, "keys", None)
    if not isinstance(keys, Mapping):
        return {}
    out: dict[str, str] = {}
    for name, spec in keys.items():
        probe = getattr(spec, "probe", None)
        if isinstance(probe, str) and probe.strip():
            out[str(name)] = probe.strip()
    return out


def _public_prefix(name: str) -> str:
    return next((p for p in _PUBLIC_PREFIXES if name.upper().startswith(p)), "")


def _companions(
    var: str, provider: str, resolution: Resolution, environ: Mapping[str, str]
) -> dict[str, str]:
    """Settings for ``var``: same-prefixed names first, then the SDK's own names.

    Values come from the resolution, then from ``environ`` (the process
    environment the resolution was built from), never from ``os.environ``.
    """
    prefix = _public_prefix(var)
    out: dict[str, str] = {}
    for setting, names in _SETTINGS.get(provider, {}).items():
        candidates = [prefix + n for n in names] if prefix else []
        candidates.extend(names)
        for name in candidates:
            resolved = resolution.vars.get(name)
            value = reveal(resolved.value) if resolved is not None else environ.get(name)
            if value:
                out[setting] = value.strip()
                break
    return out


def select_targets(
    resolution: Resolution,
    *,
    var: str | None = None,
    providers: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Target]:
    """The credentials to probe, in the resolution's key order.

    ``providers`` is the schema's explicit ``var -> provider`` mapping; it
    wins over detection by name, and ``"off"`` excludes a variable.  ``var``
    restricts the probe to one variable and raises :class:`ProbeError` when
    it is not set or has no provider.
    Empty values are skipped: "missing" is the schema rules' job.
    """
    explicit = {k: v.lower() for k, v in (providers or {}).items()}
    for name, wanted in explicit.items():
        if wanted not in PROVIDERS and wanted not in _OFF:
            raise ProbeError(
                f"{name}: unknown probe provider {wanted!r}",
                hint=f"use one of: {', '.join(PROVIDERS)}",
            )
    env = environ or {}
    if var is not None:
        resolved = resolution.vars.get(var)
        if resolved is None or not resolved.value:
            raise ProbeError(
                f"{var} is not set in the resolved environment",
                hint="run `envcheck explain` to see which keys the app gets",
            )
        if explicit.get(var) in _OFF or not (explicit.get(var) or detect_provider(var)):
            raise ProbeError(
                f"no probe provider is known for {var}",
                hint=f"set probe = one of {', '.join(PROVIDERS)} for it in the schema",
            )
        names = [var]
    else:
        names = [k for k in resolution.vars if k in explicit or detect_provider(k)]
        names = [k for k in names if explicit.get(k) not in _OFF]
    targets: list[Target] = []
    for name in names:
        resolved = resolution.vars[name]
        provider = explicit.get(name) or detect_provider(name)
        if not provider or not reveal(resolved.value).strip():
            continue
        targets.append(
            Target(
                var=name,
                provider=provider,
                key=Secret(reveal(resolved.value).strip()),
                origin=resolved.origin,
                settings=_companions(name, provider, resolution, env),
            )
        )
    return targets
