"""Schema rules (EC3xx): is each value what the app needs?

Missing, empty, unknown, mistyped, misformatted, placeholder and
stray-character values, checked against the project's schema when it has
one; placeholders, stray characters and the shapes of well-known keys
(``OPENAI_API_KEY`` ...) are checked without one.  One value yields at most
one finding from the value checks, the most specific one: an empty value is
not also "not an integer", a placeholder is not also "not an OpenAI key".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from envcheck.model import PROCESS, Finding, Location, Record, Related, Severity
from envcheck.rules.base import CheckContext, Rule
from envcheck.rules.schema_docs import DOCS
from envcheck.schema.formats import DETECTORS, check_format, format_for_name, is_placeholder
from envcheck.schema.formats import stray_characters as stray
from envcheck.schema.model import KeySpec, Schema
from envcheck.schema.values import has_zero_width
from envcheck.secret import expects_credential, is_ciphertext, redact, reveal
from envcheck.sources.types import Origin, Resolution

E, W = Severity.ERROR, Severity.WARNING


def _rule(code: str, name: str, severity: Severity, summary: str, enabled: bool = True) -> Rule:
    return Rule(code, name, severity, summary, DOCS[code], default_enabled=enabled)


RULES: tuple[Rule, ...] = (
    _rule("EC301", "missing-required-key", E, "A key the schema requires is not set"),
    _rule("EC302", "empty-value", E, "A schema key is set to the empty string"),
    _rule("EC303", "unknown-key", W, "A file defines a key the schema does not declare", False),
    _rule("EC304", "invalid-type", E, "A value does not have the type the schema declares"),
    _rule("EC305", "invalid-format", E, "A value does not fit the format the schema declares"),
    _rule("EC306", "placeholder-value", E, "A value is a template placeholder"),
    _rule("EC307", "stray-characters-in-value", E, "Whitespace, quotes or invisible characters"),
    _rule("EC308", "known-key-format-mismatch", W, "A well-known key does not have its shape"),
    _rule("EC309", "settings-validation-error", E, "The pydantic-settings class rejects a value"),
)
R = {r.code: r for r in RULES}


class _Value(Record):
    """A value and where it came from (None: the process environment alone).

    The Location is built on demand: most values never get a finding.
    """

    __slots__ = ("key", "value", "origin")
    _not_shown = ("value",)
    key: str
    value: str
    origin: Origin | None

    def __init__(self, key: str, value: str, origin: Origin | None) -> None:
        self.key = key
        self.value = value
        self.origin = origin

    @property
    def location(self) -> Location:
        return Location(PROCESS) if self.origin is None else _loc(self.origin)


def _loc(origin: Origin) -> Location:
    if origin.is_process:
        return Location(PROCESS)
    return Location(origin.source, origin.line, origin.col)


def _where(spec_where: str | None) -> Location:
    """``envcheck.toml:12`` as a Location; a settings field has no file location."""
    path, _, line = (spec_where or "").rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else Location()


class _Values:
    """The values the app sees, looked up as the schema matches names."""

    def __init__(self, resolution: Resolution, env: Mapping[str, str], case: bool) -> None:
        self.items = {k: _Value(k, reveal(r.value), r.origin) for k, r in resolution.vars.items()}
        self.env = env
        self.case = case
        self.upper = {} if case else {k.upper(): v for k, v in self.items.items()}

    def get(self, name: str) -> _Value | None:
        found = self.items.get(name) if self.case else self.upper.get(name.upper())
        if found is not None:
            return found
        for key, value in self.env.items():  # set only in the process environment
            if key == name or (not self.case and key.upper() == name.upper()):
                return _Value(key, value, None)
        return None


def check(ctx: CheckContext) -> Iterable[Finding]:
    schema = ctx.schema if isinstance(ctx.schema, Schema) else None
    res = ctx.resolution
    values = _Values(res, ctx.process_env, schema.case_sensitive if schema else True)
    seen: set[str] = set()
    if schema is not None:
        for spec in schema.keys.values():
            found = values.get(spec.name)
            if found is None:
                if spec.is_required(res.mode):
                    yield _missing(spec, res, _read_at(ctx, spec.name))
                continue
            seen.add(found.key)
            required = spec.is_required(res.mode) and not _left_empty(ctx, spec, found)
            yield from _value(found, spec, ctx, required=required)
    for key, found in values.items.items():
        if key not in seen and _may_find(found):
            yield from _value(found, None, ctx, required=False)
    # EC303 is off unless selected (or allow_unknown = false): skip its difflib then.
    if schema is not None and schema.keys and (ctx.enabled is None or "EC303" in ctx.enabled):
        yield from _unknown(schema, values, seen)
    if schema is not None and schema.settings_class is not None:
        yield from _settings(schema, ctx, values)


def _left_empty(ctx: CheckContext, spec: KeySpec, found: _Value) -> bool:
    """The template leaves the key empty, with no ``required`` said, and so does the copy.

    A template read as the schema only *guesses* that every key is required;
    ``cp .env.local.example .env.local`` leaving a key empty is how a
    developer says "I do not use this one" (the Azure block of a chatbot
    that also speaks OpenAI).  A key missing altogether is still EC301, and
    ``envcheck.toml`` or a ``# required`` annotation still makes it EC302.
    """
    if found.value != "" or not spec.where:
        return False
    path, _, line = spec.where.rpartition(":")
    from envcheck.sources.templates import is_template

    if not line.isdigit() or not is_template(Path(path).name):
        return False
    example = _template_keys(ctx, path)
    item = example.get(spec.name)
    return item is not None and item.value == "" and "required" not in item.fields


def _optional_integration(ctx: CheckContext, spec: KeySpec | None, key: str) -> bool:
    """The code reads ``key`` only where it copes without it (a default, a test, a guard),
    and no schema says it is required: only a template's guess (which lists every
    integration the app supports) or nothing.  Its placeholder is then a warning: the
    developer has not set up that integration, and the app runs without it."""
    if spec is not None and spec.where:
        path, _, line = spec.where.rpartition(":")
        from envcheck.sources.templates import is_template

        if not line.isdigit() or not is_template(Path(path).name):
            if spec.required or spec.required_modes is not None:
                return False  # envcheck.toml, a settings class: a requirement someone wrote
        elif (item := _template_keys(ctx, path).get(spec.name)) is None or item.fields.get(
            "required"
        ) is True:
            return False  # `# required` in the template
    from envcheck.rules.code import read_only_optionally

    return read_only_optionally(ctx, key)


def _template_keys(ctx: CheckContext, path: str) -> dict[str, Any]:
    """The template's keys, parsed once per run (the schema loader read the same file)."""
    cache: dict[str, dict[str, Any]] = ctx.shared.setdefault(__name__ + ".templates", {})
    if path not in cache:
        from envcheck.schema.example import parse_example
        from envcheck.sources.checkout import ENV_FILE_CAP, read_text

        try:
            text = read_text(
                ctx.project_dir / path, within=ctx.project_dir, cap=ENV_FILE_CAP, errors="replace"
            )
        except OSError:
            text = ""
        cache[path] = {k.name: k for k in parse_example(text, path)}
    return cache[path]


