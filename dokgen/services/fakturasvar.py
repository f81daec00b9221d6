"""Answers to sent invoices — Invoice Response (T111), MLR (T71), MLS — matched and recorded.

An Invoice Response names the invoice by its number (BT-1). A PEPPOL Message Level Status
and a Message Level Response (T71) name the transmission they answer by the SBDH
InstanceIdentifier of that envelope (``cac:DocumentResponse/cac:DocumentReference/cbc:ID``;
MLS 1.0, and the BIS MLR 3 example's ``EnvelopeID``), which the send job keeps with the
attempt (``Sendeforsok.instans_id``). MLR AB/AP → levert, RE → avvist with the reasons.
MLS AP and AB (the code list's "delivered towards C4 with / without confirmation") → levert,
the answer's code telling which; RE → avvist with the reasons. These functions work inside
the caller's transaction; :mod:`dokgen.services.fakturaer` wraps them with the permission
check and the audit line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.errors import (
    FieldError,
    InputInvalidError,
    PayloadTooLargeError,
    RecordNotFoundError,
    StateConflictError,
    TransmissionNotFoundError,
)
from dokgen.services.fakturajobber import AVVIST, LEVERT, OVERLEVERT
from dokgen.storage.db import Faktura, Sendeforsok
from ehf.errors import EnvelopeInvalidError, ResponseInvalidError
from ehf.responses import Svar, SvarKind, SvarStatus, code_label, parse_response

SVAR_MAKS_BYTE = 1024 * 1024  # answers are a few KB; an MLS listing every finding stays far below
BESVARBAR = OVERLEVERT  # states an answer may refer to (an outbox file's MLS too)
_PER_SENDING = (SvarKind.MLS, SvarKind.MLR)  # they name the transmission, not the invoice
TYPENAVN: dict[str, str] = {
    SvarKind.INVOICE_RESPONSE: "Fakturasvar (Invoice Response)",
    SvarKind.MLR: "Meldingssvar (MLR)",
    SvarKind.MLS: "Meldingsstatus (MLS)",
}


@dataclass(frozen=True)
class Svarvisning:
    """One registered answer as the invoice page shows it."""

    tidspunkt: datetime
    type: str
    kode: str
    betydning: str
    arsak: str


def les(xml: bytes) -> Svar:
    """Parse an uploaded or posted answer with the hardened parser.

    Raises:
        PayloadTooLargeError: over :data:`SVAR_MAKS_BYTE`.
        XmlUnsafeError: not well-formed, or a DTD/entities (refused before parsing).
        InputInvalidError: not an answer we can read (``svar``).
    """
    if len(xml) > SVAR_MAKS_BYTE:
        raise PayloadTooLargeError(f"svaret er større enn {SVAR_MAKS_BYTE // (1024 * 1024)} MB")
    try:
        return parse_response(xml)
    except (ResponseInvalidError, EnvelopeInvalidError) as exc:
        raise InputInvalidError([FieldError("svar", str(exc))]) from None


def sending(session: Session, org_id: int, instans_id: str) -> Faktura:
    """Return the organisation's invoice whose transmission had this InstanceIdentifier.

    Raises:
        TransmissionNotFoundError: no such transmission in the organisation.
    """
    query = (
        select(Faktura)
        .join(Sendeforsok, Sendeforsok.faktura_id == Faktura.id)
        .where(Sendeforsok.instans_id == instans_id, Faktura.org_id == org_id)
        .limit(1)
    )
    rad = session.scalars(query).first()
    if rad is None:
        raise TransmissionNotFoundError(instans_id)
    return rad


def finn(session: Session, org_id: int, svar: Svar) -> Faktura:
    """Return the invoice an answer refers to: an MLS or MLR by the instance id of the
    transmission, an Invoice Response by the invoice number.

    Raises:
        TransmissionNotFoundError: an MLS or MLR about a transmission the organisation never
            made.
        RecordNotFoundError: an Invoice Response about a number the organisation does not have.
    """
    if svar.kind in _PER_SENDING:
        return sending(session, org_id, svar.document_id)
    query = select(Faktura).where(Faktura.org_id == org_id, Faktura.nummer == svar.document_id)
    rad = session.scalars(query).first()
    if rad is None:
        raise RecordNotFoundError(f"fant ingen faktura med nummer {svar.document_id[:40]}")
    return rad


def _sjekk_referanse(session: Session, rad: Faktura, svar: Svar) -> None:
    if svar.kind == SvarKind.INVOICE_RESPONSE and svar.document_id != rad.nummer:
        melding = f"svaret gjelder faktura {svar.document_id[:40]}, ikke {rad.nummer}"
        raise InputInvalidError([FieldError("svar", melding)])
    if svar.kind in _PER_SENDING:
        eier = sending(session, rad.org_id, svar.document_id)
        if eier.id != rad.id:
            melding = f"svaret gjelder sendingen av {eier.nummer}, ikke {rad.nummer}"
            raise InputInvalidError([FieldError("svar", melding)])


def registrer(session: Session, rad: Faktura, svar: Svar) -> None:
    """Apply an answer to a sent invoice and keep it (kind, code, reason) in its history.

    Raises:
        StateConflictError: the invoice has not been sent.
        InputInvalidError: the answer names another invoice or another one's transmission.
        TransmissionNotFoundError: an MLS or MLR about a transmission the organisation never
            made.
    """
    if rad.status not in BESVARBAR:
        raise StateConflictError("fakturaen er ikke sendt")
    _sjekk_referanse(session, rad, svar)
    resultat = str(svar.status)
    if svar.status == SvarStatus.AVVIST:
        rad.status, rad.feil = AVVIST, svar.reason
    else:
        rad.status, rad.feil = LEVERT, None
    session.add(
        Sendeforsok(
            faktura_id=rad.id,
            resultat=resultat,
            arsak=svar.reason,
            svartype=str(svar.kind),
            svarkode=svar.code,
        )
    )


def visning(forsok: Iterable[Sendeforsok]) -> list[Svarvisning]:
    """Return the registered answers among an invoice's attempts, oldest first."""
    rader = []
    for x in forsok:
        if not x.svarkode:
            continue
        betydning = code_label(x.svartype or "", x.svarkode)
        # The stored reason starts with the meaning (ehf's "label: details"); show the rest.
        arsak = (x.arsak or "").removeprefix(betydning).removeprefix(":").strip()
        typenavn = TYPENAVN.get(x.svartype or "", x.svartype or "")
        rader.append(Svarvisning(x.tidspunkt, typenavn, x.svarkode, betydning, arsak))
    return rader
