"""Deploy targets as sources: where production's environment really lives (issue #27).

Each module reads one kind of deploy manifest (``fly.toml``, Kubernetes and
Kustomize YAML, Helm charts, ``render.yaml``, ``netlify.toml``, Heroku
``app.json``, ``vercel.json``, compose override files, GitHub workflow
``env:`` blocks) into :class:`~envcheck.targets.model.Target` facts: the keys
the target sets, each with the file:line:col that sets it, and whether its
value is in the repository, in a secret store (set, value unknown) or
injected by the platform.  Readers are pure: a file in, data out; every read
goes through :mod:`envcheck.sources.checkout` and every YAML document through
:mod:`envcheck.sources.yamlsafe`, since the manifests are checkout data.

:mod:`~envcheck.targets.discover` lists a project's targets,
:mod:`~envcheck.targets.resolve` turns one into the resolution the rules
check, :mod:`~envcheck.targets.phase` says which keys a build needs.
"""

DOCKERFILES = ("Dockerfile", "dockerfile", "Containerfile")
"""The names a build looks for in a folder, in order.  Here, not in ``dockerfile``: asking
whether a folder has one must not import the parser (the code rules ask it per app)."""
