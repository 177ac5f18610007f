"""Inline suppressions: ``# envcheck: ignore[EC201,duplicated-key]`` or ``# envcheck: ignore``.

A suppression applies to findings on its own line (written as an inline
comment after a value) or, written as a comment line of its own, to the line
below it, as ruff's ``noqa`` and eslint's ``disable-next-line`` do.  The
selectors are codes, code prefixes (``EC2``) or rule names; without a list
every finding on that line is suppressed.

Both dotenv loaders read ``KEY=value # envcheck: ignore`` as an inline comment
on an unquoted value (Node's dotenv ends the value at ``#``, python-dotenv at
`` #``), so a suppression never changes the value.  Findings in the process
environment, or without a line, cannot be suppressed inline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from envcheck.model import PROCESS, Finding

__all__ = ["apply", "suppressions"]

# Compiled on first use (re keeps it): most runs have nothing to suppress.
_DIRECTIVE = r"(?i)#\s*envcheck:\s*ignore(?:\[([^\]]*)\])?"

ALL: frozenset[str] = frozenset({"*"})


def _selectors(match: re.Match[str]) -> frozenset[str]:
    listed = match.group(1)
    if listed is None:
        return ALL
    return frozenset(s.strip().lower() for s in listed.split(",") if s.strip()) or ALL


def suppressions(text: str) -> dict[int, frozenset[str]]:
    """Line number -> lower-cased selectors suppressed on that line (``{"*"}``: all)."""
    out: dict[int, frozenset[str]] = {}
    for n, line in _lines_naming_envcheck(text):
        match = re.search(_DIRECTIVE, line)
        if match is None:
            continue
        selectors = _selectors(match)
        target = n + 1 if line.lstrip().startswith("#") else n
        out[target] = out.get(target, frozenset()) | selectors
    return out


def _lines_naming_envcheck(text: str) -> Iterator[tuple[int, str]]:
    """(number, text) of each line that contains "envcheck", in order.

    Found by searching for the word, not by splitting the text: a large file
    with no directive costs one search, not a string per line.
    """
    find, count = text.find, text.count
    number, counted = 1, 0  # the line number of offset ``counted``
    at = find("envcheck")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        end = find("\n", at)
        if end == -1:
            end = len(text)
        number += count("\n", counted, start)
        counted = start
        yield number, text[start:end]
        at = find("envcheck", end)


def _matches(finding: Finding, selectors: frozenset[str]) -> bool:
    if "*" in selectors:
        return True
    code = finding.code.lower()
    return any(s == finding.name or (s.startswith("ec") and code.startswith(s)) for s in selectors)


def apply(findings: list[Finding], read_text: Callable[[str], str | None]) -> list[Finding]:
    """``findings`` without the suppressed ones; ``read_text(path)`` is called once per file.

    ``read_text`` returns the file's text, or None when it cannot be read (then
    nothing in that file is suppressed).
    """
    cache: dict[str, dict[int, frozenset[str]]] = {}
    kept: list[Finding] = []
    for f in findings:
        path, line = f.location.path, f.location.line
        if path is None or path == PROCESS or line is None:
            kept.append(f)
            continue
        if path not in cache:
            text = read_text(path)
            cache[path] = suppressions(text) if text is not None else {}
        selectors = cache[path].get(line)
        if selectors is None or not _matches(f, selectors):
            kept.append(f)
    return kept
