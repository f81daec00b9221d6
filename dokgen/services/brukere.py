"""Organisations, users, passwords and API tokens.

Passwords are hashed with Argon2id (argon2-cffi); API tokens are random, shown once, and
stored only as their SHA-256 — a token is looked up by hash, so a constant-time compare
is not needed (:mod:`dokgen.deps.token_cache` looks a token up and remembers it). An admin
lists, creates and revokes the organisation's tokens.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dokgen.access import ROLLER, Aktor
from dokgen.deps.token_cache import token_hash
from dokgen.documents.models.errors import field_errors
from dokgen.errors import (
    FieldError,
    InputInvalidError,
    LoginAmbiguousError,
    NotAuthenticatedError,
    RecordNotFoundError,
)
from dokgen.services.audit import logg
from dokgen.services.passordregler import sjekk_passord
from dokgen.storage.db import ApiToken, Bruker, Organisasjon, utc

if TYPE_CHECKING:
    from dokgen.deps import Deps

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much as a wrong
# password and the answer time does not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
TOKEN_PREFIKS = "dg_"  # noqa: S105 - a visible prefix, not a secret
MIN_PASSORD = 12
# A user's or token's name goes into every audit line as "token:NAVN (rolle)", in columns of
# 200 characters (which PostgreSQL enforces): 150 leaves room for the rest.
MAKS_NAVN = 150
# A name is unique within its organisation only, so this answer tells an admin nothing of
# another organisation's names (issue 15).
NAVN_TATT = "er i bruk i organisasjonen. Velg et annet brukernavn"


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


def _sjekk_navn(navn: str) -> list[FieldError]:
    if len(navn) > MAKS_NAVN or not navn.isprintable():
        return [FieldError("navn", f"må ha høyst {MAKS_NAVN} tegn, uten linjeskift")]
    return []


def _sjekk(brukernavn: str, navn: str, rolle: str, passord: str) -> None:
    errors = _sjekk_navn(navn)
    if rolle not in ROLLER:
        errors.append(FieldError("rolle", "må være en av: " + ", ".join(ROLLER)))
    errors += sjekk_passord(passord, brukernavn)
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
    _sjekk(brukernavn, navn, rolle, passord)
    if _navn_tatt(session, org.id, brukernavn):
        raise InputInvalidError([FieldError("brukernavn", NAVN_TATT)])
    bruker = Bruker(
        org_id=org.id,
        brukernavn=brukernavn,
        navn=navn,
        rolle=rolle,
        passord_hash=_hasher.hash(passord),
    )
    session.add(bruker)
    try:
        session.flush()
    except IntegrityError:  # made at the same moment by another admin
        raise InputInvalidError([FieldError("brukernavn", NAVN_TATT)]) from None
    return bruker


def _navn_tatt(session: Session, org_id: int, brukernavn: str) -> bool:
    """Return whether a user of the organisation has this name in any case.

    Names equal but for case share the login lock's counter and so are refused too. Another
    organisation's names do not count: the answer must not tell an admin which exist there.
    """
    folded = brukernavn.casefold()
    query = select(Bruker.brukernavn).where(Bruker.org_id == org_id)
    if brukernavn.isascii():  # SQL lower() folds ASCII alone; other names are compared here
        query = query.where(func.lower(Bruker.brukernavn) == brukernavn.lower())
    return any(navn.casefold() == folded for navn in session.scalars(query))


_MED_ORGNR = re.compile(r"(?P<navn>.+)@(?P<orgnr>[0-9]{9})")


def logg_inn(session: Session, brukernavn: str, passord: str) -> Bruker:
    """Return the active user with this name and password.

    Names are unique within an organisation, so one name may belong to users of several:
    the password tells which. ``navn@ORGNR`` names the organisation outright (for the rare
    person with the same name and password in two).

    Raises:
        NotAuthenticatedError: wrong name or password (the same message for both).
        LoginAmbiguousError: the name and password fit users of more than one organisation.
    """
    query = select(Bruker).where(Bruker.brukernavn == brukernavn)
    if match := _MED_ORGNR.fullmatch(brukernavn):
        query = (
            select(Bruker)
            .join(Organisasjon, Organisasjon.id == Bruker.org_id)
            .where(Bruker.brukernavn.in_((brukernavn, match["navn"])))
            .where((Bruker.brukernavn == brukernavn) | (Organisasjon.orgnr == match["orgnr"]))
        )
    rader: list[Bruker | None] = [*session.scalars(query.order_by(Bruker.id))] or [None]
    treff = [b for b in rader if _riktig(b, passord) and b is not None and b.aktiv]
    if not treff:
        raise NotAuthenticatedError("feil brukernavn eller passord")
    if len(treff) > 1:
        raise LoginAmbiguousError("brukernavnet og passordet passer i flere organisasjoner")
    bruker = treff[0]
    if _hasher.check_needs_rehash(bruker.passord_hash):
        bruker.passord_hash = _hasher.hash(passord)
    return bruker


def _riktig(bruker: Bruker | None, passord: str) -> bool:
    """Check the password against the user's hash (a dummy hash without a user, so an
    unknown name takes as long as a known one)."""
    try:
        return bool(_hasher.verify(bruker.passord_hash if bruker else _DUMMY_HASH, passord))
    except (VerificationError, InvalidHashError):
        return False


def aktor_for_bruker(bruker: Bruker, *, fra: str | None, foresporsel: str | None) -> Aktor:
    """Return the caller identity of a logged-in user."""
    return Aktor(bruker.org_id, bruker.navn, bruker.rolle, fra, foresporsel, bruker.id)


def lag_token(session: Session, org: Organisasjon, rolle: str, navn: str) -> str:
    """Create an API token for one organisation and role; return it (shown once only).

    Raises:
        InputInvalidError: unknown role.
    """
    return ny_token(session, org, rolle, navn)[1]


def ny_token(session: Session, org: Organisasjon, rolle: str, navn: str) -> tuple[ApiToken, str]:
    """Create an API token; return its row and the token (shown once only).

    Raises:
        InputInvalidError: unknown role, or a name too long or with line breaks.
    """
    errors = _sjekk_navn(navn)
    if rolle not in ROLLER:
        errors.append(FieldError("rolle", "må være en av: " + ", ".join(ROLLER)))
    if errors:
        raise InputInvalidError(errors)
    token = TOKEN_PREFIKS + secrets.token_urlsafe(32)
    rad = ApiToken(org_id=org.id, navn=navn, rolle=rolle, token_sha256=token_hash(token))
    session.add(rad)
    session.flush()
    return rad, token


def opprett_organisasjon(deps: Deps, orgnr: str, navn: str) -> int:
    """Add an organisation for the instance's operator (no one in it can act yet, so no
    organisation's audit log names it); return its id.

    Raises:
        InputInvalidError: an invalid orgnr, or an organisation with it exists.
    """
    from stdnum.no import orgnr as orgnr_check

    if not orgnr_check.is_valid(orgnr):
        raise InputInvalidError([FieldError("orgnr", "ugyldig organisasjonsnummer")])
    with deps.sessions.begin() as session:
        return opprett_org(session, orgnr_check.compact(orgnr), navn).id


def org_id(deps: Deps, orgnr: str) -> int:
    """Return the id of the organisation with this orgnr.

    Raises:
        InputInvalidError: none has it.
    """
    with deps.sessions() as session:
        funnet = session.scalar(select(Organisasjon.id).where(Organisasjon.orgnr == orgnr))
    if funnet is None:
        raise InputInvalidError([FieldError("org", f"ingen organisasjon har orgnr {orgnr}")])
    return funnet


def bruker_id(deps: Deps, aktor: Aktor, brukernavn: str) -> int:
    """Return the id of the caller's organisation's user with this exact name (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such user in the caller's organisation.
    """
    aktor.krev("admin")
    query = select(Bruker.id).where(Bruker.org_id == aktor.org_id, Bruker.brukernavn == brukernavn)
    with deps.sessions() as session:
        funnet = session.scalar(query)
    if funnet is None:
        raise RecordNotFoundError("fant ikke brukeren")
    return funnet


@dataclass(frozen=True)
class Tokeninfo:
    """What an admin may see of a token: never the token, never its hash."""

    id: int
    navn: str
    rolle: str
    opprettet: datetime
    tilbakekalt: datetime | None

    @property
    def aktiv(self) -> bool:
        """Return whether the token is still accepted."""
        return self.tilbakekalt is None


@dataclass(frozen=True)
class NyttToken:
    """A token just made: the only time the token itself is available."""

    id: int
    navn: str
    rolle: str
    token: str


class Tokeninndata(BaseModel):
    """What an admin gives for a new token (API body or form)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    navn: str = Field(min_length=1, max_length=MAKS_NAVN, description="hva tokenet brukes til")
    rolle: str = Field(description="en av veileder, regnskap, leser, admin")

    @field_validator("navn")
    @classmethod
    def _navn(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("kan ikke inneholde linjeskift eller kontrolltegn")
        return value

    @field_validator("rolle")
    @classmethod
    def _rolle(cls, value: str) -> str:
        if value not in ROLLER:
            raise ValueError("må være en av: " + ", ".join(ROLLER))
        return value


def _info(rad: ApiToken) -> Tokeninfo:
    return Tokeninfo(
        id=rad.id,
        navn=rad.navn,
        rolle=rad.rolle,
        opprettet=utc(rad.opprettet),
        tilbakekalt=utc(rad.tilbakekalt) if rad.tilbakekalt else None,
    )


def tokener(deps: Deps, aktor: Aktor) -> list[Tokeninfo]:
    """Return the organisation's API tokens, newest first, and audit the read (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    aktor.krev("admin")
    query = (
        select(ApiToken)
        .where(ApiToken.org_id == aktor.org_id)
        .order_by(ApiToken.opprettet.desc(), ApiToken.id.desc())
    )
    with deps.sessions.begin() as session:
        logg(session, aktor, "les", "tokener", None)
        return [_info(rad) for rad in session.scalars(query)]


def _token(session: Session, aktor: Aktor, token_id: int) -> ApiToken:
    rad = session.get(ApiToken, token_id)
    if rad is None or rad.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke tokenet")
    return rad


def hent_token(deps: Deps, aktor: Aktor, token_id: int) -> Tokeninfo:
    """Return one of the organisation's tokens (admins only).

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such token in the caller's organisation.
    """
    aktor.krev("admin")
    with deps.sessions() as session:
        rad = _token(session, aktor, token_id)
        return _info(rad)


def opprett_token(deps: Deps, aktor: Aktor, data: Any) -> NyttToken:
    """Create a token for the caller's organisation; the result is the only copy of it.

    Args:
        data: ``{"navn": …, "rolle": …}`` as the API body or the form gives it.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: every problem with ``navn`` and ``rolle``; nothing is stored.
    """
    aktor.krev("admin")
    try:
        inn = Tokeninndata.model_validate(data)
    except ValidationError as exc:
        raise InputInvalidError(field_errors(exc)) from None
    with deps.sessions.begin() as session:
        org = session.get(Organisasjon, aktor.org_id)
        if org is None:
            raise RecordNotFoundError("fant ikke organisasjonen")
        rad, token = ny_token(session, org, inn.rolle, inn.navn)
        logg(session, aktor, "opprett_token", "token", str(rad.id))
        return NyttToken(rad.id, rad.navn, rad.rolle, token)


def trekk_tilbake_token(deps: Deps, aktor: Aktor, token_id: int) -> Tokeninfo:
    """Revoke a token: refused at once in this service's web processes; in other processes
    (another service on the same database) within the token cache's 10 s.

    Revoking a revoked token changes nothing and is no error.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such token in the caller's organisation.
    """
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        rad = _token(session, aktor, token_id)
        if rad.tilbakekalt is None:
            rad.tilbakekalt = deps.clock()
            logg(session, aktor, "trekk_tilbake_token", "token", str(rad.id))
        info, hash_ = _info(rad), rad.token_sha256
    deps.token_cache.forget(hash_)  # after the commit, so no lookup can read it as valid again
    return info
