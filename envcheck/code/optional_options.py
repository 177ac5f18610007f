"""Where an env read may be undefined by design: SDK options that switch a feature off.

A read passed to an SDK is *required* by default: ``new OpenAI({ apiKey:
process.env.OPENAI_API_KEY })`` throws without its key, and so do most
clients.  A few SDKs document the opposite: without the value they disable a
feature and the app runs on.  Those, and only those, are listed here, in one
table, so that the JS reader (:mod:`envcheck.code.js`) treats a read passed
there as *optional* and EC901 does not demand a key the app runs without.

Each row is (module, function, argument, options):

- ``module`` is the import source; a row whose module ends in ``/`` matches
  every module under it (``@sentry/`` is ``@sentry/node``, ``@sentry/nextjs``, ...);
- ``function`` the called name: ``init`` in ``Sentry.init(...)`` (a namespace
  or default import) or ``init(...)`` (a named import);
- ``argument`` the 0-based position of the argument;
- ``options`` the property names of an object literal in that position (dotted,
  ``tls.servername``, for a property of an object one level inside it) whose
  value may be undefined, or :data:`WHOLE` when the argument itself may be.

Add a row only with the vendor's documentation saying that the missing value
disables the feature (quoted in ``why``).  Never add a client constructor that
throws without its key (OpenAI, Anthropic, Stripe, Resend, ...).

:data:`AGENT_CONFIGS` is the same fact for a whole file: a monitoring agent's config
file, which the agent loads by its name (``newrelic.js``), holds only the agent's
options, and the agent switches itself off without them.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "AGENT_CONFIGS",
    "OPTIONAL_OPTIONS",
    "WHOLE",
    "OptionalOption",
    "is_agent_config",
    "is_optional_option",
]

WHOLE = "*"
"""``options`` of a row whose argument itself may be undefined (a positional key)."""


class OptionalOption(NamedTuple):
    module: str
    function: str
    argument: int
    options: frozenset[str]
    why: str


_SENTRY_BUILD = frozenset({"authToken", "org", "project", "url", "release"})
_SENTRY_BUILD_WHY = (
    "Sentry's build plugins skip the source-map upload (with a warning) when no auth "
    "token, org or project is given; the build goes on"
)

_AI_SDK_BASE_URL_WHY = (
    "AI SDK providers: 'baseURL: Use a different URL prefix for API calls, e.g. to use proxy "
    "servers. The default prefix is https://api.openai.com/v1' (each provider's own API; "
    "the Ollama providers' http://localhost:11434/api); not createOpenAICompatible, whose "
    "baseURL is required, nor createAzure, whose baseURL stands in for resourceName"
)
_AI_SDK_FACTORIES = (
    ("@ai-sdk/openai", "createOpenAI", frozenset({"baseURL", "organization", "project"})),
    ("@ai-sdk/anthropic", "createAnthropic", frozenset({"baseURL"})),
    ("@ai-sdk/google", "createGoogleGenerativeAI", frozenset({"baseURL"})),
    ("@ai-sdk/groq", "createGroq", frozenset({"baseURL"})),
    ("@ai-sdk/mistral", "createMistral", frozenset({"baseURL"})),
    ("@ai-sdk/deepseek", "createDeepSeek", frozenset({"baseURL"})),
    ("@ai-sdk/xai", "createXai", frozenset({"baseURL"})),
    ("@ai-sdk/togetherai", "createTogetherAI", frozenset({"baseURL"})),
    ("@ai-sdk/fireworks", "createFireworks", frozenset({"baseURL"})),
    ("@ai-sdk/deepinfra", "createDeepInfra", frozenset({"baseURL"})),
    ("@ai-sdk/cohere", "createCohere", frozenset({"baseURL"})),
    ("@ai-sdk/perplexity", "createPerplexity", frozenset({"baseURL"})),
    ("@ai-sdk/cerebras", "createCerebras", frozenset({"baseURL"})),
    ("@openrouter/ai-sdk-provider", "createOpenRouter", frozenset({"baseURL"})),
    ("ollama-ai-provider", "createOllama", frozenset({"baseURL"})),
    ("ollama-ai-provider-v2", "createOllama", frozenset({"baseURL"})),
)
"""The AI SDK's provider factories whose base URL (and OpenAI's organization and project
headers) default when undefined.  Never ``apiKey``: it defaults to the provider's own
variable, and a model call throws ("API key is missing") without one."""

OPTIONAL_OPTIONS: tuple[OptionalOption, ...] = (
    OptionalOption(
        "@sentry/",
        "init",
        0,
        frozenset({"dsn", "release", "environment", "dist", "tunnel", "serverName"}),
        "Sentry SDKs: 'If the DSN is not provided, the SDK will not send any events' (the "
        "SDK is disabled); release, environment and serverName ('This option can be used "
        "to supply a server name') are labels",
    ),
    OptionalOption("@sentry/nextjs", "withSentryConfig", 1, _SENTRY_BUILD, _SENTRY_BUILD_WHY),
    OptionalOption("@sentry/vite-plugin", "sentryVitePlugin", 0, _SENTRY_BUILD, _SENTRY_BUILD_WHY),
    OptionalOption(
        "@sentry/webpack-plugin", "sentryWebpackPlugin", 0, _SENTRY_BUILD, _SENTRY_BUILD_WHY
    ),
    OptionalOption(
        "@sentry/esbuild-plugin", "sentryEsbuildPlugin", 0, _SENTRY_BUILD, _SENTRY_BUILD_WHY
    ),
    OptionalOption(
        "@sentry/rollup-plugin", "sentryRollupPlugin", 0, _SENTRY_BUILD, _SENTRY_BUILD_WHY
    ),
    OptionalOption(
        "@sentry/react-router", "sentryReactRouter", 0, _SENTRY_BUILD, _SENTRY_BUILD_WHY
    ),
    OptionalOption(
        "@hono/sentry",
        "sentry",
        0,
        frozenset({"dsn"}),
        "Hono's Sentry middleware wraps toucan-js, which sends nothing without a DSN",
    ),
    OptionalOption(
        "posthog-js",
        "init",
        0,
        frozenset({WHOLE}),
        "posthog-js: init without a project key logs 'PostHog was initialized without a "
        "token' and stays off; the page works",
    ),
    OptionalOption(
        "posthog-js",
        "init",
        1,
        frozenset({"api_host", "ui_host"}),
        "posthog-js: the hosts default to PostHog's cloud",
    ),
    OptionalOption(
        "@ai-sdk/google-vertex",
        "createVertex",
        0,
        frozenset({"apiKey", "project", "location", "baseURL"}),
        "AI SDK Google Vertex provider: every setting is optional ('apiKey ... Express "
        "mode'; project and location default to GOOGLE_VERTEX_PROJECT / _LOCATION, "
        "authentication to Google's application default credentials)",
    ),
    OptionalOption(
        "js-cookie",
        "set",
        2,
        frozenset({"domain", "path", "expires", "secure", "sameSite"}),
        "js-cookie: each attribute is optional ('domain ... Default: Cookie is visible only "
        "to the domain or subdomain of the page where the cookie was created')",
    ),
    OptionalOption(
        "js-cookie",
        "remove",
        1,
        frozenset({"domain", "path", "expires", "secure", "sameSite"}),
        "js-cookie: the attributes of the cookie to remove, each optional as for set",
    ),
    OptionalOption(
        "unsend",
        "Unsend",
        1,
        frozenset({WHOLE}),
        "unsend: `new Unsend(key, url?)`: the base URL defaults to Unsend's cloud API",
    ),
    OptionalOption(
        "better-auth/",
        "createAuthClient",
        0,
        frozenset({"baseURL"}),
        "better-auth's client (better-auth/react, /client, ...): 'If the auth server is "
        "running on the same domain as your client, you can skip this step' (baseURL falls "
        "back to the page's origin)",
    ),
    OptionalOption(
        "nodemailer",
        "createTransport",
        0,
        frozenset({"tls.servername", "auth.user", "auth.pass"}),
        "nodemailer passes `tls` to Node's tls.connect, whose `servername` (the SNI name) "
        "defaults to the host: 'servername: Server name for the SNI TLS extension'; SMTP "
        "transport, `auth`: 'If authentication data is not present, the connection is "
        "considered authenticated from the start'",
    ),
    *(
        OptionalOption(module, function, 0, options, _AI_SDK_BASE_URL_WHY)
        for module, function, options in _AI_SDK_FACTORIES
    ),
)

AGENT_CONFIGS: dict[str, str] = {
    "newrelic": (
        "New Relic's Node agent reads its settings from newrelic.js (`exports.config`); "
        "without a license key it logs 'Not starting without license key!' and the app "
        "runs on with the agent's stub API ('Not calling ... because New Relic is disabled')"
    ),
}
"""Config files a monitoring agent loads by name, not the app: every value in them is the
agent's option, and the agent switches itself off without one.  The stem of the file name
(``newrelic`` for ``newrelic.js``, ``newrelic.ts``), with the vendor's words."""
_AGENT_SUFFIXES = frozenset({"js", "cjs", "mjs", "ts", "cts", "mts"})


def is_agent_config(file_name: str) -> bool:
    """Whether ``file_name`` (a base name) is a monitoring agent's config file
    (:data:`AGENT_CONFIGS`): ``newrelic.js``, not ``newrelic.service.ts``."""
    stem, _, suffix = file_name.partition(".")
    return stem in AGENT_CONFIGS and suffix in _AGENT_SUFFIXES


_BY_FUNCTION: dict[str, tuple[OptionalOption, ...]] = {}
for _row in OPTIONAL_OPTIONS:
    _BY_FUNCTION[_row.function] = (*_BY_FUNCTION.get(_row.function, ()), _row)


def is_optional_option(module: str, function: str, argument: int, option: str) -> bool:
    """Whether the value at (``argument``, ``option``) of ``function`` from ``module`` may
    be undefined by design; ``option`` is a property name, or :data:`WHOLE` for the
    argument itself."""
    for row in _BY_FUNCTION.get(function, ()):
        if row.argument != argument or option not in row.options:
            continue
        if module == row.module or (row.module.endswith("/") and module.startswith(row.module)):
            return True
    return False
