"""Work that large files make expensive, counted (never timed): HMACs, findings, line strings.

At 100,000 lines the cost of ``diff`` and ``lint`` is the number of times
they do something per key or per line.  These tests count those operations
on small inputs, where a count shows the rule as well as a big file would:
a fingerprint (an HMAC) only for a value the output shows by its
fingerprint, once per distinct value of a key; no finding built for a rule
that is off; no string kept per line of a file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envcheck.diff import DIFFERENT, SAME, compare
from envcheck.model import Finding, Location
from envcheck.rules.base import Rule
from envcheck.secret import Fingerprinter, Secret
from envcheck.sources.types import Origin, Resolution, Resolved

# A fake Stripe-shaped test key and a URL password: never real credentials.
PASSWORD = "pw7Hq2Lr9Xs4"


class CountingFingerprinter(Fingerprinter):
    """A Fingerprinter that counts its HMACs."""

    def __init__(self) -> None:
        super().__init__(b"k" * 32)
        self.calls = 0

    def __call__(self, value: Secret | str) -> str:
        self.calls += 1
        return super().__call__(value)


def _resolution(mode: str, values: dict[str, str]) -> Resolution:
    out = Resolution(framework="dotenv", mode=mode, files=[f".env.{mode}"])
    for line, (key, value) in enumerate(values.items(), start=1):
        out.vars[key] = Resolved(key, Secret(value), Origin(f".env.{mode}", line, 1))
    return out


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Codes of every finding a rule builds (:meth:`Rule.finding`), counted."""
    counts: Counter[str] = Counter()
    original = Rule.finding

    def counting(self: Rule, message: str, location: Location, **kw: Any) -> Finding:
        counts[self.code] += 1
        return original(self, message, location, **kw)

    monkeypatch.setattr(Rule, "finding", counting)
    yield counts


# --------------------------------------------------------------------------- diff


def _sides() -> tuple[Resolution, Resolution]:
    """Ten keys: six equal on both sides, three that differ, one only in the source."""
    source = {f"PLAIN_{i}": f"value-{i}" for i in range(6)}
    source |= {f"CHANGED_{i}": f"old-{i}" for i in range(3)}
    source["ONLY_HERE"] = "x"
    target = {k: v for k, v in source.items() if k != "ONLY_HERE"}
    target |= {f"CHANGED_{i}": f"new-{i}" for i in range(3)}
    return _resolution("development", source), _resolution("production", target)


def test_compare_spends_no_hmac_until_a_fingerprint_is_read() -> None:
    source, target = _sides()
    fingerprint = CountingFingerprinter()
    result = compare(source, target, fingerprint=fingerprint, source_label="a", target_label="b")
    statuses = Counter(row.status for row in result.rows)
    assert statuses[SAME] == 6 and statuses[DIFFERENT] == 3  # equality needs no HMAC
    assert fingerprint.calls == 0


def test_one_hmac_per_distinct_value_shown() -> None:
    source, target = _sides()
    fingerprint = CountingFingerprinter()
    result = compare(source, target, fingerprint=fingerprint, source_label="a", target_label="b")
    shown = [side.fingerprint for row in result.rows for side in (row.source, row.target) if side]
    distinct = sum(
        len({s.value for s in (row.source, row.target) if s is not None}) for row in result.rows
    )
    assert len(shown) == 19 and distinct == 13
    assert fingerprint.calls == distinct  # 6 shared + 3 x 2 changed + 1 source-only
    again = [side.fingerprint for row in result.rows for side in (row.source, row.target) if side]
    assert again == shown and fingerprint.calls == distinct  # read twice, computed once
    same = next(row for row in result.rows if row.status == SAME)
    assert same.source is not None and same.target is not None
    assert same.source.fingerprint == same.target.fingerprint


def test_a_shared_url_password_is_found_without_an_hmac() -> None:
    url = "postgres://app:{}@{}.internal:5432/shop"
    source = _resolution("development", {"DATABASE_URL": url.format(PASSWORD, "db-dev")})
    target = _resolution("production", {"DATABASE_URL": url.format(PASSWORD, "db-prod")})
    fingerprint = CountingFingerprinter()
    result = compare(source, target, fingerprint=fingerprint, source_label="a", target_label="b")
    assert [f.code for f in result.findings] == ["EC606", "EC604"]  # differs, same password
    assert fingerprint.calls == 0


def test_compare_builds_only_the_enabled_findings(built: Counter[str]) -> None:
    source, target = _sides()
    compare(source, target, fingerprint=Fingerprinter(), source_label="a", target_label="b")
    assert built["EC606"] == 3 and built["EC601"] == 1  # all of them without ``enabled``
    built.clear()
    result = compare(
        source,
        target,
        fingerprint=Fingerprinter(),
        source_label="a",
        target_label="b",
        enabled=frozenset({"EC601"}),
    )
    assert built == Counter({"EC601": 1})
    assert [f.code for f in result.findings] == ["EC601"]


