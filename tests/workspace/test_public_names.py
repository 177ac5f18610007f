"""What other layers take from ``envcheck.workspace`` is its public names: no module
outside the package imports a ``_private`` one (issue #24: ``rules/code.py`` took four)."""

from __future__ import annotations

import ast

from tests.harness import REPO_ROOT


def test_no_module_outside_the_workspace_imports_its_private_names() -> None:
    package = REPO_ROOT / "envcheck"
    borrowed = []
    for path in sorted(package.rglob("*.py")):
        if (package / "workspace") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "envcheck.workspace"
            ):
                borrowed += [
                    f"{path.relative_to(REPO_ROOT)}: {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    assert borrowed == []
