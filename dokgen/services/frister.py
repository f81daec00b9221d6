"""Frister: what each deltaker's follow-up and each gjennomføring owes, and when.

Computed on every read from the deltaker's and the gjennomføring's dates under the rule
pack (:mod:`dokgen.oppfolging.frister`), and judged against the finalised documents linked
to them and a user's manual links: nothing is stored that could disagree with the
documents. A caller sees the frister of the deltakere they may see
(:func:`dokgen.services.deltakere.synlige`); a gjennomføring's own frister (the
evalueringsrapport) have no deltaker.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Event
from sqlalchemy import ColumnElement, and_, delete, exists, false, insert, or_, select, update
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import frister as regler
from dokgen.oppfolging import praksis
from dokgen.oppfolging.regelsett import REGELSETT, etterslep_dager, tittel
from dokgen.oppfolging.timeregler import IKKE_MOTT
from dokgen.services import deltakere
from dokgen.services.audit import logg, neutralise_cell
from dokgen.services.brukere import aktor_for_bruker
from dokgen.storage.db import (
    Aktivitet,
    Bruker,
    Deltaker,
    Deltakerveileder,
    Dokument,
    Frist,
    Fristkobling,
    Gjennomforing,
    Organisasjon,
    Plasseringsfravaer,
    Resultatrapport,
    Revisjon,
    foreld_frister,
    lock_for_update,
    utc,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps

# A deltaker's frister fall at most this many days after their start or end, under any
# rule pack: a list from a day on leaves out those who ended longer before it.
ETTERSLEP_DAGER = max(etterslep_dager(pakke) for pakke in REGELSETT.values())
# With no end to the list, frister due this far after the day judged on are shown.
HORISONT_DAGER = 100
# The calendar feed shows open frister from this long ago to this far ahead.
KALENDER_BAKOVER, KALENDER_FREMOVER = 60, 400
APNE = (regler.FORFALT, regler.SNART, regler.KOMMENDE)
VARSLET_NAV = "varslet_nav"  # the audit line that marks a "Varsle NAV" frist done
RESULTATRAPPORT = "resultatrapport"  # the frist met by exporting the month's report


@dataclass(frozen=True)
class Fristutvalg:
    """Which frister a list shows (None: all); ``dato`` is the day statuses are judged on."""

    dato: date | None = None
    fra: date | None = None
    til: date | None = None
    status: str | None = None
    type: str | None = None
    deltaker_id: int | None = None
    gjennomforing_id: int | None = None
    veileder: int | None = None
    deltaker_ids: tuple[int, ...] | None = None  # these deltakere only (a list page's rows)


def _sjekk(u: Fristutvalg) -> None:
    feil = []
    if u.status is not None and u.status not in regler.STATUSER:
        kjente = ", ".join(regler.STATUSER)
        feil.append(FieldError("status", f"ukjent status «{u.status[:40]}»: bruk en av {kjente}"))
    if u.fra and u.til and u.til < u.fra:
        feil.append(FieldError("til", "til-datoen kan ikke være før fra-datoen"))
    if feil:
        raise InputInvalidError(feil)


def _levering(rad: Any) -> regler.Levering:
    # Called for every finalised document the frister are judged against: positional, and
    # the date straight from the stored UTC time (utc() would change its zone, not its date).
    dokument_id, type_, fra, til, ferdig = rad[:5]
    return regler.Levering(
        dokument_id,
        type_,
        date.fromisoformat(fra) if fra else None,
        date.fromisoformat(til) if til else None,
        ferdig.date(),
    )


def _fristtyper(gjennomforinger: Iterable[Gjennomforing]) -> list[str]:
    """Return the document types the gjennomføringer's rule packs have frister for."""
    pakker = {g.regelsett for g in gjennomforinger}
    return sorted({r.type for p in pakker if p in REGELSETT for r in REGELSETT[p].regler})


