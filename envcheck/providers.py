"""The one table of providers and the keys they issue: every other module derives from it.

A provider's facts used to live in five modules (key shapes in the format
detectors, mask prefixes and key-like prefixes in the classifier, a vendor
alternation in the placeholder test, names and probe modules in the probe
catalogue), and a new prefix had to be added in each.  Here each provider is
one :class:`Provider` row: the variables its SDK reads, the kinds of key it
issues (:class:`Key`: shape, the prefixes that name it, the prefix a masked
value shows, true and false samples, the look-alikes worth naming, whether it
is public by design), where a key may be sent and which module probes it.

What reads it:

* :mod:`envcheck.schema.formats` builds a detector per :attr:`Key.format`
  and its name table (``OPENAI_API_KEY`` -> ``openai-api-key``);
* :mod:`envcheck.secret` masks with :data:`MASK_PREFIXES` and finds key-like
  runs with :data:`KEY_LIKE_STEMS`;
* :mod:`envcheck.schema.values` strips :data:`VENDOR_PREFIXES` to find
  ``sk-xxxx`` stand-ins;
* :mod:`envcheck.probe.catalog` is the view of the rows that name a probe.

``tests/test_providers.py`` checks every shape against its samples, that every
named probe module exists, and that no prefix of this table is written again
anywhere else in ``envcheck/``.

Cheap to import, because the classifier imports it on every run: plain
records and tuples of strings, no regex compiled here (the readers compile
on first use), nothing imported from ``envcheck``; the samples are written
in a short notation (``"gsk_{52}"``: 52 alphanumerics) expanded by
:func:`expand` only when a test asks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

__all__ = [
    "Key",
    "Provider",
    "PROVIDERS",
    "KEY_LIKE_STEMS",
    "MASK_PREFIXES",
    "VENDOR_PREFIXES",
    "DOCUMENTED_TEST_VALUES",
    "expand",
    "keys",
    "well_known_names",
]


class Key:
    """One kind of key a provider issues.

    ``format``: the detector name a schema's ``format =`` uses (empty for a
    kind that is no detector of its own, such as a browser twin sharing its
    shape).  ``shape``: the shape in words, shown in messages; ``pattern``:
    the full shape (a ``fullmatch`` regex, compiled by its reader).
    ``names``: variables apps keep this kind in (besides the provider's
    :attr:`Provider.reads`, which name its first key).  ``starts``: prefixes
    every value of the shape begins with and no other kind shares, so that
    :func:`envcheck.schema.formats.detect` may name it for any value; empty
    for a bare shape (32 hex characters), which only a schema or a name asks
    for.  ``shown``: the prefixes a masked value keeps (``sk-proj-…3xQa``):
    they say the kind, not the key.  ``secret``: False for a key that may be
    shown (an AWS key ID, a publishable key).  ``public``: why the key is
    public by design (meant for the browser), empty otherwise.
    ``lookalikes``: ``(regex matched at the start, reason)`` pairs for the
    provider's other tokens that are not this key (a session token, an admin
    key), in the order asked.  ``samples`` / ``not_samples``: fake values
    that must and must not match ``pattern``, in :func:`expand`'s notation.

    Frozen by type: every field is ``Final``, so mypy (strict on ``envcheck/``)
    refuses an assignment after ``__init__``; no ``__setattr__`` hook, which
    would make each of the rows built at import several times dearer.
    Not :class:`envcheck.model.FrozenRecord` either: :mod:`envcheck.model`
    imports the classifier, which imports this table.
    """

    __slots__ = (
        "format",
        "title",
        "shape",
        "pattern",
        "names",
        "starts",
        "shown",
        "secret",
        "public",
        "lookalikes",
        "samples",
        "not_samples",
    )

    def __init__(
        self,
        format: str,
        title: str,
        shape: str,
        pattern: str,
        *,
        names: tuple[str, ...] = (),
        starts: tuple[str, ...] = (),
        shown: tuple[str, ...] = (),
        secret: bool = True,
        public: str = "",
        lookalikes: tuple[tuple[str, str], ...] = (),
        samples: tuple[str, ...] = (),
        not_samples: tuple[str, ...] = (),
    ) -> None:
        self.format: Final[str] = format
        self.title: Final[str] = title
        self.shape: Final[str] = shape
        self.pattern: Final[str] = pattern
        self.names: Final[tuple[str, ...]] = names
        self.starts: Final[tuple[str, ...]] = starts
        self.shown: Final[tuple[str, ...]] = shown
        self.secret: Final[bool] = secret
        self.public: Final[str] = public
        self.lookalikes: Final[tuple[tuple[str, str], ...]] = lookalikes
        self.samples: Final[tuple[str, ...]] = samples
        self.not_samples: Final[tuple[str, ...]] = not_samples


class Provider:
    """One provider: its keys, the variables its SDK reads, where a key may go, its probe.

    ``reads``: the variables the provider's SDK reads its (first) key from,
    matched by the probe at the end of a name (``NEXT_PUBLIC_GROQ_API_KEY``
    counts).  ``probe_module``: the module under ``envcheck/probe/`` that
    exports ``probe`` (empty: not probed).  ``own_hosts``: hosts
    (``.suffix`` for a domain and its subdomains) a key may always be sent
    to.  ``settings``: setting -> the variables the SDK reads for it, in
    order; a ``"model"`` (or Azure's ``"deployment"``) setting means the
    probe's request names a model.  ``url_setting``: the setting that names
    where the key goes.  ``docs``: where the provider documents its keys.
    Frozen by type, as :class:`Key` is.
    """

    __slots__ = (
        "name",
        "title",
        "reads",
        "keys",
        "probe_module",
        "docs",
        "default_base_url",
        "own_hosts",
        "settings",
        "url_setting",
    )

    def __init__(
        self,
        name: str,
        title: str,
        *,
        reads: tuple[str, ...] = (),
        keys: tuple[Key, ...] = (),
        probe: str = "",
        docs: str = "",
        default_base_url: str = "",
        own_hosts: tuple[str, ...] = (),
        settings: Mapping[str, tuple[str, ...]] | None = None,
        url_setting: str = "base_url",
    ) -> None:
        self.name: Final[str] = name
        self.title: Final[str] = title
        self.reads: Final[tuple[str, ...]] = reads
        self.keys: Final[tuple[Key, ...]] = keys
        self.probe_module: Final[str] = probe
        self.docs: Final[str] = docs
        self.default_base_url: Final[str] = default_base_url
        self.own_hosts: Final[tuple[str, ...]] = own_hosts
        self.settings: Final[Mapping[str, tuple[str, ...]]] = dict(settings or {})
        self.url_setting: Final[str] = url_setting

    @property
    def probe(self) -> str:
        """``"module:function"`` of the probe, resolved only when a probe runs ("" if none)."""
        return f"envcheck.probe.{self.probe_module}:probe" if self.probe_module else ""

    @property
    def probes_model(self) -> bool:
        """The probe's request names a model (Azure's: the deployment), so each model the
        app uses is worth one request, and ``--model`` means something."""
        return "model" in self.settings or "deployment" in self.settings

    def owns(self, host: str) -> bool:
        """Whether ``host`` is one of the provider's own (a key may always go there)."""
        host = host.lower().rstrip(".")
        return any(host == h or (h.startswith(".") and host.endswith(h)) for h in self.own_hosts)


