"""The code rules (EC901-EC905) through the real CLI, with the real tree-sitter grammars.

Each fixture under ``fixtures/rules/code/<CODE>/`` is copied to a temp dir and
checked with ``python -m envcheck check --format json --select <CODE>`` in a
clean environment (no process value of the developer's shell leaks in, and
the code-facts cache lives in the temp dir).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from envcheck.model import Location
from envcheck.rules import code as family
from tests.harness import FIXTURES, findings, keys_of, unset_reads, write_project
from tests.harness import NEXT_PACKAGE as NEXT
from tests.harness import isolated as envcheck

CASES = sorted(p for p in (FIXTURES / "rules" / "code").iterdir() if p.is_dir())
FAKE_KEY = "sk-proj-" + "Q7fT2mZ9xLr4VbN8cK1sD6hJ3wY5pE0aG2uR7tI9oM4nB6vX"


def lines(found: list[dict[str, Any]]) -> list[str]:
    """As ``expected.txt``: a line per finding, then a ``  related: place label`` line each."""
    out = []
    for f in found:
        where = Location(f["path"], f["line"], f["col"])
        out.append(f"{where}: {f['code']} {f['severity']} {f['message']}")
        out.extend(
            f"  related: {Location(r['path'], r['line'], r['col'])} {r['label']}"
            for r in f["related"]
        )
    return out


def copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "project"
    shutil.copytree(src, dst)
    return dst


def test_only_dead_configuration_is_off_by_default() -> None:
    """Docs and fixtures of every rule: tests/rules/test_rules.py.  EC902 (a key no code reads)
    is a clean-up list, not a problem: it is off unless selected."""
    assert [r.code for r in family.RULES if not r.default_enabled] == ["EC902", "EC906"]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_rule_fixture(case: Path, tmp_path: Path) -> None:
    """Each rule finds exactly what its fixture expects, at the code or env-file line."""
    meta = tomllib.loads((case / "fixture.toml").read_text())
    project = copy(case, tmp_path)
    result = envcheck(
        project,
        "check", "--format", "json", "--select", case.name,
        "--framework", meta["framework"], "--mode", meta["mode"],
    )  # fmt: skip
    expected = (case / "expected.txt").read_text().splitlines()
    assert lines(findings(result)) == expected


def test_ec905_never_prints_the_value(tmp_path: Path) -> None:
    project = copy(FIXTURES / "rules" / "code" / "EC905", tmp_path)
    value = (project / ".env.production").read_text().splitlines()[0].partition("=")[2]
    for fmt in ("text", "json", "sarif"):
        result = envcheck(project, "check", "--format", fmt, "--mode", "production")
        assert "EC905" in result.stdout + result.stderr
        assert value not in result.stdout + result.stderr
        assert value[8:24] not in result.stdout + result.stderr


def test_a_declared_key_read_in_code_is_ec301_naming_the_code_not_ec901(tmp_path: Path) -> None:
    """EC301 owns a key both declared and read: one finding, whose hint names the read."""
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            "envcheck.toml": "[keys.OPENAI_API_KEY]\nrequired = true\n",
            "src/lib/openai.ts": "export const key = process.env.OPENAI_API_KEY;\n",
            ".env": "PORT=3000\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json"))
    about = [f for f in found if f.get("key") == "OPENAI_API_KEY"]
    assert [f["code"] for f in about] == ["EC301"]
    assert [(r["path"], r["line"], r["label"]) for r in about[0]["related"]] == [
        ("envcheck.toml", 1, "declared here"),
        ("src/lib/openai.ts", 1, "read here"),
    ]
    assert "src/lib" not in about[0]["hint"] + about[0]["message"]


def test_keys_the_runtime_sets_are_never_missing(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/x.ts": (
                "export const a = process.env.NODE_ENV;\n"
                "export const b = process.env.npm_package_version;\n"
                "export const c = process.env.VERCEL_URL;\n"
                "export const d = process.env.CI;\n"
                "export const e = process.env.PORT;\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901,EC906"))
    assert [(f["key"], f["line"]) for f in found] == [("PORT", 5)]


def test_a_key_the_process_sets_is_not_missing(tmp_path: Path) -> None:
    project = write_project(
        tmp_path, {"package.json": NEXT, "lib/x.ts": "export const a = process.env.API_URL;\n"}
    )
    env = {"API_URL": "https://api.example.com"}
    assert findings(envcheck(project, "check", "--format", "json", env=env)) == []
    found = findings(
        envcheck(
            project, "check", "--format", "json", "--no-process-env", "--select", "EC906", env=env
        )
    )
    assert [f["code"] for f in found] == ["EC906"]


def test_set_but_never_read_says_nothing_without_code_or_with_a_computed_name(
    tmp_path: Path,
) -> None:
    project = write_project(tmp_path, {"package.json": NEXT, ".env": "UNUSED=1\n"})
    assert findings(envcheck(project, "check", "--format", "json", "--select", "EC902")) == []
    (project / "lib").mkdir()
    (project / "lib" / "x.ts").write_text("export const f = (n: string) => process.env[n];\n")
    assert findings(envcheck(project, "check", "--format", "json", "--select", "EC902")) == []
    (project / "lib" / "x.ts").write_text("export const a = process.env.OTHER ?? '';\n")
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC902"))
    assert [(f["code"], f["key"], f["path"]) for f in found] == [("EC902", "UNUSED", ".env")]


def test_no_code_reads_no_source(tmp_path: Path) -> None:
    """``--no-code``: no EC9xx finding; no parser, no source scan and no facts cache is
    imported (the path classifier of :mod:`envcheck.code.sides`, which workspace discovery
    shares to tell apps from tools, reads no source)."""
    project = copy(FIXTURES / "projects" / "next-client-server", tmp_path)
    assert any(
        f["code"].startswith("EC9")
        for f in findings(envcheck(project, "check", "--format", "json"))
    )
    found = findings(envcheck(project, "check", "--format", "json", "--no-code"))
    assert not [f for f in found if f["code"].startswith("EC9")]
    code = (
        "import contextlib, io, sys\n"
        "from envcheck.cli import main\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        "    try:\n"
        f"        main(['check', '--no-code', {str(project)!r}])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "readers = ('tree_sitter', 'envcheck.code.js', 'envcheck.code.python',"
        " 'envcheck.code.files', 'envcheck.code.cache')\n"
        "print(sorted(m for m in sys.modules if m.startswith(readers)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def test_explain_shows_where_the_code_reads_and_keys_set_nowhere(tmp_path: Path) -> None:
    project = copy(FIXTURES / "projects" / "next-client-server", tmp_path)
    (project / "app" / "extra.ts").write_text(
        "export const a = process.env.NEW_FLAG;\nexport const n = process.env.NODE_ENV;\n"
    )
    result = envcheck(project, "explain", "--format", "json")
    assert result.returncode == 0, result.stderr
    keys = json.loads(result.stdout)["keys"]
    assert keys["OPENAI_API_KEY"]["read_at"][:2] == [
        {
            "path": "app/api/chat/route.ts",
            "line": 2,
            "col": 39,
            "kind": "optional",  # Boolean(process.env.X): only tested
            "side": "server",
        },
        {
            "path": "lib/client-config.ts",
            "line": 2,
            "col": 10,
            "kind": "optional",
            "side": "client",
        },
    ]
    assert keys["NEW_FLAG"] == {
        "value": None,
        "read_at": [
            {"path": "app/extra.ts", "line": 1, "col": 18, "kind": "required", "side": "unknown"}
        ],
    }
    assert "NODE_ENV" not in keys  # the runtime sets it: never a "(not set)" row
    text = envcheck(project, "explain").stdout
    rows = text.splitlines()
    at = next(i for i, row in enumerate(rows) if row.startswith("NEW_FLAG"))
    assert rows[at].split()[1:4] == ["(not", "set)", "-"]
    assert rows[at + 1].strip() == "read at app/extra.ts:1"
    assert FAKE_KEY not in text and "sk-proj-" not in text.replace("sk-proj-…", "")


# -- survey classes (issues #25/#26): false alarms fixed, true findings kept -----------------


def test_ec901_skips_guarded_reads_but_not_an_unguarded_one(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/x.ts": (
                "export function f() {\n  const k = process.env.GUARDED_KEY;\n"
                "  if (!k) return null;\n  return k;\n}\n"
                "export const b = process.env.BASE_PATH ? process.env.BASE_PATH.trim() : '/';\n"
                "export const t = process.env.TRIMMED?.trim();\n"
                "const must = process.env.MUST_HAVE;\nif (!must) throw new Error('MUST_HAVE');\n"
                "export const plain = process.env.PLAIN_KEY.split(',');\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901"))
    assert keys_of(found, "EC901") == {"MUST_HAVE", "PLAIN_KEY"}


def test_ec901_ignores_tests_and_scripts_but_ec902_counts_them(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env": "SEED_DATABASE_URL=postgres://localhost/seed\n",
            "tests/utils/env.ts": "export const token = process.env.E2E_TOKEN;\n",
            "playwright/auth.spec.ts": "export const u = process.env.PLAYWRIGHT_URL;\n",
            "src/logger.test.ts": "export const l = process.env.TEST_LEVEL;\n",
            "scripts/seed.ts": "export const url = process.env.SEED_DATABASE_URL;\n",
            "vitest.config.ts": "export default { test: { env: process.env.VITEST_ENV } };\n",
            "src/app.ts": "export const a = process.env.APP_SECRET;\n",
        },
    )
    result = envcheck(project, "check", "--format", "json", "--select", "EC901,EC906,EC902")
    found = findings(result)
    assert unset_reads(found) == {"APP_SECRET"}  # the app's own read is still required
    assert keys_of(found, "EC902") == set()  # the script reads SEED_DATABASE_URL


CLIENT_PROVIDER = (
    "'use client';\n"
    "function getBaseUrl() {\n"
    "  if (typeof window !== 'undefined') {\n    return '';\n  }\n"
    "  return `https://${process.env.SERVER_HOST}`;\n}\n"
    "export const base = getBaseUrl();\n"
    "export const leaked = process.env.MAPBOX_TOKEN;\n"
)


def test_ec904_skips_the_server_branch_of_a_window_guard_only(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env": "SERVER_HOST=example.com\nMAPBOX_TOKEN=pk.fake\n",
            "app/provider.tsx": CLIENT_PROVIDER,
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert keys_of(found, "EC904") == {"MAPBOX_TOKEN"}


def test_next_config_env_keys_are_set_and_public_for_client_code(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env": "CLOUD_URL=https://cloud.example.com\n",
            "next.config.ts": (
                "const cloudUrl = process.env.CLOUD_URL || '';\n"
                "export default { env: { cloudUrl } };\n"
            ),
            "src/app/App.tsx": (
                "'use client';\n"
                "export const login = `${process.env.cloudUrl}/login`;\n"
                "export const { cloudUrl } = process.env;\n"
                "export const secret = process.env.SERVER_ONLY;\n"
            ),
        },
    )
    result = envcheck(
        project, "check", "--format", "json", "--select", "EC901,EC906,EC903,EC904",
        "--framework", "nextjs",
    )  # fmt: skip
    found = findings(result)
    assert unset_reads(found) == {"SERVER_ONLY"}
    assert keys_of(found, "EC903") == {"cloudUrl"}  # destructured: Next.js does not inline it
    assert keys_of(found, "EC904") == {"SERVER_ONLY"}


VITE_LIB = (
    '{"name": "storage", "scripts": {"build": "vite build", "test": "vitest run"},'
    ' "devDependencies": {"vite": "6.0.0", "vitest": "3.0.0"}}'
)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"vite.config.ts": "export default { build: { lib: { entry: 'src/index.ts' } } };"}, []),
        ({}, []),  # vite only for vitest
        ({"index.html": "<div id=app></div>"}, ["S3_SECRET_KEY"]),  # a browser app: kept
    ],
    ids=["library mode", "vitest only", "browser app"],
)
def test_ec904_never_in_a_vite_library(
    tmp_path: Path, extra: dict[str, str], expected: list[str]
) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": VITE_LIB,
            ".env": "S3_SECRET_KEY=fake\n",
            "src/constants.ts": "export const S3_SECRET_KEY = process.env.S3_SECRET_KEY;\n",
            **extra,
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC904"))
    assert sorted(keys_of(found, "EC904")) == expected


PLATFORM_KEYS = [
    "NODE_OPTIONS",
    "NEXT_PUBLIC_VERCEL_URL",
    "VERCEL_URL",
    "GIT_COMMIT_SHA",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "GITHUB_SHA",
    "RUNNER_TEMP",
    "CI_COMMIT_SHA",
    "RAILWAY_PUBLIC_DOMAIN",
    "FLY_REGION",
    "RENDER_EXTERNAL_URL",
    "KUBERNETES_SERVICE_HOST",
    # docker buildx, CI flags, the terminal, Windows (trigger.dev's CLI, skyvern)
    "TARGETPLATFORM",
    "CIRCLECI",
    "BITBUCKET_BUILD_NUMBER",
    "TERM_PROGRAM",
    "FORCE_COLOR",
    "LOCALAPPDATA",
]
PROJECT_KEYS = [
    "GITHUB_TOKEN",
    "GITHUB_CLIENT_SECRET",
    "BITBUCKET_CLIENT_SECRET",
    "PORT",
    "URL",
    "BRANCH",
]


def test_platform_variables_are_never_the_projects_but_generic_names_are(
    tmp_path: Path,
) -> None:
    reads = "".join(
        f"export const v{i} = process.env.{k};\n"
        for i, k in enumerate(PLATFORM_KEYS + PROJECT_KEYS)
    )
    project = write_project(tmp_path, {"package.json": NEXT, "lib/x.ts": reads})
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901,EC906"))
    assert unset_reads(found) == set(PROJECT_KEYS)


@pytest.mark.parametrize(
    ("files", "severity"),
    [
        (
            {"src/xero.ts": "export const on = process.env.XERO_CLIENT_ID ? 'on' : 'off';\n"},
            "EC310",  # an integration the app runs without: off by default
        ),
        ({"src/xero.ts": "export const id = process.env.XERO_CLIENT_ID.trim();\n"}, "error"),
        (
            {
                "src/xero.ts": "export const on = process.env.XERO_CLIENT_ID ? 'on' : 'off';\n",
                "envcheck.toml": "[keys.XERO_CLIENT_ID]\nrequired = true\n",
            },
            "error",
        ),
    ],
    ids=["guarded read", "unguarded read", "schema requires it"],
)
def test_a_placeholder_is_an_error_only_where_the_app_needs_the_key(
    tmp_path: Path, files: dict[str, str], severity: str
) -> None:
    env = "DATABASE_URL=postgresql://u:p@localhost:5432/app\nXERO_CLIENT_ID=your_client_id_here\n"
    project = write_project(
        tmp_path, {"package.json": NEXT, ".env.example": env, ".env": env, **files}
    )
    found = findings(envcheck(project, "check", "--format", "json"))
    placeholders = [f["severity"] for f in found if f["code"] == "EC306"]
    if severity != "EC310":
        assert placeholders == [severity]
        return
    assert placeholders == []
    selected = findings(envcheck(project, "check", "--format", "json", "--select", "EC310"))
    assert [(f["code"], f["key"]) for f in selected] == [("EC310", "XERO_CLIENT_ID")]


def test_guard_analysis_is_linear(tmp_path: Path) -> None:
    """Many early exits and many guarded reads in one block: counted steps stay linear."""
    from envcheck.code.files import facts_of
    from tests.bounded import assert_linear

    def make(n: int) -> Any:
        body = "".join(
            f"  if (!process.env.K{i}) return;\n  f(process.env.K{i}.trim());\n"
            f"  const v{i} = process.env.V{i};\n  if (!v{i}) return;\n"
            for i in range(n)
        )
        data = f"export function g() {{\n{body}}}\n".encode()
        return lambda: facts_of(data, "a.ts", ".ts")

    assert_linear(make, 40)


def test_python_guard_analysis_is_linear() -> None:
    from envcheck.code.files import facts_of
    from tests.bounded import assert_linear

    def make(n: int) -> Any:
        body = "".join(
            f"    if 'K{i}' not in os.environ:\n        return None\n"
            f"    x{i} = os.environ['K{i}']\n"
            for i in range(n)
        )
        data = f"import os\ndef g():\n{body}".encode()
        return lambda: facts_of(data, "settings.py", ".py")

    assert_linear(make, 40)


def test_optional_sdk_options_and_module_flags_are_not_missing_but_openai_is(
    tmp_path: Path,
) -> None:
    """PLUGIN-OPTION, OPTIONAL-CONFIG and GUARDED-ELSEWHERE of docs/survey.md through the CLI:
    Sentry's DSN and build token, a JSON config field and a flagged Redis URL may be unset;
    the OpenAI client throws without its key, so that one is reported."""
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env": "PORT=3000\n",
            "instrumentation-client.ts": 'import * as Sentry from "@sentry/nextjs";\n'
            "Sentry.init({ dsn: process.env.NEXT_PUBLIC_SENTRY_DSN });\n",
            "next.config.ts": 'import { withSentryConfig } from "@sentry/nextjs";\n'
            "export default withSentryConfig({}, { authToken: process.env.SENTRY_AUTH_TOKEN });\n",
            "app/api/config/route.ts": "export function GET() {\n"
            "  return Response.json({ faviconUrl: process.env.FAVICON_URL });\n}\n",
            "lib/redis.ts": "const enabled = !!process.env.REDIS_URL;\n"
            "function client() {\n  return connect(process.env.REDIS_URL);\n}\n"
            "export default { enabled, client };\n",
            "lib/ai.ts": 'import OpenAI from "openai";\n'
            "export const ai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n",
        },
    )
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC901,EC906"))
    assert unset_reads(found) == {"OPENAI_API_KEY"}


def test_module_flags_tables_and_options_are_linear() -> None:
    """Flags built from flags (each naming the one before twice), lookup tables, SDK options
    and keys tested in other functions: counted steps stay linear in the file's size."""
    from envcheck.code.files import facts_of
    from tests.bounded import assert_linear

    def make(n: int) -> Any:
        head = 'import * as Sentry from "@sentry/node";\nconst f0 = !!process.env.K0;\n'
        body = "".join(
            f"const f{i} = f{i - 1} && f{i - 1} && !!process.env.K{i};\n"
            f"const t{i} = {{ a: process.env.T{i} }};\n"
            f"export function on{i}() {{\n  return Boolean(process.env.M{i});\n}}\n"
            f"export function g{i}(k) {{\n  const v = t{i}[k];\n  if (!v) return;\n"
            f"  if (f{i}) use(process.env.K{i}.trim());\n"
            f"  Sentry.init({{ dsn: process.env.D{i} }});\n"
            f"  return send(process.env.M{i});\n}}\n"
            for i in range(1, n)
        )
        data = (head + body).encode()
        return lambda: facts_of(data, "a.ts", ".ts")

    assert_linear(make, 40)


