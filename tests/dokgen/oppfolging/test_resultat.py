"""The resultatrapport's count (pure): active, started and ended in a month, the ended by the
rule pack's status categories, and the mapping in words."""

from __future__ import annotations

from datetime import date

import pytest

from dokgen.errors import InputInvalidError
from dokgen.oppfolging import kodeverk, resultat
from dokgen.oppfolging.regelsett import AMB_RESULTATER, REGELSETT, hent
from dokgen.oppfolging.resultat import Deltakerdata

JMO = hent("jmo-oslo-2020").resultatstatus


def _d(i: int, start: str | None, slutt: str | None = None, status: str = "DELTAR") -> Deltakerdata:
    return Deltakerdata(
        i,
        date.fromisoformat(start) if start else None,
        date.fromisoformat(slutt) if slutt else None,
        status,
    )


def test_a_month_counts_active_started_and_ended_by_status() -> None:
    deltakere = [
        _d(1, "2026-03-02"),  # active
        _d(2, "2026-10-31"),  # started the last day
        _d(3, "2026-05-04", "2026-10-01", "HAR_SLUTTET"),  # ended the first day
        _d(4, "2026-05-04", "2026-10-20", "FULLFORT"),
        _d(5, "2026-05-04", "2026-10-20", "AVBRUTT"),  # no final report
        _d(6, "2026-05-04", "2026-10-20", "HAR_SLUTTET"),  # a code the mapping lacks
        _d(7, "2026-01-04", "2026-09-30", "HAR_SLUTTET"),  # ended before the month
        _d(8, "2026-11-01", None, "VENTER_PA_OPPSTART"),  # starts after it
        _d(9, "2026-10-05", None, "IKKE_AKTUELL"),  # never in the tiltak
        _d(10, None, None, "SOKT_INN"),
        _d(11, "2026-08-01", "2026-10-25"),  # a planned end: still takes part
    ]
    koder = {3: "arbeid", 4: "delvis_arbeid", 6: "noe_annet"}
    tall = resultat.tell(deltakere, koder, JMO, "2026-10")
    assert (tall.fra, tall.til) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (tall.aktive, tall.startet, tall.avsluttet) == (7, 1, 4)
    assert [(s.tekst, s.antall) for s in tall.etter_status] == [
        ("Arbeid", 2),
        ("Utdanning", 0),
        ("Annet tiltak", 0),
        ("Ikke i arbeid", 0),
        ("Avbrutt", 0),
        ("Uten ferdig sluttrapport", 1),
        ("Status som ikke er kartlagt", 1),
    ]


def test_february_of_a_leap_year_and_a_month_written_wrong() -> None:
    tall = resultat.tell([_d(1, "2028-02-29")], {}, JMO, "2028-02")
    assert (tall.til, tall.startet, tall.aktive) == (date(2028, 2, 29), 1, 1)
    for feil in ("2026-13", "2026-1", "okt 2026", ""):
        with pytest.raises(InputInvalidError) as info:
            resultat.tell([], {}, JMO, feil)
        assert info.value.errors[0].path == "maned"
        assert "2026-10" in info.value.errors[0].message


def test_a_pack_without_categories_counts_every_ended_as_without_a_report() -> None:
    tall = resultat.tell(
        [_d(1, "2026-01-01", "2026-10-02", "HAR_SLUTTET")], {1: "x"}, None, "2026-10"
    )
    assert [(s.nokkel, s.antall) for s in tall.etter_status] == [("uten_sluttrapport", 1)]


def test_the_mapping_in_words_and_a_dotted_field() -> None:
    assert resultat.kartlegging(JMO)[:2] == [("Arbeid", "Arbeid"), ("Delvis arbeid", "Arbeid")]
    assert resultat.kodeverdi({"resultat": {"kode": "annet"}}, "resultat.kode") == "annet"
    assert resultat.kodeverdi({"resultat": "x"}, "resultat.kode") is None


def test_the_amb_mapping_follows_the_seeds_nine_results_and_the_registered_codes() -> None:
    """§14.4 a: nine results, each with its category in brackets; each code of the
    sluttrapport fra Kvalifisering (kodeverk.AMB_RESULTATKODER) is mapped."""
    amb = REGELSETT["amb"].resultatstatus
    assert amb is not None
    assert [f"{ord_} ({dict(amb.kategorier)[k]})" for _, ord_, k in AMB_RESULTATER] == [
        "Arbeid uten tilskudd (1. formidlet)",
        "Arbeid med tilskudd (2. tiltak)",
        "Arbeid/trygd (1. formidlet)",
        "Skole/utdanning (3. skole)",
        "Annen attføring (2. tiltak)",
        "Medisinsk attføring (5. annet)",
        "Søkt/fått uførepensjon (5. annet)",
        "Formidlingsklar/overført til NAV lokal (4. ledig)",
        "Annet (5. annet)",
    ]
    assert set(kodeverk.AMB_RESULTATKODER) == set(amb.koder)
