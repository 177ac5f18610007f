"""Which variables to probe, and the settings the app's SDK would pair them with.

A variable is probed when the schema names its provider (``probe = "openai"``)
or when its name says which provider it is for (``OPENAI_API_KEY``,
``NEXT_PUBLIC_GROQ_API_KEY``, ...; the table is :mod:`envcheck.probe.catalog`).
Candidates come from the resolution *and* from the process environment: in a
container the key is often only in the process (``docker run -e``, CI
secrets), and a probe that skipped it would pass without checking anything.

The companion settings (base URL, organization, project) are read from the
same resolved environment, so the probe goes where the app's requests would
go; each setting remembers where it came from, and each key whether its
value is the text of a checked file, because what the checkout may decide
about a key depends on both: a checked file cannot enlist a process variable
(:func:`choose_provider`, the trust model's first half, applied here) or send
it to a host of its choosing (:mod:`envcheck.probe.trust`, applied before
sending).  A public variant
(``VITE_OPENAI_API_KEY``) looks for same-prefixed companions first, because
browser code cannot see the unprefixed ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from envcheck.errors import ProbeError
from envcheck.model import public_prefix
from envcheck.probe import catalog
from envcheck.secret import Secret, reveal
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Resolution, Resolved

__all__ = [
    "Target",
    "KeyPlan",
    "Choice",
    "choose_provider",
    "PROVIDERS",
    "AZURE_OPENAI",
    "OPENAI",
    "ANTHROPIC",
    "detect_provider",
    "providers_from_schema",
    "plans_from_schema",
    "select_targets",
    "missing_keys",
    "value_as_written",
]

OPENAI = "openai"
AZURE_OPENAI = "azure-openai"
ANTHROPIC = "anthropic"
PROVIDERS = catalog.NAMES
# A schema's ``probe = "off"`` turns detection off for that key.
_OFF = frozenset({"off", "none", "false", "no"})


@dataclass(frozen=True, slots=True)
class KeyPlan:
    """What the schema says about probing one key: provider, allowed base URL, where,
    and the model the app calls with it (``model = "gpt-4.1-mini"``)."""

    provider: str
    base_url: str | None = None
    where: str | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One credential to probe: the key stays a :class:`Secret` until sent.

    ``sources`` says where each setting came from (a file line or the
    process); ``allowed_url`` is the schema's ``base_url`` for this key (a
    checked file: :mod:`envcheck.probe.trust` says when it counts);
    ``trust_base_url`` is ``--trust-base-url``.  ``expanded``: the value came
    from a file line but is not its text (``${VAR}`` expansion, decryption),
    so it may hold something from outside the checkout.  ``overruled`` and
    ``refused`` are :class:`Choice`'s.
    """

    var: str
    provider: str
    key: Secret
    origin: Origin
    settings: dict[str, str] = field(default_factory=dict)
    sources: dict[str, Origin] = field(default_factory=dict)
    allowed_url: str | None = None
    trust_base_url: bool = False
    expanded: bool = False
    overruled: str | None = None
    refused: str | None = None

    def setting(self, name: str) -> str | None:
        return self.settings.get(name) or None

    @property
    def from_checkout(self) -> bool:
        """The key is text written in a checked file (not the process's, not expanded)."""
        return not self.origin.is_process and not self.expanded


@dataclass(frozen=True, slots=True)
class Choice:
    """The provider a variable is probed as, and why the checkout's word was not taken.

    ``overruled``: a note for the result when a checked file named another
    provider than the name's.  ``refused``: why nothing may be sent at all.
    """

    provider: str
    overruled: str | None = None
    refused: str | None = None


