"""Leases on the records jobs work on: a job whose process died is taken up again.

A job takes its record's lease before it works (``jobb_frist`` = now + ``DOKGEN_JOBB_LEIE``,
``jobb_forsok`` + 1) and a thread renews it while the work runs; the step that moves the
record on clears both. A process killed outright (SIGKILL, the OOM killer) renews nothing,
and a job whose last write failed (a full disk) has stopped renewing.

The process that owns the job pool sweeps (:func:`sweep`): a record still in a worker's
status with no live lease, unchanged for a lease's length and not queued in that pool, is
queued again. Its job takes the lease again, or, when :data:`MAKS_FORSOK` starts never
finished, marks the record ``feilet`` with a reason instead of trying for ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import func, or_, select, update

from dokgen.storage.db import Faktura, Manedskrav, Versjon, now, utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from dokgen.runtime.jobs import JobPool
    from dokgen.settings import Settings

log = logging.getLogger(__name__)

MAKS_FORSOK = 3  # starts of one step before the record is marked feilet

Model = type[Versjon] | type[Faktura] | type[Manedskrav]
Job = Callable[..., None]
Step = tuple[Model, str, Job]  # a worker status and the job that moves a record out of it


class LeaseDeps(Protocol):
    """What a lease needs of the service's collaborators (a :class:`dokgen.deps.Deps`, which
    lies above this package); a job is given them whole."""

    @property
    def settings(self) -> Settings: ...

    @property
    def sessions(self) -> sessionmaker[Session]: ...


def _leie(deps: LeaseDeps) -> timedelta:
    return timedelta(seconds=deps.settings.jobb_leie)


def _naa(deps: LeaseDeps) -> Any:
    """Return "now" for a lease: the database's clock on PostgreSQL, where the nodes that
    take and renew leases are different machines with their own clocks; this process's on
    SQLite (one machine)."""
    if deps.settings.postgres:
        return func.now()
    return now()


def stalled(
    deps: LeaseDeps, record: Versjon | Faktura | Manedskrav, statuses: tuple[str, ...]
) -> bool:
    """Whether a record in a worker's status has had no job holding it for a lease's length
    (its worker died): a person's retry may then take it up before the sweep does."""
    if record.status not in statuses:
        return False
    naa = now()
    if record.jobb_frist is not None:
        return utc(record.jobb_frist) < naa
    return utc(record.endret) < naa - _leie(deps)


def ta(deps: LeaseDeps, model: Model, record_id: Any, status: str) -> int | None:
    """Take the record's lease for a job; return the attempt number, or None when this job
    has nothing to do (the record moved on, or another job holds a live lease).

    An attempt above :data:`MAKS_FORSOK` is the caller's to mark ``feilet`` (it holds the
    lease meanwhile, so no other job does the same).
    """
    naa = _naa(deps)
    with deps.sessions.begin() as session:
        return session.execute(
            update(model)
            .where(model.id == record_id, model.status == status)
            .where(or_(model.jobb_frist.is_(None), model.jobb_frist < naa))
            .values(
                jobb_frist=naa + _leie(deps),
                jobb_forsok=model.jobb_forsok + 1,
                endret=model.endret,  # the record's content did not change
            )
            .returning(model.jobb_forsok)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()


def forny(deps: LeaseDeps, model: Model, record_id: Any, status: str, forsok: int) -> bool:
    """Renew the lease this job took as attempt ``forsok``; return False when the record has
    moved on or another job has taken it since (this one's lease ran out meanwhile)."""
    with deps.sessions.begin() as session:
        rad = session.execute(
            update(model)
            .where(model.id == record_id, model.status == status)
            .where(model.jobb_forsok == forsok)
            .values(jobb_frist=_naa(deps) + _leie(deps), endret=model.endret)
            .returning(model.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
    return rad is not None


@contextmanager
def holdt(deps: LeaseDeps, model: Model, record_id: Any, status: str) -> Iterator[int | None]:
    """Take the lease (see :func:`ta`) and renew it from a thread until the block ends.

    Yields:
        The attempt number, or None when the job must not run.
    """
    forsok = ta(deps, model, record_id, status)
    if forsok is None:
        yield None
        return
    ferdig = threading.Event()
    intervall = deps.settings.jobb_leie / 3

    def renew() -> None:
        while not ferdig.wait(intervall):
            try:
                if not forny(deps, model, record_id, status, forsok):
                    return
            except Exception as exc:  # the next renewal may succeed; the sweep copes if not
                log.warning("kunne ikke fornye jobbleien: %s", type(exc).__name__)

    traad = threading.Thread(target=renew, name="dokgen-jobbleie", daemon=True)
    traad.start()
    try:
        yield forsok
    finally:
        ferdig.set()
        traad.join()


def ledig(model: Model, naa: Any, leie: timedelta) -> Any:
    """Return the condition of a record no job holds: its lease ran out, or it has had none
    since it changed a lease's length ago (a job just queued has not taken it yet)."""
    return (model.jobb_frist < naa) | (model.jobb_frist.is_(None) & (model.endret < naa - leie))


def avbrutt_tekst(forsok: int) -> str:
    """Return the reason a record failed after jobs that never finished."""
    return (
        f"Jobben ble avbrutt {forsok} ganger uten å bli ferdig (prosessen stoppet, "
        "f.eks. tom for minne eller disk). Prøv igjen."
    )


def sweep(deps: LeaseDeps, pool: JobPool, steps: list[Step]) -> int:
    """Queue again every record a job should hold but none does; return how many.

    Args:
        steps: each worker status with the job that moves a record out of it (the
            composition root names them: :func:`dokgen.bootstrap.job_steps`).
    """
    naa, leie = now(), _leie(deps)
    queued = pool.queued()
    count = 0
    for model, status, job in steps:
        with deps.sessions() as session:
            ids = session.scalars(
                select(model.id).where(model.status == status, ledig(model, naa, leie))
            ).all()
        for record_id in ids:
            if (job.__module__, job.__qualname__, (record_id,)) in queued:
                continue
            log.warning(
                "%s %s: ingen jobb holder den; legges i kø igjen", model.__tablename__, record_id
            )
            pool.submit(job, deps, record_id)
            count += 1
    return count
