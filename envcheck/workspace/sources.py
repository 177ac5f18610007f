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
  files, in that order (later wins), replace the default ``.env``;
* the app's own code loading a file (:class:`envcheck.code.EnvLoad`):
  ``dotenv.config({ path: "../../.env" })``, NestJS ``envFilePath``, Vite
  ``envDir`` / ``loadEnv(mode, dir)``, ``load_dotenv(path)``.  Each file is
  parsed in the dialect of the loader that reads it (:data:`_CODE_LOADERS`)
  and *fills in* under the framework's files and the process environment:
  such a call runs after the framework loaded its own files, and none of
  these loaders overrides a variable already set.  A path that leaves the
  project root is never read; it becomes an ``unreadable`` note (EC109)
  naming the call.

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
from envcheck.sources.checkout import read_bytes
from envcheck.sources.profiles import Profile
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    LoadRequest,
    ParsedFile,
    Problem,
    Resolution,
    Resolved,
)

__all__ = ["code_files", "resolve_app", "wrapper_files"]

# wrapper tool -> (dialect, profile whose loader reads its files)
_WRAPPERS = {
    "dotenv-cli": ("node", "dotenv-expand"),
    "dotenvx": ("dotenvx", "dotenvx"),
    "env-cmd": ("node", "dotenv"),
}
_HINTS = (b"dotenv", b"env-cmd")
# code loader (EnvLoad.loader) -> (dialect, profile whose loader and file names apply)
_CODE_LOADERS = {
    "dotenv": ("node", "dotenv"),
    "nestjs": ("node", "dotenv"),
    "dotenv-flow": ("node", "dotenv-flow"),
    "@next/env": ("node", "nextjs"),
    "vite-envDir": ("nodeutil", "vite"),
    "vite-loadEnv": ("nodeutil", "vite"),
    "python-dotenv": ("python", "python-dotenv"),
    "django-environ": ("python", "python-dotenv"),
}


def wrapper_files(directory: Path, profile: Profile, mode: str) -> tuple[list[str], str, bool]:
    """(files as written in load order, tool, overload) of the wrapper that starts the app."""
    if profile.script_tool is not None or profile.resolver is not None:
        return [], "", False  # node / deno / compose read their own commands
    package = directory / "package.json"
    try:
        data = read_bytes(package, within=directory)
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
) -> tuple[list[ParsedFile], dict[str, Resolved], bool, list[Problem]]:
    """The wrapper's files parsed, its values, overload, and the files refused unread."""
    from envcheck.sources.checkout import named_path_problem
    from envcheck.sources.profiles import get_profile
    from envcheck.sources.resolve import parse_file

    files, tool, overload = wrapper_files(directory, profile, mode)
    refused = [
        Problem("unreadable", f"the {tool} command in a script {why}", "package.json")
        for name in files
        if (why := named_path_problem(name, directory)) is not None
    ]
    files = [f for f in files if named_path_problem(f, directory) is None]
    if not files:
        return [], {}, False, refused
    dialect, loader_profile = _WRAPPERS[tool]
    own = _own(profile, mode)
    parsed: list[ParsedFile] = []
    for name in files:
        shown = posixpath.normpath(name) if not Path(name).is_absolute() else name
        if shown in own:
            continue  # the framework reads it anyway
        result = parse_file(directory / name, shown, dialect, within=directory)
        if result is not None:
            parsed.append(result)
    if not parsed:
        return [], {}, False, refused
    order = list(reversed(parsed)) if overload else parsed  # highest priority first
    request = LoadRequest(order, {} if overload else process_env, mode)  # files from elsewhere
    loaded = get_profile(loader_profile).load(request)
    return order, loaded.vars, overload, refused


def resolve_app(
    directory: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    *,
    dialect: str | None = None,
    services: Sequence[str] = (),
    code: bool = True,
) -> Resolution:
    """:func:`envcheck.sources.resolve.resolve`, plus the files the app reads from elsewhere.

    ``code=False`` (``--no-code``): the files the app's code loads are not looked for.
    """
    resolution = _resolve_app(directory, profile, mode, process_env, dialect, services)
    if code and profile.inherits_process and profile.resolver is None:
        _add_code_layer(resolution, directory, profile, mode, process_env)
    return resolution


