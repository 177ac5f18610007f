"""Bounds that hold on a busy machine: counted work and hang guards, never seconds.

A test that compares wall-clock times fails when CI shares its two cores with
something else (one did, on a fresh clone).  Linearity is therefore shown by
*counting* the Python lines the code under test executes: the count is the
same on an idle laptop and a loaded CI machine, and a quadratic loop shows up
as a 100x count for a 10x input however fast the machine is.  Speed itself is
a ``make bench`` figure.

Work done inside C (a regex scan, the optional ``_fastlines`` extension) is
not counted; those scanners are linear by construction and ``make bench``
measures them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")

# Far above any real run: a guard against a hang, not a speed claim.
HANG_GUARD = 120.0


def python_steps(work: Callable[[], object]) -> int:
    """How many Python lines ``work()`` executes (every frame, every thread it runs in)."""
    steps = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal steps
        if event == "line":
            steps += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(previous)
    return steps


def assert_linear(make_work: Callable[[int], Callable[[], object]], small: int, factor: int = 10):
    """``make_work(n)`` builds the input of size n and returns the work to count.

    Linear work grows ``factor`` times (plus a constant); quadratic work grows
    ``factor**2`` times.  The bound sits between, at 1.5x the linear figure.
    """
    base = python_steps(make_work(small))
    grown = python_steps(make_work(small * factor))
    assert grown <= 1.5 * factor * base + 1_000, (
        f"{grown} steps for {small * factor} items against {base} for {small}: not linear"
    )


def finishes(work: Callable[[], T], guard: float = HANG_GUARD) -> T:
    """Run ``work`` and return its result; fail (rather than hang the suite) if it never ends."""
    box: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            box.append(work())
        except BaseException as err:  # re-raised in the test's own thread
            errors.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(guard)
    if thread.is_alive():
        raise AssertionError("did not finish: the code under test hangs")
    if errors:
        raise errors[0]
    return box[0]
