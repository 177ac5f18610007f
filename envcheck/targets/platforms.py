"""The variables each platform injects itself, so they are never "missing" on its target.

One table, with the documentation each list was taken from.  Names are
exact, or prefixes ending in ``*``.  Variables that exist only because of a
resource (a Heroku add-on's ``DATABASE_URL``, a Kubernetes Service's
``<SVC>_SERVICE_HOST``) are derived from the manifests by
:func:`service_variables`.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["PLATFORMS", "Platform", "injected", "service_variables"]


class Platform:
    __slots__ = ("name", "title", "docs", "names")

    def __init__(self, name: str, title: str, docs: str, names: tuple[str, ...]) -> None:
        self.name = name
        self.title = title
        self.docs = docs
        self.names = names

    def injects(self, key: str) -> bool:
        return any(key.startswith(n[:-1]) if n.endswith("*") else key == n for n in self.names)


PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            "vercel",
            "Vercel",
            "https://vercel.com/docs/environment-variables/system-environment-variables",
            (
                "VERCEL",
                "CI",
                "VERCEL_ENV",
                "VERCEL_URL",
                "VERCEL_BRANCH_URL",
                "VERCEL_PROJECT_PRODUCTION_URL",
                "VERCEL_REGION",
                "VERCEL_DEPLOYMENT_ID",
                "VERCEL_PROJECT_ID",
                "VERCEL_SKEW_PROTECTION_ENABLED",
                "VERCEL_AUTOMATION_BYPASS_SECRET",
                "VERCEL_OIDC_TOKEN",
                "VERCEL_GIT_*",
                "NEXT_PUBLIC_VERCEL_*",
                "VITE_VERCEL_*",
            ),
        ),
        Platform(
            "netlify",
            "Netlify",
            "https://docs.netlify.com/configure-builds/environment-variables/#read-only-variables",
            (
                "NETLIFY",
                "CONTEXT",
                "BUILD_ID",
                "DEPLOY_ID",
                "SITE_ID",
                "SITE_NAME",
                "URL",
                "DEPLOY_URL",
                "DEPLOY_PRIME_URL",
                "BRANCH",
                "HEAD",
                "COMMIT_REF",
                "CACHED_COMMIT_REF",
                "PULL_REQUEST",
                "REVIEW_ID",
                "REPOSITORY_URL",
                "NETLIFY_IMAGES_CDN_DOMAIN",
                "INCOMING_HOOK_*",
                "NETLIFY_*",
            ),
        ),
        Platform(
            "render",
            "Render",
            "https://render.com/docs/environment-variables#all-runtimes",
            (
                "RENDER",
                "IS_PULL_REQUEST",
                "PORT",
                "RENDER_SERVICE_ID",
                "RENDER_SERVICE_NAME",
                "RENDER_SERVICE_TYPE",
                "RENDER_EXTERNAL_HOSTNAME",
                "RENDER_EXTERNAL_URL",
                "RENDER_INSTANCE_ID",
                "RENDER_GIT_*",
                "RENDER_DISCOVERY_SERVICE",
                "RENDER_CPU_COUNT",
            ),
        ),
        Platform(
            "fly",
            "Fly.io",
            "https://fly.io/docs/machines/runtime-environment/",
            (
                "FLY_APP_NAME",
                "FLY_MACHINE_ID",
                "FLY_ALLOC_ID",
                "FLY_REGION",
                "FLY_PUBLIC_IP",
                "FLY_IMAGE_REF",
                "FLY_MACHINE_VERSION",
                "FLY_PRIVATE_IP",
                "FLY_PROCESS_GROUP",
                "FLY_VM_MEMORY_MB",
                "PRIMARY_REGION",
            ),
        ),
        Platform(
            "railway",
            "Railway",
            "https://docs.railway.com/reference/variables#railway-provided-variables",
            ("RAILWAY_*", "PORT"),
        ),
        Platform(
            "heroku",
            "Heroku",
            "https://devcenter.heroku.com/articles/dynos#local-environment-variables",
            ("PORT", "DYNO", "HEROKU_*"),
        ),
        Platform(
            "k8s",
            "Kubernetes",
            "https://kubernetes.io/docs/concepts/containers/container-environment/",
            (
                "KUBERNETES_SERVICE_HOST",
                "KUBERNETES_SERVICE_PORT",
                "KUBERNETES_SERVICE_PORT_HTTPS",
                "KUBERNETES_PORT",
                "KUBERNETES_PORT_*",
                "HOSTNAME",
            ),
        ),
        Platform(
            "github",
            "GitHub Actions",
            "https://docs.github.com/en/actions/reference/variables-reference",
            ("CI", "GITHUB_*", "RUNNER_*", "ACTIONS_*"),
        ),
        Platform(
            "compose",
            "Docker Compose",
            "https://docs.docker.com/compose/environment-variables/",
            (),
        ),
        Platform("helm", "Helm", "https://helm.sh/docs/chart_template_guide/values_files/", ()),
    )
}

# Heroku add-ons and the config vars they attach (devcenter.heroku.com, each add-on's page).
HEROKU_ADDONS = {
    "heroku-postgresql": ("DATABASE_URL",),
    "heroku-redis": ("REDIS_URL", "REDIS_TLS_URL"),
    "sendgrid": ("SENDGRID_USERNAME", "SENDGRID_PASSWORD", "SENDGRID_API_KEY"),
    "papertrail": ("PAPERTRAIL_API_TOKEN",),
    "mongolab": ("MONGODB_URI",),
    "cloudamqp": ("CLOUDAMQP_URL",),
    "memcachier": ("MEMCACHIER_SERVERS", "MEMCACHIER_USERNAME", "MEMCACHIER_PASSWORD"),
    "bucketeer": (
        "BUCKETEER_AWS_ACCESS_KEY_ID",
        "BUCKETEER_AWS_SECRET_ACCESS_KEY",
        "BUCKETEER_BUCKET_NAME",
    ),
}


def injected(platform: str, key: str, services: Iterable[str] = ()) -> bool:
    """Whether ``platform`` sets ``key`` itself (``services``: see :func:`service_variables`)."""
    found = PLATFORMS.get(platform)
    if found is not None and found.injects(key):
        return True
    return key in service_variables(platform, services)


def service_variables(platform: str, services: Iterable[str]) -> frozenset[str]:
    """Variables a resource of the target adds: Kubernetes services, Heroku add-ons."""
    names: set[str] = set()
    for service in services:
        if platform == "k8s":
            prefix = service.upper().replace("-", "_").replace(".", "_")
            names.update({f"{prefix}_SERVICE_HOST", f"{prefix}_SERVICE_PORT", f"{prefix}_PORT"})
        elif platform == "heroku":
            names.update(HEROKU_ADDONS.get(service.split(":")[0], ()))
    return frozenset(names)
