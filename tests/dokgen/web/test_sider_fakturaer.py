"""The invoice pages through Flask's test client: upload → preview → create → send → credit."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.context import belop
from dokgen.services import fakturaer as fakturaer_service
from dokgen.storage.db import Faktura, Organisasjon, Revisjon
from tests.conftest import KONTRAKT
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token
from tests.pdfinfo import text

pytestmark = pytest.mark.integration

TIMELISTE = (KONTRAKT / "timeliste.csv").read_bytes()
VENT = {"Prefer": "wait=120"}
PERIODE = {"fra": "2026-10-01", "til": "2026-10-31", "deres_referanse": "ABC1234"}


def _utboks(deps: Deps) -> list[Path]:
    root = deps.settings.utboks_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _forhandsvis(
    client: FlaskClient, data: bytes, navn: str = "timeliste.csv", **periode: str
) -> Any:
    form: dict[str, Any] = {"csrf_token": token(client, "/fakturaer/ny"), **PERIODE, **periode}
    form["fil"] = (io.BytesIO(data), navn)
    return client.post("/fakturaer/forhandsvis", data=form, content_type="multipart/form-data")


def _skjulte(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def test_regnskap_previews_creates_sends_and_credits_an_invoice(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """Timeliste → preview (amounts 1 234,50, adjustments) → invoice → validated → sent once."""
    r = logg_inn(client, bruker("regnskap"))
    assert client.get("/").location == "/fakturaer"
    expected = fakturaer_service.forhandsvis(
        deps,
        Aktor(org.id, "test", "regnskap"),
        fakturaer_service.fra_timeliste(TIMELISTE, **PERIODE),
    )
    r = _forhandsvis(client, TIMELISTE)
    assert r.status_code == 200, r.text
    assert antall(deps, Faktura) == 0  # a preview stores nothing
    assert f"<strong>{belop(expected.sum)}</strong>" in r.text
    for linje in expected.linjer:
        assert linje["deltaker_navn"] in r.text
    for j in expected.forklaringer:
        assert j["forklaring"] in r.text
    assert expected.forklaringer, "the contract timeliste has adjustments to explain"

    r = client.post("/fakturaer", data=_skjulte(r.text))
    assert r.status_code == 302
    url = r.location
    assert deps.jobs.wait_idle(timeout=180)
    page = client.get(url).text
    assert "Validert – klar til sending" in page
    assert "Regelpakke" in page
    assert "Last ned EHF (XML)" in page
    xml = client.get(f"{url}/xml")
    assert xml.data.startswith(b"<?xml")
    assert client.get(f"{url}/vedlegg").data.startswith(b"%PDF")

    send = {"csrf_token": token(client, url)}
    assert client.post(f"{url}/send", data=send).status_code == 302
    assert deps.jobs.wait_idle(timeout=180)
    assert client.post(f"{url}/send", data=send).status_code == 302  # idempotent
    assert deps.jobs.wait_idle(timeout=180)
    page = client.get(url).text
    # The demo's outbox: honest about it, and no server path anywhere on the page.
    utboks = '<span class="status status--i_utboks" id="status">Lagt i utboks – ikke sendt</span>'
    assert utboks in page
    assert len(_utboks(deps)) == 1
    assert str(deps.settings.utboks_dir) not in page
    assert _utboks(deps)[0].name not in page
    with deps.sessions() as s:
        handlinger = list(s.scalars(select(Revisjon.handling)))
    assert handlinger.count("send") == 1
    assert "send_igjen_ignorert" in handlinger

    valg = {"csrf_token": token(client, url), "linjer": "1", "begrunnelse": "Feil timetall"}
    r = client.post(f"{url}/kreditnota", data=valg)
    assert r.status_code == 302
    assert deps.jobs.wait_idle(timeout=180)
    kredit = client.get(r.location).text
    assert "<h1>Kreditnota " in kredit
    assert "Feil timetall" in kredit
    liste = client.get("/fakturaer").text
    assert liste.count('<td><a href="/fakturaer/') == 2


def test_invalid_timeliste_shows_every_row_error_and_stores_nothing(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """An unknown activity and negative minutes come back with their CSV rows; no invoice."""
    logg_inn(client, bruker("regnskap"))
    lines = TIMELISTE.decode("utf-8-sig").splitlines()
    lines[1] = lines[1].replace(";oppfolging;", ";kaffe;")
    lines[2] = lines[2].replace(";80;", ";-5;")
    r = _forhandsvis(client, ("\n".join(lines) + "\n").encode())
    assert r.status_code == 422
    assert "Fakturagrunnlaget har" in r.text
    assert "rad 2" in r.text
    assert "rad 3" in r.text
    assert 'value="ABC1234"' in r.text  # the values come back
    r = _forhandsvis(client, b"{ikke json", "grunnlag.json")
    assert r.status_code == 400
    assert antall(deps, Faktura) == 0


def test_the_timelistes_period_is_typed_as_dd_mm_aaaa_and_a_wrong_date_is_explained(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """No native date input: the period is read as dd.mm.åååå; a wrong date stays on its
    field with how to write it, and nothing is billed."""
    logg_inn(client, bruker("regnskap"))
    ny = client.get("/fakturaer/ny").text
    assert 'type="date"' not in ny
    assert re.search(r'<input type="text" inputmode="numeric" id="fra" name="fra"', ny)
    norsk = _forhandsvis(client, TIMELISTE, fra="01.10.2026", til="31.10.2026")
    assert norsk.status_code == 200, norsk.text
    assert "01.10.2026 – 31.10.2026" in norsk.text
    feil = _forhandsvis(client, TIMELISTE, til="31/10/2026")
    assert feil.status_code == 422
    lenke = '<a href="#til">Periode til: Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026</a>'
    assert lenke in feil.text
    felt = r'<input [^>]*id="til"[^>]*value="31/10/2026"[^>]*aria-invalid="true"'
    assert re.search(felt, feil.text)
    assert antall(deps, Faktura) == 0


def test_invoice_pages_follow_the_roles_and_the_organisation(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    annen_org: Organisasjon,
) -> None:
    """Veileder and leser get 403; admin reads but cannot create; another org's is 404."""
    andre = Aktor(annen_org.id, "Annen Regnskap", "regnskap")
    rad = fakturaer_service.opprett(
        deps, andre, fakturaer_service.fra_timeliste(TIMELISTE, **PERIODE)
    )
    assert deps.jobs.wait_idle(timeout=180)
    for rolle in ("veileder", "leser"):
        logg_inn(client, bruker(rolle))
        assert client.get("/fakturaer").status_code == 403
        assert client.get("/fakturaer/ny").status_code == 403
        client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, bruker("admin"))
    liste = client.get("/fakturaer")
    assert liste.status_code == 200
    assert "Ny faktura" not in liste.text
    assert client.get("/fakturaer/ny").status_code == 403
    for suffix in ("", "/xml", "/vedlegg", "/status"):
        assert client.get(f"/fakturaer/{rad.id}{suffix}").status_code == 404, suffix


