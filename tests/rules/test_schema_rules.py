"""The schema rules (EC3xx) over one fixture project per rule, compared exactly.

Each ``fixtures/rules/schema/<CODE>/`` holds a project with violations and
clean lines, ``fixture.toml`` (framework, mode, process environment,
``settings`` for a pydantic-settings class) and ``expected.txt``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.model import Finding, Location, Related
from envcheck.rules import schema as family
from envcheck.rules.base import CheckContext
from envcheck.schema.load import load_schema
from envcheck.schema.model import KeySpec, Schema
from envcheck.secret import Secret, reveal
from envcheck.sources.profiles import get_profile
from envcheck.sources.types import Origin, Resolution, Resolved
from tests.harness import FIXTURES, REPO_ROOT
from tests.rulefixtures import context, expected, render, setup_fixture

CASES = sorted(p for p in (FIXTURES / "rules" / "schema").iterdir() if p.is_dir())


@pytest.fixture
def clean_modules() -> Iterator[None]:
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("ec3"):
            del sys.modules[name]


def run(src: Path, dst: Path) -> tuple[list[Finding], CheckContext]:
    meta = setup_fixture(src, dst)
    schema = load_schema(dst, settings=meta.get("settings"))
    ctx = context(
        dst,
        meta.get("framework", "nextjs"),
        meta.get("mode", "development"),
        meta.get("process_env", {}),
        schema,
    )
    select = meta.get("select", [])
    found = [f for f in family.check(ctx) if family.R[f.code].default_enabled or f.code in select]
    return found, ctx


@pytest.mark.parametrize("src", CASES, ids=[p.name for p in CASES])
def test_fixture(src: Path, tmp_path: Path, clean_modules: None) -> None:
    findings, ctx = run(src, tmp_path)
    assert render(findings) == expected(src)
    assert any(f.code == src.name for f in findings), "the fixture must exercise its rule"
    values = [reveal(r.value) for r in ctx.resolution.vars.values()]
    values += list(ctx.process_env.values())
    for f in findings:
        text = f"{f.message} {f.hint or ''}"
        for value in values:
            if len(value.strip()) >= 6:
                assert value.strip() not in text, f"{f.code} leaks a value"


def test_every_rule_has_doc_and_fixture() -> None:
    assert {p.name for p in CASES} == {r.code for r in family.RULES}
    for rule in family.RULES:
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rule.doc, (rule.code, section)
        assert rule.name == rule.name.lower() and " " not in rule.name
    assert [r.code for r in family.RULES if not r.default_enabled] == ["EC303", "EC310"]


def resolution(mode: str = "development", **values: str) -> Resolution:
    vars_ = {
        k: Resolved(k, Secret(v), Origin(".env", i + 1, 1))
        for i, (k, v) in enumerate(values.items())
    }
    return Resolution("nextjs", mode, [".env"], vars=vars_)


def ctx_for(
    res: Resolution, schema: Schema | None = None, env: dict[str, str] | None = None
) -> CheckContext:
    return CheckContext(Path("."), get_profile("nextjs"), res, env or {}, schema)


def codes(ctx: CheckContext) -> list[str]:
    """Codes of the default-enabled rules' findings (EC303 is opt-in)."""
    return [f.code for f in family.check(ctx) if family.R[f.code].default_enabled]


@pytest.mark.parametrize(
    ("mode", "expected_codes"),
    [("production", ["EC301"]), ("staging", ["EC301"]), ("development", [])],
)
def test_required_only_in_some_modes(mode: str, expected_codes: list[str]) -> None:
    schema = Schema({"SENTRY_DSN": KeySpec("SENTRY_DSN", required_modes=("production", "staging"))})
    assert codes(ctx_for(resolution(mode), schema)) == expected_codes


def test_missing_without_files_points_at_the_schema_line() -> None:
    schema = Schema({"A": KeySpec("A", where="envcheck.toml:7")})
    res = Resolution("nextjs", "development")
    [finding] = family.check(ctx_for(res, schema))
    assert str(finding.location) == "envcheck.toml:7"
    assert finding.hint == "add A=… to the app’s env file"
    assert finding.related == ()  # the schema line is the finding's own location


