"""What a rule is, and what a check gets to look at.

A rule family is one module under ``envcheck.rules`` that defines
``RULES: tuple[Rule, ...]`` and ``check(ctx: CheckContext) -> Iterable[Finding]``.
Families are listed in :mod:`envcheck.rules.registry` as module names and
imported only when used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import Finding, Location, Severity

if TYPE_CHECKING:
    from envcheck.sources.profiles import Profile
    from envcheck.sources.types import Resolution


@dataclass(frozen=True, slots=True)
class Rule:
    """A stable code (never reused), a kebab-case name for the flagged pattern, a doc.

    ``doc`` is Markdown with the sections *What it does*, *Why is this bad?*,
    *Example* and *Use instead*.  ``default_enabled`` is False for noisy rules
    that only run when selected.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    default_enabled: bool = True

    def __post_init__(self) -> None:
        # One sentence style for every family: capitalised, no final period.
        summary = self.summary.strip().rstrip(".")
        object.__setattr__(self, "summary", summary[:1].upper() + summary[1:])

    def finding(
        self,
        message: str,
        location: Location,
        *,
        key: str | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            location=location,
            key=key,
            hint=hint,
        )


@dataclass(slots=True)
class CheckContext:
    """Everything a check may look at; checks never print and never write.

    ``schema`` is ``envcheck.schema.Schema`` or None (typed loosely here so
    that importing the rules does not import the schema machinery).
    ``process_env`` is the process environment the resolution used (empty
    with ``--no-process-env``).  ``enabled`` is the set of rule codes whose
    findings will be kept (None: all); a check may skip work whose only
    outcome is a finding of a disabled rule (the security rules skip git).
    """

    project_dir: Path
    profile: Profile
    resolution: Resolution
    process_env: Mapping[str, str]
    schema: Any = None
    options: dict[str, Any] = field(default_factory=dict)
    enabled: frozenset[str] | None = None
