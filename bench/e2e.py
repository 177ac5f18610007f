"""End to end: the commands users run, as fresh processes, on generated files.

Per size (100k and 1M lines) every case below is its own child process, and
the cases run interleaved (:func:`measure.interleave`):

* ``envcheck check`` (text), ``explain --format json --reveal``, ``explain``
  (text) and ``diff A B --format json``, all with ``--framework
  dotenv-expand`` (the loader that expands ``${refs}``), and ``lint
  --format json FILE`` (Node's dotenv dialect);
* python-dotenv's ``dotenv_values(F, interpolate=False)`` in a fresh
  ``python -c``, and a fresh ``node -e`` running ``dotenv.parse`` (the
  pinned copy in ``oracles/``): the baselines.

Targets (issue 13), each command at each size: at least 10× faster than
python-dotenv, at most 2× Node's time, 1M lines in at most 12× the 100k
time; peak RSS at most 64 MiB at 100k and at most 10× that at 1M.  The
adversarial files (one 10 MB line; 100k keys referring to each other;
12,000 one-line ``.env.<mode>`` files) run every command once: they must
finish, and their time is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gen import write_env, write_long_line, write_mode_files, write_ref_chain, write_variant
from measure import Case, interleave
from table import Row, Target, fmt_ratio, fmt_time, section

__all__ = ["COMMANDS", "SIZES", "E2E", "e2e_rows", "run_e2e"]

SIZES = (100_000, 1_000_000)
PYDOTENV_FASTER = 10.0
NODE_SLOWER = 2.0
SCALING = 12.0  # time(1M) ≤ 12 × time(100k)
RSS_100K_MIB = 64.0
RSS_SCALING = 10.0
FRAMEWORK = ("--framework", "dotenv-expand")

# name -> argv after `envcheck`; {a} is the file, {b} the second file, {dir} the project.
COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check", *FRAMEWORK, "{dir}"),
    "explain --format json --reveal": (
        "explain", "--format", "json", "--reveal", *FRAMEWORK, "--dir", "{dir}",
    ),
    "explain": ("explain", *FRAMEWORK, "--dir", "{dir}"),
    "lint --format json": ("lint", "--format", "json", "{a}"),
    "diff A B --format json": ("diff", "{a}", "{b}", "--format", "json", *FRAMEWORK),
}  # fmt: skip
BASELINES = ("python-dotenv", "node")
# name -> writer of the project's .env (and whatever it puts beside it); each runs once.
ADVERSARIAL = {
    "10 MB line": write_long_line,
    "100k-key ref chain": write_ref_chain,
    "12k mode files": write_mode_files,
}


def label(size: int) -> str:
    return f"{size / 1_000_000:g}M" if size >= 1_000_000 else f"{size / 1000:g}k"


@dataclass
class E2E:
    """Every case by (name, size label); the adversarial ones under their file's name."""

    cases: dict[tuple[str, str], Case]

    def get(self, name: str, size: str, what: str = "wall") -> float | None:
        case = self.cases.get((name, size))
        return case.median(what) if case else None


def _files(tmp: Path, size: int) -> tuple[Path, Path, Path]:
    """The project directory (holding ``.env``), its ``.env``, and the second file B."""
    project = tmp / f"e2e-{label(size)}"
    project.mkdir(exist_ok=True)
    a, b = project / ".env", tmp / f"e2e-{label(size)}-b.env"
    if not a.exists():
        write_env(a, size)
        write_variant(b, size)
    return project, a, b


def _cases(root: Path, env: dict[str, str], project: Path, a: Path, b: Path) -> list[Case]:
    bin_ = root / ".venv" / "bin"
    dotenv_js = root / "oracles" / "node_modules" / "dotenv"
    out = []
    # The 1M-line file is 34 MiB, over the 16 MiB every env file is capped at: the user's
    # opt-in (process environment) raises the cap, as a user with such a file would.
    big = {**env, "ENVCHECK_MAX_ENV_FILE_MIB": "64"}
    for name, template in COMMANDS.items():
        argv = [str(bin_ / "envcheck")]
        argv += [t.format(a=a, b=b, dir=project) for t in template]
        out.append(Case(name, argv, cwd=project, env=big, ok_codes=(0, 1), budget=60))
    out.append(
        Case(
            "python-dotenv",
            [
                str(bin_ / "python"),
                "-c",
                "import sys; from dotenv import dotenv_values; "
                "dotenv_values(sys.argv[1], interpolate=False)",
                str(a),
            ],
            env=env,
            budget=60,
        )
    )
    out.append(
        Case(
            "node",
            [
                "node",
                "-e",
                "require(process.argv[1]).parse(require('fs').readFileSync(process.argv[2]))",
                str(dotenv_js),
                str(a),
            ],
            env=env,
        )
    )
    return out


