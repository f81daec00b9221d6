"""Credit notes and corrections on the pages and in the API: the confirm step shows exactly
what is credited, a reason is required, invoice and credit note link both ways, a credited
line cannot be chosen again, crediting everything is an explicit choice, and "Lag korrigert
faktura" makes a new invoice that replaces the old one and passes the official rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.context import belop
from dokgen.services import fakturaer as service
from dokgen.storage.db import Faktura, Organisasjon
from tests.conftest import FIXTURES
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

NS = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
VENT = {"Prefer": "wait=120"}


def _sendt(deps: Deps, org: Organisasjon, kontrakt: Any) -> Faktura:
    aktor = Aktor(org.id, "Test Regnskap", "regnskap")
    rad = service.opprett(deps, aktor, service.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(timeout=180)
    service.send(deps, aktor, rad.id)
    assert deps.jobs.wait_idle(timeout=180)
    return service.hent(deps, aktor, rad.id, logg_lesing=False)


def _kreditnotaer(deps: Deps) -> list[Faktura]:
    with deps.sessions() as s:
        return list(s.scalars(select(Faktura).where(Faktura.art == "kreditnota")))


def test_credit_note_confirm_reason_links_and_no_dead_end(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon,
    kontrakt: Any,
) -> None:  # fmt: skip
    """Nothing ticked and no reason: both said, nothing made; the confirm step lists the
    lines, hours and total; the credit note links back and the credited line is disabled
    with its credit note's number; the rest is credited only when chosen explicitly; then
    "Lag korrigert faktura" makes a validated invoice that replaces the old one."""
    f = _sendt(deps, org, kontrakt)
    logg_inn(client, bruker("regnskap"))
    url = f"/fakturaer/{f.id}"
    side = client.get(url).text
    assert 'name="hele" value="ja"' in side
    assert "Deltaker møtte ikke" in side  # activity kinds in words …
    assert ">ikke_mott<" not in side
    assert ">video_telefon<" not in side
    csrf = token(client, url)

    r = client.post(f"{url}/kreditnota/bekreft", data={"csrf_token": csrf})
    assert r.status_code == 422
    assert "ingen linjer er valgt" in r.text
    assert "skriv hvorfor fakturaen krediteres" in r.text
    r = client.post(f"{url}/kreditnota", data={"csrf_token": csrf, "begrunnelse": "x"})
    assert (r.status_code, "ingen linjer er valgt" in r.text) == (422, True)  # no silent full
    assert _kreditnotaer(deps) == []

    linje = f.linjer[0]
    valg = {"csrf_token": csrf, "linjer": linje["id"], "begrunnelse": "Feil timetall"}
    r = client.post(f"{url}/kreditnota/bekreft", data=valg)
    assert r.status_code == 200, r.text
    assert "Ingenting er laget ennå" in r.text
    assert linje["deltaker_navn"] in r.text
    assert f"<strong>{belop(linje['belop'])}</strong>" in r.text
    assert f"Lag kreditnota på {belop(linje['belop'])} kr" in r.text
    assert "Feil timetall" in r.text
    for andre in f.linjer[1:]:
        assert andre["deltaker_navn"] not in r.text
    assert _kreditnotaer(deps) == []  # the confirm step makes nothing

    r = client.post(f"{url}/kreditnota", data={**valg, "begrunnelse": " "})
    assert r.status_code == 422
    assert "skriv hvorfor" in r.text
    r = client.post(f"{url}/kreditnota", data=valg)
    assert r.status_code == 302
    assert deps.jobs.wait_idle(timeout=180)
    [k] = _kreditnotaer(deps)
    assert (k.begrunnelse, k.krediterer_id, k.status) == ("Feil timetall", f.id, "validert")
    xml = etree.fromstring(client.get(f"/fakturaer/{k.id}/xml").data)
    assert xml.findtext("cbc:Note", namespaces=NS) == "Feil timetall"
    kredit = client.get(r.location).text
    assert f'href="/fakturaer/{f.id}">faktura {f.nummer}</a>' in kredit
    assert "Feil timetall" in kredit

    side = client.get(url).text
    assert f'href="/fakturaer/{k.id}">kreditnota {k.nummer}</a> (' in side
    boks = re.search(rf'<input type="checkbox" id="kred-{linje["id"]}"[^>]*>', side)
    assert boks
    assert "disabled" in boks.group(0)
    assert f'(kreditert i <a href="/fakturaer/{k.id}">kreditnota {k.nummer}</a>)' in side
    r = client.post(f"{url}/kreditnota/bekreft", data=valg)
    assert r.status_code == 422
    assert f"linje {linje['id']} er allerede kreditert i kreditnota {k.nummer}" in r.text

    hele = {"csrf_token": csrf, "hele": "ja", "begrunnelse": "Avvist av kjøper"}
    r = client.post(f"{url}/kreditnota/bekreft", data=hele)
    assert r.status_code == 200
    assert "(hele fakturaen)" in r.text
    assert linje["deltaker_navn"] not in r.text.split("<tbody>")[1].split("</tbody>")[0]
    assert client.post(f"{url}/kreditnota", data=hele).status_code == 302
    assert deps.jobs.wait_idle(timeout=180)
    side = client.get(url).text
    assert "Hele fakturaen er kreditert." in side
    assert "Se over kreditnotaen" not in side
    assert "Lag korrigert faktura" in side

    korriger = f"{url}/korriger"
    r = client.get(korriger)
    assert r.status_code == 200
    assert 'value="ABC1234"' in r.text  # prefilled from the old grunnlag
    r = client.post(
        korriger, data={"csrf_token": token(client, korriger), "deres_referanse": "XYZ9876"}
    )
    assert r.status_code == 302
    assert deps.jobs.wait_idle(timeout=180)
    with deps.sessions() as s:
        ny = s.scalars(select(Faktura).where(Faktura.erstatter_id == f.id)).one()
    assert (ny.art, ny.status, ny.rapport["ok"]) == ("faktura", "validert", True)  # type: ignore[index]
    assert ny.grunnlag["deres_referanse"] == "XYZ9876"
    assert ny.belop == f.belop
    assert (
        f'Erstatter <a href="/fakturaer/{f.id}">faktura {f.nummer}</a>'
        in client.get(r.location).text
    )
    side = client.get(url).text
    assert f'Erstattet av <a href="/fakturaer/{ny.id}">faktura {ny.nummer}</a>' in side
    assert "Lag korrigert faktura" not in side  # one correction


def test_a_rejected_invoice_is_corrected_through_the_api(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], org: Organisasjon,
    kontrakt: Any,
) -> None:  # fmt: skip
    """avvist → POST /korrigering: 201, erstatter_id, validated by the official rules; both
    link to each other; a second correction is 409; a sent invoice cannot be corrected."""
    regnskap = auth("regnskap")
    f = _sendt(deps, org, kontrakt)
    assert client.post(f"/api/v1/fakturaer/{f.id}/korrigering", headers=regnskap).status_code == 409
    svar = (FIXTURES / "transport" / "fakturasvar-re-2026-0001.xml").read_bytes()
    xml = {**regnskap, "Content-Type": "application/xml"}
    r = client.post(f"/api/v1/fakturaer/{f.id}/svar", data=svar, headers=xml)
    assert (r.json["status"], r.json["kan_korrigeres"]) == ("avvist", True)
    r = client.post(
        f"/api/v1/fakturaer/{f.id}/korrigering",
        json={"bestillingsnummer": "PO-77"},
        headers={**regnskap, **VENT},
    )
    assert r.status_code == 201, r.json
    ny = r.json
    assert (ny["erstatter_id"], ny["erstatter"]["nummer"], ny["status"]) == (
        f.id,
        f.nummer,
        "validert",
    )
    assert ny["rapport"]["ok"], ny["rapport"]
    gammel = client.get(f"/api/v1/fakturaer/{f.id}", headers=regnskap).json
    assert [x["id"] for x in gammel["erstattet_av"]] == [ny["id"]]
    assert gammel["kan_korrigeres"] is False
    again = client.post(f"/api/v1/fakturaer/{f.id}/korrigering", headers=regnskap)
    assert again.status_code == 409
    bad = client.post(f"/api/v1/fakturaer/{f.id}/korrigering", json={"x": 1}, headers=regnskap)
    assert bad.status_code == 422


def test_the_api_previews_a_credit_note_and_requires_a_reason(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], org: Organisasjon,
    kontrakt: Any,
) -> None:  # fmt: skip
    """POST …/kreditnota/forhandsvisning: lines, hours and total, nothing made; without a
    reason 422 (and nothing made); with one the credit note is made."""
    regnskap = auth("regnskap")
    f = _sendt(deps, org, kontrakt)
    url = f"/api/v1/fakturaer/{f.id}/kreditnota"
    r = client.post(f"{url}/forhandsvisning", json={"linjer": ["1"]}, headers=regnskap)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "begrunnelse")
    r = client.post(
        f"{url}/forhandsvisning", json={"begrunnelse": "Dobbelt fakturert"}, headers=regnskap
    )
    assert r.status_code == 200, r.json
    assert (r.json["hele"], r.json["sum"]) == (True, f.belop)
    assert [x["id"] for x in r.json["linjer"]] == [x["id"] for x in f.linjer]
    assert antall(deps, Faktura) == 1
    assert client.post(url, json={}, headers=regnskap).status_code == 422
    assert antall(deps, Faktura) == 1
    r = client.post(url, json={"begrunnelse": "Dobbelt fakturert"}, headers={**regnskap, **VENT})
    assert (r.status_code, r.json["begrunnelse"], r.json["belop"]) == (
        201,
        "Dobbelt fakturert",
        f.belop,
    )


def test_findings_are_explained_and_the_xpath_is_behind_details(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]], org: Organisasjon, kontrakt: Any,
) -> None:  # fmt: skip
    """A known rule of each kind shows its bokmål explanation and next step; an unknown one
    its id and official text; the XPath is only inside "Tekniske detaljer"; the API adds
    the explanation to each finding."""
    aktor = Aktor(org.id, "Test Regnskap", "regnskap")
    f = service.opprett(deps, aktor, service.fra_json(kontrakt("fakturagrunnlag")))
    assert deps.jobs.wait_idle(timeout=180)
    sted = "/*:Invoice[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2']"
    funn = [
        {"rule": r, "flag": flagg, "message": f"[{r}]-{tekst}", "location": sted, "pack": "p"}
        for r, flagg, tekst in (
            ("BR-CO-25", "fatal", "Due date."),
            ("PEPPOL-EN16931-R003", "fatal", "Ref."),
            ("NO-R-002", "warning", "Foretaksregisteret."),
            ("BR-DE-99", "fatal", "Unknown rule text."),
        )
    ]
    rapport = {
        "ok": False,
        "rulepack": "3.0.21",
        "document_type": "380",
        "note": "",
        "findings": funn,
    }
    with deps.sessions.begin() as s:
        s.execute(
            update(Faktura).where(Faktura.id == f.id).values(rapport=rapport, status="ugyldig")
        )
    logg_inn(client, bruker("regnskap"))
    side = client.get(f"/fakturaer/{f.id}").text
    assert "Når det er noe å betale, må fakturaen ha forfallsdato" in side
    assert "Fyll inn «Deres referanse»" in side
    assert "Foretaksregisteret" in side
    assert "Advarsel" in side
    assert "Unknown rule text." in side
    assert "BR-DE-99" in side
    detaljer = re.findall(r'<details class="tekniske-detaljer">.*?</details>', side, re.S)
    assert len(detaljer) == 4
    assert all("Tekniske detaljer" in d for d in detaljer)
    utenfor = re.sub(r'<details class="tekniske-detaljer">.*?</details>', "", side, flags=re.S)
    assert "namespace-uri()" not in utenfor
    assert "Due date." not in utenfor  # a known rule's English text only behind details
    api = client.get(f"/api/v1/fakturaer/{f.id}", headers=auth("regnskap")).json
    forklart = {x["rule"]: x for x in api["rapport"]["findings"]}
    assert forklart["BR-CO-25"]["kjent"] is True
    assert "forfallsdato" in forklart["BR-CO-25"]["forklaring"]
    assert forklart["BR-DE-99"]["kjent"] is False
