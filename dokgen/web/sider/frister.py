"""Frist pages: the organisation's frister (filters and CSV), the user's own on the start
page, and the user's calendar feed (a secret address, no login: the token is the key)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urljoin

from flask import Response, abort, flash, redirect, render_template, request, url_for

from dokgen.documents.models import TITLER
from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.frister import STATUSER as FRISTSTATUSER
from dokgen.oppfolging.regelsett import TITLER as FRISTTYPER
from dokgen.services import frister as service
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp, merk_skjema_brukt, skjema_brukt
from dokgen.web.sider.datofelt import les_datoer
from dokgen.web.sider.deltakere import gjennomforingsvalg, veiledervalg
from dokgen.web.sider.form_errors import form_errors

_INGEN_LAGRING = {"Cache-Control": "no-store"}
FILTRE = ("status", "type", "veileder", "gjennomforing", "fra", "til")


def _utvalg() -> tuple[service.Fristutvalg, dict[str, str]]:
    """Return the filters of the query string, and the query as posted (for the form).

    Raises:
        InputInvalidError: a date is not a date.
    """
    args = request.args
    sok = {k: args.get(k, "").strip() for k in FILTRE}
    datoer, feil = les_datoer(sok, ("fra", "til"))
    if feil:
        raise InputInvalidError(feil)
    fra, til = (date.fromisoformat(d) if d else None for d in (datoer["fra"], datoer["til"]))
    tall = {k: int(sok[k]) if sok[k].isdigit() and len(sok[k]) < 10 else None
            for k in ("veileder", "gjennomforing")}  # fmt: skip
    utvalg = service.Fristutvalg(
        fra=fra, til=til, status=sok["status"] or None, type=sok["type"] or None,
        veileder=tall["veileder"], gjennomforing_id=tall["gjennomforing"],
    )  # fmt: skip
    return utvalg, sok


def _side(frister: list[dict[str, Any]], sok: dict[str, str], feil: list[FieldError]) -> Any:
    filtre: dict[str, Any] = {k: v for k, v in sok.items() if v}
    return render_template(
        "register/frister.html", frister=frister, sok=sok, statuser=FRISTSTATUSER,
        typer=FRISTTYPER, titler=TITLER, veiledere=veiledervalg(),
        gjennomforinger=gjennomforingsvalg(), feil={f.path: f.message for f in feil},
        feilliste=feil, csv_url=url_for("sider.frister_csv", **filtre),
    )  # fmt: skip


def _feilside(feil: list[FieldError]) -> Any:
    """The Frister page with the search as given and its errors (no list)."""
    return _side([], {k: request.args.get(k, "") for k in FILTRE}, feil)


@bp.get("/frister")
@form_errors(_feilside)
def frister() -> Any:
    """List the organisation's frister, filtered by status, type, veileder, gjennomføring
    and dates; a wrong date shows the form with the error."""
    aktor().krev("frister.alle")
    utvalg, sok = _utvalg()
    return _side(service.liste(deps(), aktor(), utvalg), sok, [])


@bp.get("/frister.csv")
def frister_csv() -> Response:
    """Download the filtered frister as CSV (no fødselsnummer: nr and name)."""
    aktor().krev("frister.alle")
    utvalg, _ = _utvalg()
    tekst = service.som_csv(service.liste(deps(), aktor(), utvalg))
    response = Response(tekst, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="frister.csv"'
    return response


def _kalenderadresse(token: str) -> str:
    """Return the feed's full address (the public one behind a proxy)."""
    offentlig = deps().settings.offentlig_url
    if offentlig:
        return urljoin(offentlig, url_for("sider.kalender", token=token))
    return url_for("sider.kalender", token=token, _external=True)


def _kalenderside(adresse: str | None = None) -> Any:
    side = render_template("register/kalender.html", adresse=adresse)
    return side, _INGEN_LAGRING


@bp.get("/frister/kalender")
def kalenderlenke() -> Any:
    """Explain the calendar feed and offer a new private address."""
    return _kalenderside()


@bp.post("/frister/kalender")
def ny_kalenderlenke() -> Any:
    """Make a new private calendar address and show it this once (the old one stops)."""
    if skjema_brukt():
        flash("Lenken er allerede laget, og den vises ikke igjen. Trenger du en ny, lag en ny.")
        return redirect(url_for("sider.kalenderlenke"), 303)
    token = service.ny_kalenderlenke(deps(), aktor())
    merk_skjema_brukt()
    return _kalenderside(_kalenderadresse(token))


@bp.get("/kalender/<token>.ics")
def kalender(token: str) -> Response:
    """Answer a calendar program: the frister of the user the secret address belongs to
    (an unknown address: 404)."""
    if len(token) > 200:
        abort(404)
    response = Response(service.kalender(deps(), token), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-cache"
    return response