def _svar(
    v: regler.Fristvurdering,
    gjennomforing_id: int,
    deltaker: Any | None,
) -> dict[str, Any]:
    f = v.frist
    return {
        "nokkel": f.nokkel,
        "deltaker_id": deltaker.id if deltaker is not None else None,
        "deltaker_nr": deltaker.nr if deltaker is not None else None,
        "deltaker_navn": (
            " ".join(d for d in (deltaker.fornavn, deltaker.mellomnavn, deltaker.etternavn) if d)
            if deltaker is not None
            else None
        ),
        "gjennomforing_id": gjennomforing_id,
        "type": f.type,
        "tittel": tittel(f.type),
        "periode": (
            {"fra": f.periode_fra.isoformat(), "til": f.periode_til.isoformat()}
            if f.periode_fra and f.periode_til
            else None
        ),
        "frist": f.frist.isoformat(),
        "status": v.status,
        "status_tekst": regler.STATUSER[v.status],
        "dokument_id": v.dokument_id,
        "levert": (
            {"dato": v.levert_dato.isoformat(), "for_sent": v.for_sent}
            if v.levert_dato is not None
            else None
        ),
    }


def _beregn(
    session: Session,
    aktor: Aktor,
    u: Fristutvalg,
    dato: date,
    *,
    med_deltakere: bool = True,
) -> list[dict[str, Any]]:
    """Compute the frister from the dates, documents and links (the stored rows are made
    from this). ``med_deltakere`` False: the gjennomføringer's own frister only."""
    horisont = u.til or dato + timedelta(days=HORISONT_DAGER)
    gjennomforinger = {
        g.id: g
        for g in session.scalars(select(Gjennomforing).where(Gjennomforing.org_id == aktor.org_id))
    }
    query = select(
        Deltaker.id,
        Deltaker.nr,
        Deltaker.fornavn,
        Deltaker.mellomnavn,
        Deltaker.etternavn,
        Deltaker.gjennomforing_id,
        Deltaker.oppstartdato,
        Deltaker.sluttdato,
        Deltaker.status,
    ).where(deltakere.synlige(aktor), Deltaker.oppstartdato.is_not(None))
    query = _deltakere_i(u, query)
    if u.fra is not None:
        # No frist from ``fra`` on for those who ended long before it.
        for_lenge_siden = u.fra - timedelta(days=ETTERSLEP_DAGER)
        query = query.where(
            or_(
                Deltaker.sluttdato.is_(None),
                Deltaker.sluttdato >= for_lenge_siden,
                Deltaker.oppstartdato >= for_lenge_siden,
            )
        )
    if not med_deltakere:
        query = query.where(false())
    personer = session.execute(query).all()
    dokumenter = select(
        Dokument.id,
        Dokument.type,
        Dokument.periode_fra,
        Dokument.periode_til,
        Dokument.ferdig,
        Dokument.deltaker_id,
        Dokument.gjennomforing_id,
    ).where(
        Dokument.org_id == aktor.org_id,
        Dokument.ferdig.is_not(None),
        Dokument.type.in_(_fristtyper(gjennomforinger.values())),
    )
    deltakerutvalg = (
        u.deltaker_id is not None or u.veileder is not None or bool(u.deltaker_ids)
    ) and med_deltakere
    if deltakerutvalg or u.gjennomforing_id is not None or u.fra is not None:
        # Only the documents of the deltakere (and gjennomføringer) judged: a veileder's own
        # frister need not read the whole organisation's documents.
        egne: ColumnElement[bool] = Dokument.deltaker_id.in_(query.with_only_columns(Deltaker.id))
        if not deltakerutvalg:  # and the gjennomføringer's own
            egne = or_(
                egne,
                Dokument.gjennomforing_id == u.gjennomforing_id
                if u.gjennomforing_id is not None
                else Dokument.gjennomforing_id.is_not(None),
            )
        dokumenter = dokumenter.where(egne)
    per_deltaker: dict[int, list[regler.Levering]] = {}
    per_gjennomforing: dict[int, list[regler.Levering]] = {}
    for rad in session.execute(dokumenter):
        levering = _levering(rad)
        if rad.deltaker_id is not None:
            per_deltaker.setdefault(rad.deltaker_id, []).append(levering)
        # A gjennomføring's frister (the evalueringsrapport) are met by its documents
        # whether or not one was started from a deltaker of it.
        if rad.gjennomforing_id is not None:
            per_gjennomforing.setdefault(rad.gjennomforing_id, []).append(levering)
    koblinger: dict[tuple[int | None, int], dict[str, regler.Levering]] = {}
    for kobling, dok in session.execute(
        select(Fristkobling, Dokument)
        .join(Dokument, Dokument.id == Fristkobling.dokument_id)
        .where(Fristkobling.org_id == aktor.org_id)
    ):
        if dok.ferdig is None:  # a link counts once its document is finalised
            continue
        levering = regler.Levering(dok.id, dok.type, None, None, utc(dok.ferdig).date())
        nokkel = (kobling.deltaker_id, kobling.gjennomforing_id)
        koblinger.setdefault(nokkel, {})[kobling.nokkel] = levering
    ikke_mott = _varslingsdager(session, aktor.org_id, query.with_only_columns(Deltaker.id))
    varslet = _varslet(session, aktor.org_id, ikke_mott)
    ut: list[dict[str, Any]] = []
    for p in personer:
        g = gjennomforinger[p.gjennomforing_id]
        liste = regler.deltakerfrister(
            g.regelsett,
            p.oppstartdato,
            p.sluttdato,
            horisont=horisont,
            ikke_mott=ikke_mott.get(p.id, ()),
            innstillinger={"sluttrapport_dager": g.sluttrapport_dager},
        )
        vurdert = regler.vurder(
            liste,
            per_deltaker.get(p.id, ()),
            koblinger.get((p.id, g.id), {}),
            dato=dato,
            status=p.status,
            utfort=varslet.get(p.id),
        )
        ut.extend(_svar(v, g.id, p) for v in vurdert if _valgt(v, u))
    if u.deltaker_id is None and u.veileder is None and u.deltaker_ids is None:
        rapportert = _resultatrapporter(session, aktor.org_id)
        for g in gjennomforinger.values():
            if u.gjennomforing_id is not None and g.id != u.gjennomforing_id:
                continue
            liste = regler.gjennomforingsfrister(
                g.regelsett,
                g.startdato,
                g.sluttdato,
                horisont=horisont,
                evaluering_dager=g.evaluering_dager,
                innstillinger={"resultatrapport_dag": g.resultatrapport_dag},
            )
            vurdert = regler.vurder(
                liste,
                per_gjennomforing.get(g.id, ()),
                koblinger.get((None, g.id), {}),
                dato=dato,
                utfort=rapportert.get(g.id),
            )
            ut.extend(_svar(v, g.id, None) for v in vurdert if _valgt(v, u))
    return ut


