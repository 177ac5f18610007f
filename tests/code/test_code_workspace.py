"""Fixture projects of each layout (issue #25) through the real CLI, real grammars.

Each project under ``fixtures/projects/`` is copied to a temp dir and
checked with ``python -m envcheck check --format json --ignore EC4`` (the
security family's git and file-mode findings depend on the machine, not on
the code) in a clean environment.  Each must give exactly its findings:
where they should be, and nothing else.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.harness import FIXTURES, findings
from tests.harness import isolated as envcheck

PROJECTS = FIXTURES / "projects"

EXPECTED: dict[str, set[tuple[str, str, str | None]]] = {
    # pnpm monorepo: web loads the root .env from next.config (code), depends on the
    # @acme/db library, whose reads count for web; docs reads nothing: no root template
    # lands on it; the library is not checked as an app.
    "monorepo": {
        ("EC301", ".env", "STRIPE_SECRET_KEY"),
        ("EC906", "apps/web/app/api/chat/route.ts:6", "RESEND_API_URL"),
        ("EC906", "packages/db/src/index.ts:2", "DB_POOL_SIZE"),
    },
    # ConfigModule.forRoot({ envFilePath: "src/.env" }) sets JWT_SECRET.
    "nestjs-src-env": {("EC906", "src/main.ts:2", "MAIL_HOST")},
    # envDir: "./config" sets VITE_API_URL; a server key in browser code is undefined there.
    "vite-envdir": {
        ("EC906", "src/main.ts:2", "VITE_FLAGS"),
        ("EC906", "src/main.ts:3", "SERVER_TOKEN"),
        ("EC904", "src/main.ts:3", "SERVER_TOKEN"),
    },
    # dotenv.config({ path: `.env.${NODE_ENV}` }) in development reads .env.development.
    "dotenv-mode": {("EC906", "index.js:6", "QUEUE_URL")},
    # load_dotenv("config/app.env") sets SECRET_KEY; os.environ.get("REDIS_URL") may be absent.
    "python-os-environ": {("EC901", "svc/settings.py:10", "SENTRY_DSN")},
    # django-environ: env("X") raises when unset; env.str(..., default=) does not.
    "django-environ": {("EC901", "mysite/settings.py:12", "SENTRY_DSN")},
    # A t3-env createEnv and no .env.example: the schema's required server keys (AUTH_SECRET
    # is optional outside production: optional on one branch of its ternary).
    "t3-no-template": {("EC901", "src/env.js:6", "DATABASE_URL")},
    # 'use client' component destructures a public key; a module imported only from it
    # reads a server key.  The server route's read is fine.
    "next-client-server": {
        ("EC903", "components/Chat.tsx:5", "NEXT_PUBLIC_API_URL"),
        ("EC904", "lib/client-config.ts:2", "OPENAI_API_KEY"),
    },
    # dotenv.config({ path }) leaving the project root: refused (EC109), never read.
    "outside-root": {
        ("EC109", "server.js:1", None),
        ("EC906", "server.js:3", "OUTSIDE_ONLY_KEY"),
    },
}


def _copy(name: str, tmp_path: Path) -> Path:
    """The project at ``tmp/a/b/c/<name>``: deep enough that ``../../../../etc`` stays in tmp."""
    dst = tmp_path / "a" / "b" / "c" / name
    shutil.copytree(PROJECTS / name, dst)
    return dst


def _shown(found: list[dict[str, Any]]) -> set[tuple[str, str, str | None]]:
    return {
        (f["code"], f"{f['path']}:{f['line']}" if f.get("line") else f["path"], f.get("key"))
        for f in found
    }


def test_every_project_has_expectations() -> None:
    assert {p.name for p in PROJECTS.iterdir() if p.is_dir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_project_gives_its_findings_and_nothing_else(name: str, tmp_path: Path) -> None:
    """The default rules' findings, and EC906's (plain reads nothing sets: off by default)."""
    project = _copy(name, tmp_path)
    result = envcheck(project, "check", "--format", "json", "--ignore", "EC4")
    plain = envcheck(project, "check", "--format", "json", "--select", "EC906")
    assert _shown(findings(result)) | _shown(findings(plain)) == EXPECTED[name]


def test_monorepo_checks_apps_not_the_library(tmp_path: Path) -> None:
    project = _copy("monorepo", tmp_path)
    result = envcheck(project, "check", "--format", "json")
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["apps"]] == ["apps/docs", "apps/web"]
    assert not [f for f in document["findings"] if f["path"].startswith("apps/docs")]


def test_root_template_is_labelled_at_the_root_not_in_the_app(tmp_path: Path) -> None:
    """With no env file loaded, EC301 points at the root template's real line."""
    project = _copy("monorepo", tmp_path)
    (project / ".env").unlink()
    result = envcheck(project, "check", "--format", "json")
    found = [f for f in findings(result) if f["code"] == "EC301"]
    assert sorted((f["path"], f["line"], f["key"]) for f in found) == [
        (".env.example", 1, "OPENAI_API_KEY"),
        (".env.example", 2, "DATABASE_URL"),
        (".env.example", 3, "STRIPE_SECRET_KEY"),
    ]
    openai = next(f for f in found if f["key"] == "OPENAI_API_KEY")
    read = [r for r in openai["related"] if r["label"] == "read here"]  # EC301 owns it
    assert [(r["path"], r["line"]) for r in read] == [("apps/web/app/api/chat/route.ts", 3)]
    assert not (project / "apps" / "web" / ".env.example").exists()


def test_root_template_does_not_reach_an_app_that_never_loads_the_root_file(tmp_path: Path) -> None:
    project = _copy("monorepo", tmp_path)
    (project / "apps" / "web" / "next.config.mjs").write_text("export default {};\n")
    (project / "apps" / "web" / ".env.local").write_text("OPENAI_API_KEY=x-local-value\n")
    result = envcheck(project, "check", "--format", "json", "--select", "EC301")
    assert findings(result) == []


def test_a_file_outside_the_root_is_never_read(tmp_path: Path) -> None:
    project = _copy("outside-root", tmp_path)
    outside = tmp_path / "etc" / "envcheck-outside.env"
    outside.parent.mkdir()
    outside.write_text("OUTSIDE_ONLY_KEY=outside-sentinel-value-123\n")
    assert (project / "../../../../etc/envcheck-outside.env").resolve() == outside.resolve()
    for command in (("check", "--format", "json"), ("explain", "--format", "json")):
        result = envcheck(project, *command)
        assert "outside-sentinel-value-123" not in result.stdout + result.stderr
    found = findings(envcheck(project, "check", "--format", "json", "--select", "EC906"))
    assert ("EC906", "OUTSIDE_ONLY_KEY") in {(f["code"], f.get("key")) for f in found}


def test_classify_apps_libraries_and_empty_packages(tmp_path: Path) -> None:
    from envcheck.workspace.apps import classify, forget
    from envcheck.workspace.discover import discover

    project = _copy("monorepo", tmp_path)
    forget()
    workspace = discover(project)
    assert workspace is not None
    kinds = {p.app.path: (p.kind, [lib.name for lib in p.libraries]) for p in classify(workspace)}
    assert kinds == {
        "apps/docs": ("none", []),
        "apps/web": ("app", ["@acme/db"]),
        "packages/db": ("library", []),
    }
