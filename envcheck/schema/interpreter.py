"""Which Python imports the project's settings class: the project's own, when it has one.

A settings module imports the app's dependencies; envcheck's environment
(a pipx or uvx venv, or envcheck's own) rarely has them.  So the class is
imported by, in order: ``--python PATH`` (or ``$ENVCHECK_PYTHON``); the
project's virtualenv (``.venv`` or ``venv`` in the project directory or a
parent, up to the repository root); the active ``$VIRTUAL_ENV``; and only
then envcheck's own interpreter.  An interpreter that *is* envcheck's own
(envcheck installed into the project's venv) is used in-process.

Kept apart from ``settings.py`` because the ``--python`` option is built on
the start-up path of every command that takes ``--settings``; this module
imports only click and pathlib.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

# Set by --python for this process: one CLI run is one command, and threading the
# option through every loader signature would touch modules that never use it.
_chosen: list[str] = []

_VENV_DIRS = (".venv", "venv")
_BIN = ("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")


def _remember(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    _chosen.clear()
    if value:
        _chosen.append(value)


def python_option(func: F) -> F:
    """``--python PATH``: the interpreter that imports the ``--settings`` class."""
    return click.option(
        "--python",
        "python",
        metavar="PATH",
        default=None,
        envvar="ENVCHECK_PYTHON",
        expose_value=False,
        callback=_remember,
        help="Python that imports the --settings class (default: the project's "
        ".venv, then $VIRTUAL_ENV, then envcheck's own).",
    )(func)


def set_python(path: str | None) -> None:
    """Choose the interpreter outside the CLI (tests, library use); None = discover."""
    _chosen.clear()
    if path:
        _chosen.append(path)


def _venv_python(venv: Path) -> Path | None:
    python = venv.joinpath(*_BIN)
    return python if python.is_file() else None


def _is_own(python: Path) -> bool:
    """True when ``python`` belongs to the environment envcheck itself runs in."""
    try:
        venv = python.parent.parent.resolve()
    except OSError:
        return False
    return venv == Path(sys.prefix).resolve()


def _project_venv(project_dir: Path) -> Path | None:
    """``.venv`` / ``venv`` in the project directory or a parent, up to the repository root."""
    for directory in (project_dir.resolve(), *project_dir.resolve().parents):
        for name in _VENV_DIRS:
            found = _venv_python(directory / name)
            if found is not None:
                return found
        if (directory / ".git").exists():
            break
    return None


def find_python(project_dir: Path) -> tuple[Path | None, str]:
    """The interpreter to import the settings class with, and why it was chosen.

    ``None`` means envcheck's own interpreter, in-process.  An explicit
    choice is returned as given even when it does not exist: the caller
    reports that, rather than silently falling back.
    """
    if _chosen:
        return Path(_chosen[0]).expanduser(), "--python"
    found = _project_venv(project_dir)
    if found is not None:
        return (None, "envcheck's own") if _is_own(found) else (found, "the project's venv")
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        found = _venv_python(Path(active))
        if found is not None and not _is_own(found):
            return found, "$VIRTUAL_ENV"
    return None, "envcheck's own"