def _resultatrapporter(session: Session, org_id: int) -> dict[int, dict[str, date]]:
    """Return the months whose resultatrapport was exported, per gjennomføring: the frist's
    key (``resultatrapport:YYYY-MM-01``) and the day of the first export, which meets it."""
    query = select(
        Resultatrapport.gjennomforing_id, Resultatrapport.maned, Resultatrapport.levert
    ).where(Resultatrapport.org_id == org_id)
    levert: dict[int, dict[str, date]] = {}
    for gjennomforing_id, maned, tidspunkt in session.execute(query):
        nokkel = f"{RESULTATRAPPORT}:{maned}-01"
        levert.setdefault(gjennomforing_id, {})[nokkel] = utc(tidspunkt).date()
    return levert


def _varslingsdager(session: Session, org_id: int, deltaker_ids: Any) -> dict[int, list[date]]:
    """Return the days each of these deltakere needs NAV told the same day: the days with a
    registered no-show (``ikke_mott``) and those of an absence without a valid reason the
    arbeidsgiver reported on a placement (``praksis.fravaersdager``: its working days)."""
    query = (
        select(Aktivitet.deltaker_id, Aktivitet.dato)
        .where(
            Aktivitet.org_id == org_id,
            Aktivitet.aktivitet == IKKE_MOTT,
            Aktivitet.deltaker_id.in_(deltaker_ids),
        )
        .distinct()
    )
    dager: dict[int, set[date]] = {}
    for deltaker_id, dag in session.execute(query):
        dager.setdefault(deltaker_id, set()).add(dag)
    fravaer = select(
        Plasseringsfravaer.deltaker_id, Plasseringsfravaer.fra_dato, Plasseringsfravaer.til_dato
    ).where(
        Plasseringsfravaer.org_id == org_id,
        Plasseringsfravaer.gyldig == false(),
        Plasseringsfravaer.deltaker_id.in_(deltaker_ids),
    )
    for deltaker_id, fra, til in session.execute(fravaer):
        dager.setdefault(deltaker_id, set()).update(praksis.fravaersdager(fra, til))
    return {deltaker_id: sorted(d) for deltaker_id, d in dager.items()}


