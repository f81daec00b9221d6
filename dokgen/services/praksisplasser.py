"""Praksisplasser: the arbeidsgivere the organisation works with, their praksisplasser and
the placements of deltakere in them, with the routine's statuses (``oppfolging.praksis``).

Veiledere and admins write, every role reads; another organisation's rows, and a placement
of a protected deltaker the caller does not follow, answer as if they did not exist. Every
change and read is in the audit log, never the content. A status change that takes one of
a place's capacity decides on what no other writer can change meanwhile (the place's row
is locked first), so two veiledere confirming the last free place at once do not both
succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, StateConflictError
from dokgen.oppfolging import praksis
from dokgen.oppfolging.kodeverk import PRAKSISARTER, plasseringsstatus_ord, praksisart_ord
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    PlasseringInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import deltakere
from dokgen.services.audit import logg
from dokgen.storage.db import (
    Arbeidsgiver,
    Deltakerveileder,
    Organisasjon,
    Plassering,
    Plasseringsstatus,
    Praksisplass,
    lock_for_update,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps


@dataclass(frozen=True)
class Plassutvalg:
    """Which praksisplasser a list shows: each filter narrows it (None: all)."""

    ledig: bool = False  # only active places with a free place now
    art: str | None = None
    arbeidsgiver_id: int | None = None


def _dato(value: date | None) -> str | None:
    return value.isoformat() if value else None


def arbeidsgiver_data(rad: Arbeidsgiver) -> dict[str, Any]:
    """Return an arbeidsgiver as the API shows it."""
    return {
        "id": rad.id,
        "orgnr": rad.orgnr,
        "navn": rad.navn,
        "adresse": rad.adresse,
        "kontaktpersoner": rad.kontaktpersoner,
    }


def plass_data(rad: Praksisplass, i_bruk: int) -> dict[str, Any]:
    """Return a praksisplass with its kind in words and how many of its places are free."""
    ledige = praksis.ledige(rad.kapasitet, i_bruk)
    return {
        "id": rad.id,
        "arbeidsgiver_id": rad.arbeidsgiver_id,
        "arbeidsgiver": rad.arbeidsgiver.navn,
        "avdeling": rad.avdeling,
        "art": rad.art,
        "art_tekst": praksisart_ord(rad.art),
        "art_hjelp": PRAKSISARTER.get(rad.art, ("", ""))[1],
        "arbeidsoppgaver": rad.arbeidsoppgaver,
        "kapasitet": rad.kapasitet,
        "i_bruk": i_bruk,
        "ledige": ledige,
        "ledig_na": rad.aktiv and ledige > 0,
        "aktiv": rad.aktiv,
    }


def plassering_data(rad: Plassering) -> dict[str, Any]:
    """Return a placement with its status in words, the next step and the history."""
    return {
        "id": rad.id,
        "praksisplass_id": rad.praksisplass_id,
        "deltaker": {
            "id": rad.deltaker.id,
            "nr": rad.deltaker.nr,
            "navn": deltakere.navn(rad.deltaker),
        },
        "status": rad.status,
        "status_tekst": plasseringsstatus_ord(rad.status),
        "neste_steg": praksis.NESTE_STEG[rad.status],
        "neste_statuser": praksis.neste_statuser(rad.status),
        "statusmote_dato": _dato(rad.statusmote_dato),
        "startdato": _dato(rad.startdato),
        "planlagt_sluttdato": _dato(rad.planlagt_sluttdato),
        "sluttdato": _dato(rad.sluttdato),
        "sluttarsak": rad.sluttarsak,
        "historikk": [
            {
                "status": h.status,
                "status_tekst": plasseringsstatus_ord(h.status),
                "dato": h.dato.isoformat(),
                "registrert": h.registrert.isoformat(),
                "registrert_av": h.registrert_av,
            }
            for h in rad.historikk
        ],
    }


# --- arbeidsgivere ---------------------------------------------------------------------


def _arbeidsgiver(session: Session, aktor: Aktor, arbeidsgiver_id: int) -> Arbeidsgiver:
    rad = session.get(Arbeidsgiver, arbeidsgiver_id)
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke arbeidsgiveren")
    return rad


def _lagre_arbeidsgiver(
    session: Session, aktor: Aktor, inn: ArbeidsgiverInn, rad: Arbeidsgiver | None
) -> Arbeidsgiver:
    annen = session.scalar(
        select(Arbeidsgiver.navn).where(
            Arbeidsgiver.org_id == aktor.org_id,
            Arbeidsgiver.orgnr == inn.orgnr,
            Arbeidsgiver.id != (rad.id if rad else 0),
        )
    )
    if annen is not None:
        melding = f"organisasjonsnummeret er allerede registrert på «{annen}»"
        raise InputInvalidError([FieldError("orgnr", melding)])
    if rad is None:
        rad = Arbeidsgiver(org_id=aktor.org_id)
        session.add(rad)
    rad.orgnr, rad.navn = inn.orgnr, inn.navn
    rad.adresse = inn.adresse.model_dump() if inn.adresse else None
    rad.kontaktpersoner = [k.model_dump() for k in inn.kontaktpersoner]
    session.flush()
    return rad


def _las_org(session: Session, aktor: Aktor) -> None:
    lock_for_update(session, select(Organisasjon).where(Organisasjon.id == aktor.org_id))


def opprett_arbeidsgiver(deps: Deps, aktor: Aktor, inn: ArbeidsgiverInn) -> dict[str, Any]:
    """Register an arbeidsgiver.

    Raises:
        AccessDeniedError: the caller may not write the register.
        InputInvalidError: the orgnr is another arbeidsgiver's (nothing is stored).
    """
    aktor.krev("praksis.skriv")
    with deps.sessions.begin() as session:
        _las_org(session, aktor)
        rad = _lagre_arbeidsgiver(session, aktor, inn, None)
        logg(session, aktor, "opprett", "arbeidsgiver", str(rad.id))
        return arbeidsgiver_data(rad)


def endre_arbeidsgiver(
    deps: Deps, aktor: Aktor, arbeidsgiver_id: int, inn: ArbeidsgiverInn
) -> dict[str, Any]:
    """Replace an arbeidsgiver's fields.

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such arbeidsgiver in the caller's organisation.
        InputInvalidError: the orgnr is another arbeidsgiver's (nothing is changed).
    """
    aktor.krev("praksis.skriv")
    with deps.sessions.begin() as session:
        _las_org(session, aktor)
        rad = _arbeidsgiver(session, aktor, arbeidsgiver_id)
        _lagre_arbeidsgiver(session, aktor, inn, rad)
        logg(session, aktor, "endre", "arbeidsgiver", str(rad.id))
        return arbeidsgiver_data(rad)


def hent_arbeidsgiver(deps: Deps, aktor: Aktor, arbeidsgiver_id: int) -> dict[str, Any]:
    """Return an arbeidsgiver with its praksisplasser (the read is audited).

    Raises:
        RecordNotFoundError: no such arbeidsgiver in the caller's organisation.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rad = _arbeidsgiver(session, aktor, arbeidsgiver_id)
        i_bruk = _i_bruk(session, aktor)
        data = arbeidsgiver_data(rad) | {
            "praksisplasser": [plass_data(p, i_bruk.get(p.id, 0)) for p in rad.praksisplasser]
        }
    deps.read_audit.write(aktor, "les", "arbeidsgiver", str(arbeidsgiver_id))
    return data


