"""The collaborators of every service function (:class:`Deps`) and the two mechanics each
process keeps in them: the memory of valid API tokens (:mod:`.token_cache`) and the writer of
the audit lines of reads (:mod:`.read_audit`).

``Deps`` is only the dataclass: the composition root (:mod:`dokgen.bootstrap`) builds it.
It lies below the services, which take it as their first argument, and above the job pool,
the documents and storage, whose parts it holds.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from dokgen.deps.read_audit import ReadAuditWriter
from dokgen.deps.token_cache import TokenCache
from dokgen.documents.pdf.seal import Sealer
from dokgen.documents.pipeline import PdfConverter
from dokgen.runtime import pgko
from dokgen.runtime.jobs import JobQueue
from dokgen.settings import Settings
from dokgen.storage.crypto import decrypt
from dokgen.storage.db import Organisasjon, now
from dokgen.storage.store import Store


@dataclass
class Deps:
    """The collaborators of every service function."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: Store
    jobs: JobQueue
    converter: PdfConverter
    sealer_factory: Callable[[], Sealer]
    clock: Callable[[], datetime] = now
    _sealer: Sealer | None = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)
    _org_sealers: dict[tuple[int, str], Sealer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _read_audit: ReadAuditWriter | None = field(default=None, repr=False)
    _token_cache: TokenCache | None = field(default=None, repr=False)

    @property
    def token_cache(self) -> TokenCache:
        """Return the short-lived memory of valid API tokens (one per process)."""
        with self._lock:
            if self._token_cache is None:
                self._token_cache = cache = TokenCache(self.sessions)
                if self.settings.postgres:
                    self._signaler(cache)
            return self._token_cache

    def _signaler(self, cache: TokenCache) -> None:
        """On PostgreSQL: a revocation anywhere reaches this process's cache at once, and
        one here reaches every other process (``NOTIFY dokgen_glem``)."""

        ref = weakref.ref(cache)  # the listener ends with the cache, not keeps it

        def glem(token_sha256: str) -> None:
            levende = ref()
            if levende is not None:
                levende.forget(token_sha256, relay=False)

        def glem_alle() -> None:
            levende = ref()
            if levende is not None:
                levende.forget_all()

        def varsle(token_sha256: str) -> None:
            pgko.varsle(self, pgko.KANAL_GLEM, token_sha256)

        cache.varsle_noder = varsle
        self.extra["lytter"] = pgko.Lytter(
            self.settings.database,
            {pgko.KANAL_GLEM: glem},
            igjen=glem_alle,
            eier=cache,
        )

    @property
    def read_audit(self) -> ReadAuditWriter:
        """Return the group-committing writer of read audit lines (one per process)."""
        with self._lock:
            if self._read_audit is None:
                self._read_audit = ReadAuditWriter(self.sessions)
            return self._read_audit

    @property
    def sealer(self) -> Sealer:
        """Return the sealer, loading the certificate on first use and keeping it."""
        if self._sealer is None:
            self._sealer = self.sealer_factory()
        return self._sealer

    def sealer_for(self, org_id: int) -> Sealer:
        """Return the organisation's own sealer when an admin uploaded its certificate, else
        the instance's; each certificate is parsed once and kept.

        Raises:
            SigningFailedError: the stored certificate cannot be opened.
        """
        with self.sessions() as session:
            org = session.get(Organisasjon, org_id)
            cert = dict((org.innstillinger or {}).get("sertifikat") or {}) if org else {}
        if not cert:
            return self.sealer
        key = (org_id, cert["sha256"])
        with self._lock:
            if key not in self._org_sealers:
                self._org_sealers[key] = Sealer(
                    pkcs12=self.store.get(cert["sha256"]),
                    passord=decrypt(self.settings, cert["passord"]),
                    tidsstempel_url=self.settings.tidsstempel_url,
                    skrift=self.settings.segl_skrift,
                )
            return self._org_sealers[key]
