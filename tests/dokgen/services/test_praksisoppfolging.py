"""A placement's follow-up: the oppstartsmøte (who met, an arbeidstrening's yrkesmål, its
day) recorded and corrected in place and needed before «Startet»; the absences an
arbeidsgiver reports, inside the started period and never overlapping, counted into the
statusrapport's fravær and, without a valid reason, raising «Varsle NAV samme dag» until NAV
is notified or the absence is deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import AccessDeniedError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import FravaerInn, PlasseringInn
from dokgen.services import frister, praksisoppfolging, praksisplasser
from dokgen.services.utkast import utkast
from dokgen.storage.db import Frist, Oppstartsmote, Organisasjon, Plasseringsfravaer, Revisjon
from tests.dokgen.register import aktor_for
from tests.dokgen.services.praksis_hjelp import (
    HOLDT_MOTE,
    arbeidsgiver,
    deltaker,
    hold_mote,
    plass,
    status,
)
from tests.dokgen.services.test_deltakere_samtidig import _samtidig

IDAG = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def oppsett(deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int) -> dict[str, int]:
    """Kari (oppstart 2 March 2026, JMO) placed in an arbeidstrening on 2 March."""
    deps.clock = lambda: IDAG
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"], kapasitet=2)
    kari = deltaker(deps, admin, gjennomforing_id)
    inn = les(
        PlasseringInn, {"praksisplass_id": p["id"], "deltaker_id": kari, "dato": "2026-03-02"}
    )
    pid = int(praksisplasser.opprett_plassering(deps, veileder, inn)["id"])
    return {"plassering": pid, "deltaker": kari, "plass": p["id"], "arbeidsgiver": ag["id"]}


def _start(deps: Deps, aktor: Aktor, pid: int) -> None:
    hold_mote(deps, aktor, pid, dato="2026-03-03")
    praksisplasser.endre_status(deps, aktor, pid, status(status="startet", dato="2026-03-05"))


def _fravaer(**felt: Any) -> FravaerInn:
    data = {"arsak": "sykdom", "meldt_av": "Eva Leder", "meldt_via": "epost"} | felt
    return les(FravaerInn, data)


def _feil(exc: pytest.ExceptionInfo[InputInvalidError]) -> dict[str, str]:
    return {f.path: f.message for f in exc.value.errors}


def _antall(deps: Deps, tabell: Any) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(tabell)) or 0)


# --- the oppstartsmøte ------------------------------------------------------------------


def test_the_oppstartsmote_is_recorded_corrected_in_place_and_audited(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid = oppsett["plassering"]
    assert praksisoppfolging.hent_oppstartsmote(deps, veileder, pid) is None
    mote = hold_mote(deps, veileder, pid, dato="2026-03-03")
    assert mote["dato"] == "2026-03-03"
    assert [(d["rolle"], d["rolle_tekst"], d["navn"]) for d in mote["deltakere"]] == [
        ("veileder", "Veileder", "Vera Veileder"),
        ("leder", "Leder hos arbeidsgiver", "Eva Leder"),
        ("deltaker", "Deltakeren", "Kari Nordmann"),
    ]
    rettet = hold_mote(deps, veileder, pid, dato="2026-03-04", malsetting="Fast jobb i butikk")
    assert (rettet["dato"], rettet["malsetting"]) == ("2026-03-04", "Fast jobb i butikk")
    assert praksisoppfolging.hent_oppstartsmote(deps, veileder, pid) == rettet
    with deps.sessions() as s:
        rader = s.scalars(select(Oppstartsmote)).all()
        assert [(r.plassering_id, r.yrkesmal) for r in rader] == [(pid, "Butikkmedarbeider")]
        linjer = s.scalars(select(Revisjon).where(Revisjon.objekt_type == "oppstartsmote")).all()
        assert [(r.handling, r.objekt_id) for r in linjer if r.handling != "les"] == [
            ("opprett", str(pid)),
            ("endre", str(pid)),
        ]


def test_the_meeting_needs_veileder_leder_and_deltaker_and_nothing_is_written_without(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    uten_leder = [d for d in HOLDT_MOTE["deltakere"] if d["rolle"] != "leder"]
    with pytest.raises(InputInvalidError) as exc:
        hold_mote(deps, veileder, oppsett["plassering"], deltakere=uten_leder)
    assert _feil(exc) == {
        "deltakere": "veileder skal møte leder sammen med deltakeren: legg til leder hos "
        "arbeidsgiver blant dem som møtte"
    }
    bare_veileder = HOLDT_MOTE["deltakere"][:1]
    with pytest.raises(InputInvalidError) as exc:
        hold_mote(deps, veileder, oppsett["plassering"], deltakere=bare_veileder)
    assert "legg til leder hos arbeidsgiver og deltakeren" in _feil(exc)["deltakere"]
    assert _antall(deps, Oppstartsmote) == 0


def test_an_arbeidstrening_needs_a_yrkesmal_an_aktivitetsplass_may_aim_at_turning_up(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int, oppsett: dict[str, int]
) -> None:
    with pytest.raises(InputInvalidError) as exc:
        hold_mote(deps, veileder, oppsett["plassering"], yrkesmal=None)
    assert _feil(exc) == {
        "yrkesmal": "En arbeidstreningplass skal ha et definert yrkesmål med en aktivitetsplan "
        "som viser veien mot det målet: skriv yrkesmålet"
    }
    aktivitet = plass(deps, veileder, oppsett["arbeidsgiver"], art="aktivitetsplass")
    jon = deltaker(deps, admin, gjennomforing_id, "15909099169")
    inn = les(
        PlasseringInn,
        {"praksisplass_id": aktivitet["id"], "deltaker_id": jon, "dato": "2026-03-02"},
    )
    pid = praksisplasser.opprett_plassering(deps, veileder, inn)["id"]
    mote = hold_mote(deps, veileder, pid, malsetting="Møte opp", yrkesmal=None)
    assert (mote["malsetting"], mote["yrkesmal"]) == ("Møte opp", None)
    side = praksisoppfolging.side(deps, veileder, pid)
    assert side["motehjelp"]["forslag"] == "Møte opp"
    assert "målet kan være «Møte opp»" in side["motehjelp"]["malsetting"]


def test_the_meetings_day_is_not_in_the_future_nor_before_the_placement_nor_after_start(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid = oppsett["plassering"]
    for dato, melding in (
        ("2026-11-06", "møtet kan ikke være fram i tid (i dag er 05.11.2026)"),
        ("2026-03-01", "møtet kan ikke være før plasseringen ble registrert (02.03.2026)"),
    ):
        with pytest.raises(InputInvalidError) as exc:
            hold_mote(deps, veileder, pid, dato=dato)
        assert _feil(exc) == {"dato": melding}
    _start(deps, veileder, pid)
    with pytest.raises(InputInvalidError) as exc:
        hold_mote(deps, veileder, pid, dato="2026-03-06")
    assert _feil(exc) == {"dato": "oppstartsmøtet holdes før start: deltakeren startet 05.03.2026"}


def test_startet_needs_the_meeting_recorded_on_or_before_the_start(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid = oppsett["plassering"]
    avtalt = status(status="statusmote_avtalt", dato="2026-03-02", statusmote_dato="2026-03-03")
    praksisplasser.endre_status(deps, veileder, pid, avtalt)
    with pytest.raises(InputInvalidError) as exc:  # a planned day is no meeting held
        praksisplasser.endre_status(
            deps, veileder, pid, status(status="startet", dato="2026-03-05")
        )
    assert _feil(exc)["status"].startswith("oppstartsmøtet skal holdes før start: registrer")
    hold_mote(deps, veileder, pid, dato="2026-03-04")
    with pytest.raises(InputInvalidError) as exc:
        praksisplasser.endre_status(
            deps, veileder, pid, status(status="startet", dato="2026-03-03")
        )
    assert _feil(exc) == {"dato": "oppstarten kan ikke være før oppstartsmøtet (04.03.2026)"}
    ny = praksisplasser.endre_status(
        deps, veileder, pid, status(status="startet", dato="2026-03-04")
    )
    assert (ny["status"], ny["startdato"]) == ("startet", "2026-03-04")


def test_another_organisation_and_a_leser_cannot_write_the_meeting(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int], org: Organisasjon,
    annen_org: Organisasjon, bruker: Callable[..., str],
) -> None:  # fmt: skip
    pid = oppsett["plassering"]
    annen = aktor_for(deps, annen_org, bruker("veileder", annen_org))
    with pytest.raises(RecordNotFoundError, match="fant ikke plasseringen"):
        hold_mote(deps, annen, pid)
    with pytest.raises(RecordNotFoundError):
        praksisoppfolging.hent_oppstartsmote(deps, annen, pid)
    with pytest.raises(RecordNotFoundError):
        praksisoppfolging.registrer_fravaer(deps, annen, pid, _fravaer(fra_dato="2026-04-06"))
    leser = aktor_for(deps, org, bruker("leser"))
    with pytest.raises(AccessDeniedError):
        hold_mote(deps, leser, pid)
    assert praksisoppfolging.hent_oppstartsmote(deps, leser, pid) is None
    assert _antall(deps, Oppstartsmote) == 0


# --- absence ----------------------------------------------------------------------------


def test_an_absence_is_registered_with_its_reason_listed_and_deleted(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid, kari = oppsett["plassering"], oppsett["deltaker"]
    _start(deps, veileder, pid)
    f = praksisoppfolging.registrer_fravaer(
        deps, veileder, pid, _fravaer(fra_dato="2026-04-06", til_dato="2026-04-10")
    )
    assert (f["arsak_tekst"], f["gyldig"], f["meldt_via_tekst"]) == ("Sykdom", True, "E-post")
    assert (f["til_dato"], f["meldt_dato"]) == ("2026-04-10", "2026-11-05")  # today
    en_dag = praksisoppfolging.registrer_fravaer(
        deps, veileder, pid,
        _fravaer(fra_dato="2026-05-04", minutter=90, arsak="uten_gyldig_grunn",
                 meldt_via="telefon", meldt_dato="2026-05-04"),
    )  # fmt: skip
    assert (en_dag["til_dato"], en_dag["gyldig"], en_dag["minutter"]) == ("2026-05-04", False, 90)
    liste = praksisoppfolging.fravaer_for_deltaker(deps, veileder, kari)
    assert [(r["fra_dato"], r["arsak"]) for r in liste] == [
        ("2026-04-06", "sykdom"),
        ("2026-05-04", "uten_gyldig_grunn"),
    ]
    assert praksisoppfolging.fravaer_for_deltaker(deps, veileder, kari, fra=date(2026, 5, 1)) == [
        en_dag
    ]
    praksisoppfolging.slett_fravaer(deps, veileder, pid, f["id"])
    assert praksisoppfolging.fravaer_for_plassering(deps, veileder, pid) == [en_dag]
    with pytest.raises(RecordNotFoundError, match="fant ikke fraværet"):
        praksisoppfolging.slett_fravaer(deps, veileder, pid, f["id"])
    with deps.sessions() as s:
        linjer = s.scalars(
            select(Revisjon).where(Revisjon.objekt_type == "plasseringsfravaer")
        ).all()
        skriv = [(r.handling, r.objekt_id) for r in linjer if r.handling != "sok"]
        assert skriv == [
            ("opprett", str(f["id"])),
            ("opprett", str(en_dag["id"])),
            ("slett", str(f["id"])),
        ]


@pytest.mark.parametrize(
    ("felt", "feil"),
    [
        ({"fra_dato": "2026-03-04"}, {"fra_dato": "kan ikke være før oppstarten (05.03.2026)"}),
        (
            {"fra_dato": "2026-11-06"},
            {"fra_dato": "kan ikke være fram i tid (i dag er 05.11.2026)"},
        ),
        (
            {"fra_dato": "2026-04-01", "til_dato": "2026-05-02"},  # 32 days
            {"til_dato": "høyst 31 dager i én registrering: del opp fraværet"},
        ),
        (
            {"fra_dato": "2026-04-02", "til_dato": "2026-04-01"},
            {"til_dato": "til-datoen kan ikke være før fra-datoen"},
        ),
        (
            {"fra_dato": "2026-04-01", "til_dato": "2026-04-02", "minutter": 30},
            {"minutter": "minutter gjelder en del av én dag: la til-datoen stå tom"},
        ),
        (
            {"fra_dato": "2026-04-09", "til_dato": "2026-04-13"},
            {"fra_dato": "overlapper fraværet som allerede er registrert 06.04.2026–10.04.2026"},
        ),
    ],
)
def test_a_wrong_absence_names_its_field_and_nothing_is_written(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int], felt: dict[str, Any],
    feil: dict[str, str],
) -> None:  # fmt: skip
    pid = oppsett["plassering"]
    _start(deps, veileder, pid)
    praksisoppfolging.registrer_fravaer(
        deps, veileder, pid, _fravaer(fra_dato="2026-04-06", til_dato="2026-04-10")
    )
    with pytest.raises(InputInvalidError) as exc:
        praksisoppfolging.registrer_fravaer(deps, veileder, pid, _fravaer(**felt))
    assert _feil(exc) == feil
    assert _antall(deps, Plasseringsfravaer) == 1


def test_no_absence_before_the_deltaker_started_or_after_the_sluttdato(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid = oppsett["plassering"]
    with pytest.raises(InputInvalidError) as exc:
        praksisoppfolging.registrer_fravaer(deps, veileder, pid, _fravaer(fra_dato="2026-04-06"))
    assert _feil(exc) == {"fra_dato": "fravær registreres når deltakeren har startet"}
    _start(deps, veileder, pid)
    slutt = status(status="avsluttet", dato="2026-06-30", sluttdato="2026-06-30")
    praksisplasser.endre_status(deps, veileder, pid, slutt)
    with pytest.raises(InputInvalidError) as exc:
        praksisoppfolging.registrer_fravaer(deps, veileder, pid, _fravaer(fra_dato="2026-07-01"))
    assert _feil(exc) == {"fra_dato": "kan ikke være etter sluttdatoen (30.06.2026)"}
    assert _antall(deps, Plasseringsfravaer) == 0


def test_the_statusrapport_counts_the_absence_per_reason_in_its_period(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid, kari = oppsett["plassering"], oppsett["deltaker"]
    _start(deps, veileder, pid)
    for felt in (
        {"fra_dato": "2026-04-06", "til_dato": "2026-04-10"},  # Monday to Friday: 5 days
        {"fra_dato": "2026-05-04", "minutter": 90},  # part of one day: 1.5 hours
        # Friday to Wednesday; the period ends on Monday 1 June: Friday and Monday count.
        {"fra_dato": "2026-05-29", "til_dato": "2026-06-03", "arsak": "uten_gyldig_grunn"},
        {"fra_dato": "2026-06-10"},  # after the period
    ):
        praksisoppfolging.registrer_fravaer(deps, veileder, pid, _fravaer(**felt))

    data = utkast(deps, veileder, kari, "statusrapport")

    assert data["rapporteringsperiode"] == {"fra": "2026-03-02", "til": "2026-06-01"}
    assert data["fravaer"] == [
        {"arsak": "Sykdom", "dager": 5, "timer": "1.50"},
        {"arsak": "Uten gyldig grunn", "dager": 2},
    ]


def test_an_absence_without_a_valid_reason_raises_varsle_nav_until_marked_or_deleted(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid, kari = oppsett["plassering"], oppsett["deltaker"]
    _start(deps, veileder, pid)
    utvalg = frister.Fristutvalg(deltaker_id=kari, type="varsle_nav")
    praksisoppfolging.registrer_fravaer(deps, veileder, pid, _fravaer(fra_dato="2026-04-06"))
    assert frister.liste(deps, veileder, utvalg) == []  # sykdom is a valid reason
    f = praksisoppfolging.registrer_fravaer(
        deps, veileder, pid,
        _fravaer(fra_dato="2026-10-30", til_dato="2026-11-02", arsak="uten_gyldig_grunn"),
    )  # fmt: skip
    varsel = frister.liste(deps, veileder, utvalg)
    # Friday and Monday: the weekend between is no working day.
    assert [(v["nokkel"], v["frist"], v["status"]) for v in varsel] == [
        ("varsle_nav:2026-10-30", "2026-10-30", "forfalt"),
        ("varsle_nav:2026-11-02", "2026-11-02", "forfalt"),
    ]
    with deps.sessions() as s:
        lagret = s.scalars(select(Frist.nokkel).where(Frist.type == "varsle_nav")).all()
    assert sorted(lagret) == ["varsle_nav:2026-10-30", "varsle_nav:2026-11-02"]

    frister.marker_varslet(deps, veileder, deltaker_id=kari, nokkel="varsle_nav:2026-11-02")
    varsel = frister.liste(deps, veileder, utvalg)
    assert [(v["nokkel"], v["status"]) for v in varsel] == [
        ("varsle_nav:2026-10-30", "forfalt"),
        ("varsle_nav:2026-11-02", "levert"),
    ]
    with pytest.raises(InputInvalidError, match="fravær uten gyldig grunn den dagen"):
        frister.marker_varslet(deps, veileder, deltaker_id=kari, nokkel="varsle_nav:2026-10-31")

    praksisoppfolging.slett_fravaer(deps, veileder, pid, f["id"])
    assert frister.liste(deps, veileder, utvalg) == []
    with deps.sessions() as s:
        assert s.scalars(select(Frist.nokkel).where(Frist.type == "varsle_nav")).all() == []


def test_two_overlapping_absences_registered_at_once_are_stored_once(
    deps: Deps, veileder: Aktor, oppsett: dict[str, int]
) -> None:
    pid = oppsett["plassering"]
    _start(deps, veileder, pid)
    dager = [("2026-04-06", "2026-04-08"), ("2026-04-08", "2026-04-10")]
    svar = _samtidig(
        2,
        lambda i: praksisoppfolging.registrer_fravaer(
            deps, veileder, pid, _fravaer(fra_dato=dager[i][0], til_dato=dager[i][1])
        ),
    )
    assert sorted(type(s).__name__ for s in svar) == ["InputInvalidError", "dict"]
    avvist = next(s for s in svar if isinstance(s, InputInvalidError))
    assert "overlapper fraværet som allerede er registrert" in str(avvist)
    assert _antall(deps, Plasseringsfravaer) == 1
