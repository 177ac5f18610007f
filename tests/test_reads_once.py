"""Every file of the project is opened at most once per run (issue #24).

The loader, the schema, the template rules, the suppression comments, the
code scan and the workspace fan-out all want the same few files; the reader
(:mod:`envcheck.sources.checkout`) keeps each one's bytes for the run, so
none is opened twice.  Opens are counted by a Python audit hook (every
``open()``, ``os.open`` and ``Path.read_*`` of this process raises an
``open`` event), so a reader that bypasses the run's cache is seen too.
"""

from __future__ import annotations

import collections
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from envcheck.cli import main
from tests.harness import repository

_COUNTING: list[tuple[str, collections.Counter[str]]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _COUNTING or not isinstance(args[0], str | bytes | os.PathLike):
        return
    root, counts = _COUNTING[-1]
    real = os.path.realpath(os.fsdecode(args[0]))  # type: ignore[arg-type]
    if real.startswith(root + os.sep):
        counts[os.path.relpath(real, root).replace(os.sep, "/")] += 1


sys.addaudithook(_audit)  # cannot be removed: it counts only inside ``_opens``


@contextlib.contextmanager
def _opens(root: Path) -> Iterator[collections.Counter[str]]:
    counts: collections.Counter[str] = collections.Counter()
    _COUNTING.append((os.path.realpath(root), counts))
    try:
        yield counts
    finally:
        _COUNTING.pop()


def _run(where: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner(env={"ENVCHECK_WORKSPACE_POOL": "serial", "NO_COLOR": "1"})
    with contextlib.chdir(where), runner.isolation() as (out, err, _):
        code = main(list(args))
    return code, out.getvalue().decode() + err.getvalue().decode()


NEXT_APP = {
    "package.json": '{"name": "web", "private": true, "scripts": {"dev": "next dev"},'
    ' "dependencies": {"next": "15.1.0"}}\n',
    ".env": "DATABASE_URL=postgres://localhost/app\n"
    "LOG_LEVEL=debug\n"
    "# envcheck: ignore[EC201]\n"
    "LOG_LEVEL=info\n",
    ".env.local": "NEXT_PUBLIC_SITE_URL=http://localhost:3000\nAPI_TOKEN=\n",
    ".env.development": "LOG_LEVEL=trace\n",
    ".env.example": "DATABASE_URL=\nNEXT_PUBLIC_SITE_URL=\nLOG_LEVEL=\nAPI_TOKEN=\nSENTRY_DSN=\n",
    "envcheck.toml": "[keys.DATABASE_URL]\nformat = 'database-url'\n\n[keys.SENTRY_DSN]\n",
    ".gitignore": "node_modules\n.env.local\n",
    "app/page.tsx": "export default function Page() {\n"
    "  return process.env.NEXT_PUBLIC_SITE_URL;\n}\n",
    "lib/db.ts": "export const url = process.env.DATABASE_URL;\n"
    "export const token = process.env.API_TOKEN;\n",
    "lib/plain.ts": "export const two = 2;\n",
    "docker-compose.yml": "services:\n  web:\n    image: web\n    env_file: .env\n",
}

COMPOSE_APP = {
    "compose.yaml": "services:\n  api:\n    image: api\n    env_file:\n      - .env\n"
    "      - .env.api\n    environment:\n      PORT: ${PORT:-8000}\n",
    ".env": "PORT=8000\nSECRET_KEY=\n",
    ".env.api": "DATABASE_URL=postgres://db/app\n",
    ".env.example": "PORT=\nSECRET_KEY=\nDATABASE_URL=\n",
    "main.py": "import os\nurl = os.environ['DATABASE_URL']\n",
}

MONOREPO = {
    "package.json": '{"name": "mono", "private": true, "workspaces": ["apps/*"]}\n',
    ".env": "SHARED_URL=https://api.example.com\n",
    ".env.example": "SHARED_URL=\n",
    ".gitignore": "dist\n",
    **{
        f"apps/{app}/{name}": text.replace('"web"', f'"{app}"')
        for app in ("web", "admin")
        for name, text in {
            "package.json": NEXT_APP["package.json"],
            "next.config.mjs": "import { config } from 'dotenv';\n"
            "config({ path: '../../.env' });\nexport default {};\n",
            ".env": "LOG_LEVEL=info\n",
            ".env.example": "LOG_LEVEL=\nSHARED_URL=\n",
            "app/page.tsx": "export const u = process.env.SHARED_URL;\n",
        }.items()
    },
}


@pytest.mark.parametrize(
    "files, command",
    [
        (NEXT_APP, ("check",)),
        (NEXT_APP, ("explain",)),
        (NEXT_APP, ("explain", "--format", "json")),
        (NEXT_APP, ("lint",)),
        (COMPOSE_APP, ("check",)),
        (COMPOSE_APP, ("explain",)),
        (MONOREPO, ("check",)),
        (MONOREPO, ("explain",)),
        (MONOREPO, ("lint",)),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_a_run_opens_each_file_of_the_project_at_most_once(
    tmp_path: Path, files: dict[str, str], command: tuple[str, ...]
) -> None:
    root = repository(tmp_path / "project", files)
    with _opens(root) as opens:
        code, output = _run(root, *command)
    assert code in (0, 1), output
    assert opens, "the run read nothing: the project is not what this test thinks"
    assert {path: n for path, n in opens.items() if n > 1} == {}, output


def test_the_counter_sees_a_second_read(tmp_path: Path) -> None:
    """The test would pass vacuously if the hook missed reads: show it counts them."""
    (tmp_path / ".env").write_text("A=1\n")
    with _opens(tmp_path) as opens:
        (tmp_path / ".env").read_bytes()
        os.close(os.open(tmp_path / ".env", os.O_RDONLY))
    assert opens == {".env": 2}


def test_a_file_written_during_a_run_is_read_again(tmp_path: Path) -> None:
    """The run's cache serves a file only while its stat is unchanged (``lint --fix``)."""
    from envcheck.project import set_project_root
    from envcheck.sources.checkout import read_bytes

    env = tmp_path / ".env"
    env.write_bytes(b"PORT=3000\n")
    set_project_root(tmp_path)
    assert read_bytes(env, within=tmp_path) == b"PORT=3000\n"
    with _opens(tmp_path) as opens:
        assert read_bytes(env, within=tmp_path) == b"PORT=3000\n"
        tmp = tmp_path / ".env.tmp"
        tmp.write_bytes(b"PORT=4000\n")
        os.replace(tmp, env)  # as an editor or ``lint --fix`` writes: a new file
        assert read_bytes(env, within=tmp_path) == b"PORT=4000\n"
    assert opens[".env"] == 1  # the kept read; then the new file, opened once


def test_a_new_run_reads_the_file_again(tmp_path: Path) -> None:
    """A long-lived process (the language server) never sees an earlier run's bytes."""
    from envcheck.project import set_project_root
    from envcheck.sources.checkout import read_bytes

    env = tmp_path / ".env"
    env.write_bytes(b"PORT=3000\n")
    set_project_root(tmp_path)
    read_bytes(env, within=tmp_path)
    with _opens(tmp_path) as opens:
        read_bytes(env, within=tmp_path)
        set_project_root(tmp_path)
        read_bytes(env, within=tmp_path)
    assert opens[".env"] == 1


def test_a_kept_read_still_holds_each_caller_to_its_cap(tmp_path: Path) -> None:
    from envcheck.project import set_project_root
    from envcheck.sources.checkout import UnreadableFile, read_bytes

    big = tmp_path / "package.json"
    big.write_bytes(b"x" * 2048)
    set_project_root(tmp_path)
    assert len(read_bytes(big, within=tmp_path)) == 2048
    assert read_bytes(big, within=tmp_path, cap=100, truncate=True) == b"x" * 100
    with pytest.raises(UnreadableFile, match="envcheck reads at most"):
        read_bytes(big, within=tmp_path, cap=1024)


def test_the_env_file_cap_is_raised_only_by_the_process_environment(tmp_path: Path) -> None:
    """16 MiB unless ``ENVCHECK_MAX_ENV_FILE_MIB`` (process environment, trusted) says
    otherwise; a nonsense value keeps the default.  A file over the cap is refused with a
    message naming the way to raise it."""
    import subprocess
    import sys

    from envcheck.sources.checkout import MiB, _env_file_cap

    assert _env_file_cap({}) == 16 * MiB
    assert _env_file_cap({"ENVCHECK_MAX_ENV_FILE_MIB": "64"}) == 64 * MiB
    for nonsense in ("0", "-1", "1e9", "2048", "lots", ""):
        assert _env_file_cap({"ENVCHECK_MAX_ENV_FILE_MIB": nonsense}) == 16 * MiB
    big = tmp_path / ".env"
    line = "K" + "=" + "v" * 1000 + "\n"
    big.write_text(line * (17 * 1024))  # 17 MiB: over the default cap
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    lint = [sys.executable, "-m", "envcheck", "lint", str(big)]
    refused = subprocess.run(lint, env=env, capture_output=True, text=True, timeout=300)
    assert "ENVCHECK_MAX_ENV_FILE_MIB" in refused.stdout + refused.stderr
    raised = subprocess.run(
        lint,
        env={**env, "ENVCHECK_MAX_ENV_FILE_MIB": "32"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "reads at most" not in raised.stdout + raised.stderr
