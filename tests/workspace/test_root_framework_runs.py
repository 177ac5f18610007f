"""A workspace root is an app only where one of its scripts runs its framework (the
survey's ROOT-AS-APP class, homarr's shape): the root's package.json lists ``vite`` for
vitest and its ``dev`` runs ``pnpm -F nextjs dev``; ``apps/nextjs`` reads the root
``.env`` through ``dotenv -e ../../.env``.  Read as a Vite app, the root's ``.env`` got
Vite's parser, which takes a final unterminated ``# DEMO_READ_ONLY=false`` for a key:
EC104 on a comment, and ``init`` wrote ``# DEMO_READ_ONLY`` as a required key."""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import clone, codes, isolated, isolated_json

_ROOT = {
    "name": "homarr",
    "private": True,
    "scripts": {"dev": "pnpm -F nextjs dev", "test": "vitest run", "with-env": "dotenv -e .env --"},
    "devDependencies": {"vite": "^7.0.0", "vitest": "^3.0.0", "turbo": "^2.0.0"},
}
_APP = {
    "name": "nextjs",
    "private": True,
    "scripts": {"dev": "pnpm with-env next dev", "with-env": "dotenv -e ../../.env --"},
    "dependencies": {"next": "15.3.4", "dotenv-cli": "^8.0.0"},
}
_ENV = (
    "AUTH_SECRET=7f3a9c1e5b8d2f4a6c0e9b3d7f1a5c8e\n"
    "# Whether demo mode is read-only.\n# DEMO_READ_ONLY=false"  # no final newline
)


def _repo(tmp_path: Path, root: dict[str, object]) -> Path:
    return clone(
        tmp_path / "homarr",
        {
            "package.json": json.dumps(root),
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            "apps/nextjs/package.json": json.dumps(_APP),
            "apps/nextjs/src/app/page.tsx": "export default function Page() { return null; }\n",
            ".env.example": _ENV,
        },
        untracked={".env": _ENV},
    )


def test_a_root_whose_scripts_run_no_framework_is_no_app(tmp_path: Path) -> None:
    project = _repo(tmp_path, _ROOT)
    status, document, stderr = isolated_json(project, "check", "--format", "json")
    assert status in (0, 1), stderr
    assert not any(code == "EC104" for code, _ in codes(document))
    assert isolated(project, "init").returncode == 0
    config = project / "envcheck.toml"
    assert not config.exists() or "# DEMO_READ_ONLY" not in config.read_text()


def test_a_root_whose_script_runs_vite_is_one(tmp_path: Path) -> None:
    # The control: the root serves a Vite app itself, and Vite's parser is what reads the
    # file (Vite 8 takes the unterminated last comment line as a key: the finding is real).
    scripts = {**_ROOT["scripts"], "preview": "vite preview"}  # type: ignore[dict-item]
    project = _repo(tmp_path, {**_ROOT, "scripts": scripts})
    status, document, stderr = isolated_json(project, "check", "--format", "json")
    assert status == 1, stderr
    assert any(code == "EC104" for code, _ in codes(document))
