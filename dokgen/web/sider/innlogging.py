"""Login and logout: the session is cleared on both, so a session id is never reused."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for

from dokgen.audit import logg
from dokgen.errors import NotAuthenticatedError
from dokgen.services.brukere import aktor_for_bruker
from dokgen.services.brukere import logg_inn as sjekk_passord
from dokgen.web import deps
from dokgen.web.sider import bp, trygg_neste

FEIL = "Feil brukernavn eller passord."


@bp.route("/logg-inn", methods=["GET", "POST"])
def logg_inn() -> Any:
    """Show the login form; on post, start a fresh session for the user."""
    neste = trygg_neste(request.values.get("neste"))
    if request.method == "GET":
        return render_template("logg_inn.html", neste=neste, brukernavn="")
    brukernavn = request.form.get("brukernavn", "").strip()
    try:
        with deps().sessions.begin() as s:
            bruker = sjekk_passord(s, brukernavn, request.form.get("passord", ""))
            who = aktor_for_bruker(bruker, fra=request.remote_addr, foresporsel=g.request_id)
            logg(s, who, "logg_inn", "bruker", str(bruker.id))
            bruker_id = bruker.id
    except NotAuthenticatedError:
        return render_template("logg_inn.html", neste=neste, brukernavn=brukernavn, feil=FEIL), 401
    session.clear()
    session.permanent = True
    session["bruker_id"] = bruker_id
    return redirect(neste or url_for("sider.forside"))


@bp.post("/logg-ut")
def logg_ut() -> Any:
    """End the session."""
    session.clear()
    return redirect(url_for("sider.logg_inn"))


@bp.get("/")
def forside() -> Any:
    """Send each role to its own start page."""
    rolle = g.aktor.rolle
    if rolle == "regnskap" and "sider.fakturaer" in current_app.view_functions:
        return redirect(url_for("sider.fakturaer"))
    return redirect(url_for("sider.dokumenter"))
