"""Passwords after the first: a user changes their own, an admin (or the operator on the
command line) resets one to a one-time password that must be changed at the next login, or
sends a single-use link by e-mail to set one.

A one-time password is made by the system and shown once; a link's token is random, only its
SHA-256 is stored, it expires after :data:`LENKE_LEVETID` and is spent by one UPDATE that only
an unspent, unexpired link matches, so two clicks at once set the password once. Whatever sets
a password ends the user's login sessions (but the one changing it), makes the user's unspent
links void and lifts a login lock on the name. Every change is audited; no password, token
or link is ever logged or stored in clear.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.errors import (
    EmailSendFailedError,
    FieldError,
    InputInvalidError,
    RecordNotFoundError,
    StateConflictError,
)
from dokgen.services import admin as admin_service
from dokgen.services import epost, okter
from dokgen.services import innloggingssperre as sperre
from dokgen.services.audit import logg
from dokgen.services.passordregler import sjekk_passord
from dokgen.storage.db import Bruker, Organisasjon, Passordlenke, utc

if TYPE_CHECKING:
    from dokgen.deps import Deps

LENKE_LEVETID = timedelta(hours=24)
SPERRET = "for mange feil forsøk – prøv igjen om en stund"
# No 0/o, 1/l/i: read aloud or copied by hand without mistakes. 20 characters of 31: ~99 bits.
_ALFABET = "abcdefghjkmnpqrstuvwxyz23456789"
_hasher = PasswordHasher()
_OSLO = ZoneInfo("Europe/Oslo")


def lag_engangspassord() -> str:
    """Return a random one-time password: four groups of five letters and digits."""
    grupper = ("".join(secrets.choice(_ALFABET) for _ in range(5)) for _ in range(4))
    return "-".join(grupper)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sett(
    session: Session,
    bruker: Bruker,
    passord: str,
    naa: datetime,
    *,
    ma_bytte: bool,
    behold_okt: str | None = None,
) -> None:
    """Store the new password's hash; end the user's login sessions (but ``behold_okt``, the
    one changing it), void unspent links and lift a login lock."""
    bruker.passord_hash = _hasher.hash(passord)
    bruker.ma_bytte_passord = ma_bytte
    _gjor_lenker_ugyldige(session, bruker.id, naa)
    sperre.nullstill(session, bruker.brukernavn)
    okter.avslutt_alle(session, bruker.id, unntatt=behold_okt)


def _gjor_lenker_ugyldige(session: Session, bruker_id: int, naa: datetime) -> None:
    session.execute(
        update(Passordlenke)
        .where(Passordlenke.bruker_id == bruker_id, Passordlenke.brukt.is_(None))
        .values(brukt=naa)
    )


def _bruker(session: Session, aktor: Aktor, bruker_id: int) -> Bruker:
    bruker = session.get(Bruker, bruker_id)
    if bruker is None or bruker.org_id != aktor.org_id:
        raise RecordNotFoundError("fant ikke brukeren")
    return bruker


@dataclass(frozen=True)
class Engangspassord:
    """A one-time password just made: the only time it is available."""

    brukernavn: str
    passord: str


def tilbakestill_passord(deps: Deps, aktor: Aktor, bruker_id: int) -> Engangspassord:
    """Reset a user of the caller's organisation to a one-time password that must be changed
    at the next login (admins only); the result is its only copy. Audited
    ``tilbakestill_passord``.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such user in the caller's organisation.
    """
    aktor.krev("admin")
    passord = lag_engangspassord()
    with deps.sessions.begin() as session:
        bruker = _bruker(session, aktor, bruker_id)
        _sett(session, bruker, passord, deps.clock(), ma_bytte=True)
        logg(session, aktor, "tilbakestill_passord", "bruker", str(bruker.id))
        return Engangspassord(bruker.brukernavn, passord)


def sett_passord(deps: Deps, aktor: Aktor, bruker_id: int, passord: str) -> None:
    """Set a password chosen by the operator for a user of the caller's organisation; the
    user keeps it (admins only). Audited ``sett_passord``.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such user in the caller's organisation.
        InputInvalidError: the password breaks the rules; nothing is changed.
    """
    aktor.krev("admin")
    with deps.sessions.begin() as session:
        bruker = _bruker(session, aktor, bruker_id)
        errors = sjekk_passord(passord, bruker.brukernavn)
        if errors:
            raise InputInvalidError(errors)
        _sett(session, bruker, passord, deps.clock(), ma_bytte=False)
        logg(session, aktor, "sett_passord", "bruker", str(bruker.id))


def ma_bytte(deps: Deps, bruker_id: int | None) -> bool:
    """Return whether the user's password was reset and must be changed before going on."""
    with deps.sessions() as session:
        bruker = session.get(Bruker, bruker_id) if bruker_id is not None else None
        return bruker is not None and bruker.ma_bytte_passord


