"""Build or start: which keys a phase needs.

Public-prefixed keys (the profile's ``public_prefixes``: ``NEXT_PUBLIC_``,
``VITE_``, ...) are inlined into the bundle by the build, so they are needed
at *build*; every other key is read when the app *starts*.  A schema key's
``phase = "build" | "start" | "both"`` overrides that.  ``--phase build``
requires only build-phase keys -- what ``docker build`` has, where the
runtime secrets rightly do not exist -- which makes the hand-made
``SKIP_ENV_VALIDATION`` flag unnecessary: the build is checked for what the
build needs instead of not checked at all.
"""

from __future__ import annotations

from typing import Any

from envcheck.sources.profiles import Profile

BUILD, START, BOTH = "build", "start", "both"
PHASES = (BUILD, START)


def key_phase(name: str, spec: Any, profile: Profile) -> str:
    """The phase a key is needed in: the schema's ``phase``, else by its prefix."""
    declared = getattr(spec, "phase", None)
    if declared in (BUILD, START, BOTH):
        return str(declared)
    if getattr(spec, "public", False) or name.startswith(tuple(profile.public_prefixes)):
        return BUILD
    return START


def schema_for_phase(schema: Any, profile: Profile, phase: str | None) -> Any:
    """``schema`` with the keys another phase needs made optional (same schema if no phase)."""
    from envcheck.schema.model import Schema

    if phase is None or not isinstance(schema, Schema):
        return schema
    keys = {
        name: spec
        if key_phase(name, spec, profile) in (phase, BOTH)
        else spec.replace(required=False)
        for name, spec in schema.keys.items()
    }
    return schema.replace(keys=keys)
