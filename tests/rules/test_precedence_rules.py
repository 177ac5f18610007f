"""Precedence rules (EC5xx): provenance-based checks and the mapping of loader notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.model import Finding, Location, Related, Severity
from envcheck.rules import precedence
from envcheck.rules.base import CheckContext
from envcheck.secret import Secret
from envcheck.sources.profiles import get_profile
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    Origin,
    ParsedFile,
    Problem,
    Resolution,
    Resolved,
)
from tests.harness import FIXTURES
from tests.rulefixtures import context, expected, run_fixture

KEY_NEW = "sk-proj-FAKEFAKEFAKEFAKE0notArealKey0unitTestNew0000AbC"
KEY_OLD = "sk-proj-FAKEFAKEFAKEFAKE0notArealKey0unitTestOld0000XyZ"
PRECEDENCE_FIXTURES = sorted((FIXTURES / "rules" / "precedence").glob("EC*"))


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def resolution(
    files: dict[str, dict[str, str]],
    *,
    process_env: dict[str, str] | None = None,
    framework: str = "nextjs",
    mode: str = "development",
    notes: list[Problem] | None = None,
) -> Resolution:
    """A resolution built by hand: ``files`` highest priority first, process wins."""
    parsed = []
    vars_: dict[str, Resolved] = {}
    for name, values in files.items():
        pf = ParsedFile(
            name, [Entry(k, v, name, i, 1) for i, (k, v) in enumerate(values.items(), 1)]
        )
        parsed.append(pf)
        for key, entry in pf.last_entries().items():
            if key in vars_:
                vars_[key].shadowed.append(Origin.of(entry))
            else:
                vars_[key] = Resolved(key, Secret(entry.value), Origin.of(entry), [], None, entry)
    for key, value in (process_env or {}).items():
        if key in vars_:
            old = vars_[key]
            vars_[key] = Resolved(key, Secret(value), PROCESS_ORIGIN, [old.origin, *old.shadowed])
    return Resolution(framework, mode, list(files), parsed, vars_, list(notes or []))


def ctx_of(
    res: Resolution, tmp_path: Path, process_env: dict[str, str] | None = None
) -> CheckContext:
    return CheckContext(tmp_path, get_profile(res.framework), res, dict(process_env or {}))


def run(
    res: Resolution, tmp_path: Path, process_env: dict[str, str] | None = None
) -> list[Finding]:
    return list(precedence.check(ctx_of(res, tmp_path, process_env)))


# --- fixtures and docs ------------------------------------------------------------


@pytest.mark.parametrize("fixture", PRECEDENCE_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_expected_output(fixture: Path, tmp_path: Path) -> None:
    lines = run_fixture(fixture, tmp_path, precedence.check)
    assert lines == expected(fixture)
    assert lines and all(f" {fixture.name} " in x for x in lines if not x.startswith("  "))
    assert "FAKEFAKE" not in "\n".join(lines)


def test_the_noisy_rule_is_off_by_default() -> None:
    """Docs, names and fixtures of every rule: tests/rules/test_rules.py."""
    assert precedence.EC504.default_enabled is False


# --- EC501 --------------------------------------------------------------------------


def test_stale_process_value_beats_the_file(tmp_path: Path) -> None:
    res = resolution(
        {".env.local": {"OPENAI_API_KEY": KEY_NEW}, ".env": {"OPENAI_API_KEY": ""}},
        process_env={"OPENAI_API_KEY": KEY_OLD},
    )
    (found,) = by_code(run(res, tmp_path), "EC501")
    assert found.severity is Severity.WARNING
    assert str(found.location) == ".env.local:1:1"
    assert found.message == (
        "OPENAI_API_KEY from the process environment overrides this line "
        "(nextjs, development) and the values differ"
    )
    assert found.related == (Related(Location(".env", 1, 1), "shadowed too"),)
    assert found.hint == (
        "unset OPENAI_API_KEY in your shell, or remove the export from your shell profile"
    )
    for text in (found.message, found.hint, str(found)):
        assert KEY_NEW not in text and KEY_OLD not in text


@pytest.mark.parametrize(
    ("file_value", "process_value", "severity"),
    [
        (KEY_NEW, KEY_NEW, Severity.INFO),
        (KEY_NEW, KEY_OLD, Severity.WARNING),
        ("", KEY_OLD, Severity.WARNING),
        (KEY_NEW, "", Severity.WARNING),  # an empty export still wins
    ],
)
def test_equal_values_are_only_informational(
    tmp_path: Path, file_value: str, process_value: str, severity: Severity
) -> None:
    res = resolution({".env": {"K": file_value}}, process_env={"K": process_value})
    assert [f.severity for f in by_code(run(res, tmp_path), "EC501")] == [severity]


def test_no_shadowing_no_finding(tmp_path: Path) -> None:
    res = resolution({".env.local": {"A": "1"}, ".env": {"A": "2"}})
    res.vars["P"] = Resolved("P", Secret("x"), PROCESS_ORIGIN, [])  # process only
    assert by_code(run(res, tmp_path), "EC501") == []


def test_process_shadowing_note_is_not_reported_twice(tmp_path: Path) -> None:
    note = Problem("process-shadows-file", "K from the process environment", ".env", 1, 1, "K")
    res = resolution({".env": {"K": "a"}}, process_env={"K": "b"}, notes=[note])
    assert len(by_code(run(res, tmp_path), "EC501")) == 1


def test_process_shadowing_note_without_provenance_still_reported(tmp_path: Path) -> None:
    note = Problem("process-shadows-file", "K from the process environment", ".env", 3, 1, "K")
    res = resolution({".env": {"A": "a"}}, notes=[note])
    (found,) = by_code(run(res, tmp_path), "EC501")
    assert str(found.location) == ".env:3:1"


# --- EC502 --------------------------------------------------------------------------


def test_local_file_ignored_in_test_mode(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("ONLY_LOCAL=1\nSHARED=1\nFROM_SHELL=1\n")
    (tmp_path / ".env.test").write_text("SHARED=2\n")
    ctx = context(tmp_path, "nextjs", "test", {"FROM_SHELL": "x"})
    (found,) = by_code(list(precedence.check(ctx)), "EC502")
    assert found.severity is Severity.WARNING
    assert "ONLY_LOCAL is undefined in test mode" in found.message
    assert "SHARED" not in found.message and "FROM_SHELL" not in found.message


def test_local_file_ignored_but_nothing_lost_is_info(tmp_path: Path) -> None:
    (tmp_path / ".env.local").write_text("SHARED=1\n")
    (tmp_path / ".env.test").write_text("SHARED=2\n")
    (found,) = by_code(list(precedence.check(context(tmp_path, "nextjs", "test"))), "EC502")
    assert found.severity is Severity.INFO


@pytest.mark.parametrize(("framework", "mode"), [("nextjs", "development"), ("vite", "test")])
def test_local_file_read_no_finding(tmp_path: Path, framework: str, mode: str) -> None:
    (tmp_path / ".env.local").write_text("ONLY_LOCAL=1\n")
    assert by_code(list(precedence.check(context(tmp_path, framework, mode))), "EC502") == []


def test_skipped_file_that_does_not_exist(tmp_path: Path) -> None:
    assert by_code(list(precedence.check(context(tmp_path, "nextjs", "test"))), "EC502") == []


# --- EC503 --------------------------------------------------------------------------


def test_vite_mode_file_beats_local_computed(tmp_path: Path) -> None:
    res = resolution(
        {".env.development": {"VITE_API": "a"}, ".env.local": {"VITE_API": "b", "VITE_X": "c"}},
        framework="vite",
    )
    (found,) = by_code(run(res, tmp_path), "EC503")
    assert (found.key, str(found.location)) == ("VITE_API", ".env.local:1:1")


def test_next_order_local_beats_mode_file(tmp_path: Path) -> None:
    res = resolution({".env.local": {"A": "b"}, ".env.development": {"A": "a"}})
    assert by_code(run(res, tmp_path), "EC503") == []


def test_vite_end_to_end(tmp_path: Path) -> None:
    (tmp_path / ".env.development").write_text("VITE_API=https://staging.example.com\n")
    (tmp_path / ".env.local").write_text("\nVITE_API=http://localhost:1\n")
    found = by_code(list(precedence.check(context(tmp_path, "vite"))), "EC503")
    assert [(f.key, str(f.location)) for f in found] == [("VITE_API", ".env.local:2:1")]


# --- EC504 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "flagged"),
    [
        ({".env.development": "A=1\n", ".env.production": "B=1\n"}, ["A", "B"]),
        ({".env.development": "A=1\n", ".env.production.local": "A=2\n"}, []),
        ({".env": "A=0\n", ".env.development": "A=1\n", ".env.production": "B=1\n"}, ["B"]),
        ({".env.local": "B=0\n", ".env.development": "A=1\n", ".env.production": "B=1\n"}, ["A"]),
        ({".env.development": "A=1\n"}, []),  # one mode: nothing to compare
        ({".env.development": "A=1\n", ".env.example": "B=\n"}, []),  # a template is no mode
    ],
)
def test_key_only_in_one_mode(tmp_path: Path, files: dict[str, str], flagged: list[str]) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    found = by_code(list(precedence.check(context(tmp_path))), "EC504")
    assert sorted(f.key or "" for f in found) == flagged


# --- loader notes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        *[(k, None) for k in sorted(precedence.SYNTAX_KINDS)],
        ("file-dropped", "EC505"),
        ("vite-crash", "EC505"),
        ("load-crash", "EC505"),
        ("mode-overridden", "EC506"),
        ("expansion-cycle", "EC507"),
        ("expansion-runaway", "EC507"),
        ("undefined-variable", "EC507"),
        ("vite-mode-beats-local", "EC503"),
        ("process-shadows-file", "EC501"),
        ("invalid-mode", "EC508"),
        ("something-new", "EC508"),
    ],
)
def test_note_kinds_map_to_rules(kind: str, code: str | None) -> None:
    rule = precedence.rule_for_note(kind)
    assert (rule.code if rule else None) == code


def test_notes_become_findings_at_their_location(tmp_path: Path) -> None:
    notes = [
        Problem(
            "file-dropped",
            "Next.js drops .env.local: PREFIX refers to itself",
            ".env.local",
            2,
            1,
            "PREFIX",
        ),
        Problem("expansion-cycle", "A refers back to itself", ".env", 4, 1, "A"),
        Problem("crlf", "CRLF line endings", ".env", 1, 1),
        Problem("mode-overridden", "NODE_ENV=test forces the test mode", "process"),
    ]
    found = run(resolution({".env": {"X": "1"}}, notes=notes), tmp_path)
    assert [(f.code, f.severity, str(f.location)) for f in found] == [
        ("EC505", Severity.ERROR, ".env.local:2:1"),
        ("EC507", Severity.WARNING, ".env:4:1"),
        ("EC506", Severity.WARNING, "process environment"),
    ]
    assert all(f.hint for f in found)


# EC508: compose services that hold a key differently --------------------------

_SECRET_WEB = "Zq8" + "v4RkT2mW9yB7nC1xL5pD3sF6hJ0gK8aQ"  # fake, 35 characters
_SECRET_WORKER = "Pm3" + "a9XcV1bN6zQ2wE8rT4yU7iO5pA0sD3fG"  # fake, another one
LANGFUSE = """\
services:
  langfuse-worker:
    image: langfuse/langfuse-worker:3
    environment: &worker-env
      DATABASE_URL: ${DATABASE_URL:-postgresql://postgres:postgres@postgres:5432/postgres}
      SALT: ${SALT:-mysalt}
      LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT: ${LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT:-http://minio:9000}
  langfuse-web:
    image: langfuse/langfuse:3
    ports:
      - 3000:3000
    environment:
      <<: *worker-env
      LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT: ${LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT:-http://localhost:9090}
  minio:
    image: minio/minio
    ports:
      - 9090:9000
"""
INBOX_ZERO = """\
services:
  db:
    image: postgres:16
    env_file:
      - path: ./apps/web/.env
        required: false
  web:
    image: ghcr.io/example/web:latest
    env_file:
      - path: ./apps/web/.env
        required: false
    environment:
      DATABASE_URL: ${DATABASE_URL:-postgresql://postgres:password@db:5432/app?schema=public}
      PORT: "3000"
  worker:
    image: ghcr.io/example/web:latest
    env_file:
      - path: ./apps/web/.env
        required: false
    environment:
      PORT: "3030"
"""


def _compose_check(root: Path, files: dict[str, str]) -> list[Finding]:
    from envcheck.project import ProjectOptions, load_project, set_project_root

    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    set_project_root(root)
    project = load_project(ProjectOptions(project_dir=root, framework="compose", process_env=False))
    ctx = CheckContext(root, project.profile, project.resolution, {})
    return by_code(list(precedence.check(ctx)), "EC508")


def test_an_in_network_and_a_browser_facing_url_per_service_is_no_finding(
    tmp_path: Path,
) -> None:
    """langfuse: the worker reaches MinIO as minio:9000, the web app hands the browser
    localhost:9090 (hold-out survey, PER-SERVICE-BY-DESIGN); SALT is shared by the anchor."""
    assert _compose_check(tmp_path, {"docker-compose.yml": LANGFUSE}) == []


def test_a_file_for_every_service_and_an_in_network_override_is_no_finding(
    tmp_path: Path,
) -> None:
    """inbox-zero: every service reads apps/web/.env (localhost URLs for `next dev`); the
    web container overrides DATABASE_URL with the in-network host; each server its PORT."""
    env = 'DATABASE_URL="postgresql://postgres:password@localhost:5432/app?schema=public"\n'
    found = _compose_check(tmp_path, {"docker-compose.yml": INBOX_ZERO, "apps/web/.env": env})
    assert found == []


def test_a_secret_the_services_share_that_differs_is_reported(tmp_path: Path) -> None:
    compose = LANGFUSE.replace(
        "      <<: *worker-env\n", f"      <<: *worker-env\n      SALT: {_SECRET_WEB}\n"
    ).replace("SALT: ${SALT:-mysalt}", f"SALT: {_SECRET_WORKER}")
    found = _compose_check(tmp_path, {"docker-compose.yml": compose})
    assert [(f.key, f.severity) for f in found] == [("SALT", Severity.WARNING)]
    assert "langfuse-worker and langfuse-web" in found[0].message
    assert _SECRET_WEB not in found[0].message and _SECRET_WORKER not in found[0].message
    assert found[0].hint and "every service" in found[0].hint


def test_one_database_reached_with_two_credentials_is_reported(tmp_path: Path) -> None:
    env = "DATABASE_URL=postgresql://app:" + _SECRET_WORKER + "@db:5432/app?schema=public\n"
    found = _compose_check(tmp_path, {"docker-compose.yml": INBOX_ZERO, "apps/web/.env": env})
    assert [f.key for f in found] == ["DATABASE_URL"]
    assert "same db" in found[0].message and "credentials" in found[0].message
    assert _SECRET_WORKER not in found[0].message


def test_one_database_and_one_login_with_other_options_is_no_finding(tmp_path: Path) -> None:
    """formbricks' self-hosting compose file: the app's DATABASE_URL ends in
    ``?schema=public``, the hub migrator's in ``?sslmode=disable``; the same user and
    password log in to both.  Reported as "different credentials" until the login itself
    was compared."""
    env = "DATABASE_URL=postgresql://postgres:password@db:5432/app?sslmode=disable\n"
    found = _compose_check(tmp_path, {"docker-compose.yml": INBOX_ZERO, "apps/web/.env": env})
    assert found == []
