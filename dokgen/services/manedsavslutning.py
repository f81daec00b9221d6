"""The month's close ("Avslutt oktober"): for every gjennomføring of the organisation with
hours or active deltakere in a month, the checks (:mod:`dokgen.services.manedskontroll`),
then one EHF invoice or one NAV claim package each.

- :func:`forhandsvis`: the checks and the sums, nothing stored;
- :func:`avslutt`: the checks again inside the write transaction; any ``feil`` refuses the
  whole close (nothing is made); else one :class:`~dokgen.storage.db.Manedskrav` per
  gjennomføring with something to claim — for ``ehf`` with a numbered invoice
  (:class:`~dokgen.storage.db.Faktura`, built by :func:`dokgen.services.fakturajobber.bygg`),
  for ``nav_refusjonskrav`` with the claim's ``grunnlag``, its Timedokumentasjon made by
  :func:`dokgen.services.kravpakke.bygg`;
- :func:`status`: how far each claim of the month has come (behandles, klar, feilet).

Two people closing the same month at the same moment make one claim per gjennomføring: the
transaction holds the organisation's row (PostgreSQL) or the database's write lock (SQLite)
from its first read, so the second sees the first's claims and is refused; the unique
``(gjennomforing_id, maned, lopenr)`` is the last guard. A month already claimed is closed
again only as a correction with a reason (``lopenr`` 1, 2 …, ``korrigerer_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, StateConflictError
from dokgen.oppfolging.timepriser import maned_periode
from dokgen.services import fakturaer, fakturajobber, kravpakke
from dokgen.services.audit import logg
from dokgen.services.manedskontroll import (
    ADVARSEL,
    EHF,
    FEIL,
    NAV_REFUSJONSKRAV,
    TIMERAD,
    Berort,
    Funn,
    Gjennomforingskrav,
    Mnd,
    funn_som_json,
    kontroller,
    maned_i_ord,
    utvalg_for,
)
from dokgen.storage.db import (
    Aktivitet,
    Deltaker,
    Faktura,
    Gjennomforing,
    Manedskrav,
    Organisasjon,
    lock_for_update,
)

if TYPE_CHECKING:
    from dokgen.deps import Deps

__all__ = [
    "ADVARSEL",
    "BEHANDLES",
    "EHF",
    "FEIL",
    "FEILET",
    "KLAR",
    "NAV_REFUSJONSKRAV",
    "Avslutning",
    "Berort",
    "Funn",
    "Gjennomforingskrav",
    "Kravstatus",
    "avslutt",
    "forhandsvis",
    "forrige_maned",
    "gjenoppta",
    "maned_i_ord",
    "status",
]

BEHANDLES, KLAR, FEILET = "behandles", "klar", "feilet"
FREMDRIFTSTEKST = {BEHANDLES: "Lages", KLAR: "Klar", FEILET: "Feilet"}
# An invoice's status as the close's progress.
_FAKTURA_FREMDRIFT = {
    fakturajobber.BEHANDLES: BEHANDLES,
    fakturajobber.VALIDERT: KLAR,
    fakturajobber.SENDING: KLAR,
    fakturajobber.SENDT: KLAR,
    fakturajobber.I_UTBOKS: KLAR,
    fakturajobber.LEVERT: KLAR,
    fakturajobber.UGYLDIG: FEILET,
    fakturajobber.FEILET: FEILET,
    fakturajobber.AVVIST: FEILET,
}
MAKS_BEGRUNNELSE = 500


@dataclass(frozen=True)
class Avslutning:
    """The month's close for the organisation: each gjennomføring's checks and sums, the
    month's own findings, and whether the claims were made (``laget``)."""

    maned: str
    fra: date
    til: date
    gjennomforinger: tuple[Gjennomforingskrav, ...]
    funn: tuple[Funn, ...] = ()
    laget: bool = False

    @property
    def ord(self) -> str:
        """Return the month in words ("oktober 2026")."""
        return maned_i_ord(self.fra)

    @property
    def avvist(self) -> bool:
        """Whether a finding refuses the close."""
        return any(f.niva == FEIL for f in self.funn) or any(g.avvist for g in self.gjennomforinger)

    @property
    def alle_funn(self) -> list[tuple[Gjennomforingskrav | None, Funn]]:
        """Return every finding with its gjennomføring (None: the month's own)."""
        return [(None, f) for f in self.funn] + [
            (g, f) for g in self.gjennomforinger for f in g.funn
        ]

    def som_json(self) -> dict[str, Any]:
        """Return the close as the API and the CLI write it."""
        return {
            "maned": self.maned,
            "laget": self.laget,
            "avvist": self.avvist,
            "funn": funn_som_json(self.funn),
            "gjennomforinger": [g.som_json() for g in self.gjennomforinger],
        }


