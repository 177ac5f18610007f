"""One cause, one finding: a compose value left empty by an unset ``${VAR}``.

plane's root ``docker-compose.yml`` hands its postgres service
``POSTGRES_USER: ${POSTGRES_USER}``; on a fresh clone nothing sets ``POSTGRES_USER``
(the README's ``cp .env.example .env`` has not run), so docker compose substitutes the
empty string.  EC507 reports that line and names the variable to set; an EC302 "set
but empty" on the same line repeated the cause (six false findings on the survey).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import envcheck, repository

COMPOSE = """\
services:
  plane-db:
    image: postgres:15.7-alpine
    environment:
      POSTGRES_USER: ${POSTGRES_USER}
      POSTGRES_DB: ${POSTGRES_DB}
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
      PGDATA: /var/lib/postgresql/data
"""
TEMPLATE = """\
# Database Settings
POSTGRES_USER="plane"
POSTGRES_PASSWORD="plane"
POSTGRES_DB="plane"
"""


def _findings(root: Path) -> list[tuple[str, str | None, int | None]]:
    run = envcheck(root, "check", "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    document = json.loads(run.stdout)
    return [(f["code"], f.get("key"), f.get("line")) for f in document["findings"]]


def test_an_empty_value_from_an_unset_compose_variable_is_reported_once(tmp_path: Path) -> None:
    root = repository(tmp_path, {"docker-compose.yml": COMPOSE, ".env.example": TEMPLATE})
    found = _findings(root)
    unset = {key for code, key, _ in found if code == "EC507"}
    assert unset == {"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"}
    assert not [f for f in found if f[0] == "EC302"], found


def test_a_value_a_file_sets_empty_is_still_reported(tmp_path: Path) -> None:
    """The rule is the unset reference on that line, not "compose": an ``.env`` that sets
    the key empty is the user's own empty value (EC302)."""
    root = repository(tmp_path, {"docker-compose.yml": COMPOSE, ".env.example": TEMPLATE})
    (root / ".env").write_text('POSTGRES_USER=""\nPOSTGRES_PASSWORD="plane"\nPOSTGRES_DB="plane"\n')
    found = _findings(root)
    assert ("EC302", "POSTGRES_USER", 1) in found or any(
        code == "EC302" and key == "POSTGRES_USER" for code, key, _ in found
    ), found
    assert not [f for f in found if f[0] == "EC507"], found
