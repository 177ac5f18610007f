"""``envcheck exec -- CMD``: validate, then become CMD under the resolved environment.

The envcheck process is *replaced* (``os.execve``), not wrapped: CMD keeps
the PID, so a container runtime's SIGTERM, the terminal's Ctrl-C, stdin and
stdout all go straight to CMD, and its exit status is the container's.  A
wrapper that forwarded signals would be one more thing to get wrong (a
shell ``ENTRYPOINT`` that does not forward SIGTERM is the classic 10-second
``docker stop``).  On errors the report goes to stderr and CMD never starts.

By default CMD receives the resolved environment: the process environment
plus every value the framework would load from the env files, expanded as
the framework expands them.  The framework inside CMD reads the same files
again and, since a process value wins in every supported framework, arrives
at the same values, so what was validated is what runs.  ``--no-inject``
leaves file loading to the app (CMD gets the untouched process
environment); ``--process-env-only`` ignores the env files entirely and
validates only what the orchestrator injected.

A file is checkout data, so what it may hand CMD has limits: a variable
that makes programs load or run code at start-up (``LD_PRELOAD``,
``NODE_OPTIONS``, ``BASH_ENV``, ``PATH``, …) is warning EC407, and with
``--strict`` CMD never starts; CMD itself is looked up on the process's
own ``PATH``.  The same variables from the process environment are the
user's and pass untouched.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.commands.reporting import emit, probe_options, probe_request
from envcheck.engine import exit_code, validate
from envcheck.errors import EXIT_INCONCLUSIVE, EXIT_OK, EnvcheckError
from envcheck.project import Project, load
from envcheck.report.sanitize import for_terminal
from envcheck.schema.interpreter import python_option
from envcheck.secret import reveal
from envcheck.sources.types import Resolution

__all__ = ["EXIT_CANNOT_EXECUTE", "EXIT_NOT_FOUND", "child_environment", "exec_command"]

# The shell's conventions, which container runtimes and CI logs already explain.
EXIT_CANNOT_EXECUTE = 126
EXIT_NOT_FOUND = 127

# CPython ignores these at start-up; an ignored signal survives execve, so
# without a reset CMD would never die of SIGPIPE (``cmd | head`` would hang
# or spew EPIPE errors).  subprocess resets them too (``restore_signals``).
_RESET_SIGNALS = tuple(
    s for s in (getattr(signal, n, None) for n in ("SIGPIPE", "SIGXFSZ")) if s is not None
)


Reload = Callable[[Mapping[str, str]], Resolution]


def child_environment(
    project: Project,
    environ: Mapping[str, str],
    *,
    inject: bool,
    reload: Reload | None = None,
) -> dict[str, str]:
    """The environment CMD starts with: ``environ``, plus the resolved file values.

    Resolved values already account for the process environment (a process
    value wins, or loses only where the framework itself lets a file win),
    so laying them over ``environ`` gives what the framework would have
    produced.  Two exceptions keep CMD's own loading consistent with it:

    * the mode variables (``NODE_ENV``, ``APP_ENV``) are never injected from
      a file: the framework picks its mode from the real environment before
      it reads any file, and a file's ``NODE_ENV`` would switch CMD's mode;
    * a value the framework would change when it reloads the files with the
      injected environment is left out, and CMD's framework loads it itself.
      Next.js and CRA interpolate a process value again when a file defines
      the same key, so an injected ``$notvar`` (from ``\\$notvar``) would
      become empty.  ``reload(env)`` resolves the project again with ``env``
      as the process environment, using the same loaders (which are tested
      against the frameworks' own code), and only stable values are kept.
    """
    env = dict(environ)
    if not inject:
        return env
    wanted = {
        key: reveal(resolved.value)
        for key, resolved in project.resolution.vars.items()
        if key in environ or key not in project.profile.mode_vars
    }
    injected = dict(wanted)
    while True:  # each round drops at least one key, so this ends
        candidate = {**env, **injected}
        if reload is None:
            return candidate
        again = reload(candidate).vars
        unstable = [
            key
            for key in injected
            if key not in environ  # a process value reaches CMD whatever envcheck does
            and (key not in again or reveal(again[key].value) != wanted[key])
        ]
        if not unstable:
            return candidate
        for key in unstable:
            del injected[key]


def find_program(name: str, env: Mapping[str, str]) -> str | None:
    """CMD's path, looked up on the ``PATH`` of ``env``.

    The caller passes the process environment, not CMD's: the user typed CMD
    in a shell whose ``PATH`` is the process's, and a ``PATH`` that an env
    file hands CMD (EC407) must not choose which program ``node`` is.
    """
    if os.sep in name or (os.altsep and os.altsep in name):
        return name
    return shutil.which(name, path=env.get("PATH", os.defpath))


def _replace_process(program: str, argv: list[str], env: dict[str, str]) -> int:
    """Become CMD; returns only when that failed (with the shell's exit code)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # pragma: no cover - no execve that keeps the process on Windows
        return subprocess.call(argv, executable=program, env=env)
    previous = {s: signal.signal(s, signal.SIG_DFL) for s in _RESET_SIGNALS}
    try:
        os.execve(program, argv, env)
    except OSError as err:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if err.errno == errno.E2BIG:  # the kernel caps one variable at 128 KiB
            click.echo(
                f"envcheck: error: cannot run {for_terminal(argv[0])}: the environment is too "
                "big to pass on "
                "(a value over 128 KiB, or too many values)",
                err=True,
            )
            click.echo("  hint: use --no-inject and let the app read its env files", err=True)
            return EXIT_CANNOT_EXECUTE
        click.echo(f"envcheck: error: cannot run {for_terminal(argv[0])}: {err.strerror}", err=True)
        return EXIT_NOT_FOUND if err.errno == errno.ENOENT else EXIT_CANNOT_EXECUTE
    raise AssertionError("unreachable: execve returned")  # pragma: no cover


@click.command(
    "exec",
    context_settings={"allow_interspersed_args": False},
    short_help="Validate, then run a command under the resolved environment.",
)
@click.argument(
    "command", nargs=-1, required=True, type=click.UNPROCESSED, metavar="-- CMD [ARGS]..."
)
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
@click.option("--select", multiple=True, help="Rules to enable: code, code prefix or name.")
@click.option("--ignore", multiple=True, help="Rules to skip: code, code prefix or name.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when CMD starts (no warnings).")
@click.option("--settings", default=None, help="A pydantic-settings class, package.module:Class.")
@python_option
@probe_options
@project_options
def exec_command(
    command: tuple[str, ...],
    with_probe: bool,
    probe_fail_open: bool,
    timeout: float,
    strict: bool,
    no_inject: bool,
    process_env_only: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    settings: str | None,
    project_dir: Path | None,
    provider_names: tuple[str, ...],
    min_credit: float | None,
    trust_base_url: bool,
    **opts: Any,
) -> int:
    """Validate the environment, then replace envcheck with CMD [ARGS]...

    Put `--` before CMD so that its options are never read as envcheck's:
    `envcheck exec --mode production -- node server.js --port 3000`.
    Exit status: CMD's own once it starts; otherwise 1 (errors), 2 (usage),
    3 (probe inconclusive), 126 (CMD not executable), 127 (CMD not found).
    """
    argv = list(command)
    if opts.get("no_process_env"):
        raise EnvcheckError(
            "--no-process-env does not apply to exec: CMD always inherits the process environment",
            hint="use --process-env-only to ignore the env files instead",
        )
    if process_env_only and opts.get("env_files"):
        raise EnvcheckError(
            "--process-env-only reads no env file, so --env-file cannot apply",
            hint="drop one of the two options",
        )
    options = options_from({**opts, "project_dir": project_dir or Path.cwd()})
    checked = validate(
        options,
        settings=settings,
        select=select,
        ignore=ignore,
        probe=probe_request(
            with_probe,
            timeout,
            provider_names,
            min_credit,
            trust_base_url,
            expiry_warn=opts.get("expiry_warn", 14.0),
            code=options.code,
        ),
        files=not process_env_only,
        expiry_warn=opts.get("expiry_warn", 14.0),
    )
    project, report, config = checked.project, checked.report, checked.config
    code = exit_code(report, strict=strict or config.strict)
    fail_open = code == EXIT_INCONCLUSIVE and probe_fail_open
    if code != EXIT_OK or not quiet:
        emit(report, "text", quiet=True, verbose=False, stream=sys.stderr)
    if fail_open:
        click.echo("envcheck: warning: probe inconclusive; starting CMD anyway", err=True)
        code = EXIT_OK
    if code != EXIT_OK:
        click.echo(f"envcheck: not starting {for_terminal(argv[0])}", err=True)
        return code

    def reload(env: Mapping[str, str]) -> Resolution:
        again = options.replace(
            project_dir=project.project_dir, framework=project.profile.name, mode=project.mode
        )
        return load(again, config, environ=env).resolution

    env = child_environment(
        project,
        os.environ,
        inject=not (no_inject or process_env_only),
        reload=reload,
    )
    program = find_program(argv[0], os.environ)  # trusted: never a file's PATH
    if program is None:
        click.echo(f"envcheck: error: command not found: {for_terminal(argv[0])}", err=True)
        return EXIT_NOT_FOUND
    return _replace_process(program, argv, env)