def _varslet(
    session: Session, org_id: int, ikke_mott: dict[int, list[date]]
) -> dict[int, dict[str, date]]:
    """Return the "Varsle NAV" frister a user marked done ("NAV er varslet"), per deltaker:
    the frist's key and the day it was marked (the audit line :func:`marker_varslet` wrote)."""
    if not ikke_mott:
        return {}
    query = select(Revisjon.objekt_id, Revisjon.detalj, Revisjon.tidspunkt).where(
        Revisjon.org_id == org_id,
        Revisjon.handling == VARSLET_NAV,
        Revisjon.objekt_type == "deltaker",
        Revisjon.objekt_id.in_([str(i) for i in ikke_mott]),
    )
    merket: dict[int, dict[str, date]] = {}
    for objekt_id, nokkel, tidspunkt in session.execute(query.order_by(Revisjon.id)):
        if nokkel and objekt_id:
            merket.setdefault(int(objekt_id), {}).setdefault(nokkel, utc(tidspunkt).date())
    return merket


def _valgt(v: regler.Fristvurdering, u: Fristutvalg) -> bool:
    """Whether a judged frist is in the list asked for (before its answer is built)."""
    f = v.frist
    return (
        (u.fra is None or f.frist >= u.fra)
        and (u.til is None or f.frist <= u.til)
        and (u.status is None or v.status == u.status)
        and (u.type is None or f.type == u.type)
    )


def _filtrer(frister: Iterable[dict[str, Any]], u: Fristutvalg) -> list[dict[str, Any]]:
    """Return the frister (already narrowed to the list asked for) by date."""
    return sorted(frister, key=lambda f: (f["frist"], f["deltaker_nr"] or "", f["nokkel"]))


# Stored frister of a deltaker without an end reach this far past the day they are computed.
LAGRET_DAGER = 730


def _ledere(u: Fristutvalg) -> bool:
    """Whether the list is of some deltakere only (no gjennomføring's own frister)."""
    return u.deltaker_id is not None or u.veileder is not None or u.deltaker_ids is not None


def _deltakere_i(u: Fristutvalg, query: Any) -> Any:
    """Narrow a query on ``Deltaker`` to the deltakere the list is about."""
    if u.deltaker_id is not None:
        query = query.where(Deltaker.id == u.deltaker_id)
    if u.deltaker_ids is not None:
        query = query.where(Deltaker.id.in_(u.deltaker_ids))
    if u.gjennomforing_id is not None:
        query = query.where(Deltaker.gjennomforing_id == u.gjennomforing_id)
    if u.veileder is not None:
        query = query.where(
            exists()
            .where(
                Deltakerveileder.deltaker_id == Deltaker.id,
                Deltakerveileder.bruker_id == u.veileder,
            )
            .correlate_except(Deltakerveileder)
        )
    return query


def _utdaterte(
    session: Session, org_id: int, u: Fristutvalg, behov: date
) -> tuple[list[int], list[int]]:
    """Return the deltakere and gjennomføringer of the list whose stored frister are stale
    or do not reach ``behov``."""
    gammel_d = or_(Deltaker.frister_til.is_(None), Deltaker.frister_til < behov)
    query = select(Deltaker.id).where(Deltaker.org_id == org_id, gammel_d)
    deltaker_ids = list(session.scalars(_deltakere_i(u, query)))
    if _ledere(u):
        return deltaker_ids, []
    gammel_g = or_(Gjennomforing.frister_til.is_(None), Gjennomforing.frister_til < behov)
    gquery = select(Gjennomforing.id).where(Gjennomforing.org_id == org_id, gammel_g)
    if u.gjennomforing_id is not None:
        gquery = gquery.where(Gjennomforing.id == u.gjennomforing_id)
    return deltaker_ids, list(session.scalars(gquery))


