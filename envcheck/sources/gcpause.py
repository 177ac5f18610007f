"""Pause Python's cyclic garbage collector around bulk, acyclic allocation.

Parsers and loaders build one or more small objects per line (``Entry``,
``Origin``, ``Resolved``, ``Secret``) and none of them form reference
cycles, so reference counting frees them all.  Left running, the cyclic
collector fires every 700 allocations and its older generations rescan the
whole, growing heap again and again: on a 100k-line file that costs as much
as the parsing itself (measured with ``make bench``).  Pausing it changes
no result, only the time.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["gc_paused"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def gc_paused(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` with the cyclic GC disabled; restore it (if it was on) afterwards."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
