"""Fuzzing: the parsers, the decoder, the resolver and the reporters on arbitrary input.

Properties, not examples: no exception escapes, every position points
inside the text it came from, and every output format stays valid (JSON
parses, SARIF validates against the 2.1.0 schema, GitHub annotations are
one line per finding).  A hand-written corpus tests what someone thought
of; these test what nobody did (the linear-time ``${`` scanner below was
found this way).

The default run (``make test``) draws ~100 examples per property; ``make
fuzz`` sets ``ENVCHECK_FUZZ_EXAMPLES=100000`` and selects these tests with
``-m fuzz``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envcheck.model import PROCESS, Finding, Location, Report, Severity
from envcheck.report import FORMATS, render
from envcheck.rules.registry import all_rules
from envcheck.secret import Secret
from envcheck.sources.decode import decode
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers import node as node_parser
from envcheck.sources.readers import node_cra as node_cra_parser
from envcheck.sources.readers import nodeutil as nodeutil_parser
from envcheck.sources.readers import python as python_parser
from envcheck.sources.readers.python_expand import _POSIX_VARIABLE, _variables
from envcheck.sources.resolve import resolve
from envcheck.sources.types import ParsedFile
from tests.harness import DATA

pytestmark = pytest.mark.fuzz

# One profile for every property here.  deadline=None: a shared, loaded CPU
# makes per-example timing meaningless.  function_scoped_fixture: the only
# function-scoped fixture is conftest's autouse environment scrub, which no
# example changes, so it need not be reset between examples.  too_slow /
# data_too_large: the resolver writes real files and the strategies build
# whole env files, both slower and bigger than hypothesis's defaults expect.
settings.register_profile(
    "envcheck-fuzz",
    max_examples=int(os.environ.get("ENVCHECK_FUZZ_EXAMPLES") or 100),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FUZZ = settings(settings.get_profile("envcheck-fuzz"))


# -- strategies --------------------------------------------------------------

# Pieces of env-file syntax, so that random text is often almost valid.
FRAGMENTS = [
    "KEY", "A", "b", "_", "1", ".", "-", "=", " = ", ": ", "export ", "#", " #", "'", '"', "`",
    "\\", "\\n", "$", "${", "}", "{", ":-", ":+", "-", "${A}", "$A", "\n", "\r\n", "\r", " ",
    "\t", "\ufeff", "\u2028", "\x00", "é", "€", "😀", "\ufffd", "sk-proj-", "a" * 20,
]  # fmt: skip
envish = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)
texts = st.one_of(envish, st.text(max_size=200), st.text(alphabet="=\"'`\\$#{}\n\r A", max_size=80))

PARSERS: dict[str, Callable[[str, str], ParsedFile]] = {
    "node": node_parser.parse,
    "node-dotenv10": node_cra_parser.parse,
    "nodeutil": nodeutil_parser.parse,
    "python": python_parser.parse,
}
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def _line_count(text: str) -> int:
    """An upper bound on the lines any dialect can see: every kind of break counts."""
    return len(_BREAKS.findall(text)) + text.count("\r\n") + 1


def _assert_positions(parsed: ParsedFile, text: str, path: str) -> None:
    lines = _line_count(text)
    width = len(text) + 1
    assert parsed.path == path
    for e in parsed.entries:
        assert isinstance(e.key, str) and isinstance(e.value, str)
        assert e.path == path
        assert 1 <= e.line <= lines, (e.line, lines)
        assert 1 <= e.col <= width
        assert e.end_line == 0 or e.line <= e.end_line <= lines
    for p in parsed.problems:
        assert p.path == path and p.kind and p.message
        assert 1 <= p.line <= lines, (p, lines)
        assert 1 <= p.col <= width, (p, width)


# -- parsers and decoder -------------------------------------------------------


@FUZZ
@given(text=texts, dialect=st.sampled_from(sorted(PARSERS)))
def test_parsers_never_raise_and_positions_are_in_range(text: str, dialect: str) -> None:
    parsed = PARSERS[dialect](text, ".env")
    _assert_positions(parsed, text, ".env")


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), envish.map(lambda t: t.encode("utf-8", "replace"))))
def test_decode_never_raises_and_points_inside_the_bytes(data: bytes) -> None:
    text, problems = decode(data, ".env")
    assert isinstance(text, str)
    lines = data.count(b"\n") + 1
    for p in problems:
        assert 1 <= p.line <= lines and 1 <= p.col <= len(data) + 1, p
    for parse in PARSERS.values():
        _assert_positions(parse(text, ".env"), text, ".env")


@FUZZ
@given(value=st.text(alphabet="${}:-a\n", max_size=40))
def test_python_variable_scanner_matches_python_dotenvs_regex(value: str) -> None:
    """The linear scanner finds exactly what python-dotenv's regex finds."""
    want = [(m.start(), m.end(), m["name"], m["default"]) for m in _POSIX_VARIABLE.finditer(value)]
    assert list(_variables(value)) == want


