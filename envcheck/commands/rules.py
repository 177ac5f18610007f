"""``envcheck rules [CODE]``: the rule list, or one rule's documentation.

The argument may be a code (``EC201``), a name (``duplicated-key``) or a code
prefix (``EC2``, which lists that family).  Anything else is a usage error
(exit 2) with a hint, never an empty list that looks like success.
"""

from __future__ import annotations

import click

from envcheck.errors import EXIT_USAGE
from envcheck.report.sanitize import for_terminal
from envcheck.rules.base import Rule
from envcheck.secret import redact

__all__ = ["rules", "format_table", "format_rule"]


def format_table(rules: tuple[Rule, ...] | list[Rule]) -> str:
    """One row per rule: code, name, default severity, on/off by default, summary."""
    width = max((len(r.name) for r in rules), default=0)
    rows = [f"{'CODE':<6} {'NAME':<{width}}  {'SEVERITY':<8} {'DEFAULT':<7} SUMMARY"]
    rows.extend(
        f"{r.code:<6} {r.name:<{width}}  {r.severity.value:<8} "
        f"{'on' if r.default_enabled else 'off':<7} {r.summary}"
        for r in rules
    )
    return "\n".join(rows)


def format_rule(rule: Rule) -> str:
    """The full documentation of one rule."""
    state = "on by default" if rule.default_enabled else "off by default (enable with --select)"
    head = (
        f"{rule.code} {rule.name}\n\n{rule.summary}\n\n"
        f"Default severity: {rule.severity.value}; {state}."
    )
    return f"{head}\n\n{rule.doc.strip()}" if rule.doc else head


@click.command("rules")
@click.argument("code", required=False)
@click.pass_context
def rules(ctx: click.Context, code: str | None) -> int:
    """List all rules, or print the documentation of CODE (a code, name or code prefix)."""
    from envcheck.rules.registry import all_rules, find_rule

    if code is None:
        click.echo(format_table(all_rules()))
        return 0
    rule = find_rule(code)
    if rule is not None:
        click.echo(format_rule(rule))
        return 0
    prefix = code.strip().upper()
    family = [r for r in all_rules() if prefix.startswith("EC") and r.code.startswith(prefix)]
    if family:
        click.echo(format_table(family))
        return 0
    # redact: a key pasted here by mistake must not reach a CI log
    click.echo(f"envcheck: error: no rule {for_terminal(redact(repr(code), ()))}", err=True)
    click.echo("  hint: run `envcheck rules` to list codes and names", err=True)
    ctx.exit(EXIT_USAGE)
