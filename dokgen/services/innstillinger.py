"""An organisation's settings: the seller on its invoices, the agreement's defaults and the
access point — and what an invoice still needs before the organisation can send one.

The seller's name and organisasjonsnummer come from the organisation register (``dokgen org
lag``), never from the settings form; everything else an invoice's ``selger`` needs (address,
VAT status, Foretaksregisteret, kontonummer, contact) is kept here. :func:`selger` is the one
source of the seller data that invoices take.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from dokgen.audit import logg
from dokgen.crypto import encrypt
from dokgen.db import Organisasjon
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.services import Aktor, Deps
from dokgen.services import aksesspunkt as ap
from ehf.grunnlag import Kjoper, Mva, Selger, sti
from ehf.identifiers import (
    IdentInvalidError,
    validate_deres_referanse,
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
_TOKEN = re.compile(rf"[\x21-\x7e]{{1,{ap.MAKS_TOKEN}}}")


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
_ETIKETT = {f.sti: f for f in FELTER}
TILGANGSFELT = ("transport", "aksesspunkt_url", "aksesspunkt_token")


@dataclass(frozen=True)
class Mangel:
    """One thing an invoice still needs, with the field to fill in."""

    sti: str
    melding: str


@dataclass(frozen=True)
class Organisasjonsdata:
    """The settings page: the register's name and number, the fields as text, the access
    point (never its token), and what invoicing still needs."""

    navn: str
    orgnr: str
    verdier: dict[str, str]
    transport: str
    aksesspunkt_url: str
    har_token: bool
    instansens_aksesspunkt: bool
    mangler_selger: list[Mangel]
    mangler_avtale: list[Mangel]


def _org(session: Session, aktor: Aktor) -> Organisasjon:
    org = session.get(Organisasjon, aktor.org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    return org


def _hent(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _som_tekst(value: Any) -> str:
    if isinstance(value, bool):
        return JA if value else NEI
    return "" if value is None else str(value)


def selger(org: Organisasjon) -> dict[str, Any]:
    """Return the seller of the organisation's invoices (the fakturagrunnlag's ``selger``):
    name and orgnr from the register, the rest from the settings — possibly incomplete, see
    :func:`mangler`."""
    lagret = (org.innstillinger or {}).get("selger") or {}
    return {**lagret, "navn": org.navn, "orgnr": org.orgnr}


def selger_for(deps: Deps, org_id: int) -> dict[str, Any]:
    """Return :func:`selger` of the organisation with this id.

    Raises:
        RecordNotFoundError: no such organisation.
    """
    with deps.sessions() as session:
        org = session.get(Organisasjon, org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        return selger(org)


def _modellfeil(model: type[BaseModel], data: Any, prefix: str) -> list[Mangel]:
    data = dict(data) if isinstance(data, dict) else {}
    if "adresse" in model.model_fields:  # name each missing address field, not "adresse"
        data["adresse"] = data.get("adresse") or {}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [_mangel(f"{prefix}.{sti(e['loc'])}", e["type"]) for e in exc.errors()]
    return []


def _mangel(path: str, art: str) -> Mangel:
    felt = _ETIKETT.get(path)
    hva = felt.etikett.rstrip("?") if felt else path
    hvor = "kjøper" if path.startswith("kjoper.") else ("selger" if "selger." in path else "")
    navn = f"{hva} ({hvor})" if hvor else hva
    if art == "missing":
        return Mangel(path, f"{navn}: fyll inn")
    return Mangel(path, f"{navn}: har en ugyldig verdi, rett den")


def mangler(org: Organisasjon) -> tuple[list[Mangel], list[Mangel]]:
    """Return what invoicing still needs: the seller's fields (no invoice without them), and
    the agreement's (needed for invoices from a timeliste; a fakturagrunnlag may give them)."""
    data = org.innstillinger or {}
    selgerfeil = _modellfeil(Selger, selger(org), "selger")
    avtale = [Mangel(k, _mangel(k, "missing").melding) for k in ("regelsett", "timepris")]
    avtale = [m for m in avtale if data.get(m.sti) in (None, "")]
    avtale += _modellfeil(Mva, data.get("mva"), "mva")
    mva = data.get("mva") or {}
    if isinstance(mva, dict) and mva.get("kategori") == "E" and not mva.get("fritaksgrunn"):
        avtale.append(Mangel("mva.fritaksgrunn", "Fritaksgrunn: fyll inn (påkrevd for kategori E)"))
    avtale += _modellfeil(Kjoper, data.get("kjoper"), "kjoper")
    return selgerfeil, avtale


def innstillinger(deps: Deps, aktor: Aktor) -> Organisasjonsdata:
    """Return the organisation's settings for the settings page (admins only)."""
    aktor.krev("admin")
    with deps.sessions() as session:
        org = _org(session, aktor)
        data: dict[str, Any] = dict(org.innstillinger or {})
        mangler_selger, mangler_avtale = mangler(org)
        navn, orgnr = org.navn, org.orgnr
    verdier = {f.sti: _som_tekst(_hent(data, f.sti)) for f in FELTER}
    verdier["selger.adresse.land"] = verdier["selger.adresse.land"] or "NO"
    verdier["kjoper.adresse.land"] = verdier["kjoper.adresse.land"] or "NO"
    valgt = ap.valgt(deps.settings, data)
    return Organisasjonsdata(
        navn=navn,
        orgnr=orgnr,
        verdier=verdier,
        transport=valgt,
        aksesspunkt_url=str(data.get("aksesspunkt_url") or "") if valgt == ap.EGEN else "",
        har_token=bool(data.get("aksesspunkt_token")),
        instansens_aksesspunkt=bool(deps.settings.aksesspunkt_url),
        mangler_selger=mangler_selger,
        mangler_avtale=mangler_avtale,
    )


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
    "kjoper.orgnr": _ident(validate_orgnr),
    "deres_referanse": _ident(validate_deres_referanse),
    "timepris": _tall(Decimal(0), Decimal(100000), "1150,00"),
    "mva.sats": _tall(Decimal(0), Decimal(100), "25"),
    "selger.kontakt.epost": _epost,
    "selger.kontakt.telefon": _telefon,
    "selger.adresse.land": _land,
    "kjoper.adresse.land": _land,
}


