"""Timer: the activities staff register per deltaker, the hours the month's close bills.

A veileder, regnskap or an admin registers activities for the deltakere they may see
(:func:`dokgen.services.deltakere.synlige`): one from the deltaker's page, a week of one
kind at a time, a list (the API's JSON in the fakturagrunnlag's ``aktiviteter`` shape) or
the timeliste CSV. A list is stored whole or not at all; each error names its row (the
list's position counted from 1, or the CSV's own row with the header as row 1, as the
invoice's timeliste errors do) and its field, in bokmål with an example. The checks of one
row and the adjustment in words are pure rules (:mod:`dokgen.oppfolging.timeregler`); this
module reads the register for them and writes what passes.

Rules a reader may not guess:

- A row is refused for an unknown deltaker nr (a protected deltaker the caller does not
  follow is unknown too), a date before the deltaker's oppstart or after their slutt (or
  any date without an oppstart), a date in the future, an activity the gjennomføring's rule
  pack (:mod:`ehf.rules`) does not know, minutes outside 1–1440, a group activity
  (``del_paa_deltakere``) without ``antall_deltakere``, and a month already claimed.
- A month is claimed for a gjennomføring when it has a ``Manedskrav`` whose status is not
  ``feilet``: its activities can then be neither added, changed nor deleted (a correction
  goes through the month's close).
- Each row shows the adjustment the rule pack makes (the pack's ``beregn``, per
  gjennomføring and month as the month's close bills it), in words.
- A no-show (``ikke_mott``) added, changed or deleted marks the deltaker's frister stale:
  each no-show day is a frist "Varsle NAV samme dag" (:mod:`dokgen.oppfolging.frister`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import (
    FieldError,
    InputInvalidError,
    RecordNotFoundError,
    StateConflictError,
)
from dokgen.oppfolging.timeregler import (
    IKKE_MOTT,
    KILDER,
    Deltakerdata,
    Person,
    Register,
    Timerad,
    aktivitet_tekst,
    justering_tekst,
    justeringer,
    krevd_melding,
    les_maned,
    maned_slutt,
    sjekk_rad,
    uke_navn,
)
from dokgen.services import deltakere
from dokgen.services.audit import logg
from dokgen.services.deltakere import _las
from dokgen.storage.db import (
    Aktivitet,
    Deltaker,
    Deltakerveileder,
    Gjennomforing,
    Manedskrav,
    foreld_frister,
)
from ehf.errors import GrunnlagInvalidError
from ehf.rules import Justering
from ehf.timeliste import les_timeliste_rader

if TYPE_CHECKING:
    from dokgen.deps import Deps

MAKS_RADER = 5000


# --- reading and checking rows ---------------------------------------------------------


def _register(session: Session, aktor: Aktor, nrs: Iterable[str], idag: date) -> Register:
    """Return what the checks need: the caller's deltakere with these numbers, the
    gjennomføringer's rule packs and claimed months, and today."""
    nrs = sorted({n for n in nrs if n})
    personer: list[Deltaker] = []
    for start in range(0, len(nrs), 1000):
        query = select(Deltaker).where(
            deltakere.synlige(aktor), Deltaker.nr.in_(nrs[start : start + 1000])
        )
        personer.extend(session.scalars(query))
    gids = {d.gjennomforing_id for d in personer}
    regelsett = dict(
        session.execute(
            select(Gjennomforing.id, Gjennomforing.regelsett).where(
                Gjennomforing.org_id == aktor.org_id, Gjennomforing.id.in_(gids)
            )
        ).all()
    )
    etter_nr = {
        d.nr: Deltakerdata(d.id, d.nr, deltakere.navn(d), d.gjennomforing_id,
                           regelsett[d.gjennomforing_id], d.oppstartdato, d.sluttdato)
        for d in personer
    }  # fmt: skip
    return Register(etter_nr, frozenset(krevde_maneder(session, gids)), idag)


def krevde_maneder(session: Session, gjennomforing_ids: Iterable[int]) -> set[tuple[int, str]]:
    """Return the (gjennomføring, ``YYYY-MM``) months already claimed or invoiced: a
    ``Manedskrav`` whose status is not ``feilet``."""
    ids = list(gjennomforing_ids)
    if not ids:
        return set()
    query = select(Manedskrav.gjennomforing_id, Manedskrav.maned).where(
        Manedskrav.gjennomforing_id.in_(ids), Manedskrav.status != "feilet"
    )
    return {(g, m) for g, m in session.execute(query)}


