"""Login through an OpenID Connect provider: map a verified identity to a dokgen user.

The provider only says who the person is. Whether they may log in, and with which role, is
dokgen's: the identity must name an existing, active user, and no user is ever created here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokgen.audit import logg
from dokgen.db import Bruker
from dokgen.errors import NotAuthenticatedError
from dokgen.services.brukere import aktor_for_bruker

# The ID token's claims that may name a dokgen user, in the order they are tried. Entra ID's
# preferred_username is the UPN; email is the fallback for providers without it.
KRAV = ("preferred_username", "email")


def kandidater(identitet: Mapping[str, Any]) -> list[str]:
    """Return the user names an identity may match, in the order they are tried.

    An ``email`` the provider says is not verified (``email_verified: false``) is left out.
    """
    verdier = [identitet.get("preferred_username")]
    if identitet.get("email_verified") is not False:
        verdier.append(identitet.get("email"))
    resultat: list[str] = []
    for verdi in verdier:
        if isinstance(verdi, str) and verdi.strip() and verdi.strip() not in resultat:
            resultat.append(verdi.strip())
    return resultat


def finn_bruker(session: Session, identitet: Mapping[str, Any]) -> Bruker:
    """Return the one active user whose brukernavn is the identity's user name or e-mail.

    The comparison ignores case; a name that matches several users matches none.

    Raises:
        NotAuthenticatedError: no active user matches.
    """
    for navn in kandidater(identitet):
        treff = list(
            session.scalars(
                select(Bruker).where(func.lower(Bruker.brukernavn) == func.lower(navn)).limit(2)
            )
        )
        if len(treff) == 1 and treff[0].aktiv:
            return treff[0]
        if treff:
            break  # this name is the person's: a deactivated or ambiguous user stops here
    raise NotAuthenticatedError("ingen aktiv bruker har dette brukernavnet")


def logg_inn(
    session: Session, identitet: Mapping[str, Any], *, fra: str | None, foresporsel: str | None
) -> Bruker:
    """Return the user a verified identity logs in as, and audit the login (via OIDC).

    Args:
        identitet: the validated ID token's claims.

    Raises:
        NotAuthenticatedError: no active user matches.
    """
    bruker = finn_bruker(session, identitet)
    who = aktor_for_bruker(bruker, fra=fra, foresporsel=foresporsel)
    logg(
        session,
        dataclasses.replace(who, navn=f"{who.navn}, via OIDC"),
        "logg_inn",
        "bruker",
        str(bruker.id),
    )
    return bruker
