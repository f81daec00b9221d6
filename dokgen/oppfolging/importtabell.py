"""Read NAV's coordinator list as a table: CSV (``;`` or ``,``) or tab-separated text pasted
from the browser or saved by a spreadsheet.

The header names the columns, in any order and matched without regard to case or spaces;
columns not known here are ignored. Row numbers are the file's line numbers, the header's
being 1 (2 when a spreadsheet's ``sep=;`` line comes first).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from dokgen.errors import FieldError, InputInvalidError, InputUnreadableError
from dokgen.oppfolging.importrad import Importrad, Lest, Radfeil, Radsjekk

# Each column by the name the list shows, with the headers that mean it (see _nokkel).
KOLONNER: dict[str, tuple[str, ...]] = {
    "Navn": ("navn",),
    "Fødselsnummer": ("fødselsnummer", "fodselsnummer", "fødselsnr", "fnr"),
    "Søkt inn": ("søktinn", "soktinn", "søknadsdato", "soknadsdato"),
    "Oppstart": ("oppstart", "oppstartsdato", "oppstartdato", "startdato"),
    "Slutt": ("slutt", "sluttdato"),
    "Status": ("status",),
    "Årsak": ("årsak", "arsak", "aarsak"),
    "Veileder": ("veileder",),
}
PAKREVDE = ("Navn", "Fødselsnummer", "Status")
# The fields of Importrad the list always carries, and those each optional column adds.
_ALLTID = frozenset({"fornavn", "mellomnavn", "etternavn", "fodselsnummer", "status"})
_FELTER_FRA = {
    "Søkt inn": {"soknadsdato"},
    "Oppstart": {"oppstartdato"},
    "Slutt": {"sluttdato"},
    "Årsak": {"aarsak", "beskrivelse"},
    "Veileder": {"veileder_arrangor_navn"},
}
_KOLONNE_FOR = {alias: navn for navn, aliaser in KOLONNER.items() for alias in aliaser}
_SEP_LINJE = re.compile(r"sep=(.)\r?\n?")
# A title or a blank line pasted above the header is passed over, up to this many lines.
_LINJER_FOR_OVERSKRIFTEN = 10


def _nokkel(overskrift: str) -> str:
    return re.sub(r"\s+", "", overskrift.lower())


def skilletegn(tekst: str) -> str:
    """Return the separator the first line uses most: tab, semicolon or comma."""
    linje = tekst.lstrip("\r\n").split("\n", 1)[0]
    return max(("\t", ";", ","), key=linje.count)


def _poster(tekst: str, skille: str) -> Iterator[tuple[int, list[str]]]:
    """Yield each record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=skille)
    forrige = 0
    try:
        for celler in reader:
            yield forrige + 1, celler
            forrige = reader.line_num
    except csv.Error:
        raise InputUnreadableError(
            f"kan ikke lese linje {reader.line_num}: en celle er for lang, eller et "
            "anførselstegn er ikke lukket"
        ) from None


def _kolonner(celler: list[str]) -> dict[str, int]:
    kolonner: dict[str, int] = {}
    for i, celle in enumerate(celler):
        navn = _KOLONNE_FOR.get(_nokkel(celle))
        if navn is not None:
            kolonner.setdefault(navn, i)
    return kolonner


def _overskrift(poster: Iterator[tuple[int, list[str]]]) -> tuple[list[str], dict[str, int]]:
    """Return the header and where each known column is, or raise naming those missing."""
    beste: dict[str, int] | None = None
    sett = 0
    for _, celler in poster:
        if not any(c.strip() for c in celler):
            continue
        kolonner = _kolonner(celler)
        if all(navn in kolonner for navn in PAKREVDE):
            return celler, kolonner
        if beste is None or len(kolonner) > len(beste):
            beste = kolonner
        sett += 1
        if kolonner or sett == _LINJER_FOR_OVERSKRIFTEN:
            break  # the header, with a column missing; or no header where one belongs
    if beste is None:
        raise InputInvalidError([FieldError("", "filen er tom")])
    mangler = [navn for navn in PAKREVDE if navn not in beste]
    flertall = "e" if len(mangler) > 1 else ""
    raise InputInvalidError(
        [
            FieldError(
                "",
                f"mangler kolonnen{flertall} {' og '.join(mangler)}: første linje skal være "
                "overskriftene, f.eks. Navn; Fødselsnummer; Søkt inn; Oppstart; Slutt; Status; "
                "Veileder",
            )
        ]
    )


