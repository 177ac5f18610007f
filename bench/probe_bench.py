"""``envcheck probe`` against the loopback server from the tests: cold and cached.

A temporary project holds a fake OpenAI key whose base URL points at
``tests/probe_server.py`` answering the recorded "funded key" reply.  Cold
runs pass ``--no-cache`` (one request each); cached runs reuse the verdict
cache a first run wrote (no request).  The request count is read from the
server and from the command's JSON (``requests``), one extra run of each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from measure import Case, interleave
from table import Row, Target, fmt_time, section

__all__ = ["available", "run_probe"]

FAKE_KEY = "sk-proj-BENCHxBENCHxBENCHxBENCHxBENCHxBENCHxBENCHxBENCH0001"


def available(root: Path) -> bool:
    return (root / "envcheck" / "probe").is_dir() and (root / "tests" / "probe_server.py").is_file()


def _requests_of(argv: list[str], env: dict[str, str]) -> int | None:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    try:
        results = json.loads(done.stdout)["results"]
    except (ValueError, KeyError, TypeError):
        return None
    return sum(int(r.get("requests", 0)) for r in results)


def run_probe(root: Path, env: dict[str, str], tmp: Path, reps: int) -> list[Row]:
    heading = section(
        f"probe: one OpenAI key against a loopback server, wall time, median of {reps}"
    )
    if not available(root):
        return [
            heading,
            Row("TODO probe cold / cached", note="envcheck/probe or tests/probe_server.py missing"),
        ]
    sys.path.insert(0, str(root))
    from tests.probe_server import Reply, load_cases, serve

    case = next((c for c in load_cases() if c["name"] == "funded-param-error"), None)
    reply = (
        Reply.from_case(case)
        if case
        else Reply(200, {"id": "x", "object": "chat.completion", "choices": []})
    )
    project, cache = tmp / "probe-project", tmp / "probe-cache"
    project.mkdir(exist_ok=True)
    cache.mkdir(exist_ok=True)
    child_env = {**env, "XDG_CACHE_HOME": str(cache)}
    envcheck = str(root / ".venv" / "bin" / "envcheck")
    # The loopback base URL comes from the .env file: the probe must be told to trust it.
    base = [envcheck, "probe", "--framework", "dotenv", "--format", "json", "--trust-base-url"]
    base += ["--dir", str(project)]
    with serve(reply) as server:
        (project / ".env").write_text(
            f"OPENAI_API_KEY={FAKE_KEY}\nOPENAI_BASE_URL={server.base_url}\n", encoding="utf-8"
        )
        cold = Case("envcheck probe, cold (--no-cache)", [*base, "--no-cache"], env=child_env)
        cached = Case("envcheck probe, cached verdict", base, env=child_env)
        interleave([cold, cached], reps)
        before = len(server.requests)
        cold_reported = _requests_of(cold.argv, child_env)  # type: ignore[arg-type]
        cold_seen = len(server.requests) - before
        before = len(server.requests)
        cached_reported = _requests_of(cached.argv, child_env)  # type: ignore[arg-type]
        cached_seen = len(server.requests) - before
    rows = [heading]
    for c, seen, reported, want in (
        (cold, cold_seen, cold_reported, 1),
        (cached, cached_seen, cached_reported, 0),
    ):
        if c.error:
            rows.append(Row(c.name, "failed", note=c.error))
            continue
        rows.append(
            Row(
                c.name,
                fmt_time(c.median()),
                f"{seen} request(s)",
                Target(f"{want} request(s)", seen == want and reported == want),
                note=f"reported by envcheck: {reported}",
            )
        )
    return rows
