"""Find and read the schema: envcheck.toml, pyproject.toml, .env.example, or a Settings class.

Precedence (first found wins for the options; keys as below):

1. ``envcheck.toml`` in the project directory;
2. ``[tool.envcheck]`` in ``pyproject.toml``;
3. an annotated ``.env.example`` (else ``.env.local.example``, ``.env.sample``,
   ``.env.template``, … :mod:`envcheck.sources.templates`) for the keys, when
   the config file declares none;
4. a pydantic-settings class, from ``--settings package.module:Class`` or
   ``settings =`` in the config: its fields are the base keys, and
   ``[keys.*]`` tables in the config refine or add to them.  Importing it
   runs project code, so the config's ``settings =`` is imported only with
   the user's consent (``--allow-project-code``,
   :func:`envcheck.schema.interpreter.project_code_allowed`); without it,
   a one-line notice says so and the class's keys are not claimed.

The TOML format (in ``pyproject.toml`` the ``[envcheck]`` options sit
directly in ``[tool.envcheck]`` and keys in ``[tool.envcheck.keys.NAME]``)::

    [envcheck]
    framework = "nextjs"          # or auto, vite, cra, dotenv-flow, python-dotenv, ...
    mode = "development"          # default mode when --mode is not given
    select = ["EC303"]            # turn on opt-in rules (code, prefix or name)
    ignore = ["EC205"]            # turn rules off
    strict = false                # warnings fail the run
    allow_unknown = true          # false: keys not declared here are errors
    settings = "app.config:Settings"

    [keys.OPENAI_API_KEY]
    required = true               # default true
    format = "openai-api-key"     # a detector from envcheck.schema.formats
    secret = true                 # default: guessed from the name and value
    probe = "openai"
    description = "Chat completions"

    [keys.PORT]
    type = "port"                 # str int float bool url email port json enum regex path
    required = false
    default = "3000"

    [keys.SENTRY_DSN]
    type = "url"
    modes = ["production"]        # required only in these modes

    [keys.LOG_LEVEL]
    choices = ["debug", "info"]   # implies type = "enum"
    pattern = "[a-z]+"            # must match the whole value

``[keys] PORT = "port"`` is shorthand for a table with only ``type``.
Unknown options or key fields are errors, so a typo never silently
disables a check.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError
from envcheck.schema.model import TYPES, KeySpec, Schema
from envcheck.secret import safe_key
from envcheck.sources.checkout import ENV_FILE_CAP, read_bytes, read_text
from envcheck.sources.structured import load_toml, toml_type

OPTIONS = ("framework", "mode", "select", "ignore", "strict", "allow_unknown", "settings")
KEY_FIELDS = (
    "required",
    "modes",
    "type",
    "choices",
    "pattern",
    "format",
    "secret",
    "public",
    "probe",
    "base_url",
    "model",
    "description",
    "default",
    "phase",
)
PHASES = ("build", "start", "both")  # when the key is needed (envcheck.targets.phase)


def _read_toml(path: Path, shown: str) -> tuple[dict[str, Any], str]:
    try:
        data = read_bytes(path, within=path.parent)
    except OSError as err:
        raise ConfigError(
            f"cannot read: {err.strerror}", where=shown, hint="make it a readable regular file"
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ConfigError(
            f"invalid UTF-8 byte 0x{data[err.start]:02x}",
            where=f"{shown}:{line}",
            hint="save the file as UTF-8 (TOML files must be UTF-8)",
        ) from None
    return load_toml(text, shown), text


def _config(project_dir: Path) -> tuple[dict[str, Any], dict[str, Any], str, str] | None:
    """(options, keys, file name, text) of the config file in effect, if any."""
    path = project_dir / "envcheck.toml"
    if path.is_file():
        data, text = _read_toml(path, path.name)
        # [workspace] is read at a workspace root by envcheck.fanout (shared keys)
        _unknown(data, ("envcheck", "keys", "workspace"), path.name, "top-level table")
        return _table(data, "envcheck", path.name), _table(data, "keys", path.name), path.name, text
    if path.is_symlink() or path.exists():  # a directory, a pipe, a dangling link
        raise ConfigError(
            "is not a regular file",
            where=path.name,
            hint="make envcheck.toml the config file, or remove it",
        )
    path = project_dir / "pyproject.toml"
    if path.is_file():
        try:
            raw = read_text(path, within=project_dir)
        except (OSError, UnicodeDecodeError):
            return None
        if "envcheck" not in raw:
            return None  # not ours: a broken pyproject.toml is another tool's business
        data, text = _read_toml(path, path.name)
        tool = _table(data, "tool", path.name)
        if "envcheck" not in tool:
            return None
        section = _table(tool, "envcheck", path.name)
        _unknown(section, (*OPTIONS, "keys"), path.name, "option in [tool.envcheck]")
        options = {k: v for k, v in section.items() if k != "keys"}
        return options, _table(section, "keys", path.name), path.name, text
    return None


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(
            f"{name!r} must be a table, not {toml_type(value)}",
            where=where,
            hint=f"write it as a [{name}] section (or {name} = {{ ... }})",
        )
    return value


def _unknown(data: dict[str, Any], allowed: tuple[str, ...], where: str, what: str) -> None:
    extra = sorted(set(data) - set(allowed))
    if extra:
        raise ConfigError(
            # A name is masked unless plain: a key pasted on the wrong line is a name here.
            f"unknown {what}{'s' if len(extra) > 1 else ''}: {', '.join(map(safe_key, extra))}",
            where=where,
            hint=f"allowed: {', '.join(allowed)}",
        )


def _str_list(value: Any, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(
        f"{name!r} must be a list of strings, not {toml_type(value)}",
        where=where,
        hint=f'write {name} = ["...", "..."]',
    )


def _typed(value: Any, kind: type, name: str, where: str) -> Any:
    if value is not None and not isinstance(value, kind):
        want = {bool: "true or false", str: "a string"}.get(kind, f"a {kind.__name__}")
        example = "true" if kind is bool else '"..."'
        raise ConfigError(
            f"{name!r} must be {want}, not {toml_type(value)}",
            where=where,
            hint=f"write {name} = {example}",
        )
    return value


@cache  # only a config file's text needs it
def _header() -> re.Pattern[str]:
    return re.compile(
        r'[ \t]*\[[ \t]*(?:tool\.envcheck\.)?keys(?:\.[ \t]*"?([^"\]\s]+)"?)?[ \t]*\]'
    )


@cache  # only a [keys] table of NAME = "type" lines needs it
def _assign() -> re.Pattern[str]:
    return re.compile(r'[ \t]*"?([^"=\s]+)"?[ \t]*=')


def _key_lines(text: str) -> dict[str, int]:
    """Line of each ``[keys.NAME]`` header or ``NAME =`` in ``[keys]`` (tomllib keeps none)."""
    lines: dict[str, int] = {}
    in_keys = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("["):
            m = _header().match(line)
            in_keys = m is not None and m.group(1) is None
            if m is not None and m.group(1):
                lines.setdefault(m.group(1), number)
        elif in_keys and (m := _assign().match(line)):
            lines.setdefault(m.group(1), number)
    return lines


def _key_spec(name: str, raw: Any, where: str) -> KeySpec:
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"[keys.{name}] must be a table or a type name, not {toml_type(raw)}",
            where=where,
            hint=f'write [keys.{name}] with type = "str" and the other fields, one per line',
        )
    _unknown(raw, KEY_FIELDS, where, f"field in [keys.{name}]")
    kind = _typed(raw.get("type"), str, "type", where)
    choices = _str_list(raw["choices"], "choices", where) if "choices" in raw else None
    if kind is not None and kind not in TYPES:
        raise ConfigError(
            f"unknown type {kind!r}", where=where, hint=f"use one of: {', '.join(TYPES)}"
        )
    if kind == "enum" and not choices:
        raise ConfigError(
            f"[keys.{name}] has type enum but no choices",
            where=where,
            hint='add choices = ["...", "..."]',
        )
    fmt = _typed(raw.get("format"), str, "format", where)
    from envcheck.schema.formats import DETECTORS  # only a schema naming a format needs it

    if fmt is not None and fmt not in DETECTORS:
        raise ConfigError(
            f"unknown format {fmt!r}", where=where, hint=f"use one of: {', '.join(DETECTORS)}"
        )
    pattern = _typed(raw.get("pattern"), str, "pattern", where)
    if pattern is not None:
        from envcheck.schema.patterns import problem  # runs in linear time, or is refused

        refused = problem(pattern)
        if refused is not None:
            raise ConfigError(f"[keys.{name}]: {refused.message}", where=where, hint=refused.hint)
    phase = _typed(raw.get("phase"), str, "phase", where)
    if phase is not None and phase not in PHASES:
        raise ConfigError(
            f"unknown phase {phase!r}", where=where, hint=f"use one of: {', '.join(PHASES)}"
        )
    default = raw.get("default")
    if default is not None and not isinstance(default, (str, int, float, bool)):
        raise ConfigError(
            f"'default' must be a string, number or boolean, not {toml_type(default)}",
            where=where,
            hint='write default = "..."',
        )
    return KeySpec(
        name=name,
        required=bool(_typed(raw.get("required", True), bool, "required", where)),
        required_modes=_str_list(raw["modes"], "modes", where) if "modes" in raw else None,
        type=kind or ("enum" if choices else "str"),
        choices=choices,
        pattern=pattern,
        format=fmt,
        secret=_typed(raw.get("secret"), bool, "secret", where),
        public=bool(_typed(raw.get("public", False), bool, "public", where)),
        probe=_typed(raw.get("probe"), str, "probe", where),
        base_url=_typed(raw.get("base_url"), str, "base_url", where),
        model=_typed(raw.get("model"), str, "model", where),
        description=_typed(raw.get("description"), str, "description", where),
        default=None
        if default is None
        else str(default).lower()
        if isinstance(default, bool)
        else str(default),
        where=where,
        phase=phase,
    )


def _apply_options(schema: Schema, options: dict[str, Any], where: str) -> None:
    _unknown(options, OPTIONS, where, "option")
    framework = _typed(options.get("framework"), str, "framework", where)
    if framework is not None:
        from envcheck.sources.profiles import PROFILES

        if framework != "auto" and framework not in PROFILES:
            raise ConfigError(
                f"unknown framework {framework!r}",
                where=where,
                hint=f"use one of: auto, {', '.join(PROFILES)}",
            )
    schema.framework = framework
    schema.mode = _typed(options.get("mode"), str, "mode", where)
    # Checked against the rules where they are used (envcheck.project.Config.rules):
    # explain never imports a rule.
    schema.select = _str_list(options.get("select", []), "select", where)
    schema.ignore = _str_list(options.get("ignore", []), "ignore", where)
    schema.strict = _typed(options.get("strict"), bool, "strict", where)
    schema.allow_unknown = bool(
        _typed(options.get("allow_unknown", True), bool, "allow_unknown", where)
    )
    schema.settings = _typed(options.get("settings"), str, "settings", where)
    schema.config_file = where


def _example(project_dir: Path) -> tuple[dict[str, KeySpec], str] | None:
    from envcheck.sources.templates import find_example  # .env.example, .env.local.example, …

    name = find_example(project_dir)
    if name is None:
        return None
    from envcheck.schema.example import parse_example, to_spec

    names = separate_templates(project_dir, name) or [name]
    keys: dict[str, KeySpec] = {}
    for one in names:
        try:
            text = read_text(
                project_dir / one, within=project_dir, cap=ENV_FILE_CAP, errors="replace"
            )
        except OSError as err:
            raise ConfigError(
                f"cannot read: {err.strerror}", where=one, hint="make it a readable regular file"
            ) from None
        for k in parse_example(text, one):
            keys.setdefault(k.name, to_spec(k, one))
    return keys, "+".join(names)


def separate_templates(project_dir: Path, found: str | None = None) -> list[str]:
    """Each file's template, in the framework's order, where the files are separate
    processes' (:attr:`~envcheck.sources.profiles.Profile.separate_files`): a Wasp app's
    ``.env.server.example`` and ``.env.client.example`` are both its setup (``cp
    .env.server.example .env.server``), where :func:`find_example` keeps one template
    (``found``, when the caller has it).  Empty for every other project, which pays for
    no second listing of its folder unless ``found`` is the template of such a file, and
    for no detection unless it has two templates."""
    from envcheck.sources.profiles import PROFILES
    from envcheck.sources.templates import is_schema_template, live_name, template_names

    if found is not None:
        separate = {f.template for p in PROFILES.values() if p.separate_files for f in p.files}
        if live_name(found) not in separate:
            return []
    names = [n for n in template_names(project_dir) if is_schema_template(n)]
    if len(names) < 2:
        return []
    from envcheck.sources.detect import detect

    profile = PROFILES.get(detect(project_dir))
    if profile is None or not profile.separate_files:
        return []
    files = [f.template for f in profile.files]
    by_file = {f: next((n for n in names if live_name(n) == f), None) for f in files}
    return [n for n in by_file.values() if n is not None]


_noticed: set[str] = set()  # config files whose settings = was noted (once per run)


def _option_line(text: str, header: str) -> int | None:
    """Line of ``settings =`` in the ``[header]`` table of a config (tomllib keeps none)."""
    settings_line = re.compile(r"[ \t]*settings[ \t]*=")  # compiled only for the notice
    table = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            table = stripped[1:].split("]", 1)[0].strip()  # [envcheck]  # a comment
        elif table == header and settings_line.match(line):
            return number
    return None


def _consented_settings(project_dir: Path, schema: Schema, text: str) -> str | None:
    """The config's ``settings =`` class, if the user consented to importing it.

    Importing a class runs its module, and a checked file must not make
    envcheck run code: on a fresh clone or a pull request in CI, the config
    is someone else's.  Without consent the option is dropped (the schema
    does not claim the class's keys) and one notice, once per file, says
    how to consent.
    """
    target = schema.settings
    if not target:
        return None
    from envcheck.schema.interpreter import project_code_allowed

    if project_code_allowed():
        return target
    schema.settings = None
    file = schema.config_file or ""
    header = "tool.envcheck" if file == "pyproject.toml" else "envcheck"
    line = _option_line(text, header)
    seen = str((project_dir / file).resolve())  # a workspace root's config is read per app
    if seen not in _noticed:
        _noticed.add(seen)
        import os

        import click

        try:  # as the user reaches it from here: ../../envcheck.toml from an app of a monorepo
            shown_file = os.path.relpath(seen)
        except ValueError:  # another drive
            shown_file = seen
        where = f"{shown_file}:{line}" if line else shown_file

        # A value of another shape is not echoed: it may be terminal escapes or a pasted key.
        plain = re.fullmatch(r"[A-Za-z_][\w.]{0,150}:[A-Za-z_][\w.]{0,80}", target, re.ASCII)
        shown = f'"{target}"' if plain else "…"
        click.echo(
            f"envcheck: note: {where}: settings = {shown} is not imported: a checked file "
            "cannot make envcheck run project code; pass --allow-project-code "
            "(or set ENVCHECK_ALLOW_PROJECT_CODE=1) to check the class's fields",
            err=True,
        )
    return None


def load_schema(project_dir: Path, *, settings: str | None = None) -> Schema | None:
    """The project's schema, or None when it has none (the schema-free rules still run).

    Raises ConfigError for a broken or invalid config file, an unknown type
    or format, or a settings class that cannot be imported.  ``settings``
    comes from the command line (trusted): it is imported; the config's
    ``settings =`` only with the user's consent (:func:`_consented_settings`).
    """
    config = _config(project_dir)
    schema = Schema()
    keys: dict[str, Any] = {}
    text = ""
    if config is not None:
        options, keys, where, text = config
        _apply_options(schema, options, where)
    target = settings or _consented_settings(project_dir, schema, text)
    if target:
        from envcheck.schema.settings import settings_schema

        base = settings_schema(project_dir, target)
        base.config_file = schema.config_file
        for name in ("framework", "mode", "select", "ignore", "strict", "allow_unknown"):
            setattr(base, name, getattr(schema, name))
        schema = base
    if keys:
        lines = _key_lines(text)
        assert config is not None
        file = config[2]
        for name, raw in keys.items():
            where = f"{file}:{lines[name]}" if name in lines else file
            schema.keys[name] = _key_spec(name, raw, where)
        schema.source = f"{schema.source}+{file}" if target else file
    elif not target:
        found = _example(project_dir)
        if found is not None:
            schema.keys, schema.source = found
        elif config is None:
            return None
        else:
            schema.source = config[2]
    return schema
