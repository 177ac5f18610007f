"""Cold start on ``fixtures/demo``: envcheck against the tools people would otherwise run.

Every case is a fresh process doing its smallest useful job on the demo
project: ``envcheck check`` and ``envcheck explain --all``, python-dotenv's
CLI listing ``.env``, wemake's ``dotenv-linter``, ``dotenvx get`` and a bare
``python -c "import click"`` (the floor for any click CLI on this Python).
The target (issue 2): ``envcheck check`` within 1.2× of ``dotenv list``.

Then issue 13's case: ``envcheck check`` on a small Next.js project (a
``package.json`` depending on ``next`` and a 6-key ``.env``), against
``python -m dotenv -f .env list`` on the same file, target ≤ 1.0×.
"""

from __future__ import annotations

from pathlib import Path

from measure import Case, interleave
from table import Row, Target, fmt_ratio, fmt_time, section

__all__ = ["COLD_TARGET", "NEXT_TARGET", "run_cold", "write_next_project"]

COLD_TARGET = 1.2  # × dotenv list
NEXT_TARGET = 1.0  # × python -m dotenv list, on the 6-key Next.js project

_NEXT_ENV = (
    "DATABASE_URL=postgres://app:secret@localhost:5432/app\n"
    "NEXT_PUBLIC_SITE_URL=http://localhost:3000\n"
    "NEXTAUTH_URL=http://localhost:3000\n"
    "NEXTAUTH_SECRET=change-me-in-production\n"
    'STRIPE_WEBHOOK_SECRET=""\n'
    "LOG_LEVEL=debug\n"
)


def write_next_project(directory: Path) -> Path:
    """A Next.js project with a 6-key ``.env``; returns its directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "package.json").write_text(
        '{"name": "app", "private": true, "dependencies": {"next": "15.1.0"}}\n',
        encoding="utf-8",
    )
    (directory / ".env").write_text(_NEXT_ENV, encoding="utf-8")
    return directory


def cases(root: Path, env: dict[str, str]) -> tuple[list[Case], Case]:
    """The cold-start cases, and the baseline they are compared with."""
    bin_ = root / ".venv" / "bin"
    demo = root / "fixtures" / "demo"
    dotenvx = root / "oracles" / "node_modules" / ".bin" / "dotenvx"
    baseline = Case(
        "dotenv -f .env list (python-dotenv CLI)",
        [str(bin_ / "dotenv"), "-f", str(demo / ".env"), "list"],
        env=env,
    )
    out = [
        # `check` exits 1 on the demo: it has findings on purpose.
        Case(
            "envcheck check", [str(bin_ / "envcheck"), "check", str(demo)], env=env, ok_codes=(0, 1)
        ),
        Case(
            "envcheck explain --all",
            [str(bin_ / "envcheck"), "explain", "--all", str(demo)],
            env=env,
        ),
        baseline,
        # dotenv-linter exits 1 when it has something to say (it does: a quoted value).
        Case(
            "dotenv-linter .env (wemake)",
            [str(bin_ / "dotenv-linter"), str(demo / ".env")],
            env=env,
            ok_codes=(0, 1),
        ),
        Case("dotenvx get -f .env (npm)", [str(dotenvx), "get", "-f", str(demo / ".env")], env=env),
        Case('python -c "import click"', [str(bin_ / "python"), "-c", "import click"], env=env),
    ]
    return out, baseline


def _note(case: Case, base_cpu: float | None) -> str:
    """CPU time (and its ratio): steadier than wall time when the machine is shared."""
    cpu, rss = case.median("cpu"), case.median("rss")
    if cpu is None or rss is None:
        return ""
    ratio = f" ({fmt_ratio(cpu / base_cpu)})" if base_cpu else ""
    return f"CPU {fmt_time(cpu)}{ratio}, peak RSS {rss / 1024:.0f} MiB"


def _next_cases(root: Path, env: dict[str, str], project: Path) -> tuple[Case, Case]:
    bin_ = root / ".venv" / "bin"
    ours = Case(
        "envcheck check (6-key Next.js project)",
        [str(bin_ / "envcheck"), "check", str(project)],
        cwd=project,
        env=env,
        ok_codes=(0, 1),
    )
    base = Case(
        "python -m dotenv -f .env list (same project)",
        [str(bin_ / "python"), "-m", "dotenv", "-f", str(project / ".env"), "list"],
        cwd=project,
        env=env,
    )
    return ours, base


def run_cold(root: Path, env: dict[str, str], reps: int, tmp: Path) -> list[Row]:
    """Time the cases interleaved and return the table rows."""
    todo, baseline = cases(root, env)
    ours, next_base = _next_cases(root, env, write_next_project(tmp / "next-app"))
    interleave([*todo, ours, next_base], reps)
    base, base_cpu = baseline.median(), baseline.median("cpu")
    rows = [
        section(
            f"cold start on fixtures/demo: wall time, median of {reps} interleaved runs "
            "after a warm-up"
        )
    ]
    for case in todo:
        if case.error:
            rows.append(Row(case.name, "failed", note=case.error))
            continue
        t = case.median()
        ratio = t / base if t is not None and base else None
        target = None
        if case.name.startswith("envcheck"):
            target = Target(
                f"≤ {COLD_TARGET}× dotenv list", None if ratio is None else ratio <= COLD_TARGET
            )
        rows.append(
            Row(
                case.name,
                fmt_time(t),
                "baseline" if case is baseline else f"{fmt_ratio(ratio)} dotenv list",
                target,
                note=_note(case, base_cpu),
            )
        )
    t, base_next = ours.median(), next_base.median()
    ratio = t / base_next if t and base_next else None
    rows.append(
        Row(
            ours.name,
            fmt_time(t) if not ours.error else "failed",
            f"{fmt_ratio(ratio)} python -m dotenv list",
            Target(
                f"≤ {NEXT_TARGET}× dotenv list", None if ratio is None else ratio <= NEXT_TARGET
            ),
            note=ours.error or _note(ours, next_base.median("cpu")),
        )
    )
    rows.append(
        Row(
            next_base.name,
            fmt_time(base_next) if not next_base.error else "failed",
            "baseline",
            note=next_base.error or _note(next_base, next_base.median("cpu")),
        )
    )
    return rows
