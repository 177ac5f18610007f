"""A short-lived cache of "valid" verdicts, so predev hooks do not hit the network each run.

Entries are keyed by an HMAC of (provider, key, base URL, organization,
project, model, billable) under a random per-install key kept beside the
cache, so the file holds no key, no hash a guessed key could be checked
against without the install key, and no server text.  Only "valid" is
cached: a failure must be seen again the moment it is fixed, and a key that
stops working is noticed within the TTL.  Files are 0600 in a 0700
directory (``$XDG_CACHE_HOME/envcheck`` or ``~/.cache/envcheck``), written
through a temporary file and ``os.replace`` so a reader never sees half a
file.  Every failure of the cache is silent: it only ever saves a request.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from envcheck.probe import ProbeResult, ProbeVerdict
from envcheck.probe.targets import Target
from envcheck.secret import reveal

__all__ = ["TTL_SECONDS", "CachedVerdict", "VerdictCache", "cache_dir"]

TTL_SECONDS = 600.0
CACHE_FILE = "probe-cache.json"
KEY_FILE = "probe-cache.key"
_KEY_BYTES = 32


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/envcheck`` when that is an absolute path, else ``~/.cache/envcheck``."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "envcheck"


@dataclass(frozen=True, slots=True)
class CachedVerdict:
    """A cached "valid": when it was checked, and the non-secret facts found."""

    checked: float
    summary: str
    detail: dict[str, str] = field(default_factory=dict)


def _private(path: Path) -> bool:
    """A regular file we own that nobody else can read or write."""
    try:
        st = path.lstat()
    except OSError:
        return False
    owned = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return stat.S_ISREG(st.st_mode) and owned and not st.st_mode & 0o077


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class VerdictCache:
    """Load, look up and store cached verdicts; never raises on a bad cache."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = directory if directory is not None else cache_dir()
        self.ttl = ttl
        self._clock = clock
        self._key: bytes | None = None
        self._lock = threading.Lock()  # probes of several keys run in threads

    @property
    def path(self) -> Path:
        return self.directory / CACHE_FILE

    def _install_key(self, create: bool) -> bytes | None:
        if self._key is not None:
            return self._key
        key_path = self.directory / KEY_FILE
        if _private(key_path):
            with contextlib.suppress(OSError):
                data = key_path.read_bytes()
                if len(data) == _KEY_BYTES:
                    self._key = data
                    return data
        if not create:
            return None
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = os.urandom(_KEY_BYTES)
        _write_atomic(key_path, data)  # replaces an unreadable or too-open key
        self._key = data
        return data

    def fingerprint(self, target: Target, *, model: str | None, billable: bool) -> str | None:
        """Keyed fingerprint of everything that decides the verdict; None without a key."""
        key = self._install_key(create=False)
        return None if key is None else self._fingerprint(key, target, model, billable)

    @staticmethod
    def _fingerprint(key: bytes, target: Target, model: str | None, billable: bool) -> str:
        material = json.dumps(
            [
                target.provider,
                reveal(target.key),
                target.setting("base_url") or target.setting("endpoint"),
                target.setting("organization"),
                target.setting("project"),
                target.setting("deployment"),
                target.allowed_url,
                model,
                billable,
            ]
        ).encode("utf-8", "surrogatepass")
        return hmac.new(key, material, hashlib.sha256).hexdigest()

    def _load(self) -> dict[str, Any]:
        if not _private(self.path):
            return {}
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        entries = data.get("entries") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def get(self, target: Target, *, model: str | None, billable: bool) -> CachedVerdict | None:
        """The cached "valid" for this target, if one is still fresh."""
        fp = self.fingerprint(target, model=model, billable=billable)
        if fp is None:
            return None
        entry = self._load().get(fp)
        if not isinstance(entry, dict) or entry.get("verdict") != ProbeVerdict.VALID.value:
            return None
        checked = entry.get("checked")
        now = self._clock()
        if not isinstance(checked, (int, float)) or not checked <= now < checked + self.ttl:
            return None
        detail = entry.get("detail")
        return CachedVerdict(
            checked=float(checked),
            summary=str(entry.get("summary", "valid")),
            detail={str(k): str(v) for k, v in detail.items()} if isinstance(detail, dict) else {},
        )

    def put(self, target: Target, res: ProbeResult, *, model: str | None, billable: bool) -> None:
        """Store a "valid" result; anything else removes a stale entry."""
        with self._lock:
            self._put(target, res, model=model, billable=billable)

    def _put(self, target: Target, res: ProbeResult, *, model: str | None, billable: bool) -> None:
        try:
            key = self._install_key(create=res.verdict is ProbeVerdict.VALID)
            if key is None:
                return
            fp = self._fingerprint(key, target, model, billable)
            now = self._clock()
            entries = {
                k: v
                for k, v in self._load().items()
                if isinstance(v, dict)
                and isinstance(v.get("checked"), (int, float))
                and v["checked"] + self.ttl > now
            }
            if res.verdict is ProbeVerdict.VALID:
                summary = res.message
                entries[fp] = {
                    "verdict": res.verdict.value,
                    "checked": now,
                    "summary": summary,
                    "detail": dict(res.detail),
                }
            elif entries.pop(fp, None) is None:
                return
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_atomic(self.path, json.dumps({"version": 1, "entries": entries}).encode())
        except OSError:
            return
