"""``netlify.toml``: ``[build.environment]`` and ``[context.<name>.environment]``.

Each context (``production``, ``deploy-preview``, ``branch-deploy``, a branch
name) is a target: the build environment with the context's on top, as
Netlify merges them.  Variables set in the Netlify UI are outside the repo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import VALUE, Target, TargetKey

OUTSIDE = "variables set in the Netlify UI or CLI are outside the repo: unknown"


def _environment(target: Target, source: str, table: str, values: Any, relative: str) -> None:
    if not isinstance(values, dict):
        return
    positions = _files.toml_positions(source, table)
    for key, value in values.items():
        line, col = positions.get(key, (1, 1))
        target.add(TargetKey(key, VALUE, Origin(relative, line, col), _files.scalar_string(value)))


def read(project_dir: Path, relative: str) -> list[Target]:
    source = _files.read(project_dir, relative) or ""
    data = _files.toml(source, relative)
    build: dict[str, Any] = data["build"] if isinstance(data.get("build"), dict) else {}
    contexts: dict[str, Any] = data["context"] if isinstance(data.get("context"), dict) else {}
    names = ["production", *(c for c in contexts if c != "production")]
    targets = []
    for context in names:
        target = Target(f"netlify:{context}", "netlify", relative, outside=OUTSIDE)
        _environment(target, source, "build.environment", build.get("environment"), relative)
        body = contexts.get(context)
        if isinstance(body, dict):
            _environment(
                target, source, f"context.{context}.environment", body.get("environment"), relative
            )
        targets.append(target)
    return targets
