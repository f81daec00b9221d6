"""The praksisplass pages through Flask's test client: the free places by kind and
arbeidsgiver with their filters, the placements by status with the next step, the
arbeidsgivere and an arbeidsgiver's page, the forms (rows in the database, errors in bokmål
with nothing written, a repost that stores nothing twice), rights and other organisations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.oppfolging.praksismodeller import ArbeidsgiverInn, PlasseringInn
from dokgen.services import deltakere, gjennomforinger
from dokgen.services import praksisplasser as pp
from dokgen.storage.db import Arbeidsgiver, Organisasjon, Plassering, Praksisplass
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for, kontrakt
from tests.dokgen.services.praksis_hjelp import (
    ARBEIDSGIVER,
    BEKREFTET,
    MOTE,
    arbeidsgiver,
    hold_mote,
    plass,
)
from tests.dokgen.services.praksis_hjelp import status as statusendring
from tests.dokgen.web.sider_hjelp import antall, logg_inn, som_skjema, token

pytestmark = pytest.mark.integration

DAG = datetime(2026, 10, 1, 10, tzinfo=UTC)
KOMMUNEN = {
    "orgnr": "998877679",
    "navn": "Ålgård kommune",
    "adresse": {"gate": "Rådhusgata 3", "postnummer": "4330", "poststed": "Ålgård"},
    "kontaktpersoner": [],
}


@dataclass
class Praksis:
    """Bakeriet (an arbeidstrening in Butikk for one, an aktivitetsplass in Bakeri for two)
    and the kommune (a kommunal tiltaksplass for one); Kari confirmed in Butikk (followed by
    the veileder), Jon «Ny» in Bakeri and ended early at the kommune."""

    bakeri: int
    kommune: int
    butikk: int
    bakeriet: int
    tiltaksplass: int
    kari: int
    jon_ny: int
    jon_avsluttet: int
    veileder: str
    leser: str


def _deltaker(deps: Deps, admin: Any, gid: int, fnr: str, **navn: Any) -> int:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid, "nr": None, "fodselsnummer": fnr}
    return int(
        deltakere.opprett(deps, admin, les(DeltakerInn, data | navn, tillat_syntetiske=True))["id"]
    )


def _plasser(deps: Deps, v: Any, plass_id: int, deltaker_id: int, *steg: dict[str, Any]) -> int:
    inn = les(
        PlasseringInn,
        {
            "praksisplass_id": plass_id, "deltaker_id": deltaker_id, "dato": "2026-08-20",
            "startdato": "2026-09-01", "planlagt_sluttdato": "2026-12-31",
        },
    )  # fmt: skip
    pid = int(pp.opprett_plassering(deps, v, inn)["id"])
    for s in steg:
        if s["status"] == "startet":  # the oppstartsmøte is held before a start
            hold_mote(deps, v, pid)
        pp.endre_status(deps, v, pid, statusendring(**s))
    return pid


def lag_praksis(deps: Deps, org: Organisasjon, navn: dict[str, str]) -> Praksis:
    """Build :class:`Praksis` in ``org`` with its users ``navn`` (veileder, leser, admin) on
    :data:`DAG`."""
    deps.clock = lambda: DAG
    v, admin = aktor_for(deps, org, navn["veileder"]), aktor_for(deps, org, navn["admin"])
    gid = int(
        gjennomforinger.opprett(deps, admin, les(GjennomforingInn, kontrakt("gjennomforing.json")))[
            "id"
        ]
    )
    bakeri = arbeidsgiver(deps, v)["id"]
    kommune = pp.opprett_arbeidsgiver(deps, v, les(ArbeidsgiverInn, KOMMUNEN))["id"]
    butikk = plass(deps, v, bakeri)["id"]
    bakeriet = plass(
        deps, v, bakeri, avdeling="Bakeri", art="aktivitetsplass", kapasitet=2,
        arbeidsoppgaver="Bake brød og kaker, vaske utstyr, pakke bestillinger til kunder "
        "i distriktet og rydde lageret etter levering",
    )["id"]  # fmt: skip
    tiltak = plass(deps, v, kommune, avdeling=None, art="kommunal_tiltaksplass")["id"]
    veiledet = [{"brukernavn": navn["veileder"], "type": "veileder"}]
    kari = _deltaker(deps, admin, gid, FNR_KARI, veiledere_arrangor=veiledet)
    jon = _deltaker(
        deps, admin, gid, FNR_JON, fornavn="Jon", etternavn="Berg", veiledere_arrangor=[]
    )
    slutt = {
        "status": "avsluttet", "dato": "2026-09-20", "sluttdato": "2026-09-18",
        "sluttarsak": "Fikk jobb",
    }  # fmt: skip
    return Praksis(
        bakeri, kommune, butikk, bakeriet, tiltak,
        kari=_plasser(deps, v, butikk, kari, MOTE, BEKREFTET),
        jon_ny=_plasser(deps, v, bakeriet, jon),
        jon_avsluttet=_plasser(
            deps, v, tiltak, jon, MOTE, {"status": "startet", "dato": "2026-09-01"}, slutt
        ),
        veileder=navn["veileder"], leser=navn["leser"],
    )  # fmt: skip


@pytest.fixture
def praksis(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> Praksis:
    return lag_praksis(
        deps, org, {rolle: bruker(rolle) for rolle in ("veileder", "leser", "admin")}
    )


def _tekst(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rader(html: str, tabell: str) -> list[str]:
    """Return the body rows' text of the table whose caption starts with ``tabell``."""
    start = html.index(f'<caption class="visuelt-skjult">{tabell}')
    body = html[start : html.index("</table>", start)]
    return [_tekst(r) for r in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)]


