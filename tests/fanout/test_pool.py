"""The fork pool of a workspace run (:mod:`envcheck.fanout.pool`): this process and its
forked workers take tasks from one queue; results come back in task order; a worker's
error, or a worker gone without its results, is an error here, never a hang or a lost
app; a worker never writes what this process buffered.  Nothing here is timed: the
waits below are hang guards, and "at once" is shown by two tasks that each wait for the
other's process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.fanout import pool
from tests.harness import HANG_GUARD, REPO_ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _wait_for(done: Callable[[], bool]) -> None:
    """Until ``done()``; a hang guard far above any real wait, never a speed claim."""
    give_up = time.monotonic() + HANG_GUARD
    while not done():
        if time.monotonic() > give_up:
            raise AssertionError("waited for the other process in vain")
        time.sleep(0.005)


def _pids(log: Path) -> set[str]:
    return set(log.read_text(encoding="utf-8").split()) if log.exists() else set()


def _meet(log: Path) -> Callable[[], str]:
    """A task that writes its process id and returns once two processes have written:
    two such tasks finish only if they run at once, in two processes."""

    def task() -> str:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        _wait_for(lambda: len(_pids(log)) >= 2)
        return str(os.getpid())

    return task


def test_two_tasks_run_at_once_in_this_process_and_a_worker(tmp_path: Path) -> None:
    here = os.getpid()
    log = tmp_path / "pids"
    ran = pool.run_all([os.getpid, _meet(log), _meet(log)], jobs=2, pool="process")
    assert ran[0] == here  # before the fork
    assert set(ran[1:]) == _pids(log)
    assert len(set(ran[1:])) == 2 and str(here) in ran[1:]  # this process is a worker too


def test_results_come_back_in_task_order_past_the_queue_entries() -> None:
    """More tasks than the queue has entries go out in runs of consecutive tasks."""
    count = 3 * pool._QUEUE_ENTRIES + 5
    tasks = [(lambda i=i: i * i) for i in range(count)]
    assert pool.run_all(tasks, jobs=3, pool="process") == [i * i for i in range(count)]


def _in_a_worker_only(marker: Path, parent: int, worker_part: Callable[[], object]) -> object:
    """In a worker: mark, then ``worker_part()``; here: wait for the worker's mark."""
    if os.getpid() == parent:
        _wait_for(marker.exists)
        return None
    marker.write_text("taken", encoding="utf-8")
    return worker_part()


def test_a_workers_error_is_raised_here_even_one_that_does_not_pickle(tmp_path: Path) -> None:
    class Local(Exception):  # a local class: its instances do not pickle
        pass

    def fail() -> object:
        raise Local("broken app")

    marker, parent = tmp_path / "taken", os.getpid()
    tasks = [lambda: None] + [lambda: _in_a_worker_only(marker, parent, fail)] * 2
    with pytest.raises(RuntimeError, match="broken app"):
        pool.run_all(tasks, jobs=2, pool="process")


def test_an_error_here_is_raised_after_the_workers_finish(tmp_path: Path) -> None:
    def fail() -> object:
        raise ValueError("first")

    with pytest.raises(ValueError, match="first"):
        pool.run_all([lambda: None, fail, *([lambda: 1] * 20)], jobs=2, pool="process")


def test_a_worker_gone_without_its_results_is_an_error_not_a_hang(tmp_path: Path) -> None:
    marker, parent = tmp_path / "taken", os.getpid()
    tasks = [lambda: None] + [lambda: _in_a_worker_only(marker, parent, lambda: os._exit(3))] * 2
    with pytest.raises(RuntimeError, match="without its results"):
        pool.run_all(tasks, jobs=2, pool="process")


def test_a_worker_writes_nothing_this_process_buffered_and_no_multiprocessing(
    tmp_path: Path,
) -> None:
    """A worker ends with ``os._exit``: it neither flushes the parent's buffered output
    again nor runs the parent's exit handlers; and the pool imports no multiprocessing."""
    script = f"""
import os, sys
from pathlib import Path
from envcheck.fanout import pool
log = Path({str(tmp_path / "pids")!r})
def meet():
    with open(log, "a") as out:
        out.write(f"{{os.getpid()}}\\n")
    while len(set(log.read_text().split())) < 2:
        pass
    return 1
sys.stdout.write("before,")  # buffered: stdout is a pipe
pool.run_all([lambda: 0, meet, meet], jobs=2, pool="process")
print("after," + str("multiprocessing" in sys.modules))
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=True,
    )
    assert done.stdout == "before,after,False\n"
