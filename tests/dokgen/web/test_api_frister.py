"""``/api/v1/frister`` end to end: the register's frister judged on a day, filtered, as CSV,
and a document linked to a frist by hand; every answer checked against the description."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Dokument, Fristkobling, Organisasjon
from tests.dokgen.web.test_api_deltakere import (
    FNR_KARI,
    Auth,
    _count,
    _deltaker_data,
    _gjennomforing,
    as_described,
)

DAG = "2026-06-05"  # plan (due 23 March) overdue; the first statusrapport (8 June) soon


@pytest.fixture
def deltaker(client: FlaskClient, auth: Auth, kontrakt: Any) -> dict[str, Any]:
    gjennomforing_id = _gjennomforing(client, auth, kontrakt)
    data = _deltaker_data(kontrakt, gjennomforing_id)
    r = client.post("/api/v1/deltakere", json=data, headers=auth("veileder"))
    assert r.status_code == 201, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def _frister(client: FlaskClient, auth: Auth, query: str) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/frister?{query}", headers=auth("leser"))
    assert r.status_code == 200, r.json
    result: list[dict[str, Any]] = as_described(client, r, "/frister", "get")["frister"]
    return result


def _ferdig_dokument(deps: Deps, org: Organisasjon, type_: str, fra: str, til: str) -> str:
    """A finalised document of no deltaker (as sealing leaves it: ``ferdig`` set)."""
    with deps.sessions.begin() as s:
        rad = Dokument(
            org_id=org.id,
            type=type_,
            deltaker="Kari Nordmann",
            periode_fra=fra,
            periode_til=til,
            opprettet_av="test",
            ferdig=datetime(2026, 6, 3, 12, tzinfo=UTC),
        )
        s.add(rad)
        s.flush()
        return rad.id


def test_a_deltakers_frister_are_judged_on_the_day_asked_with_the_words(
    client: FlaskClient, auth: Auth, deltaker: dict[str, Any]
) -> None:
    """The plan overdue, the first statusrapport soon (its period and due date), by date."""
    frister = _frister(client, auth, f"dato={DAG}&deltaker_id={deltaker['id']}")
    per = {f["nokkel"]: f for f in frister}
    assert (per["plan"]["frist"], per["plan"]["status"], per["plan"]["status_tekst"]) == (
        "2026-03-23",
        "forfalt",
        "Forfalt",
    )
    rapport = per["statusrapport:2026-03-02"]
    assert rapport["periode"] == {"fra": "2026-03-02", "til": "2026-06-01"}
    assert (rapport["frist"], rapport["status"], rapport["tittel"]) == (
        "2026-06-08",
        "snart",
        "Statusrapport",
    )
    assert (rapport["deltaker_nr"], rapport["deltaker_navn"]) == ("D-0017", "Kari Nordmann")
    assert (rapport["dokument_id"], rapport["levert"]) == (None, None)
    assert [f["frist"] for f in frister] == sorted(f["frist"] for f in frister)
    forfalt = {f["nokkel"] for f in _frister(client, auth, f"dato={DAG}&status=forfalt")}
    # The gjennomføring's resultatrapport per month (JMO §9.2) is overdue too: none exported.
    assert forfalt - {k for k in forfalt if k.startswith("resultatrapport:")} == {"plan"}
    assert "resultatrapport:2026-01-01" in forfalt
    typer = {f["type"] for f in _frister(client, auth, f"dato={DAG}&type=statusrapport")}
    assert typer == {"statusrapport"}
    vindu = _frister(client, auth, f"dato={DAG}&fra=2026-06-01&til=2026-06-30")
    assert [f["nokkel"] for f in vindu if f["deltaker_id"]] == ["statusrapport:2026-03-02"]


def test_the_csv_has_no_fodselsnummer(
    client: FlaskClient, auth: Auth, deltaker: dict[str, Any]
) -> None:
    """``format=csv``: a download with the deltaker's nr and name, never the number."""
    r = client.get(f"/api/v1/frister?dato={DAG}&format=csv", headers=auth("leser"))
    assert (r.status_code, r.mimetype) == (200, "text/csv")
    tekst = r.get_data(as_text=True)
    assert "D-0017" in tekst
    assert "Kari Nordmann" in tekst
    assert FNR_KARI not in tekst