def test_the_free_places_page_shows_each_kind_and_each_place(
    client: FlaskClient, praksis: Praksis
) -> None:
    logg_inn(client, praksis.leser)
    side = client.get("/praksis")
    assert side.status_code == 200
    assert '<a href="/praksis" aria-current="page">Praksisplasser</a>' in side.text
    assert "skal ha et definert yrkesmål" in side.text  # the routine's definitions
    assert _rader(side.text, "Aktive praksisplasser etter type") == [
        "Aktivitetsplass : vis de ledige 1 2 0 2",
        "Arbeidstrening : vis de ledige 1 1 1 0",
        "Språkpraksis : vis de ledige 0 0 0 0",
        "Kommunal tiltaksplass : vis de ledige 1 1 0 1",
    ]
    assert _rader(side.text, "Praksisplasser, sortert") == [
        "Gjesdal Bakeri AS Butikk Arbeidstrening Betjene kunder, fylle varer 1 1 0",
        "Gjesdal Bakeri AS Bakeri Aktivitetsplass Bake brød og kaker, vaske utstyr, pakke "
        "bestillinger til kunder i distriktet og… 2 0 2",
        "Ålgård kommune — Kommunal tiltaksplass Betjene kunder, fylle varer 1 0 1",
    ]
    assert "Ny praksisplass" not in side.text  # a leser may not write


def test_the_free_places_filter_and_sort(client: FlaskClient, praksis: Praksis) -> None:
    logg_inn(client, praksis.veileder)

    def steder(url: str) -> list[str]:
        side = client.get(url)
        assert side.status_code == 200
        return [
            r.split(" 1 ")[0].split(" 2 ")[0] for r in _rader(side.text, "Praksisplasser, sortert")
        ]

    assert len(steder("/praksis?ledig=ja")) == 2
    assert "Butikk" not in " ".join(steder("/praksis?ledig=ja"))
    assert steder("/praksis?art=arbeidstrening") == [
        "Gjesdal Bakeri AS Butikk Arbeidstrening Betjene kunder, fylle varer"
    ]
    assert [s[:14] for s in steder(f"/praksis?arbeidsgiver={praksis.kommune}")] == [
        "Ålgård kommune"
    ]
    synkende = steder("/praksis?sorter=ledige&retning=synkende")
    assert [r[:24] for r in synkende] == [
        "Gjesdal Bakeri AS Bakeri",
        "Ålgård kommune — Kommuna",
        "Gjesdal Bakeri AS Butikk",
    ]
    side = client.get("/praksis?ledig=ja")
    assert f'href="/praksis/plasseringer/ny?plass={praksis.bakeriet}"' in side.text
    assert f"plass={praksis.butikk}" not in side.text  # full: no one more to place