def arbeidsgivere(deps: Deps, aktor: Aktor, sok: str | None = None) -> list[dict[str, Any]]:
    """Return the organisation's arbeidsgivere by name (the read is audited).

    Args:
        sok: part of the name or the orgnr (any case); None: all.

    Raises:
        InputInvalidError: a search longer than ``deltakere.MAKS_SOK`` (nothing is read).
    """
    aktor.krev("praksis.les")
    if sok and len(sok) > deltakere.MAKS_SOK:
        melding = f"for langt søk (maks {deltakere.MAKS_SOK} tegn)"
        raise InputInvalidError([FieldError("sok", melding)])
    query = (
        select(Arbeidsgiver)
        .where(Arbeidsgiver.org_id == aktor.org_id)
        .order_by(Arbeidsgiver.navn, Arbeidsgiver.id)
    )
    with deps.sessions() as session:
        rader = [arbeidsgiver_data(rad) for rad in session.scalars(query)]
    deps.read_audit.write(aktor, "sok", "arbeidsgiver", None)
    if sok:
        sok = sok.casefold()
        rader = [r for r in rader if sok in r["navn"].casefold() or sok in r["orgnr"]]
    return rader


# --- praksisplasser --------------------------------------------------------------------


def _i_bruk(session: Session, aktor: Aktor, plass_id: int | None = None) -> dict[int, int]:
    """Return per praksisplass the placements that hold a place («Bekreftet», «Startet»)."""
    query = (
        select(Plassering.praksisplass_id, func.count())
        .where(Plassering.org_id == aktor.org_id, Plassering.status.in_(praksis.TELLER))
        .group_by(Plassering.praksisplass_id)
    )
    if plass_id is not None:
        query = query.where(Plassering.praksisplass_id == plass_id)
    return {plass: int(antall) for plass, antall in session.execute(query)}


