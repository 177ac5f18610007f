"""The speed paths of issue 13 against the plain ones, on the bench's own files.

* The reporters' C JSON writer (``_fastlines.dumps_indented``) must write
  exactly what ``json.dumps(indent=2, ensure_ascii=False)`` writes, and give
  up (so that json.dumps answers) on anything that is not plain data.
* The style family skips its per-entry checks for lines ``_QUIET_LINE``
  accepts; running the whole rule set on the bench's mixed file, and on
  hypothesis texts, with that skip turned off must find exactly the same.
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


def _lint_both_ways(text: str, parse, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    parsed = parse(text, ".env")
    fast = style.lint_text(text, ".env", parsed.entries, parsed.problems)
    with monkeypatch.context() as patched:
        patched.setattr(style, "_QUIET_LINE", re.compile(r"(?!)"))  # never matches: no skip
        slow = style.lint_text(text, ".env", parsed.entries, parsed.problems)
    return fast, slow


@pytest.mark.parametrize("parse", [node.parse, python.parse], ids=["node", "python"])
def test_the_bench_file_gives_the_same_findings_both_ways(
    tmp_path: Path, parse, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = _gen()
    path = tmp_path / ".env"
    gen.write_env(path, 3000)
    fast, slow = _lint_both_ways(path.read_text(encoding="utf-8"), parse, monkeypatch)
    assert len(slow) > 100  # the file has lint problems on purpose
    assert fast == slow


_line = st.sampled_from(
    ["A=1", "B = 2", "c=3", "D=x y", "E=a#b", "F=${G", "H=\"q\"", "  I=1", "J=1 ", "K",
     "export L=1", "M=${A}", "N='x'", "O=a\\b", "P=é", "Q=\t", "A=dup", "R=sk-proj-" + "a" * 20]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_hypothesis_texts_give_the_same_findings_both_ways(lines: list[str], end: str) -> None:
    text = end.join(lines) + end
    for parse in (node.parse, python.parse):
        parsed = parse(text, ".env")
        fast = style.lint_text(text, ".env", parsed.entries, parsed.problems)
        saved = style._QUIET_LINE
        style._QUIET_LINE = re.compile(r"(?!)")
        try:
            slow = style.lint_text(text, ".env", parsed.entries, parsed.problems)
        finally:
            style._QUIET_LINE = saved
        assert fast == slow