def endre_passord(
    deps: Deps,
    bruker_id: int,
    naavaerende: str,
    nytt: str,
    gjenta: str,
    *,
    fra: str | None,
    foresporsel: str | None,
    okt: str | None = None,
) -> None:
    """Change the logged-in user's own password, audited ``endre_passord``; the user's other
    login sessions end (``okt`` is the one making the change, which goes on).

    A wrong current password counts as a failed login of the name (the login lock), so the
    form cannot be used to guess it.

    Raises:
        InputInvalidError: the current password is wrong, the new one breaks the rules or
            was not typed the same twice; nothing is changed.
        RecordNotFoundError: the user no longer exists.
    """
    naa = deps.clock()
    with deps.sessions.begin() as session:
        bruker = session.get(Bruker, bruker_id)
        if bruker is None or not bruker.aktiv:
            raise RecordNotFoundError("fant ikke brukeren")
        brukernavn = bruker.brukernavn
        sperret = sperre.sperret_til(session, brukernavn, naa) is not None
        riktig = not sperret and _stemmer(bruker, naavaerende)
        errors = [] if riktig else [FieldError("naavaerende", SPERRET if sperret else "er feil")]
        errors += _nytt(nytt, gjenta, brukernavn)
        if riktig and nytt == naavaerende:
            errors.append(FieldError("nytt", "må være et annet enn det nåværende"))
        if not errors:
            _sett(session, bruker, nytt, naa, ma_bytte=False, behold_okt=okt)
            hvem = Aktor(bruker.org_id, bruker.navn, bruker.rolle, fra, foresporsel, bruker.id)
            logg(session, hvem, "endre_passord", "bruker", str(bruker.id))
            return
    if not riktig and not sperret:
        sperre.registrer_feil(deps.sessions, brukernavn, naa, fra=fra, foresporsel=foresporsel)
    raise InputInvalidError(errors)


def _stemmer(bruker: Bruker, passord: str) -> bool:
    try:
        return _hasher.verify(bruker.passord_hash, passord)
    except (VerificationError, InvalidHashError):
        return False


def _nytt(nytt: str, gjenta: str, brukernavn: str) -> list[FieldError]:
    errors = sjekk_passord(nytt, brukernavn, sti="nytt")
    if nytt != gjenta:
        errors.append(FieldError("gjenta", "er ikke likt det nye passordet"))
    return errors


# --- set-password links by e-mail -------------------------------------------------------

EMNE = "Velg passord til dokgen"


def lag_lenke(session: Session, aktor: Aktor, bruker: Bruker, naa: datetime) -> str:
    """Make a single-use set-password token for a user (earlier unspent ones become void);
    return it (the only copy). Audited ``lag_passordlenke``; the caller commits.

    Raises:
        AccessDeniedError: the caller is not an admin.
    """
    aktor.krev("admin")
    _gjor_lenker_ugyldige(session, bruker.id, naa)
    token = secrets.token_urlsafe(32)
    session.add(
        Passordlenke(
            bruker_id=bruker.id,
            token_sha256=_token_hash(token),
            opprettet=naa,
            utloper=naa + LENKE_LEVETID,
        )
    )
    logg(session, aktor, "lag_passordlenke", "bruker", str(bruker.id))
    return token


def send_lenke(deps: Deps, aktor: Aktor, bruker_id: int, lenke: Callable[[str], str]) -> str:
    """E-mail a user of the caller's organisation a link to set their password; return the
    address it went to (admins only).

    Args:
        lenke: makes the link's full address from its token.

    Raises:
        AccessDeniedError: the caller is not an admin.
        RecordNotFoundError: no such user in the caller's organisation.
        StateConflictError: e-mail is not configured, or the user has no address.
        EmailSendFailedError: the SMTP server did not take the message; the link is void.
    """
    aktor.krev("admin")
    if not deps.settings.smtp_aktiv:
        raise StateConflictError("e-post er ikke satt opp for tjenesten")
    naa = deps.clock()
    with deps.sessions.begin() as session:
        bruker = _bruker(session, aktor, bruker_id)
        if not bruker.epost:
            raise StateConflictError("brukeren har ingen e-postadresse")
        org = session.get(Organisasjon, bruker.org_id)
        token = lag_lenke(session, aktor, bruker, naa)
        til, tekst = bruker.epost, _tekst(bruker, org, lenke(token), naa + LENKE_LEVETID)
    try:
        epost.send(deps.settings, til, EMNE, tekst)
    except Exception:
        with deps.sessions.begin() as session:
            _gjor_lenker_ugyldige(session, bruker_id, naa)
        raise
    return til


def _tekst(bruker: Bruker, org: Organisasjon | None, lenke: str, utloper: datetime) -> str:
    frist = utloper.astimezone(_OSLO).strftime("%d.%m.%Y kl. %H:%M")
    hvem = org.navn if org else "Organisasjonen din"
    return (
        f"Hei {bruker.navn}\n\n"
        f"{hvem} gir deg tilgang til dokgen. Brukernavnet ditt er {bruker.brukernavn}.\n\n"
        "Åpne lenken under for å velge passord. Lenken virker én gang og til "
        f"{frist}:\n\n{lenke}\n\n"
        "Har du ikke ventet denne e-posten, kan du se bort fra den. Passordet ditt er ikke "
        "endret før noen har brukt lenken.\n"
    )


