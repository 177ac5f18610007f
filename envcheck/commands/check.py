"""``envcheck check`` (and ``envcheck`` alone): load, validate, report, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.commands.reporting import emit, probe_options, probe_request, report_options
from envcheck.engine import exit_code, validate
from envcheck.fanout.hook import workspace_hook
from envcheck.schema.interpreter import python_option
from envcheck.targets.command import target_options


@click.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--settings", default=None, help="A pydantic-settings class, package.module:Class.")
@python_option
@click.option("--probe", "with_probe", is_flag=True, help="Also probe API keys live.")
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Probe timeout.")
@probe_options
@report_options
@target_options
@project_options
@workspace_hook("check")  # at a monorepo root: every app
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
    provider_names: tuple[str, ...],
    min_credit: float | None,
    trust_base_url: bool,
    **opts: Any,
) -> int:
    """Check the project in DIRECTORY (default: the current directory)."""
    options = options_from({**opts, "project_dir": directory or project_dir or Path.cwd()})
    checked = validate(
        options,
        settings=settings,
        select=select,
        ignore=ignore,
        probe=probe_request(
            timeout,
            provider_names,
            min_credit,
            trust_base_url,
            expiry_warn=opts.get("expiry_warn", 14.0),
            code=options.code,
        )
        if with_probe
        else None,
        expiry_warn=opts.get("expiry_warn", 14.0),
    )
    emit(checked.report, fmt, quiet=quiet, verbose=verbose, stream=sys.stdout)
    return exit_code(checked.report, strict=strict or checked.config.strict)
