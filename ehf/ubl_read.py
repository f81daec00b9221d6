"""Read a UBL Invoice we built back into the model, and make a credit note from it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree
from pydantic import ValidationError

from ehf.errors import UblUnreadableError
from ehf.model import (
    Address,
    AllowanceCharge,
    Attachment,
    BillingReference,
    Buyer,
    Contact,
    Invoice,
    Line,
    PaymentMeans,
    Period,
    Seller,
    VatCategory,
)
from ehf.ubl import CAC, CBC, NS_CREDIT_NOTE, NS_INVOICE
from ehf.xmlsafe import parse_xml

_NS = {"cac": CAC, "cbc": CBC}


def read_invoice(xml: bytes) -> Invoice:
    """Read a UBL 2.1 Invoice or CreditNote into the model.

    Args:
        xml: the untrusted UBL bytes (parsed with the hardened parser).

    Returns:
        The invoice model; totals are recomputed from the lines, not read.

    Raises:
        XmlUnsafeError: the bytes carry a DTD/entities or are not well-formed.
        UblUnreadableError: not a UBL Invoice/CreditNote, or a field is missing or invalid.
    """
    root = parse_xml(xml)
    if root.tag not in (f"{{{NS_INVOICE}}}Invoice", f"{{{NS_CREDIT_NOTE}}}CreditNote"):
        raise UblUnreadableError("dokumentet er ikke en UBL Invoice eller CreditNote")
    try:
        return _invoice(_Reader(root), credit=root.tag.endswith("CreditNote"))
    except (ValidationError, InvalidOperation, ValueError, binascii.Error) as exc:
        raise UblUnreadableError(f"fakturaen kan ikke leses: {_short(exc)}") from None


def credit_note_for(
    inv: Invoice, *, number: str, issue_date: date, line_ids: Sequence[str] | None = None
) -> Invoice:
    """Make a credit note (381) crediting an invoice, all lines or the chosen ones.

    Args:
        inv: the invoice to credit.
        number: the credit note's own number (BT-1).
        issue_date: the credit note's issue date (BT-2).
        line_ids: the invoice line ids to credit; None credits every line.

    Returns:
        A credit note referring to the invoice number and issue date (BG-3).

    Raises:
        ValueError: a line id is not on the invoice, or no line was chosen.
    """
    lines = inv.lines
    if line_ids is not None:
        known = {line.id for line in inv.lines}
        unknown = [i for i in line_ids if i not in known]
        if unknown:
            raise ValueError(f"fakturaen har ikke linje {', '.join(unknown)}")
        lines = tuple(line for line in inv.lines if line.id in set(line_ids))
    credit = {
        "document_type": "381",
        "number": number,
        "issue_date": issue_date,
        "due_date": None,
        "billing_reference": BillingReference(number=inv.number, issue_date=inv.issue_date),
        "lines": lines,
        # A partial credit carries only line amounts; document allowances stay on the invoice.
        "allowances_charges": () if line_ids is not None else inv.allowances_charges,
        "attachments": (),
        "prepaid": Decimal("0"),
    }
    return Invoice.model_validate({**dict(inv), **credit})


class _Reader:
    """XPath helpers over one element."""

    def __init__(self, el: etree._Element) -> None:
        self.el = el

    def text(self, path: str) -> str | None:
        found = self.el.find(path, _NS)
        if found is None or found.text is None:
            return None
        return found.text.strip()

    def need(self, path: str) -> str:
        value = self.text(path)
        if not value:
            raise ValueError(f"{path} mangler")
        return value

    def attr(self, path: str, name: str) -> str | None:
        found = self.el.find(path, _NS)
        return None if found is None else found.get(name)

    def one(self, path: str) -> _Reader | None:
        found = self.el.find(path, _NS)
        return None if found is None else _Reader(found)

    def all(self, path: str) -> list[_Reader]:
        return [_Reader(el) for el in self.el.findall(path, _NS)]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _invoice(r: _Reader, *, credit: bool) -> Invoice:
    period = r.one("cac:InvoicePeriod")
    ref = r.one("cac:BillingReference/cac:InvoiceDocumentReference")
    lines = r.all("cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    # Line categories carry no exemption reason in UBL; the VAT breakdown does.
    reasons = {
        _key(c): c for c in map(_category, r.all("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"))
    }
    return Invoice(
        document_type="381" if credit else "380",
        number=r.need("cbc:ID"),
        issue_date=date.fromisoformat(r.need("cbc:IssueDate")),
        due_date=_date(r.text("cbc:DueDate")),
        currency=r.need("cbc:DocumentCurrencyCode"),
        buyer_reference=r.text("cbc:BuyerReference"),
        order_reference=r.text("cac:OrderReference/cbc:ID"),
        billing_reference=_billing_reference(ref),
        period=_period(period),
        note=r.text("cbc:Note"),
        seller=_seller(r.one("cac:AccountingSupplierParty/cac:Party")),
        buyer=_buyer(r.one("cac:AccountingCustomerParty/cac:Party")),
        payment_means=_payment_means(r.one("cac:PaymentMeans")),
        payment_terms=r.text("cac:PaymentTerms/cbc:Note"),
        lines=tuple(_line(line, reasons, credit=credit) for line in lines),
        allowances_charges=tuple(
            _allowance_charge(ac, reasons) for ac in r.all("cac:AllowanceCharge")
        ),
        attachments=tuple(_attachment(a) for a in r.all("cac:AdditionalDocumentReference")),
        prepaid=Decimal(r.text("cac:LegalMonetaryTotal/cbc:PrepaidAmount") or "0"),
    )


def _billing_reference(ref: _Reader | None) -> BillingReference | None:
    if ref is None:
        return None
    return BillingReference(number=ref.need("cbc:ID"), issue_date=_date(ref.text("cbc:IssueDate")))


def _period(period: _Reader | None) -> Period | None:
    if period is None:
        return None
    return Period(
        start=date.fromisoformat(period.need("cbc:StartDate")),
        end=date.fromisoformat(period.need("cbc:EndDate")),
    )


def _address(r: _Reader | None) -> Address:
    if r is None:
        return Address()
    return Address(
        street=r.text("cbc:StreetName"),
        city=r.text("cbc:CityName"),
        postal_zone=r.text("cbc:PostalZone"),
        country=r.text("cac:Country/cbc:IdentificationCode") or "NO",
    )


def _contact(r: _Reader | None) -> Contact | None:
    if r is None:
        return None
    return Contact(
        name=r.text("cbc:Name"),
        telephone=r.text("cbc:Telephone"),
        email=r.text("cbc:ElectronicMail"),
    )


def _seller(r: _Reader | None) -> Seller:
    if r is None:
        raise ValueError("selger mangler")
    schemes = {
        s.text("cac:TaxScheme/cbc:ID"): s.text("cbc:CompanyID") for s in r.all("cac:PartyTaxScheme")
    }
    return Seller(
        name=r.need("cac:PartyName/cbc:Name"),
        orgnr=r.text("cac:PartyLegalEntity/cbc:CompanyID") or r.need("cbc:EndpointID"),
        vat_id=schemes.get("VAT"),
        legal_form=schemes.get("TAX"),
        address=_address(r.one("cac:PostalAddress")),
        contact=_contact(r.one("cac:Contact")),
    )


def _buyer(r: _Reader | None) -> Buyer:
    if r is None:
        raise ValueError("kjøper mangler")
    return Buyer(
        name=r.need("cac:PartyName/cbc:Name"),
        orgnr=r.text("cac:PartyLegalEntity/cbc:CompanyID"),
        endpoint_scheme=r.attr("cbc:EndpointID", "schemeID") or "0192",
        endpoint_id=r.need("cbc:EndpointID"),
        address=_address(r.one("cac:PostalAddress")),
        contact=_contact(r.one("cac:Contact")),
    )


def _payment_means(r: _Reader | None) -> PaymentMeans | None:
    if r is None:
        return None
    return PaymentMeans(
        code=r.need("cbc:PaymentMeansCode"),
        account_id=r.need("cac:PayeeFinancialAccount/cbc:ID"),
        payment_id=r.text("cbc:PaymentID"),
    )


def _category(r: _Reader | None) -> VatCategory:
    if r is None:
        raise ValueError("MVA-kategori mangler")
    return VatCategory(
        code=r.need("cbc:ID"),
        rate=Decimal(r.text("cbc:Percent") or "0"),
        exemption_reason=r.text("cbc:TaxExemptionReason"),
        exemption_reason_code=r.text("cbc:TaxExemptionReasonCode"),
    )


def _key(vat: VatCategory) -> tuple[str, Decimal]:
    return (vat.code, vat.rate)


def _with_reason(vat: VatCategory, reasons: dict[tuple[str, Decimal], VatCategory]) -> VatCategory:
    return reasons.get(_key(vat), vat)


def _line(r: _Reader, reasons: dict[tuple[str, Decimal], VatCategory], *, credit: bool) -> Line:
    quantity = "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity"
    return Line(
        id=r.need("cbc:ID"),
        quantity=Decimal(r.need(quantity)),
        unit_code=r.attr(quantity, "unitCode") or "HUR",
        price=Decimal(r.need("cac:Price/cbc:PriceAmount")),
        item_name=r.need("cac:Item/cbc:Name"),
        item_description=r.text("cac:Item/cbc:Description"),
        seller_item_id=r.text("cac:Item/cac:SellersItemIdentification/cbc:ID"),
        vat=_with_reason(_category(r.one("cac:Item/cac:ClassifiedTaxCategory")), reasons),
    )


def _allowance_charge(
    r: _Reader, reasons: dict[tuple[str, Decimal], VatCategory]
) -> AllowanceCharge:
    return AllowanceCharge(
        charge=r.need("cbc:ChargeIndicator") == "true",
        amount=Decimal(r.need("cbc:Amount")),
        reason=r.text("cbc:AllowanceChargeReason") or r.need("cbc:AllowanceChargeReasonCode"),
        vat=_with_reason(_category(r.one("cac:TaxCategory")), reasons),
    )


def _attachment(r: _Reader) -> Attachment:
    blob = "cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    return Attachment(
        id=r.need("cbc:ID"),
        description=r.text("cbc:DocumentDescription"),
        filename=r.attr(blob, "filename") or r.need("cbc:ID"),
        mime_code=r.attr(blob, "mimeCode") or "application/pdf",
        content=base64.b64decode(r.need(blob), validate=True),
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc) or type(exc).__name__
