"""Line arithmetic the parsers' fast paths share."""

from __future__ import annotations


def line_start(scan: str, body: str, at: int, line: int, target: int) -> int:
    """Offset of line ``target`` (> ``line``, which starts at ``at``), whose text is ``body``.

    Searches for the line's text instead of stepping over every line in
    between; an earlier line with the same text is passed over by counting
    the newlines, so the answer is exact, and each stretch is searched once.
    """
    needle, start = f"\n{body}\n", max(at - 1, 0)
    while line < target:
        hit = scan.find(needle, start) + 1
        if hit == 0:  # cannot happen (line ``target`` is in ``scan``); step instead
            while line < target:
                at = scan.find("\n", at) + 1
                line += 1
            return at
        line += scan.count("\n", at, hit)
        at = start = hit
    return at