def test_a_search_that_cannot_be_used_reads_nothing(
    client: FlaskClient, praksis: Praksis, monkeypatch: pytest.MonkeyPatch
) -> None:
    logg_inn(client, praksis.leser)

    def les_ikke(*_: Any, **__: Any) -> Any:
        raise AssertionError("an unusable search must read nothing")

    for navn in ("plasser", "plasseringsoversikt"):
        monkeypatch.setattr(pp, navn, les_ikke)
    side = client.get("/praksis?art=kontor&arbeidsgiver=x")
    assert side.status_code == 422
    tekst = _tekst(side.text)
    assert "Søket kan ikke brukes" in tekst
    assert "ukjent type praksisplass: velg en av typene i listen" in tekst
    assert "velg en av arbeidsgiverne i listen" in tekst
    assert "Treff" not in tekst
    side = client.get("/praksis/plasseringer?status=ferdig")
    assert side.status_code == 422
    assert "ukjent status: velg en av statusene i listen" in side.text
    side = client.get("/praksis/arbeidsgivere?sok=" + "x" * 101)
    assert side.status_code == 422
    assert "for langt søk (maks 100 tegn)" in side.text


def test_the_placements_by_status_with_counts_and_the_next_step(
    client: FlaskClient, praksis: Praksis
) -> None:
    logg_inn(client, praksis.veileder)
    side = client.get("/praksis/plasseringer")
    assert side.status_code == 200
    assert _rader(side.text, "Antall plasseringer i hver status") == [
        "Ny 1 Avtal oppstartsmøtet med arbeidsgiver og deltaker",
        "Statusmøte avtalt 0 Få bekreftet oppstarten fra deltaker og arbeidsgiver",
        "Bekreftet 1 Registrer at deltakeren har startet",
        "Startet 0 Avslutt med sluttdato når praksisen er over",
        "Avsluttet 1 —",
    ]
    assert _rader(side.text, "Plasseringer med status Ny") == [
        "Jon Berg , plassering hos Gjesdal Bakeri AS, Bakeri (D-0002) Gjesdal Bakeri AS, Bakeri "
        "(Aktivitetsplass) Ny 01.09.2026 31.12.2026"
    ]
    assert _rader(side.text, "Plasseringer med status Avsluttet") == [
        "Jon Berg , plassering hos Ålgård kommune (D-0002) Ålgård kommune "
        "(Kommunal tiltaksplass) Avsluttet 01.09.2026 31.12.2026 18.09.2026 Fikk jobb"
    ]
    for pid in (praksis.kari, praksis.jon_ny, praksis.jon_avsluttet):
        assert f'href="/praksis/plasseringer/{pid}"' in side.text
    assert "Ingen plasseringer med denne statusen." in side.text

    mine = client.get("/praksis/plasseringer?veileder=mine")
    assert "Jon Berg" not in mine.text
    assert _rader(mine.text, "Plasseringer med status Bekreftet")[0].startswith("Kari Nordmann")
    avsluttet = _tekst(client.get("/praksis/plasseringer?status=avsluttet").text)
    assert "Avsluttet (1)" in avsluttet
    assert "Bekreftet (1)" not in avsluttet  # only the chosen status's list


