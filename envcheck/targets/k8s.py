"""Kubernetes manifests and Kustomize builds: each workload's container environment.

Workloads: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob and
Pod; their containers' ``env`` (``value``; ``valueFrom.secretKeyRef`` → a
secret store; ``configMapKeyRef`` → that ConfigMap's value; ``fieldRef`` /
``resourceFieldRef`` → set by Kubernetes) and ``envFrom`` (``configMapRef`` →
the ConfigMap's ``data`` keys and values; ``secretRef`` → the Secret's key
*names*).  A Secret's ``data``/``stringData`` values are never read: only
the mapping's keys are looked at, so no Secret value reaches a
:class:`~envcheck.targets.model.TargetKey`.

Kustomize: ``resources``/``bases`` (files and directories), overlays (a
kustomization naming another kustomization's directory), strategic-merge
``patches``/``patchesStrategicMerge`` on container ``env``/``envFrom``,
``configMapGenerator`` (``literals``, ``envs``; ``behavior: merge``) and
``secretGenerator`` (key names only).  Remote bases are not fetched.
Services defined in the same build give ``<SVC>_SERVICE_HOST/PORT``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envcheck.sources.checkout import named_path_problem
from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import PLATFORM, REFERENCE, SECRET_STORE, VALUE, Target, TargetKey

POD_SPEC: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
MAX_DEPTH = 20  # kustomization nesting followed; a cycle is cut by the seen set


class Workload:
    __slots__ = ("kind", "name", "doc", "pod_spec")

    def __init__(self, kind: str, name: str, doc: _files.Doc, pod_spec: Any) -> None:
        self.kind = kind
        self.name = name
        self.doc = doc
        self.pod_spec = pod_spec


class Build:
    """The resources of one manifest set or kustomization, by kind and name."""

    def __init__(self) -> None:
        self.workloads: dict[tuple[str, str], Workload] = {}
        self.patches: list[Workload] = []
        self.config_maps: dict[str, dict[str, TargetKey]] = {}
        self.secrets: dict[str, dict[str, Origin]] = {}
        self.services: list[str] = []
        self.notes: list[str] = []
        self.files: list[str] = []

    def merge(self, other: Build) -> None:
        self.workloads.update(other.workloads)
        self.patches.extend(other.patches)
        for name, keys in other.config_maps.items():
            self.config_maps.setdefault(name, {}).update(keys)
        for name, names in other.secrets.items():
            self.secrets.setdefault(name, {}).update(names)
        self.services.extend(s for s in other.services if s not in self.services)
        self.notes.extend(other.notes)
        self.files.extend(other.files)


def is_manifest(source: str) -> bool:
    """Cheap test before parsing: a Kubernetes object names apiVersion and kind."""
    return "apiVersion:" in source and "kind:" in source


def read_manifest(project_dir: Path, relative: str, build: Build, *, patch: bool = False) -> None:
    source = _files.read(project_dir, relative)
    if source is None:
        build.notes.append(f"{relative} is named but does not exist")
        return
    build.files.append(relative)
    for doc in _files.yaml_documents(source, relative):
        _object(doc, build, patch)


def _object(doc: _files.Doc, build: Build, patch: bool) -> None:
    kind = _files.text(_files.get(doc.root, "kind")) or ""
    name = _files.text(_files.get(doc.root, "metadata", "name")) or ""
    if kind == "List":
        for item in _files.sequence(_files.get(doc.root, "items")):
            _object(_files.Doc(item, doc.offset, doc.shown), build, patch)
        return
    if kind in POD_SPEC:
        workload = Workload(kind, name, doc, _files.get(doc.root, *POD_SPEC[kind]))
        if patch:
            build.patches.append(workload)
        else:
            build.workloads[(kind, name)] = workload
    elif kind == "ConfigMap":
        data = build.config_maps.setdefault(name, {})
        for key, (key_node, value_node) in _files.mapping(_files.get(doc.root, "data")).items():
            data[key] = TargetKey(key, VALUE, doc.origin(key_node), _files.text(value_node) or "")
    elif kind == "Secret":
        names = build.secrets.setdefault(name, {})
        for field in ("data", "stringData"):  # the keys only: a value is never looked at
            for key, (key_node, _) in _files.mapping(_files.get(doc.root, field)).items():
                names[key] = doc.origin(key_node)
    elif kind == "Service" and name:
        build.services.append(name)


def _secret_store(secret: str, key: str) -> str:
    return f"Secret {secret} key {key}"


def _container_env(target: Target, build: Build, workload: Workload) -> None:
    """Each container's envFrom, then env (env wins, as in Kubernetes)."""
    doc = workload.doc
    for container in _files.sequence(_files.get(workload.pod_spec, "containers")):
        for source in _files.sequence(_files.get(container, "envFrom")):
            prefix = _files.text(_files.get(source, "prefix")) or ""
            ref = _files.get(source, "configMapRef")
            if ref is not None:
                name = _files.text(_files.get(ref, "name")) or ""
                if name not in build.config_maps:
                    target.notes.append(
                        f"ConfigMap {name} is not in the manifests: its keys are unknown"
                    )
                    target.outside = target.outside or f"keys of ConfigMap {name}: unknown"
                for key, item in build.config_maps.get(name, {}).items():
                    target.add(TargetKey(prefix + key, VALUE, item.origin, item.value))
            ref = _files.get(source, "secretRef")
            if ref is not None:
                name = _files.text(_files.get(ref, "name")) or ""
                if name not in build.secrets:
                    target.notes.append(
                        f"Secret {name} is not in the manifests: its keys are unknown"
                    )
                    target.outside = f"keys of Secret {name} are set outside the repo: unknown"
                for key, origin in build.secrets.get(name, {}).items():
                    target.add(
                        TargetKey(
                            prefix + key, SECRET_STORE, origin, store=_secret_store(name, key)
                        )
                    )
        for item in _files.sequence(_files.get(container, "env")):
            fields = _files.mapping(item)
            if "name" not in fields:
                continue
            env_name = _files.text(fields["name"][1])
            if not env_name:
                continue
            origin = doc.origin(fields["name"][1])
            target.add(_env_entry(env_name, origin, fields, build, target))


