"""Style rules: dotenv-linter's checks, without false positives on multi-line and JSON values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.rules import style
from envcheck.rules.base import CheckContext
from envcheck.sources.profiles import get_profile
from envcheck.sources.resolve import parse_file
from envcheck.sources.types import DOUBLE, SINGLE, Entry, ParsedFile, Problem, Resolution
from tests.bounded import assert_linear
from tests.lint_fixtures import expected_lines, fixtures, lint_lines

STYLE_FIXTURES = fixtures("style")


@pytest.mark.parametrize("path", STYLE_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_expected_output(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parents[3])
    expected = expected_lines(path)
    assert expected, "a fixture must trip its rule at least once"
    assert lint_lines(path) == expected


def lint(text: str, dialect: str = "node") -> list[str]:
    """``line:col CODE`` for each finding of ``text`` parsed in ``dialect``."""
    from envcheck.sources.readers import parser_for

    parsed = parser_for(dialect)(text, ".env")
    findings = style.lint_text(text, ".env", parsed.entries, parsed.problems)
    return [f"{f.location.line}:{f.location.col} {f.code}" for f in findings]


CLEAN = [
    'PRIVATE_KEY="-----BEGIN KEY-----\nline with spaces   \n  indented line\n'
    '\n\n-----END KEY-----"\n',
    'JSON=\'{"a": 1, "b": [1, 2]}\'\n',
    'JSON_DQ="{\\"a\\": 1}"\n',
    'MULTI_JSON=\'{\n  "a": 1,\n  "b": "x y"\n}\'\n',
    "A=1\n\nB=2\n",
    "export API_URL=https://example.com\n",
    "# comment with # hash\nA=1 # trailing comment\n",
    "URL=postgres://${DB_HOST:-localhost}:${PORT}/db\n",
    "SINGLE='${NOT_EXPANDED'\n",
    "EMPTY=\n",
    "",
]


@pytest.mark.parametrize("dialect", ["node", "python"])
@pytest.mark.parametrize("text", CLEAN, ids=range(len(CLEAN)))
def test_no_false_positives(text: str, dialect: str) -> None:
    assert lint(text, dialect) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1\nA=2\n", ["2:1 EC201"]),
        ("A = 1\n", ["1:2 EC202"]),
        ("A= 1\n", ["1:3 EC202"]),
        ("a=1\n", ["1:1 EC203"]),
        ("9A=1\n", ["1:1 EC204"]),
        ("  A=1\n", ["1:1 EC205"]),
        ("A-B=1\n", ["1:2 EC206"]),
        ("A=1 \n", ["1:4 EC207"]),
        ('A="1"\n', ["1:3 EC208"]),
        ("A=x y\n", ["1:3 EC209"]),
        ("A=${B\n", ["1:3 EC210"]),
        ("A=1\n\n\nB=1\n", ["3:1 EC211"]),
        ("A=1", ["1:4 EC212"]),
        ("B=1\nA=1\n", ["2:1 EC214"]),
        ("HOST=x\nBASE=http://${HOST}\n", []),  # sorting would break the reference (issue 26)
        ("HOST=x\nAPI=$HOST/api\n", []),
        ("HOST=x\nAPI=${OTHER}\n", ["2:1 EC214"]),  # references nothing moved past
        ("A=x#y\n", ["1:4 EC215"]),
        ('M="a  \nb"  \n', ["2:3 EC207"]),  # after the closing quote only
    ],
)
def test_each_rule_fires(text: str, expected: list[str]) -> None:
    assert lint(text) == expected


def test_python_dialect_separator_with_whitespace() -> None:
    # python-dotenv's parser records the separator as " = ".
    assert lint("A = 1\n", "python") == ["1:2 EC202"]
    assert lint("DEBUG\n", "python") == ["1:1 EC213"]


def test_lines_with_parser_problems_get_no_key_or_value_checks() -> None:
    entry = Entry("bad key", "x y", ".env", 1, 1)
    problem = Problem("invalid-key", "key has a space", ".env", 1, 1)
    assert style.lint_text("bad key=x y\n", ".env", [entry], [problem]) == []
    assert [f.code for f in style.lint_text("bad key=x y\n", ".env", [entry], [])] == [
        "EC203", "EC206", "EC209",
    ]  # fmt: skip


def test_built_entries_multi_line_value() -> None:
    text = 'K="a b  \n c  \n"\nL=2\n'
    entries = [Entry("K", "a b  \n c  \n", ".env", 1, 1, DOUBLE, 3), Entry("L", "2", ".env", 4, 1)]
    assert style.lint_text(text, ".env", entries) == []


CANARY = "sk-proj-CANARYcanaryCANARY1234"


def test_no_value_reaches_a_finding() -> None:
    text = (
        f"KEY = {CANARY} x\nKEY={CANARY}#frag\nlower='{CANARY}'\nSUB=${{{CANARY}\n"
        f'M="{CANARY}  \n{CANARY}  "  \n{CANARY}\n'
    )
    for dialect in ("node", "python", "nodeutil"):
        parsed = parse_file_text(text, dialect)
        findings = style.lint_text(text, ".env", parsed.entries, parsed.problems)
        assert findings
        for f in findings:
            assert "CANARY" not in f"{f.message} {f.hint} {f.key}"


def parse_file_text(text: str, dialect: str) -> ParsedFile:
    from envcheck.sources.readers import parser_for

    return parser_for(dialect)(text, ".env")


def test_check_reads_files_from_the_project(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\nA=2\nB='x'\n", encoding="utf-8")
    parsed = parse_file(tmp_path / ".env", ".env", "node")
    assert parsed is not None
    gone = ParsedFile(".env.local", [Entry("X", "1", ".env.local", 1, 1, SINGLE)])
    resolution = Resolution("nextjs", "development", [".env"], [parsed, gone])
    ctx = CheckContext(tmp_path, get_profile("nextjs"), resolution, {})
    # check() yields every rule; selection (EC208 is off by default) is the engine's job.
    got = [str(f.location) + " " + f.code for f in style.check(ctx)]
    assert got == [".env:2:1 EC201", ".env:3:3 EC208"]


def test_noisy_rules_are_off() -> None:
    """Docs, names and fixtures of every rule: tests/rules/test_rules.py."""
    off = {r.name for r in style.RULES if not r.default_enabled}
    assert off == {"needless-quotes", "extra-blank-line", "unordered-key"}


def test_linear_work() -> None:
    def work(n: int) -> Callable[[], object]:
        text = "".join(f"KEY_{i} = value {i}\n" for i in range(n))
        entries = [
            Entry(f"KEY_{i}", f"value {i}", ".env", i + 1, 1, separator="=") for i in range(n)
        ]
        return lambda: style.lint_text(text, ".env", entries)

    assert_linear(work, 1_000)


def test_ordering_with_references_is_linear() -> None:
    """EC214's reference guard looked at every earlier key per entry: 100k-key ref chain, 299 s."""
    from envcheck.sources.readers import parser_for

    def work(n: int) -> Callable[[], object]:
        text = "K0=start\n" + "".join(f"K{i}=${{K{i - 1}}}\n" for i in range(1, n))
        parsed = parser_for("node")(text, ".env")
        return lambda: style.lint_text(text, ".env", parsed.entries, parsed.problems)

    assert_linear(work, 500)
