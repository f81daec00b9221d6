"""The frister of a deltaker and a gjennomføring: month ends, leap years, end dates, the
horizon, moved dates, and judging them against deliveries, manual links and statuses."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dokgen.errors import InputInvalidError, classify
from dokgen.oppfolging.frister import (
    BORTFALT,
    FORFALT,
    KOMMENDE,
    LEVERT,
    SNART,
    STATUSER,
    Frist,
    Fristvurdering,
    Levering,
    add_months,
    deltakerfrister,
    gjennomforingsfrister,
    vurder,
)
from dokgen.oppfolging.regelsett import Treff

JMO = "jmo-oslo-2020"
LANGT_FRAM = date(2030, 1, 1)
D = date.fromisoformat


def _frister(oppstart: str, slutt: str | None = None, horisont: str = "2030-01-01") -> list[Frist]:
    return deltakerfrister(JMO, D(oppstart), D(slutt) if slutt else None, horisont=D(horisont))


def _status(frister: list[Frist]) -> list[tuple[str, str, str]]:
    """Return each statusrapport frist as (period start, period end, due date)."""
    return [
        (str(f.periode_fra), str(f.periode_til), str(f.frist))
        for f in frister
        if f.type == "statusrapport"
    ]


def _en(frister: list[Frist], nokkel: str) -> Frist:
    return next(f for f in frister if f.nokkel == nokkel)


def _lev(dokument_id: str, type_: str, fra: str | None, til: str | None, dato: str) -> Levering:
    return Levering(dokument_id, type_, D(fra) if fra else None, D(til) if til else None, D(dato))


def _vurdert(
    frister: list[Frist],
    leveringer: list[Levering],
    dato: str = "2026-01-01",
    koblinger: dict[str, Levering] | None = None,
    status: str | None = "DELTAR",
) -> dict[str, Fristvurdering]:
    vurderinger = vurder(frister, leveringer, koblinger or {}, dato=D(dato), status=status)
    return {v.frist.nokkel: v for v in vurderinger}


# --- month arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dag", "maneder", "ventet"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-01-31", 3, "2026-04-30"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2026-08-31", 3, "2026-11-30"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-15", -13, "2024-12-15"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(
    dag: str, maneder: int, ventet: str
) -> None:
    assert add_months(D(dag), maneder) == D(ventet)


# --- a deltaker's frister under jmo-oslo-2020 ---------------------------------------------


def test_plan_is_due_three_weeks_after_oppstart() -> None:
    plan = _en(_frister("2026-03-02"), "plan")
    assert (plan.type, plan.periode_fra, plan.periode_til) == ("plan", None, None)
    assert plan.frist == D("2026-03-23")


def test_statusrapport_periods_are_three_months_from_oppstart_due_a_week_after() -> None:
    frister = _frister("2026-03-02", horisont="2027-03-09")
    assert _status(frister) == [
        ("2026-03-02", "2026-06-01", "2026-06-08"),
        ("2026-06-02", "2026-09-01", "2026-09-08"),
        ("2026-09-02", "2026-12-01", "2026-12-08"),
        ("2026-12-02", "2027-03-01", "2027-03-08"),
    ]
    assert next(f.nokkel for f in frister if f.type == "statusrapport") == (
        "statusrapport:2026-03-02"
    )


def test_anchors_from_31_january_are_counted_from_oppstart_not_from_the_last_anchor() -> None:
    # 31 Jan + 3 months = 30 Apr; + 6 = 31 Jul (not 30 Jul, as 30 Apr + 3 would give).
    assert _status(_frister("2026-01-31", horisont="2027-02-07")) == [
        ("2026-01-31", "2026-04-29", "2026-05-06"),
        ("2026-04-30", "2026-07-30", "2026-08-06"),
        ("2026-07-31", "2026-10-30", "2026-11-06"),
        ("2026-10-31", "2027-01-30", "2027-02-06"),
    ]


def test_anchors_from_30_november_pass_a_short_february() -> None:
    assert _status(_frister("2025-11-30", horisont="2026-12-07")) == [
        ("2025-11-30", "2026-02-27", "2026-03-06"),
        ("2026-02-28", "2026-05-29", "2026-06-05"),
        ("2026-05-30", "2026-08-29", "2026-09-05"),
        ("2026-08-30", "2026-11-29", "2026-12-06"),
    ]


def test_anchors_from_31_august() -> None:
    assert _status(_frister("2026-08-31", horisont="2027-06-07")) == [
        ("2026-08-31", "2026-11-29", "2026-12-06"),
        ("2026-11-30", "2027-02-27", "2027-03-06"),
        ("2027-02-28", "2027-05-30", "2027-06-06"),
    ]


def test_leap_year_anchor_on_29_february() -> None:
    assert _status(_frister("2027-11-30", horisont="2028-06-06"))[:2] == [
        ("2027-11-30", "2028-02-28", "2028-03-06"),
        ("2028-02-29", "2028-05-29", "2028-06-05"),
    ]


def test_oppstart_on_29_february() -> None:
    frister = _frister("2028-02-29", horisont="2029-06-05")
    assert _status(frister) == [
        ("2028-02-29", "2028-05-28", "2028-06-04"),
        ("2028-05-29", "2028-08-28", "2028-09-04"),
        ("2028-08-29", "2028-11-28", "2028-12-05"),
        ("2028-11-29", "2029-02-27", "2029-03-06"),
        ("2029-02-28", "2029-05-28", "2029-06-04"),
    ]
    assert _en(frister, "plan").frist == D("2028-03-21")


def test_a_sluttdato_inside_a_period_ends_the_statusrapporter_and_sets_the_sluttrapport() -> None:
    frister = _frister("2026-01-05", "2026-05-20")
    assert _status(frister) == [("2026-01-05", "2026-04-04", "2026-04-11")]
    assert "statusrapport:2026-04-05" not in {f.nokkel for f in frister}
    slutt = _en(frister, "sluttrapport")
    assert (slutt.periode_fra, slutt.frist) == (None, D("2026-05-27"))


def test_a_sluttdato_on_an_anchor_keeps_the_period_that_ends_the_day_before() -> None:
    assert _status(_frister("2026-01-05", "2026-04-05")) == [
        ("2026-01-05", "2026-04-04", "2026-04-11")
    ]


def test_a_sluttdato_on_a_periods_last_day_leaves_that_period_to_the_sluttrapport() -> None:
    frister = _frister("2026-01-05", "2026-04-04")
    assert _status(frister) == []
    assert _en(frister, "sluttrapport").frist == D("2026-04-11")


def test_without_sluttdato_no_sluttrapport_and_the_horizon_bounds_the_due_dates() -> None:
    assert "sluttrapport" not in {f.nokkel for f in _frister("2026-01-05")}
    # Period 2 ends 2026-07-04, due 2026-07-11: in on its due date, out the day before.
    assert len(_status(_frister("2026-01-05", horisont="2026-07-11"))) == 2
    assert len(_status(_frister("2026-01-05", horisont="2026-07-10"))) == 1
    assert _status(_frister("2026-01-05", horisont="2026-01-05")) == []
    assert _en(_frister("2026-01-05", horisont="2026-01-05"), "plan").frist == D("2026-01-26")


def test_with_a_sluttdato_the_horizon_does_not_cut_the_periods() -> None:
    frister = _frister("2026-01-05", "2027-01-20", horisont="2026-02-01")
    assert len(_status(frister)) == 4
    assert _en(frister, "sluttrapport").frist == D("2027-01-27")


def test_no_oppstartdato_no_frister() -> None:
    assert deltakerfrister(JMO, None, D("2026-05-01"), horisont=LANGT_FRAM) == []


def test_frister_come_by_due_date() -> None:
    frister = _frister("2026-01-05", "2026-08-01")
    assert [f.nokkel for f in frister] == [
        "plan",
        "statusrapport:2026-01-05",
        "statusrapport:2026-04-05",
        "sluttrapport",
    ]


def test_dates_after_9990_are_refused_and_a_far_horizon_stops_in_time() -> None:
    with pytest.raises(InputInvalidError) as info:
        deltakerfrister(JMO, D("2026-01-05"), date.max, horisont=LANGT_FRAM)
    assert [e.path for e in info.value.errors] == ["sluttdato"]
    frister = deltakerfrister(JMO, D("9990-01-01"), None, horisont=date.max)
    # The fourth period would be due 9991-01-07, after the last date the arithmetic takes.
    assert _status(frister)[-1] == ("9990-07-01", "9990-09-30", "9990-10-07")


# --- moved dates ----------------------------------------------------------------------------


def test_a_moved_oppstart_moves_the_open_frister_and_the_delivered_stay_levert() -> None:
    plan = _lev("p1", "plan", None, None, "2026-01-20")
    rapport = _lev("s1", "statusrapport", "2026-01-05", "2026-04-04", "2026-04-08")
    for_ = _frister("2026-01-05", horisont="2026-07-31")
    etter = _frister("2026-01-12", horisont="2026-07-31")
    assert _en(etter, "plan").frist - _en(for_, "plan").frist == timedelta(days=7)
    assert _status(etter)[:2] == [
        ("2026-01-12", "2026-04-11", "2026-04-18"),
        ("2026-04-12", "2026-07-11", "2026-07-18"),
    ]
    vurdert = _vurdert(etter, [plan, rapport], dato="2026-05-01")
    assert (vurdert["plan"].status, vurdert["plan"].dokument_id) == (LEVERT, "p1")
    forste = vurdert["statusrapport:2026-01-12"]
    assert (forste.status, forste.dokument_id, forste.for_sent) == (LEVERT, "s1", False)
    assert vurdert["statusrapport:2026-04-12"].status == KOMMENDE


# --- judging --------------------------------------------------------------------------------


def test_status_boundaries_around_the_due_date() -> None:
    plan = [_en(_frister("2026-03-02"), "plan")]  # due 2026-03-23
    assert _vurdert(plan, [], dato="2026-03-15")["plan"].status == KOMMENDE
    assert _vurdert(plan, [], dato="2026-03-16")["plan"].status == SNART
    assert _vurdert(plan, [], dato="2026-03-23")["plan"].status == SNART
    assert _vurdert(plan, [], dato="2026-03-24")["plan"].status == FORFALT
    assert STATUSER[SNART] == "Snart"


def test_levert_carries_the_finalised_date_and_whether_it_was_late() -> None:
    frister = _frister("2026-03-02")
    i_tide = _vurdert(frister, [_lev("p1", "plan", None, None, "2026-03-23")], "2026-04-01")
    assert i_tide["plan"] == Fristvurdering(
        _en(frister, "plan"), LEVERT, D("2026-03-23"), False, "p1"
    )
    sent = _vurdert(frister, [_lev("p1", "plan", None, None, "2026-03-24")], "2026-04-01")
    assert (sent["plan"].status, sent["plan"].for_sent) == (LEVERT, True)
    assert sent["plan"].levert_dato == D("2026-03-24")


def test_the_first_finalised_plan_meets_the_plan_frist() -> None:
    leveringer = [
        _lev("p2", "plan", None, None, "2026-04-02"),
        _lev("p1", "plan", None, None, "2026-03-20"),
    ]
    vurdert = _vurdert(_frister("2026-03-02"), leveringer)
    assert vurdert["plan"].dokument_id == "p1"


def test_a_document_of_another_type_meets_nothing() -> None:
    frister = _frister("2026-03-02", "2026-05-01")
    vurdert = _vurdert(frister, [_lev("x", "sluttrapport", None, None, "2026-03-10")], "2026-04-01")
    assert vurdert["plan"].status == FORFALT
    assert vurdert["sluttrapport"].dokument_id == "x"


@pytest.mark.parametrize(
    ("slutt", "levert"),
    [
        ("2026-06-01", True),
        ("2026-05-18", True),  # 14 days before the period's end
        ("2026-06-15", True),  # 14 days after
        ("2026-05-17", False),
        ("2026-06-16", False),
    ],
)
def test_a_statusrapport_meets_the_period_whose_end_is_within_14_days(
    slutt: str, levert: bool
) -> None:
    frister = _frister("2026-03-02", horisont="2026-06-08")  # period to 2026-06-01
    rapport = _lev("s1", "statusrapport", "2026-03-02", slutt, "2026-06-20")
    vurdert = _vurdert(frister, [rapport], dato="2026-06-25")["statusrapport:2026-03-02"]
    assert (vurdert.status == LEVERT) is levert
    assert vurdert.status == (LEVERT if levert else FORFALT)


def test_of_two_statusrapporter_near_one_period_the_nearest_meets_it() -> None:
    frister = _frister("2026-03-02", horisont="2026-09-08")
    fjern = _lev("s-fjern", "statusrapport", "2026-03-02", "2026-06-12", "2026-06-13")
    naer = _lev("s-naer", "statusrapport", "2026-03-02", "2026-05-30", "2026-06-20")
    for leveringer in ([fjern, naer], [naer, fjern]):
        vurdert = _vurdert(frister, leveringer, dato="2026-09-01")
        assert vurdert["statusrapport:2026-03-02"].dokument_id == "s-naer"
        assert vurdert["statusrapport:2026-06-02"].status == SNART
        assert [v.dokument_id for v in vurdert.values()].count("s-fjern") == 0


def test_the_other_document_can_meet_the_next_frist() -> None:
    # Short periods (built by hand) so one document is within reach of two frister.
    treff = Treff("periodeslutt", slingring_dager=14)
    forste = Frist("s:1", "s", D("2026-01-01"), D("2026-01-20"), D("2026-01-27"), treff)
    andre = Frist("s:2", "s", D("2026-01-21"), D("2026-02-09"), D("2026-02-16"), treff)
    a = _lev("a", "s", None, "2026-01-21", "2026-01-22")  # 1 day from the first end
    b = _lev("b", "s", None, "2026-01-27", "2026-01-28")  # 7 from the first, 13 from the second
    vurdert = _vurdert([forste, andre], [b, a], dato="2026-03-01")
    assert (vurdert["s:1"].dokument_id, vurdert["s:2"].dokument_id) == ("a", "b")


def test_a_manual_link_wins_and_its_document_meets_nothing_else() -> None:
    frister = _frister("2026-03-02", horisont="2026-09-08")
    automatisk = _lev("s1", "statusrapport", "2026-03-02", "2026-06-01", "2026-06-05")
    koblet = _lev("s9", "statusrapport", "2026-06-02", "2026-09-01", "2026-06-10")
    vurdert = _vurdert(
        frister,
        [automatisk, koblet],
        dato="2026-09-20",
        koblinger={"statusrapport:2026-03-02": koblet, "statusrapport:1999-01-01": automatisk},
    )
    forste = vurdert["statusrapport:2026-03-02"]
    assert (forste.status, forste.dokument_id, forste.levert_dato) == (
        LEVERT,
        "s9",
        D("2026-06-10"),
    )
    # s9 covers the second period too, but is used up; s1 ends 92 days from that end.
    assert vurdert["statusrapport:2026-06-02"].status == FORFALT


def test_a_manual_link_to_a_late_document_is_late() -> None:
    frister = [_en(_frister("2026-03-02"), "plan")]
    koblet = _lev("d7", "arbeidspraksisavtale", None, None, "2026-04-30")
    vurdert = _vurdert(frister, [], dato="2026-05-01", koblinger={"plan": koblet})
    assert (vurdert["plan"].status, vurdert["plan"].for_sent) == (LEVERT, True)


@pytest.mark.parametrize("status", ["IKKE_AKTUELL", "FEILREGISTRERT"])
def test_open_frister_fall_away_for_a_deltaker_without_frister(status: str) -> None:
    frister = _frister("2026-01-05", horisont="2026-07-11")
    plan = _lev("p1", "plan", None, None, "2026-01-20")
    vurdert = _vurdert(frister, [plan], dato="2026-05-01", status=status)
    assert vurdert["plan"].status == LEVERT
    assert {v.status for k, v in vurdert.items() if k != "plan"} == {BORTFALT}
    assert STATUSER[BORTFALT] == "Bortfalt"


def test_other_statuses_and_none_keep_the_frister_open() -> None:
    frister = [_en(_frister("2026-01-05"), "plan")]
    for status in ("DELTAR", "HAR_SLUTTET", None):
        assert _vurdert(frister, [], dato="2026-05-01", status=status)["plan"].status == FORFALT


def test_vurder_keeps_the_order_of_the_frister() -> None:
    frister = list(reversed(_frister("2026-01-05", "2026-09-01")))
    vurderinger = vurder(frister, [], {}, dato=D("2026-01-01"), status=None)
    assert [v.frist for v in vurderinger] == frister


# --- a gjennomføring's evalueringsrapporter -------------------------------------------------


def _evaluering(
    start: str, slutt: str | None = None, horisont: str = "2030-01-01", **kw: int
) -> list[tuple[str, str, str, str]]:
    frister = gjennomforingsfrister(
        JMO, D(start), D(slutt) if slutt else None, horisont=D(horisont), **kw
    )
    return [
        (f.nokkel, str(f.periode_fra), str(f.periode_til), str(f.frist))
        for f in frister
        if f.type == "evalueringsrapport"
    ]


def test_evaluering_per_half_year_from_a_mid_year_start() -> None:
    assert _evaluering("2026-03-15", horisont="2027-01-14") == [
        ("evalueringsrapport:2026-01-01", "2026-01-01", "2026-06-30", "2026-07-14"),
        ("evalueringsrapport:2026-07-01", "2026-07-01", "2026-12-31", "2027-01-14"),
    ]
    assert len(_evaluering("2026-03-15", horisont="2027-01-13")) == 1


def test_evaluering_up_to_the_half_year_the_gjennomforing_ends_in() -> None:
    assert [n for n, *_ in _evaluering("2026-07-01", "2027-01-01", horisont="2026-01-01")] == [
        "evalueringsrapport:2026-07-01",
        "evalueringsrapport:2027-01-01",
    ]
    assert len(_evaluering("2026-07-01", "2026-12-31")) == 1
    assert _evaluering("2026-07-01", "2026-06-30") == []


def test_evaluering_days_are_the_gjennomforings_setting() -> None:
    assert _evaluering("2026-02-01", "2026-06-01", evaluering_dager=30)[0][3] == "2026-07-30"
    assert _evaluering("2026-02-01", "2026-06-01", evaluering_dager=0)[0][3] == "2026-06-30"
    with pytest.raises(InputInvalidError) as info:
        _evaluering("2026-02-01", evaluering_dager=-1)
    assert [(e.path, e.message) for e in info.value.errors] == [
        ("evaluering_dager", "må være mellom 0 og 366 dager")
    ]


def test_an_evalueringsrapport_meets_the_half_year_it_overlaps_nearest_by_its_end() -> None:
    frister = gjennomforingsfrister(JMO, D("2026-03-15"), None, horisont=D("2027-01-14"))
    hele_aret = _lev("e1", "evalueringsrapport", "2026-01-01", "2026-12-31", "2027-01-05")
    forste_halvar = _lev("e2", "evalueringsrapport", "2026-03-15", "2026-06-30", "2026-07-20")
    vurdert = _vurdert(frister, [hele_aret, forste_halvar], dato="2027-01-10", status=None)
    h1, h2 = vurdert["evalueringsrapport:2026-01-01"], vurdert["evalueringsrapport:2026-07-01"]
    assert (h1.dokument_id, h1.for_sent) == ("e2", True)
    assert (h2.dokument_id, h2.for_sent) == ("e1", False)


def test_an_evalueringsrapport_outside_the_half_year_meets_nothing() -> None:
    frister = gjennomforingsfrister(JMO, D("2026-03-15"), None, horisont=D("2026-07-14"))
    senere = _lev("e1", "evalueringsrapport", "2026-07-01", "2026-12-31", "2027-01-05")
    uten_periode = _lev("e2", "evalueringsrapport", None, None, "2026-07-01")
    vurdert = _vurdert(frister, [senere, uten_periode], dato="2026-07-10", status=None)
    assert vurdert["evalueringsrapport:2026-01-01"].status == SNART


def test_a_gjennomforing_has_no_deltaker_frister_and_the_reverse() -> None:
    assert {f.type for f in _frister("2026-01-05", "2027-01-01")} == {
        "plan",
        "statusrapport",
        "sluttrapport",
    }
    egne = gjennomforingsfrister(JMO, D("2026-01-05"), D("2027-01-01"), horisont=LANGT_FRAM)
    assert {f.type for f in egne} == {"evalueringsrapport", "resultatrapport"}


# --- the amb pack (the AMB kravspesifikasjon) -------------------------------------------------


def test_amb_arsrapport_by_30_june_and_a_tilbudsmelding_every_month() -> None:
    frister = gjennomforingsfrister("amb", D("2026-10-15"), D("2027-02-10"), horisont=LANGT_FRAM)
    arsrapporter = [(f.nokkel, f.frist) for f in frister if f.type == "arsrapport"]
    assert arsrapporter == [
        ("arsrapport:2026-01-01", D("2027-06-30")),
        ("arsrapport:2027-01-01", D("2028-06-30")),
    ]
    # §8.1 «minst en gang i måneden»: by each month's last day.
    meldinger = [(str(f.periode_fra), str(f.frist)) for f in frister if f.type == "tilbudsmelding"]
    assert meldinger == [
        ("2026-10-01", "2026-10-31"),
        ("2026-11-01", "2026-11-30"),
        ("2026-12-01", "2026-12-31"),
        ("2027-01-01", "2027-01-31"),
        ("2027-02-01", "2027-02-28"),
    ]
    # §1.2 a «minimum én gang i året»: a meeting with NAV per calendar year, by 31 December.
    moter = [(f.nokkel, str(f.frist)) for f in frister if f.type == "motereferat"]
    assert moter == [
        ("motereferat:2026-01-01", "2026-12-31"),
        ("motereferat:2027-01-01", "2027-12-31"),
    ]


def test_amb_a_tilbudsmelding_any_day_of_the_month_meets_it() -> None:
    frister = gjennomforingsfrister("amb", D("2026-10-15"), D("2026-11-30"), horisont=LANGT_FRAM)
    uten_periode = _lev("t1", "tilbudsmelding", None, None, "2026-10-03")
    datert = _lev("t2", "tilbudsmelding", "2026-11-29", None, "2026-12-02")
    vurdert = _vurdert(frister, [uten_periode, datert], dato="2026-12-05", status=None)
    oktober, november = vurdert["tilbudsmelding:2026-10-01"], vurdert["tilbudsmelding:2026-11-01"]
    assert (oktober.status, oktober.dokument_id, oktober.for_sent) == (LEVERT, "t1", False)
    # Dated in November but finalised in December: delivered, late.
    assert (november.status, november.dokument_id, november.for_sent) == (LEVERT, "t2", True)


def test_amb_an_arsrapport_finalised_by_30_june_meets_the_year_before() -> None:
    frister = gjennomforingsfrister("amb", D("2026-01-01"), None, horisont=D("2027-07-01"))
    rapport = _lev("a1", "arsrapport", None, None, "2027-05-20")
    vurdert = _vurdert(frister, [rapport], dato="2027-07-01", status=None)
    assert (vurdert["arsrapport:2026-01-01"].status, vurdert["arsrapport:2026-01-01"].for_sent) == (
        LEVERT,
        False,
    )


def test_amb_samtalereferat_every_third_month_from_oppstart() -> None:
    frister = [
        f
        for f in deltakerfrister("amb", D("2026-01-31"), None, horisont=D("2026-10-30"))
        if f.type == "samtalereferat"
    ]
    assert [(f.nokkel, str(f.periode_til), str(f.frist)) for f in frister] == [
        ("samtalereferat:2026-01-31", "2026-04-29", "2026-04-29"),
        ("samtalereferat:2026-04-30", "2026-07-30", "2026-07-30"),
        ("samtalereferat:2026-07-31", "2026-10-30", "2026-10-30"),
    ]
    # Any conversation in the period meets it, early in the period too (§13.2 «minst hver 3.
    # måned»); one conversation meets one period.
    tidlig = _lev("r1", "samtalereferat", "2026-02-10", None, "2026-02-11")
    vurdert = _vurdert(frister, [tidlig], dato="2026-05-01")
    assert vurdert["samtalereferat:2026-01-31"].status == LEVERT
    assert vurdert["samtalereferat:2026-04-30"].status != LEVERT


def test_amb_sluttrapport_after_kvalifisering_by_the_gjennomforings_days() -> None:
    def frist(**kw: int | None) -> date:
        frister = deltakerfrister(
            "amb", D("2026-01-05"), D("2026-06-30"), horisont=LANGT_FRAM, **kw
        )
        return next(f.frist for f in frister if f.type == "sluttrapport_kvalifisering")

    assert frist() == D("2026-07-14")  # 14 days until the samarbeidsavtale sets it
    assert frist(innstillinger={"sluttrapport_dager": None}) == D("2026-07-14")
    assert frist(innstillinger={"sluttrapport_dager": 30}) == D("2026-07-30")
    assert frist(innstillinger={"sluttrapport_dager": 0}) == D("2026-06-30")
    with pytest.raises(InputInvalidError) as info:
        frist(innstillinger={"sluttrapport_dager": 400})
    assert [e.path for e in info.value.errors] == ["sluttrapport_dager"]
    uten_slutt = deltakerfrister("amb", D("2026-01-05"), None, horisont=D("2026-12-31"))
    assert "sluttrapport_kvalifisering" not in {f.type for f in uten_slutt}


# --- the jmo resultatrapport's monthly frist -----------------------------------------------


def test_jmo_resultatrapport_each_month_by_a_day_of_the_next() -> None:
    def frister(**kw: object) -> list[tuple[str, str]]:
        alle = gjennomforingsfrister(
            JMO, D("2026-01-20"), D("2026-03-05"), horisont=LANGT_FRAM, **kw
        )
        return [(f.nokkel, str(f.frist)) for f in alle if f.type == "resultatrapport"]

    assert frister() == [
        ("resultatrapport:2026-01-01", "2026-02-10"),
        ("resultatrapport:2026-02-01", "2026-03-10"),
        ("resultatrapport:2026-03-01", "2026-04-10"),
    ]
    assert frister(innstillinger={"resultatrapport_dag": 5})[1] == (
        "resultatrapport:2026-02-01",
        "2026-03-05",
    )
    # The evalueringsrapport's own days do not move it.
    assert frister(evaluering_dager=30) == frister()


def test_jmo_resultatrapport_met_by_the_export_marked_done() -> None:
    alle = gjennomforingsfrister(JMO, D("2026-01-20"), None, horisont=D("2026-03-10"))
    frister = [f for f in alle if f.type == "resultatrapport"]
    vurdert = {
        v.frist.nokkel: v
        for v in vurder(
            frister,
            [],
            {},
            dato=D("2026-03-12"),
            utfort={"resultatrapport:2026-01-01": D("2026-02-12")},
        )
    }
    januar, februar = vurdert["resultatrapport:2026-01-01"], vurdert["resultatrapport:2026-02-01"]
    assert (januar.status, januar.levert_dato, januar.for_sent) == (LEVERT, D("2026-02-12"), True)
    assert februar.status == FORFALT


# --- rule pack names ------------------------------------------------------------------------


@pytest.mark.parametrize("navn", ["x", "JMO-OSLO-2020", ""])
def test_an_unknown_rule_pack_is_an_input_error_in_bokmal(navn: str) -> None:
    for kall in (
        lambda: deltakerfrister(navn, D("2026-01-05"), None, horisont=LANGT_FRAM),
        lambda: gjennomforingsfrister(navn, D("2026-01-05"), None, horisont=LANGT_FRAM),
    ):
        with pytest.raises(InputInvalidError) as info:
            kall()
        assert [(e.path, e.message) for e in info.value.errors] == [
            ("regelsett", f"ukjent regelsett «{navn}»: velg jmo-oslo-2020 eller amb")
        ]
        kind = classify(info.value)
        assert kind is not None
        assert kind.status == 422


# --- properties -----------------------------------------------------------------------------

_datoer = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(deadline=None)  # no timing: the machine is shared
@given(oppstart=_datoer, dager=st.integers(min_value=0, max_value=3000))
def test_statusrapport_periods_tile_the_time_from_oppstart(oppstart: date, dager: int) -> None:
    horisont = oppstart + timedelta(days=dager)
    frister = [
        f
        for f in deltakerfrister(JMO, oppstart, None, horisont=horisont)
        if f.type == "statusrapport"
    ]
    forventet_fra = oppstart
    for k, frist in enumerate(frister, start=1):
        assert frist.periode_fra == forventet_fra
        assert frist.periode_til == add_months(oppstart, 3 * k) - timedelta(days=1)
        assert frist.periode_til.day in (oppstart.day - 1, 27, 28, 29, 30, 31)
        assert 88 <= (frist.periode_til - frist.periode_fra).days <= 91
        assert frist.frist == frist.periode_til + timedelta(days=7) <= horisont
        forventet_fra = frist.periode_til + timedelta(days=1)
    neste_til = add_months(oppstart, 3 * (len(frister) + 1)) - timedelta(days=1)
    assert neste_til + timedelta(days=7) > horisont


@settings(deadline=None)
@given(oppstart=_datoer, lengde=st.integers(min_value=0, max_value=1500))
def test_with_a_sluttdato_exactly_the_periods_ending_before_it_remain(
    oppstart: date, lengde: int
) -> None:
    slutt = oppstart + timedelta(days=lengde)
    frister = deltakerfrister(JMO, oppstart, slutt, horisont=date(2000, 1, 1))
    perioder = [f for f in frister if f.type == "statusrapport"]
    assert all(f.periode_til is not None and f.periode_til < slutt for f in perioder)
    neste_til = add_months(oppstart, 3 * (len(perioder) + 1)) - timedelta(days=1)
    assert neste_til >= slutt
    assert _en(frister, "sluttrapport").frist == slutt + timedelta(days=7)


@settings(deadline=None)
@given(start=_datoer, lengde=st.integers(min_value=0, max_value=2000))
def test_evaluering_half_years_cover_the_gjennomforing(start: date, lengde: int) -> None:
    slutt = start + timedelta(days=lengde)
    frister = [
        f
        for f in gjennomforingsfrister(JMO, start, slutt, horisont=date(2000, 1, 1))
        if f.type == "evalueringsrapport"
    ]
    assert frister[0].periode_fra is not None
    assert frister[0].periode_fra <= start
    assert frister[-1].periode_til is not None
    assert frister[-1].periode_til >= slutt
    for forrige, neste in itertools.pairwise(frister):
        assert forrige.periode_til is not None
        assert neste.periode_fra is not None
        assert neste.periode_fra == forrige.periode_til + timedelta(days=1)
    for frist in frister:
        assert frist.periode_fra is not None
        assert frist.periode_til is not None
        assert (frist.periode_fra.month, frist.periode_fra.day) in ((1, 1), (7, 1))
        assert frist.periode_til == add_months(frist.periode_fra, 6) - timedelta(days=1)
        assert frist.frist == frist.periode_til + timedelta(days=14)


@settings(deadline=None)
@given(
    slutter=st.lists(st.integers(min_value=0, max_value=800), max_size=12),
    dato=st.integers(min_value=0, max_value=900),
)
def test_each_document_meets_at_most_one_frist(slutter: list[int], dato: int) -> None:
    oppstart = date(2026, 1, 31)
    frister = deltakerfrister(JMO, oppstart, None, horisont=date(2028, 6, 1))
    leveringer = [
        Levering(f"s{i}", "statusrapport", None, oppstart + timedelta(days=d), date(2028, 1, 1))
        for i, d in enumerate(slutter)
    ]
    vurderinger = vurder(frister, leveringer, {}, dato=oppstart + timedelta(days=dato))
    brukte = [v.dokument_id for v in vurderinger if v.dokument_id is not None]
    assert len(brukte) == len(set(brukte))
    for v in vurderinger:
        assert (v.status == LEVERT) == (v.dokument_id is not None)
        if v.status == LEVERT:
            levering = next(lev for lev in leveringer if lev.dokument_id == v.dokument_id)
            assert v.frist.periode_til is not None
            assert levering.periode_til is not None
            assert abs((levering.periode_til - v.frist.periode_til).days) <= 14
