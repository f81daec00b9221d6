"""The frister of a deltaker's follow-up and of a gjennomføring, and how far each has come.

Pure arithmetic on dates under an agreement's rule pack (:mod:`.regelsett`). The frister are
computed from the dates each time, so changing a deltaker's dates moves the open ones; each
has a stable key (``nokkel``: the type, and the start of its period when it has one) that a
user's manual link refers to. :func:`vurder` judges them on a day against the finalised
documents. Called for every deltaker of a list, so it stays linear and cheap: no parsing, no
regular expressions, month arithmetic by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.kodeverk import UTEN_FRISTER
from dokgen.oppfolging.regelsett import (
    FORSTE,
    MAKS_DAGER,
    VARSLE_NAV,
    Engangsfrist,
    Innstilling,
    Kalenderfrist,
    Periodefrist,
    Regel,
    Treff,
    hent,
)

# A gjennomføring's own numbers the rules may take their days from (see
# :data:`~.regelsett.Innstilling`); a missing or None one leaves the rule's own.
Innstillinger = Mapping[Innstilling, int | None]

LEVERT, FORFALT, SNART, KOMMENDE, BORTFALT = "levert", "forfalt", "snart", "kommende", "bortfalt"

# A frist's status and the words a person reads for it.
STATUSER: dict[str, str] = {
    LEVERT: "Levert",
    FORFALT: "Forfalt",
    SNART: "Snart",
    KOMMENDE: "Kommende",
    BORTFALT: "Bortfalt",
}

# A frist is "snart" from this many days before it, the due date included.
SNART_DAGER = 7

# Dates after this are refused, so no sum of a date, months and days leaves the calendar.
SISTE_DATO = date(9990, 12, 31)

_EN_DAG = timedelta(days=1)
_DAGER_I_MANED = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Frist:
    """One frist: its key, the document type it asks for, its period (if any) and due date."""

    nokkel: str
    type: str
    periode_fra: date | None
    periode_til: date | None
    frist: date
    treff: Treff = FORSTE


@dataclass(frozen=True)
class Levering:
    """A finalised document as the frister see it; ``dato`` is the day it was finalised."""

    dokument_id: str
    type: str
    periode_fra: date | None
    periode_til: date | None
    dato: date


@dataclass(frozen=True)
class Fristvurdering:
    """A frist judged on a day: its status and, when delivered, by which document and when."""

    frist: Frist
    status: str
    levert_dato: date | None = None
    for_sent: bool = False
    dokument_id: str | None = None


def add_months(day: date, months: int) -> date:
    """Return ``day`` plus a number of calendar months; a day the month lacks becomes its last
    day (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = 29 if month == 2 and _leap(year) else _DAGER_I_MANED[month]
    return date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def deltakerfrister(
    regelsett: str,
    oppstartdato: date | None,
    sluttdato: date | None,
    *,
    horisont: date,
    ikke_mott: Iterable[date] = (),
    innstillinger: Innstillinger | None = None,
) -> list[Frist]:
    """Return a deltaker's frister under a rule pack, by due date.

    Args:
        regelsett: the agreement's rule pack name (``jmo-oslo-2020``).
        oppstartdato: the deltaker's start; without one there are no frister.
        sluttdato: the deltaker's end, if set: periodic frister stop before it.
        horisont: with no end, periodic frister due after this day are left out.
        ikke_mott: the days a no-show (activity ``ikke_mott``) or an absence without a valid
            reason (a placement's) is registered: under a pack with
            ``varsle_nav_ved_fravaer`` each is a frist "Varsle NAV samme dag" due that day
            (key ``varsle_nav:YYYY-MM-DD``), whatever the horizon.
        innstillinger: the gjennomføring's own numbers for the rules that take one (the AMB
            sluttrapport's ``sluttrapport_dager``).

    Returns:
        The frister, sorted by due date and key.

    Raises:
        InputInvalidError: an unknown rule pack, a date after 9990 or a number of days
            outside 0-366.
    """
    pakke = hent(regelsett)
    _sjekk_datoer(oppstartdato=oppstartdato, sluttdato=sluttdato)
    egne = _sjekk_innstillinger(innstillinger or {})
    if oppstartdato is None:
        return []
    frister = _frister(pakke.deltakerregler, oppstartdato, sluttdato, horisont, egne)
    if pakke.varsle_nav_ved_fravaer:
        frister.extend(varslingsfrister(ikke_mott))
        frister.sort(key=lambda f: (f.frist, f.nokkel))
    return frister


def varslingsfrister(ikke_mott: Iterable[date]) -> list[Frist]:
    """Return one frist "Varsle NAV samme dag" per day with a no-show or an absence without a
    valid reason, due that day."""
    return [
        Frist(f"{VARSLE_NAV}:{dag.isoformat()}", VARSLE_NAV, None, None, dag)
        for dag in sorted(set(ikke_mott))
    ]


def gjennomforingsfrister(
    regelsett: str,
    startdato: date,
    sluttdato: date | None,
    *,
    horisont: date,
    evaluering_dager: int | None = None,
    innstillinger: Innstillinger | None = None,
) -> list[Frist]:
    """Return a gjennomføring's frister under a rule pack (the evalueringsrapport per
    half-year under ``jmo-oslo-2020``), by due date.

    Args:
        regelsett: the agreement's rule pack name.
        startdato: the gjennomføring's start.
        sluttdato: its end, if set: the calendar periods up to the one it falls in.
        horisont: with no end, frister due after this day are left out.
        evaluering_dager: the gjennomføring's own number of days from a period's end to its
            frist, for the rules that allow one (default: the rule's, 14 for evaluering).
        innstillinger: the gjennomføring's other own numbers (``resultatrapport_dag``: the
            day of the following month the month's resultatrapport is due).

    Returns:
        The frister, sorted by due date and key.

    Raises:
        InputInvalidError: an unknown rule pack, a date after 9990 or a number of days
            outside 0-366.
    """
    pakke = hent(regelsett)
    _sjekk_datoer(startdato=startdato, sluttdato=sluttdato)
    alle: dict[Innstilling, int | None] = {**(innstillinger or {})}
    if evaluering_dager is not None:
        alle["evaluering_dager"] = evaluering_dager
    egne = _sjekk_innstillinger(alle)
    return _frister(pakke.gjennomforingsregler, startdato, sluttdato, horisont, egne)


def _sjekk_innstillinger(innstillinger: Innstillinger) -> dict[Innstilling, int]:
    """Return the numbers that are set, each checked to be a number of days 0-366."""
    melding = f"må være mellom 0 og {MAKS_DAGER} dager"
    feil = [
        FieldError(navn, melding)
        for navn, verdi in innstillinger.items()
        if verdi is not None and not 0 <= verdi <= MAKS_DAGER
    ]
    if feil:
        raise InputInvalidError(feil)
    return {navn: verdi for navn, verdi in innstillinger.items() if verdi is not None}


def _sjekk_datoer(**datoer: date | None) -> None:
    feil = [
        FieldError(navn, f"kan ikke være etter {SISTE_DATO.year}")
        for navn, dato in datoer.items()
        if dato is not None and dato > SISTE_DATO
    ]
    if feil:
        raise InputInvalidError(feil)


def _frister(
    regler: Sequence[Regel],
    start: date,
    slutt: date | None,
    horisont: date,
    dager: Mapping[Innstilling, int],
) -> list[Frist]:
    horisont = min(horisont, SISTE_DATO)
    frister: list[Frist] = []
    for regel in regler:
        if isinstance(regel, Engangsfrist):
            frister.extend(_engangsfrist(regel, start, slutt, dager))
        elif isinstance(regel, Periodefrist):
            frister.extend(_perioder_fra_start(regel, start, slutt, horisont, dager))
        else:
            frister.extend(_kalenderperioder(regel, start, slutt, horisont, dager))
    frister.sort(key=lambda f: (f.frist, f.nokkel))
    return frister


def _engangsfrist(
    regel: Engangsfrist, start: date, slutt: date | None, dager: Mapping[Innstilling, int]
) -> list[Frist]:
    fra = start if regel.regnet_fra == "start" else slutt
    if fra is None:
        return []
    etter = dager.get(regel.innstilling, regel.dager) if regel.innstilling else regel.dager
    return [Frist(regel.type, regel.type, None, None, fra + timedelta(etter), regel.treff)]


def _perioder_fra_start(
    regel: Periodefrist,
    start: date,
    slutt: date | None,
    horisont: date,
    dager: Mapping[Innstilling, int],
) -> list[Frist]:
    """Period k runs from A(k−1) to A(k) − 1 day, A(n) = start + n·months, each A counted
    from the start (31 Jan → 30 Apr → 31 Jul), never from the previous anchor."""
    frister: list[Frist] = []
    fra, n = start, 1
    while True:
        neste = add_months(start, regel.maneder * n)
        til = neste - _EN_DAG
        if slutt is not None and (fra > slutt if regel.med_siste_delperiode else til >= slutt):
            return frister
        frist = _forfall(regel, til, dager)
        if slutt is None and frist > horisont:
            return frister
        frister.append(
            Frist(f"{regel.type}:{fra.isoformat()}", regel.type, fra, til, frist, regel.treff)
        )
        fra, n = neste, n + 1


def _kalenderperioder(
    regel: Kalenderfrist,
    start: date,
    slutt: date | None,
    horisont: date,
    dager: Mapping[Innstilling, int],
) -> list[Frist]:
    """The calendar periods from the one the start falls in to the one the end falls in."""
    if slutt is not None and slutt < start:
        return []
    frister: list[Frist] = []
    fra = date(start.year, (start.month - 1) // regel.maneder * regel.maneder + 1, 1)
    while slutt is None or fra <= slutt:
        neste = add_months(fra, regel.maneder)
        til = neste - _EN_DAG
        frist = _forfall(regel, til, dager)
        if slutt is None and frist > horisont:
            break
        frister.append(
            Frist(f"{regel.type}:{fra.isoformat()}", regel.type, fra, til, frist, regel.treff)
        )
        fra = neste
    return frister


def _forfall(
    regel: Periodefrist | Kalenderfrist, til: date, dager: Mapping[Innstilling, int]
) -> date:
    """Return the due date of a period ending on ``til``."""
    if regel.fast_dato is not None:
        maned, dag = regel.fast_dato
        frist = date(til.year, maned, dag)
        return frist if frist > til else date(til.year + 1, maned, dag)
    etter = dager.get(regel.innstilling, regel.dager_etter) if regel.innstilling else None
    return til + timedelta(regel.dager_etter if etter is None else etter)


def vurder(
    frister: Sequence[Frist],
    leveringer: Sequence[Levering],
    koblinger: Mapping[str, Levering],
    *,
    dato: date,
    status: str | None = None,
    utfort: Mapping[str, date] | None = None,
) -> list[Fristvurdering]:
    """Judge frister on a day against the finalised documents and the manual links.

    A frist is ``levert`` when a user linked a document to it (the links win) or a finalised
    document of its type meets it by the frist's :class:`~.regelsett.Treff`, each document
    meeting at most one frist, the nearest first. Otherwise it is ``forfalt`` after the due
    date, ``snart`` from 7 days before it, ``kommende`` before that; and ``bortfalt`` when the
    deltaker's status has no frister (``IKKE_AKTUELL``, ``FEILREGISTRERT``).

    Args:
        frister: the frister of one deltaker or one gjennomføring.
        leveringer: its finalised documents, of any type.
        koblinger: documents a user linked by hand, by frist key (keys of other frister are
            ignored).
        dato: the day the frister are judged on.
        status: the deltaker's status code (None for a gjennomføring).
        utfort: frister a user marked done by hand without a document (NAV notified of a
            no-show), by key, with the day they were marked: ``levert`` that day.

    Returns:
        One judgement per frist, in the frister's order.
    """
    treff = _koble(frister, leveringer, koblinger)
    bortfalt = status in UTEN_FRISTER
    gjort = utfort or {}
    return [
        Fristvurdering(f, LEVERT, gjort[f.nokkel], gjort[f.nokkel] > f.frist)
        if f.nokkel in gjort
        else _vurdering(f, treff.get(f.nokkel), dato, bortfalt)
        for f in frister
    ]


def _vurdering(
    frist: Frist, levering: Levering | None, dato: date, bortfalt: bool
) -> Fristvurdering:
    if levering is not None:
        for_sent = levering.dato > frist.frist
        return Fristvurdering(frist, LEVERT, levering.dato, for_sent, levering.dokument_id)
    if bortfalt:
        return Fristvurdering(frist, BORTFALT)
    igjen = (frist.frist - dato).days
    if igjen < 0:
        return Fristvurdering(frist, FORFALT)
    return Fristvurdering(frist, SNART if igjen <= SNART_DAGER else KOMMENDE)


def _koble(
    frister: Sequence[Frist], leveringer: Sequence[Levering], koblinger: Mapping[str, Levering]
) -> dict[str, Levering]:
    """Return the document that meets each frist met, by frist key."""
    treff = {f.nokkel: koblinger[f.nokkel] for f in frister if f.nokkel in koblinger}
    brukt = {levering.dokument_id for levering in treff.values()}
    apne: dict[str, list[Frist]] = {}
    for frist in frister:
        if frist.nokkel not in treff:
            apne.setdefault(frist.type, []).append(frist)
    ledige: dict[str, list[Levering]] = {}
    for levering in leveringer:
        if levering.type in apne and levering.dokument_id not in brukt:
            ledige.setdefault(levering.type, []).append(levering)
    for type_, av_typen in ledige.items():
        treff.update(_par(apne[type_], av_typen))
    return treff


def _par(frister: list[Frist], leveringer: list[Levering]) -> dict[str, Levering]:
    """Pair frister of one type with documents, nearest first, each used at most once.

    Ties go to the earlier frist and the earlier finalised document, so under ``forste``
    (every distance 0) the first document finalised meets the first frist.
    """
    par = []
    for i, frist in enumerate(frister):
        for j, levering in enumerate(leveringer):
            avstand = _avstand(frist, levering)
            if avstand is not None:
                par.append((avstand, frist.frist, levering.dato, levering.dokument_id, i, j))
    par.sort()
    treff: dict[str, Levering] = {}
    brukt: set[str] = set()
    for _, _, _, dokument_id, i, j in par:
        frist = frister[i]
        if frist.nokkel not in treff and dokument_id not in brukt:
            treff[frist.nokkel] = leveringer[j]
            brukt.add(dokument_id)
    return treff


def _avstand(frist: Frist, levering: Levering) -> int | None:
    """Return how far a document is from meeting a frist in days, or None if it cannot."""
    mate = frist.treff.mate
    if mate == "forste":
        return 0
    if mate == "i_perioden":
        return _i_perioden(frist, levering)
    lev_til = levering.periode_til or levering.periode_fra
    if lev_til is None or frist.periode_til is None or frist.periode_fra is None:
        return None
    avstand = abs((lev_til - frist.periode_til).days)
    if mate == "periodeslutt":
        return avstand if avstand <= frist.treff.slingring_dager else None
    lev_fra = levering.periode_fra or lev_til
    overlapper = lev_fra <= frist.periode_til and lev_til >= frist.periode_fra
    return avstand if overlapper else None


def _i_perioden(frist: Frist, levering: Levering) -> int | None:
    """Return how far a document's day lies from the frist's period end, when it lies from
    the period's start to the due date (its period's end, else start, else the day it was
    finalised)."""
    dag = levering.periode_til or levering.periode_fra or levering.dato
    if frist.periode_fra is None or frist.periode_til is None:
        return None
    if not frist.periode_fra <= dag <= frist.frist:
        return None
    return abs((dag - frist.periode_til).days)
