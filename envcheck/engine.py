"""The core below every command: options in, typed results out; no printing, no click.

:func:`validate` is what ``check`` and ``exec`` (and the editor server) do:
read the config, load the project, run every enabled rule family and, when
asked, the live probe, and return one :class:`Checked`.  :func:`check` runs
the rules over a loaded project; the probe's findings go into the report as
it is built, never into a finished one.  :func:`probe` is ``envcheck
probe``'s run.  :func:`exit_code` maps a report to the exit code; merging
exit codes is :func:`envcheck.errors.worst`.

The rule modules are imported by the functions that run them: ``explain``
loads the project through here without importing any rule.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from envcheck.errors import EXIT_FINDINGS, EXIT_INCONCLUSIVE, EXIT_OK, worst
from envcheck.model import PROCESS, FrozenRecord, Record, Report, Severity
from envcheck.project import Config, Project, ProjectOptions, load, load_config

if TYPE_CHECKING:
    from envcheck.model import Finding
    from envcheck.probe import ProbeResult
    from envcheck.rules.base import CheckContext

__all__ = [
    "Checked",
    "ProbeOptions",
    "check",
    "exit_code",
    "probe",
    "relative_to_cwd",
    "validate",
]


class ProbeOptions(FrozenRecord):
    """How to probe (trusted: the command line): per-request ``timeout``, ``only`` these
    providers (None: all), ``min_credit``, whether keys may go to base URLs the env
    files name (``trust_base_url``), the days before a key's expiry to warn
    (``expiry_warn``), and whether the code may be read for the app's models (``code``)."""

    __slots__ = ("timeout", "only", "min_credit", "trust_base_url", "expiry_warn", "code")
    timeout: float
    only: frozenset[str] | None
    min_credit: float | None
    trust_base_url: bool
    expiry_warn: float
    code: bool

    def __init__(
        self,
        timeout: float = 5.0,
        only: frozenset[str] | None = None,
        min_credit: float | None = None,
        trust_base_url: bool = False,
        expiry_warn: float = 14.0,
        code: bool = True,
    ) -> None:
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "only", only)
        object.__setattr__(self, "min_credit", min_credit)
        object.__setattr__(self, "trust_base_url", trust_base_url)
        object.__setattr__(self, "expiry_warn", expiry_warn)
        object.__setattr__(self, "code", code)


class Checked(Record):
    """What :func:`validate` produced: the loaded project, its report, the config used."""

    __slots__ = ("project", "report", "config")
    project: Project
    report: Report
    config: Config

    def __init__(self, project: Project, report: Report, config: Config) -> None:
        self.project = project
        self.report = report
        self.config = config


def _read_text(project_dir: Path) -> Callable[[str], str | None]:
    from envcheck.sources.resolve import read_again

    def read(path: str) -> str | None:
        data = read_again(project_dir / path, within=project_dir)  # never a pipe or a device
        if data is None:
            return None
        # Every directive names envcheck: a file that never does is not decoded again.
        return data.decode("utf-8", "replace") if b"envcheck" in data else ""

    return read


def relative_to_cwd(project_dir: Path) -> str:
    """``project_dir`` as the report's ``base``: relative to the working directory."""
    try:
        relative = os.path.relpath(project_dir)
    except ValueError:  # another drive (Windows)
        return str(project_dir)
    return "" if relative == "." else relative.replace(os.sep, "/")


def run_families(ctx: CheckContext, families: Iterable[str]) -> list[Finding]:
    """Every family's findings, in family order, after every family's ``prepare``."""
    from envcheck.rules.registry import family_module

    modules = [family_module(family) for family in families]
    for module in modules:
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            prepare(ctx)
    findings: list[Finding] = []
    for module in modules:
        findings.extend(module.check(ctx))
    return findings


