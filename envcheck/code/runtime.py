"""Keys the runtime, the shell, CI or a deploy platform sets by itself: never the project's.

A key of this table is never "set nowhere" (EC901, ``explain``) and never "unread"
(EC902): nothing in the project can or should set it.  One table, read by the code rules
(:mod:`envcheck.rules.code`) and by ``explain``; the deploy platforms' own variables
come from :data:`envcheck.targets.platforms.PLATFORMS`, not a second list.  Kept out of
the rules package so that ``explain`` asks it without loading the rule machinery.
"""

from __future__ import annotations

from functools import cache

__all__ = ["RUNTIME_KEYS", "RUNTIME_PREFIXES", "runtime_set"]

# Keys the runtime, the shell, CI or the platform always sets, so never "set nowhere" and
# never the project's to set: Node frameworks set NODE_ENV (Next.js, Vite, CRA; it is
# inlined in browser code too) and Node reads NODE_OPTIONS; Vite's import.meta.env
# built-ins; the shell's own; npm's npm_* while a script runs; Next.js's NEXT_RUNTIME;
# the variables CI systems set for a build (GitHub Actions' defaults, GitLab's CI_*,
# the commit a build is of); and each deploy platform's namespaced variables (see
# :func:`_platform_names`).  PORT is not here: many apps need it set, and a read without
# a default is a real requirement.
RUNTIME_KEYS = frozenset(
    {
        "NODE_ENV",
        "NODE_OPTIONS",
        "MODE",
        "DEV",
        "PROD",
        "SSR",
        "BASE_URL",
        "CI",
        "HOME",
        "PATH",
        "PWD",
        "USER",
        "SHELL",
        "TMPDIR",
        "LANG",
        "TERM",
        "HOSTNAME",
        "INIT_CWD",
        "NEXT_RUNTIME",
        # the commit or build a CI system builds (Jenkins, Heroku, Coolify, custom pipelines)
        "GIT_COMMIT",
        "GIT_COMMIT_SHA",
        "GIT_SHA",
        "GIT_BRANCH",
        "COMMIT_SHA",
        "SOURCE_COMMIT",
        "SOURCE_VERSION",
        "BUILD_NUMBER",
        # GitHub Actions' default variables (docs.github.com/en/actions/reference/variables-
        # reference).  Exact names: apps keep GITHUB_TOKEN, GITHUB_CLIENT_SECRET of their own.
        "GITHUB_ACTION",
        "GITHUB_ACTION_PATH",
        "GITHUB_ACTION_REPOSITORY",
        "GITHUB_ACTIONS",
        "GITHUB_ACTOR",
        "GITHUB_ACTOR_ID",
        "GITHUB_API_URL",
        "GITHUB_BASE_REF",
        "GITHUB_ENV",
        "GITHUB_EVENT_NAME",
        "GITHUB_EVENT_PATH",
        "GITHUB_GRAPHQL_URL",
        "GITHUB_HEAD_REF",
        "GITHUB_JOB",
        "GITHUB_OUTPUT",
        "GITHUB_PATH",
        "GITHUB_REF",
        "GITHUB_REF_NAME",
        "GITHUB_REF_PROTECTED",
        "GITHUB_REF_TYPE",
        "GITHUB_REPOSITORY",
        "GITHUB_REPOSITORY_ID",
        "GITHUB_REPOSITORY_OWNER",
        "GITHUB_REPOSITORY_OWNER_ID",
        "GITHUB_RETENTION_DAYS",
        "GITHUB_RUN_ATTEMPT",
        "GITHUB_RUN_ID",
        "GITHUB_RUN_NUMBER",
        "GITHUB_SERVER_URL",
        "GITHUB_SHA",
        "GITHUB_STATE",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_TRIGGERING_ACTOR",
        "GITHUB_WORKFLOW",
        "GITHUB_WORKFLOW_REF",
        "GITHUB_WORKFLOW_SHA",
        "GITHUB_WORKSPACE",
        "RUNNER_ARCH",
        "RUNNER_DEBUG",
        "RUNNER_ENVIRONMENT",
        "RUNNER_NAME",
        "RUNNER_OS",
        "RUNNER_TEMP",
        "RUNNER_TOOL_CACHE",
        # Docker's automatic platform build args (docs.docker.com/reference/dockerfile/
        # #automatic-platform-args-in-the-global-scope), set by BuildKit / buildx
        "BUILDPLATFORM",
        "BUILDOS",
        "BUILDARCH",
        "BUILDVARIANT",
        "TARGETPLATFORM",
        "TARGETOS",
        "TARGETARCH",
        "TARGETVARIANT",
        # "is this CI?" flags each CI system sets (the vendor table of the ci-info package,
        # github.com/watson/ci-info/blob/master/vendors.json): exact names only, never a
        # vendor's prefix (BITBUCKET_CLIENT_SECRET is an app's OAuth key)
        "CONTINUOUS_INTEGRATION",
        "BUILDKITE",
        "CIRCLECI",
        "TRAVIS",
        "GITLAB_CI",
        "JENKINS_URL",
        "TEAMCITY_VERSION",
        "TF_BUILD",
        "APPVEYOR",
        "DRONE",
        "BITBUCKET_BUILD_NUMBER",
        "BITBUCKET_COMMIT",
        "CODEBUILD_BUILD_ID",
        # the terminal a CLI runs in: what it is and what it can show (TERM_PROGRAM and
        # VTE_VERSION are set by terminal emulators; COLUMNS/LINES by the shell, POSIX
        # "Environment Variables" 8.3; COLORTERM, NO_COLOR (no-color.org), FORCE_COLOR
        # and FORCE_HYPERLINK (supports-color / supports-hyperlinks) by the user to force a
        # terminal's features, never an app's configuration)
        "COLORTERM",
        "TERM_PROGRAM",
        "TERM_PROGRAM_VERSION",
        "VTE_VERSION",
        "WT_SESSION",
        "COLUMNS",
        "LINES",
        "NO_COLOR",
        "FORCE_COLOR",
        "FORCE_HYPERLINK",
        "TMUX",
        "LOGNAME",
        # Windows' own (learn.microsoft.com "Recognized environment variables")
        "APPDATA",
        "LOCALAPPDATA",
        "USERPROFILE",
        "PROGRAMDATA",
        "SYSTEMROOT",
        "WINDIR",
        "COMSPEC",
        # the XDG Base Directory specification's folders (optional by the spec itself)
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "XDG_RUNTIME_DIR",
    }
)
RUNTIME_PREFIXES = (
    "npm_",
    "ACTIONS_",  # the Actions runner's own (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_CACHE_URL)
    "CI_",  # GitLab CI's predefined variables
    "CIRCLE_",
    "TRAVIS_",
    "BUILDKITE_",
    "CF_PAGES",
)


