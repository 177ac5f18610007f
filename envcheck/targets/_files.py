"""Reading manifests: bounded checkout reads, YAML documents with positions, TOML key lines.

Shared by every reader so each fact (how a checkout file is read, how a YAML
node's position is counted, how a TOML key is found) is written once.
Manifests are checkout data: reads go through
:func:`envcheck.sources.checkout.read_text` (size cap, no link out of the
project root) and YAML through :mod:`envcheck.sources.yamlsafe` (bounded
aliases and depth).  PyYAML is imported inside the functions that need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from envcheck.errors import SourceError
from envcheck.sources.checkout import read_text
from envcheck.sources.types import Origin

_DOCUMENT_START = re.compile(r"^(?:---|\.\.\.)(?:[ \t].*)?$")
_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")


def read(project_dir: Path, relative: str) -> str | None:
    """The text of a project file, or None when it is absent; SourceError when unreadable."""
    path = project_dir / relative
    try:
        return read_text(path, within=project_dir)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) and err.strerror else "not UTF-8"
        raise SourceError(f"cannot read the deploy manifest ({why})", where=relative) from None


class Doc:
    """One YAML document's root node and the line offset of its text in the file."""

    __slots__ = ("root", "offset", "shown")

    def __init__(self, root: Any, offset: int, shown: str) -> None:
        self.root = root
        self.offset = offset
        self.shown = shown

    def origin(self, node: Any) -> Origin:
        return Origin(
            self.shown,
            int(node.start_mark.line) + 1 + self.offset,
            int(node.start_mark.column) + 1,
        )


def yaml_documents(text: str, shown: str) -> Iterator[Doc]:
    """Each document of a (multi-document) YAML file, composed through yamlsafe.

    Documents are split at ``---``/``...`` lines at column 0 (a block scalar's
    lines are indented, so they never start there) and composed one by one,
    so the alias bounds apply per document and positions stay exact.
    """
    from envcheck.sources import yamlsafe

    lines = text.splitlines(keepends=True)
    start = 0
    chunks: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        if _DOCUMENT_START.match(line.rstrip("\r\n")):
            chunks.append((start, "".join(lines[start:number])))
            start = number + 1
    chunks.append((start, "".join(lines[start:])))
    for offset, chunk in chunks:
        if not chunk.strip():
            continue
        root = yamlsafe.compose(chunk, f"{shown}", _ShiftedError.at(offset), "fix the YAML")
        if root is not None:
            yield Doc(root, offset, shown)


class _ShiftedError(SourceError):
    """yamlsafe's error with the document's line offset added to ``file:line:col``."""

    offset = 0

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        if where and self.offset:
            parts = where.rsplit(":", 2)
            if len(parts) == 3 and parts[1].isdigit():
                where = f"{parts[0]}:{int(parts[1]) + self.offset}:{parts[2]}"
        super().__init__(message, where=where, hint=hint)

    @classmethod
    def at(cls, offset: int) -> type[SourceError]:
        return type("YAMLError", (cls,), {"offset": offset})


def mapping(node: Any) -> dict[str, tuple[Any, Any]]:
    """A mapping node's ``{key text: (key node, value node)}``; {} for anything else."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def get(node: Any, *path: str) -> Any:
    """The value node at ``path`` under a mapping node, or None."""
    for name in path:
        found = mapping(node).get(name)
        if found is None:
            return None
        node = found[1]
    return node


def sequence(node: Any) -> list[Any]:
    import yaml

    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def text(node: Any) -> str | None:
    """A scalar node's text (None for a non-scalar or a YAML null)."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return str(node.value)


def toml_positions(source: str, table: str) -> dict[str, tuple[int, int]]:
    """``{key: (line, col)}`` of the keys written under ``[table]`` (tomllib has no positions).

    Only the table's own ``key = value`` lines are found (a dotted key or
    inline table is found by its first part); enough to point at the line.
    """
    found: dict[str, tuple[int, int]] = {}
    current: str | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        header = _TOML_TABLE.match(line)
        if header:
            current = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "")
            continue
        if current != table:
            continue
        key = _TOML_KEY.match(line)
        if key:
            name = key.group(1) or key.group(2) or key.group(3)
            found.setdefault(name, (number, line.index(line.lstrip()[0]) + 1))
    return found


def toml(source: str, shown: str) -> dict[str, Any]:
    from envcheck.sources.structured import load_toml

    return load_toml(source, shown, SourceError)


def json_position(source: str, key: str, after: int = 0) -> tuple[int, int]:
    """(line, col) of the first ``"key":`` at or after offset ``after``; (1, 1) if not found."""
    match = re.compile(r'"' + re.escape(key) + r'"\s*:').search(source, after)
    if match is None:
        return 1, 1
    line = source.count("\n", 0, match.start()) + 1
    return line, match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1


def json_object(source: str, shown: str) -> dict[str, Any]:
    """A JSON file's top-level object; SourceError (file:line:col) when it is not one."""
    import json

    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    try:
        data = json_loads(source)
    except json.JSONDecodeError as err:
        raise SourceError(
            f"invalid JSON: {err.msg}", where=f"{shown}:{err.lineno}:{err.colno}"
        ) from None
    if not isinstance(data, dict):
        raise SourceError("must be a JSON object", where=shown)
    return data


def scalar_string(value: Any) -> str | None:
    """A manifest value as the platform passes it to the app (TOML/JSON scalars), or None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None
