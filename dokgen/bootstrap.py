"""The composition root: builds the collaborators (:class:`dokgen.deps.Deps`, re-exported
here) of every service function.

The web app factory (:func:`dokgen.web.app.create_app`), the CLI, the job worker processes
(:func:`worker_deps`) and the tests all build their ``Deps`` here and nowhere else. This
module imports no Flask and no click: a job worker process that builds its ``Deps`` here
never loads either.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.engine import Engine

from dokgen.deps import Deps
from dokgen.documents.pdf.certs import dev_pkcs12
from dokgen.documents.pdf.convert import ConverterPool
from dokgen.documents.pipeline import PdfConverter, sealer_from_settings
from dokgen.runtime import leases, pgko
from dokgen.runtime.jobs import JobPool, JobQueue
from dokgen.services import dokumenter, fakturaer, fakturajobber, kravpakke, manedsavslutning
from dokgen.settings import Settings
from dokgen.storage import instansnokler
from dokgen.storage.crypto import instance_secret
from dokgen.storage.db import Faktura, Manedskrav, Versjon, make_engine, make_sessionmaker
from dokgen.storage.db import migrate as migrate_schema
from dokgen.storage.pgstore import PgStore
from dokgen.storage.s3store import S3Store
from dokgen.storage.store import FileStore, Store

__all__ = ["Deps", "job_steps", "make_deps", "resume", "worker_deps"]

log = logging.getLogger(__name__)


def make_deps(
    settings: Settings,
    converter: PdfConverter | None = None,
    *,
    jobs: JobQueue | None = None,
    migrate: bool = True,
) -> Deps:
    """Open (and migrate) the database, the file store, the workers and the converters.

    With ``jobbmodus=prosess`` the jobs run in worker processes with their own converters;
    ``converter`` (a shared one, for tests) is for ``jobbmodus=traad``. A web process of a
    multi-process service passes its ``jobs`` (to the main process, which migrated).

    On PostgreSQL the instance secret (unless ``DOKGEN_HEMMELIG_NOKKEL`` is set) and the
    development certificate are the database's, the same for every node, and the files go
    to the store ``DOKGEN_FILLAGER`` names (PostgreSQL itself by default): nothing a request
    needs is only on this node's disk.

    Raises:
        SettingsInvalidError: the file store the settings name cannot be used.
    """
    settings.instans.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database)
    if migrate:
        migrate_schema(engine)
    dev_cert: Callable[[], bytes] | None = None
    if settings.postgres:
        settings = replace(settings, hemmelig_nokkel=instance_secret(settings, engine))
        dev_cert = _dev_cert_in(engine, settings)
    deps = Deps(
        settings=settings,
        sessions=make_sessionmaker(engine),
        store=make_store(settings, engine),
        jobs=jobs
        or JobPool(
            settings.arbeidere,
            processes=settings if settings.jobbmodus == "prosess" else None,
            worker_deps=worker_deps,
        ),
        converter=converter
        or ConverterPool(settings.konverterere, timeout=settings.konvertering_tidsgrense),
        sealer_factory=lambda: sealer_from_settings(settings, dev_cert),
    )
    if settings.delt_ko and isinstance(deps.jobs, JobPool):
        # Told of each job queued here, and waited on for the work of every node; it starts
        # taking work in resume(), in the process that owns the pool.
        deps.jobs.fordeler = pgko.Fordeler(
            deps, deps.jobs, job_steps(), arbeidere=settings.arbeidere
        )
    return deps


def make_store(settings: Settings, engine: Engine) -> Store:
    """Build the file store ``DOKGEN_FILLAGER`` names (see :attr:`Settings.lager`).

    Raises:
        SettingsInvalidError: ``s3`` without a bucket or without boto3.
    """
    if settings.lager == "s3":
        return S3Store.from_settings(settings)
    if settings.lager == "postgres":
        return PgStore(engine, fallback=settings.filer_dir)
    return FileStore(settings.filer_dir)


def _dev_cert_in(engine: Engine, settings: Settings) -> Callable[[], bytes]:
    """Return what reads the development certificate from the database, made once for every
    node (from this node's file when it has one from before, else a new one)."""
    path = settings.instans / "utviklingssertifikat" / "utviklingssertifikat.p12"
    made = instansnokler.from_file_or(path, dev_pkcs12)
    return lambda: instansnokler.create_once(engine, instansnokler.UTVIKLINGSSERTIFIKAT, made)


def worker_deps(settings: Settings) -> Deps:
    """Build the collaborators of one job worker process: its own database connection and
    file store, one LibreOffice, and its jobs run in the process itself."""
    return make_deps(replace(settings, jobbmodus="traad", arbeidere=1, konverterere=1))


def resume(deps: Deps) -> None:
    """Queue again the documents, invoices and NAV claims a stop left ``behandles`` or
    ``sender``, and sweep for records no job holds from then on (see
    :mod:`dokgen.runtime.leases`; on PostgreSQL the node's dispatcher of
    :mod:`dokgen.runtime.pgko` does it): called once, in the process that owns the job pool."""
    resumed = (
        dokumenter.gjenoppta(deps) + fakturaer.gjenoppta(deps) + manedsavslutning.gjenoppta(deps)
    )
    if resumed:
        log.info("gjenopptok %d jobber", resumed)
    if isinstance(deps.jobs, JobPool):
        pool = deps.jobs
        steps = job_steps()
        if isinstance(pool.fordeler, pgko.Fordeler):
            # The dispatcher takes what no job holds, here or on any node (it replaces the
            # sweep: a lease that ran out on a dead node is free work like any other).
            pool.fordeler.start()
        else:
            pool.periodic(lambda: leases.sweep(deps, pool, steps), deps.settings.jobb_leie / 3)


def job_steps() -> list[leases.Step]:
    """Return each worker status with the job that moves a record out of it."""
    return [
        (Versjon, dokumenter.BEHANDLES, dokumenter.lag_utkast),
        (Versjon, dokumenter.FORSEGLES, dokumenter.forsegl),
        (Faktura, fakturajobber.BEHANDLES, fakturajobber.bygg),
        (Faktura, fakturajobber.SENDING, fakturajobber.send_jobb),
        (Manedskrav, manedsavslutning.BEHANDLES, kravpakke.bygg),
    ]
