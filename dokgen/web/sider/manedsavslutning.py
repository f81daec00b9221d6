"""The month's close pages (regnskap, admin): pick the month → the checks per gjennomføring
(a correction with its reason where the month is claimed) → confirm what will be made →
the progress, until every invoice and claim is ready."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.services import manedsavslutning as service
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_with_errors

VALGBARE_MANEDER = 12  # whole months back the picker offers


def _valg(idag: date) -> list[tuple[str, str]]:
    maneder, ar, mnd = [], idag.year, idag.month
    for _ in range(VALGBARE_MANEDER):
        ar, mnd = (ar, mnd - 1) if mnd > 1 else (ar - 1, 12)
        kode = f"{ar:04d}-{mnd:02d}"
        maneder.append((kode, service.maned_i_ord(date(ar, mnd, 1)).capitalize()))
    return maneder


def _korreksjoner() -> dict[int, str]:
    """Return the corrections the form marks: gjennomføring id → the reason (maybe empty,
    which the checks refuse with their own words)."""
    ut: dict[int, str] = {}
    for key in request.form:
        if key.startswith("korreksjon-") and key[11:].isdigit():
            gid = int(key[11:])
            ut[gid] = request.form.get(f"begrunnelse-{gid}", "")
    return ut


def _kontroll(avslutning: service.Avslutning) -> Any:
    idag = deps().clock().date()
    return render_template(
        "manedsavslutning/kontroll.html", a=avslutning, valg=_valg(idag),
        korreksjoner=_korreksjoner(), feil=service.FEIL,
    )  # fmt: skip


def _avvist(avslutning: service.Avslutning) -> Any:
    """The checks again, refused: an input error's status, set by the shared helper."""
    return form_with_errors(lambda feil: _kontroll(avslutning), [])


@bp.get("/manedsavslutning")
def manedsavslutning() -> Any:
    """Show the month's checks per gjennomføring (default: the last whole month)."""
    maned = request.args.get("maned") or service.forrige_maned(deps().clock().date())
    return _kontroll(service.forhandsvis(deps(), aktor(), maned))


@bp.post("/manedsavslutning/bekreft")
def manedsavslutning_bekreft() -> Any:
    """Check again with the corrections marked, and show what will be made."""
    maned = request.form.get("maned", "")
    avslutning = service.forhandsvis(deps(), aktor(), maned, korreksjoner=_korreksjoner())
    if avslutning.avvist:
        return _avvist(avslutning)
    return render_template(
        "manedsavslutning/bekreft.html", a=avslutning, korreksjoner=_korreksjoner(),
        total=service.total(avslutning),
    )  # fmt: skip


@bp.post("/manedsavslutning/avslutt")
def manedsavslutning_avslutt() -> Any:
    """Close the month; then the progress page (or the checks again when refused)."""
    maned = request.form.get("maned", "")
    bekreftet = request.form.get("bekreftet") == "1"
    avslutning = service.avslutt(
        deps(), aktor(), maned, korreksjoner=_korreksjoner(), bekreftet=bekreftet
    )
    if avslutning.avvist:
        return _avvist(avslutning)
    flash(f"{avslutning.ord.capitalize()} er avsluttet. Fakturaene og kravene lages nå.")
    return redirect(url_for("sider.manedsavslutning_fremdrift", maned=maned))


@bp.get("/manedsavslutning/fremdrift")
def manedsavslutning_fremdrift() -> Any:
    """Show how far each invoice and claim of the month has come."""
    maned = request.args.get("maned", "")
    rader = service.status(deps(), aktor(), maned)
    venter = any(r.status == service.BEHANDLES for r in rader)
    return render_template(
        "manedsavslutning/fremdrift.html", rader=rader, maned=maned, venter=venter,
        ord=service.maned_i_ord(date.fromisoformat(f"{maned}-01")),
    )  # fmt: skip


@bp.get("/manedsavslutning/fremdrift.json")
def manedsavslutning_fremdrift_status() -> Any:
    """Return whether any invoice or claim of the month is still being made."""
    rader = service.status(deps(), aktor(), request.args.get("maned", ""))
    return {"venter": any(r.status == service.BEHANDLES for r in rader)}
