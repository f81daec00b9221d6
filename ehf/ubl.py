"""Build PEPPOL BIS Billing 3.0 UBL 2.1 Invoice and CreditNote XML from the model.

Elements are appended in the UBL 2.1 XSD sequence order; optional elements are left out
rather than written empty (PEPPOL-EN16931-R008).
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from ehf.errors import ProfileViolationError, RowError
from ehf.identifiers import contains_person_ident
from ehf.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Buyer,
    Contact,
    Invoice,
    Line,
    Seller,
    VatCategory,
)

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def build(inv: Invoice) -> bytes:
    """Build the UBL document for an invoice (380) or a credit note (381).

    Args:
        inv: the invoice model.

    Returns:
        UTF-8 encoded UBL 2.1 XML with an XML declaration.

    Raises:
        ProfileViolationError: the XML would contain a person identifier.
    """
    credit = inv.document_type == "381"
    root = _Doc(NS_CREDIT_NOTE if credit else NS_INVOICE, "CreditNote" if credit else "Invoice")
    _header(root, inv, credit=credit)
    _parties(root, inv)
    _payment(root, inv)
    for ac in inv.allowances_charges:
        _allowance_charge(root.cac(root.el, "AllowanceCharge"), ac, inv.currency)
    _tax_total(root, inv)
    _monetary_total(root, inv)
    for line in inv.lines:
        _line(root, line, inv.currency, credit=credit)
    _refuse_person_idents(root.el)
    return etree.tostring(root.el, xml_declaration=True, encoding="UTF-8")


def build_invoice(inv: Invoice) -> bytes:
    """Build a UBL Invoice (type 380).

    Args:
        inv: the invoice model; its document_type must be 380.

    Returns:
        UTF-8 encoded UBL XML.

    Raises:
        ValueError: the model is a credit note.
        ProfileViolationError: the XML would contain a person identifier.
    """
    if inv.document_type != "380":
        raise ValueError("build_invoice expects document type 380")
    return build(inv)


def build_credit_note(inv: Invoice) -> bytes:
    """Build a UBL CreditNote (type 381).

    Args:
        inv: the invoice model; its document_type must be 381.

    Returns:
        UTF-8 encoded UBL XML.

    Raises:
        ValueError: the model is an invoice.
        ProfileViolationError: the XML would contain a person identifier.
    """
    if inv.document_type != "381":
        raise ValueError("build_credit_note expects document type 381")
    return build(inv)


class _Doc:
    """A small helper keeping the namespaces in one place."""

    def __init__(self, ns: str, name: str) -> None:
        # lxml takes None as the default-namespace prefix; its stubs do not say so.
        nsmap = {None: ns, "cac": CAC, "cbc": CBC}
        self.el = etree.Element(f"{{{ns}}}{name}", nsmap=nsmap)  # type: ignore[arg-type]

    @staticmethod
    def cac(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    @staticmethod
    def cbc(parent: etree._Element, name: str, text: object, **attrs: str) -> etree._Element | None:
        if text is None or text == "":
            return None
        child = etree.SubElement(parent, f"{{{CBC}}}{name}", attrs)
        child.text = str(text)
        return child


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _Doc.cbc(parent, name, f"{value:.2f}", currencyID=currency)


def _number(value: Decimal) -> str:
    """Format a quantity, price or rate without exponent or superfluous trailing zeros."""
    return format(value.normalize(), "f")


def _header(doc: _Doc, inv: Invoice, *, credit: bool) -> None:
    root = doc.el
    doc.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    doc.cbc(root, "ProfileID", PROFILE_ID)
    doc.cbc(root, "ID", inv.number)
    doc.cbc(root, "IssueDate", inv.issue_date.isoformat())
    if not credit and inv.due_date:
        doc.cbc(root, "DueDate", inv.due_date.isoformat())
    doc.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", inv.document_type)
    doc.cbc(root, "Note", inv.note)
    doc.cbc(root, "DocumentCurrencyCode", inv.currency)
    doc.cbc(root, "BuyerReference", inv.buyer_reference)
    if inv.period:
        period = doc.cac(root, "InvoicePeriod")
        doc.cbc(period, "StartDate", inv.period.start.isoformat())
        doc.cbc(period, "EndDate", inv.period.end.isoformat())
    if inv.order_reference:
        doc.cbc(doc.cac(root, "OrderReference"), "ID", inv.order_reference)
    if inv.billing_reference:
        ref = doc.cac(doc.cac(root, "BillingReference"), "InvoiceDocumentReference")
        doc.cbc(ref, "ID", inv.billing_reference.number)
        if inv.billing_reference.issue_date:
            doc.cbc(ref, "IssueDate", inv.billing_reference.issue_date.isoformat())
    for att in inv.attachments:
        _attachment(doc.cac(root, "AdditionalDocumentReference"), att)


def _attachment(ref: etree._Element, att: Attachment) -> None:
    _Doc.cbc(ref, "ID", att.id)
    _Doc.cbc(ref, "DocumentDescription", att.description)
    holder = _Doc.cac(ref, "Attachment")
    _Doc.cbc(
        holder,
        "EmbeddedDocumentBinaryObject",
        base64.b64encode(att.content).decode("ascii"),
        mimeCode=att.mime_code,
        filename=att.filename,
    )


def _parties(doc: _Doc, inv: Invoice) -> None:
    _seller(doc.cac(doc.cac(doc.el, "AccountingSupplierParty"), "Party"), inv.seller)
    _buyer(doc.cac(doc.cac(doc.el, "AccountingCustomerParty"), "Party"), inv.buyer)


def _seller(party: etree._Element, seller: Seller) -> None:
    scheme, endpoint = seller.endpoint
    _Doc.cbc(party, "EndpointID", endpoint, schemeID=scheme)
    _Doc.cbc(_Doc.cac(party, "PartyName"), "Name", seller.name)
    _address(_Doc.cac(party, "PostalAddress"), seller.address)
    if seller.vat_id:
        _tax_scheme(party, seller.vat_id, "VAT")
    if seller.legal_form:
        # Norway's NO-R-002 looks for "Foretaksregisteret" as a TAX scheme entry.
        _tax_scheme(party, seller.legal_form, "TAX")
    legal = _Doc.cac(party, "PartyLegalEntity")
    _Doc.cbc(legal, "RegistrationName", seller.name)
    _Doc.cbc(legal, "CompanyID", seller.orgnr, schemeID="0192")
    _contact(party, seller.contact)


def _buyer(party: etree._Element, buyer: Buyer) -> None:
    _Doc.cbc(party, "EndpointID", buyer.endpoint_id, schemeID=buyer.endpoint_scheme)
    _Doc.cbc(_Doc.cac(party, "PartyName"), "Name", buyer.name)
    _address(_Doc.cac(party, "PostalAddress"), buyer.address)
    legal = _Doc.cac(party, "PartyLegalEntity")
    _Doc.cbc(legal, "RegistrationName", buyer.name)
    if buyer.orgnr:
        _Doc.cbc(legal, "CompanyID", buyer.orgnr, schemeID="0192")
    _contact(party, buyer.contact)


def _tax_scheme(party: etree._Element, company_id: str, scheme: str) -> None:
    entry = _Doc.cac(party, "PartyTaxScheme")
    _Doc.cbc(entry, "CompanyID", company_id)
    _Doc.cbc(_Doc.cac(entry, "TaxScheme"), "ID", scheme)


def _address(el: etree._Element, address: Address) -> None:
    _Doc.cbc(el, "StreetName", address.street)
    _Doc.cbc(el, "CityName", address.city)
    _Doc.cbc(el, "PostalZone", address.postal_zone)
    _Doc.cbc(_Doc.cac(el, "Country"), "IdentificationCode", address.country)


def _contact(party: etree._Element, contact: Contact | None) -> None:
    if contact is None or not (contact.name or contact.telephone or contact.email):
        return
    el = _Doc.cac(party, "Contact")
    _Doc.cbc(el, "Name", contact.name)
    _Doc.cbc(el, "Telephone", contact.telephone)
    _Doc.cbc(el, "ElectronicMail", contact.email)


def _payment(doc: _Doc, inv: Invoice) -> None:
    if inv.payment_means:
        means = doc.cac(doc.el, "PaymentMeans")
        doc.cbc(means, "PaymentMeansCode", inv.payment_means.code)
        doc.cbc(means, "PaymentID", inv.payment_means.payment_id)
        doc.cbc(doc.cac(means, "PayeeFinancialAccount"), "ID", inv.payment_means.account_id)
    if inv.payment_terms:
        doc.cbc(doc.cac(doc.el, "PaymentTerms"), "Note", inv.payment_terms)


def _allowance_charge(el: etree._Element, ac: AllowanceCharge, currency: str) -> None:
    _Doc.cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
    _Doc.cbc(el, "AllowanceChargeReason", ac.reason)
    _amount(el, "Amount", ac.amount, currency)
    _category(_Doc.cac(el, "TaxCategory"), ac.vat, with_reason=False)


def _category(el: etree._Element, vat: VatCategory, *, with_reason: bool) -> None:
    _Doc.cbc(el, "ID", vat.code)
    if vat.code != "O":  # BR-O-05: "not subject to VAT" carries no rate
        _Doc.cbc(el, "Percent", _number(vat.rate))
    if with_reason:
        _Doc.cbc(el, "TaxExemptionReasonCode", vat.exemption_reason_code)
        _Doc.cbc(el, "TaxExemptionReason", vat.exemption_reason)
    _Doc.cbc(_Doc.cac(el, "TaxScheme"), "ID", "VAT")


def _tax_total(doc: _Doc, inv: Invoice) -> None:
    total = doc.cac(doc.el, "TaxTotal")
    _amount(total, "TaxAmount", inv.totals.tax_amount, inv.currency)
    for entry in inv.vat_breakdown:
        sub = doc.cac(total, "TaxSubtotal")
        _amount(sub, "TaxableAmount", entry.taxable_amount, inv.currency)
        _amount(sub, "TaxAmount", entry.tax_amount, inv.currency)
        _category(doc.cac(sub, "TaxCategory"), entry.category, with_reason=True)


def _monetary_total(doc: _Doc, inv: Invoice) -> None:
    t = inv.totals
    el = doc.cac(doc.el, "LegalMonetaryTotal")
    _amount(el, "LineExtensionAmount", t.line_extension, inv.currency)
    _amount(el, "TaxExclusiveAmount", t.tax_exclusive, inv.currency)
    _amount(el, "TaxInclusiveAmount", t.tax_inclusive, inv.currency)
    if inv.allowances_charges:
        _amount(el, "AllowanceTotalAmount", t.allowance_total, inv.currency)
        _amount(el, "ChargeTotalAmount", t.charge_total, inv.currency)
    if t.prepaid:
        _amount(el, "PrepaidAmount", t.prepaid, inv.currency)
    _amount(el, "PayableAmount", t.payable, inv.currency)


def _line(doc: _Doc, line: Line, currency: str, *, credit: bool) -> None:
    el = doc.cac(doc.el, "CreditNoteLine" if credit else "InvoiceLine")
    doc.cbc(el, "ID", line.id)
    quantity = "CreditedQuantity" if credit else "InvoicedQuantity"
    doc.cbc(el, quantity, _number(line.quantity), unitCode=line.unit_code)
    _amount(el, "LineExtensionAmount", line.net_amount, currency)
    item = doc.cac(el, "Item")
    doc.cbc(item, "Description", line.item_description)
    doc.cbc(item, "Name", line.item_name)
    if line.seller_item_id:
        doc.cbc(doc.cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)
    _category(doc.cac(item, "ClassifiedTaxCategory"), line.vat, with_reason=False)
    price = doc.cac(el, "Price")
    doc.cbc(price, "PriceAmount", _number(line.price), currencyID=currency)


def _refuse_person_idents(root: etree._Element) -> None:
    # The embedded attachment is base64, not readable text; its digits would only give noise.
    blob = f"{{{CBC}}}EmbeddedDocumentBinaryObject"
    texts = [el.text for el in root.iter() if el.text and el.tag != blob]
    texts += [str(v) for el in root.iter() for v in el.attrib.values()]
    if any(contains_person_ident(text) for text in texts):
        raise ProfileViolationError(
            [RowError("", "fakturaen inneholder et fødselsnummer eller D-nummer; det er ikke lov")]
        )
