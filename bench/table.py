"""The one results table: rows, targets, verdicts and plain-text rendering.

A :class:`Row` is one measured line; a row with a :class:`Target` also gets
a verdict (``ok`` or ``MISS``).  Times are formatted in the unit that keeps
three significant digits readable (µs, ms, s).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Row", "Target", "fmt_ratio", "fmt_time", "render", "section"]


@dataclass(frozen=True, slots=True)
class Target:
    """A goal from the issues: ``text`` as written there, ``met`` as measured."""

    text: str
    met: bool | None  # None: could not be measured (a tool failed)


@dataclass(frozen=True, slots=True)
class Row:
    case: str
    value: str = ""
    ratio: str = ""
    target: Target | None = None
    note: str = ""
    heading: bool = False

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return {True: "ok", False: "MISS", None: "n/a"}[self.target.met]


def section(title: str) -> Row:
    return Row(title, heading=True)


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.3g}×" if ratio < 100 else f"{ratio:,.0f}×"


def render(rows: list[Row]) -> str:
    """Rows as one aligned text table; section headings span the line."""
    header = ("case", "median", "ratio", "target", "result", "note")
    body = [
        (r.case, r.value, r.ratio, r.target.text if r.target else "", r.verdict, r.note)
        for r in rows
        if not r.heading
    ]
    widths = [
        max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(header)
    ]
    widths[-1] = 0  # the note column is not padded

    def line(cells: tuple[str, ...]) -> str:
        left = "  ".join(
            c.ljust(w) if i in (0, 2, 3, 4, 5) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return left.rstrip()

    total = sum(widths[:-1]) + 2 * (len(widths) - 1)
    out = [line(header), "-" * total]
    for r in rows:
        if r.heading:
            out.append(f"== {r.case} ".ljust(total, "="))
        else:
            out.append(
                line(
                    (r.case, r.value, r.ratio, r.target.text if r.target else "", r.verdict, r.note)
                )
            )
    return "\n".join(out)
