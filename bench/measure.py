"""Run commands as fresh child processes and time them side by side.

Every sample is one child process: wall time around ``fork``/``exec`` to
``wait4``, and the peak resident set size of *that* child (``wait4``'s
rusage, so other children never mix in).  :func:`interleave` runs a set of
cases round-robin (A B C, A B C, ...) after one warm-up round, so a burst
of load on a shared machine hits every case alike and the ratios between
them stay meaningful even when the absolute times wander.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Case", "Sample", "interleave", "machine", "run_once"]


@dataclass(frozen=True, slots=True)
class Sample:
    """One run: wall and CPU seconds, peak RSS in KiB, exit code, the child's JSON report.

    CPU time (user + system, the child and what it waited for) is kept next
    to wall time because it is less disturbed by other load on the machine.
    """

    wall: float
    cpu: float
    maxrss_kib: int
    returncode: int
    report: Mapping[str, float] | None = None


@dataclass(slots=True)
class Case:
    """A command to time; ``ok_codes`` are exit codes that still count as a valid run.

    ``json_report``: the child prints a JSON object of in-process timings on
    its last stdout line (the bench's helper scripts do), kept in
    :attr:`Sample.report`.  Once a run exceeds ``budget`` seconds the case
    stops being repeated: one slow baseline must not eat the time budget.
    """

    name: str
    argv: Sequence[str]
    cwd: Path | None = None
    env: Mapping[str, str] | None = None
    ok_codes: tuple[int, ...] = (0,)
    json_report: bool = False
    budget: float = 60.0
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    def median(self, what: str = "wall") -> float | None:
        """Median of wall time, ``"cpu"`` time, peak ``"rss"`` (KiB) or a reported timing."""
        if what == "wall":
            values = [s.wall for s in self.samples]
        elif what == "cpu":
            values = [s.cpu for s in self.samples]
        elif what == "rss":
            values = [float(s.maxrss_kib) for s in self.samples]
        else:
            values = [s.report[what] for s in self.samples if s.report and what in s.report]
        return statistics.median(values) if values else None


def run_once(case: Case, timeout: float = 300.0) -> Sample:
    """Run ``case`` once; raise RuntimeError (with stderr's last line) on a bad exit code.

    The child is reaped with ``os.wait4`` rather than ``Popen.wait`` because
    only ``wait4`` returns that one child's own peak RSS (KiB on Linux).
    Output goes to temporary files, not pipes, so nothing has to be read
    while the clock runs.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(case.argv),
            cwd=case.cwd,
            env=dict(case.env) if case.env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out if case.json_report else subprocess.DEVNULL,
            stderr=err,
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()
        if code not in case.ok_codes:
            why = "killed (timeout)" if code < 0 else f"exit {code}"
            raise RuntimeError(f"{why}: {tail[-1] if tail else 'no output'}")
        # A file envcheck refused to read (over its size cap) ends a run early with a finding,
        # not an exit code of its own: that is no time for the command.
        refused = [line for line in tail if line.startswith("envcheck: error:")]
        if refused:
            raise RuntimeError(f"refused: {refused[-1]}")
        report = None
        if case.json_report:
            out.seek(0)
            lines = out.read().decode("utf-8", "replace").strip().splitlines()
            report = json.loads(lines[-1]) if lines else None
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, int(usage.ru_maxrss), code, report)


def interleave(cases: Sequence[Case], reps: int, *, warmup: bool = True) -> None:
    """Run ``cases`` round-robin ``reps`` times (plus a discarded warm-up round).

    A case that fails is marked with its error and not run again; one whose
    run exceeded its budget is not repeated.
    """
    for round_no in range(reps + (1 if warmup else 0)):
        for case in cases:
            if case.error is not None:
                continue
            if case.samples and case.samples[-1].wall > case.budget:
                continue
            try:
                sample = run_once(case)
            except (OSError, RuntimeError) as err:
                case.error = str(err)
                continue
            if warmup and round_no == 0 and sample.wall <= case.budget:
                continue
            case.samples.append(sample)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _node_version() -> str:
    try:
        done = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return done.stdout.strip() or "unknown"


def machine(python: str) -> str:
    """One line naming the machine: CPU, cores, OS, the venv's Python, Node, load."""
    version = subprocess.run(
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {version}, Node {_node_version()}, load average {load:.2f} at start"
    )
