"""Bytes to text the way each runtime reads an env file, with problems as data.

Node reads files as UTF-8 with replacement characters and keeps a BOM;
python-dotenv opens them as strict UTF-8 (an invalid byte is a
``UnicodeDecodeError`` in the app).  Either way envcheck keeps going: the text
is decoded with replacement and the problem is reported at its position.
"""

from __future__ import annotations

from envcheck.sources.types import Problem

BOM = "\ufeff"


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, col


def decode(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode ``data`` as UTF-8 (BOM kept, bad bytes replaced) and list the problems."""
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(
                "encoding",
                "file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                "dotenv loaders read UTF-8 and will see garbage: save it as UTF-8",
                path,
            )
        )
    elif data.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem("bom", "file starts with a UTF-8 byte-order mark; save it without one", path)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _position(data, err.start)
        problems.append(
            Problem(
                "invalid-utf8",
                f"invalid UTF-8 byte 0x{data[err.start]:02x}; "
                "Node replaces it with U+FFFD, python-dotenv fails to load the file",
                path,
                line,
                col,
            )
        )
        text = data.decode("utf-8", "replace")
    if "\x00" in text and not problems:
        line, col = _position(data, data.index(b"\x00"))
        problems.append(
            Problem("binary", "file contains NUL bytes: is it a binary file?", path, line, col)
        )
    return text, problems
