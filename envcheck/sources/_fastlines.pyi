"""Type stub for the parsers' C fast paths (``_fastlines.c``)."""

from collections.abc import Callable

from envcheck.sources.types import Entry

def scan_python(
    text: str, pos: int, line: int, path: str, entry_type: type[Entry], out: list[Entry], /
) -> tuple[int, int]: ...
def scan_node(
    text: str, pos: int, line: int, path: str, entry_type: type[Entry], out: list[Entry], /
) -> tuple[int, int]: ...
def scan_nodeutil(
    text: str, pos: int, line: int, path: str, entry_type: type[Entry], out: list[Entry], /
) -> tuple[int, int]: ...
def dumps_indented(obj: object, encode_string: Callable[[str], str], /) -> str: ...
def set_stand_in_words(
    firsts: str,
    frame: str,
    starts: tuple[str, ...],
    ends: tuple[str, ...],
    contains: tuple[str, ...],
    /,
) -> None: ...
def may_be_stand_in(text: str, /) -> bool: ...
