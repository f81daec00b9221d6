"""An organisation's settings: the seller on its invoices, the agreement's defaults and the
access point — and what an invoice still needs before the organisation can send one.

The seller's name and organisasjonsnummer come from the organisation register (``dokgen org
lag``), never from the settings form; everything else an invoice's ``selger`` needs (address,
VAT status, Foretaksregisteret, kontonummer, KID, contact) is kept here. :func:`selger` is the
one source of the seller data that invoices take.

Admins and regnskap edit the invoicing data; only admins see or change the access point
(:data:`TILGANGSFELT`): regnskap never reaches its address, token or transport.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from dokgen.access import TILGANG, Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging.modeller import KRAVFORMER as KRAVFORMER
from dokgen.oppfolging.timepriser import timepris_for
from dokgen.services import aksesspunkt as ap
from dokgen.services.audit import logg
from dokgen.services.innstillingsfelt import AVTALE as AVTALE
from dokgen.services.innstillingsfelt import ETIKETT, FELTER, JA, NEI, feltfeil, normalisert
from dokgen.services.innstillingsfelt import KJOPER as KJOPER
from dokgen.services.innstillingsfelt import SELGER as SELGER
from dokgen.storage.crypto import encrypt
from dokgen.storage.db import Gjennomforing, Organisasjon
from ehf.grunnlag import Kjoper, Mva, Selger, sti

if TYPE_CHECKING:
    from dokgen.deps import Deps

TILGANGSFELT = ("transport", "aksesspunkt_url", "aksesspunkt_token")
_TOKEN = re.compile(rf"[\x21-\x7e]{{1,{ap.MAKS_TOKEN}}}")


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
    kan_aksesspunkt: bool  # the caller may see and change the access point (admins)
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
    felt = ETIKETT.get(path)
    hva = felt.etikett.rstrip("?") if felt else path
    hvor = "kjøper" if path.startswith("kjoper.") else ("selger" if "selger." in path else "")
    navn = f"{hva} ({hvor})" if hvor else hva
    if art == "missing":
        return Mangel(path, f"{navn}: fyll inn")
    return Mangel(path, f"{navn}: har en ugyldig verdi, rett den")


def mangler_for(deps: Deps, aktor: Aktor) -> tuple[list[Mangel], list[Mangel]]:
    """Return :func:`mangler` of the caller's organisation (for the invoice pages).

    Raises:
        AccessDeniedError: the caller may not write invoices.
    """
    aktor.krev("faktura.skriv")
    with deps.sessions() as session:
        return mangler(_org(session, aktor))


def mangler(org: Organisasjon) -> tuple[list[Mangel], list[Mangel]]:
    """Return what invoicing still needs: the seller's fields (no invoice without them), and
    the agreement's (needed for invoices from a timeliste; a fakturagrunnlag may give them)."""
    data = org.innstillinger or {}
    selgerfeil = _modellfeil(Selger, selger(org), "selger")
    avtale = [_mangel(k, "missing") for k in ("regelsett", "timepris") if data.get(k) in (None, "")]
    avtale += _mva_mangler(data)
    avtale += _modellfeil(Kjoper, data.get("kjoper"), "kjoper")
    return selgerfeil, avtale


def _mva_mangler(data: Mapping[str, Any]) -> list[Mangel]:
    """Return what the settings' VAT (category, rate, and the reason for an exemption) lack."""
    mangel = _modellfeil(Mva, data.get("mva"), "mva")
    mva = data.get("mva") or {}
    if isinstance(mva, dict) and mva.get("kategori") == "E" and not mva.get("fritaksgrunn"):
        mangel.append(Mangel("mva.fritaksgrunn", "Fritaksgrunn: fyll inn (påkrevd for kategori E)"))
    return mangel


