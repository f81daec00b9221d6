"""The rules of a registered activity (hours), pure: reading and checking one input row
against a deltaker's dates and the gjennomføring's billing rule pack (:mod:`ehf.rules`), the
adjustment the pack makes in words, and the month and ISO week arithmetic of the lists.

No database: the service (:mod:`dokgen.services.timer`) hands in what the register knows
(:class:`Register`) and stores what comes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from dokgen.errors import FieldError, InputInvalidError
from ehf.rules import REGELSETT, Justering
from ehf.rules.model import tall

KILDER = ("skjema", "uke", "csv", "api")
IKKE_MOTT = "ikke_mott"
MAKS_MINUTTER = 24 * 60
MAKS_GRUPPE = 1000
FELTER = ("dato", "deltaker", "aktivitet", "minutter", "mote", "rapport",
          "antall_deltakere", "kommentar")  # fmt: skip
_LENGDER = {"mote": 200, "rapport": 40, "kommentar": 500}
_MANEDER = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
            "september", "oktober", "november", "desember")  # fmt: skip


@dataclass(frozen=True)
class Person:
    """A deltaker as a rule pack reads one: the arrangør's nr and the name."""

    nr: str
    navn: str


@dataclass(frozen=True)
class Deltakerdata:
    """What the checks need of a deltaker: ids, nr, name, dates and the rule pack's name."""

    id: int
    nr: str
    navn: str
    gjennomforing_id: int
    regelsett: str
    oppstartdato: date | None
    sluttdato: date | None


@dataclass(frozen=True)
class Register:
    """What the register knows for a list's checks: the deltakere by nr, the months claimed
    (gjennomføring, ``YYYY-MM``) and today."""

    etter_nr: Mapping[str, Deltakerdata]
    krevd: frozenset[tuple[int, str]]
    idag: date


@dataclass(frozen=True)
class Timerad:
    """One activity checked against the register (the rule packs' ``Aktivitet`` shape);
    ``kilde_rad`` is the row it came from (an input row, or minus a stored row's id)."""

    dato: date
    deltaker: Person
    aktivitet: str
    minutter: Decimal
    mote: str | None
    rapport: str | None
    antall_deltakere: int | None
    kommentar: str | None
    kilde_rad: int
    deltaker_id: int
    gjennomforing_id: int
    regelsett: str


# --- the rule pack in words ---------------------------------------------------------------


def aktivitetsvalg(regelsett: str) -> list[tuple[str, str]]:
    """Return the rule pack's activities as (code, words) for a select (empty: unknown)."""
    pakke = REGELSETT.get(regelsett)
    return [(k, r.beskrivelse) for k, r in pakke.aktiviteter.items()] if pakke else []


def aktivitet_tekst(regelsett: str, aktivitet: str) -> str:
    """Return an activity in words (the code itself when the pack does not know it)."""
    pakke = REGELSETT.get(regelsett)
    regel = pakke.aktiviteter.get(aktivitet) if pakke else None
    return regel.beskrivelse if regel else aktivitet


def felt_vises_for(regelsett: str) -> dict[str, str]:
    """Return, per optional field (antall_deltakere, mote, rapport), the one activity of the
    rule pack that uses it (a field more activities use, or none, is left out)."""
    pakke = REGELSETT.get(regelsett)
    if pakke is None:
        return {}
    bruk = {
        "antall_deltakere": [k for k, r in pakke.aktiviteter.items() if r.del_paa_deltakere],
        "mote": [k for k, r in pakke.aktiviteter.items() if r.maks_per == "mote"],
        "rapport": [k for k, r in pakke.aktiviteter.items() if r.maks_per == "rapport"],
    }
    return {felt: koder[0] for felt, koder in bruk.items() if len(koder) == 1}


def justeringer(rader: Sequence[Timerad]) -> dict[int, Justering]:
    """Return each row's billed hours and why, by ``kilde_rad``: the rule pack's ``beregn``
    per gjennomføring and month (as the month's close bills them), in date order."""
    grupper: dict[tuple[int, str], list[Timerad]] = {}
    for r in rader:
        grupper.setdefault((r.gjennomforing_id, f"{r.dato:%Y-%m}"), []).append(r)
    ut: dict[int, Justering] = {}
    for gruppe in grupper.values():
        pakke = REGELSETT.get(gruppe[0].regelsett)
        kjente = [r for r in gruppe if pakke is not None and pakke.kjenner(r.aktivitet)]
        if pakke is None or not kjente:
            continue
        kjente.sort(key=lambda r: (r.dato, abs(r.kilde_rad)))
        for linje in pakke.beregn(kjente).linjer:
            ut.update({j.rad: j for j in linje.justeringer})
    return ut


