"""GUARDED-READ: reads whose value the code tests and replaces where it reads them.

The shapes come from the survey's holdout5 repositories (anything-llm, novu, Flowise), where
each was reported as a key the app needs: a read in one ``case`` of a switch over the
configured provider, the switch's own subject, ``parseInt(X, 10)`` then an ``isNaN`` test,
``+X || 500``, a project helper's result defaulted (``toValidNumber(X) || 8192``), a guard
held in a local ``const``, ``X?.length > 0 ? ... : {}``.  Each test pairs them with the
near shapes that stay required (a switch over the mode, the ``default`` branch, a helper
that throws), so a rule that said "optional" everywhere fails too.
"""

from __future__ import annotations

from pathlib import Path

from envcheck.code import scan
from tests.harness import findings, unset_reads, write
from tests.harness import isolated as envcheck


def _kinds(root: Path) -> dict[tuple[str, int], str]:
    """(key, line) -> kind of every read of the project (the first read of a line)."""
    kinds: dict[tuple[str, int], str] = {}
    for read in scan(root, root=root, use_cache=False).reads:
        if read.key:
            kinds.setdefault((read.key, read.line), read.kind)
    return kinds


# anything-llm server/endpoints/utils.js getModelTag(), utils/helpers/index.js
# getImageGeneratorProvider() and aibitat/providers/ai-provider.js LangChainChatModel().
PROVIDER_SWITCH = """\
function getModelTag() {
  let model = null;
  const provider = process.env.LLM_PROVIDER;
  switch (provider) {
    case "openai":
      model = process.env.OPEN_MODEL_PREF;
      break;
    case "azure":
      model = process.env.AZURE_OPENAI_MODEL_PREF || process.env.OPEN_MODEL_PREF;
      break;
    default:
      model = "--";
      break;
  }
  return model;
}

function getImageGeneratorProvider() {
  const provider = process.env.IMAGE_GEN_PROVIDER;
  switch (provider) {
    case "openai":
      return new OpenAiImageGenerator();
    default:
      throw new Error(`No valid image generation provider was set. Got: ${provider}`);
  }
}

function chatModel(provider = "openai", config = {}) {
  switch (provider) {
    case "fireworksai":
      return new ChatOpenAI({ apiKey: process.env.FIREWORKS_AI_LLM_API_KEY, ...config });
    case "openai":
      return new ChatOpenAI({ apiKey: process.env.OPEN_AI_KEY, ...config });
  }
}

function createTransportForProvider(provider) {
  switch (provider) {
    case "ses":
      return ses(process.env.SES_REGION);
    case "smtp":
      return smtp(process.env.SMTP_HOST);
  }
}

function getTransport() {
  const provider = process.env.EMAIL_PROVIDER ?? "smtp";
  switch (provider) {
    case "ses":
      return ses(process.env.AWS_SES_REGION);
    case "smtp":
      return smtp(process.env.SMTP_SERVER);
  }
}

function databaseUrl() {
  switch (process.env.NODE_ENV) {
    case "production":
      return process.env.PRODUCTION_DATABASE_URL;
    default:
      return process.env.DATABASE_URL;
  }
}

async function metrics() {
  switch (process.env.METRICS_PROVIDER) {
    // default to prometheus
    case "prometheus":
    case undefined:
      return prometheus(process.env.PROMETHEUS_URL);
    case "open_telemetry":
      return openTelemetry(process.env.OTEL_ENDPOINT);
  }
}

function getBaseLLMProviderModel({ provider = null } = {}) {
  switch (provider) {
    case "anthropic":
      return process.env.ANTHROPIC_MODEL_PREF;
    default:
      return null;
  }
}

switch (process.env.QUEUE_DRIVER) {
  default:
    throw new Error("set QUEUE_DRIVER");
}

module.exports = { getModelTag, getBaseLLMProviderModel, chatModel, databaseUrl, metrics };
"""


