"""What the dotenvx 1.x and 2.x oracle tests share (tests/sources/test_dotenvx_loader.py,
test_dotenvx2.py): the corpus, the process environments each file is loaded under, the
kinds of note a comparison leaves out, and the comparison itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from envcheck.secret import reveal
from envcheck.sources.loaders.dotenvx import load_dotenvx
from envcheck.sources.readers.dotenvx import parse
from envcheck.sources.types import LoadResult
from tests.harness import CORPUS

FILES = sorted((CORPUS / "files").glob("*.env"))
UNKNOWN_KINDS = {"command-substitution"}  # a value we cannot know: not compared
STOPPED_KINDS = {"expansion-cycle", "expansion-budget"}  # the real dotenvx loops forever
PROCESS_ENVS: list[dict[str, str]] = [
    {},
    {"SET": "yes", "HOST": "procHost", "EMPTY": "", "A": "procA", "L": "procL", "J": "pj"},
]


def values(result: LoadResult, process: dict[str, str]) -> dict[str, str]:
    """The process environment the app sees: ``process`` with the loaded values over it."""
    out = dict(process)
    out.update({k: reveal(r.value) for k, r in result.vars.items()})
    return out


def differences(result: LoadResult, process: dict[str, str], want: dict[str, str]) -> list[str]:
    """The keys whose value differs from the real dotenvx's ``want``, unknowns left out."""
    unknown = {n.key for n in result.notes if n.kind in UNKNOWN_KINDS}
    got = values(result, process)
    return [
        k for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k) and k not in unknown
    ]


def corpus_disagreements(
    oracle: Callable[[list[dict[str, Any]]], list[dict[str, Any]]], **load: Any
) -> dict[tuple[str, bool, bool], list[str]]:
    """Every corpus file under every process environment, plain and ``overload``: our
    loader (``load_dotenvx(..., **load)``) against ``oracle`` (the real CLI)."""
    cases, meta = [], []
    for f in FILES:
        text = f.read_bytes().decode("utf-8", "replace")
        for env in PROCESS_ENVS:
            for overload in (False, True):
                model = load_dotenvx([parse(text, f.name)], env, overload=overload, **load)
                if any(n.kind in STOPPED_KINDS for n in model.notes):
                    continue  # the real dotenvx would loop forever on it
                cases.append(
                    {"cwd": str(f.parent), "files": [f.name], "env": env, "overload": overload}
                )
                meta.append((f.name, env, overload, model))
    assert len(cases) >= 4 * 100
    bad = {}
    for (name, env, overload, model), answer in zip(meta, oracle(cases), strict=True):
        diff = differences(model, env, dict(answer["env"]))
        if diff:
            bad[(name, bool(env), overload)] = diff
    return bad
