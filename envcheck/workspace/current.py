"""The workspace root of the run in progress, when a command was started at one.

The fan-out (:mod:`envcheck.fanout.run`) sets :data:`SCHEMA_ROOT` to the
root around each app's run; ``None`` everywhere else (a command started
inside an app, the editor).  What depends on "is this run at a workspace
root" reads it here: the root schema an app falls back to
(:mod:`.context`), the libraries an app depends on (:mod:`.apps`), the root
``.env`` no app reads (EC804).  Its own module, importing nothing, so that
each of those can read it without importing the others.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

__all__ = ["SCHEMA_ROOT"]

SCHEMA_ROOT: ContextVar[Path | None] = ContextVar("envcheck_workspace_root", default=None)