@dataclass(frozen=True)
class Kravstatus:
    """How far one claim of the month has come, for the progress display."""

    krav_id: str
    gjennomforing_id: int
    gjennomforing: str
    art: str
    lopenr: int
    status: str
    belop: str
    belop_kroner: int
    faktura_id: str | None
    faktura_nummer: str | None
    feil: str | None

    @property
    def tekst(self) -> str:
        """Return the status in words."""
        return FREMDRIFTSTEKST[self.status]

    def som_json(self) -> dict[str, Any]:
        """Return the status as the API writes it."""
        return {
            "krav_id": self.krav_id,
            "gjennomforing_id": self.gjennomforing_id,
            "gjennomforing": self.gjennomforing,
            "art": self.art,
            "lopenr": self.lopenr,
            "status": self.status,
            "belop": self.belop,
            "belop_kroner": self.belop_kroner,
            "faktura_id": self.faktura_id,
            "faktura_nummer": self.faktura_nummer,
            "feil": self.feil,
        }


def forrige_maned(idag: date) -> str:
    """Return the last whole month before ``idag`` ("2026-10" in November 2026)."""
    ar, mnd = (idag.year, idag.month - 1) if idag.month > 1 else (idag.year - 1, 12)
    return f"{ar:04d}-{mnd:02d}"


def _mnd(deps: Deps, maned: str) -> Mnd:
    try:
        fra, til = maned_periode(maned)
    except ValueError as exc:
        raise InputInvalidError([FieldError("maned", str(exc))]) from None
    return Mnd(maned, fra, til, deps.clock().date())


def _korreksjoner(korreksjoner: Mapping[Any, str] | None) -> dict[int, str]:
    """Return the corrections keyed by gjennomføring id.

    Raises:
        InputInvalidError: a key that is not a gjennomføring id, or a reason not text.
    """
    ut: dict[int, str] = {}
    for key, begrunnelse in (korreksjoner or {}).items():
        try:
            gid = int(key)
        except (TypeError, ValueError):
            raise InputInvalidError(
                [FieldError("korreksjoner", "nøklene må være gjennomføringenes id")]
            ) from None
        if not isinstance(begrunnelse, str):
            melding = "begrunnelsen må være tekst"
            raise InputInvalidError([FieldError(f"korreksjoner.{gid}", melding)])
        ut[gid] = begrunnelse
    return ut


def _tidligere(session: Session, org_id: int, maned: str) -> dict[int, list[str]]:
    """Return per gjennomføring what already claims the month: its claims not feilet and
    the invoices tied to it, as people name them."""
    tidligere: dict[int, list[str]] = {}
    fakturaer = session.execute(
        select(Faktura.gjennomforing_id, Faktura.nummer)
        .where(Faktura.org_id == org_id, Faktura.maned == maned, Faktura.art == "faktura")
        .order_by(Faktura.nummer)
    ).all()
    for gid, nummer in fakturaer:
        if gid is not None:
            tidligere.setdefault(gid, []).append(f"faktura {nummer}")
    krav = session.execute(
        select(Manedskrav.gjennomforing_id, Manedskrav.art, Manedskrav.lopenr)
        .where(Manedskrav.org_id == org_id, Manedskrav.maned == maned)
        .where(Manedskrav.status != FEILET, Manedskrav.art == NAV_REFUSJONSKRAV)
        .order_by(Manedskrav.lopenr)
    ).all()
    for gid, _, lopenr in krav:
        hva = "refusjonskrav" if lopenr == 0 else f"korrigert refusjonskrav {lopenr}"
        tidligere.setdefault(gid, []).append(hva)
    # An EHF claim names its invoice above; one whose invoice is gone still claims the month.
    ehf = session.scalars(
        select(Manedskrav.gjennomforing_id).where(
            Manedskrav.org_id == org_id,
            Manedskrav.maned == maned,
            Manedskrav.status != FEILET,
            Manedskrav.art != NAV_REFUSJONSKRAV,
            Manedskrav.faktura_id.is_(None),
        )
    )
    for gid in ehf:
        tidligere.setdefault(gid, []).append("krav")
    return tidligere


