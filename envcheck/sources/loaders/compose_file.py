"""Read a compose file: services, their ``env_file:`` and ``environment:``, with lines.

PyYAML is imported here only, when a compose project is checked.  Scalars
are resolved as compose-go's YAML library (yaml.v3, YAML 1.2 core schema)
does, not as PyYAML's YAML 1.1 would: ``yes``/``on`` stay strings, ``010``
is the integer 8, ``1e6`` prints as ``1e+06``; a value that is not a string
is not interpolated, and becomes a string as Go's ``fmt`` prints it.

Every string of the file is interpolated (compose fails on a bad
``${VAR:?err}`` wherever it is, not only in the parts envcheck uses); names
found unset are reported, as compose warns about them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from envcheck.errors import SourceError
from envcheck.model import Record
from envcheck.sources import yamlsafe
from envcheck.sources.checkout import read_text
from envcheck.sources.readers.compose_template import Lookup, TemplateError, substitute

__all__ = ["ComposeFile", "EnvFileRef", "EnvSetting", "Service", "read_compose_file"]

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": "true", "True": "true", "TRUE": "true"}
_BOOL.update({"false": "false", "False": "false", "FALSE": "false"})
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


class EnvSetting(Record):
    """One ``environment:`` entry: ``value`` None for ``KEY`` alone (from the shell);
    ``raw`` the value as written, before interpolation (``${VAR:-}``)."""

    __slots__ = ("key", "value", "line", "col", "raw")
    _not_shown = ("value", "raw")
    key: str
    value: str | None
    line: int
    col: int
    raw: str | None

    def __init__(
        self, key: str, value: str | None, line: int, col: int, raw: str | None = None
    ) -> None:
        self.key = key
        self.value = value
        self.line = line
        self.col = col
        self.raw = raw


class EnvFileRef(Record):
    """One ``env_file:`` item, path as written (interpolated), relative to the project."""

    __slots__ = ("path", "required", "format", "line")
    path: str
    required: bool
    format: str
    line: int

    def __init__(self, path: str, required: bool, format: str, line: int) -> None:
        self.path = path
        self.required = required
        self.format = format
        self.line = line


class Service(Record):
    __slots__ = ("name", "line", "env_files", "environment")
    name: str
    line: int
    env_files: list[EnvFileRef]
    environment: list[EnvSetting]

    def __init__(
        self, name: str, line: int, env_files: list[EnvFileRef], environment: list[EnvSetting]
    ) -> None:
        self.name = name
        self.line = line
        self.env_files = env_files
        self.environment = environment


class ComposeFile(Record):
    """What envcheck needs of a compose file; ``unset``: (name, line) compose warns about."""

    __slots__ = ("path", "services", "unset", "unsupported")
    path: str
    services: dict[str, Service]
    unset: list[tuple[str, int]]
    unsupported: list[tuple[str, int]]

    def __init__(
        self,
        path: str,
        services: dict[str, Service],
        unset: list[tuple[str, int]],
        unsupported: list[tuple[str, int]],
    ) -> None:
        self.path = path
        self.services = services
        self.unset = unset
        self.unsupported = unsupported


def go_float(value: float) -> str:
    """``fmt.Sprint(float64)``: shortest digits, exponent form below 1e-4 or from 1e21... as Go.

    Go's ``%v`` picks ``%e`` when the decimal exponent is < -4 or >= 21 for
    shortest formatting; compose's output (``1e+06``) shows it uses the
    ``%g`` threshold of 6 here, so that is what this follows.
    """
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits_tuple = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple.digits))
    exponent = int(digits_tuple.exponent)
    point = len(digits) + exponent  # position of the decimal point
    exp = point - 1
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)`` (or ParseUint) after yaml.v3 drops underscores."""
    plain = text.replace("_", "")
    if not _INT.fullmatch(plain):
        return None
    body = plain.lstrip("+-")
    negative = plain.startswith("-")
    if len(body) > 1 and body[0] == "0" and body[1] in "xXoObB":
        number = int(body, 0)
    elif len(body) > 1 and body[0] == "0":
        number = int(body, 8)
    else:
        number = int(body)
    number = -number if negative else number
    return number if -(2**63) <= number < 2**64 else None


def scalar(node: Any) -> tuple[str, str | None]:
    """(kind, text) of a scalar node as yaml.v3 resolves it: kind str/int/float/bool/null."""
    text: str = node.value
    if node.style is not None:  # quoted, literal or folded
        return "str", text
    if text in _NULL:
        return "null", None
    if text in _BOOL:
        return "bool", _BOOL[text]
    if text[:1] in "0123456789+-.":
        number = _go_int(text)
        if number is not None:
            return "int", str(number)
        plain = text.replace("_", "")
        if _FLOAT.fullmatch(plain):
            return "float", go_float(float(plain))
        if _SPECIAL_FLOAT.fullmatch(text):
            return "float", text
    return "str", text


def _line(node: Any) -> int:
    return int(node.start_mark.line) + 1


def _col(node: Any) -> int:
    return int(node.start_mark.column) + 1


