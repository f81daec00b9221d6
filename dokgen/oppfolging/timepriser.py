"""A gjennomføring's timepris on a given day: the prices with validity dates, and the
month a claim covers. Pure arithmetic on the stored values."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_MANED = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def timepris_for(
    timepriser: Sequence[Mapping[str, Any]] | None, timepris: str | None, dato: date
) -> Decimal | None:
    """Return the price that applies on ``dato``: the period (``fra`` ≤ dato ≤ ``til``, an
    open ``til`` runs on) that covers it, else the gjennomføring's plain ``timepris``, else
    None. Periods are ISO dates as stored; the latest ``fra`` wins where two overlap."""
    gjeldende: tuple[date, Decimal] | None = None
    for periode in timepriser or ():
        fra = date.fromisoformat(str(periode["fra"]))
        til = periode.get("til")
        dekker = fra <= dato and (til is None or dato <= date.fromisoformat(str(til)))
        if dekker and (gjeldende is None or fra > gjeldende[0]):
            gjeldende = (fra, Decimal(str(periode["timepris"])))
    if gjeldende is not None:
        return gjeldende[1]
    return Decimal(timepris) if timepris is not None else None


def maned_periode(maned: str) -> tuple[date, date]:
    """Return the first and last day of ``maned`` ("2026-10").

    Raises:
        ValueError: not a month written YYYY-MM (the message says what to write).
    """
    treff = _MANED.match(maned)
    if treff is None:
        raise ValueError("skriv måneden som ÅÅÅÅ-MM, f.eks. 2026-10")
    ar, mnd = int(treff.group(1)), int(treff.group(2))
    return date(ar, mnd, 1), date(ar, mnd, calendar.monthrange(ar, mnd)[1])


def hele_kroner(belop: Decimal) -> int:
    """Return ``belop`` in whole kroner as NAV rounds it (HALF_UP)."""
    return int(belop.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
