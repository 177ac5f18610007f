"""``$VAR`` expansion as the three Node expanders do it, quirks included.

* :func:`expand_dotenv` is dotenv-expand 12.0.3: ``$VAR``, ``${VAR}``,
  ``${VAR:-x}``/``${VAR-x}``/``${VAR:+x}``/``${VAR+x}``, ``\\$`` escapes; the
  result is rescanned until no reference is left; a value it has already seen
  counts as a cycle and yields the default; a non-empty process value
  replaces the file value outright.
* :func:`expand_next` is the older dotenv-expand bundled in ``@next/env``:
  it works from the *last* unescaped ``$`` backwards, knows only ``:-``, and a
  value that references itself recurses until the stack overflows.  Next.js
  catches that and drops the whole file, so this returns the offending key.
* :func:`expand_cra` is dotenv-expand 5.1.0 (react-scripts 5): every match
  is resolved recursively through ``process.env``; a cycle crashes the build.

All three replace with JavaScript's ``String.prototype.replace(string, ...)``:
the *first* occurrence of the reference text (not necessarily the one that
matched) and with ``$&``, ``$$``, `` $` ``, ``$'`` in the value interpreted.
:func:`js_replace_first` reproduces that.  Lookups are dict reads, never
copies of the environment, so expansion stays linear in the number of keys
(dotenv-expand 12 itself copies both maps for every key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from envcheck.model import FrozenRecord
from envcheck.sources.budget import Budget, BudgetExceeded, current
from envcheck.sources.jsorder import js_order
from envcheck.sources.readers.undefined import undefined_message

__all__ = [
    "ExpandIssue",
    "budget_issue",
    "undefined_issue",
    "expand_cra",
    "expand_dotenv",
    "expand_next",
    "js_replace_first",
    "unescape_dollar",
    "DOTENV_EXPAND_REF",
    "split_expression",
]

# Rescans before we call an expansion endless (Node hangs or overflows its stack).
MAX_STEPS = 10_000


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A regex of a rare path, compiled on first use (not at every start-up)."""
    return re.compile(pattern)


_SUBST = r"\$([$&`'])"
_RE_INSERT = re.compile(r"\$[&`']")


class ExpandIssue(FrozenRecord):
    """Something an expander did silently to one key (never holds a value)."""

    __slots__ = ("key", "kind", "message")
    key: str
    kind: str  # "expansion-cycle" | "expansion-runaway" | "expansion-budget" | "undefined-variable"
    message: str

    def __init__(self, key: str, kind: str, message: str) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)


def budget_issue(err: BudgetExceeded) -> ExpandIssue:
    """The issue for a key whose expansion went over the run's budget."""
    return ExpandIssue(err.key, "expansion-budget", err.message())


def undefined_issue(key: str, raw: str, names: Iterable[str], tool: str) -> ExpandIssue:
    """``key``'s value refers to variables defined nowhere: ``tool`` substitutes ``""``."""
    return ExpandIssue(key, "undefined-variable", undefined_message(key, raw, names, tool))


def reinserts(pattern: str, replacement: str) -> bool:
    """Whether substituting ``replacement`` for ``pattern`` can bring ``pattern`` back.

    It does when the text contains it, or copies the match or its
    surroundings (``$&``, ``$\u0060``, ``$'``): a rescanning expander then
    never finishes.
    """
    return pattern in replacement or ("$" in replacement and bool(_RE_INSERT.search(replacement)))


def js_replace_first(
    s: str, pattern: str, replacement: str, budget: Budget | None = None, key: str = ""
) -> str:
    """``s.replace(pattern, replacement)`` with a string pattern, as JavaScript does it.

    Each ``$``\u0060 / ``$'`` / ``$&`` in ``replacement`` copies part of ``s``: a
    short value can build a huge one in a single step, so with a ``budget``
    the size is counted (and charged to ``key``) before anything is built.
    """
    i = s.find(pattern)
    if i < 0:
        return s
    end = i + len(pattern)
    if "$" in replacement:
        before, after = s[:i], s[end:]
        table = {"$": "$", "&": pattern, "`": before, "'": after}
        if budget is not None and len(s) * replacement.count("$") > budget.max_value:
            grown = sum(len(table[m.group(1)]) - 2 for m in _compiled(_SUBST).finditer(replacement))
            budget.charge(key, len(s) + len(replacement) + grown)
        replacement = _compiled(_SUBST).sub(lambda m: table[m.group(1)], replacement)
    return s[:i] + replacement + s[end:]