@cache
def _platform_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """The deploy platforms' own variables, from the one table of them: every prefix
    pattern (``VERCEL_GIT_*``, ``NEXT_PUBLIC_VERCEL_*``, ``RAILWAY_*``), and each exact
    name in the platform's namespace (``VERCEL_URL``, ``FLY_REGION``,
    ``KUBERNETES_SERVICE_HOST``).  A generic exact name (``PORT``, ``URL``, ``BRANCH``)
    is set on that platform only, and an app elsewhere may need it set.  GitHub's entry
    lists the prefixes a workflow may not set (``GITHUB_*``), not names the runner sets:
    its defaults are in :data:`RUNTIME_KEYS` by name."""
    from envcheck.targets.platforms import PLATFORMS

    exact: set[str] = set()
    prefixes: list[str] = []
    for platform in PLATFORMS.values():
        if platform.name == "github":
            continue
        patterns = [n[:-1] for n in platform.names if n.endswith("*")]
        spaces = {platform.name.upper(), *(p.split("_")[0] for p in patterns)}
        prefixes.extend(patterns)
        exact.update(n for n in platform.names if not n.endswith("*") and n.split("_")[0] in spaces)
    return frozenset(exact), tuple(prefixes)


def runtime_set(key: str) -> bool:
    """A key the runtime, CI or a platform sets by itself (:data:`RUNTIME_KEYS`): never
    "set nowhere" (EC901, ``explain``), never "unread" (EC902)."""
    if key in RUNTIME_KEYS or key.startswith(RUNTIME_PREFIXES):
        return True
    exact, prefixes = _platform_names()
    return key in exact or key.startswith(prefixes)