def _env_entry(
    key: str, origin: Origin, fields: dict[str, Any], build: Build, target: Target
) -> TargetKey:
    if "valueFrom" not in fields:
        value = _files.text(fields["value"][1]) if "value" in fields else ""
        return TargetKey(key, VALUE, origin, value or "")
    source = fields["valueFrom"][1]
    ref = _files.get(source, "secretKeyRef")
    if ref is not None:
        name = _files.text(_files.get(ref, "name")) or "?"
        secret_key = _files.text(_files.get(ref, "key")) or "?"
        return TargetKey(key, SECRET_STORE, origin, store=_secret_store(name, secret_key))
    ref = _files.get(source, "configMapKeyRef")
    if ref is not None:
        name = _files.text(_files.get(ref, "name")) or "?"
        map_key = _files.text(_files.get(ref, "key")) or "?"
        found = build.config_maps.get(name, {}).get(map_key)
        if found is not None:
            return TargetKey(key, VALUE, found.origin, found.value)
        target.notes.append(f"ConfigMap {name} key {map_key} is not in the manifests")
        return TargetKey(key, REFERENCE, origin, store=f"ConfigMap {name} key {map_key}")
    field = _files.text(_files.get(source, "fieldRef", "fieldPath"))
    resource = _files.text(_files.get(source, "resourceFieldRef", "resource"))
    return TargetKey(key, PLATFORM, origin, store=f"Kubernetes {field or resource or 'valueFrom'}")


def workload_target(name: str, build: Build, workload: Workload) -> Target:
    target = Target(name, "k8s", workload.doc.shown, services=list(build.services))
    _container_env(target, build, workload)
    for patch in build.patches:
        if (patch.kind, patch.name) == (workload.kind, workload.name):
            _container_env(target, build, patch)
    target.notes.extend(build.notes)
    return target