def _plass(session: Session, aktor: Aktor, plass_id: int) -> Praksisplass:
    rad = session.get(Praksisplass, plass_id)
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke praksisplassen")
    return rad


def _las_plass(session: Session, aktor: Aktor, plass_id: Any) -> None:
    """Lock the praksisplass (``plass_id``: its id or a subquery giving it) before the first
    read: its capacity is decided on placements no other writer can change meanwhile."""
    lock_for_update(
        session,
        select(Praksisplass).where(
            Praksisplass.org_id == aktor.org_id, Praksisplass.id == plass_id
        ),
    )


def _lagre_plass(
    session: Session, aktor: Aktor, inn: PraksisplassInn, rad: Praksisplass | None
) -> Praksisplass:
    try:
        _arbeidsgiver(session, aktor, inn.arbeidsgiver_id)
    except RecordNotFoundError:
        melding = "finnes ikke: velg en av arbeidsgiverne"
        raise InputInvalidError([FieldError("arbeidsgiver_id", melding)]) from None
    if rad is None:
        rad = Praksisplass(org_id=aktor.org_id)
        session.add(rad)
    else:
        i_bruk = _i_bruk(session, aktor, rad.id).get(rad.id, 0)
        if inn.kapasitet < i_bruk:
            melding = (
                f"{i_bruk} deltakere er bekreftet eller startet her: kapasiteten kan ikke være "
                f"lavere enn {i_bruk} før noen av dem er avsluttet"
            )
            raise InputInvalidError([FieldError("kapasitet", melding)])
    for felt in ("arbeidsgiver_id", "avdeling", "art", "arbeidsoppgaver", "kapasitet", "aktiv"):
        setattr(rad, felt, getattr(inn, felt))
    session.flush()
    session.refresh(rad, ["arbeidsgiver"])
    return rad


def opprett_plass(deps: Deps, aktor: Aktor, inn: PraksisplassInn) -> dict[str, Any]:
    """Register a praksisplass at one of the organisation's arbeidsgivere.

    Raises:
        AccessDeniedError: the caller may not write the register.
        InputInvalidError: the arbeidsgiver is not the organisation's (nothing is stored).
    """
    aktor.krev("praksis.skriv")
    with deps.sessions.begin() as session:
        rad = _lagre_plass(session, aktor, inn, None)
        logg(session, aktor, "opprett", "praksisplass", str(rad.id))
        return plass_data(rad, 0)


