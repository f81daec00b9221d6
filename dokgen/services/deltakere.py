"""Deltakere: the people the organisation follows, each in one gjennomføring.

Veiledere and admins register and change them, every role reads them. A deltaker with
adressebeskyttelse has no address stored and is seen only by the users who follow them
and by admins: to everyone else (API tokens included) they do not exist, as in NAV's own
tool. Every read and change is in the audit log, never the content; the fødselsnummer is
never in a log line, an error or a URL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import frister as fristregler
from dokgen.oppfolging.kodeverk import arsak_ord, status_ord
from dokgen.oppfolging.modeller import DeltakerInn, Status
from dokgen.services.audit import logg, neutralise_cell
from dokgen.services.gjennomforinger import finn_rad as gjennomforing_rad
from dokgen.storage.db import (
    Bruker,
    Deltaker,
    Deltakerstatus,
    Deltakerveileder,
    Fristkobling,
    Gjennomforing,
    Organisasjon,
    foreld_frister,
    lock_for_update,
)
from ehf.identifiers import birth_date

if TYPE_CHECKING:
    from dokgen.deps import Deps

KILDER = ("skjema", "api", "import")
SORTERINGER = ("navn", "nr", "oppstartdato", "sluttdato", "status")
MAKS_SOK = 100


@dataclass(frozen=True)
class Utvalg:
    """Which deltakere a list shows: each filter narrows it (None: all)."""

    status: str | None = None
    veileder: int | None = None  # a user's id: the deltakere they follow
    gjennomforing_id: int | None = None
    sok: str | None = None  # part of the name, or the nr
    sorter: str = "navn"
    synkende: bool = False
    grense: int = 500
    start: int = 0  # rows to skip: a page of the list


def navn(rad: Deltaker) -> str:
    """Return the deltaker's full name."""
    return " ".join(d for d in (rad.fornavn, rad.mellomnavn, rad.etternavn) if d)


def fodselsdato(rad: Deltaker) -> str | None:
    """Return the birth date (ISO) the fødselsnummer encodes: lists show this, not the number."""
    dato = birth_date(rad.fodselsnummer)
    return dato.isoformat() if dato else None


