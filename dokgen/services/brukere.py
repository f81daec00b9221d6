"""Organisations, users, passwords and API tokens.

Passwords are hashed with Argon2id (argon2-cffi); API tokens are random, shown once, and
stored only as their SHA-256 — a token is looked up by hash, so a constant-time compare
is not needed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import threading
import time
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dokgen.audit import logg
from dokgen.db import ApiToken, Bruker, Organisasjon
from dokgen.errors import FieldError, InputInvalidError, NotAuthenticatedError
from dokgen.services import ROLLER, Aktor

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much as a wrong
# password and the answer time does not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
TOKEN_PREFIKS = "dg_"  # noqa: S105 - a visible prefix, not a secret
MIN_PASSORD = 12


def opprett_org(
    session: Session, orgnr: str, navn: str, innstillinger: dict[str, Any] | None = None
) -> Organisasjon:
    """Add an organisation (the caller commits).

    Raises:
        InputInvalidError: an organisation with this orgnr exists.
    """
    if session.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == orgnr)) is not None:
        raise InputInvalidError([FieldError("orgnr", "finnes allerede")])
    org = Organisasjon(orgnr=orgnr, navn=navn, innstillinger=innstillinger or {})
    session.add(org)
    session.flush()
    return org


def _sjekk(brukernavn: str, rolle: str, passord: str) -> None:
    errors = []
    if rolle not in ROLLER:
        errors.append(FieldError("rolle", "må være en av: " + ", ".join(ROLLER)))
    if len(passord) < MIN_PASSORD:
        errors.append(FieldError("passord", f"må ha minst {MIN_PASSORD} tegn"))
    if not brukernavn or len(brukernavn) > 100 or not brukernavn.isprintable():
        errors.append(FieldError("brukernavn", "må ha 1–100 tegn"))
    if errors:
        raise InputInvalidError(errors)


def opprett_bruker(
    session: Session, org: Organisasjon, brukernavn: str, navn: str, rolle: str, passord: str
) -> Bruker:
    """Add a user with an Argon2id password hash (the caller commits).

    Raises:
        InputInvalidError: unknown role, too short password, taken user name.
    """
    _sjekk(brukernavn, rolle, passord)
    if session.scalar(select(Bruker.id).where(Bruker.brukernavn == brukernavn)) is not None:
        raise InputInvalidError([FieldError("brukernavn", "er i bruk")])
    bruker = Bruker(
        org_id=org.id,
        brukernavn=brukernavn,
        navn=navn,
        rolle=rolle,
        passord_hash=_hasher.hash(passord),
    )
    session.add(bruker)
    session.flush()
    return bruker


def logg_inn(session: Session, brukernavn: str, passord: str) -> Bruker:
    """Return the active user with this name and password.

    Raises:
        NotAuthenticatedError: wrong name or password (the same message for both).
    """
    bruker = session.scalar(select(Bruker).where(Bruker.brukernavn == brukernavn))
    try:
        _hasher.verify(bruker.passord_hash if bruker else _DUMMY_HASH, passord)
    except (VerificationError, InvalidHashError):
        bruker = None
    if bruker is None or not bruker.aktiv:
        raise NotAuthenticatedError("feil brukernavn eller passord")
    if _hasher.check_needs_rehash(bruker.passord_hash):
        bruker.passord_hash = _hasher.hash(passord)
    return bruker


def aktor_for_bruker(bruker: Bruker, *, fra: str | None, foresporsel: str | None) -> Aktor:
    """Return the caller identity of a logged-in user."""
    return Aktor(bruker.org_id, bruker.navn, bruker.rolle, fra, foresporsel)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lag_token(session: Session, org: Organisasjon, rolle: str, navn: str) -> str:
    """Create an API token for one organisation and role; return it (shown once only).

    Raises:
        InputInvalidError: unknown role.
    """
    if rolle not in ROLLER:
        raise InputInvalidError([FieldError("rolle", "må være en av: " + ", ".join(ROLLER))])
    token = TOKEN_PREFIKS + secrets.token_urlsafe(32)
    session.add(ApiToken(org_id=org.id, navn=navn, rolle=rolle, token_sha256=_token_hash(token)))
    session.flush()
    return token


def aktor_for_token(
    session: Session, token: str, *, fra: str | None, foresporsel: str | None
) -> Aktor:
    """Return the caller identity of a bearer token.

    Raises:
        NotAuthenticatedError: unknown or revoked token.
    """
    rad = session.scalar(select(ApiToken).where(ApiToken.token_sha256 == _token_hash(token)))
    if rad is None or rad.tilbakekalt is not None:
        raise NotAuthenticatedError("ukjent eller tilbakekalt token")
    return Aktor(rad.org_id, f"token:{rad.navn}", rad.rolle, fra, foresporsel)


class Tokenbuffer:
    """Remembers for a few seconds which token (by its hash) is whose.

    A busy API client would otherwise cost a database query per call. Only valid tokens
    are kept, by hash; a revoked token stops working within ``levetid`` seconds.
    """

    def __init__(self, sessions: sessionmaker[Session], *, levetid: float = 10.0) -> None:
        self._sessions = sessions
        self._levetid = levetid
        self._kjente: dict[str, tuple[float, Aktor]] = {}
        self._lock = threading.Lock()

    def aktor(self, token: str, *, fra: str | None, foresporsel: str | None) -> Aktor:
        """Return the caller identity of a bearer token.

        Raises:
            NotAuthenticatedError: unknown or revoked token.
        """
        noekkel, naa = _token_hash(token), time.monotonic()
        with self._lock:
            kjent = self._kjente.get(noekkel)
        if kjent is None or kjent[0] < naa:
            with self._sessions() as session:
                aktor = aktor_for_token(session, token, fra=None, foresporsel=None)
            with self._lock:
                if len(self._kjente) >= 1000:
                    self._kjente.clear()
                self._kjente[noekkel] = kjent = (naa + self._levetid, aktor)
        return dataclasses.replace(kjent[1], fra=fra, foresporsel=foresporsel)


def org_for_orgnr(session: Session, orgnr: str) -> Organisasjon:
    """Return the organisation with this orgnr.

    Raises:
        InputInvalidError: none has it.
    """
    org = session.scalar(select(Organisasjon).where(Organisasjon.orgnr == orgnr))
    if org is None:
        raise InputInvalidError([FieldError("org", f"ingen organisasjon har orgnr {orgnr}")])
    return org


def brukere(session: Session, aktor: Aktor) -> list[Bruker]:
    """Return the organisation's users (admins only)."""
    aktor.krev("admin")
    logg(session, aktor, "les", "brukere", None)
    query = select(Bruker).where(Bruker.org_id == aktor.org_id).order_by(Bruker.brukernavn)
    return list(session.scalars(query))