def _navn(sjekk: Radsjekk, celle: str) -> tuple[str | None, str | None, str | None]:
    """Return (fornavn, mellomnavn, etternavn) of "Etternavn, Fornavn Mellomnavn"."""
    etternavn, komma, fornavner = celle.partition(",")
    deler = fornavner.split(maxsplit=1)
    if any(c.isdigit() for c in celle):
        sjekk.meld("Navn", "et navn kan ikke inneholde sifre; står noe i feil kolonne?")
        return None, None, None
    if not komma or not etternavn.strip() or not deler:
        hva = "navnet mangler" if not celle.strip() else "navnet har feil form"
        sjekk.meld("Navn", f"{hva}; skriv det som «Etternavn, Fornavn», f.eks. «Nordmann, Kari»")
        return None, None, None
    mellomnavn = deler[1] if len(deler) > 1 else None
    return (
        sjekk.tekst("Navn", deler[0]),
        sjekk.tekst("Navn", mellomnavn),
        sjekk.tekst("Navn", etternavn),
    )


def _rad(sjekk: Radsjekk, celle: dict[str, str]) -> Lest:
    fnr = sjekk.fodselsnummer("Fødselsnummer", celle["Fødselsnummer"])
    fornavn, mellomnavn, etternavn = _navn(sjekk, celle["Navn"])
    status = sjekk.status_ord("Status", celle["Status"])
    oppstart = sjekk.dato("Oppstart", celle["Oppstart"], norsk=True)
    slutt = sjekk.dato("Slutt", celle["Slutt"], norsk=True)
    sjekk.periode("Slutt", oppstart, slutt)
    soknadsdato = sjekk.dato("Søkt inn", celle["Søkt inn"], norsk=True)
    aarsak, beskrivelse = sjekk.arsak_ord("Årsak", celle["Årsak"])
    veileder = sjekk.tekst("Veileder", celle["Veileder"])
    if sjekk.feil or not (fnr and fornavn and etternavn and status):
        return Lest(sjekk.radnr, fnr, None)
    rad = Importrad(
        radnr=sjekk.radnr,
        fodselsnummer=fnr,
        fornavn=fornavn,
        mellomnavn=mellomnavn,
        etternavn=etternavn,
        status=status,
        aarsak=aarsak,
        beskrivelse=beskrivelse,
        oppstartdato=oppstart,
        sluttdato=slutt,
        soknadsdato=soknadsdato,
        veileder_arrangor_navn=veileder,
    )
    return Lest(sjekk.radnr, fnr, rad)


def les_tabell(
    tekst: str, *, skille: str, tillat_syntetiske: bool, maks_rader: int
) -> tuple[list[Lest], list[Radfeil], frozenset[str]]:
    """Read the coordinator list's rows, checking each one.

    Args:
        tekst: the decoded text (no BOM); CRLF or LF.
        skille: the separator (see :func:`skilletegn`).
        tillat_syntetiske: accept synthetic test fødselsnumre (Tenor +80, NAV +40).
        maks_rader: the most data rows read; more is an error.

    Returns:
        Each data row as read (its row None when it has errors), all errors, and the fields
        of :class:`Importrad` the columns present carry.

    Raises:
        InputInvalidError: a required column is missing, or there are too many rows.
        InputUnreadableError: the text cannot be read as CSV.
    """
    if sep := _SEP_LINJE.match(tekst):  # Excel's "sep=;" line before the header
        skille = sep[1]
    poster = _poster(tekst, skille)
    if sep:
        next(poster)
    overskrift, kolonner = _overskrift(poster)
    gjentatt = [_nokkel(c) for c in overskrift]
    lest: list[Lest] = []
    feil: list[Radfeil] = []
    for radnr, celler in poster:
        if not any(c.strip() for c in celler) or [_nokkel(c) for c in celler] == gjentatt:
            continue
        if len(lest) == maks_rader:
            melding = (
                f"filen har mer enn {maks_rader} rader; del den opp og les inn én del om gangen"
            )
            raise InputInvalidError([FieldError("", melding)])
        celle = {
            navn: celler[kolonner[navn]] if kolonner.get(navn, len(celler)) < len(celler) else ""
            for navn in KOLONNER
        }
        sjekk = Radsjekk(radnr, tillat_syntetiske)
        lest.append(_rad(sjekk, celle))
        feil.extend(sjekk.feil)
    felter = _ALLTID.union(*(_FELTER_FRA[k] for k in _FELTER_FRA if k in kolonner))
    return lest, feil, felter
