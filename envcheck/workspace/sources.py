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
  ``envDir`` / ``loadEnv(mode, dir)``, ``load_dotenv(path)``, a path whose file name a
  function of the project returns by mode (``path.join(__dirname, "..",
  getEnvFileNameForNodeEnv(process.env.NODE_ENV))``, that function in the app or in a
  workspace library it depends on: :func:`_named_by`).  Each file is
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
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from envcheck.code import CodeFacts, EnvLoad
    from envcheck.workspace.discover import App

__all__ = [
    "code_files",
    "given_by_compose",
    "keys_set_for",
    "resolve_app",
    "run_by_compose",
    "set_where_the_library_runs",
    "wrapper_files",
]

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
    from envcheck.sources.templates import is_schema_template
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
        if known is not None and load.helper is not None:
            from envcheck.code.loads import name_the_file

            choices = _named_by(directory, facts, load)
            if choices is not None:
                load = name_the_file(load, choices)
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
            if path in own or path in seen or is_schema_template(posixpath.basename(path)):
                continue  # a template some code falls back on stays the schema
            if load.target == "search" and not (directory / path).is_file():
                continue  # find_dotenv: the first one that exists
            seen.add(path)
            files.append((path, dialect, loader_profile))
            if load.target == "search":
                break
    return files, refused


def _named_by(directory: Path, facts: CodeFacts, load: EnvLoad) -> dict[str, str] | None:
    """The choices (mode -> file name) of the function a load's path takes its file name
    from (:attr:`envcheck.code.EnvLoad.helper`), read as data where it is defined: the
    load's own file, a file of the app a relative import names, or a workspace library the
    app depends on whose name the import names (novu's ``@novu/shared``).  None when it is
    not found or when two functions of that name choose differently: the load stays
    unresolved, as before."""
    assert load.helper is not None
    module, name = load.helper
    if module == "" or module.startswith("."):
        where = posixpath.normpath(posixpath.join(posixpath.dirname(load.file), module))
        files = {load.file} if module == "" else {where, where + "/index"}
        found = [
            choices
            for file, named, choices in facts.namers
            if named == name and (file if module == "" else posixpath.splitext(file)[0]) in files
        ]
    else:
        from envcheck.workspace.apps import libraries_of, package_facts

        found = [
            choices
            for library in libraries_of(directory)
            if library.name and (module == library.name or module.startswith(library.name + "/"))
            for _, named, choices in package_facts(library.directory).namers
            if named == name
        ]
    if not found or any(choices != found[0] for choices in found):
        return None
    return dict(found[0])


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


_RUN_BY_COMPOSE: dict[tuple[str, str], dict[str, bool]] = {}  # (root, app) -> key: from a file


def _builds(build: object, root: Path, app_rel: str) -> bool:
    """A service's ``build:`` (a context string, or ``context`` / ``dockerfile``) makes the
    image of the app in ``app_rel``: its context is the app's folder, or its Dockerfile
    lies in the app's folder (openstatus: ``context: .``, ``dockerfile:
    apps/server/Dockerfile``).  A Dockerfile at the root builds nothing of one app."""
    if isinstance(build, str):
        context, dockerfile = build, "Dockerfile"
    elif isinstance(build, dict):
        context = build.get("context", ".")
        dockerfile = build.get("dockerfile", "Dockerfile")
        if not isinstance(context, str) or not isinstance(dockerfile, str):
            return False
    else:
        return False
    if "://" in context or context.startswith("/") or dockerfile.startswith("/"):
        return False  # a remote context or a path outside the project: not this checkout
    context_rel = posixpath.normpath(context)
    folder = posixpath.dirname(posixpath.normpath(posixpath.join(context_rel, dockerfile)))
    inside = app_rel + "/"
    return context_rel == app_rel or folder == app_rel or folder.startswith(inside)


def run_by_compose(app_dir: Path, mode: str, process_env: Mapping[str, str]) -> frozenset[str]:
    """The keys the workspace root's compose file gives, with a value, to the services that
    build the app in ``app_dir`` (:func:`given_by_compose`)."""
    return frozenset(given_by_compose(app_dir, mode, process_env))


