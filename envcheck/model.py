"""The nouns every subsystem shares: severity, location, finding, report."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# Prefixes that make a variable part of the browser bundle, in any framework
# (envcheck loads only some of them; a secret under any of them leaks).
PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
    "PUBLIC_",
)

PROCESS = "process"
"""The ``source`` name of values that come from the process environment."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: ``path:line:col``, or the process environment."""

    path: str | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        if self.path is None or self.path == PROCESS:
            return "process environment"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem. ``message`` names the key and the place, never a value."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    key: str | None = None
    hint: str | None = None


@dataclass(slots=True)
class Report:
    """What a command found, ready for a reporter; the CLI turns it into an exit code."""

    findings: list[Finding] = field(default_factory=list)
    framework: str = ""
    mode: str = ""
    files: list[str] = field(default_factory=list)
    inconclusive: bool = False
    base: str = ""  # the project directory relative to the working directory ("" = same)

    def rebased(self) -> Report:
        """The report with paths relative to the working directory, not the project.

        CI annotations (GitHub, SARIF) resolve paths from the repository root,
        where the job runs; ``envcheck -C apps/web`` reports ``.env`` as
        ``apps/web/.env`` there.
        """
        if not self.base:
            return self
        moved = [
            replace(f, location=replace(f.location, path=f"{self.base}/{f.location.path}"))
            if f.location.path not in (None, PROCESS)
            else f
            for f in self.findings
        ]
        return Report(moved, self.framework, self.mode, self.files, self.inconclusive)

    def sorted(self) -> list[Finding]:
        return sorted(
            self.findings,
            key=lambda f: (
                f.location.path or "~",
                f.location.line or 0,
                f.location.col or 0,
                f.code,
            ),
        )

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)
