"""A Dockerfile's build stage: the ``ARG``/``ENV`` keys a ``docker build`` provides.

The build stage is the last stage whose ``RUN`` runs a build (``npm run
build``, ``next build``, ``vite build``, ...), else the last stage.  ``ENV``
of the stages it is built ``FROM`` are inherited; ``ARG`` is not.  ``ARG
NAME`` without a default is filled by ``--build-arg`` (set, value unknown);
``ARG NAME=default`` and ``ENV NAME=value`` are values.  These keys are the
build phase's environment (``--phase build``): the answer to the
hand-made ``SKIP_ENV_VALIDATION`` flag, which turned all checking off at
``docker build`` because start-only keys were missing there.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from envcheck.sources.types import Origin
from envcheck.targets import DOCKERFILES, _files
from envcheck.targets.model import REFERENCE, VALUE, TargetKey

_INSTRUCTION = re.compile(r"^\s*([A-Za-z]+)\s+(.*)$", re.S)
_BUILD = re.compile(
    r"\b(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?build|next\s+build|vite\s+build|"
    r"turbo\s+(?:run\s+)?build|nuxt\s+build|astro\s+build|react-scripts\s+build)\b"
)
_EXPANSION = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*")


class Stage:
    def __init__(self, name: str, parent: str) -> None:
        self.name = name
        self.parent = parent
        self.args: dict[str, TargetKey] = {}
        self.env: dict[str, TargetKey] = {}
        self.builds = False


def instructions(source: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with ``\\`` continuations joined and comments dropped."""
    out: list[tuple[int, str, str]] = []
    pending, start = "", 0
    for number, line in enumerate(source.splitlines(), start=1):
        if not pending and line.lstrip().startswith("#"):
            continue
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        match = _INSTRUCTION.match(pending + line)
        pending = ""
        if match:
            out.append((start, match.group(1).upper(), match.group(2).strip()))
    return out


def _pairs(arguments: str, legacy: bool) -> list[tuple[str, str | None]]:
    try:
        words = shlex.split(arguments)
    except ValueError:
        words = arguments.split()
    if legacy and words and "=" not in words[0]:  # ENV NAME value
        return [(words[0], " ".join(words[1:]))]
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        name, eq, value = word.partition("=")
        pairs.append((name, value if eq else None))
    return pairs


def stages(project_dir: Path, relative: str) -> list[Stage]:
    source = _files.read(project_dir, relative) or ""
    found: list[Stage] = []
    for line, instruction, arguments in instructions(source):
        if instruction == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else str(len(found))
            parent = next((w for w in words if not w.startswith("--")), "")
            found.append(Stage(name, parent))
            continue
        if not found:
            continue  # ARG before the first FROM is for FROM lines only
        stage = found[-1]
        origin = Origin(relative, line, 1)
        if instruction == "ARG":
            for name, value in _pairs(arguments, legacy=False):
                if value is None:
                    stage.args[name] = TargetKey(
                        name, REFERENCE, origin, store="docker build --build-arg"
                    )
                else:
                    stage.args[name] = TargetKey(name, VALUE, origin, value)
        elif instruction == "ENV":
            for name, value in _pairs(arguments, legacy=True):
                text = value or ""
                if _EXPANSION.search(text):  # from an ARG: its value is the build's
                    stage.env[name] = TargetKey(
                        name, REFERENCE, origin, store="docker build --build-arg"
                    )
                else:
                    stage.env[name] = TargetKey(name, VALUE, origin, text)
        elif instruction == "RUN" and _BUILD.search(arguments):
            stage.builds = True
    return found


def build_keys(project_dir: Path) -> dict[str, TargetKey]:
    """The keys the Dockerfile's build stage has in its environment (empty: no Dockerfile)."""
    relative = next((n for n in DOCKERFILES if (project_dir / n).is_file()), None)
    if relative is None:
        return {}
    found = stages(project_dir, relative)
    if not found:
        return {}
    build = next((s for s in reversed(found) if s.builds), found[-1])
    by_name = {s.name: s for s in found}
    chain = [build]
    while chain[-1].parent in by_name and by_name[chain[-1].parent] not in chain:
        chain.append(by_name[chain[-1].parent])
    keys: dict[str, TargetKey] = {}
    for stage in reversed(chain):
        keys.update(stage.env)
    keys.update(build.args)
    keys.update(build.env)
    return keys
