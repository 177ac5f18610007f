"""The JSON Schema of envcheck.toml / [tool.envcheck]: current on disk, and the loader's twin.

Editors validate the config with ``schema/*.schema.json``; envcheck
validates it with :mod:`envcheck.schema.load`.  If the two disagree, the
editor either flags a config envcheck runs with or blesses one it refuses.
The property tests build documents from the schema module's field table
(right and wrong types, unknown fields, wrong enum values) and require
both to accept or both to refuse each one.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envcheck.errors import ConfigError
from envcheck.project import load_config
from envcheck.schema import jsonschema as config_jsonschema
from envcheck.schema.formats import DETECTORS
from envcheck.schema.load import PHASES, load_schema
from envcheck.schema.model import TYPES
from envcheck.sources.profiles import PROFILES
from envcheck.workspace.config import schema_apps, shared_keys
from tests.harness import REPO_ROOT

FILES = {
    "envcheck.schema.json": config_jsonschema.config_schema,
    "tool-envcheck.schema.json": config_jsonschema.tool_table_schema,
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_schema_on_disk_is_current(name: str) -> None:
    """Regenerate with ``python -m envcheck.schema.jsonschema [--pyproject] > schema/NAME``."""
    on_disk = (REPO_ROOT / "schema" / name).read_text(encoding="utf-8")
    assert on_disk == config_jsonschema.render(FILES[name]()), (
        f"schema/{name} is stale: regenerate it with python -m envcheck.schema.jsonschema"
    )


def test_the_module_prints_the_file() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck.schema.jsonschema", "--pyproject"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert proc.stdout == (REPO_ROOT / "schema" / "tool-envcheck.schema.json").read_text("utf-8")


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_schemas_are_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(FILES[name]())


def test_a_field_the_loader_gains_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from envcheck.schema import load

    monkeypatch.setattr(load, "KEY_FIELDS", (*load.KEY_FIELDS, "new_field"))
    with pytest.raises(RuntimeError, match="new_field"):
        config_jsonschema.config_schema()


# -- the loader and the schema agree -------------------------------------------------------

_WORDS = [
    *TYPES, *list(DETECTORS)[:4], *PROFILES, *PHASES,
    "auto", "enum", "bogus", "", "a,b", " , ", ",", "app.settings:Settings", "EC201", "é",
]  # fmt: skip
_SAFE_PATTERNS = ["[a-z]+", "x", r"\d{3}", "(ab|cd)"]
words = st.sampled_from(_WORDS)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    words,
)
lists = st.lists(st.one_of(words, st.integers(0, 3)), max_size=3) | st.lists(words, max_size=3)
tables = st.dictionaries(words, words, max_size=2)
any_value = st.one_of(scalars, lists, tables)


def _valid(fragment: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the type the field's schema fragment names (so many documents are valid)."""
    if "enum" in fragment:
        return st.sampled_from(fragment["enum"])
    if "anyOf" in fragment:  # a list of strings, or a comma-separated string
        return st.one_of(st.lists(words, max_size=3), words)
    kind = fragment["type"]
    kinds = kind if isinstance(kind, list) else [kind]
    return st.one_of(
        *[
            {"boolean": st.booleans(), "string": words, "number": st.integers(0, 9)}[k]
            for k in kinds
        ]
    )