def _sjekk_alle(
    session: Session, aktor: Aktor, rader: Sequence[tuple[int, Any]], idag: date
) -> tuple[list[Timerad], list[FieldError]]:
    """Check every row against the register; return the good rows and every row's errors."""
    if len(rader) > MAKS_RADER:
        melding = f"for mange rader ({len(rader)}): send høyst {MAKS_RADER} om gangen"
        raise InputInvalidError([FieldError("", melding)])
    nrs = []
    for _, data in rader:
        person = data.get("deltaker") if isinstance(data, dict) else None
        if isinstance(person, dict) and isinstance(person.get("nr"), str):
            nrs.append(person["nr"])
    reg = _register(session, aktor, nrs, idag)
    gode, feil = [], []
    for n, data in rader:
        rad, radfeil = sjekk_rad(n, data, reg)
        feil.extend(radfeil)
        if rad is not None:
            gode.append(rad)
    return gode, feil


# --- the rule pack's adjustments --------------------------------------------------------


def _fra_lagret(a: Aktivitet, d: Deltaker, regelsett: str) -> Timerad:
    return Timerad(
        a.dato, Person(d.nr, deltakere.navn(d)), a.aktivitet, Decimal(a.minutter), a.mote,
        a.rapport, a.antall_deltakere, a.kommentar, -a.id, a.deltaker_id, a.gjennomforing_id,
        regelsett,
    )  # fmt: skip


def _svar(r: Timerad, j: Justering | None, a: Aktivitet | None = None) -> dict[str, Any]:
    return {
        "id": a.id if a is not None else None,
        "dato": r.dato.isoformat(),
        "deltaker": {"id": r.deltaker_id, "nr": r.deltaker.nr, "navn": r.deltaker.navn},
        "gjennomforing_id": r.gjennomforing_id,
        "aktivitet": r.aktivitet,
        "aktivitet_tekst": aktivitet_tekst(r.regelsett, r.aktivitet),
        "minutter": int(r.minutter),
        "mote": r.mote,
        "rapport": r.rapport,
        "antall_deltakere": r.antall_deltakere,
        "kommentar": r.kommentar,
        "timer": str(j.timer) if j is not None else None,
        "justering": justering_tekst(j, r.regelsett),
        "kilde": a.kilde if a is not None else None,
        "registrert_av": a.registrert_av if a is not None else None,
        "krevd": False,
    }


def _lagret(session: Session, query: Any) -> list[tuple[Aktivitet, Timerad]]:
    """Return the stored activities a query on ``Aktivitet`` finds, each as a checked row."""
    query = query.join(Deltaker, Deltaker.id == Aktivitet.deltaker_id).join(
        Gjennomforing, Gjennomforing.id == Aktivitet.gjennomforing_id
    )
    query = query.add_columns(Deltaker, Gjennomforing.regelsett)
    return [(a, _fra_lagret(a, d, regelsett)) for a, d, regelsett in session.execute(query)]


def _lagrede(session: Session, rader: Sequence[Timerad]) -> list[Timerad]:
    """Return the stored activities of the same deltakere and months as ``rader`` (the
    rule pack's caps count them too)."""
    ut: list[Timerad] = []
    maneder: dict[int, set[str]] = {}
    for r in rader:
        maneder.setdefault(r.deltaker_id, set()).add(f"{r.dato:%Y-%m}")
    for deltaker_id, mnd in maneder.items():
        fra = min(date.fromisoformat(f"{m}-01") for m in mnd)
        til = maned_slutt(max(mnd))
        query = select(Aktivitet).where(
            Aktivitet.deltaker_id == deltaker_id, Aktivitet.dato.between(fra, til)
        )
        ut.extend(r for _, r in _lagret(session, query))
    return ut


def _forhandsvis(session: Session, rader: Sequence[Timerad]) -> list[dict[str, Any]]:
    """Return the new rows as answers, each with the adjustment the rule pack will make."""
    js = justeringer(_med_resten_av_maneden(session, rader))
    return [_svar(r, js.get(r.kilde_rad)) for r in rader]


# --- writing ----------------------------------------------------------------------------


