"""The frist rule packs are data: the two shipped, a new one added without code, and the
mistakes a pack is refused for when it loads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from dokgen.errors import InputInvalidError
from dokgen.oppfolging import regelsett
from dokgen.oppfolging.frister import deltakerfrister, gjennomforingsfrister
from dokgen.oppfolging.regelsett import (
    DELTAKER,
    GJENNOMFORING,
    REGELSETT,
    TITLER,
    Engangsfrist,
    Kalenderfrist,
    Periodefrist,
    Regelsett,
    Treff,
    hent,
    tittel,
)


def test_the_shipped_packs_and_their_rules() -> None:
    assert list(REGELSETT) == ["jmo-oslo-2020", "amb"]
    jmo = hent("jmo-oslo-2020")
    assert [r.type for r in jmo.deltakerregler] == ["plan", "statusrapport", "sluttrapport"]
    assert [r.type for r in jmo.gjennomforingsregler] == ["evalueringsrapport", "resultatrapport"]
    amb = hent("amb")
    assert amb.beskrivelse == "Arbeidsmarkedsbedrift: Kvalifisering og Tilrettelagt arbeid"
    assert [r.type for r in amb.deltakerregler] == ["samtalereferat", "sluttrapport_kvalifisering"]
    assert [r.type for r in amb.gjennomforingsregler] == [
        "arsrapport",
        "tilbudsmelding",
        "motereferat",
    ]


def test_every_frist_type_has_words() -> None:
    for pakke in REGELSETT.values():
        for regel in pakke.regler:
            assert TITLER[regel.type][0].isupper()
    assert tittel("plan") == "Plan for tiltaket"
    assert tittel("arsrapport") == "Årsrapport"
    assert tittel("motereferat") == "Møtereferat"
    assert tittel("sluttrapport_kvalifisering") == "Sluttrapport fra Kvalifisering"
    assert tittel("resultatrapport") == "Resultatrapport"
    assert tittel("ukjent") == "ukjent"


def test_a_new_agreement_is_a_new_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TITLER, "kvartalsrapport", "Kvartalsrapport")
    pakke = Regelsett(
        navn="test-2030",
        beskrivelse="Test",
        regler=(
            Engangsfrist("plan", DELTAKER, regnet_fra="start", dager=10),
            Periodefrist("statusrapport", DELTAKER, maneder=2, med_siste_delperiode=True),
            Kalenderfrist("kvartalsrapport", GJENNOMFORING, maneder=3, dager_etter=20),
        ),
    )
    monkeypatch.setitem(REGELSETT, pakke.navn, pakke)
    frister = deltakerfrister("test-2030", date(2026, 1, 10), date(2026, 3, 10), horisont=date.max)
    assert [(f.nokkel, f.frist) for f in frister] == [
        ("plan", date(2026, 1, 20)),
        ("statusrapport:2026-01-10", date(2026, 3, 9)),
        # The period the end falls in counts too (med_siste_delperiode).
        ("statusrapport:2026-03-10", date(2026, 5, 9)),
    ]
    kvartaler = gjennomforingsfrister(
        "test-2030", date(2026, 5, 1), date(2026, 7, 1), horisont=date.max
    )
    assert [(f.nokkel, f.frist) for f in kvartaler] == [
        ("kvartalsrapport:2026-04-01", date(2026, 7, 20)),
        ("kvartalsrapport:2026-07-01", date(2026, 10, 20)),
    ]
    with pytest.raises(InputInvalidError, match="velg jmo-oslo-2020, amb eller test-2030"):
        hent("x")


def test_the_gjennomforings_days_replace_only_an_adjustable_rules() -> None:
    fast = Kalenderfrist("arsrapport", GJENNOMFORING, maneder=12, fast_dato=(6, 30))
    pakke = Regelsett("fast", "Test", (fast,))
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(REGELSETT, "fast", pakke)
        frister = gjennomforingsfrister(
            "fast", date(2026, 6, 30), None, horisont=date(2027, 6, 30), evaluering_dager=3
        )
    assert [f.frist for f in frister] == [date(2027, 6, 30)]


@pytest.mark.parametrize(
    "lag",
    [
        lambda: Kalenderfrist("arsrapport", GJENNOMFORING, maneder=5),
        lambda: Kalenderfrist("arsrapport", GJENNOMFORING, maneder=12, fast_dato=(2, 29)),
        lambda: Kalenderfrist("arsrapport", GJENNOMFORING, maneder=12, fast_dato=(13, 1)),
        lambda: Periodefrist("statusrapport", DELTAKER, maneder=0),
        lambda: Periodefrist("statusrapport", DELTAKER, maneder=13),
        lambda: Periodefrist("statusrapport", DELTAKER, maneder=3, dager_etter=-1),
        lambda: Engangsfrist("plan", DELTAKER, regnet_fra="start", dager=400),
        lambda: Regelsett("x", "x", (Engangsfrist("ukjent", DELTAKER, "start", 1),)),
    ],
)
def test_a_rule_that_cannot_be_computed_is_refused_when_the_pack_loads(
    lag: Callable[[], object],
) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        lag()


def test_the_match_rules_of_jmo() -> None:
    jmo = {r.type: r for r in hent("jmo-oslo-2020").regler}
    assert jmo["statusrapport"].treff == Treff("periodeslutt", slingring_dager=14)
    assert jmo["plan"].treff == regelsett.FORSTE
    assert jmo["evalueringsrapport"].treff == regelsett.OVERLAPP