def _dato_eller_ingen(verdi: str | None) -> date | None:
    return date.fromisoformat(verdi) if verdi else None


def _lagre(session: Session, org_id: int, rader: list[dict[str, Any]]) -> None:
    if rader:
        session.execute(
            insert(Frist),
            [
                {
                    "org_id": org_id,
                    "gjennomforing_id": f["gjennomforing_id"],
                    "deltaker_id": f["deltaker_id"],
                    "nokkel": f["nokkel"],
                    "type": f["type"],
                    "periode_fra": _dato_eller_ingen((f["periode"] or {}).get("fra")),
                    "periode_til": _dato_eller_ingen((f["periode"] or {}).get("til")),
                    "frist": date.fromisoformat(f["frist"]),
                    "levert_dato": _dato_eller_ingen((f["levert"] or {}).get("dato")),
                    "for_sent": bool((f["levert"] or {}).get("for_sent")),
                    "dokument_id": f["dokument_id"],
                    "bortfalt": f["status"] == regler.BORTFALT,
                }
                for f in rader
            ],
        )


def _oppdater(
    session: Session,
    org_id: int,
    deltaker_ids: Sequence[int],
    gjennomforing_ids: Sequence[int],
    behov: date,
    idag: date,
) -> None:
    """Compute the frister of these owners again and store them in place of the old."""
    til = max(behov, idag + timedelta(days=LAGRET_DAGER))
    alle = Aktor(org_id, "dokgen", "admin")  # the computation sees every deltaker
    for start in range(0, len(deltaker_ids), 1000):
        del_ = tuple(deltaker_ids[start : start + 1000])
        rader = _beregn(session, alle, Fristutvalg(deltaker_ids=del_, til=til), idag)
        session.execute(delete(Frist).where(Frist.deltaker_id.in_(del_)))
        _lagre(session, org_id, rader)
        for apen in (True, False):  # with an end, every frist is stored whatever the day
            session.execute(
                update(Deltaker)
                .where(Deltaker.id.in_(del_), Deltaker.sluttdato.is_(None) == apen)
                .values(frister_til=til if apen else regler.SISTE_DATO)
            )
    for gid in gjennomforing_ids:
        u = Fristutvalg(gjennomforing_id=gid, til=til)
        rader = _beregn(session, alle, u, idag, med_deltakere=False)
        session.execute(
            delete(Frist).where(Frist.gjennomforing_id == gid, Frist.deltaker_id.is_(None))
        )
        _lagre(session, org_id, [f for f in rader if f["deltaker_id"] is None])
        g = session.get(Gjennomforing, gid)
        if g is not None:
            g.frister_til = til if g.sluttdato is None else regler.SISTE_DATO


def _sikre(deps: Deps, org_id: int, u: Fristutvalg, behov: date, idag: date) -> None:
    """Compute first the stored frister the list needs that are stale (under the
    organisation's write lock, so two readers do not both write them)."""
    with deps.sessions() as session:
        if not any(_utdaterte(session, org_id, u, behov)):
            return
    with deps.sessions.begin() as session:
        lock_for_update(session, select(Organisasjon).where(Organisasjon.id == org_id))
        deltaker_ids, gjennomforing_ids = _utdaterte(session, org_id, u, behov)
        _oppdater(session, org_id, deltaker_ids, gjennomforing_ids, behov, idag)


def _status_sql(status: str, dato: date) -> ColumnElement[bool]:
    apen = and_(Frist.levert_dato.is_(None), Frist.bortfalt == false())
    snart_fra = dato + timedelta(days=0)
    snart_til = dato + timedelta(days=regler.SNART_DAGER)
    return {
        regler.LEVERT: Frist.levert_dato.is_not(None),
        regler.BORTFALT: and_(Frist.levert_dato.is_(None), Frist.bortfalt),
        regler.FORFALT: and_(apen, Frist.frist < dato),
        regler.SNART: and_(apen, Frist.frist >= snart_fra, Frist.frist <= snart_til),
        regler.KOMMENDE: and_(apen, Frist.frist > snart_til),
    }[status]


