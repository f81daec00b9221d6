"""Password guessing is slowed down by counters that lock: per user name, per source address
and per device cookie.

Every password login is counted *before* its password is checked (one UPDATE, the row
locked while it is raised), so however many come at once, no more passwords are checked
than the limit allows. A success takes its count back; a failure leaves it, and the
failure that finds the limit reached locks the counter for :data:`SPERRETID`.

* The user name (:data:`MAKS_FEIL` in a row), counted by a hash of the name as typed, case
  folded, whether or not such a user exists, so the answer never tells which names exist.
* The source address (:data:`MAKS_FEIL_ADRESSE`): one address cannot lock name after name,
  nor guess one password across many names. A success does not clear it.
* A device cookie (OWASP's "device cookie" for blocking brute force): a browser that has
  logged in as a user before carries a signed nonce for that name, and its logins are
  counted on that nonce alone (:data:`MAKS_FEIL`), so a stranger who locks a name does not
  lock out its user at a known browser. The web layer signs and reads the cookie.

The rows live in the database, so every web process sees the same count; rows older than
the lock are purged. OIDC logins and API tokens are not affected. A lock of an existing
user's name is written to the audit log with the address it came from (the organisation's
admins see it there); a lock of an address is logged for the operator.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dokgen.access import Aktor
from dokgen.services.audit import logg
from dokgen.storage.db import Bruker, Innloggingsforsok, utc

log = logging.getLogger(__name__)

MAKS_FEIL = 5
MAKS_FEIL_ADRESSE = 20
SPERRETID = timedelta(minutes=15)

_TABELL = Innloggingsforsok
_RYDD_RADER = 1000


@dataclass(frozen=True)
class Teller:
    """One counter a login is counted on: ``hva`` is navn, adresse or enhet."""

    nokkel: str
    maks: int
    hva: str


@dataclass(frozen=True)
class Forsok:
    """A password login that was counted and may have its password checked."""

    brukernavn: str
    tellere: tuple[Teller, ...]


@dataclass(frozen=True)
class Sperret:
    """A login refused without its password checked: ``hva`` was locked until ``til``."""

    til: datetime
    hva: str


class _RefusedError(Exception):
    def __init__(self, sperret: Sperret) -> None:
        super().__init__(sperret.hva)
        self.sperret = sperret


def _nokkel(brukernavn: str) -> str:
    return hashlib.sha256(brukernavn.strip().casefold().encode()).hexdigest()


def navnenokkel(brukernavn: str) -> str:
    """Return the key a user name is counted by (a device cookie names its user by it)."""
    return _nokkel(brukernavn)


def _tellere(brukernavn: str, adresse: str | None, enhet: str | None) -> tuple[Teller, ...]:
    if enhet is not None:
        hash_ = hashlib.sha256(f"enhet:{enhet}".encode()).hexdigest()
        return (Teller(hash_, MAKS_FEIL, "enhet"),)
    tellere = [Teller(_nokkel(brukernavn), MAKS_FEIL, "navn")]
    if adresse:
        hash_ = hashlib.sha256(f"adresse:{adresse}".encode()).hexdigest()
        tellere.append(Teller(hash_, MAKS_FEIL_ADRESSE, "adresse"))
    # One order for every transaction, so two on PostgreSQL never wait for each other.
    return tuple(sorted(tellere, key=lambda t: t.nokkel))


def sperret_til(session: Session, brukernavn: str, naa: datetime) -> datetime | None:
    """Return until when this user name is locked for logins from unknown browsers."""
    rad = session.get(Innloggingsforsok, _nokkel(brukernavn))
    if rad is None or rad.sperret_til is None:
        return None
    til = utc(rad.sperret_til)
    return til if til > naa else None


def begynn(
    sessions: sessionmaker[Session],
    brukernavn: str,
    naa: datetime,
    *,
    adresse: str | None,
    enhet: str | None = None,
) -> Forsok | Sperret:
    """Count a password login before its password is checked, in a transaction of its own.

    Args:
        adresse: the source address (counted with the name), unless ``enhet`` is given.
        enhet: the nonce of a valid device cookie for this name: counted on it alone.

    Returns:
        The counted attempt, or what refuses it (nothing is then counted).

    Two first attempts at once on PostgreSQL both find no row and both insert: the second
    insert fails, and its transaction is run again, now raising the row the first made.
    """
    tellere = _tellere(brukernavn, adresse, enhet)
    for forste in (True, False):
        try:
            with sessions.begin() as session:
                for teller in tellere:
                    _tell(session, teller, naa)
            return Forsok(brukernavn, tellere)
        except _RefusedError as exc:
            return exc.sperret
        except IntegrityError:
            if not forste:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _tell(session: Session, teller: Teller, naa: datetime) -> None:
    raised: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(_TABELL).where(_TABELL.nokkel == teller.nokkel).values(feil=_TABELL.feil + 1)
    )
    if not raised.rowcount:
        session.add(Innloggingsforsok(nokkel=teller.nokkel, feil=1, sist=naa))
        session.flush()
        return
    rad = session.scalars(
        select(_TABELL)
        .where(_TABELL.nokkel == teller.nokkel)
        .execution_options(populate_existing=True)
    ).one()
    if rad.sperret_til is not None and utc(rad.sperret_til) > naa:
        raise _RefusedError(Sperret(utc(rad.sperret_til), teller.hva))
    if rad.sperret_til is not None or naa - utc(rad.sist) > SPERRETID:
        rad.feil, rad.sperret_til = 1, None  # a lock ran out, or the failures are too old
    elif rad.feil > teller.maks:
        # As many as allowed have failed or are being checked right now: the lock follows.
        raise _RefusedError(Sperret(utc(rad.sist) + SPERRETID, teller.hva))
    rad.sist = naa


def mislykkes(
    sessions: sessionmaker[Session],
    forsok: Forsok,
    naa: datetime,
    *,
    fra: str | None,
    foresporsel: str | None,
) -> Sperret | None:
    """Record that a counted login failed: lock each counter at its limit; return the lock
    this failure set, if any (exactly one failure sets each lock)."""
    sperret: Sperret | None = None
    with sessions.begin() as session:
        for teller in forsok.tellere:
            locked: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(_TABELL)
                .where(
                    _TABELL.nokkel == teller.nokkel,
                    _TABELL.feil >= teller.maks,
                    _TABELL.sperret_til.is_(None),
                )
                .values(sperret_til=naa + SPERRETID, feil=0)
            )
            if not locked.rowcount:
                continue
            sperret = sperret or Sperret(naa + SPERRETID, teller.hva)
            if teller.hva == "navn":
                _audit_lock(session, forsok.brukernavn, fra, foresporsel)
            elif teller.hva == "adresse":
                log.warning("innlogging med passord sperret for adressen %s", fra)
    # Apart, so the purge never holds up (or deadlocks with) the counting of other logins.
    with sessions.begin() as session:
        rydd(session, naa)
    return sperret


def _audit_lock(
    session: Session, brukernavn: str, fra: str | None, foresporsel: str | None
) -> None:
    """Audit the lock for every user whose name it covers, whatever case it was typed in."""
    nokkel, navn = _nokkel(brukernavn), brukernavn.strip()
    query = select(Bruker.id, Bruker.org_id, Bruker.brukernavn)
    if navn.isascii():  # SQL lower() folds ASCII alone; other names are compared here
        query = query.where(func.lower(Bruker.brukernavn) == navn.lower())
    for bruker_id, org_id, funnet in session.execute(query):
        if _nokkel(funnet) == nokkel:
            hvem = Aktor(org_id, "ukjent", "innlogging", fra, foresporsel)
            logg(session, hvem, "sperr_innlogging", "bruker", str(bruker_id))


def lykkes(session: Session, forsok: Forsok) -> None:
    """Take back a successful login's count: its name or device starts afresh; the address
    keeps its failures (a success of one's own does not buy more guesses at others)."""
    for teller in forsok.tellere:
        if teller.hva == "adresse":
            session.execute(
                update(_TABELL)
                .where(_TABELL.nokkel == teller.nokkel, _TABELL.feil > 0)
                .values(feil=_TABELL.feil - 1)
            )
        else:
            session.execute(delete(_TABELL).where(_TABELL.nokkel == teller.nokkel))


def rydd(session: Session, naa: datetime) -> None:
    """Delete the counters that no longer count: failures older than the lock, no lock.

    At most :data:`_RYDD_RADER` at a time. On PostgreSQL rows a login is counting right now
    are skipped, not waited for (``SKIP LOCKED``): the purge never waits for, nor deadlocks
    with, a login; on SQLite the write lock already orders them.
    """
    gamle = (
        select(_TABELL.nokkel)
        .where(
            _TABELL.sist < naa - SPERRETID,
            or_(_TABELL.sperret_til.is_(None), _TABELL.sperret_til < naa),
        )
        .limit(_RYDD_RADER)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(_TABELL).where(_TABELL.nokkel.in_(gamle)))


def registrer_feil(
    sessions: sessionmaker[Session],
    brukernavn: str,
    naa: datetime,
    *,
    fra: str | None,
    foresporsel: str | None,
) -> datetime | None:
    """Count one failed login of this user name from an unknown browser (no address); return
    until when it is now locked, if this failure locked it. For the CLI and tests."""
    forsok = begynn(sessions, brukernavn, naa, adresse=None)
    if isinstance(forsok, Sperret):
        return None
    sperret = mislykkes(sessions, forsok, naa, fra=fra, foresporsel=foresporsel)
    return sperret.til if sperret else None


def nullstill(session: Session, brukernavn: str) -> None:
    """Lift the lock and forget the failures of a user name (an admin's lift)."""
    session.execute(delete(_TABELL).where(_TABELL.nokkel == _nokkel(brukernavn)))
