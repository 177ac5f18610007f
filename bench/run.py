"""``make bench``: envcheck against its peers, side by side, in one table.

Measures cold start (``fixtures/demo`` and a 6-key Next.js project), the
commands users run as fresh processes on generated 100k / 1M-line files and
on adversarial ones (:mod:`e2e`: time, peak RSS, scaling, against
python-dotenv and Node's dotenv), the live probe against a loopback
server, and a 200-app monorepo root against one app (:mod:`workspace_bench`);
prints one table of medians and ratios with the issues' targets marked
``ok`` or ``MISS``, then a summary line.  Always exits 0 when it could
measure: a missed target is a result, not a crash.  ``--quick`` runs
fewer repetitions (for a smoke test).

Run from the repository root: ``.venv/bin/python bench/run.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from code_bench import run_code  # noqa: E402
from cold import run_cold  # noqa: E402
from e2e import SIZES, e2e_rows, run_e2e  # noqa: E402
from measure import machine  # noqa: E402
from probe_bench import run_probe  # noqa: E402
from table import Row, render  # noqa: E402
from workspace_bench import run_workspace  # noqa: E402

# Variables that change what the tools load or print; the bench runs without them.
_STRIP = (
    "NODE_ENV",
    "APP_ENV",
    "ENV",
    "DOTENV_KEY",
    "PYTHON_DOTENV_DISABLED",
    "XDG_CACHE_HOME",
    "PYTHONDONTWRITEBYTECODE",
)


def child_env(home: Path) -> dict[str, str]:
    """The environment every child gets: ours minus loader knobs, with a private HOME."""
    env = {k: v for k, v in os.environ.items() if k not in _STRIP}
    env["HOME"] = str(home)
    # Let Python cache bytecode as it does on a user's machine: without it every
    # run of envcheck (an editable install) would compile itself from source,
    # while the peers' site-packages have their .pyc from installation.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def summary(rows: list[Row]) -> str:
    judged = [r for r in rows if r.target is not None]
    missed = [r.case for r in judged if r.target is not None and r.target.met is False]
    unknown = [r.case for r in judged if r.target is not None and r.target.met is None]
    text = f"summary: {len(judged) - len(missed) - len(unknown)}/{len(judged)} targets met"
    if missed:
        text += f"; MISS: {'; '.join(missed)}"
    if unknown:
        text += f"; not measured: {'; '.join(unknown)}"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs per case, 1M lines once")
    parser.add_argument("--reps", type=int, default=None, help="runs per case (default 5)")
    parser.add_argument(
        "--max-lines", type=int, default=SIZES[-1], help="largest generated file (default 1M)"
    )
    args = parser.parse_args(argv)
    reps = args.reps or (3 if args.quick else 5)
    # 1M lines: one run per command (a round of them takes about two minutes here).
    big_reps = 1
    sizes = tuple(s for s in SIZES if s <= args.max_lines)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="envcheck-bench-") as scratch:
        tmp = Path(scratch)
        (tmp / "home").mkdir()
        env = child_env(tmp / "home")
        print(f"envcheck bench: {machine(str(ROOT / '.venv' / 'bin' / 'python'))}", flush=True)
        print(
            "command: make bench  (= .venv/bin/python bench/run.py"
            + (" --quick)" if args.quick else ")"),
            flush=True,
        )
        rows = run_cold(ROOT, env, 2 * reps, tmp)  # cheap, and the most sensitive to load
        e2e_reps = min(reps, 3)  # 100k lines: 3 interleaved rounds after a warm-up
        e2e = run_e2e(ROOT, env, tmp, e2e_reps, big_reps, sizes)
        rows += e2e_rows(e2e, sizes, e2e_reps, big_reps)
        rows += run_probe(ROOT, env, tmp, reps)
        rows += run_workspace(ROOT, env, reps, tmp)
        rows += run_code(ROOT, env, reps, tmp)
    print()
    print(render(rows))
    print()
    print(summary(rows))
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
