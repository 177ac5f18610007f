"""``diff``'s rows as a large diff reads them: made when read, written without being kept.

The comparison keeps one byte and a name per key (:class:`envcheck.diff.Rows`);
the JSON writer reads each row's two winners straight from the environments
(:meth:`envcheck.commands.diff.ShownRows.json_items`).  These tests hold that
shortcut to the rows and cells every other reader gets, and count what it makes.
"""

from __future__ import annotations

from typing import Any

import pytest

from envcheck.commands.diff import ShownRows, _row_json
from envcheck.diff import Rows, compare
from envcheck.model import PROCESS
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
    direct = list(ShownRows(result.rows, show_values, "json").json_items(codes))
    via_cells = [_row_json(row, codes) for row in ShownRows(list(result.rows), show_values, "json")]
    assert direct == via_cells
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
    items: list[dict[str, Any]] = list(ShownRows(result.rows, False, "json").json_items({}))
    # one per value: a value equal on both sides is fingerprinted once
    sides = sum((item["source"] is not None) + (item["target"] is not None) for item in items)
    same = sum(item["status"] == "same" for item in items)
    assert fingerprint.calls == sides - same
    # nothing was kept: rows read by index are made now, and fingerprint anew
    rows = result.rows
    assert rows[0].source is not None and rows[0].source.fingerprint
    assert fingerprint.calls == sides - same + 1
    assert rows[0] is rows[0]  # read by index: kept from now on
