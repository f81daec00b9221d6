"""Read what comes back from PEPPOL: Invoice Response (T111), MLR (T71) and MLS.

Each answer becomes a :class:`Svar` — our status for the invoice, the PEPPOL response code
(UNCL4343 subset) and every reason the answer gives, joined in one bokmål-prefixed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from ehf import sbdh
from ehf.errors import ResponseInvalidError
from ehf.xmlsafe import parse_xml

AR_NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
_NS = {"cbc": sbdh.CBC_NS, "cac": sbdh.CAC_NS}


class SvarKind(StrEnum):
    """Which kind of answer it is (by CustomizationID)."""

    INVOICE_RESPONSE = "invoice_response"
    MLR = "mlr"
    MLS = "mls"


class SvarStatus(StrEnum):
    """Our status for the invoice after the answer."""

    LEVERT = "levert"
    AVVIST = "avvist"
    UNDER_BEHANDLING = "under_behandling"
    TIL_AVKLARING = "til_avklaring"
    BETINGET_GODKJENT = "betinget_godkjent"
    GODKJENT = "godkjent"
    BETALT = "betalt"


@dataclass(frozen=True)
class Svar:
    """One parsed answer.

    ``document_id`` is the referenced document: the invoice number (BT-1) for an Invoice
    Response, the SBDH InstanceIdentifier of the sent envelope for MLR and MLS.
    """

    kind: SvarKind
    status: SvarStatus
    code: str
    reason: str
    document_id: str


_KINDS = {
    "urn:fdc:peppol.eu:poacc:trns:invoice_response:3": SvarKind.INVOICE_RESPONSE,
    "urn:fdc:peppol.eu:poacc:trns:mlr:3": SvarKind.MLR,
    "urn:peppol:edec:mls:1.0": SvarKind.MLS,
}

# (status, bokmål label) per response code, per kind: T111 uses the UNCL4343 subset
# AB AP RE IP UQ CA PD; MLR and MLS only AB AP RE.
_CODES: dict[SvarKind, dict[str, tuple[SvarStatus, str]]] = {
    SvarKind.INVOICE_RESPONSE: {
        "AB": (SvarStatus.LEVERT, "Mottatt av kjøper"),
        "IP": (SvarStatus.UNDER_BEHANDLING, "Under behandling hos kjøper"),
        "UQ": (SvarStatus.TIL_AVKLARING, "Kjøper har spørsmål til fakturaen"),
        "CA": (SvarStatus.BETINGET_GODKJENT, "Godkjent på vilkår av kjøper"),
        "RE": (SvarStatus.AVVIST, "Avvist av kjøper"),
        "AP": (SvarStatus.GODKJENT, "Godkjent av kjøper"),
        "PD": (SvarStatus.BETALT, "Betaling er satt i gang"),
    },
    SvarKind.MLR: {
        "AB": (SvarStatus.LEVERT, "Mottatt av mottakerens aksesspunkt"),
        "AP": (SvarStatus.LEVERT, "Godtatt av mottakeren"),
        "RE": (SvarStatus.AVVIST, "Avvist av mottakeren"),
    },
    SvarKind.MLS: {
        "AP": (SvarStatus.LEVERT, "Levert til mottakeren med bekreftelse"),
        "AB": (SvarStatus.LEVERT, "Levert til mottakeren uten bekreftelse"),
        "RE": (SvarStatus.AVVIST, "Avvist, eller levering til mottakeren feilet"),
    },
}

# OPStatusReason, OPStatusAction (T111) and the MLR/MLS status reason codes.
_REASON_CODES = {
    "NON": "ingen avvik",
    "REF": "referanser mangler eller er feil",
    "LEG": "juridiske opplysninger er feil",
    "REC": "mottakeren er ukjent",
    "QUA": "varen holder ikke avtalt kvalitet",
    "DEL": "leveransen er mangelfull",
    "PRI": "prisene er feil",
    "QTY": "antallet er feil",
    "ITM": "varene er feil",
    "PAY": "betalingsvilkårene er feil",
    "UNR": "ikke gjenkjent",
    "FIN": "finansielle vilkår er feil",
    "PPD": "delvis betalt",
    "OTH": "annet",
    "NOA": "ingen handling trengs",
    "PIN": "send mer informasjon",
    "NIN": "send ny faktura",
    "CNF": "send kreditnota for hele fakturaen",
    "CNP": "send kreditnota for deler av fakturaen",
    "CNA": "send kreditnota for oppgitt beløp",
    "BV": "brudd på forretningsregel",
    "BW": "advarsel om forretningsregel",
    "FD": "levering feilet",
    "SV": "syntaksfeil",
}


def code_label(kind: str, code: str) -> str:
    """Return the bokmål meaning of a response code in a kind of answer, "" if unknown.

    Args:
        kind: a :class:`SvarKind` value (``invoice_response``, ``mlr``, ``mls``).
        code: the UNCL4343 subset code (``AB``, ``AP``, ``RE`` …).
    """
    codes = next((c for k, c in _CODES.items() if k == kind), {})
    return codes[code][1] if code in codes else ""


def parse_response(xml: bytes) -> Svar:
    """Parse an Invoice Response, MLR or MLS (bare, or inside an SBDH envelope).

    Args:
        xml: the answer's bytes (untrusted; parsed with the hardened parser).

    Returns:
        The kind, our status, the response code, all reasons and the referenced document.

    Raises:
        ResponseInvalidError: not an ApplicationResponse, an unknown CustomizationID, or a
            missing/unknown response code.
        XmlUnsafeError: not well-formed, or carries a DTD/entities.
        EnvelopeInvalidError: an SBDH envelope without exactly one payload.
    """
    root = _answer_root(xml)
    kind = _KINDS.get(_text(root, "cbc:CustomizationID"))
    if kind is None:
        raise ResponseInvalidError("ukjent svartype (CustomizationID)")
    response = root.find("cac:DocumentResponse", _NS)
    if response is None:
        raise ResponseInvalidError("svaret mangler DocumentResponse")
    code = _text(response, "cac:Response/cbc:ResponseCode")
    if code not in _CODES[kind]:
        raise ResponseInvalidError(f"ukjent svarkode {code!r} for {kind}")
    status, label = _CODES[kind][code]
    details = _details(response)
    reason = f"{label}: {'; '.join(details)}" if details else label
    return Svar(kind, status, code, reason, _text(response, "cac:DocumentReference/cbc:ID"))


def _answer_root(xml: bytes) -> etree._Element:
    root = parse_xml(xml)
    if etree.QName(root).namespace == sbdh.SBDH_NS:
        root = parse_xml(sbdh.unwrap(xml)[1])
    if root.tag != f"{{{AR_NS}}}ApplicationResponse":
        raise ResponseInvalidError("dokumentet er ikke et PEPPOL-svar (ApplicationResponse)")
    return root


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, _NS)
    return _clean(found.text) if found is not None else ""


def _clean(text: str | None) -> str:
    # Official examples pad values with whitespace; XML Schema collapses it.
    return " ".join((text or "").split())


def _details(document_response: etree._Element) -> list[str]:
    details = [_response_detail(r) for r in document_response.iterfind("cac:Response", _NS)]
    for line in document_response.iterfind("cac:LineResponse", _NS):
        line_id = _text(line, "cac:LineReference/cbc:LineID")
        # "NA" is MLS's constant for "no line reference available".
        prefix = f"{line_id}: " if line_id and line_id != "NA" else ""
        line_details = (_response_detail(r) for r in line.iterfind("cac:Response", _NS))
        details.extend(prefix + d for d in line_details if d)
    return [d for d in details if d]


def _response_detail(response: etree._Element) -> str:
    texts = [_clean(d.text) for d in response.iterfind("cbc:Description", _NS)]
    codes = []
    for status in response.iterfind("cac:Status", _NS):
        codes.extend(_reason_codes(status))
        texts.extend(_clean(r.text) for r in status.iterfind("cbc:StatusReason", _NS))
        texts.extend(_condition(c) for c in status.iterfind("cac:Condition", _NS))
    text = "; ".join(t for t in texts if t)
    if text and codes:
        return f"{text} ({', '.join(codes)})"
    return text or ", ".join(codes)


def _reason_codes(status: etree._Element) -> list[str]:
    codes = []
    for node in status.iterfind("cbc:StatusReasonCode", _NS):
        code = _clean(node.text)
        label = _REASON_CODES.get(code)
        codes.append(f"{code}: {label}" if label else code)
    return [c for c in codes if c]


def _condition(condition: etree._Element) -> str:
    attribute = _text(condition, "cbc:AttributeID")
    value = " ".join(_clean(d.text) for d in condition.iterfind("cbc:Description", _NS))
    return f"{attribute}: {value}" if attribute and value else attribute or value
