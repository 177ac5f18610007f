"""The one list of rule families, and selection by code, prefix or name.

Families are module names resolved on use (pre-commit's ``all_languages``
habit), so ``envcheck --help`` imports no rule code at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from types import ModuleType

from envcheck.errors import ConfigError
from envcheck.rules.base import Rule

# family -> module; the code prefix of each family in brackets.
FAMILIES: dict[str, str] = {
    "syntax": "envcheck.rules.syntax",  # EC1xx
    "style": "envcheck.rules.style",  # EC2xx
    "schema": "envcheck.rules.schema",  # EC3xx
    "security": "envcheck.rules.security",  # EC4xx
    "precedence": "envcheck.rules.precedence",  # EC5xx
    "diff": "envcheck.rules.diff",  # EC6xx
    "probe": "envcheck.rules.probe",  # EC7xx
    "turbo": "envcheck.rules.turbo",  # EC8xx
    "workspace": "envcheck.rules.workspace",  # EC810 (cross-app, at a workspace root)
    "code": "envcheck.rules.code",  # EC9xx (what the source reads)
}

# Families whose checks run in `check` (diff and probe have their own commands).
CHECK_FAMILIES = ("syntax", "style", "schema", "security", "precedence", "turbo", "code")


@cache
def family_module(family: str) -> ModuleType:
    """The module of a rule family, imported on first use."""
    return importlib.import_module(FAMILIES[family])


@cache
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for family in FAMILIES:
        rules.extend(family_module(family).RULES)
    return tuple(sorted(rules, key=lambda r: r.code))


def find_rule(selector: str) -> Rule | None:
    """A rule by exact code or name (case-insensitive)."""
    wanted = selector.strip().lower()
    for rule in all_rules():
        if rule.code.lower() == wanted or rule.name == wanted:
            return rule
    return None


def _matches(rule: Rule, selector: str) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    if s.upper().startswith("EC"):
        return rule.code.startswith(s.upper())
    return (
        rule.name == s.lower()
        or FAMILIES.get(s.lower()) is not None
        and (rule in _family_rules(s.lower()))
    )


def _rules_lazily() -> Iterator[Rule]:
    """Every rule, importing a family only when the ones before it did not suffice."""
    for family in FAMILIES:
        yield from _family_rules(family)


def _family_rules(family: str) -> tuple[Rule, ...]:
    return tuple(family_module(family).RULES)


def validate_selectors(selectors: Iterable[str], what: str) -> None:
    for s in selectors:
        if not any(_matches(r, s) for r in _rules_lazily()):
            raise ConfigError(
                f"{what} {s!r} matches no rule",
                hint="run `envcheck rules` to list codes and names",
            )


def enabled_codes(
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    *,
    families: Sequence[str] | None = None,
    extend: Sequence[str] = (),
) -> frozenset[str]:
    """The codes that run: ``select`` (else the defaults), plus ``extend``, minus ``ignore``.

    As in ruff, ``--select EC507`` means *only* EC507; ``extend`` adds rules
    to whichever set that is (the config file's ``select``, which turns a
    noisy rule on by name, ``allow_unknown = false``, ``diff --verbose``);
    ``ALL`` turns on everything.  ``ignore`` wins over both.  ``families``
    limits the answer to those families' rules (the others are not
    imported): the same codes as without it, intersected with theirs.
    """
    validate_selectors(select, "--select")
    validate_selectors(ignore, "--ignore")
    validate_selectors(extend, "select")
    rules = (
        all_rules() if families is None else tuple(r for f in families for r in _family_rules(f))
    )
    if select:
        codes = {r.code for r in rules if any(_matches(r, s) for s in select)}
    else:
        codes = {r.code for r in rules if r.default_enabled}
    codes |= {r.code for r in rules if any(_matches(r, s) for s in extend)}
    codes -= {r.code for r in rules if any(_matches(r, s) for s in ignore)}
    return frozenset(codes)
