"""The EN 16931 invoice model (BIS Billing 3.0 semantics), in the standard's English terms.

Every field names its business term (BT-n) or group (BG-n). Totals are computed here, never
given: line net = quantity × price, VAT per category on the category's base, all rounded half
up to 2 decimals, exactly as the EN 16931 calculation rules (BR-CO-*) prescribe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NAV_ORGNR = "889640782"


def round2(value: Decimal) -> Decimal:
    """Round an amount half up to 2 decimals (EN 16931's rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(_Model):
    """A postal address (BG-5 seller, BG-8 buyer)."""

    street: str | None = Field(None, description="BT-35/BT-50 address line 1")
    city: str | None = Field(None, description="BT-37/BT-52 city")
    postal_zone: str | None = Field(None, description="BT-38/BT-53 post code")
    country: str = Field("NO", description="BT-40/BT-55 country code (ISO 3166-1 alpha-2)")


class Contact(_Model):
    """The seller's contact (BG-6)."""

    name: str | None = Field(None, description="BT-41 seller contact point")
    telephone: str | None = Field(None, description="BT-42 seller contact telephone")
    email: str | None = Field(None, description="BT-43 seller contact e-mail")


class Seller(_Model):
    """The seller (BG-4)."""

    name: str = Field(description="BT-27 seller name")
    orgnr: str = Field(description="BT-30 seller legal registration id (scheme 0192)")
    vat_id: str | None = Field(None, description="BT-31 seller VAT id, only when VAT-registered")
    vat_registered: bool = Field(False, description="whether the seller is in Mva-registeret")
    business_register: bool = Field(
        False, description="BT-32 seller tax registration id 'Foretaksregisteret' (NO-R-002)"
    )
    address: Address = Field(description="BG-5 seller postal address")
    contact: Contact | None = Field(None, description="BG-6 seller contact")

    @property
    def endpoint(self) -> str:
        """Return the electronic address (BT-34, scheme 0192)."""
        return self.orgnr


class Buyer(_Model):
    """The buyer (BG-7)."""

    name: str = Field(description="BT-44 buyer name")
    orgnr: str = Field(description="BT-47 buyer legal registration id (scheme 0192)")
    endpoint: str = Field(description="BT-49 buyer electronic address (scheme 0192)")
    address: Address = Field(description="BG-8 buyer postal address")


class PaymentMeans(_Model):
    """Payment instructions (BG-16) with a credit transfer (BG-17)."""

    code: str = Field("30", description="BT-81 payment means type code (30 credit transfer)")
    account: str = Field(description="BT-84 payment account (kontonummer or IBAN)")
    payment_id: str | None = Field(None, description="BT-83 remittance information (KID)")


class Period(_Model):
    """The invoicing period (BG-14)."""

    start: date = Field(description="BT-73 invoicing period start date")
    end: date = Field(description="BT-74 invoicing period end date")


class Line(_Model):
    """One invoice line (BG-25)."""

    id: str = Field(description="BT-126 invoice line identifier")
    quantity: Decimal = Field(description="BT-129 invoiced quantity")
    unit_code: str = Field("HUR", description="BT-130 unit of measure (HUR = hour)")
    price: Decimal = Field(ge=0, description="BT-146 item net price")
    item_name: str = Field(description="BT-153 item name")
    item_description: str | None = Field(None, description="BT-154 item description")
    seller_item_id: str | None = Field(None, description="BT-155 item seller's identifier")
    vat_category: str = Field(description="BT-151 invoiced item VAT category code")
    vat_rate: Decimal = Field(description="BT-152 invoiced item VAT rate (percent)")

    @property
    def net_amount(self) -> Decimal:
        """Return BT-131: quantity × price, rounded half up to 2 decimals."""
        return round2(self.quantity * self.price)


class AllowanceCharge(_Model):
    """A document level allowance (BG-20) or charge (BG-21)."""

    charge: bool = Field(
        description="ChargeIndicator: true = charge BG-21, false = allowance BG-20"
    )
    amount: Decimal = Field(ge=0, description="BT-92/BT-99 amount")
    reason: str = Field(description="BT-97/BT-104 reason")
    vat_category: str = Field(description="BT-95/BT-102 VAT category code")
    vat_rate: Decimal = Field(description="BT-96/BT-103 VAT rate")


class Attachment(_Model):
    """An embedded supporting document (BG-24)."""

    id: str = Field(description="BT-122 supporting document reference")
    description: str | None = Field(None, description="BT-123 supporting document description")
    filename: str = Field(description="BT-125 attached document filename")
    mime_code: str = Field("application/pdf", description="BT-125 attached document MIME code")
    content: bytes = Field(description="BT-125 attached document (raw bytes; base64 in UBL)")


@dataclass(frozen=True)
class VatBreakdown:
    """One VAT category's subtotal (BG-23)."""

    category: str  # BT-118
    rate: Decimal  # BT-119
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117
    exemption_reason: str | None  # BT-120


@dataclass(frozen=True)
class Totals:
    """The document totals (BG-22), all computed."""

    line_net: Decimal  # BT-106
    allowances: Decimal  # BT-107
    charges: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    vat: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    payable: Decimal  # BT-115


class Invoice(_Model):
    """An invoice (380) or credit note (381) per EN 16931."""

    document_type: Literal["380", "381"] = Field("380", description="BT-3 type code")
    number: str = Field(description="BT-1 invoice number")
    issue_date: date = Field(description="BT-2 issue date")
    due_date: date | None = Field(None, description="BT-9 payment due date")
    currency: str = Field("NOK", description="BT-5 invoice currency code")
    note: str | None = Field(None, description="BT-22 invoice note")
    buyer_reference: str | None = Field(None, description="BT-10 buyer reference")
    order_reference: str | None = Field(None, description="BT-13 purchase order reference")
    billing_reference: str | None = Field(None, description="BT-25 preceding invoice reference")
    billing_reference_date: date | None = Field(None, description="BT-26 preceding invoice date")
    period: Period | None = Field(None, description="BG-14 invoicing period")
    seller: Seller = Field(description="BG-4 seller")
    buyer: Buyer = Field(description="BG-7 buyer")
    payment_means: PaymentMeans | None = Field(None, description="BG-16 payment instructions")
    payment_terms: str | None = Field(None, description="BT-20 payment terms")
    lines: tuple[Line, ...] = Field(min_length=1, description="BG-25 invoice lines")
    allowance_charges: tuple[AllowanceCharge, ...] = Field((), description="BG-20/BG-21")
    exemption_reasons: dict[str, str] = Field(
        default_factory=dict, description="BT-120 VAT exemption reason text per category code"
    )
    attachments: tuple[Attachment, ...] = Field((), description="BG-24 additional documents")
    prepaid: Decimal = Field(ZERO, description="BT-113 paid amount")

    @property
    def is_credit_note(self) -> bool:
        """Tell whether this is a credit note (381)."""
        return self.document_type == "381"

    @property
    def vat_breakdown(self) -> tuple[VatBreakdown, ...]:
        """Return BG-23: one subtotal per (category, rate), in first-seen order."""
        bases: dict[tuple[str, Decimal], Decimal] = {}
        for line in self.lines:
            key = (line.vat_category, line.vat_rate.normalize())
            bases[key] = bases.get(key, ZERO) + line.net_amount
        for ac in self.allowance_charges:
            key = (ac.vat_category, ac.vat_rate.normalize())
            bases[key] = bases.get(key, ZERO) + (ac.amount if ac.charge else -ac.amount)
        return tuple(
            VatBreakdown(
                category=cat,
                rate=rate,
                taxable=round2(base),
                tax=round2(base * rate / 100),
                exemption_reason=self.exemption_reasons.get(cat),
            )
            for (cat, rate), base in bases.items()
        )

    @property
    def totals(self) -> Totals:
        """Return BG-22 computed by the EN 16931 formulas (BR-CO-10 … BR-CO-16)."""
        line_net = sum((line.net_amount for line in self.lines), ZERO)
        allowances = round2(sum((a.amount for a in self.allowance_charges if not a.charge), ZERO))
        charges = round2(sum((a.amount for a in self.allowance_charges if a.charge), ZERO))
        tax_exclusive = line_net - allowances + charges
        vat = sum((b.tax for b in self.vat_breakdown), ZERO)
        tax_inclusive = tax_exclusive + vat
        prepaid = round2(self.prepaid)
        return Totals(
            line_net=line_net,
            allowances=allowances,
            charges=charges,
            tax_exclusive=tax_exclusive,
            vat=vat,
            tax_inclusive=tax_inclusive,
            prepaid=prepaid,
            payable=tax_inclusive - prepaid,
        )
