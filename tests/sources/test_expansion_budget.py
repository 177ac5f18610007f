"""Bounded ``${VAR}`` expansion, and EC507 for references defined nowhere.

The billion-laughs file (``A1=${A0}${A0}`` ... 40 lines) asks every framework
for a terabyte; envcheck must stop with EC509 naming the key and the chain,
through the real CLI, under a generous subprocess timeout (no timing
assertions).  Unit tests count the work charged to the budget instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.sources.budget import MAX_TOTAL, Budget, BudgetExceeded, current, run_budget
from envcheck.sources.readers.node_expand import expand_cra, expand_dotenv, expand_next
from envcheck.sources.readers.python_expand import expand_entries
from envcheck.sources.types import Entry, Problem

FRAMEWORKS = ["nextjs", "cra", "vite", "dotenv-expand", "python-dotenv", "pydantic-settings"]
TIMEOUT = 60  # generous: the old code ran for minutes


def laughs(lines: int = 40) -> str:
    return "A0=xxxxxxxxxx\n" + "".join(
        f"A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, lines + 1)
    )


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args, str(project)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_billion_laughs_is_an_ec509_not_a_hang(framework: str, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(laughs())
    done = run(tmp_path, "check", "-f", framework, "--no-process-env", "--format", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    found = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EC509"]
    assert found, done.stdout[-2000:]
    first = found[0]
    assert first["severity"] == "error"
    assert first["key"].startswith("A") and "chain A" in first["message"]
    assert "xxxxxxxxxx" not in done.stdout  # never a value
    explained = run(tmp_path, "explain", "-f", framework, "--no-process-env", "--format", "json")
    assert explained.returncode == 0, explained.stderr[-2000:]
    assert "A40" in json.loads(explained.stdout)["keys"]


def test_budget_limits_value_total_and_depth() -> None:
    budget = Budget(max_value=10, max_total=25, max_depth=2)
    budget.charge("K", 10)
    with pytest.raises(BudgetExceeded) as value:
        budget.charge("K", 11, ["B"])
    assert value.value.limit == "value" and value.value.chain_text() == "K -> B"
    budget = Budget(max_value=10, max_total=25, max_depth=2)
    budget.charge("K", 10)
    budget.charge("K", 10)
    with pytest.raises(BudgetExceeded) as total:
        budget.charge("L", 10)
    assert total.value.limit == "total" and budget.exhausted
    with pytest.raises(BudgetExceeded):  # spent: the next key stops at once
        budget.descend("M", [])
    with pytest.raises(BudgetExceeded) as depth:
        Budget(max_depth=2).descend("K", ["A", "B"])
    assert depth.value.limit == "depth"
    problem = depth.value.problem(".env", 3, 1)
    assert (problem.kind, problem.key, problem.line) == ("expansion-budget", "K", 3)


def test_run_budget_is_shared_and_scoped() -> None:
    with run_budget() as shared:
        assert current() is shared
    assert current() is not shared


def test_dotenv_expand_work_is_bounded() -> None:
    """dotenv-expand re-expands raw values: 2**40 steps; the charged work stays near the cap."""
    values = dict(line.split("=", 1) for line in laughs().splitlines())
    with run_budget() as budget:
        out, issues = expand_dotenv(values, dict(values))
    assert budget.spent <= MAX_TOTAL + 4 * (1 << 20)
    assert {i.kind for i in issues} == {"expansion-budget"}
    assert out["A40"] == "${A39}${A39}"  # kept as written
    assert out["A3"] == "x" * 80


def test_next_billion_laughs_keeps_the_file() -> None:
    values = dict(line.split("=", 1) for line in laughs().splitlines())
    env: dict[str, str] = {}
    issues: list = []
    with run_budget() as budget:
        assert expand_next(values, env, issues) is None  # not a stack overflow: no file drop
    assert budget.spent <= MAX_TOTAL + 4 * (1 << 20)
    assert issues and {i.kind for i in issues} == {"expansion-budget"}
    assert env["A5"] == "x" * 320


def test_next_self_growth_is_still_a_dropped_file_and_costs_no_budget() -> None:
    """``X=${X}:y`` re-inserts itself: Next.js overflows its stack and drops the file."""
    with run_budget() as budget:
        assert expand_next({"PATHISH": "${PATHISH}:/extra"}, {}) == "PATHISH"
        assert budget.spent == 0
        values = {"A": "${B}"}
        expand_next(values, {"B": "fine"})
    assert values["A"] == "fine"


def test_cra_deep_chain_stops_at_the_depth_limit() -> None:
    """react-scripts recurses once per link; 5000 links must not hit Python's recursion limit."""
    n = 5000
    env = {"A0": "x", **{f"A{i}": f"${{A{i - 1}}}" for i in range(1, n + 1)}}
    issues = expand_cra(list(env)[::-1], env)  # the deepest key first
    assert issues and issues[0].kind == "expansion-budget"
    assert "deep" in issues[0].message


