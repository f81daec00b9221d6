"""Read NAV's deltaker JSON (the deltakerliste as NAV's tools export it) into import rows.

The shape is NAV's, not ours: its field names (``startDato``, ``navInformasjon``) and the
fields NAV adds later are ignored rather than refused (``extra="ignore"``), so a newer
export still reads. Errors name the field as the file does (``status.aarsak.type``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from dokgen.oppfolging.importrad import (
    MAKS_BESTILLING,
    Adresse,
    Importrad,
    Lest,
    Radfeil,
    Radsjekk,
    VeilederNav,
)

# The fields of Importrad this format carries (all but the arrangør's veileder).
FELTER = frozenset(
    {
        "fornavn",
        "mellomnavn",
        "etternavn",
        "fodselsnummer",
        "telefon",
        "epost",
        "adresse",
        "adressebeskyttet",
        "oppstartdato",
        "sluttdato",
        "status",
        "aarsak",
        "beskrivelse",
        "gyldig_fra",
        "soknadsdato",
        "bestilling_fra_nav",
        "innsokende_nav_kontor",
        "veileder_nav",
        "deltakelsesprosent",
        "dager_per_uke",
    }
)

# pydantic's error types, in words; anything else "har feil form".
_TYPEFEIL = {
    "missing": "mangler",
    "string_type": "skal være tekst i anførselstegn",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "decimal_type": "skal være et tall",
    "decimal_parsing": "skal være et tall",
    "model_type": "skal være et objekt { … }",
    "model_attributes_type": "skal være et objekt { … }",
}


class _Nav(BaseModel):
    model_config = ConfigDict(
        extra="ignore", frozen=True, alias_generator=to_camel, str_strip_whitespace=True
    )


class _Aarsak(_Nav):
    type: str
    beskrivelse: str | None = None


class _Status(_Nav):
    type: str
    endret_dato: str | None = None
    aarsak: _Aarsak | None = None


class _NavVeileder(_Nav):
    navn: str | None = None
    epost: str | None = None
    telefon: str | None = None


class _NavInformasjon(_Nav):
    navkontor: str | None = None
    nav_veileder: _NavVeileder | None = None


class _Adresse(_Nav):
    postnummer: str | None = None
    poststed: str | None = None
    adressenavn: str | None = None


class _DeltakerDelvis(_Nav):
    """What is left of a deltaker whose other fields have type errors: still checked, so
    a row's errors are all reported in one round."""

    fornavn: str | None = None
    mellomnavn: str | None = None
    etternavn: str | None = None
    fodselsnummer: str | None = None
    telefonnummer: str | None = None
    epost: str | None = None
    status: _Status | None = None
    start_dato: str | None = None
    slutt_dato: str | None = None
    deltakelse_prosent: Decimal | None = None
    dager_per_uke: Decimal | None = None
    sokt_inn_dato: str | None = None
    bestilling_tekst: str | None = None
    nav_informasjon: _NavInformasjon | None = None
    adresse: _Adresse | None = None
    adressebeskyttet: bool = False


class _Deltaker(_DeltakerDelvis):
    fornavn: str
    etternavn: str
    fodselsnummer: str
    status: _Status


def _typefeil(radnr: int, exc: ValidationError) -> list[Radfeil]:
    # Only the error's kind and place, never pydantic's message: that one quotes the input.
    return [
        Radfeil(
            radnr,
            ".".join(str(p) for p in e["loc"]) or "deltaker",
            _TYPEFEIL.get(e["type"], "har feil form"),
        )
        for e in exc.errors(include_input=False, include_url=False)
    ]


def _adresse(sjekk: Radsjekk, d: _DeltakerDelvis) -> Adresse | None:
    # A protected address is never kept, whatever the file holds.
    if d.adressebeskyttet or d.adresse is None:
        return None
    adresse = Adresse(
        gate=sjekk.tekst("adresse.adressenavn", d.adresse.adressenavn),
        postnummer=sjekk.postnummer("adresse.postnummer", d.adresse.postnummer),
        poststed=sjekk.tekst("adresse.poststed", d.adresse.poststed),
    )
    return adresse if any(vars(adresse).values()) else None


def _veileder(sjekk: Radsjekk, info: _NavInformasjon | None) -> VeilederNav | None:
    veileder = info.nav_veileder if info else None
    navn = sjekk.tekst("navInformasjon.navVeileder.navn", veileder.navn) if veileder else None
    if veileder is None or navn is None:
        return None
    return VeilederNav(
        navn=navn,
        telefon=sjekk.tekst("navInformasjon.navVeileder.telefon", veileder.telefon),
        epost=sjekk.epost("navInformasjon.navVeileder.epost", veileder.epost),
    )


def _tall(
    sjekk: Radsjekk, felt: str, verdi: Decimal | None, hoyst: int, hva: str
) -> Decimal | None:
    if verdi is not None and not 0 < verdi <= hoyst:
        sjekk.meld(felt, f"{hva} må være et tall større enn 0 og høyst {hoyst}")
        return None
    return verdi