def _normalisert(felt: Felt, verdi: str) -> Any:
    if felt.art == "janei":
        return verdi == JA
    if felt.sti in ("timepris", "mva.sats"):
        return str(Decimal(verdi.replace(",", ".").replace(" ", "")))
    if felt.sti == "selger.kontonummer":
        return validate_kontonr(verdi)
    if felt.sti == "kjoper.orgnr":
        return validate_orgnr(verdi)
    return verdi


def _feltfeil(felt: Felt, verdier: Mapping[str, str]) -> str | None:
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


def _sett(data: dict[str, Any], path: str, value: Any) -> None:
    *hoder, siste = path.split(".")
    for part in hoder:
        barn = data.get(part)
        data[part] = barn = dict(barn) if isinstance(barn, dict) else {}
        data = barn
    if value is None:
        data.pop(siste, None)
    else:
        data[siste] = value


def _lest(skjema: Mapping[str, str]) -> dict[str, str]:
    """Return the posted fields, spaces collapsed; a field not posted at all is left out."""
    verdier = {f.sti: " ".join(str(skjema[f.sti]).split()) for f in FELTER if f.sti in skjema}
    for path in ("selger.adresse.land", "kjoper.adresse.land"):
        if path in verdier:
            verdier[path] = verdier[path].upper()
    return verdier


def _tilgangsfeil(
    deps: Deps, skjema: Mapping[str, str], lagret: Mapping[str, Any]
) -> tuple[list[FieldError], dict[str, Any]]:
    """Check the access-point choice; return the errors and the settings keys to store."""
    transport = str(skjema.get("transport") or "")
    tillatt = [ap.KATALOG, *([ap.INSTANS] if deps.settings.aksesspunkt_url else []), ap.EGEN]
    if transport not in tillatt:
        return [FieldError("transport", "velg hvordan fakturaene skal sendes")], {}
    if transport != ap.EGEN:  # no unused secret is kept
        return [], {"transport": transport, "aksesspunkt_url": None, "aksesspunkt_token": None}
    url = str(skjema.get("aksesspunkt_url") or "").strip()
    token = str(skjema.get("aksesspunkt_token") or "").strip()
    errors = []
    if not url:
        errors.append(FieldError("aksesspunkt_url", "skriv aksesspunktets adresse"))
    elif feil := ap.url_feil(deps.settings, url):
        errors.append(FieldError("aksesspunkt_url", feil))
    beholdt = lagret.get("aksesspunkt_token") if url == lagret.get("aksesspunkt_url") else None
    if token and not _TOKEN.fullmatch(token):
        errors.append(
            FieldError("aksesspunkt_token", "tokenet kan bare ha synlige tegn uten mellomrom")
        )
    elif not token and not beholdt:
        hvorfor = "adressen er endret, så " if lagret.get("aksesspunkt_token") else ""
        errors.append(
            FieldError(
                "aksesspunkt_token", f"{hvorfor}skriv tokenet dere har fått fra aksesspunktet"
            )
        )
    kryptert = encrypt(deps.settings, token) if token else beholdt
    return errors, {"transport": transport, "aksesspunkt_url": url, "aksesspunkt_token": kryptert}


def lagre_innstillinger(deps: Deps, aktor: Aktor, skjema: Mapping[str, str]) -> None:
    """Store the settings form: the fields of :data:`FELTER` that were posted (an empty one
    is removed, one not posted is kept) and the access point (:data:`TILGANGSFELT`); other
    keys of the settings are kept.

    An incomplete form is stored — :func:`mangler` says what invoicing still needs — but
    every value given must be valid.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: every invalid field, with what to write instead.
    """
    aktor.krev("admin")
    verdier = _lest(skjema)
    felter = [f for f in FELTER if f.sti in verdier]
    errors = [
        FieldError(f.sti, feil)
        for f in felter
        if verdier[f.sti] and (feil := _feltfeil(f, verdier))
    ]
    with deps.sessions.begin() as session:
        org = _org(session, aktor)
        data = dict(org.innstillinger or {})
        tilgangsfeil, tilgang = _tilgangsfeil(deps, skjema, data)
        if errors or tilgangsfeil:
            raise InputInvalidError(errors + tilgangsfeil)
        for f in felter:
            _sett(data, f.sti, _normalisert(f, verdier[f.sti]) if verdier[f.sti] else None)
        for key, value in tilgang.items():
            _sett(data, key, value)
        data["selger"] = {**data.get("selger", {}), "navn": org.navn, "orgnr": org.orgnr}
        for tom in ("mva", "kjoper"):
            if not data.get(tom):
                data.pop(tom, None)
        org.innstillinger = data
        logg(session, aktor, "endre_innstillinger", "organisasjon", str(org.id))