def code_files(
    directory: Path, profile: Profile, mode: str
) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """The files the app's code loads in ``mode``: (path as seen from the app, dialect,
    loader profile) in load order, without the framework's own; and the refused ones."""
    from envcheck.sources.checkout import named_path_problem
    from envcheck.sources.profiles import get_profile
    from envcheck.workspace.apps import package_facts

    facts = package_facts(directory)
    if not facts.loads:
        return [], []
    own = _own(profile, mode)
    files: list[tuple[str, str, str]] = []
    refused: list[Problem] = []
    seen: set[str] = set()
    for load in facts.loads:
        known = _CODE_LOADERS.get(load.loader)
        if known is None or not load.resolved:
            continue
        dialect, loader_profile = known
        paths = list(load.paths_for(mode))
        if load.target == "dir":
            names = get_profile(loader_profile).candidates(mode)
            paths = [posixpath.normpath(posixpath.join(d, n)) for d in paths for n in names]
        for path in paths:
            why = named_path_problem(path, directory)
            if why is not None:
                refused.append(
                    Problem("unreadable", f"the {load.loader} call {why}", load.file, load.line,
                            load.col)
                )  # fmt: skip
                continue
            if path in own or path in seen:
                continue
            if load.target == "search" and not (directory / path).is_file():
                continue  # find_dotenv: the first one that exists
            seen.add(path)
            files.append((path, dialect, loader_profile))
            if load.target == "search":
                break
    return files, refused


def _add_code_layer(
    resolution: Resolution,
    directory: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
) -> None:
    """Fill in the keys the files the code loads define, under everything already there."""
    from envcheck.sources.profiles import get_profile
    from envcheck.sources.resolve import parse_file

    files, refused = code_files(directory, profile, resolution.mode or mode)
    resolution.notes.extend(refused)
    already = set(resolution.files)
    for path, dialect, loader_profile in files:
        if path in already:
            continue
        parsed = parse_file(directory / path, path, dialect, within=directory)
        if parsed is None:
            continue  # dotenv.config on a file that is not there loads nothing
        already.add(path)
        loaded = get_profile(loader_profile).load(LoadRequest([parsed], process_env, mode))
        for key, ours in loaded.vars.items():
            if ours.origin.is_process:
                continue
            present = resolution.vars.get(key)
            if present is None:
                resolution.vars[key] = ours
            elif ours.origin not in present.shadowed:
                present.shadowed.append(ours.origin)
        resolution.parsed.append(parsed)
        resolution.files.append(path)


def _resolve_app(
    directory: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    dialect: str | None,
    services: Sequence[str],
) -> Resolution:
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
    parsed, layer, overload, refused = _layer(directory, profile, mode, process_env)
    if not layer and not parsed:
        resolution = resolve(
            directory, profile, mode, process_env, dialect=dialect, services=services
        )
        resolution.notes[:0] = refused
        return resolution
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
    resolution.notes = refused + [
        n for n in resolution.notes if not (n.kind == "process-shadows-file" and n.key in patched)
    ]
    resolution.parsed[:0] = parsed
    resolution.files[:0] = [p.path for p in parsed]
    return resolution


def outside_files(directory: Path, profile: Profile, mode: str, *, code: bool = True) -> list[str]:
    """The files, as written, that the app reads from outside its framework's own set:
    a settings class's or a wrapper's, then those its code loads."""
    named: list[str] = []
    if profile.name == "pydantic-settings":
        from envcheck.schema.settings_source import static_env_files

        found = static_env_files(directory)
        if found is not None:
            named = list(found.files)
    if not named:
        named = wrapper_files(directory, profile, mode)[0]
    if code and profile.inherits_process and profile.resolver is None:
        named += [path for path, _, _ in code_files(directory, profile, mode)[0]]
    return named
