"""The nouns every command shares: what the user asked for, the config, the loaded project.

:class:`ProjectOptions` is the command line's say on how to load the
project (``--dir``, ``--framework``, ``--mode``, ``--env-file``, ...), frozen
so that it travels through the layers as one typed value and can be sent to
a worker process.  :func:`load_config` reads the project's schema and
settings into a :class:`Config`; :func:`load_project` resolves the
environment the app will see into a :class:`Project`.  No click, no
printing: the commands and the editor server build the options, the engine
(:mod:`envcheck.engine`) takes it from here.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError
from envcheck.model import FrozenRecord, Record
from envcheck.secret import Secret
from envcheck.sources.detect import detect
from envcheck.sources.profiles import DEFAULT_MODE, Profile, choose_mode, get_profile
from envcheck.sources.resolve import resolve
from envcheck.sources.types import PROCESS_ORIGIN, Resolution, Resolved

__all__ = [
    "DEFAULT_MODE",
    "Config",
    "Project",
    "ProjectOptions",
    "add_declared_process_keys",
    "choose_mode",
    "load_config",
    "load_project",
    "set_project_root",
    "workspace_root",
]

_PACKAGE_MANAGER_VARS = "npm_package_"  # what a package manager's script sets (sources.scripts)
MAX_UP = 3
"""How many folders above the checked directory a workspace root may be
(``apps/web`` -> the root is two up), as :mod:`envcheck.workspace.context`."""


def _is_repository_top(directory: Path) -> bool:
    return os.path.lexists(directory / ".git")


def _shares_files(directory: Path) -> bool:
    """An undeclared layout's root is a workspace root only when it holds what apps share.

    ``backend/`` + ``frontend/`` beside one ``.env`` (full-stack-fastapi-template)
    is an app pair; a folder of unrelated projects (``~/src``) is not, so a
    download unpacked there cannot reach its neighbours.
    """
    return any(os.path.lexists(directory / n) for n in (".git", "envcheck.toml", ".env"))


def workspace_root(checked: Path) -> Path:
    """``checked``, or the workspace root above it (at most :data:`MAX_UP` up): the root
    every read of a run for ``checked`` must stay in.

    Decided here, above the reader (:mod:`envcheck.sources.checkout` only keeps
    reads inside the root it is given) and above :mod:`envcheck.workspace.markers`,
    whose marker files are read through that reader.  Never above a
    repository's top (a folder holding ``.git``): a clone is the checkout, what
    lies around it is not.  A declared workspace (pnpm, npm/yarn/bun
    workspaces, turbo, Nx, uv) counts at any of those levels; an undeclared
    folder layout only as the direct parent, and only when it holds what its
    apps share (:func:`_shares_files`).
    """
    from envcheck.workspace import markers

    start = Path(os.path.realpath(checked))
    best = current = start
    if _is_repository_top(start):
        return start
    for _ in range(MAX_UP):
        parent = current.parent
        if parent == current:
            break
        layout = current == start and _shares_files(parent)  # only then may folders count
        if markers.workspace_kind(parent, folders=layout) is not None:
            best = parent
        if _is_repository_top(parent):
            break
        current = parent
    return best


def set_project_root(checked: Path) -> Path:
    """Start a run for ``checked``: its reads stay inside :func:`workspace_root`.

    Called once by each command (and the editor server, per check) before it
    reads anything; it also starts the reader's per-run cache
    (:func:`envcheck.sources.checkout.set_project_root`).  Returns the root.
    """
    from envcheck.sources import checkout

    return checkout.set_project_root(checked, workspace_root(checked))


def _ensure_run(directory: Path) -> None:
    """A library caller of :func:`load_project` with no run around it gets one here,
    so an app of a monorepo still reads its root's files (``../../.env``)."""
    from envcheck.sources import checkout

    root = checkout.run_root()
    if root is None or not checkout.inside_project(directory, root):
        set_project_root(directory)


class ProjectOptions(FrozenRecord):
    """How the user asked for the project to be loaded (the command line, trusted).

    ``project_dir`` None is the working directory; ``framework`` ``auto``
    detects it; ``mode`` None is the profile's mode variable, else
    development; ``env_files`` replaces discovery; ``process_env`` False is
    ``--no-process-env``; ``code`` False is ``--no-code``; ``target`` and
    ``phase`` load a deploy target's manifest instead of the env files.
    """

    __slots__ = (
        "project_dir",
        "framework",
        "mode",
        "dialect",
        "env_files",
        "process_env",
        "code",
        "services",
        "target",
        "phase",
    )
    project_dir: Path | None
    framework: str
    mode: str | None
    dialect: str | None
    env_files: tuple[Path, ...]
    process_env: bool
    code: bool
    services: tuple[str, ...]
    target: str | None
    phase: str | None

    def __init__(
        self,
        project_dir: Path | None = None,
        framework: str = "auto",
        mode: str | None = None,
        dialect: str | None = None,
        env_files: tuple[Path, ...] = (),
        process_env: bool = True,
        code: bool = True,
        services: tuple[str, ...] = (),
        target: str | None = None,
        phase: str | None = None,
    ) -> None:
        object.__setattr__(self, "project_dir", project_dir)
        object.__setattr__(self, "framework", framework)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "dialect", dialect)
        object.__setattr__(self, "env_files", tuple(env_files))
        object.__setattr__(self, "process_env", process_env)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "services", tuple(services))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "phase", phase)

    @property
    def directory(self) -> Path:
        """The project directory: the one given, else the working directory."""
        return self.project_dir or Path.cwd()


