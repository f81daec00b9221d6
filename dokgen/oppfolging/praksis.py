"""A placement's statuses and their rules, from the routine for praksisplasser
(``shared/kilder/praksisplass-rutiner.txt``): no database and no I/O.

The statuses go forward only, in the routine's order *Ny → Statusmøte avtalt → Bekreftet →
Startet → Avsluttet*, each change with the day it happened. A step may be skipped where the
routine allows it: «Bekreftet» is a status that *kan* be used, and a planned placement may be
ended at any point. The oppstartsmøte may not be skipped before a start («Før igangsetting
skal det holdes et oppstartsmøte»): «Startet» needs the meeting recorded
(:func:`oppstartsmotefeil`: veileder, leder and deltaker met, an arbeidstrening's yrkesmål),
held on or before the start; «Statusmøte avtalt» keeps its planned day. «Avsluttet» needs
the sluttdato («OBS! Husk å endre sluttdato»), and a sluttdato before the planned one needs
a reason. A praksisplass's capacity counts the placements from «Bekreftet» until
«Avsluttet». An absence the arbeidsgiver reports lies inside the started period and
overlaps no other (:func:`fravaersfeil`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dokgen.errors import FieldError
from dokgen.oppfolging.kodeverk import (
    MOTEROLLER,
    PLASSERINGSSTATUSER,
    PRAKSISARTER,
    plasseringsstatus_ord,
)
from dokgen.oppfolging.praksismodeller import FravaerInn, OppstartsmoteInn, StatusendringInn

REKKEFOLGE = tuple(PLASSERINGSSTATUSER)
# The statuses that hold one of the place's capacity (the routine: the place is freed when
# the placement is «Avsluttet»).
TELLER = frozenset({"bekreftet", "startet"})
# What to do next in each status, as a list of placements shows it.
NESTE_STEG = {
    "ny": "Avtal oppstartsmøtet med arbeidsgiver og deltaker",
    "statusmote_avtalt": "Få bekreftet oppstarten fra deltaker og arbeidsgiver",
    "bekreftet": "Registrer at deltakeren har startet",
    "startet": "Avslutt med sluttdato når praksisen er over",
    "avsluttet": "",
}


@dataclass(frozen=True)
class Tilstand:
    """Where a placement is now: its status, the last change's day and its dates."""

    status: str
    siste_dato: date
    statusmote_dato: date | None = None
    startdato: date | None = None
    planlagt_sluttdato: date | None = None
    oppstartsmote_dato: date | None = None  # the recorded meeting's day (None: not recorded)


def _d(dag: date) -> str:
    return dag.strftime("%d.%m.%Y")


def neste_statuser(status: str) -> list[str]:
    """Return the statuses a placement in ``status`` may go to (forward only)."""
    return list(REKKEFOLGE[REKKEFOLGE.index(status) + 1 :])


def _rekkefolgefeil(naa: Tilstand, ny: StatusendringInn) -> FieldError | None:
    fra = plasseringsstatus_ord(naa.status)
    if ny.status == naa.status:
        return FieldError("status", f"plasseringen har allerede status «{fra}»")
    lovlige = neste_statuser(naa.status)
    if ny.status not in lovlige:
        if not lovlige:
            return FieldError("status", f"plasseringen er «{fra}» og kan ikke endres mer")
        ord_ = " eller ".join(f"«{plasseringsstatus_ord(s)}»" for s in lovlige)
        return FieldError("status", f"statusen går bare framover: fra «{fra}» kan den bli {ord_}")
    return None


def _datofeil(naa: Tilstand, ny: StatusendringInn, idag: date) -> list[FieldError]:
    if ny.dato > idag:
        return [FieldError("dato", f"datoen kan ikke være fram i tid (i dag er {_d(idag)})")]
    if ny.dato < naa.siste_dato:
        melding = f"datoen kan ikke være før forrige statusendring ({_d(naa.siste_dato)})"
        return [FieldError("dato", melding)]
    return []


def _feltfeil(ny: StatusendringInn) -> list[FieldError]:
    """Return the fields given to a status they do not belong to, and those it lacks."""
    feil = []
    if ny.status == "statusmote_avtalt" and ny.statusmote_dato is None:
        melding = "oppgi datoen for oppstartsmøtet, f.eks. 2026-03-02"
        feil.append(FieldError("statusmote_dato", melding))
    if ny.status != "statusmote_avtalt" and ny.statusmote_dato is not None:
        melding = "datoen for oppstartsmøtet settes når status blir «Statusmøte avtalt»"
        feil.append(FieldError("statusmote_dato", melding))
    if ny.status == "avsluttet" and ny.sluttdato is None:
        melding = "OBS! Husk sluttdato: oppgi dagen praksisen sluttet, f.eks. 2026-06-30"
        feil.append(FieldError("sluttdato", melding))
    for felt in ("sluttdato", "sluttarsak"):
        if ny.status != "avsluttet" and getattr(ny, felt) is not None:
            feil.append(FieldError(felt, "settes bare når status blir «Avsluttet»"))
    if ny.status != "startet" and ny.startdato is not None:
        feil.append(FieldError("startdato", "oppstarten settes når status blir «Startet»"))
    return feil