def _ny(r: Timerad, aktor: Aktor, kilde: str) -> Aktivitet:
    return Aktivitet(
        org_id=aktor.org_id, gjennomforing_id=r.gjennomforing_id, deltaker_id=r.deltaker_id,
        dato=r.dato, aktivitet=r.aktivitet, minutter=int(r.minutter), mote=r.mote,
        rapport=r.rapport, antall_deltakere=r.antall_deltakere, kommentar=r.kommentar,
        kilde=kilde, registrert_av=aktor.navn,
    )  # fmt: skip


def _feilrader(feil: Sequence[FieldError]) -> list[dict[str, Any]]:
    """Return errors as rows (radnr, felt, melding) for a preview."""
    ut = []
    for f in feil:
        rad, _, felt = f.path.partition(".")
        nr = rad.removeprefix("rad ")
        ut.append(
            {
                "radnr": int(nr) if nr.isdigit() else None,
                "felt": felt,
                "melding": f.message,
            }
        )
    return ut


def _skriv(
    deps: Deps,
    aktor: Aktor,
    rader: Sequence[tuple[int, Any]],
    *,
    kilde: str,
    forhandsvis: bool,
) -> dict[str, Any]:
    aktor.krev("timer.skriv")
    if kilde not in KILDER:
        raise InputInvalidError([FieldError("kilde", f"bruk en av {', '.join(KILDER)}")])
    idag = deps.clock().date()
    if forhandsvis:
        with deps.sessions() as session:
            gode, feil = _sjekk_alle(session, aktor, rader, idag)
            svar = _forhandsvis(session, gode)
        deps.read_audit.write(aktor, "forhandsvis_import", "aktiviteter", None)
        return {"aktiviteter": svar, "feil": _feilrader(feil), "skrevet": False}
    with deps.sessions.begin() as session:
        _las(session, aktor)
        gode, feil = _sjekk_alle(session, aktor, rader, idag)
        if feil:
            raise InputInvalidError(feil)
        svar = _forhandsvis(session, gode)
        nye = [_ny(r, aktor, kilde) for r in gode]
        session.add_all(nye)
        session.flush()
        for s, a in zip(svar, nye, strict=True):
            s.update(id=a.id, kilde=kilde, registrert_av=aktor.navn)
        logg(session, aktor, "registrer", "aktiviteter", None, f"{len(nye)} aktiviteter ({kilde})")
        foreld_frister(
            session, deltaker_ids=sorted({r.deltaker_id for r in gode if r.aktivitet == IKKE_MOTT})
        )
    return {"aktiviteter": svar, "feil": [], "skrevet": True}


def registrer_liste(
    deps: Deps,
    aktor: Aktor,
    aktiviteter: Any,
    *,
    kilde: str = "api",
    forhandsvis: bool = False,
) -> dict[str, Any]:
    """Register a list of activities (the fakturagrunnlag's ``aktiviteter`` shape, the
    deltaker by ``nr``): all of them, or none when any row has an error.

    Args:
        aktiviteter: a list of objects with ``dato``, ``deltaker`` {``nr``}, ``aktivitet``,
            ``minutter`` and optionally ``mote``, ``rapport``, ``antall_deltakere``,
            ``kommentar``.
        kilde: where they come from: skjema, uke, csv or api.
        forhandsvis: True: check and show the rows with their adjustments; write nothing.

    Returns:
        ``aktiviteter`` (each with ``timer`` billed and ``justering`` in words), ``feil``
        (radnr, felt, melding: only in a preview) and ``skrevet``.

    Raises:
        AccessDeniedError: the caller may not register hours.
        InputInvalidError: not a list, or (when writing) any row's errors as
            ``rad N.felt``, N counted from 1; nothing is written.
    """
    if not isinstance(aktiviteter, list):
        melding = 'send en liste av aktiviteter, f.eks. [{"dato": "2026-10-02", ...}]'
        raise InputInvalidError([FieldError("", melding)])
    rader = list(enumerate(aktiviteter, start=1))
    return _skriv(deps, aktor, rader, kilde=kilde, forhandsvis=forhandsvis)