def test_diff_json_fingerprints_once_per_distinct_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command: HMACs ≤ the fingerprints the JSON prints (one per distinct value)."""
    from envcheck.cli import main

    calls = [0]
    original = Fingerprinter.__call__

    def counting(self: Fingerprinter, value: Secret | str) -> str:
        calls[0] += 1
        return original(self, value)

    monkeypatch.setattr(Fingerprinter, "__call__", counting)
    a, b = tmp_path / "a.env", tmp_path / "b.env"
    a.write_text("".join(f"K{i}=v{i}\n" for i in range(40)), encoding="utf-8")
    b.write_text("".join(f"K{i}=v{i if i % 4 else 'x'}\n" for i in range(40)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["diff", str(a), str(b), "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["diff"]["rows"]
    printed = [
        (row["key"], row[side]["fingerprint"]) for row in rows for side in ("source", "target")
    ]
    assert len(printed) == 80 and len(set(printed)) == 50  # 30 equal values, 10 changed pairs
    assert calls[0] == 50


# --------------------------------------------------------------------------- lint


UNSORTED = "ZETA=1\nALPHA=2\nMIDDLE=3\nBETA=4\n"


def test_lint_builds_no_finding_for_a_rule_that_is_off(tmp_path: Path, built: Counter[str]) -> None:
    """EC214 (unordered-key) is off by default: not one of its findings is built."""
    from envcheck.commands.lint import lint_files

    env = tmp_path / ".env"
    env.write_text(UNSORTED, encoding="utf-8")
    report = lint_files([env], "node")
    assert built["EC214"] == 0 and not report.findings
    selected = lint_files([env], "node", select=("EC214",))  # the counter does count
    assert built["EC214"] == 3 and [f.code for f in selected.findings] == ["EC214"] * 3


def test_lint_reads_no_line_for_rules_that_are_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines are cut from the text one at a time, and only for a check that is on."""
    from envcheck.rules import style
    from envcheck.sources.lines import LineIndex
    from envcheck.sources.readers import parser_for

    cut = [0]
    original = LineIndex.raw

    def counting(self: LineIndex, line: int) -> str:
        cut[0] += 1
        return original(self, line)

    monkeypatch.setattr(LineIndex, "raw", counting)
    text = "".join(f"KEY_{i}=value {i}\n" for i in range(200))  # 200 x EC209
    parsed = parser_for("node")(text, ".env")
    assert style.lint_text(text, ".env", parsed.entries, (), frozenset({"EC201"})) == []
    assert cut[0] == 0  # duplicates need no line; no entry or layout check is on
    found = style.lint_text(text, ".env", parsed.entries, (), frozenset({"EC209"}))
    assert len(found) == 200 and cut[0] == 200  # one line per binding judged


def test_trailing_whitespace_visits_only_lines_ending_in_a_blank(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from envcheck.rules import style
    from envcheck.sources.lines import LineIndex
    from envcheck.sources.readers import parser_for

    cut = [0]
    original = LineIndex.raw

    def counting(self: LineIndex, line: int) -> str:
        cut[0] += 1
        return original(self, line)

    monkeypatch.setattr(LineIndex, "raw", counting)
    lines = [f"KEY_{i}=v{i}" + ("  " if i % 50 == 7 else "") for i in range(200)]
    text = "\n".join(lines) + "\n"
    parsed = parser_for("node")(text, ".env")
    found = style.lint_text(text, ".env", parsed.entries, (), frozenset({"EC207"}))
    assert [(f.code, f.location.line) for f in found] == [("EC207", n) for n in (8, 58, 108, 158)]
    assert cut[0] == 4


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("count", [0, 1, 255, 256, 257, 600])
def test_streamed_json_is_the_document_dumps_writes(count: int) -> None:
    """``write`` with ``Items`` gives :func:`dumps`'s bytes, never more than a chunk at once."""
    from envcheck.report.json import CHUNK, Items, dumps, write

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(count):
            yield {"key": f"K{i}", 'é\u2028"': [i, None, True], "nested": {"a": [], "b": {}}}

    def document(items: Any) -> dict[str, Any]:
        return {
            "version": 1,
            "findings": [{"code": "EC601", "related": []}],
            "diff": {"from": {"files": ["a"]}, "rows": items, "notes": []},
            "empty": {},
        }

    pieces: list[str] = []
    write(document(Items(rows())), pieces.append)
    assert "".join(pieces) == dumps(document(list(rows())))
    assert max(piece.count('"key"') for piece in pieces) <= CHUNK  # never the whole list
    assert len(pieces) >= count // CHUNK


def test_dumps_writes_items_anywhere_as_the_list_they_are() -> None:
    """A document with ``Items`` inside a list (a workspace root's per-app documents) still
    dumps to the same bytes, only without streaming."""
    from envcheck.report.json import Items, dumps

    apps = [{"document": {"rows": Items(iter([{"key": "A"}, {"key": "B"}]))}}]
    assert dumps({"apps": apps}) == dumps(
        {"apps": [{"document": {"rows": [{"key": "A"}, {"key": "B"}]}}]}
    )
    with pytest.raises(TypeError):
        dumps({"bad": object()})
