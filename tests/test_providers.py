"""The provider table (``envcheck/providers.py``) is the one place a provider's facts live.

Every shape fits its true samples and none of its false ones; every probe the
table names is a module that exports ``probe``; the readers (format detectors,
masking, key-like runs, stand-ins, the probe catalogue) answer from the table;
and no prefix of the table is written again anywhere else in ``envcheck/``, so
a second copy cannot creep back.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck import providers
from envcheck.probe import catalog
from envcheck.providers import PROVIDERS, Key, Provider, expand
from envcheck.schema import formats
from envcheck.schema.values import is_placeholder
from envcheck.secret import looks_like_key, mask

PACKAGE = Path(providers.__file__).resolve().parent

KEYS = [(p, k) for p, k in providers.keys()]
IDS = [f"{p.name}:{k.format or k.title}" for p, k in KEYS]

# Copies of the table's prefixes not yet read from it: (module path, prefix).  The test
# fails when one is gone too, so the list only shrinks.
KNOWN_COPIES: frozenset[tuple[str, str]] = frozenset(
    {
        # The public-by-design classifier checks the Google browser key's shape itself
        # (its regex and two ``startswith("AIza")``); it should read the table's
        # "Google browser API key" row (issue #24, item 4: one classifier).
        ("schema/public_keys.py", "AIza"),
    }
)


@pytest.mark.parametrize(("provider", "key"), KEYS, ids=IDS)
def test_every_shape_fits_its_samples_and_none_of_its_false_samples(
    provider: Provider, key: Key
) -> None:
    assert key.samples and key.not_samples, "a shape needs true and false samples"
    shape = re.compile(key.pattern)
    for sample in key.samples:
        assert shape.fullmatch(expand(sample)), sample
    for sample in key.not_samples:
        assert not shape.fullmatch(expand(sample)), sample


@pytest.mark.parametrize(("provider", "key"), KEYS, ids=IDS)
def test_a_distinctive_shape_is_named_by_detect_and_shown_by_its_mask(
    provider: Provider, key: Key
) -> None:
    """``starts`` and ``shown`` are what detection and masking actually use."""
    for sample in map(expand, key.samples):
        if key.format and key.starts:
            assert formats.detect(sample) == key.format, sample
            assert sample.startswith(key.starts)
        if key.shown:
            shown = mask(sample)
            assert shown.startswith(key.shown), shown
            assert shown.endswith("…" + sample[-4:])
        if key.shown and key.secret:
            assert looks_like_key(sample), sample


@pytest.mark.parametrize(
    ("provider", "key"),
    [(p, k) for p, k in KEYS if k.format],
    ids=[i for i, (_, k) in zip(IDS, KEYS, strict=True) if k.format],
)
def test_a_false_sample_gets_a_reason_that_never_holds_the_value(
    provider: Provider, key: Key
) -> None:
    for sample in map(expand, key.not_samples):
        reason = formats.check_format(key.format, sample)
        assert reason, sample
        assert sample not in reason and sample[-8:] not in reason


def test_every_lookalike_is_shown_by_a_false_sample() -> None:
    """A look-alike reason no false sample reaches is untested text."""
    for _, key in KEYS:
        for pattern, reason in key.lookalikes:
            hits = [s for s in map(expand, key.not_samples) if re.match(pattern, s)]
            assert hits, f"{key.format}: no false sample for {pattern!r}"
            assert formats.check_format(key.format, hits[0]) == reason


def test_every_detector_of_a_provider_comes_from_the_table() -> None:
    table = {k.format: k for _, k in KEYS if k.format}
    own = {"database-url", "url"}  # the shapes no provider issues
    assert set(formats.DETECTORS) == set(table) | own
    for name, key in table.items():
        detector = formats.DETECTORS[name]
        assert (detector.title, detector.shape, detector.secret) == (
            key.title,
            key.shape,
            key.secret,
        )
        assert detector.distinctive == bool(key.starts)


def test_the_names_a_provider_reads_select_its_shape_and_its_probe() -> None:
    for provider in PROVIDERS:
        first = next((k for k in provider.keys if k.format), None)
        for name in provider.reads:
            if first is not None:
                assert formats.format_for_name(name) == first.format, name
                assert formats.format_for_name("NEXT_PUBLIC_" + name) == first.format, name
            if provider.probe_module:
                assert catalog.detect(name) is provider, name
                assert catalog.detect("VITE_" + name) is provider, name
        for key in provider.keys:
            for name in key.names if key.format else ():
                assert formats.format_for_name(name) == key.format, name


def test_the_most_specific_name_wins_whatever_the_row_order() -> None:
    """``AZURE_OPENAI_API_KEY`` ends in ``_OPENAI_API_KEY``, and OpenAI's row comes first."""
    rows = [p.name for p in PROVIDERS]
    assert rows.index("openai") < rows.index("azure-openai")
    found = catalog.detect("AZURE_OPENAI_API_KEY")
    assert found is not None and found.name == "azure-openai"
    found = catalog.detect("MY_APP_OPENAI_API_KEY")
    assert found is not None and found.name == "openai"
    assert catalog.detect("OPENAI_API_KEY_OLD") is None


