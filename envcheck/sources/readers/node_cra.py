"""The dotenv 10.0.0 dialect, which react-scripts 5 (Create React App) bundles.

That parser is line based and differs from today's dotenv: no multi-line
values, no ``export``, no ``KEY: value``, no inline comments.  Kept apart
from :mod:`envcheck.sources.readers.node` because only CRA projects use it.
"""

from __future__ import annotations

import re
from functools import cache

from envcheck.sources.readers.node import (
    JS_WS,
    NOT_LT,
    dropped_reason,
    line_ending_problems,
)
from envcheck.sources.types import DOUBLE, UNQUOTED, Entry, ParsedFile, Problem

__all__ = ["parse"]

_S = f"[{re.escape(JS_WS)}]"

# dotenv 10 (react-scripts 5): one line at a time, ``=`` only, no comments.
_NEWLINES10 = re.compile("\r\n|\n|\r")


@cache
def _line10() -> re.Pattern[str]:
    """Compiled on first use: only react-scripts 5 projects need it (about 1 ms at start-up)."""
    return re.compile(rf"{_S}*([A-Za-z0-9_.-]+){_S}*={_S}*({NOT_LT}*)?{_S}*")


def parse(text: str, path: str) -> ParsedFile:
    """Parse ``text`` as dotenv 10.0.0 (bundled by react-scripts 5) does; never raises.

    That parser is line based: no multi-line values, no ``export``, no
    ``KEY: value``, no inline comments (``#`` is part of the value), and quotes
    are removed only when the value both starts and ends with the same one.
    """
    out = ParsedFile(path)
    if "\r" in text:
        line_ending_problems(text, path, out.problems)
    bom = 1 if text.startswith("\ufeff") else 0
    line10 = _line10()
    for n, line in enumerate(_NEWLINES10.split(text), start=1):
        m = line10.fullmatch(line)
        if m is None:
            body = line.lstrip(JS_WS)
            if body and not body.startswith("#"):
                col = len(line) - len(body) + 1 - (bom if n == 1 else 0)
                reason = dropped_reason(body) + "; dotenv 10 ignores it"
                out.problems.append(Problem("dropped-line", reason, path, n, col))
            continue
        key, val = m.group(1), m.group(2) or ""
        col = m.start(1) + 1 - (bom if n == 1 else 0)
        quote = UNQUOTED
        if len(val) > 1 and val[0] in "'\"" and val[-1] == val[0]:
            quote = val[0]
            val = val[1:-1]
            if quote == DOUBLE:
                val = val.replace("\\n", "\n")
        elif val[:1] in "'\"" and val and len(val) > 1:
            out.problems.append(
                Problem(
                    "unterminated-quote",
                    f"value of {key} does not end with its opening quote; "
                    "dotenv 10 keeps the quotes in the value",
                    path,
                    n,
                    col,
                    key,
                )
            )
            val = val.strip(JS_WS)
        else:
            val = val.strip(JS_WS)
        if key == "__proto__":
            continue
        out.entries.append(Entry(key, val, path, n, col, quote, n))
    return out
