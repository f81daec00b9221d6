"""A placement's page (``/praksis/plasseringer/<id>``): the deltaker, the place and its
arbeidsgiver, the status in words with the next step and the history, and the forms to move
the status on, record the oppstartsmøte and register (or delete) the absences the
arbeidsgiver reports; the documents started from the placement and the links to start one.

Each form shows its own errors beside its fields (through ``form_errors``); dates are typed
dd.mm.åååå as on the register's other pages; codes are always shown in words.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.documents.models import TITLER
from dokgen.errors import FieldError, InputInvalidError, RecordNotFoundError, StateConflictError
from dokgen.oppfolging.kodeverk import (
    FRAVAERSARSAKER,
    MELDT_VIA,
    PLASSERINGSSTATUSER,
    plasseringsstatus_ord,
)
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import FravaerInn, OppstartsmoteInn, StatusendringInn
from dokgen.services import dokumenter, praksisplasser
from dokgen.services import praksisoppfolging as service
from dokgen.services.dokumenter import STATUSTEKST
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.datofelt import les_datoer
from dokgen.web.sider.form_errors import form_errors

# The documents a placement starts, in the order the routine names them, with the words of
# their links.
DOKUMENTTYPER = {
    "tilretteleggingsgaranti": "Lag tilretteleggingsgaranti",
    "oppfolgingsplan": "Lag oppfølgingsplan",
    "arbeidspraksisavtale": "Lag arbeidspraksisavtale",
}
STATUSDATOER = ("dato", "statusmote_dato", "startdato", "planlagt_sluttdato", "sluttdato")
FRAVAERSDATOER = ("fra_dato", "til_dato", "meldt_dato")
# The oppstartsmøte's rows of who met, one per role (an empty name is left out).
MOTEROLLER = ("veileder", "leder", "deltaker", "annen")


def _dokumentlenker(plassering_id: int) -> list[tuple[str, str]]:
    """Return each document's link text and the form that starts it from the placement."""
    return [
        (tekst, url_for("sider.ny_skjema", type_navn=t, plassering=plassering_id))
        for t, tekst in DOKUMENTTYPER.items()
    ]


def _moteverdier(data: dict[str, Any]) -> dict[str, str]:
    """Return the oppstartsmøte form's values: the posted ones, else the recorded meeting,
    else the names the register knows (the user as veileder, the deltaker, the first contact
    person of the arbeidsgiver as leder)."""
    mote = data["oppstartsmote"]
    if mote is not None:
        verdier = {k: mote[k] or "" for k in ("dato", "malsetting", "yrkesmal")}
        verdier["tilretteleggingsbehov"] = mote["tilretteleggingsbehov"] or ""
        for d in mote["deltakere"]:
            verdier.setdefault(f"navn_{d['rolle']}", d["navn"])
        return verdier
    kontakter = data["arbeidsgiver"]["kontaktpersoner"] or [{}]
    return {
        "navn_veileder": aktor().navn,
        "navn_deltaker": data["plassering"]["deltaker"]["navn"],
        "navn_leder": kontakter[0].get("navn", ""),
    }


def _side(plassering_id: int, *, skjema: str = "", feil: list[FieldError] | None = None) -> Any:
    """Return the placement's page; the form ``skjema`` is shown as posted with ``feil``."""
    data = service.side(deps(), aktor(), plassering_id)
    data["dokumenter"] = dokumenter.dokumenter_for_plassering(deps(), aktor(), plassering_id)
    p = data["plassering"]
    feilmap = {f.path.split(".")[0]: f.message for f in feil or []}
    return render_template(
        "praksis/plassering.html", p=p, data=data, skjema=skjema, feil=feilmap,
        feilliste=feil or [], postet=request.form if feil else {},
        mote=_moteverdier(data), neste=[(s, plasseringsstatus_ord(s)) for s in p["neste_statuser"]],
        statushjelp={k: v[1] for k, v in PLASSERINGSSTATUSER.items()},
        arsaker=[(k, v[0], v[1]) for k, v in FRAVAERSARSAKER.items()], meldt_via=MELDT_VIA,
        dokumentlenker=_dokumentlenker(plassering_id), titler=TITLER, statustekst=STATUSTEKST,
        arbeidsgiver_url=url_for(
            "sider.praksis_arbeidsgiver", arbeidsgiver_id=data["arbeidsgiver"]["id"]
        ),
    )  # fmt: skip


@bp.get("/praksis/plasseringer/<int:plassering_id>")
def plassering(plassering_id: int) -> Any:
    """Show a placement with its history, oppstartsmøte, absences and documents."""
    return _side(plassering_id)


