"""Property: every total equals the EN 16931 formula and the BR-CO relationships hold."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ehf.model import Address, AllowanceCharge, Buyer, Invoice, Line, Seller

CATEGORIES = [("S", Decimal("25")), ("S", Decimal("15")), ("E", Decimal("0")), ("Z", Decimal("0"))]
C = Decimal("0.01")


def _r(value: Decimal) -> Decimal:
    return value.quantize(C, rounding=ROUND_HALF_UP)


_lines = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=10_000, places=4),
        st.decimals(min_value=0, max_value=100_000, places=2),
        st.sampled_from(CATEGORIES),
    ),
    min_size=1,
    max_size=8,
)
_acs = st.lists(
    st.tuples(
        st.booleans(),
        st.decimals(min_value=0, max_value=1_000, places=2),
        st.sampled_from(CATEGORIES),
    ),
    max_size=3,
)


def _invoice(
    lines: list[tuple[Decimal, Decimal, tuple[str, Decimal]]], acs: list, prepaid: Decimal
) -> Invoice:
    address = Address(street="Gate 1", city="Oslo", postal_zone="0001", country="NO")
    return Invoice(
        number="1",
        issue_date="2026-11-03",
        seller=Seller(name="S", orgnr="998877660", address=address),
        buyer=Buyer(name="B", orgnr="889640782", endpoint="889640782", address=address),
        lines=tuple(
            Line(id=str(i), quantity=q, price=p, item_name="x", vat_category=c, vat_rate=r)
            for i, (q, p, (c, r)) in enumerate(lines, start=1)
        ),
        allowance_charges=tuple(
            AllowanceCharge(charge=ch, amount=a, reason="r", vat_category=c, vat_rate=r)
            for ch, a, (c, r) in acs
        ),
        prepaid=prepaid,
    )


@settings(max_examples=300, deadline=None)  # no timing: the machine is shared
@given(lines=_lines, acs=_acs, prepaid=st.decimals(min_value=0, max_value=1_000, places=2))
def test_totals_follow_en16931(lines: list, acs: list, prepaid: Decimal) -> None:
    """BT-106 … BT-115 and BG-23 equal the formulas exactly, to the cent."""
    inv = _invoice(lines, acs, prepaid)
    t = inv.totals
    nets = [_r(q * p) for q, p, _ in lines]
    assert [line.net_amount for line in inv.lines] == nets
    assert t.line_net == sum(nets, Decimal(0))  # BR-CO-10
    allowances = sum((a for ch, a, _ in acs if not ch), Decimal(0))
    charges = sum((a for ch, a, _ in acs if ch), Decimal(0))
    assert (t.allowances, t.charges) == (allowances, charges)  # BR-CO-11, BR-CO-12
    assert t.tax_exclusive == t.line_net - t.allowances + t.charges  # BR-CO-13
    expected: dict[tuple[str, Decimal], Decimal] = {}
    for net, (_, _, key) in zip(nets, lines, strict=True):
        expected[key] = expected.get(key, Decimal(0)) + net
    for ch, a, key in acs:
        expected[key] = expected.get(key, Decimal(0)) + (a if ch else -a)
    breakdown = {(b.category, b.rate): b for b in inv.vat_breakdown}
    assert set(breakdown) == set(expected)
    for key, base in expected.items():
        assert breakdown[key].taxable == base  # BR-S-08, BR-E-08 …
        assert breakdown[key].tax == _r(base * key[1] / 100)
    assert t.vat == sum((b.tax for b in inv.vat_breakdown), Decimal(0))  # BR-CO-14
    assert t.tax_inclusive == t.tax_exclusive + t.vat  # BR-CO-15
    assert t.payable == t.tax_inclusive - prepaid  # BR-CO-16
    for amount in (t.line_net, t.tax_exclusive, t.vat, t.tax_inclusive, t.payable):
        assert amount.as_tuple().exponent == -2