def test_the_arbeidsgivere_and_an_arbeidsgivers_page(client: FlaskClient, praksis: Praksis) -> None:
    logg_inn(client, praksis.leser)
    liste = client.get("/praksis/arbeidsgivere")
    assert _rader(liste.text, "Arbeidsgivere etter navn") == [
        "Gjesdal Bakeri AS 974760673 Ålgård 2 2",
        "Ålgård kommune 998877679 Ålgård 1 1",
    ]
    sok = client.get("/praksis/arbeidsgivere?sok=BAKERI")
    assert [r[:17] for r in _rader(sok.text, "Arbeidsgivere etter navn")] == ["Gjesdal Bakeri AS"]
    sok = client.get("/praksis/arbeidsgivere?sok=998877679")
    assert [r[:14] for r in _rader(sok.text, "Arbeidsgivere etter navn")] == ["Ålgård kommune"]
    assert "Ingen arbeidsgivere passer" in client.get("/praksis/arbeidsgivere?sok=zzz").text

    side = client.get(f"/praksis/arbeidsgivere/{praksis.bakeri}")
    tekst = _tekst(side.text)
    assert "Organisasjonsnummer 974760673" in tekst
    assert "Ålgårdsvegen 1, 4330 Ålgård" in tekst
    assert "Eva Leder (leder), telefon 51000000, eva@bakeri.example" in tekst
    plasser = _rader(side.text, "Praksisplassene")
    assert [r.split(" Betjene")[0].split(" Bake ")[0] for r in plasser] == [
        "Butikk Arbeidstrening",
        "Bakeri Aktivitetsplass",
    ]
    assert [r[-5:] for r in _rader(side.text, "Praksisplassene")] == ["1 1 0", "2 0 2"]
    assert [r.split(" ,")[0] for r in _rader(side.text, "Nåværende plasseringer")] == [
        "Jon Berg", "Kari Nordmann",
    ]  # fmt: skip
    assert "Ingen avsluttede plasseringer." in tekst
    kommune = client.get(f"/praksis/arbeidsgivere/{praksis.kommune}")
    assert _rader(kommune.text, "Avsluttede plasseringer")[0].endswith("18.09.2026 Fikk jobb")
    assert "Ingen deltakere er plassert her nå." in kommune.text


def _post(client: FlaskClient, url: str, data: Any) -> Any:
    form = som_skjema(data) if isinstance(data, dict) else data
    form["csrf_token"] = token(client, url)
    return client.post(url, data=form)


def test_a_new_arbeidsgiver_is_stored_with_its_contact_persons(
    client: FlaskClient, deps: Deps, praksis: Praksis
) -> None:
    logg_inn(client, praksis.veileder)
    url = "/praksis/arbeidsgivere/ny"
    ny = ARBEIDSGIVER | {"orgnr": "889640782", "navn": "Sandnes Sykehjem"}
    ny["kontaktpersoner"] = [*ny["kontaktpersoner"], {"navn": "Ola Vakt", "rolle": "vaktleder"}]
    form = som_skjema(ny)
    form["skjema"] = "skjema-1"
    svar = _post(client, url, form)
    assert svar.status_code == 303
    with deps.sessions() as s:
        rad = s.scalar(select(Arbeidsgiver).where(Arbeidsgiver.orgnr == "889640782"))
        assert rad is not None
        assert (rad.navn, [k["navn"] for k in rad.kontaktpersoner]) == (
            "Sandnes Sykehjem", ["Eva Leder", "Ola Vakt"],
        )  # fmt: skip
    assert svar.headers["Location"] == f"/praksis/arbeidsgivere/{rad.id}"
    assert (
        "Arbeidsgiveren «Sandnes Sykehjem» er registrert."
        in client.get(svar.headers["Location"]).text
    )
    # The same form posted again (a reload, a second click) stores nothing more.
    igjen = _post(client, url, form)
    assert igjen.status_code == 303
    assert antall(deps, Arbeidsgiver) == 3


