"""The PEPPOL SBDH 1.3 envelope: built from the payload, valid against the official XSD."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from ehf.errors import EnvelopeInvalidError, XmlUnsafeError
from ehf.sbdh import participants, unwrap, wrap
from tests.conftest import FIXTURES, PEPPOL

NORSK = "bis-billing-3.0.19/national-examples/NO/Norwegian-example-1.xml"
EXAMPLES = "bis-billing-3.0.21/examples"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
INVOICE_DOCID = (
    f"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##{CUSTOMIZATION}::2.1"
)
CREDITNOTE_DOCID = (
    f"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##{CUSTOMIZATION}::2.1"
)
BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
SH = {"sh": "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"}
UBL = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}


@pytest.fixture(scope="module")
def sbdh_schema(peppol_dir: Path) -> etree.XMLSchema:
    """Return the official SBDH 1.3 schema (payload is ``##other`` lax)."""
    xsd = peppol_dir / "sbdh-1.3/xsd/StandardBusinessDocumentHeader.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def _endpoints(document: bytes) -> tuple[str, str]:
    root = etree.fromstring(document)
    ids = []
    for party in ("AccountingSupplierParty", "AccountingCustomerParty"):
        node = root.find(f"cac:{party}/cac:Party/{{*}}EndpointID", UBL)
        assert node is not None
        ids.append(f"{node.get('schemeID')}:{node.text}")
    return ids[0], ids[1]


def _assert_valid(schema: etree.XMLSchema, sbd: bytes) -> None:
    assert schema.validate(etree.fromstring(sbd)), schema.error_log


def test_norwegian_invoice_envelope(peppol_dir: Path, sbdh_schema: etree.XMLSchema) -> None:
    """The Norwegian example gets every PEPPOL header field and validates against the XSD."""
    document = (peppol_dir / NORSK).read_bytes()
    created = datetime(2026, 11, 22, 12, 30, 5, tzinfo=UTC)
    instance = "2f1d3c4b-5a69-4788-97a6-b5c4d3e2f1a0"
    sbd = wrap(
        document,
        sender="0192:123456785",
        receiver="0192:987654325",
        instance_id=instance,
        created=created,
    )
    _assert_valid(sbdh_schema, sbd)
    header, payload = unwrap(sbd)
    assert header == {
        "sender": "0192:123456785",
        "receiver": "0192:987654325",
        "standard": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        "type_version": "2.1",
        "instance_id": instance,
        "type": "Invoice",
        "created": "2026-11-22T12:30:05.000+00:00",
        "scopes": {"DOCUMENTID": INVOICE_DOCID, "PROCESSID": BILLING, "COUNTRY_C1": "NO"},
    }
    assert etree.tostring(etree.fromstring(payload), method="c14n") == etree.tostring(
        etree.fromstring(document), method="c14n"
    )


def test_envelope_identifier_schemes(peppol_dir: Path) -> None:
    """Participants use iso6523-actorid-upis; the scopes name their identifier schemes."""
    sbd = wrap(
        (peppol_dir / NORSK).read_bytes(), sender="0192:123456785", receiver="0192:987654325"
    )
    root = etree.fromstring(sbd)
    authorities = root.xpath(
        "(//sh:Sender | //sh:Receiver)/sh:Identifier/@Authority", namespaces=SH
    )
    assert authorities == ["iso6523-actorid-upis", "iso6523-actorid-upis"]
    schemes = root.xpath("//sh:Scope/sh:Identifier/text()", namespaces=SH)
    assert schemes == ["busdox-docid-qns", "cenbii-procid-ubl"]
    assert root.xpath("string(//sh:HeaderVersion)", namespaces=SH) == "1.0"


def test_fresh_uuid4_and_utc_time_by_default(peppol_dir: Path) -> None:
    """Without instance_id/created the header gets a new UUID4 and the current UTC time."""
    document = (peppol_dir / NORSK).read_bytes()
    before = datetime.now(UTC)
    first, _ = unwrap(wrap(document, sender="0192:123456785", receiver="0192:987654325"))
    second, _ = unwrap(wrap(document, sender="0192:123456785", receiver="0192:987654325"))
    assert uuid.UUID(first["instance_id"]).version == 4
    assert first["instance_id"] != second["instance_id"]
    stamp = datetime.fromisoformat(first["created"])
    assert before - timedelta(seconds=1) <= stamp <= datetime.now(UTC)


def test_local_time_keeps_its_offset(peppol_dir: Path) -> None:
    """A Norwegian wall-clock time is written with its offset, as xs:dateTime allows."""
    oslo = timezone(timedelta(hours=1))
    sbd = wrap(
        (peppol_dir / NORSK).read_bytes(),
        sender="0192:123456785",
        receiver="0192:987654325",
        created=datetime(2026, 11, 22, 9, 0, tzinfo=oslo),
    )
    assert unwrap(sbd)[0]["created"] == "2026-11-22T09:00:00.000+01:00"


@pytest.mark.parametrize(
    "name",
    # Falls back to one name so a missing folder reaches peppol_dir (skip, or fail in CI).
    sorted(p.name for p in (PEPPOL / EXAMPLES).glob("*.xml")) or ["base-example.xml"],
)
def test_every_official_example_is_enveloped(
    peppol_dir: Path, sbdh_schema: etree.XMLSchema, name: str
) -> None:
    """Every BIS 3.0.21 example, invoice or credit note, is wrapped schema-valid."""
    document = (peppol_dir / EXAMPLES / name).read_bytes()
    sender, receiver = _endpoints(document)
    sbd = wrap(document, sender=sender, receiver=receiver, country_c1="SE")
    _assert_valid(sbdh_schema, sbd)
    header, _ = unwrap(sbd)
    kind = etree.QName(etree.fromstring(document)).localname
    assert header["type"] == kind
    assert header["scopes"]["DOCUMENTID"] == (
        CREDITNOTE_DOCID if kind == "CreditNote" else INVOICE_DOCID
    )
    assert header["scopes"]["COUNTRY_C1"] == "SE"


def test_credit_note_document_id(peppol_dir: Path) -> None:
    """A credit note is typed CreditNote with the CreditNote-2 document identifier."""
    document = (peppol_dir / EXAMPLES / "base-creditnote-correction.xml").read_bytes()
    header, _ = unwrap(wrap(document, sender="0088:9482348239847239874", receiver="0002:FR23342"))
    assert header["standard"] == "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    assert header["type"] == "CreditNote"
    assert header["scopes"]["DOCUMENTID"] == CREDITNOTE_DOCID


def test_process_id_comes_from_the_payload(peppol_dir: Path) -> None:
    """The 'billing with response' example keeps its own ProfileID as PROCESSID."""
    document = (peppol_dir / EXAMPLES / "base-example_profile02.xml").read_bytes()
    sender, receiver = _endpoints(document)
    header, _ = unwrap(wrap(document, sender=sender, receiver=receiver))
    assert header["scopes"]["PROCESSID"] == "urn:peppol:bis:billing_with_response"


def test_self_billing_swaps_sender_and_receiver(peppol_dir: Path) -> None:
    """In self-billing the customer sends: BR-SBDH-3/4 instead of BR-SBDH-1/2."""
    document = (
        (peppol_dir / NORSK)
        .read_bytes()
        .replace(
            b"poacc:billing:3.0</cbc:CustomizationID>",
            b"poacc:selfbilling:3.0</cbc:CustomizationID>",
        )
    )
    header, _ = unwrap(wrap(document, sender="0192:987654325", receiver="0192:123456785"))
    assert header["sender"] == "0192:987654325"
    assert "selfbilling:3.0::2.1" in header["scopes"]["DOCUMENTID"]
    with pytest.raises(EnvelopeInvalidError, match="avsender"):
        wrap(document, sender="0192:123456785", receiver="0192:987654325")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sender": "0192:987654325"}, "avsender 0192:987654325 samsvarer ikke"),  # BR-SBDH-2
        ({"receiver": "0192:123456785"}, "mottaker 0192:123456785 samsvarer ikke"),  # BR-SBDH-1
        ({"sender": "123456785"}, "PEPPOL-identifikator"),
        ({"receiver": "0192:123456789"}, "kontrollsiffer"),
        ({"instance_id": "faktura-1"}, "UUID"),
        ({"created": datetime(2026, 11, 22, 12, 0)}, "tidssone"),  # naive on purpose
        ({"country_c1": "norge"}, "COUNTRY_C1"),
    ],
)
def test_bad_envelope_arguments_are_refused(
    peppol_dir: Path, changes: dict[str, object], message: str
) -> None:
    """Identifiers that don't match the payload, or malformed header values, are refused."""
    arguments: dict[str, object] = {"sender": "0192:123456785", "receiver": "0192:987654325"}
    arguments.update(changes)
    with pytest.raises(EnvelopeInvalidError, match=message):
        wrap((peppol_dir / NORSK).read_bytes(), **arguments)  # type: ignore[arg-type]


