"""Options every project-reading command shares, and how they become ProjectOptions.

``project_options`` adds ``--dir/--framework/--mode/--dialect/--env-file/
--no-process-env/--no-code/--service``; :func:`options_from` turns their
values into the frozen :class:`~envcheck.project.ProjectOptions` the core
takes (:func:`envcheck.project.load_project`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from envcheck.project import ProjectOptions
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers import DIALECTS

F = TypeVar("F", bound=Callable[..., Any])


def project_options(func: F) -> F:
    """Decorate a click command with the shared project options."""
    import click  # the command line's fast path (envcheck.cli) runs without click

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


def options_from(opts: Mapping[str, Any]) -> ProjectOptions:
    """The :class:`~envcheck.project.ProjectOptions` of :func:`project_options`' (and
    ``--target`` / ``--phase``'s) values, as click hands them to a command."""
    return ProjectOptions(
        project_dir=opts.get("project_dir"),
        framework=opts.get("framework") or "auto",
        mode=opts.get("mode"),
        dialect=opts.get("dialect"),
        env_files=tuple(opts.get("env_files") or ()),
        process_env=not opts.get("no_process_env"),
        code=not opts.get("no_code"),
        services=tuple(opts.get("services") or ()),
        target=opts.get("target"),
        phase=opts.get("phase"),
    )


def named_env_files(paths: list[Path]) -> list[Path]:
    """The FILES a user or a hook named that are env files; each other one is said on stderr.

    The pre-commit hooks' pattern ``(^|/)\\.env(\\.[^/]*)?$`` also passes a patch such as
    ``.env.vault.diff`` (:func:`envcheck.sources.templates.not_an_env_file`); lint and guard
    skip it as their own discovery does, so a run given the files agrees with one without.
    """
    import click

    from envcheck.report.sanitize import for_terminal
    from envcheck.sources.templates import not_an_env_file

    kept = []
    for path in paths:
        if not_an_env_file(path.name):
            kind = path.name.rsplit(".", 1)[-1]
            click.echo(
                for_terminal(f"envcheck: {path}: a .{kind} file, not an env file: skipped"),
                err=True,
            )
        else:
            kept.append(path)
    return kept
