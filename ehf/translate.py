"""The one translation from the Norwegian fakturagrunnlag to the EN 16931 model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ehf.grunnlag import Adresse, Fakturagrunnlag
from ehf.identifiers import mva_number
from ehf.model import (
    Address,
    Attachment,
    Buyer,
    Contact,
    Invoice,
    Line,
    PaymentMeans,
    Period,
    Seller,
)
from ehf.rules import Fakturering

TJENESTE = "Jobbmestrende oppfølging"
MANEDER = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


def _address(a: Adresse) -> Address:
    return Address(street=a.gate, postal_zone=a.postnummer, city=a.poststed, country=a.land)


def _seller(g: Fakturagrunnlag) -> Seller:
    s = g.selger
    contact = None
    if s.kontakt is not None:
        contact = Contact(name=s.kontakt.navn, telephone=s.kontakt.telefon, email=s.kontakt.epost)
    return Seller(
        name=s.navn,
        orgnr=s.orgnr,
        vat_id=mva_number(s.orgnr) if s.mva_registrert else None,
        vat_registered=s.mva_registrert,
        business_register=s.foretaksregisteret,
        address=_address(s.adresse),
        contact=contact,
    )


def _buyer(g: Fakturagrunnlag) -> Buyer:
    k = g.kjoper
    return Buyer(name=k.navn, orgnr=k.orgnr, endpoint=k.orgnr, address=_address(k.adresse))


def periode_tekst(fra: date, til: date) -> str:
    """Return a bokmål period name: ``oktober 2026`` or ``1.10.2026–15.11.2026``."""
    if (fra.year, fra.month) == (til.year, til.month):
        return f"{MANEDER[fra.month - 1]} {fra.year}"
    return f"{fra:%-d.%-m.%Y}–{til:%-d.%-m.%Y}"


def _lines(g: Fakturagrunnlag, f: Fakturering) -> tuple[Line, ...]:
    item = f"{TJENESTE} {periode_tekst(g.periode.fra, g.periode.til)}"
    return tuple(
        Line(
            id=str(i),
            quantity=linje.timer,
            unit_code="HUR",
            price=g.timepris,
            item_name=item,
            item_description=f"Deltaker {linje.deltaker_nr} {linje.deltaker_navn}",
            vat_category=g.mva.kategori,
            vat_rate=g.mva.sats,
        )
        for i, linje in enumerate(f.linjer, start=1)
    )


def invoice_from_grunnlag(
    g: Fakturagrunnlag, f: Fakturering, *, attachments: Sequence[Attachment] = ()
) -> Invoice:
    """Translate a fakturagrunnlag and its billing into an EN 16931 invoice (380).

    One line per deltaker for the period: quantity = billed hours (HUR), price = timepris.
    Deltakere appear by their number and name only.

    Args:
        g: the validated fakturagrunnlag.
        f: the billing of ``g.aktiviteter`` by its rule set.
        attachments: supporting documents to embed (e.g. the timeliste as PDF).

    Returns:
        The invoice; its totals are computed by the model.
    """
    reasons = {g.mva.kategori: g.mva.fritaksgrunn} if g.mva.fritaksgrunn else {}
    days = (g.forfallsdato - g.fakturadato).days
    return Invoice(
        document_type="380",
        number=g.fakturanummer,
        issue_date=g.fakturadato,
        due_date=g.forfallsdato,
        currency=g.valuta,
        buyer_reference=g.deres_referanse,
        order_reference=g.bestillingsnummer,
        period=Period(start=g.periode.fra, end=g.periode.til),
        seller=_seller(g),
        buyer=_buyer(g),
        payment_means=PaymentMeans(
            code="30", account=g.selger.kontonummer, payment_id=g.selger.kid
        ),
        payment_terms=f"{days} dager netto",
        lines=_lines(g, f),
        exemption_reasons=reasons,
        attachments=tuple(attachments),
    )
