"""``envcheck exec -- CMD``: validate, then become CMD under the resolved environment.

The envcheck process is *replaced* (``os.execvpe``), so CMD keeps the PID,
signals, stdin/stdout and its own exit status: the right shape for a
container entrypoint.  On errors the report goes to stderr and CMD never
starts.

By default CMD receives the resolved environment: the process environment
plus every value the framework would load from the env files, expanded as
the framework expands them.  The framework inside CMD will read the same
files again and, since the process environment wins in every supported
framework, arrive at the same values.  ``--no-inject`` leaves file loading
to the app (CMD gets the untouched process environment);
``--process-env-only`` ignores the env files entirely and validates only
what the orchestrator injected.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import Project, load_project, project_options
from envcheck.commands.reporting import add_probe, emit, load_config
from envcheck.engine import check as run_check
from envcheck.engine import exit_code
from envcheck.errors import EXIT_INCONCLUSIVE, EXIT_OK, EXIT_USAGE, EnvcheckError
from envcheck.secret import reveal

EXIT_NOT_FOUND = 127


def child_environment(project: Project, inject: bool) -> dict[str, str]:
    env = dict(os.environ)
    if inject:
        for key, resolved in project.resolution.vars.items():
            env[key] = reveal(resolved.value)
    return env


@click.command(
    "exec",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--probe", "with_probe", is_flag=True, help="Also probe API keys live first.")
@click.option(
    "--probe-fail-open",
    is_flag=True,
    help="Start CMD anyway when the probe is only inconclusive (e.g. no network at boot).",
)
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Probe timeout.")
@click.option("--strict", is_flag=True, help="Warnings block CMD too.")
@click.option(
    "--no-inject",
    is_flag=True,
    help="Hand CMD the untouched process environment; the app loads its env files itself.",
)
@click.option(
    "--process-env-only",
    is_flag=True,
    help="Ignore .env* files: validate only what the orchestrator injected.",
)
@click.option("--settings", default=None, help="A pydantic-settings class, package.module:Class.")
@project_options
def exec_command(
    command: tuple[str, ...],
    with_probe: bool,
    probe_fail_open: bool,
    timeout: float,
    strict: bool,
    no_inject: bool,
    process_env_only: bool,
    settings: str | None,
    project_dir: Path | None,
    **opts: Any,
) -> int:
    """Validate the environment, then replace envcheck with CMD [ARGS…].

    Put `--` before CMD so that its options are not read as envcheck's:
    `envcheck exec --mode production -- node server.js --port 3000`.
    """
    argv = list(command)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        raise EnvcheckError("no command to run", hint="envcheck exec -- CMD [ARGS…]")
    program = shutil.which(argv[0]) if os.sep not in argv[0] else argv[0]
    if program is None:
        click.echo(f"envcheck: error: command not found: {argv[0]}", err=True)
        return EXIT_NOT_FOUND
    project_dir = project_dir or Path.cwd()
    config = load_config(project_dir, settings)
    project = load_project(
        project_dir=project_dir, files=not process_env_only, **config.project_defaults(opts)
    )
    report = run_check(
        project,
        select=config.select,
        ignore=config.ignore,
        schema=config.schema,
    )
    if with_probe:
        add_probe(report, project, config.schema, timeout=timeout)
    code = exit_code(report, strict=strict or config.strict)
    if code == EXIT_INCONCLUSIVE and probe_fail_open:
        click.echo("envcheck: warning: probe inconclusive; starting anyway", err=True)
        code = EXIT_OK
    if code != EXIT_OK:
        emit(report, "text", quiet=True, verbose=False, stream=sys.stderr)
        return code
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(program, argv, child_environment(project, inject=not no_inject))
    except OSError as err:
        click.echo(f"envcheck: error: cannot run {argv[0]}: {err.strerror}", err=True)
        return EXIT_USAGE if err.errno != 2 else EXIT_NOT_FOUND
    return EXIT_USAGE  # pragma: no cover - execve does not return
