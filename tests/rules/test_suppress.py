"""Inline suppressions: same line or the comment line above, by code, prefix, name or all."""

from __future__ import annotations

import pytest

from envcheck.model import PROCESS, Finding, Location, Severity
from envcheck.rules.suppress import apply, suppressions


def finding(line: int | None, code: str = "EC201", name: str = "duplicated-key",
            path: str = ".env") -> Finding:  # fmt: skip
    return Finding(code, name, Severity.WARNING, "m", Location(path, line, 1), key="A")


TEXT = """\
A=1 # envcheck: ignore[EC201]
# envcheck: ignore[duplicated-key, EC209]
B=2
C=3 # envcheck: ignore
# envcheck: ignore[ec2]
D=4
E=5 # envcheck: ignore[EC101]
F=6
#envcheck:IGNORE[EC201]
G=7
"""


@pytest.mark.parametrize(
    ("line", "code", "name", "kept"),
    [
        (1, "EC201", "duplicated-key", False),  # inline, by code
        (1, "EC209", "unquoted-whitespace", True),  # inline, other code
        (3, "EC201", "duplicated-key", False),  # line above, by name
        (3, "EC209", "unquoted-whitespace", False),  # line above, by code
        (3, "EC203", "lowercase-key", True),
        (4, "EC101", "unterminated-quote", False),  # bare ignore: everything
        (6, "EC215", "hash-in-unquoted-value", False),  # prefix, case-insensitive
        (6, "EC101", "unterminated-quote", True),
        (8, "EC101", "unterminated-quote", True),  # an inline comment does not reach the next line
        (10, "EC201", "duplicated-key", False),  # no spaces, upper case
        (2, "EC201", "duplicated-key", True),  # the comment line itself is not suppressed
    ],
)
def test_apply(line: int, code: str, name: str, kept: bool) -> None:
    f = finding(line, code, name)
    assert apply([f], lambda _: TEXT) == ([f] if kept else [])


def test_suppressions_map() -> None:
    got = suppressions(TEXT)
    assert got[1] == {"ec201"}
    assert got[3] == {"duplicated-key", "ec209"}
    assert got[4] == {"*"}
    assert 2 not in got and 7 in got and 8 not in got


def test_each_file_read_once_and_unreadable_files_suppress_nothing() -> None:
    calls: list[str] = []

    def read(path: str) -> str | None:
        calls.append(path)
        return None if path == ".env.gone" else TEXT

    findings = [finding(1), finding(3), finding(1, path=".env.gone"), finding(1, path=".env.gone")]
    assert apply(findings, read) == findings[2:]
    assert calls == [".env", ".env.gone"]


def test_process_and_lineless_findings_are_never_suppressed() -> None:
    process = Finding("EC501", "x", Severity.ERROR, "m", Location(PROCESS), key="A")
    nowhere = Finding("EC301", "y", Severity.ERROR, "m", Location(None), key="A")
    lineless = finding(None)
    findings = [process, nowhere, lineless]
    assert apply(findings, lambda _: "# envcheck: ignore\n") == findings


def test_suppression_comment_does_not_change_the_value() -> None:
    from envcheck.sources.readers import parser_for

    for dialect in ("node", "python", "nodeutil"):
        parsed = parser_for(dialect)("A=1 # envcheck: ignore[EC201]\n", ".env")
        assert parsed.values() == {"A": "1"}, dialect
