"""Documents in the service: create, preview, approve, correct, find and download.

A version is locked once anyone has approved it; a correction is a new version, which
clears the approvals. A ``kladd`` (draft) is a version saved as written, valid or not, from
the form pages: it is never converted; asking for its preview validates it and makes it
the document's first real version (:func:`ny_versjon`). The last party's approval seals
the PDF/A and archives it; the same bytes are served from then on. Conversion and sealing
run on the job pool: the version is ``behandles`` (preview) or ``forsegles`` (final)
meanwhile, and ``feilet`` with a reason and a retry when they fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from dokgen.access import Aktor
from dokgen.documents.charset import check_printable
from dokgen.documents.models import PARTNAVN, TITLER, Dokumentmodell, modell_for
from dokgen.documents.pdf.seal import Godkjenningslinje
from dokgen.documents.render import render_docx
from dokgen.documents.utkast import merk_utkast
from dokgen.errors import (
    ConversionFailedError,
    DokgenError,
    FieldError,
    InputInvalidError,
    RecordNotFoundError,
    SigningFailedError,
    StateConflictError,
    TemplateInvalidError,
    TemplateLimitError,
)
from dokgen.runtime import leases
from dokgen.services import deltakere, gjennomforinger, sjekk_sok
from dokgen.services.audit import logg
from dokgen.storage.db import (
    Deltaker,
    Dokument,
    Gjennomforing,
    Godkjenning,
    Malversjon,
    Organisasjon,
    Plassering,
    Versjon,
    foreld_frister,
    lock_for_update,
    new_id,
    utc,
)
from dokgen.storage.store import LAGRING_FULL

if TYPE_CHECKING:
    from dokgen.deps import Deps

log = logging.getLogger(__name__)

BEHANDLES, UTKAST, DELVIS, FORSEGLES = "behandles", "utkast", "delvis_godkjent", "forsegles"
GODKJENT, FEILET, ERSTATTET = "godkjent", "feilet", "erstattet"
KLADD = "kladd"  # saved as written, not validated; never converted until a preview is asked

STATUSTEKST = {
    KLADD: "Kladd",
    BEHANDLES: "Lager forhåndsvisning",
    UTKAST: "Utkast",
    DELVIS: "Delvis godkjent",
    FORSEGLES: "Forsegles",
    GODKJENT: "Godkjent",
    FEILET: "Feilet",
    ERSTATTET: "Erstattet av ny versjon",
}


INNLOGGET, EPOSTLENKE, IDPORTEN, PA_VEGNE_AV = "innlogget", "epostlenke", "idporten", "pa_vegne_av"
# How an approval was given (``Godkjenning.metode``), in words for pages and the seal.
METODER: dict[str, str] = {
    INNLOGGET: "innlogget bruker",
    EPOSTLENKE: "e-postlenke med engangskode",
    IDPORTEN: "ID-porten",
    PA_VEGNE_AV: "registrert på vegne av",
}
# The parties the signed-in user's own organisation (the arrangør) approves as itself.
EGNE_PARTER = frozenset({"arrangor", "leverandor"})


@dataclass(frozen=True)
class Godkjenningsdata:
    """One party's approval as given by the caller."""

    part: str
    navn: str | None = None
    paa_vegne_av: str | None = None
    begrunnelse: str | None = None


def parter(data: dict[str, Any]) -> tuple[str, ...]:
    """Return the parties whose approval finalises a document of this data, in order.

    Each type says it (``Dokumentmodell.approving_parties``): a report is approved by the arrangør
    alone, an arbeidspraksisavtale by the parties it lists (JMO §6), an endringsavtale by
    kunde and leverandør (Bilag 6).
    """
    return modell_for(data["type"]).approving_parties(data)


