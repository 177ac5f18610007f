"""Line arithmetic the parsers' fast paths share.

A fast path reads the plain lines of a text; the exact slow path reads the
lines in between, binding by binding.  With the C scanners the fast path
restarts wherever the slow one stops (:func:`read_runs`).  Without them it is
one ``findall`` whose items are whole lines, or several lines for a quoted
value that spans them, and :func:`line_start` and :func:`resync` keep the
two in step without ever rescanning the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from envcheck.sources.types import DOUBLE, UNQUOTED, Entry, ParsedFile

# A C scanner of ``envcheck.sources._fastlines``: reads the run of plain lines
# from a line start, appends their entries, returns the next other line.
Scanner = Callable[[str, int, int, str, type[Entry], list[Entry]], tuple[int, int]]


def line_start(scan: str, body: str, at: int, line: int, target: int) -> int:
    """Offset of line ``target`` (>= ``line``, which starts at ``at``), whose text is ``body``.

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


def resync(
    items: Iterator[Sequence[str]],
    line: int,
    text: str,
    pos: int,
    pos_line: int,
    step: Callable[[int, int], int],
    spans: int,
) -> tuple[int, int] | None:
    """Drop the ``findall`` items the slow path has read; return where the next one starts.

    The slow path stopped at offset ``pos``, the start of line ``pos_line``;
    the next unread item starts on line ``line``.  Items are skipped up to
    ``pos_line``; an item spans ``1 + item[spans].count("\\n")`` lines.  When
    the skipped items overshoot (one of them is a multi-line value that
    starts before ``pos_line``: the slow path read its first lines as
    something else), the slow path reads on, one binding per ``step(pos,
    pos_line)`` (which returns the next stopping offset), until it stops
    where an item starts.  Returns ``(line, offset)`` of that item, or
    ``None`` when the text is read to its end.
    """
    end = len(text)
    while True:
        while line < pos_line:
            item = next(items, None)
            if item is None:
                return None
            line += 1 + item[spans].count("\n")
        if line == pos_line:
            return (line, pos) if pos < end else None
        after = step(pos, pos_line)
        if after >= end:
            return None
        pos_line += text.count("\n", pos, after)
        pos = after


def read_findall(
    items: Iterator[tuple[str, str, str, str, str]],
    scan: str,
    text: str,
    out: ParsedFile,
    step: Callable[[int, int], int],
    unquoted: Callable[[str], str],
) -> bool:
    """The fast path in Python: entries for the items of a parser's ``_FAST.findall``.

    Every ``_FAST`` yields ``(export, key, quoted, plain, other)`` per item:
    a binding (``quoted`` with its quotes, or ``plain``, which ``unquoted``
    turns into the dialect's value), a blank or comment line (all empty), or
    a line for the exact reader (``other``, handed over by
    :func:`read_other`).  Returns False when the exact reader read the text
    to its end, True when the items ran out.
    """
    path, append = out.path, out.entries.append
    line = 1  # where the next item starts
    known = (1, 0)  # a line start the exact reader can be found from: (line, offset)
    for export, key, quoted, plain, other in items:
        if key:
            end_line = line
            if quoted:
                quote, value = quoted[0], quoted[1:-1]
                if "\n" in value:
                    end_line += value.count("\n")
                # util.parseEnv's one escape; the other dialects' _FAST admit no backslash.
                if quote == DOUBLE and "\\n" in value:
                    value = value.replace("\\n", "\n")
            else:
                quote, value = UNQUOTED, unquoted(plain)
            if export:
                append(Entry(key, value, path, line, len(export) + 1, quote, end_line, True))
            else:
                append(Entry(key, value, path, line, 1, quote, end_line))
            line = end_line + 1
        elif other:
            synced = read_other(items, scan, text, other, line, known, step, spans=2)  # quoted
            if synced is None:
                return False
            line, _ = known = synced
        else:
            line += 1
    return True


