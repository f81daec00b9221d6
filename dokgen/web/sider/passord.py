"""Password pages: change your own, the forced change after an admin's reset, an admin's
reset to a one-time password or e-mailed link, and the page a set-password link opens.

A link's token travels in the query string (the access log writes the path only) and is
never logged; pages showing a one-time password are not kept by the browser or a proxy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from flask import flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from dokgen.errors import EmailSendFailedError, FieldError, RecordNotFoundError
from dokgen.services import passord as service
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp, merk_skjema_brukt, skjema_brukt
from dokgen.web.sider.form_errors import form_errors

# Reached by a user who must change the password first; everything else leads to the change.
_UTEN_BYTTE = frozenset(
    {"sider.endre_passord", "sider.logg_ut", "sider.logg_inn", "sider.sett_passord", "static"}
)
_INGEN_LAGRING = {"Cache-Control": "no-store"}


@bp.app_context_processor
def _epost() -> dict[str, Any]:
    return {"epost_aktiv": deps().settings.smtp_aktiv}


@bp.before_request
def _krev_nytt_passord() -> Response | None:
    """Send a user whose password was reset to the change page until a new one is chosen
    (password logins only: after an OIDC login the password is not used)."""
    if g.get("aktor") is None or request.endpoint in _UTEN_BYTTE or session.get("via_oidc"):
        return None
    return redirect(url_for("sider.endre_passord")) if ma_bytte() else None


def ma_bytte() -> bool:
    """Return whether the logged-in user must change the password before going on."""
    return service.ma_bytte(deps(), session.get("bruker_id"))


def _skjema(mal: str, feil: list[FieldError] | None = None, **verdier: Any) -> Any:
    page = render_template(
        mal, feil={f.path: f.message for f in feil or []}, feilliste=feil or [], **verdier
    )
    return page, _INGEN_LAGRING


def _endre_side(feil: list[FieldError] | None = None) -> Any:
    return _skjema("passord.html", feil, tvunget=ma_bytte())


@bp.route("/passord", methods=["GET", "POST"])
@form_errors(_endre_side)
def endre_passord() -> Any:
    """Change your own password: the current one, then the new one twice."""
    if request.method == "GET":
        return _endre_side()
    form = request.form
    service.endre_passord(
        deps(), session["bruker_id"], form.get("naavaerende", ""), form.get("nytt", ""),
        form.get("gjenta", ""), fra=request.remote_addr, foresporsel=g.request_id,
        okt=session.get("okt"),
    )  # fmt: skip
    flash("Passordet er endret.")
    return redirect(url_for("sider.forside"))


def _lenke(token: str) -> str:
    """Return the full address of a set-password link (the public one behind a proxy)."""
    offentlig = deps().settings.offentlig_url
    if offentlig:
        return urljoin(offentlig, url_for("sider.sett_passord", lenke=token))
    return url_for("sider.sett_passord", lenke=token, _external=True)


@bp.post("/admin/brukere/<int:bruker_id>/engangspassord")
def tilbakestill_passord(bruker_id: int) -> Any:
    """Give a user a one-time password, shown this once; it must be changed at next login.

    The same form posted again (the browser reloading the page that showed the password)
    makes no second one, which would void the one the admin may already have handed over.
    """
    if skjema_brukt():
        flash(
            "Engangspassordet er allerede laget, og det vises ikke igjen. Trenger brukeren et "
            "nytt, lag et nytt."
        )
        return redirect(url_for("sider.brukere"), 303)
    ny = service.tilbakestill_passord(deps(), aktor(), bruker_id)
    merk_skjema_brukt()
    return render_template("admin/engangspassord.html", ny=ny), 200, _INGEN_LAGRING


@bp.post("/admin/brukere/<int:bruker_id>/passordlenke")
def send_passordlenke(bruker_id: int) -> Any:
    """E-mail a user a single-use link to set a password."""
    try:
        til = service.send_lenke(deps(), aktor(), bruker_id, _lenke)
    except EmailSendFailedError as exc:
        flash(f"E-posten ble ikke sendt: {exc.melding}. Prøv igjen, eller lag et engangspassord.")
        return redirect(url_for("sider.brukere"))
    flash(f"En lenke for å velge passord er sendt til {til}. Den virker én gang, i 24 timer.")
    return redirect(url_for("sider.brukere"))


def ny_bruker(data: dict[str, str]) -> Any:
    """Create a user from the admin's form (see :func:`service.opprett_bruker`) and show
    what to hand over; called by the users page's form handler.

    Raises:
        InputInvalidError: every problem with the fields; nothing is stored.
    """
    ny = service.opprett_bruker(deps(), aktor(), data, _lenke)
    if ny.engangspassord:
        vis = service.Engangspassord(ny.brukernavn, ny.engangspassord)
        page = render_template("admin/engangspassord.html", ny=vis, opprettet=True)
        return page, 200, _INGEN_LAGRING
    if ny.sendt_til:
        flash(
            f"Brukeren «{ny.brukernavn}» er opprettet. En lenke for å velge passord er sendt til "
            f"{ny.sendt_til}."
        )
    elif ny.epostfeil:
        flash(
            f"Brukeren «{ny.brukernavn}» er opprettet, men e-posten ble ikke sendt: "
            f"{ny.epostfeil}. Send lenken på nytt, eller lag et engangspassord."
        )
    else:
        flash(f"Brukeren «{ny.brukernavn}» er opprettet.")
    return redirect(url_for("sider.brukere"))


def _lenke_side(feil: list[FieldError] | None = None) -> Any:
    """The set-password form of the link in the query string (or the post).

    Raises:
        RecordNotFoundError: unknown, spent or expired link.
    """
    token = request.values.get("lenke", "")[:100]
    return _skjema("passord_lenke.html", feil, hvem=service.lenke(deps(), token), lenke=token)


@bp.route("/passord/ny", methods=["GET", "POST"])
@form_errors(_lenke_side)
def sett_passord() -> Any:
    """The page a set-password link opens: choose a password (the link works once)."""
    try:
        if request.method == "GET":
            return _lenke_side()
        service.bruk_lenke(
            deps(), request.values.get("lenke", "")[:100], request.form.get("nytt", ""),
            request.form.get("gjenta", ""), fra=request.remote_addr, foresporsel=g.request_id,
        )  # fmt: skip
    except RecordNotFoundError:
        return render_template("passord_lenke_ugyldig.html"), 404, _INGEN_LAGRING
    session.clear()  # whoever was logged in in this browser, the next step is a fresh login
    flash("Passordet er satt. Logg inn med brukernavnet og det nye passordet.")
    return redirect(url_for("sider.logg_inn"))
