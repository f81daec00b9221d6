"""The årsrapport's figures for one gjennomføring and year (AMB §2.1), from the register.

Pure arithmetic on the deltakere's dates, statuses and deltakelsesprosent and on the result
codes of the finalised sluttrapporter fra Kvalifisering; no database. The person checks and
may change every figure before the årsrapport is approved.

- **program**: the gjennomføring's tiltakstype names it: a text with «Tilrettelagt arbeid»
  is Tilrettelagt arbeid, else one with «Kvalifisering» is Kvalifisering (case does not
  matter); any other tiltakstype gives no programme and no figures for ``plasser``;
- **antall deltakere**: those in the tiltak some day of the year (oppstart by 31 December,
  no slutt before 1 January), as the resultatrapport counts the active (no oppstartdato, or
  *Ikke aktuell* or *Feilregistrert*: not counted);
- **årsverk**: the sum over those deltakere of their days in the tiltak within the year
  (oppstart to slutt, both counted) divided by the year's days (365 or 366) times their
  deltakelsesprosent / 100 (100 when the register has none), rounded to two decimals at the
  end: a deltaker half the year at 50 % is 0.25 årsverk;
- **resultater**: the finalised sluttrapporter fra Kvalifisering whose sluttdato falls in the
  year, the latest per deltaker, counted by their result code in §14.4 a's order.

The register knows no avdeling, so ``arsverk_per_avdeling`` is the person's to write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dokgen.oppfolging.kodeverk import AMB_RESULTATKODER, UTEN_FRISTER

KVALIFISERING = "kvalifisering"
TILRETTELAGT_ARBEID = "tilrettelagt_arbeid"
HUNDRE = Decimal(100)
TO_DESIMALER = Decimal("0.01")


@dataclass(frozen=True)
class Deltakerar:
    """What the figures read of one deltaker: dates, status and deltakelsesprosent."""

    oppstartdato: date | None
    sluttdato: date | None
    status: str
    deltakelsesprosent: int | None


@dataclass(frozen=True)
class Arstall:
    """One programme's figures for the year."""

    program: str | None
    antall_deltakere: int
    arsverk: Decimal


def program_for(tiltakstype: str) -> str | None:
    """Return the AMB programme the tiltakstype names (``kvalifisering`` or
    ``tilrettelagt_arbeid``), or None when it names neither."""
    tekst = " ".join(tiltakstype.lower().split())
    if "tilrettelagt arbeid" in tekst:
        return TILRETTELAGT_ARBEID
    if "kvalifisering" in tekst:
        return KVALIFISERING
    return None


def dager_i_aret(ar: int) -> int:
    """Return the number of days of the year (366 in a leap year)."""
    return (date(ar, 12, 31) - date(ar, 1, 1)).days + 1


def dager_aktiv(d: Deltakerar, ar: int) -> int:
    """Return the deltaker's days in the tiltak within the year (0: not in it that year)."""
    if d.oppstartdato is None or d.status in UTEN_FRISTER:
        return 0
    fra = max(d.oppstartdato, date(ar, 1, 1))
    til = min(d.sluttdato or date(ar, 12, 31), date(ar, 12, 31))
    return max((til - fra).days + 1, 0)


def tell(deltakere: Iterable[Deltakerar], ar: int, program: str | None) -> Arstall:
    """Return the year's number of deltakere and årsverk.

    Args:
        deltakere: the gjennomføring's deltakere.
        ar: the year.
        program: the gjennomføring's programme (:func:`program_for`).
    """
    antall = 0
    sum_ = Decimal(0)
    aret = Decimal(dager_i_aret(ar))
    for d in deltakere:
        dager = dager_aktiv(d, ar)
        if dager == 0:
            continue
        antall += 1
        prosent = HUNDRE if d.deltakelsesprosent is None else Decimal(d.deltakelsesprosent)
        sum_ += Decimal(dager) / aret * prosent / HUNDRE
    return Arstall(program, antall, sum_.quantize(TO_DESIMALER, rounding=ROUND_HALF_UP))


def tell_resultater(koder: Iterable[object]) -> list[tuple[str, int]]:
    """Return (code, number) per §14.4 a code that occurs, in the codes' order; a value that
    is no code is not counted."""
    antall = Counter(str(k) for k in koder if k is not None)
    return [(str(kode), antall[kode]) for kode in AMB_RESULTATKODER if antall[kode]]


def i_aret(dato: object, ar: int) -> bool:
    """Return whether an ISO date (text) or a date falls in the year."""
    if isinstance(dato, str):
        try:
            dato = date.fromisoformat(dato)
        except ValueError:
            return False
    return isinstance(dato, date) and dato.year == ar
