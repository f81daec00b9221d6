"""Login and logout: the session is cleared on both, so a session id is never reused."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from dokgen.errors import (
    IdentityProviderFailedError,
    NotAuthenticatedError,
)
from dokgen.services import innlogging
from dokgen.services import innloggingssperre as sperre
from dokgen.storage.db import now
from dokgen.web import deps, enhet, oidc
from dokgen.web.sider.blueprint import bp, trygg_neste

FEIL = "Feil brukernavn eller passord."
TVETYDIG = (
    "Du har samme brukernavn og passord i flere organisasjoner. Skriv brukernavnet som "
    "brukernavn@organisasjonsnummer, for eksempel kari@998877660."
)
SPERRET = (
    "For mange mislykkede innlogginger med dette brukernavnet. Prøv igjen om {minutter} "
    "minutter, logg inn fra en nettleser du har logget inn fra før, eller be en "
    "administrator om å oppheve sperren."
)
SPERRET_ADRESSE = (
    "For mange mislykkede innlogginger fra denne adressen. Prøv igjen om {minutter} "
    "minutter, eller logg inn fra en nettleser du har logget inn fra før."
)
UKJENT_OIDC = (
    "Du er logget inn hos innloggingstjenesten, men ingen aktiv bruker i dokgen har "
    "brukernavnet ditt. Be en administrator i organisasjonen din om tilgang."
)


@bp.route("/logg-inn", methods=["GET", "POST"])
def logg_inn() -> Any:
    """Show the login form; on post, start a fresh session for the user.

    The attempt is counted before the password is checked (see
    :mod:`dokgen.services.innloggingssperre`): on the browser's device cookie for the name if
    it has one that is not locked, else on the name and the source address.
    """
    neste = trygg_neste(request.values.get("neste"))
    if request.method == "GET":
        return _side(neste)
    brukernavn, naa = request.form.get("brukernavn", "").strip(), now()
    svar = innlogging.med_passord(
        deps(), brukernavn, request.form.get("passord", ""), naa=naa,
        levetid=current_app.permanent_session_lifetime, enhet=enhet.nonce(brukernavn),
        fra=request.remote_addr, foresporsel=g.request_id,
    )  # fmt: skip
    if svar.sperret is not None:
        return _sperret(neste, brukernavn, svar.sperret, naa)
    if svar.bruker_id is None or svar.okt is None:
        feil = TVETYDIG if svar.tvetydig else FEIL
        return _side(neste, brukernavn=brukernavn, feil=feil), 401
    response = _start_okt(svar, neste)
    enhet.husk(response, brukernavn)
    return response


def _sperret(neste: str | None, brukernavn: str, sperret: sperre.Sperret, naa: datetime) -> Any:
    """Answer 429 with when to try again (whole minutes, at least one)."""
    sekunder = max(1, math.ceil((sperret.til - naa).total_seconds()))
    tekst = SPERRET_ADRESSE if sperret.hva == "adresse" else SPERRET
    melding = tekst.format(minutter=max(1, math.ceil(sekunder / 60)))
    svar = current_app.make_response((_side(neste, brukernavn=brukernavn, feil=melding), 429))
    svar.headers["Retry-After"] = str(sekunder)
    return svar


@bp.get("/logg-inn/oidc")
def oidc_start() -> Any:
    """Send the browser to the OpenID Connect provider (404 when none is configured).

    A link, not a form: ``state`` and ``nonce`` protect the answer, so a GET start is
    harmless, and it needs no CSRF token.
    """
    if not oidc.aktiv():
        abort(404)
    neste = trygg_neste(request.args.get("neste"))
    try:
        response = oidc.start()
    except IdentityProviderFailedError as exc:
        return _side(neste, feil=exc.melding), 502
    session["oidc_neste"] = neste
    return response


@bp.get("/logg-inn/oidc/svar")
def oidc_svar() -> Any:
    """Finish an OpenID Connect login: an active dokgen user with the person's name, or none."""
    if not oidc.aktiv():
        abort(404)
    neste = trygg_neste(session.pop("oidc_neste", None))
    try:
        svar = innlogging.med_oidc(
            deps(), oidc.identitet(), naa=now(), levetid=current_app.permanent_session_lifetime,
            fra=request.remote_addr, foresporsel=g.request_id,
        )  # fmt: skip
    except IdentityProviderFailedError as exc:
        session.clear()
        return _side(neste, feil=exc.melding), 502 if exc.utilgjengelig else 401
    except NotAuthenticatedError:
        session.clear()
        return _side(neste, feil=UKJENT_OIDC), 401
    response = _start_okt(svar, neste)
    session["via_oidc"] = True
    return response


def _side(neste: str | None, *, brukernavn: str = "", feil: str | None = None) -> str:
    oidc_navn = deps().settings.oidc_navn if oidc.aktiv() else None
    return render_template(
        "logg_inn.html", neste=neste, brukernavn=brukernavn, feil=feil, oidc_navn=oidc_navn
    )


def _start_okt(svar: innlogging.Innlogging, neste: str | None) -> Any:
    # A fresh session: no id from before the login is ever reused. Its id is also kept on
    # the server, so logging out ends it for every copy of the cookie.
    session.clear()
    session.permanent = True
    session["bruker_id"], session["okt"] = svar.bruker_id, svar.okt
    return redirect(neste or url_for("sider.forside"))


@bp.post("/logg-ut")
def logg_ut() -> Any:
    """End the session; after an OIDC login, end the provider's session too, so the next
    person at a shared computer is not logged straight back in by the provider."""
    via_oidc, okt_id = bool(session.get("via_oidc")), session.get("okt")
    if isinstance(okt_id, str):
        innlogging.logg_ut(deps(), okt_id)
    session.clear()
    if via_oidc and oidc.aktiv():
        utlogging = oidc.utlogging_url()
        if utlogging is not None:
            return redirect(utlogging)
    return redirect(url_for("sider.logg_inn"))


@bp.get("/")
def forside() -> Any:
    """Send each role to its own start page."""
    rolle = g.aktor.rolle
    if rolle == "regnskap" and "sider.fakturaer" in current_app.view_functions:
        return redirect(url_for("sider.fakturaer"))
    return redirect(url_for("sider.dokumenter"))
