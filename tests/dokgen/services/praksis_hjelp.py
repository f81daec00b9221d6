"""Helpers of the praksisplass register's tests: an arbeidsgiver, a place and deltakere."""

from __future__ import annotations

from typing import Any

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    OppstartsmoteInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import deltakere, praksisoppfolging, praksisplasser
from tests.dokgen.register import FNR_JON, FNR_KARI, kontrakt

ARBEIDSGIVER = {
    "orgnr": "974760673",
    "navn": "Gjesdal Bakeri AS",
    "adresse": {"gate": "Ålgårdsvegen 1", "postnummer": "4330", "poststed": "Ålgård"},
    "kontaktpersoner": [
        {
            "navn": "Eva Leder",
            "telefon": "51000000",
            "epost": "eva@bakeri.example",
            "rolle": "leder",
        }
    ],
}


def arbeidsgiver(deps: Deps, aktor: Aktor, **endringer: Any) -> dict[str, Any]:
    """Register the example arbeidsgiver (with changes) and return it."""
    return praksisplasser.opprett_arbeidsgiver(
        deps, aktor, les(ArbeidsgiverInn, ARBEIDSGIVER | endringer)
    )


def plass(deps: Deps, aktor: Aktor, arbeidsgiver_id: int, **endringer: Any) -> dict[str, Any]:
    """Register an arbeidstrening place for one deltaker (with changes) and return it."""
    data = {
        "arbeidsgiver_id": arbeidsgiver_id,
        "avdeling": "Butikk",
        "art": "arbeidstrening",
        "arbeidsoppgaver": "Betjene kunder, fylle varer",
        "kapasitet": 1,
    }
    return praksisplasser.opprett_plass(deps, aktor, les(PraksisplassInn, data | endringer))


def deltaker(deps: Deps, aktor: Aktor, gjennomforing_id: int, fnr: str = FNR_KARI) -> int:
    """Register a deltaker with no veileder and return the id."""
    data = kontrakt("deltaker.json") | {
        "gjennomforing_id": gjennomforing_id,
        "veiledere_arrangor": [],
        "nr": None,
        "fodselsnummer": fnr,
    }
    inn = les(DeltakerInn, data, tillat_syntetiske=True)
    return int(deltakere.opprett(deps, aktor, inn)["id"])


def to_deltakere(deps: Deps, aktor: Aktor, gjennomforing_id: int) -> tuple[int, int]:
    """Register Kari and Jon and return their ids."""
    return (
        deltaker(deps, aktor, gjennomforing_id, FNR_KARI),
        deltaker(deps, aktor, gjennomforing_id, FNR_JON),
    )


def status(**felt: Any) -> StatusendringInn:
    """Return a status change (dates as ISO text)."""
    return les(StatusendringInn, felt)


MOTE = {"status": "statusmote_avtalt", "dato": "2026-08-25", "statusmote_dato": "2026-08-28"}
BEKREFTET = {"status": "bekreftet", "dato": "2026-08-29"}

# The oppstartsmøte as held: veileder, leder and deltaker, an arbeidstrening's yrkesmål.
HOLDT_MOTE = {
    "dato": "2026-08-28",
    "deltakere": [
        {"rolle": "veileder", "navn": "Vera Veileder"},
        {"rolle": "leder", "navn": "Eva Leder"},
        {"rolle": "deltaker", "navn": "Kari Nordmann"},
    ],
    "malsetting": "Komme i jobb i butikk",
    "yrkesmal": "Butikkmedarbeider",
    "tilretteleggingsbehov": "Korte dager den første uken",
}


def hold_mote(deps: Deps, aktor: Aktor, plassering_id: int, **endringer: Any) -> dict[str, Any]:
    """Record the example oppstartsmøte (with changes) on a placement and return it."""
    inn = les(OppstartsmoteInn, HOLDT_MOTE | endringer)
    return praksisoppfolging.registrer_oppstartsmote(deps, aktor, plassering_id, inn)
