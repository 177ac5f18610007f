"""``docker run --env-file`` (and compose's ``format: raw``): every line literal.

Ported from docker/cli ``pkg/kvfile/kvfile.go`` (``parseKeyValueFile``), the
reader behind ``docker run/create/exec --env-file``.  What it does, and why
each point surprises people who know dotenv:

* lines are split on ``\\n`` by Go's ``bufio.Scanner``, which drops one
  ``\\r`` before it (CRLF works); a UTF-8 BOM is removed from line 1 only;
* leading whitespace (Go's ``unicode.IsSpace``) is removed; a line that is
  then empty or starts with ``#`` is skipped.  Nothing else is a comment:
  ``A=x # note`` sets ``x # note``;
* the key is everything before the first ``=``, the value everything after
  it, **as written**: quotes are part of the value (``A="x"`` is ``"x"``
  with the quotes), no escapes, no ``${VAR}`` expansion, trailing spaces
  kept, no multi-line values;
* ``KEY`` alone (no ``=``) takes the value of ``KEY`` from the environment
  of the ``docker`` command, and is left out when that is unset
  (``Entry.bare``; the loader does the lookup);
* an empty key, a key holding a space or tab, invalid UTF-8 or a line
  longer than 64 KiB makes docker refuse the whole command.  These become
  problems here (``invalid-key``, ``line-too-long``); the loader turns them
  into a note that the container does not start.
"""

from __future__ import annotations

from envcheck.sources.readers.gotext import go_trim_left_space
from envcheck.sources.types import Entry, ParsedFile, Problem

__all__ = ["parse", "FATAL_KINDS", "MAX_LINE_BYTES"]

BOM = "\ufeff"
# bufio.MaxScanTokenSize: the scanner's buffer must hold the line and its "\n".
MAX_LINE_BYTES = 64 * 1024
# Problems that make the docker CLI exit before it creates the container.
FATAL_KINDS = frozenset({"invalid-key", "line-too-long", "invalid-utf8"})


def parse(text: str, path: str) -> ParsedFile:
    """Entries as docker's kvfile reader sees them; problems for what it rejects."""
    out = ParsedFile(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the scanner yields no token after a final newline
    for number, raw in enumerate(lines, 1):
        if len(raw.encode("utf-8", "surrogatepass")) + 1 > MAX_LINE_BYTES:
            out.problems.append(
                Problem(
                    "line-too-long",
                    f"line is longer than {MAX_LINE_BYTES // 1024} KiB: docker refuses the file "
                    "(bufio.Scanner: token too long)",
                    path,
                    number,
                )
            )
            break  # the scanner stops here
        line = raw[:-1] if raw.endswith("\r") else raw
        if number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        stripped = go_trim_left_space(line)
        if not stripped or stripped[0] == "#":
            continue
        col = len(line) - len(stripped) + 1
        key, eq, value = stripped.partition("=")
        if not key:
            out.problems.append(
                Problem(
                    "invalid-key",
                    "no variable name before '=': docker refuses the file",
                    path,
                    number,
                    col,
                )
            )
            continue
        if " " in key or "\t" in key:
            out.problems.append(
                Problem(
                    "invalid-key",
                    "the variable name contains whitespace: docker refuses the file "
                    "(nothing may stand between the name and '=')",
                    path,
                    number,
                    col,
                )
            )
            continue
        out.entries.append(Entry(key, value, path, number, col, bare=not eq))
    return out