def choose_provider(
    name: str,
    *,
    from_checkout: bool,
    checkout_choice: str | None,
    where: str | None,
    on_command_line: bool,
) -> Choice | None:
    """The provider ``name`` is probed as (None: not a key to probe).

    ``checkout_choice`` is what the schema or a ``# probe:`` note says
    (already lower-case, never "off"); ``where`` the file and line saying
    it; ``on_command_line`` is True when ``--var`` names the variable.
    """
    by_name = catalog.detect(name)
    named = by_name.name if by_name else None
    if from_checkout or not checkout_choice:
        wanted = checkout_choice or named
        return Choice(wanted) if wanted else None
    said = f'{where or "the schema"} says probe = "{checkout_choice}"'
    if named is not None:
        if checkout_choice == named:
            return Choice(named)
        return Choice(
            named,
            overruled=f"probed as {named}, its name's provider: {said}, and a checked file "
            "cannot choose the provider of a key from outside the checked files",
        )
    if on_command_line:
        return Choice(checkout_choice)
    return Choice(
        checkout_choice,
        refused=f"not probed: {said}, but the value does not come from the checked files, "
        "and a checked file cannot have such a variable sent anywhere",
    )


def detect_provider(name: str) -> str | None:
    """The provider a variable's name points at, or None."""
    found = catalog.detect(name)
    return found.name if found else None


def plans_from_schema(schema: Any) -> dict[str, KeyPlan]:
    """The schema's keys that set ``probe``, ``base_url`` or ``model``, as :class:`KeyPlan`."""
    keys = getattr(schema, "keys", None)
    if not isinstance(keys, Mapping):
        return {}
    out: dict[str, KeyPlan] = {}
    for name, spec in keys.items():
        probe = getattr(spec, "probe", None)
        base_url = getattr(spec, "base_url", None)
        model = getattr(spec, "model", None)
        provider = probe.strip() if isinstance(probe, str) and probe.strip() else ""
        url = base_url.strip() if isinstance(base_url, str) and base_url.strip() else None
        wanted = model.strip() if isinstance(model, str) and model.strip() else None
        if provider or url or wanted:
            where = getattr(spec, "where", None)
            out[str(name)] = KeyPlan(
                provider, url, where if isinstance(where, str) else None, wanted
            )
    return out


def providers_from_schema(schema: Any) -> dict[str, str]:
    """The schema's ``var -> provider`` mapping (keys whose spec sets ``probe``)."""
    return {k: p.provider for k, p in plans_from_schema(schema).items() if p.provider}


def _public_prefix(name: str) -> str:
    return public_prefix(name.upper()) or ""


def value_as_written(resolved: Resolved) -> bool:
    """The value is the text of the file line it came from: nothing was brought into it.

    ``${CI_DEPLOY_TOKEN}`` in a checked ``.env`` resolves to the process's token,
    and a dotenvx line decrypts to the user's key: neither is the checkout's
    own text, so neither may be treated like it.  A value without a recorded
    raw text is taken as written.
    """
    if resolved.origin.is_process:
        return False
    if resolved.raw is not None:
        written: str | None = reveal(resolved.raw)
    else:
        written = resolved.entry.value if resolved.entry is not None else None
    return written is None or written == reveal(resolved.value)


def _lookup(
    name: str, resolution: Resolution, environ: Mapping[str, str]
) -> tuple[str, Origin, bool] | None:
    """A value, its origin, and whether it is as written: the resolution first, then the process."""
    resolved = resolution.vars.get(name)
    if resolved is not None:
        value = reveal(resolved.value)
        return (value, resolved.origin, value_as_written(resolved)) if value.strip() else None
    value = environ.get(name, "")
    return (value, PROCESS_ORIGIN, False) if value.strip() else None


def _companions(
    var: str, provider: str, resolution: Resolution, environ: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, Origin]]:
    """Settings for ``var`` and where each came from: same-prefixed names first."""
    prefix = _public_prefix(var)
    spec = catalog.get(provider)
    settings: dict[str, str] = {}
    sources: dict[str, Origin] = {}
    for setting, names in (spec.settings if spec else {}).items():
        candidates = [prefix + n for n in names] if prefix else []
        candidates.extend(names)
        for name in candidates:
            found = _lookup(name, resolution, environ)
            if found is not None:
                settings[setting] = found[0].strip()
                sources[setting] = found[1]
                break
    return settings, sources