def test_the_arbeidsgiver_form_shows_errors_in_bokmal_and_writes_nothing(
    client: FlaskClient, deps: Deps, praksis: Praksis
) -> None:
    logg_inn(client, praksis.veileder)
    feil = _post(client, "/praksis/arbeidsgivere/ny", {"orgnr": "123456789", "navn": ""})
    assert feil.status_code == 422
    tekst = _tekst(feil.text)
    assert "Skjemaet har 2 feil" in tekst
    assert "Organisasjonsnummer:" in tekst
    assert "kontrollsiffer" in tekst
    assert "Navn: mangler: skriv navn" in tekst
    assert 'value="123456789"' in feil.text  # what was typed is kept
    dobbel = _post(client, "/praksis/arbeidsgivere/ny", ARBEIDSGIVER)
    assert "allerede registrert på «Gjesdal Bakeri AS»" in dobbel.text
    assert antall(deps, Arbeidsgiver) == 2
    # "Legg til rad" in the contact persons: the form again with one row more.
    form = som_skjema(ARBEIDSGIVER)
    form["_add_row"] = "kontaktpersoner"
    rad = _post(client, f"/praksis/arbeidsgivere/{praksis.bakeri}/endre", form)
    assert rad.status_code == 200
    assert 'name="kontaktpersoner.1.navn"' in rad.text
    endret = _post(
        client,
        f"/praksis/arbeidsgivere/{praksis.bakeri}/endre",
        ARBEIDSGIVER | {"navn": "Bakst AS"},
    )
    assert endret.status_code == 303
    with deps.sessions() as s:
        assert s.get(Arbeidsgiver, praksis.bakeri).navn == "Bakst AS"  # type: ignore[union-attr]


def test_a_new_and_a_changed_praksisplass(
    client: FlaskClient, deps: Deps, praksis: Praksis
) -> None:
    logg_inn(client, praksis.veileder)
    skjema = client.get(f"/praksis/plasser/ny?arbeidsgiver={praksis.kommune}")
    assert 'type="radio" id="f-art-sprakpraksis"' in skjema.text
    assert "avtales med leder voksenopplæringen" in skjema.text  # the definition as a hint
    assert f'<option value="{praksis.kommune}" selected>Ålgård kommune</option>' in skjema.text
    data = {
        "arbeidsgiver_id": praksis.kommune, "avdeling": "Biblioteket", "art": "sprakpraksis",
        "arbeidsoppgaver": "Rydde bøker", "kapasitet": "3", "aktiv": True,
    }  # fmt: skip
    svar = _post(client, "/praksis/plasser/ny", data)
    assert svar.status_code == 303
    with deps.sessions() as s:
        rad = s.scalar(select(Praksisplass).where(Praksisplass.avdeling == "Biblioteket"))
        assert rad is not None
        assert (rad.art, rad.kapasitet, rad.aktiv, rad.arbeidsgiver_id) == (
            "sprakpraksis", 3, True, praksis.kommune,
        )  # fmt: skip

    # Capacity below the placements holding a place, and no kind: errors, nothing changed.
    url = f"/praksis/plasser/{praksis.butikk}/endre"
    feil = _post(client, url, {"arbeidsgiver_id": praksis.bakeri, "kapasitet": "0"})
    assert feil.status_code == 422
    assert "Type praksisplass: mangler: velg ett av valgene i listen" in _tekst(feil.text)
    feil = _post(
        client, url, {"arbeidsgiver_id": praksis.bakeri, "art": "arbeidstrening", "kapasitet": "0"}
    )
    assert "kapasiteten kan ikke være lavere enn 1" in feil.text
    endret = _post(
        client, url, {"arbeidsgiver_id": praksis.bakeri, "art": "arbeidstrening", "kapasitet": "2"}
    )
    assert endret.status_code == 303
    with deps.sessions() as s:
        plassen = s.get(Praksisplass, praksis.butikk)
        assert plassen is not None
        assert (plassen.kapasitet, plassen.aktiv, plassen.avdeling) == (2, False, None)


