"""The invoice model: frozen, strict, every field tied to its EN 16931 term, totals computed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from ehf.model import Address, Buyer, Invoice, Line, Seller, round2


def _inv(*lines: Line, **kw: Any) -> Invoice:
    address = Address(street="Gate 1", city="Oslo", postal_zone="0001")
    return Invoice(
        number="1",
        issue_date=date(2026, 11, 3),
        seller=Seller(name="S", orgnr="998877660", address=address),
        buyer=Buyer(name="B", orgnr="889640782", endpoint="889640782", address=address),
        lines=lines,
        **kw,
    )


def _line(q: str, p: str, cat: str = "S", rate: str = "25") -> Line:
    return Line(
        id="1", quantity=Decimal(q), price=Decimal(p), item_name="x",
        vat_category=cat, vat_rate=Decimal(rate),
    )  # fmt: skip


def test_every_field_names_its_business_term() -> None:
    """Each model field's description starts with its BT/BG id (or says what it is)."""
    for model in (Invoice, Line, Seller, Buyer):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name}"
    assert Invoice.model_fields["number"].description == "BT-1 invoice number"
    assert Invoice.model_fields["buyer_reference"].description == "BT-10 buyer reference"
    assert Line.model_fields["quantity"].description == "BT-129 invoiced quantity"


def test_frozen_and_extra_forbidden() -> None:
    """The model refuses unknown fields and cannot be changed after creation."""
    inv = _inv(_line("1", "1"))
    with pytest.raises(ValidationError):
        inv.number = "2"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        Line.model_validate({**_line("1", "1").model_dump(), "rabatt": 1})
    with pytest.raises(ValidationError):
        _inv()


def test_round_half_up() -> None:
    """0.005 rounds up, unlike banker's rounding."""
    assert round2(Decimal("0.005")) == Decimal("0.01")
    assert round2(Decimal("2.675")) == Decimal("2.68")
    assert round2(Decimal("-0.005")) == Decimal("-0.01")


def test_line_net_and_vat_rounding() -> None:
    """Line net = round(q × p); VAT on the category base, rounded once."""
    inv = _inv(_line("0.3333", "10.00"), _line("0.3333", "10.00"))
    assert [line.net_amount for line in inv.lines] == [Decimal("3.33"), Decimal("3.33")]
    (b,) = inv.vat_breakdown
    assert (b.category, b.taxable, b.tax) == ("S", Decimal("6.66"), Decimal("1.67"))
    assert inv.totals.payable == Decimal("8.33")


def test_categories_from_data_with_exemption_reason() -> None:
    """E and S lines make two subtotals; E carries its reason from the data."""
    inv = _inv(
        _line("4.25", "1150.00", "E", "0"),
        _line("2", "100.00", "S", "25"),
        exemption_reasons={"E": "Arbeidsmarkedstiltak"},
    )
    assert [(b.category, b.taxable, b.tax, b.exemption_reason) for b in inv.vat_breakdown] == [
        ("E", Decimal("4887.50"), Decimal("0.00"), "Arbeidsmarkedstiltak"),
        ("S", Decimal("200.00"), Decimal("50.00"), None),
    ]
    t = inv.totals
    assert (t.line_net, t.vat, t.tax_inclusive) == (
        Decimal("5087.50"),
        Decimal("50.00"),
        Decimal("5137.50"),
    )


def test_prepaid_reduces_payable() -> None:
    """BT-115 = BT-112 − BT-113."""
    inv = _inv(_line("1", "100.00"), prepaid=Decimal("25"))
    assert (inv.totals.tax_inclusive, inv.totals.payable) == (Decimal("125.00"), Decimal("100.00"))
