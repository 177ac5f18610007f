"""Issue 14's scale case: ``envcheck check`` at a root of 200 apps against one app alone.

A generated npm workspace: 200 Next.js and Vite apps, each with a
``package.json``, a ``.env.example`` and a ``.env.local`` (a URL with a
password, a public key, an empty secret, a few plain keys; every 10th app
leaks a key under its public prefix), all in one git repository, as a real
monorepo is.  Both cases are fresh processes: ``envcheck check`` at the root
(every app, in parallel) and ``envcheck check`` inside one app.  Target:
the root in ≤ 3× the time of the one app (issue #24: the git listing, the
code scans and the enabled rules are shared by the apps, once per run).
Both pools (forked processes, the default, and threads) are timed.

Run alone: ``.venv/bin/python bench/workspace_bench.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import Case, interleave
from table import Row, Target, fmt_ratio, fmt_time, render, section

__all__ = ["APPS", "SCALE_TARGET", "run_workspace", "write_workspace"]

APPS = 200
SCALE_TARGET = 3.0  # × one app (issue #24)


def write_workspace(root: Path, apps: int = APPS) -> Path:
    """A git repository holding an npm workspace of ``apps`` apps; returns the root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"private": true, "workspaces": ["apps/*"]}\n')
    (root / ".gitignore").write_text("node_modules\n.env*.local\n")
    for i in range(apps):
        vite = i % 2 == 1
        prefix = "VITE_" if vite else "NEXT_PUBLIC_"
        dependency = '"vite": "6.0.0"' if vite else '"next": "15.1.0"'
        app = root / "apps" / f"app{i:03}"
        app.mkdir(parents=True)
        (app / "package.json").write_text(
            f'{{"name": "app{i:03}", "private": true, "dependencies": {{{dependency}}}}}\n'
        )
        (app / ".env.example").write_text(
            f"DATABASE_URL=\n{prefix}SITE_URL=\nOPENAI_API_KEY=\nLOG_LEVEL=info\n"
        )
        leak = f"{prefix}STRIPE_KEY=sk_live_{'Bench' * 5}{i:04}\n" if i % 10 == 0 else ""
        (app / ".env.local").write_text(
            f"DATABASE_URL=postgres://app:pw{i}@localhost:5432/app{i}\n"
            f"{prefix}SITE_URL=http://localhost:{3000 + i}\n"
            f"OPENAI_API_KEY=\nLOG_LEVEL=debug\nFEATURE_{i}=on\n{leak}"
        )
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@b", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "bench"], cwd=root, check=True)
    return root


def run_workspace(root: Path, env: dict[str, str], reps: int, tmp: Path) -> list[Row]:
    """Time the root (both pools) and one app, interleaved; the table rows."""
    workspace = write_workspace(tmp / "workspace")
    envcheck = str(root / ".venv" / "bin" / "envcheck")
    one = Case(
        "envcheck check (one app, inside it)",
        [envcheck, "check"],
        cwd=workspace / "apps" / "app000",
        env=env,
        ok_codes=(0, 1),
    )
    at_root = Case(
        f"envcheck check ({APPS} apps, at the root)",
        [envcheck, "check"],
        cwd=workspace,
        env=env,
        ok_codes=(0, 1),
    )
    threads = Case(
        f"envcheck check ({APPS} apps, thread pool)",
        [envcheck, "check"],
        cwd=workspace,
        env={**env, "ENVCHECK_WORKSPACE_POOL": "thread"},
        ok_codes=(0, 1),
    )
    interleave([one, at_root, threads], reps)
    rows = [section(f"monorepo: {APPS} apps at the root against one app, median of {reps} runs")]
    base, base_cpu = one.median(), one.median("cpu")
    for case in (one, at_root, threads):
        if case.error:
            rows.append(Row(case.name, "failed", note=case.error))
            continue
        t = case.median()
        ratio = t / base if t is not None and base else None
        target = None
        if case is at_root:
            met = None if ratio is None else ratio <= SCALE_TARGET
            target = Target(f"≤ {SCALE_TARGET:g}× one app", met)
        rss, cpu = case.median("rss"), case.median("cpu")
        # CPU (the workers' too, once reaped): steadier than wall time on a shared machine,
        # and with every core busy elsewhere the wall ratio tends to it
        cpu_ratio = "" if case is one or not cpu or not base_cpu else f" ({cpu / base_cpu:.2f}×)"
        cpu_note = "" if cpu is None else f"CPU {fmt_time(cpu)}{cpu_ratio}, "
        rows.append(
            Row(
                case.name,
                fmt_time(t),
                "baseline" if case is one else f"{fmt_ratio(ratio)} one app",
                target,
                note="" if rss is None else f"{cpu_note}peak RSS {rss / 1024:.0f} MiB",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="envcheck-workspace-bench-") as scratch:
        tmp = Path(scratch)
        (tmp / "home").mkdir()
        # PYTHONDONTWRITEBYTECODE: an installed envcheck has its bytecode; without it
        # every sample would compile the modules changed since the last written cache.
        dropped = ("NODE_ENV", "XDG_CACHE_HOME", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env["HOME"] = str(tmp / "home")
        print(render(run_workspace(root, env, args.reps, tmp)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