def given_by_compose(
    app_dir: Path, mode: str, process_env: Mapping[str, str]
) -> Mapping[str, bool]:
    """The keys the workspace root's compose file gives, with a value, to the services that
    build the app in ``app_dir`` (:func:`_builds`): that is the process that runs the app's
    code, and a key its ``env_file:`` or ``environment:`` sets is set where the project
    runs the app, as the app's own Dockerfile ``ENV`` is (``rules.code._set_by_image``).

    openstatus' README fills ``.env.docker``, which the root compose file hands to the
    server, dashboard and workflows services it builds from ``apps/*/Dockerfile``; the
    server's ``CRON_SECRET`` was "set nowhere" for the server because its folder has no
    ``.env``.  A key the service gets empty stays unset (an ``UNKEY_API_ID=`` left blank).
    Only in a run started at the workspace root (the compose file is inside the project);
    read once per app and only when a key is otherwise unset.  Each key says whether a
    file (an ``env_file:``) gave it, not the compose file's own ``environment:``."""
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None:
        return {}
    import os

    app_rel = os.path.relpath(os.path.abspath(app_dir), os.path.abspath(root)).replace(os.sep, "/")
    if app_rel == "." or app_rel.startswith("../"):
        return {}
    memo = (os.path.abspath(root), app_rel)
    found = _RUN_BY_COMPOSE.get(memo)
    if found is None:
        found = _RUN_BY_COMPOSE[memo] = _compose_keys(root, app_rel, mode, process_env)
    return found


def _compose_keys(
    root: Path, app_rel: str, mode: str, process_env: Mapping[str, str]
) -> dict[str, bool]:
    from envcheck.errors import EnvcheckError
    from envcheck.sources import yamlsafe
    from envcheck.sources.checkout import read_text
    from envcheck.sources.loaders.compose import COMPOSE_FILES, find_compose_file, resolve_compose
    from envcheck.sources.profiles import get_profile

    path = find_compose_file(root)
    if path is None:
        return {}
    try:
        data = yamlsafe.load(read_text(path, within=root), path.name, EnvcheckError)
    except (OSError, UnicodeDecodeError, EnvcheckError):
        return {}  # the root's own run reports an unreadable compose file
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return {}
    names = [
        name
        for name, body in services.items()
        if isinstance(name, str)
        and isinstance(body, dict)
        and _builds(body.get("build"), root, app_rel)
    ]
    if not names:
        return {}
    try:
        resolution = resolve_compose(
            root, get_profile("compose"), mode, process_env, services=names
        )
    except EnvcheckError:
        return {}
    return {
        key: posixpath.basename(resolved.origin.source) not in COMPOSE_FILES
        for key, resolved in resolution.vars.items()
        if not resolved.origin.is_process and reveal(resolved.value) != ""
    }


_SETS: dict[tuple[str, bool], frozenset[str]] = {}  # (app folder, code) -> keys its files set
_READS: dict[str, frozenset[tuple[str, str]]] = {}  # absolute app folder -> (key, file) read


def keys_set_for(
    app_dir: Path, mode: str, process_env: Mapping[str, str], *, code: bool = True
) -> frozenset[str]:
    """The keys the env files of the app in ``app_dir`` give a value: those its framework,
    wrapper and code load (not a template), and the ``env_file:`` of the compose service
    that builds it (:func:`run_by_compose`).  Not the compose file's own ``environment:``
    (openstatus' ``DATABASE_URL=http://libsql:8080``): a container-network address that
    configures the library for that service only.  ``code=False``: not the files its code
    loads (the caller must not scan another app's folder).  Memoized per app."""
    import os

    memo = (os.path.abspath(app_dir), code)
    found = _SETS.get(memo)
    if found is None:
        from envcheck.errors import EnvcheckError
        from envcheck.sources.detect import detect
        from envcheck.sources.profiles import choose_mode, get_profile
        from envcheck.sources.templates import is_template

        try:
            profile = get_profile(detect(app_dir))
            chosen = choose_mode(profile, None, process_env)
            resolution = resolve_app(app_dir, profile, chosen, process_env, code=code)
        except EnvcheckError:
            resolution = None
        given = given_by_compose(app_dir, mode, process_env)
        keys = {key for key, from_file in given.items() if from_file}
        if resolution is not None:
            keys.update(
                key
                for key, resolved in resolution.vars.items()
                if not resolved.origin.is_process
                and not is_template(posixpath.basename(resolved.origin.source))
                and reveal(resolved.value) != ""
            )
        found = _SETS[memo] = frozenset(keys)
    return found


