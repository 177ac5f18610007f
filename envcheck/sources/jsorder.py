"""The order in which JavaScript enumerates an object's own string keys.

Node's env loaders return plain objects, so the order an app sees keys in
(and the order dotenv-expand and Vite expand them in, which changes what a
forward reference finds) is JavaScript's: array-index keys (canonical
integers below 2**32 - 1) first in numeric order, then the others in
insertion order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

__all__ = ["js_order"]

_MAX_INDEX = 2**32 - 2


@cache
def _canonical_index() -> re.Pattern[str]:
    return re.compile(r"0|[1-9][0-9]*")


def js_order(keys: Iterable[str]) -> list[str]:
    """``keys`` (in insertion order) in JavaScript object order."""
    keys = list(keys)
    # Most keys start with a letter: test the first character before the regex.
    index = [k for k in keys if k[:1].isdigit() and _is_index(k)]
    if not index:
        return keys
    taken = set(index)
    index.sort(key=int)
    return index + [k for k in keys if k not in taken]


def _is_index(key: str) -> bool:
    return bool(_canonical_index().fullmatch(key)) and int(key) <= _MAX_INDEX
