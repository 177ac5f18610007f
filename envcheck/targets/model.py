"""The facts a deploy target gives: which keys it sets, how, and where.

A value that lives in a secret store (a Kubernetes ``secretKeyRef``, a
Render ``sync: false`` key, a ``${{ secrets.X }}``, a Fly secret) is *set
with an unknown value*: never empty, never printed, never read.  The store's
description names the store and the key only.
"""

from __future__ import annotations

from envcheck.model import Record
from envcheck.sources.types import Origin

__all__ = [
    "PLATFORM",
    "REFERENCE",
    "SECRET_STORE",
    "VALUE",
    "Target",
    "TargetKey",
]

VALUE = "value"  # the manifest holds the value
SECRET_STORE = "secret-store"  # set from a secret store: value unknown, never read
REFERENCE = "reference"  # resolved at deploy time from elsewhere (a variable, a service)
PLATFORM = "platform"  # injected by the platform itself (envcheck.targets.platforms)

KINDS = (VALUE, SECRET_STORE, REFERENCE, PLATFORM)


class TargetKey(Record):
    """One key a target sets: ``value`` only for :data:`VALUE`; ``store`` says from where."""

    __slots__ = ("key", "kind", "value", "origin", "store")
    _not_shown = ("value",)
    key: str
    kind: str
    value: str | None
    origin: Origin
    store: str

    def __init__(
        self, key: str, kind: str, origin: Origin, value: str | None = None, store: str = ""
    ) -> None:
        self.key = key
        self.kind = kind
        self.value = value if kind == VALUE else None
        self.origin = origin
        self.store = store

    @property
    def known(self) -> bool:
        """Whether the repository holds the value (False: set, value unknown)."""
        return self.kind == VALUE


class Target(Record):
    """One place the app is deployed to, as its manifests describe it.

    ``name`` is what ``--target`` takes (``fly``, ``k8s:deployment/web``);
    ``manifest`` the file that defines it (relative to the project);
    ``keys`` in manifest order; ``services``: names whose platform variables
    exist (Kubernetes services defined in the same manifests, Heroku add-ons);
    ``outside``: a description of the keys the platform may set outside the
    repository (a dashboard, ``fly secrets``) when the repository cannot list
    them -- a key missing here may still be set there; ``notes``: what the
    reader could not follow (a Secret not in the manifests).
    """

    __slots__ = ("name", "platform", "manifest", "keys", "services", "outside", "notes", "build")
    name: str
    platform: str
    manifest: str
    keys: dict[str, TargetKey]
    services: list[str]
    outside: str
    notes: list[str]
    build: dict[str, TargetKey]

    def __init__(
        self,
        name: str,
        platform: str,
        manifest: str,
        keys: dict[str, TargetKey] | None = None,
        services: list[str] | None = None,
        outside: str = "",
        notes: list[str] | None = None,
        build: dict[str, TargetKey] | None = None,
    ) -> None:
        self.name = name
        self.platform = platform
        self.manifest = manifest
        self.keys = {} if keys is None else keys
        self.services = [] if services is None else services
        self.outside = outside
        self.notes = [] if notes is None else notes
        self.build = {} if build is None else build

    def add(self, item: TargetKey, *, override: bool = True) -> None:
        """Set a key; a later, more specific source overrides unless ``override`` is False."""
        if override or item.key not in self.keys:
            self.keys[item.key] = item
