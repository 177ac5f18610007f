"""Helm charts: ``values*.yaml`` keys that the chart's templates map to container ``env``.

Templates are Go templates, not YAML, so this is a *static text scan* of
``templates/*.yaml``: an env entry ``- name: KEY`` whose ``value:`` (within
the next few lines) is ``{{ .Values.a.b }}`` (any pipeline after it) maps
``KEY`` to the values path ``a.b``; ``valueFrom``/``secretKeyRef`` under it
is a secret store; ``{{- range $k, $v := .Values.env }}`` under ``env:``
maps every key of that values map.  Anything subtler (helpers, ``tpl``,
conditionals choosing between paths) is not followed.  Each values file is
a target: ``helm:<chart>`` for ``values.yaml``, ``helm:<chart>/<variant>``
for ``values-<variant>.yaml`` (merged over ``values.yaml``, as ``-f``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import SECRET_STORE, VALUE, Target, TargetKey

_NAME = re.compile(r"^\s*-\s*name:\s*[\"']?([A-Za-z_][A-Za-z0-9_.-]*)[\"']?\s*$")
_VALUE = re.compile(r"^\s*value:\s*.*?\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)")
_RANGE = re.compile(r"\{\{-?\s*range\s+\$\w+\s*,\s*\$\w+\s*:=\s*\.Values\.([A-Za-z0-9_.]+)")
_VALUES_FILE = re.compile(r"values(?:[-.]([A-Za-z0-9_-]+))?\.ya?ml")
LOOKAHEAD = 4  # lines after "- name:" where its value:/valueFrom: is looked for


class Mapping:
    """What the templates map: KEY → values path, KEY → secret, values maps to expand."""

    def __init__(self) -> None:
        self.paths: dict[str, tuple[str, Origin]] = {}
        self.secrets: dict[str, Origin] = {}
        self.ranges: list[str] = []


def scan_templates(project_dir: Path, chart: str) -> Mapping:
    found = Mapping()
    for path in sorted((project_dir / chart / "templates").glob("*.y*ml"))[:500]:
        relative = path.relative_to(project_dir).as_posix()
        lines = (_files.read(project_dir, relative) or "").splitlines()
        for number, line in enumerate(lines):
            ranged = _RANGE.search(line)
            if ranged and any(p.strip() == "env:" for p in lines[max(0, number - 15) : number]):
                found.ranges.append(ranged.group(1))
            named = _NAME.match(line)
            if not named:
                continue
            key = named.group(1)
            origin = Origin(relative, number + 1, line.index("name") + 1)
            for following in lines[number + 1 : number + 1 + LOOKAHEAD]:
                if _NAME.match(following):
                    break
                value = _VALUE.match(following)
                if value:
                    found.paths[key] = (value.group(1), origin)
                    break
                if "secretKeyRef" in following:
                    found.secrets[key] = origin
                    break
    return found


def _values(project_dir: Path, relative: str) -> _files.Doc | None:
    source = _files.read(project_dir, relative)
    return next(iter(_files.yaml_documents(source or "", relative)), None)


def _lookup(docs: list[_files.Doc], path: str) -> tuple[Any, _files.Doc, Any] | None:
    """The (key node, doc, value node) of ``path`` in the most specific values file."""
    for doc in reversed(docs):
        node, key_node = doc.root, None
        for part in path.split("."):
            found = _files.mapping(node).get(part)
            if found is None:
                node = None
                break
            key_node, node = found
        if node is not None:
            return key_node, doc, node
    return None


def read_chart(project_dir: Path, chart: str) -> list[Target]:
    mapping = scan_templates(project_dir, chart)
    chart_name = Path(chart).name or "chart"
    files = sorted(p.name for p in (project_dir / chart).glob("values*.y*ml"))
    base = _values(project_dir, f"{chart}/values.yaml")
    targets = []
    for file_name in files:
        match = _VALUES_FILE.fullmatch(file_name)
        if match is None:
            continue
        variant = match.group(1)
        docs = [d for d in [base] if d is not None]
        if variant:
            extra = _values(project_dir, f"{chart}/{file_name}")
            docs += [extra] if extra is not None else []
        name = f"helm:{chart_name}" + (f"/{variant}" if variant else "")
        target = Target(name, "helm", f"{chart}/{file_name}")
        for key, (path, template_origin) in mapping.paths.items():
            found = _lookup(docs, path)
            if found is None:
                target.add(TargetKey(key, VALUE, template_origin, ""))
                continue
            key_node, doc, node = found
            target.add(TargetKey(key, VALUE, doc.origin(key_node), _files.text(node) or ""))
        for key, origin in mapping.secrets.items():
            target.add(TargetKey(key, SECRET_STORE, origin, store="Secret named in the chart"))
        for path in mapping.ranges:
            found = _lookup(docs, path)
            if found is None:
                continue
            _, doc, node = found
            for key, (key_node, value_node) in _files.mapping(node).items():
                target.add(
                    TargetKey(key, VALUE, doc.origin(key_node), _files.text(value_node) or "")
                )
        targets.append(target)
    return targets
