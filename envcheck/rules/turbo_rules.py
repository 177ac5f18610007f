"""The Turborepo rules (EC8xx) and what the checks know of a workspace's turbo configs.

Here, apart from :mod:`envcheck.rules.turbo` (the family: root search and
entry point) and :mod:`envcheck.rules.turbo_checks` (the checks, imported
once a root is found), so that both import the rules from one place and
neither imports the other's module.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.model import Record, Severity
from envcheck.rules.base import DocsIn, Rule

__all__ = ["EC801", "EC802", "EC803", "EC804", "EC805", "EC806", "RULES", "Located"]


_DOCS = DocsIn("envcheck.rules.turbo_docs")  # read by `envcheck rules`, not by a check


def _rule(code: str, name: str, severity: Severity, summary: str) -> Rule:
    return Rule(code, name, severity, summary, _DOCS)


EC801 = _rule(
    "EC801",
    "turbo-env-file-not-hashed",
    Severity.WARNING,
    "a cached turbo task does not hash an env file the app reads (a stale build is replayed)",
)
EC802 = _rule(
    "EC802",
    "turbo-strict-env-hides-key",
    Severity.WARNING,
    "Turborepo's strict env mode hides a variable the app reads from the process environment",
)
EC803 = _rule(
    "EC803",
    "turbo-v1-config",
    Severity.ERROR,
    "a Turborepo 1.x key in turbo.json that turbo 2 refuses",
)
EC804 = _rule(
    "EC804",
    "root-env-not-loaded",
    Severity.WARNING,
    "a key the app needs is only in the workspace root's env file, which the app never reads",
)
EC805 = _rule(
    "EC805",
    "turbo-json-invalid",
    Severity.ERROR,
    "a turbo.json that cannot be read or parsed (turbo refuses it)",
)
EC806 = _rule(
    "EC806",
    "turbo-public-key-not-hashed",
    Severity.WARNING,
    "a browser-public variable reaches a cached build without being part of its hash",
)
RULES = (EC801, EC802, EC803, EC804, EC805, EC806)


class Located(Record):
    """Where the turbo configs are: the root's file, the package's own file (or None)."""

    __slots__ = ("root_dir", "root_config", "package_config")
    root_dir: Path
    root_config: Path
    package_config: Path | None

    def __init__(self, root_dir: Path, root_config: Path, package_config: Path | None) -> None:
        self.root_dir = root_dir
        self.root_config = root_config
        self.package_config = package_config
