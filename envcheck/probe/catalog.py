"""The providers envcheck can probe: the rows of the provider table that name a probe.

Read by target selection (which variables, which companion settings), by
the trust check (which hosts are the provider's own) and by the runner
(which module probes it).  The facts are rows of :mod:`envcheck.providers`;
adding a provider is one row there and one module here that exports
``probe``.  Nothing here imports an SDK.
"""

from __future__ import annotations

from functools import cache

from envcheck.providers import PROVIDERS, Provider

__all__ = ["Provider", "CATALOG", "NAMES", "get", "detect"]

CATALOG: tuple[Provider, ...] = tuple(p for p in PROVIDERS if p.probe_module)

_BY_NAME = {p.name: p for p in CATALOG}
NAMES: tuple[str, ...] = tuple(_BY_NAME)


def get(name: str) -> Provider | None:
    return _BY_NAME.get(name)


@cache
def _by_specificity() -> tuple[tuple[str, Provider], ...]:
    """(variable name, provider), longest name first: ``AZURE_OPENAI_API_KEY`` is Azure's
    before ``OPENAI_API_KEY`` could claim it, whatever the rows' order."""
    pairs = [(key, p) for p in CATALOG for key in p.reads]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def detect(name: str) -> Provider | None:
    """The provider a variable's name points at, or None.

    A name counts whole or as the end of a longer name after ``_``
    (``NEXT_PUBLIC_GROQ_API_KEY``, ``MY_APP_OPENAI_API_KEY``).
    """
    upper = name.upper()
    return next(
        (p for key, p in _by_specificity() if upper == key or upper.endswith("_" + key)), None
    )
