"""Build UBL 2.1 Invoice and CreditNote XML (PEPPOL BIS Billing 3.0) from the model.

Elements follow the UBL 2.1 XSD sequence exactly; only what BIS 3 needs is emitted.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from lxml import etree

from ehf.errors import ProfileViolationError, RowError
from ehf.identifiers import contains_person_ident
from ehf.model import Address, Buyer, Invoice, Line, Seller

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NSMAP = {"cac": CAC, "cbc": CBC}


def num(value: Decimal) -> str:
    """Format a decimal without exponent or padding (``25``, ``4.25``, ``1150.00``)."""
    return format(value, "f")


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _cbc(parent: etree._Element, name: str, text: object, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{CBC}}}{name}", attrs)
    el.text = num(text) if isinstance(text, Decimal) else str(text)
    return el


def _opt(parent: etree._Element, name: str, text: object | None) -> None:
    if text is not None and text != "":
        _cbc(parent, name, text)


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _cbc(parent, name, value, currencyID=currency)


def _address(parent: etree._Element, a: Address) -> None:
    el = _cac(parent, "PostalAddress")
    _opt(el, "StreetName", a.street)
    _opt(el, "CityName", a.city)
    _opt(el, "PostalZone", a.postal_zone)
    _cbc(_cac(el, "Country"), "IdentificationCode", a.country)


def _tax_scheme(parent: etree._Element, company_id: str, scheme: str) -> None:
    el = _cac(parent, "PartyTaxScheme")
    _cbc(el, "CompanyID", company_id)
    _cbc(_cac(el, "TaxScheme"), "ID", scheme)


def _seller(root: etree._Element, s: Seller) -> None:
    party = _cac(_cac(root, "AccountingSupplierParty"), "Party")
    _cbc(party, "EndpointID", s.endpoint, schemeID="0192")
    _cbc(_cac(party, "PartyName"), "Name", s.name)
    _address(party, s.address)
    if s.vat_id:
        _tax_scheme(party, s.vat_id, "VAT")
    if s.business_register:
        _tax_scheme(party, "Foretaksregisteret", "TAX")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", s.name)
    _cbc(legal, "CompanyID", s.orgnr, schemeID="0192")
    if s.contact is not None:
        contact = _cac(party, "Contact")
        _opt(contact, "Name", s.contact.name)
        _opt(contact, "Telephone", s.contact.telephone)
        _opt(contact, "ElectronicMail", s.contact.email)


def _buyer(root: etree._Element, b: Buyer) -> None:
    party = _cac(_cac(root, "AccountingCustomerParty"), "Party")
    _cbc(party, "EndpointID", b.endpoint, schemeID="0192")
    _cbc(_cac(party, "PartyName"), "Name", b.name)
    _address(party, b.address)
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", b.name)
    _cbc(legal, "CompanyID", b.orgnr, schemeID="0192")


def _header(root: etree._Element, inv: Invoice) -> None:
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", inv.number)
    _cbc(root, "IssueDate", inv.issue_date.isoformat())
    if inv.is_credit_note:
        _cbc(root, "CreditNoteTypeCode", inv.document_type)
    else:
        _opt(root, "DueDate", inv.due_date and inv.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", inv.document_type)
    _opt(root, "Note", inv.note)
    _cbc(root, "DocumentCurrencyCode", inv.currency)
    _opt(root, "BuyerReference", inv.buyer_reference)
    if inv.period is not None:
        period = _cac(root, "InvoicePeriod")
        _cbc(period, "StartDate", inv.period.start.isoformat())
        _cbc(period, "EndDate", inv.period.end.isoformat())


def _references(root: etree._Element, inv: Invoice) -> None:
    if inv.order_reference:
        _cbc(_cac(root, "OrderReference"), "ID", inv.order_reference)
    if inv.billing_reference:
        ref = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(ref, "ID", inv.billing_reference)
        if inv.billing_reference_date is not None:
            _cbc(ref, "IssueDate", inv.billing_reference_date.isoformat())
    for a in inv.attachments:
        doc = _cac(root, "AdditionalDocumentReference")
        _cbc(doc, "ID", a.id)
        _opt(doc, "DocumentDescription", a.description)
        data = base64.b64encode(a.content).decode("ascii")
        _cbc(
            _cac(doc, "Attachment"),
            "EmbeddedDocumentBinaryObject",
            data,
            mimeCode=a.mime_code,
            filename=a.filename,
        )


def _payment(root: etree._Element, inv: Invoice) -> None:
    if inv.payment_means is not None:
        pm = _cac(root, "PaymentMeans")
        _cbc(pm, "PaymentMeansCode", inv.payment_means.code)
        _opt(pm, "PaymentID", inv.payment_means.payment_id)
        _cbc(_cac(pm, "PayeeFinancialAccount"), "ID", inv.payment_means.account)
    if inv.payment_terms:
        _cbc(_cac(root, "PaymentTerms"), "Note", inv.payment_terms)


def _tax_category(parent: etree._Element, name: str, cat: str, rate: Decimal) -> etree._Element:
    el = _cac(parent, name)
    _cbc(el, "ID", cat)
    if cat != "O":  # BR-O-05 and friends: no rate for "not subject to VAT"
        _cbc(el, "Percent", rate)
    return el


def _allowance_charges(root: etree._Element, inv: Invoice) -> None:
    for ac in inv.allowance_charges:
        el = _cac(root, "AllowanceCharge")
        _cbc(el, "ChargeIndicator", "true" if ac.charge else "false")
        _cbc(el, "AllowanceChargeReason", ac.reason)
        _amount(el, "Amount", ac.amount, inv.currency)
        cat = _tax_category(el, "TaxCategory", ac.vat_category, ac.vat_rate)
        _cbc(_cac(cat, "TaxScheme"), "ID", "VAT")


def _tax_total(root: etree._Element, inv: Invoice) -> None:
    total = _cac(root, "TaxTotal")
    _amount(total, "TaxAmount", inv.totals.vat, inv.currency)
    for b in inv.vat_breakdown:
        sub = _cac(total, "TaxSubtotal")
        _amount(sub, "TaxableAmount", b.taxable, inv.currency)
        _amount(sub, "TaxAmount", b.tax, inv.currency)
        cat = _tax_category(sub, "TaxCategory", b.category, b.rate)
        _opt(cat, "TaxExemptionReason", b.exemption_reason)
        _cbc(_cac(cat, "TaxScheme"), "ID", "VAT")


def _monetary_total(root: etree._Element, inv: Invoice) -> None:
    t, cur = inv.totals, inv.currency
    el = _cac(root, "LegalMonetaryTotal")
    _amount(el, "LineExtensionAmount", t.line_net, cur)
    _amount(el, "TaxExclusiveAmount", t.tax_exclusive, cur)
    _amount(el, "TaxInclusiveAmount", t.tax_inclusive, cur)
    if inv.allowance_charges:
        _amount(el, "AllowanceTotalAmount", t.allowances, cur)
        _amount(el, "ChargeTotalAmount", t.charges, cur)
    if t.prepaid:
        _amount(el, "PrepaidAmount", t.prepaid, cur)
    _amount(el, "PayableAmount", t.payable, cur)


def _line(root: etree._Element, inv: Invoice, line: Line) -> None:
    credit = inv.is_credit_note
    el = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    _cbc(el, "ID", line.id)
    _cbc(
        el,
        "CreditedQuantity" if credit else "InvoicedQuantity",
        line.quantity,
        unitCode=line.unit_code,
    )
    _amount(el, "LineExtensionAmount", line.net_amount, inv.currency)
    item = _cac(el, "Item")
    _opt(item, "Description", line.item_description)
    _cbc(item, "Name", line.item_name)
    if line.seller_item_id:
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)
    cat = _tax_category(item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate)
    _cbc(_cac(cat, "TaxScheme"), "ID", "VAT")
    _amount(_cac(el, "Price"), "PriceAmount", line.price, inv.currency)


def _assert_no_person_ident(root: etree._Element) -> None:
    # The base64 of an attachment is not text a person identifier could be read from.
    binary = f"{{{CBC}}}EmbeddedDocumentBinaryObject"
    texts = [el.text or "" for el in root.iter() if el.tag != binary]
    texts += [str(v) for el in root.iter() for v in el.attrib.values()]
    if any(contains_person_ident(t) for t in texts):
        raise ProfileViolationError(
            [RowError("", "dokumentet inneholder noe som ligner et fødselsnummer; det lages ikke")]
        )


def build(inv: Invoice) -> bytes:
    """Build the UBL Invoice (380) or CreditNote (381) XML of an invoice.

    Args:
        inv: the invoice or credit note.

    Returns:
        UTF-8 XML with an XML declaration.

    Raises:
        ProfileViolationError: something in the document looks like a fødselsnummer.
    """
    tag = "CreditNote" if inv.is_credit_note else "Invoice"
    ns = NS_CREDIT_NOTE if inv.is_credit_note else NS_INVOICE
    nsmap = {None: ns, "cac": CAC, "cbc": CBC}
    # lxml-stubs do not allow the None key lxml uses for the default namespace.
    root = etree.Element(f"{{{ns}}}{tag}", nsmap=nsmap)  # type: ignore[arg-type]
    _header(root, inv)
    _references(root, inv)
    _seller(root, inv.seller)
    _buyer(root, inv.buyer)
    _payment(root, inv)
    _allowance_charges(root, inv)
    _tax_total(root, inv)
    _monetary_total(root, inv)
    for line in inv.lines:
        _line(root, inv, line)
    _assert_no_person_ident(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_invoice(inv: Invoice) -> bytes:
    """Build an Invoice (the model must be type 380); see :func:`build`."""
    if inv.is_credit_note:
        raise ValueError("build_invoice: dokumentet er en kreditnota")
    return build(inv)


def build_credit_note(inv: Invoice) -> bytes:
    """Build a CreditNote (the model must be type 381); see :func:`build`."""
    if not inv.is_credit_note:
        raise ValueError("build_credit_note: dokumentet er ikke en kreditnota")
    return build(inv)
