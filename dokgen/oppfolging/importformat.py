"""Read a deltaker list in one of NAV's shapes into rows of the register's fields.

There is no API to NAV: people export or copy the list. Three shapes are read:

- NAV's deltaker JSON (``{"deltakerliste": …, "deltakere": [ … ]}``, or the bare list of
  deltakere), :mod:`.importjson`;
- the coordinator list as CSV, separated by ``;`` or ``,``, and the same list as
  tab-separated text copied from the browser or saved by a spreadsheet, :mod:`.importtabell`.

Every row is checked and every row's errors are returned at once, so a preview can show
them all; a problem with the file as a whole raises. Text is read as UTF-8 (a BOM allowed),
as UTF-16 when a BOM says so (a spreadsheet's "Unicode text"), and otherwise as Windows-1252,
which Norwegian Excel still writes its CSV in.

No error repeats a fødselsnummer, nor a cell that could hold one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dokgen.errors import FieldError, InputInvalidError, InputUnreadableError, PayloadTooLargeError
from dokgen.oppfolging.importjson import FELTER as FELTER_JSON
from dokgen.oppfolging.importjson import les_deltakere
from dokgen.oppfolging.importrad import (
    Adresse,
    Importrad,
    Lest,
    Radfeil,
    VeilederNav,
    finn_dobbelte,
)
from dokgen.oppfolging.importtabell import les_tabell, skilletegn

__all__ = [
    "FORMAT_CSV",
    "FORMAT_JSON",
    "FORMAT_TSV",
    "MAKS_BYTE",
    "MAKS_RADER",
    "Adresse",
    "Importrad",
    "Importresultat",
    "Radfeil",
    "VeilederNav",
    "les",
    "les_tekst",
]

FORMAT_JSON, FORMAT_CSV, FORMAT_TSV = "json", "csv", "tsv"
MAKS_BYTE = 5 * 1024 * 1024
MAKS_RADER = 10_000

_JSON_TYPER = {"application/json", "text/json"}
# Browsers on Windows send a .csv file as Excel's type.
_CSV_TYPER = {"text/csv", "application/csv", "application/vnd.ms-excel"}
_TSV_TYPER = {"text/tab-separated-values"}
_GJETT_TYPER = {"text/plain", "application/octet-stream", ""}
_UTF16 = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}


@dataclass(frozen=True)
class Importresultat:
    """What a file held: the rows without errors, every row's errors, the fields of
    :class:`Importrad` the format carries, and the format read (``json``, ``csv``, ``tsv``).

    A row with an error is not in ``rader``; ``feil`` says why, by its row number. A field not
    in ``felter`` is not in the file at all: it tells "not given" from "changed".
    ``fodselsnumre`` holds every valid fødselsnummer of the file, rows with errors included
    (an import does not call a deltaker missing from a file whose row for them is wrong).
    """

    rader: list[Importrad]
    feil: list[Radfeil]
    felter: frozenset[str]
    format: str
    fodselsnumre: frozenset[str] = field(default=frozenset(), repr=False)


def les(
    innhold: bytes,
    mediatype: str,
    *,
    tillat_syntetiske: bool,
    maks_byte: int = MAKS_BYTE,
    maks_rader: int = MAKS_RADER,
) -> Importresultat:
    """Read an uploaded deltaker list.

    Args:
        innhold: the file as uploaded.
        mediatype: its media type: ``application/json``, ``text/csv`` or
            ``text/tab-separated-values``; for ``text/plain`` (or none) the content decides.
        tillat_syntetiske: accept synthetic test fødselsnumre (Tenor +80, NAV +40).
        maks_byte: the largest file read.
        maks_rader: the most deltakere read from one file.

    Returns:
        The rows, their errors and the fields the format carries.

    Raises:
        PayloadTooLargeError: the file is larger than ``maks_byte``.
        InputUnreadableError: not text, not JSON where JSON was said, or an unknown media type.
        InputInvalidError: the file's shape is wrong (a required column or the list of
            deltakere missing, more than ``maks_rader`` rows).
    """
    if len(innhold) > maks_byte:
        raise PayloadTooLargeError(f"filen er større enn {_storrelse(maks_byte)}; del den opp")
    mediatype = mediatype.split(";", 1)[0].strip().lower()
    if mediatype not in _JSON_TYPER | _CSV_TYPER | _TSV_TYPER | _GJETT_TYPER:
        raise InputUnreadableError(
            "filtypen kan ikke leses: last opp NAVs deltakerliste som JSON, eller "
            "koordinatorlisten som CSV"
        )
    tekst = _dekod(innhold)
    if mediatype in _JSON_TYPER:
        format_ = FORMAT_JSON
    elif mediatype in _TSV_TYPER:
        format_ = FORMAT_TSV
    elif mediatype in _CSV_TYPER:
        format_ = FORMAT_CSV
    else:
        format_ = _gjett(tekst)
    return _les(tekst, format_, tillat_syntetiske=tillat_syntetiske, maks_rader=maks_rader)


def les_tekst(
    tekst: str,
    *,
    tillat_syntetiske: bool,
    maks_tegn: int = MAKS_BYTE,
    maks_rader: int = MAKS_RADER,
) -> Importresultat:
    """Read a deltaker list pasted as text: the table copied from NAV's page (tab-separated),
    CSV, or NAV's JSON; the text decides which.

    Args:
        tekst: the pasted text.
        tillat_syntetiske: accept synthetic test fødselsnumre (Tenor +80, NAV +40).
        maks_tegn: the longest text read, in characters.
        maks_rader: the most deltakere read at once.

    Returns:
        The rows, their errors and the fields the format carries.

    Raises:
        PayloadTooLargeError: the text is longer than ``maks_tegn``.
        InputUnreadableError: JSON that is not valid.
        InputInvalidError: a required column or the list of deltakere is missing, or there
            are more than ``maks_rader`` rows.
    """
    if len(tekst) > maks_tegn:
        raise PayloadTooLargeError(f"teksten er lengre enn {maks_tegn} tegn; del den opp")
    tekst = tekst.removeprefix("\ufeff")
    format_ = _gjett(tekst)
    return _les(tekst, format_, tillat_syntetiske=tillat_syntetiske, maks_rader=maks_rader)


def _les(tekst: str, format_: str, *, tillat_syntetiske: bool, maks_rader: int) -> Importresultat:
    if format_ == FORMAT_JSON:
        deltakere = _deltakere(_json(tekst), maks_rader)
        lest, feil = les_deltakere(deltakere, tillat_syntetiske=tillat_syntetiske)
        felter, fnr_felt = FELTER_JSON, "fodselsnummer"
    else:
        skille = "\t" if format_ == FORMAT_TSV else skilletegn(tekst)
        format_ = FORMAT_TSV if skille == "\t" else FORMAT_CSV
        lest, feil, felter = les_tabell(
            tekst, skille=skille, tillat_syntetiske=tillat_syntetiske, maks_rader=maks_rader
        )
        fnr_felt = "Fødselsnummer"
    return _resultat(lest, feil, felter, format_, fnr_felt)


def _resultat(
    lest: list[Lest], feil: list[Radfeil], felter: frozenset[str], format_: str, fnr_felt: str
) -> Importresultat:
    alle = sorted([*feil, *finn_dobbelte(lest, fnr_felt)], key=lambda f: f.radnr)
    med_feil = {f.radnr for f in alle}
    rader = [x.rad for x in lest if x.rad is not None and x.radnr not in med_feil]
    fodselsnumre = frozenset(x.fodselsnummer for x in lest if x.fodselsnummer is not None)
    return Importresultat(
        rader=rader, feil=alle, felter=felter, format=format_, fodselsnumre=fodselsnumre
    )


def _storrelse(byte: int) -> str:
    if byte >= 1024 * 1024:
        return f"{byte / (1024 * 1024):.3g} MB"
    return f"{max(byte // 1024, 1)} kB"


def _dekod(innhold: bytes) -> str:
    """Decode a file: UTF-16 by its BOM, else UTF-8 (a BOM allowed), else Windows-1252."""
    if (codec := _UTF16.get(innhold[:2])) is not None:
        try:
            return innhold[2:].decode(codec)
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in innhold:
        try:
            return innhold.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return innhold.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise InputUnreadableError(
        "filen er ikke tekst (UTF-8 eller Windows-1252): er det et regneark? Lagre det som "
        "CSV (semikolonseparert) og last opp den filen"
    )


def _gjett(tekst: str) -> str:
    """Tell JSON, tab-separated text and CSV apart by the text itself."""
    start = tekst.lstrip()
    if start.startswith(("{", "[")):
        return FORMAT_JSON
    return FORMAT_TSV if skilletegn(start) == "\t" else FORMAT_CSV


def _avvis_konstant(navn: str) -> Any:
    raise ValueError(navn)


def _json(tekst: str) -> Any:
    try:
        return json.loads(tekst, parse_constant=_avvis_konstant)
    except json.JSONDecodeError as exc:
        raise InputUnreadableError(
            f"filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno})"
        ) from None
    except ValueError:  # NaN or Infinity, or a number of thousands of digits
        raise InputUnreadableError("filen er ikke gyldig JSON: et tall er ugyldig") from None
    except RecursionError:
        raise InputUnreadableError("filen er ikke gyldig JSON: for mange nivåer") from None


def _deltakere(data: Any, maks_rader: int) -> list[Any]:
    """Return the list of deltakere of NAV's list, or of a bare list."""
    deltakere = data.get("deltakere") if isinstance(data, dict) else data
    if not isinstance(deltakere, list):
        melding = "fant ingen liste «deltakere»: last opp deltakerlisten slik NAV gir den ut"
        raise InputInvalidError([FieldError("deltakere", melding)])
    if len(deltakere) > maks_rader:
        melding = (
            f"filen har {len(deltakere)} deltakere; høyst {maks_rader} kan leses inn om gangen"
        )
        raise InputInvalidError([FieldError("deltakere", melding)])
    return deltakere