def test_every_probed_provider_has_a_probe_module_that_exports_probe() -> None:
    probed = [p for p in PROVIDERS if p.probe_module]
    assert [p.name for p in probed] == list(catalog.NAMES)
    for provider in probed:
        module, _, function = provider.probe.partition(":")
        spec = importlib.util.find_spec(module)
        assert spec is not None and spec.origin, f"{provider.name}: no module {module}"
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        defined = {
            n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom)
                    for a in n.names}  # fmt: skip
        assert function in defined | imported, f"{module} exports no {function}"


@pytest.mark.parametrize("prefix", providers.VENDOR_PREFIXES)
def test_a_vendor_prefix_followed_by_filler_is_a_stand_in(prefix: str) -> None:
    """``schema.values`` strips the table's prefixes: ``sk-proj-xxxx`` was never filled in."""
    assert is_placeholder(prefix + "xxxxxxxx")
    assert is_placeholder(prefix + "...")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def copies(root: Path, prefixes: tuple[str, ...]) -> set[tuple[str, str]]:
    """(module path, prefix) for each string literal of code that writes a table prefix.

    Code is every string constant but docstrings and prose: a string with a
    space is a message, a rule's documentation or an example line
    (``OPENAI_API_KEY=sk-proj-…  # revoked``), which may name a prefix.  A
    prefix counts where a token starts (``xgsk_`` is not ``gsk_``).
    """
    found: set[tuple[str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative == "providers.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if id(node) in skip or any(c.isspace() for c in text):
                continue
            for prefix in prefixes:
                at = text.find(prefix)
                while at >= 0:
                    if at == 0 or not text[at - 1].isalnum():
                        found.add((relative, prefix))
                        break
                    at = text.find(prefix, at + 1)
    return found


def test_no_prefix_of_the_table_is_written_anywhere_else_in_envcheck() -> None:
    found = copies(PACKAGE, providers.VENDOR_PREFIXES)
    assert found - KNOWN_COPIES == set(), "read the prefix from envcheck.providers"
    gone = KNOWN_COPIES - found
    assert not gone, f"fixed: remove {sorted(gone)} from KNOWN_COPIES"


def test_the_copy_finder_sees_code_and_skips_prose(tmp_path: Path) -> None:
    """The test above would be blind if it skipped the code shapes a copy takes."""
    (tmp_path / "m.py").write_text(
        '"""Docs may say gsk_ keys."""\n'
        'A = ("gsk_", "xoxb-")\n'
        'B = r"^(?:hf_|AIza)"\n'
        'C = "a Groq key (gsk_…) belongs here"\n'
        'D = "notgsk_"\n',
        encoding="utf-8",
    )
    prefixes = ("gsk_", "xoxb-", "hf_", "AIza")
    assert copies(tmp_path, prefixes) == {
        ("m.py", "gsk_"),
        ("m.py", "xoxb-"),
        ("m.py", "hf_"),
        ("m.py", "AIza"),
    }


def test_the_table_is_cheap_to_import() -> None:
    """The classifier imports it on every run: no envcheck module, no regex compiled."""
    code = (
        "import re, sys\n"
        "compiled = []\n"
        "real = re.compile\n"
        "re.compile = lambda *a, **k: compiled.append(a) or real(*a, **k)\n"
        "before = set(sys.modules)\n"
        "import envcheck.providers\n"
        "new = sorted(m for m in set(sys.modules) - before if m.startswith('envcheck'))\n"
        "print(new, len(compiled))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['envcheck',", "'envcheck.providers']", "0"]
