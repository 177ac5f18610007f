"""The command line: ``main``, and a fast path that runs a plain ``check`` without click.

``envcheck`` with no command (or with only options) runs ``envcheck check``,
so ``"predev": "envcheck"`` and ``envcheck --mode production`` both work.

Importing click costs about a fifth of a cold ``envcheck check`` (as much as
python-dotenv's whole run after its own click import), so the command line
``envcheck [check] [DIRECTORY] [check's options]`` is read here, by
:func:`fast_check_arguments`, into the very keyword arguments click would
hand the command, and run without importing click.  Every other command
line (any other command, ``--help``, ``--version``, a word it does not
know, any value click would refuse or convert differently) goes to the click
group (:mod:`envcheck.commands.group`), which gives the help and the errors.
Starting up imports nothing heavy: pydantic, pydantic-settings and openai
are imported by the paths that need them.
"""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from envcheck.commands.table import (
    COMMA_LISTS,
    COMMANDS,
    DEFAULT_COMMAND,
    show_error,
    split_commas,
)
from envcheck.sources.gcpause import gc_paused

__all__ = ["fast_check_arguments", "main"]

# check's options as the fast path reads them: option -> keyword argument.  Each
# must say what check's click declaration says (tests/test_cli_fast.py compares them).
CHECK_FLAGS: dict[str, str] = {
    "--strict": "strict",
    "--probe": "with_probe",
    "--trust-base-url": "trust_base_url",
    "--quiet": "quiet",
    "-q": "quiet",
    "--verbose": "verbose",
    "-v": "verbose",
    "--no-process-env": "no_process_env",
    "--no-code": "no_code",
}
CHECK_VALUES: dict[str, str] = {
    "--settings": "settings",
    "--timeout": "timeout",
    "--min-credit": "min_credit",
    "--expiry-warn": "expiry_warn",
    "--format": "fmt",
    "--target": "target",
    "--phase": "phase",
    "--dir": "project_dir",
    "-C": "project_dir",
    "--framework": "framework",
    "-f": "framework",
    "--mode": "mode",
    "-m": "mode",
    "--dialect": "dialect",
}
CHECK_REPEATED: dict[str, str] = {
    "--provider": "provider_names",
    "--select": "select",
    "--ignore": "ignore",
    "--env-file": "env_files",
    "--service": "services",
    "--app": "apps",
}
# What click hands check for an option not given.
CHECK_DEFAULTS: dict[str, Any] = {
    "directory": None,
    **dict.fromkeys(CHECK_FLAGS.values(), False),
    "settings": None,
    "timeout": 5.0,
    "min_credit": None,
    "expiry_warn": 14.0,
    "fmt": "text",
    "target": None,
    "phase": None,
    "project_dir": None,
    "framework": "auto",
    "mode": None,
    "dialect": None,
    **dict.fromkeys(CHECK_REPEATED.values(), ()),
}
# Variables click reads: --python's and --allow-project-code's (their callbacks are
# click's), and the shell's request for completions (prog_name "envcheck").
_CLICK_ENVIRONMENT = ("ENVCHECK_PYTHON", "ENVCHECK_ALLOW_PROJECT_CODE", "_ENVCHECK_COMPLETE")


def __getattr__(name: str) -> object:
    """``envcheck.cli.cli``: the click group, imported when asked for."""
    if name == "cli":
        from envcheck.commands.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _path(value: str, *, directory: bool) -> Path | None:
    """``value`` as click.Path(path_type=Path) gives it, or None where click would object:
    an existing path of the wrong kind, or one it may not read."""
    try:
        is_dir = os.path.isdir(value)
        exists = is_dir or os.path.exists(value)
    except (OSError, ValueError):
        return None
    if exists and (is_dir != directory or not os.access(value, os.R_OK)):
        return None
    return Path(value)


def _float(value: str, low: float | None = None, high: float | None = None) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    if (low is not None and not number >= low) or (high is not None and not number <= high):
        return None
    return number


def _converted(keyword: str, value: str) -> object:
    """``value`` of ``keyword``'s option as click converts it, or None where it might not."""
    if keyword == "timeout":
        return _float(value)
    if keyword == "min_credit":
        return _float(value, 0)
    if keyword == "expiry_warn":
        return _float(value, 0, 3650)
    if keyword in ("project_dir", "env_files"):
        return _path(value, directory=keyword == "project_dir")
    choices: Iterable[str] = ()
    if keyword == "fmt":
        from envcheck.commands.reporting import FORMATS as choices
    elif keyword == "phase":
        choices = ("build", "start")
    elif keyword == "framework":
        from envcheck.sources.profiles import PROFILES

        choices = ("auto", *PROFILES)
    elif keyword == "dialect":
        from envcheck.sources.readers import DIALECTS as choices
    else:
        return value
    return value if value in choices else None


def fast_check_arguments(args: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments click would give ``check`` for ``args``, or None: ask click.

    None for anything but ``[check] [DIRECTORY] [options]`` with check's own
    options, spelt ``--name VALUE``, ``--name=VALUE`` or ``-x VALUE`` (no
    clusters, no ``--``), values that do not start with ``-``, and nothing
    click might refuse.
    """
    if any(name in os.environ for name in _CLICK_ENVIRONMENT):
        return None
    words = list(args)
    if words and words[0] == DEFAULT_COMMAND:
        words.pop(0)
    result = dict(CHECK_DEFAULTS)
    repeated: dict[str, list[str]] = {}
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-"):
            positional.append(word)
            continue
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in CHECK_FLAGS and not equals:
            result[CHECK_FLAGS[name]] = True
            continue
        keyword = CHECK_VALUES.get(name) or CHECK_REPEATED.get(name)
        if keyword is None:
            return None  # --help, --python, a cluster, a typo, `--`: click's to answer
        if not equals:
            if index == len(words):
                return None
            value = words[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        if name in CHECK_REPEATED:
            repeated.setdefault(keyword, []).append(value)
            continue
        converted = _converted(keyword, value)
        if converted is None:
            return None
        result[keyword] = converted
    for keyword, values in repeated.items():
        items = [_converted(keyword, value) for value in values]
        if any(item is None for item in items):
            return None
        result[keyword] = split_commas(values) if keyword in COMMA_LISTS else tuple(items)
    if len(positional) > 1 or (positional and positional[0] in COMMANDS):
        return None
    if positional:
        result["directory"] = _path(positional[0], directory=True) if positional[0] else None
        if result["directory"] is None:
            return None
    return result


def _run_check(kwargs: dict[str, Any]) -> int:
    """``envcheck check`` with click's keyword arguments, as the click command runs it."""
    from envcheck.commands.check_run import check_app, run_check
    from envcheck.errors import EnvcheckError
    from envcheck.fanout.hook import dispatch
    from envcheck.schema.interpreter import allow_project_code, set_python

    # What the callbacks of --python and --allow-project-code do when neither is given.
    set_python(None)
    allow_project_code(False)
    try:
        _, result = dispatch(DEFAULT_COMMAND, kwargs, check_app, run_check)
    except EnvcheckError as err:
        return show_error(err)
    return result if isinstance(result, int) else 0


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
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
    try:
        fast = fast_check_arguments(args)
        if fast is not None:
            return _run_check(fast)
        from envcheck.commands.group import run

        return run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the last line of defence: no traceback
        if debug:
            raise
        from envcheck.errors import EXIT_USAGE
        from envcheck.report.echo import echo

        echo(
            f"envcheck: internal error ({type(err).__name__}); rerun with --debug and report it",
            err=True,
        )
        return EXIT_USAGE