def kustomize(project_dir: Path, directory: str, seen: frozenset[str] = frozenset()) -> Build:
    """The resources one kustomization builds (its bases' included), read from the repo."""
    build = Build()
    if directory in seen or len(seen) > MAX_DEPTH:
        build.notes.append(f"{directory}: kustomization cycle or nesting too deep; not followed")
        return build
    seen = seen | {directory}
    file_name = next(
        (f for f in KUSTOMIZATION_FILES if (project_dir / directory / f).is_file()), None
    )
    if file_name is None:
        return build
    relative = f"{directory}/{file_name}" if directory not in ("", ".") else file_name
    source = _files.read(project_dir, relative) or ""
    docs = list(_files.yaml_documents(source, relative))
    if not docs:
        return build
    doc = docs[0]
    base = project_dir / directory
    for field in ("bases", "resources", "components"):
        for node in _files.sequence(_files.get(doc.root, field)):
            entry = _files.text(node) or ""
            path = _local(project_dir, base, entry, build, relative)
            if path is None:
                continue
            if (project_dir / path).is_dir():
                build.merge(kustomize(project_dir, path, seen))
            else:
                read_manifest(project_dir, path, build)
    for field in ("patchesStrategicMerge", "patches"):
        for node in _files.sequence(_files.get(doc.root, field)):
            entry = _files.text(node) or _files.text(_files.get(node, "path")) or ""
            inline = _files.text(_files.get(node, "patch"))
            if inline is not None or "\n" in entry:
                for patch_doc in _files.yaml_documents(inline or entry, relative):
                    _object(patch_doc, build, True)
                continue
            path = _local(project_dir, base, entry, build, relative)
            if path is not None:
                read_manifest(project_dir, path, build, patch=True)
    _generators(project_dir, base, doc, build, relative)
    return build


def _local(project_dir: Path, base: Path, entry: str, build: Build, where: str) -> str | None:
    """A kustomization entry as a project-relative path, or None (remote, outside: a note)."""
    if not entry or "://" in entry or entry.startswith(("github.com/", "git@")):
        if entry:
            build.notes.append(f"{where}: remote resource {entry} is not fetched")
        return None
    problem = named_path_problem(entry, base)
    if problem is not None:
        build.notes.append(f"{where} {problem}")
        return None
    import os

    return Path(os.path.relpath(os.path.normpath(base / entry), project_dir)).as_posix()


def _env_lines(source: str) -> list[tuple[int, str, str]]:
    """``KEY=value`` lines of a generator's env file: (line, key, value)."""
    out = []
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        out.append((number, key.strip(), value))
    return out


def _generators(project_dir: Path, base: Path, doc: _files.Doc, build: Build, where: str) -> None:
    for generator in _files.sequence(_files.get(doc.root, "configMapGenerator")):
        name = _files.text(_files.get(generator, "name")) or ""
        behavior = _files.text(_files.get(generator, "behavior")) or "create"
        data = build.config_maps.setdefault(name, {}) if behavior != "replace" else {}
        for node in _files.sequence(_files.get(generator, "literals")):
            key, _, value = (_files.text(node) or "").partition("=")
            data[key] = TargetKey(key, VALUE, doc.origin(node), value)
        for node in _files.sequence(_files.get(generator, "envs")) + [
            n for n in [_files.get(generator, "env")] if n is not None
        ]:
            path = _local(project_dir, base, _files.text(node) or "", build, where)
            source = _files.read(project_dir, path) if path else None
            for line, key, value in _env_lines(source or ""):
                data[key] = TargetKey(key, VALUE, Origin(path or where, line, 1), value)
        build.config_maps[name] = data
    for generator in _files.sequence(_files.get(doc.root, "secretGenerator")):
        name = _files.text(_files.get(generator, "name")) or ""
        names = build.secrets.setdefault(name, {})
        for node in _files.sequence(_files.get(generator, "literals")):
            key = (_files.text(node) or "").partition("=")[0]  # the name only
            names[key] = doc.origin(node)
        for node in _files.sequence(_files.get(generator, "envs")):
            path = _local(project_dir, base, _files.text(node) or "", build, where)
            source = _files.read(project_dir, path) if path else None
            for line, key, _ in _env_lines(source or ""):
                names[key] = Origin(path or where, line, 1)


def references_kustomization(project_dir: Path, directory: str) -> list[str]:
    """The kustomization directories ``directory``'s kustomization names (its bases)."""
    build = Build()
    file_name = next(
        (f for f in KUSTOMIZATION_FILES if (project_dir / directory / f).is_file()), None
    )
    if file_name is None:
        return []
    relative = f"{directory}/{file_name}" if directory not in ("", ".") else file_name
    source = _files.read(project_dir, relative) or ""
    out = []
    for doc in _files.yaml_documents(source, relative):
        for field in ("bases", "resources", "components"):
            for node in _files.sequence(_files.get(doc.root, field)):
                path = _local(
                    project_dir, project_dir / directory, _files.text(node) or "", build, relative
                )
                if path is not None and any(
                    (project_dir / path / f).is_file() for f in KUSTOMIZATION_FILES
                ):
                    out.append(path)
        break
    return out