def _vurder(session: Session, org_id: int, mnd: Mnd, korreksjoner: Mapping[int, str]) -> Avslutning:
    org = session.get(Organisasjon, org_id)
    if org is None:
        raise RecordNotFoundError("fant ikke organisasjonen")
    gjennomforinger = session.scalars(
        select(Gjennomforing).where(Gjennomforing.org_id == org_id)
    ).all()
    deltakere = session.scalars(select(Deltaker).where(Deltaker.org_id == org_id)).all()
    aktiviteter = session.execute(
        select(*TIMERAD)
        .where(Aktivitet.org_id == org_id, Aktivitet.dato >= mnd.fra, Aktivitet.dato <= mnd.til)
        .order_by(Aktivitet.gjennomforing_id, Aktivitet.dato, Aktivitet.id)
    ).all()
    utvalg = utvalg_for(
        gjennomforinger, deltakere, aktiviteter, _tidligere(session, org_id, mnd.maned), mnd
    )
    resultat = tuple(kontroller(org, u, mnd, korreksjoner.get(u.gjennomforing.id)) for u in utvalg)
    funn: list[Funn] = []
    if not resultat:
        funn.append(
            Funn(FEIL, f"Ingen gjennomføringer har timer eller aktive deltakere i {mnd.ord}.")
        )
    elif all(g.tom for g in resultat) and not any(g.avvist for g in resultat):
        funn.append(Funn(FEIL, f"Det er ingen timer å kreve for {mnd.ord}."))
    return Avslutning(mnd.maned, mnd.fra, mnd.til, resultat, tuple(funn))


def forhandsvis(
    deps: Deps, aktor: Aktor, maned: str, *, korreksjoner: Mapping[Any, str] | None = None
) -> Avslutning:
    """Check the month for every gjennomføring and compute what would be claimed; nothing is
    stored.

    Args:
        deps: the collaborators.
        aktor: the caller (``maned.avslutt``: regnskap or admin).
        maned: the month, ``YYYY-MM``.
        korreksjoner: gjennomføring id → the reason, for the months to claim again.

    Returns:
        Each gjennomføring's findings, billed hours, timepris and amount.

    Raises:
        AccessDeniedError: the caller may not close months.
        InputInvalidError: the month is not written ``YYYY-MM``, or a correction is malformed.
    """
    aktor.krev("maned.avslutt")
    mnd, rettinger = _mnd(deps, maned), _korreksjoner(korreksjoner)
    with deps.sessions() as session:
        avslutning = _vurder(session, aktor.org_id, mnd, rettinger)
    deps.read_audit.write(aktor, "forhandsvis", "manedsavslutning", maned)
    return avslutning


