"""Where a key may be sent: the provider's own host, or a host the user configured.

envcheck runs on files it did not write.  A pull request that adds
``OPENAI_BASE_URL=https://collector.example`` next to a real key must not
make ``envcheck probe`` in CI hand the key to that host.  So a key goes to:

* a host the provider owns (``api.openai.com``, ``*.openai.azure.com``...);
* the ``base_url`` the schema sets for that key (``[keys.X] base_url``);
* a base URL that came from the process environment (the CI job, the
  shell, ``docker run -e``: configured outside the checked files);
* any URL, with ``--trust-base-url``.

A base URL read from an env file is shown, with its file and line, and not
used until one of the above allows it.  Plain ``http://`` is refused except
to loopback in every case (:func:`envcheck.probe.support.unsafe_url_reason`).
Redirects are never followed by the probes, so a trusted host cannot bounce
the key's header to another one.
"""

from __future__ import annotations

import urllib.parse

from envcheck.probe import catalog
from envcheck.probe.targets import Target
from envcheck.sources.types import PROCESS_ORIGIN

__all__ = ["untrusted_reason", "same_url"]


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


def untrusted_reason(target: Target, url: str) -> str | None:
    """Why ``url`` may not receive ``target``'s key, or None when it may.

    ``url`` is where the provider module is about to send the request (its
    base URL).  The reason names the variable and line that set the URL.
    """
    provider = catalog.get(target.provider)
    if provider is not None and provider.owns(_host(url)):
        return None
    if target.trust_base_url:
        return None
    if target.allowed_url and same_url(target.allowed_url, url):
        return None
    setting = provider.url_setting if provider else "base_url"
    source = target.sources.get(setting)
    value = target.setting(setting)
    named = value is not None and same_url(value, url)
    if source is not None and source.source == PROCESS_ORIGIN.source and named:
        return None
    if source is None or not named:
        return "it is not the provider's own host and nothing configured it for this key"
    return f"it was read from {source}, a checked file, not from configuration envcheck trusts"
