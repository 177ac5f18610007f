"""``diff``'s rows as a large diff reads them: made when read, written without being kept.

The comparison keeps one byte and a name per key (:class:`envcheck.diff.Rows`);
the JSON writer reads each row's two winners straight from the environments
(:meth:`envcheck.commands.diff.ShownRows.json_texts`), and the table its cells
(:func:`envcheck.commands.diff.render_table`).  These tests hold those shortcuts
to the rows and cells every other reader gets, and count what they make.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from envcheck.commands.diff import Diffed, ShownRows, _row_json, render_table
from envcheck.diff import Rows, compare
from envcheck.model import PROCESS, Report
from envcheck.report.json import dumps
from envcheck.schema.model import KeySpec, Schema
from envcheck.secret import Fingerprinter, Secret
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Resolution, Resolved

KEY = "sk-proj-" + "Q7x" * 16  # fake


class CountingFingerprinter(Fingerprinter):
    def __init__(self) -> None:
        super().__init__(b"k" * 32)
        self.calls = 0

    def __call__(self, value: Secret | str) -> str:
        self.calls += 1
        return super().__call__(value)


def _resolution(mode: str, values: dict[str, str | tuple[str, str]]) -> Resolution:
    out = Resolution(framework="nextjs", mode=mode, files=[f".env.{mode}"])
    for line, (key, spec) in enumerate(values.items(), start=1):
        value, where = (spec, f".env.{mode}") if isinstance(spec, str) else spec
        origin = PROCESS_ORIGIN if where == PROCESS else Origin(where, line, 1)
        out.vars[key] = Resolved(key, Secret(value), origin)
    return out


def _sides() -> tuple[Resolution, Resolution, Schema]:
    """Every status, secret and not, a process value, a URL with a password, an empty one."""
    source = _resolution(
        "development",
        {
            "SAME": "one",
            "SAME_SECRET": KEY,
            "CHANGED": "old",
            "DATABASE_URL": "postgres://app:hunter2hunter2@db.internal:5432/shop",
            "ONLY_HERE": "x",
            "EMPTY": "",
            "FROM_SHELL": ("shell value", PROCESS),
            "NOTE": f"pasted {KEY} here",
        },
    )
    target = _resolution(
        "production",
        {
            "SAME": "one",
            "SAME_SECRET": KEY,
            "CHANGED": "new",
            "DATABASE_URL": "postgres://app:other2other2@db.internal:5432/shop",
            "ONLY_THERE": "http://localhost:3000",
            "EMPTY": "",
            "FROM_SHELL": "file value",
            "NOTE": "plain",
        },
    )
    schema = Schema(keys={"REQUIRED": KeySpec(name="REQUIRED", required=True)})
    return source, target, schema


@pytest.mark.parametrize("show_values", [False, True])
def test_json_rows_are_the_cells_rows(show_values: bool) -> None:
    """The objects written from the winners are those of the rows and cells made as usual."""
    source, target, schema = _sides()
    result = compare(
        source, target, fingerprint=Fingerprinter(b"k" * 32), schema=schema,
        source_label="a", target_label="b",
    )  # fmt: skip
    assert isinstance(result.rows, Rows)
    codes: dict[str, list[str]] = {}
    for finding in result.findings:
        assert finding.key is not None
        codes.setdefault(finding.key, []).append(finding.code)
    texts = list(ShownRows(result.rows, show_values, "json").json_texts(codes))
    via_cells = [_row_json(row, codes) for row in ShownRows(list(result.rows), show_values, "json")]
    assert texts == [dumps(item) for item in via_cells]  # the bytes the writer would write
    direct = [json.loads(text) for text in texts]
    statuses = {item["key"]: item["status"] for item in direct}
    assert statuses == {
        "CHANGED": "different", "DATABASE_URL": "different", "EMPTY": "same",
        "FROM_SHELL": "different", "NOTE": "different", "ONLY_HERE": "only-source",
        "ONLY_THERE": "only-target", "REQUIRED": "neither", "SAME": "same",
        "SAME_SECRET": "same",
    }  # fmt: skip
    assert KEY not in repr(direct)


def test_writing_rows_keeps_none_and_fingerprints_each_value_once() -> None:
    source, target, schema = _sides()
    fingerprint = CountingFingerprinter()
    result = compare(
        source, target, fingerprint=fingerprint, schema=schema, source_label="a", target_label="b"
    )
    assert fingerprint.calls == 0
    texts = ShownRows(result.rows, False, "json").json_texts({})
    items: list[dict[str, Any]] = [json.loads(text) for text in texts]
    # one per value: a value equal on both sides is fingerprinted once
    sides = sum((item["source"] is not None) + (item["target"] is not None) for item in items)
    same = sum(item["status"] == "same" for item in items)
    assert fingerprint.calls == sides - same
    # nothing was kept: rows read by index are made now, and fingerprint anew
    rows = result.rows
    assert rows[0].source is not None and rows[0].source.fingerprint
    assert fingerprint.calls == sides - same + 1
    assert rows[0] is rows[0]  # read by index: kept from now on


def _view(rows: Any, result: Any, codes: dict[str, list[str]], quiet: bool) -> Diffed:
    return Diffed(
        "a", "b", result.source_mode, result.target_mode, (), (), rows, (), Report(), codes,
        quiet, False,
    )  # fmt: skip


@pytest.mark.parametrize("quiet", [False, True])
@pytest.mark.parametrize("show_values", [False, True])
def test_table_from_the_winners_is_the_cells_table(show_values: bool, quiet: bool) -> None:
    """The table written straight from each key's winners is the one its rows and cells give:
    every status, a process value, an empty one, a secret, ``--values`` and ``-q``."""
    source, target, schema = _sides()
    result = compare(
        source, target, fingerprint=Fingerprinter(b"k" * 32), schema=schema,
        source_label="a", target_label="b",
    )  # fmt: skip
    codes: dict[str, list[str]] = {}
    for finding in result.findings:
        assert finding.key is not None
        codes.setdefault(finding.key, []).append(finding.code)
    direct = render_table(_view(ShownRows(result.rows, show_values, "text"), result, codes, quiet))
    cells = tuple(ShownRows(list(result.rows), show_values, "text"))  # Row and Cell objects
    assert direct == render_table(_view(cells, result, codes, quiet))
    assert KEY not in direct and "same secret [EC604]" in direct
    assert ("process" in direct and "(empty)" in direct) is not quiet  # rows without findings


def test_table_fingerprints_a_value_equal_on_both_sides_once() -> None:
    source, target, schema = _sides()
    fingerprint = CountingFingerprinter()
    result = compare(
        source, target, fingerprint=fingerprint, schema=schema, source_label="a", target_label="b"
    )
    render_table(_view(ShownRows(result.rows, False, "text"), result, {}, False))
    rows = list(result.rows)
    shown = [s for r in rows for s in (r.source, r.target) if s is not None and s.reveal()]
    same = sum(r.status == "same" and bool(r.source and r.source.reveal()) for r in rows)
    assert fingerprint.calls == len(shown) - same