def avslutt(
    deps: Deps,
    aktor: Aktor,
    maned: str,
    *,
    korreksjoner: Mapping[Any, str] | None = None,
    bekreftet: bool,
) -> Avslutning:
    """Close the month: check again, then make one invoice or NAV claim per gjennomføring.

    Refused (nothing is made, ``laget`` False) when any check finds an error — the month
    claimed before and not marked as a correction, hours outside a deltaker's participation,
    the month not over, the set-up incomplete — or when another close of the same month won
    the race. Each gjennomføring without hours to claim is left out.

    Args:
        deps: the collaborators.
        aktor: the caller (``maned.avslutt``: regnskap or admin).
        maned: the month, ``YYYY-MM``.
        korreksjoner: gjennomføring id → the reason, for the months to claim again.
        bekreftet: the caller has seen what will be made and confirmed it.

    Returns:
        The close, with each made claim's ``krav_id`` (and ``faktura_id`` for an invoice).

    Raises:
        AccessDeniedError: the caller may not close months.
        InputInvalidError: not confirmed, the month not ``YYYY-MM``, a malformed correction.
    """
    aktor.krev("maned.avslutt")
    if not bekreftet:
        melding = "bekreft månedsavslutningen før noe lages"
        raise InputInvalidError([FieldError("bekreftet", melding)])
    mnd, rettinger = _mnd(deps, maned), _korreksjoner(korreksjoner)
    try:
        with deps.sessions.begin() as session:
            # Held from the first read: a second close waits here and then sees this one's.
            lock_for_update(session, select(Organisasjon.id).where(Organisasjon.id == aktor.org_id))
            avslutning = _vurder(session, aktor.org_id, mnd, rettinger)
            if avslutning.avvist:
                logg(session, aktor, "avslutt_avvist", "manedsavslutning", maned)
                return avslutning
            laget = tuple(_lag(session, aktor, mnd, g) for g in avslutning.gjennomforinger)
            logg(session, aktor, "avslutt", "manedsavslutning", maned, _detalj(laget))
    except IntegrityError:
        # Another close of the month committed first, under the same (gjennomføring, month,
        # lopenr): this one made nothing.
        return _tapt(deps, aktor, mnd, rettinger)
    for g in laget:
        if g.faktura_id is not None:
            deps.jobs.submit(fakturajobber.bygg, deps, g.faktura_id)
        elif g.krav_id is not None:
            deps.jobs.submit(kravpakke.bygg, deps, g.krav_id)
    return replace(avslutning, gjennomforinger=laget, laget=True)


def _tapt(deps: Deps, aktor: Aktor, mnd: Mnd, rettinger: Mapping[int, str]) -> Avslutning:
    with deps.sessions() as session:
        avslutning = _vurder(session, aktor.org_id, mnd, rettinger)
    melding = f"{mnd.ord.capitalize()} ble avsluttet av noen andre samtidig; ingenting ble laget."
    return replace(avslutning, funn=(*avslutning.funn, Funn(FEIL, melding)))


def _detalj(laget: tuple[Gjennomforingskrav, ...]) -> str:
    antall = sum(1 for g in laget if g.krav_id)
    return f"{antall} krav" + (" (med korreksjoner)" if any(g.tidligere for g in laget) else "")


def _lag(session: Session, aktor: Aktor, mnd: Mnd, g: Gjennomforingskrav) -> Gjennomforingskrav:
    """Store one gjennomføring's claim (and invoice); return it with their ids."""
    if g.tom:
        return g
    tidligere = session.execute(
        select(Manedskrav.id, Manedskrav.lopenr, Manedskrav.status)
        .where(Manedskrav.gjennomforing_id == g.gjennomforing_id, Manedskrav.maned == mnd.maned)
        .order_by(Manedskrav.lopenr)
    ).all()
    lopenr = max((r.lopenr for r in tidligere), default=-1) + 1
    gjeldende = [r.id for r in tidligere if r.status != FEILET]
    faktura = _faktura(session, aktor, mnd, g) if g.art == EHF else None
    krav = Manedskrav(
        org_id=aktor.org_id,
        gjennomforing_id=g.gjennomforing_id,
        maned=mnd.maned,
        lopenr=lopenr,
        art=g.art,
        # An invoice's progress is the invoice's own; a NAV claim's package is yet to be made.
        status=KLAR if faktura is not None else BEHANDLES,
        faktura_id=faktura.id if faktura is not None else None,
        belop=str(g.belop),
        belop_kroner=g.belop_kroner,
        timepris=None if g.timepris is None else str(g.timepris),
        korrigerer_id=gjeldende[-1] if g.tidligere and gjeldende else None,
        begrunnelse=g.begrunnelse if g.tidligere else None,
        funn=funn_som_json(g.funn),
        grunnlag=g.grunnlag if g.grunnlag is not None else _sammendrag(mnd, g, faktura),
        opprettet_av=aktor.navn,
    )
    session.add(krav)
    session.flush()
    logg(session, aktor, "opprett", "manedskrav", krav.id, f"{mnd.maned} {g.art} {lopenr}")
    return replace(g, krav_id=krav.id, faktura_id=krav.faktura_id)


