"""Password guessing is slowed down: five failed logins in a row lock the user name.

The count is kept per user name whether or not such a user exists (by a hash of the name as
typed, case folded), so the answer never tells whether a name is known. A locked name is
refused without its password being checked, for :data:`SPERRETID`; a successful login clears
the count, and failures further apart than :data:`SPERRETID` start it again. The rows live in
the database, so every web process sees the same count. OIDC logins and API tokens are not
affected. A lock of an existing user is written to the audit log with the address it came
from (the organisation's admins see it there); nothing else about the attempt is kept.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from dokgen.audit import logg
from dokgen.db import Bruker, Innloggingsforsok, utc
from dokgen.services import Aktor

MAKS_FEIL = 5
SPERRETID = timedelta(minutes=15)


def _nokkel(brukernavn: str) -> str:
    return hashlib.sha256(brukernavn.strip().casefold().encode()).hexdigest()


def sperret_til(session: Session, brukernavn: str, naa: datetime) -> datetime | None:
    """Return until when this user name is locked, or None when it may try."""
    rad = session.get(Innloggingsforsok, _nokkel(brukernavn))
    if rad is None or rad.sperret_til is None:
        return None
    til = utc(rad.sperret_til)
    return til if til > naa else None


def registrer_feil(
    sessions: sessionmaker[Session],
    brukernavn: str,
    naa: datetime,
    *,
    fra: str | None,
    foresporsel: str | None,
) -> datetime | None:
    """Count a failed login for this user name in a transaction of its own; return until when
    it is now locked, if this failure locked it.

    The count is raised by one UPDATE (the row is locked while it is raised: two failures at
    once count as two), and its row is made on the first failure. Two first failures at once
    on PostgreSQL both find no row and both insert: the second insert fails, and its
    transaction is run again, now raising the count of the row the first made.
    """
    try:
        with sessions.begin() as session:
            return _registrer_feil(session, brukernavn, naa, fra, foresporsel)
    except IntegrityError:
        with sessions.begin() as session:
            return _registrer_feil(session, brukernavn, naa, fra, foresporsel)


def _registrer_feil(
    session: Session, brukernavn: str, naa: datetime, fra: str | None, foresporsel: str | None
) -> datetime | None:
    nokkel = _nokkel(brukernavn)
    tabell = Innloggingsforsok
    raised: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(tabell).where(tabell.nokkel == nokkel).values(feil=tabell.feil + 1)
    )
    endret = raised.rowcount
    if not endret:
        session.add(Innloggingsforsok(nokkel=nokkel, feil=1, sist=naa))
        session.flush()
        return None
    rad = session.scalars(
        select(tabell).where(tabell.nokkel == nokkel).execution_options(populate_existing=True)
    ).one()
    if naa - utc(rad.sist) > SPERRETID:
        rad.feil = 1  # the earlier failures are too old to count
    rad.sist = naa
    if rad.feil < MAKS_FEIL:
        return None
    rad.feil, rad.sperret_til = 0, naa + SPERRETID
    bruker = session.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn.strip()))
    if bruker is not None:
        hvem = Aktor(bruker.org_id, "ukjent", "innlogging", fra, foresporsel)
        logg(session, hvem, "sperr_innlogging", "bruker", str(bruker.id))
    return rad.sperret_til


def nullstill(session: Session, brukernavn: str) -> None:
    """Forget the failures of a user name that has just logged in."""
    rad = session.get(Innloggingsforsok, _nokkel(brukernavn))
    if rad is not None:
        session.delete(rad)
