"""The NAV claim pages and API through Flask's test client: the list with totals, a claim
with NAV's portal steps and its files, NAV's answer and the difference, the progress while
the package is made, "Prøv igjen" after a failure, roles, and no fødselsnummer anywhere but
the PDF."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.services import kravpakke
from dokgen.storage.db import Manedskrav, Organisasjon, Revisjon
from tests.dokgen.kravgrunnlag import FNR_KARI, FNR_OLA, grunnlag, lag_krav
from tests.dokgen.web.sider_hjelp import logg_inn, token
from tests.pdfinfo import text

pytestmark = pytest.mark.integration


@pytest.fixture
def krav_id(deps: Deps, org: Organisasjon, gjennomforing_id: int) -> str:
    """Return a made claim: 11 787,50 kr exact, 11 788 kr to type."""
    krav = lag_krav(deps, org.id, gjennomforing_id)
    kravpakke.bygg(deps, krav)
    return krav


def _handlinger(deps: Deps) -> list[str]:
    with deps.sessions() as s:
        return list(s.scalars(select(Revisjon.handling).where(Revisjon.objekt_type == "krav")))


def test_regnskap_reads_the_claim_downloads_it_and_records_navs_answer(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    krav_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The list shows the month in words, the amount in whole kroner and the totals; the
    claim's page the portal steps and the file; NAV's answer shows with its difference; no
    page, download name or log line holds a fødselsnummer."""
    caplog.set_level(logging.INFO)
    logg_inn(client, bruker("regnskap"))
    liste = client.get("/krav")
    assert liste.status_code == 200
    html = liste.text.replace("\u00a0", " ")
    assert "oktober 2026" in html
    assert "Jobbmestrende oppfølging" in html  # the contract's gjennomføring
    assert "Klar til innsending" in html
    assert "11 787,50" in html
    assert "11 788" in html
    assert "Sum per måned" in html
    assert "Ikke svart" in html
    side = client.get(f"/krav/{krav_id}").text.replace("\u00a0", " ")
    assert "Beløp å føre i NAVs skjema" in side
    assert "<strong>11 788 kr</strong>" in side
    assert "Slik sender du kravet i NAVs portal" in side
    assert "Utbetalinger" in side
    assert "Altinn" in side
    assert "Velg perioden oktober 2026" in side
    assert "Kari Nordmann" in side
    lenke = re.search(r'href="(/krav/[^"]+/pdf/1)"', side)
    assert lenke is not None
    pdf = client.get(lenke.group(1))
    assert pdf.mimetype == "application/pdf"
    disposition = pdf.headers["Content-Disposition"]
    assert disposition.endswith('filename="timedokumentasjon-2026-123456-2026-10.pdf"')
    assert FNR_KARI in text(pdf.data)
    assert client.get(f"/krav/{krav_id}/pdf/2").status_code == 404
    skjema = {"csrf_token": token(client, f"/krav/{krav_id}"), "nav_status": "UTBETALT"}
    feil = client.post(f"/krav/{krav_id}/nav-svar", data=skjema)
    assert feil.status_code == 422
    assert "skriv hvor mye NAV utbetalte" in feil.text
    skjema |= {
        "nav_status": "DELVIS_UTBETALT",
        "utbetalt": "11 000,00",
        "kommentar": "Én time avvist",
    }
    svar = client.post(f"/krav/{krav_id}/nav-svar", data=skjema, follow_redirects=True)
    side = svar.text.replace("\u00a0", " ")
    assert "NAVs svar er registrert: Delvis utbetalt." in side
    assert "-788,00 kr (mindre enn kravet)" in side
    assert "Én time avvist" in side
    assert "DELVIS_UTBETALT" not in re.sub(r'value="[A-Z_]+"', "", side)  # codes only as values
    etter = client.get("/krav").text.replace("\u00a0", " ")
    assert "Delvis utbetalt" in etter
    assert "11 000,00" in etter
    assert "-788,00" in etter
    for side_tekst in (html, side, etter):
        assert FNR_KARI not in side_tekst
        assert FNR_OLA not in side_tekst
    assert FNR_KARI not in caplog.text
    assert FNR_OLA not in caplog.text
    handlinger = _handlinger(deps)
    assert {"sok", "les", "last_ned_pdf", "registrer_nav_svar"} <= set(handlinger)


def test_roles_leser_reads_veileder_sees_nothing(
    client: FlaskClient, bruker: Callable[..., str], krav_id: str
) -> None:
    """leser reads the claims but records nothing; a veileder has no access."""
    logg_inn(client, bruker("leser"))
    side = client.get(f"/krav/{krav_id}")
    assert side.status_code == 200
    assert "Registrer NAVs svar" not in side.text
    csrf = token(client, f"/krav/{krav_id}")
    svar = client.post(
        f"/krav/{krav_id}/nav-svar", data={"csrf_token": csrf, "nav_status": "UTBETALT"}
    )
    assert svar.status_code == 403
    client.post("/logg-ut", data={"csrf_token": csrf})
    logg_inn(client, bruker("veileder"))
    assert client.get("/krav").status_code == 403


