"""One env file per lint rule: ``fixtures/rules/{syntax,style}/<CODE>.env`` and ``<CODE>.expected``.

The first line may name the dialect (``# dialect: nodeutil``); the default is
``node``.  The expected file holds ``path:line:col: CODE message`` lines for
that rule alone (other rules the file trips are not compared), in report
order, with the path relative to the repository root.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import FIXTURES, REPO_ROOT

RULE_FIXTURES = FIXTURES / "rules"
_DIALECT = re.compile(rb"# dialect: (\w+)")


def fixtures(family: str) -> list[Path]:
    return sorted((RULE_FIXTURES / family).glob("EC*.env"))


def dialect(path: Path) -> str:
    if path.is_dir():
        return "node"
    m = _DIALECT.match(path.read_bytes())
    return m.group(1).decode() if m else "node"


def lint_lines(path: Path) -> list[str]:
    """What ``envcheck lint --select CODE`` reports for the fixture, as expected-file lines."""
    from envcheck.commands.lint import lint_files

    code = path.name.removesuffix(".env")
    shown = path.relative_to(REPO_ROOT)
    report = lint_files([shown], dialect(path), select=(code,))
    return [f"{f.location}: {f.code} {f.message}" for f in report.sorted() if f.code == code]


def expected_lines(path: Path) -> list[str]:
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