def endre_plass(deps: Deps, aktor: Aktor, plass_id: int, inn: PraksisplassInn) -> dict[str, Any]:
    """Replace a praksisplass's fields; the capacity may not go below the places in use.

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such praksisplass in the caller's organisation.
        InputInvalidError: an unknown arbeidsgiver, or a capacity below the placements
            «Bekreftet» or «Startet» (nothing is changed).
    """
    aktor.krev("praksis.skriv")
    with deps.sessions.begin() as session:
        _las_plass(session, aktor, plass_id)
        rad = _lagre_plass(session, aktor, inn, _plass(session, aktor, plass_id))
        logg(session, aktor, "endre", "praksisplass", str(rad.id))
        return plass_data(rad, _i_bruk(session, aktor, rad.id).get(rad.id, 0))


def hent_plass(deps: Deps, aktor: Aktor, plass_id: int) -> dict[str, Any]:
    """Return a praksisplass with its placements the caller may see (the read is audited).

    Raises:
        RecordNotFoundError: no such praksisplass in the caller's organisation.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rad = _plass(session, aktor, plass_id)
        data = plass_data(rad, _i_bruk(session, aktor, rad.id).get(rad.id, 0))
        data["plasseringer"] = _plasseringer(session, aktor, praksisplass_id=rad.id)
    deps.read_audit.write(aktor, "les", "praksisplass", str(plass_id))
    return data


def plasser(deps: Deps, aktor: Aktor, utvalg: Plassutvalg | None = None) -> list[dict[str, Any]]:
    """Return the praksisplasser by arbeidsgiver, kind and department (the read is audited)."""
    aktor.krev("praksis.les")
    u = utvalg or Plassutvalg()
    query = (
        select(Praksisplass)
        .join(Praksisplass.arbeidsgiver)
        .where(Praksisplass.org_id == aktor.org_id)
        .options(selectinload(Praksisplass.arbeidsgiver))
        .order_by(Arbeidsgiver.navn, Praksisplass.art, Praksisplass.avdeling, Praksisplass.id)
    )
    if u.art:
        query = query.where(Praksisplass.art == u.art)
    if u.arbeidsgiver_id is not None:
        query = query.where(Praksisplass.arbeidsgiver_id == u.arbeidsgiver_id)
    with deps.sessions() as session:
        i_bruk = _i_bruk(session, aktor)
        rader = [plass_data(rad, i_bruk.get(rad.id, 0)) for rad in session.scalars(query)]
    deps.read_audit.write(aktor, "sok", "praksisplass", None)
    return [r for r in rader if r["ledig_na"]] if u.ledig else rader


# --- plasseringer ----------------------------------------------------------------------


def _plassering(session: Session, aktor: Aktor, plassering_id: int) -> Plassering:
    rad = session.scalar(
        select(Plassering)
        .join(Plassering.deltaker)
        .where(Plassering.id == plassering_id, deltakere.synlige(aktor))
        .options(selectinload(Plassering.historikk))
    )
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke plasseringen")
    return rad


def _plasseringer(
    session: Session,
    aktor: Aktor,
    *,
    status: str | None = None,
    deltaker_id: int | None = None,
    praksisplass_id: int | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(Plassering)
        .join(Plassering.deltaker)
        .where(Plassering.org_id == aktor.org_id, deltakere.synlige(aktor))
        .options(selectinload(Plassering.historikk), selectinload(Plassering.deltaker))
        .order_by(Plassering.id)
    )
    for kolonne, verdi in (
        (Plassering.status, status),
        (Plassering.deltaker_id, deltaker_id),
        (Plassering.praksisplass_id, praksisplass_id),
    ):
        if verdi is not None:
            query = query.where(kolonne == verdi)
    return [plassering_data(rad) for rad in session.scalars(query)]


def opprett_plassering(deps: Deps, aktor: Aktor, inn: PlasseringInn) -> dict[str, Any]:
    """Place a deltaker in a praksisplass: the placement starts as «Ny» (a history entry).

    Raises:
        AccessDeniedError: the caller may not write the register.
        InputInvalidError: the place or deltaker is unknown to the caller, the place is not
            active, or the deltaker already has an open placement there (nothing is stored).
    """
    aktor.krev("praksis.skriv")
    dato = inn.dato or deps.clock().date()
    with deps.sessions.begin() as session:
        _las_plass(session, aktor, inn.praksisplass_id)
        feil = _plasseringsfeil(session, aktor, inn)
        if feil:
            raise InputInvalidError(feil)
        rad = Plassering(
            org_id=aktor.org_id,
            praksisplass_id=inn.praksisplass_id,
            deltaker_id=inn.deltaker_id,
            status="ny",
            startdato=inn.startdato,
            planlagt_sluttdato=inn.planlagt_sluttdato,
            historikk=[Plasseringsstatus(status="ny", dato=dato, registrert_av=aktor.navn)],
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "opprett", "plassering", str(rad.id))
        return plassering_data(_plassering(session, aktor, rad.id))


def _plasseringsfeil(session: Session, aktor: Aktor, inn: PlasseringInn) -> list[FieldError]:
    feil = []
    plass = session.get(Praksisplass, inn.praksisplass_id)
    if plass is None or plass.org_id != aktor.org_id:
        feil.append(FieldError("praksisplass_id", "finnes ikke: velg en av praksisplassene"))
    elif not plass.aktiv:
        melding = "praksisplassen er ikke aktiv og tar ikke imot nye deltakere"
        feil.append(FieldError("praksisplass_id", melding))
    try:
        deltakere.finn_rad(session, aktor, inn.deltaker_id)
    except RecordNotFoundError:
        feil.append(FieldError("deltaker_id", "finnes ikke: velg en av deltakerne"))
    apen = session.scalar(
        select(Plassering.id).where(
            Plassering.praksisplass_id == inn.praksisplass_id,
            Plassering.deltaker_id == inn.deltaker_id,
            Plassering.status != "avsluttet",
        )
    )
    if apen is not None and not feil:
        melding = f"deltakeren har allerede en plassering her som ikke er avsluttet (nr. {apen})"
        feil.append(FieldError("deltaker_id", melding))
    return feil


def endre_status(
    deps: Deps, aktor: Aktor, plassering_id: int, inn: StatusendringInn
) -> dict[str, Any]:
    """Move a placement to its next status (a history entry with who and when).

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such placement the caller may see.
        InputInvalidError: the change breaks the routine's rules (``praksis.overgangsfeil``).
        StateConflictError: it would confirm a placement beyond the place's capacity.
    """
    aktor.krev("praksis.skriv")
    idag = deps.clock().date()
    plass_id = select(Plassering.praksisplass_id).where(Plassering.id == plassering_id)
    with deps.sessions.begin() as session:
        _las_plass(session, aktor, plass_id.scalar_subquery())
        rad = _plassering(session, aktor, plassering_id)
        naa = praksis.Tilstand(
            status=rad.status,
            siste_dato=rad.historikk[-1].dato,
            statusmote_dato=rad.statusmote_dato,
            startdato=rad.startdato,
            planlagt_sluttdato=rad.planlagt_sluttdato,
            oppstartsmote_dato=rad.oppstartsmote.dato if rad.oppstartsmote else None,
        )
        feil = praksis.overgangsfeil(naa, inn, idag)
        if feil:
            raise InputInvalidError(feil)
        if praksis.trenger_plass(rad.status, inn.status):
            plass = _plass(session, aktor, rad.praksisplass_id)
            full = praksis.kapasitetsfeil(
                plass.kapasitet, _i_bruk(session, aktor, plass.id).get(plass.id, 0)
            )
            if full:
                raise StateConflictError(full)
        _sett_status(rad, inn, aktor)
        session.flush()
        logg(session, aktor, "endre_status", "plassering", str(rad.id), inn.status)
        return plassering_data(rad)


def _sett_status(rad: Plassering, inn: StatusendringInn, aktor: Aktor) -> None:
    rad.status = inn.status
    if inn.statusmote_dato is not None:
        rad.statusmote_dato = inn.statusmote_dato
    if inn.status == "startet":
        rad.startdato = inn.startdato or inn.dato
    if inn.planlagt_sluttdato is not None:
        rad.planlagt_sluttdato = inn.planlagt_sluttdato
    if inn.status == "avsluttet":
        rad.sluttdato, rad.sluttarsak = inn.sluttdato, inn.sluttarsak
    rad.historikk.append(
        Plasseringsstatus(status=inn.status, dato=inn.dato, registrert_av=aktor.navn)
    )


def hent_plassering(deps: Deps, aktor: Aktor, plassering_id: int) -> dict[str, Any]:
    """Return a placement with its history (the read is audited).

    Raises:
        RecordNotFoundError: no such placement the caller may see.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        data = plassering_data(_plassering(session, aktor, plassering_id))
    deps.read_audit.write(aktor, "les", "plassering", str(plassering_id))
    return data