_SESSION = "is a ChatGPT browser session token (sess-…), not an API key; the API rejects it"

# Order: the detectors' order (the schema's ``format`` enum lists them so).  Which
# provider a variable name points at does not depend on it: the longest matching
# name wins (:func:`envcheck.probe.catalog.detect`).
PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "openai",
        "OpenAI",
        reads=("OPENAI_API_KEY",),
        keys=(
            Key(
                "openai-api-key",
                "OpenAI API key",
                "sk-proj-…, sk-svcacct-…, sk-admin-…, legacy sk-…T3BlbkFJ…",
                r"sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}"  # project, service, admin
                # Legacy user key: sk- + alphanumerics with T3BlbkFJ (base64 "OpenAI") after
                # at least 20 and before at least 20 of them.  Written so that matching is
                # linear: the lookahead checks the alphabet once, the lazy prefix stops at
                # the first T3BlbkFJ with 20 after it, and nothing after it backtracks.  The
                # plain form ``[A-Za-z0-9]{20,}T3BlbkFJ[A-Za-z0-9]{20,}`` rescans the tail
                # at every T3BlbkFJ: 100 kB of them took 18 s.
                r"|sk-(?=[A-Za-z0-9]*+\Z)[A-Za-z0-9]{20,}?T3BlbkFJ[A-Za-z0-9]{20}[A-Za-z0-9]*+",
                starts=("sk-",),
                shown=("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-"),
                lookalikes=(
                    ("sess-", _SESSION),
                    (
                        r"sk-[0-9a-f]{32}\Z",
                        "has the sk- + 32 hex shape of an OpenAI-compatible provider's key "
                        "(e.g. DeepSeek), not an OpenAI key",
                    ),
                ),
                samples=(
                    "sk-{20}T3BlbkFJ{20}",
                    "sk-proj-{74:url}T3BlbkFJ{74:url}",
                    "sk-proj-{48}",
                    "sk-svcacct-{74:url}T3BlbkFJ{74:url}",
                    "sk-admin-{74:url}",
                ),
                not_samples=("sess-{40}", "sk-{48}", "sk-proj-{8}", "sk-{32:hex}"),
            ),
        ),
        probe="openai",
        docs="https://platform.openai.com/api-keys",
        default_base_url="https://api.openai.com/v1",
        own_hosts=("api.openai.com",),
        settings={
            "base_url": ("OPENAI_BASE_URL",),
            "organization": ("OPENAI_ORG_ID",),
            "project": ("OPENAI_PROJECT_ID",),
            "model": ("OPENAI_MODEL",),
        },
    ),
    Provider(
        "azure-openai",
        "Azure OpenAI",
        reads=("AZURE_OPENAI_API_KEY",),
        keys=(
            Key(
                "azure-openai-key",
                "Azure OpenAI key",
                "32 hex characters, or the 84-character form",
                r"[0-9A-Fa-f]{32}|[A-Za-z0-9]{84}",
                names=("AZURE_OPENAI_KEY",),
                samples=("{32:hex}", "{84}"),
                not_samples=("{31:hex}", "{83}"),
            ),
        ),
        probe="openai",
        docs="https://learn.microsoft.com/azure/ai-services/openai/reference",
        own_hosts=(".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"),
        settings={
            "endpoint": ("AZURE_OPENAI_ENDPOINT",),
            "api_version": ("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION"),
            "deployment": ("AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_DEPLOYMENT_NAME"),
        },
        url_setting="endpoint",
    ),
    Provider(
        "anthropic",
        "Anthropic",
        reads=("ANTHROPIC_API_KEY",),
        keys=(
            Key(
                "anthropic-api-key",
                "Anthropic API key",
                "sk-ant-api03-…",
                r"sk-ant-api\d\d-[A-Za-z0-9_-]{80,}",
                starts=("sk-ant-api",),
                shown=("sk-ant-api03-", "sk-ant-admin01-", "sk-ant-"),
                lookalikes=(
                    (
                        "sk-ant-admin",
                        "is an Anthropic Admin API key (sk-ant-admin01-…), which cannot call "
                        "the Messages API",
                    ),
                    ("sk-ant-oat", "is an Anthropic OAuth token (sk-ant-oat01-…), not an API key"),
                ),
                samples=("sk-ant-api03-{93:url}AA",),
                not_samples=("sk-ant-admin01-{93:url}", "sk-ant-oat01-{93:url}", "sk-ant-{20}"),
            ),
        ),
        probe="anthropic",
        docs="https://docs.anthropic.com/en/api/getting-started",
        default_base_url="https://api.anthropic.com",
        own_hosts=("api.anthropic.com",),
        settings={"base_url": ("ANTHROPIC_BASE_URL",), "model": ("ANTHROPIC_MODEL",)},
    ),
    Provider(
        "gemini",
        "Google Gemini",
        reads=("GEMINI_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY", "GOOGLE_API_KEY"),
        keys=(
            Key(
                "google-api-key",
                "Google API key",
                "AIza + 35 characters",
                r"AIza[0-9A-Za-z_-]{35}",
                starts=("AIza",),
                shown=("AIza",),
                samples=("AIza{35:url}",),
                not_samples=("AIza{30}", "AIzb{35}"),
            ),
            # The same shape as a browser key (Firebase, Maps): public by design under a
            # public prefix unless the name says it calls an AI API, where it bills the
            # project (envcheck.schema.public_keys decides, by name).
            Key(
                "",
                "Google browser API key",
                "AIza + 35 characters under a public prefix",
                r"AIza[0-9A-Za-z_-]{30,45}",
                names=("FIREBASE_API_KEY", "MAPS_API_KEY"),
                shown=("AIza",),
                secret=False,
                public=(
                    "a Firebase/Google browser key (AIza…) is public by design: "
                    "it is restricted by HTTP referrer and App Check, not by secrecy"
                ),
                samples=("AIza{35:url}", "AIza{39}"),
                not_samples=("AIza{20}", "BIza{35}"),
            ),
        ),
        probe="gemini",
        docs="https://ai.google.dev/gemini-api/docs/api-key",
        default_base_url="https://generativelanguage.googleapis.com/v1beta",
        own_hosts=("generativelanguage.googleapis.com",),
        settings={
            "base_url": ("GOOGLE_GEMINI_BASE_URL",),
            "model": ("GEMINI_MODEL", "GOOGLE_MODEL"),
        },
    ),
    Provider(
        "groq",
        "Groq",
        reads=("GROQ_API_KEY",),
        keys=(
            Key(
                "groq-api-key",
                "Groq API key",
                "gsk_ + 52 alphanumerics",
                r"gsk_[A-Za-z0-9]{40,}",
                starts=("gsk_",),
                shown=("gsk_",),
                samples=("gsk_{52}",),
                not_samples=("gsk_{10}", "gsk-{52}"),
            ),
        ),
        probe="groq",
        docs="https://console.groq.com/keys",
        default_base_url="https://api.groq.com/openai/v1",
        own_hosts=("api.groq.com",),
        settings={"base_url": ("GROQ_BASE_URL",)},
    ),
    Provider(
        "mistral",
        "Mistral",
        reads=("MISTRAL_API_KEY",),
        keys=(
            Key(
                "mistral-api-key",
                "Mistral API key",
                "32 bare alphanumerics",
                r"[A-Za-z0-9]{32}",
                samples=("{32}",),
                not_samples=("{31}", "{33}"),
            ),
        ),
        probe="mistral",
        docs="https://console.mistral.ai/api-keys",
        default_base_url="https://api.mistral.ai/v1",
        own_hosts=("api.mistral.ai",),
    ),
    Provider(
        "openrouter",
        "OpenRouter",
        reads=("OPENROUTER_API_KEY",),
        keys=(
            Key(
                "openrouter-api-key",
                "OpenRouter API key",
                "sk-or-v1- + 64 hex characters",
                r"sk-or-v1-[0-9a-f]{64}",
                starts=("sk-or-v1-",),
                samples=("sk-or-v1-{64:hex}",),
                not_samples=("sk-or-v1-{64:upper}", "sk-or-v1-{32:hex}"),
            ),
        ),
        probe="openrouter",
        docs="https://openrouter.ai/settings/keys",
        default_base_url="https://openrouter.ai/api/v1",
        own_hosts=("openrouter.ai",),
        settings={"base_url": ("OPENROUTER_BASE_URL",)},
    ),
    Provider(
        "huggingface",
        "Hugging Face",
        reads=("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"),
        keys=(
            Key(
                "huggingface-token",
                "Hugging Face token",
                "hf_ + 34 alphanumerics",
                r"hf_[A-Za-z0-9]{30,}",
                starts=("hf_",),
                samples=("hf_{34}",),
                not_samples=("hf_{10}", "hf-{34}"),
            ),
        ),
        docs="https://huggingface.co/docs/hub/security-tokens",
    ),
    Provider(
        "aws",
        "AWS",
        keys=(
            Key(
                "aws-access-key-id",
                "AWS access key ID",
                "AKIA or ASIA + 16 upper-case characters",
                r"(?:AKIA|ASIA)[A-Z0-9]{16}",
                names=("AWS_ACCESS_KEY_ID",),
                starts=("AKIA", "ASIA"),
                shown=("AKIA", "ASIA"),
                secret=False,
                samples=("AKIA{16:upper}", "ASIA{16:upper}"),
                not_samples=("AKIA{15:upper}", "akia{16:upper}"),
            ),
            Key(
                "aws-secret-access-key",
                "AWS secret access key",
                "40 base64 characters",
                r"[A-Za-z0-9/+]{40}",
                names=("AWS_SECRET_ACCESS_KEY",),
                samples=("{40:b64}",),
                not_samples=("{39:b64}", "{40:hex}-"),
            ),
        ),
        docs="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
    ),
    Provider(
        "stripe",
        "Stripe",
        keys=(
            Key(
                "stripe-secret-key",
                "Stripe secret key",
                "sk_live_…, sk_test_…, rk_…",
                r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}",
                names=("STRIPE_SECRET_KEY",),
                starts=("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
                shown=("sk_live_", "sk_test_", "rk_live_", "rk_test_"),
                lookalikes=(("pk_", "is a Stripe publishable key (pk_…), not a secret key"),),
                samples=("sk_live_{99}", "sk_test_{24}", "rk_live_{99}"),
                not_samples=("pk_test_{99}", "sk_prod_{30}", "sk_live_{10}"),
            ),
            # The public twin: meant for the browser (Stripe.js).
            Key(
                "stripe-publishable-key",
                "Stripe publishable key",
                "pk_live_…, pk_test_…",
                r"pk_(?:live|test)_[A-Za-z0-9]{24,}",
                names=("STRIPE_PUBLISHABLE_KEY",),
                starts=("pk_live_", "pk_test_"),
                shown=("pk_live_", "pk_test_"),
                secret=False,
                public="a Stripe publishable key (pk_…) is meant for the browser",
                lookalikes=(
                    (
                        "sk_|rk_",
                        "is a Stripe secret key where a publishable key (pk_…) belongs",
                    ),
                ),
                samples=("pk_test_{99}", "pk_live_{24}"),
                not_samples=("sk_test_{99}", "pk_prod_{30}"),
            ),
        ),
        docs="https://docs.stripe.com/keys",
    ),
    Provider(
        "github",
        "GitHub",
        reads=("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "GH_PAT", "GITHUB_PERSONAL_ACCESS_TOKEN"),
        keys=(
            Key(
                "github-token",
                "GitHub token",
                "ghp_/gho_/ghu_/ghs_/ghr_ + 36 characters, or github_pat_…",
                r"gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{40,}",
                starts=("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
                shown=("github_pat_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"),
                samples=("ghp_{36}", "gho_{36}", "github_pat_{22}_{59}"),
                not_samples=("ghx_{36}", "ghp_{20}", "github_pat_{10}"),
            ),
        ),
        # GET /user: validity, OAuth scopes and the token's expiration header.  A
        # GitHub Enterprise Server's API (GITHUB_API_URL, which Actions sets) is
        # trusted from the process environment only, like every base URL.
        probe="github",
        docs="https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats",
        default_base_url="https://api.github.com",
        own_hosts=("api.github.com",),
        settings={"base_url": ("GITHUB_API_URL",)},
    ),
    Provider(
        "slack",
        "Slack",
        keys=(
            Key(
                "slack-token",
                "Slack token",
                "xoxb-, xoxp-, xoxa- or xoxs- + dash-separated parts, or an xapp- app token",
                r"(?:xox[bpas]|xapp)-[A-Za-z0-9-]{10,}",
                names=("SLACK_BOT_TOKEN", "SLACK_TOKEN"),
                starts=("xoxb-", "xoxp-", "xoxa-", "xoxs-", "xapp-"),
                shown=("xoxb-", "xoxp-", "xoxa-", "xoxs-", "xapp-"),
                samples=("xoxb-{12:digits}-{13:digits}-{24}", "xapp-1-{11}-{13:digits}-{64:hex}"),
                not_samples=("xoxz-{30}", "xoxb-{5}"),
            ),
        ),
        docs="https://api.slack.com/concepts/token-types",
    ),
    # Probed, key shape not recorded yet: their variables are known, their keys are
    # checked by the probe alone.
    Provider(
        "perplexity",
        "Perplexity",
        reads=("PERPLEXITY_API_KEY", "PPLX_API_KEY"),
        probe="perplexity",
        docs="https://docs.perplexity.ai/guides/getting-started",
        default_base_url="https://api.perplexity.ai",
        own_hosts=("api.perplexity.ai",),
        settings={"model": ("PERPLEXITY_MODEL",)},
    ),
    Provider(
        "deepseek",
        "DeepSeek",
        reads=("DEEPSEEK_API_KEY",),
        probe="deepseek",
        docs="https://api-docs.deepseek.com/",
        default_base_url="https://api.deepseek.com",
        own_hosts=("api.deepseek.com",),
        settings={"base_url": ("DEEPSEEK_BASE_URL",)},
    ),
    Provider(
        "xai",
        "xAI",
        reads=("XAI_API_KEY",),
        probe="xai",
        docs="https://docs.x.ai/docs/overview",
        default_base_url="https://api.x.ai/v1",
        own_hosts=("api.x.ai",),
    ),
    Provider(
        "together",
        "Together AI",
        reads=("TOGETHER_API_KEY", "TOGETHER_AI_API_KEY"),
        probe="together",
        docs="https://docs.together.ai/docs/quickstart",
        default_base_url="https://api.together.xyz/v1",
        own_hosts=("api.together.xyz", "api.together.ai"),
        settings={"base_url": ("TOGETHER_BASE_URL",)},
    ),
    Provider(
        "fireworks",
        "Fireworks AI",
        reads=("FIREWORKS_API_KEY",),
        probe="fireworks",
        docs="https://docs.fireworks.ai/getting-started/quickstart",
        default_base_url="https://api.fireworks.ai/inference/v1",
        own_hosts=("api.fireworks.ai",),
    ),
    # Never detected by name: a local Ollama / vLLM / LiteLLM server, chosen with
    # probe = "openai-compatible" and OPENAI_BASE_URL (or base_url in the schema).
    Provider(
        "openai-compatible",
        "OpenAI-compatible server",
        probe="compatible",
        settings={"base_url": ("OPENAI_BASE_URL",)},
    ),
)


# Values a provider publishes for tests and local development, one row each with where it says
# so: they grant nothing (a CAPTCHA test secret passes only test tokens, the QStash dev server's
# default user exists only in that local server), so a committed one is no leak.
DOCUMENTED_TEST_VALUES: Final[Mapping[str, str]] = {
    "1x0000000000000000000000000000000AA": "Cloudflare Turnstile's always-pass test secret "
    "(https://developers.cloudflare.com/turnstile/troubleshooting/testing/)",
    "2x0000000000000000000000000000000AA": "Cloudflare Turnstile's always-fail test secret "
    "(https://developers.cloudflare.com/turnstile/troubleshooting/testing/)",
    "3x0000000000000000000000000000000AA": "Cloudflare Turnstile's token-spent test secret "
    "(https://developers.cloudflare.com/turnstile/troubleshooting/testing/)",
    "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe": "Google reCAPTCHA's test secret "
    "(https://developers.google.com/recaptcha/docs/faq)",
    "0x0000000000000000000000000000000000000000": "hCaptcha's test secret "
    "(https://docs.hcaptcha.com/#integration-testing-test-keys)",
    "eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=": (
        "the QStash dev server's default user token "
        "(https://upstash.com/docs/workflow/howto/local-development)"
    ),
}


def keys() -> Iterator[tuple[Provider, Key]]:
    """Every key of every provider, in table order."""
    for provider in PROVIDERS:
        for key in provider.keys:
            yield provider, key


def well_known_names() -> dict[str, str]:
    """Variable name -> the detector its value must fit: a provider's first key takes the
    names its SDK reads, every key its own ``names``."""
    out: dict[str, str] = {}
    for provider in PROVIDERS:
        for index, key in enumerate(provider.keys):
            if key.format:
                for name in (provider.reads if index == 0 else ()) + key.names:
                    out.setdefault(name, key.format)
    return out


def _longest_first(prefixes: set[str]) -> tuple[str, ...]:
    return tuple(sorted(prefixes, key=lambda p: (-len(p), p)))


# The prefixes a masked value keeps, longest first: the first that fits is the most specific.
MASK_PREFIXES: tuple[str, ...] = _longest_first({p for _, k in keys() for p in k.shown})

# Every vendor prefix of the table, longest first: a value that is one of these and
# filler (``sk-xxxx``) is a stand-in (envcheck.schema.values).
VENDOR_PREFIXES: tuple[str, ...] = _longest_first(
    {p for _, k in keys() for p in k.shown + k.starts}
)


def _stems() -> tuple[str, ...]:
    """What a key-like run starts with: each shown prefix without its trailing separator,
    dropping those that a shorter stem already starts (``sk`` covers ``sk-proj``)."""
    kept: list[str] = []
    for stem in sorted({p.rstrip("-_") for p in MASK_PREFIXES}, key=len):
        if not stem.startswith(tuple(kept)):
            kept.append(stem)
    return _longest_first(set(kept))


# Stems of key-like values (envcheck.secret.looks_like_key): a stem + 16 key characters.
KEY_LIKE_STEMS: tuple[str, ...] = _stems()


_ALPHABETS = {
    "": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "hex": "0123456789abcdef",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    "digits": "0123456789",
    "b64": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
}


def expand(sample: str, seed: int = 7) -> str:
    """A sample's fake value: ``{n}`` is n alphanumerics, ``{n:hex}`` (``url``, ``upper``,
    ``digits``, ``b64``) n of that alphabet, from a fixed seed (a shaped fake, never a key)."""
    import random
    import re

    rng = random.Random(f"{seed}:{sample}")

    def fill(match: re.Match[str]) -> str:
        alphabet = _ALPHABETS[match.group(2) or ""]
        return "".join(rng.choice(alphabet) for _ in range(int(match.group(1))))

    return re.sub(r"\{(\d+)(?::(\w+))?\}", fill, sample)
