"""The translation from the Norwegian fakturagrunnlag to the EN 16931 model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ehf.grunnlag import load_grunnlag
from ehf.model import Attachment
from ehf.rules import get_regelsett
from ehf.translate import invoice_from_grunnlag, periode_tekst


def _translate(data: dict[str, Any], **kw: Any) -> Any:
    g = load_grunnlag(data)
    return invoice_from_grunnlag(g, get_regelsett(g.regelsett).beregn(g.aktiviteter), **kw)


def test_contract_example(kontrakt: Any) -> None:
    """One line per deltaker: 4.25 and 1.25 h at 1150.00; E 0 % with the reason; 6325.00."""
    inv = _translate(kontrakt("fakturagrunnlag"))
    assert (inv.document_type, inv.number, inv.currency) == ("380", "2026-0042", "NOK")
    assert (inv.issue_date, inv.due_date) == (date(2026, 11, 3), date(2026, 12, 3))
    assert (inv.buyer_reference, inv.order_reference) == ("ABC1234", "4500123456")
    assert inv.period is not None
    assert (inv.period.start, inv.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert [(li.id, li.quantity, li.unit_code, li.price, li.net_amount) for li in inv.lines] == [
        ("1", Decimal("4.25"), "HUR", Decimal("1150.00"), Decimal("4887.50")),
        ("2", Decimal("1.25"), "HUR", Decimal("1150.00"), Decimal("1437.50")),
    ]
    assert [li.item_name for li in inv.lines] == ["Jobbmestrende oppfølging oktober 2026"] * 2
    assert [li.item_description for li in inv.lines] == [
        "Deltaker D-0017 Kari Nordmann",
        "Deltaker D-0023 Jon Berg",
    ]
    assert {(li.vat_category, li.vat_rate) for li in inv.lines} == {("E", Decimal("0"))}
    assert inv.exemption_reasons == {"E": "Arbeidsmarkedstiltak, jf. merverdiavgiftsloven § 3-4"}
    assert inv.totals.payable == Decimal("6325.00")
    assert inv.payment_terms == "30 dager netto"


def test_parties_and_payment(kontrakt: Any) -> None:
    """Seller/buyer orgnr as legal ids and 0192 endpoints; kontonummer as BT-84."""
    inv = _translate(kontrakt("fakturagrunnlag"))
    assert (inv.seller.orgnr, inv.seller.endpoint, inv.seller.vat_id) == (
        "998877660",
        "998877660",
        None,
    )
    assert inv.seller.business_register is True
    assert inv.seller.contact is not None
    assert inv.seller.contact.telephone == "22112233"
    assert (inv.buyer.name, inv.buyer.endpoint) == ("NAV Tiltak Oslo", "889640782")
    assert inv.buyer.address.street == "Postboks 354 Alnabru"
    assert inv.payment_means is not None
    assert (inv.payment_means.code, inv.payment_means.account) == ("30", "15031234562")


def test_vat_from_the_data(kontrakt: Any) -> None:
    """S 25 % and a VAT-registered seller come from the grunnlag, not from code."""
    data = kontrakt("fakturagrunnlag")
    data["mva"] = {"kategori": "S", "sats": "25", "fritaksgrunn": None}
    data["selger"]["mva_registrert"] = True
    data["selger"]["kid"] = "12345674"
    inv = _translate(data)
    assert inv.seller.vat_id == "NO998877660MVA"
    assert inv.exemption_reasons == {}
    assert inv.totals.vat == Decimal("1581.25")
    assert inv.payment_means is not None
    assert inv.payment_means.payment_id == "12345674"


def test_attachments_pass_through(kontrakt: Any) -> None:
    """Attachments given are embedded as they are."""
    att = Attachment(id="V1", description="Timeliste", filename="t.pdf", content=b"%PDF-1.4")
    inv = _translate(kontrakt("fakturagrunnlag"), attachments=[att])
    assert inv.attachments == (att,)


def test_period_names() -> None:
    """A calendar month is named; other periods are written as dates."""
    assert periode_tekst(date(2026, 10, 1), date(2026, 10, 31)) == "oktober 2026"
    assert periode_tekst(date(2026, 12, 1), date(2026, 12, 15)) == "desember 2026"
    assert periode_tekst(date(2026, 10, 15), date(2026, 11, 14)) == "15.10.2026–14.11.2026"