def _status(rad: Frist, dato: date) -> str:
    if rad.levert_dato is not None:
        return regler.LEVERT
    if rad.bortfalt:
        return regler.BORTFALT
    igjen = (rad.frist - dato).days
    if igjen < 0:
        return regler.FORFALT
    return regler.SNART if igjen <= regler.SNART_DAGER else regler.KOMMENDE


def _les(
    session: Session, aktor: Aktor, u: Fristutvalg, dato: date, behov: date
) -> list[dict[str, Any]]:
    """Read the stored frister of the list: one query, the statuses judged on ``dato``."""
    query = (
        select(Frist, Deltaker.nr, Deltaker.fornavn, Deltaker.mellomnavn, Deltaker.etternavn)
        .outerjoin(Deltaker, Deltaker.id == Frist.deltaker_id)
        .where(Frist.org_id == aktor.org_id, Frist.frist <= behov)
    )
    if _ledere(u):
        query = _deltakere_i(u, query.where(Frist.deltaker_id.is_not(None)))
        query = query.where(deltakere.synlige(aktor))
    else:
        query = query.where(or_(Frist.deltaker_id.is_(None), deltakere.synlige(aktor)))
        if u.gjennomforing_id is not None:
            query = query.where(Frist.gjennomforing_id == u.gjennomforing_id)
    if u.fra is not None:
        query = query.where(Frist.frist >= u.fra)
    if u.type is not None:
        query = query.where(Frist.type == u.type)
    if u.status is not None:
        query = query.where(_status_sql(u.status, dato))
    ut = []
    for rad, nr, fornavn, mellomnavn, etternavn in session.execute(query):
        status = _status(rad, dato)
        ut.append(
            {
                "nokkel": rad.nokkel,
                "deltaker_id": rad.deltaker_id,
                "deltaker_nr": nr,
                "deltaker_navn": (
                    " ".join(d for d in (fornavn, mellomnavn, etternavn) if d)
                    if rad.deltaker_id is not None
                    else None
                ),
                "gjennomforing_id": rad.gjennomforing_id,
                "type": rad.type,
                "tittel": tittel(rad.type),
                "periode": (
                    {"fra": rad.periode_fra.isoformat(), "til": rad.periode_til.isoformat()}
                    if rad.periode_fra and rad.periode_til
                    else None
                ),
                "frist": rad.frist.isoformat(),
                "status": status,
                "status_tekst": regler.STATUSER[status],
                "dokument_id": rad.dokument_id,
                "levert": (
                    {"dato": rad.levert_dato.isoformat(), "for_sent": rad.for_sent}
                    if rad.levert_dato is not None
                    else None
                ),
            }
        )
    return _filtrer(ut, u)


def _lagrede(deps: Deps, aktor: Aktor, u: Fristutvalg, dato: date) -> list[dict[str, Any]]:
    """Return the list from the stored frister, computing first what is stale."""
    behov = u.til or dato + timedelta(days=HORISONT_DAGER)
    _sikre(deps, aktor.org_id, u, behov, deps.clock().date())
    with deps.sessions() as session:
        return _les(session, aktor, u, dato, behov)


def liste(deps: Deps, aktor: Aktor, utvalg: Fristutvalg | None = None) -> list[dict[str, Any]]:
    """Return the frister of the deltakere (and gjennomføringer) the caller may see, by date.

    Raises:
        InputInvalidError: an unknown status or a period that ends before it starts.
    """
    aktor.krev("deltaker.les")
    u = utvalg or Fristutvalg()
    _sjekk(u)
    svar = _lagrede(deps, aktor, u, u.dato or deps.clock().date())
    deps.read_audit.write(aktor, "sok", "frist", None)
    return svar


def mine(
    deps: Deps, aktor: Aktor, *, dato: date | None = None, dager: int = 14
) -> list[dict[str, Any]]:
    """Return the caller's own open frister (the deltakere they follow): overdue first, then
    those due within ``dager`` days."""
    aktor.krev("deltaker.les")
    if aktor.bruker_id is None:
        return []
    idag = dato or deps.clock().date()
    u = Fristutvalg(dato=idag, til=idag + timedelta(days=dager), veileder=aktor.bruker_id)
    apne = [f for f in _lagrede(deps, aktor, u, idag) if f["status"] in APNE]
    deps.read_audit.write(aktor, "sok", "frist", None)
    return sorted(apne, key=lambda f: (f["status"] != regler.FORFALT, f["frist"]))


