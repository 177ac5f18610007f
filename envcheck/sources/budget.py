"""One bound on ``${VAR}`` expansion, shared by every expander.

Expansion is the one place where the work envcheck does is not linear in
the size of the files it reads: ``A1=${A0}${A0}``, ``A2=${A1}${A1}`` ... (the
"billion laughs" shape) doubles the text at every line, and a reference
chain ``A2=$A1``, ``A3=$A2`` ... recurses once per link.  A hostile ``.env``
in a cloned repository or a pull request must not hang ``check`` or exhaust
the memory of a CI runner, so every expander charges what it produces to a
:class:`Budget` and stops when it is spent:

* ``max_value`` (1 MiB): the longest value one expansion may build;
* ``max_total`` (64 MiB): all text built by all expansions of one run,
  intermediate results included (a rescanning expander rebuilds the value at
  every step, so this bounds the *work*, not just the output);
* ``max_depth`` (64): the longest reference chain followed (recursion depth).

Usage in an expander (once per load, not per key)::

    budget = current()
    ...
    budget.charge(key, len(result), chain)   # after building each string
    budget.descend(key, chain)               # before following a reference
    mark = budget.spent; ...; budget.rollback(mark)  # a runaway the framework fails on

An expander that knows its replacements re-insert what they replace sets
``runaway`` on the exception before it leaves, so the loader can tell "the
framework loops forever" (its own note) from "the framework builds a huge
value" (``expansion-budget``).

Both raise :class:`BudgetExceeded`; the loader turns it into a
:class:`~envcheck.sources.types.Problem` of kind ``expansion-budget``
(:meth:`BudgetExceeded.problem`), keeps the key's value as written, and goes
on with the next key.  Once the run's total is spent, every later charge
fails at once, so a file of many runaway keys stops as fast as one.

A command that loads several times (all modes, ``diff``) shares one budget
with ``with run_budget(): ...``; without it :func:`current` gives each load a
fresh budget.  No value ever enters this module: only keys and sizes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from envcheck.sources.types import Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_TOTAL",
    "MAX_VALUE",
    "PROBLEM_KIND",
    "Budget",
    "BudgetExceeded",
    "current",
    "run_budget",
]

MAX_VALUE = 1 << 20
MAX_TOTAL = 64 << 20
MAX_DEPTH = 64
PROBLEM_KIND = "expansion-budget"


def _mib(size: int) -> str:
    return f"{size / (1 << 20):g} MiB" if size >= 1 << 20 else f"{size} bytes"


class BudgetExceeded(Exception):
    """An expansion went over its budget: which key, through which chain, which limit."""

    def __init__(self, key: str, chain: Sequence[str], limit: str, detail: str) -> None:
        self.key = key
        self.chain = tuple(chain)
        self.limit = limit  # "value" | "total" | "depth"
        self.detail = detail
        # Set by an expander whose replacements re-insert the reference they
        # replace (``X=${X}:y`` read raw, ``$&``): the framework itself never
        # finishes, which it reports as its own failure, not as a budget one.
        self.runaway = False
        super().__init__(self.message())

    def chain_text(self) -> str:
        """``A3 -> A2 -> A1``: the references followed, starting at the key (at most 8 shown)."""
        links = list(dict.fromkeys((self.key, *self.chain)))  # each key once, first seen first
        if len(links) > 8:
            links = [*links[:4], f"... {len(links) - 7} more ...", *links[-3:]]
        return " -> ".join(links)

    def message(self) -> str:
        return (
            f"expanding {self.key} was stopped: {self.detail} (chain {self.chain_text()}); "
            "the app would build this value at start-up, which hangs it or runs it out of memory"
        )

    def problem(self, path: str, line: int = 1, col: int = 1) -> Problem:
        """The loader note (kind ``expansion-budget``) for the key at ``path:line:col``."""
        return Problem(PROBLEM_KIND, self.message(), path, line, col, self.key)


class Budget:
    """What one run may still spend on expansion (see the module docstring)."""

    __slots__ = ("max_value", "max_total", "max_depth", "spent")

    def __init__(
        self,
        *,
        max_value: int = MAX_VALUE,
        max_total: int = MAX_TOTAL,
        max_depth: int = MAX_DEPTH,
    ) -> None:
        self.max_value = max_value
        self.max_total = max_total
        self.max_depth = max_depth
        self.spent = 0

    @property
    def exhausted(self) -> bool:
        return self.spent > self.max_total

    def charge(self, key: str, size: int, chain: Sequence[str] = ()) -> None:
        """Count ``size`` characters built while expanding ``key``; raise when over a limit.

        A value over ``max_value`` is refused before it counts: an expander may
        ask before building it (a replacement pattern that would copy the text).
        """
        if size > self.max_value:
            raise BudgetExceeded(
                key,
                chain,
                "value",
                f"its value grows past {_mib(self.max_value)} (references double it)",
            )
        self.spent += size
        if self.spent > self.max_total:
            raise BudgetExceeded(
                key,
                chain,
                "total",
                f"expansion of this run has built over {_mib(self.max_total)}",
            )

    def rollback(self, mark: int) -> None:
        """Forget what was charged since ``mark`` (an earlier ``spent``).

        For an expansion the framework itself never finishes (a key whose value
        keeps re-inserting its own reference): the loader reports that as the
        framework's own failure, and one such key must not leave the rest of
        the run without budget.  It ends a file's expansion, so it happens at
        most once per file.
        """
        self.spent = min(self.spent, mark)

    def descend(self, key: str, chain: Sequence[str]) -> None:
        """Before following one more reference from ``key``: raise when ``chain`` is too deep."""
        if len(chain) >= self.max_depth:
            raise BudgetExceeded(
                key, chain, "depth", f"the reference chain is over {self.max_depth} keys deep"
            )
        if self.spent > self.max_total:
            raise BudgetExceeded(
                key, chain, "total", f"expansion of this run has built over {_mib(self.max_total)}"
            )


_CURRENT: ContextVar[Budget | None] = ContextVar("envcheck_expansion_budget", default=None)


def current() -> Budget:
    """The budget of the running command, or a fresh one when none is shared."""
    budget = _CURRENT.get()
    return budget if budget is not None else Budget()


@contextmanager
def run_budget(budget: Budget | None = None) -> Iterator[Budget]:
    """Share one budget between every load inside the ``with`` block."""
    token = _CURRENT.set(budget if budget is not None else Budget())
    try:
        yield _CURRENT.get() or Budget()
    finally:
        _CURRENT.reset(token)
