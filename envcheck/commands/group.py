"""The click group of the command line: its commands are imported only when they run.

Imported by :func:`envcheck.cli.main` for every command line its fast path
does not take (every command but a plain ``check``, ``--help``, errors).
"""

from __future__ import annotations

import gc

# The cyclic collector is paused while click and this module load (some 60 modules,
# whose objects each collection they trigger would scan again); switched back on at the
# end of this module, if it was on.
_COLLECTING = gc.isenabled()
gc.disable()

import importlib  # noqa: E402

import click  # noqa: E402

from envcheck import __version__  # noqa: E402
from envcheck.commands.table import (  # noqa: E402
    COMMA_LISTS,
    COMMANDS,
    DEFAULT_COMMAND,
    NOT_CHECK,
    SUMMARIES,
    show_error,
    split_commas,
)

__all__ = ["LazyGroup", "cli", "run"]


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
            raise click.exceptions.Exit(show_error(err)) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Shell completion parses resiliently: complete command names, not check's options.
        if not ctx.resilient_parsing and (not args or args[0] not in NOT_CHECK):
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
    return split_commas(values)


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


def run(args: list[str]) -> int:
    """The exit code of the command line ``args`` through click (usage errors: 2)."""
    from envcheck.errors import EXIT_USAGE

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
    return result if isinstance(result, int) else 0


if _COLLECTING:
    gc.enable()
