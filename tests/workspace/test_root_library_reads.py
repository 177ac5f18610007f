"""A workspace root is not charged the reads of a library it does not depend on (the
survey's INIT-CODE-READ-REQUIRED class, OpenCut's shape): the root runs only ``turbo run
dev``; ``packages/auth`` is imported by ``apps/web``, which the README configures with
``apps/web/.env.local``.  The root's own code scan holds the library's files, and they
counted for the root: ``check`` told the root that nothing sets ``AUTH_SECRET`` (EC901),
and ``init`` wrote them as required keys of a root ``envcheck.toml``.  They are the app's
(still EC901 there when its file lacks them); a library the root depends on keeps
counting for the root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import clone, codes, isolated, isolated_json

_ROOT = {
    "name": "opencut",
    "private": True,
    "workspaces": ["apps/*", "packages/*"],
    "scripts": {"dev": "turbo run dev"},
    "devDependencies": {"turbo": "^2.5.4"},
    "dependencies": {"next": "15.3.4"},
}
_WEB = (
    '{"name": "@opencut/web", "private": true, "scripts": {"dev": "next dev"},'
    ' "dependencies": {"next": "15.3.4", "@opencut/auth": "workspace:*"}}'
)
_FILES = {
    "apps/web/package.json": _WEB,
    "apps/web/src/app/page.tsx": "import { auth } from '@opencut/auth';\nexport default auth;\n",
    "apps/web/.env.example": "AUTH_SECRET=your-secret-here\n",
    "packages/auth/package.json": '{"name": "@opencut/auth", "main": "src/index.ts"}',
    "packages/auth/src/index.ts": "export const auth = { secret: process.env.AUTH_SECRET! };\n",
}


def _repo(tmp_path: Path, **root: Any) -> Path:
    return clone(
        tmp_path / "opencut",
        {"package.json": json.dumps({**_ROOT, **root}), **_FILES},
        untracked={"apps/web/.env.local": "AUTH_SECRET=f1a9c3e7b5d2f8a4c6e0b9d3f7a1c5e8\n"},
    )


def test_the_root_is_not_charged_a_library_only_an_app_imports(tmp_path: Path) -> None:
    project = _repo(tmp_path)
    status, document, stderr = isolated_json(project, "check", "--format", "json")
    assert status in (0, 1), stderr
    assert ("EC901", "AUTH_SECRET") not in codes(document)  # apps/web/.env.local sets it
    result = isolated(project, "init")
    assert result.returncode in (0, 2), result.stderr
    root_config = project / "envcheck.toml"
    assert not root_config.exists() or "AUTH_SECRET" not in root_config.read_text()


def test_a_library_the_root_depends_on_still_counts_for_it(tmp_path: Path) -> None:
    # The control: the root's package.json depends on the library, so its reads are the
    # root's too, and the root's run (no env file of its own) is told nothing sets it.
    # (The root runs Next.js itself here: a root whose scripts only run turbo is no app.)
    deps = {**_ROOT["dependencies"], "@opencut/auth": "workspace:*"}  # type: ignore[dict-item]
    scripts = {"dev": "turbo run dev", "start": "next start"}
    project = _repo(tmp_path, dependencies=deps, scripts=scripts)
    status, document, stderr = isolated_json(project, "check", "--format", "json")
    assert status in (0, 1), stderr
    assert ("EC901", "AUTH_SECRET") in codes(document)
