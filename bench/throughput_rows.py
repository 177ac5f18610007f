"""Turn the throughput measurements into table rows with the issues' targets.

Targets are checked at 100k lines, as issue 2 states them; the scaling
exponent is the log-log slope from 10k to 1M lines, and linearity is judged
on the 100k -> 1M step (10× the lines in at most 11× the time).
"""

from __future__ import annotations

from table import Row, Target, fmt_ratio, fmt_time, section
from throughput import (
    DIALECTS,
    INTERP_SIZES,
    LINEAR,
    NODE_SLOWER,
    PYDOTENV_FASTER,
    PYDOTENV_INTERP_FASTER,
    Throughput,
    interp_estimate,
    log_slope,
    label,
)

__all__ = ["throughput_rows", "memory_rows"]

AT = 100_000


def _faster(base: float | None, ours: float | None) -> float | None:
    return base / ours if base and ours else None


def _n(tp: Throughput, tool: str, size: int) -> str:
    case = tp.cases.get((tool, size))
    if case is None:
        return ""
    if case.error:
        return f"failed: {case.error}"
    return f"n={len(case.samples)}" if case.samples else ""


def _linear_rows(tp: Throughput, name: str, tool: str, sizes: tuple[int, ...], get: str) -> list[Row]:
    pick = tp.wall if get == "wall" else tp.work
    times = {s: pick(tool, s) for s in sizes}
    slope = log_slope(times)
    step = None
    if times.get(AT) and times.get(10 * AT):
        step = times[10 * AT] / times[AT]  # type: ignore[operator]
    target = Target(f"1M/100k ≤ {LINEAR:g}×", None if step is None else step <= LINEAR)
    value = "-" if slope is None else f"slope {slope:.2f}"
    return [Row(f"{name}: scaling 10k→1M", value, f"1M/100k {fmt_ratio(step)}", target)]


def throughput_rows(tp: Throughput, sizes: tuple[int, ...], reps: int, big_reps: int) -> list[Row]:
    rows = [
        section(
            f"end to end, one subprocess each, wall time (median of {reps}; 1M: {big_reps}, "
            "no warm-up); python-dotenv with interpolation: 5k and 10k only, 100k extrapolated"
        )
    ]
    for size in sizes:
        ours = tp.wall("check", size)
        base = tp.wall("pydotenv", size)
        rows.append(
            Row(
                f"envcheck check --framework dotenv, {label(size)} lines",
                fmt_time(ours),
                f"{fmt_ratio(_faster(base, ours))} faster than python-dotenv",
                Target(f"≥ {PYDOTENV_FASTER:g}× faster", None if _faster(base, ours) is None else _faster(base, ours) >= PYDOTENV_FASTER)  # type: ignore[operator]
                if size == AT
                else None,
                note=_n(tp, "check", size),
            )
        )
    ours = tp.wall("check", AT)
    interp = interp_estimate(tp.wall, AT)
    node = tp.wall("nodejs", AT)
    ratio = _faster(interp, ours)
    rows.append(
        Row(
            "envcheck check 100k vs python-dotenv interpolating",
            fmt_time(ours),
            f"{fmt_ratio(ratio)} faster (est.)",
            Target(f"≥ {PYDOTENV_INTERP_FASTER:g}× faster", None if ratio is None else ratio >= PYDOTENV_INTERP_FASTER),
        )
    )
    slower = ours / node if ours and node else None
    rows.append(
        Row(
            "envcheck check 100k vs node dotenv.parse",
            fmt_time(ours),
            f"{fmt_ratio(slower)} node's time",
            Target(f"≤ {NODE_SLOWER:g}× node", None if slower is None else slower <= NODE_SLOWER),
        )
    )
    rows += _linear_rows(tp, "envcheck check", "check", sizes, "wall")
    for size in sizes:
        rows.append(Row(f"python-dotenv dotenv_values, {label(size)}", fmt_time(tp.wall("pydotenv", size)), note=_n(tp, "pydotenv", size)))
    for size in INTERP_SIZES:
        rows.append(Row(f"python-dotenv interpolating, {label(size)}", fmt_time(tp.wall("interp", size)), note=_n(tp, "interp", size)))
    rows.append(Row("python-dotenv interpolating, 100k (est.)", fmt_time(interp), note="extrapolated from 5k→10k"))
    for size in sizes:
        rows.append(Row(f"node dotenv.parse, {label(size)}", fmt_time(tp.wall("nodejs", size)), note=_n(tp, "nodejs", size)))

    rows.append(section("parse + expand in process, after start-up (same runs; python-dotenv's own time, node's dotenv.parse time)"))
    base = tp.work("pydotenv", AT)
    interp_work = interp_estimate(tp.work, AT)
    node_work = tp.work("nodejs", AT)
    for dialect in DIALECTS:
        for size in sizes:
            case = tp.cases.get((dialect, size))
            note = _n(tp, dialect, size)
            if case and case.samples:
                note = f"parse {fmt_time(case.median('parse'))} + load {fmt_time(case.median('load'))}; {note}"
            ours = tp.work(dialect, size)
            rel = ours / node_work if ours and node_work and size == AT else None
            rows.append(
                Row(
                    f"envcheck {dialect} dialect, {label(size)}",
                    fmt_time(ours),
                    f"{fmt_ratio(rel)} node dotenv.parse" if size == AT else "",
                    Target(f"≤ {NODE_SLOWER:g}× node", None if rel is None else rel <= NODE_SLOWER) if size == AT else None,
                    note=note,
                )
            )
        rows += _linear_rows(tp, f"envcheck {dialect} dialect", dialect, sizes, "work")
    ours = tp.work("python", AT)
    for what, ref, goal in (
        ("python-dotenv", base, PYDOTENV_FASTER),
        ("python-dotenv interpolating (est.)", interp_work, PYDOTENV_INTERP_FASTER),
    ):
        ratio = _faster(ref, ours)
        rows.append(
            Row(
                f"envcheck python dialect 100k vs {what}",
                fmt_time(ours),
                f"{fmt_ratio(ratio)} faster",
                Target(f"≥ {goal:g}× faster", None if ratio is None else ratio >= goal),
            )
        )
    for size in sizes:
        rows.append(Row(f"python-dotenv dotenv_values, {label(size)}", fmt_time(tp.work("pydotenv", size)), note=_n(tp, "pydotenv", size)))
    rows.append(Row("python-dotenv interpolating, 100k (est.)", fmt_time(interp_work), note="extrapolated from 5k→10k"))
    for size in sizes:
        rows.append(Row(f"node dotenv.parse, {label(size)}", fmt_time(tp.work("nodejs", size)), note=_n(tp, "nodejs", size)))
    return rows


def memory_rows(tp: Throughput) -> list[Row]:
    rows = [section("peak memory at 100k lines (ru_maxrss of each fresh child, median)")]
    for tool, name in (
        ("check", "envcheck check --framework dotenv"),
        ("node", "envcheck node dialect (parse + expand)"),
        ("nodeutil", "envcheck nodeutil dialect"),
        ("python", "envcheck python dialect"),
        ("pydotenv", "python-dotenv dotenv_values"),
        ("nodejs", "node dotenv.parse"),
    ):
        case = tp.cases.get((tool, AT))
        rss = case.median("rss") if case else None
        rows.append(Row(name, "-" if rss is None else f"{rss / 1024:.0f} MiB"))
    return rows
