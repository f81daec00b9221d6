"""The resultatrapport page: a gjennomføring's month picked from a list, its numbers, the
status mapping, the month's frist, and the spreadsheet and sealed PDF to download."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, render_template, request

from dokgen.documents.context import maned as maned_tekst
from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import gjennomforinger
from dokgen.services import resultatrapport as service
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_errors

# How many months back the list offers (the newest first).
MANEDER_BAKOVER = 36


def _maneder(startdato: str, sluttdato: str | None, idag: date) -> list[tuple[str, str]]:
    """Return the months the gjennomføring ran in up to this one, newest first, as (YYYY-MM,
    words)."""
    start = date.fromisoformat(startdato)
    slutt = min(date.fromisoformat(sluttdato), idag) if sluttdato else idag
    ar, mnd = slutt.year, slutt.month
    ut: list[tuple[str, str]] = []
    while (ar, mnd) >= (start.year, start.month) and len(ut) < MANEDER_BAKOVER:
        kode = f"{ar:04d}-{mnd:02d}"
        ut.append((kode, maned_tekst(kode)))
        ar, mnd = (ar, mnd - 1) if mnd > 1 else (ar - 1, 12)
    return ut


def _forrige(idag: date) -> str:
    return f"{idag.year - 1}-12" if idag.month == 1 else f"{idag.year}-{idag.month - 1:02d}"


def _side(gjennomforing_id: int, feil: list[FieldError] | None = None) -> Any:
    g = gjennomforinger.hent(deps(), aktor(), gjennomforing_id)
    idag = deps().clock().date()
    maneder = _maneder(g["startdato"], g["sluttdato"], idag)
    valgt = request.args.get("maned", "").strip() or _forrige(idag)
    rapport = None if feil else service.beregn(deps(), aktor(), gjennomforing_id, valgt)
    return render_template(
        "register/resultatrapport.html", g=g, maneder=maneder, valgt=valgt, r=rapport,
        feil=feil or [], idag=idag.isoformat(),
    )  # fmt: skip


def _feilside(feil: list[FieldError], gjennomforing_id: int) -> Any:
    return _side(gjennomforing_id, feil)


@bp.get("/gjennomforinger/<int:gjennomforing_id>/resultatrapport")
@form_errors(_feilside)
def resultatrapport(gjennomforing_id: int) -> Any:
    """Show the month's resultatrapport (``?maned=YYYY-MM``, default the month before)."""
    aktor().krev("resultatrapport.les")
    return _side(gjennomforing_id)


@bp.get("/gjennomforinger/<int:gjennomforing_id>/resultatrapport.<format_>")
def resultatrapport_fil(gjennomforing_id: int, format_: str) -> Response:
    """Download the month's report as XLSX or sealed PDF (the first download of a month
    that has ended meets its frist)."""
    if format_ not in service.FORMATER:
        raise InputInvalidError([FieldError("format", "velg xlsx eller pdf")])
    maned = request.args.get("maned", "")
    eksport = service.eksporter(deps(), aktor(), gjennomforing_id, maned, format_)
    response = Response(eksport.innhold, mimetype=eksport.mediatype)
    response.headers["Content-Disposition"] = f'attachment; filename="{eksport.filnavn}"'
    return response
