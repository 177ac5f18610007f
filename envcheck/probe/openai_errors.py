"""OpenAI's error vocabulary, as the probe reads it: verdict tables and advice.

Kept apart from the request logic because it is data that changes as OpenAI
adds codes (``insufficient_quota`` now also arrives with codes such as
``credit_balance_exhausted``): adding a code is a one-line change here.
Types are looked up before codes; a code seen with an unknown type still
classifies.
"""

from __future__ import annotations

import re

from envcheck.probe import ProbeVerdict

V = ProbeVerdict
TYPES: dict[str, ProbeVerdict] = {
    "insufficient_quota": V.NO_CREDIT,
    "access_terminated": V.ACCOUNT_PROBLEM,
    "billing_not_active": V.ACCOUNT_PROBLEM,
}
CODES: dict[str, ProbeVerdict] = {
    "invalid_api_key": V.INVALID,
    "insufficient_quota": V.NO_CREDIT,
    "credit_balance_exhausted": V.NO_CREDIT,
    "billing_hard_limit_reached": V.NO_CREDIT,
    "account_deactivated": V.ACCOUNT_PROBLEM,
    "access_terminated": V.ACCOUNT_PROBLEM,
    "billing_not_active": V.ACCOUNT_PROBLEM,
    "mismatched_organization": V.ACCOUNT_PROBLEM,
    "invalid_organization": V.ACCOUNT_PROBLEM,
    "mismatched_project": V.ACCOUNT_PROBLEM,
    "no_organization": V.ACCOUNT_PROBLEM,
    "unsupported_country_region_territory": V.REGION_BLOCKED,
    "unsupported_country": V.REGION_BLOCKED,
    "rate_limit_exceeded": V.RATE_LIMITED,
    "model_not_found": V.MODEL_UNAVAILABLE,
    "DeploymentNotFound": V.MODEL_UNAVAILABLE,
}
# Which account problem it is, by type or code.
ACCOUNT_WHAT: dict[str, tuple[str, str]] = {
    "account_deactivated": (
        "the account is deactivated",
        "a new key will not help: contact OpenAI through help.openai.com",
    ),
    "access_terminated": (
        "access was terminated for a policy violation",
        "a new key will not help: appeal through help.openai.com",
    ),
    "billing_not_active": (
        "billing is not active on the account",
        "reactivate billing at https://platform.openai.com/settings/organization/billing",
    ),
    "mismatched_organization": (
        "OPENAI_ORG_ID does not match the key's organization",
        "remove OPENAI_ORG_ID, or set it to the organization the key belongs to",
    ),
    "invalid_organization": (
        "OPENAI_ORG_ID names an organization the key cannot use",
        "remove OPENAI_ORG_ID, or set it to the organization the key belongs to",
    ),
    "mismatched_project": (
        "OPENAI_PROJECT_ID does not match the key's project",
        "remove OPENAI_PROJECT_ID, or set it to the project the key belongs to",
    ),
    "no_organization": (
        "the key's user belongs to no organization",
        "join or create an organization at https://platform.openai.com/settings/organization "
        "and create the key inside one of its projects",
    ),
}
# "Your organization must be verified to stream this model" (400, param
# "stream") and "... to use the model `gpt-5`" (403, no code): the message is
# the only signal, read only in an ``invalid_request_error`` body.
VERIFICATION = re.compile(r"organi[sz]ation must be verified", re.IGNORECASE)
# 403 model_not_found "Project `proj_...` does not have access to model `x`":
# the model exists and the project's allowed models exclude it.  A 404
# model_not_found ("does not exist or you do not have access to it") is not it.
PROJECT_MODEL = re.compile(r"does not have access to model", re.IGNORECASE)
# Both token-limit parameters: a 400 that names either one was raised by body
# validation, which the API reaches only after authentication, scopes and quota.
TOKEN_PARAMS = frozenset({"max_tokens", "max_completion_tokens"})
UNSUPPORTED_TOKEN_PARAM = re.compile(
    r"Unsupported parameter: '(max_tokens|max_completion_tokens)'", re.IGNORECASE
)
# insufficient_quota has one wording for every limit that produces it, so the
# probe says which limits can, and where the answer names the project.
QUOTA_LIMITS = (
    "the organization's prepaid credit balance is used up (or was never bought)",
    "the organization's monthly budget is reached",
    "the project's monthly budget is reached (a project key bills its project)",
)
MISSING_SCOPES = re.compile(r"Missing scopes?:\s*([\w.:, -]+?)(?:\.\s|\.$|$)")
O_SERIES = re.compile(r"^(?:o\d|gpt-5)", re.IGNORECASE)
RATE_HEADERS = ("limit-requests", "limit-tokens", "remaining-requests", "remaining-tokens")
# gpt-4o-mini tokens-per-minute limit -> usage tier (OpenAI's published table).
MINI_TPM_TIER = {
    "40000": "free",
    "200000": "1",
    "2000000": "2",
    "4000000": "3",
    "10000000": "4",
    "150000000": "5",
}

HINTS = {
    V.INVALID: "create a new key at https://platform.openai.com/api-keys and replace this one",
    V.NO_CREDIT: (
        "add prepaid credit at https://platform.openai.com/settings/organization/billing "
        "(a usage limit such as $0.00 / $30.00 is a cap, not a balance); check that the key "
        "belongs to the organization and project that hold the credit; a key created while "
        "the balance was zero may need to be re-issued"
    ),
    V.RESTRICTED: "grant the key the missing permission (Models: Request), or use another key",
    V.REGION_BLOCKED: "run from a supported country or region "
    "(https://platform.openai.com/docs/supported-countries)",
    V.RATE_LIMITED: "transient: try again shortly; credit could not be checked",
    V.MODEL_UNAVAILABLE: "the key works; choose a model it can use with --model",
    V.VERIFICATION_REQUIRED: (
        "verify the organization at https://platform.openai.com/settings/organization/general "
        "(Verify Organization; access can take 15 minutes to propagate), or use a model that "
        "does not need it"
    ),
    V.MODEL_NOT_ALLOWED: (
        "allow the model for the key's project (Project > Limits > Model usage at "
        "https://platform.openai.com/settings), or use a key of a project that allows it"
    ),
}


def quota_hint(organization: str | None, project: str | None) -> str:
    """The no-credit advice: which limits answer ``insufficient_quota``, and how to tell.

    The API words them all alike, so the probe cannot say which one bit; the
    answer's ``openai-organization`` / ``openai-project`` headers say whose
    balance and budget to look at.
    """
    billed = ", ".join(
        f"{what} {name}"
        for what, name in (("organization", organization), ("project", project))
        if name
    )
    where = f"; this key bills {billed}" if billed else ""
    return (
        f"{HINTS[V.NO_CREDIT]}. The API gives one answer for {len(QUOTA_LIMITS)} limits"
        f"{where}: "
        + "; ".join(QUOTA_LIMITS)
        + ": check the balance at https://platform.openai.com/settings/organization/billing, "
        "then the organization's and the project's budgets under Limits (a key in another "
        "organization or project than the credit, e.g. Personal, gets this answer too)"
    )
