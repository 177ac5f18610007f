"""The command line: a click group whose commands are imported only when they run.

``envcheck`` with no command (or with only options) runs ``envcheck check``,
so ``"predev": "envcheck"`` and ``envcheck --mode production`` both work.
Starting up imports click and nothing heavy: pydantic, pydantic-settings
and openai are imported by the paths that need them.
"""

from __future__ import annotations

import gc

# The cyclic collector is paused while click and this module load (some 60 modules,
# whose objects each collection they trigger would scan again); switched back on at the
# end of this module, if it was on.
_COLLECTING = gc.isenabled()
gc.disable()

import atexit  # noqa: E402 - builtin; _exit_now asks it
import importlib  # noqa: E402
import sys  # noqa: E402
from collections.abc import Sequence  # noqa: E402

import click  # noqa: E402

from envcheck import __version__  # noqa: E402
from envcheck.sources.gcpause import gc_paused  # noqa: E402

# command -> "module:attr", in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "check": "envcheck.commands.check:check",
    "explain": "envcheck.commands.explain:explain",
    "diff": "envcheck.commands.diff:diff",
    "probe": "envcheck.commands.probe:probe",
    "lint": "envcheck.commands.lint:lint",
    "guard": "envcheck.commands.guard:guard",
    "exec": "envcheck.commands.exec:exec_command",
    "init": "envcheck.commands.init:init",
    "rules": "envcheck.commands.rules:rules",
    "generate": "envcheck.commands.generate:generate",
    "lsp": "envcheck.lsp.command:lsp",
    "targets": "envcheck.targets.command:targets",
}

