"""The register's input models: a gjennomføring's invoicing set-up (kravform, timepris
periods) in both shapes the contract allows, and every error in bokmål on its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from dokgen.errors import InputInvalidError
from dokgen.oppfolging.modeller import FaktureringInn, GjennomforingInn, les
from dokgen.oppfolging.timepriser import timepris_for
from tests.dokgen.register import kontrakt


def _feil(modell: Any, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputInvalidError) as exc:
        les(modell, data)
    return {f.path: f.message for f in exc.value.errors}


def test_the_contract_with_a_plain_timepris_is_an_ehf_gjennomforing_without_periods() -> None:
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
    assert (inn.kravform, inn.timepriser, inn.timepris) == ("ehf", [], Decimal("1150.00"))


def test_timepris_periods_are_read_and_pick_the_price_of_a_day() -> None:
    data = kontrakt("gjennomforing.json") | {
        "kravform": "nav_refusjonskrav",
        "timepriser": [
            {"fra": "2026-01-01", "til": "2026-06-30", "timepris": "1150.00"},
            {"fra": "2026-07-01", "timepris": "1200.50"},
        ],
    }
    inn = les(GjennomforingInn, data)
    lagret = [p.model_dump(mode="json") for p in inn.timepriser]
    assert inn.kravform == "nav_refusjonskrav"
    assert timepris_for(lagret, None, date(2026, 6, 30)) == Decimal("1150.00")
    assert timepris_for(lagret, None, date(2026, 10, 1)) == Decimal("1200.50")


@pytest.mark.parametrize("modell", [GjennomforingInn, FaktureringInn])
def test_each_period_error_names_its_row_counted_from_one(modell: Any) -> None:
    data = kontrakt("gjennomforing.json") | {
        "timepriser": [
            {"fra": "2026-01-01", "til": "2026-06-30", "timepris": "1150.00"},
            {"fra": "2026-06-01", "til": "2026-12-31", "timepris": "1200.00"},
            {"fra": "2027-03-01", "til": "2027-01-31", "timepris": "1250.00"},
            {"fra": "2028-01-01", "timepris": "1300.00"},
            {"fra": "2029-01-01", "timepris": "1350.00"},
        ]
    }
    if modell is FaktureringInn:
        data = {k: v for k, v in data.items() if k in FaktureringInn.model_fields}
    assert _feil(modell, data) == {
        "timepriser.1.fra": "rad 2 overlapper rad 1: en dag kan bare ha én timepris, endre datoene",
        "timepriser.2.til": "rad 3: «til» kan ikke være før «fra»",
        "timepriser.4.fra": "rad 5 overlapper rad 4: en dag kan bare ha én timepris, endre datoene",
    }


def test_a_bad_kravform_or_timepris_is_refused_in_bokmal() -> None:
    data = kontrakt("gjennomforing.json") | {
        "kravform": "brev",
        "timepriser": [{"fra": "2026-01-01", "timepris": 1150.5}, {"til": "2026-02-30"}],
    }
    feil = _feil(GjennomforingInn, data)
    assert feil["kravform"] == "ukjent kravform «brev»: bruk en av ehf, nav_refusjonskrav"
    assert feil["timepriser.0.timepris"].startswith('oppgi beløpet som tekst, f.eks. "1150.00"')
    assert set(feil) >= {"timepriser.1.fra", "timepriser.1.til", "timepriser.1.timepris"}
