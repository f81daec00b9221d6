"""The AMB tilbudsmelding, opplæringsplan and samtalereferat: what each model refuses, the
places the tilbudsmelding adds up, and the samtalereferat's date as the document's period."""

from __future__ import annotations

from typing import Any

import pytest

from dokgen.documents.context import build_context
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.errors import InputInvalidError

KANTINE = {"avdeling": "Kantine", "kvalifisering": 1, "tilrettelagt_arbeid": 0}


def _dump(data: dict[str, Any]) -> dict[str, Any]:
    return parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")


def test_the_tilbudsmelding_adds_up_the_places_of_each_horizon(kontrakt: Any) -> None:
    context = build_context("tilbudsmelding", _dump(kontrakt("tilbudsmelding")))
    assert context["sum_kort_sikt_kvalifisering"] == "3"
    assert context["sum_kort_sikt_tilrettelagt_arbeid"] == "1"
    assert context["sum_lengre_sikt_kvalifisering"] == "4"
    assert context["sum_lengre_sikt_tilrettelagt_arbeid"] == "2"


@pytest.mark.parametrize(
    ("type_navn", "change", "error"),
    [
        (
            "tilbudsmelding",
            {"kort_sikt": [KANTINE | {"kvalifisering": -1}]},
            ("kort_sikt.0.kvalifisering", "må være minst 0"),
        ),
        ("tilbudsmelding", {"lengre_sikt": []}, ("lengre_sikt", "må ha minst 1 element")),
        (
            "tilbudsmelding",
            {"underskriver": {"navn": "Lise Berg"}},
            ("underskriver.telefon", "mangler (påkrevd felt): skriv 8 siffer, f.eks. 40000017"),
        ),
        (
            "opplaeringsplan",
            {"beregnet_avsluttet": "2026-01-15"},
            ("beregnet_avsluttet", "datoen kan ikke være før oppstartdato"),
        ),
        (
            "opplaeringsplan",
            {"planperiode": {"fra": "2026-01-01", "til": "2026-02-01"}},
            ("planperiode", "datoen kan ikke være før oppstartdato"),
        ),
        ("opplaeringsplan", {"faglige_mal": []}, ("faglige_mal", "må ha minst 1 element")),
        (
            "samtalereferat",
            {"nye_delmal": []},
            (
                "nye_delmal",
                "skriv de nye delmålene, eller svar nei på om det er fastsatt nye",
            ),
        ),
        (
            "samtalereferat",
            {"nye_delmal_fastsatt": False},
            ("nye_delmal", "svaret er at det ikke er fastsatt nye delmål; fjern radene"),
        ),
        (
            "samtalereferat",
            {"neste_samtale": "2026-06-01"},
            ("neste_samtale", "datoen kan ikke være før samtalen"),
        ),
        ("samtalereferat", {"temaer": []}, ("temaer", "må ha minst 1 element")),
    ],
)
def test_each_amb_type_refuses_what_nav_could_not_use(
    type_navn: str, change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """Places below nought, no places on longer notice, no phone; a plan ending before the
    start; new delmål said but not written, or written but said not; a next conversation
    before this one, a conversation without a theme."""
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(kontrakt(type_navn) | change, tillat_syntetiske=True)
    assert [(e.path, e.message) for e in info.value.errors] == [error]


@pytest.mark.parametrize(
    ("type_navn", "summary"),
    [
        ("tilbudsmelding", ("", "2026-06-01", "2026-06-01")),
        ("opplaeringsplan", ("Per Hansen", "2026-03-02", "2027-03-01")),
        ("samtalereferat", ("Per Hansen", "2026-06-10", "2026-06-10")),
    ],
)
def test_each_amb_type_summarises_itself_for_the_list_and_the_frister(
    type_navn: str, summary: tuple[str, str, str], kontrakt: Any
) -> None:
    """The list's period is what the frister are judged by: the samtalereferat's is the day
    of the conversation, not the day the referat was signed."""
    assert DOKUMENTTYPER[type_navn].summarise(kontrakt(type_navn)) == summary
