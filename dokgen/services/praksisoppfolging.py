"""A placement's follow-up: its oppstartsmøte (one per placement, corrected in place) and
the absences its arbeidsgiver reports, with the rules of ``oppfolging.praksis``.

Veiledere and admins write (``praksis.skriv``), every role reads (``praksis.les``); another
organisation's placement, and one of a protected deltaker the caller does not follow, answer
as if they did not exist. Every write and read is in the audit log, never the content. A
write locks the placement's praksisplass first, as a status change does
(``services.praksisplasser``), so a meeting corrected while the placement is started, or an
absence registered while it is ended, is judged on what no other writer changes meanwhile.
An absence without a valid reason is a frist "Varsle NAV samme dag" per day under the JMO
pack (``services.frister``): registering or deleting one marks the deltaker's stored frister
stale.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import praksis
from dokgen.oppfolging.kodeverk import (
    MELDT_VIA,
    MOTEROLLER,
    fravaersarsak_ord,
    gyldig_fravaer,
    praksisart_ord,
)
from dokgen.oppfolging.praksismodeller import FravaerInn, OppstartsmoteInn
from dokgen.services import deltakere
from dokgen.services.audit import logg
from dokgen.services.praksisplasser import _las_plass, _plassering, plassering_data
from dokgen.storage.db import (
    Oppstartsmote,
    Plassering,
    Plasseringsfravaer,
    foreld_frister,
    utc,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps


def _dato(value: date | None) -> str | None:
    return value.isoformat() if value else None


def mote_data(rad: Oppstartsmote) -> dict[str, Any]:
    """Return an oppstartsmøte as the API shows it, each role also in words."""
    return {
        "plassering_id": rad.plassering_id,
        "dato": rad.dato.isoformat(),
        "deltakere": [
            {**d, "rolle_tekst": MOTEROLLER.get(d["rolle"], d["rolle"])} for d in rad.deltakere
        ],
        "malsetting": rad.malsetting,
        "yrkesmal": rad.yrkesmal,
        "tilretteleggingsbehov": rad.tilretteleggingsbehov,
        "registrert_av": rad.registrert_av,
        "endret": utc(rad.endret).isoformat(),
    }


def fravaer_data(rad: Plasseringsfravaer) -> dict[str, Any]:
    """Return an absence with its reason and how it was reported in words."""
    return {
        "id": rad.id,
        "plassering_id": rad.plassering_id,
        "deltaker_id": rad.deltaker_id,
        "fra_dato": rad.fra_dato.isoformat(),
        "til_dato": rad.til_dato.isoformat(),
        "minutter": rad.minutter,
        "arsak": rad.arsak,
        "arsak_tekst": fravaersarsak_ord(rad.arsak),
        "gyldig": rad.gyldig,
        "meldt_av": rad.meldt_av,
        "meldt_via": rad.meldt_via,
        "meldt_via_tekst": MELDT_VIA.get(rad.meldt_via, rad.meldt_via),
        "meldt_dato": rad.meldt_dato.isoformat(),
        "registrert_av": rad.registrert_av,
    }


def _las(session: Session, aktor: Aktor, plassering_id: int) -> Plassering:
    """Lock the placement's praksisplass, then return the placement the caller may see.

    Raises:
        RecordNotFoundError: no such placement the caller may see.
    """
    plass_id = select(Plassering.praksisplass_id).where(Plassering.id == plassering_id)
    _las_plass(session, aktor, plass_id.scalar_subquery())
    return _plassering(session, aktor, plassering_id)


def _startet(rad: Plassering) -> date | None:
    """Return the day the deltaker started in the place (None: never started; a placement
    ended before its start keeps only a planned startdato)."""
    return rad.startdato if any(h.status == "startet" for h in rad.historikk) else None


# --- the oppstartsmøte ------------------------------------------------------------------


def registrer_oppstartsmote(
    deps: Deps, aktor: Aktor, plassering_id: int, inn: OppstartsmoteInn
) -> dict[str, Any]:
    """Record the placement's oppstartsmøte, or correct the one recorded.

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such placement the caller may see.
        InputInvalidError: the meeting breaks the routine's rules
            (``praksis.oppstartsmotefeil``; nothing is stored).
    """
    aktor.krev("praksis.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        rad = _las(session, aktor, plassering_id)
        feil = praksis.oppstartsmotefeil(
            inn,
            art=rad.praksisplass.art,
            registrert=rad.historikk[0].dato,
            startdato=_startet(rad),
            idag=idag,
        )
        if feil:
            raise InputInvalidError(feil)
        mote = rad.oppstartsmote
        handling = "endre" if mote else "opprett"
        if mote is None:
            mote = Oppstartsmote(plassering_id=rad.id, registrert_av=aktor.navn)
            session.add(mote)
        mote.dato, mote.malsetting = inn.dato, inn.malsetting
        mote.deltakere = [d.model_dump() for d in inn.deltakere]
        mote.yrkesmal, mote.tilretteleggingsbehov = inn.yrkesmal, inn.tilretteleggingsbehov
        session.flush()
        logg(session, aktor, handling, "oppstartsmote", str(rad.id))
        return mote_data(mote)


def hent_oppstartsmote(deps: Deps, aktor: Aktor, plassering_id: int) -> dict[str, Any] | None:
    """Return the placement's oppstartsmøte, None when none is recorded (the read is audited).

    Raises:
        RecordNotFoundError: no such placement the caller may see.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rad = _plassering(session, aktor, plassering_id)
        data = mote_data(rad.oppstartsmote) if rad.oppstartsmote else None
    deps.read_audit.write(aktor, "les", "oppstartsmote", str(plassering_id))
    return data


