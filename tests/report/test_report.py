"""Reporters: text, JSON, GitHub annotations and SARIF (validated against the SARIF schema)."""

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema
import pytest

from envcheck.model import PROCESS, Finding, Location, Related, Report, Severity
from envcheck.report import FORMATS, render, summary, use_color
from envcheck.report.github import annotation, escape_data, escape_property
from envcheck.report.sarif import fingerprint
from tests.harness import DATA

SECRET = "sk-proj-SECRETsecretSECRET9999"

FINDINGS = [
    Finding("EC201", "duplicated-key", Severity.WARNING, "PORT is already defined on line 2",
            Location(".env", 4, 1), key="PORT", hint="delete one"),
    Finding("EC101", "unterminated-quote", Severity.ERROR, "value of A opens a quote",
            Location(".env.local", 3, 9), key="A"),
    Finding("EC203", "lowercase-key", Severity.INFO, "api_key has lowercase letters",
            Location(".env", 2, 1), key="api_key", hint="upper case"),
    Finding("EC501", "shadowed-by-process-env", Severity.WARNING,
            "OPENAI_API_KEY from the shell overrides .env.local", Location(PROCESS),
            key="OPENAI_API_KEY", hint="unset it"),
    Finding("EC999", "unregistered-rule", Severity.ERROR, "a, b: 100%\nnext line",
            Location("dir with space/.env", 1, 1)),
]  # fmt: skip

# A finding about several places: where it is, and where else it concerns.
SPREAD = Finding("EC901", "read-but-never-set", Severity.ERROR,
                 "OPENAI_API_KEY is read here with no default, but nothing sets it",
                 Location("src/a.ts", 3, 9), key="OPENAI_API_KEY", hint="add it",
                 related=(Related(Location("src/b.ts", 7, 1), "also read here"),
                          Related(Location("../../lib/c.ts", 2, 5), "also read here")))  # fmt: skip


def report(findings: list[Finding] | None = None) -> Report:
    return Report(
        findings=list(FINDINGS if findings is None else findings),
        framework="nextjs",
        mode="development",
        files=[".env.local", ".env"],
    )


def test_text_groups_by_file_with_hints() -> None:
    out = render(report(FINDINGS[:3]), "text")
    assert out == (
        ".env:2:1: EC203 lowercase-key  api_key has lowercase letters\n"
        "  hint: upper case\n"
        ".env:4:1: EC201 duplicated-key  PORT is already defined on line 2\n"
        "  hint: delete one\n"
        "\n"
        ".env.local:3:9: EC101 unterminated-quote  value of A opens a quote"
    )


def test_text_quiet_drops_info_and_process_location_is_named() -> None:
    out = render(report(), "text", quiet=True)
    assert "EC203" not in out and "EC201" in out
    assert "process environment: EC501 shadowed-by-process-env" in out


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render(report(), "text")
    coloured = render(report(), "text", color=True)
    assert "\x1b[31m" in coloured  # red for errors
    assert "\x1b[33m" in coloured  # yellow for warnings


def test_verbose_points_at_the_rule_doc() -> None:
    assert "see `envcheck rules EC201`" in render(report(FINDINGS[:1]), "text", verbose=True)


@pytest.mark.parametrize(
    ("findings", "files", "line"),
    [
        (
            [],
            [],
            "0 errors, 0 warnings, 0 info in 0 files; nothing checked: no env file found for "
            "the framework and no schema (envcheck.toml, .env.example, --settings)",
        ),
        (FINDINGS[:1], [".env"], "0 errors, 1 warning, 0 info in 1 file"),
        (FINDINGS, [".env", ".env.local"], "2 errors, 2 warnings, 1 info in 2 files"),
    ],
)
def test_summary(findings: list[Finding], files: list[str], line: str) -> None:
    assert summary(Report(findings=findings, files=files)) == line


class Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # empty NO_COLOR does not count
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, True, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),  # NO_COLOR wins
    ],
)
def test_use_color(
    env: dict[str, str], tty: bool, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(Stream(tty)) is expected


JSON_SHAPE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "version", "tool", "tool_version", "framework", "mode", "files", "findings", "summary",
    ],
    "properties": {
        "version": {"const": 1},
        "tool": {"const": "envcheck"},
        "tool_version": {"type": "string"},
        "framework": {"type": "string"},
        "mode": {"type": "string"},
        "files": {"type": "array", "items": {"type": "string"}},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "severity", "message", "path", "line", "col",
                             "source", "key", "hint", "related"],
                "properties": {
                    "code": {"type": "string", "pattern": "^EC[0-9]{3}$"},
                    "name": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                    "severity": {"enum": ["error", "warning", "info"]},
                    "message": {"type": "string"},
                    "path": {"type": ["string", "null"]},
                    "line": {"type": ["integer", "null"], "minimum": 1},
                    "col": {"type": ["integer", "null"], "minimum": 1},
                    "source": {"enum": ["file", "process", "none"]},
                    "key": {"type": ["string", "null"]},
                    "hint": {"type": ["string", "null"]},
                    "related": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["path", "line", "col", "label"],
                            "properties": {
                                "path": {"type": ["string", "null"]},
                                "line": {"type": ["integer", "null"], "minimum": 1},
                                "col": {"type": ["integer", "null"], "minimum": 1},
                                "label": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": ["errors", "warnings", "info", "files", "inconclusive"],
            "properties": {
                "errors": {"type": "integer"}, "warnings": {"type": "integer"},
                "info": {"type": "integer"}, "files": {"type": "integer"},
                "inconclusive": {"type": "boolean"},
                "schema": {"type": ["string", "null"]}, "schema_keys": {"type": "integer"},
                "process_keys": {"type": "integer"}, "code_keys": {"type": "integer"},
                "checked_nothing": {"type": "boolean"},
            },
        },
    },
}  # fmt: skip


