"""Issue 24, item 2: a finding's message never names the file the finding sits on.

The location is a field; the renderers place it (``path:line:col:`` in text,
``path`` in JSON, SARIF's physicalLocation).  A message that repeats it reads
twice in text and goes stale when a renderer shows the path relative to
another folder (a workspace root run).  Other files belong in ``related``.
Every rule fixture runs through the real command here, and each finding's
message is searched for its own path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests import rulefixtures
from tests.rulefixtures import RULE_FIXTURES, rule_fixtures, run_rule_fixture

FIXTURES = rule_fixtures()


def names_path(message: str, path: str) -> bool:
    """Whether ``message`` names ``path`` as a file: ``.env`` in ".env: x", not ".env.local"."""
    pattern = rf"(?<![\w./-]){re.escape(path)}(?![\w/-]|\.\w)"
    return re.search(pattern, message) is not None


@pytest.mark.parametrize(
    ("message", "path", "named"),
    [
        (".env.local holds a secret", ".env.local", True),
        ("set only in .env.local, which", ".env", False),
        ("VITE_X in .env.development overrides", ".env.development", True),
        ("set only for development (.env.development:1)", ".env.development", True),
        ("reads ../../.env with dotenv-cli", ".env", False),
        ("the COPY at Dockerfile:5 takes it", ".env", False),
    ],
)
def test_names_path(message: str, path: str, named: bool) -> None:
    assert names_path(message, path) is named


@pytest.mark.parametrize(
    "fixture", FIXTURES, ids=[str(p.relative_to(RULE_FIXTURES)) for p in FIXTURES]
)
def test_no_finding_names_its_own_path(
    fixture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, Any]] = []
    real = rulefixtures._json_lines

    def keep(findings: list[dict[str, Any]], **kwargs: Any) -> list[str]:
        seen.extend(findings)
        return real(findings, **kwargs)

    monkeypatch.setattr(rulefixtures, "_json_lines", keep)
    run_rule_fixture(fixture, tmp_path, monkeypatch)
    for finding in seen:
        path = finding["path"]
        if path:
            assert not names_path(finding["message"], path), (finding["code"], finding["message"])
