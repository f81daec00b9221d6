"""The fakturagrunnlag: the contract example loads; every rule reports its path in bokmål."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ehf.errors import GrunnlagInvalidError
from ehf.grunnlag import load_grunnlag


def _errors(data: Any) -> dict[str, str]:
    with pytest.raises(GrunnlagInvalidError) as info:
        load_grunnlag(data)
    return {e.path: e.message for e in info.value.errors}


def test_contract_example_loads(kontrakt: Any) -> None:
    """Every contract field arrives typed: Decimal money, dates, nested parties."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    assert g.fakturanummer == "2026-0042"
    assert g.timepris == Decimal("1150.00")
    assert g.mva.kategori == "E"
    assert g.mva.sats == Decimal("0")
    assert g.selger.kontonummer == "15031234562"
    assert g.selger.kid is None
    assert g.kjoper.orgnr == "889640782"
    assert len(g.aktiviteter) == 8
    assert g.aktiviteter[6].antall_deltakere == 4
    assert g.aktiviteter[1].mote == "2026-10-02 Matbutikken"
    assert g.vedlegg[0].filnavn == "timeliste-2026-10.pdf"
    assert isinstance(g.aktiviteter[0].minutter, Decimal)


def test_unknown_field_and_missing_field(kontrakt: Any) -> None:
    """extra="forbid": an unknown field is refused; a missing one is named."""
    data = kontrakt("fakturagrunnlag")
    data["selger"]["fodselsdato"] = "x"
    del data["fakturanummer"]
    errors = _errors(data)
    assert errors["selger.fodselsdato"] == "ukjent felt"
    assert errors["fakturanummer"] == "mangler"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("minutter", -5, "kan ikke være negativt"),
        ("minutter", 1441, "kan ikke være mer enn 24 timer (1440 minutter) på én rad"),
        ("minutter", "mange", "må være et tall"),
        ("aktivitet", "kaffe", "ukjent aktivitet «kaffe»"),
        ("dato", "2026-11-01", "2026-11-01 er utenfor perioden"),
        ("dato", "2026-09-30", "2026-09-30 er utenfor perioden"),
        ("dato", "2026-13-01", "ugyldig dato (bruk ÅÅÅÅ-MM-DD)"),
    ],
)
def test_invalid_activity_row(kontrakt: Any, field: str, value: Any, message: str) -> None:
    """Each activity rule reports ``aktiviteter[i].felt`` with a bokmål message."""
    data = kontrakt("fakturagrunnlag")
    data["aktiviteter"][3][field] = value
    errors = _errors(data)
    assert errors[f"aktiviteter[3].{field}"].startswith(message)


def test_group_needs_participants(kontrakt: Any) -> None:
    """A group row without antall_deltakere, or with 0, is refused."""
    data = kontrakt("fakturagrunnlag")
    del data["aktiviteter"][6]["antall_deltakere"]
    data["aktiviteter"][7]["antall_deltakere"] = 0
    errors = _errors(data)
    assert errors["aktiviteter[6].antall_deltakere"] == "gruppe krever antall deltakere (minst 1)"
    assert errors["aktiviteter[7].antall_deltakere"] == "gruppe krever antall deltakere (minst 1)"


def test_identifiers_are_checked(kontrakt: Any) -> None:
    """orgnr, kontonummer and KID are checked with their mod 11 / MOD10 rules."""
    data = kontrakt("fakturagrunnlag")
    data["selger"]["orgnr"] = "998877661"
    data["kjoper"]["orgnr"] = "12345"
    data["selger"]["kontonummer"] = "15031234563"
    data["selger"]["kid"] = "12345678"
    errors = _errors(data)
    assert errors["selger.orgnr"] == "organisasjonsnummeret har feil kontrollsiffer"
    assert errors["kjoper.orgnr"] == "organisasjonsnummer må være 9 siffer"
    assert errors["selger.kontonummer"] == "kontonummeret har feil kontrollsiffer"
    assert errors["selger.kid"].startswith("KID har feil kontrollsiffer")


def test_valid_kid_accepted(kontrakt: Any) -> None:
    """A KID with a MOD10 check digit passes."""
    data = kontrakt("fakturagrunnlag")
    data["selger"]["kid"] = "12345674"
    assert load_grunnlag(data).selger.kid == "12345674"


def test_period_and_dates(kontrakt: Any) -> None:
    """til before fra, and a due date before the invoice date, are refused."""
    data = kontrakt("fakturagrunnlag")
    data["periode"] = {"fra": "2026-10-31", "til": "2026-10-01"}
    data["forfallsdato"] = "2026-11-01"
    errors = _errors(data)
    assert errors["periode.til"] == "kan ikke være før periode.fra"
    assert errors["forfallsdato"] == "kan ikke være før fakturadato"


def test_unknown_rule_set(kontrakt: Any) -> None:
    """A grunnlag naming an unknown rule set is refused at ``regelsett``."""
    data = kontrakt("fakturagrunnlag")
    data["regelsett"] = "ukjent-2099"
    assert _errors(data)["regelsett"].startswith("ukjent regelsett «ukjent-2099»")


def test_exempt_vat_needs_a_reason(kontrakt: Any) -> None:
    """Category E without fritaksgrunn is refused (BR-E-10 needs the text)."""
    data = kontrakt("fakturagrunnlag")
    data["mva"]["fritaksgrunn"] = None
    assert _errors(data)["mva.fritaksgrunn"] == "mangler (påkrevd for kategori E)"


def test_no_fodselsnummer_anywhere(kontrakt: Any) -> None:
    """A deltaker number or comment that is a person id is refused; the value is not echoed."""
    data = kontrakt("fakturagrunnlag")
    data["aktiviteter"][0]["deltaker"]["nr"] = "15858545606"
    data["aktiviteter"][2]["kommentar"] = "fnr 158585 45606"
    with pytest.raises(GrunnlagInvalidError) as info:
        load_grunnlag(data)
    paths = [e.path for e in info.value.errors]
    assert "aktiviteter[0].deltaker.nr" in paths
    assert "aktiviteter[2].kommentar" in paths
    assert "15858545606" not in str(info.value)


def test_many_errors_at_once(kontrakt: Any) -> None:
    """Every problem in the rows is listed in one error."""
    data = kontrakt("fakturagrunnlag")
    data["aktiviteter"][0]["minutter"] = -1
    data["aktiviteter"][2]["aktivitet"] = "lunsj"
    data["aktiviteter"][4]["dato"] = "2026-12-24"
    data["aktiviteter"][6]["antall_deltakere"] = None
    data["fakturadato"] = "i går"
    errors = _errors(data)
    assert sorted(errors) == [
        "aktiviteter[0].minutter",
        "aktiviteter[2].aktivitet",
        "aktiviteter[4].dato",
        "aktiviteter[6].antall_deltakere",
        "fakturadato",
    ]


def test_not_an_object() -> None:
    """A JSON list or string is refused with a message, not a crash."""
    assert _errors(["x"]) == {"": "må være et objekt"}