def unescape_dollar(value: str) -> str:
    """dotenv-expand's ``_resolveEscapeSequences``: ``\\$`` becomes ``$``."""
    return value.replace("\\$", "$") if "\\$" in value else value


# --- dotenv-expand 12.0.3 ---------------------------------------------------

# dotenv-expand's ``(?<!\\)\$\{([^{}]+)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)``, with
# the ``$`` first so the engine can scan for it as a literal (twice as fast).
DOTENV_EXPAND_REF = re.compile(r"\$(?<!\\\$)(?:\{([^{}]+)\}|([A-Za-z_][A-Za-z0-9_]*))")
_V12_OP = r":\+|\+|:-|-"


def split_expression(expr: str) -> tuple[str, str, str]:
    """``expr.split(op)``: key, operator and default text (op ``null`` when none, as in JS).

    dotenv-expand 12 and the copy Vite 8 bundles share it.
    """
    if "-" not in expr and "+" not in expr and "null" not in expr:
        return expr, "null", ""  # no operator: most references
    op = _compiled(_V12_OP).search(expr)
    # JavaScript's ``expr.split(null)`` splits on the string "null".
    splitter = op.group(0) if op else "null"
    cut = expr.find(splitter)
    if cut < 0:
        return expr, splitter, ""
    return expr[:cut], splitter, expr[cut + len(splitter) :]


def _v12_value(
    key: str,
    value: str,
    process_env: Mapping[str, str],
    running: Mapping[str, str],
    budget: Budget,
    undefined: list[str],
) -> tuple[str, str | None]:
    """``expandValue``: the expanded value and an issue kind, if any.

    Names looked up with no operator and found nowhere go to ``undefined``;
    every string built is charged to ``budget`` (raises :class:`BudgetExceeded`).
    """
    result = value
    seen: set[str] = set()
    chain: list[str] = []
    issue: str | None = None
    looping = False
    search = DOTENV_EXPAND_REF.search
    for _ in range(MAX_STEPS):
        m = search(result)
        if m is None:
            return result, issue
        seen.add(result)
        template = m.group(0)
        braced, bare = m.groups()
        if bare is not None and "null" not in bare:
            name, splitter, rest = bare, "null", ""
        else:
            name, splitter, rest = split_expression(braced or bare or "")
        chain.append(name)
        found = process_env[name] if name in process_env else running.get(name)
        if found is None and splitter == "null" and template in value:
            undefined.append(name)  # written in this value, not reached through another
        if splitter == ":+" or splitter == "+":
            default = rest if found else ""
            found = None
        else:
            default = rest
        if found and found in seen:
            issue = "expansion-cycle"
            found = None
        replacement = found or default
        looping = looping or reinserts(template, replacement)
        try:
            if "$" in replacement:
                result = js_replace_first(result, template, replacement, budget, key)
            else:  # no replacement pattern to interpret: JavaScript's first-occurrence replace
                at = result.find(template)
                result = result[:at] + replacement + result[at + len(template) :]
            budget.charge(key, len(result), chain)
        except BudgetExceeded as err:
            err.runaway = looping
            raise
        if result == running.get(name):
            return result, issue
    return result, "expansion-runaway"


# A value that is one reference and nothing else, with no operator: ``K1=${K0}``, ``K1=$K0``
# (a name holding "null" is split on it by dotenv-expand, so it takes the full path).
_LONE_REF = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"

# A key expanded along a chain of lone references (:func:`_chained`): the value it started
# from, the value it ended with, and the steps dotenv-expand took, the characters it
# built in them and the longest string among them (what the budget is charged).
_Link = tuple[str, str, int, int, int]


def _chained(
    value: str, process_env: Mapping[str, str], links: Mapping[str, _Link], budget: Budget
) -> _Link | None:
    """``value``'s expansion worked out from the key it refers to, when ``value`` is a lone
    reference (``K2=${K1}``) to a plain value or to a key expanded this way already; None
    otherwise (and whenever the budget would stop it: the full path says where).

    dotenv-expand looks names up in ``process.env``, which holds the file's *raw*
    values, so ``K2=${K1}`` becomes ``${K0}`` and then ``start``: the key n links down
    a chain rescans n raw values, and a 100k-key chain is five billion steps.  From
    its first step on, ``K2``'s expansion *is* ``K1``'s (the same string, looked up in
    the same place): the steps after the first are the ones ``K1`` took, ending where
    they ended.  Nothing in between can differ: every key on the way holds a lone
    reference (so no ``$&``-style pattern, no default, no undefined name), was expanded
    this way before (so its stop test, "the result is the key's expanded value",
    fails as it failed then: that value holds no ``$``, the raw one does), and a cycle
    would have stopped the chain earlier.  So a chain is expanded once per link, with
    the framework's own step count and built size charged to the budget as if every
    step had run: a chain that runs the budget out is still stopped, where the step
    by step path (run for that key) stops it.
    """
    if value[:1] != "$":  # most values with a reference hold text beside it
        return None
    ref = _compiled(_LONE_REF).fullmatch(value)
    if ref is None:
        return None
    name = ref.group(1) or ref.group(2)
    found = process_env.get(name)
    if not found or found == value or "null" in name:
        return None
    if "$" not in found:  # the end of the chain: one step, the plain value
        steps, built, widest, result = 1, len(found), len(found), found
    else:
        link = links.get(name)
        if link is None or link[0] != found:
            return None
        _, result, steps, built, widest = link
        steps, built, widest = steps + 1, built + len(found), max(widest, len(found))
    if steps > MAX_STEPS or widest > budget.max_value or budget.spent + built > budget.max_total:
        return None
    budget.spent += built
    return value, result, steps, built, widest