def test_replacement_patterns_cannot_multiply_a_value_in_one_step() -> None:
    """``$\u0060`` copies everything before the match: 1000 of them on a 64 KiB prefix is 64 MB."""
    text = {"PAD": "p" * 65536, "R": "$`" * 1000, "V": "${PAD}${R}"}
    with run_budget() as budget:
        _, issues = expand_dotenv(text, dict(text))
    # Stopped either by the budget or, before any work, as dotenv-expand's own runaway
    # (the real one runs out of memory on this file): both name V and bound the work.
    assert [i.key for i in issues if i.kind in ("expansion-budget", "expansion-runaway")] == ["V"]
    assert budget.spent <= 4 * (1 << 20)


def test_python_many_references_to_a_big_value_stop_before_joining() -> None:
    big = "b" * 600_000
    entries = [Entry("BIG", big, ".env", 1, 1), Entry("V", "${BIG}" * 1000, ".env", 2, 1)]
    notes: list[Problem] = []
    with run_budget() as budget:
        values = expand_entries(entries, {}, override=True, notes=notes)
    assert values[1] == "${BIG}" * 1000
    assert [(n.kind, n.key) for n in notes] == [("expansion-budget", "V")]
    assert budget.spent <= 4 * (1 << 20)


# -- EC507: references defined nowhere (issue 17) -----------------------------

MISSING = "API_URL=${API_HOST}/v1\nDB_PASSWORD=pa$word123\nHOME_DIR=${HOME}/x\nOK=${NOPE:-d}\n"


def _ec507(framework: str, project: Path, *, home: bool) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    if home:
        env["HOME"] = "/home/someone"
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "-f", framework, "--format", "json"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    findings = json.loads(done.stdout)["findings"]
    return {f["key"]: f["message"] for f in findings if f["code"] == "EC507"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_ec507_names_an_undefined_reference(framework: str, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(MISSING)
    found = _ec507(framework, tmp_path, home=True)
    assert "${API_HOST}" in found["API_URL"]
    assert "empty string" in found["API_URL"] and "the app gets" in found["API_URL"]
    assert "HOME_DIR" not in found  # the process environment defines HOME
    if framework == "cra":  # dotenv-expand 5 knows no ":-": ${NOPE is read, the rest kept
        assert "${NOPE}" in found["OK"]
    else:
        assert "OK" not in found  # a default is a decision, not a mistake
    if framework in ("python-dotenv", "pydantic-settings"):
        assert "DB_PASSWORD" not in found  # python-dotenv leaves $word123 as written
    else:
        message = found["DB_PASSWORD"]
        assert "word123" not in message  # a fragment of the password is never shown
        assert "'$'" in message


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_ec507_without_the_process_value(framework: str, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HOME_DIR=${HOME}/x\n")
    assert "HOME_DIR" in _ec507(framework, tmp_path, home=False)


@pytest.mark.parametrize("framework", ["nextjs", "cra", "vite", "dotenv-expand"])
def test_ec507_is_silent_for_keys_defined_later_or_in_another_file(
    framework: str, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("URL=${HOST}/v1\nHOST=example.com\n")
    assert _ec507(framework, tmp_path, home=True) == {}
