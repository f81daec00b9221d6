"""Parties approving one document at the same moment on SQLite, where transactions read side
by side until their first write: every agreement approved by all is sealed exactly once,
and a double click is one approval and a clear answer.

To make the race certain rather than likely, another connection holds the database's write
lock until every request has reached its first write (or, since the fix, its first read),
then lets go: on the old code each request had read the approvals before waiting."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from dokgen.bootstrap import Deps
from dokgen.storage import writelock
from dokgen.storage.db import Godkjenning, Versjon

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
PARTER = ("arbeidsgiver", "deltaker", "arrangor")


@contextmanager
def _write_lock_held(deps: Deps, waiting: int) -> Iterator[None]:
    """Hold the SQLite database's write lock while the block runs and until ``waiting``
    statements of the app have reached the point where they take it; then let go."""
    engine = deps.sessions.kw["bind"]
    arrived, lock = threading.Event(), threading.Lock()
    count = [0]

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(("BEGIN IMMEDIATE", "INSERT INTO godkjenning")):
            with lock:
                count[0] += 1
                if count[0] >= waiting:
                    arrived.set()

    database = deps.settings.instans / "dokgen.db"
    blocker = sqlite3.connect(database, factory=writelock.Connection, timeout=30)
    blocker.execute("BEGIN IMMEDIATE")
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
        assert arrived.wait(30), f"only {count[0]} of {waiting} requests reached the lock"
    finally:
        blocker.commit()
        blocker.close()
        event.remove(engine, "before_cursor_execute", before)


def _start(
    client: FlaskClient, calls: list[Callable[[FlaskClient], Any]]
) -> Callable[[], list[Any]]:
    """Start each call in its own thread with its own test client; return a function that
    waits for them and returns their results."""
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        with client.application.test_client() as c:
            results[i] = calls[i](c)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()

    def join() -> list[Any]:
        for t in threads:
            t.join(timeout=120)
        return results

    return join


def _agreement(client: FlaskClient, headers: dict[str, str], body: Any) -> str:
    r = client.post("/api/v1/dokumenter", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "utkast"
    return str(r.json["id"])


def _approve(url: str, headers: dict[str, str], part: str) -> Callable[[FlaskClient], Any]:
    def call(c: FlaskClient) -> tuple[int, Any]:
        body = {"part": part, "navn": f"Navn {part}"}
        if part != "arrangor":  # another party's approval registered by staff needs a reason
            body["begrunnelse"] = "Signerte på papir"
        r = c.post(url, json=body, headers=headers)
        return r.status_code, r.json

    return call


def test_three_parties_approving_at_once_seal_each_agreement_exactly_once(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    seals: list[int],
) -> None:
    """Arbeidsgiver, deltaker and arrangør approve at the same moment, five agreements in a
    row: each ends godkjent with three approvals and one seal job (before: all three
    approvals stored, the agreement never sealed, and approving again said 'har godkjent')."""
    veileder = auth("veileder")
    for _ in range(5):
        doc = _agreement(client, veileder, kontrakt("arbeidspraksisavtale"))
        url = f"/api/v1/dokumenter/{doc}/godkjenninger"
        with _write_lock_held(deps, waiting=3):
            join = _start(client, [_approve(url, veileder, p) for p in PARTER])
        results = join()
        assert sorted(code for code, _ in results) == [201, 201, 201], results
        assert deps.jobs.wait_idle(120)
        with deps.sessions() as s:
            versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc)).one()
            parter = sorted(
                s.scalars(select(Godkjenning.part).where(Godkjenning.versjon_id == versjon.id))
            )
            assert parter == sorted(PARTER)
            assert (versjon.status, versjon.pdf_sha256 is not None) == ("godkjent", True)
            assert seals.count(versjon.id) == 1


def test_one_party_double_clicking_is_one_approval_and_a_clear_answer(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The same party twice at the same moment: one approval stored, the other click gets
    422 with the reason (before: a 500 from the unique constraint)."""
    veileder = auth("veileder")
    doc = _agreement(client, veileder, kontrakt("arbeidspraksisavtale"))
    url = f"/api/v1/dokumenter/{doc}/godkjenninger"
    with _write_lock_held(deps, waiting=2):
        join = _start(client, [_approve(url, veileder, "arbeidsgiver")] * 2)
    results = join()
    assert sorted(code for code, _ in results) == [201, 422], results
    [problem] = [body for code, body in results if code == 422]
    assert problem["errors"] == [{"path": "part", "message": "Arbeidsgiver har godkjent"}]
    with deps.sessions() as s:
        assert list(s.scalars(select(Godkjenning.part))) == ["arbeidsgiver"]
        versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc)).one()
        assert versjon.status == "delvis_godkjent"
