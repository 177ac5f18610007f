"""What a rule is, and what a check gets to look at.

A rule family is one module under ``envcheck.rules`` that defines
``RULES: tuple[Rule, ...]`` and ``check(ctx: CheckContext) -> Iterable[Finding]``,
and may define ``prepare(ctx: CheckContext) -> None``, which the engine calls
for every family before any ``check``: it starts slow, read-only work (a
subprocess) that its ``check`` then collects, so that the wait overlaps the
other families' checks.  Families are listed in :mod:`envcheck.rules.registry`
as module names and imported only when used.

A rule's doc is read by ``envcheck rules CODE`` and the SARIF report only, so a
family whose docs live in a ``*_docs`` module names that module
(:class:`DocsIn`) rather than importing it: ``check`` never loads the docs.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import Finding, FrozenRecord, Location, Record, Related, Severity

if TYPE_CHECKING:
    from envcheck.sources.profiles import Profile
    from envcheck.sources.types import Resolution


class DocsIn(FrozenRecord):
    """The docs table of a family: ``DOCS: dict[str, str]`` (code -> Markdown) in ``module``,
    imported when a doc is first read."""

    __slots__ = ("module",)
    module: str

    def __init__(self, module: str) -> None:
        object.__setattr__(self, "module", module)

    def of(self, code: str) -> str:
        docs: dict[str, str] = importlib.import_module(self.module).DOCS
        return docs[code]


class Rule(FrozenRecord):
    """A stable code (never reused), a kebab-case name for the flagged pattern, a doc.

    :attr:`doc` is Markdown with the sections *What it does*, *Why is this bad?*,
    *Example* and *Use instead*; ``doc_source`` is that text, or the
    :class:`DocsIn` table that holds it.  ``default_enabled`` is False for
    noisy rules that only run when selected.
    """

    __slots__ = ("code", "name", "severity", "summary", "doc_source", "default_enabled")
    code: str
    name: str
    severity: Severity
    summary: str
    doc_source: str | DocsIn
    default_enabled: bool

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        doc_source: str | DocsIn,
        default_enabled: bool = True,
    ) -> None:
        # One sentence style for every family: capitalised, no final period.
        summary = summary.strip().rstrip(".")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "summary", summary[:1].upper() + summary[1:])
        object.__setattr__(self, "doc_source", doc_source)
        object.__setattr__(self, "default_enabled", default_enabled)

    @property
    def doc(self) -> str:
        """The rule's Markdown documentation."""
        source = self.doc_source
        return source if isinstance(source, str) else source.of(self.code)

    def finding(
        self,
        message: str,
        location: Location,
        *,
        key: str | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
        related: Iterable[Related] = (),
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            location=location,
            key=key,
            hint=hint,
            related=related,
        )


class CheckContext(Record):
    """Everything a check may look at; checks never print and never write.

    ``schema`` is ``envcheck.schema.Schema`` or None (typed loosely here so
    that importing the rules does not import the schema machinery).
    ``process_env`` is the process environment the resolution used (empty
    with ``--no-process-env``).  ``enabled`` is the set of rule codes whose
    findings will be kept (None: all); a check may skip work whose only
    outcome is a finding of a disabled rule (the security rules skip git).
    ``shared`` holds work done once per run for later steps, under the name
    of the module that does it: what a family's ``prepare`` started for its
    ``check``, the project's env files that several families read.
    """

    __slots__ = (
        "project_dir",
        "profile",
        "resolution",
        "process_env",
        "schema",
        "options",
        "enabled",
        "shared",
    )
    _not_shown = ("process_env",)  # the raw environment: never in a repr
    project_dir: Path
    profile: Profile
    resolution: Resolution
    process_env: Mapping[str, str]
    schema: Any
    options: dict[str, Any]
    enabled: frozenset[str] | None
    shared: dict[str, Any]

    def __init__(
        self,
        project_dir: Path,
        profile: Profile,
        resolution: Resolution,
        process_env: Mapping[str, str],
        schema: Any = None,
        options: dict[str, Any] | None = None,
        enabled: frozenset[str] | None = None,
        shared: dict[str, Any] | None = None,
    ) -> None:
        self.project_dir = project_dir
        self.profile = profile
        self.resolution = resolution
        self.process_env = process_env
        self.schema = schema
        self.options = {} if options is None else options
        self.enabled = enabled
        self.shared = {} if shared is None else shared
