"""A large file's keys cost one small record each (issue #24: "a Python object per key").

The Node loaders keep a file's winner as one :class:`Resolved` whose value,
origin and ``shadowed`` list are built when read (``Resolved.of_entry``);
``ParsedFile.last_entries`` is built once per file however many rules ask.
These tests count what is built, and check that the compact record reads,
compares, copies and pickles as the full one does.
"""

from __future__ import annotations

from typing import Any

import pytest

from envcheck.secret import Secret, reveal
from envcheck.sources import types
from envcheck.sources.loaders.node import load_dotenv, load_dotenv_expand, load_nextjs
from envcheck.sources.readers.node import parse
from envcheck.sources.types import Entry, Origin, ParsedFile, Resolved

KEYS = 2_000


def _file(path: str, keys: int, first: int = 0) -> ParsedFile:
    text = "".join(f"KEY_{n}=value-{n}\n" for n in range(first, first + keys))
    return parse(text, path)


class _Counted:
    """Counts the instances of a class built while it is installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, cls: type[Any]) -> None:
        self.count = 0
        original = cls.__init__

        def counted(instance: Any, *args: Any, **kwargs: Any) -> None:
            self.count += 1
            original(instance, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counted)


@pytest.mark.parametrize("load", [load_dotenv, load_dotenv_expand])
def test_a_file_winner_builds_no_origin_secret_or_list(
    monkeypatch: pytest.MonkeyPatch, load: Any
) -> None:
    parsed = [_file(".env", KEYS)]
    origins = _Counted(monkeypatch, Origin)
    secrets = _Counted(monkeypatch, Secret)
    result = load(parsed, {}, mode="development")
    assert len(result.vars) == KEYS
    # One record per key and nothing else: before, four more objects per key.
    assert (origins.count, secrets.count) == (0, 0)


def test_only_shadowed_entries_get_an_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    # .env.local shadows 10 keys of .env: 10 origins, not one per key of either file.
    parsed = [_file(".env.local", 10), _file(".env", KEYS)]
    origins = _Counted(monkeypatch, Origin)
    result = load_dotenv(parsed, {})
    assert origins.count == 10
    shadowing = result.vars["KEY_3"]
    assert shadowing.origin == Origin(".env.local", 4, 1)
    assert shadowing.shadowed == [Origin(".env", 4, 1)]
    assert result.vars["KEY_50"].shadowed == []


def test_the_compact_record_reads_as_the_full_one() -> None:
    result = load_nextjs([_file(".env", 3)], {"KEY_2": "from-shell"}, mode="development")
    entry = Entry("KEY_0", "value-0", ".env", 1, 1, end_line=1)
    full = Resolved("KEY_0", Secret("value-0"), Origin(".env", 1, 1), [], Secret("value-0"), entry)
    compact = result.vars["KEY_0"]
    assert compact == full and full == compact
    assert repr(compact) == repr(full)
    assert "value-0" not in repr(compact)
    assert compact.origin == Origin(".env", 1, 1) and not compact.from_process
    assert compact.source == ".env" and not compact.shadows
    assert reveal(compact.value) == compact.reveal() == "value-0"
    assert compact.raw is not None and reveal(compact.raw) == "value-0"
    assert compact.__reduce__() == full.__reduce__()  # __init__'s arguments, not the slots
    assert compact.replace(key="OTHER") == full.replace(key="OTHER")
    process = result.vars["KEY_2"]
    assert process.from_process and process.raw is None
    assert process.shadowed == [Origin(".env", 3, 1)]


def test_the_compact_record_takes_assignments() -> None:
    (compact,) = load_dotenv([_file(".env", 1)], {}).vars.values()
    compact.shadowed.append(Origin(".env.example", 1, 1))  # the workspace adds its layer so
    assert compact.shadowed == [Origin(".env.example", 1, 1)] and compact.shadows
    compact.origin = types.PROCESS_ORIGIN
    compact.value = Secret("from-shell")
    compact.raw = None
    assert compact.from_process and compact.origin == types.PROCESS_ORIGIN
    assert reveal(compact.value) == compact.reveal() == "from-shell" and compact.raw is None


class _CountingList(list[Entry]):
    iterations = 0

    def __iter__(self) -> Any:
        type(self).iterations += 1
        return super().__iter__()


def test_last_entries_is_built_once_per_file_and_again_when_entries_change() -> None:
    entries = _CountingList(_file(".env", 100).entries)
    parsed = ParsedFile(".env", entries)
    _CountingList.iterations = 0
    for _ in range(5):  # the loader and four rules
        assert len(parsed.last_entries()) == 100
    assert _CountingList.iterations == 1
    with pytest.raises(TypeError):
        parsed.last_entries()["NEW"] = entries[0]  # type: ignore[index]
    parsed.entries.append(Entry("KEY_1", "again", ".env", 101, 1))  # a parser appends
    assert parsed.last_entries()["KEY_1"].value == "again"
    parsed.entries = [e for e in parsed.entries if e.key != "KEY_1"]  # a filter replaces
    assert "KEY_1" not in parsed.last_entries()
    assert parsed == ParsedFile(".env", list(parsed.entries))  # the cache is no field
    assert "_last" not in repr(parsed)
