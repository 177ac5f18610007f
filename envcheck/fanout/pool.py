"""Run one command over many apps at once, each app's result kept apart.

Every command's per-app run returns its result as data
(:class:`~envcheck.fanout.result.AppRun`: a report, or a document command's
typed view): nothing is written to a stream while the apps run, so no stream
is ever replaced and nothing is captured.

Two pools, both bounded by ``jobs`` (default: the CPUs, at most 8):

* ``process`` (the default where ``fork`` exists): the checks are pure
  Python, so threads share one GIL; forked workers run on every core and
  start in well under a millisecond each, because they inherit the parent's
  imported modules and everything it read before the fork (the workspace's
  discovery, its package facts, the git index: :mod:`envcheck.fanout.run`
  reads them once, first).  Tasks cross the fork as indexes, results come
  back pickled (:class:`~envcheck.fanout.result.AppRun` is plain data);
* ``thread``: where there is no ``fork`` (Windows, macOS spawn), or when
  ``ENVCHECK_WORKSPACE_POOL=thread`` asks for it (``serial``: one at a time).

``bench/workspace_bench.py`` measures both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["default_jobs", "pool_kind", "run_all"]

MAX_JOBS = 8
T = TypeVar("T")
Task = Callable[[], Any]


_TASKS: list[Task] = []  # inherited by forked workers


def _by_index(index: int) -> Any:
    return _TASKS[index]()


def pool_kind() -> str:
    """``process`` where ``fork`` exists, else ``thread``; ``ENVCHECK_WORKSPACE_POOL`` overrides."""
    import multiprocessing

    wanted = os.environ.get("ENVCHECK_WORKSPACE_POOL", "").strip().lower()
    if wanted in ("thread", "serial"):
        return wanted
    return "process" if "fork" in multiprocessing.get_all_start_methods() else "thread"


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_JOBS, cpus))


def run_all(
    tasks: Sequence[Callable[[], T]], *, jobs: int | None = None, pool: str | None = None
) -> list[T]:
    """Each task's result, in task order; at most ``jobs`` run at once.

    A result crosses back from a forked worker pickled: plain data only.
    """
    jobs = max(1, jobs or default_jobs())
    pool = pool or pool_kind()
    if len(tasks) <= 1 or jobs == 1:
        pool = "serial"
    if pool == "serial":
        return [task() for task in tasks]
    if pool == "process":
        # The first task runs here, before the fork: the modules it imports and what it
        # memoizes (rule families, compiled patterns, the enabled codes) every worker
        # inherits, instead of each loading them again for its own first task.
        first = tasks[0]()
        return [first, *_in_processes(tasks[1:], jobs)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as executor:
        return list(executor.map(lambda task: task(), tasks))


def _in_processes(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    import multiprocessing

    _TASKS[:] = tasks  # the forked children inherit the list; only indexes are sent
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(tasks) // (jobs * 4))
        with context.Pool(processes=min(jobs, len(tasks))) as workers:
            return workers.map(_by_index, range(len(tasks)), chunksize=chunk)
    finally:
        _TASKS.clear()