def test_only_invoices_and_credit_notes_are_wrapped() -> None:
    """An ApplicationResponse is not a billing payload."""
    answer = (FIXTURES / "transport/svar-ukjent-kode.xml").read_bytes()
    with pytest.raises(EnvelopeInvalidError, match="Invoice og CreditNote"):
        wrap(answer, sender="0192:123456785", receiver="0192:987654325")


def test_payload_without_profile_is_refused(peppol_dir: Path) -> None:
    """PROCESSID cannot be derived without ProfileID."""
    document = (peppol_dir / NORSK).read_bytes()
    start = document.index(b"<cbc:ProfileID>")
    end = document.index(b"</cbc:ProfileID>") + len(b"</cbc:ProfileID>")
    with pytest.raises(EnvelopeInvalidError, match="ProfileID"):
        wrap(document[:start] + document[end:], sender="0192:123456785", receiver="0192:987654325")


def test_unsafe_payload_is_refused() -> None:
    """The payload goes through the hardened parser: a DTD is refused before anything else."""
    with pytest.raises(XmlUnsafeError):
        wrap(
            (FIXTURES / "transport/svar-med-entitet.xml").read_bytes(),
            sender="0192:123456785",
            receiver="0192:987654325",
        )


def test_unwrap_official_mls_snippet(peppol_dir: Path) -> None:
    """The MLS SBDH snippet's extra scopes (MLS_TO, MLS_TYPE) are read back."""
    header, payload = unwrap(
        (peppol_dir / "mls-1.0.1/example/snippet-sbdh-mls-all.xml").read_bytes()
    )
    assert header["sender"] == "9998:sender"
    assert header["receiver"] == "9998:receiver"
    assert header["instance_id"] == "e07a2352-83cf-11ee-8459-74563c4a6461"
    assert header["scopes"]["MLS_TO"] == "0242:987654"
    assert header["scopes"]["MLS_TYPE"] == "FAILURE_ONLY"
    assert header["scopes"]["COUNTRY_C1"] == "NL"
    assert etree.QName(etree.fromstring(payload)).localname == "Invoice"


