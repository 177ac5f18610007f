"""``envcheck check`` (and ``envcheck`` alone): load, validate, report, exit code.

At a workspace root the same run happens once per app (:func:`check_app`),
and the fan-out merges the apps' reports.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.commands.reporting import emit, probe_options, probe_request, report_options
from envcheck.engine import Checked, exit_code, validate
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun
from envcheck.schema.interpreter import python_option
from envcheck.targets.command import target_options

if TYPE_CHECKING:
    from envcheck.project import Project

# What only the printing needs: an app's run at a workspace root ignores them.
_RENDERING = ("fmt", "quiet", "verbose")


def _validated(
    directory: Path | None,
    project_dir: Path | None,
    settings: str | None,
    with_probe: bool,
    timeout: float,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    provider_names: tuple[str, ...],
    min_credit: float | None,
    trust_base_url: bool,
    **opts: Any,
) -> Checked:
    """The engine's check of the project the command line names (one app at a root)."""
    options = options_from({**opts, "project_dir": directory or project_dir or Path.cwd()})
    expiry_warn = opts.get("expiry_warn", 14.0)
    probe = probe_request(
        with_probe, timeout, provider_names, min_credit, trust_base_url,
        expiry_warn=expiry_warn, code=options.code,
    )  # fmt: skip
    return validate(
        options,
        settings=settings,
        select=select,
        ignore=ignore,
        probe=probe,
        expiry_warn=expiry_warn,
    )


def check_app(call: dict[str, Any]) -> tuple[AppRun, Project]:
    """One app of a workspace root: its report and exit code as data, and its project."""
    strict = bool(call.get("strict"))
    arguments = {k: v for k, v in call.items() if k not in (*_RENDERING, "strict")}
    checked = _validated(**arguments)
    code = exit_code(checked.report, strict=strict or checked.config.strict)
    return AppRun(code, checked.report), checked.project


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
@workspace_hook("check", check_app)  # at a monorepo root: every app
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
    checked = _validated(
        directory, project_dir, settings, with_probe, timeout, select, ignore,
        provider_names, min_credit, trust_base_url, **opts,
    )  # fmt: skip
    emit(checked.report, fmt, quiet=quiet, verbose=verbose, stream=sys.stdout)
    return exit_code(checked.report, strict=strict or checked.config.strict)
