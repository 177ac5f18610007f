"""A framework dependency makes a package that framework's app only where something runs
it (issue #26: "the framework comes from what starts the app").  homarr's workspace root
and formbricks' ``docker/`` list ``vite`` for vitest: read as Vite apps, their ``.env``
files got Vite's parser (homarr: a final unterminated ``# KEY=x`` comment became a key)
and formbricks' self-hosting compose file was never read as the compose project it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envcheck.sources.detect import detect


@pytest.mark.parametrize(
    ("package", "profile"),
    [
        # homarr's root: vitest only; dev delegates to the app's package
        (
            {
                "scripts": {"dev": "pnpm -F nextjs dev", "test": "vitest run"},
                "devDependencies": {"vite": "7", "vitest": "3"},
                "dependencies": {"jsonpath-plus": "10"},
            },
            "dotenv",
        ),
        # formbricks' docker/: vitest only, no runtime dependency
        ({"scripts": {"test": "vitest run"}, "devDependencies": {"vite": "7"}}, "plain"),
        # the apps themselves
        ({"scripts": {"dev": "vite"}, "devDependencies": {"vite": "7"}}, "vite"),
        (
            {
                "scripts": {"dev": "npm run with:env -- react-router dev"},
                "dependencies": {"vite": "6"},
            },
            "vite",
        ),
        ({"scripts": {"dev": "remix vite:dev"}, "devDependencies": {"vite": "6"}}, "vite"),
        ({"scripts": {"dev": "next dev"}, "dependencies": {"next": "15"}}, "nextjs"),
        # homarr's app: pnpm forwards `next dev` to its with-env script (dotenv -e … --)
        (
            {
                "scripts": {"dev": "pnpm with-env next dev", "with-env": "dotenv -e ../../.env --"},
                "dependencies": {"next": "15"},
            },
            "nextjs",
        ),
        # a custom Next.js server loads the env files too
        ({"scripts": {"dev": "tsx server.ts"}, "dependencies": {"next": "15"}}, "nextjs"),
        # postiz: every dependency is hoisted into the root's package.json; the app's
        # scripts run Next.js (through dotenv-cli) and Vite
        ({"scripts": {"dev": "dotenv -e ../../.env -- next dev -p 4200"}}, "nextjs"),
        ({"scripts": {"dev": "vite build --watch"}, "dependencies": {"react": "19"}}, "vite"),
        ({"scripts": {"dev": "nest start --watch"}}, "plain"),
        # no scripts: nothing says otherwise
        ({"dependencies": {"next": "15"}}, "nextjs"),
    ],
)
def test_a_framework_is_the_apps_where_a_script_runs_it(
    tmp_path: Path, package: dict[str, object], profile: str
) -> None:
    (tmp_path / "package.json").write_text(json.dumps(package))
    assert detect(tmp_path) == profile
