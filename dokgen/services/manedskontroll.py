"""The month's close's checks and sums for one gjennomføring: what the registered hours of a
month say before anything is claimed (see :mod:`dokgen.services.manedsavslutning`).

Each finding has a level (``feil`` refuses the close, ``advarsel`` is for a person to read),
a reason in bokmål and the deltakere it concerns by their number and name — never a
fødselsnummer. The billed hours come from the agreement's rule pack (:mod:`ehf.rules`), the
timepris from the gjennomføring's prices on the month's first day
(:func:`dokgen.oppfolging.timepriser.timepris_for`); a price that changes inside the month
is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from dokgen.oppfolging import regelsett as frist_regelsett
from dokgen.oppfolging.timepriser import hele_kroner, timepris_for
from dokgen.services import innstillinger as innstillinger_service
from dokgen.services.fakturagrunnlag import (
    JUSTERT,
    Beregning,
    beregn,
    fra_json,
    grunnlag_for,
)
from dokgen.storage.db import Aktivitet, Deltaker, Gjennomforing, Organisasjon
from ehf.errors import GrunnlagInvalidError, ProfileViolationError, RowError, RuleSetUnknownError
from ehf.rules import Fakturering, get_regelsett

FEIL, ADVARSEL = "feil", "advarsel"
EHF, NAV_REFUSJONSKRAV = "ehf", "nav_refusjonskrav"

MANEDSNAVN = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip

# Statuses of a deltaker who never began in the tiltak (an oppstartdato may still be set).
IKKE_I_TILTAKET = frozenset(
    {
        "KLADD",
        "UTKAST_TIL_PAMELDING",
        "AVBRUTT_UTKAST",
        "PABEGYNT_REGISTRERING",
        "SOKT_INN",
        "VURDERES",
        "VENTELISTE",
        "IKKE_AKTUELL",
        "FEILREGISTRERT",
    }
)
_RAD = re.compile(r"^aktiviteter\[(\d+)\]")


def maned_i_ord(fra: date) -> str:
    """Return a month as people write it ("oktober 2026")."""
    return f"{MANEDSNAVN[fra.month - 1]} {fra.year}"


def _dag(d: date) -> str:
    return d.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class Berort:
    """A deltaker a finding concerns: the arrangør's number and the name, and what of theirs."""

    nr: str
    navn: str
    detalj: str | None = None

    def som_json(self) -> dict[str, Any]:
        """Return the deltaker as the API and the CLI write it."""
        return {"nr": self.nr, "navn": self.navn, "detalj": self.detalj}


@dataclass(frozen=True)
class Funn:
    """One finding of the checks: ``niva`` feil (refuses) or advarsel, the reason, whom."""

    niva: str
    melding: str
    deltakere: tuple[Berort, ...] = ()

    def som_json(self) -> dict[str, Any]:
        """Return the finding as the API, the CLI and ``Manedskrav.funn`` write it."""
        return {
            "niva": self.niva,
            "melding": self.melding,
            "deltakere": [d.som_json() for d in self.deltakere],
        }


@dataclass(frozen=True)
class Gjennomforingskrav:
    """What the month's close finds and would make for one gjennomføring.

    ``belop`` is the exact sum (an EHF invoice's amount payable; a NAV claim's hours times
    the timepris), ``belop_kroner`` it in whole kroner (HALF_UP, as NAV rounds). ``tidligere``
    is the month's earlier claims or invoices (their numbers) when it is already claimed;
    ``begrunnelse`` the correction's reason. ``beregning`` (an EHF invoice's billing) and
    ``grunnlag`` (a NAV claim's, see :mod:`dokgen.services.kravpakke`) are what gets stored.
    """

    gjennomforing_id: int
    navn: str
    art: str
    timer: Decimal
    timepris: Decimal | None
    belop: Decimal
    funn: tuple[Funn, ...]
    tidligere: tuple[str, ...] = ()
    begrunnelse: str | None = None
    krav_id: str | None = None
    faktura_id: str | None = None
    beregning: Beregning | None = field(default=None, repr=False, compare=False)
    grunnlag: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def belop_kroner(self) -> int:
        """Return the amount in whole kroner (HALF_UP)."""
        return hele_kroner(self.belop)

    @property
    def avvist(self) -> bool:
        """Whether a finding refuses the close."""
        return any(f.niva == FEIL for f in self.funn)

    @property
    def tom(self) -> bool:
        """Whether there is nothing to claim (no billed hours)."""
        return self.timer == 0

    @property
    def art_tekst(self) -> str:
        """Return how the month is claimed, in words."""
        return innstillinger_service.KRAVFORMER.get(self.art, self.art)

    def som_json(self) -> dict[str, Any]:
        """Return the gjennomføring's result as the API and the CLI write it."""
        return {
            "gjennomforing_id": self.gjennomforing_id,
            "navn": self.navn,
            "art": self.art,
            "art_tekst": self.art_tekst,
            "timer": str(self.timer),
            "timepris": None if self.timepris is None else str(self.timepris),
            "belop": str(self.belop),
            "belop_kroner": self.belop_kroner,
            "korreksjon": bool(self.tidligere),
            "begrunnelse": self.begrunnelse,
            "funn": [f.som_json() for f in self.funn],
            "krav_id": self.krav_id,
            "faktura_id": self.faktura_id,
        }


