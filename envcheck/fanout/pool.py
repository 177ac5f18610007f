"""Run one command over many apps at once, each app's output captured apart.

A command writes to ``sys.stdout`` / ``sys.stderr`` (through ``click.echo``);
run over apps in parallel, each app's lines must not interleave.  While a
run is on, both streams are replaced by :class:`_Routed`, which sends what a
worker writes to that worker's own buffer (a thread-local) and everything
else to the real stream.

Two pools, both bounded by ``jobs`` (default: the CPUs, at most 8):

* ``process`` (the default where ``fork`` exists): the checks are pure
  Python, so threads share one GIL; forked workers run on every core and
  start in well under a millisecond each, because they inherit the parent's
  imported modules.  Tasks and results cross the fork as indexes and plain
  data (:class:`AppOutcome`), never as live objects;
* ``thread``: where there is no ``fork`` (Windows, macOS spawn), or when
  ``ENVCHECK_WORKSPACE_POOL=thread`` asks for it.

``bench/workspace_bench.py`` measures both.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TextIO

__all__ = ["AppOutcome", "pool_kind", "run_all"]

MAX_JOBS = 8


class AppOutcome:
    """What one app's run left: exit code, captured stdout and stderr, and extra plain data."""

    __slots__ = ("code", "out", "err", "extra")

    def __init__(self, code: int, out: str, err: str, extra: Any = None) -> None:
        self.code = code
        self.out = out
        self.err = err
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        return (AppOutcome, (self.code, self.out, self.err, self.extra))


class _Routed(io.TextIOBase):
    """A stand-in for sys.stdout/sys.stderr that writes to the current worker's buffer."""

    def __init__(self, real: TextIO, local: threading.local, name: str) -> None:
        self._real = real
        self._local = local
        self._name = name

    def _target(self) -> TextIO:
        buffer = getattr(self._local, self._name, None)
        return buffer if buffer is not None else self._real

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


_LOCAL = threading.local()
_TASKS: list[Callable[[], AppOutcome]] = []


def _captured(task: Callable[[], AppOutcome]) -> AppOutcome:
    out, err = io.StringIO(), io.StringIO()
    _LOCAL.stdout, _LOCAL.stderr = out, err
    try:
        outcome = task()
    finally:
        _LOCAL.stdout = _LOCAL.stderr = None
    outcome.out = out.getvalue() + outcome.out
    outcome.err = err.getvalue() + outcome.err
    return outcome


def _by_index(index: int) -> AppOutcome:
    return _captured(_TASKS[index])


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
    tasks: Sequence[Callable[[], AppOutcome]], *, jobs: int | None = None, pool: str | None = None
) -> list[AppOutcome]:
    """Each task's outcome, in task order; at most ``jobs`` run at once."""
    jobs = max(1, jobs or default_jobs())
    pool = pool or pool_kind()
    if len(tasks) <= 1 or jobs == 1:
        pool = "serial"
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout = _Routed(real_out, _LOCAL, "stdout")
    sys.stderr = _Routed(real_err, _LOCAL, "stderr")
    try:
        if pool == "serial":
            return [_captured(t) for t in tasks]
        if pool == "process":
            return _in_processes(tasks, jobs)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as executor:
            return list(executor.map(_captured, tasks))
    finally:
        sys.stdout, sys.stderr = real_out, real_err


def _in_processes(tasks: Sequence[Callable[[], AppOutcome]], jobs: int) -> list[AppOutcome]:
    import multiprocessing

    _TASKS[:] = tasks  # the forked children inherit the list; only indexes are sent
    try:
        context = multiprocessing.get_context("fork")
        chunk = max(1, len(tasks) // (jobs * 4))
        with context.Pool(processes=min(jobs, len(tasks))) as workers:
            return workers.map(_by_index, range(len(tasks)), chunksize=chunk)
    finally:
        _TASKS.clear()
