"""Utkast: a document's data prefilled from the register and the deltaker's finalised
statusrapporter, the required fields left to write, protected addresses, access and audit."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import eksempel, parse_dokument
from dokgen.errors import AccessDeniedError, DocumentTypeUnknownError, RecordNotFoundError
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere, dokumenter, frister
from dokgen.services.utkast import fyll_fra_eksempel, mangler, utkast
from dokgen.storage.db import Bruker, Deltaker, Dokument, Organisasjon, Revisjon
from tests.dokgen.conftest import som_arrangor
from tests.dokgen.register import aktor_for, kontrakt

KONTRAKT = Path(__file__).resolve().parents[4] / "shared" / "kontrakt"
FNR_KARI, FNR_JON = "15858545606", "15909099169"
TYPER = (
    "plan",
    "statusrapport",
    "sluttrapport",
    "evalueringsrapport",
    "arbeidspraksisavtale",
    "endringsavtale",
    "sluttrapport_kvalifisering",
    "motereferat",
    "opplaeringsplan",
    "samtalereferat",
    "samarbeidsavtale",
    "arsrapport",
    "tilretteleggingsgaranti",
    "oppfolgingsplan",
)
IDAG = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
SLUTT = "2027-01-29"


def kontakt(deps: Deps, brukernavn: str, telefon: str | None, epost: str | None) -> None:
    with deps.sessions.begin() as s:
        b = s.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn))
        assert b is not None
        b.telefon, b.epost = telefon, epost


@pytest.fixture
def veiledere(deps: Deps, bruker: Callable[..., str]) -> tuple[str, str]:
    """Return (veileder, medveileder), each with the phone and e-mail of their user row."""
    ase, per = bruker("veileder"), bruker("veileder")
    kontakt(deps, ase, "40000001", "ase@eksempel.no")
    kontakt(deps, per, "40000002", None)
    return ase, per


@pytest.fixture
def veileder(deps: Deps, org: Organisasjon, veiledere: tuple[str, str]) -> Aktor:
    deps.clock = lambda: IDAG
    return aktor_for(deps, org, veiledere[0])


def deltaker_inn(
    gjennomforing_id: int, veiledere: tuple[str, str], **endringer: Any
) -> DeltakerInn:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gjennomforing_id, "sluttdato": SLUTT}
    # The medveileder first: the veileder still comes first in the documents.
    data["veiledere_arrangor"] = [
        {"brukernavn": veiledere[1], "type": "medveileder"},
        {"brukernavn": veiledere[0], "type": "veileder"},
    ]
    data.update(endringer)
    return les(DeltakerInn, data, tillat_syntetiske=True)


@pytest.fixture
def kari(deps: Deps, admin: Aktor, gjennomforing_id: int, veiledere: tuple[str, str]) -> int:
    return int(deltakere.opprett(deps, admin, deltaker_inn(gjennomforing_id, veiledere))["id"])


VEILEDERE = [
    {"navn": "Test Veileder", "telefon": "40000001", "epost": "ase@eksempel.no"},
    {"navn": "Test Veileder", "telefon": "40000002"},
]
NAV = {
    "innsokende_nav_kontor": "NAV Grünerløkka",
    "veileder_nav": {"navn": "Ola Hansen", "telefon": "55553333", "epost": "ola.hansen@nav.no"},
    "bestilling_fra_nav": kontrakt("deltaker.json")["bestilling_fra_nav"],
}


def tiltak(org: Organisasjon) -> dict[str, Any]:
    return {
        "navn": "Jobbmestrende oppfølging Oslo 2026",
        "avtalenummer": "20/20129",
        "tiltaksnummer": "2026/104512",
        "arrangor": {"navn": org.navn, "orgnr": org.orgnr},
    }


def forventet(type_navn: str, org: Organisasjon) -> dict[str, Any]:
    """Return the whole prefill of Kari (no finalised documents), as the register has her."""
    deltaker = {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI}
    felles = {
        "type": type_navn,
        "tiltak": tiltak(org),
        "deltaker": deltaker,
        "oppstartdato": "2026-03-02",
        **NAV,
        "veiledere_arrangor": VEILEDERE,
    }
    adresse = {"adresse": "Storgata 1", "postnummer": "0155", "poststed": "Oslo"}
    return {
        "plan": felles | {"planperiode": {"fra": "2026-03-02", "til": "2026-09-01"}},
        # The first period (ending 1 June) is overdue on 10 June: the next open frist.
        "statusrapport": felles
        | {"rapporteringsperiode": {"fra": "2026-03-02", "til": "2026-06-01"}},
        "sluttrapport": felles | {"deltaker": deltaker | adresse, "sluttdato": SLUTT},
        "evalueringsrapport": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "periode": {"fra": "2026-01-01", "til": "2026-06-30"},
            "mottaker": "NAV Tiltak Oslo",
        },
        "arbeidspraksisavtale": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "veileder_arrangor": VEILEDERE[0],
        },
        "endringsavtale": {
            "type": type_navn,
            "kunde": {"navn": "NAV Tiltak Oslo", "orgnr": "889640782"},
            "leverandor": {"navn": org.navn, "orgnr": org.orgnr},
        },
        "sluttrapport_kvalifisering": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "innsokende_nav_kontor": "NAV Grünerløkka",
            "oppstartdato": "2026-03-02",
            "sluttdato": SLUTT,
        },
        # A gjennomføring's document: only what the gjennomføring knows.
        "motereferat": {"type": type_navn, "tiltak": tiltak(org)},
        "opplaeringsplan": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "oppstartdato": "2026-03-02",
            "planperiode": {"fra": "2026-03-02", "til": SLUTT},
            "beregnet_avsluttet": SLUTT,
            "nav_lokal": NAV["innsokende_nav_kontor"],
            "saksbehandler_nav": NAV["veileder_nav"],
            "hovedansvarlig": VEILEDERE[0],
        },
        # The conversation is written the day it is held; the veileder comes first.
        "samtalereferat": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "samtaledato": "2026-06-10",
            "medvirkende": [
                {"navn": "Test Veileder", "rolle": "veileder"},
                {"navn": "Test Veileder", "rolle": "medveileder"},
            ],
        },
        "samarbeidsavtale": {"type": type_navn, "tiltak": tiltak(org)},
        "arsrapport": {"type": type_navn, "tiltak": tiltak(org), "mottaker": "NAV Tiltak Oslo"},
        # Started from a deltaker, not a placement: the veileder to contact, no place.
        "tilretteleggingsgaranti": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "veileder": VEILEDERE[0],
            "ved_fravaer": "Arbeidsgiver sender en e-post til veilederen (ase@eksempel.no) "
            "samme dag når deltakeren ikke har møtt.",
        },
        "oppfolgingsplan": {
            "type": type_navn,
            "tiltak": tiltak(org),
            "deltaker": deltaker,
            "veileder": VEILEDERE[0],
        },
    }[type_navn]


def _fullfort(type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the draft completed from the type's example, the example's months (a
    statusrapport's hours per month) moved into the draft's reporting period."""
    full = fyll_fra_eksempel(type_navn, data)
    if "oppfolgingstimer_per_maned" in full and "oppfolgingstimer_per_maned" not in data:
        fra = full["rapporteringsperiode"]["fra"][:7]
        full["oppfolgingstimer_per_maned"] = [
            rad | {"maned": fra} for rad in full["oppfolgingstimer_per_maned"][:1]
        ]
    return full


