"""Logging in and out: a password login counted against the login lock
(:mod:`dokgen.services.innloggingssperre`), an OpenID Connect login, and the server-side
session each starts (:mod:`dokgen.services.okter`). Every login is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dokgen.errors import LoginAmbiguousError, NotAuthenticatedError
from dokgen.services import innloggingssperre as sperre
from dokgen.services import oidc as oidc_service
from dokgen.services import okter
from dokgen.services.audit import logg
from dokgen.services.brukere import aktor_for_bruker
from dokgen.services.brukere import logg_inn as sjekk_passord

if TYPE_CHECKING:
    from dokgen.deps import Deps


@dataclass(frozen=True)
class Innlogging:
    """A password login's outcome: the user and their new session's id, or why not."""

    bruker_id: int | None = None
    okt: str | None = None
    sperret: sperre.Sperret | None = None  # refused by the login lock
    tvetydig: bool = False  # the name and password fit users of several organisations


def med_passord(
    deps: Deps,
    brukernavn: str,
    passord: str,
    *,
    naa: datetime,
    levetid: timedelta,
    enhet: str | None,
    fra: str | None,
    foresporsel: str | None,
) -> Innlogging:
    """Log in with a name and password, audited ``logg_inn``, and start a session.

    The attempt is counted before the password is checked: on the browser's device cookie
    for the name (``enhet``) if it has one that is not locked, else on the name and the
    source address (``fra``).
    """
    forsok = sperre.begynn(deps.sessions, brukernavn, naa, adresse=fra, enhet=enhet)
    if isinstance(forsok, sperre.Sperret) and forsok.hva == "enhet":
        forsok = sperre.begynn(deps.sessions, brukernavn, naa, adresse=fra)
    if isinstance(forsok, sperre.Sperret):  # refused before the password is looked at
        return Innlogging(sperret=forsok)
    try:
        with deps.sessions.begin() as s:
            bruker = sjekk_passord(s, brukernavn, passord)
            who = aktor_for_bruker(bruker, fra=fra, foresporsel=foresporsel)
            logg(s, who, "logg_inn", "bruker", str(bruker.id))
            sperre.lykkes(s, forsok)
            bruker_id = bruker.id
    except NotAuthenticatedError as exc:
        sperret = sperre.mislykkes(deps.sessions, forsok, naa, fra=fra, foresporsel=foresporsel)
        # A locked device cookie only sends the browser's next try to the name's own count.
        if sperret is not None and sperret.hva != "enhet":
            return Innlogging(sperret=sperret)
        return Innlogging(tvetydig=isinstance(exc, LoginAmbiguousError))
    return Innlogging(bruker_id, _start(deps, bruker_id, naa, levetid))


def med_oidc(
    deps: Deps,
    identitet: Mapping[str, Any],
    *,
    naa: datetime,
    levetid: timedelta,
    fra: str | None,
    foresporsel: str | None,
) -> Innlogging:
    """Log in the active user a verified identity names (audited) and start a session.

    Raises:
        NotAuthenticatedError: no active user matches.
    """
    with deps.sessions.begin() as s:
        bruker_id = oidc_service.logg_inn(s, identitet, fra=fra, foresporsel=foresporsel).id
    return Innlogging(bruker_id, _start(deps, bruker_id, naa, levetid))


def _start(deps: Deps, bruker_id: int, naa: datetime, levetid: timedelta) -> str:
    with deps.sessions.begin() as s:
        return okter.start(s, bruker_id, naa, levetid)


def logg_ut(deps: Deps, okt_id: str) -> None:
    """End one login session on the server (every copy of its cookie)."""
    with deps.sessions.begin() as s:
        okter.avslutt(s, okt_id)
