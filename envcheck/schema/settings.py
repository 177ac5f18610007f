"""The pydantic-settings adapter: an app's own Settings class as the schema.

This is the only module that reaches ``pydantic_settings``, and only when
the user asks for it: ``--settings package.module:Class``, or the config's
``settings =`` with ``--allow-project-code`` (``envcheck.schema.load`` is
the gate; a checked file alone never makes envcheck import a class).
Field names map to variable names exactly as pydantic-settings maps them
(``env_prefix``, aliases, ``case_sensitive``), by asking a
pydantic-settings source; validation runs the real class against the
*resolved* environment instead of ``os.environ`` and the app's env files,
so each error can be traced to the file:line its value came from.

The class is imported by the project's own interpreter when it has one
(``interpreter.find_python``): in a subprocess that runs
``settings_worker`` and answers with field metadata and validation errors
as JSON, never a value.  Otherwise the same worker code runs in-process.
Either way a missing dependency is named, with the interpreter that lacks
it and the command that installs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from envcheck.errors import ConfigError
from envcheck.schema.model import KeySpec, Schema
from envcheck.secret import is_secret_name

# Importing an app's settings can be slow (it imports the app), never this slow.
_WORKER_TIMEOUT = 120.0


class SettingsClass:
    """A handle on the imported class: where it lives and which interpreter imports it.

    Stands in ``Schema.settings_class``: ``__name__`` is the class's name, so
    reports read the same whichever interpreter imported it.
    """

    __slots__ = ("__name__", "target", "project_dir", "python", "cls")

    def __init__(
        self, name: str, target: str, project_dir: Path, python: Path | None, cls: Any
    ) -> None:
        self.__name__ = name
        self.target = target
        self.project_dir = project_dir
        self.python = python  # None: envcheck's interpreter, ``cls`` is the class itself
        self.cls = cls

    def __repr__(self) -> str:
        return f"SettingsClass({self.target!r})"


def _check_target(target: str) -> None:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigError(
            f"--settings {target!r} is not of the form package.module:Class",
            hint="for example: --settings app.config:Settings",
        )


def _install_hint(missing: str, module_name: str, python: str, why: str) -> str:
    top = module_name.split(".")[0]
    if missing == top:
        return (
            f"no module {missing!r} under the project directory; run envcheck from the "
            f"directory that holds it (or pass --dir), as `python -c 'import {module_name}'` would"
        )
    dist = missing.split(".")[0].replace("_", "-")
    other = (
        "or point envcheck at the project's interpreter with --python PATH"
        if why == "envcheck's own"
        else "or pass --python PATH for another interpreter"
    )
    return (
        f"module {missing!r} is not installed for {python} ({why}): "
        f"`{python} -m pip install {dist}` (or install the project's dependencies), {other}"
    )


def _raise_for(reply: Mapping[str, Any], target: str, python: str, why: str) -> NoReturn:
    """Turn an error reply of the worker into a one-line ConfigError (no chained context)."""
    kind = reply.get("error")
    if kind == "import":
        module_name = str(reply.get("module"))
        missing = reply.get("missing")
        raise ConfigError(
            f"cannot import settings module {module_name!r}: {reply.get('exception')}",
            hint=_install_hint(str(missing), module_name, python, why)
            if missing
            else f"run `{python} -c 'import {module_name}'` in the project to see the error",
        ) from None
    if kind == "not-settings":
        raise ConfigError(
            f"{target!r} is not a pydantic-settings BaseSettings class",
            hint="point --settings at the class, not an instance",
        ) from None
    raise ConfigError(
        f"the settings worker failed under {python}: {reply.get('exception', 'no reply')}",
        hint="the worker needs pydantic 2 and pydantic-settings 2 in that interpreter",
    ) from None


def _run_worker(python: Path, request: Mapping[str, Any], why: str) -> dict[str, Any]:
    """Run ``settings_worker`` under ``python``; its JSON reply (values go in, never out)."""
    import json
    import subprocess

    if not (python.is_file() and os.access(python, os.X_OK)):
        raise ConfigError(
            f"--python {python}: no executable Python there",
            hint="give the path of the project's interpreter, e.g. .venv/bin/python",
        )
    code = Path(__file__).with_name("settings_worker.py").read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    try:
        done = subprocess.run(
            [str(python), "-c", code],
            input=json.dumps(request),
            capture_output=True,  # stderr too: an app's prints may hold values
            text=True,
            encoding="utf-8",
            cwd=str(request["dir"]),
            env=env,
            timeout=_WORKER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"importing {request['target']} under {python} took over {_WORKER_TIMEOUT:.0f} s",
            hint="does the settings module connect somewhere at import time?",
        ) from None
    except OSError as err:
        raise ConfigError(f"cannot run {python}: {err.strerror}") from None
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise ConfigError(
            f"the settings worker gave no answer under {python} (exit {done.returncode})",
            hint=f"is {python} a Python 3.8+ with pydantic-settings 2 installed? ({why})",
        )
    if "error" in reply:
        _raise_for(reply, str(request["target"]), str(python), why)
    return reply


def import_settings(project_dir: Path, target: str) -> SettingsClass:
    """Import ``package.module:Class`` with the project's interpreter, or envcheck's own.

    Whatever the import raises (often a ValidationError from a module-level
    ``settings = Settings()``, whose text may hold values) becomes a
    one-line ConfigError naming only the module and the exception type, and
    a missing module by name, interpreter and install command.
    """
    from envcheck.schema.interpreter import find_python

    _check_target(target)
    python, why = find_python(project_dir)
    directory = str(project_dir.resolve())
    if python is not None:
        reply = _run_worker(python, {"target": target, "dir": directory}, why)
        return SettingsClass(str(reply["class"]), target, project_dir, python, reply)
    import sys

    from envcheck.schema import settings_worker

    found = settings_worker.load_class(directory, target)
    if isinstance(found, dict):
        _raise_for(found, target, sys.executable, why)
    return SettingsClass(found.__name__, target, project_dir, None, found)


def _description(handle: SettingsClass) -> dict[str, Any]:
    if handle.python is not None:
        return dict(handle.cls)  # the worker's reply
    from envcheck.schema import settings_worker

    return settings_worker.describe(handle.cls)


def settings_schema(project_dir: Path, target: str) -> Schema:
    """The schema a Settings class implies: one KeySpec per field."""
    handle = import_settings(project_dir, target)
    described = _description(handle)
    keys: dict[str, KeySpec] = {}
    field_env: dict[str, str] = {}
    for field in described["fields"]:
        names = field["env"]
        if not names:
            continue
        env_name = str(names[0])
        field_env[str(field["field"])] = env_name
        if field.get("alias"):
            field_env[str(field["alias"])] = env_name
        keys[env_name] = KeySpec(
            name=env_name,
            required=bool(field["required"]),
            secret=True if field["secret_type"] or is_secret_name(env_name) else None,
            description=field.get("description"),
            where=f"{target} ({field['field']})",
        )  # type stays "str": the class itself validates (EC309), no double reports
    return Schema(
        keys=keys,
        source=f"settings:{target}",
        settings=target,
        case_sensitive=bool(described["case_sensitive"]),
        settings_class=handle,
        field_env=field_env,
    )


def validate_settings(handle: Any, env: Mapping[str, str]) -> list[dict[str, Any]]:
    """pydantic's errors for the class built from ``env`` alone (no env files, no init args).

    Each error is ``{"loc": (...), "msg": str, "type": str}``; inputs are
    not included, so no value travels further.  ``env`` reaches a project
    interpreter on its stdin only.
    """
    if isinstance(handle, SettingsClass) and handle.python is not None:
        request = {"target": handle.target, "dir": str(handle.project_dir.resolve()), "env": env}
        reply = _run_worker(handle.python, request, "--settings")
        errors = reply.get("errors", [])
    else:
        from envcheck.schema import settings_worker

        cls = handle.cls if isinstance(handle, SettingsClass) else handle
        errors = settings_worker.validate(cls, env)
    return [{"loc": tuple(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])} for e in errors]
