"""What both readers of the command line share: the commands, and how errors are shown.

The click group (:mod:`envcheck.commands.group`) and the fast path of a
plain ``check`` (:mod:`envcheck.cli`) read these from here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envcheck.errors import EnvcheckError

__all__ = [
    "COMMANDS",
    "COMMA_LISTS",
    "DEFAULT_COMMAND",
    "NOT_CHECK",
    "SUMMARIES",
    "show_error",
    "split_commas",
]

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

DEFAULT_COMMAND = "check"  # `envcheck` alone, or with only options
NOT_CHECK = (*COMMANDS, "--help", "-h", "--version")  # a first word that is not check's
COMMA_LISTS = ("select", "ignore")  # --ignore EC401,EC404 is --ignore EC401 --ignore EC404


def split_commas(values: Iterable[str]) -> tuple[str, ...]:
    """``("EC401,EC404", "EC2")`` -> ``("EC401", "EC404", "EC2")``."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def show_error(err: EnvcheckError) -> int:
    """Print a user-fixable error (and its hint) on stderr; its exit code."""
    from envcheck.report.echo import echo
    from envcheck.report.sanitize import for_terminal

    # Messages quote file names, keys and server text: never raw to the terminal.
    echo(f"envcheck: error: {for_terminal(str(err))}", err=True)
    if err.hint:
        echo(f"  hint: {for_terminal(err.hint)}", err=True)
    return err.exit_code
