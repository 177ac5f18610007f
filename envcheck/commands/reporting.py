"""What check-like commands share: report and probe options, and the output.

Machine formats go to stdout alone; the summary goes to stderr so that
``envcheck --format json | jq`` always sees valid JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from envcheck.model import Report
from envcheck.report.echo import echo

if TYPE_CHECKING:
    from envcheck.engine import ProbeOptions

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "github", "sarif")


def report_options(func: F) -> F:
    import click  # the command line's fast path (envcheck.cli) runs without click

    options = [
        click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
        ),
        click.option(
            "--select", multiple=True, help="Only these rules: code, code prefix or name."
        ),
        click.option("--ignore", multiple=True, help="Rules to skip: code, code prefix or name."),
        click.option("--quiet", "-q", is_flag=True, help="Print only problems."),
        click.option("--verbose", "-v", is_flag=True, help="Print more detail."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def probe_options(func: F) -> F:
    """``--provider``, ``--min-credit``, ``--trust-base-url``: for probe, check --probe, exec."""
    import click  # the command line's fast path (envcheck.cli) runs without click

    options = [
        click.option(
            "--provider",
            "provider_names",
            multiple=True,
            metavar="NAME[,NAME]",
            help="Probe only these providers' keys (repeatable or comma-separated).",
        ),
        click.option(
            "--min-credit",
            type=click.FloatRange(min=0),
            default=None,
            metavar="AMOUNT",
            help="Where the provider reports a balance, less than AMOUNT left is 'no credit'.",
        ),
        click.option(
            "--trust-base-url",
            is_flag=True,
            help="Send keys to base URLs read from the env files (default: only to the "
            "provider's own host, the schema's base_url, or one set in the process environment).",
        ),
        click.option(
            "--expiry-warn",
            type=click.FloatRange(min=0, max=3650),
            default=14,
            show_default=True,
            metavar="DAYS",
            help="Warn about a key that expires within DAYS (a JWT's exp, read offline; "
            "GitHub's token expiration); an expired key is an error.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def probe_request(
    wanted: bool,
    timeout: float,
    provider_names: tuple[str, ...],
    min_credit: float | None,
    trust_base_url: bool,
    *,
    expiry_warn: float | None = None,
    code: bool = True,
) -> ProbeOptions | None:
    """The :class:`~envcheck.engine.ProbeOptions` of ``--timeout`` and :func:`probe_options`
    (``code``: not ``--no-code``; ``expiry_warn`` None: the options' default), or None
    when no probe is ``wanted`` (``check`` and ``exec`` without ``--probe``)."""
    if not wanted:
        return None
    from envcheck.engine import ProbeOptions

    if expiry_warn is None:
        expiry_warn = ProbeOptions().expiry_warn
    return ProbeOptions(
        timeout, providers(provider_names), min_credit, trust_base_url, expiry_warn, code
    )


def providers(values: tuple[str, ...]) -> frozenset[str] | None:
    """``--provider`` values (repeatable, comma-separated) as provider names; None = all."""
    if not values:
        return None
    from envcheck.errors import ProbeError
    from envcheck.probe.catalog import NAMES

    names = {n.strip().lower() for v in values for n in v.split(",") if n.strip()}
    unknown = sorted(names - set(NAMES))
    if unknown:
        raise ProbeError(
            f"unknown provider {', '.join(unknown)}", hint=f"use one of: {', '.join(NAMES)}"
        )
    return frozenset(names) if names else None


def emit(report: Report, fmt: str, *, quiet: bool, verbose: bool, stream: TextIO) -> None:
    from envcheck.report import summary, use_color, write

    def out(piece: str) -> None:
        echo(piece, file=stream, nl=False)

    write(report, fmt, out, color=use_color(stream), quiet=quiet, verbose=verbose)
    if fmt == "text" and not (quiet and not report.findings):
        echo(summary(report), err=True)
