"""Secret *references*: values that name where a secret lives instead of holding it.

``OPENAI_API_KEY=op://vault/openai/key`` in a file read by ``op run
--env-file .env -- npm start`` is the documented 1Password workflow: the app
receives the secret, the file only points at it.  Such a value is not a key
of the wrong shape (EC305/EC308), not a leak (``guard``), and must never be
sent anywhere as a credential (``probe``); it is reported as a reference.

One fact per syntax, each checked against the tool's documentation:

* 1Password secret references: ``op://<vault>/<item>[/<section>]/<field>``
  (developer.1password.com/docs/cli/secret-references);
* dotenvx ciphertext: ``encrypted:<base64>`` (dotenvx.com/docs);
* HashiCorp Vault, as vault-env / Bank-Vaults / vals inject it:
  ``vault:<path>#<key>`` and ``ref+vault://<path>#<key>``;
* AWS Secrets Manager and SSM Parameter Store ARNs
  (``arn:aws:secretsmanager:<region>:<account>:secret:<name>``,
  ``arn:aws:ssm:<region>:<account>:parameter/<name>``), and CloudFormation
  dynamic references ``{{resolve:ssm:…}}``, ``{{resolve:ssm-secure:…}}``,
  ``{{resolve:secretsmanager:…}}``;
* GitHub Actions expressions ``${{ secrets.NAME }}`` and ``${{ vars.NAME }}``;
* Doppler and Infisical secret referencing: a dotted ``${config.NAME}`` /
  ``${project.config.NAME}`` (Doppler) or ``${env.NAME}`` /
  ``${env.folder.NAME}`` (Infisical).  A plain ``${NAME}`` is the dotenv
  expansion every loader already performs, so only the dotted forms count;
  ``doppler://`` and ``infisical://`` URIs (SecretSpec, fnox) too;
* the deploy targets' own marker for "set outside the repository"
  (:func:`unknown_value`, :mod:`envcheck.targets`).

Pure and cheap: no import beyond ``re``, one anchored pattern per kind.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["UNKNOWN_SCHEME", "reference_kind", "unknown_store", "unknown_value"]

UNKNOWN_SCHEME = "envcheck-unknown://"
"""The value a deploy target gives a key whose value lives in a secret store or
is injected by the platform: it names the store, never holds a value."""

# (kind, the literal every match starts with, the whole pattern)
_PATTERN_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("1password", "op://", r"op://[^/\s]+/[^/\s]+(?:/[^/\s]+){1,2}"),
    ("dotenvx", "encrypted:", r"encrypted:[A-Za-z0-9+/=_-]{16,}"),
    ("vault", "vault:", r"vault:(?://)?[A-Za-z0-9_./-]+#[A-Za-z0-9_./-]+"),
    ("vault", "ref+vault:", r"ref\+vault:(?://)?[A-Za-z0-9_./-]+#[A-Za-z0-9_./-]+"),
    (
        "aws-secrets-manager",
        "arn:aws",
        r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@:-]+",
    ),
    ("aws-ssm", "arn:aws", r"arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/[A-Za-z0-9/_.-]+"),
    ("aws-ssm", "{{resolve:", r"\{\{resolve:ssm(?:-secure)?:[^\s{}]+\}\}"),
    ("aws-secrets-manager", "{{resolve:", r"\{\{resolve:secretsmanager:[^\s{}]+\}\}"),
    ("github-secret", "${{", r"\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}"),
    ("github-variable", "${{", r"\$\{\{\s*vars\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}"),
    ("doppler", "doppler://", r"doppler://[A-Za-z0-9_./-]+"),
    ("infisical", "infisical://", r"infisical://[A-Za-z0-9_./?=&:-]+"),
    (
        "secret-manager-reference",  # Doppler or Infisical: the dotted forms only
        "${",
        r"\$\{[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+){1,5}\}",
    ),
    ("deploy-target", UNKNOWN_SCHEME, re.escape(UNKNOWN_SCHEME) + r"\S*"),
)
_LEADS = tuple(dict.fromkeys(lead for _, lead, _ in _PATTERN_SOURCES))
"""A value starting with none of these is no reference: no pattern is compiled for it."""


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compiled on first use: most runs hold no value that could be a reference."""
    return tuple((kind, re.compile(source)) for kind, _, source in _PATTERN_SOURCES)


_MAX_REFERENCE = 2048  # longer than any real reference: a value, not a pointer


def reference_kind(value: str) -> str | None:
    """The kind of secret reference ``value`` is as a whole, or None for a value.

    Only a value that is *entirely* a reference counts: ``Bearer op://…``
    or a URL with a reference inside is left to the other rules.  It is
    called for every value of a large file: one ``startswith`` turns most away.
    """
    text = value.strip()
    if not text.startswith(_LEADS) or len(text) > _MAX_REFERENCE:
        return None
    for kind, pattern in _patterns():
        if pattern.fullmatch(text):
            return kind
    return None


def unknown_value(store: str) -> str:
    """The stand-in value of a key set outside the repository, naming only the store.

    ``store`` is a description such as ``secret app-secrets key openai``; it
    must not contain a value (callers pass names read from manifests).  It is
    percent-encoded, so :func:`unknown_store` gives it back exactly.
    """
    from urllib.parse import quote

    return UNKNOWN_SCHEME + quote(store, safe="")


def unknown_store(value: str) -> str | None:
    """The store description an :func:`unknown_value` stand-in names; None for other values."""
    if not value.startswith(UNKNOWN_SCHEME):
        return None
    from urllib.parse import unquote

    return unquote(value[len(UNKNOWN_SCHEME) :])