def test_the_page_shows_progress_then_the_failure_and_tries_again(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    org: Organisasjon,
    gjennomforing_id: int,
) -> None:
    """While made: a live status and a reload link; failed: the reason and "Prøv igjen",
    which makes the package (status klar)."""
    krav = lag_krav(deps, org.id, gjennomforing_id)
    logg_inn(client, bruker("regnskap"))
    side = client.get(f"/krav/{krav}").text
    assert f'data-status-url="/krav/{krav}/status"' in side
    assert "Timedokumentasjonen lages og forsegles" in side
    assert client.get(f"/krav/{krav}/status").json == {"status": "behandles", "venter": True}
    with deps.sessions.begin() as s:
        rad = s.get(Manedskrav, krav)
        assert rad is not None
        rad.status, rad.feil = (
            "feilet",
            "PDF-konverteringen av timedokumentasjonen feilet. Prøv igjen.",
        )
    side = client.get(f"/krav/{krav}").text
    assert "Kravpakken ble ikke laget" in side
    assert "PDF-konverteringen" in side
    csrf = token(client, f"/krav/{krav}")
    r = client.post(f"/krav/{krav}/prov-igjen", data={"csrf_token": csrf}, follow_redirects=True)
    assert "Kravpakken lages på nytt." in r.text
    assert deps.jobs.wait_idle(120)
    assert client.get(f"/krav/{krav}/status").json == {"status": "klar", "venter": False}
    assert client.post(f"/krav/{krav}/prov-igjen", data={"csrf_token": csrf}).status_code == 409


def test_the_list_filters_by_month_and_gjennomforing_and_pages(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    org: Organisasjon,
    gjennomforing_id: int,
) -> None:
    """Month and gjennomføring filter the rows and the totals; a bad month is explained."""
    for lopenr in range(3):
        lag_krav(deps, org.id, gjennomforing_id, grunnlag(), lopenr=lopenr, status="klar")
    november = grunnlag() | {
        "maned": "2026-11",
        "periode": {"fra": "2026-11-01", "til": "2026-11-30"},
    }
    lag_krav(deps, org.id, gjennomforing_id, november, status="klar")
    logg_inn(client, bruker("admin"))
    alle = client.get("/krav").text.replace("\u00a0", " ")
    assert "Treff (4)" in alle
    assert "november 2026" in alle
    assert "35 362,50" in alle  # three October claims: 3 × 11 787,50
    okt = client.get("/krav?maned=2026-10").text.replace("\u00a0", " ")
    assert "Treff (3)" in okt
    assert "november 2026" not in okt
    assert "Treff (0)" in client.get(f"/krav?gjennomforing={gjennomforing_id + 99}").text
    feil = client.get("/krav?maned=oktober")
    assert feil.status_code == 422
    assert "ÅÅÅÅ-MM" in feil.text


def test_the_api_lists_reads_downloads_and_records_without_a_fodselsnummer(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    krav_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """GET /krav (filters, totals, paging), GET /krav/{id} (no fødselsnummer), the PDF and
    ``?nr=``, POST nav-svar with NAV's names; described in the OpenAPI document."""
    caplog.set_level(logging.INFO)
    regnskap, leser = auth("regnskap"), auth("leser")
    liste = client.get("/api/v1/krav?maned=2026-10", headers=leser)
    assert liste.status_code == 200
    body = liste.json
    assert body["antall"] == 1
    assert (body["side"], body["sider"]) == (1, 1)
    (rad,) = body["krav"]
    assert (rad["id"], rad["maned"], rad["status"]) == (krav_id, "2026-10", "klar")
    assert (rad["belop"], rad["belop_kroner"]) == ("11787.50", 11788)
    assert body["totaler"] == [
        {
            "maned": "2026-10",
            "antall": 1,
            "belop": "11787.50",
            "belop_kroner": 11788,
            "utbetalt": "0",
        }
    ]
    assert client.get("/api/v1/krav?maned=2026-11", headers=leser).json["krav"] == []
    assert client.get("/api/v1/krav?maned=10-2026", headers=leser).status_code == 422
    hent = client.get(f"/api/v1/krav/{krav_id}", headers=leser)
    assert [d["navn"] for d in hent.json["deltakere"]] == ["Kari Nordmann", "Ola Testesen"]
    assert hent.json["filer"][0]["lenke"] == f"/api/v1/krav/{krav_id}/pdf?nr=1"
    pdf = client.get(f"/api/v1/krav/{krav_id}/pdf", headers=leser)
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert client.get(f"/api/v1/krav/{krav_id}/pdf?nr=2", headers=leser).status_code == 404
    nekt = client.post(
        f"/api/v1/krav/{krav_id}/nav-svar", headers=leser, json={"nav_status": "UTBETALT"}
    )
    assert nekt.status_code == 403
    ukjent = client.post(
        f"/api/v1/krav/{krav_id}/nav-svar", headers=regnskap, json={"nav_status": "BETALT", "x": 1}
    )
    assert ukjent.status_code == 422
    assert {e["path"] for e in ukjent.json["errors"]} == {"x"}
    ukjent = client.post(
        f"/api/v1/krav/{krav_id}/nav-svar", headers=regnskap, json={"nav_status": "BETALT"}
    )
    assert ukjent.status_code == 422
    svar = client.post(
        f"/api/v1/krav/{krav_id}/nav-svar",
        headers=regnskap,
        json={"nav_status": "UTBETALT", "utbetalt": "11788"},
    )
    assert svar.status_code == 200
    assert (svar.json["nav_status"], svar.json["nav_status_tekst"]) == ("UTBETALT", "Utbetalt")
    assert (svar.json["utbetalt"], svar.json["differanse"]) == ("11788.00", "0.00")
    for json_tekst in (liste.text, hent.text, svar.text):
        assert FNR_KARI not in json_tekst
        assert FNR_OLA not in json_tekst
    assert FNR_KARI not in caplog.text
    assert FNR_OLA not in caplog.text
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/krav", "/krav/{krav_id}", "/krav/{krav_id}/pdf", "/krav/{krav_id}/nav-svar"} <= set(
        paths
    )
    enum = paths["/krav/{krav_id}/nav-svar"]["post"]["requestBody"]["content"]["application/json"]
    assert "DELVIS_UTBETALT" in enum["schema"]["properties"]["nav_status"]["enum"]
