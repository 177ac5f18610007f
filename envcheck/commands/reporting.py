"""What check-like commands share after loading: config, report options, output.

Machine formats go to stdout alone; the summary goes to stderr so that
``envcheck --format json | jq`` always sees valid JSON.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from envcheck.errors import ConfigError
from envcheck.model import Record, Report

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "github", "sarif")


def report_options(func: F) -> F:
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
    ]
    for option in reversed(options):
        func = option(func)
    return func


def probe_settings(
    provider_names: tuple[str, ...], min_credit: float | None, trust_base_url: bool
) -> dict[str, Any]:
    """The :func:`~envcheck.probe.run.run_probes` keywords for :func:`probe_options`' values."""
    return {
        "only": providers(provider_names),
        "min_credit": min_credit,
        "trust_base_url": trust_base_url,
    }


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


class Config(Record):
    """The project's schema and envcheck settings (envcheck.toml, pyproject, .env.example)."""

    __slots__ = ("schema", "select", "ignore", "strict", "framework", "mode", "extra")
    schema: Any
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    strict: bool
    framework: str | None
    mode: str | None
    extra: dict[str, Any]

    def __init__(
        self,
        schema: Any = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        strict: bool = False,
        framework: str | None = None,
        mode: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.select = select
        self.ignore = ignore
        self.strict = strict
        self.framework = framework
        self.mode = mode
        self.extra = {} if extra is None else extra

    def rules(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The config's ``select`` and ``ignore``, each checked against the rules.

        Here rather than when the config is read: ``explain`` reads the same
        config and runs no rule, so it never imports one.  A selector that
        matches no rule is an error naming the config file.
        """
        from envcheck.rules.registry import validate_selectors

        where = getattr(self.schema, "config_file", None) or getattr(self.schema, "source", None)
        for name, selectors in (("select", self.select), ("ignore", self.ignore)):
            try:
                validate_selectors(selectors, name)
            except ConfigError as err:
                raise ConfigError(err.message, where=where, hint=err.hint) from None
        return self.select, self.ignore

    def project_defaults(self, opts: dict[str, Any]) -> dict[str, Any]:
        """Command-line options, with the config's framework and mode where not given.

        The schema's key names go along (``declared``), so the loaded project
        includes the keys the app needs that only the process environment sets.
        """
        merged = dict(opts)
        if merged.get("framework", "auto") == "auto" and self.framework:
            merged["framework"] = self.framework
        if not merged.get("mode") and self.mode:
            merged["mode"] = self.mode
        keys = getattr(self.schema, "keys", None)
        if keys:
            merged["declared"] = tuple(keys)
            merged["case_sensitive"] = bool(getattr(self.schema, "case_sensitive", True))
        return merged


def load_config(project_dir: Path, settings: str | None = None) -> Config:
    """Read the schema and settings; no schema module yet means no schema."""
    if importlib.util.find_spec("envcheck.schema.load") is None:
        return Config()
    from envcheck.schema.load import load_schema

    schema = load_schema(project_dir, settings=settings)
    if schema is None:
        from envcheck.workspace.context import root_schema

        schema = root_schema(project_dir, load_schema)  # an app of a monorepo: the root's
    if schema is None:
        return Config()
    select = tuple(getattr(schema, "select", ()) or ())
    if getattr(schema, "allow_unknown", None) is False:
        select += ("unknown-key",)  # the schema closes the key set
    return Config(
        schema=schema,
        select=select,
        ignore=tuple(getattr(schema, "ignore", ()) or ()),
        strict=bool(getattr(schema, "strict", False)),
        framework=getattr(schema, "framework", None),
        mode=getattr(schema, "mode", None),
    )


def emit(report: Report, fmt: str, *, quiet: bool, verbose: bool, stream: TextIO) -> None:
    from envcheck.report import render, summary, use_color

    text = render(report, fmt, color=use_color(stream), quiet=quiet, verbose=verbose)
    if text:
        click.echo(text, file=stream)
    if fmt == "text" and not (quiet and not report.findings):
        click.echo(summary(report), err=True)


def add_probe(
    report: Report,
    project: Any,
    config: Config,
    *,
    timeout: float,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    settings: dict[str, Any] | None = None,
) -> None:
    """Run the live probe and fold its (enabled, unsuppressed) findings into ``report``.

    ``settings``: more :func:`~envcheck.probe.run.run_probes` keywords
    (:func:`probe_settings`).
    """
    from envcheck.engine import filter_findings
    from envcheck.errors import EXIT_INCONCLUSIVE
    from envcheck.probe.run import refuse_misconfigured, run_probes
    from envcheck.rules.probe import exit_code, findings

    results = run_probes(
        project.resolution,
        timeout=timeout,
        schema=config.schema,
        environ=project.process_env,
        **(settings or {}),
    )
    refuse_misconfigured(results)  # a refused destination is exit 2, not "inconclusive"
    report.findings.extend(
        filter_findings(
            findings(results),
            project.project_dir,
            select,
            (*config.rules()[1], *ignore),
            extend=config.rules()[0],  # the config's select adds rules; --select picks them
        )
    )
    report.inconclusive = exit_code(results) == EXIT_INCONCLUSIVE


def validate(
    project_dir: Path,
    opts: dict[str, Any],
    *,
    settings: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    probe: bool,
    timeout: float,
    files: bool = True,
    probing: dict[str, Any] | None = None,
) -> tuple[Any, Report, Config]:
    """What `check` and `exec` both do: config, project, rules, and the probe if asked.

    Returns the loaded :class:`~envcheck.commands.common.Project`, the report
    and the config.
    """
    from envcheck.commands.common import load_project
    from envcheck.engine import check

    config = load_config(project_dir, settings)
    project = load_project(project_dir=project_dir, files=files, **config.project_defaults(opts))
    if opts.get("target") or opts.get("phase"):  # keys only another phase needs: optional
        from envcheck.targets.phase import schema_for_phase

        phase = opts.get("phase") or "start"
        config.schema = schema_for_phase(config.schema, project.profile, phase)
    config_select, config_ignore = config.rules()
    report = check(
        project,
        select=select,
        ignore=(*config_ignore, *ignore),
        schema=config.schema,
        extend=config_select,  # the config's select adds rules; --select picks them
        # only those files; --no-code: the source is not read (envcheck.rules.code)
        options={"explicit_files": bool(opts.get("env_files")), "code": not opts.get("no_code")},
    )
    if probe:
        add_probe(
            report,
            project,
            config,
            timeout=timeout,
            select=select,
            ignore=ignore,
            settings=probing,
        )
    return project, report, config