def _egen_timeliste(tittel: str, *bytt: tuple[bytes, bytes]) -> bytes:
    """Return the shipped timeliste template with another heading (an organisation's own),
    and other changes to its text."""
    import zipfile

    source = Path(__file__).resolve().parents[3] / "maler" / "timeliste.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                assert b"Spesifikasjon til faktura" in data
                data = data.replace(b"Spesifikasjon til faktura", tittel.encode())
                for gammel, ny in bytt:
                    assert gammel in data
                    data = data.replace(gammel, ny)
            dst.writestr(item, data)
    return out.getvalue()


def test_an_organisations_own_timeliste_template_is_the_invoices_attachment(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """An admin uploads a timeliste template (checked like a document's); the organisation's
    next invoice carries it as its PDF, another organisation's keeps the standard one; a
    template missing the totals is refused with the reason and stores nothing."""
    from tests.dokgen.conftest import org_innstillinger

    logg_inn(client, bruker("admin"))

    def last_opp(data: bytes) -> Any:
        form = {
            "csrf_token": token(client, "/admin/maler"),
            "type": "timeliste",
            "fil": (io.BytesIO(data), "timeliste.docx"),
        }
        return client.post("/admin/maler", data=form, content_type="multipart/form-data")

    uten_sum = _egen_timeliste("Egen timeliste", (b"sum_belop", b"sum_timer"))
    r = last_opp(uten_sum)
    assert r.status_code == 422
    assert "påkrevd felt «sum_belop» vises ikke i malen" in r.text
    assert "Timeliste (vedlegg til faktura)" in r.text
    egen_mal = _egen_timeliste("Timeliste fra Eksempel, ført etter avtalen")
    assert last_opp(egen_mal).status_code == 302
    assert "versjon 1 av timeliste (vedlegg til faktura)" in client.get("/admin/maler").text

    def vedlegg_tekst(headers: dict[str, str]) -> str:
        body = kontrakt("fakturagrunnlag")
        del body["selger"]  # the seller is always the organisation itself (its settings)
        r = client.post("/api/v1/fakturaer", json=body, headers={**headers, **VENT})
        assert r.status_code == 201, r.json
        pdf = client.get(r.json["lenker"]["vedlegg"], headers=headers).data
        return text(pdf)

    egen = vedlegg_tekst(auth("regnskap"))
    assert "Timeliste fra Eksempel, ført etter avtalen" in egen
    assert "Spesifikasjon til faktura" not in egen
    with deps.sessions.begin() as s:
        s.get(Organisasjon, annen_org.id).innstillinger = {  # type: ignore[union-attr]
            **org_innstillinger(),
            "selger": {**org_innstillinger()["selger"], "orgnr": annen_org.orgnr},
        }
    standard = vedlegg_tekst(auth("regnskap", annen_org))
    assert "Spesifikasjon til faktura" in standard
    assert "Timeliste fra Eksempel" not in standard


def test_a_buyer_profile_error_is_explained_in_plain_words(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """NAV's reference in the wrong form: the rule's bokmål explanation and what to do,
    with its id; nothing stored."""
    logg_inn(client, bruker("regnskap"))
    form: dict[str, Any] = {"csrf_token": token(client, "/fakturaer/ny"), **PERIODE}
    form["deres_referanse"] = "12"
    form["fil"] = (io.BytesIO(TIMELISTE), "timeliste.csv")
    r = client.post("/fakturaer/forhandsvis", data=form, content_type="multipart/form-data")
    assert r.status_code == 422
    assert "NAV krever «Deres referanse»" in r.text
    assert "(regel NAV-02)" in r.text
    assert antall(deps, Faktura) == 0


def test_attempts_in_words_and_an_old_outbox_path_is_never_shown() -> None:
    """An attempt recorded before the outbox said so carried the file's path: it reads as
    the outbox's words; the results have words."""
    from dokgen.services.fakturajobber import forsokstekst, resultattekst

    assert forsokstekst("katalog: /srv/dokgen/instans/utboks/abc.xml") == (
        "Lagt i utboks – ikke sendt"
    )
    assert forsokstekst("http: HTTP 200 OK") == "http: HTTP 200 OK"
    assert forsokstekst(None) is None
    assert [resultattekst(r) for r in ("i_utboks", "nytt_forsok", "duplikat", "ukjent")] == [
        "Lagt i utboks – ikke sendt",
        "Nytt forsøk",
        "Allerede mottatt (samme nøkkel)",
        "ukjent",
    ]
