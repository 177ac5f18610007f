"""``envcheck check`` (and ``envcheck`` alone): load, validate, report, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import load_project, project_options
from envcheck.commands.reporting import emit, report_options
from envcheck.engine import check as run_check
from envcheck.engine import exit_code


@click.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--settings", default=None, help="A pydantic-settings class, package.module:Class.")
@click.option("--probe", "with_probe", is_flag=True, help="Also probe API keys live.")
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Probe timeout.")
@report_options
@project_options
def check(
    directory: Path | None,
    project_dir: Path | None,
    strict: bool,
    settings: str | None,
    with_probe: bool,
    timeout: float,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    **opts: Any,
) -> int:
    """Check the project in DIRECTORY (default: the current directory)."""
    from envcheck.commands.reporting import load_config

    project_dir = directory or project_dir or Path.cwd()
    config = load_config(project_dir, settings)
    strict = strict or config.strict
    project = load_project(project_dir=project_dir, **config.project_defaults(opts))
    report = run_check(
        project,
        select=(*config.select, *select),
        ignore=(*config.ignore, *ignore),
        schema=config.schema,
    )
    if with_probe:
        from envcheck.commands.reporting import add_probe

        add_probe(report, project, config, timeout=timeout, select=select, ignore=ignore)
    emit(report, fmt, quiet=quiet, verbose=verbose, stream=sys.stdout)
    return exit_code(report, strict=strict)
