"""Every rule of every family: documented, named, and shown firing by a fixture.

One test over the registry (not one per family), so a rule added anywhere is
held to the same bar, and a rule without its doc or its fixture names itself
in the failure.  Every fixture then runs through the real command (``check``,
``diff``, ``probe`` or ``lint``: :func:`tests.rulefixtures.run_rule_fixture`)
and must print exactly its ``expected.txt``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.model import Severity
from envcheck.rules.base import Rule
from envcheck.rules.registry import FAMILIES, all_rules, family_module, find_rule
from tests.rulefixtures import (
    RULE_FIXTURES,
    fixture_code,
    fixture_expected,
    rule_fixtures,
    run_rule_fixture,
)

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
FIXTURES = rule_fixtures()


def _fixture_of(family: str, code: str) -> Path | None:
    """The rule's fixture: ``<family>/<CODE>/`` or ``<family>/<CODE>.env``."""
    for candidate in (RULE_FIXTURES / family / code, RULE_FIXTURES / family / f"{code}.env"):
        if candidate in FIXTURES:
            return candidate
    return None


def _problems(family: str, rule: Rule) -> list[str]:
    """What the rule lacks; empty when it has a doc, a name, a severity and a fixture."""
    wrong: list[str] = []
    doc = rule.doc
    wrong += [
        f"its doc has no {section!r} section" for section in DOC_SECTIONS if section not in doc
    ]
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.name):
        wrong.append(f"its name {rule.name!r} is not kebab-case")
    if find_rule(rule.code) is not rule or find_rule(rule.name) is not rule:
        wrong.append("find_rule does not find it by code and by name")
    if not isinstance(rule.severity, Severity):
        wrong.append(f"its default severity {rule.severity!r} is not a Severity")
    if not rule.summary:
        wrong.append("it has no summary")
    fixture = _fixture_of(family, rule.code)
    if fixture is None:
        wrong.append(
            f"no fixture: add fixtures/rules/{family}/{rule.code}/ (CONTRIBUTING.md, 'A rule')"
        )
    elif not (expected := fixture_expected(fixture)):
        wrong.append(f"its fixture {fixture.relative_to(RULE_FIXTURES)} expects no output")
    elif not any(f" {rule.code} " in line for line in expected):
        wrong.append(f"its fixture's expected output never shows {rule.code}")
    return wrong


def test_every_rule_has_a_doc_a_name_a_severity_and_a_fixture() -> None:
    missing = {
        f"{rule.code} ({family})": wrong
        for family in FAMILIES
        for rule in family_module(family).RULES
        if (wrong := _problems(family, rule))
    }
    assert not missing, "\n".join(f"{code}: {'; '.join(why)}" for code, why in missing.items())
    codes = [r.code for r in all_rules()]
    names = [r.name for r in all_rules()]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)


def test_every_fixture_is_a_rule_of_its_family() -> None:
    """A fixture directory under the wrong family, or for a rule that is gone, is an error."""
    known = {(family, r.code) for family in FAMILIES for r in family_module(family).RULES}
    stray = [p for p in FIXTURES if (p.parent.name, fixture_code(p)) not in known]
    assert not stray, f"fixtures of no rule: {[str(p.relative_to(RULE_FIXTURES)) for p in stray]}"


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp dir every user can traverse (pytest's own are 0700, which hides EC404)."""
    path = Path(tempfile.mkdtemp(prefix="envcheck-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize(
    "fixture", FIXTURES, ids=[str(p.relative_to(RULE_FIXTURES)) for p in FIXTURES]
)
def test_fixture_through_the_real_command(
    fixture: Path, open_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = run_rule_fixture(fixture, open_dir, monkeypatch)
    assert lines == fixture_expected(fixture)
    assert lines, f"the fixture never trips {fixture_code(fixture)}"
    assert "FAKEFAKE" not in "\n".join(lines), "a fixture's secret reached the output"
