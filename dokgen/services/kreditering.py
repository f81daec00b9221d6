"""Credit notes' and corrections' bookkeeping: which lines are credited where, what a
credit note will credit, and how invoices, credit notes and corrections link to each other.

These work inside the caller's session; :mod:`dokgen.services.fakturaer` wraps them with the
permission check, the numbering and the audit line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.errors import FieldError, InputInvalidError, StateConflictError
from dokgen.services.fakturajobber import AVVIST
from dokgen.storage.db import Faktura

BEGRUNNELSE_MAKS = 500  # Faktura.begrunnelse's column


@dataclass(frozen=True)
class Kreditlinje:
    """One line of an invoice as the credit form shows it; ``kreditert_i`` is the number of
    the credit note that already credits it (the line cannot be chosen again)."""

    id: str
    deltaker_nr: str
    deltaker_navn: str
    timer: Decimal
    belop: Decimal
    kreditert_i: str | None = None
    kreditnota_id: str | None = None


@dataclass(frozen=True)
class Kreditering:
    """What a credit note will credit, shown for confirmation before anything is made."""

    faktura_id: str
    faktura_nummer: str
    linjer: list[Kreditlinje]
    timer: Decimal
    sum: Decimal
    begrunnelse: str
    hele: bool  # every line not yet credited was chosen as such


@dataclass(frozen=True)
class Kobling:
    """Another invoice or credit note this one is linked to."""

    id: str
    nummer: str
    art: str
    belop: str
    status: str
    begrunnelse: str | None = None  # a credit note's reason


@dataclass(frozen=True)
class Koblinger:
    """How an invoice is linked to its credit notes and corrections, both ways."""

    krediterer: Kobling | None  # a credit note: the invoice it credits
    kreditnotaer: list[Kobling]  # an invoice: its credit notes
    erstatter: Kobling | None  # a correction: the invoice it corrects
    erstattet_av: list[Kobling]  # the corrections made of it
    helt_kreditert: bool
    kan_korrigeres: bool  # "Lag korrigert faktura" is offered


def kobling(rad: Faktura) -> Kobling:
    return Kobling(rad.id, rad.nummer, rad.art, rad.belop, rad.status, rad.begrunnelse)


def kreditert_i(session: Session, kreditert: Faktura) -> dict[str, Faktura]:
    """Return line id → the credit note that credits it."""
    query = (
        select(Faktura)
        .where(Faktura.krediterer_id == kreditert.id, Faktura.org_id == kreditert.org_id)
        .order_by(Faktura.nummer)
    )
    return {i: k for k in session.scalars(query) for i in (k.grunnlag or {}).get("linjer", [])}


def linjevalg(rad: Faktura, brukt: dict[str, Faktura]) -> list[Kreditlinje]:
    return [
        Kreditlinje(
            str(x["id"]),
            str(x.get("deltaker_nr", "")),
            str(x.get("deltaker_navn", "")),
            Decimal(str(x.get("timer", "0"))),
            Decimal(str(x["belop"])),
            brukt[x["id"]].nummer if x["id"] in brukt else None,
            brukt[x["id"]].id if x["id"] in brukt else None,
        )
        for x in rad.linjer
    ]


def velg_linjer(
    session: Session, kreditert: Faktura, linjer: list[str] | None
) -> list[dict[str, Any]]:
    # Read under the numbering's write lock: a double-clicked credit note sees the first.
    brukt = kreditert_i(session, kreditert)
    known = [x["id"] for x in kreditert.linjer]
    if linjer is None and not set(known) - set(brukt):
        raise StateConflictError("hele fakturaen er allerede kreditert")
    wanted = [i for i in known if i not in brukt] if linjer is None else linjer
    ukjente = [i for i in wanted if i not in known]
    errors = [f"ukjente linjer: {', '.join(ukjente)}"] if ukjente else []
    errors += [
        f"linje {i} er allerede kreditert i kreditnota {brukt[i].nummer}"
        for i in wanted
        if i in brukt
    ]
    if not wanted:
        errors.append(
            "ingen linjer er valgt: velg linjene som skal krediteres, eller velg å kreditere "
            "hele fakturaen"
        )
    if errors:
        raise InputInvalidError([FieldError("linjer", m) for m in errors])
    return [x for x in kreditert.linjer if x["id"] in wanted]


def begrunnelse(begrunnelse: str | None) -> str:
    tekst = " ".join((begrunnelse or "").split())
    if not tekst:
        melding = "skriv hvorfor fakturaen krediteres (det står på kreditnotaen)"
        raise InputInvalidError([FieldError("begrunnelse", melding)])
    if len(tekst) > BEGRUNNELSE_MAKS:
        melding = f"begrunnelsen kan ha høyst {BEGRUNNELSE_MAKS} tegn"
        raise InputInvalidError([FieldError("begrunnelse", melding)])
    return tekst


def koblinger_for(session: Session, rad: Faktura) -> Koblinger:
    def rader(*where: Any) -> list[Faktura]:
        query = select(Faktura).where(Faktura.org_id == rad.org_id, *where)
        return list(session.scalars(query.order_by(Faktura.nummer)))

    krediterer = session.get(Faktura, rad.krediterer_id) if rad.krediterer_id else None
    erstatter = session.get(Faktura, rad.erstatter_id) if rad.erstatter_id else None
    kreditnotaer = rader(Faktura.krediterer_id == rad.id)
    erstattet_av = rader(Faktura.erstatter_id == rad.id)
    kreditert = {i for k in kreditnotaer for i in (k.grunnlag or {}).get("linjer", [])}
    helt = rad.art == "faktura" and bool(rad.linjer) and {x["id"] for x in rad.linjer} <= kreditert
    kan = rad.art == "faktura" and (rad.status == AVVIST or helt) and not erstattet_av
    return Koblinger(
        kobling(krediterer) if krediterer else None,
        [kobling(k) for k in kreditnotaer],
        kobling(erstatter) if erstatter else None,
        [kobling(k) for k in erstattet_av],
        helt,
        kan,
    )