class Project(Record):
    """A project as its framework loads it: directory, profile, mode and resolution."""

    __slots__ = ("project_dir", "profile", "mode", "process_env", "resolution")
    _not_shown = ("process_env",)  # the raw environment: never in a repr
    project_dir: Path
    profile: Profile
    mode: str
    process_env: Mapping[str, str]
    resolution: Resolution

    def __init__(
        self,
        project_dir: Path,
        profile: Profile,
        mode: str,
        process_env: Mapping[str, str],
        resolution: Resolution,
    ) -> None:
        self.project_dir = project_dir
        self.profile = profile
        self.mode = mode
        self.process_env = process_env
        self.resolution = resolution


class Config(Record):
    """The project's schema and envcheck settings (envcheck.toml, pyproject, .env.example)."""

    __slots__ = ("schema", "select", "ignore", "strict", "framework", "mode", "extra")
    schema: Any
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    strict: bool
    framework: str | None
    mode: str | None
    extra: dict[str, Any]

    def __init__(
        self,
        schema: Any = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        strict: bool = False,
        framework: str | None = None,
        mode: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.select = select
        self.ignore = ignore
        self.strict = strict
        self.framework = framework
        self.mode = mode
        self.extra = {} if extra is None else extra

    def rules(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The config's ``select`` and ``ignore``, each checked against the rules.

        Here rather than when the config is read: ``explain`` reads the same
        config and runs no rule, so it never imports one.  A selector that
        matches no rule is an error naming the config file.
        """
        from envcheck.rules.registry import validate_selectors

        where = getattr(self.schema, "config_file", None) or getattr(self.schema, "source", None)
        for name, selectors in (("select", self.select), ("ignore", self.ignore)):
            try:
                validate_selectors(selectors, name)
            except ConfigError as err:
                raise ConfigError(err.message, where=where, hint=err.hint) from None
        return self.select, self.ignore

    @property
    def declared(self) -> tuple[str, ...]:
        """The keys the schema declares (none without a schema)."""
        return tuple(getattr(self.schema, "keys", None) or ())

    @property
    def case_sensitive(self) -> bool:
        """A pydantic-settings schema matches key names in any case."""
        return bool(getattr(self.schema, "case_sensitive", True))

    def applied_to(self, options: ProjectOptions) -> ProjectOptions:
        """``options`` with the config's framework and mode where the command line gave none."""
        changes: dict[str, Any] = {}
        if options.framework == "auto" and self.framework:
            changes["framework"] = self.framework
        if not options.mode and self.mode:
            changes["mode"] = self.mode
        return options.replace(**changes) if changes else options


def load_config(project_dir: Path, settings: str | None = None) -> Config:
    """Read the schema and settings: the app's own, else its workspace root's, else none."""
    from envcheck.schema.load import load_schema

    schema = load_schema(project_dir, settings=settings)
    if schema is None:
        from envcheck.workspace.context import root_schema

        schema = root_schema(project_dir, load_schema)  # an app of a monorepo: the root's
    if schema is None:
        return Config()
    select = tuple(getattr(schema, "select", ()) or ())
    if getattr(schema, "allow_unknown", None) is False:
        select += ("unknown-key",)  # the schema closes the key set
    return Config(
        schema=schema,
        select=select,
        ignore=tuple(getattr(schema, "ignore", ()) or ()),
        strict=bool(getattr(schema, "strict", False)),
        framework=getattr(schema, "framework", None),
        mode=getattr(schema, "mode", None),
    )


def load_project(
    options: ProjectOptions,
    *,
    environ: Mapping[str, str] | None = None,
    files: bool = True,
    declared: Collection[str] = (),
    case_sensitive: bool = True,
) -> Project:
    """Resolve the project as its framework would; raises EnvcheckError for the user.

    ``environ`` is the process environment (default: this process's).
    ``files=False`` reads no env file: the resolution is the process
    environment alone (what an orchestrator injected into a container).
    ``declared`` are the keys the schema knows: each one the process sets
    and no file defines joins the resolution with source ``process``, so
    every command sees it as the app does (the container case, where the
    keys come only from ``docker run -e`` or CI secrets).
    """
    directory = options.directory
    _ensure_run(directory)
    real_environ = os.environ if environ is None else environ
    process_env: Mapping[str, str] = dict(real_environ) if options.process_env else {}
    framework = options.framework
    profile = get_profile(detect(directory) if framework == "auto" else framework)
    requested = options.mode or ("production" if options.target else None)
    chosen = choose_mode(profile, requested, real_environ)
    if options.target:  # the deploy manifest instead of env files and shell (envcheck.targets)
        from envcheck.targets.resolve import target_resolution

        resolution = target_resolution(
            directory,
            profile,
            options.target,
            chosen,
            declared=declared,
            environ=real_environ,
            phase=options.phase,
        )
        process_env = {}
    elif files and not options.env_files:
        from envcheck.workspace.sources import resolve_app  # + files read from outside the app

        resolution = resolve_app(
            directory,
            profile,
            chosen,
            process_env,
            dialect=options.dialect,
            services=options.services,
            code=options.code,
        )
    elif files:
        resolution = resolve(
            directory,
            profile,
            chosen,
            process_env,
            env_files=[f if f.is_absolute() else Path.cwd() / f for f in options.env_files],
            dialect=options.dialect,
            services=options.services,
            named_files=True,  # the user's --env-file: may lie outside the project
        )
    else:
        resolution = Resolution(
            profile.name,
            chosen,
            vars={k: Resolved(k, Secret(v), PROCESS_ORIGIN) for k, v in process_env.items()},
        )
    if files and options.process_env and _mentions_package_manager_env(resolution):
        # ``npm run dev`` sets npm_package_version before the app's loader expands
        # ``REACT_APP_VERSION=$npm_package_version``: resolve again as the app sees it.
        # (Rare: most projects never pay for reading package.json here.)
        from envcheck.sources.scripts import package_manager_env

        with_npm = package_manager_env(process_env, directory, profile.name)
        if with_npm is not process_env:
            again = ProjectOptions(
                project_dir=directory,
                framework=profile.name,
                mode=chosen,
                dialect=options.dialect,
                env_files=options.env_files,
                code=options.code,
                services=options.services,
            )
            return load_project(
                again, environ=with_npm, declared=declared, case_sensitive=case_sensitive
            )
    if options.phase == "build":  # the Dockerfile's build stage provides build-phase keys
        from envcheck.targets.resolve import add_build_keys

        add_build_keys(resolution, directory)
    if profile.inherits_process:  # docker and compose start the app without the shell's values
        add_declared_process_keys(resolution, declared, process_env, case_sensitive=case_sensitive)
    return Project(directory, profile, resolution.mode, process_env, resolution)


def load(
    options: ProjectOptions,
    config: Config,
    *,
    environ: Mapping[str, str] | None = None,
    files: bool = True,
) -> Project:
    """:func:`load_project` as the config shapes it: its framework and mode where the
    command line gave none, and its declared keys (joined from the process)."""
    return load_project(
        config.applied_to(options),
        environ=environ,
        files=files,
        declared=config.declared,
        case_sensitive=config.case_sensitive,
    )


def _mentions_package_manager_env(resolution: Resolution) -> bool:
    """Whether any value refers to a variable the package manager sets (cheap: a substring;
    here, so that a run without one never imports :mod:`envcheck.sources.scripts`)."""
    return any(_PACKAGE_MANAGER_VARS in e.value for f in resolution.parsed for e in f.entries)


def add_declared_process_keys(
    resolution: Resolution,
    declared: Collection[str],
    process_env: Mapping[str, str],
    *,
    case_sensitive: bool = True,
) -> None:
    """Add each declared key that only the process environment sets, as ``process``.

    A case-insensitive schema (a pydantic-settings class) finds ``openai_api_key``
    under any spelling the process uses, as pydantic-settings itself does.
    """
    if not declared or not process_env:
        return
    present = resolution.vars
    if case_sensitive:
        names = [k for k in declared if k not in present and k in process_env]
    else:
        wanted = {k.upper() for k in declared} - {k.upper() for k in present}
        names = [k for k in process_env if k.upper() in wanted]
    for name in names:
        present[name] = Resolved(name, Secret(process_env[name]), PROCESS_ORIGIN)


def files_to_lint(directory: Path) -> list[Path]:
    """What ``lint`` checks when given no file: the live env files here (no templates)."""
    from envcheck.rules.envfiles import env_file_names, is_template

    base = directory if directory != Path.cwd() else Path()
    names = env_file_names(directory, any_kind=True)  # a directory .env is a finding (EC109)
    return [base / n for n in names if not is_template(n)]


def files_to_guard(directory: Path) -> list[Path]:
    """What ``guard`` checks when given no file: the env files here, templates included."""
    from envcheck.rules.envfiles import env_file_names, template_names

    names = dict.fromkeys([*env_file_names(directory), *template_names(directory)])
    base = directory if directory != Path.cwd() else Path()
    return [base / n for n in names]