def _dato(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _status(
    type_: str, aarsak: str | None, beskrivelse: str | None, fra: date | None
) -> dict[str, Any]:
    return {
        "type": type_,
        "tekst": status_ord(type_),
        "aarsak": aarsak,
        "aarsak_tekst": arsak_ord(aarsak, beskrivelse) or None,
        "beskrivelse": beskrivelse,
        "gyldig_fra": _dato(fra),
    }


def _veiledere(rad: Deltaker) -> list[dict[str, Any]]:
    return [
        {
            "bruker_id": v.bruker_id,
            "brukernavn": v.bruker.brukernavn,
            "navn": v.bruker.navn,
            "type": v.type,
        }
        for v in rad.veiledere
    ]


def kort(rad: Deltaker) -> dict[str, Any]:
    """Return a deltaker as lists show them: no fødselsnummer, no contact, no address."""
    return {
        "id": rad.id,
        "nr": rad.nr,
        "gjennomforing_id": rad.gjennomforing_id,
        "navn": navn(rad),
        "fornavn": rad.fornavn,
        "etternavn": rad.etternavn,
        "fodselsdato": fodselsdato(rad),
        "oppstartdato": _dato(rad.oppstartdato),
        "sluttdato": _dato(rad.sluttdato),
        "status": _status(
            rad.status, rad.status_aarsak, rad.status_beskrivelse, rad.status_gyldig_fra
        ),
        "adressebeskyttet": rad.adressebeskyttet,
        "veiledere_arrangor": _veiledere(rad),
    }


def som_data(rad: Deltaker) -> dict[str, Any]:
    """Return a deltaker with every field of ``kontrakt/deltaker.json`` and the history."""
    return {
        **kort(rad),
        "mellomnavn": rad.mellomnavn,
        "fodselsnummer": rad.fodselsnummer,
        "telefon": rad.telefon,
        "epost": rad.epost,
        "adresse": None if rad.adressebeskyttet else rad.adresse,
        "soknadsdato": _dato(rad.soknadsdato),
        "bestilling_fra_nav": rad.bestilling_fra_nav,
        "innsokende_nav_kontor": rad.innsokende_nav_kontor,
        "veileder_nav": rad.veileder_nav,
        "deltakelsesprosent": rad.deltakelsesprosent,
        "dager_per_uke": rad.dager_per_uke,
        "historikk": [
            {
                **_status(h.type, h.aarsak, h.beskrivelse, h.gyldig_fra),
                "registrert": h.registrert.isoformat(),
                "registrert_av": h.registrert_av,
                "kilde": h.kilde,
            }
            for h in rad.historikk
        ],
    }


def synlige(aktor: Aktor) -> ColumnElement[bool]:
    """Return the condition on ``Deltaker`` of the deltakere the caller may see at all."""
    i_org = Deltaker.org_id == aktor.org_id
    if aktor.rolle == "admin":
        return i_org
    if aktor.bruker_id is None:
        return and_(i_org, Deltaker.adressebeskyttet == false())
    tildelt = (
        exists()
        .where(
            Deltakerveileder.deltaker_id == Deltaker.id,
            Deltakerveileder.bruker_id == aktor.bruker_id,
        )
        .correlate_except(Deltakerveileder)
    )
    return and_(i_org, or_(Deltaker.adressebeskyttet == false(), tildelt))


def finn_rad(session: Session, aktor: Aktor, deltaker_id: int) -> Deltaker:
    """Return a deltaker the caller may see.

    Raises:
        RecordNotFoundError: none with that id the caller may see (another organisation's,
            or protected and not followed by the caller: the same answer).
    """
    rad = session.scalar(
        select(Deltaker)
        .where(Deltaker.id == deltaker_id, synlige(aktor))
        .options(
            selectinload(Deltaker.historikk),
            selectinload(Deltaker.veiledere).selectinload(Deltakerveileder.bruker),
        )
    )
    if rad is None:
        raise RecordNotFoundError("fant ikke deltakeren")
    return rad


def _neste_nr(session: Session, org: Organisasjon) -> str:
    while True:
        nr = f"D-{org.neste_deltakernummer:04d}"
        org.neste_deltakernummer += 1
        if not session.scalar(select(exists().where(Deltaker.org_id == org.id, Deltaker.nr == nr))):
            return nr


def _dubletter(
    session: Session, org_id: int, inn: DeltakerInn, unntatt: int | None
) -> list[FieldError]:
    feil = []
    annen = session.scalar(
        select(Deltaker.nr).where(
            Deltaker.org_id == org_id,
            Deltaker.fodselsnummer == inn.fodselsnummer,
            Deltaker.id != (unntatt or 0),
        )
    )
    if annen is not None:
        feil.append(
            FieldError(
                "fodselsnummer",
                f"det finnes allerede en deltaker med dette fødselsnummeret ({annen})",
            )
        )
    if inn.nr is not None and session.scalar(
        select(
            exists().where(
                Deltaker.org_id == org_id, Deltaker.nr == inn.nr, Deltaker.id != (unntatt or 0)
            )
        )
    ):
        feil.append(FieldError("nr", f"nummeret {inn.nr} er brukt av en annen deltaker"))
    return feil


def _brukere(session: Session, org_id: int, inn: DeltakerInn) -> tuple[list[int], list[FieldError]]:
    ider, feil = [], []
    for i, v in enumerate(inn.veiledere_arrangor):
        bruker_id = session.scalar(
            select(Bruker.id).where(
                Bruker.org_id == org_id, Bruker.brukernavn == v.brukernavn, Bruker.aktiv
            )
        )
        if bruker_id is None:
            melding = f"ingen aktiv bruker heter «{v.brukernavn}»: skriv et brukernavn fra Brukere"
            feil.append(FieldError(f"veiledere_arrangor.{i}.brukernavn", melding))
        else:
            ider.append(bruker_id)
    return ider, feil


def _sett_felter(rad: Deltaker, inn: DeltakerInn) -> None:
    for felt in (
        "gjennomforing_id",
        "fornavn",
        "mellomnavn",
        "etternavn",
        "fodselsnummer",
        "telefon",
        "epost",
        "adressebeskyttet",
        "oppstartdato",
        "sluttdato",
        "soknadsdato",
        "bestilling_fra_nav",
        "innsokende_nav_kontor",
        "deltakelsesprosent",
    ):
        setattr(rad, felt, getattr(inn, felt))
    rad.adresse = None if inn.adressebeskyttet or inn.adresse is None else inn.adresse.model_dump()
    rad.veileder_nav = inn.veileder_nav.model_dump() if inn.veileder_nav else None
    rad.dager_per_uke = None if inn.dager_per_uke is None else str(inn.dager_per_uke)


def _ny_status(rad: Deltaker, status: Status, aktor: Aktor, kilde: str, idag: date) -> bool:
    """Set the deltaker's status; a change (or the first) becomes a history entry."""
    gyldig_fra = status.gyldig_fra or idag
    naa = (rad.status, rad.status_aarsak, rad.status_beskrivelse)
    if rad.historikk and naa == (status.type, status.aarsak, status.beskrivelse):
        return False
    rad.status, rad.status_aarsak = status.type, status.aarsak
    rad.status_beskrivelse, rad.status_gyldig_fra = status.beskrivelse, gyldig_fra
    rad.historikk.append(
        Deltakerstatus(
            type=status.type,
            aarsak=status.aarsak,
            beskrivelse=status.beskrivelse,
            gyldig_fra=gyldig_fra,
            registrert_av=aktor.navn,
            kilde=kilde,
        )
    )
    return True


def _sett_veiledere(rad: Deltaker, inn: DeltakerInn, ider: Sequence[int]) -> None:
    onsket = {bruker_id: v.type for bruker_id, v in zip(ider, inn.veiledere_arrangor, strict=True)}
    for v in list(rad.veiledere):
        if v.bruker_id not in onsket:
            rad.veiledere.remove(v)
        else:
            v.type = onsket.pop(v.bruker_id)
    for bruker_id, type_ in onsket.items():
        rad.veiledere.append(Deltakerveileder(bruker_id=bruker_id, type=type_))


def lagre(
    session: Session,
    aktor: Aktor,
    inn: DeltakerInn,
    *,
    kilde: str,
    idag: date,
    rad: Deltaker | None = None,
) -> Deltaker:
    """Create (``rad`` None) or replace a deltaker in an open transaction that holds the
    organisation's write lock: the import commits many through it.

    Raises:
        InputInvalidError: the gjennomføring is not the organisation's, the nr or
            fødselsnummer is another deltaker's, or a veileder is unknown (nothing changed).
    """
    feil: list[FieldError] = []
    try:
        gjennomforing_rad(session, aktor, inn.gjennomforing_id)
    except RecordNotFoundError:
        feil.append(FieldError("gjennomforing_id", "finnes ikke: velg en av gjennomføringene"))
    feil += _dubletter(session, aktor.org_id, inn, rad.id if rad else None)
    ider, brukerfeil = _brukere(session, aktor.org_id, inn)
    feil += brukerfeil
    if feil:
        raise InputInvalidError(feil)
    if rad is None:
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        rad = Deltaker(
            org_id=aktor.org_id, nr=inn.nr or _neste_nr(session, org), historikk=[], veiledere=[]
        )
        session.add(rad)
    elif inn.nr is not None:
        rad.nr = inn.nr
    datoer = (rad.oppstartdato, rad.sluttdato)
    _sett_felter(rad, inn)
    if rad.id is not None:
        flytt_koblinger(session, rad, *datoer, idag=idag)
        foreld_frister(session, deltaker_ids=[rad.id])
    _ny_status(rad, inn.status, aktor, kilde, idag)
    _sett_veiledere(rad, inn, ider)
    session.flush()
    return rad


def flytt_koblinger(
    session: Session,
    rad: Deltaker,
    gammel_start: date | None,
    gammel_slutt: date | None,
    *,
    idag: date,
) -> None:
    """Keep a user's manual links on the same frister when the deltaker's dates move.

    A frist's key names its period's start (``statusrapport:2026-03-02``), so a moved
    oppstart gives every period a new key: a link follows its frist by its place among the
    frister of its type (the second statusrapport stays the second). A link whose frist is
    gone (the period now ends after the sluttdato) is kept as it was, and no longer counts.
    """
    if (gammel_start, gammel_slutt) == (rad.oppstartdato, rad.sluttdato):
        return
    koblinger = list(
        session.scalars(select(Fristkobling).where(Fristkobling.deltaker_id == rad.id))
    )
    if not koblinger or gammel_start is None or rad.oppstartdato is None:
        return
    regelsett = session.get(Gjennomforing, rad.gjennomforing_id)
    if regelsett is None:
        return
    horisont = max(idag, gammel_start, rad.oppstartdato) + timedelta(days=3660)

    def nokler(start: date, slutt: date | None) -> dict[str, list[str]]:
        per_type: dict[str, list[str]] = {}
        for f in fristregler.deltakerfrister(regelsett.regelsett, start, slutt, horisont=horisont):
            per_type.setdefault(f.type, []).append(f.nokkel)
        return per_type

    gamle, nye = nokler(gammel_start, gammel_slutt), nokler(rad.oppstartdato, rad.sluttdato)
    flytt: dict[int, str] = {}
    for k in koblinger:
        type_ = k.nokkel.split(":", 1)[0]
        plass = gamle.get(type_, []).index(k.nokkel) if k.nokkel in gamle.get(type_, []) else -1
        if 0 <= plass < len(nye.get(type_, [])) and nye[type_][plass] != k.nokkel:
            flytt[k.id] = nye[type_][plass]
    if not flytt:
        return
    for k in koblinger:  # through keys no frist has, so no two links ever share one
        if k.id in flytt:
            k.nokkel = f"~{k.id}"
    session.flush()
    for k in koblinger:
        if k.id in flytt:
            k.nokkel = flytt[k.id]
    session.flush()


def _las(session: Session, aktor: Aktor) -> None:
    """Take the organisation's write lock before the first read (numbers and duplicates are
    decided on what no other writer can change meanwhile)."""
    lock_for_update(session, select(Organisasjon).where(Organisasjon.id == aktor.org_id))


def opprett(deps: Deps, aktor: Aktor, inn: DeltakerInn, *, kilde: str = "api") -> dict[str, Any]:
    """Register a deltaker; without ``nr`` the organisation's next number is given.

    Raises:
        AccessDeniedError: the caller may not register deltakere.
        InputInvalidError: see :func:`lagre` (nothing is stored).
    """
    aktor.krev("deltaker.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        _las(session, aktor)
        rad = lagre(session, aktor, inn, kilde=kilde, idag=idag)
        logg(session, aktor, "opprett", "deltaker", str(rad.id))
        rad = finn_rad(session, aktor, rad.id)
        return som_data(rad)


def endre(
    deps: Deps, aktor: Aktor, deltaker_id: int, inn: DeltakerInn, *, kilde: str = "api"
) -> dict[str, Any]:
    """Replace a deltaker's fields (a new status becomes a history entry); their open
    frister move with the dates.

    Raises:
        AccessDeniedError: the caller may not change deltakere.
        RecordNotFoundError: no such deltaker the caller may see.
        InputInvalidError: see :func:`lagre` (nothing is changed).
    """
    aktor.krev("deltaker.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        _las(session, aktor)
        rad = lagre(
            session, aktor, inn, kilde=kilde, idag=idag, rad=finn_rad(session, aktor, deltaker_id)
        )
        logg(session, aktor, "endre", "deltaker", str(rad.id))
        session.refresh(rad)
        return som_data(finn_rad(session, aktor, rad.id))


def endre_status(
    deps: Deps, aktor: Aktor, deltaker_id: int, status: Status, *, kilde: str = "api"
) -> dict[str, Any]:
    """Give a deltaker a new status (a history entry with who and when).

    Raises:
        AccessDeniedError: the caller may not change deltakere.
        RecordNotFoundError: no such deltaker the caller may see.
        InputInvalidError: a description on a reason other than "Annet".
    """
    aktor.krev("deltaker.skriv")
    feil = status.sammenhengsfeil("")
    if feil:
        raise InputInvalidError([FieldError(f.path.lstrip("."), f.message) for f in feil])
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        _las(session, aktor)
        rad = finn_rad(session, aktor, deltaker_id)
        if _ny_status(rad, status, aktor, kilde, idag):
            logg(session, aktor, "endre_status", "deltaker", str(rad.id))
            foreld_frister(session, deltaker_ids=[rad.id])
        session.flush()
        return som_data(rad)


def hent(deps: Deps, aktor: Aktor, deltaker_id: int) -> dict[str, Any]:
    """Return one deltaker with the history (the read is audited).

    Raises:
        RecordNotFoundError: no such deltaker the caller may see.
    """
    aktor.krev("deltaker.les")
    with deps.sessions() as session:
        data = som_data(finn_rad(session, aktor, deltaker_id))
    deps.read_audit.write(aktor, "les", "deltaker", str(deltaker_id))
    return data


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def liste(deps: Deps, aktor: Aktor, utvalg: Utvalg | None = None) -> list[dict[str, Any]]:
    """Return the deltakere the caller may see, filtered and sorted (the read is audited).

    Raises:
        InputInvalidError: an unknown sort or a search longer than ``MAKS_SOK``.
    """
    aktor.krev("deltaker.les")
    u = utvalg or Utvalg()
    if u.sorter not in SORTERINGER:
        melding = f"ukjent sortering: bruk en av {', '.join(SORTERINGER)}"
        raise InputInvalidError([FieldError("sorter", melding)])
    if u.sok and len(u.sok) > MAKS_SOK:
        raise InputInvalidError([FieldError("sok", f"for langt søk (maks {MAKS_SOK} tegn)")])
    query = select(Deltaker).where(synlige(aktor))
    if u.status:
        query = query.where(Deltaker.status == u.status)
    if u.gjennomforing_id is not None:
        query = query.where(Deltaker.gjennomforing_id == u.gjennomforing_id)
    if u.veileder is not None:
        query = query.where(
            exists().where(
                Deltakerveileder.deltaker_id == Deltaker.id,
                Deltakerveileder.bruker_id == u.veileder,
            )
        )
    if u.sok:
        monster = f"%{_like(u.sok.strip().lower())}%"
        fullt = func.lower(Deltaker.fornavn + " " + Deltaker.etternavn)
        query = query.where(
            or_(
                fullt.like(monster, escape="\\"),
                func.lower(Deltaker.etternavn + ", " + Deltaker.fornavn).like(monster, escape="\\"),
                func.lower(Deltaker.nr).like(monster, escape="\\"),
            )
        )
    kolonne = {
        "navn": (Deltaker.etternavn, Deltaker.fornavn),
        "nr": (Deltaker.nr,),
        "oppstartdato": (Deltaker.oppstartdato,),
        "sluttdato": (Deltaker.sluttdato,),
        "status": (Deltaker.status,),
    }[u.sorter]
    orden = [k.desc() if u.synkende else k.asc() for k in kolonne]
    query = (
        query.order_by(*orden, Deltaker.id)
        .offset(max(u.start, 0))
        .limit(u.grense)
        .options(selectinload(Deltaker.veiledere).selectinload(Deltakerveileder.bruker))
    )
    with deps.sessions() as session:
        rader = [kort(rad) for rad in session.scalars(query)]
    deps.read_audit.write(aktor, "sok", "deltaker", None)
    return rader


EKSPORT_FELTER = (
    "Nr",
    "Fornavn",
    "Mellomnavn",
    "Etternavn",
    "Fødselsnummer",
    "Gjennomføring",
    "Status",
    "Årsak",
    "Oppstart",
    "Slutt",
    "NAV-kontor",
    "NAV-veileder",
    "Veileder",
)


def eksport_csv(deps: Deps, aktor: Aktor) -> str:
    """Return every deltaker of the organisation as semicolon-separated CSV, fødselsnummer
    included: the one export that carries it, for admins only, and audited.

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    aktor.krev("admin")
    query = (
        select(Deltaker)
        .where(synlige(aktor))
        .order_by(Deltaker.nr)
        .options(
            selectinload(Deltaker.gjennomforing),
            selectinload(Deltaker.veiledere).selectinload(Deltakerveileder.bruker),
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EKSPORT_FELTER)
    with deps.sessions.begin() as session:
        for rad in session.scalars(query):
            veileder = next((v.bruker.navn for v in rad.veiledere if v.type == "veileder"), "")
            celler = (
                rad.nr,
                rad.fornavn,
                rad.mellomnavn or "",
                rad.etternavn,
                rad.fodselsnummer,
                rad.gjennomforing.navn,
                status_ord(rad.status),
                arsak_ord(rad.status_aarsak, rad.status_beskrivelse),
                _dato(rad.oppstartdato) or "",
                _dato(rad.sluttdato) or "",
                rad.innsokende_nav_kontor or "",
                (rad.veileder_nav or {}).get("navn", ""),
                veileder,
            )
            writer.writerow([neutralise_cell(c) for c in celler])
        logg(session, aktor, "eksporter", "deltakere", None)
    return out.getvalue()
