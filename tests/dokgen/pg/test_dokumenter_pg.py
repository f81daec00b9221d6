"""The document flow on PostgreSQL: the real app, LibreOffice and pyHanko, with the database
URL pointing at a fresh PostgreSQL database instead of SQLite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient  # noqa: TID251 (the app under test)
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.seal import verify
from dokgen.storage.db import Godkjenning, Revisjon, Versjon
from tests.conftest import require_command
from tests.pdfinfo import pdfsig_report, text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}


def _create(client: FlaskClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/dokumenter", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def test_statusrapport_is_made_approved_and_sealed_on_postgresql(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """POST with Prefer: wait → preview; approval → sealed PDF/A with the approver, stored
    on PostgreSQL; the audit log (admin) has every step."""
    require_command("pdfsig", "pdftotext")
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"
    veileder, leser, admin = auth("veileder"), auth("leser"), auth("admin")
    doc = _create(client, veileder, kontrakt("statusrapport"))
    assert (doc["type"], doc["versjon"], doc["status"]) == ("statusrapport", 1, "utkast")
    assert doc["deltaker"] == "Kari Nordmann"

    r = client.post(
        f"/api/v1/dokumenter/{doc['id']}/godkjenninger",
        json={"part": "arrangor", "navn": "Åse Ødegård"},
        headers={**veileder, **VENT},
    )
    assert r.status_code == 201, r.json
    assert r.json["status"] == "godkjent"
    assert [g["navn"] for g in r.json["godkjenninger"]] == ["Åse Ødegård"]

    pdf = client.get(doc["lenker"]["pdf"], headers=leser)
    assert pdf.status_code == 200
    assert pdf.headers["Content-Disposition"] == (
        'attachment; filename="statusrapport-KN-2026-06-02_2026-09-01-v1.pdf"'
    )
    [signature] = pdfsig_report(pdf.data)
    assert signature["valid"]
    assert signature["total_document_signed"]
    assert verify(pdf.data).gyldig
    assert "Åse Ødegård" in text(pdf.data)
    assert "Kari Nordmann" in text(pdf.data)
    assert client.get(doc["lenker"]["pdf"], headers=leser).data == pdf.data

    with deps.sessions() as s:
        versjon = s.scalars(select(Versjon).where(Versjon.dokument_id == doc["id"])).one()
        godkjenning = s.scalars(select(Godkjenning)).one()
    assert versjon.status == "godkjent"
    assert versjon.data["deltaker"]["navn"] == "Kari Nordmann"
    assert versjon.pdf_sha256 is not None
    assert godkjenning.navn == "Åse Ødegård"
    assert godkjenning.tidspunkt.utcoffset() is not None  # timestamptz, read back aware

    lines = client.get("/api/v1/revisjonslogg", headers=admin).json["linjer"]
    assert [(x["handling"], x["aktor"], x["objekt_id"]) for x in reversed(lines)] == [
        ("opprett", "token:test-veileder (veileder)", doc["id"]),
        ("godkjenn", "token:test-veileder (veileder)", doc["id"]),
        ("last_ned_pdf", "token:test-leser (leser)", doc["id"]),
        ("last_ned_pdf", "token:test-leser (leser)", doc["id"]),
    ]
    assert {x["fra"] for x in lines} == {"127.0.0.1"}
    rows = client.get("/api/v1/revisjonslogg?format=csv", headers=admin).get_data(as_text=True)
    assert any(";godkjenn;dokument;" + doc["id"] in row for row in rows.splitlines())


def test_another_organisation_gets_404_on_postgresql(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    annen_org: Any,
    kontrakt: Any,
) -> None:
    """Another organisation's token gets 404 for the record, its files and its approval."""
    doc = _create(client, auth("veileder"), kontrakt("statusrapport"))
    theirs = auth("veileder", annen_org)
    base = f"/api/v1/dokumenter/{doc['id']}"
    for path in (base, f"{base}/pdf", f"{base}/docx"):
        assert client.get(path, headers=theirs).status_code == 404, path
    r = client.post(f"{base}/godkjenninger", json={"part": "arrangor"}, headers=theirs)
    assert r.status_code == 404
    assert client.get("/api/v1/dokumenter", headers=theirs).json == {"dokumenter": []}
    with deps.sessions() as s:
        assert s.scalar(select(Godkjenning.id)) is None
        handlinger = s.scalars(select(Revisjon.handling).where(Revisjon.org_id == annen_org.id))
        assert list(handlinger) == ["sok"]


