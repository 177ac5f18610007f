"""``envcheck check`` (and ``envcheck`` alone): load, validate, report, exit code.

At a workspace root the same run happens once per app (:func:`check_app`),
and the fan-out merges the apps' reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from envcheck.commands.check_run import check_app, run_check
from envcheck.commands.common import project_options
from envcheck.commands.reporting import probe_options, report_options
from envcheck.fanout.hook import workspace_hook
from envcheck.schema.interpreter import python_option
from envcheck.targets.command import target_options

__all__ = ["check", "check_app"]


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
def check(**arguments: Any) -> int:
    """Check the project in DIRECTORY (default: the current directory)."""
    return run_check(**arguments)  # the parameters: run_check's, as the options above name them
