"""Build time versus run time (EC520): public values are frozen into the bundle.

Next.js, Vite and Create React App replace ``process.env.NEXT_PUBLIC_X`` /
``import.meta.env.VITE_X`` / ``process.env.REACT_APP_X`` with the value's
text when the app is *built*.  A container that runs an already built app
(``next start``, a static ``dist/``) with such a key set in its environment
changes nothing in the browser: the bundle holds the build-time value.  The
same goes for an env file edited after the last build.  Part of the
precedence family (:mod:`envcheck.rules.precedence` calls :func:`check`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from envcheck.model import PROCESS, Finding, Location, Severity
from envcheck.rules.base import CheckContext, DocsIn, Rule
from envcheck.sources.checkout import read_bytes
from envcheck.sources.types import Entry

EC520 = Rule(
    "EC520",
    "public-value-frozen-at-build",
    Severity.WARNING,
    "a browser-public value set after the app was built does not reach the running bundle",
    DocsIn("envcheck.rules.precedence_docs"),
)
RULES = (EC520,)

# profile -> (the file a finished build leaves, the folder of its browser code, the command).
_BUILD_MARKERS: dict[str, tuple[str, str, str]] = {
    "nextjs": (".next/BUILD_ID", ".next/static", "next build"),
    "vite": ("dist/index.html", "dist", "vite build"),
    "cra": ("build/index.html", "build/static", "react-scripts build"),
}
# How much built browser code is searched for a value before giving up (and warning).
_SCAN_BYTES = 64 * 1024 * 1024


def build_marker(project_dir: Path, framework: str) -> tuple[Path, Path, str] | None:
    """The built app's marker file, browser-code folder and build command, if it was built."""
    known = _BUILD_MARKERS.get(framework)
    if known is None:
        return None
    marker = project_dir / known[0]
    return (marker, project_dir / known[1], known[2]) if marker.is_file() else None


_MAX_BUNDLE_ENTRIES = 50_000  # far above a real build's output; a bound for a hostile one


def _bundle_files(folder: Path) -> list[Path]:
    """The ``.js`` files under ``folder``, in a stable order; links never followed.

    The listing is bounded as the reads are: a checkout can hold a ``.next``
    folder of millions of entries or a link back to ``/``.
    """
    import os

    found: list[Path] = []
    seen = 0
    for top, dirs, files in os.walk(folder, followlinks=False):
        seen += len(dirs) + len(files)
        if seen > _MAX_BUNDLE_ENTRIES:
            break
        dirs.sort()
        found.extend(Path(top, f) for f in sorted(files) if f.endswith(".js"))
    return found


def in_bundle(folder: Path, values: set[str]) -> set[str]:
    """The ``values`` whose text appears in the built JavaScript under ``folder``.

    A value the bundle already holds was there at build time (the build ran
    with the same environment), so setting it again at run time is harmless.
    Bounded: at most ``_SCAN_BYTES`` are read; what is not found is reported.
    """
    wanted = {v for v in values if len(v) >= 4}  # "1" or "true" would match anything
    found: set[str] = set()
    budget = _SCAN_BYTES
    for path in _bundle_files(folder):
        if not wanted - found or budget <= 0:
            break
        try:
            data = read_bytes(path, within=folder, cap=budget, truncate=True)
            text = data.decode("utf-8", "replace")
        except OSError:
            continue
        budget -= len(text)
        found.update(v for v in wanted - found if v in text)
    return found


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Public keys the process sets, and env files newer than the build, for a built app."""
    profile = ctx.profile
    if not profile.public_prefixes or ctx.resolution.mode != "production":
        return
    built = build_marker(ctx.project_dir, profile.name)
    if built is None:
        return
    marker, bundle, command = built
    shown = marker.relative_to(ctx.project_dir).as_posix()
    prefixes = tuple(profile.public_prefixes)
    late = {
        k: v
        for k, v in ctx.process_env.items()
        if k.startswith(prefixes) and _differs_from_files(ctx, k, v)
    }
    already = in_bundle(bundle, set(late.values())) if late else set()
    for key, value in sorted(late.items()):
        if value in already:
            continue
        yield EC520.finding(
            f"{key} is set in the process environment, but the app was already built "
            f"({shown}): {profile.title} inlined {key} into the bundle at build time, so the "
            "running app shows the build-time value, not this one",
            Location(PROCESS),
            key=key,
            hint=f"set {key} before `{command}` (at image build time), or read it on the server "
            "at run time instead of through the public prefix",
        )
    built_at = marker.stat().st_mtime
    for path in ctx.resolution.files:
        defines = _public_entries(ctx, path, prefixes)
        if not defines:
            continue
        try:
            changed = (ctx.project_dir / path).stat().st_mtime > built_at
        except OSError:
            continue
        if changed:
            first = defines[0]
            yield EC520.finding(
                f"{path} changed after the last build ({shown}) and defines "
                f"{', '.join(sorted({e.key for e in defines}))}: the running bundle holds "
                "the values from before the change",
                Location(path, first.line, first.col),
                key=first.key,
                hint=f"rebuild (`{command}`) so the bundle gets the new values",
            )


def _differs_from_files(ctx: CheckContext, key: str, value: str) -> bool:
    """The process value is not what the env files (which the build read) give ``key``."""
    for parsed in ctx.resolution.parsed:
        entry = parsed.last_entries().get(key)
        if entry is not None:
            return entry.value != value
    return True


def _public_entries(ctx: CheckContext, path: str, prefixes: tuple[str, ...]) -> list[Entry]:
    for parsed in ctx.resolution.parsed:
        if parsed.path == path:
            return [e for e in parsed.last_entries().values() if e.key.startswith(prefixes)]
    return []