def run_e2e(
    root: Path, env: dict[str, str], tmp: Path, reps: int, big_reps: int, sizes: tuple[int, ...]
) -> E2E:
    cases: dict[tuple[str, str], Case] = {}
    for size in sizes:
        project, a, b = _files(tmp, size)
        batch = _cases(root, env, project, a, b)
        big = size >= 1_000_000
        interleave(batch, big_reps if big else reps, warmup=not big)
        cases.update({(c.name, label(size)): c for c in batch})
    adversarial = tmp / "adversarial"
    adversarial.mkdir(exist_ok=True)
    for name, write in ADVERSARIAL.items():
        project = adversarial / name.replace(" ", "-")
        project.mkdir(exist_ok=True)
        write(project / ".env")
        b = project.parent / f"{project.name}-b.env"
        b.write_bytes((project / ".env").read_bytes())
        batch = _cases(root, env, project, project / ".env", b)
        interleave(batch, 1, warmup=False)
        cases.update({(c.name, name): c for c in batch})
    return E2E(cases)


def _note(case: Case | None) -> str:
    if case is None:
        return ""
    if case.error:
        return f"failed: {case.error}"
    return f"n={len(case.samples)}"


def e2e_rows(e2e: E2E, sizes: tuple[int, ...], reps: int, big_reps: int) -> list[Row]:
    rows = [
        section(
            f"end to end, fresh processes, wall time (median of {reps} interleaved runs after "
            f"a warm-up; 1M: {big_reps}, no warm-up); RSS: peak of the child, median"
        )
    ]
    labels = [label(s) for s in sizes]
    for size in labels:
        py, node = e2e.get("python-dotenv", size), e2e.get("node", size)
        for name in COMMANDS:
            t = e2e.get(name, size)
            rss = e2e.get(name, size, "rss")
            faster = py / t if py and t else None
            slower = t / node if node and t else None
            ratio = (
                f"{fmt_ratio(faster)} faster than python-dotenv, {fmt_ratio(slower)} node"
                if faster and slower
                else "-"
            )
            met = None if faster is None or slower is None else (
                faster >= PYDOTENV_FASTER and slower <= NODE_SLOWER
            )  # fmt: skip
            rows.append(
                Row(
                    f"envcheck {name}, {size}",
                    fmt_time(t),
                    ratio,
                    Target(f"≥ {PYDOTENV_FASTER:g}× py, ≤ {NODE_SLOWER:g}× node", met),
                    note=f"RSS {rss / 1024:.0f} MiB; {_note(e2e.cases.get((name, size)))}"
                    if rss
                    else _note(e2e.cases.get((name, size))),
                )
            )
        for name in BASELINES:
            rss = e2e.get(name, size, "rss")
            rows.append(
                Row(
                    f"{name} (baseline), {size}",
                    fmt_time(e2e.get(name, size)),
                    note=f"RSS {rss / 1024:.0f} MiB; {_note(e2e.cases.get((name, size)))}"
                    if rss
                    else _note(e2e.cases.get((name, size))),
                )
            )
    rows.append(section("peak RSS and scaling, 100k → 1M lines"))
    small, big = (labels + [None, None])[:2]
    for name in COMMANDS:
        rss = e2e.get(name, small, "rss") if small else None
        rows.append(
            Row(
                f"envcheck {name}: peak RSS at {small}",
                "-" if rss is None else f"{rss / 1024:.0f} MiB",
                "",
                Target(f"≤ {RSS_100K_MIB:g} MiB", None if rss is None else rss / 1024 <= 64),
            )
        )
        if big is None:
            continue
        t0, t1 = e2e.get(name, small), e2e.get(name, big)
        step = t1 / t0 if t0 and t1 else None
        rows.append(
            Row(
                f"envcheck {name}: time 1M / 100k",
                fmt_ratio(step),
                f"{fmt_time(t0)} → {fmt_time(t1)}",
                Target(f"≤ {SCALING:g}×", None if step is None else step <= SCALING),
            )
        )
        r0, r1 = e2e.get(name, small, "rss"), e2e.get(name, big, "rss")
        grown = r1 / r0 if r0 and r1 else None
        rows.append(
            Row(
                f"envcheck {name}: peak RSS 1M / 100k",
                fmt_ratio(grown),
                "-" if r1 is None else f"{r1 / 1024:.0f} MiB at 1M",
                Target(f"≤ {RSS_SCALING:g}×", None if grown is None else grown <= RSS_SCALING),
            )
        )
    for name in BASELINES:
        t0, t1 = e2e.get(name, small), e2e.get(name, big) if big else None
        rows.append(
            Row(
                f"{name} (baseline): time 1M / 100k",
                fmt_ratio(t1 / t0 if t0 and t1 else None),
                f"{fmt_time(t0)} → {fmt_time(t1)}",
            )
        )
    rows.append(section("adversarial files, one run of each command (must finish)"))
    for file in ADVERSARIAL:
        for name in (*COMMANDS, *BASELINES):
            case = e2e.cases.get((name, file))
            rss = e2e.get(name, file, "rss")
            rows.append(
                Row(
                    f"{name}, {file}",
                    fmt_time(e2e.get(name, file)),
                    note=("" if rss is None else f"RSS {rss / 1024:.0f} MiB; ") + _note(case),
                )
            )
    return rows
