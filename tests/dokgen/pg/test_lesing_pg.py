"""The read audit's group commit on PostgreSQL: concurrent reads all land, and none is
answered before its line is committed."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import event, select

from dokgen.audit import Lesingslogg
from dokgen.db import Organisasjon, Revisjon
from dokgen.services import Aktor, Deps

pytestmark = pytest.mark.integration


def test_concurrent_reads_all_land_in_few_commits_on_postgresql(
    deps: Deps, org: Organisasjon, pg_url: str
) -> None:
    """Twenty reads while another connection locks the audit table against inserts: none
    returns until the lock is gone, then all twenty lines are there, in at most two
    transactions."""
    engine = deps.sessions.kw["bind"]
    assert engine.dialect.name == "postgresql"
    logg = Lesingslogg(deps.sessions)
    commits: list[int] = []
    event.listen(engine, "commit", lambda conn: commits.append(1))
    blocker = psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    # EXCLUSIVE conflicts with the ROW EXCLUSIVE lock every INSERT takes.
    blocker.execute("LOCK TABLE revisjon IN EXCLUSIVE MODE")
    started: list[int] = []
    answered: list[int] = []

    def read(n: int) -> None:
        started.append(n)
        logg.skriv(
            Aktor(org.id, "Test Leser", "leser", "127.0.0.1", f"r{n}"), "les", "dokument", f"d{n}"
        )
        answered.append(n)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(20)]
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while len(started) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        assert answered == []  # nobody is answered with the audit line unwritten
    finally:
        blocker.rollback()
        blocker.close()
    for t in threads:
        t.join(timeout=30)
    assert sorted(answered) == list(range(20))
    with deps.sessions() as s:
        lines = s.execute(
            select(Revisjon.aktor, Revisjon.objekt_id, Revisjon.foresporsel, Revisjon.tidspunkt)
        ).all()
    assert sorted(x.objekt_id for x in lines) == sorted(f"d{n}" for n in range(20))
    assert {x.aktor for x in lines} == {"Test Leser (leser)"}
    assert {x.foresporsel for x in lines} == {f"r{n}" for n in range(20)}
    assert all(x.tidspunkt.utcoffset() is not None for x in lines)
    assert 1 <= len(commits) <= 2, len(commits)


def test_reads_from_many_threads_without_a_lock_all_land_on_postgresql(
    deps: Deps, org: Organisasjon
) -> None:
    """A hundred reads from eight threads at once: every one returns and has its line."""
    logg = Lesingslogg(deps.sessions)
    errors: list[BaseException] = []

    def reads(t: int) -> None:
        for n in range(t * 100, t * 100 + 100, 8):
            try:
                logg.skriv(Aktor(org.id, "Leser", "leser", None, None), "les", "faktura", str(n))
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
