"""Which models to probe a key with: the ones the app will call.

Apps fail on the model they are configured for, not on envcheck's default
snapshot, so for a provider whose zero-cost request names a model
(:attr:`envcheck.probe.catalog.Provider.probes_model`) the models come from,
in this order:

1. ``--model`` on the command line: that one only (for every such provider);
2. the app's model variable (``OPENAI_MODEL``, ``ANTHROPIC_MODEL``...: the
   catalog's ``model`` setting), from the env files or the process;
3. the schema's ``model = "..."`` on the key;
4. model literals passed to the provider's SDK in the app's code
   (:func:`envcheck.code.scan`'s ``models``).

Each distinct model is one request (at most :data:`MAX_MODELS` per key), and
none of them gives the provider's default.  A model name from the checkout
is data: it never chooses where the key goes, and it must look like a model
name (:data:`MODEL_NAME`), because Gemini puts it in the URL path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from envcheck.probe import catalog
from envcheck.probe.targets import KeyPlan, Target
from envcheck.sources.types import Origin

__all__ = ["MAX_MODELS", "MODEL_NAME", "ModelChoice", "app_models", "code_models", "scan_code"]

MAX_MODELS = 4
# Segments of letters, digits and ._:@- that start with a letter or digit,
# joined by single slashes: no "..", no "//", no query, no spaces; 128 at most.
MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]*(?:/[A-Za-z0-9][A-Za-z0-9._:@-]*)*")
_MAX_NAME = 128


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """A model to probe, what names it (``--model``, ``OPENAI_MODEL``, the code) and where
    (``at``: the file line, a place a renderer shows, never text of the message);
    ``model`` None: the provider's default."""

    model: str | None
    source: str = ""
    at: Origin | None = None


def _usable(model: str) -> bool:
    return len(model) <= _MAX_NAME and MODEL_NAME.fullmatch(model) is not None


def app_models(
    target: Target,
    *,
    explicit: str | None,
    plan: KeyPlan | None,
    in_code: Iterable[tuple[str, Origin]] = (),
) -> list[ModelChoice]:
    """The models to probe ``target`` with; ``[ModelChoice(None)]`` for the provider default.

    ``in_code``: ``(model, where)`` pairs found for this provider.
    """
    provider = catalog.get(target.provider)
    if provider is None or not provider.probes_model:
        return [ModelChoice(None)]  # the request names no model: --model changes nothing
    if explicit:
        return [ModelChoice(explicit, "--model")]
    found: list[ModelChoice] = []
    setting = target.setting("model")
    if setting:
        names = provider.settings.get("model", ())
        origin = target.sources.get("model")
        found.append(ModelChoice(setting, names[0] if names else "the model setting", origin))
    if plan is not None and plan.model:
        found.append(ModelChoice(plan.model, f"{plan.where or 'the schema'} (model =)"))
    found.extend(ModelChoice(model, "the code", where) for model, where in in_code)
    chosen: list[ModelChoice] = []
    for choice in found:
        model = choice.model
        if model is None or not _usable(model) or any(c.model == model for c in chosen):
            continue
        chosen.append(choice)
        if len(chosen) == MAX_MODELS:
            break
    return chosen or [ModelChoice(None)]


def code_models(facts: Any) -> Mapping[str, list[tuple[str, Origin]]]:
    """``provider -> [(model, where)]`` from :func:`envcheck.code.scan`'s facts."""
    out: dict[str, list[tuple[str, Origin]]] = {}
    for use in getattr(facts, "models", ()) or ():
        provider = str(getattr(use, "provider", ""))
        model = str(getattr(use, "model", ""))
        if provider and model:
            out.setdefault(provider, []).append((model, Origin(use.file, use.line, use.col)))
    return out


def scan_code(project_dir: Any) -> Mapping[str, list[tuple[str, Origin]]]:
    """The model literals of the app's code; nothing when it cannot be read.

    Heavy (it parses the source), so only the probe path calls it, and only
    when a key's provider probes a model and ``--model`` does not choose one.
    """
    from pathlib import Path

    try:
        from envcheck.code import scan

        facts = scan(Path(project_dir), root=Path(project_dir))
    except (OSError, ValueError, ImportError):
        return {}
    return code_models(facts)
