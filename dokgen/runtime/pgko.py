"""Work and signals across nodes on PostgreSQL: any node's workers take the work any node
made, and a revoked token is forgotten on every node.

The queue is the records themselves. A document version, an invoice or a NAV claim in a
worker's status (``behandles``, ``forsegles``, ``sender``) *is* a queued job, and its lease
(``jobb_frist``, ``jobb_forsok``; :mod:`dokgen.runtime.leases`) says whether a job holds it.
A second table of jobs would be a second truth that can disagree with the first; with the
status as the queue there is nothing to keep in step. Taking a job is the lease's atomic
``UPDATE … WHERE jobb_frist IS NULL OR jobb_frist < now()``: of two nodes that try at once,
PostgreSQL lets exactly one row update through, and the other job does nothing.

Each node (its process that owns the job pool) runs a :class:`Fordeler`:

* the node that makes a record queues its job in its own pool at once, as on one machine,
  and tells the others (``NOTIFY dokgen_jobb``);
* every node, woken by that notice or every :data:`INTERVALL` seconds, takes what no job
  holds while it has free workers: a record whose lease ran out (its node died, was killed or
  lost power), and a record no job took within :data:`FORSPRANG` of its last change (its own
  node is busy). Leases are read and set with the database's clock, so the nodes' clocks
  do not matter;
* on SIGTERM it stops taking work; the jobs queued here but not started are dropped (their
  records stay free for the other nodes), the running ones finish.

Why not a queue library (procrastinate, a ``jobb`` table with ``SKIP LOCKED``): it would
store a job beside the record it moves, and the two could disagree after a crash; the
lease already gives at-most-one-holder, retry after death and the attempt count.

Signals (``LISTEN``/``NOTIFY``, :class:`Lytter`): ``dokgen_glem`` carries the hash of a
revoked API token, so every process of every node forgets it at once instead of after its
token cache's seconds; a process that lost its connection forgets every token when it is
back, since it may have missed a notice.
"""

from __future__ import annotations

import logging
import threading
import uuid
import weakref
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql
from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from dokgen.runtime.jobs import JobPool
    from dokgen.runtime.leases import LeaseDeps, Step

log = logging.getLogger(__name__)

KANAL_JOBB = "dokgen_jobb"
KANAL_GLEM = "dokgen_glem"
INTERVALL = 1.0  # seconds between two looks for work no job holds
FORSPRANG = timedelta(seconds=0.2)  # the node that made a record gets this long to take it
_PAUSE_VED_FEIL = 2.0  # seconds before a lost connection is tried again


