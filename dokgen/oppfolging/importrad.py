"""One row of an imported deltaker list, its errors and the checks both file formats share.

The row has the register's field names (``shared/kontrakt/deltaker.json``); a format sets
only the fields it carries and says which in :class:`~.importformat.Importresultat`'s
``felter``. No error text repeats a fødselsnummer or a cell that could hold one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from dokgen.oppfolging.kodeverk import (
    ARSAK_FRA_ORD,
    ARSAK_MED_BESKRIVELSE,
    ARSAKER,
    STATUS_FRA_ORD,
    STATUSER,
)
from ehf.identifiers import IdentInvalidError, mask_person_idents, validate_person_ident

# The statuses an arrangør meets most, first in the list an error offers.
_VANLIGE = (
    "DELTAR",
    "VENTER_PA_OPPSTART",
    "HAR_SLUTTET",
    "FULLFORT",
    "AVBRUTT",
    "IKKE_AKTUELL",
    "SOKT_INN",
    "VURDERES",
    "VENTELISTE",
    "FEILREGISTRERT",
)
STATUSORD = ", ".join(STATUSER[k] for k in (*_VANLIGE, *(k for k in STATUSER if k not in _VANLIGE)))
ARSAKSORD = ", ".join(ARSAKER.values())

MAKS_TEKST = 200
MAKS_BESTILLING = 4000
_EPOST = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NORSK_DATO = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Separators people write inside a fødselsnummer (158585 45606, 158585-45606).
_FNR_SKILLE = re.compile(r"[\s.\-\u00a0]")
# A word may be quoted back in an error only when it cannot be (part of) a fødselsnummer.
_TRYGT_ORD = re.compile(r"[^\W\d]+(?:[ \-:][^\W\d]+)*")


@dataclass(frozen=True)
class Adresse:
    """A deltaker's postal address."""

    gate: str | None
    postnummer: str | None
    poststed: str | None


@dataclass(frozen=True)
class VeilederNav:
    """The deltaker's veileder at NAV, as NAV's list gives them."""

    navn: str
    telefon: str | None = None
    epost: str | None = None


@dataclass(frozen=True)
class Importrad:
    """One deltaker as an imported file gives them, normalised to the register's fields.

    ``radnr`` is the row as a person counts it in the file: for CSV and pasted text the line
    number in the file, the header being line 1 (the first deltaker is usually row 2); for
    NAV's JSON the deltaker's place in ``deltakere``, the first being 1. Fields the format
    does not carry are None (see ``Importresultat.felter``). ``status``, ``aarsak`` and
    ``gyldig_fra`` are NAV's codes and the date the status took effect; ``gyldig_fra`` is
    None when the file does not say (the coordinator list), and the service uses today.

    A list writes the given names together ("Berg, Jon Erik"): the first word becomes
    ``fornavn`` and the rest ``mellomnavn``, so compare the two together with stored data.
    """

    radnr: int
    fodselsnummer: str = field(repr=False)
    fornavn: str
    etternavn: str
    status: str
    mellomnavn: str | None = None
    telefon: str | None = None
    epost: str | None = None
    adresse: Adresse | None = None
    adressebeskyttet: bool | None = None
    oppstartdato: dt.date | None = None
    sluttdato: dt.date | None = None
    aarsak: str | None = None
    beskrivelse: str | None = None
    gyldig_fra: dt.date | None = None
    soknadsdato: dt.date | None = None
    bestilling_fra_nav: str | None = None
    innsokende_nav_kontor: str | None = None
    veileder_nav: VeilederNav | None = None
    veileder_arrangor_navn: str | None = None
    deltakelsesprosent: Decimal | None = None
    dager_per_uke: Decimal | None = None


@dataclass(frozen=True)
class Radfeil:
    """One problem in one row: the row number (see :class:`Importrad`), the column or JSON
    field as the file names it, and a bokmål message that says what to write instead."""

    radnr: int
    felt: str
    melding: str

    def __post_init__(self) -> None:
        # A last guard: the messages are written without cell content that could be one.
        object.__setattr__(self, "felt", mask_person_idents(self.felt))
        object.__setattr__(self, "melding", mask_person_idents(self.melding))

    def __str__(self) -> str:
        return f"rad {self.radnr}, {self.felt}: {self.melding}"


