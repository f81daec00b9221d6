"""The invoice input: JSON or CSV merged with the organisation's settings, and the billing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from dokgen.documents.spesifikasjon import kontekst
from dokgen.services.fakturagrunnlag import (
    PLASSHOLDER,
    beregn,
    fra_json,
    fra_timeliste,
    grunnlag_for,
)
from ehf.errors import GrunnlagInvalidError, ProfileViolationError
from tests.conftest import KONTRAKT

IDAG = date(2026, 11, 3)


def _kontrakt() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((KONTRAKT / "fakturagrunnlag.json").read_text("utf-8"))
    return data


def _selger() -> dict[str, Any]:
    """Return the organisation's seller: the contract's (register and settings agree)."""
    selger: dict[str, Any] = _kontrakt()["selger"]
    return selger


def _innstillinger() -> dict[str, Any]:
    k = _kontrakt()
    keys = ("selger", "kjoper", "regelsett", "timepris", "valuta", "mva", "deres_referanse")
    return {key: k[key] for key in keys} | {"aksesspunkt": "ignoreres"}


def test_the_settings_fill_in_what_the_json_leaves_out() -> None:
    """Only period, references and activities given: the rest from the settings, due +30 days."""
    k = _kontrakt()
    given = {key: k[key] for key in ("periode", "bestillingsnummer", "aktiviteter")}
    g = grunnlag_for(fra_json(given), _innstillinger(), IDAG, selger=_selger())
    assert (g.fakturanummer, g.fakturadato, g.forfallsdato) == (
        PLASSHOLDER,
        IDAG,
        date(2026, 12, 3),
    )
    assert (g.selger.orgnr, g.kjoper.orgnr, g.deres_referanse) == (
        "998877660",
        "889640782",
        "ABC1234",
    )


def test_the_input_overrides_the_settings_but_never_the_seller() -> None:
    """deres_referanse from the input wins; the seller stays the organisation itself."""
    k = _kontrakt() | {"deres_referanse": "A123456"}
    k["selger"] = k["selger"] | {"navn": "Noe annet AS"}
    g = grunnlag_for(fra_json(k), _innstillinger(), IDAG, selger=_selger())
    assert (g.deres_referanse, g.selger.navn) == ("A123456", "Eksempel Arbeidsinkludering AS")
    k["selger"]["orgnr"] = "974760673"
    with pytest.raises(GrunnlagInvalidError) as info:
        grunnlag_for(fra_json(k), _innstillinger(), IDAG, selger=_selger())
    assert [e.path for e in info.value.errors] == ["selger.orgnr"]


def test_the_contract_csv_and_json_bill_the_same() -> None:
    """CSV + parameters gives the contract's grunnlag (apart from comments and attachments)."""
    csv = fra_timeliste(
        (KONTRAKT / "timeliste.csv").read_bytes(),
        fra="2026-10-01",
        til="2026-10-31",
        bestillingsnummer="4500123456",
        fakturadato="2026-11-03",
    )
    a = beregn(grunnlag_for(csv, _innstillinger(), IDAG, selger=_selger()))
    b = beregn(grunnlag_for(fra_json(_kontrakt()), _innstillinger(), IDAG, selger=_selger()))
    assert a.sum == b.sum == Decimal("6325.00")
    assert (
        [x["belop"] for x in a.linjer] == [x["belop"] for x in b.linjer] == ["4887.50", "1437.50"]
    )
    assert [x["forklaring"] for x in a.forklaringer] == [x["forklaring"] for x in b.forklaringer]
    assert [x["rad"] for x in a.forklaringer][:2] == [2, 3]  # CSV rows
    assert [x["rad"] for x in b.forklaringer][:2] == [1, 2]  # JSON positions
    assert {x["regel"] for x in a.forklaringer} == {"kvarter", "maks"}


def test_a_non_object_and_a_profile_violation_are_refused() -> None:
    """A JSON list is a 422 at the root; NAV without deres_referanse breaks its profile."""
    with pytest.raises(GrunnlagInvalidError):
        fra_json([])
    innstillinger = _innstillinger()
    del innstillinger["deres_referanse"]
    k = _kontrakt()
    del k["deres_referanse"]
    with pytest.raises(ProfileViolationError):
        beregn(grunnlag_for(fra_json(k), innstillinger, IDAG, selger=_selger()))


def test_the_specification_context_is_in_norwegian_formats() -> None:
    """Dates dd.mm.åååå, decimal commas, amounts with spaces, activity names from the rules."""
    b = beregn(grunnlag_for(fra_json(_kontrakt()), _innstillinger(), IDAG, selger=_selger()))
    ctx = kontekst("2026-0042", b.grunnlag.model_dump(mode="json"), b.linjer)
    assert (ctx["periode"], ctx["fakturadato"], ctx["sum_timer"]) == (
        "oktober 2026",
        "03.11.2026",
        "5,50",
    )
    assert ctx["sum_belop"] == "6\u00a0325,00"
    reise = ctx["deltakere"][0]["aktiviteter"][1]
    assert reise == {
        "rad": "2",
        "dato": "02.10.2026",
        "aktivitet": "Reisetid til oppfølgingsmøte",
        "minutter": "80",
        "forklaring": "Reisetid til oppfølgingsmøte: 80 min → 1,00 t (maks 1 t per møte)",
        "timer": "1,00",
    }