@dataclass(frozen=True)
class Mnd:
    """The month checked and the day it is checked on."""

    maned: str
    fra: date
    til: date
    idag: date

    @property
    def ord(self) -> str:
        """Return the month in words."""
        return maned_i_ord(self.fra)


class Timerad(Protocol):
    """A registered activity as the checks read it: an :class:`Aktivitet` or a row of its
    columns (:data:`TIMERAD`)."""

    @property
    def id(self) -> int: ...
    @property
    def gjennomforing_id(self) -> int: ...
    @property
    def deltaker_id(self) -> int: ...
    @property
    def dato(self) -> date: ...
    @property
    def aktivitet(self) -> str: ...
    @property
    def minutter(self) -> int: ...
    @property
    def mote(self) -> str | None: ...
    @property
    def rapport(self) -> str | None: ...
    @property
    def antall_deltakere(self) -> int | None: ...
    @property
    def kommentar(self) -> str | None: ...


# The columns the checks read of an activity: fetched as rows, not ORM objects (a month of
# a large arrangør is tens of thousands of them).
TIMERAD = (
    Aktivitet.id,
    Aktivitet.gjennomforing_id,
    Aktivitet.deltaker_id,
    Aktivitet.dato,
    Aktivitet.aktivitet,
    Aktivitet.minutter,
    Aktivitet.mote,
    Aktivitet.rapport,
    Aktivitet.antall_deltakere,
    Aktivitet.kommentar,
)


@dataclass(frozen=True)
class _Person:
    nr: str
    navn: str


@dataclass(frozen=True)
class _Rad:
    """An activity as a billing rule set reads it (:class:`ehf.rules.Aktivitet`)."""

    dato: date
    deltaker: _Person
    aktivitet: str
    minutter: Decimal
    mote: str | None
    rapport: str | None
    antall_deltakere: int | None
    kommentar: str | None


def navn(d: Deltaker) -> str:
    """Return a deltaker's full name."""
    return " ".join(x for x in (d.fornavn, d.mellomnavn, d.etternavn) if x)


def aktiv_fra_til(d: Deltaker) -> tuple[date, date | None] | None:
    """Return the days a deltaker takes part (from oppstart, to the sluttdato or on), or None
    when they never began."""
    if d.oppstartdato is None or d.status in IKKE_I_TILTAKET:
        return None
    return d.oppstartdato, d.sluttdato


def aktiv_i(d: Deltaker, fra: date, til: date) -> bool:
    """Whether the deltaker takes part on some day from ``fra`` to ``til``."""
    periode = aktiv_fra_til(d)
    return periode is not None and periode[0] <= til and (periode[1] is None or periode[1] >= fra)


@dataclass
class Utvalg:
    """What the checks read of one gjennomføring: its deltakere (active in the month or with
    hours in it), its activities of the month, and the earlier claims of the month."""

    gjennomforing: Gjennomforing
    deltakere: dict[int, Deltaker] = field(default_factory=dict)
    aktiviteter: list[Timerad] = field(default_factory=list)
    tidligere: list[str] = field(default_factory=list)


