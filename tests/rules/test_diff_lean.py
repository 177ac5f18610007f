"""A diff of two files holds each side lean, and its short cuts answer as the long ways do.

``diff A B`` holds two files of 100k keys at once: each side is kept as key ->
value and key -> line (:class:`envcheck.diff.Winners`), never as a record per
key.  These tests count the records alive (never memory or time), and compare
each short cut with the path it stands for: the lean side with the loader's
winners, its JSON rows with the rows of the same sides held whole, the quick
"no development host" test with the tests it skips.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envcheck.commands import diff as diff_command
from envcheck.diff import LeanResolution, Winners, compare
from envcheck.rules import diff as diff_rules
from envcheck.secret import Fingerprinter
from envcheck.sources.profiles import get_profile
from envcheck.sources.resolve import parse_file
from envcheck.sources.types import Entry, LoadRequest, Origin, Resolution, Resolved

SHAPES = (
    "K{n}=plain-{n}\n"
    "export E{n}=exported-{n}\n"
    "  I{n}=indented\n"
    'M{n}="multi\nline {n}"\n'
    "R{n}=${{K{n}}}/x\n"
    "D{n}=first\nD{n}=second-{n}\n"
    "U{n}=http://db-{n}.internal:5432/app\n"
)


def write_env(path: Path, blocks: int, variant: str = "") -> None:
    path.write_text("".join(SHAPES.format(n=n) for n in range(blocks)) + f"V=1{variant}\n")


def side(path: Path, mode: str = "development") -> Resolution:
    profile = get_profile("dotenv-expand")
    return diff_command._file_side(path, profile, profile.dialect, mode)


def test_a_file_side_holds_no_record_per_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path / "a.env", 300)
    before = _alive()  # what earlier tests of this process still hold is not this side's
    held = side(Path("a.env"))
    assert isinstance(held, LeanResolution) and len(held.winners) == 7 * 300 + 1
    after = _alive()
    assert after[Resolved] - before[Resolved] <= 0 and after[Entry] - before[Entry] <= 0
    assert after[Origin] - before[Origin] <= 2 * 300 + 10  # keys not at column 1


def _alive() -> dict[type, int]:
    """How many records of each kind are alive now, after a collection."""
    gc.collect()
    counts = dict.fromkeys((Resolved, Origin, Entry), 0)
    for obj in gc.get_objects():
        if type(obj) in counts:
            counts[type(obj)] += 1
    return counts


def test_a_lean_side_reads_as_the_loader_s_winners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path / "a.env", 20)
    profile = get_profile("dotenv-expand")
    parsed = parse_file(Path("a.env"), "a.env", profile.dialect, within=tmp_path, named=True)
    assert parsed is not None
    loaded = profile.load(LoadRequest([parsed], {}, "development")).vars
    lean = Winners.of(loaded, "a.env")
    assert list(lean) == list(loaded)
    for key, resolved in loaded.items():
        assert lean.plain[key] == resolved.reveal()
        assert lean[key].origin == resolved.origin
        assert lean.where(key) == (
            resolved.origin.source,
            resolved.origin.line,
            resolved.origin.col,
        )
    assert {type(lean.places[key]) for key in lean} == {int, Origin}  # both kinds met


@pytest.mark.parametrize("show_values", [False, True])
def test_lean_sides_write_the_json_rows_whole_sides_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, show_values: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path / "a.env", 30)
    write_env(tmp_path / "b.env", 25, variant="0")
    lean = side(Path("a.env")), side(Path("b.env"), "production")
    assert all(isinstance(s, LeanResolution) for s in lean)
    whole = tuple(
        Resolution(s.framework, s.mode, s.files, vars={k: s.winners[k] for k in s.winners})
        for s in lean
        if isinstance(s, LeanResolution)
    )

    def rows(sides: tuple[Resolution, ...]) -> list[str]:
        result = compare(
            *sides,
            fingerprint=Fingerprinter(b"k" * 32),
            source_label="a.env",
            target_label="b.env",
        )
        codes: dict[str, list[str]] = {}
        for f in result.findings:
            codes.setdefault(f.key or "", []).append(f.code)
        shown = diff_command.ShownRows(result.rows, show_values, "json")
        return list(shown.json_texts(codes))

    written = rows(lean)
    assert written == rows(whole)
    assert any('"col": 3' in row for row in written) and any('"col": 1' in row for row in written)


_HOST = st.text(alphabet="lo1:0.cahstexmpnrdb[]-27", max_size=24)


_KNOWN = [
    "localhost", "127.0.0.1", "[::1]", "0:0:0:0:0:0:0:1", "0.0.0.0", "::", "api.example.com",
    "example.org.", "sandbox.paypal.com", "api-sandbox.x", "printer.local", "a.LOCALHOST",
    "db-1.internal", "",
]  # fmt: skip


@given(host=_HOST | st.sampled_from(_KNOWN))
def test_the_quick_host_test_answers_as_the_tests_it_skips(host: str) -> None:
    trimmed = host.strip("[]").lower().rstrip(".")
    for bind in (False, True):
        assert diff_rules._host_reason(host, bind=bind) == diff_rules._host_tests(trimmed, bind)
