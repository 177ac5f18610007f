"""Which Python imports the project's settings class, and whether project code may run at all.

Importing a settings class runs the project's code, and so does its
interpreter; envcheck runs on checkouts it did not write (a pull request in
CI, a pre-commit hook on someone's branch), whose files are data.  So
project code runs only when the user asks on the command line or in the
process environment: ``--settings package.module:Class``, or
``--allow-project-code`` / ``ENVCHECK_ALLOW_PROJECT_CODE=1`` for the class
the config names (:func:`project_code_allowed`); never because a checked
file says so.

With that consent, the class is imported by, in order: ``--python PATH``
(or ``$ENVCHECK_PYTHON``); the project's virtualenv (``.venv`` or ``venv``
in the project directory or a parent, up to the repository root, and only
one owned by the user or root); the active ``$VIRTUAL_ENV``; and only
then envcheck's own interpreter.  An interpreter that *is* envcheck's own
(envcheck installed into the project's venv) is used in-process.

Kept apart from ``settings.py`` because these options are built on the
start-up path of every command that reads the schema; this module imports
only click and pathlib.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import click

F = TypeVar("F", bound=Callable[..., Any])

# Set by --python and --allow-project-code for this process: one CLI run is one
# command, and threading the options through every loader signature would touch
# modules that never use them.
_chosen: list[str] = []
_project_code: list[bool] = []

_VENV_DIRS = (".venv", "venv")
_BIN = ("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")
_CONSENT_VAR = "ENVCHECK_ALLOW_PROJECT_CODE"
_YES = frozenset({"1", "true", "yes", "on"})


def _remember(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    set_python(value)


def _consent(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    allow_project_code(value)


def python_option(func: F) -> F:
    """``--python PATH`` and ``--allow-project-code``: who may import the settings class."""
    import click  # the command line's fast path (envcheck.cli) runs without click

    func = click.option(
        "--allow-project-code",
        is_flag=True,
        default=False,
        envvar=_CONSENT_VAR,
        expose_value=False,
        callback=_consent,
        help="Import the settings class the config names (settings = ...), with the "
        f"project's interpreter if it has one: this runs the project's code. ${_CONSENT_VAR}=1 "
        "does the same. Without it, only --settings imports a class.",
    )(func)
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


def allow_project_code(allowed: bool | None) -> None:
    """Consent (or not) to the config's settings class outside the CLI; None: the environment."""
    _project_code.clear()
    if allowed is not None:
        _project_code.append(allowed)


def project_code_allowed() -> bool:
    """True when the user let the config's ``settings =`` be imported.

    The answer comes from trusted input only: ``--allow-project-code`` (whose
    value click also takes from ``$ENVCHECK_ALLOW_PROJECT_CODE``), or that
    variable itself where no command line was parsed (library use).
    """
    if _project_code:
        return _project_code[0]
    return os.environ.get(_CONSENT_VAR, "").strip().lower() in _YES


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


def _owned_by_user(python: Path) -> bool:
    """True when the user (or root) owns the venv, the ``python`` link and what it points to.

    Anyone may leave a ``.venv`` in a shared directory (``/tmp``, a parent
    of the checkout); running it would run their code with the user's
    environment on its stdin.  Root counts as the user's own: a venv's
    ``python`` is a link to the system's interpreter, which root owns.
    """
    if not hasattr(os, "getuid"):
        return True  # Windows: no owner ids to compare
    trusted = {os.getuid(), 0}
    try:
        paths = (python.parent.parent.resolve(), python.resolve())
        owners = [os.lstat(python).st_uid, *(os.stat(p).st_uid for p in paths)]
    except OSError:
        return False
    return all(owner in trusted for owner in owners)


def repository_root(project_dir: Path) -> Path:
    """The directory holding ``.git`` at or above ``project_dir``; else ``project_dir`` itself.

    The farthest the venv search goes: the checkout is the project, and a
    directory above it (a home, ``/tmp``, ``/``) is someone else's.
    """
    start = project_dir.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def _project_venv(project_dir: Path) -> Path | None:
    """``.venv`` / ``venv`` in the project directory or a parent, up to the repository root."""
    start = project_dir.resolve()
    root = repository_root(start)
    for directory in (start, *start.parents):
        for name in _VENV_DIRS:
            found = _venv_python(directory / name)
            if found is not None and _owned_by_user(found):
                return found
        if directory == root:
            break
    return None


def find_python(project_dir: Path) -> tuple[Path | None, str]:
    """The interpreter to import the settings class with, and why it was chosen.

    Called only once the user consented to project code (``--settings``,
    ``--allow-project-code``): the project's venv is project code too.
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
