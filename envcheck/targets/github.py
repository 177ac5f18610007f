"""GitHub workflow ``env:`` blocks: workflow, job and step level, one target per job.

``${{ secrets.X }}`` is a secret store (set, value unknown); ``${{ vars.X }}``
and any other expression are resolved by Actions at run time (set, value
unknown); anything else is the value.  A step's env applies to that step
only; the target is the union, the most specific block winning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from envcheck.sources.references import reference_kind
from envcheck.targets import _files
from envcheck.targets.model import REFERENCE, SECRET_STORE, VALUE, Target, TargetKey

_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def _env(target: Target, doc: _files.Doc, node: Any) -> None:
    for key, (key_node, value_node) in _files.mapping(node).items():
        origin = doc.origin(key_node)
        value = _files.text(value_node) or ""
        kind = reference_kind(value)
        if kind == "github-secret":
            name = value.split("secrets.", 1)[1].strip(" }")
            target.add(TargetKey(key, SECRET_STORE, origin, store=f"GitHub secret {name}"))
        elif _EXPRESSION.search(value):
            store = "GitHub variable" if kind == "github-variable" else "Actions expression"
            target.add(TargetKey(key, REFERENCE, origin, store=store))
        else:
            target.add(TargetKey(key, VALUE, origin, value))


def read(project_dir: Path, relative: str) -> list[Target]:
    source = _files.read(project_dir, relative) or ""
    file_name = Path(relative).name
    targets: list[Target] = []
    for doc in _files.yaml_documents(source, relative):
        for job, (_, body) in _files.mapping(_files.get(doc.root, "jobs")).items():
            target = Target(f"github:{file_name}/{job}", "github", relative)
            _env(target, doc, _files.get(doc.root, "env"))
            _env(target, doc, _files.get(body, "env"))
            for step in _files.sequence(_files.get(body, "steps")):
                _env(target, doc, _files.get(step, "env"))
            target.outside = ""
            targets.append(target)
    return targets