def _startfeil(naa: Tilstand, ny: StatusendringInn) -> list[FieldError]:
    if naa.oppstartsmote_dato is None:
        melding = (
            "oppstartsmøtet skal holdes før start: registrer først oppstartsmøtet (dato, hvem "
            "som møtte og målsettingen)"
        )
        return [FieldError("status", melding)]
    start = ny.startdato or ny.dato
    if start < naa.oppstartsmote_dato:
        melding = f"oppstarten kan ikke være før oppstartsmøtet ({_d(naa.oppstartsmote_dato)})"
        return [FieldError("startdato" if ny.startdato else "dato", melding)]
    slutt = ny.planlagt_sluttdato or naa.planlagt_sluttdato
    if slutt is not None and slutt < start:
        melding = f"planlagt sluttdato ({_d(slutt)}) kan ikke være før oppstarten ({_d(start)})"
        return [FieldError("planlagt_sluttdato", melding)]
    return []


def _sluttfeil(naa: Tilstand, ny: StatusendringInn) -> list[FieldError]:
    if ny.sluttdato is None:
        return []
    if naa.startdato is not None and ny.sluttdato < naa.startdato:
        melding = f"sluttdatoen kan ikke være før oppstarten ({_d(naa.startdato)})"
        return [FieldError("sluttdato", melding)]
    planlagt = ny.planlagt_sluttdato or naa.planlagt_sluttdato
    if planlagt is not None and ny.sluttdato < planlagt and ny.sluttarsak is None:
        melding = (
            f"sluttdatoen {_d(ny.sluttdato)} er før planlagt slutt {_d(planlagt)}: "
            "skriv hvorfor deltakeren slutter tidligere, f.eks. «fikk jobb»"
        )
        return [FieldError("sluttarsak", melding)]
    return []


def overgangsfeil(naa: Tilstand, ny: StatusendringInn, idag: date) -> list[FieldError]:
    """Return why a placement may not go from ``naa`` to the status ``ny`` (empty: it may).

    Args:
        naa: the placement as it is.
        ny: the next status with its day and the dates that status needs.
        idag: today; a change records what has happened, so its day is not after today.
    """
    rekkefolge = _rekkefolgefeil(naa, ny)
    if rekkefolge is not None:
        return [rekkefolge]
    feil = [*_datofeil(naa, ny, idag), *_feltfeil(ny)]
    if ny.status == "startet":
        feil += _startfeil(naa, ny)
    if ny.status == "avsluttet":
        feil += _sluttfeil(naa, ny)
    return feil


def trenger_plass(fra: str, til: str) -> bool:
    """Return whether going from ``fra`` to ``til`` takes one of the place's capacity."""
    return til in TELLER and fra not in TELLER


def ledige(kapasitet: int, i_bruk: int) -> int:
    """Return the free places: the capacity less the placements «Bekreftet» or «Startet»."""
    return max(0, kapasitet - i_bruk)


def kapasitetsfeil(kapasitet: int, i_bruk: int) -> str | None:
    """Return why one more placement may not be confirmed (None: there is a free place)."""
    if ledige(kapasitet, i_bruk) > 0:
        return None
    return (
        f"praksisplassen er full: {i_bruk} av {kapasitet} plasser er bekreftet eller startet. "
        "Avslutt en plassering eller øk kapasiteten først"
    )


# --- the oppstartsmøte ------------------------------------------------------------------

# Who must have met: «veileder møter leder sammen med bruker».
MA_MOTE = ("veileder", "leder", "deltaker")
# What an aktivitetsplass may aim at (the routine: «Målet kan være å se at bruker klarer å
# møte opp»), offered as a suggestion.
AKTIVITETSPLASS_MAL = "Møte opp"
YRKESMAL_REGEL = PRAKSISARTER["arbeidstrening"][1].split(". ")[-1].rstrip(".")


def malsettingshjelp(art: str) -> str:
    """Return the help for a meeting's målsetting and yrkesmål at a place of kind ``art``."""
    if art == "arbeidstrening":
        return f"{YRKESMAL_REGEL}. Skriv yrkesmålet."
    if art == "aktivitetsplass":
        return (
            "En aktivitetsplass brukes for å sikre aktivitet og avklare arbeidsevne: målet kan "
            f"være «{AKTIVITETSPLASS_MAL}»."
        )
    return "Skriv hva deltakeren skal oppnå på praksisplassen."