def motehjelp(art: str) -> dict[str, str]:
    """Return the help for an oppstartsmøte at a place of kind ``art``: the kind in words,
    the help for its målsetting and a suggested aim («Møte opp» for an aktivitetsplass)."""
    return {
        "art_tekst": praksisart_ord(art),
        "malsetting": praksis.malsettingshjelp(art),
        "forslag": praksis.AKTIVITETSPLASS_MAL if art == "aktivitetsplass" else "",
    }


def side(deps: Deps, aktor: Aktor, plassering_id: int) -> dict[str, Any]:
    """Return all a placement's page shows: the placement with its history, the place and
    its arbeidsgiver, the oppstartsmøte (None: not recorded) with its help, the absences and
    the documents started from the placement (the read is audited once).

    Raises:
        RecordNotFoundError: no such placement the caller may see.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rad = _plassering(session, aktor, plassering_id)
        plass, ag = rad.praksisplass, rad.praksisplass.arbeidsgiver
        data = {
            "plassering": plassering_data(rad),
            "plass": {
                "id": plass.id,
                "art": plass.art,
                "art_tekst": praksisart_ord(plass.art),
                "avdeling": plass.avdeling,
                "arbeidsoppgaver": plass.arbeidsoppgaver,
            },
            "arbeidsgiver": {
                "id": ag.id,
                "navn": ag.navn,
                "orgnr": ag.orgnr,
                "kontaktpersoner": ag.kontaktpersoner,
            },
            "oppstartsmote": mote_data(rad.oppstartsmote) if rad.oppstartsmote else None,
            "motehjelp": motehjelp(plass.art),
            "fravaer": [fravaer_data(f) for f in rad.fravaer],
        }
    deps.read_audit.write(aktor, "les", "plassering", str(plassering_id))
    return data


# --- absence ----------------------------------------------------------------------------


def registrer_fravaer(
    deps: Deps, aktor: Aktor, plassering_id: int, inn: FravaerInn
) -> dict[str, Any]:
    """Register an absence the arbeidsgiver reported; without a valid reason it raises the
    frist "Varsle NAV samme dag" for each of its days (JMO).

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such placement the caller may see.
        InputInvalidError: the days are outside the started period, overlap an absence
            already registered, or span more than 31 days (nothing is stored).
    """
    aktor.krev("praksis.skriv")
    idag = deps.clock().date()
    with deps.sessions.begin() as session:
        rad = _las(session, aktor, plassering_id)
        feil = praksis.fravaersfeil(
            inn,
            startdato=_startet(rad),
            sluttdato=rad.sluttdato,
            idag=idag,
            andre=[(f.fra_dato, f.til_dato) for f in rad.fravaer],
        )
        if feil:
            raise InputInvalidError(feil)
        ny = Plasseringsfravaer(
            org_id=aktor.org_id,
            plassering_id=rad.id,
            deltaker_id=rad.deltaker_id,
            fra_dato=inn.fra_dato,
            til_dato=inn.til,
            minutter=inn.minutter,
            arsak=inn.arsak,
            gyldig=gyldig_fravaer(inn.arsak),
            meldt_av=inn.meldt_av,
            meldt_via=inn.meldt_via,
            meldt_dato=inn.meldt_dato or idag,
            registrert_av=aktor.navn,
        )
        session.add(ny)
        session.flush()
        foreld_frister(session, deltaker_ids=[rad.deltaker_id])
        logg(session, aktor, "opprett", "plasseringsfravaer", str(ny.id))
        return fravaer_data(ny)


def slett_fravaer(deps: Deps, aktor: Aktor, plassering_id: int, fravaer_id: int) -> None:
    """Delete an absence registered by mistake; its frister "Varsle NAV" go with it.

    Raises:
        AccessDeniedError: the caller may not write the register.
        RecordNotFoundError: no such placement the caller may see, or no such absence on it.
    """
    aktor.krev("praksis.skriv")
    with deps.sessions.begin() as session:
        rad = _las(session, aktor, plassering_id)
        if not any(f.id == fravaer_id for f in rad.fravaer):
            raise RecordNotFoundError("fant ikke fraværet")
        session.execute(delete(Plasseringsfravaer).where(Plasseringsfravaer.id == fravaer_id))
        foreld_frister(session, deltaker_ids=[rad.deltaker_id])
        logg(session, aktor, "slett", "plasseringsfravaer", str(fravaer_id))


def fravaer_for_plassering(deps: Deps, aktor: Aktor, plassering_id: int) -> list[dict[str, Any]]:
    """Return the placement's absences by first day (the read is audited).

    Raises:
        RecordNotFoundError: no such placement the caller may see.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        rader = [fravaer_data(f) for f in _plassering(session, aktor, plassering_id).fravaer]
    deps.read_audit.write(aktor, "sok", "plasseringsfravaer", str(plassering_id))
    return rader