@pytest.mark.parametrize("type_navn", TYPER)
def test_each_type_is_prefilled_with_the_registers_values_and_validates_once_completed(
    deps: Deps, org: Organisasjon, veileder: Aktor, kari: int, type_navn: str
) -> None:
    data = utkast(deps, veileder, kari, type_navn)
    assert data == forventet(type_navn, org)
    # What the register put in has the type's shape: the rest from the example makes it valid.
    dok = parse_dokument(_fullfort(type_navn, data), tillat_syntetiske=True)
    assert dok.type_navn() == type_navn
    # The person's own part is left to write, and marked.
    apne = mangler(type_navn, data)
    assert apne
    assert not set(apne) & {"tiltak.navn", "deltaker.navn", "oppstartdato"}
    assert mangler(type_navn, _fullfort(type_navn, data)) == []


def test_a_type_without_its_own_prefill_gets_the_organisation_as_its_arrangor(
    deps: Deps, org: Organisasjon, veileder: Aktor, kari: int
) -> None:
    """A tilbudsmelding is the bedrift's, not a deltaker's: from a deltaker it gets the
    organisation where it names the arrangør (``bedrift``) and nothing of the deltaker."""
    data = utkast(deps, veileder, kari, "tilbudsmelding")
    assert data == {"type": "tilbudsmelding", "bedrift": {"navn": org.navn, "orgnr": org.orgnr}}
    assert "kort_sikt.0.avdeling" in mangler("tilbudsmelding", data)


