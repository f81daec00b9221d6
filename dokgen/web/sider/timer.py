"""Timer pages: an activity registered, changed or deleted from the deltaker's page; the
week view (the user's deltakere as rows, the week's days as columns, one kind of activity,
saved all at once); the timeliste CSV uploaded, previewed with every row's error, then
saved; and "NAV er varslet" for a no-show's frist.

Dates are typed dd.mm.åååå as in the other forms; activity kinds are always shown in words.
The CSV's preview carries the file it was made from (base64, in the form), so "Lagre" stores
exactly what the person saw.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.errors import FieldError, InputInvalidError, InputUnreadableError, PayloadTooLargeError
from dokgen.oppfolging import timeregler
from dokgen.services import deltakere as deltaker_service
from dokgen.services import frister as frister_service
from dokgen.services import gjennomforinger
from dokgen.services import timer as service
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.deltakere import _side
from dokgen.web.sider.form_errors import form_errors

FILFEIL = (InputInvalidError, InputUnreadableError, PayloadTooLargeError)
FELTER = ("dato", "aktivitet", "minutter", "mote", "rapport", "antall_deltakere", "kommentar")


def skjemarad(form: Any, nr: str) -> dict[str, Any]:
    """Return a posted activity form as the service's row (the date typed dd.mm.åååå)."""
    rad: dict[str, Any] = {"deltaker": {"nr": nr}}
    for felt in FELTER:
        verdi = form.get(felt, "").strip()
        rad[felt] = skjema.parse_date(verdi) if felt == "dato" else (verdi or None)
    return rad


# --- on the deltaker's page -------------------------------------------------------------


def _timerside(feil: list[FieldError], deltaker_id: int) -> Any:
    return _side(deltaker_id, timerfeil=feil)


@bp.post("/deltakere/<int:deltaker_id>/timer")
@form_errors(_timerside)
def registrer_timer(deltaker_id: int) -> Any:
    """Register one activity for the deltaker."""
    d = deltaker_service.hent(deps(), aktor(), deltaker_id)
    rad = service.registrer(deps(), aktor(), skjemarad(request.form, d["nr"]), kilde="skjema")
    flash(f"Registrert: {rad['aktivitet_tekst']} {rad['minutter']} min, {_dag(rad['dato'])}.")
    return redirect(url_for("sider.deltaker", deltaker_id=deltaker_id, maned=rad["dato"][:7],
                            _anchor="timer"))  # fmt: skip


