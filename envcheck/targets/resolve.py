"""A deploy target as the resolution the rules check, and the findings it changes.

``--target NAME`` replaces the env files with the target's manifest: each
key's origin is the manifest's ``file:line:col``; a key whose value is in a
secret store or injected by the platform gets a stand-in value
(:func:`envcheck.sources.references.unknown_value`) that names the store and
that the value rules recognise as "set, value unknown" -- never empty,
never printed as a value, never probed.  The platform's own variables are
added for the keys the schema declares, so they are never "missing".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache
from pathlib import Path

from envcheck.model import Finding, Location, Report, Severity
from envcheck.secret import Secret
from envcheck.sources.profiles import Profile
from envcheck.sources.references import unknown_store, unknown_value
from envcheck.sources.types import Origin, Resolution, Resolved
from envcheck.targets.model import PLATFORM, REFERENCE, SECRET_STORE, Target, TargetKey
from envcheck.targets.phase import BUILD

DEFAULT_TARGET_MODE = "production"


@cache
def _discovered(project_dir: str, compose_file: str) -> object:
    from envcheck.targets.discover import discover

    return discover(Path(project_dir), {"COMPOSE_FILE": compose_file} if compose_file else {})


def load_target(project_dir: Path, name: str, environ: Mapping[str, str] | None = None) -> Target:
    """The target ``name`` of the project (discovered once per run); usage error if none."""
    from envcheck.targets.discover import Discovery, find

    compose_file = (environ or {}).get("COMPOSE_FILE", "")
    found = _discovered(str(project_dir), compose_file)
    assert isinstance(found, Discovery)
    return find(found, name)


def stand_in(kind: str, store: str) -> str:
    """The value a key set outside the repository gets: its kind and store, no value."""
    return unknown_value(f"{kind}:{store}")


def describe_stand_in(value: str) -> str | None:
    """How reports show a :func:`stand_in` (``(secret store: fly secrets)``); None otherwise.

    The stand-in is a marker, not a value: ``explain`` shows where the value
    lives instead of the marker's text.
    """
    described = unknown_store(value)
    if described is None:
        return None
    kind, _, store = described.partition(":")
    if kind == SECRET_STORE:
        return f"(secret store: {store})"
    if kind == PLATFORM:
        return f"(set by {store})"
    if kind == REFERENCE:
        return f"(set from {store})" if store else "(set at deploy time)"
    return f"(set outside the repository: {described})"


def _resolved(item: TargetKey) -> Resolved:
    value = item.value if item.known else stand_in(item.kind, item.store)
    return Resolved(item.key, Secret(value or ""), item.origin)


def target_resolution(
    project_dir: Path,
    profile: Profile,
    name: str,
    mode: str,
    *,
    declared: Collection[str] = (),
    environ: Mapping[str, str] | None = None,
    phase: str | None = None,
) -> Resolution:
    """The environment target ``name`` gives the app (at ``phase``: build adds build args)."""
    from envcheck.targets.platforms import PLATFORMS, injected

    target = load_target(project_dir, name, environ)
    variables = {key: _resolved(item) for key, item in target.keys.items()}
    if phase == BUILD:
        for key, item in target.build.items():
            variables.setdefault(key, _resolved(item))
    platform = PLATFORMS.get(target.platform)
    title = platform.title if platform else target.platform
    for key in declared:
        if key not in variables and injected(target.platform, key, target.services):
            value = Secret(stand_in(PLATFORM, title))
            variables[key] = Resolved(key, value, Origin(target.manifest))
    return Resolution(profile.name, mode, files=[target.manifest], vars=variables)


TARGET_WORDS = frozenset(
    {"fly", "k8s", "helm", "render", "netlify", "heroku", "vercel", "railway", "compose", "github"}
)


def is_target_name(name: str) -> bool:
    """Whether ``diff --to NAME`` names a deploy target rather than a mode."""
    return name.split(":", 1)[0] in TARGET_WORDS


def add_build_keys(resolution: Resolution, project_dir: Path) -> None:
    """``--phase build``: the Dockerfile build stage's ARG/ENV join the resolution."""
    from envcheck.targets.dockerfile import build_keys

    for key, item in build_keys(project_dir).items():
        if key not in resolution.vars:
            resolution.vars[key] = _resolved(item)


MISSING_CODES = frozenset({"EC301", "EC603"})  # required key not set: check, diff


def name_target(report: Report, project_dir: Path, name: str) -> Report:
    """``check --target``: the report names the target (the JSON ``target`` member), its
    findings as :func:`on_target` words them."""
    target = load_target(project_dir, name)
    return report.replace(
        findings=on_target(report.findings, project_dir, name),
        target={"name": target.name, "platform": target.platform, "manifest": target.manifest},
    )


def on_target(findings: list[Finding], project_dir: Path, name: str) -> list[Finding]:
    """Findings about a target say so; a key missing where the platform may hold it is a note.

    A key the schema requires that the manifest does not set (EC301, EC603)
    gets a hint naming the manifest -- unless the platform sets variables
    outside the repository (Fly secrets, a dashboard), where it may well be
    set: then it is reported as unknown (info), never as "add it to .env".
    """
    target = load_target(project_dir, name)
    return [
        _missing_on_target(f, target) if f.code in MISSING_CODES and f.key is not None else f
        for f in findings
    ]


def _missing_on_target(finding: Finding, target: Target) -> Finding:
    key = finding.key or ""
    where = Location(target.manifest)
    if target.outside:
        return finding.replace(
            severity=Severity.INFO,
            message=f"{key} is not set in {target.manifest} (target {target.name}); "
            f"{target.outside}",
            location=where,
            hint=f"make sure the platform sets {key}, or set it in {target.manifest}",
        )
    return finding.replace(
        message=f"{key} is required but target {target.name} does not set it",
        location=where,
        hint=f"set {key} in {target.manifest}",
    )