def expand_dotenv(
    parsed: Mapping[str, str], process_env: Mapping[str, str]
) -> tuple[dict[str, str], list[ExpandIssue]]:
    """dotenv-expand 12's ``expand({parsed, processEnv})``: key -> expanded value.

    ``parsed`` is one ``dotenv.parse`` result (or several merged); the
    returned dict is in JavaScript key order.  A non-empty process value that
    differs from the file's replaces it (unexpanded); ``\\$`` is unescaped.
    A key over the expansion budget keeps its value as written.
    """
    out: dict[str, str] = {}
    issues: list[ExpandIssue] = []
    links: dict[str, _Link] = {}  # keys expanded along a chain of lone references
    budget = current()
    for key in js_order(parsed):
        value = parsed[key]
        pv = process_env.get(key)
        if pv and pv != value:
            value = pv
        elif "$" not in value:  # nothing to expand or unescape: most values
            out[key] = value
            continue
        elif (link := _chained(value, process_env, links, budget)) is not None:
            links[key] = link
            out[key] = link[1]  # no "$" in it: nothing to unescape
            continue
        else:
            undefined: list[str] = []
            mark = budget.spent
            try:
                value, kind = _v12_value(key, value, process_env, out, budget, undefined)
            except BudgetExceeded as err:
                if not err.runaway:
                    issues.append(budget_issue(err))
                    out[key] = value
                    continue
                # Its own reference keeps coming back: dotenv-expand loops forever.
                budget.rollback(mark)
                kind = "expansion-runaway"
            if undefined:
                issues.append(undefined_issue(key, parsed[key], undefined, "dotenv-expand"))
            if kind == "expansion-cycle":
                issues.append(
                    ExpandIssue(
                        key,
                        kind,
                        f"{key} refers back to itself; dotenv-expand substitutes "
                        "the default (or nothing) for the repeated reference",
                    )
                )
            elif kind == "expansion-runaway":
                issues.append(
                    ExpandIssue(
                        key,
                        kind,
                        f"expanding {key} never finishes (references keep growing); "
                        "dotenv-expand would hang the app",
                    )
                )
        out[key] = unescape_dollar(value)
    return out, issues


# --- @next/env 16 (bundled dotenv-expand, pre-v11) -------------------------

_NEXT_REF = re.compile(r"\$\{?([A-Za-z0-9_]+)(?::-([^}\\]*))?\}?")


def _last_unescaped_dollar(s: str) -> int:
    i = s.rfind("$")
    while i > 0 and s[i - 1] == "\\":
        i = s.rfind("$", 0, i - 1)
    return i


def _next_interpolate(
    key: str,
    value: str,
    env: Mapping[str, str],
    parsed: Mapping[str, str],
    budget: Budget,
    undefined: list[str],
) -> str | None:
    """``_interpolate``: the expanded value, or ``None`` where Node's recursion never ends."""
    s = value
    seen: set[str] = set()
    chain: list[str] = []
    looping = False
    for _ in range(MAX_STEPS):
        i = _last_unescaped_dollar(s)
        if i < 0:
            return s
        m = _NEXT_REF.match(s, i)
        if m is None:
            return s
        name, default = m.group(1), m.group(2)
        chain.append(name)
        if default is None and name not in env and name not in parsed and m.group(0) in value:
            undefined.append(name)  # written in this value, not reached through another
        repl = env.get(name) or default or parsed.get(name) or ""
        looping = looping or reinserts(m.group(0), repl)
        try:
            s = js_replace_first(s, m.group(0), repl, budget, key)
            budget.charge(key, len(s), chain)
        except BudgetExceeded as err:
            err.runaway = looping
            raise
        if s in seen:
            return None
        seen.add(s)
    return None


