"""The env files a project holds, and which of their entries are secrets.

The security and precedence rules look past the files one mode reads: a
``.env.production`` with a live key is tracked by git whatever mode
``envcheck`` runs in, and a key set only in ``.env.production`` is only
visible by comparing mode files.  This module finds every ``.env*`` file in
the project directory, reuses the parse the resolver already did, and parses
the rest in the profile's dialect.  "Is this value a secret" is the classifier's
(:mod:`envcheck.schema.classify`), the same for every rule, so two rules never
disagree about one value; the names it exports are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import public_prefix  # here for the rules that import it from here
from envcheck.schema import classify

# The classifier decides; its verdicts are named here too for the rules and commands
# that ask this module (guard, EC408).  One definition each, in envcheck.schema.classify.
from envcheck.schema.classify import (
    entry_is_secret,
    name_is_secret,
    named_secret_value,
    schema_flag,
    value_is_secret,
)
from envcheck.schema.classify import not_filled_in as is_placeholder
from envcheck.sources.templates import (
    committed_settings,
    is_template,
    not_an_env_file,
    template_names,
)

__all__ = [
    "TEMPLATE_SUFFIXES",
    "entry_is_secret",
    "env_file_names",
    "is_placeholder",
    "is_template",
    "name_is_secret",
    "named_secret_value",
    "project_files",
    "public_prefix",
    "schema_flag",
    "secret_entries",
    "template_names",
    "value_is_secret",
]

if TYPE_CHECKING:
    from envcheck.rules.base import CheckContext
    from envcheck.sources.types import Entry, ParsedFile

# ``.env`` or ``.env.<something>``: the names frameworks and dotenv tools use.
_ENV_NAME = re.compile(r"\.env(?:\.[A-Za-z0-9_.-]+)?")
# Files meant to be committed: they document keys, their values are placeholders.
TEMPLATE_SUFFIXES = frozenset({"example", "sample", "template", "dist", "tpl", "defaults"})
# dotenvx's encrypted vault: committed by design.
_NOT_ENV = frozenset({".env.vault"})


def env_file_names(project_dir: Path, *, any_kind: bool = False) -> list[str]:
    """Names of the ``.env*`` regular files directly in ``project_dir``, sorted.

    ``any_kind``: every entry with such a name (a directory, a pipe, a
    dangling link), for a command that reports why it cannot read one.
    """
    try:
        children = list(project_dir.iterdir())
    except OSError:
        return []
    return sorted(
        p.name
        for p in children
        if _ENV_NAME.fullmatch(p.name)
        and p.name not in _NOT_ENV
        and not not_an_env_file(p.name)
        and (any_kind or p.is_file())
    )


def project_files(ctx: CheckContext) -> dict[str, ParsedFile]:
    """Every env file of the project, parsed: the resolver's parse where it has one.

    Keys are paths as the resolver shows them (relative to the project
    directory).  Files the resolver did not read are parsed in the profile's
    dialect; a file that cannot be read is left out (the resolver reports
    unreadable files it was asked to read).  With ``--env-file`` (the
    ``explicit_files`` option) only those files count.  Read once per context (in
    ``ctx.shared``): the security and precedence families both ask.  Read-only.
    """
    found: dict[str, ParsedFile] | None = ctx.shared.get(__name__)
    if found is None:
        found = ctx.shared[__name__] = _project_files(ctx)
    return found


def _project_files(ctx: CheckContext) -> dict[str, ParsedFile]:
    out: dict[str, ParsedFile] = {p.path: p for p in ctx.resolution.parsed}
    if ctx.options.get("explicit_files"):
        return out  # --env-file: exactly those files, no report on their neighbours
    missing = [n for n in env_file_names(ctx.project_dir) if n not in out]
    if missing:
        from envcheck.sources.resolve import parse_file

        for name in missing:
            parsed = parse_file(
                ctx.project_dir / name, name, ctx.profile.dialect, within=ctx.project_dir
            )
            if parsed is not None and parsed.entries:
                out[name] = parsed
    return out


def secret_entries(parsed: ParsedFile, schema: Any = None) -> Iterator[Entry]:
    """The entries of one file that hold secrets (the one the dialect keeps per key).

    A template's or a mode's committed settings (``.env.test``, ``.env.development``:
    :func:`envcheck.sources.templates.committed_settings`) hold secrets only by shape:
    their named values are stand-ins committed on purpose (the local stack's, a test
    run's), whatever the schema says - ``init`` drafts ``secret = true`` from a
    template's name, and the next ``check`` must not call leaked what ``check`` alone
    did not.  A vendor key pasted there is found by its shape.
    """
    name = Path(parsed.path).name
    template = is_template(name) or committed_settings(name) is not None
    yield from classify.secret_entries(parsed.last_entries().values(), schema, template=template)
