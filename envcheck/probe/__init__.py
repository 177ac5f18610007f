"""Live credential probes: the verdict vocabulary every provider shares.

A probe answers one question per credential: will the app's first real
request succeed?  "Could not tell" is a verdict (``INCONCLUSIVE``), not an
exception, so an unreachable network is never reported as a bad key.
Providers live in one module each (:mod:`envcheck.probe.openai`,
:mod:`envcheck.probe.anthropic`, the SDK-less ones on
:mod:`envcheck.probe.rest`), listed in :mod:`envcheck.probe.catalog`, and
are imported only when a probe runs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from envcheck.sources.types import Origin

__all__ = [
    "ProbeVerdict",
    "ProbeResult",
    "DEFINITIVE_FAILURES",
    "PASSING",
    "CONFIGURATION_REFUSALS",
    "ACCOUNT_FIELDS",
]


class ProbeVerdict(enum.Enum):
    """One precise answer; the values are the names the shared test data uses."""

    VALID = "valid"
    INVALID = "invalid"
    NO_CREDIT = "no-credit"
    RESTRICTED = "restricted"
    ACCOUNT_PROBLEM = "account-problem"
    REGION_BLOCKED = "region-blocked"
    RATE_LIMITED = "rate-limited"
    MODEL_UNAVAILABLE = "model-unavailable"
    # The key works, but the organisation must be verified before this model
    # (or streaming it) is served: o3, gpt-5, gpt-image-1 and others.
    VERIFICATION_REQUIRED = "verification-required"
    # The model exists, but the key's project is not allowed to use it (OpenAI's
    # 403 "Project ... does not have access to model ..."), unlike a 404 that
    # says the model does not exist (MODEL_UNAVAILABLE).
    MODEL_NOT_ALLOWED = "model-not-allowed"
    # The key works now and expires within --expiry-warn days (a JWT's exp, a
    # GitHub token's expiration header).  Once expired it is INVALID.
    EXPIRING = "expiring"
    INCONCLUSIVE = "inconclusive"
    # A key the schema marks for probing that neither the files nor the
    # process set: nothing was probed, and the app will not get the key.
    MISSING = "missing"


# Verdicts that mean "the app's requests will fail": exit 1.
DEFINITIVE_FAILURES = frozenset(
    {
        ProbeVerdict.INVALID,
        ProbeVerdict.NO_CREDIT,
        ProbeVerdict.RESTRICTED,
        ProbeVerdict.ACCOUNT_PROBLEM,
        ProbeVerdict.REGION_BLOCKED,
        ProbeVerdict.VERIFICATION_REQUIRED,
        ProbeVerdict.MODEL_NOT_ALLOWED,
        ProbeVerdict.MISSING,
    }
)

# Verdicts after which the app's first request succeeds: exit 0.  An expiring
# key works today; its finding is a warning, so a daily job says so in time.
PASSING = frozenset({ProbeVerdict.VALID, ProbeVerdict.EXPIRING})

# The ``detail`` entries that say what was proved and who pays, as the API
# answered them: the JSON output lifts them to fields of their own.
ACCOUNT_FIELDS = ("model", "organization", "project", "expires_at")

# Why a probe sent nothing (or stopped at a redirect), as ``detail["refused"]``,
# when only a change of configuration can help: a retry would be refused the
# same way, so the run is a configuration problem (exit 2), not "retry later" (3).
CONFIGURATION_REFUSALS = frozenset(
    {
        "insecure-url",  # plain http:// to a host that is not loopback
        "untrusted-url",  # a destination nothing trusted configured (probe.trust)
        "not-enlisted",  # a checked file named a variable from outside it (probe.trust)
        "no-base-url",  # openai-compatible without a base URL
        "no-endpoint",  # Azure OpenAI without an endpoint
        "redirect",  # the base URL points at a redirect: name the final address
        "reference",  # op://… and the like: probe where the reference is resolved
    }
)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What one probe of one variable found.

    ``message`` and ``hint`` never hold a raw secret: server messages are
    passed through :func:`envcheck.secret.redact` before they get here.
    ``message`` is the verdict alone; the variable and where it was set are
    ``var`` and ``origin`` (:attr:`headline` joins them for a line of text),
    so a finding made from it does not repeat its own location.
    ``detail`` holds small non-secret facts (HTTP status, error code,
    rate-limit limits, ``cached``); ``requests`` counts the HTTP requests
    actually sent (0 for a cached or refused probe); ``model_at`` is where the
    app names the model probed (a finding's related location).
    """

    var: str
    provider: str
    verdict: ProbeVerdict
    message: str
    origin: Origin
    hint: str | None = None
    detail: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    model_at: Origin | None = None

    @property
    def ok(self) -> bool:
        return self.verdict in PASSING

    @property
    def headline(self) -> str:
        """``VAR (origin): message``: the probe command's line, which has no location column."""
        return f"{self.var} ({self.origin}): {self.message}"

    def fact(self, name: str) -> str | None:
        """One of :data:`ACCOUNT_FIELDS` (``model``, ``organization``...), None when unknown."""
        return self.detail.get(name) or None

    @property
    def misconfigured(self) -> bool:
        """Not probed for a reason only the configuration can change (exit 2)."""
        refused = self.detail.get("refused")
        return self.verdict is ProbeVerdict.INCONCLUSIVE and refused in CONFIGURATION_REFUSALS
