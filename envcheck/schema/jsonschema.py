"""The JSON Schema of ``envcheck.toml`` and ``[tool.envcheck]``, built from the config model.

Editors (taplo / Even Better TOML) complete and check the config from a
JSON Schema.  A hand-written one drifts from the loader, so this module
builds it from the loader's own tables: the option and key-field names
(:data:`envcheck.schema.load.OPTIONS`, :data:`~envcheck.schema.load.KEY_FIELDS`),
the value types (:data:`envcheck.schema.model.TYPES`), the format detectors
and the framework profiles.  :func:`check_covers_loader` fails the build
when the loader gains a field this table does not describe.

``python -m envcheck.schema.jsonschema > schema/envcheck.schema.json``
(``make schema``) writes the ``envcheck.toml`` schema; ``--pyproject``
writes the one for the ``[tool.envcheck]`` table of ``pyproject.toml``.
One thing the loader checks cannot be said in JSON Schema: a ``pattern``
that could take more than linear time is refused by the loader only.
"""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["check_covers_loader", "config_schema", "render", "tool_table_schema"]

SCHEMA_ID = "urn:envcheck:schema:envcheck.schema.json"  # an identifier, never fetched

# A list of strings, or one comma-separated string (the loader's _str_list).
_STR_LIST: dict[str, Any] = {
    "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
}
# One comma-separated string that names at least one item.
_NON_EMPTY_COMMA_LIST = {"type": "string", "pattern": r"[^,\s]"}


def _any_case(word: str) -> str:
    """``ec4`` -> ``[Ee][Cc]4``: JSON Schema patterns have no case-insensitive flag."""
    import re

    return "".join(
        f"[{c.upper()}{c.lower()}]" if c.isalpha() and c.upper() != c.lower() else re.escape(c)
        for c in word
    )