def test_a_read_in_one_case_of_a_provider_switch_is_that_providers(tmp_path: Path) -> None:
    """Each ``*_MODEL_PREF`` is read only in its provider's case: needed when the app is
    set up with that provider (``feature``), not by every app.  The switch's subject is
    compared, as ``=== "openai"`` is (optional); a ``default`` that throws makes it the
    feature's (in a function) or the app's (at load).  The cases the app takes with the
    key unset stay required: ``default``, ``case undefined:``, the fallback's (rallly's
    ``EMAIL_PROVIDER ?? "smtp"``), the parameter default's; so do a mode's cases and a
    switch over a parameter whose callers choose (no default seen)."""
    root = write(tmp_path / "server", {"endpoints/utils.js": PROVIDER_SWITCH})
    kinds = _kinds(root)
    assert kinds[("LLM_PROVIDER", 3)] == "optional"
    assert kinds[("OPEN_MODEL_PREF", 6)] == "feature"
    assert kinds[("AZURE_OPENAI_MODEL_PREF", 9)] == "optional"  # `|| fallback`, as before
    assert kinds[("IMAGE_GEN_PROVIDER", 19)] == "feature"  # default throws, when called
    assert kinds[("FIREWORKS_AI_LLM_API_KEY", 31)] == "feature"  # provider = "openai"
    assert kinds[("OPEN_AI_KEY", 33)] == "required"  # ... is the parameter's default
    assert kinds[("SES_REGION", 40)] == "required"  # the callers choose the provider
    assert kinds[("SMTP_HOST", 42)] == "required"
    assert kinds[("AWS_SES_REGION", 50)] == "feature"
    assert kinds[("SMTP_SERVER", 52)] == "required"  # `?? "smtp"`: the unset key's case
    assert kinds[("PRODUCTION_DATABASE_URL", 59)] == "required"  # a mode, not a set-up
    assert kinds[("DATABASE_URL", 61)] == "required"  # default branch
    assert kinds[("METRICS_PROVIDER", 66)] == "optional"  # `case undefined:` handles it
    assert kinds[("PROMETHEUS_URL", 70)] == "required"  # the unset key's branch
    assert kinds[("OTEL_ENDPOINT", 72)] == "feature"
    assert kinds[("ANTHROPIC_MODEL_PREF", 79)] == "feature"  # { provider = null }
    assert kinds[("QUEUE_DRIVER", 85)] == "required"  # default throws as the module loads


# anything-llm aibitat/index.js and toolReranker.js; Flowise enterprise/utils/sendEmail.ts;
# novu libs/dal/src/dal.service.ts; anything-llm AiProviders/giteeai/index.js.
CONVERTED = """\
import { toValidNumber } from "../../http";

export function defaultMaxToolCalls() {
  const envMaxToolCalls = parseInt(process.env.AGENT_MAX_TOOL_CALLS, 10);
  return !isNaN(envMaxToolCalls) && envMaxToolCalls > 0 ? envMaxToolCalls : 10;
}

export const isSmtpConfigured = (): boolean => {
  const port = parseInt(process.env.SMTP_PORT as string, 10);
  return Boolean(process.env.SMTP_HOST?.trim() && !Number.isNaN(port));
};

export const baseConfig = {
  maxPoolSize: +process.env.MONGO_MAX_POOL_SIZE || 500,
  minPoolSize: Number.parseInt(process.env.MONGO_MIN_POOL_SIZE, 10) || 10,
};

export function promptWindowLimit(model: string) {
  return toValidNumber(process.env.GITEE_AI_MODEL_TOKEN_LIMIT) || LEGACY[model] || 8192;
}

function requireSet(value: string | undefined): string {
  if (!value) throw new Error("missing");
  return value;
}

export const port = parseInt(process.env.PORT, 10);
export const timeout = +process.env.TIMEOUT_MS;
export const secret = requireSet(process.env.SESSION_SECRET) || "";
export const region = toValidNumber(process.env.REGION_ID);
"""


