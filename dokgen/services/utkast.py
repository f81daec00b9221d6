"""Utkast: a document's data prefilled from the register, to start a form with.

Starting a document from a deltaker fills what the register and that deltaker's latest
finalised documents already know, so nobody types a name, a fødselsnummer or a NAV-kontor
twice; what the person must still write is left out, and :func:`mangler` names it so the
form can mark it. A deltaker with adressebeskyttelse gets no address in any document.

Per type (fields not named here are left for the person):

- every type with them: ``tiltak`` (the gjennomføring's navn, avtalenummer, tiltaksnummer;
  the caller's organisation as arrangør), ``deltaker`` (navn, fødselsnummer),
  ``oppstartdato``, ``innsokende_nav_kontor``, ``veileder_nav``, ``bestilling_fra_nav`` and
  ``veiledere_arrangor`` (the deltaker's active veileder first, then the medveiledere, with
  the phone and e-mail of their user);
- ``plan``: ``planperiode`` from oppstart to six months later less a day, or the sluttdato
  if that is earlier;
- ``statusrapport``: ``rapporteringsperiode``, the period of the earliest open (overdue,
  soon or coming) statusrapport frist; ``arbeidsgivere`` from the last finalised
  statusrapport (the one whose period ends last: a correction of an earlier period
  finalised later does not stand for the deltaker's present); ``oppfolgingstimer_per_maned``
  from the registered hours (:func:`dokgen.services.timer.timer_per_maned`: billed hours
  after the rule pack's adjustments, per month of the period that has any); ``fravaer``
  from the absences the arbeidsgivere reported on the deltaker's placements, summed per
  reason over the period (whole days as working days Monday to Friday, part of a day as
  timer);
- ``sluttrapport``: the address unless protected, ``sluttdato``; from the finalised
  statusrapporter: ``gjennomforte_aktiviteter`` (each report's text under its period,
  oldest first, the oldest left out when all do not fit), ``fravaer`` (every report's
  rows) and ``tilbake_i_arbeid`` (the first employer in lønnet arbeid in the last one).
  ``oppsummering_og_anbefalinger`` and ``status_ved_avslutning`` stay empty: they are the
  sluttrapport's own conclusion, which an earlier status must not stand in for;
- ``evalueringsrapport`` (the deltaker's gjennomføring's): ``tiltak``, ``periode`` (the
  half-year of the gjennomføring's next open evaluering frist) and ``mottaker`` (the
  gjennomføring's kjøper);
- ``arbeidspraksisavtale``: ``tiltak``, ``deltaker``, ``veileder_arrangor`` (the first
  veileder) and ``arbeidsgiver`` (navn and kontaktperson of the last statusrapport's
  employer in arbeidspraksis, else its first employer; the orgnr is the person's to write);
- ``endringsavtale``: the parties only, ``kunde`` (the gjennomføring's kjøper) and
  ``leverandor`` (the caller's organisation);
- ``opplaeringsplan``: ``tiltak``, ``deltaker``, ``oppstartdato``, ``nav_lokal`` (the
  innsøkende NAV-kontor), ``saksbehandler_nav`` (NAV's veileder), ``hovedansvarlig`` (the
  first veileder) and, when the register has the sluttdato, ``planperiode`` from oppstart to
  it and ``beregnet_avsluttet`` that day;
- ``samtalereferat``: ``tiltak``, ``deltaker``, ``samtaledato`` today and ``medvirkende``
  (the deltaker's veiledere, each with their role);
- ``sluttrapport_kvalifisering`` (AMB §14): ``tiltak``, ``deltaker``, ``oppstartdato``,
  ``sluttdato`` and ``innsokende_nav_kontor`` (printed as NAV lokal); the assessments, the
  result and the rådgivende utvalg's vedtak are the bedrift's to write;
- ``motereferat`` (the deltaker's gjennomføring's, AMB §15): ``tiltak`` only; who came and
  what was said are the meeting's;
- ``tilretteleggingsgaranti`` and ``oppfolgingsplan``: ``tiltak``, ``deltaker``,
  ``veileder`` (the first veileder, with phone and e-mail) and, for the garanti,
  ``ved_fravaer`` (the routine's main rule: an e-mail to the veileder the same day);
- any other type: the caller's organisation where the type names the arrangør
  (``arrangor_sti``), and ``tiltak`` and ``deltaker`` when the type has them.

A gjennomføring's own document (:func:`utkast_for_gjennomforing`, no deltaker) gets the
gjennomføring's ``tiltak`` and the caller's organisation as arrangør; an evalueringsrapport
also its ``periode`` and ``mottaker``; an ``arsrapport`` its year's figures from the register
(:func:`_arstall`), with where each came from in words (``kilder``).

A document started from a placement (:func:`utkast_for_plassering`) gets the deltaker's
prefill above and, on top of it, the placement's part: the arbeidsgiver (navn, orgnr,
address, its first contact person), the place (kind, avdeling, arbeidsoppgaver), the dates
(oppstart and the sluttdato, else the planned one) and, from the placement's oppstartsmøte
when there is one, the målsetting, yrkesmål and tilretteleggingsbehov; see
:func:`_fra_plassering` for each type's fields.

A value the register holds that the type's model would refuse (a phone number in another
format, a text over the limit) is left out rather than passed on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dokgen.access import Aktor
from dokgen.documents.models import eksempel, modell_for
from dokgen.documents.models.common import TILLAT_SYNTETISKE
from dokgen.documents.models.veiledning import hva_skrive, undermodell
from dokgen.errors import RecordNotFoundError
from dokgen.oppfolging import arstall
from dokgen.oppfolging.frister import add_months
from dokgen.services import deltakere, frister, gjennomforinger, praksisoppfolging, timer
from dokgen.storage.db import (
    Arbeidsgiver,
    Bruker,
    Deltaker,
    Deltakerveileder,
    Dokument,
    Gjennomforing,
    Organisasjon,
    Plassering,
    Praksisplass,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps

# Open frister are looked for this far ahead of today.
FRIST_HORISONT_DAGER = 800
PLAN_MANEDER = 6
MAKS_FRITEKST = 4000
MAKS_FRAVAER = 50
MAKS_MANEDER = 12  # the statusrapport's months of hours
_APNE = frozenset(frister.APNE)
_VEILEDERTYPER = ("veileder", "medveileder")


def utkast(deps: Deps, aktor: Aktor, deltaker_id: int, type_navn: str) -> dict[str, Any]:
    """Return a document's data prefilled for a deltaker, in the type's JSON shape.

    Args:
        deps: the collaborators.
        aktor: the caller.
        deltaker_id: the deltaker the document is about (for an evalueringsrapport: the
            deltaker whose gjennomføring it is about).
        type_navn: the document type.

    Returns:
        The data as ``POST /api/v1/dokumenter`` takes it, with what the person must still
        write left out (:func:`mangler` lists the required part of it).

    Raises:
        AccessDeniedError: the caller may not write documents.
        DocumentTypeUnknownError: no such type.
        RecordNotFoundError: no such deltaker the caller may see.
    """
    aktor.krev("dokument.skriv")
    modell_for(type_navn)
    fyll = _FYLLERE.get(type_navn)
    with deps.sessions() as session:
        rad = deltakere.finn_rad(session, aktor, deltaker_id)
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        kilde = _Kilde(rad, org, _statusrapporter(session, aktor, rad.id))
    # Outside the session: the frister are read (and their reading logged) in their own.
    data = fyll(deps, aktor, kilde) if fyll is not None else _felles(type_navn, kilde)
    deps.read_audit.write(aktor, "utkast", "deltaker", str(deltaker_id))
    return _uten_avviste(type_navn, {"type": type_navn, **data})


def utkast_for_plassering(
    deps: Deps, aktor: Aktor, plassering_id: int, type_navn: str
) -> dict[str, Any]:
    """Return a document's data prefilled from a placement: the deltaker's prefill
    (:func:`utkast`) with the placement's arbeidsgiver, place, dates and oppstartsmøte on top.

    Args:
        deps: the collaborators.
        aktor: the caller.
        plassering_id: the placement the document is started from.
        type_navn: the document type (``arbeidspraksisavtale``, ``tilretteleggingsgaranti``
            and ``oppfolgingsplan`` take the placement's part; any other type gets the
            deltaker's prefill only).

    Returns:
        The data as ``POST /api/v1/dokumenter?plassering_id=`` takes it, without what the
        type's model would refuse.

    Raises:
        AccessDeniedError: the caller may not write documents or read the register.
        DocumentTypeUnknownError: no such type.
        RecordNotFoundError: no such placement in the caller's organisation whose deltaker
            the caller may see.
    """
    aktor.krev("dokument.skriv")
    aktor.krev("praksis.les")
    modell_for(type_navn)
    fyll = _FYLLERE.get(type_navn)
    with deps.sessions() as session:
        plassering = finn_plassering(session, aktor, plassering_id)
        rad = deltakere.finn_rad(session, aktor, plassering.deltaker_id)
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        kilde = _Kilde(rad, org, _statusrapporter(session, aktor, rad.id))
        plass = _Plasskilde(plassering)
    data = fyll(deps, aktor, kilde) if fyll is not None else _felles(type_navn, kilde)
    data = {**data, **_fra_plassering(type_navn, plass, kilde)}
    deps.read_audit.write(aktor, "utkast", "plassering", str(plassering_id))
    return _uten_avviste(type_navn, {"type": type_navn, **data})


def finn_plassering(session: Session, aktor: Aktor, plassering_id: int) -> Plassering:
    """Return a placement of the caller's organisation whose deltaker the caller may see,
    with its place, arbeidsgiver and oppstartsmøte loaded.

    Raises:
        RecordNotFoundError: none such (another organisation's: the same answer).
    """
    rad = session.scalar(
        select(Plassering)
        .join(Plassering.deltaker)
        .where(
            Plassering.id == plassering_id,
            Plassering.org_id == aktor.org_id,
            deltakere.synlige(aktor),
        )
        .options(
            selectinload(Plassering.praksisplass).selectinload(Praksisplass.arbeidsgiver),
            selectinload(Plassering.oppstartsmote),
        )
    )
    if rad is None:
        raise RecordNotFoundError("fant ikke plasseringen")
    return rad


class _Plasskilde:
    """What the register knows of one placement, read in its session and used after it."""

    def __init__(self, p: Plassering) -> None:
        plass: Praksisplass = p.praksisplass
        ag: Arbeidsgiver = plass.arbeidsgiver
        self.art = plass.art
        self.avdeling = plass.avdeling
        self.arbeidsoppgaver = plass.arbeidsoppgaver
        self.ag_navn, self.ag_orgnr = ag.navn, ag.orgnr
        self.ag_adresse = _adresse_linje(ag.adresse)
        kontakter = [k for k in ag.kontaktpersoner or [] if isinstance(k, dict) and k.get("navn")]
        self.kontakt = (
            _uten_tomme({n: kontakter[0].get(n) for n in ("navn", "telefon", "epost")})
            if kontakter
            else None
        )
        self.oppstart = p.startdato
        self.slutt = p.sluttdato or p.planlagt_sluttdato
        self.planlagt_slutt = p.planlagt_sluttdato or p.sluttdato
        mote = p.oppstartsmote
        self.malsetting = mote.malsetting if mote is not None else None
        self.yrkesmal = mote.yrkesmal if mote is not None else None
        self.tilrettelegging = mote.tilretteleggingsbehov if mote is not None else None

    def arbeidsgiver(self) -> dict[str, Any]:
        return _uten_tomme(
            {
                "navn": self.ag_navn,
                "orgnr": self.ag_orgnr,
                "adresse": self.ag_adresse,
                "kontaktperson": self.kontakt,
            }
        )

    def praksisplass(self) -> dict[str, Any]:
        return _uten_tomme(
            {"art": self.art, "avdeling": self.avdeling, "arbeidsoppgaver": self.arbeidsoppgaver}
        )


def _adresse_linje(adresse: dict[str, Any] | None) -> str | None:
    """Return an arbeidsgiver's address as one line ("Gate 1, 4330 Ålgård"), or None."""
    if not adresse:
        return None
    sted = " ".join(str(d) for d in (adresse.get("postnummer"), adresse.get("poststed")) if d)
    return ", ".join(d for d in (adresse.get("gate"), sted) if d) or None


def _fra_plassering(type_navn: str, p: _Plasskilde, k: _Kilde) -> dict[str, Any]:
    """Return the placement's part of a type's data (nothing for the types it has none of).

    - ``arbeidspraksisavtale``: ``arbeidsgiver``, ``arbeidsoppgaver`` (the place's),
      ``varighet`` (oppstart to the sluttdato, else the planned one) and, from the
      oppstartsmøte, ``formal`` (its målsetting) and ``tilrettelegging``;
    - ``tilretteleggingsgaranti``: ``arbeidsgiver``, ``praksisplass``, ``oppstart``,
      ``planlagt_sluttdato`` and the oppstartsmøte's ``tilrettelegging``;
    - ``oppfolgingsplan``: ``arbeidsgiver``, ``praksisplass``, ``oppstart``, ``sluttdato``
      and the oppstartsmøte's ``malsetting``, ``yrkesmal`` and ``tilrettelegging``.
    """
    fra, til = _iso(p.oppstart), _iso(p.slutt)
    i_rekkefolge = p.oppstart is not None and p.slutt is not None and p.slutt >= p.oppstart
    if type_navn == "arbeidspraksisavtale":
        return _uten_tomme(
            {
                "arbeidsgiver": p.arbeidsgiver(),
                "arbeidsoppgaver": p.arbeidsoppgaver,
                "varighet": {"fra": fra, "til": til} if i_rekkefolge else None,
                "formal": p.malsetting,
                "tilrettelegging": p.tilrettelegging,
            }
        )
    felles = {
        "arbeidsgiver": p.arbeidsgiver(),
        "praksisplass": p.praksisplass(),
        "oppstart": fra,
        "tilrettelegging": p.tilrettelegging,
    }
    if type_navn == "tilretteleggingsgaranti":
        planlagt = p.planlagt_slutt
        ok = p.oppstart is None or planlagt is None or planlagt >= p.oppstart
        return _uten_tomme({**felles, "planlagt_sluttdato": _iso(planlagt) if ok else None})
    if type_navn == "oppfolgingsplan":
        return _uten_tomme(
            {
                **felles,
                "sluttdato": til if i_rekkefolge or p.oppstart is None else None,
                "malsetting": p.malsetting,
                "yrkesmal": p.yrkesmal,
            }
        )
    return {}


@dataclass(frozen=True)
class Gjennomforingsutkast:
    """A gjennomføring's document prefilled, and where its figures came from (``kilder``:
    plain sentences for the person, shown beside the form)."""

    data: dict[str, Any]
    kilder: list[str] = field(default_factory=list)


def utkast_for_gjennomforing(
    deps: Deps, aktor: Aktor, gjennomforing_id: int, type_navn: str, *, ar: int | None = None
) -> Gjennomforingsutkast:
    """Return a gjennomføring's own document (no deltaker) prefilled from the register.

    ``tiltak`` and the arrangør for every type that has them; an evalueringsrapport's
    ``periode`` and ``mottaker`` as from a deltaker; an årsrapport's year figures
    (:func:`_arstall`).

    Args:
        deps: the collaborators.
        aktor: the caller.
        gjennomforing_id: the gjennomføring.
        type_navn: the document type.
        ar: the årsrapport's year; None: the year of the gjennomføring's earliest open
            årsrapport frist, else last year.

    Raises:
        AccessDeniedError: the caller may not write documents.
        DocumentTypeUnknownError: no such type.
        RecordNotFoundError: no such gjennomføring in the caller's organisation.
    """
    aktor.krev("dokument.skriv")
    modell_for(type_navn)
    with deps.sessions() as session:
        g = gjennomforinger.finn_rad(session, aktor, gjennomforing_id)
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        session.expunge(g)
        kilde = _Gkilde(g, org)
    data = {**med_arrangor(type_navn, kilde.arrangor()), "tiltak": kilde.tiltak()}
    kilder: list[str] = []
    if type_navn == "evalueringsrapport":
        data |= _evalueringsrapport(deps, aktor, kilde)
    elif type_navn == "endringsavtale":
        data = _endringsavtale(deps, aktor, kilde)
    elif type_navn == "arsrapport":
        fylt, kilder = _arstall(deps, aktor, g, ar)
        data |= fylt
    deps.read_audit.write(aktor, "utkast", "gjennomforing", str(gjennomforing_id))
    return Gjennomforingsutkast(_uten_avviste(type_navn, {"type": type_navn, **data}), kilder)


def mangler(type_navn: str, data: dict[str, Any]) -> list[str]:
    """Return the dotted paths of the required fields ``data`` leaves empty, in model order.

    An empty required object is named by its required leaves (``underskriver.navn``); an
    empty required list by the required fields of its first row (``planlagte_aktiviteter.0
    .aktivitet``), as the form shows one row to fill.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    return _mangler(modell_for(type_navn), data, "")


def mangler_forklart(type_navn: str, stier: list[str]) -> list[dict[str, str]]:
    """Return each path of :func:`mangler` with what to write there and an example, as the
    API's errors are shaped (``path``, ``message``): ``mangler: skriv datoen som
    ÅÅÅÅ-MM-DD, f.eks. 2026-03-02``.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    return [
        {"path": sti, "message": f"mangler: {hva_skrive(type_navn, sti) or 'fyll ut feltet'}"}
        for sti in stier
    ]


class _Kilde:
    """What the register knows of one deltaker, read in one session and used after it."""

    def __init__(self, rad: Deltaker, org: Organisasjon, rapporter: list[dict[str, Any]]) -> None:
        self.rad = rad
        self.g: Gjennomforing = rad.gjennomforing  # loaded now, while the session is open
        self.org = org
        self.rapporter = rapporter  # finalised statusrapporter's data, oldest first

    def tiltak(self) -> dict[str, Any]:
        return _tiltak(self.g, self.org)

    def arrangor(self) -> dict[str, Any]:
        return {"navn": self.org.navn, "orgnr": self.org.orgnr}

    def deltaker(self, *, med_adresse: bool = False) -> dict[str, Any]:
        ut: dict[str, Any] = {
            "navn": deltakere.navn(self.rad),
            "fodselsnummer": self.rad.fodselsnummer,
        }
        adresse = self.rad.adresse
        if med_adresse and adresse and not self.rad.adressebeskyttet:
            ut |= {
                "adresse": adresse.get("gate"),
                "postnummer": adresse.get("postnummer"),
                "poststed": adresse.get("poststed"),
            }
        return _uten_tomme(ut)

    def tildelte(self) -> list[Deltakerveileder]:
        """Return the deltaker's active veiledere: the veileder first, then the medveiledere."""
        return sorted(
            (v for v in self.rad.veiledere if v.bruker.aktiv),
            key=lambda v: (_VEILEDERTYPER.index(v.type) if v.type in _VEILEDERTYPER else 2, v.id),
        )

    def veiledere(self) -> list[dict[str, Any]]:
        return [
            _uten_tomme(
                {"navn": v.bruker.navn, "telefon": v.bruker.telefon, "epost": v.bruker.epost}
            )
            for v in self.tildelte()
        ]

    def oppfolging(self) -> dict[str, Any]:
        """Return the fields the plan and the reports share."""
        r = self.rad
        return _uten_tomme(
            {
                "tiltak": self.tiltak(),
                "deltaker": self.deltaker(),
                "oppstartdato": _iso(r.oppstartdato),
                "innsokende_nav_kontor": r.innsokende_nav_kontor,
                "veileder_nav": _uten_tomme(dict(r.veileder_nav or {})) or None,
                "bestilling_fra_nav": r.bestilling_fra_nav,
                "veiledere_arrangor": self.veiledere(),
            }
        )

    def siste_arbeidsgivere(self) -> list[dict[str, Any]]:
        return list(self.rapporter[-1].get("arbeidsgivere") or []) if self.rapporter else []


class _Gkilde:
    """What the register knows of a gjennomføring, for its own documents."""

    def __init__(self, g: Gjennomforing, org: Organisasjon) -> None:
        self.g = g
        self.org = org

    def tiltak(self) -> dict[str, Any]:
        return _tiltak(self.g, self.org)

    def arrangor(self) -> dict[str, Any]:
        return {"navn": self.org.navn, "orgnr": self.org.orgnr}


def _tiltak(g: Gjennomforing, org: Organisasjon) -> dict[str, Any]:
    return _uten_tomme(
        {
            "navn": g.navn,
            "avtalenummer": g.avtalenummer,
            "tiltaksnummer": g.tiltaksnummer,
            "arrangor": {"navn": org.navn, "orgnr": org.orgnr},
        }
    )


def _statusrapporter(session: Session, aktor: Aktor, deltaker_id: int) -> list[dict[str, Any]]:
    """Return the data of the deltaker's finalised statusrapporter, by period, oldest first."""
    rader = session.scalars(
        select(Dokument)
        .where(
            Dokument.org_id == aktor.org_id,
            Dokument.deltaker_id == deltaker_id,
            Dokument.type == "statusrapport",
            Dokument.ferdig.is_not(None),
        )
        .options(selectinload(Dokument.versjoner))
    ).all()
    rader = sorted(rader, key=lambda d: (d.periode_til or "", d.ferdig or dt.datetime.min))
    return [dict(d.gjeldende.data) for d in rader]


def _neste_periode(
    deps: Deps,
    aktor: Aktor,
    type_navn: str,
    *,
    deltaker_id: int | None = None,
    gjennomforing_id: int | None = None,
) -> dict[str, str] | None:
    """Return the period of the earliest open frist of a type, the deltaker's or else the
    gjennomføring's own (None: there is none)."""
    idag = deps.clock().date()
    utvalg = frister.Fristutvalg(
        dato=idag,
        til=idag + dt.timedelta(days=FRIST_HORISONT_DAGER),
        type=type_navn,
        deltaker_id=deltaker_id,
        gjennomforing_id=gjennomforing_id,
    )
    for f in frister.liste(deps, aktor, utvalg):  # sorted by due date
        if f["status"] in _APNE and f["periode"] and f["deltaker_id"] == deltaker_id:
            return dict(f["periode"])
    return None


def _plan(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    data = k.oppfolging()
    start = k.rad.oppstartdato
    if start is not None:
        slutt = add_months(start, PLAN_MANEDER) - dt.timedelta(days=1)
        if k.rad.sluttdato is not None and k.rad.sluttdato >= start:
            slutt = min(slutt, k.rad.sluttdato)
        data["planperiode"] = {"fra": start.isoformat(), "til": slutt.isoformat()}
    return data


def _statusrapport(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    periode = _neste_periode(deps, aktor, "statusrapport", deltaker_id=k.rad.id)
    return _uten_tomme(
        {
            **k.oppfolging(),
            "rapporteringsperiode": periode,
            "arbeidsgivere": k.siste_arbeidsgivere(),
            "oppfolgingstimer_per_maned": _timer(deps, aktor, k.rad.id, periode),
            "fravaer": _fravaer(deps, aktor, k.rad.id, periode),
        }
    )


def _fravaer(
    deps: Deps, aktor: Aktor, deltaker_id: int, periode: dict[str, str] | None
) -> list[dict[str, str | int]]:
    """Return the absence the deltaker's arbeidsgivere reported in the period, summed per
    reason: whole days as ``dager`` (working days Monday to Friday), part of a day as
    ``timer`` (:func:`dokgen.services.praksisoppfolging.fravaer_per_arsak`)."""
    if periode is None:
        return []
    fra, til = dt.date.fromisoformat(periode["fra"]), dt.date.fromisoformat(periode["til"])
    with deps.sessions() as session:
        rader = praksisoppfolging.fravaer_per_arsak(session, aktor, deltaker_id, fra, til)
    return rader[:MAKS_FRAVAER]


def _timer(
    deps: Deps, aktor: Aktor, deltaker_id: int, periode: dict[str, str] | None
) -> list[dict[str, str]]:
    """Return the billed hours per month of the period from the registered activities."""
    if periode is None:
        return []
    fra, til = dt.date.fromisoformat(periode["fra"]), dt.date.fromisoformat(periode["til"])
    with deps.sessions() as session:
        return timer.timer_per_maned(session, aktor, deltaker_id, fra, til)[-MAKS_MANEDER:]


def _sluttrapport(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    data = k.oppfolging()
    data["deltaker"] = k.deltaker(med_adresse=True)
    return _uten_tomme(
        {
            **data,
            "sluttdato": _iso(k.rad.sluttdato),
            "gjennomforte_aktiviteter": _aktiviteter(k.rapporter),
            "fravaer": [rad for r in k.rapporter for rad in r.get("fravaer") or []][-MAKS_FRAVAER:],
            "tilbake_i_arbeid": _tilbake_i_arbeid(k.siste_arbeidsgivere()),
        }
    )


def _aktiviteter(rapporter: list[dict[str, Any]]) -> str | None:
    """Return the statusrapporter's activities, each under its period; the oldest go first
    when they do not all fit in one text field."""
    deler = []
    for r in rapporter:
        tekst = (r.get("gjennomforte_aktiviteter") or "").strip()
        if tekst:
            periode = r.get("rapporteringsperiode") or {}
            deler.append(f"{_norsk(periode.get('fra'))}–{_norsk(periode.get('til'))}:\n{tekst}")
    while deler and len("\n\n".join(deler)) > MAKS_FRITEKST:
        deler.pop(0)
    return "\n\n".join(deler) or None


def _tilbake_i_arbeid(arbeidsgivere: list[dict[str, Any]]) -> dict[str, Any] | None:
    for a in arbeidsgivere:
        if a.get("arbeidsforhold") == "lonnet_arbeid":
            return _uten_tomme(
                {
                    "arbeidsgiver": a.get("navn"),
                    "kontaktperson": a.get("kontaktperson"),
                    "stillingsprosent": a.get("stillingsprosent"),
                    "ansettelsesform": a.get("ansettelsesforhold"),
                }
            )
    return None


def _evalueringsrapport(deps: Deps, aktor: Aktor, k: _Kilde | _Gkilde) -> dict[str, Any]:
    periode = _neste_periode(deps, aktor, "evalueringsrapport", gjennomforing_id=k.g.id)
    return _uten_tomme(
        {"tiltak": k.tiltak(), "periode": periode, "mottaker": (k.g.kjoper or {}).get("navn")}
    )


def _arbeidspraksisavtale(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    arbeidsgivere = k.siste_arbeidsgivere()
    praksis = [a for a in arbeidsgivere if a.get("arbeidsforhold") == "arbeidspraksis"]
    arbeidsgiver = None
    if praksis or arbeidsgivere:
        valgt = (praksis or arbeidsgivere)[0]
        kontakt = {"navn": valgt["kontaktperson"]} if valgt.get("kontaktperson") else None
        arbeidsgiver = _uten_tomme({"navn": valgt.get("navn"), "kontaktperson": kontakt})
    return _uten_tomme(
        {
            "tiltak": k.tiltak(),
            "deltaker": k.deltaker(),
            "veileder_arrangor": next(iter(k.veiledere()), None),
            "arbeidsgiver": arbeidsgiver,
        }
    )


def _endringsavtale(deps: Deps, aktor: Aktor, k: _Kilde | _Gkilde) -> dict[str, Any]:
    kjoper = k.g.kjoper or {}
    kunde = _uten_tomme({"navn": kjoper.get("navn"), "orgnr": kjoper.get("orgnr")})
    return _uten_tomme({"kunde": kunde or None, "leverandor": k.arrangor()})


def _opplaeringsplan(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    r, start, slutt = k.rad, k.rad.oppstartdato, k.rad.sluttdato
    har_slutt = start is not None and slutt is not None and slutt >= start
    return _uten_tomme(
        {
            "tiltak": k.tiltak(),
            "deltaker": k.deltaker(),
            "oppstartdato": _iso(start),
            "planperiode": {"fra": _iso(start), "til": _iso(slutt)} if har_slutt else None,
            "beregnet_avsluttet": _iso(slutt) if har_slutt else None,
            "nav_lokal": r.innsokende_nav_kontor,
            "saksbehandler_nav": _uten_tomme(dict(r.veileder_nav or {})) or None,
            "hovedansvarlig": next(iter(k.veiledere()), None),
        }
    )


def _samtalereferat(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    medvirkende = [{"navn": v.bruker.navn, "rolle": v.type} for v in k.tildelte()]
    return _uten_tomme(
        {
            "tiltak": k.tiltak(),
            "deltaker": k.deltaker(),
            "samtaledato": deps.clock().date().isoformat(),
            "medvirkende": medvirkende,
        }
    )


def _praksisveileder(k: _Kilde) -> dict[str, Any] | None:
    """Return the deltaker's first veileder as the contact of a placement's documents."""
    return next(iter(k.veiledere()), None)


def _tilretteleggingsgaranti(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    veileder = _praksisveileder(k)
    epost = (veileder or {}).get("epost")
    til = f"veilederen ({epost})" if epost else "veilederen"
    return _uten_tomme(
        {
            "tiltak": k.tiltak(),
            "deltaker": k.deltaker(),
            "veileder": veileder,
            "ved_fravaer": f"Arbeidsgiver sender en e-post til {til} samme dag når "
            "deltakeren ikke har møtt.",
        }
    )


def _oppfolgingsplan(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    return _uten_tomme(
        {"tiltak": k.tiltak(), "deltaker": k.deltaker(), "veileder": _praksisveileder(k)}
    )


def _sluttrapport_kvalifisering(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    return _uten_tomme(
        {
            "tiltak": k.tiltak(),
            "deltaker": k.deltaker(),
            "innsokende_nav_kontor": k.rad.innsokende_nav_kontor,
            "oppstartdato": _iso(k.rad.oppstartdato),
            "sluttdato": _iso(k.rad.sluttdato),
        }
    )


def _motereferat(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    return {"tiltak": k.tiltak()}


def _felles(type_navn: str, k: _Kilde) -> dict[str, Any]:
    """The caller's organisation as the type's arrangør, and the tiltak and the deltaker
    (left out later where the type has no such field)."""
    return {"tiltak": k.tiltak(), "deltaker": k.deltaker(), **med_arrangor(type_navn, k.arrangor())}


def med_arrangor(type_navn: str, arrangor: dict[str, Any]) -> dict[str, Any]:
    """Return data holding only the arrangør, where the type names it (``arrangor_sti``).

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    *foreldre, siste = modell_for(type_navn).arrangor_sti
    data: dict[str, Any] = {}
    node = data
    for ledd in foreldre:
        node = node.setdefault(ledd, {})
    node[siste] = arrangor
    return data


def _samarbeidsavtale(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    return _uten_tomme({"tiltak": k.tiltak()})


def _arsrapport(deps: Deps, aktor: Aktor, k: _Kilde) -> dict[str, Any]:
    # From a deltaker: the tiltak only; the year's figures come with the gjennomføring's
    # utkast (:func:`utkast_for_gjennomforing`).
    return _uten_tomme({"tiltak": k.tiltak(), "mottaker": (k.g.kjoper or {}).get("navn")})


def _arstall(
    deps: Deps, aktor: Aktor, g: Gjennomforing, ar: int | None
) -> tuple[dict[str, Any], list[str]]:
    """Return an årsrapport's figures for the year from the register, and where they came
    from in words (:mod:`dokgen.oppfolging.arstall`): ``rapportar``, ``mottaker`` (the
    kjøper), ``plasser`` (the programme's deltakere and årsverk; godkjente plasser are the
    person's) and ``resultater``. The register knows no avdeling: ``arsverk_per_avdeling``
    is left to the person. The counts are of the whole gjennomføring and name no one: the
    veileder who writes the årsrapport gets them though they may not read the resultatrapport."""
    if ar is None:
        periode = _neste_periode(deps, aktor, "arsrapport", gjennomforing_id=g.id)
        ar = int(periode["fra"][:4]) if periode else deps.clock().date().year - 1
    data: dict[str, Any] = {"rapportar": ar, "mottaker": (g.kjoper or {}).get("navn")}
    with deps.sessions() as session:
        rader = session.execute(
            select(
                Deltaker.id,
                Deltaker.oppstartdato,
                Deltaker.sluttdato,
                Deltaker.status,
                Deltaker.deltakelsesprosent,
            ).where(Deltaker.org_id == aktor.org_id, Deltaker.gjennomforing_id == g.id)
        ).all()
        rapporter = session.scalars(
            select(Dokument)
            .where(
                Dokument.org_id == aktor.org_id,
                Dokument.gjennomforing_id == g.id,
                Dokument.type == "sluttrapport_kvalifisering",
                Dokument.ferdig.is_not(None),
            )
            .order_by(Dokument.ferdig, Dokument.id)
            .options(selectinload(Dokument.versjoner))
        ).all()
        siste: dict[object, dict[str, Any]] = {}
        for dok in rapporter:  # the latest finalised per deltaker
            siste[dok.deltaker_id or dok.id] = dict(dok.gjeldende.data)
    program = arstall.program_for(g.tiltakstype)
    tall = arstall.tell((arstall.Deltakerar(*r[1:]) for r in rader), ar, program)
    uten_prosent = sum(
        1
        for r in rader
        if r.deltakelsesprosent is None and arstall.dager_aktiv(arstall.Deltakerar(*r[1:]), ar)
    )
    arets = [d for d in siste.values() if arstall.i_aret(d.get("sluttdato"), ar)]
    resultater = arstall.tell_resultater(d.get("resultat") for d in arets)
    periode_tekst = f"01.01.–31.12.{ar}"
    kilder = []
    if program is None:
        kilder.append(
            f"Plasser og årsverk er ikke fylt ut: tiltakstypen «{g.tiltakstype}» sier ikke "
            "om det er Kvalifisering eller Tilrettelagt arbeid."
        )
    else:
        data["plasser"] = [
            {
                "program": program,
                "antall_deltakere": tall.antall_deltakere,
                "arsverk": str(tall.arsverk),
            }
        ]
        prosent = (
            f" {uten_prosent} av dem uten deltakelsesprosent i registeret er regnet som 100 %."
            if uten_prosent
            else ""
        )
        kilder.append(
            f"Plasser: beregnet fra deltakerregisteret {periode_tekst}: "
            f"{tall.antall_deltakere} deltakere i tiltaket minst én dag i året, "
            f"{_norsk_tall(tall.arsverk)} årsverk (dager i tiltaket i året delt på dagene i "
            f"året, ganget med deltakelsesprosenten).{prosent} Godkjente plasser skriver du selv."
        )
    if resultater:
        data["resultater"] = [{"resultat": kode, "antall": n} for kode, n in resultater]
    kilder.append(
        f"Resultater: talt fra {len(arets)} ferdige sluttrapporter fra Kvalifisering med "
        f"sluttdato i {ar}, etter resultatet i hver."
    )
    kilder.append(
        "Årsverk per avdeling: deltakerregisteret vet ikke hvilken avdeling en deltaker er i, "
        "så dette skriver du selv."
    )
    return data, kilder


def _norsk_tall(tall: Any) -> str:
    return str(tall).replace(".", ",")


_FYLLERE: dict[str, Callable[[Deps, Aktor, _Kilde], dict[str, Any]]] = {
    "plan": _plan,
    "statusrapport": _statusrapport,
    "sluttrapport": _sluttrapport,
    "evalueringsrapport": _evalueringsrapport,
    "arbeidspraksisavtale": _arbeidspraksisavtale,
    "endringsavtale": _endringsavtale,
    "sluttrapport_kvalifisering": _sluttrapport_kvalifisering,
    "motereferat": _motereferat,
    "opplaeringsplan": _opplaeringsplan,
    "samtalereferat": _samtalereferat,
    "samarbeidsavtale": _samarbeidsavtale,
    "arsrapport": _arsrapport,
    "tilretteleggingsgaranti": _tilretteleggingsgaranti,
    "oppfolgingsplan": _oppfolgingsplan,
}


def fra_innlogget(deps: Deps, aktor: Aktor, type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return a new form's data with what the signed-in person and the day give, where empty.

    On top of what :func:`utkast` fills from a deltaker (never over it): the signed-in
    user as the arrangør's veileder (``veiledere_arrangor``, ``veileder_arrangor``,
    ``veileder`` of a placement's documents: name,
    phone and e-mail of their user) and as ``underskriver``; ``sted`` the organisation's
    poststed from its settings, if it has one; ``dato`` today. A value the type's model
    would refuse (a phone in another format) is left out.

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    felt = modell_for(type_navn).model_fields
    ny = dict(data)
    meg: dict[str, Any] = {}
    poststed = None
    with deps.sessions() as session:
        org = session.get(Organisasjon, aktor.org_id)
        innstillinger = (org.innstillinger if org is not None else None) or {}
        for hvem in ("selger", "arrangor"):
            poststed = poststed or ((innstillinger.get(hvem) or {}).get("adresse") or {}).get(
                "poststed"
            )
        bruker = session.get(Bruker, aktor.bruker_id) if aktor.bruker_id is not None else None
        if bruker is not None and bruker.org_id == aktor.org_id:
            meg = _uten_tomme(
                {"navn": bruker.navn, "telefon": bruker.telefon, "epost": bruker.epost}
            )
    if meg:
        if "veiledere_arrangor" in felt and _tom(ny.get("veiledere_arrangor")):
            ny["veiledere_arrangor"] = [meg]
        for navn in ("veileder_arrangor", "veileder"):
            if navn in felt and _tom(ny.get(navn)):
                ny[navn] = meg
        if "underskriver" in felt and _tom(ny.get("underskriver")):
            ny["underskriver"] = {"navn": meg["navn"]}
    if "sted" in felt and _tom(ny.get("sted")) and isinstance(poststed, str) and poststed:
        ny["sted"] = poststed
    if "dato" in felt and _tom(ny.get("dato")):
        ny["dato"] = deps.clock().date().isoformat()
    return _uten_avviste(type_navn, {"type": type_navn, **ny})


def _iso(dato: dt.date | None) -> str | None:
    return dato.isoformat() if dato else None


def _norsk(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "?"


def _tom(verdi: Any) -> bool:
    return verdi is None or verdi == "" or verdi == [] or verdi == {}


def _uten_tomme(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` without its empty values: a field the register lacks stays absent."""
    return {k: v for k, v in data.items() if not _tom(v)}


# Checking the prefilled values: merged into the type's complete example, so only what the
# register put in can be wrong.


def fyll_fra_eksempel(type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` with every field it leaves out taken from the type's complete example
    (objects merged key by key, lists taken whole from ``data`` when it has them).

    Raises:
        DocumentTypeUnknownError: no such type.
    """
    return _flett(eksempel(type_navn), data)


def _flett(grunn: Any, over: Any) -> Any:
    if isinstance(grunn, dict) and isinstance(over, dict):
        return {**grunn, **{k: _flett(grunn.get(k), v) for k, v in over.items()}}
    return over


def _uten_avviste(type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return the prefilled data without the values the type's model refuses."""
    modell = modell_for(type_navn)
    for _ in range(5):  # a refused value removed can only reveal one in the same object
        try:
            modell.model_validate(
                fyll_fra_eksempel(type_navn, data), context={TILLAT_SYNTETISKE: True}
            )
        except ValidationError as exc:
            if not any([_fjern(data, e["loc"]) for e in exc.errors()]):
                return data
        else:
            return data
    return data


def _fjern(data: Any, sti: tuple[int | str, ...]) -> bool:
    """Remove the value at ``sti`` from the prefilled data; False when it was not there."""
    if not sti:
        return False
    node = data
    for ledd in sti[:-1]:
        try:
            node = node[ledd]
        except (KeyError, IndexError, TypeError):
            return False
    siste = sti[-1]
    if isinstance(node, dict) and siste in node:
        del node[siste]
        return True
    return False


# The required fields still empty.


def _mangler(modell: type[BaseModel], data: Any, prefiks: str) -> list[str]:
    data = data if isinstance(data, dict) else {}
    ut: list[str] = []
    for navn, felt in modell.model_fields.items():
        sti = f"{prefiks}{navn}"
        verdi = data.get(navn)
        under, er_liste = undermodell(felt.annotation)
        if under is not None and er_liste and isinstance(verdi, list) and verdi:
            for i, rad in enumerate(verdi):
                ut += _mangler(under, rad, f"{sti}.{i}.")
        elif under is not None and er_liste and felt.is_required():
            ut += _mangler(under, {}, f"{sti}.0.")
        elif under is not None and not er_liste and (felt.is_required() or isinstance(verdi, dict)):
            ut += _mangler(under, verdi, f"{sti}.")
        elif felt.is_required() and _tom(verdi.strip() if isinstance(verdi, str) else verdi):
            ut.append(sti)
    return ut