def kontroller(
    org: Organisasjon, utvalg: Utvalg, mnd: Mnd, begrunnelse: str | None
) -> Gjennomforingskrav:
    """Check one gjennomføring's month and compute what would be claimed.

    Args:
        org: the arrangør.
        utvalg: the gjennomføring's rows.
        mnd: the month and today.
        begrunnelse: the correction's reason when the caller marked it as one.

    Returns:
        The findings, the billed hours, the timepris, the amount and what would be stored.
    """
    g = utvalg.gjennomforing
    funn: list[Funn] = []
    if mnd.idag <= mnd.til:
        neste = mnd.til + timedelta(days=1)
        funn.append(
            Funn(
                FEIL,
                f"{mnd.ord.capitalize()} er ikke slutt ennå: bare hele måneder som er over kan "
                f"avsluttes (fra {_dag(neste)}).",
            )
        )
    funn += [
        Funn(FEIL, f"Oppsettet for krav mangler noe: {m.melding}.")
        for m in innstillinger_service.mangler_for_krav(org, g, mnd.fra)
    ]
    timepris, prisfunn = _timepris(g, mnd)
    funn += prisfunn
    merket = begrunnelse is not None
    begrunnelse = (begrunnelse or "").strip() or None
    funn += _tidligere(utvalg, mnd, begrunnelse, merket=merket)
    funn += _radfunn(utvalg, mnd)
    rader = _rader(utvalg)
    fakturering, beregningsfunn = _fakturer(g, rader)
    funn += beregningsfunn
    timer = fakturering.timer if fakturering else Decimal("0")
    funn += _over_forventet(g, fakturering)
    if rader and not any(f.niva == FEIL for f in funn) and timer == 0:
        funn.append(Funn(ADVARSEL, "Ingen av timene kan faktureres etter regelsettet."))
    if not rader:
        funn.append(
            Funn(
                ADVARSEL,
                f"Ingen timer er registrert i {mnd.ord}: det lages ikke noe krav for "
                "denne gjennomføringen.",
            )
        )
    krav = Gjennomforingskrav(
        gjennomforing_id=g.id,
        navn=g.navn,
        art=g.kravform,
        timer=timer,
        timepris=timepris,
        # The hours at the timepris until the claim's own sum is made (an invoice adds VAT).
        belop=_kroner_og_ore(timer * timepris) if timepris is not None else Decimal("0"),
        funn=tuple(funn),
        tidligere=tuple(utvalg.tidligere),
        begrunnelse=begrunnelse if utvalg.tidligere else None,
    )
    if krav.avvist or krav.tom or timepris is None or fakturering is None:
        return krav
    return _med_belop(krav, org, utvalg, mnd, rader, fakturering, timepris)


def _kroner_og_ore(belop: Decimal) -> Decimal:
    return belop.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _med_belop(
    krav: Gjennomforingskrav,
    org: Organisasjon,
    utvalg: Utvalg,
    mnd: Mnd,
    rader: Sequence[_Rad],
    fakturering: Fakturering,
    timepris: Decimal,
) -> Gjennomforingskrav:
    g = utvalg.gjennomforing
    if g.kravform == NAV_REFUSJONSKRAV:
        grunnlag = nav_grunnlag(org, utvalg, mnd, fakturering, timepris)
        return _erstatt(krav, belop=Decimal(grunnlag["belop"]), grunnlag=grunnlag)
    if g.kravform != EHF:
        return _erstatt(krav, funn=(*krav.funn, Funn(FEIL, "Ukjent måte å kreve på.")))
    try:
        inndata = fra_json(_faktura_data(g, mnd, rader, timepris))
        selger = innstillinger_service.selger(org)
        innstillinger = dict(org.innstillinger or {})
        beregning = beregn(grunnlag_for(inndata, innstillinger, mnd.idag, selger=selger))
    except (GrunnlagInvalidError, ProfileViolationError) as exc:
        return _erstatt(krav, funn=(*krav.funn, *_grunnlagsfunn(exc.errors, rader, "Fakturaen")))
    return _erstatt(krav, belop=beregning.sum, beregning=beregning)


def _erstatt(krav: Gjennomforingskrav, **endret: Any) -> Gjennomforingskrav:
    return replace(krav, **endret)


def _timepris(g: Gjennomforing, mnd: Mnd) -> tuple[Decimal | None, list[Funn]]:
    dager = [mnd.fra + timedelta(days=i) for i in range((mnd.til - mnd.fra).days + 1)]
    priser = {timepris_for(g.timepriser, g.timepris, d) for d in dager}
    forste = timepris_for(g.timepriser, g.timepris, mnd.fra)
    if len(priser) <= 1:
        return forste, []
    melding = (
        f"Timeprisen endrer seg i løpet av {mnd.ord}. Et månedskrav har én timepris: la "
        "prisperiodene i oppsettet begynne den 1. i en måned."
    )
    return None, [Funn(FEIL, melding)]


