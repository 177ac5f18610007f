"""Run one command over many apps at once, each app's result kept apart.

Every command's per-app run returns its result as data
(:class:`~envcheck.fanout.result.AppRun`: a report, or a document command's
typed view): nothing is written to a stream while the apps run, so no stream
is ever replaced and nothing is captured.

Two pools, both bounded by ``jobs`` (default: the CPUs, at most 8):

* ``process`` (the default where ``os.fork`` exists): the checks are pure
  Python, so threads share one GIL; forked workers run on every core and
  start in well under a millisecond each, because they inherit the parent's
  imported modules and everything it read before the fork (the workspace's
  discovery, its package facts, the git index: :mod:`envcheck.fanout.run`
  reads them once, first).  This process is one of the ``jobs`` workers: it
  runs the first task before the fork (what that task imports and memoizes
  every worker inherits), forks ``jobs - 1`` workers, and takes tasks from the
  same queue as they do.  The queue is a pipe written whole before the fork
  (task numbers; a worker reads one at a time, so a worker that drew the big
  apps takes fewer); each worker sends its results back pickled on a pipe of
  its own (:class:`~envcheck.fanout.result.AppRun` is plain data).  No
  ``multiprocessing``: its import, its pool's threads and its idle parent
  cost a 200-app run more than the workers' own start;
* ``thread``: where there is no ``fork`` (Windows), or when
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

# The queue holds at most this many task numbers of 4 bytes: 512 bytes, the least a
# pipe holds on any POSIX system (PIPE_BUF), so writing it whole never blocks.  More
# tasks than that go out in runs of consecutive ones (a run is one queue entry).
_QUEUE_ENTRIES = 128
_ENTRY = 4


def pool_kind() -> str:
    """``process`` where ``os.fork`` exists, else ``thread``; ``ENVCHECK_WORKSPACE_POOL``
    overrides."""
    wanted = os.environ.get("ENVCHECK_WORKSPACE_POOL", "").strip().lower()
    if wanted in ("thread", "serial"):
        return wanted
    return "process" if hasattr(os, "fork") else "thread"


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

    A result crosses back from a forked worker pickled: plain data only.  A task
    that raises is re-raised here (the first such task's error, in task order) once
    every task has run.
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


_Outcome = tuple[int, bool, Any]  # (task number, it returned, its result or its error)


def _drain(queue: int, tasks: Sequence[Callable[[], Any]], run: int) -> list[_Outcome]:
    """Take runs of task numbers from ``queue`` until it is empty; run each task."""
    done: list[_Outcome] = []
    while True:
        entry = os.read(queue, _ENTRY)
        if len(entry) < _ENTRY:
            return done  # end of the queue (every writer closed it)
        start = int.from_bytes(entry, "little")
        for index in range(start, min(start + run, len(tasks))):
            try:
                done.append((index, True, tasks[index]()))
            except Exception as err:  # noqa: BLE001 - raised again in the parent
                done.append((index, False, err))


def _in_processes(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """``tasks`` run by this process and ``jobs - 1`` forked workers."""
    import pickle  # noqa: F401 - imported once, here: the workers inherit it

    run = -(-len(tasks) // _QUEUE_ENTRIES)  # consecutive tasks per queue entry
    entries = b"".join(i.to_bytes(_ENTRY, "little") for i in range(0, len(tasks), run))
    queue, queue_in = os.pipe()
    try:
        os.write(queue_in, entries)
    finally:
        os.close(queue_in)  # written whole: a reader that finds it empty is done
    workers: dict[int, int] = {}  # pid -> the read end of its results
    try:
        for _ in range(min(jobs, len(tasks)) - 1):
            results, results_in = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: it never returns into the caller's code
                _work(queue, results, results_in, tasks, run)
            os.close(results_in)  # only the worker writes: its exit is the end of the pipe
            workers[pid] = results
        outcomes = _drain(queue, tasks, run)
        while workers:
            pid, results = workers.popitem()
            try:
                outcomes.extend(_received(results))
            finally:
                os.waitpid(pid, 0)
    finally:
        os.close(queue)
        for pid, results in workers.items():  # only when this process was interrupted
            _stop(pid, results)
    return _in_order(outcomes, len(tasks))


def _work(
    queue: int, results: int, results_in: int, tasks: Sequence[Callable[[], Any]], run: int
) -> None:
    """A forked worker: drain the queue, send the outcomes, exit (never return)."""
    import pickle

    status = 1
    try:
        os.close(results)
        outcomes = _drain(queue, tasks, run)
        try:
            data = pickle.dumps(outcomes, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an error that does not pickle: its words do
            data = pickle.dumps(
                [(i, ok, v if ok else RuntimeError(repr(v))) for i, ok, v in outcomes],
                pickle.HIGHEST_PROTOCOL,
            )
        with os.fdopen(results_in, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)  # no cleanup of the parent's: its buffers, atexit, the CLI's stack


def _received(results: int) -> list[_Outcome]:
    """A worker's outcomes, read to the end of its pipe."""
    import pickle

    with os.fdopen(results, "rb") as stream:
        data = stream.read()
    if not data:
        raise RuntimeError("a workspace worker ended without its results")
    outcomes: list[_Outcome] = pickle.loads(data)  # noqa: S301 - our own forked worker's
    return outcomes


def _stop(pid: int, results: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
    try:
        os.close(results)
    except OSError:
        pass


def _in_order(outcomes: list[_Outcome], count: int) -> list[Any]:
    """The results in task order; the first failed task's error raised."""
    outcomes.sort(key=lambda outcome: outcome[0])
    if len(outcomes) != count:
        raise RuntimeError("a workspace worker lost a task")
    for _, returned, value in outcomes:
        if not returned:
            raise value
    return [value for _, _, value in outcomes]
