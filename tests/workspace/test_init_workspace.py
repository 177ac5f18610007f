"""``init`` at a workspace root drafts the apps ``check`` runs, never the libraries they import.

The hold-out survey (issue 26): ``init`` at rallly's root wrote ``packages/emails/envcheck.toml``
(a library of nodemailer options behind a ``hasAuth`` test, with no start script), and at
inbox-zero's root one for each Tinybird client; the next ``check`` ran those packages as
apps and reported their reads as unset required keys (EC301) where ``check`` alone had
passed.  The gate: ``init`` then ``check`` finds nothing ``check`` alone did not.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.harness import envcheck, repository

TRANSPORT = """\
import { createTransport } from "nodemailer";

export function transport() {
  const hasAuth = process.env.SMTP_USER || process.env.SMTP_PWD;
  return createTransport({
    host: process.env.SMTP_HOST,
    port: process.env.SMTP_PORT ? Number(process.env.SMTP_PORT) : 25,
    auth: hasAuth ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PWD } : undefined,
    tls: { servername: process.env.SMTP_TLS_SERVERNAME },
  });
}
"""
TINYBIRD = """\
const token = process.env.TINYBIRD_TOKEN;
const base = process.env.TINYBIRD_BASE_URL;

export function client() {
  return new Tinybird({ token, baseUrl: base });
}
"""


def _monorepo(root: Path) -> Path:
    """rallly's and inbox-zero's shape: one Next.js app importing two libraries (no start
    script, no env file) and one package whose template lists what the importing app sets."""
    return repository(
        root,
        {
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
            "package.json": '{"name": "root", "private": true}\n',
            "apps/web/package.json": json.dumps(
                {
                    "name": "web",
                    "scripts": {"dev": "next dev"},
                    "dependencies": {
                        "next": "15.0.0",
                        "@acme/emails": "workspace:*",
                        "@acme/tinybird": "workspace:*",
                        "@acme/db": "workspace:*",
                    },
                }
            ),
            "apps/web/.env.example": "NEXT_PUBLIC_APP_URL=http://localhost:3000\n",
            "apps/web/.env": "NEXT_PUBLIC_APP_URL=http://localhost:3000\n",
            "apps/web/src/app/page.tsx": (
                "import '@acme/emails/src/transport';\nimport '@acme/tinybird/src/client';\n"
                "import '@acme/db';\nexport default function Page() { return null; }\n"
            ),
            "packages/emails/package.json": json.dumps(
                {"name": "@acme/emails", "scripts": {"dev": "email dev --dir ./src/templates"}}
            ),
            "packages/emails/src/transport.ts": TRANSPORT,
            "packages/tinybird/package.json": json.dumps({"name": "@acme/tinybird"}),
            "packages/tinybird/src/client.ts": TINYBIRD,
            "packages/db/package.json": json.dumps({"name": "@acme/db"}),
            "packages/db/.env.example": "DATABASE_URL=\n",
            "packages/db/src/index.ts": "export const url = process.env.DATABASE_URL ?? '';\n",
        },
    )


def _check(root: Path) -> tuple[int, set[str | None]]:
    """``check``'s exit code and the keys of its errors (a key ``check`` alone reports read
    and unset, EC901, is the same requirement as EC301 once a schema declares it)."""
    done = envcheck(root, "check", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)["findings"]
    return done.returncode, {f.get("key") for f in findings if f["severity"] == "error"}


def test_init_at_the_root_writes_no_schema_for_a_library(tmp_path: Path) -> None:
    root = _monorepo(tmp_path)
    before_exit, before = _check(root)
    done = envcheck(root, "init")
    assert done.returncode == 0, done.stderr
    assert (root / "apps/web/envcheck.toml").is_file()
    for library in ("packages/emails", "packages/tinybird", "packages/db"):
        assert not (root / library / "envcheck.toml").exists(), library
    assert "no envcheck.toml for the libraries the apps import" in done.stderr
    after_exit, after = _check(root)
    assert after_exit <= before_exit
    assert after <= before, after - before


def test_init_drafts_an_app_from_its_code_as_check_reads_its_libraries(tmp_path: Path) -> None:
    """No template anywhere: the app's draft comes from its code reads, with the reads of the
    libraries it imports judged as ``check`` judges them (a guarded or optional read is
    ``required = false``), so the next ``check`` fails on nothing it passed."""
    root = _monorepo(tmp_path)
    for name in ("apps/web/.env.example", "apps/web/.env", "packages/db/.env.example"):
        (root / name).unlink()
    before_exit, before = _check(root)
    done = envcheck(root, "init")
    assert done.returncode == 0, done.stderr
    schema = tomllib.loads((root / "apps/web/envcheck.toml").read_text(encoding="utf-8"))
    keys = schema["keys"]
    assert set(keys) >= {"SMTP_HOST", "SMTP_PORT", "TINYBIRD_TOKEN"}  # the libraries' reads
    assert keys["SMTP_PORT"]["required"] is False  # tested before use: check requires nothing
    for name in ("emails", "tinybird"):
        assert not (root / "packages" / name / "envcheck.toml").exists()
    after_exit, after = _check(root)
    assert after_exit <= before_exit
    assert after <= before, after - before
