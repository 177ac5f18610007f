"""The schema's data: one :class:`KeySpec` per expected key, and the :class:`Schema`.

A schema says what the app needs (required keys, types, formats, which keys
are secret or may be public); config options read from the same file
(``select``, ``ignore``, ``strict``, ``framework``, ``mode``) travel with it
so the CLI reads one file once.  Defaults are kept out of ``repr`` because
a careless schema could hold a real value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


# Template files that list the keys an app needs (dotenv-safe, dotenvx).
EXAMPLE_NAMES = (".env.example", ".env.sample", ".env.template")


@dataclass(frozen=True, slots=True)
class KeySpec:
    """What one key must look like.

    ``required_modes`` (``None`` = every mode) restricts ``required`` to some
    modes; ``pattern`` must match the whole value; ``format`` names a
    detector in :mod:`envcheck.schema.formats`; ``secret`` ``None`` means
    "guess from the name and value"; ``where`` is the spec's own location
    (``envcheck.toml:12``) for hints.
    """

    name: str
    required: bool = True
    required_modes: tuple[str, ...] | None = None
    type: str = "str"
    choices: tuple[str, ...] | None = None
    pattern: str | None = None
    format: str | None = None
    secret: bool | None = None
    public: bool = False
    probe: str | None = None
    description: str | None = None
    default: str | None = field(default=None, repr=False)
    where: str | None = None

    def is_required(self, mode: str) -> bool:
        """Required in ``mode``: required, and ``mode`` is one of its modes if it has any."""
        if not self.required:
            return False
        return self.required_modes is None or mode in self.required_modes


@dataclass(slots=True)
class Schema:
    """The keys an app expects, where they were declared, and the file's options.

    ``source`` names where the keys came from (``envcheck.toml``,
    ``pyproject.toml``, ``.env.example``, ``settings:app.settings:Settings``).
    ``case_sensitive`` is False for pydantic-settings classes that match
    names case-insensitively.  ``settings_class`` is the imported
    pydantic-settings class, for the settings-validation rule.
    """

    keys: dict[str, KeySpec] = field(default_factory=dict)
    source: str = ""
    allow_unknown: bool = True
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool | None = None
    framework: str | None = None
    mode: str | None = None
    settings: str | None = None
    case_sensitive: bool = True
    config_file: str | None = None
    settings_class: Any = field(default=None, repr=False, compare=False)
    field_env: dict[str, str] = field(default_factory=dict)

    def spec(self, key: str) -> KeySpec | None:
        """The spec for ``key`` honouring case sensitivity."""
        found = self.keys.get(key)
        if found is not None or self.case_sensitive:
            return found
        upper = key.upper()
        return next((s for n, s in self.keys.items() if n.upper() == upper), None)
