"""What one app's run at a workspace root leaves behind: plain, picklable data.

Every command's per-app run goes through the engine and returns an
:class:`AppRun`; nothing of an app's run is captured from a stream, and no
message is parsed or rewritten.

* A report command (check, lint, guard) leaves the app's
  :class:`~envcheck.model.Report` with its places named as the app names
  them; the merge moves them with :meth:`~envcheck.model.Report.rebased`.
* A document command (explain, diff, probe) leaves an :class:`AppView`: the
  command's own typed result for the app (the explain rows, the diff, the
  probe verdicts), values already masked as the command line asked, with
  the command's renderers attached.  The merge asks it for text under the
  app's header, or moves it to the root (:meth:`AppView.rebased`) and asks it
  for its JSON document or its report (github, sarif).

What the run would have said on stderr (a link to a file not created yet, a
file ``--fix`` rewrote, diff's summary line) is a ``note``, printed by the
merge under the app's label.

A forked worker sends an AppRun back through a pipe, so everything in it
pickles: :class:`~envcheck.model.Record` values, strings, numbers, tuples
(never a :class:`~envcheck.secret.Secret`: it refuses to pickle).
"""

from __future__ import annotations

import posixpath
from typing import Any, Protocol

from envcheck.model import PROCESS, Record, Report

__all__ = ["AppRun", "AppView", "SharedValues", "under"]

SharedValues = dict[str, tuple[str, str, int | None]]
"""key -> (fingerprint, file as the app names it, line): the EC810 shared keys an app sets."""


def under(prefix: str, path: str) -> str:
    """``path`` (named from the app folder ``prefix``) named from the workspace root.

    ``.env`` of ``apps/web`` is ``apps/web/.env``; ``../../.env`` is ``.env``; the
    process environment, an absolute path and the root's own (``prefix`` ".") stay.
    """
    if not prefix or prefix == "." or not path or path == PROCESS or path.startswith("/"):
        return path
    return posixpath.normpath(posixpath.join(prefix, path))


class AppView(Protocol):
    """A document command's result for one app, and how the command prints it.

    ``stdout(fmt)`` is exactly what the command prints on stdout for one app
    (newlines included; ``""`` for nothing), ``notes(fmt)`` its stderr lines;
    ``document()`` its JSON document as plain data; ``report(fmt)`` its findings
    as the github / sarif reporters take them (None: the command has no such
    format).  ``rebased(prefix)`` names every place from the workspace root.
    """

    def stdout(self, fmt: str) -> str: ...

    def notes(self, fmt: str) -> tuple[str, ...]: ...

    def document(self) -> dict[str, Any]: ...

    def report(self, fmt: str) -> Report | None: ...

    def rebased(self, prefix: str) -> AppView: ...


class AppRun(Record):
    """One app's run: exit ``code``; ``report`` (check, lint, guard: as the app names its
    places) or ``view`` (explain, diff, probe); ``notes``, what the run said beside its
    output, one line each; ``error`` and ``hint`` when the app could not be checked
    (exit 2 or the error's own code); ``nothing`` when the app had nothing to read
    (lint/guard: no env file; probe: no key), with ``error_if_all``, the error when no
    app has anything; ``shared``, the EC810 keys the app sets."""

    __slots__ = (
        "code",
        "report",
        "notes",
        "error",
        "hint",
        "nothing",
        "error_if_all",
        "shared",
        "view",
    )
    code: int
    report: Report | None
    notes: tuple[str, ...]
    error: str | None
    hint: str | None
    nothing: bool
    error_if_all: str
    shared: SharedValues
    view: AppView | None

    def __init__(
        self,
        code: int = 0,
        report: Report | None = None,
        notes: tuple[str, ...] = (),
        error: str | None = None,
        hint: str | None = None,
        nothing: bool = False,
        error_if_all: str = "",
        shared: SharedValues | None = None,
        view: AppView | None = None,
    ) -> None:
        self.code = code
        self.report = report
        self.notes = notes
        self.error = error
        self.hint = hint
        self.nothing = nothing
        self.error_if_all = error_if_all
        self.shared = {} if shared is None else shared
        self.view = view