def _named_by_imports(me: App, libraries: Sequence[App], wanted: set[str]) -> bool:
    """One of the files ``wanted`` (absolute) is reached by the app's imports themselves,
    not only by the walk's over-approximations (:func:`envcheck.workspace.reach.reachable`
    with ``guessed=False``): the app runs that code, and its read is the app's to set."""
    import os

    from envcheck.workspace.apps import _package_json, package_facts
    from envcheck.workspace.reach import ALL, reachable

    strict = reachable(
        me,
        libraries,
        lambda package: package_facts(package.directory),
        lambda package: _package_json(package.directory),
        guessed=False,
    )
    for library in libraries:
        files = strict.get(library.path, frozenset())
        base = os.path.abspath(library.directory)
        if files is ALL or any(os.path.join(base, f) in wanted for f in files):
            return True
    return False


def set_where_the_library_runs(
    app_dir: Path, key: str, files: Sequence[str], mode: str, process_env: Mapping[str, str]
) -> bool:
    """``key``, read with no default only in the workspace library files ``files`` (as the
    app in ``app_dir`` names them: ``../../packages/db/env.mjs``), is given a value by
    another app of the run whose code reaches the same files: the library is configured
    where the project runs it, and charging the key to this app is a guess.

    The reachability walk (:mod:`envcheck.workspace.reach`) over-approximates on purpose
    (every component of a Vue library the app reaches counts; an import it cannot resolve
    makes the whole package count), so an app holds reads of code it may never run:
    hoppscotch's desktop shell reaches ``hoppscotch-common``'s login dialog, which the
    self-hosted web app runs with the root ``.env`` its ``envDir`` loads.  Only such reads
    are given to the app that configures them: a read in a file the app's own imports
    name (:func:`_named_by_imports`) is the app's, whoever else sets the key (midday's
    dashboard importing the banking env the API configures is told), and so is a read in
    the app's own code.  A key the other app also leaves unset or empty is still reported
    (midday's ``DATABASE_PRIMARY_URL``, empty in every ``.env`` the README writes).
    Only in a run at the workspace root; the other apps' code and env are read once per
    process, and only for a key that is otherwise reported."""
    import os

    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None or not files or not all(f.startswith("../") for f in files):
        return False
    from envcheck.workspace.apps import (
        NOT_CHECKED,
        _closures,
        app_facts,
        classify,
        package_at,
        workspace_of_run,
    )

    workspace = workspace_of_run(app_dir)
    me = None if workspace is None else package_at(workspace, app_dir)
    if workspace is None or me is None:
        return False
    wanted = {os.path.normpath(os.path.join(os.path.abspath(app_dir), f)) for f in files}
    holders = {
        lib.path
        for lib in _closures(workspace)[me.path]
        if any(w.startswith(os.path.abspath(lib.directory) + os.sep) for w in wanted)
    }
    if not holders or _named_by_imports(me, _closures(workspace)[me.path], wanted):
        return False
    closures = _closures(workspace)
    for package in classify(workspace):
        other = package.app
        if other.path == me.path or package.kind in NOT_CHECKED:  # the apps `check` runs
            continue
        if holders.isdisjoint(lib.path for lib in closures[other.path]):
            continue
        reached = _READS.get(os.path.abspath(other.directory))
        if reached is None:
            base = os.path.abspath(other.directory)
            reached = _READS[base] = frozenset(
                (read.key, os.path.normpath(os.path.join(base, read.file)))
                for read in app_facts(other.directory).reads
                if read.key is not None
            )
        if any((key, file) in reached for file in wanted) and key in keys_set_for(
            other.directory, mode, process_env
        ):
            return True
    return False