def test_the_fields_still_to_write_are_the_required_ones_left_empty(
    deps: Deps, veileder: Aktor, kari: int
) -> None:
    data = utkast(deps, veileder, kari, "statusrapport")
    assert mangler("statusrapport", data) == [
        "status_og_progresjon",
        "begrunnelse_videre_oppfolging",
        "gjennomforte_aktiviteter",
        "sted",
        "dato",
        "underskriver.navn",
    ]
    tom = mangler("plan", {"deltaker": {"navn": "  "}, "tiltak": {"arrangor": {}}})
    assert tom[:6] == [
        "tiltak.navn",
        "tiltak.arrangor.navn",
        "tiltak.arrangor.orgnr",
        "deltaker.navn",
        "deltaker.fodselsnummer",
        "oppstartdato",
    ]
    assert "veiledere_arrangor.0.navn" in tom
    assert "planlagte_aktiviteter.0.tidsrom.fra" in tom
    assert "deltakers_kommentar" not in tom
    assert "veiledere_arrangor.0.telefon" not in tom


def _ferdig_statusrapport(
    deps: Deps,
    org: Organisasjon,
    veileder: Aktor,
    deltaker_id: int,
    ferdig: datetime = datetime(2026, 6, 5, 9, 0, tzinfo=UTC),
    **endringer: Any,
) -> str:
    data = som_arrangor(eksempel("statusrapport"), org) | {
        "deltaker": {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI},
        "oppstartdato": "2026-03-02",
        "rapporteringsperiode": {"fra": "2026-03-02", "til": "2026-06-01"},
        "gjennomforte_aktiviteter": "Kartlegging og jobbsøking.",
        "fravaer": [{"dager": 2, "arsak": "Sykdom"}],
        "arbeidsgivere": [
            {
                "navn": "Matbutikken Grünerløkka AS",
                "kontaktperson": "Lise Berg",
                "stillingsprosent": 60,
                "arbeidsforhold": "arbeidspraksis",
            },
            {
                "navn": "Bygg og Vedlikehold AS",
                "stillingsprosent": 40,
                "ansettelsesforhold": "fast",
                "arbeidsforhold": "lonnet_arbeid",
            },
        ],
        **endringer,
    }
    # One month of hours, inside the report's period.
    maned = data["rapporteringsperiode"]["fra"][:7]
    data["oppfolgingstimer_per_maned"] = [{"maned": maned, "timer": "12"}]
    dok = parse_dokument(data, tillat_syntetiske=True)
    rad = dokumenter.opprett(deps, veileder, dok, deltaker_id=deltaker_id)
    with deps.sessions.begin() as s:
        lagret = s.get(Dokument, rad.id)
        assert lagret is not None
        assert lagret.deltaker_id == deltaker_id
        lagret.ferdig = ferdig
    return rad.id


def test_the_last_finalised_statusrapport_gives_employers_activities_and_absence(
    deps: Deps, org: Organisasjon, veileder: Aktor, kari: int
) -> None:
    _ferdig_statusrapport(deps, org, veileder, kari)
    status = utkast(deps, veileder, kari, "statusrapport")
    # The first period is delivered: the next open frist's period comes next.
    neste = next(
        f
        for f in frister.liste(
            deps, veileder, frister.Fristutvalg(deltaker_id=kari, type="statusrapport")
        )
        if f["status"] in frister.APNE
    )
    assert (
        status["rapporteringsperiode"]
        == neste["periode"]
        == {"fra": "2026-06-02", "til": "2026-09-01"}
    )
    assert [a["navn"] for a in status["arbeidsgivere"]] == [
        "Matbutikken Grünerløkka AS",
        "Bygg og Vedlikehold AS",
    ]
    assert status["arbeidsgivere"][0]["kontaktperson"] == "Lise Berg"

    slutt = utkast(deps, veileder, kari, "sluttrapport")
    assert slutt["gjennomforte_aktiviteter"] == "02.03.2026–01.06.2026:\nKartlegging og jobbsøking."
    assert slutt["fravaer"] == [{"dager": 2, "timer": None, "arsak": "Sykdom"}]
    assert slutt["tilbake_i_arbeid"] == {
        "arbeidsgiver": "Bygg og Vedlikehold AS",
        "stillingsprosent": 40,
        "ansettelsesform": "fast",
    }
    assert "oppsummering_og_anbefalinger" in mangler("sluttrapport", slutt)

    avtale = utkast(deps, veileder, kari, "arbeidspraksisavtale")
    assert avtale["arbeidsgiver"] == {
        "navn": "Matbutikken Grünerløkka AS",
        "kontaktperson": {"navn": "Lise Berg"},
    }
    assert mangler("arbeidspraksisavtale", avtale)[:1] == ["arbeidsgiver.orgnr"]
    for type_navn in ("statusrapport", "sluttrapport", "arbeidspraksisavtale"):
        data = utkast(deps, veileder, kari, type_navn)
        parse_dokument(_fullfort(type_navn, data), tillat_syntetiske=True)


