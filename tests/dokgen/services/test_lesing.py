"""Reads under load: audit lines with group commit (:mod:`dokgen.deps.read_audit`), the token
memory (:class:`dokgen.deps.token_cache.TokenCache`)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.deps.read_audit import ReadAuditWriter
from dokgen.deps.token_cache import TokenCache
from dokgen.errors import NotAuthenticatedError
from dokgen.services import brukere
from dokgen.storage.db import ApiToken, Organisasjon, Revisjon
from tests.conftest import wait_for

pytestmark = pytest.mark.integration


def _revisjon(deps: Deps) -> list[tuple[str, str, str | None, str | None]]:
    with deps.sessions() as s:
        rows = s.execute(
            select(Revisjon.aktor, Revisjon.handling, Revisjon.objekt_id, Revisjon.foresporsel)
        )
        return [tuple(r) for r in rows]


def assert_twenty_reads_wait_for_the_lock_and_share_commits(
    deps: Deps, org: Organisasjon, slipp: Callable[[], None]
) -> None:
    """With the audit table's writes blocked by the caller (``slipp`` releases them): twenty
    concurrent reads; assert none returns while blocked, then all twenty lines are there,
    written in at most two transactions (also used by the PostgreSQL tests)."""
    logg = ReadAuditWriter(deps.sessions)
    commits: list[int] = []
    event.listen(deps.sessions.kw["bind"], "commit", lambda conn: commits.append(1))
    answered: list[int] = []
    batches: list[int] = []  # the number of lines of each commit, as it starts
    commit = logg._commit

    def counted(bunke: list[Any]) -> None:
        batches.append(len(bunke))
        commit(bunke)

    logg._commit = counted  # type: ignore[method-assign]

    def handed_over() -> int:
        """Return the lines in a commit under way or queued behind it."""
        with logg._cond:
            return sum(batches) + len(logg._queue)

    def read(n: int) -> None:
        logg.write(
            Aktor(org.id, "Test Leser", "leser", "127.0.0.1", f"r{n}"), "les", "dokument", f"d{n}"
        )
        answered.append(n)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(20)]
    try:
        for t in threads:
            t.start()
        # Every read has handed its line over and the first commit is held by the lock.
        assert wait_for(handed_over, lambda n: n == 20, 10) == 20
        assert answered == []  # nobody is answered with the audit line unwritten
    finally:
        slipp()
    for t in threads:
        t.join(timeout=30)
    assert sorted(answered) == list(range(20))
    lines = _revisjon(deps)
    assert sorted(x[2] or "" for x in lines) == sorted(f"d{n}" for n in range(20))
    assert {x[0] for x in lines} == {"Test Leser (leser)"}
    assert {x[3] for x in lines} == {f"r{n}" for n in range(20)}
    assert 1 <= len(commits) <= 2, len(commits)


def test_reads_arriving_together_share_one_commit_and_none_is_answered_before_it(
    deps: Deps, org: Organisasjon
) -> None:
    """Twenty reads while another connection holds the write lock: none returns until the
    lock is gone, then all twenty lines are there, written in at most two transactions."""
    blocker = sqlite3.connect(str(deps.settings.instans / "dokgen.db"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")

    def slipp() -> None:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert_twenty_reads_wait_for_the_lock_and_share_commits(deps, org, slipp)


def test_the_token_memory_asks_the_database_once_and_forgets_a_revoked_token(
    deps: Deps, org: Organisasjon
) -> None:
    """A valid token is looked up once per ``ttl``; an unknown one every time; a
    revoked one is refused as soon as the memory has expired."""
    with deps.sessions.begin() as s:
        token = brukere.lag_token(s, s.get(Organisasjon, org.id), "leser", "system")
    engine = deps.sessions.kw["bind"]
    queries: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    buffer = TokenCache(deps.sessions, ttl=60)
    first = buffer.aktor(token, fra="10.0.0.1", foresporsel="a")
    second = buffer.aktor(token, fra="10.0.0.2", foresporsel="b")
    assert (first.org_id, first.rolle, first.navn) == (org.id, "leser", "token:system")
    assert (second.fra, second.foresporsel) == ("10.0.0.2", "b")
    assert len([q for q in queries if "api_token" in q]) == 1
    for _ in range(2):
        with pytest.raises(NotAuthenticatedError):
            buffer.aktor("dg_ukjent", fra=None, foresporsel=None)
    assert len([q for q in queries if "api_token" in q]) == 3
    with deps.sessions.begin() as s:
        s.execute(update(ApiToken).values(tilbakekalt=func.now()))
    assert buffer.aktor(token, fra=None, foresporsel=None).rolle == "leser"  # within ttl
    with pytest.raises(NotAuthenticatedError):
        TokenCache(deps.sessions, ttl=0).aktor(token, fra=None, foresporsel=None)


def test_a_read_alone_commits_its_line_itself_without_another_thread(
    deps: Deps, org: Organisasjon
) -> None:
    """No commit under way: the read leads its own commit, on its own thread, and starts no
    thread (an app per test would otherwise leave one each)."""
    logg = ReadAuditWriter(deps.sessions)
    committers: list[int] = []
    event.listen(
        deps.sessions.kw["bind"], "commit", lambda c: committers.append(threading.get_ident())
    )
    threads = threading.active_count()
    aktor = Aktor(org.id, "Test Leser", "leser", "127.0.0.1", "r1")
    logg.write(aktor, "les", "dokument", "d1")
    logg.write(aktor, "les", "dokument", "d2")
    assert [x[2] for x in _revisjon(deps)] == ["d1", "d2"]
    assert committers == [threading.get_ident()] * 2
    assert threading.active_count() == threads
