"""Child process for the in-process timings: parse (and expand) one file, print JSON.

``python bench/inproc.py TOOL PATH`` times only the work after start-up --
decode, parse, expand, build the provenance -- and prints
``{"parse": s, "load": s, "total": s, "keys": n}`` on one line.  TOOL is one
of :data:`TOOLS`: an envcheck dialect with the loader that expands it, or
python-dotenv's ``dotenv_values`` with or without interpolation.  Each
timing runs in a fresh process so no run warms the next one's caches.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# dialect -> (parser module, loader "module:function")
DIALECTS = {
    "node": ("envcheck.sources.node_parser", "envcheck.sources.load_node:load_dotenv_expand"),
    "nodeutil": ("envcheck.sources.nodeutil_parser", "envcheck.sources.load_vite:load_vite"),
    "python": ("envcheck.sources.python_parser", "envcheck.sources.load_python:load_python_dotenv"),
}
TOOLS = (*(f"envcheck-{d}" for d in DIALECTS), "python-dotenv", "python-dotenv-interp")


def _envcheck(dialect: str, path: Path) -> dict[str, Any]:
    import importlib

    from envcheck.sources.decode import decode

    parser_module, loader = DIALECTS[dialect]
    parse: Callable[..., Any] = importlib.import_module(parser_module).parse
    module, _, attr = loader.partition(":")
    load: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    data = path.read_bytes()
    start = time.perf_counter()
    text, _ = decode(data, ".env")
    parsed = parse(text, ".env")
    mid = time.perf_counter()
    result = load([parsed], {}, mode="development")
    end = time.perf_counter()
    return {"parse": mid - start, "load": end - mid, "total": end - start, "keys": len(result.vars)}


def _python_dotenv(path: Path, interpolate: bool) -> dict[str, Any]:
    from dotenv import dotenv_values

    start = time.perf_counter()
    values = dotenv_values(path, interpolate=interpolate)
    end = time.perf_counter()
    return {"parse": end - start, "load": 0.0, "total": end - start, "keys": len(values)}


def main(argv: list[str]) -> int:
    tool, path = argv[0], Path(argv[1])
    if tool.startswith("envcheck-"):
        report = _envcheck(tool.removeprefix("envcheck-"), path)
    elif tool in ("python-dotenv", "python-dotenv-interp"):
        report = _python_dotenv(path, interpolate=tool.endswith("-interp"))
    else:
        print(f"unknown tool {tool!r}; use one of {', '.join(TOOLS)}", file=sys.stderr)
        return 2
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