@dataclass(frozen=True)
class Lest:
    """A row as a reader read it: the row, or None when it has errors, and its fødselsnummer
    when that one is valid (to find the same person twice in a file)."""

    radnr: int
    fodselsnummer: str | None = field(repr=False)
    rad: Importrad | None


def _brett(tekst: str) -> str:
    """Fold a word for lookup: lower case, single spaces, æ→ae ø→o å→a."""
    ord_ = " ".join(tekst.lower().split())
    return ord_.replace("æ", "ae").replace("ø", "o").replace("å", "a")


_STATUS = {_brett(ord_): kode for ord_, kode in STATUS_FRA_ORD.items()}
_ARSAK = {_brett(ord_): kode for ord_, kode in ARSAK_FRA_ORD.items()}
_ANNET = re.compile(r"annet\s*(?::|-|–)\s*(.*)", re.IGNORECASE | re.DOTALL)


def _sitat(verdi: str) -> str:
    """Quote a cell in an error («Holder på»), or nothing when it might hold digits."""
    verdi = " ".join(verdi.split())
    return f" «{verdi}»" if len(verdi) <= 40 and _TRYGT_ORD.fullmatch(verdi) else ""


@dataclass
class Radsjekk:
    """Check one row's values, collecting a :class:`Radfeil` for each problem."""

    radnr: int
    tillat_syntetiske: bool
    feil: list[Radfeil] = field(default_factory=list)

    def meld(self, felt: str, melding: str) -> None:
        """Record one problem with a field of this row."""
        self.feil.append(Radfeil(self.radnr, felt, melding))

    def fodselsnummer(self, felt: str, verdi: str | None) -> str | None:
        """Return the fødselsnummer as 11 digits, or None (and an error) when invalid."""
        tall = _FNR_SKILLE.sub("", verdi or "")
        if not tall:
            self.meld(felt, "fødselsnummeret mangler")
            return None
        if len(tall) == 10 and tall.isdigit():
            self.meld(
                felt,
                "fødselsnummeret har 10 siffer, ikke 11: har regnearket tatt bort en null "
                "foran? Formater kolonnen som tekst og skriv nummeret på nytt",
            )
            return None
        try:
            validate_person_ident(tall, allow_synthetic=self.tillat_syntetiske)
        except IdentInvalidError as exc:
            self.meld(felt, f"fødselsnummeret er ugyldig ({exc})")
            return None
        return tall

    def tekst(
        self, felt: str, verdi: str | None, *, pakrevd: bool = False, maks: int = MAKS_TEKST
    ) -> str | None:
        """Return the text with single spaces, None when empty (an error if required)."""
        tekst = " ".join((verdi or "").split()) or None
        if tekst is None and pakrevd:
            self.meld(felt, "mangler; fyll ut feltet")
        elif tekst is not None and len(tekst) > maks:
            self.meld(felt, f"er for lang: høyst {maks} tegn")
            return None
        return tekst

    def navn(self, felt: str, verdi: str | None, *, pakrevd: bool = False) -> str | None:
        """Return a name, None when empty or when it holds digits (with an error)."""
        navn = self.tekst(felt, verdi, pakrevd=pakrevd)
        if navn is not None and any(c.isdigit() for c in navn):
            self.meld(felt, "et navn kan ikke inneholde sifre; står noe i feil kolonne?")
            return None
        return navn

    def epost(self, felt: str, verdi: str | None) -> str | None:
        """Return an e-mail address, None when empty or invalid (with an error)."""
        epost = self.tekst(felt, verdi)
        if epost is not None and not _EPOST.fullmatch(epost):
            self.meld(felt, "e-postadressen er ugyldig; skriv den som navn@eksempel.no")
            return None
        return epost

    def postnummer(self, felt: str, verdi: str | None) -> str | None:
        """Return a 4-digit postnummer, None when empty or invalid (with an error)."""
        nummer = self.tekst(felt, verdi)
        if nummer is not None and not (len(nummer) == 4 and nummer.isascii() and nummer.isdigit()):
            self.meld(felt, "postnummeret må være fire siffer, f.eks. 0155")
            return None
        return nummer

    def dato(self, felt: str, verdi: str | None, *, norsk: bool) -> dt.date | None:
        """Return a date: ``dd.mm.åååå`` (or ``åååå-mm-dd``) when ``norsk``, else ISO 8601 with
        or without a time of day (the time is dropped). None when empty or invalid."""
        tekst = (verdi or "").strip()
        if not tekst:
            return None
        match = _NORSK_DATO.fullmatch(tekst) if norsk else None
        try:
            if match:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
            if _ISO_DATO.fullmatch(tekst[:10]):
                dato = dt.date.fromisoformat(tekst[:10])
                dt.datetime.fromisoformat(tekst)  # the time of day, if any, must be one too
                return dato
        except ValueError:
            if match or not _finnes(tekst[:10]):
                self.meld(felt, "datoen finnes ikke i kalenderen; sjekk dag og måned")
                return None
        if norsk:
            self.meld(felt, "skriv datoen som dd.mm.åååå, f.eks. 02.03.2026")
        else:
            self.meld(felt, "skriv datoen som åååå-mm-dd, f.eks. 2026-03-02")
        return None

    def periode(self, felt: str, oppstart: dt.date | None, slutt: dt.date | None) -> None:
        """Check that the sluttdato is not before the oppstartdato."""
        if oppstart is not None and slutt is not None and slutt < oppstart:
            self.meld(felt, "sluttdatoen er før oppstartsdatoen; sjekk begge datoene")

    def status_ord(self, felt: str, verdi: str | None) -> str | None:
        """Return the status code for the words NAV's list shows ("Deltar", "Har sluttet")."""
        tekst = (verdi or "").strip()
        kode = _STATUS.get(_brett(tekst))
        if kode is None:
            hva = f"ukjent status{_sitat(tekst)}" if tekst else "statusen mangler"
            self.meld(felt, f"{hva} — bruk en av: {STATUSORD}")
        return kode

    def arsak_ord(self, felt: str, verdi: str | None) -> tuple[str | None, str | None]:
        """Return the årsak code and description for words such as "Fått jobb" or
        "Annet: flyttet" (empty: no årsak)."""
        tekst = " ".join((verdi or "").split())
        if not tekst:
            return None, None
        if (kode := _ARSAK.get(_brett(tekst))) is not None:
            return kode, None
        if annet := _ANNET.fullmatch(tekst):
            return ARSAK_MED_BESKRIVELSE, self.tekst(felt, annet[1])
        self.meld(felt, f"ukjent årsak{_sitat(tekst)} — bruk en av: {ARSAKSORD}")
        return None, None

    def status_kode(self, felt: str, kode: str) -> str | None:
        """Return a status code of NAV's (``DELTAR`` …), None when unknown (with an error)."""
        if kode in STATUSER:
            return kode
        self.meld(felt, f"ukjent statuskode{_sitat(kode)}; NAVs koder er {', '.join(STATUSER)}")
        return None

    def arsak_kode(self, felt: str, kode: str) -> str | None:
        """Return an årsak code of NAV's (``FATT_JOBB`` …), None when unknown (with an error)."""
        if kode in ARSAKER:
            return kode
        self.meld(felt, f"ukjent årsakskode{_sitat(kode)}; NAVs koder er {', '.join(ARSAKER)}")
        return None

    def beskrivelse(self, felt: str, aarsak: str | None, verdi: str | None) -> str | None:
        """Return the description, which only the årsak "Annet" may have."""
        beskrivelse = self.tekst(felt, verdi)
        if beskrivelse is not None and aarsak != ARSAK_MED_BESKRIVELSE:
            self.meld(felt, "en beskrivelse hører bare til årsaken «Annet»; fjern den")
            return None
        return beskrivelse


def _finnes(iso: str) -> bool:
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


def finn_dobbelte(lest: list[Lest], felt: str) -> list[Radfeil]:
    """Return an error for each row whose fødselsnummer another row of the file has too."""
    rader: dict[str, list[int]] = {}
    for rad in lest:
        if rad.fodselsnummer is not None:
            rader.setdefault(rad.fodselsnummer, []).append(rad.radnr)
    feil = []
    for radnr in (nr for nr in rader.values() if len(nr) > 1):
        for n in radnr:
            andre = ", ".join(str(m) for m in radnr if m != n)
            melding = f"samme fødselsnummer står også på rad {andre}; ta med deltakeren én gang"
            feil.append(Radfeil(n, felt, melding))
    return feil
