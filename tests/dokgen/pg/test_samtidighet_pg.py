"""Concurrent writes on PostgreSQL, where transactions really run side by side (SQLite lets
one writer in at a time): approvals, credit notes and sends of one record.

To make the race certain rather than likely, another connection locks the table the
writes insert into until both requests are waiting in the database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from flask import Flask  # noqa: TID251 (the app under test)
from flask.testing import FlaskClient  # noqa: TID251 (the app under test)
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Faktura, Godkjenning, Versjon
from tests.conftest import wait_for

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}


@contextmanager
def _table_locked(pg_url: str, table: str, waiting: int) -> Iterator[None]:
    """Hold an EXCLUSIVE lock on ``table`` (inserts wait, reads go on) while the block runs
    and until ``waiting`` other sessions wait for a lock; then release it."""
    conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as blocker, psycopg.connect(conninfo, autocommit=True) as ser:
        blocker.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # type: ignore[arg-type]
        yield

        def waiters() -> int:
            row = ser.execute(
                "select count(*) from pg_stat_activity "
                "where wait_event_type = 'Lock' and datname = current_database()"
            ).fetchone()
            return 0 if row is None else int(row[0])

        if wait_for(waiters, lambda n: n >= waiting, 30) < waiting:
            pytest.fail(f"{waiting} requests never waited for the lock on {table}")
        blocker.rollback()


def _start(
    app: Flask, *requests: Callable[[FlaskClient], Any]
) -> tuple[list[Any], Callable[[], None]]:
    """Start each request in its own thread with its own test client.

    Returns:
        The list that holds each request's result once it is done, and a function that
        waits for all of them.
    """
    results: list[Any] = [None] * len(requests)

    def run(i: int) -> None:
        with app.test_client() as c:
            results[i] = requests[i](c)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()

    def join() -> None:
        for t in threads:
            t.join(timeout=120)

    return results, join


def _create_document(client: FlaskClient, headers: dict[str, str], body: Any) -> str:
    r = client.post("/api/v1/dokumenter", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    return str(r.json["id"])


def _body(part: str) -> dict[str, str]:
    """An approval by the veileder: another party's is registered on their behalf, with a
    name and a reason."""
    if part == "arrangor":
        return {"part": part}
    return {"part": part, "navn": "Lise Berg", "begrunnelse": "Signerte på papir"}


def test_the_last_two_parties_approving_at_once_finalise_the_agreement(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    pg_url: str,
) -> None:
    """Deltaker and arrangør approve at the same moment after the arbeidsgiver: whichever
    commits second sees the first, so the agreement is sealed — never left at
    delvis_godkjent with every approval in place."""
    veileder = auth("veileder")
    doc = _create_document(client, veileder, kontrakt("arbeidspraksisavtale"))
    url = f"/api/v1/dokumenter/{doc}/godkjenninger"
    r = client.post(url, json=_body("arbeidsgiver"), headers=veileder)
    assert (r.status_code, r.json["status"]) == (201, "delvis_godkjent")

    def approve(part: str) -> Callable[[FlaskClient], Any]:
        return lambda c: c.post(url, json=_body(part), headers=veileder).status_code

    with _table_locked(pg_url, "godkjenning", waiting=2):
        results, join = _start(client.application, approve("deltaker"), approve("arrangor"))
    join()
    assert results == [201, 201]
    assert deps.jobs.wait_idle(120)
    with deps.sessions() as s:
        versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc)).one()
        parter = sorted(s.scalars(select(Godkjenning.part)))
    assert parter == ["arbeidsgiver", "arrangor", "deltaker"]
    assert versjon.status == "godkjent"
    assert versjon.pdf_sha256 is not None


def test_three_parties_approving_at_once_seal_each_agreement_exactly_once_on_postgresql(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    pg_url: str,
    seals: list[int],
) -> None:
    """All three parties approve at the same moment, three agreements in a row: each is
    sealed, by exactly one seal job, with its three approvals."""
    veileder = auth("veileder")
    for _ in range(3):
        doc = _create_document(client, veileder, kontrakt("arbeidspraksisavtale"))
        url = f"/api/v1/dokumenter/{doc}/godkjenninger"

        def approve(part: str, url: str = url) -> Callable[[FlaskClient], Any]:
            return lambda c: c.post(url, json=_body(part), headers=veileder).status_code

        with _table_locked(pg_url, "godkjenning", waiting=3):
            parter = ("arbeidsgiver", "deltaker", "arrangor")
            results, join = _start(client.application, *(approve(p) for p in parter))
        join()
        assert results == [201, 201, 201]
        assert deps.jobs.wait_idle(120)
        with deps.sessions() as s:
            versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc)).one()
            assert (versjon.status, versjon.pdf_sha256 is not None) == ("godkjent", True)
            assert seals.count(versjon.id) == 1


def test_one_party_approving_twice_at_once_is_recorded_once(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    pg_url: str,
) -> None:
    """A double click on «Godkjenn»: one approval, and the other click is told why (a 4xx
    problem, not a 500 from the unique constraint)."""
    veileder = auth("veileder")
    doc = _create_document(client, veileder, kontrakt("arbeidspraksisavtale"))
    url = f"/api/v1/dokumenter/{doc}/godkjenninger"

    def approve(c: FlaskClient) -> tuple[int, Any]:
        r = c.post(url, json=_body("arbeidsgiver"), headers=veileder)
        return r.status_code, r.json

    with _table_locked(pg_url, "godkjenning", waiting=2):
        results, join = _start(client.application, approve, approve)
    join()
    codes = sorted(code for code, _ in results)
    assert codes == [201, 422], results
    [problem] = [body for code, body in results if code == 422]
    assert problem["errors"] == [{"path": "part", "message": "Arbeidsgiver har godkjent"}]
    with deps.sessions() as s:
        assert list(s.scalars(select(Godkjenning.part))) == ["arbeidsgiver"]


def test_a_double_clicked_credit_note_is_made_once_on_postgresql(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    pg_url: str,
) -> None:
    """Two simultaneous credit requests for the whole invoice: the numbering's row lock
    serialises them and the second sees the first's lines — one credit note, one 409."""
    regnskap = auth("regnskap")
    r = client.post(
        "/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers={**regnskap, **VENT}
    )
    assert r.status_code == 201, r.json
    faktura = r.json["id"]
    sent = client.post(f"/api/v1/fakturaer/{faktura}/sending", headers={**regnskap, **VENT})
    assert sent.status_code == 202, sent.json

    def credit(c: FlaskClient) -> int:
        url = f"/api/v1/fakturaer/{faktura}/kreditnota"
        return c.post(url, json={"begrunnelse": "Dobbeltklikk"}, headers=regnskap).status_code

    with _table_locked(pg_url, "faktura", waiting=2):
        results, join = _start(client.application, credit, credit)
    join()
    assert sorted(results) == [201, 409]
    with deps.sessions() as s:
        kreditnotaer = s.scalars(select(Faktura).where(Faktura.art == "kreditnota")).all()
    assert [k.nummer for k in kreditnotaer] == ["2026-0002"]
    assert kreditnotaer[0].krediterer_id == faktura