def test_missing_names_the_schema_line_and_the_code_as_related_places() -> None:
    schema = Schema({"A": KeySpec("A", where="envcheck.toml:7")})
    res = Resolution("nextjs", "development", files=[".env"])
    [finding] = family.check(ctx_for(res, schema))
    assert str(finding.location) == ".env"
    assert finding.hint == "add A=… to this file"
    assert finding.related == (Related(Location("envcheck.toml", 7), "declared here"),)


def test_process_env_satisfies_and_is_checked() -> None:
    schema = Schema({"PORT": KeySpec("PORT", type="port")})
    [finding] = family.check(ctx_for(resolution(), schema, {"PORT": "70000"}))
    assert (finding.code, str(finding.location)) == ("EC304", "process environment")


def test_case_insensitive_schema_matches_any_case() -> None:
    schema = Schema({"APP_PORT": KeySpec("APP_PORT", type="int")}, case_sensitive=False)
    [finding] = family.check(ctx_for(resolution(app_port="x"), schema))
    assert (finding.code, finding.key) == ("EC304", "app_port")
    assert codes(ctx_for(resolution(App_Port="1"), schema)) == []


def test_openai_compatible_provider_is_not_a_mismatch() -> None:
    key = "sk-" + "0123456789abcdef" * 2
    assert codes(ctx_for(resolution(OPENAI_API_KEY=key))) == ["EC308"]
    res = resolution(OPENAI_API_KEY=key, OPENAI_BASE_URL="https://api.deepseek.com")
    assert codes(ctx_for(res)) == []


def test_schema_format_replaces_the_well_known_check() -> None:
    schema = Schema({"OPENAI_API_KEY": KeySpec("OPENAI_API_KEY", format="groq-api-key")})
    res = resolution(OPENAI_API_KEY="gsk_" + "a1B2" * 13)
    assert codes(ctx_for(res, schema)) == []


def test_pem_and_json_values_may_span_lines() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"
    schema = Schema({"CFG": KeySpec("CFG", type="json", secret=True)})
    res = resolution(PRIVATE_KEY=pem, CFG='{\n"a": 1\n}')
    assert codes(ctx_for(res, schema)) == []


def test_unknown_key_is_an_error_when_the_schema_forbids_unknown_keys() -> None:
    schema = Schema({"A": KeySpec("A")}, allow_unknown=False)
    [finding] = family.check(ctx_for(resolution(A="1", B="2"), schema))
    assert (finding.code, finding.severity.value) == ("EC303", "error")


def test_no_schema_no_pydantic(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys\n"
        "from envcheck.rules import schema\n"
        "from envcheck.rules.base import CheckContext\n"
        "from envcheck.sources.profiles import get_profile\n"
        "from envcheck.sources.types import Resolution\n"
        "ctx = CheckContext(__import__('pathlib').Path('.'), get_profile('vite'),"
        " Resolution('vite', 'development'), {})\n"
        "list(schema.check(ctx))\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)


def test_pydantic_app_reports_settings_error_at_its_line(tmp_path: Path) -> None:
    import shutil

    from envcheck.sources.detect import detect

    app = FIXTURES / "pydantic-app"
    for item in app.iterdir():
        if item.is_file():
            shutil.copy2(item, tmp_path / item.name)
    assert detect(tmp_path) == "pydantic-settings"
    sys.modules.pop("settings", None)
    from envcheck.schema.interpreter import allow_project_code

    allow_project_code(True)  # as --allow-project-code: a checked file alone imports nothing
    try:
        schema = load_schema(tmp_path)
        assert schema is not None and schema.source == "settings:settings:Settings"
        ctx = context(tmp_path, "pydantic-settings", "development", {}, schema)
        findings = list(family.check(ctx))
    finally:
        allow_project_code(None)
        sys.modules.pop("settings", None)
    assert render(findings) == [
        ".env:4:1: EC309 error MAX_TOKENS fails Settings validation: "
        "Input should be a valid integer, unable to parse string as an integer"
    ]
    assert findings[0].hint == "field 'max_tokens' of settings:Settings"
