"""Reading the app's code (issue #25): what ``check`` pays for the EC9xx facts.

Two projects, each checked with code reading and with ``--no-code`` (the
run as it was before issue #25):

* a generated pnpm monorepo of 5,000 source files (10 Next.js apps of 500
  files each; 250 of the files read env, the rest do not), *cold* (the
  code-facts cache removed before every run, so every file is walked and the
  250 parsed) and *warm* (the cache kept); targets: cold ≤ 1.5 s, warm ≤ 1.2×
  the ``--no-code`` run (wall time; the CPU-time ratio is noted beside it, steadier
  on a shared machine);
* the 6-key Next.js project of :mod:`cold` with a few source files; target:
  ≤ 15 ms over ``--no-code``.

Run alone: ``.venv/bin/python bench/code_bench.py [--reps N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from measure import Case, interleave
from table import Row, Target, fmt_ratio, fmt_time, render, section

__all__ = ["run_code", "write_monorepo"]

APPS = 10
FILES_PER_APP = 500
READING_PER_APP = 25  # 10 × 25 = 250 files with env reads
COLD_TARGET = 1.5  # seconds
WARM_TARGET = 1.2  # × --no-code
NEXT_OVER = 0.015  # seconds over --no-code


def write_monorepo(root: Path) -> Path:
    """A pnpm workspace of :data:`APPS` Next.js apps, 5,000 source files in all."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"name": "mono", "private": true}\n')
    (root / "pnpm-workspace.yaml").write_text("packages:\n  - apps/*\n")
    for a in range(APPS):
        app = root / "apps" / f"app{a}"
        (app / "src" / "lib").mkdir(parents=True)
        (app / "package.json").write_text(
            json.dumps({"name": f"app{a}", "private": True, "dependencies": {"next": "15.0.0"}})
        )
        (app / ".env").write_text(f"API_URL_{a}=https://api.example.com\nPORT=3000\n")
        for f in range(FILES_PER_APP):
            if f < READING_PER_APP:
                text = (
                    f"const url = process.env.API_URL_{a};\n"
                    'const port = process.env.PORT ?? "3000";\n'
                    f"export function f{f}(): string {{\n  return `${{url}}:${{port}}`;\n}}\n"
                )
            else:
                text = (
                    f"export function g{f}(x: number): number {{\n  const y = x * {f};\n"
                    "  return y + 1;\n}\n"
                )
            (app / "src" / "lib" / f"m{f}.ts").write_text(text)
    return root


def _next_with_code(directory: Path) -> Path:
    from cold import write_next_project

    project = write_next_project(directory)
    (project / "app").mkdir(exist_ok=True)
    (project / "app" / "page.tsx").write_text(
        "export default function Page() {\n"
        "  return <a href={process.env.NEXT_PUBLIC_SITE_URL}>{process.env.LOG_LEVEL}</a>;\n}\n"
    )
    (project / "app" / "db.ts").write_text("export const url = process.env.DATABASE_URL;\n")
    (project / "app" / "layout.tsx").write_text(
        "export default function Layout({ children }: { children: unknown }) {\n"
        "  return children;\n}\n"
    )
    return project


def run_code(root: Path, env: dict[str, str], reps: int, tmp: Path) -> list[Row]:
    envcheck = str(root / ".venv" / "bin" / "envcheck")
    cache = tmp / "code-cache-cold"  # removed before every cold run; the others keep theirs
    coded = {**env, "XDG_CACHE_HOME": str(tmp / "code-cache")}
    mono = write_monorepo(tmp / "code-mono")
    check = [envcheck, "check", str(mono)]
    cold = Case(
        "check, 5,000-file monorepo, code cache cold",
        ["sh", "-c", f'rm -rf "{cache}" && exec "$@"', "sh", *check],
        env={**env, "XDG_CACHE_HOME": str(cache)},
        ok_codes=(0, 1),
    )
    warm = Case("check, 5,000-file monorepo, code cache warm", check, env=coded, ok_codes=(0, 1))
    plain = Case(
        "check --no-code, same monorepo", [*check, "--no-code"], env=coded, ok_codes=(0, 1)
    )
    project = _next_with_code(tmp / "code-next")
    next_code = Case(
        "check, 6-key Next.js project, reading its code",
        [envcheck, "check", str(project)],
        env=coded,
        ok_codes=(0, 1),
    )
    next_plain = Case(
        "check --no-code, same project",
        [envcheck, "check", str(project), "--no-code"],
        env=coded,
        ok_codes=(0, 1),
    )
    interleave([cold, warm, plain, next_code, next_plain], reps)
    rows = [section(f"reading the code (issue #25): wall time, median of {reps} runs")]
    base = plain.median()
    for case, target in (
        (cold, None),
        (warm, WARM_TARGET),
        (plain, None),
    ):
        t = case.median()
        if case.error:
            rows.append(Row(case.name, "failed", note=case.error))
            continue
        if case is cold:
            judged = Target(f"≤ {COLD_TARGET} s", None if t is None else t <= COLD_TARGET)
            rows.append(Row(case.name, fmt_time(t), "", judged))
        elif target is not None:
            ratio = t / base if t is not None and base else None
            judged = Target(f"≤ {target}× --no-code", None if ratio is None else ratio <= target)
            cpu, cpu_base = case.median("cpu"), plain.median("cpu")
            note = f"CPU {fmt_ratio(cpu / cpu_base)} --no-code" if cpu and cpu_base else ""
            rows.append(
                Row(case.name, fmt_time(t), f"{fmt_ratio(ratio)} --no-code", judged, note=note)
            )
        else:
            rows.append(Row(case.name, fmt_time(t), "baseline"))
    t, b = next_code.median(), next_plain.median()
    over = t - b if t is not None and b is not None else None
    rows.append(
        Row(
            next_code.name,
            fmt_time(t),
            ""
            if over is None
            else f"{'+' if over >= 0 else '-'}{fmt_time(abs(over))} over --no-code",
            Target(f"≤ +{NEXT_OVER * 1000:.0f} ms", None if over is None else over <= NEXT_OVER),
            note=next_code.error or "",
        )
    )
    rows.append(Row(next_plain.name, fmt_time(b), "baseline", note=next_plain.error or ""))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="envcheck-code-bench-") as scratch:
        tmp = Path(scratch)
        (tmp / "home").mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("NODE_ENV", "XDG_CACHE_HOME")}
        env["HOME"] = str(tmp / "home")
        print(render(run_code(root, env, args.reps, tmp)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
