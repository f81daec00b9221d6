"""A placement's status rules from the routine for praksisplasser: forward only with dates
in order, the oppstartsmøte recorded before the start, the sluttdato on «Avsluttet» (a
reason when it is earlier than planned) and the capacity counted from «Bekreftet» to
«Avsluttet»; the oppstartsmøte's own rules and an absence's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dokgen.errors import InputInvalidError
from dokgen.oppfolging import praksis
from dokgen.oppfolging.kodeverk import (
    FRAVAERSARSAKER,
    MELDT_VIA,
    PLASSERINGSSTATUSER,
    PRAKSISARTER,
    gyldig_fravaer,
)
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksis import Tilstand, overgangsfeil
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    FravaerInn,
    OppstartsmoteInn,
    PraksisplassInn,
    StatusendringInn,
)

IDAG = dt.date(2026, 12, 7)
D = dt.date


def endring(**felt: Any) -> StatusendringInn:
    data = {"dato": "2026-09-01"} | {
        k: str(v) if isinstance(v, dt.date) else v for k, v in felt.items()
    }
    return les(StatusendringInn, data)


def feil(naa: Tilstand, **felt: Any) -> dict[str, str]:
    return {f.path: f.message for f in overgangsfeil(naa, endring(**felt), IDAG)}


NY = Tilstand("ny", D(2026, 8, 20))
AVTALT = Tilstand("statusmote_avtalt", D(2026, 8, 25), statusmote_dato=D(2026, 8, 28))
HOLDT = Tilstand(
    "statusmote_avtalt",
    D(2026, 8, 25),
    statusmote_dato=D(2026, 8, 28),
    oppstartsmote_dato=D(2026, 8, 28),
)
STARTET = Tilstand(
    "startet",
    D(2026, 9, 1),
    statusmote_dato=D(2026, 8, 28),
    startdato=D(2026, 9, 1),
    planlagt_sluttdato=D(2026, 12, 31),
)


def test_the_kinds_and_statuses_carry_the_routines_own_words() -> None:
    assert list(PLASSERINGSSTATUSER) == [
        "ny",
        "statusmote_avtalt",
        "bekreftet",
        "startet",
        "avsluttet",
    ]
    assert "OBS! Husk å endre sluttdato" in PLASSERINGSSTATUSER["avsluttet"][1]
    assert "definert yrkesmål" in PRAKSISARTER["arbeidstrening"][1]
    assert "klarer å møte opp" in PRAKSISARTER["aktivitetsplass"][1]
    assert PRAKSISARTER["sprakpraksis"][0] == "Språkpraksis"


def test_a_status_moves_forward_one_step_or_past_the_optional_ones() -> None:
    assert feil(NY, status="statusmote_avtalt", statusmote_dato=D(2026, 9, 3)) == {}
    assert feil(AVTALT, status="bekreftet") == {}
    assert feil(HOLDT, status="startet") == {}  # «Bekreftet» kan brukes, need not
    assert feil(NY, status="avsluttet", sluttdato=D(2026, 9, 1)) == {}  # planned, then dropped
    assert praksis.neste_statuser("bekreftet") == ["startet", "avsluttet"]


def test_a_status_never_goes_back_or_repeats() -> None:
    assert feil(STARTET, status="bekreftet") == {
        "status": "statusen går bare framover: fra «Startet» kan den bli «Avsluttet»"
    }
    assert feil(NY, status="ny") == {"status": "plasseringen har allerede status «Ny»"}
    avsluttet = Tilstand("avsluttet", D(2026, 9, 1))
    assert feil(avsluttet, status="startet") == {
        "status": "plasseringen er «Avsluttet» og kan ikke endres mer"
    }


def test_the_days_are_not_in_the_future_nor_before_the_last_change() -> None:
    assert feil(AVTALT, status="bekreftet", dato=D(2026, 12, 8)) == {
        "dato": "datoen kan ikke være fram i tid (i dag er 07.12.2026)"
    }
    assert feil(AVTALT, status="bekreftet", dato=D(2026, 8, 24)) == {
        "dato": "datoen kan ikke være før forrige statusendring (25.08.2026)"
    }


def test_statusmote_avtalt_needs_the_oppstartsmotes_date() -> None:
    assert feil(NY, status="statusmote_avtalt") == {
        "statusmote_dato": "oppgi datoen for oppstartsmøtet, f.eks. 2026-03-02"
    }


def test_no_start_without_an_oppstartsmote_recorded_and_never_before_it() -> None:
    uten = "oppstartsmøtet skal holdes før start: registrer først oppstartsmøtet"
    assert feil(NY, status="startet")["status"].startswith(uten)
    # A planned day is not a meeting held.
    assert feil(AVTALT, status="startet")["status"].startswith(uten)
    assert feil(HOLDT, status="startet", startdato=D(2026, 8, 27)) == {
        "startdato": "oppstarten kan ikke være før oppstartsmøtet (28.08.2026)"
    }
    # Held without the status «Statusmøte avtalt» first: the meeting is what counts.
    holdt_som_ny = Tilstand("ny", D(2026, 8, 20), oppstartsmote_dato=D(2026, 8, 27))
    assert feil(holdt_som_ny, status="startet", dato=D(2026, 8, 27)) == {}


def test_avsluttet_needs_the_sluttdato() -> None:
    assert feil(STARTET, status="avsluttet", dato=D(2026, 12, 1)) == {
        "sluttdato": "OBS! Husk sluttdato: oppgi dagen praksisen sluttet, f.eks. 2026-06-30"
    }


def test_a_sluttdato_before_the_planned_one_needs_a_reason() -> None:
    tidlig = {"status": "avsluttet", "dato": D(2026, 11, 2), "sluttdato": D(2026, 10, 30)}
    assert feil(STARTET, **tidlig) == {
        "sluttarsak": "sluttdatoen 30.10.2026 er før planlagt slutt 31.12.2026: skriv hvorfor "
        "deltakeren slutter tidligere, f.eks. «fikk jobb»"
    }
    assert feil(STARTET, **tidlig, sluttarsak="Fikk fast jobb i butikken") == {}
    assert feil(STARTET, status="avsluttet", dato=D(2026, 11, 2), sluttdato=D(2026, 8, 31)) == {
        "sluttdato": "sluttdatoen kan ikke være før oppstarten (01.09.2026)"
    }


def test_fields_of_another_status_are_refused_on_their_field() -> None:
    assert feil(AVTALT, status="bekreftet", sluttdato=D(2026, 10, 1), sluttarsak="x") == {
        "sluttdato": "settes bare når status blir «Avsluttet»",
        "sluttarsak": "settes bare når status blir «Avsluttet»",
    }


def test_capacity_counts_bekreftet_and_startet_until_avsluttet() -> None:
    assert praksis.trenger_plass("statusmote_avtalt", "bekreftet")
    assert praksis.trenger_plass("ny", "startet")
    assert not praksis.trenger_plass("bekreftet", "startet")  # the same place, still held
    assert not praksis.trenger_plass("startet", "avsluttet")
    assert praksis.ledige(2, 1) == 1
    assert praksis.kapasitetsfeil(2, 1) is None
    assert praksis.kapasitetsfeil(2, 2) == (
        "praksisplassen er full: 2 av 2 plasser er bekreftet eller startet. "
        "Avslutt en plassering eller øk kapasiteten først"
    )


def test_the_input_names_each_bad_field() -> None:
    with pytest.raises(InputInvalidError) as e:
        les(ArbeidsgiverInn, {"orgnr": "123456789", "navn": "", "kontaktpersoner": [{}]})
    stier = {f.path for f in e.value.errors}
    assert stier == {"orgnr", "navn", "kontaktpersoner.0.navn"}
    with pytest.raises(InputInvalidError) as e:
        les(PraksisplassInn, {"arbeidsgiver_id": 1, "art": "lonnstilskudd", "kapasitet": -1})
    meldinger = {f.path: f.message for f in e.value.errors}
    assert meldinger["art"].startswith("ukjent art «lonnstilskudd»: bruk en av aktivitetsplass")
    assert set(meldinger) == {"art", "kapasitet"}


# --- the oppstartsmøte and absence ------------------------------------------------------

MOTE = {
    "dato": "2026-08-28",
    "deltakere": [
        {"rolle": "veileder", "navn": "Vera"},
        {"rolle": "leder", "navn": "Eva"},
        {"rolle": "deltaker", "navn": "Kari"},
    ],
    "malsetting": "Møte opp",
}


def motefeil(
    art: str = "aktivitetsplass", startdato: dt.date | None = None, **felt: Any
) -> dict[str, str]:
    inn = les(OppstartsmoteInn, MOTE | felt)
    feil_ = praksis.oppstartsmotefeil(
        inn, art=art, registrert=D(2026, 8, 20), startdato=startdato, idag=IDAG
    )
    return {f.path: f.message for f in feil_}


def test_the_meeting_is_veileder_leder_and_deltaker_together() -> None:
    assert motefeil() == {}
    annen = [*MOTE["deltakere"][::2], {"rolle": "annen", "navn": "Tolk"}]
    assert motefeil(deltakere=annen) == {
        "deltakere": "veileder skal møte leder sammen med deltakeren: legg til leder hos "
        "arbeidsgiver blant dem som møtte"
    }
    with pytest.raises(InputInvalidError, match="ukjent rolle «sjef»"):
        les(OppstartsmoteInn, MOTE | {"deltakere": [{"rolle": "sjef", "navn": "X"}]})


def test_only_an_arbeidstrening_needs_the_yrkesmal_in_the_routines_words() -> None:
    assert motefeil(art="arbeidstrening")["yrkesmal"].startswith(
        "En arbeidstreningplass skal ha et definert yrkesmål med en aktivitetsplan"
    )
    assert motefeil(art="arbeidstrening", yrkesmal="Kokk") == {}
    assert motefeil(art="sprakpraksis") == {}
    assert "«Møte opp»" in praksis.malsettingshjelp("aktivitetsplass")
    assert "definert yrkesmål" in praksis.malsettingshjelp("arbeidstrening")


def test_the_meetings_day_lies_between_the_registration_the_start_and_today() -> None:
    assert motefeil(dato="2026-12-08") == {
        "dato": "møtet kan ikke være fram i tid (i dag er 07.12.2026)"
    }
    assert motefeil(dato="2026-08-19") == {
        "dato": "møtet kan ikke være før plasseringen ble registrert (20.08.2026)"
    }
    assert motefeil(startdato=D(2026, 8, 27)) == {
        "dato": "oppstartsmøtet holdes før start: deltakeren startet 27.08.2026"
    }


def fravaer(**felt: Any) -> dict[str, str]:
    data = {"arsak": "sykdom", "meldt_av": "Eva", "meldt_via": "epost", "fra_dato": "2026-09-07"}
    inn = les(FravaerInn, data | felt)
    feil_ = praksis.fravaersfeil(
        inn,
        startdato=D(2026, 9, 1),
        sluttdato=None,
        idag=IDAG,
        andre=[(D(2026, 9, 14), D(2026, 9, 16))],
    )
    return {f.path: f.message for f in feil_}


def test_an_absence_lies_in_the_started_period_at_most_31_days_and_apart_from_others() -> None:
    assert fravaer() == {}
    assert fravaer(fra_dato="2026-10-01", til_dato="2026-10-31") == {}  # 31 days
    assert fravaer(fra_dato="2026-10-01", til_dato="2026-11-01") == {
        "til_dato": "høyst 31 dager i én registrering: del opp fraværet"
    }
    assert fravaer(fra_dato="2026-09-16", til_dato="2026-09-18") == {
        "fra_dato": "overlapper fraværet som allerede er registrert 14.09.2026–16.09.2026"
    }
    assert fravaer(meldt_dato="2026-12-08") == {
        "meldt_dato": "kan ikke være fram i tid (i dag er 07.12.2026)"
    }
    with pytest.raises(InputInvalidError, match="ukjent årsak «ferie»"):
        les(
            FravaerInn,
            {"arsak": "ferie", "meldt_av": "E", "meldt_via": "epost", "fra_dato": "2026-09-07"},
        )


def test_the_reasons_say_whether_they_are_valid_and_the_days_are_working_days() -> None:
    assert [k for k, (_, gyldig) in FRAVAERSARSAKER.items() if not gyldig] == ["uten_gyldig_grunn"]
    assert gyldig_fravaer("sykdom")
    assert not gyldig_fravaer("uten_gyldig_grunn")
    assert "oppmoteskjema" in MELDT_VIA
    fredag_til_tirsdag = praksis.fravaersdager(D(2026, 9, 4), D(2026, 9, 8))
    assert fredag_til_tirsdag == [D(2026, 9, 4), D(2026, 9, 7), D(2026, 9, 8)]
    assert praksis.fravaersdager(D(2026, 9, 5), D(2026, 9, 6)) == [D(2026, 9, 5), D(2026, 9, 6)]