def koble(
    deps: Deps,
    aktor: Aktor,
    *,
    nokkel: str,
    dokument_id: str,
    deltaker_id: int | None,
    gjennomforing_id: int | None,
) -> dict[str, Any]:
    """Link a document to a frist by hand: it counts as delivered when the document is
    finalised (a link to the same frist replaces the earlier one).

    Raises:
        RecordNotFoundError: the deltaker, gjennomføring or document is not the caller's.
        InputInvalidError: the frist is not one of the deltaker's (or gjennomføring's), or
            the document is of another type.
    """
    aktor.krev("deltaker.skriv")
    with deps.sessions.begin() as session:
        if deltaker_id is not None:
            gjennomforing_id = deltakere.finn_rad(session, aktor, deltaker_id).gjennomforing_id
        if gjennomforing_id is None:
            raise InputInvalidError(
                [FieldError("deltaker_id", "oppgi deltaker eller gjennomføring")]
            )
        dok = session.get(Dokument, dokument_id)
        if dok is None or dok.org_id != aktor.org_id:
            raise RecordNotFoundError("fant ikke dokumentet")
        u = Fristutvalg(
            deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id, til=date(9990, 1, 1)
        )
        kjente = {
            f["nokkel"]: f
            for f in _beregn(session, aktor, u, deps.clock().date())
            if f["deltaker_id"] == deltaker_id
        }
        if nokkel not in kjente:
            raise InputInvalidError([FieldError("nokkel", "ingen slik frist for denne deltakeren")])
        if kjente[nokkel]["type"] != dok.type:
            melding = f"fristen gjelder {tittel(kjente[nokkel]['type']).lower()}, ikke {dok.type}"
            raise InputInvalidError([FieldError("dokument_id", melding)])
        gammel = session.scalar(
            select(Fristkobling).where(
                Fristkobling.org_id == aktor.org_id,
                Fristkobling.deltaker_id == deltaker_id,
                Fristkobling.gjennomforing_id == gjennomforing_id,
                Fristkobling.nokkel == nokkel,
            )
        )
        if gammel is not None:
            session.delete(gammel)
            session.flush()
        rad = Fristkobling(
            org_id=aktor.org_id,
            gjennomforing_id=gjennomforing_id,
            deltaker_id=deltaker_id,
            nokkel=nokkel,
            dokument_id=dokument_id,
            av=aktor.navn,
        )
        session.add(rad)
        session.flush()
        logg(session, aktor, "koble", "frist", str(rad.id))
        if deltaker_id is not None:
            foreld_frister(session, deltaker_ids=[deltaker_id])
        else:
            foreld_frister(session, gjennomforing_ids=[gjennomforing_id])
        return {"nokkel": nokkel, "dokument_id": dokument_id, "deltaker_id": deltaker_id}


def marker_varslet(deps: Deps, aktor: Aktor, *, deltaker_id: int, nokkel: str) -> dict[str, Any]:
    """Mark a "Varsle NAV samme dag" frist done: the user says NAV is notified of the no-show
    or the absence without a valid reason.

    The mark is the audit line itself (handling ``varslet_nav`` on the deltaker, the frist's
    key as its detail): who said so and when is all there is to keep, and the frist counts
    as delivered on that day.

    Raises:
        AccessDeniedError: the caller may not change deltakere.
        RecordNotFoundError: no such deltaker the caller may see.
        InputInvalidError: the deltaker has neither a no-show nor an absence without a valid
            reason on the frist's day.
    """
    aktor.krev("deltaker.skriv")
    with deps.sessions.begin() as session:
        rad = deltakere.finn_rad(session, aktor, deltaker_id)
        dager = _varslingsdager(session, aktor.org_id, [rad.id]).get(rad.id, [])
        if nokkel not in {f.nokkel for f in regler.varslingsfrister(dager)}:
            melding = (
                "deltakeren har verken registrert «Deltaker møtte ikke» eller fravær uten "
                "gyldig grunn den dagen"
            )
            raise InputInvalidError([FieldError("nokkel", melding)])
        logg(session, aktor, VARSLET_NAV, "deltaker", str(rad.id), nokkel)
        foreld_frister(session, deltaker_ids=[rad.id])
    return {"deltaker_id": deltaker_id, "nokkel": nokkel, "levert": True}