def filter_findings(
    findings: list[Finding],
    project_dir: Path,
    select: Sequence[str],
    ignore: Sequence[str],
    *,
    codes: frozenset[str] | None = None,
    extend: Sequence[str] = (),
) -> list[Finding]:
    """Keep the enabled rules' findings that no inline comment suppresses.

    ``select`` replaces the default rules, ``extend`` adds to them (see
    :func:`~envcheck.rules.registry.enabled_codes`); ``codes`` is their
    result when the caller has it already.
    """
    if codes is None:
        from envcheck.rules.registry import enabled_codes

        codes = enabled_codes(select, ignore, extend=extend)
    kept = [f for f in findings if f.code in codes]
    if not kept:
        return kept  # nothing to suppress: a clean run never reads the files again
    from envcheck.rules.suppress import apply

    return apply(kept, _read_text(project_dir))


def validate(
    options: ProjectOptions,
    *,
    settings: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    probe: ProbeOptions | None = None,
    files: bool = True,
    expiry_warn: float = 14.0,
) -> Checked:
    """What ``check`` and ``exec`` both do: config, project, rules, and the probe if asked.

    ``files=False`` reads no env file (``exec --process-env-only``).  With
    ``--target`` or ``--phase``, keys only another phase needs are optional.
    """
    config = load_config(options.directory, settings)
    project = load(options, config, files=files)
    if project.profile.name == "compose":  # a template holds a compose project to what it uses
        from envcheck.workspace.compose_schema import schema_for_compose

        schema = schema_for_compose(config.schema, options.directory, options.services)
        config = config.replace(schema=schema)
    if options.target or options.phase:  # keys only another phase needs: optional
        from envcheck.targets.phase import schema_for_phase

        schema = schema_for_phase(config.schema, project.profile, options.phase or "start")
        config = config.replace(schema=schema)
    report = check(
        project,
        config,
        select=select,
        ignore=ignore,
        explicit_files=bool(options.env_files),
        code=options.code,
        probe=probe,
        expiry_warn=expiry_warn,
    )
    if options.target:  # findings say which target; "missing" where the platform may hold it
        from envcheck.targets.resolve import name_target

        report = name_target(report, options.directory, options.target)
    return Checked(project, report, config)


@cache
def _enabled(
    select: tuple[str, ...], ignore: tuple[str, ...], extend: tuple[str, ...]
) -> frozenset[str]:
    """The codes ``check`` keeps, computed once per set of selectors (a workspace run checks
    200 apps with the same ones)."""
    from envcheck.rules.registry import CHECK_FAMILIES, enabled_codes

    return frozenset(enabled_codes(select, ignore, families=CHECK_FAMILIES, extend=extend))


def check(
    project: Project,
    config: Config,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    explicit_files: bool = False,
    code: bool = True,
    probe: ProbeOptions | None = None,
    expiry_warn: float = 14.0,
) -> Report:
    """The rules' findings over ``project`` (and the probe's, when ``probe`` is given).

    The command line's ``select`` picks rules and replaces the defaults; the
    config's ``select`` adds to them; both ``ignore`` lists drop rules.
    ``explicit_files``: only the ``--env-file`` files are checked; ``code``
    False (``--no-code``): the source is not read (:mod:`envcheck.rules.code`).
    """
    from envcheck.rules.base import CheckContext
    from envcheck.rules.registry import CHECK_FAMILIES

    config_select, config_ignore = config.rules()
    ignored = (*config_ignore, *ignore)
    # Only these families run, so only their rules' codes can be kept (the
    # other families are not even imported).
    codes = _enabled(tuple(select), tuple(ignored), tuple(config_select))
    schema = config.schema
    ctx = CheckContext(
        project_dir=project.project_dir,
        profile=project.profile,
        resolution=project.resolution,
        process_env=project.process_env,
        schema=schema,
        # expiry_warn: EC409's window for a JWT value's exp (--expiry-warn)
        options={"explicit_files": explicit_files, "code": code, "expiry_warn": expiry_warn},
        enabled=codes,
    )
    findings = run_families(ctx, CHECK_FAMILIES)
    kept = filter_findings(findings, project.project_dir, select, ignored, codes=codes)
    probed: list[Finding] = []
    inconclusive = False
    if probe is not None:
        probed, inconclusive = _probe_findings(project, config, probe, select, ignored)
    declared = getattr(schema, "keys", None) or {}
    return Report(
        code_keys=_code_keys(ctx) if code else 0,
        findings=kept + probed,
        framework=project.profile.name,
        mode=project.mode,
        files=checked_files(project.resolution.files, kept),
        inconclusive=inconclusive,
        base=relative_to_cwd(project.project_dir),
        schema=str(getattr(schema, "source", "") or "") if declared else "",
        schema_keys=len(declared),
        process_keys=_process_only(project, declared),
    )


