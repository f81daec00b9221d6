"""The billing rule sets: the contract example by hand, caps, rounding, groups, the registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehf.errors import GrunnlagInvalidError, RuleSetUnknownError
from ehf.grunnlag import load_grunnlag
from ehf.rules import (
    REGELSETT,
    AktivitetRegel,
    Regelsett,
    get_regelsett,
    register,
    timer_for,
)

JMO = get_regelsett("jmo-oslo-2020")


@dataclass(frozen=True)
class _Deltaker:
    nr: str
    navn: str


@dataclass(frozen=True)
class _Akt:
    aktivitet: str
    minutter: Decimal
    deltaker: _Deltaker = _Deltaker("D-1", "Test Testesen")
    dato: date = date(2026, 10, 1)
    mote: str | None = None
    rapport: str | None = None
    antall_deltakere: int | None = None


def _akt(aktivitet: str, minutter: int | str, **kw: Any) -> _Akt:
    return _Akt(aktivitet, Decimal(minutter), **kw)


def _timer(*aktiviteter: _Akt, regelsett: Regelsett = JMO) -> list[Decimal]:
    linjer = regelsett.beregn(aktiviteter).linjer
    return [j.timer for linje in linjer for j in linje.justeringer]


def test_contract_example_by_hand(kontrakt: Any) -> None:
    """D-0017 = 1 + 1 + 0.25 + 0.5 + 1 + 0.5 = 4.25 h; D-0023 = 0.75 + 0.5 = 1.25 h."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    f = JMO.beregn(g.aktiviteter)
    assert (f.regelsett, f.versjon) == ("jmo-oslo-2020", "2020.1")
    kari, jon = f.linjer
    assert (kari.deltaker_nr, kari.deltaker_navn, kari.timer) == (
        "D-0017",
        "Kari Nordmann",
        Decimal("4.25"),
    )
    assert (jon.deltaker_nr, jon.deltaker_navn, jon.timer) == (
        "D-0023",
        "Jon Berg",
        Decimal("1.25"),
    )
    assert [(j.rad, j.timer, j.forklaring) for j in kari.justeringer] == [
        (
            1,
            Decimal("1.00"),
            "Oppfølging med deltaker til stede: 50 min → 1,00 t (rundet opp til nærmeste kvarter)",
        ),
        (2, Decimal("1.00"), "Reisetid til oppfølgingsmøte: 80 min → 1,00 t (maks 1 t per møte)"),
        (
            3,
            Decimal("0.25"),
            "Deltaker møtte ikke: 60 min → 0,25 t (maks 0,25 t når deltakeren ikke møter)",
        ),
        (
            4,
            Decimal("0.50"),
            "Oppfølging av arbeidsgiver knyttet til deltakeren: 20 min → 0,50 t "
            "(rundet opp til nærmeste kvarter)",
        ),
        (
            5,
            Decimal("1.00"),
            "Skriving av statusrapport eller sluttrapport: 95 min → 1,00 t (maks 1 t per rapport)",
        ),
        (
            8,
            Decimal("0.50"),
            "Gruppeaktivitet: 90 min / 4 deltakere → 0,50 t (rundet opp til nærmeste kvarter)",
        ),
    ]
    assert [(j.rad, j.timer, j.forklaring) for j in jon.justeringer] == [
        (
            6,
            Decimal("0.75"),
            "Oppfølging på video eller telefon: 35 min → 0,75 t (rundet opp til nærmeste kvarter)",
        ),
        (
            7,
            Decimal("0.50"),
            "Gruppeaktivitet: 90 min / 4 deltakere → 0,50 t (rundet opp til nærmeste kvarter)",
        ),
    ]
    assert [j.regel for j in kari.justeringer] == [
        "kvarter",
        "maks",
        "maks",
        "kvarter",
        "maks",
        "kvarter",
    ]
    assert kari.justeringer[1].dato == date(2026, 10, 2)
    assert f.timer * Decimal("1150.00") == Decimal("6325.0000")


@pytest.mark.parametrize(
    ("minutter", "timer"),
    [(0, "0"), (1, "0.25"), (15, "0.25"), (16, "0.50"), (45, "0.75"), (60, "1"), (61, "1.25")],
)
def test_rounding_up_to_quarter(minutter: int, timer: str) -> None:
    """Exactly 15 min is 0.25 h; one minute more is the next quarter; 0 stays 0."""
    assert timer_for(Decimal(minutter)) == Decimal(timer)
    assert _timer(_akt("oppfolging", minutter)) == [Decimal(timer).quantize(Decimal("0.01"))]


def test_exact_quarter_has_no_rounding_note() -> None:
    """A whole quarter is not 'rounded up'; a fraction of minutes is."""
    exact = JMO.beregn([_akt("oppfolging", 30)]).linjer[0].justeringer[0]
    assert exact.forklaring == "Oppfølging med deltaker til stede: 30 min → 0,50 t"
    comma = JMO.beregn([_akt("oppfolging", "37.5")]).linjer[0].justeringer[0]
    assert comma.forklaring == (
        "Oppfølging med deltaker til stede: 37,5 min → 0,75 t (rundet opp til nærmeste kvarter)"
    )


def test_ikke_mott_cap() -> None:
    """A no-show bills at most 0.25 h, but a 5-minute attempt still rounds to 0.25."""
    assert _timer(_akt("ikke_mott", 5), _akt("ikke_mott", 200)) == [Decimal("0.25")] * 2


