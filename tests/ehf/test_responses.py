"""Parsing Invoice Responses (T111), MLR (T71) and MLS into our status and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehf.errors import ResponseInvalidError, XmlUnsafeError
from ehf.responses import Svar, SvarKind, SvarStatus, code_label, parse_response
from ehf.sbdh import unwrap
from tests.conftest import FIXTURES

HERE = FIXTURES / "transport"
USE_CASES = "bis-responses-2026.5/examples/invoice-response-use-cases"
CATALOGUE_LINE = (
    "/Catalogue/cac:CatalogueLine[3]/cac:Item[1]/cac:ClassifiedTaxCategory[1]/cbc:ID[1]"
)
TAX_CATEGORY_ERROR = "[CL-T77-R002]- Tax categories MUST be coded using UN/ECE 5305 code list"
ENVELOPE_ID = "90f14eff-3705-4869-ad3c-caae270a234e"

# file → (code, our status, texts from the example that must appear in the reason)
INVOICE_RESPONSES = {
    "T111-uc001-Invoice in process.xml": ("IP", "under_behandling", ["Under behandling"]),
    "T111-uc002a-Additional reference data.xml": (
        "IP",
        "under_behandling",
        ["Buyer process reference: X001", "NOA"],
    ),
    "T111-uc002b-In process but postponed.xml": (
        "IP",
        "under_behandling",
        ["Shipment has not yet been received. Invoice processing will be attempted later."],
    ),
    "T111-uc003-Invoice is accepted.xml": ("AP", "godkjent", ["Godkjent av kjøper"]),
    "T111-uc004a-Invoice is rejected.xml": (
        "RE",
        "avvist",
        ["A textual explanation for why the invoice is being rejected.", "REF"],
    ),
    "T111-uc004b-Rejected requesting reissue.xml": (
        "RE",
        "avvist",
        ["REF: referanser mangler eller er feil", "NIN: send ny faktura"],
    ),
    "T111-uc004c-Rejected requesting replacement.xml": (
        "RE",
        "avvist",
        ["REF", "CNF: send kreditnota for hele fakturaen", "NIN"],
    ),
    "T111-uc005-Invoice is conditionally accepted.xml": (
        "CA",
        "betinget_godkjent",
        ["BT-9: 2018-01-15", "PAY: betalingsvilkårene er feil"],
    ),
    "T111-uc006a-Under query missing information.xml": (
        "UQ",
        "til_avklaring",
        ["BT-13: PO0001", "REF", "PIN: send mer informasjon"],
    ),
    "T111-uc006b-Missing PO.xml": ("UQ", "til_avklaring", ["BT-13: PO0001", "PIN"]),
    "T111-uc006c-Wrong detail partial credit.xml": (
        "UQ",
        "til_avklaring",
        [
            "Delivered quantity for line number 1 was 2 units but invoiced quantity is 5 units.",
            "DEL",
            "CNP",
        ],
    ),
    "T111-uc007-Payment has been initiated.xml": ("PD", "betalt", ["Betaling er satt i gang"]),
    "T111-uc008-Invoice is accepted by third party.xml": ("AP", "godkjent", ["Godkjent"]),
}

MLS_EXAMPLES = {
    "MessageLevelStatus_Example_AB.xml": ("AB", "levert", ["uten bekreftelse"]),
    "MessageLevelStatus_Example_AB2.xml": ("AB", "levert", ["uten bekreftelse"]),
    "MessageLevelStatus_Example_AB3.xml": ("AB", "levert", ["Can have something here as well"]),
    "MessageLevelStatus_Example_AP.xml": ("AP", "levert", ["med bekreftelse"]),
    "MessageLevelStatus_Example_RE.xml": (
        "RE",
        "avvist",
        ["Rejected due to validation errors", f"{CATALOGUE_LINE}: Validation gives error"],
    ),
    "MessageLevelStatus_Example_RE2.xml": (
        "RE",
        "avvist",
        [TAX_CATEGORY_ERROR, "Something else went wrong - just a warning (BW"],
    ),
    # Padded with whitespace in every value: codes and texts must still be read.
    "MessageLevelStatus_Example_RE3.xml": (
        "RE",
        "avvist",
        ["Rejected due to validation errors;", TAX_CATEGORY_ERROR + " (BV"],
    ),
    "MessageLevelStatus_Example_RE4.xml": (
        "RE",
        "avvist",
        [
            TAX_CATEGORY_ERROR,
            "/Catalogue/cac:CatalogueLine[4]/cac:Item[1]/cac:ClassifiedTaxCategory[1]/cbc:ID[1]",
        ],
    ),
    "snippet-ab.xml": (
        "AB",
        "levert",
        ["The document was forwarded for delivery, but our delivery method has no method"],
    ),
    "snippet-ap.xml": ("AP", "levert", ["Levert til mottakeren med bekreftelse"]),
    "snippet-re.xml": (
        "RE",
        "avvist",
        [
            "The document was rejected because it failed validation",
            "Invoice tax exclusive amount MUST equal the sum of lines",
            "inv:Invoice/cac:TaxTotal/cac:TaxSubtotal/: Document level amounts cannot have more",
        ],
    ),
}
SBDH_SNIPPETS = [
    "snippet-sbdh-mls-all.xml",
    "snippet-sbdh-mls-to-default.xml",
    "snippet-sbdh-mls-type-default.xml",
]


def _assert_svar(svar: Svar, code: str, status: str, texts: list[str]) -> None:
    assert svar.code == code
    assert svar.status == status
    for text in texts:
        assert text in svar.reason


def test_use_case_list_covers_every_official_invoice_response(peppol_dir: Path) -> None:
    """The table below is the complete set of T111 use-case examples, none forgotten."""
    on_disk = {p.name for p in (peppol_dir / USE_CASES).glob("*.xml")}
    assert on_disk == set(INVOICE_RESPONSES)


@pytest.mark.parametrize(("name", "expected"), sorted(INVOICE_RESPONSES.items()))
def test_invoice_response_use_case(
    peppol_dir: Path, name: str, expected: tuple[str, str, list[str]]
) -> None:
    """Each official T111 use case maps to our status and keeps its reasons."""
    svar = parse_response((peppol_dir / USE_CASES / name).read_bytes())
    assert svar.kind == SvarKind.INVOICE_RESPONSE
    assert svar.document_id == "inv021"
    _assert_svar(svar, *expected)


def test_full_invoice_response_example(peppol_dir: Path) -> None:
    """The full T111 example: rejected, with reason text, the BT-48 condition and action."""
    path = peppol_dir / "bis-responses-2026.5/examples/InvoiceResponse_Example.xml"
    svar = parse_response(path.read_bytes())
    assert svar == Svar(
        kind=SvarKind.INVOICE_RESPONSE,
        status=SvarStatus.AVVIST,
        code="RE",
        reason="Avvist av kjøper: VAT Reference not found; BT-48: EU123456789 "
        "(NOA: ingen handling trengs)",
        document_id="inv021",
    )


def test_message_level_response_example(peppol_dir: Path) -> None:
    """The MLR (T71) example is a rejection of an envelope with the line-level rule text."""
    path = peppol_dir / "bis-responses-2026.5/examples/MessageLevelResponse_Example.xml"
    svar = parse_response(path.read_bytes())
    assert (svar.kind, svar.status, svar.code) == ("mlr", "avvist", "RE")
    assert svar.document_id == "EnvelopeID-12456789"
    assert svar.reason.startswith("Avvist av mottakeren: Rejected due to validation errore; ")
    assert f"{CATALOGUE_LINE}: Validation gives error {TAX_CATEGORY_ERROR}" in svar.reason
    assert "(BV: brudd på forretningsregel)" in svar.reason


def test_mls_list_covers_every_official_status_example(peppol_dir: Path) -> None:
    """Every MLS example file is either a status (table above) or an SBDH snippet."""
    on_disk = {p.name for p in (peppol_dir / "mls-1.0.1/example").glob("*.xml")}
    assert on_disk == set(MLS_EXAMPLES) | set(SBDH_SNIPPETS)


@pytest.mark.parametrize(("name", "expected"), sorted(MLS_EXAMPLES.items()))
def test_message_level_status_example(
    peppol_dir: Path, name: str, expected: tuple[str, str, list[str]]
) -> None:
    """Each official MLS maps AP/AB to levert and RE to avvist with every reason kept."""
    svar = parse_response((peppol_dir / "mls-1.0.1/example" / name).read_bytes())
    assert svar.kind == SvarKind.MLS
    assert svar.document_id == ENVELOPE_ID
    _assert_svar(svar, *expected)


@pytest.mark.parametrize("name", SBDH_SNIPPETS)
def test_sbdh_snippet_carrying_an_invoice_is_not_a_response(peppol_dir: Path, name: str) -> None:
    """The MLS SBDH snippets wrap an Invoice: unwrapped fine, but refused as an answer."""
    data = (peppol_dir / "mls-1.0.1/example" / name).read_bytes()
    header, payload = unwrap(data)
    assert header["scopes"]["PROCESSID"] == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    assert b"Invoice" in payload
    with pytest.raises(ResponseInvalidError, match="ApplicationResponse"):
        parse_response(data)


def test_response_inside_sbdh_envelope() -> None:
    """An MLS that arrives in its envelope is read through it; NA line ids are left out."""
    svar = parse_response((HERE / "mls-re-i-sbdh.xml").read_bytes())
    assert svar == Svar(
        kind=SvarKind.MLS,
        status=SvarStatus.AVVIST,
        code="RE",
        reason="Avvist, eller levering til mottakeren feilet: Receiver 0192:987654325 is not "
        "registered for this document type; Delivery to C4 failed after 3 attempts "
        "(FD: levering feilet)",
        document_id="7d9f4a0e-2b1c-4e5f-8a7b-3c2d1e0f9a8b",
    )


def test_entity_in_response_is_refused() -> None:
    """An answer with a DTD/external entity never reaches the parser's entity resolution."""
    with pytest.raises(XmlUnsafeError):
        parse_response((HERE / "svar-med-entitet.xml").read_bytes())