def _tidligere(utvalg: Utvalg, mnd: Mnd, begrunnelse: str | None, *, merket: bool) -> list[Funn]:
    if not utvalg.tidligere:
        return []
    hva = ", ".join(utvalg.tidligere)
    if begrunnelse is None and merket:
        return [Funn(FEIL, "Skriv hvorfor måneden kreves på nytt (begrunnelse for korreksjonen).")]
    if begrunnelse is None:
        return [
            Funn(
                FEIL,
                f"{mnd.ord.capitalize()} er allerede krevd for denne gjennomføringen ({hva}). "
                "Vil du kreve måneden på nytt, merk den som korreksjon og skriv hvorfor.",
            )
        ]
    if len(begrunnelse) > 500:
        return [Funn(FEIL, "Begrunnelsen for korreksjonen kan ha høyst 500 tegn.")]
    husk = " Husk å kreditere den første fakturaen." if utvalg.gjennomforing.kravform == EHF else ""
    return [
        Funn(
            ADVARSEL,
            f"{mnd.ord.capitalize()} er allerede krevd ({hva}); det lages en korreksjon.{husk}",
        )
    ]


def _radfunn(utvalg: Utvalg, mnd: Mnd) -> list[Funn]:
    ikke_aktiv: dict[int, list[date]] = {}
    etter_slutt: dict[int, list[date]] = {}
    med_timer: set[int] = set()
    for a in utvalg.aktiviteter:
        med_timer.add(a.deltaker_id)
        periode = aktiv_fra_til(utvalg.deltakere[a.deltaker_id])
        if periode is None or a.dato < periode[0]:
            ikke_aktiv.setdefault(a.deltaker_id, []).append(a.dato)
        elif periode[1] is not None and a.dato > periode[1]:
            etter_slutt.setdefault(a.deltaker_id, []).append(a.dato)
    funn = []
    if ikke_aktiv:
        funn.append(
            Funn(
                FEIL,
                "Timer for deltakere som ikke var aktive i tiltaket den dagen (før oppstart, "
                "eller uten oppstart). Rett eller slett timene.",
                tuple(_berort(utvalg, i, "timer", ikke_aktiv[i]) for i in sorted(ikke_aktiv)),
            )
        )
    if etter_slutt:
        funn.append(
            Funn(
                FEIL,
                "Timer etter deltakerens sluttdato. Rett eller slett timene, eller rett "
                "sluttdatoen.",
                tuple(_etter_slutt(utvalg, i, etter_slutt[i]) for i in sorted(etter_slutt)),
            )
        )
    uten = [
        d
        for d in utvalg.deltakere.values()
        if d.gjennomforing_id == utvalg.gjennomforing.id
        and d.id not in med_timer
        and aktiv_i(d, mnd.fra, mnd.til)
    ]
    if uten:
        funn.append(
            Funn(
                ADVARSEL,
                f"Aktive deltakere uten registrerte timer i {mnd.ord}.",
                tuple(Berort(d.nr, navn(d)) for d in sorted(uten, key=lambda d: d.nr)),
            )
        )
    return funn


def _datoer(datoer: Iterable[date]) -> str:
    alle = sorted(set(datoer))
    tekst = ", ".join(d.strftime("%d.%m.") for d in alle[:10])
    return tekst + (f" og {len(alle) - 10} dager til" if len(alle) > 10 else "")


def _berort(utvalg: Utvalg, deltaker_id: int, hva: str, datoer: list[date]) -> Berort:
    d = utvalg.deltakere[deltaker_id]
    return Berort(d.nr, navn(d), f"{hva} {_datoer(datoer)}")


def _etter_slutt(utvalg: Utvalg, deltaker_id: int, datoer: list[date]) -> Berort:
    d = utvalg.deltakere[deltaker_id]
    slutt = _dag(d.sluttdato) if d.sluttdato else "–"
    return Berort(d.nr, navn(d), f"sluttdato {slutt}, timer {_datoer(datoer)}")