def _skjemaverdier(felter: tuple[str, ...], datoer: tuple[str, ...]) -> dict[str, Any]:
    """Return the posted fields (empty ones left out), the dates as ISO.

    Raises:
        InputInvalidError: a date is not a date (each on its field).
    """
    iso, feil = les_datoer(request.form, datoer)
    if feil:
        raise InputInvalidError(feil)
    data: dict[str, str | None] = {f: request.form.get(f, "").strip() for f in felter}
    data |= iso
    return {k: v for k, v in data.items() if v}


def _statusside(feil: list[FieldError], plassering_id: int) -> Any:
    return _side(plassering_id, skjema="status", feil=feil)


@bp.post("/praksis/plasseringer/<int:plassering_id>/status")
@form_errors(_statusside, InputInvalidError, StateConflictError, path="status")
def endre_plasseringsstatus(plassering_id: int) -> Any:
    """Move the placement to the status chosen, with the dates that status needs."""
    data = _skjemaverdier(("status", "sluttarsak", *STATUSDATOER), STATUSDATOER)
    ny = praksisplasser.endre_status(deps(), aktor(), plassering_id, les(StatusendringInn, data))
    flash(f"Statusen er endret til «{ny['status_tekst']}».")
    return redirect(url_for("sider.plassering", plassering_id=plassering_id, _anchor="status"))


def _moteside(feil: list[FieldError], plassering_id: int) -> Any:
    return _side(plassering_id, skjema="mote", feil=feil)


@bp.post("/praksis/plasseringer/<int:plassering_id>/oppstartsmote")
@form_errors(_moteside)
def registrer_oppstartsmote(plassering_id: int) -> Any:
    """Record the oppstartsmøte, or correct the one recorded."""
    data = _skjemaverdier(("malsetting", "yrkesmal", "tilretteleggingsbehov", "dato"), ("dato",))
    data["deltakere"] = [
        {"rolle": rolle, "navn": navn}
        for rolle in MOTEROLLER
        if (navn := request.form.get(f"navn_{rolle}", "").strip())
    ]
    mote = service.registrer_oppstartsmote(
        deps(), aktor(), plassering_id, les(OppstartsmoteInn, data)
    )
    flash(f"Oppstartsmøtet {_dag(mote['dato'])} er lagret.")
    return redirect(
        url_for("sider.plassering", plassering_id=plassering_id, _anchor="oppstartsmote")
    )


def _dag(iso: str) -> str:
    return f"{iso[8:10]}.{iso[5:7]}.{iso[:4]}"


def _fravaersside(feil: list[FieldError], plassering_id: int) -> Any:
    return _side(plassering_id, skjema="fravaer", feil=feil)


@bp.post("/praksis/plasseringer/<int:plassering_id>/fravaer")
@form_errors(_fravaersside)
def registrer_plasseringsfravaer(plassering_id: int) -> Any:
    """Register an absence the arbeidsgiver reported."""
    felter = ("arsak", "meldt_av", "meldt_via", "minutter", *FRAVAERSDATOER)
    data = _skjemaverdier(felter, FRAVAERSDATOER)
    f = service.registrer_fravaer(deps(), aktor(), plassering_id, les(FravaerInn, data))
    melding = f"Fraværet fra {_dag(f['fra_dato'])} er registrert."
    if not f["gyldig"]:
        melding += " Det er uten gyldig grunn: varsle NAV samme dag."
    flash(melding)
    return redirect(url_for("sider.plassering", plassering_id=plassering_id, _anchor="fravaer"))


def _fravaeret(plassering_id: int, fravaer_id: int) -> dict[str, Any]:
    for f in service.fravaer_for_plassering(deps(), aktor(), plassering_id):
        if f["id"] == fravaer_id:
            return f
    raise RecordNotFoundError("fant ikke fraværet")


@bp.get("/praksis/plasseringer/<int:plassering_id>/fravaer/<int:fravaer_id>/slett")
def bekreft_slett_fravaer(plassering_id: int, fravaer_id: int) -> Any:
    """Ask before an absence is deleted."""
    aktor().krev("praksis.skriv")
    f = _fravaeret(plassering_id, fravaer_id)
    return render_template("praksis/plassering_slett_fravaer.html", f=f, pid=plassering_id)


@bp.post("/praksis/plasseringer/<int:plassering_id>/fravaer/<int:fravaer_id>/slett")
def slett_plasseringsfravaer(plassering_id: int, fravaer_id: int) -> Any:
    """Delete an absence registered by mistake."""
    service.slett_fravaer(deps(), aktor(), plassering_id, fravaer_id)
    flash("Fraværet er slettet.")
    return redirect(url_for("sider.plassering", plassering_id=plassering_id, _anchor="fravaer"))
