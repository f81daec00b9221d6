"""The read audit's group commit on PostgreSQL: concurrent reads all land, and none is
answered before its line is committed."""

from __future__ import annotations

import threading

import psycopg
import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.deps.read_audit import ReadAuditWriter
from dokgen.storage.db import Organisasjon, Revisjon
from tests.dokgen.services.test_lesing import (
    assert_twenty_reads_wait_for_the_lock_and_share_commits,
)

pytestmark = pytest.mark.integration


def test_concurrent_reads_all_land_in_few_commits_on_postgresql(
    deps: Deps, org: Organisasjon, pg_url: str
) -> None:
    """Twenty reads while another connection locks the audit table against inserts: none
    returns until the lock is gone, then all twenty lines are there, in at most two
    transactions."""
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"
    blocker = psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    # EXCLUSIVE conflicts with the ROW EXCLUSIVE lock every INSERT takes.
    blocker.execute("LOCK TABLE revisjon IN EXCLUSIVE MODE")

    def slipp() -> None:
        blocker.rollback()
        blocker.close()

    assert_twenty_reads_wait_for_the_lock_and_share_commits(deps, org, slipp)
    with deps.sessions() as s:
        tider = s.scalars(select(Revisjon.tidspunkt)).all()
    assert all(t.utcoffset() is not None for t in tider)


def test_reads_from_many_threads_without_a_lock_all_land_on_postgresql(
    deps: Deps, org: Organisasjon
) -> None:
    """A hundred reads from eight threads at once: every one returns and has its line."""
    logg = ReadAuditWriter(deps.sessions)
    errors: list[BaseException] = []

    def reads(t: int) -> None:
        for n in range(t * 100, t * 100 + 100, 8):
            try:
                logg.write(Aktor(org.id, "Leser", "leser", None, None), "les", "faktura", str(n))
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=reads, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    expected = sorted(str(n) for t in range(8) for n in range(t * 100, t * 100 + 100, 8))
    assert errors == []
    with deps.sessions() as s:
        got = s.scalars(select(Revisjon.objekt_id).where(Revisjon.objekt_type == "faktura"))
        assert sorted(x or "" for x in got) == expected
