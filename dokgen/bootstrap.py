"""The composition root: builds the collaborators (:class:`Deps`) of every service function.

The web app factory (:func:`dokgen.web.app.create_app`), the CLI, the job worker processes
(:func:`worker_deps`) and the tests all build their ``Deps`` here and nowhere else. This
module imports no Flask and no click: a job worker process that builds its ``Deps`` here
never loads either.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from dokgen.documents.pdf.convert import ConverterPool
from dokgen.documents.pdf.seal import Sealer
from dokgen.documents.pipeline import PdfConverter, sealer_from_settings
from dokgen.runtime import leases
from dokgen.runtime.jobs import JobPool, JobQueue
from dokgen.services import dokumenter, fakturaer, fakturajobber
from dokgen.services.audit import Lesingslogg
from dokgen.services.brukere import Tokenbuffer
from dokgen.settings import Settings
from dokgen.storage.crypto import decrypt
from dokgen.storage.db import (
    Faktura,
    Organisasjon,
    Versjon,
    make_engine,
    make_sessionmaker,
    migrate,
    now,
)
from dokgen.storage.store import FileStore

log = logging.getLogger(__name__)


@dataclass
class Deps:
    """The collaborators of every service function."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: FileStore
    jobs: JobQueue
    converter: PdfConverter
    sealer_factory: Callable[[], Sealer]
    clock: Callable[[], datetime] = now
    _sealer: Sealer | None = field(default=None, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)
    _org_sealers: dict[tuple[int, str], Sealer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _lesingslogg: Lesingslogg | None = field(default=None, repr=False)
    _tokener: Tokenbuffer | None = field(default=None, repr=False)

    @property
    def tokener(self) -> Tokenbuffer:
        """Return the short-lived memory of valid API tokens (one per process)."""
        with self._lock:
            if self._tokener is None:
                self._tokener = Tokenbuffer(self.sessions)
            return self._tokener

    @property
    def lesingslogg(self) -> Lesingslogg:
        """Return the group-committing writer of read audit lines (one per process)."""
        with self._lock:
            if self._lesingslogg is None:
                self._lesingslogg = Lesingslogg(self.sessions)
            return self._lesingslogg

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
                )
            return self._org_sealers[key]


def make_deps(
    settings: Settings,
    converter: PdfConverter | None = None,
    *,
    jobs: JobQueue | None = None,
    migrer: bool = True,
) -> Deps:
    """Open (and migrate) the database, the file store, the workers and the converters.

    With ``jobbmodus=prosess`` the jobs run in worker processes with their own converters;
    ``converter`` (a shared one, for tests) is for ``jobbmodus=traad``. A web process of a
    multi-process service passes its ``jobs`` (to the main process, which migrated).
    """
    settings.instans.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database)
    if migrer:
        migrate(engine)
    return Deps(
        settings=settings,
        sessions=make_sessionmaker(engine),
        store=FileStore(settings.filer_dir),
        jobs=jobs
        or JobPool(
            settings.arbeidere,
            processes=settings if settings.jobbmodus == "prosess" else None,
            worker_deps=worker_deps,
        ),
        converter=converter
        or ConverterPool(settings.konverterere, timeout=settings.konvertering_tidsgrense),
        sealer_factory=lambda: sealer_from_settings(settings),
    )


def worker_deps(settings: Settings) -> Deps:
    """Build the collaborators of one job worker process: its own database connection and
    file store, one LibreOffice, and its jobs run in the process itself."""
    return make_deps(replace(settings, jobbmodus="traad", arbeidere=1, konverterere=1))


def resume(deps: Deps) -> None:
    """Queue again the documents and invoices a stop left ``behandles`` or ``sender``, and
    sweep for records no job holds from then on (see :mod:`dokgen.runtime.leases`): called
    once, in the process that owns the job pool."""
    resumed = dokumenter.gjenoppta(deps) + fakturaer.gjenoppta(deps)
    if resumed:
        log.info("gjenopptok %d jobber", resumed)
    if isinstance(deps.jobs, JobPool):
        pool = deps.jobs
        steps = job_steps()
        pool.periodic(lambda: leases.sweep(deps, pool, steps), deps.settings.jobb_leie / 3)


def job_steps() -> list[leases.Step]:
    """Return each worker status with the job that moves a record out of it."""
    return [
        (Versjon, dokumenter.BEHANDLES, dokumenter.lag_utkast),
        (Versjon, dokumenter.FORSEGLES, dokumenter.forsegl),
        (Faktura, fakturajobber.BEHANDLES, fakturajobber.bygg),
        (Faktura, fakturajobber.SENDING, fakturajobber.send_jobb),
    ]
