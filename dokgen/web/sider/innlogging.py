"""Login and logout: the session is cleared on both, so a session id is never reused."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from flask import abort, current_app, g, redirect, render_template, request, session, url_for

from dokgen.errors import (
    IdentityProviderFailedError,
    LoginAmbiguousError,
    NotAuthenticatedError,
)
from dokgen.services import innloggingssperre as sperre
from dokgen.services import oidc as oidc_service
from dokgen.services import okter
from dokgen.services.audit import logg
from dokgen.services.brukere import aktor_for_bruker
from dokgen.services.brukere import logg_inn as sjekk_passord
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
    brukernavn = request.form.get("brukernavn", "").strip()
    naa, fra = now(), request.remote_addr
    forsok = sperre.begynn(
        deps().sessions, brukernavn, naa, adresse=fra, enhet=enhet.nonce(brukernavn)
    )
    if isinstance(forsok, sperre.Sperret) and forsok.hva == "enhet":
        forsok = sperre.begynn(deps().sessions, brukernavn, naa, adresse=fra)
    if isinstance(forsok, sperre.Sperret):  # refused before the password is looked at
        return _sperret(neste, brukernavn, forsok, naa)
    try:
        with deps().sessions.begin() as s:
            bruker = sjekk_passord(s, brukernavn, request.form.get("passord", ""))
            who = aktor_for_bruker(bruker, fra=fra, foresporsel=g.request_id)
            logg(s, who, "logg_inn", "bruker", str(bruker.id))
            sperre.lykkes(s, forsok)
            bruker_id = bruker.id
    except NotAuthenticatedError as exc:
        sperret = sperre.mislykkes(deps().sessions, forsok, naa, fra=fra, foresporsel=g.request_id)
        # A locked device cookie only sends the browser's next try to the name's own count.
        if sperret is not None and sperret.hva != "enhet":
            return _sperret(neste, brukernavn, sperret, naa)
        feil = TVETYDIG if isinstance(exc, LoginAmbiguousError) else FEIL
        return _side(neste, brukernavn=brukernavn, feil=feil), 401
    response = _start_okt(bruker_id, neste)
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
        identitet = oidc.identitet()
        with deps().sessions.begin() as s:
            bruker = oidc_service.logg_inn(
                s, identitet, fra=request.remote_addr, foresporsel=g.request_id
            )
            bruker_id = bruker.id
    except IdentityProviderFailedError as exc:
        session.clear()
        return _side(neste, feil=exc.melding), 502 if exc.utilgjengelig else 401
    except NotAuthenticatedError:
        session.clear()
        return _side(neste, feil=UKJENT_OIDC), 401
    response = _start_okt(bruker_id, neste)
    session["via_oidc"] = True
    return response


def _side(neste: str | None, *, brukernavn: str = "", feil: str | None = None) -> str:
    oidc_navn = deps().settings.oidc_navn if oidc.aktiv() else None
    return render_template(
        "logg_inn.html", neste=neste, brukernavn=brukernavn, feil=feil, oidc_navn=oidc_navn
    )


def _start_okt(bruker_id: int, neste: str | None) -> Any:
    # A fresh session: no id from before the login is ever reused. Its id is also kept on
    # the server, so logging out ends it for every copy of the cookie.
    with deps().sessions.begin() as s:
        okt_id = okter.start(s, bruker_id, now(), current_app.permanent_session_lifetime)
    session.clear()
    session.permanent = True
    session["bruker_id"], session["okt"] = bruker_id, okt_id
    return redirect(neste or url_for("sider.forside"))


@bp.post("/logg-ut")
def logg_ut() -> Any:
    """End the session; after an OIDC login, end the provider's session too, so the next
    person at a shared computer is not logged straight back in by the provider."""
    via_oidc, okt_id = bool(session.get("via_oidc")), session.get("okt")
    if isinstance(okt_id, str):
        with deps().sessions.begin() as s:
            okter.avslutt(s, okt_id)
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
