"""The fields of an organisation's settings form: where each is kept in the settings, how it
is asked for, and how a value is checked (bokmål, saying what to write) and stored."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ehf.identifiers import (
    IdentInvalidError,
    validate_deres_referanse,
    validate_kid,
    validate_kontonr,
    validate_orgnr,
)
from ehf.rules import REGELSETT

JA, NEI = "ja", "nei"
MVA_KATEGORIER = (
    ("E", "Fritatt (E) – arbeidsmarkedstiltak"),
    ("S", "Standard sats (S)"),
    ("Z", "Nullsats (Z)"),
    ("O", "Utenfor merverdiavgiftsområdet (O)"),
    ("AE", "Omvendt avgiftsplikt (AE)"),
)
_KONTROLLTEGN = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Felt:
    """One field of the settings form: where it is kept and how it is asked for."""

    sti: str  # the path in the organisation's innstillinger, e.g. "selger.adresse.gate"
    etikett: str
    hjelp: str | None = None
    art: str = "tekst"  # "tekst", "janei" or "valg"
    valg: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """Return the HTML id of the field's input."""
        return "inn-" + self.sti.replace(".", "-")


def _adresse(hvem: str) -> tuple[Felt, ...]:
    return (
        Felt(f"{hvem}.adresse.gate", "Gateadresse eller postboks"),
        Felt(f"{hvem}.adresse.postnummer", "Postnummer", "4 siffer for norske adresser."),
        Felt(f"{hvem}.adresse.poststed", "Poststed"),
        Felt(f"{hvem}.adresse.land", "Land", "Landkode med to bokstaver, NO for Norge."),
    )


SELGER = (
    *_adresse("selger"),
    Felt(
        "selger.mva_registrert",
        "Registrert i Merverdiavgiftsregisteret?",
        "Ja gir mva-nummeret (org.nr. + MVA) på fakturaene.",
        "janei",
    ),
    Felt(
        "selger.foretaksregisteret",
        "Registrert i Foretaksregisteret?",
        "Aksjeselskaper og andre foretak i registeret skal ha «Foretaksregisteret» på fakturaen.",
        "janei",
    ),
    Felt("selger.kontonummer", "Kontonummer", "11 siffer, f.eks. 1503.12.34562."),
    Felt(
        "selger.kid",
        "KID",
        "Valgfritt. Et fast KID-nummer kjøperen skal betale med (2–25 siffer med "
        "kontrollsiffer, MOD10 eller MOD11). Tomt: fakturaene har ingen KID.",
    ),
    Felt("selger.kontakt.navn", "Kontaktperson eller avdeling", "Valgfritt."),
    Felt("selger.kontakt.telefon", "Telefon", "Valgfritt."),
    Felt("selger.kontakt.epost", "E-post", "Valgfritt, f.eks. faktura@eksempel.no."),
)
AVTALE = (
    Felt(
        "regelsett",
        "Regelsett (avtale)",
        "Reglene timene faktureres etter.",
        "valg",
        tuple((navn, f"{r.beskrivelse} ({navn})") for navn, r in sorted(REGELSETT.items())),
    ),
    Felt("timepris", "Timepris i kroner", "Uten mva, f.eks. 1150,00."),
    Felt("mva.kategori", "Mva-kategori", None, "valg", MVA_KATEGORIER),
    Felt("mva.sats", "Mva-sats i prosent", "0 for fritatt, 25 for standard sats."),
    Felt(
        "mva.fritaksgrunn",
        "Fritaksgrunn",
        "Påkrevd for kategori E, f.eks. «Arbeidsmarkedstiltak, jf. merverdiavgiftsloven § 3-4».",
    ),
    Felt("deres_referanse", "Deres referanse", "NAVs referanse, f.eks. A123456. Valgfritt."),
    Felt("bestillingsnummer", "Bestillingsnummer", "Valgfritt."),
)
KJOPER = (
    Felt("kjoper.navn", "Navn", "F.eks. NAV Tiltak Oslo."),
    Felt("kjoper.orgnr", "Organisasjonsnummer", "9 siffer."),
    *_adresse("kjoper"),
)
FELTER = (*SELGER, *AVTALE, *KJOPER)
ETIKETT = {f.sti: f for f in FELTER}