def test_unknown_response_code_is_refused() -> None:
    """A code outside T111's list is an error, not a silent status."""
    with pytest.raises(ResponseInvalidError, match="'ZZ'"):
        parse_response((HERE / "svar-ukjent-kode.xml").read_bytes())


def test_other_application_response_is_refused() -> None:
    """An ApplicationResponse of another customization (Order Response) is not ours."""
    with pytest.raises(ResponseInvalidError, match="CustomizationID"):
        parse_response((HERE / "ordre-svar.xml").read_bytes())


def test_invoice_is_not_a_response(peppol_dir: Path) -> None:
    """An invoice sent back to us by mistake is refused."""
    invoice = (peppol_dir / "bis-billing-3.0.21/examples/base-example.xml").read_bytes()
    with pytest.raises(ResponseInvalidError):
        parse_response(invoice)


def test_code_label_gives_the_bokmal_meaning_per_kind() -> None:
    """The same code means different things in an Invoice Response and an MLS."""
    assert code_label("invoice_response", "AB") == "Mottatt av kjøper"
    assert code_label("mls", "AB") == "Levert til mottakeren uten bekreftelse"
    assert code_label(SvarKind.MLS, "RE") == "Avvist, eller levering til mottakeren feilet"
    assert (code_label("mls", "PD"), code_label("ukjent", "AP")) == ("", "")
