"""Which deploy targets a project has: a bounded walk of the checkout for known manifests.

Every manifest found is read (each reader is pure and bounded); a manifest
that cannot be read is remembered with its one-line error, and raised only
when that target is asked for, so a broken Helm chart does not stop
``--target fly``.  Directories no deploy manifest lives in
(``node_modules``, ``.git``, build output) are not entered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from envcheck.errors import EnvcheckError, SourceError
from envcheck.sources.checkout import GENERATED_DIRS
from envcheck.targets import (
    _files,
    compose,
    fly,
    github,
    helm,
    heroku,
    k8s,
    netlify,
    render,
    vercel,
)
from envcheck.targets.model import Target

SKIP_DIRS = GENERATED_DIRS | {".terraform", "target"}  # Terraform and Rust/Java output
MAX_DEPTH = 6
MAX_FILES = 20000  # entries looked at; a huge checkout is cut, not walked for minutes
_YAML = (".yaml", ".yml")
_NOT_K8S = frozenset(
    {
        "render.yaml",
        "pnpm-workspace.yaml",
        "Chart.yaml",
        ".gitlab-ci.yml",
        "mkdocs.yml",
        "codecov.yml",
        "fly.yaml",
    }
)


class Discovery:
    """The project's targets, and the manifests that failed to read (file → error)."""

    def __init__(self) -> None:
        self.targets: dict[str, Target] = {}
        self.failed: dict[str, EnvcheckError] = {}
        self.aliases: dict[str, str] = {}  # a compose chain's name -> its app service's target

    def add(self, target: Target) -> None:
        name, n = target.name, 1
        while name in self.targets:  # two manifests define the same name: number the later
            n += 1
            name = f"{target.name}#{n}"
        target.name = name
        self.targets[name] = target

    def attempt(self, where: str, read: Callable[..., Target | list[Target]], *args: Any) -> None:
        """``read(*args)``, its targets added; its error kept for ``where`` instead of raised."""
        try:
            found = read(*args)
        except EnvcheckError as err:
            self.failed[where] = err
            return
        for target in found if isinstance(found, list) else [found]:
            self.add(target)


def _walk(project_dir: Path) -> tuple[list[str], list[str]]:
    """(files, directories) relative to the project, pruned and bounded."""
    files: list[str] = []
    dirs: list[str] = []
    seen = 0
    for current, subdirs, names in os.walk(project_dir):
        relative = os.path.relpath(current, project_dir)
        depth = 0 if relative == "." else relative.count(os.sep) + 1
        subdirs[:] = sorted(
            d
            for d in subdirs
            if (d not in SKIP_DIRS and not (d.startswith(".") and d != ".github"))
            and depth < MAX_DEPTH
            and not os.path.islink(os.path.join(current, d))
        )
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        dirs.append(prefix.rstrip("/") or ".")
        for name in sorted(names):
            seen += 1
            if seen > MAX_FILES:
                return files, dirs
            files.append(prefix + name)
    return files, dirs


def discover(project_dir: Path, environ: Mapping[str, str] | None = None) -> Discovery:
    """Every target the project's manifests define; ``environ``: trusted ``COMPOSE_FILE``."""
    found = Discovery()
    files, _ = _walk(project_dir)
    names = {f: Path(f).name for f in files}
    charts = sorted(str(Path(f).parent.as_posix()) for f, n in names.items() if n == "Chart.yaml")
    kustomizations = sorted(
        (str(Path(f).parent.as_posix()) for f, n in names.items() if n in k8s.KUSTOMIZATION_FILES),
    )
    for relative, name in names.items():
        top = "/" not in relative
        if fly.target_name(name) and top:
            found.attempt(relative, fly.read, project_dir, relative)
        elif name == "netlify.toml" and top:
            found.attempt(relative, netlify.read, project_dir, relative)
        elif name == "vercel.json" and top:
            found.attempt(relative, vercel.read, project_dir, relative)
        elif name == "app.json" and top and _heroku(project_dir, relative):
            found.attempt(relative, heroku.read, project_dir, relative)
        elif name in ("render.yaml", "render.yml") and top:
            found.attempt(relative, render.read, project_dir, relative)
        elif name in ("railway.json", "railway.toml") and top:
            found.add(
                Target(
                    "railway",
                    "railway",
                    relative,
                    outside="Railway variables are set in the dashboard: unknown",
                )
            )
        elif relative.startswith(".github/workflows/") and name.endswith(_YAML):
            found.attempt(relative, github.read, project_dir, relative)
    for chart in charts:
        found.attempt(f"{chart}/Chart.yaml", helm.read_chart, project_dir, chart)
    _kubernetes(project_dir, files, charts, kustomizations, found)
    _compose(project_dir, names, found, environ or {})
    return found