SUMMARIES: dict[str, str] = {
    "check": "Load, validate and report (the default command).",
    "explain": "Show each key's value, winning source and what it shadowed.",
    "diff": "Compare development and production configuration.",
    "probe": "Check live that API keys work and have credit.",
    "lint": "Check env files' syntax and style (for pre-commit).",
    "guard": "Refuse env files that hold secrets or are machine-local (for pre-commit).",
    "exec": "Validate, then run a command under the resolved environment.",
    "init": "Write envcheck.toml from .env.example and the current files.",
    "rules": "List the rules, or show one rule's documentation.",
    "generate": "Write env.d.ts, a settings class or .env.example from the schema.",
    "lsp": "Run the language server (editor diagnostics, hover, completion, fixes).",
    "targets": "List the deploy targets (fly.toml, Kubernetes, Helm, Render, ...) found.",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command is invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        _accept_comma_lists(command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES[name]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        """Turn the user-fixable errors of any command into one message and exit 2.

        Here rather than in :func:`main` so that every caller of the group
        (click's test runner, shell completion) sees the same behaviour.
        """
        from envcheck.errors import EnvcheckError

        try:
            return super().invoke(ctx)
        except EnvcheckError as err:
            from envcheck.report.sanitize import for_terminal

            # Messages quote file names, keys and server text: never raw to the terminal.
            click.echo(f"envcheck: error: {for_terminal(str(err))}", err=True)
            if err.hint:
                click.echo(f"  hint: {for_terminal(err.hint)}", err=True)
            raise click.exceptions.Exit(err.exit_code) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Shell completion parses resiliently: complete command names, not check's options.
        if not ctx.resilient_parsing and (not args or args[0] not in _NOT_CHECK):
            args = self._with_command(ctx, args)
        return super().parse_args(ctx, args)

    def _with_command(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``args`` with the command first: the one named after leading options, else check.

        ``envcheck -C apps/web explain`` is ``envcheck explain -C apps/web``:
        the leading options are read as the default command's (check's), so
        the value of ``-C`` is skipped and ``explain`` found as the command.
        ``envcheck -C explain`` still checks the folder ``explain``.
        """
        default = self.get_command(ctx, DEFAULT_COMMAND)
        takes_value = _value_options(default) if default is not None else frozenset()
        index = 0
        while index < len(args):
            word = args[index]
            if word == "--" or not word.startswith("-") or word == "-":
                break
            index += 1 + _values_after(word, takes_value)
        if index < len(args) and args[index] in COMMANDS:
            return [args[index], *args[:index], *args[index + 1 :]]
        return [DEFAULT_COMMAND, *args]


DEFAULT_COMMAND = "check"  # `envcheck` alone, or with only options
_NOT_CHECK = (*COMMANDS, "--help", "-h", "--version")  # a first word that is not check's
COMMA_LISTS = ("select", "ignore")  # --ignore EC401,EC404 is --ignore EC401 --ignore EC404


def _value_options(command: click.Command) -> frozenset[str]:
    """The option names of ``command`` that take a value (``-C DIR``, ``--mode X``)."""
    names: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and not param.count:
            names.update(param.opts)
            names.update(param.secondary_opts)
    return frozenset(names)


def _values_after(word: str, takes_value: frozenset[str]) -> int:
    """How many of the next words are ``word``'s value: 1 for ``-C DIR``, 0 for ``--dir=X``."""
    if word.startswith("--"):
        return int("=" not in word and word in takes_value)
    # -C DIR, -CDIR, -qC DIR: a cluster of short options; the first taking a value ends it.
    for position, letter in enumerate(word[1:], start=1):
        if f"-{letter}" in takes_value:
            return int(position == len(word) - 1)
    return 0


def _split_commas(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """``("EC401,EC404", "EC2")`` -> ``("EC401", "EC404", "EC2")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _accept_comma_lists(command: click.Command) -> None:
    """Let ``--select`` / ``--ignore`` of any command take comma lists as well as repeats.

    Here, once, for every command (each declares its own options): a
    selector never contains a comma, so splitting changes no other meaning.
    """
    for param in command.params:
        if (
            isinstance(param, click.Option)
            and param.name in COMMA_LISTS
            and param.multiple
            and param.callback is None
        ):
            param.callback = _split_commas


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="envcheck")
def cli() -> None:
    """envcheck: the environment your app will actually see, checked before it starts.

    Run `envcheck` alone to check the project in the current directory.
    """


@gc_paused
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 1 findings, 2 usage, 3 inconclusive).

    Without ``argv`` this is the process's own command line (the ``envcheck``
    script, ``python -m envcheck``), and the process ends here when nothing is
    left to run at exit (:func:`_exit_now`); a caller passing ``argv`` always
    gets the code back.

    The cyclic GC is paused for the run (and restored after): a command builds
    acyclic data and exits, and the collector's rescans of everything imported
    and parsed cost about 5 ms of a cold start and a tenth of a big file's run.
    The process ends inside the pause: switching the collector back on first
    would start one last collection of everything the run built, for nothing.
    """
    code = _run(argv)
    if argv is None:
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    """End the process with ``code`` without the interpreter's teardown, if that changes nothing.

    Teardown frees every module and object one by one (and runs a last
    collection) only for the operating system to reclaim the memory anyway:
    a cold ``envcheck check`` imports some 200 modules, and freeing them cost
    about a tenth of its time (Instagram skips the same work with
    ``os._exit``).  Only done when the teardown has nothing else to do: no
    ``atexit`` callback is registered (logging, multiprocessing, temporary
    directories and coverage tools all register one), no other thread runs,
    and stdout and stderr flush; else this returns and Python exits as usual.
    """
    import os

    pending = getattr(atexit, "_ncallbacks", None)  # CPython's count; elsewhere: exit as usual
    threading = sys.modules.get("threading")
    if pending is None or pending() or (threading is not None and threading.active_count() > 1):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the usual exit reports it
        return
    os._exit(code)


def _run(argv: Sequence[str] | None) -> int:
    """The command's exit code."""
    from envcheck.errors import EXIT_USAGE

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    try:
        result = cli.main(args=args, prog_name="envcheck", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("envcheck: aborted", err=True)
        return 130
    except click.ClickException as err:
        from envcheck.report.sanitize import for_terminal

        # It quotes the arguments as given; Final only in click's type hints.
        err.message = for_terminal(err.message)  # type: ignore[misc]
        err.show()
        return EXIT_USAGE if err.exit_code == 1 else err.exit_code
    except click.exceptions.Exit as err:
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the last line of defence: no traceback
        if debug:
            raise
        click.echo(
            f"envcheck: internal error ({type(err).__name__}); rerun with --debug and report it",
            err=True,
        )
        return EXIT_USAGE
    return result if isinstance(result, int) else 0


if _COLLECTING:
    gc.enable()