def _field_values(name: str, fragment: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values for one field: mostly of the right type, often not."""
    if name == "pattern":  # the loader alone refuses super-linear patterns: keep them out
        return st.one_of(st.sampled_from(_SAFE_PATTERNS), st.booleans(), st.integers(0, 9))
    return st.one_of(*[_valid(fragment)] * 8, any_value)


def _tables(fields: dict[str, dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    known = st.fixed_dictionaries({}, optional={f: _field_values(f, s) for f, s in fields.items()})
    unknown = st.dictionaries(st.sampled_from(["typo", "requierd", "keys"]), any_value, max_size=1)
    return st.tuples(known, st.one_of(st.just({}), st.just({}), st.just({}), unknown)).map(
        lambda t: {**t[0], **t[1]}
    )


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` five times in six, else ``bad``: most documents get past their first error."""
    return st.tuples(st.sampled_from(range(6)), good, bad).map(
        lambda t: t[2] if t[0] == 5 else t[1]
    )


option_tables = _tables(config_jsonschema._option_fields())
key_tables = _tables(config_jsonschema._key_fields())
key_entries = _mostly(key_tables, st.one_of(words, st.integers(0, 3), st.lists(words, max_size=1)))
key_names = st.sampled_from(["PORT", "API_KEY", "a b", "", "é"])
keys_tables = _mostly(st.dictionaries(key_names, key_entries, max_size=3), words)
workspace_tables = _mostly(
    st.fixed_dictionaries({}, optional={"shared": st.lists(words), "apps": lists}),
    st.one_of(st.fixed_dictionaries({"other": words}), words),
)
config_docs = st.fixed_dictionaries(
    {},
    optional={
        "envcheck": _mostly(option_tables, words),
        "keys": keys_tables,
        "workspace": workspace_tables,
    },
)
config_docs = _mostly(
    config_docs, st.tuples(config_docs, tables).map(lambda t: {**t[0], "extra": t[1]})
)
tool_sections = st.tuples(
    option_tables, st.one_of(st.just({}), st.fixed_dictionaries({"keys": keys_tables}))
).map(lambda t: {**t[0], **t[1]})


def _toml(value: Any) -> str:
    """``value`` as a TOML value (inline tables): enough for these documents, no dependency."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        assert math.isfinite(value)
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _document(doc: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in doc.items())


def _loader_accepts(directory: Path, name: str, text: str) -> bool:
    (directory / name).write_text(text, encoding="utf-8")
    try:
        load_schema(directory)
        load_config(directory).rules()  # select / ignore are checked where the rules run
        if name == "envcheck.toml":
            shared_keys(directory)
            schema_apps(directory)
    except ConfigError:
        return False
    finally:
        (directory / name).unlink()
    return True


def _schema_accepts(schema: dict[str, Any], doc: dict[str, Any]) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(doc)


AGREE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def _no_project_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENVCHECK_ALLOW_PROJECT_CODE", raising=False)


@AGREE
@given(doc=config_docs)
def test_envcheck_toml_loader_and_schema_agree(doc: dict[str, Any]) -> None:
    schema = config_jsonschema.config_schema()
    with tempfile.TemporaryDirectory() as tmp:
        loader = _loader_accepts(Path(tmp), "envcheck.toml", _document(doc))
    assert loader == _schema_accepts(schema, doc), (doc, loader)


@AGREE
@given(section=tool_sections)
def test_tool_envcheck_loader_and_schema_agree(section: dict[str, Any]) -> None:
    schema = config_jsonschema.tool_table_schema()
    text = _document({"project": {"name": "x"}, "tool": {"envcheck": section}})
    with tempfile.TemporaryDirectory() as tmp:
        loader = _loader_accepts(Path(tmp), "pyproject.toml", text)
    assert loader == _schema_accepts(schema, section), (section, loader)


def test_the_properties_see_both_answers() -> None:
    """A sanity check of the strategies: a valid and an invalid document, both ways."""
    schema = config_jsonschema.config_schema()
    good = {"envcheck": {"framework": "auto"}, "keys": {"PORT": "port", "L": {"choices": "a,b"}}}
    bad = {"keys": {"L": {"type": "enum", "choices": " , "}}}
    with tempfile.TemporaryDirectory() as tmp:
        assert _loader_accepts(Path(tmp), "envcheck.toml", _document(good))
        assert not _loader_accepts(Path(tmp), "envcheck.toml", _document(bad))
    assert _schema_accepts(schema, good) and not _schema_accepts(schema, bad)