def _conninfo(url: str) -> str:
    """Return psycopg's connection string for a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def varsle(deps: LeaseDeps, kanal: str, melding: str = "") -> None:
    """Send a notice on a channel to every listening process of every node."""
    with deps.sessions.begin() as session:
        session.execute(text("SELECT pg_notify(:k, :m)"), {"k": kanal, "m": melding})


class Lytter:
    """One process's ``LISTEN`` connection: calls a handler per notice on its channels.

    A daemon thread that connects again after a lost connection (``igjen`` is called then:
    notices may have been missed), and ends with :meth:`close` or when ``eier`` (the object
    the handlers serve) is gone.
    """

    def __init__(
        self,
        url: str,
        kanaler: dict[str, Callable[[str], None]],
        *,
        vent: float = INTERVALL,
        igjen: Callable[[], None] | None = None,
        eier: object | None = None,
    ) -> None:
        """Listen on ``kanaler`` (channel → handler of its payload), looking every ``vent``
        seconds whether to stop."""
        self._conninfo = _conninfo(url)
        self._kanaler = kanaler
        self._vent = vent
        self._igjen = igjen
        self._eier = weakref.ref(eier) if eier is not None else None
        self._stopp = threading.Event()
        self._traad = threading.Thread(target=self._kjor, name="dokgen-lytter", daemon=True)
        self._traad.start()

    def _ferdig(self) -> bool:
        return self._stopp.is_set() or (self._eier is not None and self._eier() is None)

    def _kjor(self) -> None:
        forste = True
        while not self._ferdig():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    for kanal in self._kanaler:
                        conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(kanal)))
                    if not forste and self._igjen is not None:
                        self._igjen()
                    forste = False
                    self._lytt(conn)
            except Exception as exc:  # the database restarts, a network drops: try again
                if self._ferdig():
                    return
                log.warning("lytteren mistet forbindelsen: %s", type(exc).__name__)
                self._stopp.wait(_PAUSE_VED_FEIL)

    def _lytt(self, conn: psycopg.Connection[Any]) -> None:
        while not self._ferdig():
            for varsel in conn.notifies(timeout=self._vent, stop_after=1):
                handler = self._kanaler.get(varsel.channel)
                if handler is not None:
                    handler(varsel.payload)

    def close(self) -> None:
        """Stop listening (within ``vent`` seconds)."""
        self._stopp.set()


class Fordeler:
    """A node's dispatcher: takes into its own pool the work no job holds (see the module).

    Args:
        deps: the collaborators the jobs are given.
        pool: this node's job pool.
        steps: each worker status with the job that moves a record out of it.
        arbeidere: the pool's workers: no more jobs are taken than are free.
    """

    def __init__(
        self, deps: LeaseDeps, pool: JobPool, steps: list[Step], *, arbeidere: int
    ) -> None:
        self._deps = deps
        self._pool = pool
        self._steps = steps
        self._arbeidere = arbeidere
        self._lock = threading.Lock()
        self._runde_lock = threading.Lock()
        self._snart = False  # a look is due after a notice's head start
        self._mer = False  # the last look found more free work than free workers
        self._id = uuid.uuid4().hex  # this node's notices carry it
        self._lytter: Lytter | None = None
        self._traad: threading.Thread | None = None
        self._vekk = threading.Event()
        self._stopp = threading.Event()

    def start(self) -> None:
        """Listen for new work and look for free work from now on: after each notice (and
        the head start), when a job of this node ends, and every :data:`INTERVALL`."""
        self._lytter = Lytter(self._deps.settings.database, {KANAL_JOBB: self._varslet})
        self._traad = threading.Thread(target=self._kjor, name="dokgen-fordeler", daemon=True)
        self._traad.start()

    def _kjor(self) -> None:
        while not self._stopp.is_set():
            self._vekk.wait(INTERVALL)
            self._vekk.clear()
            if self._stopp.is_set():
                return
            try:
                self.runde()
            except Exception as exc:  # the database is briefly away: the next round tries
                log.warning("fordeleren fant ikke arbeid: %s", type(exc).__name__)

    def vekk(self) -> None:
        """A worker here became free: look for free work now if the last look left some."""
        if self._mer:
            self._vekk.set()

    def _varslet(self, melding: str) -> None:
        """New work on another node: give it the head start, then look (one timer for the
        notices that come meanwhile). This node's own notices are not for it: its job is
        in its own pool already."""
        if melding == self._id:
            return
        with self._lock:
            if self._snart:
                return
            self._snart = True

        def se() -> None:
            with self._lock:
                self._snart = False
            self._vekk.set()

        threading.Timer(FORSPRANG.total_seconds(), se).start()

    def varsle(self) -> None:
        """Tell every node that work was queued (called after the record is committed)."""
        try:
            varsle(self._deps, KANAL_JOBB, self._id)
        except Exception as exc:  # the others find it within INTERVALL anyway
            log.warning("kunne ikke varsle de andre nodene: %s", type(exc).__name__)

    def runde(self) -> int:
        """Queue in this node's pool the records no job holds, while workers are free;
        return how many."""
        with self._runde_lock:
            if self._stopp.is_set():
                return 0
            ledige = self._arbeidere - self._pool.in_progress
            if ledige <= 0:
                self._mer = True  # asked while busy: look when a worker is free
                return 0
            queued = self._pool.queued()
            count = 0
            self._mer = False
            for model, status, job in self._steps:
                with self._deps.sessions() as session:
                    naa = func.now()
                    ids = session.scalars(
                        select(model.id)
                        .where(model.status == status)
                        .where(
                            or_(
                                model.jobb_frist < naa,
                                model.jobb_frist.is_(None) & (model.endret < naa - FORSPRANG),
                            )
                        )
                        .order_by(model.endret)
                        .limit(ledige + len(queued) + 1)
                    ).all()
                for record_id in ids:
                    if (job.__module__, job.__qualname__, (record_id,)) in queued:
                        continue
                    if ledige == 0:
                        self._mer = True  # look again when a worker is free
                        return count
                    self._pool.submit_lokalt(job, self._deps, record_id)
                    count += 1
                    ledige -= 1
            return count

    def uferdige(self) -> int:
        """Return how many records a job on some node holds or is about to take: in a
        worker's status with a live lease, or with none yet since a lease's length (work
        no node will take before its lease runs out is not waited for)."""
        count = 0
        leie = timedelta(seconds=self._deps.settings.jobb_leie)
        with self._deps.sessions() as session:
            naa = func.now()
            for model, status, _ in self._steps:
                levende = or_(
                    model.jobb_frist >= naa,
                    model.jobb_frist.is_(None) & (model.endret >= naa - leie),
                )
                count += (
                    session.scalar(
                        select(func.count())
                        .select_from(model)
                        .where(model.status == status, levende)
                    )
                    or 0
                )
        return count

    def stopp(self) -> None:
        """Take no more work (SIGTERM: the node drains)."""
        with self._runde_lock:  # a round under way ends first
            self._stopp.set()
        self._vekk.set()
        if self._lytter is not None:
            self._lytter.close()
