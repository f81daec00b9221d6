"""The seller of an invoice and the arrangør of a document are always the caller's own
organisation, from the register: real app, SQLite, LibreOffice (issue 15, "invoicing as
someone else")."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import func, select

from dokgen.bootstrap import Deps
from dokgen.services import brukere, demo
from dokgen.storage.db import Dokument, Faktura, Organisasjon, Revisjon, Versjon
from ehf.sbdh import unwrap
from tests.conftest import KONTRAKT
from tests.dokgen.conftest import ANNET_ORGNR, ORGNR
from tests.dokgen.web.sider_hjelp import logg_inn, som_skjema, token

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ADMIN_MA_FYLLE_UT = (
    "i organisasjonens innstillinger; en administrator må fylle det ut under "
    "Innstillinger → Selger på fakturaene"
)


def _rader(deps: Deps) -> dict[str, int]:
    with deps.sessions() as s:
        return {
            m.__name__: int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Dokument, Versjon, Faktura, Revisjon)
        }


def _neste_nummer(deps: Deps, org_id: int) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(Organisasjon.neste_fakturanummer).filter_by(id=org_id)) or 0)


def test_a_document_naming_another_organisation_as_arrangor_is_refused_and_writes_nothing(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """POST (each type's arrangør field) and PUT naming another registered organisation: 422
    at the orgnr field saying what to write; no document, version or audit line is added."""
    veileder = auth("veileder")
    for type_navn, sti in (
        ("statusrapport", "tiltak.arrangor"),
        ("arbeidspraksisavtale", "tiltak.arrangor"),
        ("endringsavtale", "leverandor"),
    ):
        body = kontrakt(type_navn)
        forelder, felt = (body["tiltak"], "arrangor") if "." in sti else (body, "leverandor")
        forelder[felt] = {"navn": "Annen Arrangør AS", "orgnr": ANNET_ORGNR}
        before = _rader(deps)
        r = client.post("/api/v1/dokumenter", json=body, headers=veileder)
        assert r.status_code == 422, type_navn
        assert r.json["errors"] == [
            {
                "path": f"{sti}.orgnr",
                "message": f"tiltaksarrangøren er alltid din egen organisasjon: skriv {ORGNR}",
            }
        ]
        assert _rader(deps) == before

    egen = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=veileder)
    assert egen.status_code == 201
    deps.jobs.wait_idle(timeout=120)
    before = _rader(deps)
    body = kontrakt("statusrapport")
    body["tiltak"]["arrangor"]["orgnr"] = annen_org.orgnr
    r = client.put(egen.json["lenker"]["selv"], json=body, headers=veileder)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "tiltak.arrangor.orgnr")
    assert _rader(deps) == before
    with deps.sessions() as s:
        versjoner = s.scalars(select(Versjon.nummer).where(Versjon.status == "utkast")).all()
    assert versjoner == [1]


def test_the_arrangor_is_named_as_in_the_register(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The caller's own orgnr under another name (or with spaces) is stored with the
    register's name: a document cannot name itself something it is not."""
    body = kontrakt("sluttrapport")
    body["tiltak"]["arrangor"] = {"navn": "NAV Tiltak Oslo", "orgnr": "998 877 660"}
    r = client.post("/api/v1/dokumenter", json=body, headers=auth("veileder"))
    assert r.status_code == 201, r.json
    with deps.sessions() as s:
        data = s.scalars(select(Versjon.data)).one()
    assert data["tiltak"]["arrangor"] == {"navn": "Eksempel Arbeidsinkludering AS", "orgnr": ORGNR}


def test_the_document_form_shows_the_arrangor_error_at_its_field(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The new-document page: the form again (422) with the message at the orgnr field."""
    logg_inn(client, bruker("veileder"))
    data = kontrakt("statusrapport")
    data["tiltak"]["arrangor"]["orgnr"] = ANNET_ORGNR
    form = som_skjema(data)
    form["csrf_token"] = token(client, "/dokumenter/ny/statusrapport")
    before = _rader(deps)
    r = client.post("/dokumenter/ny/statusrapport", data=form)
    assert r.status_code == 422
    assert f"tiltaksarrangøren er alltid din egen organisasjon: skriv {ORGNR}" in r.text
    assert _rader(deps) == before


def test_an_invoice_naming_another_organisation_as_seller_is_refused(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """Preview and create (JSON): another organisation's orgnr as selger is 422 at
    selger.orgnr; no number is taken and nothing is stored; the same through the page."""
    regnskap = auth("regnskap")
    body = kontrakt("fakturagrunnlag")
    body["selger"]["orgnr"] = annen_org.orgnr
    before = _rader(deps)
    for url in ("/api/v1/fakturaer/forhandsvisning", "/api/v1/fakturaer"):
        r = client.post(url, json=body, headers=regnskap)
        assert r.status_code == 422, url
        assert r.json["errors"] == [
            {
                "path": "selger.orgnr",
                "message": f"selger er alltid din egen organisasjon: skriv {ORGNR}, "
                "eller utelat selger",
            }
        ]
    assert _rader(deps) == before
    assert _neste_nummer(deps, org.id) == 1


def test_an_invoice_upload_on_the_page_naming_another_seller_shows_the_error(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """The invoice page's preview of a JSON grunnlag with another seller: the form again."""
    import io

    logg_inn(client, bruker("regnskap"))
    body = kontrakt("fakturagrunnlag")
    body["selger"]["orgnr"] = annen_org.orgnr
    form = {
        "csrf_token": token(client, "/fakturaer/ny"),
        "fil": (io.BytesIO(json.dumps(body).encode()), "grunnlag.json"),
    }
    before = _rader(deps)
    r = client.post("/fakturaer/forhandsvis", data=form, content_type="multipart/form-data")
    assert r.status_code == 422
    assert f"selger er alltid din egen organisasjon: skriv {ORGNR}" in r.text
    assert _rader(deps) == before


def test_a_new_organisation_without_settings_cannot_invoice_as_anyone(
    client: FlaskClient, deps: Deps, kontrakt: Any
) -> None:
    """An organisation made like `dokgen org lag` (no settings): the contract's seller (the
    demo organisation) is refused at selger.orgnr; without a selger, every seller field the
    settings lack says the admin must fill it in; nothing is stored or sent, whichever way."""
    with deps.sessions.begin() as s:
        ny = brukere.opprett_org(s, ANNET_ORGNR, "Ny Arrangør AS")
        token_ny = brukere.lag_token(s, ny, "regnskap", "ny")
    ny_regnskap = {"Authorization": f"Bearer {token_ny}"}
    before = _rader(deps)

    r = client.post("/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers=ny_regnskap)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "selger.orgnr")
    assert f"skriv {ANNET_ORGNR}" in r.json["errors"][0]["message"]

    body = kontrakt("fakturagrunnlag")
    del body["selger"]
    r = client.post("/api/v1/fakturaer", json=body, headers=ny_regnskap)
    assert r.status_code == 422
    assert sorted((e["path"], e["message"]) for e in r.json["errors"]) == [
        (f"selger.{felt}", f"mangler {ADMIN_MA_FYLLE_UT}")
        for felt in ("adresse", "foretaksregisteret", "kontonummer", "mva_registrert")
    ]
    r = client.post(
        "/api/v1/fakturaer?fra=2026-10-01&til=2026-10-31",
        data=(KONTRAKT / "timeliste.csv").read_bytes(),
        headers={**ny_regnskap, "Content-Type": "text/csv"},
    )
    assert r.status_code == 422
    assert {e["path"] for e in r.json["errors"]} >= {"selger.adresse", "selger.kontonummer"}, r.json
    assert _rader(deps) == before
    assert _neste_nummer(deps, ny.id) == 1
    assert list(deps.settings.utboks_dir.glob("*")) == []


def test_settings_saved_with_another_orgnr_do_not_make_it_the_seller(
    client: FlaskClient,
    deps: Deps,
    annen_org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """Seller settings saved with the demo organisation's name and orgnr (the settings page
    used to take any): the invoice's seller is still the organisation in the register, with
    the settings' address and account."""
    with deps.sessions.begin() as s:
        rad = s.get(Organisasjon, annen_org.id)
        assert rad is not None
        rad.innstillinger = demo.innstillinger()
    body = kontrakt("fakturagrunnlag")
    del body["selger"]
    r = client.post("/api/v1/fakturaer", json=body, headers=auth("regnskap", annen_org))
    assert r.status_code == 201, r.json
    with deps.sessions() as s:
        selger = s.scalars(select(Faktura.grunnlag)).one()["selger"]
    assert (selger["orgnr"], selger["navn"]) == (ANNET_ORGNR, "Annen Arrangør AS")
    assert selger["kontonummer"] == demo.innstillinger()["selger"]["kontonummer"]


def test_the_demo_organisation_still_invoices_and_writes_documents(
    client: FlaskClient, deps: Deps, kontrakt: Any
) -> None:
    """The demo organisation with its demo settings and data: a document is made, an invoice
    is created, validated and sent with itself as seller (UBL and SBDH sender)."""
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, demo.ORGNR, demo.ORGNAVN, demo.innstillinger())
        headers = {"Authorization": f"Bearer {brukere.lag_token(s, org, 'regnskap', 'demo')}"}
        veileder = {"Authorization": f"Bearer {brukere.lag_token(s, org, 'veileder', 'demo')}"}
    r = client.post(
        "/api/v1/dokumenter", json=kontrakt("statusrapport"), headers={**veileder, **VENT}
    )
    assert (r.status_code, r.json["status"]) == (201, "utkast")

    body = kontrakt("fakturagrunnlag")  # with the contract's seller: the demo organisation
    r = client.post("/api/v1/fakturaer", json=body, headers={**headers, **VENT})
    assert (r.status_code, r.json["status"]) == (201, "validert"), r.json
    xml = etree.fromstring(client.get(r.json["lenker"]["xml"], headers=headers).data)
    selger = xml.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert selger is not None
    assert selger.findtext("cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS) == demo.ORGNR
    sendt = client.post(f"{r.json['lenker']['selv']}/sending", headers={**headers, **VENT})
    assert sendt.json["status"] == "i_utboks"
    [envelope] = list(deps.settings.utboks_dir.glob("*.xml"))
    header, _ = unwrap(envelope.read_bytes())
    assert header["sender"] == f"0192:{demo.ORGNR}"
