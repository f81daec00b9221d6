"""An organisation's settings page: everything an invoice needs, what is still missing, field
errors that say what to write (issue 15, "Organisation set-up"); real app, SQLite, LibreOffice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.cli import main
from dokgen.services import aksesspunkt as ap
from dokgen.services import innstillinger as service
from dokgen.settings import Miljo, Settings
from dokgen.storage.db import Organisasjon
from tests.conftest import KONTRAKT
from tests.dokgen.web.sider_hjelp import logg_inn, token

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
NYTT_ORGNR, NYTT_NAVN = "974760673", "Ny Arrangør AS"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SKJEMA = {
    "selger.adresse.gate": "Storgata 1",
    "selger.adresse.postnummer": "0155",
    "selger.adresse.poststed": "Oslo",
    "selger.adresse.land": "no",
    "selger.mva_registrert": "nei",
    "selger.foretaksregisteret": "ja",
    "selger.kontonummer": "1503.12.34562",
    "selger.kontakt.navn": "Regnskap",
    "selger.kontakt.telefon": "22 11 22 33",
    "selger.kontakt.epost": "faktura@ny.example",
    "regelsett": "jmo-oslo-2020",
    "timepris": "1150,00",
    "mva.kategori": "E",
    "mva.sats": "0",
    "mva.fritaksgrunn": "Arbeidsmarkedstiltak, jf. merverdiavgiftsloven § 3-4",
    "deres_referanse": "ABC1234",
    "bestillingsnummer": "4500123456",
    "kjoper.navn": "NAV Tiltak Oslo",
    "kjoper.orgnr": "889 640 782",
    "kjoper.adresse.gate": "Postboks 354 Alnabru",
    "kjoper.adresse.postnummer": "0614",
    "kjoper.adresse.poststed": "Oslo",
    "kjoper.adresse.land": "NO",
    "transport": "katalog",
    "aksesspunkt_url": "",
    "aksesspunkt_token": "",
}


def _ny_org(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> Organisasjon:
    """Make an organisation as the operator does: ``dokgen org lag`` on the app's instance."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(deps.settings.instans))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    assert main(["org", "lag", "--orgnr", NYTT_ORGNR, "--navn", NYTT_NAVN]) == 0
    with deps.sessions() as s:
        org = s.scalars(select(Organisasjon).filter_by(orgnr=NYTT_ORGNR)).one()
        s.expunge(org)
    return org


def _innstillinger(deps: Deps, org: Organisasjon) -> dict[str, Any]:
    with deps.sessions() as s:
        row = s.get(Organisasjon, org.id)
        assert row is not None
        return dict(row.innstillinger)


def _timer_bare() -> dict[str, Any]:
    """The contract's fakturagrunnlag without anything the settings now give."""
    data = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text(encoding="utf-8"))
    return {k: data[k] for k in ("type", "periode", "aktiviteter", "vedlegg")}


