"""The test suite's own layout rules (issue #24: one harness).

Runners, project builders and oracles live in the harness modules (``tests/harness.py``,
``tests/oracle.py``, and helper modules not named ``test_*``); a test module never
imports another test module (so moving or deleting one cannot break another), and the
policy for a missing oracle is decided in one place.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.harness import TESTS_DIR


def _modules() -> list[Path]:
    return sorted(p for p in TESTS_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def test_no_test_module_imports_another_test_module() -> None:
    borrowed = [
        f"{path.relative_to(TESTS_DIR)} imports {name}"
        for path in _modules()
        for name in _imported(path)
        if name.startswith("tests.") and name.rpartition(".")[2].startswith("test_")
    ]
    assert borrowed == []


def test_the_missing_oracle_policy_is_decided_in_one_place() -> None:
    deciding = [
        str(path.relative_to(TESTS_DIR))
        for path in _modules()
        if path.name not in ("oracle.py", "test_one_harness.py")
        and "ENVCHECK_REQUIRE_ORACLES"
        in path.read_text(encoding="utf-8").replace("``ENVCHECK_REQUIRE_ORACLES``", "")
    ]
    assert deciding == []
