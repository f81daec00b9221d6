"""Buyer profiles: the buyer's own rules, checked before the official PEPPOL rules.

A profile is an entry in :data:`PROFILER` (name → list of checks); every profile also runs
the seller rules. A check takes the invoice and returns the problems it finds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from ehf import identifiers
from ehf.errors import RowError
from ehf.identifiers import IdentInvalidError
from ehf.model import NAV_ORGNR, Invoice

Check = Callable[[Invoice], list[RowError]]
NAV_KREDITTID = timedelta(days=30)


def _ident(rule: str, check: Callable[[str], str], value: str | None, what: str) -> list[RowError]:
    if value is None:
        return []
    try:
        check(value)
    except IdentInvalidError as exc:
        return [RowError(rule, f"{what}: {exc}")]
    return []


def selger_orgnr(inv: Invoice) -> list[RowError]:
    """SELGER-01: the seller's organisasjonsnummer passes mod 11."""
    return _ident("SELGER-01", identifiers.validate_orgnr, inv.seller.orgnr, "selgers orgnr")


def selger_mva(inv: Invoice) -> list[RowError]:
    """SELGER-02: a VAT id ``NO<orgnr>MVA`` exactly when the seller is VAT-registered."""
    s = inv.seller
    if s.vat_registered and s.vat_id is None:
        return [RowError("SELGER-02", "selger er mva-registrert, men mangler MVA-nummer")]
    if not s.vat_registered and s.vat_id is not None:
        return [RowError("SELGER-02", "MVA-nummer kan bare oppgis når selger er mva-registrert")]
    if s.vat_id is not None and s.vat_id != f"NO{s.orgnr}MVA":
        return [RowError("SELGER-02", f"MVA-nummeret må være NO{s.orgnr}MVA")]
    return []


def selger_kontonr(inv: Invoice) -> list[RowError]:
    """SELGER-03: a Norwegian kontonummer passes mod 11 (an IBAN is left to the rules)."""
    pm = inv.payment_means
    if pm is None or re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", pm.account):
        return []
    return _ident("SELGER-03", identifiers.validate_kontonr, pm.account, "kontonummer")


def selger_kid(inv: Invoice) -> list[RowError]:
    """SELGER-04: a KID has a valid MOD10 or MOD11 check digit."""
    kid = inv.payment_means.payment_id if inv.payment_means else None
    return _ident("SELGER-04", identifiers.validate_kid, kid, "KID")


def nav_endepunkt(inv: Invoice) -> list[RowError]:
    """NAV-01: the invoice goes to NAV's electronic address 0192:889640782."""
    if inv.buyer.endpoint != NAV_ORGNR:
        return [RowError("NAV-01", f"mottakeradressen til NAV er 0192:{NAV_ORGNR}")]
    return []


def nav_deres_referanse(inv: Invoice) -> list[RowError]:
    """NAV-02: Deres referanse (BuyerReference) is mandatory, ``A123456`` or ``ABC1234``."""
    if not inv.buyer_reference:
        return [RowError("NAV-02", "Deres referanse (BuyerReference) mangler; NAV krever den")]
    check = identifiers.validate_deres_referanse
    return _ident("NAV-02", check, inv.buyer_reference, "Deres referanse")


def nav_bestillingsnummer(inv: Invoice) -> list[RowError]:
    """NAV-03: a given bestillingsnummer (OrderReference) is not blank."""
    if inv.order_reference is not None and not inv.order_reference.strip():
        return [RowError("NAV-03", "bestillingsnummeret er tomt")]
    return []


def nav_kreditnota(inv: Invoice) -> list[RowError]:
    """NAV-04: a credit note names the invoice it credits (BillingReference)."""
    if inv.is_credit_note and not inv.billing_reference:
        return [RowError("NAV-04", "kreditnotaen må oppgi fakturanummeret den krediterer")]
    return []


def nav_vedlegg(inv: Invoice) -> list[RowError]:
    """NAV-05: attachments are PDF."""
    return [
        RowError("NAV-05", f"vedlegg {a.filename} må være PDF (er {a.mime_code})")
        for a in inv.attachments
        if a.mime_code != "application/pdf"
    ]


def nav_forfall(inv: Invoice) -> list[RowError]:
    """NAV-06: an invoice is due 30 days after its issue date."""
    if inv.is_credit_note or inv.due_date == inv.issue_date + NAV_KREDITTID:
        return []
    return [RowError("NAV-06", "forfallsdato må være 30 dager etter fakturadato")]


def nav_gebyr(inv: Invoice) -> list[RowError]:
    """NAV-07: no fee lines (document level charges)."""
    if any(ac.charge for ac in inv.allowance_charges):
        return [RowError("NAV-07", "NAV aksepterer ikke fakturagebyr eller andre gebyrer")]
    return []


def peppol_referanse(inv: Invoice) -> list[RowError]:
    """PEPPOL-01: BuyerReference or OrderReference is present (PEPPOL-EN16931-R003)."""
    if inv.buyer_reference or inv.order_reference:
        return []
    return [RowError("PEPPOL-01", "oppgi kjøpers referanse eller bestillingsnummer")]


SELGER: list[Check] = [selger_orgnr, selger_mva, selger_kontonr, selger_kid]

PROFILER: dict[str, list[Check]] = {
    "nav": [
        nav_endepunkt,
        nav_deres_referanse,
        nav_bestillingsnummer,
        nav_kreditnota,
        nav_vedlegg,
        nav_forfall,
        nav_gebyr,
    ],
    "peppol": [peppol_referanse],
}


def profile_for(inv: Invoice) -> str:
    """Return the profile for the invoice's buyer: ``nav`` for NAV's endpoint, else ``peppol``."""
    return "nav" if inv.buyer.endpoint == NAV_ORGNR else "peppol"


def check_profile(inv: Invoice, profile: str) -> list[RowError]:
    """Check an invoice against a buyer profile and the seller rules.

    Args:
        inv: the invoice or credit note.
        profile: a name in :data:`PROFILER`.

    Returns:
        Every problem found (empty when the invoice passes); ``path`` is the rule id.

    Raises:
        KeyError: an unknown profile name.
    """
    checks = PROFILER[profile] + SELGER
    return [error for check in checks for error in check(inv)]