def test_json_matches_the_documented_shape() -> None:
    doc = json.loads(render(report(), "json"))
    jsonschema.validate(doc, JSON_SHAPE)
    assert doc["summary"] == {
        "errors": 2,
        "warnings": 2,
        "info": 1,
        "files": 2,
        "inconclusive": False,
        "schema": None,
        "schema_keys": 0,
        "process_keys": 0,
        "code_keys": 0,
        "checked_nothing": False,
    }
    process = next(f for f in doc["findings"] if f["code"] == "EC501")
    assert (process["source"], process["path"], process["line"]) == ("process", None, None)
    assert [f["code"] for f in doc["findings"]][:3] == ["EC203", "EC201", "EC101"]


def test_json_empty_report_is_valid() -> None:
    jsonschema.validate(json.loads(render(Report(), "json")), JSON_SHAPE)


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),  # already-escaped text is escaped again
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_annotations() -> None:
    lines = render(report(), "github").splitlines()
    assert len(lines) == len(FINDINGS)  # no message can start a new command line
    assert (
        lines[0] == "::notice file=.env,line=2,col=1,title=EC203 lowercase-key::"
        "api_key has lowercase letters%0Ahint: upper case"
    )
    process = annotation(FINDINGS[3])
    assert process.startswith(
        "::warning title=EC501 shadowed-by-process-env::process environment: "
    )
    odd = annotation(FINDINGS[4])
    assert (
        odd == "::error file=dir with space/.env,line=1,col=1,title=EC999 unregistered-rule::"
        "a, b: 100%25%0Anext line"
    )


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_sarif_validates_against_the_schema(sarif_validator: Any) -> None:
    for findings in (FINDINGS, []):
        doc = json.loads(render(report(findings), "sarif"))
        errors = sorted(sarif_validator.iter_errors(doc), key=str)
        assert not errors, [e.message for e in errors]


def test_sarif_content() -> None:
    doc = json.loads(render(report(), "sarif"))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted({f.code for f in FINDINGS})  # only rules that results reference
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    dup = next(r for r in driver["rules"] if r["id"] == "EC201")
    assert dup["name"] == "duplicated-key"
    assert "## What it does" in dup["help"]["markdown"]
    assert dup["defaultConfiguration"]["level"] == "warning"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    loc = by_rule["EC101"]["locations"][0]["physicalLocation"]
    assert loc == {
        "artifactLocation": {"uri": ".env.local", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 9},
    }
    assert by_rule["EC999"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "dir%20with%20space/.env"
    )
    logical = by_rule["EC501"]["locations"][0]
    assert "physicalLocation" not in logical
    assert logical["logicalLocations"][0]["name"] == "OPENAI_API_KEY"
    assert by_rule["EC203"]["level"] == "note"


def test_sarif_fingerprint_ignores_line_and_value() -> None:
    a = Finding("EC401", "x", Severity.ERROR, "m", Location(".env", 3, 1), key="K")
    moved = Finding("EC401", "x", Severity.ERROR, "other", Location(".env", 9, 5), key="K")
    other_file = Finding("EC401", "x", Severity.ERROR, "m", Location(".env.local", 3, 1), key="K")
    assert fingerprint(a) == fingerprint(moved) != fingerprint(other_file)
    doc = render(report([a]), "sarif")
    assert SECRET not in doc


def test_absolute_path_becomes_a_file_uri(sarif_validator: Any) -> None:
    f = Finding("EC201", "duplicated-key", Severity.WARNING, "m", Location("/abs/x y/.env", 1, 1))
    doc = json.loads(render(report([f]), "sarif"))
    art = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "file:///abs/x%20y/.env"}
    assert not list(sarif_validator.iter_errors(doc))


