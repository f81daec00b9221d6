"""The resultatrapport's numbers for one gjennomføring and month (JMO §9.2), from the register.

JMO §9.2: «Det skal rapporteres månedlig om antall aktive og avsluttede deltakere i tiltaket,
og hvilken status disse har på arbeidsmarkedet ved avslutning av tiltaket.» Pure counting on
the deltakere's dates and statuses and the codes of their finalised final reports, grouped by
the rule pack's :class:`~.regelsett.Resultatstatus`; no database, no person in the result.

A deltaker counts when they have an oppstartdato and a status other than *Ikke aktuell* and
*Feilregistrert* (never in the tiltak):

- **aktive**: in the tiltak some day of the month (oppstart by its last day, no slutt before
  its first);
- **startet**: oppstart in the month;
- **avsluttet**: slutt in the month and an ended status (*Har sluttet*, *Fullført*,
  *Avbrutt*): a planned sluttdato does not count before the deltaker has ended;
- **avsluttet etter status**: the ended, by the category of their latest finalised final
  report's code; without one «Uten ferdig sluttrapport», with a code the mapping lacks
  «Status som ikke er kartlagt».
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging import timepriser
from dokgen.oppfolging.kodeverk import AVSLUTTET, UTEN_FRISTER
from dokgen.oppfolging.regelsett import Resultatstatus

UTEN_SLUTTRAPPORT = ("uten_sluttrapport", "Uten ferdig sluttrapport")
UKJENT_STATUS = ("ikke_kartlagt", "Status som ikke er kartlagt")


@dataclass(frozen=True)
class Deltakerdata:
    """What the count reads of one deltaker: their dates and status (no name, no number)."""

    id: int
    oppstartdato: date | None
    sluttdato: date | None
    status: str


@dataclass(frozen=True)
class Statusantall:
    """How many ended deltakere had one status category at the end."""

    nokkel: str
    tekst: str
    antall: int


@dataclass(frozen=True)
class Resultattall:
    """The month's numbers."""

    maned: str
    fra: date
    til: date
    aktive: int
    startet: int
    avsluttet: int
    etter_status: tuple[Statusantall, ...]


def maned_periode(maned: str) -> tuple[date, date]:
    """Return the first and last day of a month written ``YYYY-MM``.

    Raises:
        InputInvalidError: not a month in that form (the error shows an example).
    """
    try:
        return timepriser.maned_periode(str(maned or ""))
    except ValueError as exc:
        raise InputInvalidError([FieldError("maned", str(exc))]) from None


def kodeverdi(data: Mapping[str, object], felt: str) -> object:
    """Return the value at a dotted path of a document's data (None where it is missing)."""
    verdi: object = data
    for del_ in felt.split("."):
        if not isinstance(verdi, Mapping):
            return None
        verdi = verdi.get(del_)
    return verdi


def tell(
    deltakere: Iterable[Deltakerdata],
    koder: Mapping[int, object],
    resultatstatus: Resultatstatus | None,
    maned: str,
) -> Resultattall:
    """Count a month's active, started and ended deltakere and the ended by status.

    Args:
        deltakere: the gjennomføring's deltakere.
        koder: the code of each deltaker's latest finalised final report, by deltaker id.
        resultatstatus: the rule pack's categories (None: the ended are not grouped).
        maned: the month, ``YYYY-MM``.

    Raises:
        InputInvalidError: the month is not ``YYYY-MM``.
    """
    fra, til = maned_periode(maned)
    aktive = startet = 0
    avsluttede: list[int] = []
    for d in deltakere:
        if d.oppstartdato is None or d.status in UTEN_FRISTER:
            continue
        if d.oppstartdato <= til and (d.sluttdato is None or d.sluttdato >= fra):
            aktive += 1
        if fra <= d.oppstartdato <= til:
            startet += 1
        if d.sluttdato is not None and fra <= d.sluttdato <= til and d.status in AVSLUTTET:
            avsluttede.append(d.id)
    return Resultattall(
        maned, fra, til, aktive, startet, len(avsluttede),
        _etter_status(avsluttede, koder, resultatstatus),
    )  # fmt: skip


def _etter_status(
    avsluttede: list[int], koder: Mapping[int, object], resultatstatus: Resultatstatus | None
) -> tuple[Statusantall, ...]:
    """Return every category (zero included, in the pack's order), then those without a
    final report or with an unmapped code when there are any."""
    kategorier = resultatstatus.kategorier if resultatstatus is not None else ()
    antall = {nokkel: 0 for nokkel, _ in (*kategorier, UTEN_SLUTTRAPPORT, UKJENT_STATUS)}
    for deltaker_id in avsluttede:
        kode = koder.get(deltaker_id)
        if kode is None or resultatstatus is None:
            antall[UTEN_SLUTTRAPPORT[0]] += 1
        else:
            antall[resultatstatus.kategori(kode) or UKJENT_STATUS[0]] += 1
    rader = [Statusantall(n, t, antall[n]) for n, t in kategorier]
    rader += [Statusantall(n, t, antall[n]) for n, t in (UTEN_SLUTTRAPPORT, UKJENT_STATUS)
              if antall[n]]  # fmt: skip
    return tuple(rader)


def kartlegging(resultatstatus: Resultatstatus | None) -> list[tuple[str, str]]:
    """Return the mapping in words: each code's words and its category's, in the pack's order."""
    if resultatstatus is None:
        return []
    kategorier = dict(resultatstatus.kategorier)
    return [
        (resultatstatus.kodeord[kode], kategorier[kategori])
        for kode, kategori in resultatstatus.koder.items()
    ]
