"""Where each key may be sent, and the trust model that also decides which provider it is.

envcheck runs on files it did not write: a pull request, a branch under a
pre-commit hook, a fresh clone.  Everything in the checkout (the env files,
``envcheck.toml``, ``# probe:`` notes in ``.env.example``) is data; the
command line and the process environment are the user's.  A key can be
sent nowhere the user did not choose, so the rule is stated per key, by
where its *value* comes from:

The model has two halves.  Which provider a variable is probed as is decided
while targets are selected (:func:`envcheck.probe.targets.choose_provider`);
where its key may go is decided here, on the selected
:class:`~envcheck.probe.targets.Target`, just before a provider sends it
(:func:`envcheck.probe.support.refuse_unsafe`).  This module sits above the
targets and below the providers' shared support, so none of the three
imports another that imports it back.

**A value from outside the checked files** (the process environment: the CI
job's secrets, ``docker run -e``; or a file line whose value is not the text
written there, because ``${VAR}`` expansion or decryption brought it in;
see :func:`envcheck.probe.targets.value_as_written`):

* it is probed only as the provider the provider table
  (:mod:`envcheck.probe.catalog`) associates with its name:
  ``OPENAI_API_KEY`` is an OpenAI key whatever a checked file says.  A
  schema or ``# probe:`` note naming another provider is overruled (the
  result says so); one naming a provider for a variable the table does not
  know (``CI_DEPLOY_TOKEN``) is refused, unless the command line names that
  variable (``--var CI_DEPLOY_TOKEN``);
* it goes to that provider's own host, to a base URL set in the process
  environment (``OPENAI_BASE_URL``), or anywhere with ``--trust-base-url``;
  never to a ``base_url`` from the schema, loopback included.

**A value as written in a checked file** (the ``.env`` holds the key
itself): the checkout may say what it is (``probe = "openai-compatible"``
for ``LLM_KEY``), and it goes to that provider's own host, a base URL from
the process environment, anywhere with ``--trust-base-url``, and to the
schema's ``base_url`` only when that is a loopback server (a local Ollama
or LiteLLM).  Not to any other host the schema names: the ``.env`` that
holds the key is usually untracked, the developer's own, while
``envcheck.toml`` is committed and a pull request can change it.

A base URL read from an env file (``OPENAI_BASE_URL=...`` in ``.env``) is
never trusted by itself.  Plain ``http://`` is refused except to loopback
in every case (:func:`envcheck.probe.support.unsafe_url_reason`), and no
probe follows a redirect, so a trusted host cannot bounce the key's header
to another one.  Every refusal is a configuration problem (exit 2): a
retry would be refused the same way.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from typing import TYPE_CHECKING

from envcheck.probe import catalog

if TYPE_CHECKING:
    from envcheck.probe.targets import Target

__all__ = ["untrusted_reason", "allow_hint", "same_url", "is_loopback_host"]


def is_loopback_host(host: str) -> bool:
    """``localhost`` (and its subdomains, RFC 6761) or a loopback address: this machine."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _norm(url: str) -> tuple[str, str, int | None, str]:
    parts = urllib.parse.urlsplit(url.strip())
    port = parts.port
    if port is None:
        port = {"https": 443, "http": 80}.get(parts.scheme)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path.rstrip("/"))


def same_url(a: str, b: str) -> bool:
    """Two base URLs name the same endpoint (scheme, host, port, path; case of host ignored)."""
    try:
        return _norm(a) == _norm(b)
    except ValueError:
        return False


def _host(url: str) -> str:
    try:
        return urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _url_setting(target: Target) -> str:
    provider = catalog.get(target.provider)
    return provider.url_setting if provider else "base_url"


def _from_process(target: Target, url: str) -> bool:
    """``url`` is the app's base URL setting, and the process environment set it."""
    setting = _url_setting(target)
    source = target.sources.get(setting)
    value = target.setting(setting)
    return source is not None and source.is_process and value is not None and same_url(value, url)


def untrusted_reason(target: Target, url: str) -> str | None:
    """Why ``url`` may not receive ``target``'s key, or None when it may (see the module doc).

    ``url`` is where the provider module is about to send the request (its
    base URL).  The reason names what set the URL.
    """
    provider = catalog.get(target.provider)
    if provider is not None and provider.owns(_host(url)):
        return None
    if target.trust_base_url or _from_process(target, url):
        return None
    if target.allowed_url and same_url(target.allowed_url, url):
        said = "that base_url comes from the schema, a checked file,"
        if not target.from_checkout:
            key = "the process environment" if target.origin.is_process else "an expansion"
            return f"{said} and the key from {key}"
        if not is_loopback_host(_host(url)):
            return f"{said} which may point a key at a loopback server only"
        return None
    source = target.sources.get(_url_setting(target))
    value = target.setting(_url_setting(target))
    if source is None or value is None or not same_url(value, url):
        return "it is not the provider's own host and nothing configured it for this key"
    return f"it was read from {source}, a checked file, not from configuration envcheck trusts"


def allow_hint(target: Target, url: str, shown: str) -> str:
    """How the user allows ``url`` (shown as ``shown``) for this key, if it is meant to get it."""
    provider = catalog.get(target.provider)
    names = provider.settings.get(_url_setting(target), ()) if provider else ()
    var = names[0] if names else "the base URL"
    ways = ["pass --trust-base-url", f"set {var} in the process environment (a CI job's env:)"]
    if target.from_checkout and is_loopback_host(_host(url)):
        ways.append(f'set base_url = "{shown}" under [keys.{target.var}] in envcheck.toml')
    return f"if that server is meant to get the key, {', or '.join(ways)}"