def importer_csv(
    deps: Deps, aktor: Aktor, innhold: bytes, *, forhandsvis: bool = False
) -> dict[str, Any]:
    """Register the activities of a timeliste CSV (``../shared/kontrakt/timeliste.csv``):
    each deltaker by ``deltaker_nr`` within the organisation, in their own gjennomføring.

    Returns:
        As :func:`registrer_liste`; rows are the file's own (the header is row 1).

    Raises:
        AccessDeniedError: the caller may not register hours.
        InputInvalidError: an unreadable file, a wrong header, or (when writing) any row's
            errors; nothing is written.
    """
    aktor.krev("timer.skriv")
    try:
        rader = les_timeliste_rader(innhold)
    except GrunnlagInvalidError as exc:
        raise InputInvalidError([FieldError(e.path, e.message) for e in exc.errors]) from None
    return _skriv(deps, aktor, rader, kilde="csv", forhandsvis=forhandsvis)


def registrer(deps: Deps, aktor: Aktor, aktivitet: dict[str, Any], *, kilde: str = "skjema"
              ) -> dict[str, Any]:  # fmt: skip
    """Register one activity.

    Returns:
        The stored activity with its adjustment.

    Raises:
        AccessDeniedError: the caller may not register hours.
        InputInvalidError: each field's error, the path the field's name.
    """
    try:
        svar = _skriv(deps, aktor, [(1, aktivitet)], kilde=kilde, forhandsvis=False)
    except InputInvalidError as exc:
        raise InputInvalidError(_uten_rad(exc.errors)) from None
    return dict(svar["aktiviteter"][0])


def _uten_rad(feil: Sequence[FieldError]) -> list[FieldError]:
    return [FieldError(f.path.removeprefix("rad 1").lstrip("."), f.message) for f in feil]


def _finn(session: Session, aktor: Aktor, aktivitet_id: int) -> tuple[Aktivitet, Deltaker]:
    rad = session.execute(
        select(Aktivitet, Deltaker)
        .join(Deltaker, Deltaker.id == Aktivitet.deltaker_id)
        .where(Aktivitet.id == aktivitet_id, deltakere.synlige(aktor))
    ).first()
    if rad is None:
        raise RecordNotFoundError("fant ikke aktiviteten")
    return rad[0], rad[1]


def _ikke_krevd(session: Session, a: Aktivitet) -> None:
    maned = f"{a.dato:%Y-%m}"
    if (a.gjennomforing_id, maned) in krevde_maneder(session, [a.gjennomforing_id]):
        raise StateConflictError(krevd_melding(maned))


def endre(deps: Deps, aktor: Aktor, aktivitet_id: int, aktivitet: dict[str, Any]
          ) -> dict[str, Any]:  # fmt: skip
    """Change one activity (all its fields, as :func:`registrer` takes them).

    Raises:
        AccessDeniedError: the caller may not register hours.
        RecordNotFoundError: no such activity of a deltaker the caller may see.
        StateConflictError: its month is already claimed for the gjennomføring.
        InputInvalidError: each field's error.
    """
    aktor.krev("timer.skriv")
    with deps.sessions.begin() as session:
        _las(session, aktor)
        a, _ = _finn(session, aktor, aktivitet_id)
        _ikke_krevd(session, a)
        gode, feil = _sjekk_alle(session, aktor, [(1, aktivitet)], deps.clock().date())
        if feil:
            raise InputInvalidError(_uten_rad(feil))
        ny = gode[0]
        var_ikke_mott = a.aktivitet == IKKE_MOTT
        gammel_deltaker = a.deltaker_id
        for felt in ("dato", "aktivitet", "mote", "rapport", "antall_deltakere", "kommentar"):
            setattr(a, felt, getattr(ny, felt))
        a.minutter, a.deltaker_id = int(ny.minutter), ny.deltaker_id
        a.gjennomforing_id = ny.gjennomforing_id
        session.flush()
        svar = _forhandsvis(session, [replace(ny, kilde_rad=-a.id)])[0]
        svar.update(id=a.id, kilde=a.kilde, registrert_av=a.registrert_av)
        logg(session, aktor, "endre", "aktivitet", str(a.id))
        if var_ikke_mott or ny.aktivitet == IKKE_MOTT:
            foreld_frister(session, deltaker_ids=[gammel_deltaker, ny.deltaker_id])
    return svar