def _tekst(verdi: str, maks: int = 200) -> str | None:
    if len(verdi) > maks:
        return f"kan ha høyst {maks} tegn"
    return (
        "kan ikke inneholde linjeskift eller kontrolltegn" if _KONTROLLTEGN.search(verdi) else None
    )


def _ident(check: Callable[[str], str]) -> Callable[[str], str | None]:
    def sjekk(verdi: str) -> str | None:
        try:
            check(verdi)
        except IdentInvalidError as exc:
            return str(exc)
        return None

    return sjekk


def _tall(minst: Decimal, hoyst: Decimal, eksempel: str) -> Callable[[str], str | None]:
    def sjekk(verdi: str) -> str | None:
        try:
            tall = Decimal(verdi.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return f"skriv et tall, f.eks. {eksempel}"
        if not tall.is_finite() or not minst <= tall <= hoyst:
            return f"må være mellom {minst} og {hoyst}"
        exponent = tall.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            return "kan ha høyst to desimaler"
        return None

    return sjekk


def _valg(felt: Felt) -> Callable[[str], str | None]:
    koder = [k for k, _ in felt.valg]
    return lambda verdi: None if verdi in koder else "velg en av mulighetene i listen"


def _postnummer(verdi: str) -> str | None:
    return None if re.fullmatch(r"[0-9]{4}", verdi) else "skriv 4 siffer, f.eks. 0554"


def _land(verdi: str) -> str | None:
    return None if re.fullmatch(r"[A-Z]{2}", verdi) else "skriv to bokstaver, f.eks. NO"


def _epost(verdi: str) -> str | None:
    ok = re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", verdi)
    return None if ok else "skriv en e-postadresse, f.eks. faktura@eksempel.no"


def _telefon(verdi: str) -> str | None:
    ok = re.fullmatch(r"\+?[0-9 ]{8,20}", verdi)
    return None if ok else "skriv et telefonnummer med 8 siffer, f.eks. 22 11 22 33"


_SJEKK: dict[str, Callable[[str], str | None]] = {
    "selger.kontonummer": _ident(validate_kontonr),
    "selger.kid": _ident(validate_kid),
    "kjoper.orgnr": _ident(validate_orgnr),
    "deres_referanse": _ident(validate_deres_referanse),
    "timepris": _tall(Decimal(0), Decimal(100000), "1150,00"),
    "mva.sats": _tall(Decimal(0), Decimal(100), "25"),
    "selger.kontakt.epost": _epost,
    "selger.kontakt.telefon": _telefon,
    "selger.adresse.land": _land,
    "kjoper.adresse.land": _land,
}


def normalisert(felt: Felt, verdi: str) -> Any:
    """Return a valid field value as stored: ``ja``/``nei`` as bool, numbers with a point."""
    if felt.art == "janei":
        return verdi == JA
    if felt.sti in ("timepris", "mva.sats"):
        return format(Decimal(verdi.replace(",", ".").replace(" ", "")), "f")
    if felt.sti == "selger.kontonummer":
        return validate_kontonr(verdi)
    if felt.sti == "kjoper.orgnr":
        return validate_orgnr(verdi)
    return verdi


def feltfeil(felt: Felt, verdier: Mapping[str, str]) -> str | None:
    """Return what is wrong with a field's non-empty value and what to write (bokmål), or None.

    Args:
        verdier: every posted field (a postnummer is checked against its address's land).
    """
    verdi = verdier[felt.sti]
    if felt.art == "janei":
        return None if verdi in (JA, NEI) else "velg ja eller nei"
    if felt.art == "valg":
        return _valg(felt)(verdi)
    if feil := _tekst(verdi):
        return feil
    if felt.sti.endswith(".postnummer"):
        land = verdier.get(felt.sti.replace(".postnummer", ".land")) or "NO"
        return _postnummer(verdi) if land == "NO" else None
    sjekk = _SJEKK.get(felt.sti)
    return sjekk(verdi) if sjekk else None