def _dag(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


@bp.post("/timer/<int:aktivitet_id>/slett")
def slett_timer(aktivitet_id: int) -> Any:
    """Delete one activity (not once its month is claimed)."""
    rad = service.hent(deps(), aktor(), aktivitet_id)
    service.slett(deps(), aktor(), aktivitet_id)
    flash(f"Slettet: {rad['aktivitet_tekst']} {rad['minutter']} min, {_dag(rad['dato'])}.")
    return redirect(url_for("sider.deltaker", deltaker_id=rad["deltaker"]["id"],
                            maned=rad["dato"][:7], _anchor="timer"))  # fmt: skip


def _endreside(feil: list[FieldError] | None = None, *, aktivitet_id: int) -> Any:
    rad = service.hent(deps(), aktor(), aktivitet_id)
    d = deltaker_service.hent(deps(), aktor(), rad["deltaker"]["id"])
    regelsett = _regelsett(d["gjennomforing_id"])
    verdier = request.form if feil else {
        **{f: rad[f] if rad[f] is not None else "" for f in FELTER}, "dato": _dag(rad["dato"]),
    }  # fmt: skip
    return render_template(
        "register/timer_endre.html", rad=rad, d=d, verdier=verdier,
        aktiviteter=timeregler.aktivitetsvalg(regelsett),
        vis_nar=timeregler.felt_vises_for(regelsett),
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
    )  # fmt: skip


def _regelsett(gjennomforing_id: int) -> str:
    return str(gjennomforinger.hent(deps(), aktor(), gjennomforing_id)["regelsett"])


@bp.route("/timer/<int:aktivitet_id>/endre", methods=["GET", "POST"])
@form_errors(_endreside)
def endre_timer(aktivitet_id: int) -> Any:
    """Change one activity: the form filled with what is stored."""
    if request.method == "GET":
        return _endreside(aktivitet_id=aktivitet_id)
    rad = service.hent(deps(), aktor(), aktivitet_id)
    ny = service.endre(
        deps(), aktor(), aktivitet_id, skjemarad(request.form, rad["deltaker"]["nr"])
    )
    flash("Endringen er lagret.")
    return redirect(url_for("sider.deltaker", deltaker_id=ny["deltaker"]["id"],
                            maned=ny["dato"][:7], _anchor="timer"))  # fmt: skip


@bp.post("/deltakere/<int:deltaker_id>/varslet")
def nav_varslet(deltaker_id: int) -> Any:
    """Mark the no-show's frist "Varsle NAV samme dag" done: NAV is notified."""
    nokkel = request.form.get("nokkel", "")[:60]
    frister_service.marker_varslet(deps(), aktor(), deltaker_id=deltaker_id, nokkel=nokkel)
    flash("Fristen er merket som gjort: NAV er varslet.")
    return redirect(url_for("sider.deltaker", deltaker_id=deltaker_id))


# --- the week view ----------------------------------------------------------------------


def _uke(feil: list[FieldError] | None = None) -> Any:
    tekst = request.values.get("uke", "")
    mandag = timeregler.les_uke(tekst) if tekst else _denne_uken()
    data = service.uke(deps(), aktor(), mandag)
    pakker = {r["regelsett"] for r in data["deltakere"]}
    regelsett = sorted(pakker)[0] if pakker else "jmo-oslo-2020"
    dager = [date.fromisoformat(d) for d in data["dager"]]
    return render_template(
        "register/timer_uke.html", u=data, dager=dager,
        aktiviteter=timeregler.aktivitetsvalg(regelsett), verdier=request.form,
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
        ukenr=mandag.isocalendar()[1],
    )  # fmt: skip


def _denne_uken() -> date:
    idag = deps().clock().date()
    return date.fromisocalendar(*idag.isocalendar()[:2], 1)


@bp.get("/timer/uke")
def timer_uke() -> Any:
    """Show the week: the user's deltakere as rows, the days as columns."""
    try:
        return _uke()
    except InputInvalidError as exc:
        return _uke_med_feil(exc)


def _uke_med_feil(exc: InputInvalidError) -> Any:
    flash(exc.errors[0].message)
    return redirect(url_for("sider.timer_uke"))


@bp.post("/timer/uke")
@form_errors(_uke)
def lagre_uke() -> Any:
    """Save the week's minutes, every cell or none; an error is shown on its cell."""
    aktor().krev("timer.skriv")
    mandag = timeregler.les_uke(request.form.get("uke", ""))
    data = service.uke(deps(), aktor(), mandag)
    aktivitet = request.form.get("aktivitet", "")
    antall = request.form.get("antall_deltakere", "").strip() or None
    rader, celler = [], []
    for d in data["deltakere"]:
        for dag in data["dager"]:
            verdi = request.form.get(f"m-{d['id']}-{dag}", "").strip()
            if verdi:
                rader.append({"dato": dag, "deltaker": {"nr": d["nr"]}, "aktivitet": aktivitet,
                              "minutter": verdi, "antall_deltakere": antall})  # fmt: skip
                celler.append(f"m-{d['id']}-{dag}")
    if not rader:
        raise InputInvalidError([FieldError("", "skriv minutter i minst én dag")])
    try:
        svar = service.registrer_liste(deps(), aktor(), rader, kilde="uke")
    except InputInvalidError as exc:
        raise InputInvalidError(_paa_celler(exc.errors, celler)) from None
    flash(f"{len(svar['aktiviteter'])} aktiviteter er registrert for uke {data['uke'][-2:]}.")
    return redirect(url_for("sider.timer_uke", uke=data["uke"]))


def _paa_celler(feil: list[FieldError], celler: list[str]) -> list[FieldError]:
    """Return row errors on the week's cells (``rad N`` is the N-th filled cell)."""
    ut = []
    for f in feil:
        rad, _, felt = f.path.partition(".")
        nr = rad.removeprefix("rad ")
        if nr.isdigit() and felt not in ("aktivitet", "antall_deltakere"):
            ut.append(FieldError(celler[int(nr) - 1], f.message))
        elif felt in ("aktivitet", "antall_deltakere"):
            ut.append(FieldError(felt, f.message))
        else:
            ut.append(f)
    return list({(f.path, f.message): f for f in ut}.values())


# --- the timeliste CSV ------------------------------------------------------------------


def _importside(feil: list[FieldError] | None = None) -> Any:
    return render_template(
        "register/timer_import.html", verdier=request.form,
        feilliste=feil or [],
    )  # fmt: skip


def _innhold() -> bytes | None:
    fil = request.files.get("fil")
    if fil is not None and fil.filename:
        return fil.read()
    tekst = request.form.get("tekst", "")
    return tekst.encode("utf-8") if tekst.strip() else None


@bp.get("/timer/import")
def timer_import() -> Any:
    """Show the timeliste upload: a CSV file, or its text pasted."""
    aktor().krev("timer.skriv")
    return _importside()


@bp.post("/timer/import")
@form_errors(_importside, *FILFEIL, path="tekst")
def forhandsvis_timer() -> Any:
    """Read the timeliste and show every row with its adjustment and every row's error."""
    innhold = _innhold()
    if innhold is None:
        raise InputInvalidError([FieldError("tekst", "velg timelisten (CSV) eller lim den inn")])
    resultat = service.importer_csv(deps(), aktor(), innhold, forhandsvis=True)
    return render_template(
        "register/timer_import_forhandsvisning.html", r=resultat,
        innhold=base64.b64encode(innhold).decode("ascii"),
    )  # fmt: skip


@bp.post("/timer/import/lagre")
@form_errors(_importside, *FILFEIL, path="tekst")
def lagre_timer_import() -> Any:
    """Store the previewed timeliste: every row, or none when a row has an error."""
    try:
        innhold = base64.b64decode(request.form.get("innhold", ""), validate=True)
    except binascii.Error:
        raise InputInvalidError([FieldError("tekst", "last opp timelisten på nytt")]) from None
    resultat = service.importer_csv(deps(), aktor(), innhold)
    flash(f"Timelisten er lagret: {len(resultat['aktiviteter'])} aktiviteter.")
    return redirect(url_for("sider.timer_uke"))
