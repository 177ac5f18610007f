"""The check pipeline without any printing: project -> findings -> Report.

``check`` runs every enabled rule family over a loaded project, drops
findings suppressed inline, and returns a Report; the CLI decides the
format and the exit code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.errors import EXIT_FINDINGS, EXIT_INCONCLUSIVE, EXIT_OK
from envcheck.model import PROCESS, Finding, Report, Severity
from envcheck.rules.base import CheckContext
from envcheck.rules.registry import CHECK_FAMILIES, enabled_codes, family_module

if TYPE_CHECKING:
    from envcheck.commands.common import Project


def _read_text(project_dir: Path) -> Callable[[str], str | None]:
    from envcheck.sources.resolve import read_again

    def read(path: str) -> str | None:
        data = read_again(project_dir / path, within=project_dir)  # never a pipe or a device
        return None if data is None else data.decode("utf-8", "replace")

    return read


def _relative_to_cwd(project_dir: Path) -> str:
    try:
        relative = os.path.relpath(project_dir)
    except ValueError:  # another drive (Windows)
        return str(project_dir)
    return "" if relative == "." else relative.replace(os.sep, "/")


def run_families(ctx: CheckContext, families: Iterable[str]) -> list[Finding]:
    """Every family's findings, in family order, after every family's ``prepare``."""
    modules = [m for m in map(family_module, families) if m is not None]
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
        codes = enabled_codes(select, ignore, extend=extend)
    kept = [f for f in findings if f.code in codes]
    if not kept:
        return kept  # nothing to suppress: a clean run never reads the files again
    from envcheck.rules.suppress import apply

    return apply(kept, _read_text(project_dir))


def check(
    project: Project,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    schema: Any = None,
    options: dict[str, Any] | None = None,
    extend: Sequence[str] = (),
) -> Report:
    # Only these families run, so only their rules' codes can be kept (the
    # other families are not even imported).
    codes = enabled_codes(select, ignore, families=CHECK_FAMILIES, extend=extend)
    ctx = CheckContext(
        project_dir=project.project_dir,
        profile=project.profile,
        resolution=project.resolution,
        process_env=project.process_env,
        schema=schema,
        options=options or {},
        enabled=codes,
    )
    findings = run_families(ctx, CHECK_FAMILIES)
    declared = getattr(schema, "keys", None) or {}
    kept = filter_findings(findings, project.project_dir, select, ignore, codes=codes)
    return Report(
        findings=kept,
        framework=project.profile.name,
        mode=project.mode,
        files=checked_files(project.resolution.files, kept),
        base=_relative_to_cwd(project.project_dir),
        schema=str(getattr(schema, "source", "") or "") if declared else "",
        schema_keys=len(declared),
        process_keys=_process_only(project, declared),
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
    """
    if strict and report.checked_nothing:
        return EXIT_FINDINGS
    if report.count(Severity.ERROR) or (strict and report.count(Severity.WARNING)):
        definitive = [
            f
            for f in report.findings
            if f.severity is Severity.ERROR or (strict and f.severity is Severity.WARNING)
        ]
        if not (report.inconclusive and all(f.code == "EC708" for f in definitive)):
            return EXIT_FINDINGS
    if report.inconclusive:
        return EXIT_INCONCLUSIVE
    return EXIT_OK
