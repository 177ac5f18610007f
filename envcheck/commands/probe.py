"""``envcheck probe``: check live that each API key works and its account can pay.

Thin on purpose: load the project, :func:`~envcheck.probe.run.run_probes`,
print, and return the contract's exit code (0 all valid, 1 a definitive
failure, 3 only inconclusive).  JSON goes to stdout alone so it can be piped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import load_project, project_options
from envcheck.probe import ProbeResult, ProbeVerdict


def render_text(results: Sequence[ProbeResult]) -> str:
    """One line per key (rule code, verdict, message) and its hint."""
    from envcheck.rules.probe import RULE_FOR

    if not results:
        return 'no API keys to probe (set probe = "openai" for a key in the schema, or --var)'
    lines = []
    for res in results:
        rule = RULE_FOR[res.verdict]
        mark = "ok" if res.verdict is ProbeVerdict.VALID else rule.severity.value
        lines.append(f"{mark}: {rule.code} {rule.name}  {res.message}")
        if res.hint:
            lines.append(f"   hint: {res.hint}")
    return "\n".join(lines)


def render_json(results: Sequence[ProbeResult]) -> str:
    """The results as JSON; no field can hold a key (messages are masked)."""
    from envcheck.rules.probe import RULE_FOR, exit_code

    payload = {
        "exit_code": exit_code(results),
        "results": [
            {
                "var": r.var,
                "provider": r.provider,
                "verdict": r.verdict.value,
                "code": RULE_FOR[r.verdict].code,
                "message": r.message,
                "hint": r.hint,
                "origin": str(r.origin),
                "detail": r.detail,
                "requests": r.requests,
            }
            for r in results
        ],
    }
    return json.dumps(payload, indent=2)


@click.command("probe")
@click.option("--var", "var", metavar="NAME", default=None, help="Probe only this variable.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=300),
    default=5.0,
    show_default=True,
    help="Connect and read timeout per request, in seconds.",
)
@click.option("--model", default=None, help="Model to probe with (default: a dated snapshot).")
@click.option(
    "--billable",
    is_flag=True,
    help="Allow a one-token request when the zero-cost probe cannot decide (costs a fraction "
    "of a cent).",
)
@click.option("--no-cache", is_flag=True, help="Ignore cached 'valid' verdicts.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@project_options
def probe(
    var: str | None,
    timeout: float,
    model: str | None,
    billable: bool,
    no_cache: bool,
    fmt: str,
    **opts: Any,
) -> int:
    """Check live that API keys work and have credit (one zero-cost request each)."""
    from envcheck.commands.reporting import load_config
    from envcheck.probe.run import run_probes
    from envcheck.rules.probe import exit_code

    project_dir = opts.pop("project_dir", None) or Path.cwd()
    config = load_config(project_dir)
    project = load_project(project_dir=project_dir, **config.project_defaults(opts))
    results = run_probes(
        project.resolution,
        var=var,
        timeout=timeout,
        model=model,
        billable=billable,
        use_cache=not no_cache,
        environ=project.process_env,
        schema=config.schema,
    )
    click.echo(render_json(results) if fmt == "json" else render_text(results))
    return exit_code(results)
