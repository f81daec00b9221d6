"""The NAV claim pages: the list (by month and gjennomføring, totals per month), a claim with
what to do in NAV's portal, its files, NAV's answer, and "Prøv igjen" for a failed package."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for

from dokgen.errors import FieldError
from dokgen.services import krav as service
from dokgen.services import kravpakke
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_errors


def _tall(tekst: str | None) -> int | None:
    return int(tekst) if tekst and tekst.strip().isdigit() else None


@bp.get("/krav")
def krav_liste() -> Any:
    """List the organisation's NAV claims, newest month first, with the totals per month."""
    args = request.args
    maned = args.get("maned", "").strip() or None
    gjennomforing_id = _tall(args.get("gjennomforing"))
    liste = service.liste(
        deps(), aktor(), maned=maned, gjennomforing_id=gjennomforing_id,
        side=max(_tall(args.get("side")) or 1, 1),
    )  # fmt: skip
    return render_template(
        "krav_liste.html", liste=liste, maned=maned or "", valgt=gjennomforing_id,
        gjennomforinger=service.gjennomforinger(deps(), aktor()),
    )  # fmt: skip


def _side(krav_id: str, feil: list[FieldError] | None = None) -> Any:
    krav = service.hent(deps(), aktor(), krav_id)
    return render_template(
        "krav.html", k=krav, feil=feil or [], nav_statuser=service.NAV_STATUSER,
        venter=krav.status == kravpakke.BEHANDLES, med_belop=service.MED_BELOP,
    )  # fmt: skip


@bp.get("/krav/<krav_id>")
def krav(krav_id: str) -> Any:
    """Show one claim: the amount to type, NAV's portal step by step, files, NAV's answer."""
    return _side(krav_id)


@bp.get("/krav/<krav_id>/status")
def krav_status(krav_id: str) -> Any:
    """Return the package's status as JSON (the page polls it while it is made)."""
    krav = service.hent(deps(), aktor(), krav_id, logg_lesing=False)
    return {"status": krav.status, "venter": krav.status == kravpakke.BEHANDLES}


@bp.post("/krav/<krav_id>/nav-svar")
@form_errors(_side)
def krav_nav_svar(krav_id: str) -> Any:
    """Record NAV's answer: its status, the amount paid and a comment."""
    form = request.form
    krav = service.registrer_nav_svar(
        deps(), aktor(), krav_id, form.get("nav_status", ""),
        form.get("utbetalt"), form.get("kommentar"),
    )  # fmt: skip
    flash(f"NAVs svar er registrert: {krav.nav_status_tekst}.")
    return redirect(url_for("sider.krav", krav_id=krav_id))


@bp.post("/krav/<krav_id>/prov-igjen")
def krav_prov_igjen(krav_id: str) -> Any:
    """Make a failed package again."""
    service.prov_igjen(deps(), aktor(), krav_id)
    flash("Kravpakken lages på nytt.")
    return redirect(url_for("sider.krav", krav_id=krav_id))


@bp.get("/krav/<krav_id>/pdf/<int:nr>")
def krav_pdf(krav_id: str, nr: int) -> Response:
    """Download file ``nr`` of the package (audited)."""
    data, navn = service.pdf(deps(), aktor(), krav_id, nr)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response