def read_other(
    items: Iterator[Sequence[str]],
    scan: str,
    text: str,
    body: str,
    line: int,
    known: tuple[int, int],
    step: Callable[[int, int], int],
    spans: int,
) -> tuple[int, int] | None:
    """The exact reader takes over at line ``line`` of a ``findall`` fast path.

    ``body`` is that line's text in ``scan`` (the text the ``findall`` ran
    over), ``known`` a ``(line, offset)`` at or before it.  ``step`` reads one
    binding (see :func:`resync`) in ``text``.  Returns ``(line, offset)`` of
    the next item to read, or ``None`` when the text is read to its end.
    """
    known_line, known_at = known
    at = line_start(scan, body, known_at, known_line, line) if known_line < line else known_at
    resume = step(at, line)
    return resync(items, line + 1, text, resume, line + text.count("\n", at, resume), step, spans)


def read_runs(scan: Scanner, text: str, out: ParsedFile, step: Callable[[int, int], int]) -> None:
    """Alternate a C scanner (runs of plain lines) and ``step`` (one exact binding).

    ``step(pos, line)`` reads from line start ``pos`` (line number ``line``)
    and returns the next line start, or the text's length once it is done.
    """
    pos, line, end = 0, 1, len(text)
    path, entries = out.path, out.entries
    while True:
        pos, line = scan(text, pos, line, path, Entry, entries)
        if pos >= end:
            return
        resume = step(pos, line)
        if resume >= end:
            return
        line += text.count("\n", pos, resume)
        pos = resume


class LineIndex:
    """A text's lines by number, without a string per line.

    A rule that reads a few lines of a large file (the line of each binding
    it judges) asks for them by number; the text is split on demand, and the
    index holds one machine integer per line where ``text.split("\\n")`` held
    a string (about 80 bytes a line: 8 MB for 100,000 lines).  Lines are
    without their ``\\n`` and without one ``\\r`` before it; a final ``\\n``
    ends the last line (it starts no empty one).  ``starts[n - 1]`` is where
    line ``n`` starts (and one more after a final ``\n``), for a check that
    matches a pattern in place rather than slicing a line out.
    """

    __slots__ = ("text", "starts", "count")

    def __init__(self, text: str) -> None:
        from array import array

        starts = array("q", [0])
        try:  # the C scanner's, in one call; else a find per line
            from envcheck.sources._fastlines import line_ends
        except ImportError:
            find = text.find
            at = find("\n")
            while at != -1:
                starts.append(at + 1)
                at = find("\n", at + 1)
        else:
            starts.frombytes(line_ends(text))
        self.text = text
        self.starts = starts
        self.count = len(starts) - (1 if text.endswith("\n") else 0)

    def raw(self, line: int) -> str:
        """Line ``line`` (1-based); "" outside the text."""
        if not 0 < line <= self.count:
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].removesuffix("\r")

    def __iter__(self) -> Iterator[str]:
        """Every line in order (one string at a time)."""
        return (self.raw(n) for n in range(1, self.count + 1))

    def ending_in_blank(self) -> Iterator[int]:
        """The numbers of the lines whose last character is a space or a tab, in order.

        (Before the line's ``\n``, one ``\r`` or the text's end.)  A search for
        each way a line can end so (a blank, then ``\n``, ``\r\n`` or nothing)
        finds them, so a check about trailing whitespace visits those lines
        only, not every line; a string search skips the text's other spaces,
        where a pattern starting with ``[ \t]`` stopped at each.
        """
        from bisect import bisect_right

        text = self.text
        blanks = " \t" if "\t" in text else " "
        endings = ("\n", "\r\n") if "\r" in text else ("\n",)
        found: list[int] = []
        for needle in (blank + ending for blank in blanks for ending in endings):
            at = text.find(needle)
            while at != -1:
                found.append(at)
                at = text.find(needle, at + 1)
        tails = (blank + end for blank in blanks for end in ("", "\r"))
        found.extend(len(text) - len(tail) for tail in tails if text.endswith(tail))
        starts = self.starts
        for at in sorted(found):
            yield bisect_right(starts, at)