def _heroku(project_dir: Path, relative: str) -> bool:
    """An ``app.json`` is Heroku's when it has Heroku's fields (Expo's has ``expo``)."""
    try:
        source = _files.read(project_dir, relative) or ""
    except SourceError:
        return True  # let the reader report it
    return '"expo"' not in source and any(
        f'"{field}"' in source for field in ("env", "addons", "buildpacks", "formation")
    )


def _kubernetes(
    project_dir: Path,
    files: list[str],
    charts: list[str],
    kustomizations: list[str],
    found: Discovery,
) -> None:
    overlays: dict[str, list[str]] = {}
    for directory in kustomizations:
        try:
            named = k8s.references_kustomization(project_dir, directory)
        except EnvcheckError as err:
            found.failed[directory] = err
            continue
        if named:
            overlays[directory] = named
    covered: set[str] = set()
    for directory in kustomizations:
        try:
            build = k8s.kustomize(project_dir, directory)
        except EnvcheckError as err:
            found.failed[directory] = err
            continue
        covered.update(build.files)
        label = Path(directory).name if directory != "." else "root"
        prefix = f"k8s:overlay/{label}/" if directory in overlays else "k8s:"
        manifest = next(
            f"{directory}/{n}".lstrip("./") if directory != "." else n
            for n in k8s.KUSTOMIZATION_FILES
            if (project_dir / directory / n).is_file()
        )
        for (kind, name), workload in build.workloads.items():
            target = k8s.workload_target(f"{prefix}{kind.lower()}/{name}", build, workload)
            target.manifest = manifest  # the build that makes it, for hints
            found.add(target)
    plain = k8s.Build()
    for relative in files:
        name = Path(relative).name
        if (
            not relative.endswith(_YAML)
            or relative in covered
            or name in _NOT_K8S
            or name in k8s.KUSTOMIZATION_FILES
            or relative.startswith(".github/")
            or compose.variant_name(name) is not None
            or name in compose.BASE_FILES
            or any(relative.startswith(c + "/") for c in charts)
        ):
            continue
        try:
            source = _files.read(project_dir, relative) or ""
            if k8s.is_manifest(source):
                k8s.read_manifest(project_dir, relative, plain)
        except EnvcheckError as err:
            found.failed[relative] = err
    for (kind, name), workload in plain.workloads.items():
        target = k8s.workload_target(f"k8s:{kind.lower()}/{name}", plain, workload)
        if target.name not in found.targets:
            found.add(target)


def _compose(
    project_dir: Path, names: dict[str, str], found: Discovery, environ: Mapping[str, str]
) -> None:
    base = next((b for b in compose.BASE_FILES if b in names), None)
    chains: dict[str, list[str]] = {}
    for relative in names:
        if "/" in relative:
            continue
        variant = compose.variant_name(relative)
        if variant is not None and base is not None:
            chains[f"compose:{variant}"] = [base, relative]
    try:
        for name, files in compose.script_chains(project_dir).items():
            chains.setdefault(name, files)
    except EnvcheckError as err:
        found.failed["scripts"] = err
    from_env = compose.env_chain(environ)
    if from_env:
        chains["compose:env"] = from_env
    for name, files in chains.items():
        try:
            services, primary = compose.read_chain(project_dir, name, files)
        except EnvcheckError as err:
            found.failed[files[-1]] = err
            continue
        for target in services:
            found.add(target)
        if primary is not None and primary.name != name:
            found.aliases[name] = primary.name


def find(discovery: Discovery, name: str) -> Target:
    """The target ``name`` names: exactly, or the only one of its platform (``k8s``, ``netlify``).

    Raises a usage error (exit 2) listing the targets there are.
    """
    targets = discovery.targets
    if name in targets:
        return targets[name]
    if discovery.aliases.get(name) in targets:  # compose:prod -> compose:prod/web
        return targets[discovery.aliases[name]]
    prefixed = [
        t for n, t in targets.items() if n.split(":")[0] == name or n.startswith(name + "/")
    ]
    if name == "netlify" and "netlify:production" in targets:
        return targets["netlify:production"]
    if len(prefixed) == 1:
        return prefixed[0]
    for where, err in discovery.failed.items():
        if name.split(":")[0] in where or name.split(":")[0] in str(err):
            raise err
    known = ", ".join(sorted(targets)) or "none found"
    broken = f"; unreadable: {', '.join(sorted(discovery.failed))}" if discovery.failed else ""
    raise EnvcheckError(
        f"no deploy target {name!r} (targets: {known}{broken})",
        hint="`envcheck targets` lists the targets this project's manifests define",
    )