def _code_keys(ctx: CheckContext) -> int:
    """How many keys the app's code reads by name (the code family read them already)."""
    from envcheck.rules.code import code_facts

    facts = code_facts(ctx)
    return 0 if facts is None else len({r.key for r in facts.reads if r.key})


def _probe_findings(
    project: Project,
    config: Config,
    options: ProbeOptions,
    select: Sequence[str],
    ignore: Sequence[str],
) -> tuple[list[Finding], bool]:
    """``check --probe``: the probe's enabled, unsuppressed findings, and whether it was
    inconclusive.  A refused destination raises (exit 2), it is not "inconclusive"."""
    from envcheck.probe.run import refuse_misconfigured
    from envcheck.rules.probe import exit_code as probe_exit_code
    from envcheck.rules.probe import findings

    results = probe(project, config, options)
    refuse_misconfigured(results)
    kept = filter_findings(
        findings(results),
        project.project_dir,
        select,
        ignore,
        extend=config.select,  # the config's select adds rules; --select picks them
    )
    return kept, probe_exit_code(results) == EXIT_INCONCLUSIVE


def probe(
    project: Project,
    config: Config,
    options: ProbeOptions,
    *,
    var: str | None = None,
    model: str | None = None,
    billable: bool = False,
    use_cache: bool = True,
) -> list[ProbeResult]:
    """Probe the project's API keys live: one result per key (``var``: only that one)."""
    from envcheck.probe.run import run_probes

    return run_probes(
        project.resolution,
        var=var,
        timeout=options.timeout,
        model=model,
        billable=billable,
        use_cache=use_cache,
        environ=project.process_env,
        schema=config.schema,
        only=options.only,
        min_credit=options.min_credit,
        trust_base_url=options.trust_base_url,
        expiry_warn=options.expiry_warn,
        code_dir=project.project_dir if options.code else None,  # the models the code names
    )


def checked_files(read: Sequence[str], findings: Iterable[Finding]) -> list[str]:
    """The files the app reads, then the other files the rules checked and report on.

    The security rules also look at env files this mode does not read (a
    tracked ``.env.production``); a summary "in 1 file" above findings in two
    files would be wrong, so every file a finding names is counted.
    """
    files = list(read)
    seen = set(files)
    for finding in findings:
        path = finding.location.path
        if path and path != PROCESS and path not in seen:
            seen.add(path)
            files.append(path)
    return files


def _process_only(project: Project, declared: Iterable[str]) -> int:
    """How many declared keys the app gets from the process alone (no file defines them)."""
    variables = project.resolution.vars
    return sum(
        1
        for name in declared
        if (r := variables.get(name)) is not None and r.origin.is_process and not r.shadowed
    )


def exit_code(report: Report, *, strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings with --strict), 3 only an inconclusive probe.

    A run that checked nothing (no env file, no schema) exits 0, since a
    project may have no configuration at all, and says so; ``--strict``
    makes it fail like a warning, for CI jobs that must check something.
    An inconclusive probe's own failures (EC708) do not make the run
    definitive: they leave it at 3.
    """
    if strict and report.checked_nothing:
        return EXIT_FINDINGS
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    definitive = [f for f in report.findings if f.severity in failing]
    if report.inconclusive:
        definitive = [f for f in definitive if f.code != "EC708"]
    return worst(
        (
            EXIT_FINDINGS if definitive else EXIT_OK,
            EXIT_INCONCLUSIVE if report.inconclusive else EXIT_OK,
        )
    )