def test_an_app_whose_code_reads_only_keys_it_copes_without_was_checked(tmp_path: Path) -> None:
    """bakerydemo's fresh clone: no env file, a template of commented-out keys, and settings
    that read every key with a default or behind another key's test.  Nothing is missing,
    and the code was read: "nothing checked" would be false."""
    (tmp_path / "manage.py").write_text("import os\n")
    settings = tmp_path / "site" / "settings.py"
    settings.parent.mkdir()
    settings.write_text(
        "import os\n"
        'DEBUG = os.environ.get("DEBUG", "") == "1"\n'
        'if "CDN_TOKEN" in os.environ:\n'
        '    CDN = os.environ["CDN_TOKEN"]\n'
    )
    (tmp_path / ".env.example").write_text("# CDN_TOKEN=\n")
    import contextlib
    import io

    from envcheck.cli import main

    out = io.StringIO()
    with contextlib.chdir(tmp_path), contextlib.redirect_stdout(out):
        status = main(["check", "--format", "json"])
    summary = json.loads(out.getvalue())["summary"]
    assert status == 0
    assert summary["code_keys"] == 2 and summary["checked_nothing"] is False
    said = io.StringIO()
    with contextlib.chdir(tmp_path), contextlib.redirect_stderr(said):
        main(["check", "--no-code"])  # the summary line goes to stderr
    assert "nothing checked" in said.getvalue()
