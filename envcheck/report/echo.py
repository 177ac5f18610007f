"""``click.echo`` for a line of text, without importing click.

The check command prints through this so that the command line's fast path
(:mod:`envcheck.cli`) runs without click (a fifth of a cold start).  It does
what ``click.echo(message)`` does with a ``str`` on POSIX: the message and a
newline, ANSI styles removed when the stream is not a terminal, then a flush;
on Windows (console encodings, colour translation) it is click.echo itself.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

__all__ = ["echo"]

# click._compat._ansi_re: what click strips from text bound for a file or pipe.
_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")


def echo(message: str, *, file: TextIO | None = None, err: bool = False, nl: bool = True) -> None:
    """Write ``message`` and a newline (unless not ``nl``) to ``file`` (default stdout, or
    stderr with ``err``)."""
    if os.name == "nt" or (file is None and _misconfigured(sys.stderr if err else sys.stdout)):
        import click

        click.echo(message, file=file, err=err, nl=nl)
        return
    stream = file if file is not None else (sys.stderr if err else sys.stdout)
    if stream is None:  # click: no stream (pythonw), nothing to write
        return
    text = message + "\n" if nl else message
    if not text:
        stream.flush()
        return
    if _strips_styles(stream):
        text = _ANSI.sub("", text)
    stream.write(text)
    stream.flush()


def _misconfigured(stream: TextIO | None) -> bool:
    """click rewraps a default stream whose encoding is ASCII (a bad locale) itself."""
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return False


def _strips_styles(stream: TextIO) -> bool:
    """click's ``should_strip_ansi`` without a colour choice: not a terminal, pager or notebook."""
    if hasattr(stream, "color"):
        return False
    try:
        terminal = stream.isatty()
    except Exception:  # noqa: BLE001 - click's own rule: any failure means "not a terminal"
        terminal = False
    return not terminal and not type(stream).__module__.startswith("ipykernel.")