def test_no_format_leaks_a_value_passed_only_as_message_free_data() -> None:
    # Findings never carry values; the reporters must not add any (e.g. from the registry).
    for fmt in FORMATS:
        assert SECRET not in render(report(), fmt)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render(report(), "xml")


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d["runs"][0]["results"][0].update(level="fatal"),
        lambda d: d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(
            startLine=0
        ),
        lambda d: d["runs"][0]["tool"]["driver"].pop("name"),
        lambda d: d.update(version="2.0.0"),
    ],
)
def test_schema_validation_can_fail(breakage: Any, sarif_validator: Any) -> None:
    doc = json.loads(render(report(FINDINGS[:2]), "sarif"))
    breakage(doc)
    assert list(sarif_validator.iter_errors(doc))


def test_related_places_are_data_in_every_format(sarif_validator: Any) -> None:
    """A finding's other places are placed by each renderer, never left to its message."""
    text = render(report([SPREAD]), "text")
    assert text.splitlines() == [
        "src/a.ts:3:9: EC901 read-but-never-set  OPENAI_API_KEY is read here with no default, "
        "but nothing sets it",
        "  related: src/b.ts:7:1 also read here",
        "  related: ../../lib/c.ts:2:5 also read here",
        "  hint: add it",
    ]
    doc = json.loads(render(report([SPREAD, *FINDINGS]), "json"))
    jsonschema.validate(doc, JSON_SHAPE)
    by_code = {f["code"]: f for f in doc["findings"]}
    assert by_code["EC901"]["related"] == [
        {"path": "src/b.ts", "line": 7, "col": 1, "label": "also read here"},
        {"path": "../../lib/c.ts", "line": 2, "col": 5, "label": "also read here"},
    ]
    assert by_code["EC201"]["related"] == []
    sarif = json.loads(render(report([SPREAD]), "sarif"))
    assert not sorted(sarif_validator.iter_errors(sarif), key=str)
    related = sarif["runs"][0]["results"][0]["relatedLocations"]
    assert [r["message"]["text"] for r in related] == ["also read here"] * 2
    assert related[0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src/b.ts", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 1},
    }
    assert annotation(SPREAD) == (
        "::error file=src/a.ts,line=3,col=9,title=EC901 read-but-never-set::OPENAI_API_KEY is "
        "read here with no default, but nothing sets it (also: src/b.ts:7, ../../lib/c.ts:2)"
        "%0Ahint: add it"
    )


def test_related_places_are_sanitised_for_terminal_and_log() -> None:
    """A related path comes from the checkout: no escape or workflow command gets through."""
    hostile = SPREAD.replace(
        related=(Related(Location("src/\x1b[2Jx.ts\n::add-mask::k", 1, 1), "also read here"),)
    )
    text = render(report([hostile]), "text")
    assert "\x1b" not in text and "\n::" not in text
    assert "\\x1b[2Jx.ts\\n::add-mask::k" in text
    line = annotation(hostile)
    assert "\n" not in line and "\x1b" not in line
    assert "%0A\\x3a:add-mask" in line  # inside the data part, escaped: no new command


def test_related_labels_never_show_a_pasted_credential_key() -> None:
    pasted = f"{SECRET}\nOPENAI_API_KEY"  # Vite glued a pasted line onto the key
    f = Finding("EC901", "read-but-never-set", Severity.ERROR, f"{pasted} is read here",
                Location("src/a.ts", 1, 1), key=pasted,
                related=(Related(Location("src/b.ts", 2, 1), f"{pasted} read here"),))  # fmt: skip
    for fmt in FORMATS:
        assert SECRET not in render(report([f]), fmt)


def test_rebased_moves_locations_and_related_locations_not_messages() -> None:
    """A workspace app's report named from the root: every place moves, prose does not."""
    process = FINDINGS[3]
    app = Report(findings=[SPREAD, process], files=[".env", "../../.env"], base="x")
    root = app.rebased("apps/web")
    moved = root.findings[0]
    assert moved.location == Location("apps/web/src/a.ts", 3, 9)
    assert [r.location for r in moved.related] == [
        Location("apps/web/src/b.ts", 7, 1),
        Location("lib/c.ts", 2, 5),  # ../../ of apps/web: the root's own file
    ]
    assert [r.label for r in moved.related] == ["also read here"] * 2
    assert moved.message == SPREAD.message and moved.hint == SPREAD.hint
    assert root.findings[1] == process  # the process environment has no path to move
    assert root.files == ["apps/web/.env", ".env"]
    assert root.base == "x"
    assert app.rebased(".") == app and app.rebased("") == app
    ci = Report(findings=[SPREAD], base="apps/web").rebased()  # `-C apps/web` for CI formats
    assert ci.base == "" and ci.findings[0].related[1].location.path == "lib/c.ts"


def test_related_is_part_of_a_findings_identity() -> None:
    bare = SPREAD.replace(related=())
    assert bare != SPREAD and hash(bare) != hash(SPREAD)
    assert SPREAD.replace(related=list(SPREAD.related)) == SPREAD  # stored as a tuple
    assert "also read here" in repr(SPREAD)
