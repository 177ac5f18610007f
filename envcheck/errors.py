"""Errors the user can fix, and the exit codes that are part of the contract."""

from __future__ import annotations

from collections.abc import Iterable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCONCLUSIVE = 3


class EnvcheckError(Exception):
    """A problem the user can fix; the CLI prints it on one line, exit 2.

    ``where`` is ``file[:line[:col]]``; ``hint`` says what to do.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.message}"


class ConfigError(EnvcheckError):
    """envcheck.toml, pyproject.toml, a schema or a settings class is wrong."""


class SourceError(EnvcheckError):
    """An env file or the project directory cannot be read."""


class ProbeError(EnvcheckError):
    """The probe could not be set up (not: the key failed)."""


class NothingToProbe(ProbeError):
    """No key to probe was found: exit 2 for one project; one app's note in a workspace."""


_SERIOUSNESS = {EXIT_OK: 0, EXIT_INCONCLUSIVE: 1, EXIT_FINDINGS: 2, EXIT_USAGE: 3}


def worst(codes: Iterable[int]) -> int:
    """The one merge of exit codes: usage (2) over findings (1) over inconclusive (3) over 0.

    A retry can change an inconclusive probe, not a finding or a usage error,
    so those win; any other code (a child's, 126, 127) ranks above them all.
    """
    return max(codes, key=lambda code: _SERIOUSNESS.get(code, 4), default=EXIT_OK)
