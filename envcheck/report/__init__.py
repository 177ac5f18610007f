"""Reporters: one module per output format, imported only when used.

Every reporter is a function ``render(report, *, color, quiet, verbose) -> str``
that returns the whole document; the CLI writes machine formats to stdout
alone and the human summary (:func:`summary`) to stderr, so that
``envcheck --format json | jq`` always sees one valid document.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from typing import TextIO, cast

from envcheck.model import Report

__all__ = ["FORMATS", "render", "summary", "use_color", "write"]

Renderer = Callable[..., str]

# format -> "module:function", resolved on use (no reporter is imported for --help).
FORMATS: dict[str, str] = {
    "text": "envcheck.report.text:render",
    "json": "envcheck.report.json:render",
    "github": "envcheck.report.github:render",
    "sarif": "envcheck.report.sarif:render",
}


def render(
    report: Report, fmt: str, *, color: bool = False, quiet: bool = False, verbose: bool = False
) -> str:
    """The report in format ``fmt``; ``color``/``quiet``/``verbose`` only change ``text``."""
    try:
        target = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}") from None
    module, _, attr = target.partition(":")
    renderer = cast(Renderer, getattr(importlib.import_module(module), attr))
    if fmt in ("github", "sarif"):
        report = report.rebased()
    return renderer(report, color=color, quiet=quiet, verbose=verbose)


def write(
    report: Report,
    fmt: str,
    out: Callable[[str], object],
    *,
    color: bool = False,
    quiet: bool = False,
    verbose: bool = False,
) -> None:
    """:func:`render`'s text and a newline to ``out`` (nothing for an empty text), a piece
    at a time for ``text`` and ``json``: at 100,000 lines the report is megabytes, written
    as it is made rather than held whole (the other formats are written whole)."""
    pieces: Iterable[str]
    if fmt == "text":
        from envcheck.report.text import chunks

        pieces = chunks(report, color=color, quiet=quiet, verbose=verbose)
    elif fmt == "json":
        from envcheck.report.json import to_dict
        from envcheck.report.json import write as write_json

        write_json(to_dict(report, stream=True), out)
        out("\n")
        return
    else:
        pieces = (render(report, fmt, color=color, quiet=quiet, verbose=verbose),)
    wrote = False
    for piece in pieces:
        if piece:
            out(piece)
            wrote = True
    if wrote:
        out("\n")


def summary(report: Report) -> str:
    """One line for stderr: ``N errors, N warnings, N info in N files``."""
    from envcheck.report.text import summary as text_summary

    return text_summary(report)


def use_color(stream: TextIO) -> bool:
    """Colour only for a terminal, unless ``NO_COLOR`` or ``FORCE_COLOR`` says otherwise.

    ``NO_COLOR`` (any non-empty value, https://no-color.org) wins over
    everything; a non-empty ``FORCE_COLOR`` other than ``0``/``false`` turns
    colour on for pipes too (CI logs that render ANSI).
    """
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force != "":
        return force.lower() not in ("0", "false", "no")
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # a closed stream
        return False