def _selectors() -> dict[str, Any]:
    """``select`` / ``ignore``: a list of rule selectors, or one comma-separated string.

    The loader accepts exactly the selectors that match a rule
    (:func:`envcheck.rules.registry.validate_selectors`): ``ALL``, a code or
    any prefix of one (``EC4``), a rule's name or a family's, in any case,
    with surrounding blanks.  The pattern lists them all, generated from the
    registry, so the schema and the loader agree.
    """
    from envcheck.rules.registry import FAMILIES, all_rules

    words: set[str] = {"ALL", *FAMILIES}
    for rule in all_rules():
        words.add(rule.name)
        words.update(rule.code[:n] for n in range(2, len(rule.code) + 1))
    one = "(?:" + "|".join(_any_case(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"
    blank = r"[\s]*"
    return {
        "anyOf": [
            {"type": "array", "items": {"type": "string", "pattern": f"^{blank}{one}{blank}$"}},
            {
                "type": "string",
                "pattern": f"^{blank}(?:{one}{blank})?(?:,{blank}(?:{one}{blank})?)*$",
            },
        ]
    }


def _option_fields() -> dict[str, dict[str, Any]]:
    """Each ``[envcheck]`` option: its JSON Schema (the loader's checks, one per row)."""
    from envcheck.sources.profiles import PROFILES

    return {
        "framework": {
            "enum": ["auto", *PROFILES],
            "description": "The framework whose loader the app uses (auto: detect).",
        },
        "mode": {"type": "string", "description": "Default mode when --mode is not given."},
        "select": {**_selectors(), "description": "Turn on opt-in rules (code, prefix or name)."},
        "ignore": {**_selectors(), "description": "Turn rules off (code, prefix or name)."},
        "strict": {"type": "boolean", "description": "Warnings fail the run."},
        "allow_unknown": {
            "type": "boolean",
            "description": "false: keys not declared here are errors.",
        },
        "settings": {
            "type": "string",
            "description": "A pydantic-settings class, package.module:Class "
            "(imported only with --allow-project-code).",
        },
    }


def _key_fields() -> dict[str, dict[str, Any]]:
    """Each ``[keys.NAME]`` field: its JSON Schema."""
    from envcheck.schema.formats import DETECTORS
    from envcheck.schema.load import PHASES
    from envcheck.schema.model import TYPES

    return {
        "required": {"type": "boolean", "description": "Default true."},
        "modes": {**_STR_LIST, "description": "Required only in these modes."},
        "type": {"enum": list(TYPES), "description": "The value's type (default str)."},
        "choices": {**_STR_LIST, "description": "Allowed values (implies type enum)."},
        "pattern": {
            "type": "string",
            "description": "A regex the whole value must match (linear-time patterns only).",
        },
        "format": {"enum": list(DETECTORS), "description": "A known key format."},
        "secret": {"type": "boolean", "description": "Default: guessed from name and value."},
        "public": {"type": "boolean", "description": "May be shipped to the browser."},
        "probe": {"type": "string", "description": "The provider `envcheck probe` asks."},
        "base_url": {"type": "string", "description": "Where the probe may send this key."},
        "model": {
            "type": "string",
            "description": "The model the app calls with this key: the probe proves that one.",
        },
        "description": {"type": "string"},
        "phase": {"enum": list(PHASES), "description": "When the app needs the key."},
        "default": {
            "type": ["string", "number", "boolean"],
            "description": "The value the app uses when the key is unset (never a secret).",
        },
    }


_WORKSPACE_FIELDS: dict[str, dict[str, Any]] = {
    "shared": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Keys every app must resolve to the same value.",
    },
    "apps": {
        "type": "array",
        "items": {"type": "string"},
        "description": "The app folders this schema applies to.",
    },
}


def check_covers_loader() -> None:
    """Raise if the loader accepts a field this module does not describe, or the reverse."""
    from envcheck.schema.load import KEY_FIELDS, OPTIONS
    from envcheck.workspace.config import FIELDS

    for what, described, loaded in (
        ("option", _option_fields(), OPTIONS),
        ("key field", _key_fields(), KEY_FIELDS),
        ("workspace field", _WORKSPACE_FIELDS, FIELDS),
    ):
        if set(described) != set(loaded):
            raise RuntimeError(
                f"envcheck.schema.jsonschema is out of date: {what}s "
                f"{sorted(set(described) ^ set(loaded))} differ from the loader's"
            )


def _key_spec() -> dict[str, Any]:
    from envcheck.schema.model import TYPES

    table: dict[str, Any] = {
        "type": "object",
        "properties": _key_fields(),
        "additionalProperties": False,
        # type = "enum" needs choices that name at least one value.
        "if": {"properties": {"type": {"const": "enum"}}, "required": ["type"]},
        "then": {
            "required": ["choices"],
            "properties": {
                "choices": {
                    "anyOf": [
                        {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        _NON_EMPTY_COMMA_LIST,
                    ]
                }
            },
        },
    }
    # [keys] PORT = "port": shorthand for a table with only type (enum needs choices).
    shorthand = {"enum": [t for t in TYPES if t != "enum"]}
    return {"anyOf": [table, shorthand]}


def _definitions() -> dict[str, Any]:
    return {
        "keys": {
            "type": "object",
            "description": "The keys the app expects, one [keys.NAME] table each.",
            "additionalProperties": {"$ref": "#/$defs/key"},
        },
        "key": _key_spec(),
    }


def config_schema() -> dict[str, Any]:
    """The JSON Schema of an ``envcheck.toml`` file."""
    check_covers_loader()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "envcheck.toml",
        "description": "envcheck's schema and options (generated by "
        "`python -m envcheck.schema.jsonschema`; do not edit).",
        "type": "object",
        "properties": {
            "envcheck": {
                "type": "object",
                "properties": _option_fields(),
                "additionalProperties": False,
            },
            "keys": {"$ref": "#/$defs/keys"},
            "workspace": {
                "type": "object",
                "description": "At a workspace root: what applies across apps.",
                "properties": _WORKSPACE_FIELDS,
                "additionalProperties": False,
            },
        },
        "additionalProperties": False,
        "$defs": _definitions(),
    }


def tool_table_schema() -> dict[str, Any]:
    """The JSON Schema of the ``[tool.envcheck]`` table of ``pyproject.toml``."""
    check_covers_loader()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.replace("envcheck.schema", "tool-envcheck.schema"),
        "title": "[tool.envcheck]",
        "description": "envcheck's options and keys in pyproject.toml (generated by "
        "`python -m envcheck.schema.jsonschema --pyproject`; do not edit).",
        "type": "object",
        "properties": {**_option_fields(), "keys": {"$ref": "#/$defs/keys"}},
        "additionalProperties": False,
        "$defs": _definitions(),
    }


def render(schema: dict[str, Any]) -> str:
    """The schema as the file on disk holds it (stable, so the freshness test can compare)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Print the ``envcheck.toml`` schema, or with ``--pyproject`` the ``[tool.envcheck]`` one."""
    pyproject = "--pyproject" in argv
    sys.stdout.write(render(tool_table_schema() if pyproject else config_schema()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