def _rader(utvalg: Utvalg) -> list[_Rad]:
    # One _Person per deltaker, not per row: a month has tens of rows per deltaker.
    personer = {i: _Person(d.nr, navn(d)) for i, d in utvalg.deltakere.items()}
    rader = []
    for a in utvalg.aktiviteter:
        rader.append(
            _Rad(
                dato=a.dato,
                deltaker=personer[a.deltaker_id],
                aktivitet=a.aktivitet,
                minutter=Decimal(a.minutter),
                mote=a.mote,
                rapport=a.rapport,
                antall_deltakere=a.antall_deltakere,
                kommentar=a.kommentar,
            )
        )
    return rader


def _fakturer(g: Gjennomforing, rader: Sequence[_Rad]) -> tuple[Fakturering | None, list[Funn]]:
    if not rader or not g.regelsett:
        return None, []
    try:
        return get_regelsett(g.regelsett).beregn(rader), []
    except RuleSetUnknownError:
        melding = f"Regelsettet «{g.regelsett}» har ingen regler for fakturering av timer."
        return None, [Funn(FEIL, melding)]
    except GrunnlagInvalidError as exc:
        return None, _grunnlagsfunn(exc.errors, rader, "Timene")


def _grunnlagsfunn(errors: Sequence[RowError], rader: Sequence[_Rad], hva: str) -> list[Funn]:
    funn = []
    for e in errors:
        treff = _RAD.match(e.path)
        if treff and int(treff.group(1)) < len(rader):
            rad = rader[int(treff.group(1))]
            berort = (Berort(rad.deltaker.nr, rad.deltaker.navn, f"timer {_dag(rad.dato)}"),)
            funn.append(Funn(FEIL, f"{hva} kan ikke kreves: {e.message}.", berort))
        else:
            funn.append(Funn(FEIL, f"{hva} kan ikke lages: {e.path} {e.message}.".strip()))
    return funn


def _over_forventet(g: Gjennomforing, fakturering: Fakturering | None) -> list[Funn]:
    pakke = frist_regelsett.REGELSETT.get(g.regelsett)
    grense = pakke.forventet_timer_per_maned if pakke else None
    if fakturering is None or grense is None:
        return []
    over = [linje for linje in fakturering.linjer if linje.timer > grense]
    if not over:
        return []
    return [
        Funn(
            ADVARSEL,
            f"Flere timer enn avtalen forventer (om lag {_tall(grense)} timer i måneden). "
            "Kontroller at timene stemmer.",
            tuple(Berort(x.deltaker_nr, x.deltaker_navn, f"{_tall(x.timer)} timer") for x in over),
        )
    ]


def _tall(verdi: Decimal) -> str:
    tekst = f"{verdi:.2f}".rstrip("0").rstrip(".")
    return tekst.replace(".", ",")


def _faktura_data(
    g: Gjennomforing, mnd: Mnd, rader: Sequence[_Rad], timepris: Decimal
) -> dict[str, Any]:
    """Return the fakturagrunnlag of the month's hours: the period, the buyer and references
    from the gjennomføring, the rest (mva, valuta) from the organisation's settings."""
    data: dict[str, Any] = {
        "periode": {"fra": mnd.fra.isoformat(), "til": mnd.til.isoformat()},
        "regelsett": g.regelsett,
        "timepris": str(timepris),
        "kjoper": g.kjoper,
        "deres_referanse": g.deres_referanse,
        "bestillingsnummer": g.bestillingsnummer,
        "aktiviteter": [_aktivitet(r) for r in rader],
    }
    return {k: v for k, v in data.items() if v is not None}


def _aktivitet(r: _Rad) -> dict[str, Any]:
    rad: dict[str, Any] = {
        "dato": r.dato.isoformat(),
        "deltaker": {"nr": r.deltaker.nr, "navn": r.deltaker.navn},
        "aktivitet": r.aktivitet,
        "minutter": str(r.minutter),
        "mote": r.mote,
        "rapport": r.rapport,
        "antall_deltakere": r.antall_deltakere,
        "kommentar": r.kommentar,
    }
    return {k: v for k, v in rad.items() if v is not None}