def slett(deps: Deps, aktor: Aktor, aktivitet_id: int) -> None:
    """Delete one activity.

    Raises:
        AccessDeniedError: the caller may not register hours.
        RecordNotFoundError: no such activity of a deltaker the caller may see.
        StateConflictError: its month is already claimed for the gjennomføring.
    """
    aktor.krev("timer.skriv")
    with deps.sessions.begin() as session:
        _las(session, aktor)
        a, _ = _finn(session, aktor, aktivitet_id)
        _ikke_krevd(session, a)
        if a.aktivitet == IKKE_MOTT:
            foreld_frister(session, deltaker_ids=[a.deltaker_id])
        session.delete(a)
        logg(session, aktor, "slett", "aktivitet", str(aktivitet_id))


# --- reading ----------------------------------------------------------------------------


def _les(
    session: Session,
    aktor: Aktor,
    *,
    deltaker_id: int | None = None,
    gjennomforing_id: int | None = None,
    fra: date | None = None,
    til: date | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(Aktivitet)
        .where(Aktivitet.org_id == aktor.org_id, deltakere.synlige(aktor))
        .order_by(Aktivitet.dato, Deltaker.nr, Aktivitet.id)
    )
    if deltaker_id is not None:
        query = query.where(Aktivitet.deltaker_id == deltaker_id)
    if gjennomforing_id is not None:
        query = query.where(Aktivitet.gjennomforing_id == gjennomforing_id)
    if fra is not None:
        query = query.where(Aktivitet.dato >= fra)
    if til is not None:
        query = query.where(Aktivitet.dato <= til)
    lagret = _lagret(session, query)
    rader = [r for _, r in lagret]
    # The caps count the whole month's rows, also when the list shows part of one.
    js = justeringer(_med_resten_av_maneden(session, rader))
    krevd = krevde_maneder(session, {r.gjennomforing_id for r in rader})
    ut = []
    for a, r in lagret:
        svar = _svar(r, js.get(r.kilde_rad), a)
        svar["krevd"] = (r.gjennomforing_id, f"{r.dato:%Y-%m}") in krevd
        ut.append(svar)
    return ut


def _med_resten_av_maneden(session: Session, rader: Sequence[Timerad]) -> list[Timerad]:
    sett = {r.kilde_rad for r in rader}
    return [*rader, *(r for r in _lagrede(session, rader) if r.kilde_rad not in sett)]


def liste(
    deps: Deps,
    aktor: Aktor,
    *,
    deltaker_id: int | None = None,
    gjennomforing_id: int | None = None,
    maned: str | None = None,
) -> list[dict[str, Any]]:
    """Return the registered activities of the deltakere the caller may see, by date, each
    with its billed hours and the adjustment in words.

    Args:
        deltaker_id: this deltaker's only.
        gjennomforing_id: this gjennomføring's only.
        maned: this month's only (``YYYY-MM``).

    Raises:
        AccessDeniedError: the caller may not read hours.
        InputInvalidError: a month not written ÅÅÅÅ-MM.
    """
    aktor.krev("timer.les")
    fra, til = les_maned(maned) if maned else (None, None)
    with deps.sessions() as session:
        svar = _les(session, aktor, deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id,
                    fra=fra, til=til)  # fmt: skip
    deps.read_audit.write(aktor, "sok", "aktivitet", None)
    return svar


def hent(deps: Deps, aktor: Aktor, aktivitet_id: int) -> dict[str, Any]:
    """Return one activity with its billed hours and adjustment.

    Raises:
        AccessDeniedError: the caller may not read hours.
        RecordNotFoundError: no such activity of a deltaker the caller may see.
    """
    aktor.krev("timer.les")
    with deps.sessions() as session:
        a, _ = _finn(session, aktor, aktivitet_id)
        dag = a.dato
        rader = _les(session, aktor, deltaker_id=a.deltaker_id, fra=dag, til=dag)
    deps.read_audit.write(aktor, "les", "aktivitet", str(aktivitet_id))
    return next(r for r in rader if r["id"] == aktivitet_id)


