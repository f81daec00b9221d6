"""The årsrapport's figures from the register: deltakere in the year, årsverk by days in the
year and deltakelsesprosent (leap years too), the programme from the tiltakstype and the
results by code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dokgen.oppfolging import arstall
from dokgen.oppfolging.arstall import Deltakerar


def _d(
    fra: str | None, til: str | None = None, prosent: int | None = None, status: str = "DELTAR"
) -> Deltakerar:
    return Deltakerar(
        date.fromisoformat(fra) if fra else None,
        date.fromisoformat(til) if til else None,
        status,
        prosent,
    )


def test_half_a_year_at_50_percent_is_a_quarter_of_an_arsverk() -> None:
    # 1 January to 2 July 2026: 183 of 365 days, at 50 %: 0.2507 → 0.25.
    tall = arstall.tell([_d("2026-01-01", "2026-07-02", 50)], 2026, "kvalifisering")
    assert tall == arstall.Arstall("kvalifisering", 1, Decimal("0.25"))
    assert tall.arsverk.as_tuple().exponent == -2


def test_a_whole_year_is_one_arsverk_in_a_leap_year_too() -> None:
    assert arstall.dager_i_aret(2028) == 366
    assert arstall.dager_i_aret(2026) == 365
    hele = [_d("2027-06-01"), _d("2028-01-01", "2028-12-31", 100)]
    assert arstall.tell(hele, 2028, None).arsverk == Decimal("2.00")
    # 29 February counts: January and February 2028 are 60 of 366 days.
    assert arstall.dager_aktiv(_d("2028-01-01", "2028-02-29"), 2028) == 60
    assert arstall.tell([_d("2028-01-01", "2028-02-29")], 2028, None).arsverk == Decimal("0.16")


def test_who_counts_and_the_days_are_cut_at_the_years_ends() -> None:
    deltakere = [
        _d("2025-10-01", "2026-03-31"),  # 90 days in 2026
        _d("2026-11-01", "2027-05-01", 20),  # 61 days at 20 %
        _d("2025-01-01", "2025-12-31"),  # ended before the year
        _d("2027-01-04"),  # starts after it
        _d(None),  # no oppstart: never in the tiltak
        _d("2026-02-01", None, None, "FEILREGISTRERT"),
        _d("2026-02-01", None, None, "IKKE_AKTUELL"),
    ]
    tall = arstall.tell(deltakere, 2026, "tilrettelagt_arbeid")
    # 90/365 + 61/365 × 0.2 = 0.2466 + 0.0334 = 0.28
    assert (tall.antall_deltakere, tall.arsverk) == (2, Decimal("0.28"))
    assert arstall.tell([], 2026, None).arsverk == Decimal("0.00")


@pytest.mark.parametrize(
    ("tiltakstype", "program"),
    [
        ("Kvalifisering i arbeidsmarkedsbedrift", "kvalifisering"),
        ("AMB – Tilrettelagt  arbeid", "tilrettelagt_arbeid"),
        ("tilrettelagt arbeid etter kvalifisering", "tilrettelagt_arbeid"),
        ("Jobbmatch Oslo", None),
    ],
)
def test_the_programme_is_read_from_the_tiltakstype(tiltakstype: str, program: str | None) -> None:
    assert arstall.program_for(tiltakstype) == program


def test_results_are_counted_by_code_in_the_codes_order() -> None:
    koder = ["skole_utdanning", "arbeid_uten_tilskudd", "skole_utdanning", None, "ukjent"]
    assert arstall.tell_resultater(koder) == [
        ("arbeid_uten_tilskudd", 1),
        ("skole_utdanning", 2),
    ]
    assert arstall.i_aret("2026-12-31", 2026)
    assert not arstall.i_aret("2027-01-01", 2026)
    assert not arstall.i_aret("ikke en dato", 2026)
    assert not arstall.i_aret(None, 2026)
