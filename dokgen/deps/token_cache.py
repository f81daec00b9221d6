"""A process's short-lived memory of valid API tokens, and the token lookup it remembers.

An API token is random, shown once, and stored only as its SHA-256: a token is looked up by
hash, so a constant-time compare is not needed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dokgen.access import Aktor
from dokgen.errors import NotAuthenticatedError
from dokgen.storage.db import ApiToken


def token_hash(token: str) -> str:
    """Return the hash an API token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def aktor_for_token(
    session: Session, token: str, *, fra: str | None, foresporsel: str | None
) -> Aktor:
    """Return the caller identity of a bearer token.

    Raises:
        NotAuthenticatedError: unknown or revoked token.
    """
    rad = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == token_hash(token)))
    if rad is None or rad.tilbakekalt is not None:
        raise NotAuthenticatedError("ukjent eller tilbakekalt token")
    return Aktor(rad.org_id, f"token:{rad.navn}", rad.rolle, fra, foresporsel)


class TokenCache:
    """Remembers for a few seconds which token (by its hash) is whose.

    A busy API client would otherwise cost a database query per call. Only valid tokens
    are kept, by hash; a revoked token stops working within ``ttl`` seconds.
    """

    def __init__(self, sessions: sessionmaker[Session], *, ttl: float = 10.0) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._known: dict[str, tuple[float, Aktor]] = {}
        self._forgotten = 0  # counts calls of forget(), so a lookup racing one is not kept
        self._lock = threading.Lock()
        # Set in a web process of a multi-process service: tells the others of a revocation.
        self.broadcast: Callable[[str], None] | None = None
        # Set on PostgreSQL: tells every process of every node (dokgen.runtime.pgko).
        self.varsle_noder: Callable[[str], None] | None = None

    def aktor(self, token: str, *, fra: str | None, foresporsel: str | None) -> Aktor:
        """Return the caller identity of a bearer token.

        Raises:
            NotAuthenticatedError: unknown or revoked token.
        """
        key, now = token_hash(token), time.monotonic()
        with self._lock:
            known, forgotten = self._known.get(key), self._forgotten
        if known is None or known[0] < now:
            with self._sessions() as session:
                aktor = aktor_for_token(session, token, fra=None, foresporsel=None)
            known = (now + self._ttl, aktor)
            with self._lock:
                if len(self._known) >= 1000:
                    self._known.clear()
                # A token revoked while it was being looked up may have been read as valid.
                if forgotten == self._forgotten:
                    self._known[key] = known
        return dataclasses.replace(known[1], fra=fra, foresporsel=foresporsel)

    def forget(self, token_sha256: str, *, relay: bool = True) -> None:
        """Forget a token (by its hash), so its next call in this process asks the database;
        with ``relay``, tell the service's other web processes, and on PostgreSQL every
        process of every node, to forget it too."""
        with self._lock:
            self._known.pop(token_sha256, None)
            self._forgotten += 1
        if relay and self.broadcast is not None:
            self.broadcast(token_sha256)
        if relay and self.varsle_noder is not None:
            self.varsle_noder(token_sha256)

    def forget_all(self) -> None:
        """Forget every token (a revocation may have been missed)."""
        with self._lock:
            self._known.clear()
            self._forgotten += 1
