"""The device cookie (OWASP, "Slow down online guessing attacks with device cookies"): a
browser that has logged in as a user carries a signed random nonce for that user name, and
a later password login from it is counted on that nonce, not on the name, so a stranger
who locks the name does not lock its user out at a browser they used before.

The cookie holds no name (only a hash of it), is signed with
the instance secret, is sent only to the login form and lives 90 days; each successful
login gives a new nonce. Several users of one browser each have their own entry.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

KAKE = "dokgen_enhet"
LEVETID = 90 * 24 * 3600
_MAKS_BRUKERE = 10


def _nokkel(brukernavn: str) -> str:
    # The exact name, as the login matches it: an account named "ola" must not give a
    # cookie that counts for "Ola", whose failures share one counter of the lock.
    return hashlib.sha256(f"bruker:{brukernavn.strip()}".encode()).hexdigest()


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="dokgen-enhet")


def _oppforinger() -> list[list[str]]:
    verdi = request.cookies.get(KAKE)
    if not verdi:
        return []
    try:
        data: Any = _signer().loads(verdi, max_age=LEVETID)
    except BadSignature:
        return []
    if not isinstance(data, list):
        return []
    return [
        e
        for e in data
        if isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
    ]


def nonce(brukernavn: str) -> str | None:
    """Return this browser's nonce for the user name, if it has logged in as it before."""
    nokkel = _nokkel(brukernavn)
    return next((n for k, n in _oppforinger() if k == nokkel), None)


def husk(response: Response, brukernavn: str) -> None:
    """Give the browser a new nonce for the user name that just logged in with a password."""
    nokkel = _nokkel(brukernavn)
    andre = [e for e in _oppforinger() if e[0] != nokkel][-(_MAKS_BRUKERE - 1) :]
    verdi = _signer().dumps([*andre, [nokkel, secrets.token_urlsafe(24)]])
    response.set_cookie(
        KAKE, verdi, max_age=LEVETID, path="/logg-inn", secure=True, httponly=True,
        samesite="Strict",
    )  # fmt: skip
