"""The value classes of the start-up path keep what @dataclass gave them (envcheck.model.Record)."""

from __future__ import annotations

import pytest

from envcheck.model import Finding, Location, Report, Severity
from envcheck.schema.model import KeySpec, Schema
from envcheck.sources.types import Entry, Origin, ParsedFile, Problem

SECRET = "sk-proj-REPRxREPRxREPRxREPRxREPRx0001"


def test_entry_is_built_positionally_with_defaults() -> None:
    entry = Entry("KEY", SECRET, ".env", 3, 1)
    assert (entry.quote, entry.end_line, entry.export, entry.separator, entry.bare) == (
        "",
        0,
        False,
        "=",
        False,
    )
    full = Entry("KEY", SECRET, ".env", 3, 1, '"', 4, True, ":", True)
    assert (full.quote, full.end_line, full.export, full.separator, full.bare) == (
        '"',
        4,
        True,
        ":",
        True,
    )


def test_repr_names_fields_but_never_a_value() -> None:
    shown = repr(Entry("KEY", SECRET, ".env", 3, 1))
    assert shown == (
        "Entry(key='KEY', path='.env', line=3, col=1, quote='', end_line=0, "
        "export=False, separator='=', bare=False)"
    )
    assert SECRET not in repr(KeySpec("KEY", default=SECRET))
    assert SECRET not in repr(ParsedFile(".env", [Entry("KEY", SECRET, ".env", 1, 1)]))
    assert SECRET not in repr(
        Schema({"KEY": KeySpec("KEY", default=SECRET)}, settings_class=SECRET)
    )


def test_equality_is_by_class_and_fields() -> None:
    assert Entry("A", "1", ".env", 1, 1) == Entry("A", "1", ".env", 1, 1)
    assert Entry("A", "1", ".env", 1, 1) != Entry("A", "2", ".env", 1, 1)
    assert Origin(".env", 1, 1) != Location(".env", 1, 1)  # same fields, other class
    assert Schema(settings_class=object()) == Schema(settings_class=object())  # not compared


def test_frozen_records_hash_and_refuse_changes() -> None:
    problem = Problem("bom", "a BOM", ".env")
    assert {problem, Problem("bom", "a BOM", ".env")} == {problem}
    assert hash(Origin(".env", 2)) == hash(Origin(".env", 2))
    with pytest.raises(AttributeError):
        problem.line = 2
    with pytest.raises(AttributeError):
        del problem.line


def test_mutable_records_are_not_hashable() -> None:
    with pytest.raises(TypeError):
        hash(Entry("A", "1", ".env", 1, 1))
    with pytest.raises(TypeError):
        hash(Report())


def test_replace_copies_with_changes() -> None:
    finding = Finding("EC101", "x", Severity.ERROR, "m", Location(".env", 1, 2), key="A")
    moved = finding.replace(location=finding.location.replace(path="app/.env"))
    assert moved.location == Location("app/.env", 1, 2)
    assert (moved.code, moved.key, finding.location.path) == ("EC101", "A", ".env")


def test_mutable_defaults_are_not_shared() -> None:
    first, second = ParsedFile("a"), ParsedFile("b")
    first.entries.append(Entry("A", "1", "a", 1, 1))
    assert second.entries == [] and Report().findings == []


def test_records_holding_the_process_environment_never_show_it() -> None:
    from pathlib import Path

    from envcheck.project import Project
    from envcheck.rules.base import CheckContext
    from envcheck.sources.profiles import PROFILES
    from envcheck.sources.types import Resolution

    env = {"OPENAI_API_KEY": "sk-proj-CANARYcanaryCANARYcanary1234"}
    resolution = Resolution("nextjs", "development")
    project = Project(Path("."), PROFILES["nextjs"], "development", env, resolution)
    context = CheckContext(Path("."), PROFILES["nextjs"], resolution, env)
    for record in (project, context):
        assert "CANARY" not in repr(record) and "Project(" in repr(project)
