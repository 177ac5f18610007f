"""The speed paths of issue 13 against the plain ones, on the bench's own files.

* The reporters' C JSON writer (``_fastlines.dumps_indented``) must write
  exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes, and give
  up (so that json.dumps answers) on anything that is not plain data.
* The style family skips its per-entry checks for lines ``_QUIET_LINE``,
  ``_QUIET_COMMENTED`` and ``_QUIET_QUOTED`` accept; running the whole rule
  set on the bench's mixed file, and on hypothesis texts of every dialect,
  with those skips turned off must find exactly the same.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.report.json import dumps
from envcheck.rules import style
from envcheck.sources.readers import node, python
from tests.harness import REPO_ROOT


def _gen():
    spec = importlib.util.spec_from_file_location("bench_gen", REPO_ROOT / "bench" / "gen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_gen"] = module
    spec.loader.exec_module(module)
    return module


def test_the_c_writer_is_built() -> None:
    from envcheck.sources import _fastlines

    assert hasattr(_fastlines, "dumps_indented")


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_documents = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_the_writer_writes_what_json_dumps_writes(document: object) -> None:
    assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "document",
    [{1: "int key"}, {"k": {"nested": object()}}, [True, 1.5, {"s": {1, 2}}], {"x": b"bytes"}],
)
def test_anything_else_goes_to_json_dumps(document: object) -> None:
    try:
        expected = json.dumps(document, indent=2, ensure_ascii=False)
    except TypeError as err:
        with pytest.raises(TypeError, match=re.escape(str(err))):
            dumps(document)
    else:
        assert dumps(document) == expected


def test_a_cycle_is_json_dumps_error() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)


_QUIET_PATTERNS = ("_QUIET_LINE", "_QUIET_COMMENTED", "_QUIET_QUOTED")


# Every rule, and every rule but EC208 (off by default: quoted values can be skipped then).
_ENABLED = (None, frozenset(r.code for r in style.RULES) - {"EC208"})


def _lint_slowly(text: str, parsed, enabled: frozenset[str] | None = None) -> list:
    """The findings with every quiet-line skip turned off: each line gets every check."""
    saved = {name: getattr(style, name) for name in _QUIET_PATTERNS}
    for name in _QUIET_PATTERNS:
        setattr(style, name, re.compile(r"(?!)"))  # never matches: no skip
    try:
        return style.lint_text(text, ".env", parsed.entries, parsed.problems, enabled)
    finally:
        for name, pattern in saved.items():
            setattr(style, name, pattern)


def _lint_both_ways(text: str, parse, enabled: frozenset[str] | None) -> tuple[list, list]:
    parsed = parse(text, ".env")
    fast = style.lint_text(text, ".env", parsed.entries, parsed.problems, enabled)
    return fast, _lint_slowly(text, parsed, enabled)


@pytest.mark.parametrize("enabled", _ENABLED, ids=["every-rule", "no-EC208"])
@pytest.mark.parametrize("parse", [node.parse, python.parse], ids=["node", "python"])
def test_the_bench_file_gives_the_same_findings_both_ways(
    tmp_path: Path, parse, enabled: frozenset[str] | None
) -> None:
    gen = _gen()
    path = tmp_path / ".env"
    gen.write_env(path, 3000)
    fast, slow = _lint_both_ways(path.read_text(encoding="utf-8"), parse, enabled)
    assert len(slow) > 100  # the file has lint problems on purpose
    assert fast == slow


_line = st.sampled_from(
    ["A=1", "B = 2", "c=3", "D=x y", "E=a#b", "F=${G", "H=\"q\"", "  I=1", "J=1 ", "K",
     "export L=1", "M=${A}", "N='x'", "O=a\\b", "P=é", "Q=\t", "A=dup", "R=sk-proj-" + "a" * 20,
     # the shapes the quiet patterns take beyond a plain value: comments, quotes, references
     "S=a #c", "T=a#b #c", "U=a  # c d", "V=${A}x", "W=${A:-d}", "X=${A:-a b}", "Y=$A$", "Z=${1}",
     "a1=${A} #c", "B1=${A", "C1=${A:-}#", "D1=\"x y\"", "E1='${A}'", "F1=\"${A}\"", "G1=\"${A\"",
     "H1=`q`", "I1=\"a #b\" #c", "J1=\"a", "K1=b\"", "export L1=\"q\"", "export M1=${A} #c",
     "N1= \"x\"", "O1=\"x\" y", "P1='multi", "line'", "Q1=\"${A}", "z\"", "R1=${A}\\", "S1=${A-x}y"]
)  # fmt: skip


# Every dialect: each cuts comments, quotes and escapes its own way (Docker's env files keep
# "# ..." in an unquoted value, python-dotenv has no backtick quotes).
_EVERY_PARSER = tuple(
    importlib.import_module(f"envcheck.sources.readers.{name}").parse
    for name in ("bun", "compose", "deno", "django_environ", "docker", "dotenvx", "node",
                 "node_cra", "nodeutil", "nodeutil22", "python", "ruby")
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_hypothesis_texts_give_the_same_findings_both_ways(lines: list[str], end: str) -> None:
    text = end.join(lines) + end
    for parse in _EVERY_PARSER:
        parsed = parse(text, ".env")
        for enabled in _ENABLED:
            fast = style.lint_text(text, ".env", parsed.entries, parsed.problems, enabled)
            assert fast == _lint_slowly(text, parsed, enabled)