class _Reader:
    def __init__(self, path: str, lookup: Lookup) -> None:
        self.path = path
        self.lookup = lookup
        self.unset: list[tuple[str, int]] = []

    def fail(self, message: str, node: Any, hint: str | None = None) -> SourceError:
        hint = hint or "fix that part (`docker compose config` shows how compose reads the file)"
        return SourceError(message, where=f"{self.path}:{_line(node)}", hint=hint)

    def text(self, node: Any, what: str) -> str | None:
        """A scalar's value after interpolation (non-strings as Go prints them)."""
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(f"{what} must be a single value", node)
        kind, text = scalar(node)
        if kind != "str" or text is None:
            return text
        names: list[str] = []
        try:
            value = substitute(text, self.lookup, names)
        except TemplateError as err:
            raise self.fail(
                f"{what}: {err}",
                node,
                hint="set the variable in the shell or in .env, or give it a default "
                "(${VAR:-default})"
                if err.kind == "required"
                else "write $$ for a literal $ in a compose file",
            ) from None
        self.unset.extend((name, _line(node)) for name in names)
        return value

    def walk(self, node: Any, where: str) -> None:
        """Interpolate every string of the file, as compose does before anything else."""
        import yaml

        if isinstance(node, yaml.ScalarNode):
            self.text(node, where)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self.walk(item, where)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self.walk(value, f"{where}.{key.value}" if where else str(key.value))


def _mapping(reader: _Reader, node: Any, what: str) -> Iterator[tuple[str, Any, Any]]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise reader.fail(f"{what} must be a mapping", node)
    yaml.SafeLoader("").flatten_mapping(node)  # `<<: *anchor` merge keys, as yaml.v3
    for key, value in node.value:
        kind, name = scalar(key) if isinstance(key, yaml.ScalarNode) else ("map", None)
        if kind not in ("str", "int") or name is None:
            raise reader.fail(f"non-string key in {what}", key)
        yield name, key, value


def _environment(reader: _Reader, node: Any, what: str) -> list[EnvSetting]:
    import yaml

    out: list[EnvSetting] = []
    if isinstance(node, yaml.ScalarNode) and scalar(node)[0] == "null":
        return out
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text = reader.text(item, what)
            if text is None:
                continue
            key, eq, value = text.partition("=")
            raw = scalar(item)[1] if isinstance(item, yaml.ScalarNode) else None
            written = raw.partition("=")[2] if raw is not None and eq else None
            out.append(EnvSetting(key, value if eq else None, _line(item), _col(item), written))
        return out
    for name, key, value in _mapping(reader, node, what):
        raw = scalar(value)[1] if isinstance(value, yaml.ScalarNode) else None
        text = reader.text(value, f"{what}.{name}")
        out.append(EnvSetting(name, text, _line(key), _col(key), raw))
    return out


def _required(reader: _Reader, node: Any, what: str) -> bool:
    text = reader.text(node, what)
    if text in ("true", "false", "True", "False", "TRUE", "FALSE", "1", "0", "t", "f", "T", "F"):
        return text in ("true", "True", "TRUE", "1", "t", "T")
    raise reader.fail(f"{what} must be true or false", node)


def _env_files(reader: _Reader, node: Any, what: str) -> list[EnvFileRef]:
    import yaml

    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out: list[EnvFileRef] = []
    for item in items:
        if isinstance(item, yaml.ScalarNode):
            path = reader.text(item, what)
            if path is None:
                continue
            out.append(EnvFileRef(path, True, "", _line(item)))
            continue
        fields = {name: value for name, _, value in _mapping(reader, item, what)}
        if "path" not in fields:
            raise reader.fail(f"{what}: an item without 'path'", item)
        path = reader.text(fields["path"], f"{what}.path") or ""
        required = (
            _required(reader, fields["required"], f"{what}.required")
            if ("required" in fields)
            else True
        )
        fmt = reader.text(fields["format"], f"{what}.format") or "" if "format" in fields else ""
        if fmt not in ("", "raw"):
            raise reader.fail(f"unsupported env_file format {fmt!r}", fields["format"])
        out.append(EnvFileRef(path, required, fmt, _line(fields["path"])))
    return out


def read_compose_file(path: Path, shown: str, lookup: Lookup) -> ComposeFile:
    """Parse and interpolate ``path``; SourceError (file:line) where compose would fail."""
    import yaml

    try:
        text = read_text(path, within=path.parent)
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) else "not UTF-8"
        raise SourceError(f"cannot read the compose file ({why})", where=shown) from None
    reader = _Reader(shown, lookup)
    root = yamlsafe.compose(  # bounded: aliases, depth
        text, shown, SourceError, "fix the YAML syntax at that position"
    )
    if root is None:
        raise SourceError(
            "the compose file is empty", where=shown, hint="add a services: mapping, or remove it"
        )
    if not isinstance(root, yaml.MappingNode):
        raise reader.fail("the compose file must be a mapping", root)
    reader.walk(root, "")
    top = {name: (key, value) for name, key, value in _mapping(reader, root, "the compose file")}
    unsupported: list[tuple[str, int]] = [
        (name, _line(top[name][0])) for name in ("include", "extends") if name in top
    ]
    services: dict[str, Service] = {}
    if "services" in top:
        node = top["services"][1]
        if not (isinstance(node, yaml.ScalarNode) and scalar(node)[0] == "null"):
            for name, key, body in _mapping(reader, node, "services"):
                if isinstance(body, yaml.ScalarNode) and scalar(body)[0] == "null":
                    services[name] = Service(name, _line(key), [], [])
                    continue
                fields = {f: v for f, _, v in _mapping(reader, body, f"services.{name}")}
                if "extends" in fields:
                    unsupported.append((f"services.{name}.extends", _line(key)))
                env_files = (
                    _env_files(reader, fields["env_file"], f"services.{name}.env_file")
                    if "env_file" in fields
                    else []
                )
                environment = (
                    _environment(reader, fields["environment"], f"services.{name}.environment")
                    if "environment" in fields
                    else []
                )
                services[name] = Service(name, _line(key), env_files, environment)
    unset = list(dict.fromkeys(reader.unset))  # walk() saw every string once already
    return ComposeFile(shown, services, unset, unsupported)
