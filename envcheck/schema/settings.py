"""The pydantic-settings adapter: an app's own Settings class as the schema.

This is the only module that imports ``pydantic_settings``, and only when
``--settings package.module:Class`` (or ``settings =`` in the config) asks
for it.  Field names map to variable names exactly as pydantic-settings
maps them (``env_prefix``, aliases, ``case_sensitive``), by asking a
pydantic-settings source; validation runs the real class against the
*resolved* environment instead of ``os.environ`` and the app's env files,
so each error can be traced to the file:line its value came from.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError
from envcheck.schema.model import KeySpec, Schema
from envcheck.secret import is_secret_name


@contextlib.contextmanager
def _on_path(directory: Path) -> Iterator[None]:
    """The project first on ``sys.path``, and no bytecode written while it is.

    A checker must leave the project as it found it, and a settings
    module's ``.pyc`` would hold its defaults (often a key) in
    ``__pycache__``, where no ``.gitignore`` rule for ``.env`` covers it.
    """
    entry = str(directory.resolve())
    sys.path.insert(0, entry)
    no_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = no_bytecode
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def import_settings(project_dir: Path, target: str) -> type[Any]:
    """Import ``package.module:Class`` with the project on ``sys.path``.

    Whatever the import raises (often a ValidationError from a module-level
    ``settings = Settings()``, whose text may hold values) becomes a
    one-line ConfigError naming only the module and the exception type.
    Anything the module prints goes to stderr, keeping stdout clean for
    machine formats.
    """
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigError(
            f"--settings {target!r} is not of the form package.module:Class",
            hint="for example: --settings app.config:Settings",
        )
    with _on_path(project_dir), contextlib.redirect_stdout(sys.stderr):
        try:
            module = importlib.import_module(module_name)
        except BaseException as err:  # noqa: BLE001 - user code: anything may happen
            if isinstance(err, KeyboardInterrupt):
                raise
            raise ConfigError(
                f"cannot import settings module {module_name!r}: {type(err).__name__}",
                hint=f"run `python -c 'import {module_name}'` in the project to see the error",
            ) from None
    obj: Any = module
    for part in attr.split("."):
        obj = getattr(obj, part, None)
    from pydantic_settings import BaseSettings

    if not (isinstance(obj, type) and issubclass(obj, BaseSettings)):
        raise ConfigError(
            f"{target!r} is not a pydantic-settings BaseSettings class",
            hint="point --settings at the class, not an instance",
        )
    return obj


def _source(cls: type[Any], env: Mapping[str, str]) -> Any:
    """A pydantic-settings env source that reads ``env`` instead of ``os.environ``."""
    from pydantic_settings import EnvSettingsSource
    from pydantic_settings.sources.utils import parse_env_vars

    class MappingSource(EnvSettingsSource):
        def _load_env_vars(self) -> Mapping[str, str | None]:
            return parse_env_vars(
                env, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
            )

    return MappingSource(cls)


def _env_names(source: Any, cls: type[Any], name: str, info: Any, upper: bool) -> list[str]:
    try:
        found = [env for _, env, _ in source._extract_field_info(info, name)]
    except Exception:  # noqa: BLE001 - private API; fall back to the documented rule
        prefix = cls.model_config.get("env_prefix", "")
        alias = info.validation_alias if isinstance(info.validation_alias, str) else info.alias
        found = [alias or prefix + name]
    return [e.upper() if upper else e for e in found]


def settings_schema(project_dir: Path, target: str) -> Schema:
    """The schema a Settings class implies: one KeySpec per field."""
    from pydantic import SecretBytes, SecretStr

    cls = import_settings(project_dir, target)
    case_sensitive = bool(cls.model_config.get("case_sensitive", False))
    source = _source(cls, {})
    keys: dict[str, KeySpec] = {}
    field_env: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        names = _env_names(source, cls, name, info, not case_sensitive)
        if not names:
            continue
        env_name = names[0]
        field_env[name] = env_name
        if isinstance(info.alias, str):
            field_env[info.alias] = env_name
        annotation = str(info.annotation)
        secret = info.annotation in (SecretStr, SecretBytes) or "Secret" in annotation
        keys[env_name] = KeySpec(
            name=env_name,
            required=info.is_required(),
            secret=True if secret or is_secret_name(env_name) else None,
            description=info.description,
            where=f"{target} ({name})",
        )  # type stays "str": the class itself validates (EC309), no double reports
    return Schema(
        keys=keys,
        source=f"settings:{target}",
        settings=target,
        case_sensitive=case_sensitive,
        settings_class=cls,
        field_env=field_env,
    )


def validate_settings(cls: type[Any], env: Mapping[str, str]) -> list[dict[str, Any]]:
    """pydantic's errors for ``cls`` built from ``env`` alone (no env files, no init args).

    Each error is ``{"loc": (...), "msg": str, "type": str}``; inputs are
    not included, so no value travels further.
    """
    from pydantic import ValidationError

    def only_env(
        _cls: type[Any], settings_cls: type[Any], init_settings: Any, *_: Any, **__: Any
    ) -> tuple[Any, ...]:
        return (init_settings, _source(settings_cls, env))

    probe = type(cls.__name__, (cls,), {"settings_customise_sources": classmethod(only_env)})
    try:
        probe()
    except ValidationError as err:
        return [
            {"loc": tuple(e["loc"]), "msg": str(e["msg"]), "type": str(e["type"])}
            for e in err.errors(include_url=False, include_input=False, include_context=False)
        ]
    except Exception as err:  # noqa: BLE001 - a validator in user code raised something else
        return [
            {"loc": (), "msg": f"the settings class raised {type(err).__name__}", "type": "error"}
        ]
    return []