def test_a_converted_read_is_as_optional_as_its_result(tmp_path: Path) -> None:
    """``parseInt(X, 10)`` (the radix too), ``Number.parseInt``, ``+X`` and a helper of the
    project's own handed the read alone convert it: a fallback or an ``isNaN`` test of
    the result copes with the key missing.  The same conversions used plainly stay
    required, and so does a helper of this file that throws without the value."""
    root = write(tmp_path / "server", {"utils/limits.ts": CONVERTED})
    kinds = _kinds(root)
    assert kinds[("AGENT_MAX_TOOL_CALLS", 4)] == "optional"
    assert kinds[("SMTP_PORT", 9)] == "optional"
    assert kinds[("MONGO_MAX_POOL_SIZE", 14)] == "optional"
    assert kinds[("MONGO_MIN_POOL_SIZE", 15)] == "optional"
    assert kinds[("GITEE_AI_MODEL_TOKEN_LIMIT", 19)] == "optional"
    assert kinds[("PORT", 27)] == "required"
    assert kinds[("TIMEOUT_MS", 28)] == "required"
    assert kinds[("SESSION_SECRET", 29)] == "required"  # requireSet throws without it
    assert kinds[("REGION_ID", 30)] == "required"  # the helper's result used plainly


# novu libs/application-generic/.../redis-provider.ts and storage/index.ts.
REDIS_PROVIDER = """\
import { convertStringValues } from './variable-mappers';

interface IRedisConfig {
  db?: string;
  host?: string;
}

export const getRedisProviderConfig = () => {
  const redisConfig: IRedisConfig = {
    db: convertStringValues(process.env.REDIS_DB_INDEX),
    host: convertStringValues(process.env.REDIS_HOST),
  };
  const db = redisConfig.db ? Number(redisConfig.db) : undefined;
  const host = redisConfig.host || 'localhost';
  return { db, host };
};

function getStorageServiceClass(service: string) {
  switch (service) {
    case 'GCS':
      return GCSStorageService;
    default:
      return S3StorageService;
  }
}

export const storageService = {
  useClass: getStorageServiceClass(String(process.env.STORAGE_SERVICE)),
};
"""


def test_a_helpers_result_in_an_optional_field_and_a_switch_with_a_default(
    tmp_path: Path,
) -> None:
    """``{ db: convertStringValues(process.env.REDIS_DB_INDEX) }`` in an object typed
    ``db?: string``: the helper's result is the field's, which is optional.  A function of
    the file that switches over its parameter with a ``default`` copes with the key
    missing (``String(undefined)`` takes the S3 default).  ``init`` drafts neither as
    required, so ``check`` has nothing to say of them."""
    root = write(
        tmp_path / "app",
        {
            "package.json": '{"name": "app", "dependencies": {"ioredis": "5.0.0"}}\n',
            "src/redis-provider.ts": REDIS_PROVIDER,
            "src/main.ts": "export const url = process.env.MONGO_URL;\n",
        },
    )
    kinds = _kinds(root)
    assert kinds[("REDIS_DB_INDEX", 10)] == "optional"
    assert kinds[("REDIS_HOST", 11)] == "optional"
    assert kinds[("STORAGE_SERVICE", 28)] == "optional"
    assert kinds[("MONGO_URL", 1)] == "required"
    found = findings(envcheck(root, "check", "--format", "json", "--select", "EC901,EC906"))
    assert unset_reads(found) == {"MONGO_URL"}  # a plain read: EC906


# Flowise packages/components/src/utils.ts executeJavaScriptCode(); anything-llm
# vectorDbProviders/weaviate/index.js connect().
LOCAL_GUARDS = """\
export const executeJavaScriptCode = async (code: string, options: { useSandbox?: boolean }) => {
  const { useSandbox = true } = options;
  const shouldUseE2BSandbox = useSandbox && process.env.E2B_APIKEY;
  if (shouldUseE2BSandbox) {
    const sbx = await Sandbox.create({ apiKey: process.env.E2B_APIKEY });
    return sbx.run(code);
  }
  let shouldLog = !!process.env.LOG_URL;
  shouldLog = true;
  if (shouldLog) send(process.env.LOG_URL);
  return vm.run(code);
};

export function getRawWorkOS() {
  const apiKey = process.env.WORKOS_API_KEY;
  if (!apiKey) {
    throw new Error("SSO is not configured on this instance");
  }
  return new WorkOS(apiKey, { clientId: process.env.AUTH_WORKOS_ID });
}

export async function connect() {
  const options = {
    ...(process.env?.WEAVIATE_API_KEY?.length > 0
      ? { apiKey: new weaviate.ApiKey(process.env?.WEAVIATE_API_KEY) }
      : {}),
    ...(process.env.QDRANT_KEY.length ? { key: makeKey(process.env.QDRANT_KEY) } : {}),
  };
  return weaviate.client(options);
}
"""


