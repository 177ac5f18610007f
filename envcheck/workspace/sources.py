"""The files an app reads besides its framework's own: the sources outside its folder.

Two ways an app in a workspace gets its environment from elsewhere, both
read statically (nothing is run, nothing imported):

* a package.json script that starts the app through an env-loading wrapper,
  ``dotenv -e ../../.env -- next dev`` (dotenv-cli, as create-t3-turbo
  does), ``dotenvx run -f ../../.env -- vite``, ``env-cmd -f ../.env``.  The
  wrapper puts the files' values into the process environment before the
  framework starts, so they beat the framework's own files and lose to the
  real process environment (unless ``-o`` / ``--overload``);
* a pydantic-settings class whose ``env_file`` points elsewhere
  (``env_file="../.env"``, :mod:`envcheck.schema.settings_source`): those
  files, in that order (later wins), replace the default ``.env``.

Provenance shows the path as written, relative to the app
(``../../.env:3``); a workspace run rewrites it relative to the root.
The common case, an app with neither, costs one read of package.json
searched as bytes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

from envcheck.secret import reveal
from envcheck.sources.profiles import Profile
from envcheck.sources.types import PROCESS_ORIGIN, ParsedFile, Resolution, Resolved

__all__ = ["apps_reading", "resolve_app", "wrapper_files"]

# wrapper tool -> (dialect, profile whose loader reads its files)
_WRAPPERS = {
    "dotenv-cli": ("node", "dotenv-expand"),
    "dotenvx": ("dotenvx", "dotenvx"),
    "env-cmd": ("node", "dotenv"),
}
_HINTS = (b"dotenv", b"env-cmd")


def wrapper_files(directory: Path, profile: Profile, mode: str) -> tuple[list[str], str, bool]:
    """(files as written in load order, tool, overload) of the wrapper that starts the app."""
    if profile.script_tool is not None or profile.resolver is not None:
        return [], "", False  # node / deno / compose read their own commands
    package = directory / "package.json"
    try:
        data = package.read_bytes()
    except OSError:
        return [], "", False
    if not any(hint in data for hint in _HINTS):
        return [], "", False
    from envcheck.sources.scripts import pick, read_scripts

    invocations = read_scripts(directory).invocations
    for tool in _WRAPPERS:
        if tool == "dotenvx" and profile.name.startswith("dotenvx"):
            continue  # the profile is dotenvx itself
        chosen = pick(invocations, tool, mode)
        if chosen is not None and chosen.files:
            return list(chosen.files), tool, chosen.overload
    return [], "", False


def _own(profile: Profile, mode: str) -> set[str]:
    return set(profile.candidates(mode))


def _layer(
    directory: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
) -> tuple[list[ParsedFile], dict[str, Resolved], bool]:
    from envcheck.sources.profiles import get_profile
    from envcheck.sources.resolve import parse_file

    files, tool, overload = wrapper_files(directory, profile, mode)
    if not files:
        return [], {}, False
    dialect, loader_profile = _WRAPPERS[tool]
    own = _own(profile, mode)
    parsed: list[ParsedFile] = []
    for name in files:
        shown = posixpath.normpath(name) if not Path(name).is_absolute() else name
        if shown in own:
            continue  # the framework reads it anyway
        result = parse_file(directory / name, shown, dialect)
        if result is not None:
            parsed.append(result)
    if not parsed:
        return [], {}, False
    order = list(reversed(parsed)) if overload else parsed  # highest priority first
    load = get_profile(loader_profile).load_function()
    loaded = load(order, {} if overload else process_env, mode=mode)
    return order, loaded.vars, overload


def resolve_app(
    directory: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    *,
    dialect: str | None = None,
    services: Sequence[str] = (),
) -> Resolution:
    """:func:`envcheck.sources.resolve.resolve`, plus the files the app reads from elsewhere."""
    from envcheck.sources.resolve import resolve

    if profile.name == "pydantic-settings":
        from envcheck.schema.settings_source import static_env_files

        found = static_env_files(directory)
        if found is not None:
            existing = [directory / f for f in found.files if (directory / f).is_file()]
            if not existing:
                return Resolution(profile.name, profile.effective_mode(mode, process_env))
            return resolve(
                directory, profile, mode, process_env, env_files=existing, dialect=dialect
            )
    parsed, layer, overload = _layer(directory, profile, mode, process_env)
    if not layer and not parsed:
        return resolve(directory, profile, mode, process_env, dialect=dialect, services=services)
    injected = {k: reveal(r.value) for k, r in layer.items() if not r.origin.is_process}
    seen = {**process_env, **injected} if overload else {**injected, **process_env}
    resolution = resolve(directory, profile, mode, seen, dialect=dialect, services=services)
    patched: set[str] = set()
    for key, res in list(resolution.vars.items()):
        ours = layer.get(key)
        if ours is None or not res.origin.is_process:
            continue
        if ours.origin.is_process:  # the real process environment beats the wrapper's file too
            res.shadowed[:0] = [o for o in ours.shadowed if o not in res.shadowed]
            continue
        files_shadowed = [o for o in res.shadowed if not o.is_process]
        shadowed = [*ours.shadowed, *files_shadowed]
        if key in process_env and PROCESS_ORIGIN not in shadowed:
            shadowed.append(PROCESS_ORIGIN)
        resolution.vars[key] = Resolved(key, res.value, ours.origin, shadowed, ours.raw, ours.entry)
        patched.add(key)
    for key, ours in layer.items():
        if key not in resolution.vars:
            resolution.vars[key] = ours
            if not ours.origin.is_process:
                patched.add(key)
    resolution.notes = [
        n for n in resolution.notes if not (n.kind == "process-shadows-file" and n.key in patched)
    ]
    resolution.parsed[:0] = parsed
    resolution.files[:0] = [p.path for p in parsed]
    return resolution


def outside_files(directory: Path, profile: Profile, mode: str) -> list[str]:
    """The files, as written, that the app reads from outside its framework's own set."""
    if profile.name == "pydantic-settings":
        from envcheck.schema.settings_source import static_env_files

        found = static_env_files(directory)
        if found is not None:
            return list(found.files)
    return wrapper_files(directory, profile, mode)[0]


def apps_reading(root: Path, names: Sequence[str]) -> list[str]:
    """The apps (paths from the root) that read one of the root's files ``names``."""
    import os

    from envcheck.sources.detect import detect
    from envcheck.sources.profiles import get_profile
    from envcheck.workspace.discover import discover

    workspace = discover(root)
    if workspace is None:
        return []
    wanted = {os.path.normpath(os.path.join(os.path.abspath(root), n)) for n in names}
    readers: list[str] = []
    for app in workspace.apps:
        profile = get_profile(detect(app.directory))
        base = os.path.abspath(app.directory)
        for name in outside_files(app.directory, profile, "development"):
            if os.path.normpath(os.path.join(base, name)) in wanted:
                readers.append(app.path)
                break
    return readers
