"""Syntax rules: parser problems become findings, none is lost, none is reported twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.model import Severity
from envcheck.rules import syntax
from envcheck.rules.base import CheckContext
from envcheck.sources.profiles import get_profile
from envcheck.sources.types import ParsedFile, Problem, Resolution
from tests.lint_fixtures import expected_lines, fixtures, lint_lines

SYNTAX_FIXTURES = fixtures("syntax")


@pytest.mark.parametrize("path", SYNTAX_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_expected_output(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parents[3])
    expected = expected_lines(path)
    assert expected, "a fixture must trip its rule at least once"
    assert lint_lines(path) == expected


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("unterminated-quote", "EC101"),
        ("dropped-line", "EC102"),
        ("swallowed-line", "EC103"),
        ("invalid-key", "EC104"),
        ("invalid-utf8", "EC105"),
        ("encoding", "EC105"),
        ("binary", "EC105"),
        ("bom", "EC106"),
        ("crlf", "EC107"),
        ("lone-cr", "EC108"),
        ("unreadable", "EC109"),
        ("quote-spans-assignments", "EC110"),
        ("escaped-quote", "EC111"),
        ("text-after-quote", "EC112"),
        ("ignored-trailing", "EC112"),
        ("hash-truncates-value", "EC113"),
        ("something-new", "EC199"),
    ],
)
def test_kind_maps_to_rule(kind: str, code: str) -> None:
    finding = syntax.findings_from_problems([Problem(kind, "why", ".env", 3, 7)])[0]
    assert (finding.code, str(finding.location)) == (code, ".env:3:7")


def test_unknown_kind_is_kept_with_its_kind_in_the_hint() -> None:
    [finding] = syntax.findings_from_problems([Problem("frobnicated", "odd line", ".env", 2)])
    assert finding.name == "parser-problem"
    assert finding.message == "odd line"
    assert finding.hint is not None and "frobnicated" in finding.hint


def test_key_is_named_once_in_the_message() -> None:
    named = Problem("unterminated-quote", "unclosed quote", ".env", 1, 5, key="API_KEY")
    already = Problem("unterminated-quote", "value of API_KEY is open", ".env", 1, 5, "API_KEY")
    got = [f.message for f in syntax.findings_from_problems([named, already])]
    assert got == ["API_KEY: unclosed quote", "value of API_KEY is open"]


def test_precedence_kinds_are_not_syntax() -> None:
    for kind in ("process-shadows-file", "file-dropped", "vite-mode-beats-local",
                 "mode-overridden", "expansion-cycle"):  # fmt: skip
        assert kind not in syntax.SYNTAX_KINDS


def test_check_reports_file_problems_and_only_syntax_notes(tmp_path: Path) -> None:
    parsed = ParsedFile(
        ".env", problems=[Problem("crlf", "crlf", ".env"), Problem("new", "n", ".env")]
    )
    notes = [
        Problem("unreadable", "is a directory, not a file", ".env.local"),
        Problem("process-shadows-file", "shadowed", "process", key="A"),
        Problem("brand-new-loader-note", "x", "process"),
    ]
    resolution = Resolution("nextjs", "development", [".env"], [parsed], notes=notes)
    ctx = CheckContext(tmp_path, get_profile("nextjs"), resolution, {})
    assert [(f.code, f.location.path) for f in syntax.check(ctx)] == [
        ("EC107", ".env"),
        ("EC199", ".env"),
        ("EC109", ".env.local"),
    ]


def test_an_unreadable_file_is_an_error() -> None:
    """Docs, names and fixtures of every rule: tests/rules/test_rules.py."""
    assert syntax.rule_for_kind("unreadable").severity is Severity.ERROR