def test_a_read_guarded_by_a_local_const_or_a_length_test_is_optional(tmp_path: Path) -> None:
    """A guard held in a local ``const`` (``const shouldUse = useSandbox && process.env.K;
    if (shouldUse) ...``) tests the key as the module constants' did; a ``let`` may be
    reassigned and guards nothing; a function's ``if (!k) throw`` on its own ``const``
    is its check of that key, not a switch of the reads after it (openstatus'
    ``AUTH_WORKOS_ID``, judged required).  ``X?.length > 0 ? use(X) : {}`` runs the use only
    with the key set; ``X.length`` throws without it, so that read itself stays
    required, while the branch it guards does not."""
    root = write(tmp_path / "components", {"src/utils.ts": LOCAL_GUARDS})
    kinds = _kinds(root)
    assert kinds[("E2B_APIKEY", 5)] == "optional"
    assert kinds[("LOG_URL", 10)] == "required"  # `let`: reassigned before the test
    assert kinds[("AUTH_WORKOS_ID", 19)] == "required"  # after a function's own check
    assert kinds[("WEAVIATE_API_KEY", 25)] == "optional"
    assert kinds[("QDRANT_KEY", 27)] == "required"  # `.length` of undefined throws


# novu get-is-in-memory-cluster-mode-enabled.use-case.ts
FLAG_USE_CASE = """\
export class GetIsInMemoryClusterModeEnabled extends GetSystemCriticalFlag {
  execute(): boolean {
    const value = process.env.IS_IN_MEMORY_CLUSTER_MODE_ENABLED
      ? process.env.IS_IN_MEMORY_CLUSTER_MODE_ENABLED
      : process.env.IN_MEMORY_CLUSTER_MODE_ENABLED;
    const fallbackValue = false;
    return this.prepareBooleanStringSystemCriticalFlag(value, fallbackValue);
  }

  region(): string {
    const value = process.env.CLUSTER_REGION;
    const label = "region";
    return this.prepare(value, label);
  }
}
"""


def test_a_value_handed_to_an_own_method_with_its_fallback_is_optional(tmp_path: Path) -> None:
    """``this.prepareFlag(value, fallbackValue)`` with ``const fallbackValue = false``: a
    method of the object's own class handed the read then the literal it falls back to
    (in a ``const``), the "parse, or fall back" idiom.  A string after the read is no
    fallback (``this.prepare(value, "region")``)."""
    root = write(tmp_path / "lib", {"src/use-case.ts": FLAG_USE_CASE})
    kinds = _kinds(root)
    assert kinds[("IN_MEMORY_CLUSTER_MODE_ENABLED", 5)] == "optional"
    assert kinds[("CLUSTER_REGION", 11)] == "required"


# novu apps/*/src/config/env.validators.ts: the schema is a module constant.
ENVALID_CONSTANT = """\
import { cleanEnv, port, str } from 'envalid';

export function validateEnv() {
  return cleanEnv(process.env, envValidators);
}

export const envValidators = {
  REDIS_HOST: str(),
  REDIS_PORT: port(),
  REDIS_PASSWORD: str({ default: undefined }),
} satisfies Record<string, unknown>;
"""


def test_an_envalid_schema_held_in_a_constant_is_read(tmp_path: Path) -> None:
    """``cleanEnv(process.env, envValidators)`` with the validators a ``const`` of the
    module: its keys are the app's demands, as an inline schema's are.  With the Redis
    provider's reads now optional, this is where ``REDIS_HOST`` is required."""
    root = write(tmp_path / "api", {"src/config/env.validators.ts": ENVALID_CONSTANT})
    reads = scan(root, root=root, use_cache=False).reads
    assert {(r.key, r.kind, r.form, r.line) for r in reads} == {
        ("REDIS_HOST", "required", "schema", 8),
        ("REDIS_PORT", "required", "schema", 9),
        ("REDIS_PASSWORD", "optional", "schema", 10),
    }
