"""Compose production chains: override files, ``-f`` chains in scripts, ``COMPOSE_FILE``.

The files are read by the existing compose reader
(:func:`envcheck.sources.loaders.compose_file.read_compose_file`), merged in
chain order (a later file's ``environment`` wins, as compose merges).  A
``${VAR}`` the deploying shell fills is set from outside (value unknown),
not empty.  ``env_file:`` entries give their keys and values.
Targets: ``compose:override`` (base + ``compose.override.yaml``),
``compose:<x>`` (base + ``compose.<x>.yaml``), ``compose:env``
(``COMPOSE_FILE`` of the process environment, trusted), and each ``-f``
chain a script runs, named by its last file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from envcheck.sources.checkout import named_path_problem
from envcheck.sources.types import Origin
from envcheck.targets import _files
from envcheck.targets.model import REFERENCE, VALUE, Target, TargetKey

BASE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
_VARIANT = re.compile(r"(?:docker-)?compose\.([A-Za-z0-9_-]+)\.ya?ml")
_CHAIN = re.compile(r"docker[- ]compose((?:\s+(?:-f|--file)[ =]\S+)+)")
_CHAIN_FILE = re.compile(r"(?:-f|--file)[ =]([^\s;&|]+)")
_SHELL = "\x00shell:"  # what the lookup returns: marks a value the deploying shell fills
SCRIPT_GLOBS = (
    "package.json",
    "Makefile",
    "justfile",
    "*.sh",
    "scripts/*.sh",
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
)


def _lookup(name: str) -> str:
    return f"{_SHELL}{name}\x00"


def variant_name(file_name: str) -> str | None:
    match = _VARIANT.fullmatch(file_name)
    return match.group(1) if match else None


def script_chains(project_dir: Path) -> dict[str, list[str]]:
    """``-f`` chains the repository's scripts run, by target name."""
    chains: dict[str, list[str]] = {}
    for pattern in SCRIPT_GLOBS:
        for path in sorted(project_dir.glob(pattern))[:200]:
            source = _files.read(project_dir, path.relative_to(project_dir).as_posix()) or ""
            for match in _CHAIN.finditer(source):
                files = [f.strip("\"'") for f in _CHAIN_FILE.findall(match.group(1))]
                if len(files) < 2:
                    continue
                last = Path(files[-1]).name
                name = variant_name(last) or Path(last).stem
                chains.setdefault(f"compose:{name}", files)
    return chains


def env_chain(environ: Mapping[str, str]) -> list[str]:
    value = environ.get("COMPOSE_FILE", "")
    separator = environ.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [f for f in value.split(separator) if f]


def read_chain(
    project_dir: Path, name: str, files: list[str]
) -> tuple[list[Target], Target | None]:
    """One target per service of the chain, ``<name>/<service>``, each with its merged keys;
    and the one ``<name>`` alone stands for (None when unclear).

    Services are kept apart: the database's ``POSTGRES_PASSWORD`` is not the
    web app's key.  The chain's name means its only service, else the only
    one the chain's last file -- the production override -- defines (a ``db``
    the base file adds is not the app).
    """
    from envcheck.sources.loaders.compose_file import read_compose_file
    from envcheck.sources.resolve import parse_file

    manifest = files[-1] if files else ""
    targets: dict[str, Target] = {}
    in_last: list[Target] = []  # the services the chain's last file defines
    notes: list[str] = []
    for file_name in files:
        problem = named_path_problem(file_name, project_dir)
        if problem is not None:
            notes.append(f"the chain {problem}")
            continue
        path = project_dir / file_name
        if not path.is_file():
            notes.append(f"{file_name} does not exist")
            continue
        relative = os.path.relpath(path, project_dir)
        compose = read_compose_file(path, relative, _lookup)
        for service in compose.services.values():
            target = targets.get(service.name)
            if target is None:
                target = targets[service.name] = Target(
                    f"{name}/{service.name}", "compose", manifest
                )
            if file_name == files[-1]:
                in_last.append(target)
            for ref in service.env_files:
                if _SHELL in ref.path or named_path_problem(ref.path, path.parent):
                    continue
                parsed = parse_file(path.parent / ref.path, ref.path, "compose", within=project_dir)
                for entry in parsed.entries if parsed is not None else ():
                    target.add(TargetKey(entry.key, VALUE, Origin.of(entry), entry.value))
            for setting in service.environment:
                origin = Origin(relative, setting.line, setting.col)
                if setting.value is None or _SHELL in setting.value:
                    store = "the deploying shell's environment"
                    target.add(TargetKey(setting.key, REFERENCE, origin, store=store))
                else:
                    target.add(TargetKey(setting.key, VALUE, origin, setting.value))
    found = list(targets.values()) or [Target(name, "compose", manifest)]
    for target in found:
        target.notes.extend(notes)
    primary = found[0] if len(found) == 1 else in_last[0] if len(in_last) == 1 else None
    return found, primary
