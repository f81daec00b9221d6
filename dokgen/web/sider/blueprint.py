"""The ``sider`` blueprint and what its views share; the views register on it when
:mod:`dokgen.web.sider` imports them."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from dokgen.access import TILGANG
from dokgen.documents.context import belop, dato, desimal, maned

bp = Blueprint("sider", __name__)

OSLO = ZoneInfo("Europe/Oslo")
# Reached without a session: the calendar feed's secret address is its own key.
APNE = frozenset(
    {
        "sider.logg_inn",
        "sider.oidc_start",
        "sider.oidc_svar",
        "sider.sett_passord",
        "sider.kalender",
        # An approval link's pages: the link's token is the key.
        "sider.godkjenning_side",
        "sider.godkjenning_kode",
        "sider.godkjenning_bekreft",
        "sider.godkjenning_pdf",
        "sider.godkjenning_svar",
        "sider.godkjenning_idporten",
        "sider.godkjenning_idporten_svar",
        "static",
    }
)
ROLLENAVN = {
    "veileder": "Veileder",
    "regnskap": "Regnskap",
    "leser": "Leser",
    "admin": "Administrator",
}


@bp.before_request
def _krev_innlogging() -> Response | None:
    if g.get("aktor") is None and request.endpoint not in APNE:
        return redirect(url_for("sider.logg_inn", neste=request.full_path.rstrip("?")))
    return None


def trygg_neste(neste: str | None) -> str | None:
    """Return a local path to go to after login, or None (never another site).

    Control characters and spaces are refused: CR/LF cannot go into a Location header, and
    browsers drop tabs and newlines from a URL, so ``/<tab>/evil.example`` would become
    ``//evil.example``.
    """
    if not neste or not neste.startswith("/") or neste.startswith("//") or "\\" in neste:
        return None
    if len(neste) > 2000 or any(not c.isprintable() or c.isspace() for c in neste):
        return None
    parts = urlsplit(neste)
    return None if parts.scheme or parts.netloc else neste


_BRUKTE_SKJEMA = "brukte_skjema"


def _skjema_id() -> str:
    return request.form.get("skjema", "")[:64]


def skjema_brukt() -> bool:
    """Whether this form was posted before in this session: the browser reloading the page
    that answered it, which must not make a second token or one-time password."""
    skjema = _skjema_id()
    return bool(skjema) and skjema in session.get(_BRUKTE_SKJEMA, [])


def merk_skjema_brukt() -> None:
    """Remember the posted form's id (the last 20) so a repost is recognised."""
    if skjema := _skjema_id():
        session[_BRUKTE_SKJEMA] = [*session.get(_BRUKTE_SKJEMA, [])[-19:], skjema]


@bp.app_template_global("nytt_skjema")
def _nytt_skjema() -> str:
    """Return a fresh id for a form whose answer shows a secret once (``skjema``)."""
    return secrets.token_urlsafe(16)


@bp.app_template_filter("dato")
def _dato(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(OSLO).strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return dato(str(value)[:10])


@bp.app_template_filter("datofelt")
def _datofelt(value: Any) -> str:
    """Return a date for a text field: an ISO date as dd.mm.åååå, anything else as typed."""
    if value is None or value == "":
        return ""
    try:
        return date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


@bp.app_template_filter("maned")
def _maned(value: Any) -> str:
    """Return a month (``2026-10`` or a date in it) in words: ``oktober 2026``."""
    return "—" if not value else maned(str(value)[:7])


@bp.app_template_filter("tidspunkt")
def _tidspunkt(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(OSLO).strftime("%d.%m.%Y kl. %H:%M")


@bp.app_template_filter("belop")
def _belop(value: Any) -> str:
    return "—" if value is None or value == "" else belop(value)


@bp.app_template_filter("desimal")
def _desimal(value: Any) -> str:
    return "—" if value is None or value == "" else desimal(str(value))


@bp.app_context_processor
def _felles() -> dict[str, Any]:
    who = g.get("aktor")

    def kan(tilgang: str) -> bool:
        return who is not None and who.rolle in TILGANG[tilgang]

    har_fakturaer = "sider.fakturaer" in current_app.view_functions
    return {"aktor": who, "kan": kan, "rollenavn": ROLLENAVN, "har_fakturaer": har_fakturaer}