# -- resolver ----------------------------------------------------------------

FILE_NAMES = sorted(
    {
        n
        for p in PROFILES.values()
        for m in ("development", "production", "test")
        for n in p.candidates(m)
    }
)
contents = st.one_of(
    envish.map(lambda t: t.encode("utf-8", "replace")),
    st.binary(max_size=120),
    envish.map(lambda t: "\ufeff".encode() + t.encode("utf-8", "replace")),
)
file_sets = st.dictionaries(st.sampled_from(FILE_NAMES), contents, max_size=5)
process = st.dictionaries(
    st.sampled_from(["A", "KEY", "NODE_ENV", "APP_ENV", "B", "PATH"]),
    st.text(max_size=12),
    max_size=3,
)


@FUZZ
@given(files=file_sets, env=process, mode=st.sampled_from(["development", "production", "test"]))
def test_resolver_loads_any_file_set_with_every_profile(
    files: dict[str, bytes], env: dict[str, str], mode: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, data in files.items():
            (root / name).write_bytes(data)
        for name, profile in PROFILES.items():
            res = resolve(root, profile, mode, env)
            assert res.framework == name and res.mode == mode
            assert set(res.files) <= set(files)
            sizes = {f: _line_count(decode(files[f], f)[0]) for f in res.files}
            for key, resolved in res.vars.items():
                assert resolved.key == key and isinstance(resolved.value, Secret)
                for origin in (resolved.origin, *resolved.shadowed):
                    if origin.is_process:
                        continue
                    assert origin.source in sizes, (name, origin)
                    assert origin.line is None or 1 <= origin.line <= sizes[origin.source]
            for parsed in res.parsed:
                text = decode(files[parsed.path], parsed.path)[0]
                _assert_positions(parsed, text, parsed.path)


# -- reporters ---------------------------------------------------------------

RULES = all_rules()


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    rule = draw(st.sampled_from(RULES))
    path = draw(
        st.one_of(st.none(), st.just(PROCESS), st.sampled_from([".env", "app/.env.local"]), texts)
    )
    line = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=10**6)))
    col = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=10**4)))
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=draw(st.sampled_from(list(Severity))),
        message=draw(texts),
        location=Location(path, line, col),
        key=draw(st.one_of(st.none(), st.sampled_from(["OPENAI_API_KEY", "A"]), texts)),
        hint=draw(st.one_of(st.none(), texts)),
    )


