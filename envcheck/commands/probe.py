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
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.commands.reporting import probe_options, probe_request
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun, under
from envcheck.model import Record, Report
from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.schema.interpreter import python_option
from envcheck.sources.types import Origin


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
        lines.append(f"{mark}: {rule.code} {rule.name}  {for_terminal(res.headline)}")
        if res.model_at is not None:
            lines.append(f"   model named at: {for_terminal(str(res.model_at))}")
        if res.hint:
            lines.append(f"   hint: {for_terminal(res.hint)}")
    return "\n".join(lines)


def render_json(results: Sequence[ProbeResult]) -> str:
    """The results as indented JSON (:func:`probe_document`)."""
    return json.dumps(probe_document(results), indent=2)


def probe_document(results: Sequence[ProbeResult]) -> dict[str, Any]:
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

    return {
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


def _report(view: Probed, fmt: str) -> Report:
    """github / sarif: every result (valid ones as notices, github only) as findings."""
    from envcheck.rules.probe import RULE_FOR, findings

    found = findings(view.results)
    if fmt != "github":
        # A notice per valid key tells the job log what was checked; SARIF keeps
        # only problems, as code scanning expects.
        found = [f for f in found if f.code != RULE_FOR[ProbeVerdict.VALID].code]
    return Report(
        found, framework=view.framework, mode=view.mode, files=list(view.files), base=view.base
    )


class Probed(Record):
    """One project's probe verdicts and where they were read: plain data (the verdicts'
    messages are masked), so one app's probe crosses from a workspace worker to the
    merge (:class:`envcheck.fanout.result.AppView`), which renders it.  ``base`` is
    the project directory relative to the working directory (CI annotations)."""

    __slots__ = ("results", "framework", "mode", "files", "base")
    results: tuple[ProbeResult, ...]
    framework: str
    mode: str
    files: tuple[str, ...]
    base: str

    def __init__(
        self,
        results: tuple[ProbeResult, ...],
        framework: str,
        mode: str,
        files: tuple[str, ...],
        base: str,
    ) -> None:
        self.results = results
        self.framework = framework
        self.mode = mode
        self.files = files
        self.base = base

    def stdout(self, fmt: str) -> str:
        if fmt == "json":
            return render_json(self.results) + "\n"
        if fmt in ("github", "sarif"):
            from envcheck.report import render

            return render(_report(self, fmt), fmt) + "\n"
        return render_text(self.results) + "\n"

    def notes(self, fmt: str) -> tuple[str, ...]:
        return ()

    def document(self) -> dict[str, Any]:
        return probe_document(self.results)

    def report(self, fmt: str) -> Report | None:
        return _report(self, fmt)

    def rebased(self, prefix: str) -> Probed:
        def moved(origin: Origin) -> Origin:
            return (
                origin if origin.is_process else origin.replace(source=under(prefix, origin.source))
            )

        return self.replace(
            results=tuple(replace(r, origin=moved(r.origin)) for r in self.results),
            files=tuple(under(prefix, f) for f in self.files),
        )


def _probed(
    var: str | None,
    provider_names: tuple[str, ...],
    timeout: float,
    model: str | None,
    billable: bool,
    min_credit: float | None,
    trust_base_url: bool,
    no_cache: bool,
    **opts: Any,
) -> Probed:
    """The probe of the project the command line names (one app at a root)."""
    from envcheck import engine
    from envcheck.engine import relative_to_cwd
    from envcheck.project import load, load_config

    opts.pop("fmt", None)
    options = options_from({**opts, "project_dir": opts.get("project_dir") or Path.cwd()})
    config = load_config(options.directory)
    project = load(options, config)
    request = probe_request(
        True,
        timeout,
        provider_names,
        min_credit,
        trust_base_url,
        expiry_warn=opts.get("expiry_warn"),
        code=options.code,
    )
    assert request is not None
    results = engine.probe(
        project, config, request, var=var, model=model, billable=billable, use_cache=not no_cache
    )
    return Probed(
        tuple(results),
        project.profile.name,
        project.mode,
        tuple(project.resolution.files),
        relative_to_cwd(project.project_dir),
    )


def probe_app(call: dict[str, Any]) -> tuple[AppRun, None]:
    """One app of a workspace root: its verdicts as data (the merge renders them)."""
    from envcheck.rules.probe import exit_code

    view = _probed(**call)
    return AppRun(exit_code(view.results), view=view), None


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
@workspace_hook("probe", probe_app)  # at a monorepo root: every app
def probe(fmt: str, **opts: Any) -> int:
    """Check live that API keys work and have credit (one zero-cost request each)."""
    from envcheck.rules.probe import exit_code

    view = _probed(**opts)  # the probe options, named once in _probed's signature
    click.echo(view.stdout(fmt), nl=False)
    return exit_code(view.results)
