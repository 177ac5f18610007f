"""dotenv-expand 12 on chains of lone references (``K1=${K0}``, ``K2=${K1}`` ...).

dotenv-expand looks names up among the file's raw values, so the key n links
down a chain takes n steps: a 100k-key chain is five billion of them.  envcheck
works each link out once from the one before (``node_expand._chained``): the
work is counted here (never timed), and the result, the issues and the budget
charged are compared with the step-by-step path on generated files.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.budget import Budget, run_budget
from envcheck.sources.readers import node_expand
from envcheck.sources.readers.node_expand import expand_dotenv
from tests.bounded import assert_linear


def chain(length: int) -> dict[str, str]:
    return {"K0": "start", **{f"K{i}": f"${{K{i - 1}}}" for i in range(1, length)}}


def test_a_reference_chain_expands_in_linear_work() -> None:
    def work(length: int) -> Callable[[], object]:
        values = chain(length)
        return lambda: expand_dotenv(values, dict(values))

    assert_linear(work, 100)


def test_a_long_chain_ends_at_its_plain_value_with_the_framework_s_work_charged() -> None:
    values = chain(3000)
    with run_budget() as budget:
        out, issues = expand_dotenv(values, dict(values))
    assert out["K2999"] == "start" and issues == []
    # K_n takes n steps of dotenv-expand's, each building the raw value it reaches (the
    # raw values of K_{n-1} .. K_0): charged as if each had run.
    reached = list(itertools.accumulate(len(values[f"K{j}"]) for j in range(3000)))
    assert budget.spent == sum(reached[n - 1] for n in range(1, 3000))


def test_a_chain_over_the_budget_stops_where_the_step_by_step_path_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = chain(400)
    with run_budget(Budget(max_total=50_000)) as budget:
        fast = expand_dotenv(values, dict(values)), budget.spent
    monkeypatch.setattr(node_expand, "_chained", lambda *args: None)
    with run_budget(Budget(max_total=50_000)) as budget:
        slow = expand_dotenv(values, dict(values)), budget.spent
    assert fast == slow
    (out, issues), _ = fast
    assert issues and {i.kind for i in issues} == {"expansion-budget"}
    assert out["K399"] == "${K398}"  # kept as written, as before


_NAMES = [f"K{i}" for i in range(8)]
_VALUES = st.one_of(
    st.sampled_from(["start", "", "a$$b", "x", "null"]),
    st.sampled_from(_NAMES).map(lambda n: f"${{{n}}}"),
    st.sampled_from(_NAMES).map(lambda n: f"${n}"),
    st.sampled_from(_NAMES).map(lambda n: f"${{{n}:-d}}"),
    st.sampled_from(_NAMES).map(lambda n: f"${{{n}}}${{{n}}}"),
    st.sampled_from(["${UNSET}", "$nullish", "${K1}x", "\\${K0}"]),
)


@settings(max_examples=300, deadline=None)
@given(
    file=st.dictionaries(st.sampled_from(_NAMES), _VALUES, min_size=1, max_size=8),
    process=st.dictionaries(st.sampled_from(_NAMES), st.sampled_from(["p", "", "${K0}"])),
    total=st.sampled_from([30, 200, 1 << 20]),
)
def test_chains_expand_as_the_step_by_step_path_does(
    file: dict[str, str], process: dict[str, str], total: int
) -> None:
    env = {**file, **process}
    with run_budget(Budget(max_total=total)) as budget:
        fast = expand_dotenv(file, env), budget.spent
    original = node_expand._chained
    node_expand._chained = lambda *args: None
    try:
        with run_budget(Budget(max_total=total)) as budget:
            slow = expand_dotenv(file, env), budget.spent
    finally:
        node_expand._chained = original
    assert fast == slow
