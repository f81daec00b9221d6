"""Read a UBL Invoice we built back into the model, and make credit notes from it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree
from pydantic import ValidationError

from ehf.errors import GrunnlagInvalidError, RowError
from ehf.model import (
    Address,
    Attachment,
    Buyer,
    Contact,
    Invoice,
    Line,
    PaymentMeans,
    Period,
    Seller,
)
from ehf.ubl import CAC, CBC, NS_INVOICE
from ehf.xmlsafe import parse_xml

NS = {"cac": CAC, "cbc": CBC}


class _Reader:
    """XPath helpers relative to one element."""

    def __init__(self, el: etree._Element) -> None:
        self.el = el

    def text(self, path: str) -> str | None:
        found = self.el.find(path, NS)
        return None if found is None or found.text is None else found.text.strip()

    def req(self, path: str) -> str:
        value = self.text(path)
        if value is None:
            raise GrunnlagInvalidError([RowError(path, "mangler i fakturaen")])
        return value

    def dec(self, path: str) -> Decimal:
        try:
            return Decimal(self.req(path))
        except InvalidOperation:
            raise GrunnlagInvalidError([RowError(path, "er ikke et tall")]) from None

    def date(self, path: str) -> date | None:
        value = self.text(path)
        return None if value is None else date.fromisoformat(value)

    def one(self, path: str) -> _Reader:
        found = self.el.find(path, NS)
        if found is None:
            raise GrunnlagInvalidError([RowError(path, "mangler i fakturaen")])
        return _Reader(found)

    def all(self, path: str) -> list[_Reader]:
        return [_Reader(e) for e in self.el.findall(path, NS)]


def _address(r: _Reader) -> Address:
    return Address(
        street=r.text("cac:PostalAddress/cbc:StreetName"),
        city=r.text("cac:PostalAddress/cbc:CityName"),
        postal_zone=r.text("cac:PostalAddress/cbc:PostalZone"),
        country=r.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode") or "NO",
    )


def _seller(root: _Reader) -> Seller:
    p = root.one("cac:AccountingSupplierParty/cac:Party")
    schemes = {
        r.text("cac:TaxScheme/cbc:ID"): r.text("cbc:CompanyID") for r in p.all("cac:PartyTaxScheme")
    }
    contact = None
    if p.el.find("cac:Contact", NS) is not None:
        contact = Contact(
            name=p.text("cac:Contact/cbc:Name"),
            telephone=p.text("cac:Contact/cbc:Telephone"),
            email=p.text("cac:Contact/cbc:ElectronicMail"),
        )
    return Seller(
        name=p.req("cac:PartyName/cbc:Name"),
        orgnr=p.req("cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=schemes.get("VAT"),
        vat_registered="VAT" in schemes,
        business_register=schemes.get("TAX") == "Foretaksregisteret",
        address=_address(p),
        contact=contact,
    )


def _buyer(root: _Reader) -> Buyer:
    p = root.one("cac:AccountingCustomerParty/cac:Party")
    return Buyer(
        name=p.req("cac:PartyName/cbc:Name"),
        orgnr=p.text("cac:PartyLegalEntity/cbc:CompanyID") or p.req("cbc:EndpointID"),
        endpoint=p.req("cbc:EndpointID"),
        address=_address(p),
    )


def _line(r: _Reader) -> Line:
    qty = "cbc:InvoicedQuantity" if r.text("cbc:InvoicedQuantity") else "cbc:CreditedQuantity"
    qty_el = r.el.find(qty, NS)
    return Line(
        id=r.req("cbc:ID"),
        quantity=r.dec(qty),
        unit_code=qty_el.get("unitCode", "HUR") if qty_el is not None else "HUR",
        price=r.dec("cac:Price/cbc:PriceAmount"),
        item_name=r.req("cac:Item/cbc:Name"),
        item_description=r.text("cac:Item/cbc:Description"),
        seller_item_id=r.text("cac:Item/cac:SellersItemIdentification/cbc:ID"),
        vat_category=r.req("cac:Item/cac:ClassifiedTaxCategory/cbc:ID"),
        vat_rate=Decimal(r.text("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent") or "0"),
    )


def _attachment(r: _Reader) -> Attachment | None:
    obj = r.el.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
    if obj is None:
        return None
    try:
        content = base64.b64decode(obj.text or "", validate=True)
    except binascii.Error:
        raise GrunnlagInvalidError([RowError("vedlegg", "ugyldig base64")]) from None
    return Attachment(
        id=r.req("cbc:ID"),
        description=r.text("cbc:DocumentDescription"),
        filename=obj.get("filename", "vedlegg"),
        mime_code=obj.get("mimeCode", "application/pdf"),
        content=content,
    )


def _payment(root: _Reader) -> PaymentMeans | None:
    if root.el.find("cac:PaymentMeans", NS) is None:
        return None
    return PaymentMeans(
        code=root.req("cac:PaymentMeans/cbc:PaymentMeansCode"),
        account=root.req("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
        payment_id=root.text("cac:PaymentMeans/cbc:PaymentID"),
    )


def _period(root: _Reader) -> Period | None:
    start, end = (
        root.date("cac:InvoicePeriod/cbc:StartDate"),
        root.date("cac:InvoicePeriod/cbc:EndDate"),
    )
    return Period(start=start, end=end) if start and end else None


def _exemptions(root: _Reader) -> dict[str, str]:
    path = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"
    return {
        r.req("cbc:ID"): reason
        for r in root.all(path)
        if (reason := r.text("cbc:TaxExemptionReason")) is not None
    }


def read_invoice(xml: bytes) -> Invoice:
    """Read a UBL 2.1 Invoice (as this package builds them) into the model.

    Args:
        xml: the invoice XML (untrusted: read with the hardened parser).

    Returns:
        The invoice; totals are recomputed by the model.

    Raises:
        XmlUnsafeError: unsafe or malformed XML.
        GrunnlagInvalidError: not an Invoice, or a required element is missing or wrong.
    """
    el = parse_xml(xml)
    if el.tag != f"{{{NS_INVOICE}}}Invoice":
        raise GrunnlagInvalidError([RowError("faktura", "dokumentet er ikke en UBL Invoice")])
    root = _Reader(el)
    try:
        return Invoice(
            document_type="380",
            number=root.req("cbc:ID"),
            issue_date=root.date("cbc:IssueDate") or date.min,
            due_date=root.date("cbc:DueDate"),
            currency=root.req("cbc:DocumentCurrencyCode"),
            note=root.text("cbc:Note"),
            buyer_reference=root.text("cbc:BuyerReference"),
            order_reference=root.text("cac:OrderReference/cbc:ID"),
            period=_period(root),
            seller=_seller(root),
            buyer=_buyer(root),
            payment_means=_payment(root),
            payment_terms=root.text("cac:PaymentTerms/cbc:Note"),
            lines=tuple(_line(r) for r in root.all("cac:InvoiceLine")),
            exemption_reasons=_exemptions(root),
            attachments=tuple(
                a for r in root.all("cac:AdditionalDocumentReference") if (a := _attachment(r))
            ),
        )
    except (ValidationError, ValueError) as exc:
        raise GrunnlagInvalidError([RowError("faktura", f"kan ikke leses: {exc}")]) from None


def credit_note_for(
    inv: Invoice,
    *,
    number: str,
    issue_date: date,
    line_ids: Sequence[str] | None = None,
    note: str | None = None,
) -> Invoice:
    """Make a credit note (381) for an invoice: all its lines or the chosen ones.

    Args:
        inv: the invoice to credit.
        number: the credit note's number.
        issue_date: the credit note's date.
        line_ids: the invoice line ids to credit (``None`` = all).
        note: the reason for the credit (BT-22), instead of the invoice's note.

    Returns:
        The credit note, referencing the invoice number and date (BG-3).

    Raises:
        GrunnlagInvalidError: an unknown line id, or no lines chosen.
    """
    known = {line.id for line in inv.lines}
    wanted = list(known) if line_ids is None else list(line_ids)
    unknown = [i for i in wanted if i not in known]
    if unknown or not wanted:
        message = f"ukjente linjer: {', '.join(unknown)}" if unknown else "ingen linjer valgt"
        raise GrunnlagInvalidError([RowError("linjer", message)])
    return inv.model_copy(
        update={
            "document_type": "381",
            "number": number,
            "issue_date": issue_date,
            "due_date": None,
            "billing_reference": inv.number,
            "billing_reference_date": inv.issue_date,
            "lines": tuple(line for line in inv.lines if line.id in wanted),
            "attachments": (),
            "payment_terms": f"Kreditnota for faktura {inv.number}",
            "note": note if note else inv.note,
        }
    )
