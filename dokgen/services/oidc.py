"""Login through an OpenID Connect provider: map a verified identity to a dokgen user.

The provider only says who the person is. Whether they may log in, and with which role, is
dokgen's: the identity must name an existing, active user, and no user is ever created here.

The first OIDC login of a user binds the identity's issuer and ``sub`` (the provider's
identifier of the person, which never changes nor passes to someone else) to that user.
From then on that identity logs in as that user whatever its name, and another identity
with the user's name — an account renamed, or a name given to someone new — is refused
until an admin removes the binding (``dokgen bruker frakoble-oidc``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dokgen.errors import NotAuthenticatedError
from dokgen.services.audit import logg
from dokgen.services.brukere import aktor_for_bruker
from dokgen.storage.db import Bruker

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


def subjekt(identitet: Mapping[str, Any]) -> str:
    """Return the identity's binding key, ``"<iss> <sub>"``.

    Raises:
        NotAuthenticatedError: the token lacks ``iss`` or ``sub``.
    """
    iss, sub = identitet.get("iss"), identitet.get("sub")
    if not (isinstance(iss, str) and iss and isinstance(sub, str) and sub):
        raise NotAuthenticatedError("ID-tokenet mangler iss eller sub")
    return f"{iss.rstrip('/')} {sub}"[:300]


def finn_bruker(session: Session, identitet: Mapping[str, Any]) -> Bruker:
    """Return the active user bound to the identity, or else the one active, unbound user
    whose brukernavn is the identity's user name or e-mail.

    The comparison of names ignores case; a name that matches several users matches none.

    Raises:
        NotAuthenticatedError: no active user matches, or the user with the name is bound to
            another identity.
    """
    bundet = session.scalar(select(Bruker).where(Bruker.oidc_id == subjekt(identitet)))
    if bundet is not None:
        if bundet.aktiv:
            return bundet
        raise NotAuthenticatedError("brukeren er deaktivert")
    for navn in kandidater(identitet):
        treff = list(
            session.scalars(
                select(Bruker).where(func.lower(Bruker.brukernavn) == func.lower(navn)).limit(2)
            )
        )
        if len(treff) == 1 and treff[0].aktiv and treff[0].oidc_id is None:
            return treff[0]
        if treff:
            # This name is the person's: a deactivated, ambiguous or otherwise bound user
            # stops here.
            break
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
    if bruker.oidc_id is None:
        bruker.oidc_id = subjekt(identitet)
        logg(session, who, "koble_oidc", "bruker", str(bruker.id))
    logg(
        session,
        dataclasses.replace(who, navn=f"{who.navn}, via OIDC"),
        "logg_inn",
        "bruker",
        str(bruker.id),
    )
    return bruker
