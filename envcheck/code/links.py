"""Which files of a package run only where a key selects them, from its import graph.

A provider factory loads one module of many by a key (anything-llm's ``getVectorDbClass``:
``switch (process.env.VECTOR_DB) { case "pinecone": require("../vectorDbProviders/pinecone")
... }``), and a service picks an implementation only where its key is set (postiz's
``if (process.env.KUTT_API_KEY) return new Kutt()``, firecrawl's ``if
(process.env.SERPER_API_KEY) ... serper_search(...)``).  The module chosen reads its own
keys, which nothing demands of an app that chose another: the reads are its feature's.  The
file that selects says which of its links it runs so (``FileFacts.selected``, read by
:mod:`envcheck.code.js`); here the package's graph decides whose reads that makes
``feature``: a file every importer of which in the package runs it only so, or is itself
such a file.  A file nothing in the package imports (an entry, a route, a page found by
file-system routing) or imports plainly keeps its reads as they are.

Links are resolved within the package only (relative, ``@/``, ``~/``), as
:func:`envcheck.code.sides._resolve` finds them: a link by package name or out of the
package is no edge, so it neither selects a file nor keeps one plain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envcheck.code.raw import FileFacts

__all__ = ["selected_only"]


def selected_only(per_file: Mapping[str, FileFacts]) -> frozenset[str]:
    """The files of the package (keys of ``per_file``: package-relative posix paths) that
    run only where a key selects them (see the module's docstring)."""
    if not any(facts.selected for facts in per_file.values()):
        return frozenset()
    from envcheck.code.sides import _resolve, context_of

    files = set(per_file)
    plain: dict[str, set[str]] = {}  # file -> importers that run it wherever they run
    chosen: dict[str, set[str]] = {}  # file -> importers that run it only where selected
    for importer, facts in per_file.items():
        if not facts.links or context_of(importer) != "app":
            continue  # what a test or a script imports is no part of how the app runs
        selected = set(facts.selected)
        for spec in facts.links:
            if not spec.startswith((".", "@/", "~/")):
                continue
            target = _resolve(importer, spec, files)
            if target is None or target == importer:
                continue
            (chosen if spec in selected else plain).setdefault(target, set()).add(importer)
    found: set[str] = set()
    changed = True
    while changed:  # least fixed point: a file plainly imported only by selected files
        changed = False
        for target in chosen.keys() | plain.keys():
            if target in found:
                continue
            if target in chosen or plain[target] & found:
                if plain.get(target, set()) <= found:
                    found.add(target)
                    changed = True
    return frozenset(found)