def fravaer_for_deltaker(
    deps: Deps, aktor: Aktor, deltaker_id: int, fra: date | None = None, til: date | None = None
) -> list[dict[str, Any]]:
    """Return the deltaker's absences in all their placements that touch ``fra``–``til``
    (None: open), by first day (the read is audited).

    Raises:
        RecordNotFoundError: no such deltaker the caller may see.
    """
    aktor.krev("praksis.les")
    with deps.sessions() as session:
        deltakere.finn_rad(session, aktor, deltaker_id)
        rader = [fravaer_data(f) for f in _fravaer(session, aktor, deltaker_id, fra, til)]
    deps.read_audit.write(aktor, "sok", "plasseringsfravaer", f"deltaker:{deltaker_id}")
    return rader


def _fravaer(
    session: Session, aktor: Aktor, deltaker_id: int, fra: date | None, til: date | None
) -> list[Plasseringsfravaer]:
    query = select(Plasseringsfravaer).where(
        Plasseringsfravaer.org_id == aktor.org_id, Plasseringsfravaer.deltaker_id == deltaker_id
    )
    if fra is not None:
        query = query.where(Plasseringsfravaer.til_dato >= fra)
    if til is not None:
        query = query.where(Plasseringsfravaer.fra_dato <= til)
    order = (Plasseringsfravaer.fra_dato, Plasseringsfravaer.id)
    return list(session.scalars(query.order_by(*order)))


def fravaer_per_arsak(
    session: Session, aktor: Aktor, deltaker_id: int, fra: date, til: date
) -> list[dict[str, str | int]]:
    """Return the deltaker's registered absence from ``fra`` to ``til`` summed per reason, as
    the statusrapport's ``fravaer`` takes it (``{"dager", "timer", "arsak"}``).

    Whole days count as ``dager``: the working days Monday to Friday of each absence inside
    the period (``praksis.fravaersdager``; one on a weekend only counts its own days). Part
    of a day (``minutter``) counts as ``timer``, a Decimal with two decimals. The reasons come
    in the order their first absence does; the caller checks the deltaker may be seen.
    """
    per_arsak: dict[str, tuple[int, Decimal]] = {}
    for f in _fravaer(session, aktor, deltaker_id, fra, til):
        dager, timer = per_arsak.get(f.arsak, (0, Decimal("0")))
        if f.minutter is not None:
            timer += Decimal(f.minutter) / 60
        else:
            dager += len(praksis.fravaersdager(max(f.fra_dato, fra), min(f.til_dato, til)))
        per_arsak[f.arsak] = (dager, timer)
    rader: list[dict[str, str | int]] = []
    for arsak, (dager, timer) in per_arsak.items():
        rad: dict[str, str | int] = {"arsak": fravaersarsak_ord(arsak)}
        if dager:
            rad["dager"] = dager
        if timer:
            rad["timer"] = f"{timer.quantize(Decimal('0.01'))}"
        rader.append(rad)
    return rader
