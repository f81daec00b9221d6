"""Timer: activities registered per deltaker, checked row by row against the register and
the rule pack (all rows or none), each with the adjustment in words; claimed months locked;
a no-show raising the frist "Varsle NAV samme dag"; the statusrapport's hours prefilled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import AccessDeniedError, InputInvalidError, StateConflictError
from dokgen.oppfolging import timeregler
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere, frister, timer
from dokgen.services.utkast import utkast
from dokgen.storage.db import Aktivitet, Frist, Manedskrav, Organisasjon, Revisjon
from tests.conftest import KONTRAKT
from tests.dokgen.register import FNR_JON, aktor_for, kontrakt

IDAG = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)


def _deltaker(deps: Deps, admin: Aktor, gid: int, **endringer: Any) -> int:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid, "veiledere_arrangor": []}
    data.update(endringer)
    return int(deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))["id"])


@pytest.fixture
def kari(deps: Deps, admin: Aktor, gjennomforing_id: int) -> int:
    deps.clock = lambda: IDAG
    return _deltaker(deps, admin, gjennomforing_id)


@pytest.fixture
def jon(deps: Deps, admin: Aktor, gjennomforing_id: int, kari: int) -> int:
    return _deltaker(
        deps, admin, gjennomforing_id, nr="D-0023", fornavn="Jon", etternavn="Berg",
        fodselsnummer=FNR_JON, oppstartdato="2026-08-03", sluttdato="2026-10-31",
    )  # fmt: skip


def _rad(dato: str, aktivitet: str = "oppfolging", minutter: Any = 50, nr: str = "D-0017",
         **mer: Any) -> dict[str, Any]:  # fmt: skip
    return {"dato": dato, "deltaker": {"nr": nr}, "aktivitet": aktivitet, "minutter": minutter,
            **mer}  # fmt: skip


def _antall(deps: Deps) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Aktivitet)) or 0)


def test_the_contract_timeliste_is_stored_with_each_rows_adjustment_in_words(
    deps: Deps, veileder: Aktor, kari: int, jon: int
) -> None:
    svar = timer.importer_csv(deps, veileder, (KONTRAKT / "timeliste.csv").read_bytes())

    assert svar["skrevet"] is True
    rader = timer.liste(deps, veileder, maned="2026-10")
    assert len(rader) == 8
    assert _antall(deps) == 8
    per = {(r["dato"], r["deltaker"]["nr"], r["aktivitet"]): r for r in rader}
    ikke_mott = per[("2026-10-09", "D-0017", "ikke_mott")]
    assert ikke_mott["aktivitet_tekst"] == "Deltaker møtte ikke"
    assert (ikke_mott["minutter"], ikke_mott["timer"]) == (60, "0.25")
    assert ikke_mott["justering"] == "maks 0,25 t når deltakeren ikke møter"
    reise = per[("2026-10-02", "D-0017", "reise")]
    assert (reise["timer"], reise["justering"]) == ("1.00", "maks 1 t per møte")
    gruppe = per[("2026-10-22", "D-0023", "gruppe")]
    assert (gruppe["timer"], gruppe["antall_deltakere"]) == ("0.50", 4)
    assert gruppe["justering"] == "rundet opp til nærmeste kvarter"
    assert per[("2026-10-02", "D-0017", "oppfolging")]["kilde"] == "csv"
    assert timer.fakturagrunnlag_aktiviteter(deps, veileder, kari_g(deps, kari), "2026-10")[
        :2
    ] == [
        {"dato": "2026-10-02", "deltaker": {"nr": "D-0017", "navn": "Kari Nordmann"},
         "aktivitet": "oppfolging", "minutter": 50, "kommentar": "Samtale på arbeidsplassen"},
        {"dato": "2026-10-02", "deltaker": {"nr": "D-0017", "navn": "Kari Nordmann"},
         "aktivitet": "reise", "minutter": 80, "mote": "2026-10-02 Matbutikken"},
    ]  # fmt: skip


def kari_g(deps: Deps, kari: int) -> int:
    with deps.sessions() as s:
        return int(deltakere.finn_rad(s, Aktor(1, "t", "admin"), kari).gjennomforing_id)


def test_every_refused_row_is_named_by_its_number_and_field_and_nothing_is_stored(
    deps: Deps, veileder: Aktor, kari: int, jon: int
) -> None:
    rader = [
        _rad("2026-10-02"),  # 1: good
        _rad("2026-10-02", nr="D-9999"),  # 2: unknown deltaker
        _rad("2026-03-01"),  # 3: before Kari's oppstart 2026-03-02
        _rad("2026-11-02", nr="D-0023"),  # 4: after Jon's sluttdato 2026-10-31
        _rad("2026-10-02", "kaffe"),  # 5: unknown activity
        _rad("2026-10-02", minutter=0),  # 6: no minutes
        _rad("2026-10-02", minutter=24 * 60 + 1),  # 7: more than a day
        _rad("2026-10-02", "gruppe", 90),  # 8: group size missing
        _rad("2026-11-06"),  # 9: tomorrow
        _rad("02.10.2026"),  # 10: not an ISO date
        _rad("2026-10-02", minutter="37,5"),  # 11: not whole minutes
    ]
    with pytest.raises(InputInvalidError) as exc:
        timer.registrer_liste(deps, veileder, rader)

    feil = {f.path: f.message for f in exc.value.errors}
    assert sorted(feil) == sorted(
        [
            "rad 2.deltaker.nr", "rad 3.dato", "rad 4.dato", "rad 5.aktivitet",
            "rad 6.minutter", "rad 7.minutter", "rad 8.antall_deltakere", "rad 9.dato",
            "rad 10.dato", "rad 11.minutter",
        ]
    )  # fmt: skip
    assert "ingen deltaker med nr «D-9999»" in feil["rad 2.deltaker.nr"]
    assert "før deltakerens oppstart 02.03.2026" in feil["rad 3.dato"]
    assert "etter deltakerens sluttdato 31.10.2026" in feil["rad 4.dato"]
    assert "ukjent aktivitet «kaffe»" in feil["rad 5.aktivitet"]
    assert "ikke_mott (Deltaker møtte ikke)" in feil["rad 5.aktivitet"]
    assert "f.eks. 45" in feil["rad 6.minutter"]
    assert "1440" in feil["rad 7.minutter"]
    assert "«Gruppeaktivitet», f.eks. 4" in feil["rad 8.antall_deltakere"]
    assert "fram i tid" in feil["rad 9.dato"]
    assert "f.eks. 2026-10-02" in feil["rad 10.dato"]
    assert _antall(deps) == 0

    forhandsvisning = timer.registrer_liste(deps, veileder, rader, forhandsvis=True)
    assert forhandsvisning["skrevet"] is False
    assert _antall(deps) == 0
    assert [r["dato"] for r in forhandsvisning["aktiviteter"]] == ["2026-10-02"]
    assert {(f["radnr"], f["felt"]) for f in forhandsvisning["feil"]} >= {
        (2, "deltaker.nr"),
        (8, "antall_deltakere"),
    }


def test_a_csv_rows_error_names_the_files_own_row(deps: Deps, veileder: Aktor, kari: int) -> None:
    csv = (
        b"dato;deltaker_nr;deltaker_navn;aktivitet;minutter;antall_deltakere;mote;rapport;"
        b"kommentar\n"
        b"2026-10-02;D-0017;Kari Nordmann;oppfolging;50;;;;\n"
        b"\n"
        b"2026-10-03;D-0099;Ukjent;oppfolging;50;;;;\n"
    )
    with pytest.raises(InputInvalidError) as exc:
        timer.importer_csv(deps, veileder, csv)
    assert [f.path for f in exc.value.errors] == ["rad 4.deltaker.nr"]
    assert _antall(deps) == 0

    with pytest.raises(InputInvalidError) as exc:
        timer.importer_csv(deps, veileder, b"dato;nr\n2026-10-02;D-0017\n")
    assert exc.value.errors[0].path == "rad 1"


def test_a_claimed_month_can_neither_be_added_to_changed_nor_deleted(
    deps: Deps, veileder: Aktor, kari: int, org: Organisasjon
) -> None:
    rad = timer.registrer(deps, veileder, _rad("2026-10-02"))
    with deps.sessions.begin() as s:
        krav = Manedskrav(
            org_id=org.id, gjennomforing_id=kari_g(deps, kari), maned="2026-10", art="ehf",
            status="klar", belop="1150.00", belop_kroner=1150, opprettet_av="test",
        )  # fmt: skip
        s.add(krav)

    with pytest.raises(StateConflictError, match="oktober 2026 er allerede krevd"):
        timer.slett(deps, veileder, rad["id"])
    with pytest.raises(StateConflictError, match="oktober 2026"):
        timer.endre(deps, veileder, rad["id"], _rad("2026-10-02", minutter=30))
    with pytest.raises(InputInvalidError) as exc:
        timer.registrer_liste(deps, veileder, [_rad("2026-09-30"), _rad("2026-10-05")])
    assert [f.path for f in exc.value.errors] == ["rad 2.dato"]
    assert timer.liste(deps, veileder)[0]["krevd"] is True

    with deps.sessions.begin() as s:
        s.execute(Manedskrav.__table__.update().values(status="feilet"))
    endret = timer.endre(deps, veileder, rad["id"], _rad("2026-10-02", minutter=30))
    assert (endret["minutter"], endret["timer"]) == (30, "0.50")
    timer.slett(deps, veileder, rad["id"])
    assert _antall(deps) == 0


def test_one_activitys_errors_name_the_field_alone(deps: Deps, veileder: Aktor, kari: int) -> None:
    with pytest.raises(InputInvalidError) as exc:
        timer.registrer(deps, veileder, _rad("2026-10-02", minutter=-5))
    assert [f.path for f in exc.value.errors] == ["minutter"]


def test_a_no_show_raises_the_frist_to_notify_nav_that_day_until_marked_done(
    deps: Deps, veileder: Aktor, kari: int
) -> None:
    rad = timer.registrer(deps, veileder, _rad("2026-11-04", "ikke_mott", 30))
    utvalg = frister.Fristutvalg(deltaker_id=kari)

    varsel = [f for f in frister.liste(deps, veileder, utvalg) if f["type"] == "varsle_nav"]
    assert [(f["nokkel"], f["tittel"], f["frist"], f["status"]) for f in varsel] == [
        ("varsle_nav:2026-11-04", "Varsle NAV samme dag", "2026-11-04", "forfalt")
    ]
    with deps.sessions() as s:
        lagret = s.scalars(select(Frist.nokkel).where(Frist.type == "varsle_nav")).all()
    assert lagret == ["varsle_nav:2026-11-04"]

    frister.marker_varslet(deps, veileder, deltaker_id=kari, nokkel="varsle_nav:2026-11-04")
    varsel = [f for f in frister.liste(deps, veileder, utvalg) if f["type"] == "varsle_nav"]
    # Done on the day the audit line says: the mark is that line.
    with deps.sessions() as s:
        merket = s.scalar(select(Revisjon).where(Revisjon.handling == "varslet_nav"))
    assert merket is not None
    assert merket.detalj == "varsle_nav:2026-11-04"
    assert merket.objekt_id == str(kari)
    assert [(f["status"], f["levert"]["dato"]) for f in varsel] == [
        ("levert", merket.tidspunkt.date().isoformat())
    ]
    with pytest.raises(InputInvalidError, match="møtte ikke"):
        frister.marker_varslet(deps, veileder, deltaker_id=kari, nokkel="varsle_nav:2026-11-03")

    timer.slett(deps, veileder, rad["id"])
    assert not [f for f in frister.liste(deps, veileder, utvalg) if f["type"] == "varsle_nav"]


def test_the_statusrapport_is_prefilled_with_the_billed_hours_per_month(
    deps: Deps, veileder: Aktor, kari: int
) -> None:
    timer.registrer_liste(
        deps, veileder,
        [_rad("2026-03-10"), _rad("2026-05-05", "ikke_mott", 60), _rad("2026-05-06", minutter=90),
         _rad("2026-07-01", minutter=600)],  # after the first period (2 March – 1 June)
    )  # fmt: skip

    data = utkast(deps, veileder, kari, "statusrapport")

    assert data["rapporteringsperiode"] == {"fra": "2026-03-02", "til": "2026-06-01"}
    assert data["oppfolgingstimer_per_maned"] == [
        {"maned": "2026-03", "timer": "1.00"},
        {"maned": "2026-05", "timer": "1.75"},
    ]


def test_a_leser_reads_but_does_not_register_and_other_organisations_are_unknown(
    deps: Deps, kari: int, org: Organisasjon, annen_org: Organisasjon,
    bruker: Callable[..., str], veileder: Aktor,
) -> None:  # fmt: skip
    leser = aktor_for(deps, org, bruker("leser"))
    with pytest.raises(AccessDeniedError):
        timer.registrer(deps, leser, _rad("2026-10-02"))
    regnskap = aktor_for(deps, org, bruker("regnskap"))
    timer.registrer(deps, regnskap, _rad("2026-10-02"))
    assert len(timer.liste(deps, leser, deltaker_id=kari)) == 1

    fremmed = aktor_for(deps, annen_org, bruker("veileder", annen_org))
    assert timer.liste(deps, fremmed) == []
    with pytest.raises(InputInvalidError) as exc:
        timer.registrer(deps, fremmed, _rad("2026-10-02"))
    assert [f.path for f in exc.value.errors] == ["deltaker.nr"]
    with pytest.raises(InputInvalidError, match="ÅÅÅÅ-MM"):
        timer.liste(deps, veileder, maned="2026-13")


def test_the_week_view_lists_the_deltakere_and_their_minutes_per_day(
    deps: Deps, veileder: Aktor, kari: int, jon: int
) -> None:
    timer.registrer_liste(deps, veileder, [_rad("2026-10-27"), _rad("2026-10-27", minutter=10)],
                          kilde="uke")  # fmt: skip
    uke = timer.uke(deps, veileder, timeregler.les_uke("2026-W44"))
    assert uke["uke"] == "2026-W44"
    assert uke["forrige"] == "2026-W43"
    assert uke["dager"][0] == "2026-10-26"
    assert len(uke["dager"]) == 7
    assert [d["nr"] for d in uke["deltakere"]] == ["D-0023", "D-0017"]
    assert uke["minutter"] == {f"{kari}:2026-10-27:oppfolging": 60}
    jon_rad = uke["deltakere"][0]
    assert jon_rad["aktive_dager"] == [True] * 6 + [False]  # Jon ends on Saturday 31 October
    assert timeregler.les_uke("2026-W01") == date(2025, 12, 29)
    with pytest.raises(InputInvalidError):
        timeregler.les_uke("2026-44")