@dataclass(frozen=True)
class Lenkeinfo:
    """Whose password an unspent link sets (to greet the person on the link's page)."""

    brukernavn: str
    navn: str


def lenke(deps: Deps, token: str) -> Lenkeinfo:
    """Return whose password an unspent, unexpired link sets.

    Raises:
        RecordNotFoundError: unknown, spent or expired link (one answer for all three).
    """
    with deps.sessions() as session:
        rad = _gyldig(session, token, deps.clock())
        bruker = session.get(Bruker, rad.bruker_id)
        if bruker is None or not bruker.aktiv:
            raise RecordNotFoundError(UGYLDIG_LENKE)
        return Lenkeinfo(bruker.brukernavn, bruker.navn)


UGYLDIG_LENKE = "lenken er brukt, utløpt eller ukjent"


def _gyldig(session: Session, token: str, naa: datetime) -> Passordlenke:
    rad = session.scalar(
        select(Passordlenke).where(Passordlenke.token_sha256 == _token_hash(token))
    )
    if rad is None or rad.brukt is not None or utc(rad.utloper) <= naa:
        raise RecordNotFoundError(UGYLDIG_LENKE)
    return rad


def bruk_lenke(
    deps: Deps, token: str, nytt: str, gjenta: str, *, fra: str | None, foresporsel: str | None
) -> str:
    """Set a password with a link, spending it; return the user name. Audited
    ``sett_passord_med_lenke`` in the user's name.

    The link is spent by one UPDATE that matches only while it is unspent and unexpired: of
    two posts at once, one changes the row and sets the password, the other finds it spent.
    A new password against the rules leaves the link unspent.

    Raises:
        InputInvalidError: the new password breaks the rules or differs from the repeat.
        RecordNotFoundError: unknown, spent or expired link.
    """
    naa = deps.clock()
    with deps.sessions.begin() as session:
        rad = _gyldig(session, token, naa)
        bruker = session.get(Bruker, rad.bruker_id)
        if bruker is None or not bruker.aktiv:
            raise RecordNotFoundError(UGYLDIG_LENKE)
        errors = _nytt(nytt, gjenta, bruker.brukernavn)
        if errors:
            raise InputInvalidError(errors)
        brukt: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(Passordlenke)
            .where(
                Passordlenke.id == rad.id,
                Passordlenke.brukt.is_(None),
                Passordlenke.utloper > naa,
            )
            .values(brukt=naa)
            # SQLite hands back naive times, which Python cannot compare with naa.
            .execution_options(synchronize_session=False)
        )
        if brukt.rowcount != 1:
            raise RecordNotFoundError(UGYLDIG_LENKE)
        _sett(session, bruker, nytt, naa, ma_bytte=False)
        hvem = Aktor(bruker.org_id, bruker.navn, bruker.rolle, fra, foresporsel, bruker.id)
        logg(session, hvem, "sett_passord_med_lenke", "bruker", str(bruker.id))
        return bruker.brukernavn


@dataclass(frozen=True)
class NyBruker:
    """A user just made, with what the admin must hand over: a one-time password shown this
    once, or the address a set-password link went to (or the reason it did not)."""

    id: int
    brukernavn: str
    engangspassord: str | None = None
    sendt_til: str | None = None
    epostfeil: str | None = None


def opprett_bruker(
    deps: Deps, aktor: Aktor, data: dict[str, str], lenke: Callable[[str], str] | None = None
) -> NyBruker:
    """Add a user without the admin inventing a password: a typed ``passord`` is used as
    given; without one, with ``send_lenke`` and an ``epost``, a set-password link is e-mailed;
    else a one-time password is made, to be changed at the first login.

    Args:
        lenke: makes a link's full address from its token; without it (the command line,
            which has no address) ``send_lenke`` is refused.

    Raises:
        AccessDeniedError: the caller is not an admin.
        InputInvalidError: every problem with the fields; nothing is stored.
    """
    passord, med_lenke = data.get("passord", ""), bool(data.get("send_lenke"))
    if med_lenke and not data.get("epost", "").strip():
        raise InputInvalidError([FieldError("epost", "trengs for å sende lenken")])
    if med_lenke and lenke is None:
        raise InputInvalidError([FieldError("send_lenke", "kan ikke sendes herfra")])
    engangs = None if passord or med_lenke else lag_engangspassord()
    bruker = admin_service.opprett_bruker(
        deps, aktor, brukernavn=data.get("brukernavn", ""), navn=data.get("navn", ""),
        rolle=data.get("rolle", ""), epost=data.get("epost", ""),
        # A link's user gets a random password nobody knows until the link is used.
        passord=passord or engangs or lag_engangspassord(), ma_bytte_passord=engangs is not None,
    )  # fmt: skip
    if not med_lenke or passord or lenke is None:
        return NyBruker(bruker.id, bruker.brukernavn, engangspassord=engangs)
    try:
        til = send_lenke(deps, aktor, bruker.id, lenke)
    except (EmailSendFailedError, StateConflictError) as exc:
        return NyBruker(bruker.id, bruker.brukernavn, epostfeil=str(exc))
    return NyBruker(bruker.id, bruker.brukernavn, sendt_til=til)
