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
from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError
from dokgen.oppfolging import frister as regler
from dokgen.oppfolging.regelsett import REGELSETT, etterslep_dager, tittel
from dokgen.services import deltakere
from dokgen.services.audit import logg, neutralise_cell
from dokgen.services.brukere import aktor_for_bruker
from dokgen.storage.db import (
    Bruker,
    Deltaker,
    Deltakerveileder,
    Dokument,
    Fristkobling,
    Gjennomforing,
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


def _beregn(session: Session, aktor: Aktor, u: Fristutvalg, dato: date) -> list[dict[str, Any]]:
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
    if u.deltaker_id is not None:
        query = query.where(Deltaker.id == u.deltaker_id)
    if u.deltaker_ids is not None:
        query = query.where(Deltaker.id.in_(u.deltaker_ids))
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
    deltakerutvalg = u.deltaker_id is not None or u.veileder is not None or u.deltaker_ids
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
    ut: list[dict[str, Any]] = []
    for p in personer:
        g = gjennomforinger[p.gjennomforing_id]
        liste = regler.deltakerfrister(g.regelsett, p.oppstartdato, p.sluttdato, horisont=horisont)
        vurdert = regler.vurder(
            liste,
            per_deltaker.get(p.id, ()),
            koblinger.get((p.id, g.id), {}),
            dato=dato,
            status=p.status,
        )
        ut.extend(_svar(v, g.id, p) for v in vurdert if _valgt(v, u))
    if u.deltaker_id is None and u.veileder is None and u.deltaker_ids is None:
        for g in gjennomforinger.values():
            if u.gjennomforing_id is not None and g.id != u.gjennomforing_id:
                continue
            liste = regler.gjennomforingsfrister(
                g.regelsett,
                g.startdato,
                g.sluttdato,
                horisont=horisont,
                evaluering_dager=g.evaluering_dager,
            )
            vurdert = regler.vurder(
                liste,
                per_gjennomforing.get(g.id, ()),
                koblinger.get((None, g.id), {}),
                dato=dato,
            )
            ut.extend(_svar(v, g.id, None) for v in vurdert if _valgt(v, u))
    return ut


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


def liste(deps: Deps, aktor: Aktor, utvalg: Fristutvalg | None = None) -> list[dict[str, Any]]:
    """Return the frister of the deltakere (and gjennomføringer) the caller may see, by date.

    Raises:
        InputInvalidError: an unknown status or a period that ends before it starts.
    """
    aktor.krev("deltaker.les")
    u = utvalg or Fristutvalg()
    _sjekk(u)
    dato = u.dato or deps.clock().date()
    with deps.sessions() as session:
        svar = _filtrer(_beregn(session, aktor, u, dato), u)
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
    with deps.sessions() as session:
        apne = [f for f in _filtrer(_beregn(session, aktor, u, idag), u) if f["status"] in APNE]
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
        return {"nokkel": nokkel, "dokument_id": dokument_id, "deltaker_id": deltaker_id}


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
        apne = [f for f in _filtrer(_beregn(session, aktor, u, idag), u) if f["status"] in APNE]
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
