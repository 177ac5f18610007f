"""Type stub for the C fast path of the python dialect (``_pyfast.c``)."""

from envcheck.sources.types import Entry

def scan(
    text: str, pos: int, line: int, path: str, entry_type: type[Entry], out: list[Entry], /
) -> tuple[int, int]: ...
