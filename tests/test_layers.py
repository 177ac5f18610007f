"""The import graph follows the layer order of CONTRIBUTING.md: no cycle, nothing upward.

Every ``import`` of every module under ``envcheck/`` counts, at module level
or inside a function, ``TYPE_CHECKING`` blocks included: a function-level
import is deferred, not absent, and a type-only import still couples the
two modules.  Each module is assigned the layer of the longest prefix of its
name in :data:`LAYERS`; a module may import its own layer or any layer
below.  Within a layer, imports must not form a cycle (Tarjan's strongly
connected components over the module graph).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.harness import REPO_ROOT

PACKAGE = REPO_ROOT / "envcheck"

# Bottom to top; the reasons are in CONTRIBUTING.md ("Layers").  A module takes the layer
# of the longest prefix of its name ("envcheck" alone is the package's __init__).
LAYERS: tuple[tuple[str, ...], ...] = (
    # values: what every layer speaks
    (
        "envcheck",
        "envcheck.errors",
        "envcheck.model",
        "envcheck.providers",  # the provider table the classifier reads; imports nothing
        "envcheck.secret",
        "envcheck.tokens",  # a JWT's dates, read offline (EC409 and the probe)
        "envcheck.sources.references",  # value syntax the classifier reads; imports nothing
        "envcheck.sources.structured",  # bounded JSON/TOML decoding (JWT payloads too); errors only
        "envcheck.sources.gcpause",
    ),
    # reading the checkout: readers, loaders, profiles, schema, code facts, deploy targets
    (
        "envcheck.sources",
        "envcheck.schema",
        "envcheck.code",
        "envcheck.targets",
        "envcheck.dockerignore",  # .dockerignore as Docker reads it
    ),
    # the workspace as data: which apps, which files each reads from outside its folder
    ("envcheck.workspace",),
    # the live probe: verdicts about keys, which a rule family (EC7xx) turns into findings
    ("envcheck.probe",),
    # the rules, and what only they use
    (
        "envcheck.rules",
        "envcheck.diff",
        "envcheck.identity",
        "envcheck.schema.jsonschema",  # `make schema`: describes the config, rules included
    ),
    # the core: options -> project -> results
    ("envcheck.project",),
    ("envcheck.engine",),
    # renderers
    ("envcheck.report",),
    # per-app runs of the engine at a workspace root
    ("envcheck.fanout",),
    # the entry points
    (
        "envcheck.commands",
        "envcheck.targets.command",  # `envcheck targets`, a click command
        "envcheck.lsp",
        "envcheck.cli",
        "envcheck.__main__",
    ),
)

# Known debt, each with the reason it is not fixed yet.  The test fails when one of these
# is gone too, so that the list only ever shrinks.
KNOWN_UPWARD: frozenset[str] = frozenset()
KNOWN_CYCLES: tuple[tuple[str, ...], ...] = ()


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _known(name: str) -> str | None:
    """The module ``name`` refers to: itself, or the package holding the imported name."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(envcheck module imported, line) for every import statement anywhere in the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" for alias in node.names] or [source]
        else:
            continue
        for name in names:
            if name == "envcheck" or name.startswith("envcheck."):
                target = _known(name)
                if target is not None and target != module:
                    yield target, node.lineno


def graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: first line importing it}."""
    edges: dict[str, dict[str, int]] = {}
    for module, path in MODULES.items():
        found = edges.setdefault(module, {})
        for target, line in _imports(module, path):
            found.setdefault(target, line)
    return edges


def layer_of(module: str) -> int:
    best, layer = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            nested = prefix != "envcheck" and module.startswith(prefix + ".")
            if (module == prefix or nested) and len(prefix) > best:
                best, layer = len(prefix), index
    assert layer >= 0, f"{module} is in no layer: add it to LAYERS and CONTRIBUTING.md"
    return layer


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def upward(edges: dict[str, dict[str, int]]) -> list[str]:
    """``module:line -> target`` for each import of a higher layer."""
    return [
        f"{module}:{line} -> {target}"
        for module, targets in sorted(edges.items())
        for target, line in sorted(targets.items())
        if layer_of(target) > layer_of(module)
    ]


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_import_runs_up_the_layers() -> None:
    found = upward(graph())
    new = [f for f in found if f.split(":")[0] + " -> " + f.split(" -> ")[1] not in KNOWN_UPWARD]
    assert new == [], "imports that run up the layers (see CONTRIBUTING.md, Layers)"
    gone = KNOWN_UPWARD - {f.split(":")[0] + " -> " + f.split(" -> ")[1] for f in found}
    assert not gone, f"fixed: remove {sorted(gone)} from KNOWN_UPWARD"


def test_no_import_cycle() -> None:
    found = {tuple(c) for c in cycles(graph())}
    assert found - set(KNOWN_CYCLES) == set(), "import cycles (see CONTRIBUTING.md, Layers)"
    gone = set(KNOWN_CYCLES) - found
    assert not gone, f"fixed: remove {sorted(gone)} from KNOWN_CYCLES"


def test_the_checker_sees_function_level_and_type_only_imports(tmp_path: Path) -> None:
    """The test would be blind if deferred imports were skipped: show it reads them."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from envcheck.cli import main\n"
        "def f():\n    from envcheck import engine\n    from . import errors\n"
    )
    (tmp_path / "m.py").write_text(source)
    found = {target for target, _ in _imports("envcheck.model", tmp_path / "m.py")}
    assert found == {"envcheck.cli", "envcheck.engine", "envcheck.errors"}


def test_a_cycle_and_an_upward_import_are_found() -> None:
    edges = {"envcheck.model": {"envcheck.cli": 1}, "envcheck.cli": {"envcheck.model": 2}}
    assert cycles(edges) == [["envcheck.cli", "envcheck.model"]]
    assert upward(edges) == ["envcheck.model:1 -> envcheck.cli"]


def test_the_profile_table_says_which_loaders_read_the_project_directory() -> None:
    """The loader seam is typed (``Profile.load(LoadRequest)``): nothing looks at a loader's
    parameters at run time, so the table's ``reads_directory`` must tell the truth."""
    import inspect

    from envcheck.sources.profiles import PROFILES

    for profile in PROFILES.values():
        takes = "project_dir" in inspect.signature(profile.load_function()).parameters
        assert takes == profile.reads_directory, profile.name


def test_no_module_sniffs_a_function_s_parameters() -> None:
    for module, path in MODULES.items():
        assert "co_varnames" not in path.read_text(encoding="utf-8"), module


def test_exit_codes_merge_in_one_place() -> None:
    """Usage (2) over findings (1) over inconclusive (3) over ok (0): ``errors.worst``."""
    from envcheck.errors import worst

    assert worst([]) == 0
    assert worst([0, 3]) == 3
    assert worst([3, 1, 0]) == 1
    assert worst([1, 2, 3]) == 2
    assert worst([2, 127]) == 127  # a child's own code is no envcheck verdict: it stands
    ranked = [m for m, p in MODULES.items() if "_RANK = {" in p.read_text(encoding="utf-8")]
    assert ranked == [], "merge exit codes with envcheck.errors.worst"