def _read_at(ctx: CheckContext, key: str) -> tuple[Related, ...]:
    """Where the code reads ``key``: EC301 owns a declared key the code reads (EC901 leaves
    it alone), so it points at the code too."""
    from envcheck.rules.code import code_reads, related_reads

    return related_reads(code_reads(ctx, key), "read here")


def _missing(spec: KeySpec, res: Resolution, read_at: tuple[Related, ...] = ()) -> Finding:
    modes = f" in {res.mode} mode" if spec.required_modes is not None else ""
    target = res.files[0] if res.files else ".env"
    location = Location(res.files[0]) if res.files else _where(spec.where)
    declared = _where(spec.where)
    related = read_at
    if declared.path is not None and declared != location:
        related = (Related(declared, "declared here"), *read_at)
    # A settings field is no place in a file: the hint names it.
    named = f"; {spec.where} declares it" if spec.where and declared.path is None else ""
    return R["EC301"].finding(
        f"{spec.name} is required{modes} but no loaded file or the process environment sets it",
        location,
        key=spec.name,
        hint=f"add {spec.name}=… to {target}{named}",
        related=related,
    )


def _value(
    v: _Value, spec: KeySpec | None, ctx: CheckContext, *, required: bool
) -> Iterator[Finding]:
    """At most one finding per value: empty, placeholder, stray, type, then format."""
    fmt = spec.format if spec is not None else None
    known = None if fmt else format_for_name(v.key)
    secret = spec.secret if spec is not None and spec.secret is not None else None
    if secret is None:
        secret = expects_credential(v.key, v.value)
    if v.value == "":
        if spec is not None and (required or spec.type != "str" or spec.choices):
            yield R["EC302"].finding(
                f"{v.key} is set but empty",
                v.location,
                key=v.key,
                hint="set a value, or remove the line so the app's default applies",
                severity=None if required else W,
            )
        return
    if is_ciphertext(v.value):
        return  # dotenvx ciphertext: the app gets the plaintext; EC511 checks its key
    from envcheck.sources.references import reference_kind

    if reference_kind(v.value):
        return  # op://…, ${{ secrets.X }}, a deploy target's secret store: a pointer, not a value
    if is_placeholder(v.value):  # any key: the app gets "replace-me" as its value
        yield R["EC306"].finding(
            f"{v.key} holds a placeholder, not a real value",
            v.location,
            key=v.key,
            hint=f"replace it with the real {v.key}",
            # An error where a real value is surely needed; a warning for any other key,
            # and for an integration the code can run without that nothing says is needed.
            severity=None
            if (required or secret or (spec is None and known))
            and not _optional_integration(ctx, spec, v.key)
            else W,
        )
        return
    if reason := _stray(v, spec, secret, fmt or known):
        yield R["EC307"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint="remove the stray characters (check what the clipboard carried in)",
        )
        return
    if spec is not None:
        from envcheck.schema.types import validate

        if reason := validate(spec, v.value):
            yield R["EC304"].finding(
                f"{v.key} {redact(reason, [v.value])}",
                v.location,
                key=v.key,
                hint=f"{spec.where or 'the schema'} declares type {spec.type}",
            )
            return
    if fmt and (reason := check_format(fmt, v.value)):
        yield R["EC305"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint=f"{spec.where if spec and spec.where else 'the schema'} declares format {fmt}; "
            f"expected {DETECTORS[fmt].shape}",
        )
    elif (
        known
        and not _other_provider(v.key, known, ctx)
        and (reason := check_format(known, v.value))
    ):
        yield R["EC308"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint=f"expected {DETECTORS[known].shape}; declare the key's format in envcheck.toml "
            "if this is intended",
        )