def nav_grunnlag(
    org: Organisasjon,
    utvalg: Utvalg,
    mnd: Mnd,
    fakturering: Fakturering,
    timepris: Decimal,
) -> dict[str, Any]:
    """Return a NAV claim's ``grunnlag`` (the shape :mod:`dokgen.services.kravpakke` reads)."""
    g = utvalg.gjennomforing
    pakke = get_regelsett(g.regelsett)
    per_nr = {d.nr: d for d in utvalg.deltakere.values()}
    # The rule set keeps each deltaker's rows in their input order: the same order here.
    rader_for: dict[int, list[Timerad]] = {}
    for a in utvalg.aktiviteter:
        rader_for.setdefault(a.deltaker_id, []).append(a)
    deltakere: list[dict[str, Any]] = []
    belop = Decimal("0")
    for linje in fakturering.linjer:
        d = per_nr[linje.deltaker_nr]
        hans = linje.timer * timepris
        belop += hans
        start = max(d.oppstartdato or mnd.fra, mnd.fra)
        slutt = min(d.sluttdato or mnd.til, mnd.til)
        deltakere.append(
            {
                "nr": d.nr,
                "navn": navn(d),
                "fodselsnummer": d.fodselsnummer,
                "oppstartdato": _iso(d.oppstartdato),
                "sluttdato": _iso(d.sluttdato),
                "start_i_perioden": start.isoformat(),
                "slutt_i_perioden": slutt.isoformat(),
                "aktiviteter": [
                    _nav_aktivitet(j, rad, pakke.aktiviteter[j.aktivitet].beskrivelse)
                    for j, rad in zip(linje.justeringer, rader_for.get(d.id, []), strict=True)
                ],
                "timer": str(linje.timer),
                "belop": str(hans),
            }
        )
    kid = ((org.innstillinger or {}).get("selger") or {}).get("kid")
    return {
        "maned": mnd.maned,
        "periode": {"fra": mnd.fra.isoformat(), "til": mnd.til.isoformat()},
        "arrangor": {"navn": org.navn, "orgnr": org.orgnr},
        "gjennomforing": {
            "id": g.id,
            "navn": g.navn,
            "tiltakstype": g.tiltakstype,
            "avtalenummer": g.avtalenummer,
            "tiltaksnummer": g.tiltaksnummer,
            "regelsett": g.regelsett,
        },
        "timepris": str(timepris),
        "kid": kid or None,
        "deltakere": deltakere,
        "timer": str(fakturering.timer),
        "belop": str(belop),
        "belop_kroner": hele_kroner(belop),
    }


def _nav_aktivitet(j: Any, rad: Timerad, tekst: str) -> dict[str, Any]:
    return {
        "dato": j.dato.isoformat(),
        "aktivitet": j.aktivitet,
        "aktivitet_tekst": tekst,
        "minutter": rad.minutter,
        "antall_deltakere": rad.antall_deltakere,
        # The rule in words without the kind, which ``aktivitet_tekst`` says beside it.
        "regel": j.forklaring.removeprefix(f"{tekst}: ") if j.regel in JUSTERT else None,
        "timer": str(j.timer),
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def funn_som_json(funn: Iterable[Funn]) -> list[dict[str, Any]]:
    """Return findings as ``Manedskrav.funn`` stores them."""
    return [f.som_json() for f in funn]


def utvalg_for(
    gjennomforinger: Sequence[Gjennomforing],
    deltakere: Sequence[Deltaker],
    aktiviteter: Sequence[Timerad],
    tidligere: Mapping[int, list[str]],
    mnd: Mnd,
) -> list[Utvalg]:
    """Return the gjennomføringer the month concerns (activities in it or active deltakere),
    each with its rows, in name order."""
    alle = {g.id: Utvalg(g) for g in gjennomforinger}
    per_id = {d.id: d for d in deltakere}
    berort: set[int] = set()
    for a in aktiviteter:
        if a.gjennomforing_id in alle:
            alle[a.gjennomforing_id].aktiviteter.append(a)
            alle[a.gjennomforing_id].deltakere[a.deltaker_id] = per_id[a.deltaker_id]
            berort.add(a.gjennomforing_id)
    for d in deltakere:
        if d.gjennomforing_id in alle and aktiv_i(d, mnd.fra, mnd.til):
            alle[d.gjennomforing_id].deltakere[d.id] = d
            berort.add(d.gjennomforing_id)
    for gid, numre in tidligere.items():
        if gid in alle:
            alle[gid].tidligere = list(numre)
    return sorted(
        (alle[i] for i in berort), key=lambda u: (u.gjennomforing.navn, u.gjennomforing.id)
    )
