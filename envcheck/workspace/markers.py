"""Is this directory a workspace root?  Answered with a few ``stat`` calls.

Every project command asks this before it starts, so a single app must pay
almost nothing: a ``stat`` per marker file, one read of ``package.json`` /
``pyproject.toml`` searched as bytes (no JSON or TOML parser is imported),
and one ``scandir`` of the root for the plain layout (``backend/`` +
``frontend/``).  A root that is no project of its own (no env file, no
compose file, no framework: healthchecks' Django checkout) also pays for a
bounded look one and two levels down for compose projects (``docker/``).
A root that declares nothing pays for a bounded look one and two levels down for
app folders no declaration lists (:func:`undeclared_apps`: skyvern's Vite
``skyvern-frontend/`` beside the Python app at the root): a few ``stat`` calls per
folder, and a read of ``package.json`` only where it sits beside an env file.
Only a directory that looks like a root pays for
:mod:`envcheck.workspace.discover`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from envcheck.sources.checkout import GENERATED_DIRS
from envcheck.sources.detect import WASP_FILES, is_wasp_app
from envcheck.sources.templates import not_an_env_file

__all__ = [
    "COMPOSE",
    "FOLDERS",
    "NESTED",
    "NPM",
    "NX",
    "PNPM",
    "TURBO",
    "UV",
    "app_folders",
    "compose_folders",
    "has_own_env_files",
    "is_no_project",
    "root_is_an_app",
    "says_not_an_app",
    "shipped_app",
    "tool_env_folders",
    "undeclared_apps",
    "workspace_kind",
]

PNPM = "pnpm"  # pnpm-workspace.yaml
NPM = "npm"  # package.json "workspaces" (npm, yarn, bun)
TURBO = "turbo"  # turbo.json over apps/* and packages/* (no workspaces list)
NX = "nx"  # nx.json with projects under it (not a standalone app)
UV = "uv"  # [tool.uv.workspace] in pyproject.toml
FOLDERS = "folders"  # no declaration: several folders that are apps (backend/ + frontend/)
COMPOSE = "compose"  # no declaration: compose projects below a root that is no project (docker/)
NESTED = "nested"  # no declaration: app folders with env files of their own, beside the root's

# Folders that are never apps of a plain layout.
_NOT_APPS = frozenset(
    {"node_modules", "dist", "build", "out", "coverage", "venv", "env", "site-packages",
     "__pycache__", "target", "vendor", "tmp"}
)  # fmt: skip
# A Wasp app (``main.wasp``, ``.wasproot``: :data:`envcheck.sources.detect.WASP_FILES`) is a
# project even without a package.json (older Wasp apps keep none: main.wasp listed their
# dependencies).
_APP_FILES = ("package.json", "pyproject.toml", *WASP_FILES)
_MAX_READ = 1024 * 1024  # a marker file larger than this is not read here
COMPOSE_DEPTH = 2  # compose projects are looked for this many levels below the root, no deeper
MAX_COMPOSE_FOLDERS = 200  # folders looked into at most: a huge tree costs no more than this
NESTED_DEPTH = 2  # undeclared app folders are looked for this many levels below the root
MAX_NESTED_FOLDERS = 200  # folders looked into at most, as for compose projects
# A folder whose name says it is not the app the README runs: documentation, an example
# or a template to copy from, a demo, a test suite.  Compared word by word
# (``examples``, ``next-example``, ``starter_kit``), lower case.
_NOT_AN_APP_WORDS = frozenset(
    {"doc", "docs", "documentation", "example", "examples", "sample", "samples", "demo",
     "demos", "template", "templates", "starter", "starters", "boilerplate", "boilerplates",
     "playground", "playgrounds", "fixture", "fixtures", "test", "tests", "e2e", "cookbook"}
)  # fmt: skip
_WORD = r"[^a-z0-9]+"  # compiled on first use (re keeps it): most runs never ask
TOOL_DEPTH = 2  # tool folders (prisma/) are looked for this many levels below the root
MAX_TOOL_FOLDERS = 200  # folders looked into at most, as for compose projects
# Tool configs whose tool loads the ``.env`` beside them, wherever it is run from, and the
# profile that reads it as the tool does: the Prisma CLI loads ``prisma/.env`` next to
# ``prisma/schema.prisma`` (and the root's) with dotenv and dotenv-expand.
TOOL_ENV_CONFIGS = {"schema.prisma": "dotenv-expand"}
_PYTHON_APP_FILES = ("pyproject.toml", "requirements.txt")
# A Python project is started as an app by a process file beside it or by a server or app
# framework it depends on; the CLI a ``[project.scripts]`` table installs is run too.  A
# library that merely loads env files (firecrawl's ``apps/python-sdk``: ``python-dotenv``
# for its e2e tests and examples, no server, nothing to start) has none of them.
_PROCFILE = "Procfile"  # beside targets.DOCKERFILES and compose's files
_PYTHON_SERVERS = (  # searched on first use (re keeps it compiled): most runs never ask
    rb"(?<![\w.-])(?:uvicorn|gunicorn|hypercorn|granian|daphne|flask|fastapi|django"
    rb"|starlette|litestar|sanic|streamlit|gradio|celery)(?![\w-])"
)
_PYTHON_SCRIPTS = (b"[project.scripts]", b"[tool.poetry.scripts]")
_PROJECT_FILES = ("package.json", "manage.py", *_PYTHON_APP_FILES, *WASP_FILES)  # a project
# The words of :data:`_NOT_AN_APP_WORDS` that name what a repository ships for others to
# start from, not documentation or a test: a Wasp app below one is still looked for.
_SHIPPED_WORDS = frozenset(
    {"template", "templates", "starter", "starters", "boilerplate", "boilerplates"}
)


def _head(path: Path) -> bytes:
    from envcheck.sources.checkout import read_bytes

    try:  # never a pipe or a device; a link only within the folder it is in
        return read_bytes(path, within=path.parent, cap=_MAX_READ, truncate=True)
    except OSError:
        return b""


def app_folders(root: Path, *, enough: int | None = None) -> list[str]:
    """Immediate subfolders holding a ``package.json`` or ``pyproject.toml``, sorted.

    ``enough`` stops the scan once that many are found.
    """
    found: list[str] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")) or name in _NOT_APPS:
            continue
        try:
            if not entry.is_dir():
                continue
        except OSError:
            continue
        if any(os.path.isfile(os.path.join(entry.path, f)) for f in _APP_FILES):
            found.append(name)
            if enough is not None and len(found) >= enough:
                break
    return found


def has_own_env_files(directory: Path) -> bool:
    """An ``.env*`` file (templates too) or an ``envcheck.toml`` in the folder itself."""
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                env_file = name.startswith(".env") and not not_an_env_file(name)
                if (env_file or name == "envcheck.toml") and entry.is_file(follow_symlinks=False):
                    return True
    except OSError:
        return False
    return False


def _has_compose_file(directory: Path) -> bool:
    # compose's own file names, as detection knows them (the compose loader is not imported)
    from envcheck.sources.detect import COMPOSE_FILES

    return any((directory / name).is_file() for name in COMPOSE_FILES)


_TAKE, _STOP, _ENTER = "take", "stop", "enter"  # what a walk below the root does with a folder


def _breadth_first(
    root: Path, depth: int, cap: int, judge: Callable[[str, Path], str]
) -> Iterator[str]:
    """The folders 1 to ``depth`` levels below ``root`` that ``judge`` takes, breadth first.

    ``judge(rel, folder)`` answers :data:`_TAKE` (yielded, not looked below), :data:`_STOP`
    (not looked below) or :data:`_ENTER` (looked below).  Bounded: hidden folders,
    dependencies and build or vendored folders (:data:`_NOT_APPS`, ``GENERATED_DIRS``)
    are never judged or entered, nor a symbolic link (it may point out of the
    checkout), and at most ``cap`` folders are judged.
    """
    level = [""]
    looked = 0
    for _ in range(depth):
        below: list[str] = []
        for rel in level:
            try:
                entries = sorted(os.scandir(os.path.join(root, rel)), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                if name.startswith((".", "_")) or name in _NOT_APPS or name in GENERATED_DIRS:
                    continue
                try:
                    if not entry.is_dir(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                looked += 1
                if looked > cap:
                    return
                child = f"{rel}/{name}" if rel else name
                verdict = judge(child, Path(entry.path))
                if verdict == _TAKE:
                    yield child
                elif verdict == _ENTER:
                    below.append(child)
        level = below


def _first(found: Iterator[str], enough: int | None) -> list[str]:
    """``found``, stopped once ``enough`` are in hand (all of it for None)."""
    out: list[str] = []
    for rel in found:
        out.append(rel)
        if enough is not None and len(out) >= enough:
            break
    return out


def compose_folders(root: Path, *, enough: int | None = None) -> list[str]:
    """Folders one or two levels below ``root`` holding a compose file, breadth first.

    Bounded as :func:`_breadth_first` walks: at most :data:`MAX_COMPOSE_FOLDERS`
    folders are looked into.  A folder holding a compose file is not looked below: it
    is the project.  ``enough`` stops the scan once that many are found.
    """

    def judge(rel: str, folder: Path) -> str:
        return _TAKE if _has_compose_file(folder) else _ENTER

    return _first(_breadth_first(root, COMPOSE_DEPTH, MAX_COMPOSE_FOLDERS, judge), enough)


def says_not_an_app(rel: str) -> bool:
    """The folder's path says it is no app the README runs: documentation, an example, a
    template or starter, a demo, a test suite (:data:`_NOT_AN_APP_WORDS`), or a script,
    tool or test folder as the code reader judges paths (:func:`envcheck.code.sides.context_of`).
    Asked of folders no declaration lists, and of a declared package whose template a
    workspace run weighs (:func:`envcheck.rules.schema.reference_template`)."""
    from envcheck.code.sides import context_of

    words = {w for part in rel.lower().split("/") for w in re.split(_WORD, part) if w}
    return not words.isdisjoint(_NOT_AN_APP_WORDS) or context_of(rel + "/package.json") != "app"


def _runs(folder: Path) -> bool:
    """Something starts the folder as an app: a ``package.json`` start script (``dev``,
    ``start``, ``serve``: :func:`envcheck.code.sides.starts_on_its_own`), the ``wasp`` CLI
    (``wasp start`` in a Wasp app, whose package.json has no scripts), a Django
    ``manage.py``, or a Python project on a framework that loads env files which
    something starts (:func:`_python_started`)."""
    if is_wasp_app(folder):
        return True
    package = folder / "package.json"
    if package.is_file():
        from envcheck.code.sides import starts_on_its_own

        if starts_on_its_own(_head(package)):
            return True
    if (folder / "manage.py").is_file():
        return True
    manifests = [folder / m for m in _PYTHON_APP_FILES if (folder / m).is_file()]
    return bool(manifests) and root_is_an_app(folder) and _python_started(folder, manifests)


def _python_started(folder: Path, manifests: list[Path]) -> bool:
    """A Python project is started as an app, not imported as a library: a process file
    beside it (a ``Dockerfile``, a ``Procfile``, a compose file), a server or app
    framework among its dependencies (:data:`_PYTHON_SERVERS`), or a command it installs
    (:data:`_PYTHON_SCRIPTS`).  A client library that loads env files only for its
    tests and examples (firecrawl's ``apps/python-sdk``) is not: its template lists the
    keys its e2e tests read, nothing the project's setup runs."""
    from envcheck.sources.detect import COMPOSE_FILES
    from envcheck.targets import DOCKERFILES

    names = (_PROCFILE, *DOCKERFILES, *COMPOSE_FILES)
    if any((folder / name).is_file() for name in names):
        return True
    for manifest in manifests:
        text = _head(manifest).lower()
        if re.search(_PYTHON_SERVERS, text) or any(table in text for table in _PYTHON_SCRIPTS):
            return True
    return False


def _left_out_by_git(root: Path) -> Callable[[str], bool]:
    """Whether git leaves a folder (root-relative) out of the checkout: a submodule (its
    own repository, listed in ``.gitmodules``, or a folder holding a ``.git`` of its own)
    or a folder the root's ``.gitignore`` names (plain names, as the code reader reads
    them: :func:`envcheck.code.walk._ignored_dirs`; git itself is not run).  Read once,
    only when a candidate is found."""
    from envcheck.code.walk import _ignored_dirs

    anywhere, rooted = _ignored_dirs(str(root))
    submodules = _submodule_paths(root)

    def left_out(rel: str) -> bool:
        parts = rel.split("/")
        return (
            parts[0] in rooted
            or not anywhere.isdisjoint(parts)
            or any("/".join(parts[: i + 1]) in submodules for i in range(len(parts)))
            or os.path.lexists(root / rel / ".git")
        )

    return left_out


def _submodule_paths(root: Path) -> set[str]:
    """The ``path =`` entries of the root's ``.gitmodules`` (bounded read; none if absent)."""
    from envcheck.sources.checkout import read_text

    try:
        text = read_text(root / ".gitmodules", within=root)
    except (OSError, UnicodeDecodeError):
        return set()
    paths: set[str] = set()
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "path" and value.strip():
            paths.add(value.strip().strip("/"))
    return paths


def undeclared_apps(root: Path, *, enough: int | None = None) -> list[str]:
    """App folders no workspace declaration lists, one or two levels below ``root``.

    skyvern keeps its Python app at the root and its Vite app in ``skyvern-frontend/``
    (a ``dev`` script, an ``index.html``, an ``.env.example`` of its own), and declares
    no workspace: checked at the root only, the frontend's template was never read.  A
    folder is such an app when something starts it (:func:`_runs`) and it has an env
    file or template of its own (:func:`has_own_env_files`): someone runs it and
    configures it.  Never an app: a folder whose name says documentation, example,
    template, starter, demo or test (:func:`says_not_an_app`; an ``examples/next-app``
    is not looked into) -- but for a Wasp app below a template or starter folder
    (:func:`_ships_an_app`: open-saas's ``template/app``, started with ``wasp start``) --,
    a submodule, a folder git ignores, dependencies and build output.  A project folder
    (:data:`_PROJECT_FILES`) is not looked below; a plain folder (``services/``) is, one
    level.  Bounded: at most
    :data:`MAX_NESTED_FOLDERS` folders are looked into; ``enough`` stops the scan once
    that many are found.
    """
    left_out: Callable[[str], bool] | None = None

    def judge(rel: str, folder: Path) -> str:
        nonlocal left_out
        shipped = False  # below a template or starter folder: only a Wasp app is taken
        if says_not_an_app(rel):
            if not _ships_an_app(rel):
                return _STOP
            shipped = True
        if not any((folder / m).is_file() for m in _PROJECT_FILES):
            return _ENTER  # a plain folder (services/): its folders may be apps
        # a project: taken or not, never looked below (a library holds no app folders)
        if shipped and not is_wasp_app(folder):
            return _STOP
        if not has_own_env_files(folder) or not _runs(folder):
            return _STOP  # the cheap test first: most packages have no env file
        if left_out is None:
            left_out = _left_out_by_git(root)
        return _STOP if left_out(rel) else _TAKE

    return _first(_breadth_first(root, NESTED_DEPTH, MAX_NESTED_FOLDERS, judge), enough)


def shipped_app(rel: str, folder: Path) -> bool:
    """A Wasp app the repository ships below a template or starter folder
    (:func:`_ships_an_app`): an app the setup runs though its path says otherwise.  Asked
    of what :func:`says_not_an_app` refuses (discovery, and whether a workspace run weighs
    the app's template: :func:`envcheck.rules.schema.reference_template`)."""
    return is_wasp_app(folder) and _ships_an_app(rel)


def _ships_an_app(rel: str) -> bool:
    """The folder's path says no app only because a word names what the repository ships
    for others to start from (:data:`_SHIPPED_WORDS`: ``template/``, ``starters/``), and
    the code reader reads it as an app's.  A Wasp app there is the app the repository
    develops and runs: open-saas keeps it in ``template/app`` (what ``wasp new -t saas``
    copies, and what its CONTRIBUTING.md has a contributor start with ``wasp start``).
    Nothing else below such a folder is taken (:func:`undeclared_apps`)."""
    from envcheck.code.sides import context_of

    words = {w for part in rel.lower().split("/") for w in re.split(_WORD, part) if w}
    refused = words & _NOT_AN_APP_WORDS
    return refused <= _SHIPPED_WORDS and context_of(rel + "/package.json") == "app"


def tool_env_folders(root: Path, taken: Callable[[str], bool]) -> list[str]:
    """Folders one or two levels below ``root`` where a tool's config sits beside a
    template of the env file that tool loads (:data:`TOOL_ENV_CONFIGS`): plunk's
    ``prisma/`` holds ``schema.prisma`` and ``.env.example``, copied to ``prisma/.env``
    for ``yarn migrate``.  No app folder holds it, so no app's check read it, and a fresh
    clone's missing ``prisma/.env`` went unreported.  ``taken(rel)``: the folder is (in)
    an app already checked, not looked into.  Bounded as :func:`_breadth_first` walks."""
    from envcheck.sources.templates import is_schema_template

    def judge(rel: str, folder: Path) -> str:
        if taken(rel) or says_not_an_app(rel):
            return _STOP
        if not any((folder / name).is_file() for name in TOOL_ENV_CONFIGS):
            return _ENTER
        try:
            names = os.listdir(folder)
        except OSError:
            return _STOP
        return _TAKE if any(is_schema_template(n) for n in names) else _STOP

    return list(_breadth_first(root, TOOL_DEPTH, MAX_TOOL_FOLDERS, judge))


def is_no_project(root: Path) -> bool:
    """The root has nothing of its own to check: no env file, no compose file, no framework."""
    return not has_own_env_files(root) and not _has_compose_file(root) and not root_is_an_app(root)


def root_is_an_app(root: Path) -> bool:
    """The root itself runs a framework (a Next.js app with an ``e2e/`` package is one app)."""
    from envcheck.sources.detect import detect

    return detect(root) not in ("dotenv", "plain", "compose", "bun")


def _holds_apps(root: Path) -> bool:
    """Two app folders (``backend/`` + ``frontend/``), or one that declares a workspace.

    unkey keeps its Go services at the root and its pnpm workspace in ``web/``: the
    root is no JS or Python project, and the apps under ``web/apps/*`` are what a
    developer configures (each with its own ``.env``).  Checked as the root's single
    project, their reads were charged to the root, which loads none of their files.
    """
    found = app_folders(root, enough=2)
    if len(found) >= 2:
        return True
    return len(found) == 1 and workspace_kind(root / found[0], folders=False) is not None


def workspace_kind(root: Path, *, folders: bool = True) -> str | None:
    """Which kind of workspace ``root`` is, or None for a single project.

    ``folders=False``: declared workspaces only (no scan for the plain layout).
    """
    if (root / "pnpm-workspace.yaml").is_file():
        return PNPM
    package = root / "package.json"
    if package.is_file() and b'"workspaces"' in _head(package) and not is_wasp_app(root):
        return NPM  # a Wasp app's lists only Wasp's generated .wasp/out/* packages
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and b"tool.uv.workspace" in _head(pyproject):
        return UV
    if (root / "turbo.json").is_file() and any((root / d).is_dir() for d in ("apps", "packages")):
        return TURBO
    if (root / "nx.json").is_file() and not (root / "project.json").is_file():
        return NX
    if folders and _holds_apps(root) and not root_is_an_app(root):
        return FOLDERS
    if folders and not has_own_env_files(root) and compose_folders(root, enough=1):
        if is_no_project(root):
            return COMPOSE
    if folders and undeclared_apps(root, enough=1):
        return NESTED
    return None
