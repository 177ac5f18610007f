"""Every YAML file envcheck reads (``compose.yaml``, ``pnpm-workspace.yaml``) goes through here.

YAML aliases make a small file describe a huge document: ``a: &a [x, x, x]``,
``b: &b [*a, *a, *a]``, ... (the "billion laughs" shape) triples at every
line, so a 1 KiB file in a hostile checkout names more nodes than any machine
holds.  PyYAML composes that file cheaply (an alias is the same node object
again), but everything that then walks the document -- interpolating every
string of a compose file, flattening ``<<: *merge`` keys, reading a list --
works once per path through the aliases, which is exponential.  A cycle
(``&a [*a]``) makes such a walk endless.

So the loader here measures the document as its readers will see it, while
composing, in time linear in the file: each node's *weight* (1, plus the
length of a scalar's text, plus its children's weights, an alias counting the
full weight of its anchor) and *height* (the longest path below it, through
aliases).  It refuses, with the file, line and column:

* a document whose aliases add more than :data:`MAX_ALIAS_WEIGHT` (the
  1 MiB that one ``${VAR}`` expansion may build, ``budget.MAX_VALUE``) to what
  is written out -- a real compose file reuses a block a few dozen times,
  far below it; the Go YAML library docker compose uses refuses such files
  too ("document contains excessive aliasing");
* nesting deeper than :data:`MAX_DEPTH`, counting through aliases, so no
  recursive reader (PyYAML's own composer and merge-key flattening, the
  compose walker) can run out of stack;
* an alias inside the node it names (a cycle).

A file that uses no alias is never refused for its size here: reads of
checkout files are bounded in size where they are opened.  PyYAML is
imported only inside these functions (the start-up import budget).
"""

from __future__ import annotations

from typing import Any

from envcheck.errors import EnvcheckError
from envcheck.sources.budget import MAX_VALUE

__all__ = ["MAX_ALIAS_WEIGHT", "MAX_DEPTH", "compose", "load"]

MAX_ALIAS_WEIGHT = MAX_VALUE
MAX_DEPTH = 100

_ALIAS_HINT = (
    "write the repeated part out, or nest fewer aliases (*name) inside anchored (&name) blocks"
)


class _Refused(Exception):
    """A document over a bound: what is wrong and where (a yaml Mark)."""

    def __init__(self, message: str, mark: Any, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


def _bounded_loader(text: str) -> Any:
    """A ``yaml.SafeLoader`` over ``text`` that weighs every node as it composes it."""
    import yaml

    class BoundedLoader(yaml.SafeLoader):  # type: ignore[misc]  # yaml is untyped
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            # id(node) -> (weight, height), for every node composed so far (the
            # composer keeps every node alive, so an id is never reused meanwhile).
            self.measured: dict[int, tuple[int, int]] = {}
            self.written = 0  # weight of the nodes written out (not through aliases)
            self.level = 0  # nesting of the node being composed

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                node = super().compose_node(parent, index)
                measured = self.measured.get(id(node))
                if measured is None:  # its anchor is still being composed
                    raise _Refused(
                        "an alias is used inside the node it names (a cycle), which "
                        "no reader can walk to its end",
                        mark,
                        "use the alias outside the anchored block",
                    )
                weight, height = measured
                self._check(weight, self.level + height, mark)
                return node
            mark = self.peek_event().start_mark
            self.level += 1
            self._check(0, self.level, mark)
            written_before = self.written
            node = super().compose_node(parent, index)
            self.level -= 1
            weight, height = self._measure(node)
            self.measured[id(node)] = (weight, height)
            self.written += 1 + (len(node.value) if isinstance(node.value, str) else 0)
            self._check(weight - (self.written - written_before), self.level + height, mark)
            return node

        def _measure(self, node: Any) -> tuple[int, int]:
            if isinstance(node, yaml.ScalarNode):
                return 1 + len(node.value), 1
            children = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            weight, height = 1, 0
            for child in children:
                child_weight, child_height = self.measured[id(child)]
                weight += child_weight
                height = max(height, child_height)
            return weight, height + 1

        @staticmethod
        def _check(through_aliases: int, depth: int, mark: Any) -> None:
            if through_aliases > MAX_ALIAS_WEIGHT:
                raise _Refused(
                    f"aliases expand this YAML past {MAX_ALIAS_WEIGHT >> 20} MiB "
                    "(an alias bomb: every alias repeats its whole anchored block)",
                    mark,
                    _ALIAS_HINT,
                )
            if depth > MAX_DEPTH:
                raise _Refused(
                    f"YAML nested more than {MAX_DEPTH} levels deep (counting through aliases)",
                    mark,
                    "flatten the structure",
                )

    return BoundedLoader(text)


def _where(shown: str, mark: Any) -> str:
    return f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark is not None else shown


def _read(
    text: str, shown: str, error: type[EnvcheckError], hint: str | None, construct: bool
) -> Any:
    import yaml

    loader = _bounded_loader(text)
    try:
        return loader.get_single_data() if construct else loader.get_single_node()
    except _Refused as err:
        raise error(err.message, where=_where(shown, err.mark), hint=err.hint) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or "not valid YAML"
        raise error(f"invalid YAML: {problem}", where=_where(shown, mark), hint=hint) from None
    finally:
        loader.dispose()


def compose(text: str, shown: str, error: type[EnvcheckError], hint: str | None = None) -> Any:
    """The node graph of ``text`` (``yaml.compose``), or None for an empty document.

    Raises ``error`` (file:line:col, one line) for invalid YAML and for a
    document over the bounds of this module; ``hint`` goes with syntax errors.
    """
    return _read(text, shown, error, hint, construct=False)


def load(text: str, shown: str, error: type[EnvcheckError], hint: str | None = None) -> Any:
    """The data of ``text`` (``yaml.safe_load``), with the bounds and errors of :func:`compose`."""
    return _read(text, shown, error, hint, construct=True)
