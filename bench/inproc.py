"""Child process for the in-process timings: parse (and expand) one file, print JSON.

``python bench/inproc.py TOOL PATH [--no-load]`` times only the work after start-up and
prints ``{"parse": s, "expand": s, "load": s, "total": s, "keys": n}`` on one
line: ``total`` is decode + parse + expand (what issue 2 compares with
python-dotenv and Node's ``dotenv.parse``); ``load`` is the framework loader
run afterwards on the same parse (expansion again, plus provenance for every
key: what ``envcheck explain`` needs).  TOOL is one
of :data:`TOOLS`: an envcheck dialect with the loader that expands it, or
python-dotenv's ``dotenv_values`` with or without interpolation.  Each
timing runs in a fresh process so no run warms the next one's caches.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# dialect -> (parser module, loader "module:function")
DIALECTS = {
    "node": ("envcheck.sources.readers.node", "envcheck.sources.loaders.node:load_dotenv_expand"),
    "nodeutil": ("envcheck.sources.readers.nodeutil", "envcheck.sources.loaders.vite:load_vite"),
    "python": (
        "envcheck.sources.readers.python",
        "envcheck.sources.loaders.python:load_python_dotenv",
    ),
}
TOOLS = (*(f"envcheck-{d}" for d in DIALECTS), "python-dotenv", "python-dotenv-interp")


def _expand(dialect: str, parsed: Any) -> int:
    """Expand the parsed values as the dialect's expander does; no provenance."""
    if dialect == "node":
        from envcheck.sources.readers.node_expand import expand_dotenv

        values = parsed.values()
        return len(expand_dotenv(values, values)[0])
    if dialect == "python":
        from envcheck.sources.readers.python_expand import expand_entries

        return len(expand_entries(parsed.entries, {}, override=True))
    from envcheck.sources.jsorder import js_order
    from envcheck.sources.loaders.vite import expand_value

    merged = parsed.values()  # Vite: util.parseEnv, then dotenv-expand over the keys
    for key in js_order(sorted(merged)):
        value = merged[key]
        if "$" in value:  # otherwise expansion and unescaping leave it as it is
            merged[key] = expand_value(value, merged.get, merged).replace("\\$", "$")
    return len(merged)


def _envcheck(dialect: str, path: Path, with_load: bool = True) -> dict[str, Any]:
    """Time decode + parse, then expansion alone, then the loader (expansion + provenance).

    Without ``with_load`` the loader is not run (``bench/instructions.py``
    counts the instructions of parse + expand alone).
    """
    import importlib

    from envcheck.sources.decode import decode

    parser_module, loader = DIALECTS[dialect]
    parse: Callable[..., Any] = importlib.import_module(parser_module).parse
    module, _, attr = loader.partition(":")
    load: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    data = path.read_bytes()
    gc.disable()  # as envcheck's CLI runs every command (envcheck.cli.main is gc_paused)
    t0 = time.perf_counter()
    text, _ = decode(data, ".env")
    parsed = parse(text, ".env")
    t1 = time.perf_counter()
    _expand(dialect, parsed)
    t2 = time.perf_counter()
    keys = len(load([parsed], {}, mode="development").vars) if with_load else len(parsed.entries)
    t3 = time.perf_counter()
    return {"parse": t1 - t0, "expand": t2 - t1, "load": t3 - t2, "total": t2 - t0, "keys": keys}


def _python_dotenv(path: Path, interpolate: bool) -> dict[str, Any]:
    from dotenv import dotenv_values

    start = time.perf_counter()
    values = dotenv_values(path, interpolate=interpolate)
    end = time.perf_counter()
    took = end - start
    return {"parse": took, "expand": 0.0, "load": 0.0, "total": took, "keys": len(values)}


def main(argv: list[str]) -> int:
    tool, path = argv[0], Path(argv[1])
    if tool.startswith("envcheck-"):
        report = _envcheck(tool.removeprefix("envcheck-"), path, "--no-load" not in argv[2:])
    elif tool in ("python-dotenv", "python-dotenv-interp"):
        report = _python_dotenv(path, interpolate=tool.endswith("-interp"))
    else:
        print(f"unknown tool {tool!r}; use one of {', '.join(TOOLS)}", file=sys.stderr)
        return 2
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
