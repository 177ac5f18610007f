"""The schema's data: one :class:`KeySpec` per expected key, and the :class:`Schema`.

A schema says what the app needs (required keys, types, formats, which keys
are secret or may be public); config options read from the same file
(``select``, ``ignore``, ``strict``, ``framework``, ``mode``) travel with it
so the CLI reads one file once.  Defaults are kept out of ``repr`` because
a careless schema could hold a real value.
"""

from __future__ import annotations

from typing import Any

from envcheck.model import FrozenRecord, Record

TYPES = (
    "str",
    "int",
    "float",
    "bool",
    "url",
    "email",
    "port",
    "json",
    "enum",
    "regex",
    "path",
)
"""Value types a key may declare (``regex``: the value must compile as a regex)."""


# Template files that list the keys an app needs (dotenv-safe, dotenvx); every
# spelling, and which one is read, is in envcheck.sources.templates.
EXAMPLE_NAMES = (".env.example", ".env.sample", ".env.template")


class KeySpec(FrozenRecord):
    """What one key must look like.

    ``required_modes`` (``None`` = every mode) restricts ``required`` to some
    modes; ``pattern`` must match the whole value; ``format`` names a
    detector in :mod:`envcheck.schema.formats`; ``secret`` ``None`` means
    "guess from the name and value"; ``where`` is the spec's own location
    (``envcheck.toml:12``) for hints.
    """

    __slots__ = (
        "name",
        "required",
        "required_modes",
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
        "where",
        "phase",
    )
    _not_shown = ("default",)
    name: str
    required: bool
    required_modes: tuple[str, ...] | None
    type: str
    choices: tuple[str, ...] | None
    pattern: str | None
    format: str | None
    secret: bool | None
    public: bool
    probe: str | None
    base_url: str | None  # where the probe may send this key (envcheck.probe.trust)
    model: str | None  # the model the app calls with this key: the probe proves that one
    description: str | None
    default: str | None
    where: str | None
    phase: str | None  # "build" | "start" | "both"; None: by the profile's public prefixes

    def __init__(
        self,
        name: str,
        required: bool = True,
        required_modes: tuple[str, ...] | None = None,
        type: str = "str",
        choices: tuple[str, ...] | None = None,
        pattern: str | None = None,
        format: str | None = None,
        secret: bool | None = None,
        public: bool = False,
        probe: str | None = None,
        description: str | None = None,
        default: str | None = None,
        where: str | None = None,
        base_url: str | None = None,
        phase: str | None = None,
        model: str | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "required_modes", required_modes)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "choices", choices)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "format", format)
        object.__setattr__(self, "secret", secret)
        object.__setattr__(self, "public", public)
        object.__setattr__(self, "probe", probe)
        object.__setattr__(self, "base_url", base_url)
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "where", where)
        object.__setattr__(self, "phase", phase)

    def is_required(self, mode: str) -> bool:
        """Required in ``mode``: required, and ``mode`` is one of its modes if it has any."""
        if not self.required:
            return False
        return self.required_modes is None or mode in self.required_modes


class Schema(Record):
    """The keys an app expects, where they were declared, and the file's options.

    ``source`` names where the keys came from (``envcheck.toml``,
    ``pyproject.toml``, ``.env.example``, ``settings:app.settings:Settings``).
    ``case_sensitive`` is False for pydantic-settings classes that match
    names case-insensitively.  ``settings_class`` is the imported
    pydantic-settings class, for the settings-validation rule (neither shown
    nor compared).
    """

    __slots__ = (
        "keys",
        "source",
        "allow_unknown",
        "select",
        "ignore",
        "strict",
        "framework",
        "mode",
        "settings",
        "case_sensitive",
        "config_file",
        "settings_class",
        "field_env",
    )
    _not_shown = ("settings_class",)
    _not_compared = ("settings_class",)
    keys: dict[str, KeySpec]
    source: str
    allow_unknown: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    strict: bool | None
    framework: str | None
    mode: str | None
    settings: str | None
    case_sensitive: bool
    config_file: str | None
    settings_class: Any
    field_env: dict[str, str]

    def __init__(
        self,
        keys: dict[str, KeySpec] | None = None,
        source: str = "",
        allow_unknown: bool = True,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        strict: bool | None = None,
        framework: str | None = None,
        mode: str | None = None,
        settings: str | None = None,
        case_sensitive: bool = True,
        config_file: str | None = None,
        settings_class: Any = None,
        field_env: dict[str, str] | None = None,
    ) -> None:
        self.keys = {} if keys is None else keys
        self.source = source
        self.allow_unknown = allow_unknown
        self.select = select
        self.ignore = ignore
        self.strict = strict
        self.framework = framework
        self.mode = mode
        self.settings = settings
        self.case_sensitive = case_sensitive
        self.config_file = config_file
        self.settings_class = settings_class
        self.field_env = {} if field_env is None else field_env

    def spec(self, key: str) -> KeySpec | None:
        """The spec for ``key`` honouring case sensitivity."""
        found = self.keys.get(key)
        if found is not None or self.case_sensitive:
            return found
        upper = key.upper()
        return next((s for n, s in self.keys.items() if n.upper() == upper), None)