def _check_providers(explicit: Mapping[str, str]) -> None:
    for name, wanted in explicit.items():
        if wanted and wanted not in PROVIDERS and wanted not in _OFF:
            raise ProbeError(
                f"{name}: unknown probe provider {wanted!r}",
                hint=f"use one of: {', '.join(PROVIDERS)}",
            )


def select_targets(
    resolution: Resolution,
    *,
    var: str | None = None,
    providers: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    plans: Mapping[str, KeyPlan] | None = None,
    trust_base_url: bool = False,
    only: frozenset[str] | None = None,
) -> list[Target]:
    """The credentials to probe: the resolution's keys in order, then process-only ones.

    ``providers`` (or ``plans``, the schema's view) is the checkout's
    ``var -> provider`` mapping; ``"off"`` excludes a variable, and otherwise
    it wins over detection by name only for a key written in the checked
    files (:func:`choose_provider` decides the rest).
    ``var`` (the command line's ``--var``) restricts the probe to one
    variable, found in the resolution or the process environment, and
    raises :class:`ProbeError` when it is set nowhere or has no provider.
    ``only`` keeps the targets of these providers.  Empty values are
    skipped: "missing" is :func:`missing_keys`' job.
    """
    plans = dict(plans or {})
    for name, provider in (providers or {}).items():
        old = plans.get(name)
        plans[name] = KeyPlan(
            provider,
            old.base_url if old else None,
            old.where if old else None,
            old.model if old else None,
        )
    explicit = {k: p.provider.lower() for k, p in plans.items()}
    _check_providers(explicit)
    env = environ or {}

    def provider_of(name: str) -> str | None:
        wanted = explicit.get(name)
        if wanted in _OFF:
            return None
        return wanted or detect_provider(name)

    if var is not None:
        if _lookup(var, resolution, env) is None:
            raise ProbeError(
                f"{var} is not set in the files or the process environment",
                hint="run `envcheck explain --all` to see which keys the app gets",
            )
        if provider_of(var) is None:
            raise ProbeError(
                f"no probe provider is known for {var}",
                hint=f"set probe = one of {', '.join(PROVIDERS)} for it in the schema",
            )
        names = [var]
    else:
        names = list(resolution.vars)
        names += [k for k in env if k not in resolution.vars]
        names = [k for k in names if provider_of(k)]
    targets: list[Target] = []
    for name in names:
        found = _lookup(name, resolution, env)
        if not provider_of(name) or found is None:
            continue
        value, origin, as_written = found
        plan = plans.get(name)
        choice = choose_provider(
            name,
            from_checkout=as_written,
            checkout_choice=explicit.get(name) or None,
            where=plan.where if plan else None,
            on_command_line=name == var,
        )
        if choice is None or (only is not None and choice.provider not in only):
            continue
        settings, sources = _companions(name, choice.provider, resolution, env)
        targets.append(
            Target(
                var=name,
                provider=choice.provider,
                key=Secret(value.strip()),
                origin=origin,
                settings=settings,
                sources=sources,
                allowed_url=plan.base_url if plan else None,
                trust_base_url=trust_base_url,
                expanded=not as_written and not origin.is_process,
                overruled=choice.overruled,
                refused=choice.refused,
            )
        )
    return targets


def missing_keys(
    resolution: Resolution,
    plans: Mapping[str, KeyPlan],
    environ: Mapping[str, str] | None = None,
) -> list[tuple[str, KeyPlan]]:
    """Schema keys marked for probing that neither the files nor the process set."""
    env = environ or {}
    return [
        (name, plan)
        for name, plan in plans.items()
        if plan.provider
        and plan.provider.lower() not in _OFF
        and _lookup(name, resolution, env) is None
    ]