CSV_FELTER = (
    "Frist",
    "Status",
    "Dokument",
    "Deltakernr",
    "Deltaker",
    "Gjennomføring",
    "Periode fra",
    "Periode til",
    "Levert",
    "For sent",
)


def som_csv(frister: Sequence[dict[str, Any]]) -> str:
    """Return frister as semicolon-separated CSV (no fødselsnummer), no cell a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_FELTER)
    for f in frister:
        periode = f["periode"] or {}
        levert = f["levert"] or {}
        celler = (
            f["frist"],
            f["status_tekst"],
            f["tittel"],
            f["deltaker_nr"] or "",
            f["deltaker_navn"] or "",
            str(f["gjennomforing_id"]),
            periode.get("fra", ""),
            periode.get("til", ""),
            levert.get("dato", ""),
            "" if not levert else "ja" if levert["for_sent"] else "nei",
        )
        writer.writerow([neutralise_cell(c) for c in celler])
    return out.getvalue()


def _token_sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ny_kalenderlenke(deps: Deps, aktor: Aktor) -> str:
    """Give the caller a new secret calendar address (the old one stops working).

    Raises:
        AccessDeniedError: the caller is not a logged-in person (an API token has no feed).
    """
    aktor.krev("deltaker.les")
    if aktor.bruker_id is None:
        raise InputInvalidError([FieldError("", "bare en innlogget bruker har en kalender")])
    token = secrets.token_urlsafe(32)
    with deps.sessions.begin() as session:
        bruker = session.get(Bruker, aktor.bruker_id)
        if bruker is None or bruker.org_id != aktor.org_id:
            raise RecordNotFoundError("fant ikke brukeren")
        bruker.kalender_sha256 = _token_sha(token)
        logg(session, aktor, "ny_kalenderlenke", "bruker", str(bruker.id))
    return token


def kalender(deps: Deps, token: str) -> bytes:
    """Return the iCalendar feed of the user whose secret ``token`` is: their open frister,
    each an all-day event naming the deltaker by nr only.

    Raises:
        RecordNotFoundError: no active user has this calendar address.
    """
    with deps.sessions() as session:
        bruker = session.scalar(
            select(Bruker).where(Bruker.kalender_sha256 == _token_sha(token), Bruker.aktiv)
        )
        if bruker is None:
            raise RecordNotFoundError("fant ikke kalenderen")
        aktor = aktor_for_bruker(bruker, fra="kalender", foresporsel=None)
        idag = deps.clock().date()
        u = Fristutvalg(
            dato=idag,
            fra=idag - timedelta(days=KALENDER_BAKOVER),
            til=idag + timedelta(days=KALENDER_FREMOVER),
            veileder=bruker.id,
        )
    apne = [f for f in _lagrede(deps, aktor, u, idag) if f["status"] in APNE]
    deps.read_audit.write(aktor, "les", "kalender", str(aktor.bruker_id))
    cal = Calendar()
    cal.add("prodid", "-//dokgen//frister//NO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Frister i dokgen")
    stempel = deps.clock()
    for f in apne:
        event = Event()
        event.add("uid", f"{f['nokkel']}-{f['deltaker_id']}-{f['gjennomforing_id']}@dokgen")
        hvem = f" for {f['deltaker_nr']}" if f["deltaker_nr"] else ""
        event.add("summary", f"{f['tittel']}{hvem}")
        event.add("dtstart", date.fromisoformat(f["frist"]))
        event.add("dtend", date.fromisoformat(f["frist"]) + timedelta(days=1))
        event.add("dtstamp", stempel if isinstance(stempel, datetime) else datetime.now())
        event.add("description", f"{f['status_tekst']}: frist {f['frist']}")
        cal.add_component(event)
    return bytes(cal.to_ical())