def _may_find(v: _Value) -> bool:
    """False when ``_value(v, None, ...)`` surely finds nothing (the common case, cheaply).

    Without a spec: an empty value is no finding, and a value that is neither
    secret nor of a well-known format can only be a placeholder or have a zero-width
    character.
    """
    if v.value == "":
        return False
    return (
        bool(format_for_name(v.key))
        or expects_credential(v.key, v.value)
        or has_zero_width(v.value)
        or is_placeholder(v.value)
    )


def _stray(v: _Value, spec: KeySpec | None, secret: bool, fmt: str | None) -> str | None:
    reason = stray(v.value)
    if reason is None or "zero-width" in reason:
        return reason
    keyish = secret or fmt is not None or (spec is not None and spec.type in ("url", "email"))
    if not keyish:
        return None
    if reason == "contains a line break" and (
        "-----BEGIN" in v.value or (spec is not None and spec.type == "json")
    ):
        return None  # PEM keys and JSON span lines by design
    return reason


def _other_provider(key: str, known: str, ctx: CheckContext) -> bool:
    """An OpenAI-compatible provider's key in OPENAI_API_KEY is not a mismatch."""
    if known != "openai-api-key":
        return False
    base = ctx.resolution.vars.get("OPENAI_BASE_URL")
    url = reveal(base.value) if base is not None else ctx.process_env.get("OPENAI_BASE_URL", "")
    return bool(url) and "api.openai.com" not in url


def _unknown(schema: Schema, values: _Values, seen: set[str]) -> Iterator[Finding]:
    import difflib

    names = list(schema.keys)
    for key, v in values.items.items():
        if key in seen or v.location.path == PROCESS:
            continue
        close = difflib.get_close_matches(key, names, n=1)
        yield R["EC303"].finding(
            f"{key} is not declared in the schema ({schema.source})",
            v.location,
            key=key,
            hint=f"did you mean {close[0]}?" if close else f"declare it in {schema.source}",
            severity=None if schema.allow_unknown else E,
        )


def _settings(schema: Schema, ctx: CheckContext, values: _Values) -> Iterator[Finding]:
    from envcheck.schema.settings import validate_settings

    env = dict(ctx.process_env)
    env.update((v.key, v.value) for v in values.items.values())
    cls = schema.settings_class
    for error in validate_settings(cls, env):
        loc = error["loc"]
        if error["type"] == "missing":
            continue  # EC301 reports it, with a hint where to add it
        field = str(loc[0]) if loc else ""
        name = schema.field_env.get(field, field.upper())
        found = values.get(name) if name else None
        path = f"{field}.{'.'.join(map(str, loc[1:]))}" if len(loc) > 1 else field
        message = redact(str(error["msg"]), [found.value] if found else [])
        res = ctx.resolution
        yield R["EC309"].finding(
            f"{name or cls.__name__} fails {cls.__name__} validation: {message}",
            found.location if found else Location(res.files[0] if res.files else None),
            key=name or None,
            hint=f"field {path!r} of {schema.settings}" if field else None,
        )
