"""The providers envcheck can probe: names, how keys are recognised, where keys may go.

One table, read by target selection (which variables, which companion
settings), by the trust check (which hosts are the provider's own) and by
the runner (which module probes it).  Adding a provider is one row here and
one module that exports ``probe``.  Nothing here imports an SDK.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Provider", "CATALOG", "NAMES", "get", "detect"]


@dataclass(frozen=True, slots=True)
class Provider:
    """What envcheck knows about one provider.

    ``keys``: variable names (matched at the end of a name, after ``_`` or at
    its start, so ``NEXT_PUBLIC_GROQ_API_KEY`` counts).  ``settings``: setting
    -> the variable names the provider's SDK reads for it, in order.
    ``own_hosts``: hosts (``.suffix`` for a domain and its subdomains) a key
    may always be sent to; any other host needs configuration from outside
    the checked files.  ``probe``: ``"module:function"``.  A ``"model"``
    setting (``OPENAI_MODEL``...) names the variables an app keeps its model
    in; only providers whose zero-cost request names a model have one (or a
    ``"deployment"``, Azure's model), so :attr:`probes_model` says whether
    probing another model proves more.
    """

    name: str
    title: str
    keys: tuple[str, ...]
    probe: str
    default_base_url: str = ""
    own_hosts: tuple[str, ...] = ()
    settings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_setting: str = "base_url"  # the setting that names where the key goes

    @property
    def probes_model(self) -> bool:
        """The probe's request names a model (Azure's: the deployment), so each model the
        app uses is worth one request, and ``--model`` means something."""
        return "model" in self.settings or "deployment" in self.settings

    def owns(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == h or (h.startswith(".") and host.endswith(h)) for h in self.own_hosts)


def _rest(name: str) -> str:
    return f"envcheck.probe.{name}:probe"


CATALOG: tuple[Provider, ...] = (
    # Most specific first: AZURE_OPENAI_API_KEY must not be taken for OpenAI's.
    Provider(
        "azure-openai",
        "Azure OpenAI",
        ("AZURE_OPENAI_API_KEY",),
        "envcheck.probe.openai:probe",
        own_hosts=(".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"),
        settings={
            "endpoint": ("AZURE_OPENAI_ENDPOINT",),
            "api_version": ("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION"),
            "deployment": ("AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_DEPLOYMENT_NAME"),
        },
        url_setting="endpoint",
    ),
    Provider(
        "openai",
        "OpenAI",
        ("OPENAI_API_KEY",),
        "envcheck.probe.openai:probe",
        "https://api.openai.com/v1",
        ("api.openai.com",),
        {
            "base_url": ("OPENAI_BASE_URL",),
            "organization": ("OPENAI_ORG_ID",),
            "project": ("OPENAI_PROJECT_ID",),
            "model": ("OPENAI_MODEL",),
        },
    ),
    Provider(
        "anthropic",
        "Anthropic",
        ("ANTHROPIC_API_KEY",),
        "envcheck.probe.anthropic:probe",
        "https://api.anthropic.com",
        ("api.anthropic.com",),
        {"base_url": ("ANTHROPIC_BASE_URL",), "model": ("ANTHROPIC_MODEL",)},
    ),
    Provider(
        "gemini",
        "Google Gemini",
        ("GEMINI_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY", "GOOGLE_API_KEY"),
        _rest("gemini"),
        "https://generativelanguage.googleapis.com/v1beta",
        ("generativelanguage.googleapis.com",),
        {"base_url": ("GOOGLE_GEMINI_BASE_URL",), "model": ("GEMINI_MODEL", "GOOGLE_MODEL")},
    ),
    Provider(
        "mistral",
        "Mistral",
        ("MISTRAL_API_KEY",),
        _rest("mistral"),
        "https://api.mistral.ai/v1",
        ("api.mistral.ai",),
    ),
    Provider(
        "groq",
        "Groq",
        ("GROQ_API_KEY",),
        _rest("groq"),
        "https://api.groq.com/openai/v1",
        ("api.groq.com",),
        {"base_url": ("GROQ_BASE_URL",)},
    ),
    Provider(
        "perplexity",
        "Perplexity",
        ("PERPLEXITY_API_KEY", "PPLX_API_KEY"),
        _rest("perplexity"),
        "https://api.perplexity.ai",
        ("api.perplexity.ai",),
        {"model": ("PERPLEXITY_MODEL",)},
    ),
    Provider(
        "deepseek",
        "DeepSeek",
        ("DEEPSEEK_API_KEY",),
        _rest("deepseek"),
        "https://api.deepseek.com",
        ("api.deepseek.com",),
        {"base_url": ("DEEPSEEK_BASE_URL",)},
    ),
    Provider(
        "openrouter",
        "OpenRouter",
        ("OPENROUTER_API_KEY",),
        _rest("openrouter"),
        "https://openrouter.ai/api/v1",
        ("openrouter.ai",),
        {"base_url": ("OPENROUTER_BASE_URL",)},
    ),
    Provider(
        "xai",
        "xAI",
        ("XAI_API_KEY",),
        _rest("xai"),
        "https://api.x.ai/v1",
        ("api.x.ai",),
    ),
    Provider(
        "together",
        "Together AI",
        ("TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"),
        _rest("together"),
        "https://api.together.xyz/v1",
        ("api.together.xyz", "api.together.ai"),
        {"base_url": ("TOGETHER_BASE_URL",)},
    ),
    Provider(
        "fireworks",
        "Fireworks AI",
        ("FIREWORKS_API_KEY",),
        _rest("fireworks"),
        "https://api.fireworks.ai/inference/v1",
        ("api.fireworks.ai",),
    ),
    # GET /user: validity, OAuth scopes and the token's expiration header.  A
    # GitHub Enterprise Server's API (GITHUB_API_URL, which Actions sets) is
    # trusted from the process environment only, like every base URL.
    Provider(
        "github",
        "GitHub",
        ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "GH_PAT", "GITHUB_PERSONAL_ACCESS_TOKEN"),
        _rest("github"),
        "https://api.github.com",
        ("api.github.com",),
        {"base_url": ("GITHUB_API_URL",)},
    ),
    # Never detected by name: a local Ollama / vLLM / LiteLLM server, chosen with
    # probe = "openai-compatible" and OPENAI_BASE_URL (or base_url in the schema).
    Provider(
        "openai-compatible",
        "OpenAI-compatible server",
        (),
        _rest("compatible"),
        settings={"base_url": ("OPENAI_BASE_URL",)},
    ),
)

_BY_NAME = {p.name: p for p in CATALOG}
NAMES: tuple[str, ...] = tuple(_BY_NAME)
_DETECT = tuple((re.compile(rf"(?:^|_){re.escape(key)}$"), p) for p in CATALOG for key in p.keys)


def get(name: str) -> Provider | None:
    return _BY_NAME.get(name)


def detect(name: str) -> Provider | None:
    """The provider a variable's name points at, or None."""
    upper = name.upper()
    return next((p for pattern, p in _DETECT if pattern.search(upper)), None)
