"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` holds only the rules the results reference
(with their docs as ``help.markdown``).  File findings carry a physical
location relative to ``%SRCROOT%``; process-environment findings have no
file, so they carry a logical location naming the variable instead.  A finding's
related places are its ``relatedLocations``, each with its label as message.
``partialFingerprints`` identify a result across runs by a hash of
(code, path, key) - never of a value, and without the line when there is a
key, so moving a line does not make a finding "new" (detect-secrets' habit).
Columns count Unicode code points (``columnKind``), as envcheck's do.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from pathlib import PurePath
from typing import Any

from envcheck import __version__
from envcheck.model import PROCESS, Finding, Location, Report, Severity
from envcheck.rules.base import Rule
from envcheck.secret import safe_key

__all__ = ["render", "to_dict", "SCHEMA_URI"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_for(f: Finding) -> Rule:
    from envcheck.rules.registry import find_rule

    rule = find_rule(f.code)
    if rule is None:  # a finding from a family that is not registered: describe it anyway
        rule = Rule(f.code, f.name, f.severity, f.name.replace("-", " "), "")
    return rule


def _descriptor(rule: Rule) -> dict[str, Any]:
    help_text = rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": help_text, "markdown": rule.doc or help_text},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.default_enabled},
        "properties": {"tags": [rule.code[:3].lower()]},
    }


def _uri(path: str) -> tuple[str, bool]:
    """A URI reference for ``path``, and whether it is relative to %SRCROOT%."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri(), False
    return urllib.parse.quote(pure.as_posix()), True


def fingerprint(f: Finding) -> str:
    """Stable identity of a finding: code, path and key (the line only when keyless)."""
    anchor = safe_key(f.key) if f.key is not None else f"line:{f.location.line}"
    material = "\0".join((f.code, f.location.path or "", anchor))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _location(location: Location, key: str | None) -> dict[str, Any]:
    """A SARIF location: physical for a file, logical (the variable ``key``) otherwise."""
    path = location.path
    if path is None or path == PROCESS:
        name = safe_key(key) if key else "process environment"
        return {
            "logicalLocations": [
                {"name": name, "fullyQualifiedName": f"env:{name}", "kind": "variable"}
            ]
        }
    uri, relative = _uri(path)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if location.line is not None:
        region: dict[str, Any] = {"startLine": location.line}
        if location.col is not None:
            region["startColumn"] = location.col
        physical["region"] = region
    return {"physicalLocation": physical}


def _related(f: Finding) -> list[dict[str, Any]]:
    """``relatedLocations``: each related place, its label as the message."""
    return [
        {"id": i, **_location(r.location, f.key), "message": {"text": r.label}}
        for i, r in enumerate(f.related)
    ]


def to_dict(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    findings = report.sorted()
    rules: dict[str, Rule] = {}
    for f in findings:
        if f.code not in rules:
            rules[f.code] = _rule_for(f)
    index = {code: i for i, code in enumerate(sorted(rules))}
    results = []
    for f in findings:
        text = f.message if not f.hint else f"{f.message}\nhint: {f.hint}"
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": text},
            "locations": [_location(f.location, f.key)],
            "partialFingerprints": {"envcheck/v1": fingerprint(f)},
        }
        if f.related:
            result["relatedLocations"] = _related(f)
        results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "envcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(rules[code]) for code in sorted(rules)],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The project directory."}}},
        "results": results,
    }
    if report.framework or report.mode:
        run["properties"] = {"framework": report.framework, "mode": report.mode}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, **_: object) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False)