def expand_next(
    parsed: dict[str, str], env: dict[str, str], issues: list[ExpandIssue] | None = None
) -> str | None:
    """@next/env's ``expand``: expands ``parsed`` in place, then writes it into ``env``.

    ``env`` plays ``process.env``: a key already there takes its value from
    it (then expanded again), and every key of the file is written back, so
    later files see this one's values.  Returns the key whose expansion makes
    Node overflow its stack; then nothing is written (Next.js drops the file).
    Undefined references and keys over the expansion budget (which keep
    their value as written) are added to ``issues``.
    """
    budget = current()
    found: list[ExpandIssue] = []
    for key in js_order(parsed):
        raw = env[key] if key in env else parsed[key]
        if "$" not in raw:
            parsed[key] = raw
            continue
        undefined: list[str] = []
        mark = budget.spent
        try:
            value = _next_interpolate(key, raw, env, parsed, budget, undefined)
        except BudgetExceeded as err:
            if not err.runaway:
                found.append(budget_issue(err))
                parsed[key] = raw
                continue
            # The value keeps re-inserting its own reference: Node's recursion
            # overflows the stack long before any budget, and Next drops the file.
            budget.rollback(mark)
            value = None
        if value is None:
            return key
        if undefined:
            found.append(undefined_issue(key, raw, undefined, "Next.js"))
        parsed[key] = unescape_dollar(value)
    env.update(parsed)
    if issues is not None:
        issues.extend(found)
    return None


# --- dotenv-expand 5.1.0 (react-scripts 5) ---------------------------------

_CRA_REF = r"([^\n\r\u2028\u2029]?)\$\{?([A-Za-z0-9_]+)?\}?"


class _Cycle(Exception):
    """A reference chain that loops: react-scripts dies with a stack overflow."""


def _cra_interpolate(
    value: str,
    lookup: Mapping[str, str],
    memo: dict[str, str],
    stack: dict[str, None],
    budget: Budget,
    undefined: list[str] | None,
) -> str:
    """One value, references resolved recursively (``stack``: the chain being followed).

    Names of this value (not of the values it reaches) that ``lookup`` lacks
    go to ``undefined`` when it is given.
    """
    s = value
    for m in _compiled(_CRA_REF).finditer(value):
        prefix = m.group(1)
        if prefix == "\\":
            part = m.group(0)
            repl = part.replace("\\$", "$", 1)
        else:
            part = m.group(0)[len(prefix) :]
            key = m.group(2) if m.group(2) is not None else "undefined"
            if undefined is not None and m.group(2) is not None and key not in lookup:
                undefined.append(key)
            if key not in memo:
                if key in stack:
                    raise _Cycle(key)
                first = next(iter(stack), key)
                budget.descend(first, list(stack))
                stack[key] = None
                memo[key] = _cra_interpolate(lookup.get(key, ""), lookup, memo, stack, budget, None)
                del stack[key]
            repl = memo[key]
        top = next(iter(stack), "")
        s = js_replace_first(s, part, repl, budget, top)
        budget.charge(top, len(s), list(stack))
    return s


def expand_cra(keys: Iterable[str], env: dict[str, str]) -> list[ExpandIssue]:
    """dotenv-expand 5 after ``dotenv.config``: re-expand ``keys`` of ``env`` in place.

    By then every key of the file is in ``process.env`` (``env``), so the
    values expanded are the process values where they exist; lookups go to
    ``env`` only (a name in neither is empty).  A cycle is reported and the
    key left as it was (react-scripts itself crashes), and so is a key over
    the expansion budget.
    """
    order = js_order(keys)
    memo: dict[str, str] = {}
    issues: list[ExpandIssue] = []
    done: dict[str, str] = {}
    budget = current()
    for key in order:
        raw = env[key]
        if "$" not in raw:
            done[key] = raw
            continue
        undefined: list[str] = []
        try:
            done[key] = _cra_interpolate(raw, env, memo, {key: None}, budget, undefined)
        except _Cycle:
            issues.append(
                ExpandIssue(
                    key,
                    "expansion-cycle",
                    f"expanding {key} loops back on itself; react-scripts crashes "
                    "with 'Maximum call stack size exceeded'",
                )
            )
            done[key] = raw
            continue
        except BudgetExceeded as err:
            issues.append(budget_issue(err))
            done[key] = raw
            continue
        if undefined:
            issues.append(undefined_issue(key, raw, undefined, "react-scripts"))
    env.update(done)
    return issues