def plasseringer(
    deps: Deps,
    aktor: Aktor,
    *,
    status: str | None = None,
    deltaker_id: int | None = None,
    praksisplass_id: int | None = None,
) -> list[dict[str, Any]]:
    """Return the placements the caller may see, filtered (the read is audited)."""
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rader = _plasseringer(
            session, aktor, status=status, deltaker_id=deltaker_id, praksisplass_id=praksisplass_id
        )
    deps.read_audit.write(aktor, "sok", "plassering", None)
    return rader


def _med_plass(rad: Plassering) -> dict[str, Any]:
    plass = rad.praksisplass
    return plassering_data(rad) | {
        "praksisplass": {
            "id": plass.id,
            "arbeidsgiver_id": plass.arbeidsgiver_id,
            "arbeidsgiver": plass.arbeidsgiver.navn,
            "avdeling": plass.avdeling,
            "art": plass.art,
            "art_tekst": praksisart_ord(plass.art),
        }
    }


def plasseringsoversikt(
    deps: Deps, aktor: Aktor, *, veileder: int | None = None, arbeidsgiver_id: int | None = None
) -> list[dict[str, Any]]:
    """Return the placements the caller may see, each with its place and arbeidsgiver, in the
    routine's order of statuses and then by planned start (the read is audited).

    Args:
        veileder: a user's id: only the placements of the deltakere they follow.
        arbeidsgiver_id: only the placements at that arbeidsgiver's places.
    """
    aktor.krev("praksis.les")
    query = (
        select(Plassering)
        .join(Plassering.deltaker)
        .join(Plassering.praksisplass)
        .where(Plassering.org_id == aktor.org_id, deltakere.synlige(aktor))
        .options(
            selectinload(Plassering.historikk),
            selectinload(Plassering.deltaker),
            selectinload(Plassering.praksisplass).selectinload(Praksisplass.arbeidsgiver),
        )
        .order_by(Plassering.id)
    )
    if veileder is not None:
        query = query.where(
            exists().where(
                Deltakerveileder.deltaker_id == Plassering.deltaker_id,
                Deltakerveileder.bruker_id == veileder,
            )
        )
    if arbeidsgiver_id is not None:
        query = query.where(Praksisplass.arbeidsgiver_id == arbeidsgiver_id)
    with deps.sessions() as session:
        rader = [_med_plass(rad) for rad in session.scalars(query)]
    deps.read_audit.write(aktor, "sok", "plassering", None)
    orden = {status: i for i, status in enumerate(praksis.REKKEFOLGE)}
    return sorted(rader, key=lambda r: (orden.get(r["status"], 99), r["startdato"] or "9999"))
