"""Login sessions on the server: the session cookie carries a random id, the table ``okt``
its SHA-256, so logging out ends the session everywhere a copy of the cookie went.

Each page request already reads its user; the session is checked in the same query.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dokgen.storage.db import Bruker, Okt


def _hash(okt_id: str) -> str:
    return hashlib.sha256(okt_id.encode()).hexdigest()


def start(session: Session, bruker_id: int, naa: datetime, levetid: timedelta) -> str:
    """Start a session for a user who just logged in; return its id (for the cookie only).

    Sessions that have run out are deleted here, so the table holds live ones.
    """
    session.execute(delete(Okt).where(Okt.utloper < naa))
    okt_id = secrets.token_urlsafe(32)
    session.add(Okt(id=_hash(okt_id), bruker_id=bruker_id, opprettet=naa, utloper=naa + levetid))
    return okt_id


def bruker(session: Session, bruker_id: int, okt_id: str, naa: datetime) -> Bruker | None:
    """Return the active user of a live session, or None (logged out, run out, deactivated)."""
    query = (
        select(Bruker)
        .join(Okt, Okt.bruker_id == Bruker.id)
        .where(Okt.id == _hash(okt_id), Bruker.id == bruker_id, Okt.utloper > naa, Bruker.aktiv)
    )
    return session.scalar(query)


def avslutt(session: Session, okt_id: str) -> None:
    """End one session (logging out)."""
    session.execute(delete(Okt).where(Okt.id == _hash(okt_id)))


def avslutt_alle(session: Session, bruker_id: int, *, unntatt: str | None = None) -> None:
    """End all of a user's sessions, but ``unntatt`` (e.g. after a password change)."""
    query = delete(Okt).where(Okt.bruker_id == bruker_id)
    if unntatt is not None:
        query = query.where(Okt.id != _hash(unntatt))
    session.execute(query)
