"""``vercel.json``: ``env`` (runtime) and ``build.env`` (build), both legacy but still read.

A value starting with ``@`` names a Vercel secret (set, value unknown).
Most projects set their variables in the dashboard: outside the repo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import SECRET_STORE, VALUE, Target, TargetKey


def _keys(source: str, relative: str, values: Any, after: int) -> dict[str, TargetKey]:
    out: dict[str, TargetKey] = {}
    if not isinstance(values, dict):
        return out
    for key, value in values.items():
        origin = Origin(relative, *_files.json_position(source, key, after))
        text = _files.scalar_string(value)
        if text is not None and text.startswith("@"):
            out[key] = TargetKey(key, SECRET_STORE, origin, store=f"Vercel secret {text}")
        else:
            out[key] = TargetKey(key, VALUE, origin, text)
    return out


def read(project_dir: Path, relative: str) -> Target:
    source = _files.read(project_dir, relative) or ""
    data = _files.json_object(source, relative)
    target = Target(
        "vercel",
        "vercel",
        relative,
        outside="variables set in the Vercel dashboard are outside the repo: unknown",
    )
    target.keys.update(_keys(source, relative, data.get("env"), max(source.find('"env"'), 0)))
    build = data.get("build")
    if isinstance(build, dict):
        at = max(source.find('"build"'), 0)
        target.build.update(_keys(source, relative, build.get("env"), at))
    return target
