"""The placement's page through Flask's test client: the deltaker, place and arbeidsgiver with
the status in words and the next step; the status changed with dd.mm.åååå dates, refused
until the oppstartsmøte is recorded; the meeting's and an absence's errors on their fields
(422, nothing stored); an absence without a valid reason marked "NAV er varslet" on the
deltaker's page, and deleted after a confirmation; the links that start its documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import praksisplasser
from dokgen.storage.db import Oppstartsmote, Organisasjon, Plasseringsfravaer
from tests.dokgen.register import aktor_for
from tests.dokgen.services.praksis_hjelp import arbeidsgiver, deltaker, plass
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

IDAG = datetime(2026, 10, 23, 10, tzinfo=UTC)


@pytest.fixture
def oppsett(
    deps: Deps, org: Organisasjon, bruker: Callable[..., str], gjennomforing_id: int
) -> dict[str, Any]:
    """Kari placed in an arbeidstrening at Gjesdal Bakeri on 1 September (status «Ny»)."""
    deps.clock = lambda: IDAG
    veileder = bruker("veileder")
    a = aktor_for(deps, org, veileder)
    ag = arbeidsgiver(deps, a)
    p = plass(deps, a, ag["id"])
    kari = deltaker(deps, aktor_for(deps, org, bruker("admin")), gjennomforing_id)
    data = {"praksisplass_id": p["id"], "deltaker_id": kari, "dato": "2026-09-01"}
    pid = praksisplasser.opprett_plassering(deps, a, les(PlasseringInn, data))["id"]
    return {"veileder": veileder, "pid": pid, "kari": kari, "ag": ag["id"]}


def test_the_page_shows_the_placement_in_words_with_links(
    client: FlaskClient, oppsett: dict[str, Any]
) -> None:
    logg_inn(client, oppsett["veileder"])
    tekst = client.get(f"/praksis/plasseringer/{oppsett['pid']}").text
    assert f'<a href="/deltakere/{oppsett["kari"]}">Kari Nordmann' in tekst
    assert f'<a href="/praksis/arbeidsgivere/{oppsett["ag"]}">Gjesdal Bakeri AS</a>' in tekst
    assert "<dd>Arbeidstrening, Butikk</dd>" in tekst
    assert "<dd><strong>Ny</strong></dd>" in tekst
    assert "Avtal oppstartsmøtet med arbeidsgiver og deltaker" in tekst
    assert "Oppstartsmøtet er ikke registrert." in tekst
    assert "Ingen fravær registrert." in tekst
    assert "En arbeidstreningplass skal ha et definert yrkesmål" in tekst
    # The names the register knows fill who met: the user, the deltaker, the contact person.
    assert 'name="navn_leder" value="Eva Leder"' in tekst
    assert 'name="navn_deltaker" value="Kari Nordmann"' in tekst
    for type_navn, ord_ in (
        ("tilretteleggingsgaranti", "Lag tilretteleggingsgaranti"),
        ("oppfolgingsplan", "Lag oppfølgingsplan"),
        ("arbeidspraksisavtale", "Lag arbeidspraksisavtale"),
    ):
        href = f"/dokumenter/ny/{type_navn}?plassering={oppsett['pid']}"
        assert f'href="{href}">{ord_}</a>' in tekst
    for kode in ("statusmote_avtalt", "arbeidstrening", "uten_gyldig_grunn"):
        assert f">{kode}<" not in tekst  # codes only as form values, never shown


def test_start_needs_the_meeting_and_each_forms_errors_are_shown_on_it(
    client: FlaskClient, deps: Deps, oppsett: dict[str, Any]
) -> None:
    logg_inn(client, oppsett["veileder"])
    side = f"/praksis/plasseringer/{oppsett['pid']}"
    csrf = token(client, side)
    r = client.post(f"{side}/status", data={"csrf_token": csrf, "status": "startet",
                                            "dato": "5. okt"})  # fmt: skip
    assert r.status_code == 422
    assert "Skriv datoen som dd.mm.åååå, f.eks. 01.10.2026" in r.text
    r = client.post(f"{side}/status", data={"csrf_token": csrf, "status": "startet",
                                            "dato": "05.10.2026"})  # fmt: skip
    assert r.status_code == 422
    assert "oppstartsmøtet skal holdes før start: registrer først oppstartsmøtet" in r.text
    assert 'value="05.10.2026"' in r.text  # what was typed stays

    mote = {"csrf_token": csrf, "dato": "02.10.2026", "navn_veileder": "Vera Veileder",
            "navn_leder": "", "navn_deltaker": "Kari Nordmann",
            "malsetting": "Komme i jobb", "yrkesmal": ""}  # fmt: skip
    r = client.post(f"{side}/oppstartsmote", data=mote)
    assert r.status_code == 422
    assert "legg til leder hos arbeidsgiver blant dem som møtte" in r.text
    assert "skriv yrkesmålet" in r.text
    assert 'href="#m-deltakere"' in r.text
    assert antall(deps, Oppstartsmote) == 0
    r = client.post(
        f"{side}/oppstartsmote", data=mote | {"navn_leder": "Eva Leder", "yrkesmal": "Baker"}
    )
    assert r.status_code == 302
    tekst = client.get(side).text
    assert "Oppstartsmøtet 02.10.2026 er lagret." in tekst
    assert "Eva Leder (leder hos arbeidsgiver)" in tekst

    r = client.post(f"{side}/status", data={"csrf_token": csrf, "status": "startet",
                                            "dato": "05.10.2026"})  # fmt: skip
    assert r.status_code == 302
    tekst = client.get(side).text
    assert "Statusen er endret til «Startet»." in tekst
    assert "<dd><strong>Startet</strong></dd>" in tekst


def test_an_absence_is_registered_notified_and_deleted_after_a_confirmation(
    client: FlaskClient, deps: Deps, oppsett: dict[str, Any]
) -> None:
    logg_inn(client, oppsett["veileder"])
    side = f"/praksis/plasseringer/{oppsett['pid']}"
    csrf = token(client, side)
    client.post(f"{side}/oppstartsmote", data={
        "csrf_token": csrf, "dato": "02.10.2026", "navn_veileder": "Vera",
        "navn_leder": "Eva", "navn_deltaker": "Kari", "malsetting": "Jobb", "yrkesmal": "Baker",
    })  # fmt: skip
    client.post(f"{side}/status", data={"csrf_token": csrf, "status": "startet",
                                        "dato": "05.10.2026"})  # fmt: skip
    fravaer = {"csrf_token": csrf, "fra_dato": "20.10.2026", "til_dato": "", "minutter": "",
               "arsak": "uten_gyldig_grunn", "meldt_av": "Eva Leder", "meldt_via": "epost",
               "meldt_dato": ""}  # fmt: skip
    r = client.post(f"{side}/fravaer", data=fravaer | {"fra_dato": "01.10.2026"})
    assert r.status_code == 422
    assert "kan ikke være før oppstarten (05.10.2026)" in r.text
    assert antall(deps, Plasseringsfravaer) == 0
    r = client.post(f"{side}/fravaer", data=fravaer)
    assert r.status_code == 302
    tekst = client.get(side).text
    assert "Det er uten gyldig grunn: varsle NAV samme dag." in tekst
    assert '<td>Uten gyldig grunn <span class="liten">(varsle NAV samme dag)</span></td>' in tekst

    deltakerside = f"/deltakere/{oppsett['kari']}"
    assert "NAV er varslet<span" in client.get(deltakerside).text
    r = client.post(f"{deltakerside}/varslet",
                    data={"csrf_token": csrf, "nokkel": "varsle_nav:2026-10-20"})  # fmt: skip
    assert r.status_code == 302
    assert "NAV er varslet<span" not in client.get(deltakerside).text

    with deps.sessions() as s:
        fid = s.query(Plasseringsfravaer.id).scalar()
    bekreft = client.get(f"{side}/fravaer/{fid}/slett")
    assert "<h1>Slette fraværet 20.10.2026?</h1>" in bekreft.text
    assert "Fristen «Varsle NAV samme dag» for disse dagene forsvinner også." in bekreft.text
    assert antall(deps, Plasseringsfravaer) == 1  # asking deletes nothing
    r = client.post(f"{side}/fravaer/{fid}/slett", data={"csrf_token": csrf})
    assert r.status_code == 302
    assert "Fraværet er slettet." in client.get(side).text
    assert antall(deps, Plasseringsfravaer) == 0


def test_a_leser_sees_the_page_without_forms_and_another_organisation_gets_404(
    client: FlaskClient, deps: Deps, oppsett: dict[str, Any], org: Organisasjon,
    annen_org: Organisasjon, bruker: Callable[..., str],
) -> None:  # fmt: skip
    side = f"/praksis/plasseringer/{oppsett['pid']}"
    logg_inn(client, bruker("leser"))
    tekst = client.get(side).text
    assert "Kari Nordmann" in tekst
    assert "<form" not in tekst.split("<main", 1)[1].split("</main>", 1)[0]
    client.get("/logg-ut")
    annen = bruker("veileder", annen_org)
    klient = client.application.test_client()
    logg_inn(klient, annen)
    assert klient.get(side).status_code == 404