def _sammendrag(data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """Return (deltaker name, period from, period to) for listing and search."""
    return modell_for(data["type"]).summarise(data)


def _sha(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _som_arrangor(session: Session, aktor: Aktor, data: dict[str, Any]) -> dict[str, Any]:
    """Return the data with the caller's organisation, as the register has it, as arrangør.

    Raises:
        InputInvalidError: the data names another organisation's orgnr as arrangør.
    """
    org = session.get(Organisasjon, aktor.org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    *forelder, felt = modell_for(data["type"]).arrangor_sti
    sted = data
    for del_ in forelder:
        sted = sted[del_]
    if sted[felt]["orgnr"] != org.orgnr:
        sti = ".".join((*forelder, felt, "orgnr"))
        melding = f"tiltaksarrangøren er alltid din egen organisasjon: skriv {org.orgnr}"
        raise InputInvalidError([FieldError(sti, melding)])
    sted[felt] = {**sted[felt], "navn": org.navn}
    return data


def opprett(
    deps: Deps,
    aktor: Aktor,
    dok: Dokumentmodell,
    *,
    deltaker_id: int | None = None,
    gjennomforing_id: int | None = None,
    plassering_id: int | None = None,
    ny_id: str | None = None,
) -> Dokument:
    """Store a validated document as version 1 and queue its preview.

    The arrangør is the caller's organisation: its name is the register's. With
    ``deltaker_id`` the document belongs to that deltaker (and their gjennomføring), so it
    meets their frister once finalised; with ``gjennomforing_id`` alone it belongs to the
    gjennomføring (an evalueringsrapport). With ``plassering_id`` it was started from that
    placement (a tilretteleggingsgaranti, oppfølgingsplan or arbeidspraksisavtale): it is
    stored with it, and belongs to the placement's deltaker.

    ``ny_id``: the id a new form was given when it was shown (:func:`form_id`); the form's
    script may have saved it as a kladd under that id meanwhile, which then becomes this
    document (:func:`ny_versjon`), so a save racing the submit never makes two.

    Raises:
        AccessDeniedError: the caller may not write documents (or, with ``plassering_id``,
            read the praksisplass register).
        RecordNotFoundError: no such deltaker, gjennomføring or placement the caller may see.
        InputInvalidError: the document names another organisation as arrangør, or the
            placement is another deltaker's than ``deltaker_id`` (nothing is stored).
    """
    aktor.krev("dokument.skriv")
    if ny_id is not None and _finnes(deps, aktor, ny_id):
        return ny_versjon(deps, aktor, ny_id, dok)
    with deps.sessions.begin() as session:
        deltaker_id = _plasseringens_deltaker(session, aktor, plassering_id, deltaker_id)
        gjennomforing_id = _eier(session, aktor, deltaker_id, gjennomforing_id)
        data = _som_arrangor(session, aktor, dok.model_dump(mode="json"))
        rad = _nytt_dokument(
            session, aktor, data, _sammendrag(data), BEHANDLES,
            ny_id=ny_id, deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id,
            plassering_id=plassering_id,
        )  # fmt: skip
        logg(session, aktor, "opprett", "dokument", rad.id)
    deps.jobs.submit(lag_utkast, deps, rad.versjoner[0].id)
    return rad


def _plasseringens_deltaker(
    session: Session, aktor: Aktor, plassering_id: int | None, deltaker_id: int | None
) -> int | None:
    """Return the deltaker a new document belongs to: the placement's when one is given.

    Raises:
        AccessDeniedError: the caller may not read the praksisplass register.
        RecordNotFoundError: no such placement in the caller's organisation whose deltaker
            the caller may see.
        InputInvalidError: the placement is another deltaker's than ``deltaker_id``.
    """
    if plassering_id is None:
        return deltaker_id
    aktor.krev("praksis.les")
    plassering = _plassering(session, aktor, plassering_id)
    if deltaker_id is not None and deltaker_id != plassering.deltaker_id:
        melding = "plasseringen gjelder en annen deltaker enn dokumentet"
        raise InputInvalidError([FieldError("plassering_id", melding)])
    return plassering.deltaker_id


def _plassering(session: Session, aktor: Aktor, plassering_id: int) -> Plassering:
    """Return a placement of the caller's organisation whose deltaker the caller may see.

    Raises:
        RecordNotFoundError: none such (another organisation's: the same answer).
    """
    rad = session.scalar(
        select(Plassering)
        .join(Deltaker, Deltaker.id == Plassering.deltaker_id)
        .where(
            Plassering.id == plassering_id,
            Plassering.org_id == aktor.org_id,
            deltakere.synlige(aktor),
        )
    )
    if rad is None:
        raise RecordNotFoundError("fant ikke plasseringen")
    return rad


def _eier(
    session: Session, aktor: Aktor, deltaker_id: int | None, gjennomforing_id: int | None
) -> int | None:
    """Return the gjennomføring a new document belongs to: the deltaker's, or the one given.

    Raises:
        RecordNotFoundError: no such deltaker or gjennomføring the caller may see.
    """
    if deltaker_id is not None:
        return deltakere.finn_rad(session, aktor, deltaker_id).gjennomforing_id
    if gjennomforing_id is not None:
        gjennomforinger.finn_rad(session, aktor, gjennomforing_id)
    return gjennomforing_id


def _nytt_dokument(
    session: Session,
    aktor: Aktor,
    data: dict[str, Any],
    sammendrag: tuple[str, str | None, str | None],
    status: str,
    *,
    ny_id: str | None,
    deltaker_id: int | None,
    gjennomforing_id: int | None,
    plassering_id: int | None = None,
) -> Dokument:
    """Add a new document with ``data`` as its version 1, for the deltaker and the
    gjennomføring it belongs to (as :func:`_eier` returned them)."""
    deltaker, fra, til = sammendrag
    # Built with its collections filled, so the answer comes from these rows (every value
    # is set here or by a Python-side default) without reading them back.
    versjon = Versjon(nummer=1, data=data, data_sha256=_sha(data), status=status, godkjenninger=[])
    rad = Dokument(
        id=ny_id or new_id(),
        org_id=aktor.org_id,
        type=data["type"],
        deltaker=deltaker,
        periode_fra=fra,
        periode_til=til,
        opprettet_av=aktor.navn,
        versjoner=[versjon],
        deltaker_id=deltaker_id,
        gjennomforing_id=gjennomforing_id,
        plassering_id=plassering_id,
    )
    session.add(rad)
    session.flush()
    return rad


def ny_versjon(deps: Deps, aktor: Aktor, dokument_id: str, dok: Dokumentmodell) -> Dokument:
    """Replace a document's content with a new version; earlier approvals no longer apply.

    A document whose current version is a kladd gets that version, now valid, as it is
    (its number stays) and its preview queued; so does a correction's kladd
    (:attr:`Dokument.rettekladd`), and the version it corrects is replaced only now.

    Raises:
        RecordNotFoundError: no such document in the caller's organisation.
        InputInvalidError: the new data is of another type, or names another organisation
            as arrangør.
        StateConflictError: the current version is still being processed.
    """
    aktor.krev("dokument.skriv")
    data = dok.model_dump(mode="json")
    with deps.sessions.begin() as session:
        rad = _dokument(session, aktor, dokument_id, las=True)
        if data["type"] != rad.type:
            raise InputInvalidError([FieldError("type", f"dokumentet er en {rad.type}")])
        data = _som_arrangor(session, aktor, data)
        gjeldende = rad.gjeldende
        if gjeldende.status in (BEHANDLES, FORSEGLES):
            raise StateConflictError("versjonen behandles; prøv igjen om litt")
        if rad.ferdig is not None:  # the frister it met are open again until it is
            foreld_frister(
                session, deltaker_ids=[rad.deltaker_id], gjennomforing_ids=[rad.gjennomforing_id]
            )
        rad.ferdig = None
        deltaker, fra, til = _sammendrag(data)
        rad.deltaker, rad.periode_fra, rad.periode_til = deltaker, fra, til
        if gjeldende.status == KLADD:  # the draft, now valid, becomes this version
            gjeldende.data, gjeldende.data_sha256 = data, _sha(data)
            gjeldende.status = BEHANDLES
            versjon = gjeldende
        elif (kladd := rad.rettekladd) is not None:  # the correction's draft becomes it
            gjeldende.status = ERSTATTET
            kladd.data, kladd.data_sha256, kladd.status = data, _sha(data), BEHANDLES
            versjon = kladd
        else:
            gjeldende.status = ERSTATTET
            versjon = Versjon(
                dokument_id=rad.id,
                nummer=gjeldende.nummer + 1,
                data=data,
                data_sha256=_sha(data),
                status=BEHANDLES,
            )
            session.add(versjon)
        session.flush()
        logg(session, aktor, "ny_versjon", "dokument", rad.id)
        versjon_id = versjon.id
    deps.jobs.submit(lag_utkast, deps, versjon_id)
    return hent(deps, aktor, dokument_id, logg_lesing=False)


def lagre_kladd(
    deps: Deps,
    aktor: Aktor,
    type_navn: str,
    data: dict[str, Any],
    *,
    dokument_id: str | None = None,
    deltaker_id: int | None = None,
    gjennomforing_id: int | None = None,
    plassering_id: int | None = None,
    ny_id: str | None = None,
    rettelse: int | None = None,
) -> Dokument:
    """Save a form's data as written, valid or not, as a kladd: nothing is converted.

    Without ``dokument_id`` a new document is made with the kladd as its version 1 (for
    ``deltaker_id``/``gjennomforing_id``/``plassering_id`` as :func:`opprett`); with it, the
    document's current kladd is overwritten (saving as one types makes no new versions). A document
    past its kladd (a preview, locked or finished) gets its correction saved as a kladd of
    its next version (:attr:`Dokument.rettekladd`), made by the first save and saved over
    by the next ones, when ``rettelse`` names its current version (the correction form
    says which version it corrects, so a late save of a form already submitted makes no
    kladd); the current version stays as it is, approvals, seal and frister included,
    until the correction is saved as a version (:func:`ny_versjon`). ``ny_id``:
    the new form's id (:func:`form_id`): its first save makes the kladd under it, the next
    ones save over it.

    Raises:
        AccessDeniedError: the caller may not write documents.
        RecordNotFoundError: no such document, deltaker, gjennomføring or placement the
            caller may see.
        InputInvalidError: the type is unknown, the data is not a form's object, or the
            placement is another deltaker's than ``deltaker_id``.
        StateConflictError: the data is of another type than the document, or the
            document is past its kladd and ``rettelse`` is not its current version.
    """
    aktor.krev("dokument.skriv")
    if type_navn not in TITLER or not isinstance(data, dict):
        raise InputInvalidError([FieldError("type", "ukjent dokumenttype")])
    data = {**data, "type": type_navn}
    try:
        deltaker, fra, til = _sammendrag(data)
    except (KeyError, TypeError, AttributeError):  # a draft may hold anything
        deltaker, fra, til = "", None, None
    deltaker = (deltaker if isinstance(deltaker, str) else "")[:200]
    fra, til = _iso_eller_ingen(fra), _iso_eller_ingen(til)
    if dokument_id is None and ny_id is not None and _finnes(deps, aktor, ny_id):
        dokument_id = ny_id
    with deps.sessions.begin() as session:
        if dokument_id is not None:
            rad = _dokument(session, aktor, dokument_id, las=True)
            if rad.type != type_navn:
                raise StateConflictError(f"dokumentet er en {tittel(rad.type).lower()}")
            if rad.gjeldende.status == KLADD:
                versjon = rad.gjeldende
                rad.deltaker, rad.periode_fra, rad.periode_til = deltaker, fra, til
            elif rettelse is not None and rettelse == rad.gjeldende.nummer:
                versjon = _rettekladd(session, rad)
            else:
                raise StateConflictError(
                    "dokumentet er ikke lenger som da skjemaet ble åpnet; åpne det på nytt"
                )
            versjon.data, versjon.data_sha256 = data, _sha(data)
            logg(session, aktor, "lagre_kladd", "dokument", rad.id)
            return rad
        deltaker_id = _plasseringens_deltaker(session, aktor, plassering_id, deltaker_id)
        gjennomforing_id = _eier(session, aktor, deltaker_id, gjennomforing_id)
        rad = _nytt_dokument(
            session, aktor, data, (deltaker, fra, til), KLADD,
            ny_id=ny_id, deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id,
            plassering_id=plassering_id,
        )  # fmt: skip
        logg(session, aktor, "lagre_kladd", "dokument", rad.id)
    return rad


def _rettekladd(session: Session, rad: Dokument) -> Versjon:
    """Return the document's correction kladd, made as its next version when there is none
    (its data is set by the caller)."""
    if rad.rettekladd is not None:
        return rad.rettekladd
    kladd = Versjon(
        nummer=rad.versjoner[-1].nummer + 1, data={}, data_sha256="", status=KLADD,
        godkjenninger=[],
    )  # fmt: skip
    rad.versjoner.append(kladd)
    session.flush()
    return kladd


def forkast_rettekladd(deps: Deps, aktor: Aktor, dokument_id: str) -> None:
    """Throw away the kladd of a correction; the current version is as it was.

    Raises:
        RecordNotFoundError: no such document, or it has no correction kladd.
    """
    aktor.krev("dokument.skriv")
    with deps.sessions.begin() as session:
        rad = _dokument(session, aktor, dokument_id, las=True)
        kladd = rad.rettekladd
        if kladd is None:
            raise RecordNotFoundError("dokumentet har ingen kladd til ny versjon")
        rad.versjoner.remove(kladd)
        session.delete(kladd)
        logg(session, aktor, "forkast_kladd", "dokument", rad.id)


def form_id(verdi: str | None) -> str:
    """Return a new form's document id: the one it was shown with (a UUID), else a new one."""
    try:
        return str(uuid.UUID(verdi or ""))
    except ValueError:
        return new_id()


def _finnes(deps: Deps, aktor: Aktor, dokument_id: str) -> bool:
    """Whether a document of this id exists (in the caller's organisation, or refused).

    Raises:
        RecordNotFoundError: the id is another organisation's document's.
    """
    with deps.sessions() as session:
        org_id = session.scalar(select(Dokument.org_id).where(Dokument.id == dokument_id))
    if org_id is not None and org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke dokumentet")
    return org_id is not None


def _iso_eller_ingen(verdi: Any) -> str | None:
    """Return an ISO date as it is, anything else a draft holds as None."""
    if isinstance(verdi, str) and len(verdi) == 10:
        try:
            dt.date.fromisoformat(verdi)
        except ValueError:
            return None
        return verdi
    return None


def godkjenn(deps: Deps, aktor: Aktor, dokument_id: str, g: Godkjenningsdata) -> Dokument:
    """Record one party's approval of the current version; the last one queues the seal.

    The signed-in user approves their own organisation's party (``arrangor``,
    ``leverandor``) as ``innlogget``. Any other party's approval, or one given on someone's
    behalf (``paa_vegne_av``), is registered ``pa_vegne_av``: it needs the name of the
    person who approved and a reason, and records who registered it. A party who can
    approve for themselves gets an approval link instead
    (:mod:`dokgen.services.godkjenningslenker`).

    Raises:
        RecordNotFoundError: no such document in the caller's organisation.
        InputInvalidError: the party is not one of the document's parties, or already
            approved; an on-behalf approval lacks its reason or name (nothing is written).
        StateConflictError: the version is not ready for approval.
    """
    aktor.krev("dokument.skriv")
    egen = g.part in EGNE_PARTER and not g.paa_vegne_av
    with deps.sessions.begin() as session:
        rad = _dokument(session, aktor, dokument_id, las=True)
        versjon_id = registrer_godkjenning(
            session, deps, aktor, rad, g, metode=INNLOGGET if egen else PA_VEGNE_AV
        )
    start_forsegling(deps, versjon_id)
    return hent(deps, aktor, dokument_id, logg_lesing=False)


def registrer_godkjenning(
    session: Session,
    deps: Deps,
    aktor: Aktor,
    rad: Dokument,
    g: Godkjenningsdata,
    *,
    metode: str,
    registrert_av: str | None = None,
) -> int | None:
    """Add one party's approval of the document's current version to the session, move the
    version on and audit it ``godkjenn``; return the version's id when this was the last
    party's (pass it to :func:`start_forsegling` after the commit), else None.

    The document must be held (``_dokument(..., las=True)``), so two approvals at once see
    each other.

    Args:
        metode: how it was given, a key of :data:`METODER`.
        registrert_av: who registered it (the caller's name when None).

    Raises:
        InputInvalidError: the party is not one of the document's, or already approved; a
            ``pa_vegne_av`` approval lacks its reason, or its name for another party.
        StateConflictError: the version is not ready for approval.
    """
    versjon = rad.gjeldende
    if versjon.status not in (UTKAST, DELVIS):
        raise StateConflictError(
            f"versjon {versjon.nummer} kan ikke godkjennes nå ({STATUSTEKST[versjon.status]})"
        )
    gyldige = parter(versjon.data)
    errors = []
    if not g.part:
        valg = ", ".join(PARTNAVN.get(p, p) for p in gyldige)
        errors.append(FieldError("part", f"velg parten som godkjenner: {valg}"))
    elif g.part not in gyldige:
        errors.append(FieldError("part", "må være en av: " + ", ".join(gyldige)))
    elif any(x.part == g.part for x in versjon.godkjenninger):
        errors.append(FieldError("part", f"{PARTNAVN.get(g.part, g.part)} har godkjent"))
    elif metode == PA_VEGNE_AV:
        if not g.begrunnelse:
            errors.append(FieldError("begrunnelse", "oppgi hvorfor du godkjenner på vegne av"))
        if g.part not in EGNE_PARTER and not (g.navn or g.paa_vegne_av):
            errors.append(
                FieldError("navn", "skriv navnet på den som godkjente for parten, f.eks. Lise Berg")
            )
    errors += _for_lange(g)
    if errors:
        raise InputInvalidError(errors)
    # Another party's approval names that party's person, never the one registering it.
    paa_vegne_av, navn = g.paa_vegne_av, g.navn
    if metode == PA_VEGNE_AV and g.part not in EGNE_PARTER:
        paa_vegne_av, navn = paa_vegne_av or navn, navn or paa_vegne_av
    session.add(
        Godkjenning(
            versjon=versjon,
            part=g.part,
            navn=navn or aktor.navn,
            bruker=registrert_av or aktor.navn,
            paa_vegne_av=paa_vegne_av,
            begrunnelse=g.begrunnelse,
            innhold_sha256=versjon.data_sha256,
            tidspunkt=deps.clock(),
            metode=metode,
        )
    )
    session.flush()
    ferdig = {x.part for x in versjon.godkjenninger} >= set(gyldige)
    versjon.status = FORSEGLES if ferdig else DELVIS
    logg(session, aktor, "godkjenn", "dokument", rad.id, METODER[metode])
    return versjon.id if ferdig else None


def start_forsegling(deps: Deps, versjon_id: int | None) -> None:
    """Queue the seal of a version every party approved (``versjon_id`` from
    :func:`registrer_godkjenning`, after its commit); None does nothing."""
    if versjon_id is not None:
        deps.jobs.submit(forsegl, deps, versjon_id)


def _for_lange(g: Godkjenningsdata) -> list[FieldError]:
    # The column lengths bind on PostgreSQL (a longer value is a database error there,
    # while SQLite stores it anyway): refuse it as input instead, the same on both.
    errors = []
    for felt in ("navn", "paa_vegne_av", "begrunnelse"):
        verdi: str | None = getattr(g, felt)
        grense = getattr(Godkjenning.__table__.c[felt].type, "length", None)
        if verdi and grense and len(verdi) > grense:
            errors.append(FieldError(felt, f"kan ha høyst {grense} tegn"))
        elif verdi:
            try:  # printed in the seal: only characters its font draws
                check_printable(verdi)
            except ValueError as error:
                errors.append(FieldError(felt, str(error)))
    return errors


def prov_igjen(deps: Deps, aktor: Aktor, dokument_id: str) -> Dokument:
    """Queue the failed or stalled step of the current version again.

    A version may be retried when it failed, when no job has held it for a lease's length
    (its worker died), or when every party approved it but it was never sealed; one
    approved by all is sealed, any other gets its preview made again.

    Raises:
        RecordNotFoundError: no such document in the caller's organisation.
        StateConflictError: the version has not failed and a job still works on it.
    """
    aktor.krev("dokument.skriv")
    with deps.sessions.begin() as session:
        versjon = _dokument(session, aktor, dokument_id, las=True).gjeldende
        alle = _alle_godkjent(versjon)
        if not (
            versjon.status == FEILET
            or leases.stalled(deps, versjon, (BEHANDLES, FORSEGLES))
            or _uforseglet(versjon)
        ):
            raise StateConflictError("bare en feilet eller stanset versjon kan prøves igjen")
        versjon.status, versjon.feil = (FORSEGLES if alle else BEHANDLES), None
        versjon.jobb_frist, versjon.jobb_forsok = None, 0  # a person's retry: fresh attempts
        logg(session, aktor, "prov_igjen", "dokument", dokument_id)
        versjon_id = versjon.id
    deps.jobs.submit(forsegl if alle else lag_utkast, deps, versjon_id)
    return hent(deps, aktor, dokument_id, logg_lesing=False)


def stanset(deps: Deps, versjon: Versjon) -> str | None:
    """Say why a version that has not failed may be retried now, or None.

    ``"avbrutt"``: no job has held it for a lease's length (its worker died);
    ``"uforseglet"``: every party approved it but no seal is under way.
    """
    if leases.stalled(deps, versjon, (BEHANDLES, FORSEGLES)):
        return "avbrutt"
    if versjon.status != FEILET and _uforseglet(versjon):
        return "uforseglet"
    return None


def _alle_godkjent(versjon: Versjon) -> bool:
    return {x.part for x in versjon.godkjenninger} >= set(parter(versjon.data))


def _uforseglet(versjon: Versjon) -> bool:
    """Whether every party approved the version but no seal is under way or done."""
    return versjon.status in (UTKAST, DELVIS, FEILET) and _alle_godkjent(versjon)


def hent(deps: Deps, aktor: Aktor, dokument_id: str, *, logg_lesing: bool = True) -> Dokument:
    """Return a document with its versions and approvals.

    Raises:
        RecordNotFoundError: no such document in the caller's organisation.
    """
    aktor.krev("dokument.les")
    with deps.sessions() as session:
        rad = _dokument(session, aktor, dokument_id)
        session.expunge_all()  # the rows outlive the read-only session
    if logg_lesing:
        deps.read_audit.write(aktor, "les", "dokument", rad.id)
    return rad


def finn(
    deps: Deps,
    aktor: Aktor,
    *,
    type: str | None = None,
    status: str | None = None,
    deltaker: str | None = None,
    fra: str | None = None,
    til: str | None = None,
    deltaker_id: int | None = None,
    grense: int = 200,
) -> list[Dokument]:
    """Search the organisation's documents, newest first (the current version's status).

    ``fra``/``til`` keep documents whose period overlaps them (ISO dates); ``deltaker_id``
    keeps those linked to that deltaker of the register.

    Raises:
        InputInvalidError: a search field is longer than ``MAKS_SOK``.
    """
    aktor.krev("dokument.les")
    sjekk_sok({"type": type, "status": status, "deltaker": deltaker, "fra": fra, "til": til})
    query = (
        select(Dokument)
        .join(Versjon, Versjon.dokument_id == Dokument.id)
        .where(Dokument.org_id == aktor.org_id, Versjon.status != ERSTATTET)
        .options(selectinload(Dokument.versjoner).selectinload(Versjon.godkjenninger))
        .order_by(Dokument.opprettet.desc())
        .limit(grense)
    )
    if type:
        query = query.where(Dokument.type == type)
    if status:
        query = query.where(Versjon.status == status)
    if deltaker:
        query = query.where(Dokument.deltaker.ilike(f"%{_like(deltaker)}%", escape="\\"))
    if deltaker_id is not None:
        query = query.where(Dokument.deltaker_id == deltaker_id)
    if fra:
        query = query.where(or_(Dokument.periode_til.is_(None), Dokument.periode_til >= fra))
    if til:
        query = query.where(or_(Dokument.periode_fra.is_(None), Dokument.periode_fra <= til))
    with deps.sessions() as session:
        rader = list(session.scalars(query).unique())
        session.expunge_all()
    deps.read_audit.write(aktor, "sok", "dokument", None)
    return rader


def dokumenter_for_plassering(deps: Deps, aktor: Aktor, plassering_id: int) -> list[dict[str, Any]]:
    """Return the documents started from a placement, oldest first, for its page.

    Each is ``id``, ``type``, ``tittel`` (the type in words), ``status`` and ``status_tekst``
    (its current version's, in words), ``opprettet`` (when, a UTC datetime), ``opprettet_av``
    and ``lenke`` (its page, from the site's root).

    Raises:
        AccessDeniedError: the caller may not read documents or the praksisplass register.
        RecordNotFoundError: no such placement in the caller's organisation whose deltaker
            the caller may see.
    """
    aktor.krev("dokument.les")
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        _plassering(session, aktor, plassering_id)
        rader = session.scalars(
            select(Dokument)
            .where(Dokument.org_id == aktor.org_id, Dokument.plassering_id == plassering_id)
            .options(selectinload(Dokument.versjoner))
            .order_by(Dokument.opprettet, Dokument.id)
        ).all()
        ut = [
            {
                "id": rad.id,
                "type": rad.type,
                "tittel": tittel(rad.type),
                "status": rad.gjeldende.status,
                "status_tekst": STATUSTEKST[rad.gjeldende.status],
                "opprettet": utc(rad.opprettet),
                "opprettet_av": rad.opprettet_av,
                "lenke": f"/dokumenter/{rad.id}",
            }
            for rad in rader
        ]
    deps.read_audit.write(aktor, "sok", "dokument", None)
    return ut


def fil(deps: Deps, aktor: Aktor, dokument_id: str, art: str) -> tuple[Iterator[bytes], str]:
    """Return the current version's PDF (sealed once approved, else the preview) or DOCX, in
    chunks read from the file store as the download goes, and its download name.

    Raises:
        RecordNotFoundError: no such document, or its file is not made yet.
        FileMissingError: the store does not have the file.
    """
    aktor.krev("dokument.les")
    with deps.sessions.begin() as session:
        rad = _dokument(session, aktor, dokument_id)
        versjon = rad.gjeldende
        if art == "docx":
            sha = versjon.docx_sha256
        else:
            sha = versjon.pdf_sha256 or versjon.utkast_pdf_sha256
        if sha is None:
            raise RecordNotFoundError("filen er ikke laget ennå")
        logg(session, aktor, f"last_ned_{art}", "dokument", rad.id)
        nr = None
        if rad.deltaker_id is not None:
            nr = session.scalar(select(Deltaker.nr).where(Deltaker.id == rad.deltaker_id))
        navn = filnavn(rad, versjon, art, nr)
    return deps.store.stream(sha), navn


def filnavn(rad: Dokument, versjon: Versjon, art: str, deltaker_nr: str | None = None) -> str:
    """Return a safe download name: type, deltaker, period and version.

    The deltaker is their number in the register (``deltaker_nr``), else the initials of
    the name the document gives; never a fødselsnummer (a number of 11 digits is left
    out). ASCII only (æ → ae, ø → o, å → a), e.g.
    ``statusrapport-D-0017-2026-03-02_2026-06-01-v1.pdf``.
    """
    utkast = "" if art == "docx" or versjon.pdf_sha256 else "-utkast"
    hvem = _ascii(deltaker_nr or "")
    if not hvem or re.fullmatch(r"\d{11}", hvem.replace("-", "")):
        hvem = "".join(d[0] for d in _ascii(rad.deltaker or "").split() if d[0].isalpha())
        hvem = hvem.upper()[:4]
    fra, til = rad.periode_fra, rad.periode_til
    if fra and til and fra != til:
        periode = f"{fra}_{til}"
    else:
        periode = fra or til or rad.opprettet.date().isoformat()
    deler = [rad.type, hvem, periode, f"v{versjon.nummer}{utkast}"]
    return "-".join(d for d in deler if d) + f".{art}"


# Letters NFKD does not take apart into a Latin letter and a mark.
_ASCII = str.maketrans(
    {"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T", "ß": "ss"}
)  # fmt: skip


def _ascii(tekst: str) -> str:
    """Return the text in ASCII letters, digits and ``-`` only."""
    tekst = unicodedata.normalize("NFKD", tekst.translate(_ASCII))
    tekst = tekst.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 -]+", "", tekst).strip()


def lag_utkast(deps: Deps, versjon_id: int) -> None:
    """Job: fill the template and convert it to an unsealed PDF/A preview marked UTKAST.

    The stored DOCX is the unmarked fill; only the preview PDF carries the band.
    """

    def work() -> dict[str, str]:
        with deps.sessions() as session:
            versjon = _versjon(session, versjon_id)
            data, org_id, type_navn = versjon.data, versjon.dokument.org_id, versjon.dokument.type
            mal = nyeste_mal(session, deps, org_id, type_navn)
        docx = render_docx(
            type_navn,
            data,
            mal=mal,
            maler_dir=deps.settings.maler_dir,
            timeout=deps.settings.mal_tidsgrense,
        )
        pdf = deps.converter.convert(merk_utkast(docx))
        return {"docx_sha256": deps.store.put(docx), "utkast_pdf_sha256": deps.store.put(pdf)}

    _run(deps, versjon_id, BEHANDLES, UTKAST, work)


def godkjenningslinje(g: Godkjenning) -> Godkjenningslinje:
    """Return one stored approval as the seal shows it.

    One registered on someone's behalf names the person it was for (``paa_vegne_av``), and
    the staff member who registered it (``bruker``) with the reason.
    """
    metode = g.metode if g.metode in METODER else PA_VEGNE_AV if g.paa_vegne_av else INNLOGGET
    i_ord = METODER[metode]
    paa_vegne = bool(g.paa_vegne_av) or metode == PA_VEGNE_AV
    return Godkjenningslinje(
        navn=g.paa_vegne_av or g.navn,
        rolle=PARTNAVN.get(g.part, g.part),
        metode=i_ord,
        tidspunkt=g.tidspunkt if g.tidspunkt.tzinfo else g.tidspunkt.replace(tzinfo=UTC),
        registrert_av=g.bruker if paa_vegne else None,
        begrunnelse=g.begrunnelse if paa_vegne else None,
    )


def forsegl(deps: Deps, versjon_id: int) -> None:
    """Job: seal the approved version's PDF/A with every approver in the stamp and archive it.

    The preview's DOCX was filled from the same locked content, so it is converted again
    without the preview's UTKAST band; it is filled again only when its file is missing.
    """

    def work() -> dict[str, str]:
        with deps.sessions() as session:
            versjon = _versjon(session, versjon_id)
            data, rad = versjon.data, versjon.dokument
            godkjenninger = [godkjenningslinje(g) for g in versjon.godkjenninger]
            dokument_id = f"{rad.id} v{versjon.nummer}"
            mal = nyeste_mal(session, deps, rad.org_id, rad.type)
            docx_sha, org_id = versjon.docx_sha256, rad.org_id
        files: dict[str, str] = {}
        if docx_sha is not None and docx_sha in deps.store:
            pdf = deps.converter.convert(deps.store.get(docx_sha))
        else:
            docx = render_docx(
                data["type"],
                data,
                mal=mal,
                maler_dir=deps.settings.maler_dir,
                timeout=deps.settings.mal_tidsgrense,
            )
            files["docx_sha256"] = deps.store.put(docx)
            pdf = deps.converter.convert(docx)
        sealed = deps.sealer_for(org_id).seal(
            pdf, godkjenninger=godkjenninger, dokument_id=dokument_id
        )
        return {**files, "pdf_sha256": deps.store.put(sealed)}

    _run(deps, versjon_id, FORSEGLES, GODKJENT, work)


def _run(
    deps: Deps,
    versjon_id: int,
    fra_status: str,
    til_status: str,
    work: Callable[[], dict[str, str]],
) -> None:
    """Run a job's work under the version's lease; store its file hashes and move the
    version on, or mark it feilet.

    Whatever goes wrong, the version never stays in ``fra_status``: a failure is feilet with
    a retry offered, and a process that dies or cannot write leaves a lease that runs out
    (:mod:`dokgen.runtime.leases`), so the job is queued again or, after too many starts, feilet.
    """
    with leases.holdt(deps, Versjon, versjon_id, fra_status) as forsok:
        if forsok is None:  # done, or another job holds it
            return
        if forsok > leases.MAKS_FORSOK:
            log.warning("versjon %s: %d avbrutte forsøk; feilet", versjon_id, forsok - 1)
            _set(deps, versjon_id, fra_status, status=FEILET, feil=leases.avbrutt_tekst(forsok - 1))
            return
        try:
            hashes = work()
        except Exception as exc:  # the row must not stay "behandles" for ever
            log.warning("versjon %s feilet: %s", versjon_id, type(exc).__name__)
            _set(deps, versjon_id, fra_status, status=FEILET, feil=_feiltekst(exc))
            return
        _set(deps, versjon_id, fra_status, status=til_status, **hashes)


def _set(deps: Deps, versjon_id: int, fra_status: str, **values: str) -> None:
    """Update the version only if it is still where the job found it; its lease ends."""
    with deps.sessions.begin() as session:
        versjon = session.get(Versjon, versjon_id)
        if versjon is not None and versjon.status == fra_status:
            for key, value in values.items():
                setattr(versjon, key, value)
            versjon.jobb_frist, versjon.jobb_forsok = None, 0
            if values.get("status") == GODKJENT:  # finalised: it can meet a frist now
                dok = versjon.dokument
                dok.ferdig = deps.clock()
                foreld_frister(
                    session,
                    deltaker_ids=[dok.deltaker_id],
                    gjennomforing_ids=[dok.gjennomforing_id],
                )
                if dok.type == "samarbeidsavtale":
                    _lokal_sluttrapportfrist(session, dok, versjon)


def _lokal_sluttrapportfrist(session: Session, dok: Dokument, versjon: Versjon) -> None:
    """Set the gjennomføring's sluttrapport days from a finalised samarbeidsavtale.

    AMB §1.5 b: the frist for the sluttrapport after Kvalifisering and Tilrettelagt arbeid
    is agreed locally in the samarbeidsavtale; the rule pack reads it from the
    gjennomføring's ``sluttrapport_dager``. The latest finalised avtale sets it; the change
    is audited (by dokgen, as the finalising job) and the frister are computed again. An
    avtale that belongs to no gjennomføring sets nothing.
    """
    dager = versjon.data.get("sluttrapport_frist_dager")
    g = session.get(Gjennomforing, dok.gjennomforing_id) if dok.gjennomforing_id else None
    if g is None or not isinstance(dager, int) or g.sluttrapport_dager == dager:
        return
    forrige = g.sluttrapport_dager
    g.sluttrapport_dager = dager
    foreld_frister(session, gjennomforing_ids=[g.id])
    logg(
        session,
        Aktor(dok.org_id, "dokgen", "system"),
        "endre",
        "gjennomforing",
        str(g.id),
        f"sluttrapportfrist {forrige if forrige is not None else 'standard'} -> {dager} "
        f"dager fra samarbeidsavtale {dok.id}",
    )


def _versjon(session: Session, versjon_id: int) -> Versjon:
    versjon = session.get(Versjon, versjon_id)
    if versjon is None:
        raise RecordNotFoundError("fant ikke versjonen")
    return versjon


def _feiltekst(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno in LAGRING_FULL:
        return "Lagringen er full, så resultatet kunne ikke lagres. Prøv igjen senere."
    if isinstance(exc, ConversionFailedError):
        return "PDF-konverteringen feilet. Prøv igjen."
    if isinstance(exc, SigningFailedError):
        return "Forseglingen feilet: sertifikatet kunne ikke brukes."
    if isinstance(exc, TemplateLimitError):
        return f"Malen {exc.what} og ble stoppet. En administrator må rette malen."
    if isinstance(exc, TemplateInvalidError):
        return "Malen passer ikke til dataene: " + "; ".join(exc.reasons)
    if isinstance(exc, DokgenError):
        return "Dokumentet kunne ikke lages."
    return "Dokumentet kunne ikke lages (intern feil). Prøv igjen."


def nyeste_mal(session: Session, deps: Deps, org_id: int, type_navn: str) -> bytes | None:
    """Return the organisation's newest uploaded template of the type, if any."""
    query = (
        select(Malversjon.sha256)
        .where(Malversjon.org_id == org_id, Malversjon.type == type_navn)
        .order_by(Malversjon.nummer.desc())
        .limit(1)
    )
    sha = session.scalar(query)
    return deps.store.get(sha) if sha else None


def finn_rad(session: Session, aktor: Aktor, dokument_id: str, *, las: bool = False) -> Dokument:
    """Return a document of the caller's organisation with its versions and approvals, in
    the caller's session; ``las`` holds it for writing first (see :func:`_dokument`).

    Raises:
        RecordNotFoundError: no such document in the caller's organisation.
    """
    return _dokument(session, aktor, dokument_id, las=las)


def _dokument(session: Session, aktor: Aktor, dokument_id: str, *, las: bool = False) -> Dokument:
    if las:
        # A writer holds the document before it reads its approvals, so the second of two
        # approvals sees the first (else both miss each other: a double click hits the
        # unique constraint, and the last parties leave the agreement approved by all but
        # never sealed). See lock_for_update for how SQLite is held.
        lock_for_update(
            session,
            select(Dokument.id).where(Dokument.id == dokument_id, Dokument.org_id == aktor.org_id),
        )
    # Versions and approvals in the same query: one round trip, however many versions.
    loading = joinedload(Dokument.versjoner).joinedload(Versjon.godkjenninger)
    rad = session.get(Dokument, dokument_id, options=[loading])
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke dokumentet")
    return rad


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tittel(type_navn: str) -> str:
    """Return the document type's title for lists and headings."""
    return TITLER.get(type_navn, type_navn)


def gjenoppta(deps: Deps) -> int:
    """Queue again every version left ``behandles``/``forsegles`` by a stopped process, and
    seal every version all parties approved that was never sealed (utkast, delvis godkjent
    or feilet with every approval: a seal interrupted before it was queued, or failed)."""
    with deps.sessions.begin() as session:
        uforseglet = [
            versjon
            for versjon in session.scalars(
                select(Versjon)
                .where(Versjon.status.in_((UTKAST, DELVIS, FEILET)))
                .where(Versjon.godkjenninger.any())
                .options(selectinload(Versjon.godkjenninger))
            )
            if _alle_godkjent(versjon)
        ]
        for versjon in uforseglet:
            log.info("versjon %s er godkjent av alle, men ikke forseglet; forsegles", versjon.id)
            versjon.status, versjon.feil = FORSEGLES, None
            versjon.jobb_frist, versjon.jobb_forsok = None, 0
    with deps.sessions() as session:
        rader = session.execute(
            select(Versjon.id, Versjon.status).where(Versjon.status.in_((BEHANDLES, FORSEGLES)))
        ).all()
    for versjon_id, status in rader:
        deps.jobs.submit(lag_utkast if status == BEHANDLES else forsegl, deps, versjon_id)
    return len(rader)