def test_the_sluttrapport_takes_every_statusrapport_in_period_order(
    deps: Deps, org: Organisasjon, veileder: Aktor, kari: int
) -> None:
    # The second period's report finalised before a correction of the first: the order and
    # "the last" follow the periods, not the finalising.
    _ferdig_statusrapport(
        deps,
        org,
        veileder,
        kari,
        datetime(2026, 6, 6, 9, 0, tzinfo=UTC),
        rapporteringsperiode={"fra": "2026-06-02", "til": "2026-09-01"},
        gjennomforte_aktiviteter="Arbeidstrening i butikk.",
        fravaer=[{"timer": "3.5", "arsak": "Legetime"}],
        arbeidsgivere=[{"navn": "Kafé Sentrum AS", "arbeidsforhold": "lonnet_arbeid"}],
    )
    _ferdig_statusrapport(deps, org, veileder, kari, datetime(2026, 6, 9, 9, 0, tzinfo=UTC))
    slutt = utkast(deps, veileder, kari, "sluttrapport")
    assert slutt["gjennomforte_aktiviteter"] == (
        "02.03.2026–01.06.2026:\nKartlegging og jobbsøking.\n\n"
        "02.06.2026–01.09.2026:\nArbeidstrening i butikk."
    )
    assert [f["arsak"] for f in slutt["fravaer"]] == ["Sykdom", "Legetime"]
    assert slutt["tilbake_i_arbeid"] == {"arbeidsgiver": "Kafé Sentrum AS"}
    status = utkast(deps, veileder, kari, "statusrapport")
    assert status["rapporteringsperiode"] == {"fra": "2026-09-02", "til": "2026-12-01"}
    assert [a["navn"] for a in status["arbeidsgivere"]] == ["Kafé Sentrum AS"]


def test_a_protected_deltaker_has_no_address_in_any_document(
    deps: Deps, admin: Aktor, gjennomforing_id: int, veiledere: tuple[str, str], veileder: Aktor
) -> None:
    inn = deltaker_inn(gjennomforing_id, veiledere, adresse=None, adressebeskyttet=True)
    deltaker_id = int(deltakere.opprett(deps, admin, inn)["id"])
    with deps.sessions.begin() as s:  # even an address left from before the protection
        rad = s.get(Deltaker, deltaker_id)
        assert rad is not None
        rad.adresse = {"gate": "Storgata 1", "postnummer": "0155", "poststed": "Oslo"}
    for type_navn in TYPER:
        tekst = json.dumps(utkast(deps, veileder, deltaker_id, type_navn), ensure_ascii=False)
        assert "Storgata" not in tekst
        assert "0155" not in tekst
        assert "poststed" not in tekst
    slutt = utkast(deps, veileder, deltaker_id, "sluttrapport")
    assert slutt["deltaker"] == {"navn": "Kari Nordmann", "fodselsnummer": FNR_KARI}


def test_a_register_value_the_model_refuses_is_left_out(
    deps: Deps, veileder: Aktor, kari: int, veiledere: tuple[str, str]
) -> None:
    kontakt(deps, veiledere[1], "ring meg", "ikke-en-adresse")
    data = utkast(deps, veileder, kari, "plan")
    assert data["veiledere_arrangor"] == [VEILEDERE[0], {"navn": "Test Veileder"}]
    parse_dokument(fyll_fra_eksempel("plan", data), tillat_syntetiske=True)


def test_only_a_visible_deltaker_and_a_known_type_and_the_read_is_audited(
    deps: Deps,
    org: Organisasjon,
    annen_org: Organisasjon,
    admin: Aktor,
    veileder: Aktor,
    kari: int,
    bruker: Callable[..., str],
) -> None:
    fremmed = aktor_for(deps, annen_org, bruker("veileder", annen_org))
    with pytest.raises(RecordNotFoundError):
        utkast(deps, fremmed, kari, "plan")
    with pytest.raises(DocumentTypeUnknownError):
        utkast(deps, veileder, kari, "varsle_nav")
    with pytest.raises(AccessDeniedError):
        utkast(deps, aktor_for(deps, org, bruker("leser")), kari, "plan")
    utkast(deps, veileder, kari, "plan")
    with deps.sessions() as s:
        linjer = s.execute(
            select(
                Revisjon.handling, Revisjon.objekt_type, Revisjon.objekt_id, Revisjon.detalj
            ).where(Revisjon.handling == "utkast")
        ).all()
    assert [tuple(linje[:3]) for linje in linjer] == [("utkast", "deltaker", str(kari))]
    assert all(FNR_KARI not in (linje.detalj or "") for linje in linjer)
