"""Buyer profiles and seller rules: each rule fires with its id and a bokmål message."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ehf.grunnlag import load_grunnlag
from ehf.model import AllowanceCharge, Attachment, Invoice, PaymentMeans
from ehf.profiles import PROFILER, check_profile, profile_for
from ehf.rules import get_regelsett
from ehf.translate import invoice_from_grunnlag
from ehf.ubl_read import credit_note_for


@pytest.fixture
def inv(kontrakt: Any) -> Invoice:
    """The contract invoice to NAV."""
    g = load_grunnlag(kontrakt("fakturagrunnlag"))
    return invoice_from_grunnlag(g, get_regelsett(g.regelsett).beregn(g.aktiviteter))


def _ids(inv: Invoice, profile: str | None = None) -> list[str]:
    return [e.path for e in check_profile(inv, profile or profile_for(inv))]


def _with(inv: Invoice, **update: Any) -> Invoice:
    return inv.model_copy(update=update)


def test_contract_invoice_passes(inv: Invoice) -> None:
    """The contract example satisfies the NAV profile and seller rules."""
    assert profile_for(inv) == "nav"
    assert check_profile(inv, "nav") == []


def test_profile_by_endpoint(inv: Invoice) -> None:
    """Another buyer endpoint gets the generic PEPPOL profile."""
    other = _with(inv, buyer=inv.buyer.model_copy(update={"endpoint": "998877660"}))
    assert profile_for(other) == "peppol"
    assert check_profile(other, "peppol") == []
    assert _ids(other, "nav") == ["NAV-01"]


@pytest.mark.parametrize(
    ("update", "rule"),
    [
        ({"buyer_reference": None}, "NAV-02"),
        ({"buyer_reference": "ABC12345"}, "NAV-02"),
        ({"order_reference": " "}, "NAV-03"),
        ({"due_date": date(2026, 11, 17)}, "NAV-06"),
    ],
)
def test_nav_rules(inv: Invoice, update: dict[str, Any], rule: str) -> None:
    """Deres referanse, bestillingsnummer and 30 days' credit each fire their rule."""
    assert _ids(_with(inv, **update)) == [rule]


def test_nav_reference_formats(inv: Invoice) -> None:
    """Both A123456 and ABC1234 are accepted; the message explains the formats."""
    assert _ids(_with(inv, buyer_reference="A123456")) == []
    (error,) = check_profile(_with(inv, buyer_reference="12"), "nav")
    assert "A123456" in error.message


def test_nav_credit_note_must_reference(inv: Invoice) -> None:
    """NAV-04: a credit note without the invoice it credits is refused."""
    note = credit_note_for(inv, number="K", issue_date=date(2026, 11, 10))
    assert _ids(note) == []
    assert _ids(_with(note, billing_reference=None)) == ["NAV-04"]


def test_nav_pdf_attachments_and_no_fees(inv: Invoice) -> None:
    """NAV-05: attachments are PDF; NAV-07: no charges (fees), though allowances are fine."""
    csv = Attachment(id="V1", filename="t.csv", mime_code="text/csv", content=b"a;b")
    fee = AllowanceCharge(
        charge=True, amount=Decimal("50"), reason="Fakturagebyr", vat_category="E",
        vat_rate=Decimal("0"),
    )  # fmt: skip
    discount = fee.model_copy(update={"charge": False, "reason": "Rabatt"})
    assert _ids(_with(inv, attachments=(csv,))) == ["NAV-05"]
    assert _ids(_with(inv, allowance_charges=(fee,))) == ["NAV-07"]
    assert _ids(_with(inv, allowance_charges=(discount,))) == []


def test_peppol_needs_a_reference(inv: Invoice) -> None:
    """PEPPOL-01: BuyerReference or OrderReference."""
    bare = _with(inv, buyer_reference=None, order_reference=None)
    assert _ids(bare, "peppol") == ["PEPPOL-01"]
    assert _ids(_with(bare, order_reference="PO-1"), "peppol") == []


def test_seller_rules(inv: Invoice) -> None:
    """SELGER-01..04: orgnr, VAT id only when registered, kontonummer, KID."""
    s = inv.seller
    assert _ids(_with(inv, seller=s.model_copy(update={"orgnr": "998877661"}))) == ["SELGER-01"]
    vat_unregistered = s.model_copy(update={"vat_id": "NO998877660MVA"})
    assert _ids(_with(inv, seller=vat_unregistered)) == ["SELGER-02"]
    registered_no_id = s.model_copy(update={"vat_registered": True})
    assert _ids(_with(inv, seller=registered_no_id)) == ["SELGER-02"]
    wrong_id = s.model_copy(update={"vat_registered": True, "vat_id": "NO123456785MVA"})
    assert _ids(_with(inv, seller=wrong_id)) == ["SELGER-02"]
    right = s.model_copy(update={"vat_registered": True, "vat_id": "NO998877660MVA"})
    assert _ids(_with(inv, seller=right)) == []
    bad_account = PaymentMeans(account="15031234563")
    assert _ids(_with(inv, payment_means=bad_account)) == ["SELGER-03"]
    assert _ids(_with(inv, payment_means=PaymentMeans(account="NO9386011117947"))) == []
    bad_kid = PaymentMeans(account="15031234562", payment_id="12345678")
    assert _ids(_with(inv, payment_means=bad_kid)) == ["SELGER-04"]
    good_kid = PaymentMeans(account="15031234562", payment_id="12345674")
    assert _ids(_with(inv, payment_means=good_kid)) == []


def test_many_problems_at_once(inv: Invoice) -> None:
    """All findings are returned together, in profile then seller order."""
    bad = _with(
        inv,
        buyer_reference=None,
        due_date=inv.issue_date + timedelta(days=10),
        payment_means=PaymentMeans(account="1"),
    )
    assert _ids(bad) == ["NAV-02", "NAV-06", "SELGER-03"]


def test_a_profile_is_an_entry(inv: Invoice, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new buyer profile is a new dict entry of checks."""
    from ehf.errors import RowError

    def ingen_vedlegg(i: Invoice) -> list[RowError]:
        return [RowError("KOMMUNE-01", "ingen vedlegg")] if not i.attachments else []

    monkeypatch.setitem(PROFILER, "kommune", [ingen_vedlegg])
    assert _ids(inv, "kommune") == ["KOMMUNE-01"]
