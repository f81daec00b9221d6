"""The PEPPOL envelope: wrap a UBL invoice in an SBDH 1.3 header, and read one back.

Follows the OpenPeppol Business Message Envelope (SBDH) specification: participant
identifiers under the ``iso6523-actorid-upis`` authority, a UUID instance identifier and the
DOCUMENTID / PROCESSID / COUNTRY_C1 scopes. Everything the header says about the document is
derived from the payload itself, and sender/receiver must match the payload's endpoints
(BR-SBDH-1..4 of ``PeppolBIS-Envelope-Rules.sch``).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from ehf.errors import EnvelopeInvalidError
from ehf.identifiers import IdentInvalidError, validate_orgnr
from ehf.xmlsafe import parse_xml

SBDH_NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
PARTICIPANT_AUTHORITY = "iso6523-actorid-upis"
DOCUMENT_SCHEME = "busdox-docid-qns"
PROCESS_SCHEME = "cenbii-procid-ubl"
HEADER_VERSION = "1.0"
UBL_VERSION = "2.1"

_PAYLOADS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "Invoice",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "CreditNote",
}
_SELF_BILLING = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:selfbilling:3.0"
_PARTICIPANT = re.compile(r"(\d{4}):(\S{1,135})")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NS = {"cbc": CBC_NS, "cac": CAC_NS, "sh": SBDH_NS}


def wrap(
    document: bytes,
    *,
    sender: str,
    receiver: str,
    instance_id: str | None = None,
    created: datetime | None = None,
    country_c1: str = "NO",
) -> bytes:
    """Wrap a UBL Invoice or CreditNote in a PEPPOL SBDH 1.3 envelope.

    Args:
        document: the UBL payload (untrusted bytes; parsed with the hardened parser).
        sender: PEPPOL participant id of C1's customer, e.g. ``"0192:998877660"``.
        receiver: PEPPOL participant id of the recipient.
        instance_id: a UUID for ``InstanceIdentifier``; a fresh UUID4 when omitted.
        created: ``CreationDateAndTime``, timezone-aware; now (UTC) when omitted.
        country_c1: ISO 3166 alpha-2 country of the sender (COUNTRY_C1 scope).

    Returns:
        The envelope as UTF-8 XML bytes with the payload as its body.

    Raises:
        EnvelopeInvalidError: the payload is not a UBL invoice/credit note with
            CustomizationID and ProfileID, an identifier is malformed, or sender/receiver do
            not match the payload's EndpointIDs (BR-SBDH-1..4).
        XmlUnsafeError: the payload is not well-formed or carries a DTD/entities.
    """
    payload = parse_xml(document)
    doc_type, namespace = _payload_type(payload)
    customization = _required_text(payload, "cbc:CustomizationID")
    profile = _required_text(payload, "cbc:ProfileID")
    _check_participants(payload, customization, sender=sender, receiver=receiver)
    header = _header(
        sender=sender,
        receiver=receiver,
        standard=namespace,
        doc_type=doc_type,
        instance_id=_instance_id(instance_id),
        created=_timestamp(created),
    )
    scope = etree.SubElement(header, _sh("BusinessScope"))
    document_id = f"{namespace}::{doc_type}##{customization}::{UBL_VERSION}"
    _scope(scope, "DOCUMENTID", document_id, DOCUMENT_SCHEME)
    _scope(scope, "PROCESSID", profile, PROCESS_SCHEME)
    _scope(scope, "COUNTRY_C1", _country(country_c1), None)
    # lxml-stubs reject None, lxml's key for the default namespace.
    nsmap = {None: SBDH_NS}
    envelope = etree.Element(_sh("StandardBusinessDocument"), nsmap=nsmap)  # type: ignore[arg-type]
    envelope.append(header)
    envelope.append(payload)
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def participants(document: bytes) -> tuple[str, str]:
    """Return the SBDH ``(sender, receiver)`` a billing document must be enveloped with.

    The supplier's EndpointID (BT-34) sends to the customer's (BT-49); in self-billing the
    customer sends to the supplier (BR-SBDH-1..4). Both as ``scheme:id``.

    Args:
        document: the UBL Invoice or CreditNote (untrusted bytes).

    Returns:
        ``(sender, receiver)``, e.g. ``("0192:123456785", "0192:987654325")``.

    Raises:
        EnvelopeInvalidError: not an Invoice/CreditNote, or an EndpointID or its schemeID
            is missing.
        XmlUnsafeError: not well-formed, or carries a DTD/entities.
    """
    payload = parse_xml(document)
    _payload_type(payload)
    issuer, recipient = _issuer_and_recipient(
        payload, _required_text(payload, "cbc:CustomizationID")
    )
    if issuer is None or recipient is None:
        raise EnvelopeInvalidError("dokumentet mangler EndpointID med schemeID for en av partene")
    return issuer, recipient


def unwrap(sbd: bytes) -> tuple[dict[str, Any], bytes]:
    """Split an SBDH envelope into its header fields and its payload document.

    Args:
        sbd: the envelope bytes (untrusted; parsed with the hardened parser).

    Returns:
        ``(header, payload)``: header has ``sender``, ``receiver``, ``standard``,
        ``type_version``, ``instance_id``, ``type``, ``created`` and ``scopes`` (scope type →
        InstanceIdentifier, e.g. ``DOCUMENTID``, ``PROCESSID``, ``COUNTRY_C1``, ``MLS_TO``);
        payload is the body element as standalone UTF-8 XML bytes.

    Raises:
        EnvelopeInvalidError: not an SBD, no header, or not exactly one payload element.
        XmlUnsafeError: the bytes are not well-formed or carry a DTD/entities.
    """
    root = parse_xml(sbd)
    if root.tag != _sh("StandardBusinessDocument"):
        raise EnvelopeInvalidError("dokumentet er ikke en StandardBusinessDocument (SBDH)")
    header = root.find("sh:StandardBusinessDocumentHeader", _NS)
    if header is None:
        raise EnvelopeInvalidError("SBDH-konvolutten mangler StandardBusinessDocumentHeader")
    bodies = [c for c in root if isinstance(c.tag, str) and c is not header]
    if len(bodies) != 1:
        raise EnvelopeInvalidError("SBDH-konvolutten må inneholde nøyaktig ett dokument")
    fields = _header_fields(header)
    return fields, bytes(etree.tostring(bodies[0], xml_declaration=True, encoding="UTF-8"))


def _sh(name: str) -> str:
    return f"{{{SBDH_NS}}}{name}"


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, _NS)
    return " ".join((found.text or "").split()) if found is not None else ""


def _required_text(payload: etree._Element, path: str) -> str:
    value = _text(payload, path)
    if not value:
        raise EnvelopeInvalidError(f"dokumentet mangler {path.split(':')[-1]}")
    return value


def _payload_type(payload: etree._Element) -> tuple[str, str]:
    qname = etree.QName(payload)
    doc_type = _PAYLOADS.get(qname.namespace or "")
    if doc_type is None or qname.localname != doc_type:
        raise EnvelopeInvalidError("bare UBL Invoice og CreditNote kan pakkes i SBDH")
    return doc_type, str(qname.namespace)


def _endpoint(payload: etree._Element, party: str) -> str | None:
    node = payload.find(f"cac:{party}/cac:Party/cbc:EndpointID", _NS)
    value = " ".join((node.text or "").split()) if node is not None else ""
    if node is None or not value or not node.get("schemeID"):
        return None
    return f"{node.get('schemeID')}:{value}"


def _issuer_and_recipient(
    payload: etree._Element, customization: str
) -> tuple[str | None, str | None]:
    supplier = _endpoint(payload, "AccountingSupplierParty")
    customer = _endpoint(payload, "AccountingCustomerParty")
    # In self-billing the customer issues the document (BR-SBDH-3/4).
    if customization == _SELF_BILLING:
        return customer, supplier
    return supplier, customer


def _check_participants(
    payload: etree._Element, customization: str, *, sender: str, receiver: str
) -> None:
    _participant(sender, "avsender")
    _participant(receiver, "mottaker")
    issuer, recipient = _issuer_and_recipient(payload, customization)
    if sender != issuer:
        raise EnvelopeInvalidError(f"avsender {sender} samsvarer ikke med dokumentets EndpointID")
    if receiver != recipient:
        raise EnvelopeInvalidError(f"mottaker {receiver} samsvarer ikke med dokumentets EndpointID")


def _participant(value: str, role: str) -> None:
    match = _PARTICIPANT.fullmatch(value)
    if match is None:
        raise EnvelopeInvalidError(f"{role} må være en PEPPOL-identifikator som 0192:998877660")
    if match.group(1) == "0192":
        try:
            validate_orgnr(match.group(2))
        except IdentInvalidError as exc:
            raise EnvelopeInvalidError(f"{role}: {exc}") from None


def _instance_id(value: str | None) -> str:
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise EnvelopeInvalidError("InstanceIdentifier må være en UUID") from None


def _timestamp(created: datetime | None) -> str:
    moment = created if created is not None else datetime.now(UTC)
    if moment.utcoffset() is None:
        raise EnvelopeInvalidError("CreationDateAndTime må ha tidssone")
    return moment.isoformat(timespec="milliseconds")


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise EnvelopeInvalidError("COUNTRY_C1 må være en landkode med to store bokstaver")
    return value


def _header(
    *, sender: str, receiver: str, standard: str, doc_type: str, instance_id: str, created: str
) -> etree._Element:
    header = etree.Element(_sh("StandardBusinessDocumentHeader"))
    etree.SubElement(header, _sh("HeaderVersion")).text = HEADER_VERSION
    for role, participant in (("Sender", sender), ("Receiver", receiver)):
        ident = etree.SubElement(etree.SubElement(header, _sh(role)), _sh("Identifier"))
        ident.set("Authority", PARTICIPANT_AUTHORITY)
        ident.text = participant
    ident_block = etree.SubElement(header, _sh("DocumentIdentification"))
    for name, value in (
        ("Standard", standard),
        ("TypeVersion", UBL_VERSION),
        ("InstanceIdentifier", instance_id),
        ("Type", doc_type),
        ("CreationDateAndTime", created),
    ):
        etree.SubElement(ident_block, _sh(name)).text = value
    return header


def _scope(parent: etree._Element, kind: str, value: str, scheme: str | None) -> None:
    scope = etree.SubElement(parent, _sh("Scope"))
    etree.SubElement(scope, _sh("Type")).text = kind
    etree.SubElement(scope, _sh("InstanceIdentifier")).text = value
    if scheme is not None:
        etree.SubElement(scope, _sh("Identifier")).text = scheme


def _header_fields(header: etree._Element) -> dict[str, Any]:
    scopes = {
        _text(s, "sh:Type"): _text(s, "sh:InstanceIdentifier")
        for s in header.iterfind("sh:BusinessScope/sh:Scope", _NS)
    }
    return {
        "sender": _text(header, "sh:Sender/sh:Identifier"),
        "receiver": _text(header, "sh:Receiver/sh:Identifier"),
        "standard": _text(header, "sh:DocumentIdentification/sh:Standard"),
        "type_version": _text(header, "sh:DocumentIdentification/sh:TypeVersion"),
        "instance_id": _text(header, "sh:DocumentIdentification/sh:InstanceIdentifier"),
        "type": _text(header, "sh:DocumentIdentification/sh:Type"),
        "created": _text(header, "sh:DocumentIdentification/sh:CreationDateAndTime"),
        "scopes": scopes,
    }
