"""The line index (:class:`envcheck.sources.lines.LineIndex`) is the same with the C
extension's ``line_ends`` and without it (a find per line): every text, every kind of string."""

from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.lines import LineIndex

_TEXT = st.text(alphabet=st.sampled_from(["a", "=", " ", "\n", "\r", "é", "€", "\U0001f600"]))


def _by_scan(text: str) -> list[int]:
    return [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_line_starts_are_after_each_newline_with_and_without_the_extension(text: str) -> None:
    pytest.importorskip("envcheck.sources._fastlines")
    with_c = LineIndex(text)
    with pytest.MonkeyPatch.context() as patch:
        # An extension without line_ends: the import fails, the loop runs.
        stub = types.ModuleType("envcheck.sources._fastlines")
        patch.setitem(sys.modules, "envcheck.sources._fastlines", stub)
        without = LineIndex(text)
    assert list(with_c.starts) == list(without.starts) == _by_scan(text)
    assert with_c.count == without.count
    assert list(with_c) == list(without)
