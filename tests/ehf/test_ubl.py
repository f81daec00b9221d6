"""The UBL builder and reader: amounts at their XPaths, XSD order, the official rules, no fnr."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ehf.errors import GrunnlagInvalidError, ProfileViolationError, XmlUnsafeError
from ehf.grunnlag import load_grunnlag
from ehf.identifiers import contains_person_ident
from ehf.model import Attachment, Invoice, Line
from ehf.rules import get_regelsett
from ehf.translate import invoice_from_grunnlag
from ehf.ubl import CUSTOMIZATION_ID, PROFILE_ID, build, build_credit_note, build_invoice
from ehf.ubl_read import credit_note_for, read_invoice
from ehf.validation import get_validator
from tests.conftest import FIXTURES

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
PDF = (FIXTURES / "ubl" / "vedlegg.pdf").read_bytes()


def _invoice(kontrakt: Any, **changes: Any) -> Invoice:
    data = kontrakt("fakturagrunnlag")
    data.update(changes)
    g = load_grunnlag(data)
    att = Attachment(
        id="V1", description="Timeliste oktober 2026", filename="timeliste-2026-10.pdf",
        mime_code="application/pdf", content=PDF,
    )  # fmt: skip
    return invoice_from_grunnlag(
        g, get_regelsett(g.regelsett).beregn(g.aktiviteter), attachments=[att]
    )


def _x(root: etree._Element, path: str) -> list[str]:
    found = root.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [str(v) for v in found]


def _xsd(peppol_dir: Path, kind: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(
        str(peppol_dir / "ubl-2.1" / "xsdrt" / "maindoc" / f"UBL-{kind}-2.1.xsd")
    )


def test_contract_invoice_amounts_at_their_xpaths(kontrakt: Any) -> None:
    """Lines 4.25 × 1150 and 1.25 × 1150, total 6325.00, VAT E 0 with the reason."""
    root = etree.fromstring(build(_invoice(kontrakt)))
    assert _x(root, "cbc:CustomizationID/text()") == [CUSTOMIZATION_ID]
    assert _x(root, "cbc:ProfileID/text()") == [PROFILE_ID]
    assert _x(root, "cbc:ID/text()") == ["2026-0042"]
    assert _x(root, "cbc:IssueDate/text()") == ["2026-11-03"]
    assert _x(root, "cbc:DueDate/text()") == ["2026-12-03"]
    assert _x(root, "cbc:InvoiceTypeCode/text()") == ["380"]
    assert _x(root, "cbc:BuyerReference/text()") == ["ABC1234"]
    assert _x(root, "cac:OrderReference/cbc:ID/text()") == ["4500123456"]
    assert _x(root, "cac:InvoicePeriod/cbc:StartDate/text()") == ["2026-10-01"]
    assert _x(root, "cac:InvoiceLine/cbc:InvoicedQuantity/text()") == ["4.25", "1.25"]
    assert _x(root, "cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode") == ["HUR", "HUR"]
    assert _x(root, "cac:InvoiceLine/cbc:LineExtensionAmount/text()") == ["4887.50", "1437.50"]
    assert _x(root, "cac:InvoiceLine/cac:Price/cbc:PriceAmount/text()") == ["1150.00"] * 2
    assert _x(root, "cac:InvoiceLine/cac:Item/cbc:Description/text()") == [
        "Deltaker D-0017 Kari Nordmann",
        "Deltaker D-0023 Jon Berg",
    ]
    assert _x(root, "cac:InvoiceLine[1]/cac:Item/cbc:Name/text()") == [
        "Jobbmestrende oppfølging oktober 2026"
    ]
    total = "cac:LegalMonetaryTotal/cbc:"
    for name in (
        "LineExtensionAmount",
        "TaxExclusiveAmount",
        "TaxInclusiveAmount",
        "PayableAmount",
    ):
        assert _x(root, f"{total}{name}/text()") == ["6325.00"]
        assert _x(root, f"{total}{name}/@currencyID") == ["NOK"]
    sub = "cac:TaxTotal/cac:TaxSubtotal/"
    assert _x(root, "cac:TaxTotal/cbc:TaxAmount/text()") == ["0.00"]
    assert _x(root, f"{sub}cbc:TaxableAmount/text()") == ["6325.00"]
    assert _x(root, f"{sub}cac:TaxCategory/cbc:ID/text()") == ["E"]
    assert _x(root, f"{sub}cac:TaxCategory/cbc:Percent/text()") == ["0"]
    assert _x(root, f"{sub}cac:TaxCategory/cbc:TaxExemptionReason/text()") == [
        "Arbeidsmarkedstiltak, jf. merverdiavgiftsloven § 3-4"
    ]


def test_seller_buyer_and_payment(kontrakt: Any) -> None:
    """Endpoints 0192; Foretaksregisteret (TAX) but no VAT id outside Mva-registeret."""
    root = etree.fromstring(build(_invoice(kontrakt)))
    seller = "cac:AccountingSupplierParty/cac:Party/"
    assert _x(root, f"{seller}cbc:EndpointID/text()") == ["998877660"]
    assert _x(root, f"{seller}cbc:EndpointID/@schemeID") == ["0192"]
    assert _x(root, f"{seller}cac:PartyTaxScheme/cbc:CompanyID/text()") == ["Foretaksregisteret"]
    assert _x(root, f"{seller}cac:PartyTaxScheme/cac:TaxScheme/cbc:ID/text()") == ["TAX"]
    assert _x(root, f"{seller}cac:PartyLegalEntity/cbc:CompanyID/text()") == ["998877660"]
    assert _x(root, f"{seller}cac:Contact/cbc:ElectronicMail/text()") == ["faktura@eksempel.no"]
    buyer = "cac:AccountingCustomerParty/cac:Party/"
    assert _x(root, f"{buyer}cbc:EndpointID/text()") == ["889640782"]
    assert _x(root, "cac:PaymentMeans/cbc:PaymentMeansCode/text()") == ["30"]
    assert _x(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID/text()") == ["15031234562"]
    assert _x(root, "cac:PaymentMeans/cbc:PaymentID/text()") == []


def test_vat_registered_seller_gets_vat_id(kontrakt: Any) -> None:
    """A VAT-registered seller carries NO<orgnr>MVA under TaxScheme VAT, before TAX."""
    data = kontrakt("fakturagrunnlag")
    data["selger"]["mva_registrert"] = True
    g = load_grunnlag(data)
    root = etree.fromstring(
        build(invoice_from_grunnlag(g, get_regelsett(g.regelsett).beregn(g.aktiviteter)))
    )
    schemes = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/"
    assert _x(root, f"{schemes}cbc:CompanyID/text()") == ["NO998877660MVA", "Foretaksregisteret"]


def test_attachment_base64_round_trips(kontrakt: Any) -> None:
    """The PDF is embedded as base64 with mimeCode and filename, and reads back byte for byte."""
    xml = build(_invoice(kontrakt))
    root = etree.fromstring(xml)
    obj = "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    assert _x(root, f"{obj}/@mimeCode") == ["application/pdf"]
    assert _x(root, f"{obj}/@filename") == ["timeliste-2026-10.pdf"]
    assert base64.b64decode(_x(root, f"{obj}/text()")[0]) == PDF
    assert read_invoice(xml).attachments[0].content == PDF


def test_invoice_is_valid_against_the_ubl_xsd(kontrakt: Any, peppol_dir: Path) -> None:
    """Elements are in XSD sequence order: xmlschema accepts invoice and credit note."""
    inv = _invoice(kontrakt)
    assert [str(e) for e in _xsd(peppol_dir, "Invoice").iter_errors(build(inv))] == []
    note = credit_note_for(inv, number="K-1", issue_date=date(2026, 11, 10))
    assert [str(e) for e in _xsd(peppol_dir, "CreditNote").iter_errors(build(note))] == []


@pytest.mark.integration
def test_official_rules_find_nothing(kontrakt: Any, peppol_dir: Path) -> None:
    """Invoice and credit note: 0 fatal and 0 warnings from XSD, CEN and PEPPOL rules."""
    inv = _invoice(kontrakt)
    validator = get_validator(peppol_dir, "3.0.21")
    report = validator.validate(build(inv))
    assert [(f.rule, f.message) for f in report.findings] == []
    note = credit_note_for(read_invoice(build(inv)), number="K-1", issue_date=date(2026, 11, 10))
    report = validator.validate(build(note))
    assert [(f.rule, f.message) for f in report.findings] == []


@pytest.mark.integration
def test_official_rules_with_standard_vat(kontrakt: Any, peppol_dir: Path) -> None:
    """S 25 % from the data (not hard-coded) also gives 0 findings, with VAT 1581.25."""
    data = kontrakt("fakturagrunnlag")
    data["mva"] = {"kategori": "S", "sats": "25", "fritaksgrunn": None}
    data["selger"]["mva_registrert"] = True
    g = load_grunnlag(data)
    inv = invoice_from_grunnlag(g, get_regelsett(g.regelsett).beregn(g.aktiviteter))
    xml = build(inv)
    root = etree.fromstring(xml)
    assert _x(root, "cac:TaxTotal/cbc:TaxAmount/text()") == ["1581.25"]
    assert _x(root, "cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["7906.25"]
    report = get_validator(peppol_dir, "3.0.21").validate(xml)
    assert [(f.rule, f.message) for f in report.findings] == []


def test_credit_note_references_the_invoice(kontrakt: Any) -> None:
    """A credit note is a CreditNote 381 with BillingReference to the invoice number and date."""
    inv = read_invoice(build(_invoice(kontrakt)))
    note = credit_note_for(inv, number="K-7", issue_date=date(2026, 11, 20), line_ids=["2"])
    root = etree.fromstring(build_credit_note(note))
    assert root.tag == f"{{{NS['cn']}}}CreditNote"
    assert _x(root, "cbc:CreditNoteTypeCode/text()") == ["381"]
    assert _x(root, "cbc:DueDate") == []
    ref = "cac:BillingReference/cac:InvoiceDocumentReference/"
    assert _x(root, f"{ref}cbc:ID/text()") == ["2026-0042"]
    assert _x(root, f"{ref}cbc:IssueDate/text()") == ["2026-11-03"]
    assert _x(root, "cac:CreditNoteLine/cbc:CreditedQuantity/text()") == ["1.25"]
    assert _x(root, "cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["1437.50"]
    assert _x(root, "cac:AdditionalDocumentReference") == []


def test_credit_note_line_errors(kontrakt: Any) -> None:
    """Unknown line ids, or none, are refused."""
    inv = _invoice(kontrakt)
    with pytest.raises(GrunnlagInvalidError, match="ukjente linjer: 9"):
        credit_note_for(inv, number="K", issue_date=date(2026, 11, 5), line_ids=["9"])
    with pytest.raises(GrunnlagInvalidError, match="ingen linjer"):
        credit_note_for(inv, number="K", issue_date=date(2026, 11, 5), line_ids=[])


def test_read_invoice_round_trips(kontrakt: Any) -> None:
    """Reading what we built gives the same model (hence the same XML)."""
    inv = _invoice(kontrakt)
    back = read_invoice(build(inv))
    assert back == inv
    assert build(back) == build(inv)


def test_read_invoice_refuses_unsafe_and_other_documents(kontrakt: Any) -> None:
    """A DTD is refused by the hardened parser; a CreditNote is not an Invoice."""
    with pytest.raises(XmlUnsafeError):
        read_invoice(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    note = credit_note_for(_invoice(kontrakt), number="K", issue_date=date(2026, 11, 5))
    with pytest.raises(GrunnlagInvalidError, match="ikke en UBL Invoice"):
        read_invoice(build(note))


def test_no_person_ident_anywhere(kontrakt: Any) -> None:
    """The XML has no 11-digit person id; a line naming one is refused before it is returned."""
    inv = _invoice(kontrakt)
    assert not contains_person_ident(build(inv).decode())
    bad_line = Line(
        id="3", quantity=Decimal("1"), price=Decimal("1"), item_name="x",
        item_description="Deltaker 15858545606", vat_category="E", vat_rate=Decimal("0"),
    )  # fmt: skip
    bad = inv.model_copy(update={"lines": (*inv.lines, bad_line)})
    with pytest.raises(ProfileViolationError, match="fødselsnummer"):
        build(bad)


def test_build_by_type(kontrakt: Any) -> None:
    """build_invoice refuses a credit note and build_credit_note an invoice."""
    inv = _invoice(kontrakt)
    note = credit_note_for(inv, number="K", issue_date=date(2026, 11, 5))
    assert build_invoice(inv) == build(inv)
    with pytest.raises(ValueError, match="kreditnota"):
        build_invoice(note)
    with pytest.raises(ValueError, match="ikke en kreditnota"):
        build_credit_note(inv)


def test_no_whitespace_padding(kontrakt: Any) -> None:
    """No element text has leading or trailing whitespace (lxml's XSD check trips on it)."""
    root = etree.fromstring(build(_invoice(kontrakt)))
    texts = [el.text for el in root.iter() if el.text is not None]
    assert texts
    assert all(t == t.strip() for t in texts)
