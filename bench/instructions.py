"""Linearity by instruction count: parse + expand of each dialect under callgrind.

Wall time stops being a clean measure of linearity once the data outgrows
the CPU caches: at 1M lines a dict of 700k keys misses the cache on every
insert, so the same loop costs more per line than at 100k, in envcheck and
in Node alike (Node's ``dotenv.parse``: 11-12× from 100k to 1M lines).
``valgrind --tool=callgrind`` counts instructions instead: the same program
on the same input gives the same count whatever the caches and the
machine's load do.  So "10× the lines in at most 11× the work" is judged
here, for each dialect, on the instructions of ``bench/inproc.py
envcheck-<dialect> FILE --no-load`` at 10k and 100k lines, after subtracting
the count for an empty file (start-up).  Without valgrind the rows say so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from gen import write_env
from table import Row, Target, fmt_ratio, section
from throughput import DIALECTS, LINEAR

__all__ = ["run_instructions"]

SMALL, BIG = 10_000, 100_000
_COLLECTED = re.compile(r"Collected : (\d+)")


def _instructions(root: Path, env: dict[str, str], dialect: str, path: Path) -> int | None:
    argv = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(root / "bench" / "inproc.py"),
        f"envcheck-{dialect}",
        str(path),
        "--no-load",
    ]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    found = _COLLECTED.search(done.stderr)
    return int(found.group(1)) if done.returncode == 0 and found else None


def run_instructions(root: Path, env: dict[str, str], tmp: Path) -> list[Row]:
    title = f"linearity by instruction count (callgrind), parse + expand, {SMALL:,} → {BIG:,} lines"
    rows = [section(title)]
    if shutil.which("valgrind") is None:
        return [*rows, Row("valgrind not installed", note="apt-get install valgrind")]
    files = {0: tmp / "empty.env", SMALL: tmp / "ir-small.env", BIG: tmp / "ir-big.env"}
    files[0].write_text("")
    write_env(files[SMALL], SMALL)
    write_env(files[BIG], BIG)
    for dialect in DIALECTS:
        counts = {size: _instructions(root, env, dialect, path) for size, path in files.items()}
        base, small, big = counts[0], counts[SMALL], counts[BIG]
        ratio = (big - base) / (small - base) if base and small and big else None
        at_small = "-" if small is None or base is None else f"10k: {(small - base) / 1e6:,.0f} M"
        rows.append(
            Row(
                f"envcheck {dialect} dialect: instructions {SMALL // 1000}k→{BIG // 1000}k",
                "-" if big is None or base is None else f"{(big - base) / 1e6:,.0f} M",
                f"100k/10k = {fmt_ratio(ratio)}",
                Target(f"10× lines → ≤ {LINEAR:g}×", None if ratio is None else ratio <= LINEAR),
                note=at_small,
            )
        )
    return rows
