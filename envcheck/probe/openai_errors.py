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
}
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
}
