"""``envcheck probe``: check live that each API key works and its account can pay.

Thin on purpose: load the project, :func:`~envcheck.probe.run.run_probes`,
print, and return the contract's exit code (0 all valid, 1 a definitive
failure or a key the schema marks for probing that is set nowhere, 3 only
inconclusive; 2 when there is nothing to probe at all, or a key was refused
for its configuration, such as a destination nothing trusted chose).  Machine formats
(json, github, sarif) go to stdout alone so they can be piped; github and
sarif reuse the report renderers, so an annotation of a probe finding looks
like any other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.commands.reporting import probe_options, probe_request
from envcheck.fanout.hook import workspace_hook
from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.schema.interpreter import python_option


def render_text(results: Sequence[ProbeResult]) -> str:
    """One line per key (rule code, verdict, message) and its hint."""
    from envcheck.report.sanitize import for_terminal
    from envcheck.rules.probe import RULE_FOR

    if not results:
        return "nothing probed"
    lines = []
    for res in results:
        rule = RULE_FOR[res.verdict]
        mark = "ok" if res.verdict is ProbeVerdict.VALID else rule.severity.value
        lines.append(f"{mark}: {rule.code} {rule.name}  {for_terminal(res.message)}")
        if res.hint:
            lines.append(f"   hint: {for_terminal(res.hint)}")
    return "\n".join(lines)


def render_json(results: Sequence[ProbeResult]) -> str:
    """The results as JSON; no field can hold a key (messages are masked).

    ``{"exit_code": int, "results": [...]}``, one result per key and model:
    ``var``, ``provider``, ``verdict``, ``code`` (the EC7xx rule), ``message``,
    ``hint``, ``origin``, ``detail`` (small facts: status, error code, limits),
    ``requests``, and four fields that are null when the answer did not say:
    ``model`` (the model the verdict proved), ``organization`` and ``project``
    (whose account answered: OpenAI's ``openai-organization`` /
    ``openai-project`` headers, Anthropic's ``anthropic-organization-id``),
    ``expires_at`` (ISO 8601 UTC: a JWT's ``exp``, GitHub's token expiration).
    """
    from envcheck.probe import ACCOUNT_FIELDS
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
                **{name: r.fact(name) for name in ACCOUNT_FIELDS},
            }
            for r in results
        ],
    }
    return json.dumps(payload, indent=2)


def render_report(results: Sequence[ProbeResult], fmt: str, project: Any) -> str:
    """github / sarif: every result (valid ones as notices) through the shared reporters."""
    from envcheck.engine import relative_to_cwd
    from envcheck.model import Report
    from envcheck.report import render
    from envcheck.rules.probe import RULE_FOR, findings

    report = Report(
        findings(results),
        framework=project.profile.name,
        mode=project.mode,
        files=list(project.resolution.files),
        base=relative_to_cwd(project.project_dir),
    )
    if fmt == "github":
        # A notice per valid key tells the job log what was checked; SARIF keeps
        # only problems, as code scanning expects.
        return render(report, fmt)
    report.findings = [f for f in report.findings if f.code != RULE_FOR[ProbeVerdict.VALID].code]
    return render(report, fmt)


@click.command("probe")
@click.option("--var", "var", metavar="NAME", default=None, help="Probe only this variable.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=300),
    default=5.0,
    show_default=True,
    help="Time limit for each request as a whole (connect, headers, body), in seconds.",
)
@click.option(
    "--model",
    default=None,
    help="Model to probe with (default: the models the app names, OPENAI_MODEL, the schema's "
    "model, the code's; else a dated snapshot).",
)
@click.option(
    "--billable",
    is_flag=True,
    help="Allow a one-token request when the zero-cost probe cannot decide (costs a fraction "
    "of a cent).",
)
@click.option("--no-cache", is_flag=True, help="Ignore cached 'valid' verdicts.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
)
@probe_options
@python_option
@project_options
@workspace_hook("probe")  # at a monorepo root: every app
def probe(
    var: str | None,
    provider_names: tuple[str, ...],
    timeout: float,
    model: str | None,
    billable: bool,
    min_credit: float | None,
    trust_base_url: bool,
    no_cache: bool,
    fmt: str,
    **opts: Any,
) -> int:
    """Check live that API keys work and have credit (one zero-cost request each)."""
    from envcheck import engine
    from envcheck.project import load, load_config
    from envcheck.rules.probe import exit_code

    options = options_from({**opts, "project_dir": opts.get("project_dir") or Path.cwd()})
    config = load_config(options.directory)
    project = load(options, config)
    request = probe_request(
        timeout,
        provider_names,
        min_credit,
        trust_base_url,
        expiry_warn=opts.get("expiry_warn", 14.0),
        code=options.code,
    )
    results = engine.probe(
        project, config, request, var=var, model=model, billable=billable, use_cache=not no_cache
    )
    if fmt == "json":
        click.echo(render_json(results))
    elif fmt in ("github", "sarif"):
        click.echo(render_report(results, fmt, project))
    else:
        click.echo(render_text(results))
    return exit_code(results)