reports = st.builds(
    Report,
    findings=st.lists(findings(), max_size=6),
    framework=st.sampled_from(["nextjs", "vite", ""]),
    mode=st.sampled_from(["development", "production", ""]),
    files=st.lists(st.sampled_from([".env", ".env.local"]), max_size=2),
    inconclusive=st.booleans(),
)


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads((DATA / "sarif-schema-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@FUZZ
@given(
    report=reports,
    color=st.booleans(),
    quiet=st.booleans(),
    verbose=st.booleans(),
)
def test_reporters_render_any_report_validly(
    report: Report, color: bool, quiet: bool, verbose: bool, sarif_validator: Any
) -> None:
    out = {fmt: render(report, fmt, color=color, quiet=quiet, verbose=verbose) for fmt in FORMATS}
    assert isinstance(out["text"], str)
    document = json.loads(out["json"])
    assert len(document["findings"]) == len(report.findings)
    sarif = json.loads(out["sarif"])
    errors = sorted(sarif_validator.iter_errors(sarif), key=str)
    assert not errors, errors[0]
    assert len(sarif["runs"][0]["results"]) == len(report.findings)
    # GitHub reads the log line by line: a finding must never span two.
    lines = out["github"].split("\n") if out["github"] else []
    assert len(lines) == len(report.findings)
    assert all(line.startswith("::") and "\r" not in line for line in lines)


# -- hostile shapes: bounded expansion, inert output (issue 15) ---------------

# Terminal and CI-log injections, mixed into findings' text fields.
HOSTILE = [
    "\x1b[2J", "\x1b]0;t\x07", "\x1b]8;;u\x1b\\", "\r", "\x08", "\x9b", "\u202e", "\u2066",
    "\u200b", "\ufeff", "\u2028", "\U000e0041", "::set-env name=A::b", "::add-mask::",
    "::stop-commands::x", "%0A", "%", ":", ",", "\n::error::x",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(HOSTILE + FRAGMENTS), max_size=20).map("".join)


@st.composite
def hostile_findings(draw: st.DrawFn) -> Finding:
    rule = draw(st.sampled_from(RULES))
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=draw(st.sampled_from(list(Severity))),
        message=draw(hostile_text),
        location=Location(draw(st.one_of(st.just(".env"), hostile_text)), 1, 1),
        key=draw(st.one_of(st.none(), hostile_text)),
        hint=draw(st.one_of(st.none(), hostile_text)),
    )


_INERT_LINE = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]*")


@FUZZ
@given(found=st.lists(hostile_findings(), min_size=1, max_size=4))
def test_text_and_github_output_stay_inert(found: list[Finding]) -> None:
    report = Report(findings=found, framework="vite", mode="development", files=[".env"])
    text = render(report, "text", color=False)
    github = render(report, "github")
    for out in (text, github):
        assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
        for line in out.split("\n"):
            assert _INERT_LINE.fullmatch(line), repr(line)
    for line in text.split("\n"):
        assert not line.lstrip(" ").startswith("::"), line
    lines = github.split("\n")
    assert len(lines) == len(found)
    for line in lines:
        assert line.startswith(("::error ", "::warning ", "::notice "))
        props = line[2 : line.index("::", 2)]
        assert props.count("title=") == 1, line


# Expansion shapes: chains, doublings, self references, replacement patterns.
def _expansion_file(draw: st.DrawFn) -> str:
    n = draw(st.integers(min_value=1, max_value=30))
    pieces = ["${A%d}", "$A%d", "${A%d:-d}", "$&", "$`", "$'", "x", "\\$", "${A%d}${A%d}"]
    lines = ["A0=" + draw(st.text(alphabet="xyz$", max_size=30))]
    for i in range(1, n + 1):
        parts = draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=4))
        refs = [draw(st.integers(min_value=0, max_value=n)) for _ in parts]
        value = "".join(p.replace("%d", str(r)) for p, r in zip(parts, refs, strict=True))
        lines.append(f"A{i}={value}")
    return "\n".join(lines) + "\n"


expansion_files = st.composite(_expansion_file)()


@FUZZ
@given(text=expansion_files)
def test_expansion_is_bounded_for_every_profile(text: str) -> None:
    """Whatever the references do, each load charges at most the budget (plus one value).

    The run's budget is a small one (64 KiB a value, 1 MiB in all): the
    property is the same as with the default limits, and an example that
    hits them costs milliseconds instead of seconds, so the whole profile
    table fits in ``make test``.
    """
    from envcheck.sources.budget import Budget, run_budget

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".env").write_text(text, encoding="utf-8")
        for profile in PROFILES.values():
            with run_budget(Budget(max_value=64 << 10, max_total=1 << 20)) as budget:
                res = resolve(root, profile, "development", {})
            assert budget.spent <= budget.max_total + 2 * budget.max_value, profile.name
            for resolved in res.vars.values():
                assert len(resolved.value) <= 4 * budget.max_value, profile.name
