"""Throughput and memory on generated files of 10k, 100k and 1M lines.

Per size, every tool runs as its own subprocess, interleaved:

* ``envcheck check --framework dotenv DIR`` end to end (start-up, read,
  parse, rules, report), and ``envcheck explain KEY`` (start-up, read, parse,
  provenance for every key; prints one);
* ``bench/inproc.py`` for the three envcheck dialects (parse + the loader
  that expands them) and for python-dotenv's ``dotenv_values``;
* ``bench/node_parse.cjs`` for Node's ``dotenv.parse``.

The helper children print their in-process time, so each run gives two
figures: wall time of the whole process, and the work after start-up.
python-dotenv's interpolation is quadratic (it copies the environment for
every binding), so it runs on 5k and 10k lines only and its 100k time is
extrapolated (:func:`interp_estimate`): marked ``est.``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from gen import write_env
from measure import Case, interleave

__all__ = ["Throughput", "run_throughput"]

SIZES = (10_000, 100_000, 1_000_000)
INTERP_SIZES = (5_000, 10_000)
DIALECTS = ("node", "nodeutil", "python")
PYDOTENV_FASTER = 10.0  # issue 2: ≥ 10× faster than python-dotenv without interpolation
PYDOTENV_INTERP_FASTER = 200.0  # ... and ≥ 200× with it
NODE_SLOWER = 2.0  # within 2× of Node's dotenv.parse
LINEAR = 11.0  # 10× the lines in ≤ 11× the time
LINEAR_EXPONENT = math.log10(LINEAR)  # the same as a log-log slope: 1.04


def label(size: int) -> str:
    return f"{size / 1_000_000:g}M" if size >= 1_000_000 else f"{size / 1000:g}k"


@dataclass
class Throughput:
    """All cases by (tool, size).

    Tools: check, explain, node, nodeutil, python (envcheck), pydotenv, interp
    (python-dotenv without / with interpolation), nodejs (``dotenv.parse``).
    """

    cases: dict[tuple[str, int], Case]

    def wall(self, tool: str, size: int) -> float | None:
        case = self.cases.get((tool, size))
        return case.median() if case else None

    def work(self, tool: str, size: int) -> float | None:
        case = self.cases.get((tool, size))
        return case.median("total") if case else None


def log_slope(times: dict[int, float | None]) -> float | None:
    """Log-log slope between the smallest and the largest size measured."""
    known = sorted((s, t) for s, t in times.items() if t)
    if len(known) < 2:
        return None
    (s0, t0), (s1, t1) = known[0], known[-1]
    return math.log(t1 / t0) / math.log(s1 / s0)


def interp_estimate(tp: Throughput, size: int, *, work: bool) -> float | None:
    """python-dotenv with interpolation at ``size``, extrapolated from 10k lines.

    Interpolation adds a copy of everything resolved so far for every binding:
    a cost that grows with the square of the size, on top of the linear parse.
    So: the extra time interpolation took at 10k lines (interpolating minus
    plain, same size) times ``(size / 10k)²``, plus the plain time measured at
    ``size``.  Start-up cancels out in the difference.
    """
    pick = tp.work if work else tp.wall
    ref = INTERP_SIZES[-1]
    interp, plain_ref, plain = pick("interp", ref), pick("pydotenv", ref), pick("pydotenv", size)
    if interp is None or plain_ref is None or plain is None:
        return None
    return plain + max(0.0, interp - plain_ref) * (size / ref) ** 2


def _cases(
    root: Path, env: dict[str, str], tmp: Path, size: int, tools: tuple[str, ...]
) -> dict[tuple[str, int], Case]:
    bin_ = root / ".venv" / "bin"
    python, inproc = str(bin_ / "python"), str(root / "bench" / "inproc.py")
    project = tmp / label(size)
    project.mkdir(exist_ok=True)
    env_file = project / ".env"
    if not env_file.exists():
        write_env(env_file, size)
    made: dict[tuple[str, int], Case] = {}
    for tool in tools:
        if tool == "check":
            argv = [str(bin_ / "envcheck"), "check", "--framework", "dotenv", str(project)]
            made[tool, size] = Case(
                f"envcheck check, {label(size)}", argv, env=env, ok_codes=(0, 1), budget=20
            )
        elif tool == "explain":
            # Loads and resolves every key with provenance; prints one.
            argv = [
                str(bin_ / "envcheck"),
                "explain",
                "SVC0_URL",
                "--framework",
                "dotenv",
                "--dir",
                str(project),
            ]
            made[tool, size] = Case(
                f"envcheck explain KEY, {label(size)}", argv, env=env, budget=30
            )
        elif tool in DIALECTS:
            made[tool, size] = Case(
                f"envcheck {tool} dialect, {label(size)}",
                [python, inproc, f"envcheck-{tool}", str(env_file)],
                env=env,
                json_report=True,
                budget=30,
            )
        elif tool in ("pydotenv", "interp"):
            name = "python-dotenv" if tool == "pydotenv" else "python-dotenv-interp"
            made[tool, size] = Case(
                f"{name}, {label(size)}",
                [python, inproc, name, str(env_file)],
                env=env,
                json_report=True,
                budget=8,
            )
        elif tool == "nodejs":
            script = str(root / "bench" / "node_parse.cjs")
            made[tool, size] = Case(
                f"node dotenv.parse, {label(size)}",
                ["node", script, str(env_file)],
                env=env,
                json_report=True,
                budget=30,
            )
    return made


def run_throughput(
    root: Path,
    env: dict[str, str],
    tmp: Path,
    reps: int,
    big_reps: int,
    sizes: tuple[int, ...] = SIZES,
) -> Throughput:
    """Generate the files and run every case, one size at a time, interleaved."""
    everything: dict[tuple[str, int], Case] = {}
    for size in INTERP_SIZES:
        batch = _cases(root, env, tmp, size, ("interp",))
        interleave(list(batch.values()), reps)
        everything.update(batch)
    for size in sizes:
        batch = _cases(root, env, tmp, size, ("check", "explain", *DIALECTS, "pydotenv", "nodejs"))
        big = size >= 1_000_000
        interleave(list(batch.values()), big_reps if big else reps, warmup=not big)
        everything.update(batch)
    return Throughput(everything)
