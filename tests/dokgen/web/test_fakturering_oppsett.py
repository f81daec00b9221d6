"""Invoicing set-up (issue 14, item 1): a new organisation reaches "ready to claim" through
its pages only — an admin creates the gjennomføring, regnskap fills in its "Fakturering og
krav" section and the seller's settings; every validation error on its field with nothing
changed; who may edit what; the API and the command line. Real app, SQLite."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.cli import main
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import brukere, deltakere, gjennomforinger, timer
from dokgen.storage.db import Faktura, Gjennomforing, Manedskrav, Organisasjon, Revisjon
from tests.dokgen.register import aktor_for, kontrakt
from tests.dokgen.web.sider_hjelp import logg_inn, som_skjema, token
from tests.dokgen.web.test_api_deltakere import as_described

pytestmark = pytest.mark.integration

NYTT_ORGNR, NYTT_NAVN = "974760673", "Ny Arrangør AS"
# Today on the pages: the section says what a claim needs on this day.
I_DAG = datetime(2026, 10, 5, 9, tzinfo=UTC)
SELGER = {
    "selger.adresse.gate": "Storgata 1",
    "selger.adresse.postnummer": "0155",
    "selger.adresse.poststed": "Oslo",
    "selger.adresse.land": "NO",
    "selger.mva_registrert": "nei",
    "selger.foretaksregisteret": "ja",
    "selger.kontonummer": "1503.12.34562",
    "selger.kid": "1234567897",
    "selger.kontakt.navn": "Regnskap",
    "selger.kontakt.telefon": "22 11 22 33",
    "selger.kontakt.epost": "faktura@ny.example",
    "mva.kategori": "E",
    "mva.sats": "0",
    "mva.fritaksgrunn": "Arbeidsmarkedstiltak, jf. merverdiavgiftsloven § 3-4",
}
FAKTURERING = {
    "kravform": "ehf",
    "kjoper.navn": "NAV Tiltak Oslo",
    "kjoper.orgnr": "889640782",
    "kjoper.adresse.gate": "Postboks 354 Alnabru",
    "kjoper.adresse.postnummer": "0614",
    "kjoper.adresse.poststed": "Oslo",
    "kjoper.adresse.land": "NO",
    "deres_referanse": "A123456",
    "bestillingsnummer": "4500123456",
    "_rows.timepriser": "2",
    "timepriser.0.fra": "01.01.2026",
    "timepriser.0.til": "30.06.2026",
    "timepriser.0.timepris": "1150,00",
    "timepriser.1.fra": "01.07.2026",
    "timepriser.1.timepris": "1 200,50",
    "regelsett": "jmo-oslo-2020",
}


def _tekst(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _post(client: FlaskClient, url: str, data: Any, side: str | None = None) -> Any:
    skjema = dict(data) | {"csrf_token": token(client, side or url)}
    return client.post(url, data=skjema)


def _bytt(client: FlaskClient, brukernavn: str) -> None:
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, brukernavn)


def _rad(deps: Deps, gid: int) -> dict[str, Any]:
    with deps.sessions() as s:
        rad = s.get(Gjennomforing, gid)
        assert rad is not None
        return gjennomforinger.som_data(rad) | {"endret": rad.endret}


def _mangler(html: str) -> list[str]:
    """Return the texts of the "what is missing" list (empty when the page says ready)."""
    if 'id="mangler"' not in html:
        assert 'id="klar"' in html
        return []
    boks = html.split('id="mangler"', 1)[1].split("</ul>", 1)[0]
    return [_tekst(li) for li in re.findall(r"<li>(.*?)</li>", boks, re.S)]


@pytest.fixture
def ny_org(deps: Deps) -> Organisasjon:
    """An organisation as the operator makes it: no settings at all."""
    deps.clock = lambda: I_DAG
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, NYTT_ORGNR, NYTT_NAVN)
        s.flush()
        s.expunge(org)
    return org


@pytest.fixture
def gjennomforing(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> int:
    """A gjennomføring of the test organisation (the contract's, a plain timepris)."""
    deps.clock = lambda: I_DAG
    admin = aktor_for(deps, org, bruker("admin"))
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
    return int(gjennomforinger.opprett(deps, admin, inn)["id"])


def test_a_new_organisation_gets_ready_to_claim_through_its_pages_only(
    client: FlaskClient, deps: Deps, ny_org: Organisasjon, bruker: Callable[..., str]
) -> None:
    """Admin creates the gjennomføring; the page lists what a claim lacks as links to the
    fields; regnskap adds a timepris row without the script, fills the section and the
    seller's settings; then nothing is missing."""
    logg_inn(client, bruker("admin", ny_org))
    ny = {"navn": "JOB Oslo", "tiltakstype": "Oppfølging", "regelsett": "jmo-oslo-2020",
          "startdato": "01.01.2026"}  # fmt: skip
    svar = _post(client, "/gjennomforinger/ny", ny)
    assert svar.status_code == 302
    gid = int(svar.headers["Location"].rsplit("/", 1)[1])
    side = client.get(f"/gjennomforinger/{gid}").text
    mangler = _mangler(side)
    assert mangler[:2] == [
        "Timepris: fyll inn en timepris som gjelder 05.10.2026",
        "Kjøper: fyll inn kjøperens navn og organisasjonsnummer",
    ]
    assert sorted(mangler[2:]) == sorted(
        [
            f"{felt} (selger): fyll inn (organisasjonens innstillinger)"
            for felt in (
                "Gateadresse eller postboks", "Postnummer", "Poststed",
                "Registrert i Merverdiavgiftsregisteret", "Registrert i Foretaksregisteret",
                "Kontonummer",
            )
        ]
        + [
            "Mva-kategori: fyll inn (organisasjonens innstillinger)",
            "Mva-sats i prosent: fyll inn (organisasjonens innstillinger)",
        ]
    )  # fmt: skip
    assert '<a href="#g-timepriser">Timepris: fyll inn' in side
    assert '<a href="/admin/innstillinger#inn-selger-kontonummer">' in side
    assert 'id="g-timepriser"' in side
    assert 'id="g-kjoper"' in side

    regnskap = bruker("regnskap", ny_org)
    _bytt(client, regnskap)
    url = f"/gjennomforinger/{gid}"
    side = client.get(url).text
    assert 'name="navn"' not in side  # the general fields are the admin's
    assert "Tiltakstype</dt><dd>Oppfølging" in side
    radio = re.findall(r'<input type="radio" [^>]*name="kravform" value="(\w+)"', side)
    assert radio == ["ehf", "nav_refusjonskrav"]
    assert "EHF-faktura</label>" in side
    assert "Refusjonskrav i NAVs arrangørflate</label>" in side
    assert "Jobbmestrende oppfølging, NAV Oslo" in side  # the rule pack in words
    # "Legg til rad" without the script: the section comes back with one more row.
    lagt_til = _post(client, f"{url}/fakturering", {
        "_rows.timepriser": "1", "timepriser.0.fra": "01.01.2026", "_add_row": "timepriser",
    }, url)  # fmt: skip
    assert lagt_til.status_code == 200
    assert 'value="01.01.2026"' in lagt_til.text
    assert 'name="timepriser.1.fra"' in lagt_til.text
    assert _rad(deps, gid)["timepriser"] == []
    svar = _post(client, f"{url}/fakturering", FAKTURERING, url)
    assert svar.status_code == 302
    lagret = _rad(deps, gid)
    assert lagret["timepriser"] == [
        {"fra": "2026-01-01", "til": "2026-06-30", "timepris": "1150.00"},
        {"fra": "2026-07-01", "til": None, "timepris": "1200.50"},
    ]
    assert (lagret["kravform"], lagret["kjoper"]["orgnr"], lagret["deres_referanse"]) == (
        "ehf", "889640782", "A123456",
    )  # fmt: skip
    assert all("(organisasjonens innstillinger)" in m for m in _mangler(client.get(url).text))

    side = client.get("/admin/innstillinger").text
    assert 'name="aksesspunkt' not in side
    assert 'name="transport"' not in side
    assert "Hvordan fakturaene sendes (aksesspunktet) settes av en administrator." in side
    assert 'id="inn-selger-kid"' in side
    assert _post(client, "/admin/innstillinger", SELGER).status_code == 302
    assert _mangler(client.get(url).text) == []
    assert "Klar til krav" in client.get(url).text
    with deps.sessions() as s:
        org = s.get(Organisasjon, ny_org.id)
        assert org is not None
        assert org.innstillinger["selger"]["kid"] == "1234567897"
        assert "transport" not in org.innstillinger
        handlinger = s.scalars(select(Revisjon.handling).order_by(Revisjon.id)).all()
    assert {"opprett", "endre_fakturering", "endre_innstillinger"} <= set(handlinger)
    aktor = aktor_for(deps, ny_org, regnskap)
    assert gjennomforinger.mangler_for_krav(deps, aktor, gid, date(2026, 3, 1)) == []

    # Then the month's first close from registered hours: a veileder registers a deltaker
    # and September's hours; regnskap closes September on the pages and gets one invoice,
    # at July's timepris, that passes the official rules.
    veileder = aktor_for(deps, ny_org, bruker("veileder", ny_org))
    data = kontrakt("deltaker.json") | {
        "gjennomforing_id": gid, "oppstartdato": "2026-08-03", "veiledere_arrangor": [],
        "status": {"type": "DELTAR", "gyldig_fra": "2026-08-03"},
    }  # fmt: skip
    deltaker = deltakere.opprett(deps, veileder, les(DeltakerInn, data, tillat_syntetiske=True))
    timer.registrer_liste(deps, veileder, [
        {"dato": "2026-09-07", "deltaker": {"nr": deltaker["nr"]}, "aktivitet": "oppfolging",
         "minutter": 60},
        {"dato": "2026-09-14", "deltaker": {"nr": deltaker["nr"]}, "aktivitet": "ikke_mott",
         "minutter": 60},
    ])  # fmt: skip
    side = client.get("/manedsavslutning?maned=2026-09").text
    assert "Avslutt september 2026" in side
    bekreft = _post(client, "/manedsavslutning/bekreft", {"maned": "2026-09"}, "/manedsavslutning")
    assert bekreft.status_code == 200, _tekst(bekreft.text)[-1500:]
    skjult = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', bekreft.text))
    svar = client.post("/manedsavslutning/avslutt", data=skjult)
    assert svar.status_code == 302
    assert deps.jobs.wait_idle(120)
    with deps.sessions() as s:
        krav = s.scalars(select(Manedskrav)).one()
        faktura = s.get(Faktura, krav.faktura_id)
        assert faktura is not None
        # 1 h + a no-show's 0,25 h at 1 200,50 kr from 1 July.
        assert (faktura.status, faktura.belop, faktura.maned) == ("validert", "1500.63", "2026-09")
        assert (krav.belop_kroner, faktura.gjennomforing_id) == (1501, gid)


def test_a_nav_claim_needs_no_buyer_and_no_seller_settings(
    client: FlaskClient, deps: Deps, ny_org: Organisasjon, bruker: Callable[..., str]
) -> None:
    admin = aktor_for(deps, ny_org, bruker("admin", ny_org))
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json") | {"kjoper": None})
    gid = int(gjennomforinger.opprett(deps, admin, inn)["id"])
    logg_inn(client, bruker("regnskap", ny_org))
    url = f"/gjennomforinger/{gid}"
    assert len(_mangler(client.get(url).text)) > 1
    data = {"kravform": "nav_refusjonskrav", "timepris": "1150", "regelsett": "jmo-oslo-2020"}
    assert _post(client, f"{url}/fakturering", data, url).status_code == 302
    side = client.get(url).text
    assert _mangler(side) == []
    assert "som refusjonskrav i navs arrangørflate" in side


@pytest.mark.parametrize(
    ("endring", "felt", "melding"),
    [
        ({"timepriser.0.til": "31.12.2025"}, "timepriser.0.til",
         "rad 1: «til» kan ikke være før «fra»"),
        ({"timepriser.1.fra": "30.06.2026"}, "timepriser.1.fra",
         "rad 2 overlapper rad 1: en dag kan bare ha én timepris, endre datoene"),
        ({"timepriser.0.fra": "31.02.2026"}, "timepriser.0.fra",
         "ugyldig dato: skriv datoen som dd.mm.åååå, f.eks. 02.03.2026"),
        ({"timepriser.0.fra": ""}, "timepriser.0.fra",
         "mangler: skriv datoen som dd.mm.åååå, f.eks. 02.03.2026"),
        ({"timepriser.1.timepris": "mye"}, "timepriser.1.timepris",
         "må være et tall: skriv et tall, f.eks. 14,25"),
        ({"timepriser.1.timepris": "-5"}, "timepriser.1.timepris", "må være minst 0"),
        ({"kjoper.orgnr": "123"}, "kjoper.orgnr", "organisasjonsnummer"),
        ({"kjoper.navn": ""}, "kjoper.navn", "mangler: skriv kjøper"),
        ({"kravform": "brev"}, "kravform", "ukjent kravform «brev»"),
        ({"regelsett": ""}, "regelsett", "mangler: velg ett av valgene i listen"),
        ({"regelsett": "finnes-ikke"}, "regelsett", "ukjent regelsett «finnes-ikke»"),
    ],
)  # fmt: skip
def test_each_invoicing_error_is_shown_on_its_field_and_nothing_changes(
    client: FlaskClient,
    deps: Deps,
    gjennomforing: int,
    bruker: Callable[..., str],
    endring: dict[str, str],
    felt: str,
    melding: str,
) -> None:
    for_ = _rad(deps, gjennomforing)
    logg_inn(client, bruker("regnskap"))
    url = f"/gjennomforinger/{gjennomforing}"
    svar = _post(client, f"{url}/fakturering", FAKTURERING | endring, url)
    assert svar.status_code == 422
    assert "Skjemaet har" in svar.text
    feltid = "f-" + felt.replace(".", "-")
    feilmelding = svar.text.split(f'id="{feltid}-feil">', 1)[1].split("</p>", 1)[0]
    assert melding in feilmelding
    assert f'href="#{feltid}"' in svar.text  # the summary links to the field
    # The form comes back as typed.
    for navn, verdi in endring.items():
        if verdi and navn != "kravform":
            assert f'name="{navn}" value="{verdi}"' in svar.text or verdi in svar.text
    assert _rad(deps, gjennomforing) == for_


def test_the_general_form_keeps_the_invoicing_and_shows_its_own_errors(
    client: FlaskClient, deps: Deps, gjennomforing: int, bruker: Callable[..., str]
) -> None:
    logg_inn(client, bruker("admin"))
    url = f"/gjennomforinger/{gjennomforing}"
    for_ = _rad(deps, gjennomforing)
    data = {"navn": "JOB", "tiltakstype": "Oppfølging", "startdato": "01.02.2026",
            "sluttdato": "01.01.2026", "evaluering_dager": "14"}  # fmt: skip
    svar = _post(client, url, data)
    assert svar.status_code == 422
    assert "sluttdato kan ikke være før startdato" in svar.text
    assert _rad(deps, gjennomforing) == for_
    svar = _post(client, url, data | {"sluttdato": ""})
    assert svar.status_code == 302
    etter = _rad(deps, gjennomforing)
    assert etter["navn"] == "JOB"
    keep = ("timepris", "kjoper", "regelsett", "kravform", "deres_referanse")
    assert {k: etter[k] for k in keep} == {k: for_[k] for k in keep}


def test_a_veileder_and_a_leser_may_not_see_or_change_the_invoicing(
    client: FlaskClient, deps: Deps, gjennomforing: int, bruker: Callable[..., str]
) -> None:
    for_ = _rad(deps, gjennomforing)
    url = f"/gjennomforinger/{gjennomforing}"
    for rolle in ("veileder", "leser"):
        logg_inn(client, bruker(rolle))
        assert client.get(url).status_code == 403
        assert client.get("/gjennomforinger").status_code == 403
        data = FAKTURERING | {"csrf_token": token(client, "/dokumenter")}
        assert client.post(f"{url}/fakturering", data=data).status_code == 403
        assert client.get("/admin/innstillinger").status_code == 403
        meny = client.get("/dokumenter").text
        assert 'href="/gjennomforinger"' not in meny
        assert 'href="/admin/innstillinger"' not in meny
        client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    assert _rad(deps, gjennomforing) == for_


def test_regnskap_changes_neither_the_general_fields_nor_the_access_point(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    gjennomforing: int,
    bruker: Callable[..., str],
) -> None:
    for_ = _rad(deps, gjennomforing)
    with deps.sessions() as s:
        innstillinger_for = dict(s.get(Organisasjon, org.id).innstillinger)  # type: ignore[union-attr]
    logg_inn(client, bruker("regnskap"))
    url = f"/gjennomforinger/{gjennomforing}"
    side = client.get("/gjennomforinger").text
    assert "Ny gjennomføring" not in side
    assert f'href="{url}"' in side
    assert client.get("/gjennomforinger/ny").status_code == 403
    svar = _post(client, url, som_skjema(kontrakt("gjennomforing.json") | {"navn": "X"}))
    assert svar.status_code == 403
    svar = _post(client, "/admin/innstillinger", SELGER | {"transport": "katalog"})
    assert svar.status_code == 403
    svar = _post(client, "/admin/innstillinger", SELGER | {"aksesspunkt_url": "https://x.example"})
    assert svar.status_code == 403
    assert _rad(deps, gjennomforing) == for_
    with deps.sessions() as s:
        assert s.get(Organisasjon, org.id).innstillinger == innstillinger_for  # type: ignore[union-attr]


def test_a_bad_kid_is_refused_on_the_settings_page(
    client: FlaskClient, deps: Deps, ny_org: Organisasjon, bruker: Callable[..., str]
) -> None:
    logg_inn(client, bruker("regnskap", ny_org))
    svar = _post(client, "/admin/innstillinger", SELGER | {"selger.kid": "1234567891"})
    assert svar.status_code == 422
    assert "KID: KID har feil kontrollsiffer (verken MOD10 eller MOD11)" in _tekst(svar.text)
    with deps.sessions() as s:
        assert s.get(Organisasjon, ny_org.id).innstillinger in (None, {})  # type: ignore[union-attr]


def test_the_api_takes_both_shapes_and_regnskap_sets_the_invoicing(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]]
) -> None:
    admin, regnskap, veileder = auth("admin"), auth("regnskap"), auth("veileder")
    r = client.post("/api/v1/gjennomforinger", json=kontrakt("gjennomforing.json"), headers=admin)
    assert r.status_code == 201
    ny = r.get_json()
    assert (ny["kravform"], ny["timepriser"], ny["timepris"]) == ("ehf", [], "1150.00")
    url = f"/api/v1/gjennomforinger/{ny['id']}"
    fakturering = {
        "kravform": "nav_refusjonskrav",
        "regelsett": "jmo-oslo-2020",
        "timepriser": [{"fra": "2026-07-01", "timepris": "1200"},
                       {"fra": "2026-01-01", "til": "2026-06-30", "timepris": "1150"}],
    }  # fmt: skip
    assert client.put(f"{url}/fakturering", json=fakturering, headers=veileder).status_code == 403
    assert client.put(url, json=kontrakt("gjennomforing.json"), headers=regnskap).status_code == 403
    r = client.put(f"{url}/fakturering", json=fakturering, headers=regnskap)
    beskrevet = "/gjennomforinger/{gjennomforing_id}/fakturering"
    endret = as_described(client, r, beskrevet, "put")
    assert r.status_code == 200
    assert endret["navn"] == ny["navn"]
    assert endret["kjoper"] is None
    assert endret["timepriser"] == [
        {"fra": "2026-01-01", "til": "2026-06-30", "timepris": "1150.00"},
        {"fra": "2026-07-01", "til": None, "timepris": "1200.00"},
    ]
    r = client.get(f"{url}/mangler?dag=2026-10-01", headers=regnskap)
    assert as_described(client, r, "/gjennomforinger/{gjennomforing_id}/mangler", "get") == {
        "mangler": []
    }
    r = client.get(f"{url}/mangler?dag=2026-10-01", headers=auth("leser"))
    assert r.get_json()["mangler"] == []  # every role may read what a claim lacks
    tredje = {"fra": "2026-12-01", "timepris": "1"}
    feil = fakturering | {"timepriser": [*fakturering["timepriser"], tredje]}
    r = client.put(f"{url}/fakturering", json=feil, headers=regnskap)
    assert as_described(client, r, beskrevet, "put")["status"] == 422
    assert r.get_json()["errors"] == [
        {"path": "timepriser.2.fra",
         "message": "rad 3 overlapper rad 1: en dag kan bare ha én timepris, endre datoene"}
    ]  # fmt: skip
    r = client.get(f"{url}/mangler?dag=1.10.2026", headers=regnskap)
    assert r.status_code == 422
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/gjennomforinger/{gjennomforing_id}/fakturering" in spec["paths"]
    skjema = spec["components"]["schemas"]
    assert skjema["GjennomforingInn"]["properties"]["kravform"]["enum"] == [
        "ehf", "nav_refusjonskrav",
    ]  # fmt: skip
    assert set(skjema["FaktureringInn"]["properties"]) >= {"kravform", "timepriser", "kjoper"}


def test_the_command_line_sets_the_invoicing_and_says_what_is_missing(
    deps: Deps,
    gjennomforing: int,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DOKGEN_INSTANS", str(deps.settings.instans))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    fil = tmp_path / "fakturering.json"
    fil.write_text(
        '{"kravform": "ehf", "regelsett": "jmo-oslo-2020",'
        ' "timepriser": [{"fra": "2027-01-01", "timepris": "1300.00"}]}',
        encoding="utf-8",
    )
    with deps.sessions() as s:
        orgnr = s.scalars(select(Organisasjon.orgnr)).first()
    assert main(["gjennomforing", "fakturering", "--org", str(orgnr), str(gjennomforing),
                 str(fil)]) == 0  # fmt: skip
    ut = capsys.readouterr().out
    assert "Fakturering og krav for «Jobbmestrende oppfølging Oslo 2026» er lagret." in ut
    # No kjoper in the file: an EHF invoice lacks its buyer.
    assert "Mangler: Kjøper: fyll inn kjøperens navn og organisasjonsnummer" in ut
    assert _rad(deps, gjennomforing)["timepriser"] == [
        {"fra": "2027-01-01", "til": None, "timepris": "1300.00"}
    ]
