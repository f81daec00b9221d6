"""The frist rules of each agreement, as data: one rule pack per agreement, keyed by its name.

The billing rules of an agreement live in :mod:`ehf.rules` under the same name (``ehf`` is a
pure library and knows nothing of frister); this pack carries the agreement's frister. A new
agreement is a new :class:`Regelsett` in :data:`REGELSETT` built from the three kinds of rule
below, not new code:

- :class:`Engangsfrist`: one frist a number of days after the start or the end (a plan three
  weeks after oppstart, a sluttrapport a week after the end);
- :class:`Periodefrist`: one frist per period of some months counted from the start
  (a statusrapport every third month after oppstart);
- :class:`Kalenderfrist`: one frist per calendar period the run touches (an
  evalueringsrapport per half-year, a tilbudsmelding per month, an årsrapport per year by
  30 June).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.kodeverk import AMB_RESULTATKODER

Gjelder = Literal["deltaker", "gjennomforing"]
DELTAKER: Gjelder = "deltaker"
GJENNOMFORING: Gjelder = "gjennomforing"

# The most days a frist may lie after its period (a rule's or a gjennomføring's own number).
MAKS_DAGER = 366

# The words a person reads for each frist type (the document titles, without importing the
# document layer, which is independent of this one).
TITLER: dict[str, str] = {
    "plan": "Plan for tiltaket",
    "statusrapport": "Statusrapport",
    "sluttrapport": "Sluttrapport",
    "evalueringsrapport": "Evalueringsrapport",
    "arsrapport": "Årsrapport",
    "tilbudsmelding": "Tilbudsmelding",
    "samtalereferat": "Samtalereferat",
    "motereferat": "Møtereferat",
    "sluttrapport_kvalifisering": "Sluttrapport fra Kvalifisering",
    "resultatrapport": "Resultatrapport",
    "varsle_nav": "Varsle NAV samme dag",
}
# The frist a registered no-show raises under packs with ``varsle_nav_ved_fravaer``.
VARSLE_NAV = "varsle_nav"


@dataclass(frozen=True)
class Treff:
    """How a finalised document of the frist's type meets a frist.

    ``mate`` is one of:

    - ``forste``: any finalised document meets it (the first one finalised);
    - ``periodeslutt``: a document whose period ends within ``slingring_dager`` days of the
      frist's period end, either side (the nearest, when two could);
    - ``overlapp``: a document whose period overlaps the frist's period (the nearest end);
    - ``i_perioden``: a document dated from the frist's period start to its due date (its
      period's end, else its start, else the day it was finalised; the nearest to the
      period's end): "at least once a period", whatever the document's own period.
    """

    mate: Literal["forste", "periodeslutt", "overlapp", "i_perioden"]
    slingring_dager: int = 0


FORSTE = Treff("forste")
OVERLAPP = Treff("overlapp")
I_PERIODEN = Treff("i_perioden")

# The gjennomføring's settings a rule's days may come from (``innstilling``): its column of
# the same name. ``evaluering_dager``: days after a half-year's end; ``sluttrapport_dager``:
# days after a deltaker's end (the samarbeidsavtale's «frist for levering av sluttrapport»,
# AMB §1.5 b); ``resultatrapport_dag``: the day of the following month the month's
# resultatrapport is due (JMO §9.2: «i henhold til lokale rutiner»).
Innstilling = Literal["evaluering_dager", "sluttrapport_dager", "resultatrapport_dag"]


@dataclass(frozen=True)
class Engangsfrist:
    """One frist ``dager`` days after the start, or after the end once an end is set.

    ``innstilling``: the gjennomføring's setting of that name, when set, replaces ``dager``.
    """

    type: str
    gjelder: Gjelder
    regnet_fra: Literal["start", "slutt"]
    dager: int
    treff: Treff = FORSTE
    innstilling: Innstilling | None = None

    def __post_init__(self) -> None:
        _sjekk_regel(self.type, 1, self.dager, None)


@dataclass(frozen=True)
class Periodefrist:
    """One frist per period of ``maneder`` months counted from the start.

    Period k (k = 1, 2, …) runs from A(k−1) to the day before A(k), where A(n) is the start
    plus n·``maneder`` calendar months (a day the month lacks becomes its last day), always
    counted from the start. The frist is ``dager_etter`` days after the period's end, or, with
    ``fast_dato`` (month, day), the first such date after it. Only periods that end before
    the end date count, unless ``med_siste_delperiode``: then the period the end falls in
    counts too. ``innstilling``: the gjennomføring's setting of that name (e.g. its own
    ``evaluering_dager``), when set, replaces ``dager_etter``.
    """

    type: str
    gjelder: Gjelder
    maneder: int
    dager_etter: int = 0
    fast_dato: tuple[int, int] | None = None
    treff: Treff = OVERLAPP
    med_siste_delperiode: bool = False
    innstilling: Innstilling | None = None

    def __post_init__(self) -> None:
        _sjekk_regel(self.type, self.maneder, self.dager_etter, self.fast_dato)


@dataclass(frozen=True)
class Kalenderfrist:
    """One frist per calendar period of ``maneder`` months (1, 2, 3, 4, 6 or 12, counted from
    1 January) that the run touches from its start to its end.

    The frist is ``dager_etter`` days after the period's end, or, with ``fast_dato``
    (month, day), the first such date after it. ``innstilling``: the gjennomføring's setting
    of that name (e.g. its own ``evaluering_dager``), when set, replaces ``dager_etter``.
    """

    type: str
    gjelder: Gjelder
    maneder: int
    dager_etter: int = 0
    fast_dato: tuple[int, int] | None = None
    treff: Treff = OVERLAPP
    innstilling: Innstilling | None = None

    def __post_init__(self) -> None:
        _sjekk_regel(self.type, self.maneder, self.dager_etter, self.fast_dato)
        if 12 % self.maneder:
            raise ValueError(f"{self.type}: a calendar period must divide the year")


Regel = Engangsfrist | Periodefrist | Kalenderfrist


def _sjekk_regel(
    type_: str, maneder: int, dager_etter: int, fast_dato: tuple[int, int] | None
) -> None:
    """Refuse a rule that cannot be computed (a mistake in a pack, found when it loads)."""
    if not (1 <= maneder <= 12 and 0 <= dager_etter <= MAKS_DAGER):
        raise ValueError(f"{type_}: months must be 1-12 and days 0-{MAKS_DAGER}")
    # A day every year has: 29 February is refused (2001 is a common year).
    if fast_dato is not None and not (
        1 <= fast_dato[0] <= 12 and 1 <= fast_dato[1] <= monthrange(2001, fast_dato[0])[1]
    ):
        raise ValueError(f"{type_}: fast_dato is (month, day), a day every year has")


@dataclass(frozen=True)
class Resultatstatus:
    """How the resultatrapport counts the ended deltakere by their status at the end.

    NAV defines the categories (JMO §9.2: «NAV definerer hva som inngår i de ulike statusene
    ved avslutning av tiltaket»); each pack maps the codes of its final document's field
    (``dokumenttype``'s ``felt``, a dotted path) to them. ``kategorier``: (key, words) in the
    report's order; ``koder``: a code → its category's key; ``kodeord``: a code → its words
    (shown beside the mapping); ``kilde``: where the codes and categories come from.
    """

    dokumenttype: str
    felt: str
    kategorier: tuple[tuple[str, str], ...]
    koder: dict[str, str]
    kodeord: dict[str, str]
    kilde: str

    def __post_init__(self) -> None:
        kjente = {nokkel for nokkel, _ in self.kategorier}
        ukjente = sorted(set(self.koder.values()) - kjente)
        if ukjente:
            raise ValueError(f"{self.dokumenttype}: codes mapped to unknown categories {ukjente}")
        if set(self.kodeord) != set(self.koder):
            raise ValueError(f"{self.dokumenttype}: every mapped code needs its words")

    def kategori(self, kode: object) -> str | None:
        """Return the category key of a code (None: the code is not mapped)."""
        return self.koder.get(str(kode)) if kode is not None else None


@dataclass(frozen=True)
class Regelsett:
    """The frist rules of one agreement; the deltaker's and the gjennomføring's apart.

    ``forventet_timer_per_maned``: the hours a deltaker is expected to get in a month (the
    month's close warns above it); None where the agreement names none.
    ``resultatstatus``: the status categories of the resultatrapport (:class:`Resultatstatus`).
    """

    navn: str
    beskrivelse: str
    regler: tuple[Regel, ...]
    # A no-show (activity ``ikke_mott``) must be reported to NAV the same day (JMO §7).
    varsle_nav_ved_fravaer: bool = False
    forventet_timer_per_maned: Decimal | None = None
    # How the resultatrapport groups the ended deltakere (None: by no status).
    resultatstatus: Resultatstatus | None = None
    deltakerregler: tuple[Regel, ...] = field(init=False, repr=False)
    gjennomforingsregler: tuple[Regel, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Split once when the pack loads: it is read for every deltaker of a list.
        deltaker = tuple(r for r in self.regler if r.gjelder == DELTAKER)
        gjennomforing = tuple(r for r in self.regler if r.gjelder == GJENNOMFORING)
        object.__setattr__(self, "deltakerregler", deltaker)
        object.__setattr__(self, "gjennomforingsregler", gjennomforing)
        utitulert = sorted({r.type for r in self.regler} - TITLER.keys())
        if utitulert:
            raise ValueError(f"{self.navn}: frist types without a title: {utitulert}")


# The days the AMB sluttrapport is due after the end until the gjennomføring sets its own
# (the samarbeidsavtale's), and the day of the following month the JMO resultatrapport is due
# until the gjennomføring sets its own.
STANDARD_SLUTTRAPPORT_DAGER = 14
STANDARD_RESULTATRAPPORT_DAG = 10

# JMO: the sluttrapport's «Status ved avslutning» (Bilag 8 vedlegg 2), grouped by the
# resultatmål of §2: «overgang til arbeid og/eller utdanning».
JMO_RESULTATSTATUS = Resultatstatus(
    dokumenttype="sluttrapport",
    felt="status_ved_avslutning",
    kategorier=(
        ("arbeid", "Arbeid"),
        ("utdanning", "Utdanning"),
        ("annet_tiltak", "Annet tiltak"),
        ("ikke_i_arbeid", "Ikke i arbeid"),
        ("avbrutt", "Avbrutt"),
    ),
    koder={
        "arbeid": "arbeid",
        "delvis_arbeid": "arbeid",
        "utdanning": "utdanning",
        "annet_tiltak": "annet_tiltak",
        "ikke_i_arbeid": "ikke_i_arbeid",
        "avbrutt": "avbrutt",
    },
    kodeord={
        "arbeid": "Arbeid",
        "delvis_arbeid": "Delvis arbeid",
        "utdanning": "Utdanning",
        "annet_tiltak": "Annet tiltak",
        "ikke_i_arbeid": "Ikke i arbeid",
        "avbrutt": "Avbrutt",
    },
    kilde="Sluttrapportens «Status ved avslutning» (kravspesifikasjonen Bilag 8 vedlegg 2)",
)

# AMB §14.4 a: the nine results of the sluttrapport from Kvalifisering, each with its category
# in brackets (the seed's words). One line per code, in the seed's order: (code, words,
# category). The codes are placeholders until dokgen.oppfolging.kodeverk.AMB_RESULTATKODER
# exists; then write its keys in the first column (tests/dokgen/oppfolging/test_resultatstatus.py
# checks that every one of them is mapped).
# The sluttrapport fra Kvalifisering's nine codes of §14.4 a (one definition:
# AMB_RESULTATKODER), each as (code, words, category key): "1. formidlet" → "formidlet".
AMB_RESULTATER: tuple[tuple[str, str, str], ...] = tuple(
    (str(kode), tekst, kategori.split(". ", 1)[1])
    for kode, (tekst, kategori) in AMB_RESULTATKODER.items()
)

AMB_RESULTATSTATUS = Resultatstatus(
    dokumenttype="sluttrapport_kvalifisering",
    felt="resultat",  # SluttrapportKvalifisering.resultat, one of the nine codes
    kategorier=(
        ("formidlet", "1. formidlet"),
        ("tiltak", "2. tiltak"),
        ("skole", "3. skole"),
        ("ledig", "4. ledig"),
        ("annet", "5. annet"),
    ),
    koder={kode: kategori for kode, _, kategori in AMB_RESULTATER},
    kodeord={kode: ord_ for kode, ord_, _ in AMB_RESULTATER},
    kilde="Sluttrapport fra Kvalifisering, «Resultat» (AMB-kravspesifikasjonen §14.4 a)",
)

JMO_OSLO_2020 = Regelsett(
    navn="jmo-oslo-2020",
    beskrivelse="Jobbmestrende oppfølging, NAV Oslo (Bilag 8: rapportering)",
    regler=(
        Engangsfrist("plan", DELTAKER, regnet_fra="start", dager=21),
        Periodefrist(
            "statusrapport",
            DELTAKER,
            maneder=3,
            dager_etter=7,
            treff=Treff("periodeslutt", slingring_dager=14),
        ),
        Engangsfrist("sluttrapport", DELTAKER, regnet_fra="slutt", dager=7),
        Kalenderfrist(
            "evalueringsrapport",
            GJENNOMFORING,
            maneder=6,
            dager_etter=14,
            innstilling="evaluering_dager",
        ),
        # §9.2: «Det skal rapporteres månedlig … Rapporten for foregående måned skal sendes
        # NAV Tiltak Oslo i henhold til lokale rutiner»: the day of the following month is the
        # gjennomføring's (``resultatrapport_dag``, default 10). Met when the month's
        # resultatrapport is exported (dokgen.services.resultatrapport), not by a document.
        Kalenderfrist(
            "resultatrapport",
            GJENNOMFORING,
            maneder=1,
            dager_etter=STANDARD_RESULTATRAPPORT_DAG,
            innstilling="resultatrapport_dag",
        ),
    ),
    # Kravspesifikasjonen (Bilag 1) punkt 7: «Leverandøren skal samme dag underrette NAV
    # dersom deltaker uten gyldig grunn ikke møter i tiltaket eller slutter underveis.»
    varsle_nav_ved_fravaer=True,
    # JMO §4: the follow-up is expected to be about 15 hours a month per deltaker.
    forventet_timer_per_maned=Decimal("15"),
    resultatstatus=JMO_RESULTATSTATUS,
)

AMB = Regelsett(
    navn="amb",
    beskrivelse="Arbeidsmarkedsbedrift: Kvalifisering og Tilrettelagt arbeid",
    regler=(
        # §2.1 a: «Tiltaksarrangør plikter hvert år å sende årsmeldingen til NAV lokal, senest
        # innen utgangen av juni.»
        Kalenderfrist("arsrapport", GJENNOMFORING, maneder=12, fast_dato=(6, 30), treff=I_PERIODEN),
        # §8.1: «Bedriften skal gi skriftlig melding til NAV lokal minst en gang i måneden»:
        # one per calendar month, by its last day.
        Kalenderfrist("tilbudsmelding", GJENNOMFORING, maneder=1, treff=I_PERIODEN),
        # §1.2 a: «Møtehyppighet; minimum én gang i året» (NAV's follow-up meeting, §15): one
        # referat per calendar year, by 31 December.
        Kalenderfrist("motereferat", GJENNOMFORING, maneder=12, treff=I_PERIODEN),
        # §13.2: «Oppfølgingssamtaler. Bør skje minst hver 3. måned.»: one per three months
        # from oppstart, by each period's last day.
        Periodefrist("samtalereferat", DELTAKER, maneder=3, treff=I_PERIODEN),
        # §1.5 b: «Frist for levering av sluttrapport etter Kvalifisering og Tilrettelagt
        # arbeid» is set locally in the samarbeidsavtale: the gjennomføring's
        # ``sluttrapport_dager``; until it is set, 14 days after the end. Finalising a
        # samarbeidsavtale for the gjennomføring sets it from its ``sluttrapport_frist_dager``.
        Engangsfrist(
            "sluttrapport_kvalifisering",
            DELTAKER,
            regnet_fra="slutt",
            dager=STANDARD_SLUTTRAPPORT_DAGER,
            innstilling="sluttrapport_dager",
        ),
    ),
    resultatstatus=AMB_RESULTATSTATUS,
)

REGELSETT: dict[str, Regelsett] = {pakke.navn: pakke for pakke in (JMO_OSLO_2020, AMB)}


def hent(navn: str) -> Regelsett:
    """Return the rule pack with this name.

    Raises:
        InputInvalidError: no rule pack has that name (the error names the known ones).
    """
    try:
        return REGELSETT[navn]
    except (KeyError, TypeError):
        raise InputInvalidError(
            [FieldError("regelsett", f"ukjent regelsett «{str(navn)[:80]}»: velg {_valg()}")]
        ) from None


def _valg() -> str:
    navn = list(REGELSETT)
    return navn[0] if len(navn) == 1 else f"{', '.join(navn[:-1])} eller {navn[-1]}"


def etterslep_dager(pakke: Regelsett) -> int:
    """Return the most days a deltaker's frist under ``pakke`` can fall after the later of
    their start and end: a list of frister from a day on can leave out the deltakere who
    ended longer ago than this before it."""
    dager = [0]
    for regel in pakke.deltakerregler:
        if isinstance(regel, Engangsfrist):
            dager.append(MAKS_DAGER if regel.innstilling else regel.dager)
        elif isinstance(regel, Periodefrist):
            siste = regel.maneder * 31 if regel.med_siste_delperiode else 0
            dager.append(siste + (366 if regel.fast_dato else regel.dager_etter))
        else:  # a calendar rule's last period can end up to a year after the end
            dager.append(366 + (366 if regel.fast_dato else regel.dager_etter))
    return max(dager)


def tittel(type_: str) -> str:
    """Return the words for a frist type (the type itself if it is unknown)."""
    return TITLER.get(type_, type_)