def oppstartsmotefeil(
    inn: OppstartsmoteInn, *, art: str, registrert: date, startdato: date | None, idag: date
) -> list[FieldError]:
    """Return why an oppstartsmøte may not be recorded as given (empty: it may).

    Args:
        inn: the meeting.
        art: the kind of praksisplass (an arbeidstrening needs a defined yrkesmål).
        registrert: the day the placement was registered; the meeting is not before it.
        startdato: the day the deltaker started, if they have: the meeting is not after it.
        idag: today; the meeting has been held, so its day is not after today.
    """
    feil = [*_motedatofeil(inn.dato, registrert, startdato, idag)]
    roller = {d.rolle for d in inn.deltakere}
    mangler = [MOTEROLLER[r].lower() for r in MA_MOTE if r not in roller]
    if mangler:
        melding = (
            "veileder skal møte leder sammen med deltakeren: "
            f"legg til {' og '.join(mangler)} blant dem som møtte"
        )
        feil.append(FieldError("deltakere", melding))
    if art == "arbeidstrening" and not inn.yrkesmal:
        feil.append(FieldError("yrkesmal", f"{YRKESMAL_REGEL}: skriv yrkesmålet"))
    return feil


def _motedatofeil(
    dag: date, registrert: date, startdato: date | None, idag: date
) -> list[FieldError]:
    if dag > idag:
        return [FieldError("dato", f"møtet kan ikke være fram i tid (i dag er {_d(idag)})")]
    if dag < registrert:
        melding = f"møtet kan ikke være før plasseringen ble registrert ({_d(registrert)})"
        return [FieldError("dato", melding)]
    if startdato is not None and dag > startdato:
        melding = f"oppstartsmøtet holdes før start: deltakeren startet {_d(startdato)}"
        return [FieldError("dato", melding)]
    return []


# --- absence ----------------------------------------------------------------------------

MAKS_FRAVAERSDAGER = 31


def fravaersdager(fra: date, til: date) -> list[date]:
    """Return the working days (Monday to Friday) from ``fra`` to ``til``; an absence that
    falls on a weekend only counts its own days (the arbeidsgiver expected the deltaker)."""
    alle = [fra + timedelta(days=i) for i in range((til - fra).days + 1)]
    return [d for d in alle if d.weekday() < 5] or alle


def fravaersfeil(
    inn: FravaerInn,
    *,
    startdato: date | None,
    sluttdato: date | None,
    idag: date,
    andre: Iterable[tuple[date, date]] = (),
) -> list[FieldError]:
    """Return why an absence may not be registered on a placement (empty: it may).

    Args:
        inn: the absence.
        startdato: the day the deltaker started in the place (None: not started).
        sluttdato: the day the placement ended, if it has.
        idag: today; an absence is reported once it happened, so it is not after today.
        andre: the (first, last) days of the absences already registered on the placement.
    """
    fra, til = inn.fra_dato, inn.til
    if til < fra:
        return [FieldError("til_dato", "til-datoen kan ikke være før fra-datoen")]
    if (til - fra).days >= MAKS_FRAVAERSDAGER:
        melding = f"høyst {MAKS_FRAVAERSDAGER} dager i én registrering: del opp fraværet"
        return [FieldError("til_dato", melding)]
    feil = _periodefeil(fra, til, startdato, sluttdato, idag)
    if inn.minutter is not None and til != fra:
        melding = "minutter gjelder en del av én dag: la til-datoen stå tom"
        feil.append(FieldError("minutter", melding))
    if inn.meldt_dato is not None and inn.meldt_dato > idag:
        feil.append(FieldError("meldt_dato", f"kan ikke være fram i tid (i dag er {_d(idag)})"))
    for a_fra, a_til in andre:
        if fra <= a_til and a_fra <= til:
            melding = f"overlapper fraværet som allerede er registrert {_d(a_fra)}–{_d(a_til)}"
            feil.append(FieldError("fra_dato", melding))
            break
    return feil


def _periodefeil(
    fra: date, til: date, startdato: date | None, sluttdato: date | None, idag: date
) -> list[FieldError]:
    if startdato is None:
        return [FieldError("fra_dato", "fravær registreres når deltakeren har startet")]
    if fra < startdato:
        return [FieldError("fra_dato", f"kan ikke være før oppstarten ({_d(startdato)})")]
    felt = "til_dato" if til != fra else "fra_dato"  # the field that holds the last day
    if sluttdato is not None and til > sluttdato:
        return [FieldError(felt, f"kan ikke være etter sluttdatoen ({_d(sluttdato)})")]
    if til > idag:
        return [FieldError(felt, f"kan ikke være fram i tid (i dag er {_d(idag)})")]
    return []