def test_a_new_placement_from_the_form(client: FlaskClient, deps: Deps, praksis: Praksis) -> None:
    logg_inn(client, praksis.veileder)
    skjema = client.get(f"/praksis/plasseringer/ny?plass={praksis.tiltaksplass}")
    assert "Nordmann, Kari (D-0001)" in skjema.text
    assert "Berg, Jon (D-0002)" in skjema.text
    assert "Gjesdal Bakeri AS, Butikk – Arbeidstrening (0 ledige nå)" in skjema.text
    assert (
        f'<option value="{praksis.tiltaksplass}" selected>Ålgård kommune – Kommunal '
        "tiltaksplass (1 ledig nå)</option>"
    ) in skjema.text
    data = {"praksisplass_id": praksis.tiltaksplass, "startdato": "2.11.2026"}
    feil = _post(client, "/praksis/plasseringer/ny", data | {"planlagt_sluttdato": "01.10.2026"})
    assert feil.status_code == 422
    tekst = _tekst(feil.text)
    assert "Deltaker: mangler: velg ett av valgene i listen" in tekst
    assert antall(deps, Plassering) == 3
    feil = _post(client, "/praksis/plasseringer/ny", data | {"deltaker_id": praksis.kari,
                 "planlagt_sluttdato": "01.10.2026"})  # fmt: skip
    assert "Planlagt sluttdato: sluttdatoen kan ikke være før oppstart" in _tekst(feil.text)
    assert 'value="01.10.2026"' in feil.text
    assert antall(deps, Plassering) == 3

    form = som_skjema(data | {"deltaker_id": praksis.kari, "planlagt_sluttdato": "31.01.2027"})
    form["skjema"] = "plassering-1"
    svar = _post(client, "/praksis/plasseringer/ny", form)
    assert svar.status_code == 303
    with deps.sessions() as s:
        rad = s.scalar(select(Plassering).order_by(Plassering.id.desc()))
        assert rad is not None
        assert (rad.deltaker_id, rad.praksisplass_id, rad.status) == (
            praksis.kari, praksis.tiltaksplass, "ny",
        )  # fmt: skip
        assert (rad.startdato.isoformat(), rad.planlagt_sluttdato.isoformat()) == (  # type: ignore[union-attr]
            "2026-11-02", "2027-01-31",
        )  # fmt: skip
    assert svar.headers["Location"] == f"/praksis/plasseringer/{rad.id}"
    assert _post(client, "/praksis/plasseringer/ny", form).status_code == 303
    assert antall(deps, Plassering) == 4


def test_rights_and_other_organisations(
    client: FlaskClient, deps: Deps, praksis: Praksis, annen_org: Organisasjon,
    bruker: Callable[..., str],
) -> None:  # fmt: skip
    logg_inn(client, praksis.leser)
    for url in ("/praksis/arbeidsgivere/ny", "/praksis/plasser/ny", "/praksis/plasseringer/ny",
                f"/praksis/plasser/{praksis.butikk}/endre"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert 'href="/praksis"' in client.get("/praksis/plasseringer").text  # the menu entry
    annen = aktor_for(deps, annen_org, bruker("veileder", annen_org))
    fremmed = arbeidsgiver(deps, annen)["id"]
    fremmed_plass = plass(deps, annen, fremmed)["id"]
    logg_inn(client, praksis.veileder)
    for url in (f"/praksis/arbeidsgivere/{fremmed}", f"/praksis/arbeidsgivere/{fremmed}/endre",
                f"/praksis/plasser/{fremmed_plass}/endre"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    svar = _post(client, "/praksis/plasseringer/ny",
                 {"praksisplass_id": fremmed_plass, "deltaker_id": praksis.kari})  # fmt: skip
    assert "Praksisplass: finnes ikke: velg en av praksisplassene" in _tekst(svar.text)
    assert (
        "Gjesdal Bakeri AS" not in _tekst(client.get("/praksis").text).split("Ålgård kommune")[-1]
    )