def test_search_filters_by_type_status_deltaker_and_period_on_postgresql(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The list filters combine; deltaker matches part of the name in any case (ILIKE),
    and LIKE's wildcards in the query are taken literally."""
    veileder = auth("veileder")
    status = _create(client, veileder, kontrakt("statusrapport"))
    evaluering = _create(client, veileder, kontrakt("evalueringsrapport"))

    def ids(query: str) -> list[str]:
        r = client.get(f"/api/v1/dokumenter?{query}", headers=veileder)
        assert r.status_code == 200, r.json
        return [d["id"] for d in r.json["dokumenter"]]

    assert ids("type=statusrapport") == [status["id"]]
    assert ids("type=evalueringsrapport") == [evaluering["id"]]
    assert ids("deltaker=nordm") == [status["id"]]
    assert ids("deltaker=NORDM") == [status["id"]]
    assert ids("deltaker=%25") == []
    assert ids("deltaker=_ari") == []
    assert ids("status=utkast") == [evaluering["id"], status["id"]]
    assert ids("status=godkjent") == []
    assert ids("status=utkast&type=statusrapport&deltaker=kari") == [status["id"]]
    assert ids("fra=2026-09-02") == []
    assert ids("fra=2026-01-01&til=2026-03-01") == [evaluering["id"]]


def test_an_approval_longer_than_its_columns_is_refused_with_422_on_postgresql(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): a too long name or reason is
    refused as input with every field named — not a 500 from the database — and nothing
    is stored; a name of exactly the column's length is accepted."""
    veileder = auth("veileder")
    doc = _create(client, veileder, kontrakt("arbeidspraksisavtale"))
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"
    body = {"part": "deltaker", "navn": "N" * 201, "paa_vegne_av": "Kari Nordmann"}
    r = client.post(url, json=body | {"begrunnelse": "B" * 501}, headers=veileder)
    assert r.status_code == 422, r.json
    assert r.json["errors"] == [
        {"path": "navn", "message": "kan ha høyst 200 tegn"},
        {"path": "begrunnelse", "message": "kan ha høyst 500 tegn"},
    ]
    with deps.sessions() as s:
        assert s.scalar(select(Godkjenning.id)) is None
    ok = client.post(
        url, json=body | {"navn": "N" * 200, "begrunnelse": "B" * 500}, headers=veileder
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["godkjenninger"][0]["navn"] == "N" * 200


def test_a_token_with_the_longest_name_writes_on_postgresql(
    client: FlaskClient, deps: Deps, org: Any, kontrakt: Any
) -> None:
    """PostgreSQL enforces the 200-character columns that SQLite does not: a token named
    with the most characters allowed still creates, and its audit lines fit."""
    from dokgen.services import brukere

    navn = "Økonomisystem " + "x" * (brukere.MAKS_NAVN - 14)
    with deps.sessions.begin() as s:
        token = brukere.lag_token(s, s.merge(org), "veileder", navn)
    doc = _create(client, {"Authorization": f"Bearer {token}"}, kontrakt("statusrapport"))
    with deps.sessions() as s:
        aktorer = set(s.scalars(select(Revisjon.aktor).where(Revisjon.objekt_id == doc["id"])))
    assert aktorer == {f"token:{navn} (veileder)"}