def justering_tekst(j: Justering | None, regelsett: str) -> str:
    """Return the adjustment in words ("maks 0,25 t når deltakeren ikke møter"), or "" when
    the minutes are billed as they are."""
    pakke = REGELSETT.get(regelsett)
    if j is None or pakke is None:
        return ""
    regel = pakke.aktiviteter[j.aktivitet]
    if j.regel == "ikke_fakturerbar":
        return "faktureres ikke"
    if j.regel == "maks":
        return regel.maks_tekst or f"maks {tall(regel.maks_timer or Decimal(0))} t"
    if j.regel == "kvarter":
        return "rundet opp til nærmeste kvarter"
    return ""


# --- one input row --------------------------------------------------------------------------


def _tekst(verdi: Any, felt: str, feil: list[FieldError], sti: str) -> str | None:
    if verdi is None:
        return None
    if not isinstance(verdi, str):
        feil.append(FieldError(sti, "må være tekst"))
        return None
    verdi = verdi.strip()
    if len(verdi) > _LENGDER[felt]:
        feil.append(FieldError(sti, f"kan være høyst {_LENGDER[felt]} tegn"))
    return verdi or None


def _heltall(verdi: Any) -> int | None:
    if isinstance(verdi, bool):
        return None
    if isinstance(verdi, int):
        return verdi
    try:
        tallet = Decimal(str(verdi).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not tallet.is_finite() or tallet != tallet.to_integral_value() or abs(tallet) > 10**9:
        return None
    return int(tallet)


def _dato(verdi: Any) -> date | None:
    if isinstance(verdi, date):
        return verdi
    if not isinstance(verdi, str) or len(verdi.strip()) != 10:
        return None
    try:
        return date.fromisoformat(verdi.strip())
    except ValueError:
        return None


def krevd_melding(maned: str) -> str:
    """Return why a claimed month's hours cannot change, and what to do instead."""
    return (
        f"{maned_tekst(maned)} er allerede krevd eller fakturert for gjennomføringen; "
        "rett timene med en korreksjon i månedsavslutningen"
    )


def sjekk_rad(n: int, data: Any, reg: Register) -> tuple[Timerad | None, list[FieldError]]:
    """Check one input row (the fakturagrunnlag's ``aktiviteter`` shape, the deltaker by nr).

    Args:
        n: the row's number for the errors (``rad n.felt``).
        data: the row as read (JSON or the timeliste's CSV row).
        reg: what the register knows.

    Returns:
        The checked row, or None and every error of the row (in bokmål, with an example).
    """
    p = f"rad {n}"
    if not isinstance(data, dict):
        return None, [FieldError(p, "må være et objekt med dato, deltaker, aktivitet og minutter")]
    feil = [FieldError(f"{p}.{k}", f"ukjent felt: bruk {', '.join(FELTER)}")
            for k in data if k not in FELTER]  # fmt: skip
    dag = _dato(data.get("dato"))
    if dag is None:
        feil.append(FieldError(f"{p}.dato", "skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2026-10-02"))
    d = _deltaker(p, data.get("deltaker"), reg, feil)
    aktivitet = data.get("aktivitet")
    regel = _aktivitet(p, aktivitet, d, feil)
    minutter = _heltall(data.get("minutter"))
    if minutter is None or not 0 < minutter <= MAKS_MINUTTER:
        melding = f"skriv hele minutter fra 1 til {MAKS_MINUTTER} (24 timer), f.eks. 45"
        feil.append(FieldError(f"{p}.minutter", melding))
    antall = _antall(p, data.get("antall_deltakere"), regel, feil)
    tekster = {
        f: _tekst(data.get(f), f, feil, f"{p}.{f}") for f in ("mote", "rapport", "kommentar")
    }
    if dag is not None and d is not None:
        feil.extend(_datofeil(f"{p}.dato", dag, d, reg))
    if feil or dag is None or d is None or minutter is None or not isinstance(aktivitet, str):
        return None, feil
    rad = Timerad(
        dag, Person(d.nr, d.navn), aktivitet, Decimal(minutter), tekster["mote"],
        tekster["rapport"], antall, tekster["kommentar"], n, d.id, d.gjennomforing_id, d.regelsett,
    )  # fmt: skip
    return rad, []


def _deltaker(p: str, person: Any, reg: Register, feil: list[FieldError]) -> Deltakerdata | None:
    nr = person.get("nr") if isinstance(person, dict) else None
    if not isinstance(nr, str) or not nr.strip():
        feil.append(FieldError(f"{p}.deltaker.nr", "oppgi deltakerens nr, f.eks. D-0017"))
        return None
    d = reg.etter_nr.get(nr)
    if d is None:
        melding = f"ingen deltaker med nr «{nr[:20]}»: bruk nr fra deltakerlisten, f.eks. D-0017"
        feil.append(FieldError(f"{p}.deltaker.nr", melding))
    return d


def _aktivitet(p: str, aktivitet: Any, d: Deltakerdata | None, feil: list[FieldError]) -> Any:
    """Return the rule pack's rule for the activity (None: unknown, the error added)."""
    if d is None:
        return None
    pakke = REGELSETT.get(d.regelsett)
    if pakke is None:
        melding = "gjennomføringen har ingen regler for timer; be en administrator velge regelsett"
        feil.append(FieldError(f"{p}.aktivitet", melding))
        return None
    regel = pakke.aktiviteter.get(aktivitet) if isinstance(aktivitet, str) else None
    if regel is None:
        kjente = ", ".join(f"{k} ({r.beskrivelse})" for k, r in pakke.aktiviteter.items())
        melding = f"ukjent aktivitet «{str(aktivitet)[:40]}»: bruk en av {kjente}"
        feil.append(FieldError(f"{p}.aktivitet", melding))
    return regel


def _antall(p: str, verdi: Any, regel: Any, feil: list[FieldError]) -> int | None:
    sti = f"{p}.antall_deltakere"
    if verdi in (None, ""):
        if regel is not None and regel.del_paa_deltakere:
            melding = f"oppgi hvor mange som var med på «{regel.beskrivelse}», f.eks. 4"
            feil.append(FieldError(sti, melding))
        return None
    antall = _heltall(verdi)
    if antall is None or not 0 < antall <= MAKS_GRUPPE:
        melding = f"skriv antall deltakere som et helt tall fra 1 til {MAKS_GRUPPE}, f.eks. 4"
        feil.append(FieldError(sti, melding))
        return None
    return antall


def _datofeil(sti: str, dag: date, d: Deltakerdata, reg: Register) -> list[FieldError]:
    if dag > reg.idag:
        melding = f"datoen er fram i tid: skriv dagen aktiviteten ble gjort, f.eks. {reg.idag}"
        return [FieldError(sti, melding)]
    if d.oppstartdato is None:
        return [FieldError(sti, "deltakeren har ingen oppstartdato: registrer oppstarten først")]
    if dag < d.oppstartdato:
        melding = f"er før deltakerens oppstart {d.oppstartdato:%d.%m.%Y}: skriv en dato fra den"
        return [FieldError(sti, melding)]
    if d.sluttdato is not None and dag > d.sluttdato:
        melding = f"er etter deltakerens sluttdato {d.sluttdato:%d.%m.%Y}: skriv en dato til den"
        return [FieldError(sti, melding)]
    if (d.gjennomforing_id, f"{dag:%Y-%m}") in reg.krevd:
        return [FieldError(sti, krevd_melding(f"{dag:%Y-%m}"))]
    return []


# --- months and weeks -----------------------------------------------------------------------


def maned_tekst(maned: str) -> str:
    """Return ``2026-10`` as "oktober 2026"."""
    return f"{_MANEDER[int(maned[5:7]) - 1]} {maned[:4]}"


def naboer(maned: str) -> tuple[str, str]:
    """Return the months before and after ``YYYY-MM``."""
    aar, mnd = int(maned[:4]), int(maned[5:7])
    forrige = f"{aar - 1}-12" if mnd == 1 else f"{aar}-{mnd - 1:02d}"
    neste = f"{aar + 1}-01" if mnd == 12 else f"{aar}-{mnd + 1:02d}"
    return forrige, neste


def maned_slutt(maned: str) -> date:
    """Return the last day of a month written ``YYYY-MM``."""
    start = date.fromisoformat(f"{maned}-01")
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def les_maned(maned: str) -> tuple[date, date]:
    """Return the first and last day of a month written ``YYYY-MM``.

    Raises:
        InputInvalidError: not a month written ÅÅÅÅ-MM.
    """
    try:
        if len(maned) != 7:
            raise ValueError(maned)
        fra = date.fromisoformat(f"{maned}-01")
    except ValueError:
        melding = "skriv måneden som ÅÅÅÅ-MM, f.eks. 2026-10"
        raise InputInvalidError([FieldError("maned", melding)]) from None
    return fra, maned_slutt(maned)


def les_uke(uke: str) -> date:
    """Return the Monday of an ISO week written ``YYYY-Www`` (``2026-W43``).

    Raises:
        InputInvalidError: not a week written so.
    """
    try:
        aar, _, nr = uke.partition("-W")
        if len(aar) != 4 or not nr.isdigit():
            raise ValueError(uke)
        return date.fromisocalendar(int(aar), int(nr), 1)
    except ValueError:
        melding = "skriv uken som ÅÅÅÅ-Wuu, f.eks. 2026-W43"
        raise InputInvalidError([FieldError("uke", melding)]) from None


def uke_navn(mandag: date) -> str:
    """Return the ISO week of a Monday as ``YYYY-Www``."""
    aar, nr, _ = mandag.isocalendar()
    return f"{aar}-W{nr:02d}"
