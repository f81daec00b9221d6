"""The invoice use cases, as plain functions shared by the CLI and the web service.

Each takes its collaborators (the PEPPOL artifacts folder, a transport, a clock) as arguments.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ehf.errors import InvoiceRejectedError, ProfileViolationError
from ehf.grunnlag import Fakturagrunnlag
from ehf.model import Attachment, Invoice
from ehf.profiles import check_profile, profile_for
from ehf.rules import Fakturering, get_regelsett
from ehf.sbdh import participants, wrap
from ehf.translate import invoice_from_grunnlag
from ehf.transport import Sendekvittering, Transport
from ehf.ubl import build
from ehf.ubl_read import credit_note_for, read_invoice
from ehf.validation import Report, get_validator, rulepack_for

# Namespace of the envelopes' InstanceIdentifiers (a fixed random UUID, see send()).
_INSTANCE_NAMESPACE = uuid.UUID("fcffd6f2-6e8a-4a4b-be52-b4904bf3d67c")


@dataclass(frozen=True)
class Fakturaresultat:
    """A built invoice or credit note with how it was billed and what the rules said."""

    invoice: Invoice
    xml: bytes
    report: Report
    fakturering: Fakturering | None = None


def _checked(inv: Invoice, peppol_dir: Path, fakturering: Fakturering | None) -> Fakturaresultat:
    errors = check_profile(inv, profile_for(inv))
    if errors:
        raise ProfileViolationError(errors)
    xml = build(inv)
    validator = get_validator(peppol_dir, rulepack_for(inv.issue_date, peppol_dir))
    return Fakturaresultat(inv, xml, validator.validate(xml), fakturering)


def lag_faktura(
    grunnlag: Fakturagrunnlag, *, peppol_dir: Path, vedlegg: Sequence[Attachment] = ()
) -> Fakturaresultat:
    """Bill the activities by the grunnlag's rule set, build the invoice and validate it.

    Raises:
        RuleSetUnknownError: the grunnlag names no known rule set.
        ProfileViolationError: the buyer profile or seller rules refuse the invoice.
    """
    fakturering = get_regelsett(grunnlag.regelsett).beregn(grunnlag.aktiviteter)
    inv = invoice_from_grunnlag(grunnlag, fakturering, attachments=vedlegg)
    return _checked(inv, peppol_dir, fakturering)


def lag_kreditnota(
    faktura_xml: bytes,
    *,
    nummer: str,
    dato: date,
    peppol_dir: Path,
    linjer: Sequence[str] | None = None,
    begrunnelse: str | None = None,
) -> Fakturaresultat:
    """Build and validate a credit note for (some lines of) an invoice we built.

    ``begrunnelse``, the reason for the credit, is the credit note's note (BT-22).

    Raises:
        XmlUnsafeError: the invoice XML is unsafe or malformed.
        ProfileViolationError: the credit note breaks the buyer profile.
    """
    invoice = read_invoice(faktura_xml)
    note = credit_note_for(
        invoice, number=nummer, issue_date=dato, line_ids=linjer, note=begrunnelse
    )
    return _checked(note, peppol_dir, None)


def valider(xml: bytes, *, peppol_dir: Path, dato: date | None = None) -> Report:
    """Validate a UBL document with the rule pack in force on ``dato`` (default today)."""
    return get_validator(peppol_dir, rulepack_for(dato or date.today(), peppol_dir)).validate(xml)


def send(
    xml: bytes,
    *,
    transport: Transport,
    peppol_dir: Path,
) -> Sendekvittering:
    """Validate, wrap in an SBDH and hand to the transport; never send a fatal document.

    The idempotency key is the document's SHA-256, so sending the same bytes twice never
    makes two invoices at the access point. The SBDH InstanceIdentifier is a UUID5 of that
    key: a resend after a retry or a restart, which the access point may already have,
    carries the identifier a Message Level Status (MLS) about the first one refers to.

    Returns:
        The transport's receipt with ``instans_id``, the envelope's InstanceIdentifier.

    Raises:
        InvoiceRejectedError: the document has a fatal finding.
        TransportFailedError: the access point did not take it.
    """
    report = valider(xml, peppol_dir=peppol_dir)
    if not report.ok:
        raise InvoiceRejectedError(
            "dokumentet har feil og sendes ikke: "
            + ", ".join(sorted({f.rule for f in report.fatal}))
        )
    sender, receiver = participants(xml)
    key = hashlib.sha256(xml).hexdigest()
    instance_id = str(uuid.uuid5(_INSTANCE_NAMESPACE, key))
    sbd = wrap(xml, sender=sender, receiver=receiver, instance_id=instance_id)
    return replace(transport.send(sbd, idempotency_key=key), instans_id=instance_id)
