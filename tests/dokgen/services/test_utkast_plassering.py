"""Documents started from a placement: the prefill of the arbeidspraksisavtale, the
tilretteleggingsgaranti and the oppfølgingsplan from the placement (arbeidsgiver, place,
dates, the oppstartsmøte), the document stored with its placement and listed for it, and
other organisations' placements not found."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.errors import AccessDeniedError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import deltakere, dokumenter, praksisplasser
from dokgen.services.utkast import fyll_fra_eksempel, mangler, utkast_for_plassering
from dokgen.storage.db import (
    Deltaker,
    Dokument,
    Oppstartsmote,
    Organisasjon,
    Plassering,
    Revisjon,
)
from tests.dokgen.register import aktor_for
from tests.dokgen.services.praksis_hjelp import arbeidsgiver, deltaker, plass
from tests.dokgen.services.test_utkast import (
    FNR_KARI,
    IDAG,
    VEILEDERE,
    deltaker_inn,
    kontakt,
    tiltak,
)

ARBEIDSGIVER = {
    "navn": "Gjesdal Bakeri AS",
    "orgnr": "974760673",
    "adresse": "Ålgårdsvegen 1, 4330 Ålgård",
    "kontaktperson": {"navn": "Eva Leder", "telefon": "51000000", "epost": "eva@bakeri.example"},
}
PLASSEN = {
    "art": "arbeidstrening",
    "avdeling": "Butikk",
    "arbeidsoppgaver": "Betjene kunder, fylle varer",
}
MALSETTING = "Møte stabilt fire dager i uken og lære kassen"
TILRETTELEGGING = "Korte dager de to første ukene"
DELTAKER = {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI}


def _plassering(deps: Deps, aktor: Aktor, deltaker_id: int, **plass_endringer: Any) -> int:
    ag = next(iter(praksisplasser.arbeidsgivere(deps, aktor)), None) or arbeidsgiver(deps, aktor)
    p = plass(deps, aktor, ag["id"], **plass_endringer)
    inn = les(
        PlasseringInn,
        {
            "praksisplass_id": p["id"],
            "deltaker_id": deltaker_id,
            "dato": "2026-08-20",
            "startdato": "2026-08-31",
            "planlagt_sluttdato": "2026-12-18",
        },
    )
    return int(praksisplasser.opprett_plassering(deps, aktor, inn)["id"])


def _oppstartsmote(deps: Deps, plassering_id: int, yrkesmal: str | None) -> None:
    with deps.sessions.begin() as s:
        s.add(
            Oppstartsmote(
                plassering_id=plassering_id,
                dato=dt.date(2026, 8, 28),
                deltakere=[{"rolle": "veileder", "navn": "Test Veileder"}],
                malsetting=MALSETTING,
                yrkesmal=yrkesmal,
                tilretteleggingsbehov=TILRETTELEGGING,
                registrert_av="Test Veileder",
            )
        )


@pytest.fixture
def veiledere(deps: Deps, bruker: Callable[..., str]) -> tuple[str, str]:
    """Return (veileder, medveileder), as in the deltaker's prefill's tests."""
    ase, per = bruker("veileder"), bruker("veileder")
    kontakt(deps, ase, "40000001", "ase@eksempel.no")
    kontakt(deps, per, "40000002", None)
    return ase, per


@pytest.fixture
def veileder(deps: Deps, org: Organisasjon, veiledere: tuple[str, str]) -> Aktor:
    deps.clock = lambda: IDAG
    return aktor_for(deps, org, veiledere[0])


@pytest.fixture
def kari(deps: Deps, admin: Aktor, gjennomforing_id: int, veiledere: tuple[str, str]) -> int:
    return int(deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id, veiledere))["id"])


@pytest.fixture
def plassering(deps: Deps, veileder: Aktor, kari: int) -> int:
    pid = _plassering(deps, veileder, kari)
    _oppstartsmote(deps, pid, "Butikkmedarbeider")
    return pid


def test_the_arbeidspraksisavtale_is_prefilled_from_the_placement(
    deps: Deps,
    org: Organisasjon,
    veileder: Aktor,
    plassering: int,
) -> None:
    data = utkast_for_plassering(deps, veileder, plassering, "arbeidspraksisavtale")
    assert data == {
        "type": "arbeidspraksisavtale",
        "tiltak": tiltak(org),
        "deltaker": DELTAKER,
        "veileder_arrangor": VEILEDERE[0],
        "arbeidsgiver": ARBEIDSGIVER,
        "arbeidsoppgaver": "Betjene kunder, fylle varer",
        "varighet": {"fra": "2026-08-31", "til": "2026-12-18"},
        "formal": MALSETTING,
        "tilrettelegging": TILRETTELEGGING,
    }
    apne = mangler("arbeidspraksisavtale", data)
    assert "opplaering" in apne
    assert "arbeidsgiver.navn" not in apne
    parse_dokument(fyll_fra_eksempel("arbeidspraksisavtale", data), tillat_syntetiske=True)


def test_the_tilretteleggingsgaranti_is_prefilled_from_the_placement(
    deps: Deps,
    org: Organisasjon,
    veileder: Aktor,
    plassering: int,
) -> None:
    data = utkast_for_plassering(deps, veileder, plassering, "tilretteleggingsgaranti")
    assert data == {
        "type": "tilretteleggingsgaranti",
        "tiltak": tiltak(org),
        "deltaker": DELTAKER,
        "veileder": VEILEDERE[0],
        "ved_fravaer": "Arbeidsgiver sender en e-post til veilederen (ase@eksempel.no) samme "
        "dag når deltakeren ikke har møtt.",
        "arbeidsgiver": ARBEIDSGIVER,
        "praksisplass": PLASSEN,
        "oppstart": "2026-08-31",
        "planlagt_sluttdato": "2026-12-18",
        "tilrettelegging": TILRETTELEGGING,
    }
    assert mangler("tilretteleggingsgaranti", data) == ["oppfolging", "sted", "dato"]


def test_the_oppfolgingsplan_is_prefilled_from_the_placement_and_its_oppstartsmote(
    deps: Deps,
    org: Organisasjon,
    veileder: Aktor,
    plassering: int,
) -> None:
    data = utkast_for_plassering(deps, veileder, plassering, "oppfolgingsplan")
    assert data == {
        "type": "oppfolgingsplan",
        "tiltak": tiltak(org),
        "deltaker": DELTAKER,
        "veileder": VEILEDERE[0],
        "arbeidsgiver": ARBEIDSGIVER,
        "praksisplass": PLASSEN,
        "oppstart": "2026-08-31",
        "sluttdato": "2026-12-18",
        "malsetting": MALSETTING,
        "yrkesmal": "Butikkmedarbeider",
        "tilrettelegging": TILRETTELEGGING,
    }
    assert mangler("oppfolgingsplan", data) == [
        "oppfolging.0.hva",
        "oppfolging.0.hvem",
        "oppfolging.0.nar",
        "evaluering",
        "sted",
        "dato",
    ]


def test_without_an_oppstartsmote_the_aims_are_left_to_write_and_an_ended_placement_its_end(
    deps: Deps,
    veileder: Aktor,
    kari: int,
) -> None:
    """An aktivitetsplass's plan needs no yrkesmål; the placement's real sluttdato wins."""
    pid = _plassering(deps, veileder, kari, art="aktivitetsplass")
    with deps.sessions.begin() as s:
        rad = s.get(Plassering, pid)
        assert rad is not None
        rad.sluttdato = dt.date(2026, 10, 30)
    data = utkast_for_plassering(deps, veileder, pid, "oppfolgingsplan")
    assert data["praksisplass"]["art"] == "aktivitetsplass"
    assert data["sluttdato"] == "2026-10-30"
    assert not {"malsetting", "yrkesmal", "tilrettelegging"} & set(data)
    assert "malsetting" in mangler("oppfolgingsplan", data)
    garanti = utkast_for_plassering(deps, veileder, pid, "tilretteleggingsgaranti")
    assert garanti["planlagt_sluttdato"] == "2026-12-18"


def test_a_protected_deltakers_address_is_in_no_placement_document(
    deps: Deps,
    veileder: Aktor,
    kari: int,
) -> None:
    with deps.sessions.begin() as s:
        rad = s.get(Deltaker, kari)
        assert rad is not None
        rad.adressebeskyttet = True
    pid = _plassering(deps, veileder, kari)
    for type_navn in ("arbeidspraksisavtale", "tilretteleggingsgaranti", "oppfolgingsplan"):
        tekst = json.dumps(utkast_for_plassering(deps, veileder, pid, type_navn))
        assert "Storgata" not in tekst
        assert "0155" not in tekst


def test_another_organisations_placement_is_not_found_and_the_read_is_audited(
    deps: Deps,
    org: Organisasjon,
    annen_org: Organisasjon,
    veileder: Aktor,
    plassering: int,
    bruker: Callable[..., str],
) -> None:
    fremmed = aktor_for(deps, annen_org, bruker("veileder", annen_org))
    with pytest.raises(RecordNotFoundError):
        utkast_for_plassering(deps, fremmed, plassering, "tilretteleggingsgaranti")
    with pytest.raises(RecordNotFoundError):
        dokumenter.dokumenter_for_plassering(deps, fremmed, plassering)
    dok = parse_dokument(_eksempel("tilretteleggingsgaranti"), tillat_syntetiske=True)
    with pytest.raises(RecordNotFoundError):
        dokumenter.opprett(deps, fremmed, dok, plassering_id=plassering)
    with pytest.raises(RecordNotFoundError):
        dokumenter.lagre_kladd(deps, fremmed, "oppfolgingsplan", {}, plassering_id=plassering)
    leser = aktor_for(deps, org, bruker("leser"))
    with pytest.raises(AccessDeniedError):
        utkast_for_plassering(deps, leser, plassering, "oppfolgingsplan")
    utkast_for_plassering(deps, veileder, plassering, "oppfolgingsplan")
    with deps.sessions() as s:
        linjer = s.execute(
            select(Revisjon.objekt_type, Revisjon.objekt_id).where(Revisjon.handling == "utkast")
        ).all()
    assert [tuple(linje) for linje in linjer] == [("plassering", str(plassering))]


def _eksempel(type_navn: str) -> dict[str, Any]:
    from dokgen.data import demo_data

    return json.loads(demo_data(f"{type_navn}.json"))


def test_a_document_started_from_a_placement_is_stored_with_it_and_listed_for_it(
    deps: Deps,
    org: Organisasjon,
    admin: Aktor,
    veileder: Aktor,
    kari: int,
    gjennomforing_id: int,
    plassering: int,
) -> None:
    garanti = parse_dokument(
        fyll_fra_eksempel(
            "tilretteleggingsgaranti",
            utkast_for_plassering(deps, veileder, plassering, "tilretteleggingsgaranti"),
        ),
        tillat_syntetiske=True,
    )
    rad = dokumenter.opprett(deps, veileder, garanti, plassering_id=plassering)
    kladd = dokumenter.lagre_kladd(
        deps, veileder, "oppfolgingsplan", {"malsetting": "uferdig"}, plassering_id=plassering
    )
    deps.jobs.wait_idle()
    with deps.sessions() as s:
        rader = {
            d.id: (d.type, d.plassering_id, d.deltaker_id, d.gjennomforing_id)
            for d in s.scalars(select(Dokument))
        }
    assert rader == {
        rad.id: ("tilretteleggingsgaranti", plassering, kari, gjennomforing_id),
        kladd.id: ("oppfolgingsplan", plassering, kari, gjennomforing_id),
    }
    liste = dokumenter.dokumenter_for_plassering(deps, veileder, plassering)
    assert [(d["id"], d["tittel"], d["status_tekst"], d["lenke"]) for d in liste] == [
        (rad.id, "Tilretteleggingsgaranti", "Utkast", f"/dokumenter/{rad.id}"),
        (kladd.id, "Oppfølgingsplan", "Kladd", f"/dokumenter/{kladd.id}"),
    ]
    assert all(d["opprettet"].tzinfo is not None for d in liste)
    # Another placement lists none of them; a placement of another deltaker is refused.
    jon = deltaker(deps, admin, gjennomforing_id, "15909099169")
    annen = _plassering(deps, veileder, jon, avdeling="Bakeri")
    assert dokumenter.dokumenter_for_plassering(deps, veileder, annen) == []
    with pytest.raises(InputInvalidError) as e:
        dokumenter.opprett(deps, veileder, garanti, deltaker_id=kari, plassering_id=annen)
    assert [f.path for f in e.value.errors] == ["plassering_id"]
