"""Workspace rules (EC810): what goes wrong between the apps of one monorepo.

These compare apps with each other, so they run at a workspace root (see
:mod:`envcheck.fanout`), after every app has been checked on its
own; ``check`` of a single app has nothing to compare.  Codes follow the
Turborepo rules (EC801-EC809) in the EC8xx block.  Values are compared as
per-run keyed fingerprints (:class:`envcheck.secret.Fingerprinter`), never
printed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from envcheck.model import Finding, Location, Related, Severity
from envcheck.rules.base import Rule
from envcheck.secret import safe_key

if TYPE_CHECKING:
    from envcheck.rules.base import CheckContext

__all__ = ["RULES", "SharedValue", "check", "shared_key_differs"]

_DOC_EC810 = """\
## What it does
At a workspace root, flags a key that the root's `envcheck.toml` marks as
shared (`[workspace] shared = ["DATABASE_URL"]`) when two apps resolve it to
different values. One finding per app whose value differs from the first
app's (apps in path order), at the line that sets it. Values are compared
through a per-run fingerprint and never printed.

## Why is this bad?
A shared key is one the apps must agree on: the API and the worker talk to
one database, the web app and the admin verify one session secret. When
`apps/web/.env.local` still has last month's `SESSION_SECRET` and
`apps/admin/.env` the new one, logins made in one app fail in the other,
and nothing in either app's own check is wrong.

## Example
```
# envcheck.toml (root)
[workspace]
shared = ["SESSION_SECRET"]

# apps/web/.env.local
SESSION_SECRET=old…
# apps/admin/.env
SESSION_SECRET=new…
```

## Use instead
Set the key once, in the root `.env` that every app loads
(`dotenv -e ../../.env -- next dev`), or give every app the same value.
Remove it from `shared` if the apps really need different values.
"""

SHARED_KEY_DIFFERS = Rule(
    "EC810",
    "shared-key-differs-between-apps",
    Severity.ERROR,
    "a key the workspace marks shared has different values in two apps",
    _DOC_EC810,
)

RULES: tuple[Rule, ...] = (SHARED_KEY_DIFFERS,)


class SharedValue:
    """One app's value of a shared key: its fingerprint and where it is set (root-relative)."""

    __slots__ = ("app", "fingerprint", "path", "line")

    def __init__(self, app: str, fingerprint: str, path: str | None, line: int | None) -> None:
        self.app = app
        self.fingerprint = fingerprint
        self.path = path
        self.line = line


def check(ctx: CheckContext) -> Iterable[Finding]:
    """Nothing: workspace rules need several apps and run at the workspace root."""
    return ()


def _at(value: SharedValue) -> Location:
    return Location(value.path, value.line, 1 if value.line else None)


def shared_key_differs(
    shared: Sequence[str], values: Mapping[str, Sequence[SharedValue]]
) -> list[Finding]:
    """EC810 for each shared key whose apps (in the order given) do not all agree."""
    findings: list[Finding] = []
    for key in shared:
        seen = values.get(key, ())
        if len(seen) < 2:
            continue
        first = seen[0]
        for other in seen[1:]:
            if other.fingerprint == first.fingerprint:
                continue
            findings.append(
                SHARED_KEY_DIFFERS.finding(
                    f"{safe_key(key)} in {other.app} differs from {first.app} "
                    "(the workspace marks it shared)",
                    _at(other),
                    key=key,
                    hint=f"give every app the same {safe_key(key)}, e.g. once in the root .env, "
                    "or remove it from [workspace] shared",
                    related=(Related(_at(first), f"{first.app} value"),) if first.path else (),
                )
            )
    return findings