def _rad(sjekk: Radsjekk, d: _DeltakerDelvis) -> Lest:
    # Long, but flat: one line per field of the register, each checked where NAV gives it.
    fnr = sjekk.fodselsnummer("fodselsnummer", d.fodselsnummer)
    status = sjekk.status_kode("status.type", d.status.type) if d.status else None
    aarsak = d.status.aarsak if d.status else None
    aarsak_kode = sjekk.arsak_kode("status.aarsak.type", aarsak.type) if aarsak else None
    oppstart = sjekk.dato("startDato", d.start_dato, norsk=False)
    slutt = sjekk.dato("sluttDato", d.slutt_dato, norsk=False)
    sjekk.periode("sluttDato", oppstart, slutt)
    verdier: dict[str, Any] = {
        "fornavn": sjekk.navn("fornavn", d.fornavn, pakrevd=True),
        "mellomnavn": sjekk.navn("mellomnavn", d.mellomnavn),
        "etternavn": sjekk.navn("etternavn", d.etternavn, pakrevd=True),
        "telefon": sjekk.tekst("telefonnummer", d.telefonnummer),
        "epost": sjekk.epost("epost", d.epost),
        "adresse": _adresse(sjekk, d),
        "adressebeskyttet": d.adressebeskyttet,
        "oppstartdato": oppstart,
        "sluttdato": slutt,
        "aarsak": aarsak_kode,
        "beskrivelse": sjekk.beskrivelse(
            "status.aarsak.beskrivelse", aarsak_kode, aarsak.beskrivelse if aarsak else None
        ),
        "gyldig_fra": sjekk.dato(
            "status.endretDato", d.status.endret_dato if d.status else None, norsk=False
        ),
        "soknadsdato": sjekk.dato("soktInnDato", d.sokt_inn_dato, norsk=False),
        "bestilling_fra_nav": sjekk.tekst(
            "bestillingTekst", d.bestilling_tekst, maks=MAKS_BESTILLING
        ),
        "innsokende_nav_kontor": sjekk.tekst(
            "navInformasjon.navkontor", d.nav_informasjon.navkontor if d.nav_informasjon else None
        ),
        "veileder_nav": _veileder(sjekk, d.nav_informasjon),
        "deltakelsesprosent": _tall(
            sjekk, "deltakelseProsent", d.deltakelse_prosent, 100, "deltakelsesprosenten"
        ),
        "dager_per_uke": _tall(sjekk, "dagerPerUke", d.dager_per_uke, 7, "dager per uke"),
    }
    if sjekk.feil or fnr is None or status is None:
        return Lest(sjekk.radnr, fnr, None)
    rad = Importrad(radnr=sjekk.radnr, fodselsnummer=fnr, status=status, **verdier)
    return Lest(sjekk.radnr, fnr, rad)


def les_deltakere(
    deltakere: list[Any], *, tillat_syntetiske: bool
) -> tuple[list[Lest], list[Radfeil]]:
    """Read the deltakere of NAV's list, checking each one.

    Args:
        deltakere: the decoded ``deltakere`` array; row numbers count from 1.
        tillat_syntetiske: accept synthetic test fødselsnumre (Tenor +80, NAV +40).

    Returns:
        Each deltaker as read (its row None when it has errors), and all errors.
    """
    lest, feil = [], []
    for radnr, data in enumerate(deltakere, start=1):
        sjekk = Radsjekk(radnr, tillat_syntetiske)
        try:
            deltaker = _Deltaker.model_validate(data)
        except ValidationError as exc:
            feil.extend(_typefeil(radnr, exc))
            rad, resten = _resten(sjekk, data, exc)
            lest.append(rad)
            feil.extend(resten)
            continue
        lest.append(_rad(sjekk, deltaker))
        feil.extend(sjekk.feil)
    return lest, feil


def _resten(sjekk: Radsjekk, data: Any, exc: ValidationError) -> tuple[Lest, list[Radfeil]]:
    """Check the fields of a row that have no type error (the fødselsnummer too), so all of
    its errors come in the first round; the row itself is not read (None)."""
    med_feil = {str(e["loc"][0]) for e in exc.errors(include_input=False) if e["loc"]}
    if not isinstance(data, dict) or not med_feil:
        return Lest(sjekk.radnr, None, None), []
    try:
        delvis = _DeltakerDelvis.model_validate(
            {k: v for k, v in data.items() if k not in med_feil}
        )
    except ValidationError:  # not expected: each of these fields passed on its own
        return Lest(sjekk.radnr, None, None), []
    fnr = _rad(sjekk, delvis).fodselsnummer
    # A field with a type error is reported already; its own checks would say "mangler".
    return Lest(sjekk.radnr, fnr, None), [
        f for f in sjekk.feil if f.felt.split(".")[0] not in med_feil
    ]