def test_bad_parameters_are_each_named(client: FlaskClient, auth: Auth) -> None:
    """Every wrong parameter is listed at once (422), in bokmål; a period backwards too."""
    r = client.get(
        "/api/v1/frister?dato=5.6.2026&status=glemt&type=brev&deltaker_id=en&format=pdf",
        headers=auth("leser"),
    )
    problem = as_described(client, r, "/frister", "get")
    assert [e["path"] for e in problem["errors"]] == [
        "dato",
        "status",
        "type",
        "deltaker_id",
        "format",
    ]
    assert problem["errors"][0]["message"] == "må være en dato skrevet ÅÅÅÅ-MM-DD"
    r = client.get("/api/v1/frister?fra=2026-06-01&til=2026-05-01", headers=auth("leser"))
    assert [e["path"] for e in as_described(client, r, "/frister", "get")["errors"]] == ["til"]


def test_another_organisation_sees_none_of_the_frister(
    client: FlaskClient, auth: Auth, deltaker: dict[str, Any], annen_org: Organisasjon
) -> None:
    """Their list is empty, also when they name our deltaker or gjennomføring."""
    fremmed = auth("admin", annen_org)
    for query in ("", f"deltaker_id={deltaker['id']}", f"gjennomforing_id={deltaker['id']}"):
        r = client.get(f"/api/v1/frister?dato={DAG}&{query}", headers=fremmed)
        assert as_described(client, r, "/frister", "get") == {"frister": []}, query


def test_a_document_linked_by_hand_meets_the_frist(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Auth,
    deltaker: dict[str, Any],
    annen_org: Organisasjon,
) -> None:
    """A finalised statusrapport of another period, linked by a veileder, delivers the frist;
    a leser may not link; wrong type, unknown frist, no ids, another organisation's: refused
    and nothing stored."""
    dokument_id = _ferdig_dokument(deps, org, "statusrapport", "2026-01-01", "2026-01-31")
    kobling = {
        "nokkel": "statusrapport:2026-03-02",
        "dokument_id": dokument_id,
        "deltaker_id": deltaker["id"],
    }
    r = client.post("/api/v1/frister/kobling", json=kobling, headers=auth("leser"))
    assert as_described(client, r, "/frister/kobling", "post")["title"] == "Ingen tilgang"
    feil = [
        (kobling | {"nokkel": "plan"}, 422, ["dokument_id"]),
        (kobling | {"nokkel": "statusrapport:1999-01-01"}, 422, ["nokkel"]),
        ({**kobling, "deltaker_id": None}, 422, ["deltaker_id"]),
        (kobling | {"nokkel": "", "ukjent": 1}, 422, ["nokkel", "ukjent"]),
        (kobling | {"deltaker_id": 999}, 404, None),
        (kobling | {"dokument_id": "finnes-ikke"}, 404, None),
    ]
    for body, status, stier in feil:
        r = client.post("/api/v1/frister/kobling", json=body, headers=auth("veileder"))
        problem = as_described(client, r, "/frister/kobling", "post")
        assert r.status_code == status, body
        if stier:
            assert [e["path"] for e in problem["errors"]] == stier, body
    r = client.post("/api/v1/frister/kobling", json=kobling, headers=auth("veileder", annen_org))
    assert r.status_code == 404
    assert _count(deps, Fristkobling) == 0

    r = client.post("/api/v1/frister/kobling", json=kobling, headers=auth("veileder"))
    assert as_described(client, r, "/frister/kobling", "post") == kobling
    assert r.status_code == 201
    with deps.sessions() as s:
        rad = s.scalars(select(Fristkobling)).one()
        assert (rad.nokkel, rad.dokument_id, rad.deltaker_id) == (
            "statusrapport:2026-03-02",
            dokument_id,
            deltaker["id"],
        )
    per = {f["nokkel"]: f for f in _frister(client, auth, f"dato={DAG}&deltaker_id=1")}
    levert = per["statusrapport:2026-03-02"]
    assert (levert["status"], levert["dokument_id"]) == ("levert", dokument_id)
    assert levert["levert"] == {"dato": "2026-06-03", "for_sent": False}
