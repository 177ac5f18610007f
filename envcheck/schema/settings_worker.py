"""Import a pydantic-settings class, describe its fields, validate an environment.

This module runs in two places, with the same code: inside envcheck when
envcheck's own interpreter can import the project, and as ``python -c
<this source>`` under the *project's* interpreter (its ``.venv``,
``$VIRTUAL_ENV`` or ``--python``) when it cannot: an app's settings module
imports the app's dependencies (email-validator, sqlmodel, ...), which a
tool installed with pipx never has.  So it imports nothing from envcheck and
nothing beyond the standard library and pydantic, and stays valid Python 3.8.

In a subprocess it reads one JSON request on stdin (``target``, ``dir`` and,
to validate, ``env``) and writes one JSON reply on stdout.  Replies carry
field metadata, exception *type* names, missing module names and pydantic's
error messages without inputs: never a value.  Anything the settings module
prints goes to stderr, so it cannot be mistaken for the reply.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator, Mapping
from typing import Any

# Annotations stay strings (``from __future__``): the file must also run on Python 3.8.


@contextlib.contextmanager
def _on_path(directory: str) -> Iterator[None]:
    """The project first on ``sys.path``, and no bytecode written while it is.

    A checker must leave the project as it found it, and a settings
    module's ``.pyc`` would hold its defaults (often a key) in
    ``__pycache__``, where no ``.gitignore`` rule for ``.env`` covers it.
    """
    sys.path.insert(0, directory)
    no_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = no_bytecode
        with contextlib.suppress(ValueError):
            sys.path.remove(directory)


def _missing_module(err: BaseException) -> str | None:
    """The module whose absence caused ``err``, if a ModuleNotFoundError is in its chain.

    pydantic raises a plain ImportError ("email-validator is not installed")
    *from* the ModuleNotFoundError, so the chain is walked, not just ``err``.
    """
    seen = 0
    current: BaseException | None = err
    while current is not None and seen < 10:
        if isinstance(current, ModuleNotFoundError) and current.name:
            return current.name
        current = current.__cause__ or current.__context__
        seen += 1
    return None


def load_class(directory: str, target: str) -> type | dict[str, Any]:
    """``package.module:Class`` imported with ``directory`` on the path, or an error reply."""
    module_name, _, attr = target.partition(":")
    with _on_path(directory), contextlib.redirect_stdout(sys.stderr):
        try:
            module = importlib.import_module(module_name)
        except BaseException as err:  # noqa: BLE001 - user code: anything may happen
            if isinstance(err, KeyboardInterrupt):
                raise
            return {
                "error": "import",
                "module": module_name,
                "exception": type(err).__name__,
                "missing": _missing_module(err),
            }
    obj: Any = module
    for part in attr.split("."):
        obj = getattr(obj, part, None)
    try:
        from pydantic_settings import BaseSettings
    except ImportError:
        return {"error": "import", "module": module_name, "exception": "ImportError",
                "missing": "pydantic_settings"}  # fmt: skip
    if not (isinstance(obj, type) and issubclass(obj, BaseSettings)):
        return {"error": "not-settings"}
    return obj


def _mapping_source(cls: type, env: Mapping[str, str]) -> Any:
    """A pydantic-settings env source that reads ``env`` instead of ``os.environ``.

    The mapping is prepared as pydantic-settings prepares ``os.environ``
    (case folding, ``env_ignore_empty``, ``env_parse_none_str``), written
    out here because the helper that does it moved between versions.
    """
    from pydantic_settings import EnvSettingsSource

    class MappingSource(EnvSettingsSource):
        def _load_env_vars(self) -> Mapping[str, str | None]:
            out: dict[str, str | None] = {}
            for key, value in env.items():
                if self.env_ignore_empty and value == "":
                    continue
                none_str = getattr(self, "env_parse_none_str", None)
                out[key if self.case_sensitive else key.lower()] = (
                    None if none_str is not None and value == none_str else value
                )
            return out

    return MappingSource(cls)


def _env_names(source: Any, cls: Any, name: str, info: Any, upper: bool) -> list[str]:
    try:
        found = [env for _, env, _ in source._extract_field_info(info, name)]
    except Exception:  # noqa: BLE001 - private API; fall back to the documented rule
        prefix = cls.model_config.get("env_prefix", "")
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        found = [alias or prefix + name]
    return [e.upper() if upper else e for e in found]


def describe(cls: Any) -> dict[str, Any]:
    """Field metadata: the variable each field reads, required, secret-typed, description."""
    from pydantic import SecretBytes, SecretStr

    case_sensitive = bool(cls.model_config.get("case_sensitive", False))
    source = _mapping_source(cls, {})
    fields = []
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        fields.append(
            {
                "field": name,
                "env": _env_names(source, cls, name, info, not case_sensitive),
                "alias": info.alias if isinstance(info.alias, str) else None,
                "required": bool(info.is_required()),
                "secret_type": annotation in (SecretStr, SecretBytes)
                or "Secret" in str(annotation),
                "description": info.description,
            }
        )
    return {"class": cls.__name__, "case_sensitive": case_sensitive, "fields": fields}


def validate(cls: Any, env: Mapping[str, str]) -> list[dict[str, Any]]:
    """pydantic's errors for ``cls`` built from ``env`` alone (no env files, no init args).

    Each error is ``{"loc": [...], "msg": str, "type": str}``; inputs are
    not included, so no value travels further.
    """
    from pydantic import ValidationError

    def only_env(
        _cls: Any, settings_cls: Any, init_settings: Any, *_: Any, **__: Any
    ) -> tuple[Any, ...]:
        return (init_settings, _mapping_source(settings_cls, env))

    probe = type(cls.__name__, (cls,), {"settings_customise_sources": classmethod(only_env)})
    with contextlib.redirect_stdout(sys.stderr):
        try:
            probe()
        except ValidationError as err:
            return [
                {"loc": list(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])}
                for e in err.errors(include_url=False, include_input=False, include_context=False)
            ]
        except Exception as err:  # noqa: BLE001 - a validator in user code raised something else
            return [{"loc": [], "msg": f"the settings class raised {type(err).__name__}",
                     "type": "error"}]  # fmt: skip
    return []


def serve(request: Mapping[str, Any]) -> dict[str, Any]:
    """One request: describe the class, and validate ``env`` when it is given."""
    found = load_class(str(request["dir"]), str(request["target"]))
    if isinstance(found, dict):
        return found
    reply = describe(found)
    if request.get("env") is not None:
        reply["errors"] = validate(found, request["env"])
    return reply


def main() -> None:
    """The subprocess entry: JSON request on stdin, one JSON reply on stdout."""
    import json

    reply_to = sys.stdout
    sys.stdout = sys.stderr  # whatever the app prints is not the reply
    try:
        reply = serve(json.load(sys.stdin))
    except BaseException as err:  # noqa: BLE001 - report the type only, never the text
        if isinstance(err, KeyboardInterrupt):
            raise
        reply = {"error": "worker", "exception": type(err).__name__}
    reply_to.write(json.dumps(reply))
    reply_to.flush()


if __name__ == "__main__":
    main()
