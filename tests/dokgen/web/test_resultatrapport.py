"""The resultatrapport through Flask's test client: the API's content negotiation (JSON, XLSX,
PDF, 406), its errors, the OpenAPI description, the page with the numbers and the mapping
and its downloads, and the roles."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.services.resultat_hjelp import (
    AKTIVE,
    AVSLUTTET,
    ETTER_STATUS,
    MANED,
    STARTET,
    seed,
)
from tests.dokgen.web.sider_hjelp import logg_inn
from tests.pdfinfo import pdfsig_report, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(gid: int, maned: str = MANED) -> str:
    return f"/api/v1/resultatrapport?gjennomforing_id={gid}&maned={maned}"


def test_json_by_default_and_xlsx_by_accept(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    gid = seed(deps, org.id)
    hode = auth("leser")
    svar = client.get(_url(gid), headers=hode)
    assert svar.status_code == 200
    assert svar.mimetype == "application/json"
    data = svar.get_json()
    assert (data["aktive"], data["startet"], data["avsluttet"]) == (AKTIVE, STARTET, AVSLUTTET)
    assert [(s["tekst"], s["antall"]) for s in data["avsluttet_etter_status"]] == ETTER_STATUS
    assert client.get(_url(gid), headers=hode | {"Accept": "*/*"}).mimetype == "application/json"
    regneark = client.get(_url(gid), headers=hode | {"Accept": XLSX})
    assert regneark.status_code == 200
    assert regneark.mimetype == XLSX
    assert regneark.headers["Content-Disposition"] == (
        f'attachment; filename="resultatrapport-{gid}-{MANED}.xlsx"'
    )
    ark = load_workbook(io.BytesIO(regneark.data))["Resultatrapport"]
    assert [ark["D2"].value, ark["E2"].value, ark["F2"].value] == [AKTIVE, STARTET, AVSLUTTET]


@pytest.mark.integration
def test_a_sealed_pdf_by_accept(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    gid = seed(deps, org.id)
    svar = client.get(_url(gid), headers=auth("admin") | {"Accept": "application/pdf"})
    assert svar.status_code == 200
    assert svar.mimetype == "application/pdf"
    assert "Antall aktive deltakere i tiltaket" in text(svar.data)
    assert pdfsig_report(svar.data)[0]["valid"] is True


def test_errors_and_roles(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    gid = seed(deps, org.id)
    hode = auth("regnskap")
    ukjent = client.get(_url(gid), headers=hode | {"Accept": "text/csv"})
    assert ukjent.status_code == 406
    assert ukjent.mimetype == "application/problem+json"
    feil = client.get(_url(gid, "10-2026"), headers=hode)
    assert feil.status_code in (400, 422)
    assert feil.get_json()["errors"][0]["path"] == "maned"
    mangler = client.get("/api/v1/resultatrapport?maned=2026-10", headers=hode)
    assert mangler.get_json()["errors"][0]["path"] == "gjennomforing_id"
    assert client.get(_url(gid + 99), headers=hode).status_code == 404
    assert client.get(_url(gid), headers=auth("veileder")).status_code == 403


def test_the_openapi_description(client: FlaskClient, auth: Callable[..., dict[str, str]]) -> None:
    spec = client.get("/api/v1/openapi.json", headers=auth("leser")).get_json()
    get = spec["paths"]["/resultatrapport"]["get"]
    assert set(get["responses"]["200"]["content"]) == {"application/json", XLSX, "application/pdf"}
    assert "406" in get["responses"]
    assert "Resultatrapport" in spec["components"]["schemas"]


def test_the_page_shows_the_numbers_and_the_mapping_and_downloads(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    gid = seed(deps, org.id)
    logg_inn(client, bruker("regnskap"))
    gjennomforing = client.get(f"/gjennomforinger/{gid}").get_data(as_text=True)
    assert f'href="/gjennomforinger/{gid}/resultatrapport"' in gjennomforing
    side = client.get(f"/gjennomforinger/{gid}/resultatrapport?maned={MANED}")
    html = side.get_data(as_text=True)
    assert side.status_code == 200
    assert '<option value="2026-10" selected>oktober 2026</option>' in html
    assert '<th scope="row">Antall aktive deltakere i tiltaket</th><td>7</td>' in html
    assert '<th scope="row">Uten ferdig sluttrapport</th><td>1</td>' in html
    assert "<td>Delvis arbeid</td><td>Arbeid</td>" in html
    assert "Frist 10.11.2026" in html
    assert "Kari" not in html
    fil = client.get(f"/gjennomforinger/{gid}/resultatrapport.xlsx?maned={MANED}")
    assert fil.mimetype == XLSX
    assert load_workbook(io.BytesIO(fil.data))["Resultatrapport"]["D2"].value == AKTIVE
    etter = client.get(f"/gjennomforinger/{gid}/resultatrapport?maned={MANED}")
    assert "Sendt: eksportert første gang" in etter.get_data(as_text=True)
    feil = client.get(f"/gjennomforinger/{gid}/resultatrapport?maned=oktober")
    assert feil.status_code == 422
    assert "skriv måneden som ÅÅÅÅ-MM" in feil.get_data(as_text=True)


def test_a_veileder_is_refused_the_page(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    gid = seed(deps, org.id)
    logg_inn(client, bruker("veileder"))
    assert client.get(f"/gjennomforinger/{gid}/resultatrapport").status_code == 403