def test_a_new_organisation_can_invoice_once_its_admin_has_saved_the_settings(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`dokgen org lag`, then the admin's page lists what the seller lacks; an invoice with
    nothing but hours is refused. After one save of the page the settings hold the seller
    (name and orgnr from the register), the agreement and the buyer, the page says invoicing
    is possible, and the same hours become a validated invoice with that seller."""
    org = _ny_org(deps, monkeypatch)
    logg_inn(client, bruker("admin", org))
    side = client.get("/admin/innstillinger").text
    assert "Før dere kan fakturere" in side
    for mangel in (
        "Gateadresse eller postboks (selger): fyll inn",
        "Registrert i Merverdiavgiftsregisteret (selger): fyll inn",
        "Kontonummer (selger): fyll inn",
    ):
        assert mangel in side
    assert "Regelsett (avtale): fyll inn" in side
    regnskap = auth("regnskap", org)
    r = client.post("/api/v1/fakturaer", json=_timer_bare(), headers={**regnskap, **VENT})
    assert r.status_code == 422
    assert any(e["path"].startswith("selger") for e in r.json["errors"]), r.json

    skjema = {"csrf_token": token(client, "/admin/innstillinger"), **SKJEMA}
    assert client.post("/admin/innstillinger", data=skjema).status_code == 302
    side = client.get("/admin/innstillinger").text
    assert "Selger er fylt ut: organisasjonen kan fakturere." in side
    assert "Før dere kan fakturere" not in side
    assert "Mangler for fakturaer fra timeliste" not in side
    lagret = _innstillinger(deps, org)
    assert lagret["selger"] == {
        "navn": NYTT_NAVN,
        "orgnr": NYTT_ORGNR,
        "adresse": {"gate": "Storgata 1", "postnummer": "0155", "poststed": "Oslo", "land": "NO"},
        "mva_registrert": False,
        "foretaksregisteret": True,
        "kontonummer": "15031234562",
        "kontakt": {"navn": "Regnskap", "telefon": "22 11 22 33", "epost": "faktura@ny.example"},
    }
    assert (lagret["timepris"], lagret["kjoper"]["orgnr"]) == ("1150.00", "889640782")
    with deps.sessions() as s:
        assert service.selger(s.get(Organisasjon, org.id)) == lagret["selger"]

    r = client.post("/api/v1/fakturaer", json=_timer_bare(), headers={**regnskap, **VENT})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "validert", r.json
    xml = etree.fromstring(client.get(r.json["lenker"]["xml"], headers=regnskap).data)
    [party] = xml.xpath("cac:AccountingSupplierParty/cac:Party", namespaces=NS)
    verdier = {
        sti: party.xpath(f"{sti}/text()", namespaces=NS)
        for sti in (
            "cac:PartyLegalEntity/cbc:RegistrationName",
            "cac:PartyLegalEntity/cbc:CompanyID",
            "cac:PostalAddress/cbc:StreetName",
            "cac:PostalAddress/cbc:PostalZone",
        )
    }
    assert verdier == {
        "cac:PartyLegalEntity/cbc:RegistrationName": [NYTT_NAVN],
        "cac:PartyLegalEntity/cbc:CompanyID": [NYTT_ORGNR],
        "cac:PostalAddress/cbc:StreetName": ["Storgata 1"],
        "cac:PostalAddress/cbc:PostalZone": ["0155"],
    }


def test_invalid_settings_say_at_each_field_what_to_write_and_store_nothing(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """Every wrong value is named at its field with what to write; the settings are unchanged;
    the form keeps what was typed."""
    logg_inn(client, bruker("admin"))
    for_ = _innstillinger(deps, org)
    feil = {
        "selger.adresse.postnummer": ("55", "skriv 4 siffer, f.eks. 0554"),
        "kjoper.adresse.land": ("Norge", "skriv to bokstaver, f.eks. NO"),
        "selger.kontonummer": ("1503.12.34561", "kontonummeret har feil kontrollsiffer"),
        "selger.kontakt.epost": ("faktura", "skriv en e-postadresse"),
        "selger.mva_registrert": ("kanskje", "velg ja eller nei"),
        "timepris": ("mye", "skriv et tall, f.eks. 1150,00"),
        "mva.sats": ("150", "må være mellom 0 og 100"),
        "kjoper.orgnr": ("123456789", "organisasjonsnummer"),
        "regelsett": ("ukjent", "velg en av mulighetene i listen"),
        "transport": ("http", "velg hvordan fakturaene skal sendes"),
    }
    skjema = {**SKJEMA, **{k: v for k, (v, _) in feil.items()}}
    r = client.post(
        "/admin/innstillinger", data={"csrf_token": token(client, "/admin/innstillinger"), **skjema}
    )
    assert r.status_code == 422
    assert "Innstillingene ble ikke lagret" in r.text
    for sti, (_, melding) in feil.items():
        assert melding in r.text, sti
    assert 'value="Storgata 1"' in r.text
    assert _innstillinger(deps, org) == for_


def test_an_own_access_point_keeps_its_token_secret_and_must_be_https() -> None:
    """Own addresses: https; http only on the loopback address and only in utvikling; in
    produksjon an internal IP is refused outright."""
    utvikling, produksjon = Settings(), Settings(miljo=Miljo.PRODUKSJON)
    assert ap.url_feil(utvikling, "http://127.0.0.1:8081/send") is None
    assert ap.url_feil(utvikling, "https://ap.example.no/send") is None
    assert "https://" in (ap.url_feil(utvikling, "http://ap.example.no/send") or "")
    assert "https://" in (ap.url_feil(produksjon, "http://127.0.0.1:8081/send") or "")
    assert "internt nett" in (ap.url_feil(produksjon, "https://10.0.0.7/send") or "")
    assert "internt nett" in (ap.url_feil(produksjon, "https://[::1]/send") or "")
    assert "brukernavn" in (ap.url_feil(produksjon, "https://u:p@ap.example.no/") or "")
    assert ap.url_feil(produksjon, "https://ap.example.no/send") is None


def test_a_form_with_some_fields_changes_only_those(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """Only the posted fields change (an empty one is removed); the access point and the
    fields not posted stay as they were."""
    from dokgen.storage.crypto import encrypt

    with deps.sessions.begin() as s:
        row = s.get(Organisasjon, org.id)
        assert row is not None
        kryptert = encrypt(deps.settings, "eget-token-1")
        row.innstillinger = {
            **row.innstillinger,
            "transport": "egen",
            "aksesspunkt_url": "https://ap.example.no/send",
            "aksesspunkt_token": kryptert,
        }
    for_ = _innstillinger(deps, org)
    logg_inn(client, bruker("admin"))
    skjema = {"selger.kontonummer": "1503 12 34562", "deres_referanse": ""}
    r = client.post(
        "/admin/innstillinger", data={"csrf_token": token(client, "/admin/innstillinger"), **skjema}
    )
    assert r.status_code == 302
    etter = _innstillinger(deps, org)
    assert etter["selger"] == for_["selger"] | {"kontonummer": "15031234562"}
    assert ("deres_referanse" in for_, "deres_referanse" in etter) == (True, False)
    assert {k: v for k, v in etter.items() if k not in ("selger", "deres_referanse")} == {
        k: v for k, v in for_.items() if k not in ("selger", "deres_referanse")
    }


def test_the_new_invoice_page_says_what_the_settings_lack_before_anyone_uploads(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regnskap in an organisation whose admin has not filled in the seller learns it on the
    new-invoice page, with each missing field in words, not first from a refused upload;
    once saved, the page has no such notice."""
    org = _ny_org(deps, monkeypatch)
    logg_inn(client, bruker("regnskap", org))
    side = client.get("/fakturaer/ny").text
    assert "Organisasjonen kan ikke fakturere ennå" in side
    assert "Kontonummer (selger): fyll inn" in side
    assert '<a href="/admin/innstillinger">Innstillinger</a>' in side  # regnskap may fill it in
    client.post("/logg-ut", data={"csrf_token": token(client, "/fakturaer/ny")})
    logg_inn(client, bruker("admin", org))
    skjema = {"csrf_token": token(client, "/admin/innstillinger"), **SKJEMA}
    assert client.post("/admin/innstillinger", data=skjema).status_code == 302
    client.post("/logg-ut", data={"csrf_token": token(client, "/admin/innstillinger")})
    logg_inn(client, bruker("regnskap", org))
    side = client.get("/fakturaer/ny").text
    assert "kan ikke fakturere" not in side
    assert "kan ikke faktureres" not in side