def _sammendrag(mnd: Mnd, g: Gjennomforingskrav, faktura: Faktura | None) -> dict[str, Any]:
    return {
        "maned": mnd.maned,
        "periode": {"fra": mnd.fra.isoformat(), "til": mnd.til.isoformat()},
        "faktura": faktura.nummer if faktura is not None else None,
        "timer": str(g.timer),
        "belop": str(g.belop),
        "belop_kroner": g.belop_kroner,
    }


def _faktura(session: Session, aktor: Aktor, mnd: Mnd, g: Gjennomforingskrav) -> Faktura:
    """Number and store the gjennomføring's invoice as :func:`dokgen.services.fakturaer.opprett`
    does, tied to the month; its job is queued after the commit."""
    if g.beregning is None:  # kontroller bills every EHF claim with hours it lets through
        raise StateConflictError("fakturaen er ikke beregnet")
    return fakturaer.lagre_i(
        session,
        aktor,
        g.beregning,
        detalj=f"månedsavslutning {mnd.maned}",
        gjennomforing_id=g.gjennomforing_id,
        maned=mnd.maned,
    )


def status(deps: Deps, aktor: Aktor, maned: str) -> list[Kravstatus]:
    """Return how far each claim of the month has come (an invoice's by the invoice).

    Raises:
        AccessDeniedError: the caller may not close months.
        InputInvalidError: the month is not written ``YYYY-MM``.
    """
    aktor.krev("maned.avslutt")
    _mnd(deps, maned)
    query = (
        select(Manedskrav, Gjennomforing.navn, Faktura.nummer, Faktura.status, Faktura.feil)
        .join(Gjennomforing, Gjennomforing.id == Manedskrav.gjennomforing_id)
        .outerjoin(Faktura, Faktura.id == Manedskrav.faktura_id)
        .where(Manedskrav.org_id == aktor.org_id, Manedskrav.maned == maned)
        .order_by(Gjennomforing.navn, Manedskrav.gjennomforing_id, Manedskrav.lopenr)
    )
    with deps.sessions() as session:
        rader = session.execute(query).all()
    deps.read_audit.write(aktor, "les_status", "manedsavslutning", maned)
    return [_kravstatus(*rad) for rad in rader]


def _kravstatus(
    k: Manedskrav, navn: str, nummer: str | None, fstatus: str | None, ffeil: str | None
) -> Kravstatus:
    fremdrift = _FAKTURA_FREMDRIFT.get(fstatus or "", FEILET) if k.faktura_id else k.status
    feil = k.feil
    if k.faktura_id and fremdrift == FEILET:
        feil = ffeil or "Fakturaen har feil: se fakturaen."
    return Kravstatus(
        krav_id=k.id,
        gjennomforing_id=k.gjennomforing_id,
        gjennomforing=navn,
        art=k.art,
        lopenr=k.lopenr,
        status=fremdrift if fremdrift in FREMDRIFTSTEKST else BEHANDLES,
        belop=k.belop,
        belop_kroner=k.belop_kroner,
        faktura_id=k.faktura_id,
        faktura_nummer=nummer,
        feil=feil,
    )


def gjenoppta(deps: Deps) -> int:
    """Queue again the NAV claims a stopped process left ``behandles`` (their package's job);
    return how many."""
    with deps.sessions() as session:
        ids = session.scalars(
            select(Manedskrav.id).where(
                Manedskrav.status == BEHANDLES, Manedskrav.art == NAV_REFUSJONSKRAV
            )
        ).all()
    for krav_id in ids:
        deps.jobs.submit(kravpakke.bygg, deps, krav_id)
    return len(ids)


def total(avslutning: Avslutning) -> Decimal:
    """Return the sum of the amounts the close claims."""
    return sum((g.belop for g in avslutning.gjennomforinger if not g.tom), Decimal("0"))