def fakturagrunnlag_aktiviteter(
    deps: Deps, aktor: Aktor, gjennomforing_id: int, maned: str
) -> list[dict[str, Any]]:
    """Return a gjennomføring's month's activities in the fakturagrunnlag's ``aktiviteter``
    shape (dato, deltaker {nr, navn}, aktivitet, minutter, mote, rapport,
    antall_deltakere, kommentar; empty optional fields left out), by date and deltaker nr.

    Raises:
        AccessDeniedError: the caller may not read hours.
        InputInvalidError: a month not written ÅÅÅÅ-MM.
    """
    ut = []
    for r in liste(deps, aktor, gjennomforing_id=gjennomforing_id, maned=maned):
        rad: dict[str, Any] = {
            "dato": r["dato"],
            "deltaker": {"nr": r["deltaker"]["nr"], "navn": r["deltaker"]["navn"]},
            "aktivitet": r["aktivitet"],
            "minutter": r["minutter"],
        }
        for felt in ("mote", "rapport", "antall_deltakere", "kommentar"):
            if r[felt] is not None:
                rad[felt] = r[felt]
        ut.append(rad)
    return ut


def timer_per_maned(
    session: Session, aktor: Aktor, deltaker_id: int, fra: date, til: date
) -> list[dict[str, str]]:
    """Return the deltaker's billed hours per month from ``fra`` to ``til`` (after the rule
    pack's adjustments), the months with registered activities only, oldest first, as the
    statusrapport's ``oppfolgingstimer_per_maned`` takes them (``{"maned", "timer"}``)."""
    per_maned: dict[str, Decimal] = {}
    for r in _les(session, aktor, deltaker_id=deltaker_id, fra=fra, til=til):
        if r["timer"] is not None:
            maned = r["dato"][:7]
            per_maned[maned] = per_maned.get(maned, Decimal("0")) + Decimal(r["timer"])
    return [{"maned": m, "timer": f"{t:.2f}"} for m, t in sorted(per_maned.items())]


# --- the week view ----------------------------------------------------------------------


def uke(deps: Deps, aktor: Aktor, mandag: date) -> dict[str, Any]:
    """Return the week view: the caller's deltakere (those they follow; everyone they may
    see who is active in the week when they follow no one), the week's days, and each
    deltaker's registered minutes per day and activity.

    Raises:
        AccessDeniedError: the caller may not read hours.
    """
    aktor.krev("timer.les")
    dager = [mandag + timedelta(days=i) for i in range(7)]
    with deps.sessions() as session:
        aktive = select(Deltaker).where(
            deltakere.synlige(aktor),
            Deltaker.oppstartdato.is_not(None),
            Deltaker.oppstartdato <= dager[-1],
            (Deltaker.sluttdato.is_(None)) | (Deltaker.sluttdato >= mandag),
        )
        folger = (
            exists()
            .where(
                Deltakerveileder.deltaker_id == Deltaker.id,
                Deltakerveileder.bruker_id == aktor.bruker_id,
            )
            .correlate_except(Deltakerveileder)
        )
        personer = list(session.scalars(aktive.where(folger))) if aktor.bruker_id else []
        if not personer:
            personer = list(session.scalars(aktive.order_by(Deltaker.etternavn).limit(200)))
        personer.sort(key=lambda d: (d.etternavn.lower(), d.fornavn.lower(), d.nr))
        ids = [d.id for d in personer]
        minutter: dict[tuple[int, str, str], int] = {}
        for a in session.scalars(
            select(Aktivitet).where(
                Aktivitet.deltaker_id.in_(ids), Aktivitet.dato.between(dager[0], dager[-1])
            )
        ):
            nokkel = (a.deltaker_id, a.dato.isoformat(), a.aktivitet)
            minutter[nokkel] = minutter.get(nokkel, 0) + a.minutter
        regelsett = {d.id: d.gjennomforing.regelsett for d in personer}
        rader = [
            {
                "id": d.id,
                "nr": d.nr,
                "navn": deltakere.navn(d),
                "regelsett": regelsett[d.id],
                "aktive_dager": [
                    d.oppstartdato is not None
                    and d.oppstartdato <= dag
                    and (d.sluttdato is None or dag <= d.sluttdato)
                    for dag in dager
                ],
            }
            for d in personer
        ]
    deps.read_audit.write(aktor, "sok", "aktivitet", None)
    return {
        "uke": uke_navn(mandag),
        "dager": [dag.isoformat() for dag in dager],
        "deltakere": rader,
        "minutter": {f"{k[0]}:{k[1]}:{k[2]}": v for k, v in minutter.items()},
        "forrige": uke_navn(mandag - timedelta(days=7)),
        "neste": uke_navn(mandag + timedelta(days=7)),
    }