def test_reise_cap_is_per_meeting() -> None:
    """Travel is capped at 1 h per meeting, summed over rows of the same meeting."""
    timer = _timer(
        _akt("reise", 40, mote="A"),
        _akt("reise", 40, mote="A"),
        _akt("reise", 70, mote="B"),
        _akt("reise", 70),
        _akt("reise", 70),
    )
    assert timer == [Decimal(t) for t in ("0.75", "0.25", "1.00", "1.00", "1.00")]
    j = JMO.beregn([_akt("reise", 40, mote="A"), _akt("reise", 40, mote="A")])
    assert (
        j.linjer[0].justeringer[1].forklaring
        == "Reisetid til oppfølgingsmøte: 40 min → 0,25 t (maks 1 t per møte)"
    )


def test_reise_cap_is_per_deltaker() -> None:
    """Two deltakere at the same meeting name each have their own hour."""
    other = _Deltaker("D-2", "Per Persen")
    timer = _timer(_akt("reise", 60, mote="A"), _akt("reise", 60, mote="A", deltaker=other))
    assert timer == [Decimal("1.00"), Decimal("1.00")]


def test_rapportskriving_cap_per_report() -> None:
    """Report writing is capped at 1 h per report."""
    timer = _timer(
        _akt("rapportskriving", 95, rapport="statusrapport"),
        _akt("rapportskriving", 30, rapport="sluttrapport"),
        _akt("rapportskriving", 30, rapport="statusrapport"),
    )
    assert timer == [Decimal("1.00"), Decimal("0.50"), Decimal("0.00")]


@pytest.mark.parametrize(
    ("minutter", "antall", "timer"),
    [(90, 4, "0.50"), (60, 4, "0.25"), (61, 4, "0.50"), (120, 3, "0.75"), (100, 3, "0.75")],
)
def test_group_division_then_rounding(minutter: int, antall: int, timer: str) -> None:
    """A group activity is divided by the participants, then rounded up."""
    assert _timer(_akt("gruppe", minutter, antall_deltakere=antall)) == [Decimal(timer)]


def test_lines_sorted_by_deltaker_nr() -> None:
    """One line per deltaker, sorted by number, with the sum of its rows."""
    a, b = _Deltaker("D-9", "Ni"), _Deltaker("D-1", "En")
    f = JMO.beregn([_akt("oppfolging", 60, deltaker=a), _akt("oppfolging", 20, deltaker=b)])
    assert [(lin.deltaker_nr, lin.timer) for lin in f.linjer] == [
        ("D-1", Decimal("0.50")),
        ("D-9", Decimal("1.00")),
    ]


def test_unknown_rule_set() -> None:
    """An unknown name raises RuleSetUnknownError with the known names."""
    with pytest.raises(RuleSetUnknownError, match="jmo-oslo-2020"):
        get_regelsett("finnes-ikke")
    assert JMO.kjenner("gruppe")
    assert not JMO.kjenner("kaffe")


def test_unknown_activity_is_refused_by_the_rule_set() -> None:
    """beregn() refuses activities it does not know, naming every one by its position."""
    with pytest.raises(GrunnlagInvalidError) as info:
        JMO.beregn([_akt("kaffe", 10), _akt("oppfolging", 10), _akt("lunsj", 30)])
    assert [e.path for e in info.value.errors] == [
        "aktiviteter[0].aktivitet",
        "aktiviteter[2].aktivitet",
    ]
    assert info.value.errors[0].message.startswith("ukjent aktivitet «kaffe» (kjente: oppfolging")


def test_a_new_agreement_is_a_new_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy rule set registered as data bills by its own rules."""
    monkeypatch.setattr("ehf.rules.REGELSETT", dict(REGELSETT))
    toy = Regelsett(
        navn="leke-2030",
        versjon="1",
        beskrivelse="Lekeavtale",
        aktiviteter={
            "kurs": AktivitetRegel("Kurs", maks_timer=Decimal("2"), maks_tekst="maks 2 t"),
            "kaffe": AktivitetRegel("Kaffe", fakturerbar=False),
        },
    )
    register(toy)
    assert get_regelsett("leke-2030") is toy
    f = toy.beregn([_akt("kurs", 200), _akt("kaffe", 30)])
    assert [j.forklaring for j in f.linjer[0].justeringer] == [
        "Kurs: 200 min → 2,00 t (maks 2 t)",
        "Kaffe: 30 min → 0,00 t (faktureres ikke)",
    ]
    assert f.linjer[0].timer == Decimal("2.00")


@settings(deadline=None)  # no timing: the machine is shared
@given(
    aktivitet=st.sampled_from(sorted(JMO.aktiviteter)),
    minutter=st.decimals(min_value=0, max_value=1440, places=1),
    antall=st.integers(min_value=1, max_value=30),
)
def test_hours_are_quarters_and_never_less_than_raw(
    aktivitet: str, minutter: Decimal, antall: int
) -> None:
    """Each entry's hours are a multiple of 0.25 and ≥ the raw hours after the cap."""
    regel = JMO.aktiviteter[aktivitet]
    (timer,) = _timer(_akt(aktivitet, str(minutter), antall_deltakere=antall))
    assert timer % Decimal("0.25") == 0
    raw = minutter / 60 / (antall if regel.del_paa_deltakere else 1)
    if regel.maks_timer is not None:
        raw = min(raw, regel.maks_timer)
    assert timer >= raw
    assert timer - raw < Decimal("0.25")
