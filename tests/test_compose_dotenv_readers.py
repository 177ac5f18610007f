"""COMPOSE-DOTENV-UNREFERENCED (holdout6, nextcrm): which keys of a file compose reads.

Compose reads the project ``.env`` (next to the compose file) only to interpolate
``${VAR}`` in the compose file: a key it never interpolates stays in the file, so a
``KEY=   # description`` line there is what Node's dotenv makes of it (an empty value
and a comment), and EC215 has nothing to say.  A key the compose file interpolates
(``${FIRECRAWL_API_KEY:-}``) reaches the container as the '#…' text, and a file named
under ``env_file:`` goes to the container whole.  The compose file is parsed, not
searched: a ``${VAR:?message}`` with the variable unset still tells which names it uses.

Each case runs the real CLI on a real git clone in ``tmp_path``; every value is fake.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import NEXT_PACKAGE, clone, findings, isolated

_ENV = (
    "FIRECRAWL_API_KEY=            # get from https://firecrawl.dev\n"
    "CRON_SECRET=                    # Secret for internal cron job endpoints\n"
)
_INTERPOLATES = """\
services:
  app:
    image: crm
    environment:
      DATABASE_URL: postgresql://crm:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@db/crm
      FIRECRAWL_API_KEY: ${FIRECRAWL_API_KEY:-}
"""


def _hashes(tmp_path: Path, compose: str) -> dict[str, str]:
    project = clone(
        tmp_path / "crm",
        {
            "package.json": NEXT_PACKAGE,
            ".env": _ENV,
            ".env.example": _ENV,
            "docker-compose.yml": compose,
        },
    )
    found = findings(isolated(project, "lint", "--format", "json", ".env", ".env.example"))
    return {f"{f['path']}:{f['key']}": f["message"] for f in found if f["code"] == "EC215"}


def test_compose_reads_only_the_keys_it_interpolates_from_the_project_env(
    tmp_path: Path,
) -> None:
    hashes = _hashes(tmp_path, _INTERPOLATES)
    assert sorted(hashes) == [".env.example:FIRECRAWL_API_KEY", ".env:FIRECRAWL_API_KEY"]
    assert "docker compose reads the '#…' text" in hashes[".env:FIRECRAWL_API_KEY"]


def test_an_env_file_goes_to_the_container_whole(tmp_path: Path) -> None:
    compose = "services:\n  app:\n    image: crm\n    env_file:\n      - path: ./.env\n"
    hashes = _hashes(tmp_path, compose)
    assert sorted(hashes) == [
        ".env.example:CRON_SECRET",
        ".env.example:FIRECRAWL_API_KEY",
        ".env:CRON_SECRET",
        ".env:FIRECRAWL_API_KEY",
    ]


def test_a_compose_file_that_names_the_file_only_in_a_comment_reads_nothing(
    tmp_path: Path,
) -> None:
    compose = "# values come from .env\nservices:\n  app:\n    image: crm\n"
    assert _hashes(tmp_path, compose) == {}