def test_unwrap_refuses_a_bare_document(peppol_dir: Path) -> None:
    """A payload without its envelope is not an SBD."""
    with pytest.raises(EnvelopeInvalidError, match="StandardBusinessDocument"):
        unwrap((peppol_dir / NORSK).read_bytes())


def test_unwrap_refuses_an_envelope_without_payload(peppol_dir: Path) -> None:
    """An SBD must carry exactly one document."""
    sbd = wrap(
        (peppol_dir / NORSK).read_bytes(), sender="0192:123456785", receiver="0192:987654325"
    )
    root = etree.fromstring(sbd)
    root.remove(root[1])
    with pytest.raises(EnvelopeInvalidError, match="nøyaktig ett dokument"):
        unwrap(etree.tostring(root))


def test_participants_read_from_the_payload(peppol_dir: Path) -> None:
    """The supplier's EndpointID sends to the customer's, as scheme:id."""
    document = (peppol_dir / NORSK).read_bytes()
    assert participants(document) == ("0192:123456785", "0192:987654325")
    sender, receiver = participants(document)
    assert unwrap(wrap(document, sender=sender, receiver=receiver))[0]["receiver"] == receiver


def test_participants_in_self_billing_are_swapped(peppol_dir: Path) -> None:
    """In self-billing the customer is the sender (BR-SBDH-3/4)."""
    document = (
        (peppol_dir / NORSK)
        .read_bytes()
        .replace(
            b"poacc:billing:3.0</cbc:CustomizationID>",
            b"poacc:selfbilling:3.0</cbc:CustomizationID>",
        )
    )
    assert participants(document) == ("0192:987654325", "0192:123456785")


def test_participants_need_a_scheme(peppol_dir: Path) -> None:
    """An EndpointID without schemeID cannot become a PEPPOL participant id."""
    document = (
        (peppol_dir / NORSK)
        .read_bytes()
        .replace(b'<cbc:EndpointID schemeID="0192">987654325', b"<cbc:EndpointID>987654325", 1)
    )
    with pytest.raises(EnvelopeInvalidError, match="EndpointID med schemeID"):
        participants(document)
