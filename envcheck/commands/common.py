"""Options every project-reading command shares, and the project they load.

``project_options`` adds ``--dir/--framework/--mode/--dialect/--env-file/
--no-process-env``; ``load_project`` turns them into a :class:`Project`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from envcheck.model import Record
from envcheck.secret import Secret
from envcheck.sources.detect import detect
from envcheck.sources.profiles import PROFILES, Profile, get_profile
from envcheck.sources.readers import DIALECTS
from envcheck.sources.resolve import resolve
from envcheck.sources.types import PROCESS_ORIGIN, Resolution, Resolved

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_MODE = "development"


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


def project_options(func: F) -> F:
    """Decorate a click command with the shared project options."""
    options = [
        click.option(
            "--dir",
            "-C",
            "project_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Project directory (default: the current directory).",
        ),
        click.option(
            "--framework",
            "-f",
            type=click.Choice(["auto", *PROFILES]),
            default="auto",
            show_default=True,
            help="Whose loading rules to apply; auto reads package.json / pyproject.toml.",
        ),
        click.option(
            "--mode",
            "-m",
            default=None,
            help="Mode (development, production, test, ...); default: $NODE_ENV, else development.",
        ),
        click.option(
            "--dialect",
            type=click.Choice(sorted(DIALECTS)),
            default=None,
            help="Override the framework's parser.",
        ),
        click.option(
            "--env-file",
            "env_files",
            multiple=True,
            type=click.Path(dir_okay=False, path_type=Path),
            help="Load exactly these files (repeatable) instead of discovering them.",
        ),
        click.option(
            "--no-process-env",
            is_flag=True,
            default=False,
            help="Ignore the process environment (check the files alone).",
        ),
        click.option(
            "--no-code",
            is_flag=True,
            default=False,
            help="Do not read the app's source code (no EC9xx, no env files the code loads).",
        ),
        click.option(
            "--service",
            "services",
            multiple=True,
            metavar="NAME",
            help="compose: the service(s) to check (repeatable; default: every service).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def choose_mode(profile: Profile, requested: str | None, environ: Mapping[str, str]) -> str:
    """The mode asked for: ``--mode``, else the profile's mode variable, else development.

    The framework may still override it (Next.js forces ``test`` when
    ``NODE_ENV=test``); :func:`envcheck.sources.resolve.resolve` applies that.
    """
    if requested:
        return requested
    for var in profile.mode_vars:
        if environ.get(var):
            return environ[var]
    return DEFAULT_MODE


def load_project(
    *,
    project_dir: Path | None = None,
    framework: str = "auto",
    mode: str | None = None,
    dialect: str | None = None,
    env_files: tuple[Path, ...] = (),
    no_process_env: bool = False,
    no_code: bool = False,
    environ: Mapping[str, str] | None = None,
    services: tuple[str, ...] = (),
    files: bool = True,
    declared: Collection[str] = (),
    case_sensitive: bool = True,
    target: str | None = None,
    phase: str | None = None,
    **_: Any,
) -> Project:
    """Resolve the project as its framework would; raises EnvcheckError for the user.

    ``files=False`` reads no env file: the resolution is the process
    environment alone (what an orchestrator injected into a container).
    ``declared`` are the keys the schema knows: each one the process sets
    and no file defines joins the resolution with source ``process``, so
    every command sees it as the app does (the container case, where the
    keys come only from ``docker run -e`` or CI secrets).
    """
    directory = project_dir or Path.cwd()
    process_env: Mapping[str, str] = (
        {} if no_process_env else dict(os.environ if environ is None else environ)
    )
    real_environ = os.environ if environ is None else environ
    profile = get_profile(detect(directory) if framework == "auto" else framework)
    chosen = choose_mode(profile, mode or ("production" if target else None), real_environ)
    if target:  # the deploy manifest instead of env files and shell (envcheck.targets)
        from envcheck.targets.resolve import target_resolution

        resolution = target_resolution(
            directory, profile, target, chosen, declared=declared, environ=real_environ, phase=phase
        )
        process_env = {}
    elif files and not env_files:
        from envcheck.workspace.sources import resolve_app  # + files read from outside the app

        resolution = resolve_app(
            directory,
            profile,
            chosen,
            process_env,
            dialect=dialect,
            services=services,
            code=not no_code,
        )
    elif files:
        resolution = resolve(
            directory,
            profile,
            chosen,
            process_env,
            env_files=[f if f.is_absolute() else Path.cwd() / f for f in env_files],
            dialect=dialect,
            services=services,
            named_files=True,  # the user's --env-file: may lie outside the project
        )
    else:
        resolution = Resolution(
            profile.name,
            chosen,
            vars={k: Resolved(k, Secret(v), PROCESS_ORIGIN) for k, v in process_env.items()},
        )
    if files and not no_process_env and _mentions_package_manager_env(resolution):
        # ``npm run dev`` sets npm_package_version before the app's loader expands
        # ``REACT_APP_VERSION=$npm_package_version``: resolve again as the app sees it.
        # (Rare: most projects never pay for reading package.json here.)
        from envcheck.sources.scripts import package_manager_env

        with_npm = package_manager_env(process_env, directory, profile.name)
        if with_npm is not process_env:
            return load_project(
                project_dir=directory,
                framework=profile.name,
                mode=chosen,
                dialect=dialect,
                env_files=env_files,
                environ=with_npm,
                no_code=no_code,
                services=services,
                declared=declared,
                case_sensitive=case_sensitive,
            )
    if phase == "build":  # the Dockerfile's build stage provides build-phase keys
        from envcheck.targets.resolve import add_build_keys

        add_build_keys(resolution, directory)
    if profile.inherits_process:  # docker and compose start the app without the shell's values
        add_declared_process_keys(resolution, declared, process_env, case_sensitive=case_sensitive)
    return Project(directory, profile, resolution.mode, process_env, resolution)


def _mentions_package_manager_env(resolution: Resolution) -> bool:
    from envcheck.sources.scripts import uses_package_manager_env

    return uses_package_manager_env(e.value for f in resolution.parsed for e in f.entries)


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
