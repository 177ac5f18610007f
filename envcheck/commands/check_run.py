"""What ``envcheck check`` does once its command line is read, without click.

Apart from the click declaration (:mod:`envcheck.commands.check`) so that
the command line's fast path (:mod:`envcheck.cli`) can run a plain
``envcheck check`` without importing click, a fifth of a cold start.  Both
call :func:`run_check` with the same keyword arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.commands.common import options_from
from envcheck.commands.reporting import emit, probe_request
from envcheck.engine import Checked, exit_code, validate
from envcheck.fanout.result import AppRun

if TYPE_CHECKING:
    from envcheck.project import Project

__all__ = ["check_app", "run_check"]

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


def run_check(
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
    """Check one project, print its report, return the exit code."""
    checked = _validated(
        directory, project_dir, settings, with_probe, timeout, select, ignore,
        provider_names, min_credit, trust_base_url, **opts,
    )  # fmt: skip
    emit(checked.report, fmt, quiet=quiet, verbose=verbose, stream=sys.stdout)
    return exit_code(checked.report, strict=strict or checked.config.strict)