def innstillinger(deps: Deps, aktor: Aktor) -> Organisasjonsdata:
    """Return the organisation's settings for the settings page: the access point only to
    admins (for regnskap it is empty).

    Raises:
        AccessDeniedError: the caller is neither admin nor regnskap.
    """
    aktor.krev("innstillinger.fakturering")
    admin = aktor.rolle in TILGANG["admin"]
    with deps.sessions() as session:
        org = _org(session, aktor)
        data: dict[str, Any] = dict(org.innstillinger or {})
        mangler_selger, mangler_avtale = mangler(org)
        navn, orgnr = org.navn, org.orgnr
    verdier = {f.sti: _som_tekst(_hent(data, f.sti)) for f in FELTER}
    verdier["selger.adresse.land"] = verdier["selger.adresse.land"] or "NO"
    verdier["kjoper.adresse.land"] = verdier["kjoper.adresse.land"] or "NO"
    valgt = ap.valgt(deps.settings, data) if admin else ""
    return Organisasjonsdata(
        navn=navn,
        orgnr=orgnr,
        verdier=verdier,
        kan_aksesspunkt=admin,
        transport=valgt,
        aksesspunkt_url=str(data.get("aksesspunkt_url") or "") if valgt == ap.EGEN else "",
        har_token=admin and bool(data.get("aksesspunkt_token")),
        instansens_aksesspunkt=admin and bool(deps.settings.aksesspunkt_url),
        mangler_selger=mangler_selger,
        mangler_avtale=mangler_avtale,
    )


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
    if "transport" not in skjema:  # not on the form: the access point stays as it is
        return [], {}
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
        AccessDeniedError: the caller is neither admin nor regnskap, or a regnskap user
            posted the access point.
        InputInvalidError: every invalid field, with what to write instead.
    """
    aktor.krev("innstillinger.fakturering")
    if any(k in skjema for k in TILGANGSFELT):
        aktor.krev("admin")
    verdier = _lest(skjema)
    felter = [f for f in FELTER if f.sti in verdier]
    errors = [
        FieldError(f.sti, feil) for f in felter if verdier[f.sti] and (feil := feltfeil(f, verdier))
    ]
    with deps.sessions.begin() as session:
        org = _org(session, aktor)
        data = dict(org.innstillinger or {})
        tilgangsfeil, tilgang = _tilgangsfeil(deps, skjema, data)
        if errors or tilgangsfeil:
            raise InputInvalidError(errors + tilgangsfeil)
        for f in felter:
            _sett(data, f.sti, normalisert(f, verdier[f.sti]) if verdier[f.sti] else None)
        for key, value in tilgang.items():
            _sett(data, key, value)
        data["selger"] = {**(data.get("selger") or {}), "navn": org.navn, "orgnr": org.orgnr}
        for tom in ("mva", "kjoper"):
            if not data.get(tom):
                data.pop(tom, None)
        org.innstillinger = data
        logg(session, aktor, "endre_innstillinger", "organisasjon", str(org.id))


def mangler_for_krav(org: Organisasjon, gjennomforing: Gjennomforing, dag: date) -> list[Mangel]:
    """Return what the month's close still needs to claim for ``gjennomforing`` on ``dag``
    (a day in the month claimed), each on the field to fill in: a rule pack and a timepris
    that covers the day; for an EHF invoice also the buyer and the seller's settings. A NAV
    claim needs no seller settings: NAV knows the arrangør by its organisasjonsnummer."""
    mangel: list[Mangel] = []
    if not gjennomforing.regelsett:
        mangel.append(Mangel("regelsett", "Regelsett: velg avtalens regelsett"))
    if timepris_for(gjennomforing.timepriser, gjennomforing.timepris, dag) is None:
        mangel.append(
            Mangel("timepris", f"Timepris: fyll inn en timepris som gjelder {dag:%d.%m.%Y}")
        )
    if gjennomforing.kravform == "ehf":
        if not gjennomforing.kjoper:
            mangel.append(
                Mangel("kjoper", "Kjøper: fyll inn kjøperens navn og organisasjonsnummer")
            )
        else:
            mangel += _modellfeil(Kjoper, gjennomforing.kjoper, "kjoper")
        mangel += mangler(org)[0] + _mva_mangler(org.innstillinger or {})
    return mangel
