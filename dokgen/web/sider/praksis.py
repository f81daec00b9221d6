"""Praksisplass pages: the free places by kind and arbeidsgiver (``/praksis``), the
placements by status with the next step, the arbeidsgivere and an arbeidsgiver's page (its
places, current and past placements), and the forms for a new or changed arbeidsgiver or
praksisplass and a new placement.

Every page needs ``praksis.les`` and every form ``praksis.skriv`` (403 otherwise); another
organisation's rows answer 404, as the services decide. A placement's own page (its status
changes) is ``/praksis/plasseringer/<id>``, linked to by its address. A search that cannot
be used reads nothing: the search with its errors, no list.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from dokgen.documents.schemas import model_schema
from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.kodeverk import PLASSERINGSSTATUSER, PRAKSISARTER, praksisart_ord
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksis import NESTE_STEG
from dokgen.oppfolging.praksismodeller import ArbeidsgiverInn, PlasseringInn, PraksisplassInn
from dokgen.services import deltakere
from dokgen.services import praksisplasser as service
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp, merk_skjema_brukt, skjema_brukt
from dokgen.web.sider.form_errors import form_errors

# The list's columns a person can sort by, with the key that sorts the rows.
SORTERBARE: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "arbeidsgiver": ("Arbeidsgiver", lambda p: (p["arbeidsgiver"].casefold(), p["id"])),
    "art": ("Type", lambda p: (p["art_tekst"], p["arbeidsgiver"].casefold())),
    "ledige": ("Ledige nå", lambda p: (p["ledige"] if p["aktiv"] else -1, p["id"])),
}
SOK_PLASSER = ("art", "arbeidsgiver", "ledig", "sorter", "retning")
# The deltakere a new placement may be for: those taking part or about to start.
AKTIVE_DELTAKERE = frozenset({"DELTAR", "VENTER_PA_OPPSTART"})
KORT_TEKST = 80  # characters of the arbeidsoppgaver a list shows


def _tall(verdi: str) -> int | None:
    return int(verdi) if verdi.isdigit() and len(verdi) < 10 else None


def _kort(tekst: str | None) -> str:
    tekst = " ".join((tekst or "").split())
    return tekst if len(tekst) <= KORT_TEKST else tekst[: KORT_TEKST - 1].rstrip() + "…"


def plassering_url(plassering_id: int) -> str:
    """Return the address of a placement's own page."""
    return f"{url_for('sider.praksis_plasseringer')}/{plassering_id}"


# --- /praksis: the free places ---------------------------------------------------------


def _plasssok() -> tuple[dict[str, str], list[FieldError]]:
    sok = {k: request.args.get(k, "").strip() for k in SOK_PLASSER}
    feil = []
    if sok["art"] and sok["art"] not in PRAKSISARTER:
        feil.append(FieldError("art", "ukjent type praksisplass: velg en av typene i listen"))
    if sok["arbeidsgiver"] and _tall(sok["arbeidsgiver"]) is None:
        feil.append(FieldError("arbeidsgiver", "velg en av arbeidsgiverne i listen"))
    if sok["sorter"] and sok["sorter"] not in SORTERBARE:
        valg = ", ".join(navn.lower() for navn, _ in SORTERBARE.values())
        feil.append(FieldError("sorter", f"ukjent sortering: sorter etter {valg}"))
    return sok, feil


def _per_art(plasser: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each kind's active places, capacity, places in use and free places."""
    rader = []
    for art, (ord_, _) in PRAKSISARTER.items():
        aktive = [p for p in plasser if p["art"] == art and p["aktiv"]]
        rader.append(
            {
                "art": art, "tekst": ord_, "plasser": len(aktive),
                "kapasitet": sum(p["kapasitet"] for p in aktive),
                "i_bruk": sum(p["i_bruk"] for p in aktive),
                "ledige": sum(p["ledige"] for p in aktive),
            }
        )  # fmt: skip
    return rader


def _plassside(feil: list[FieldError]) -> Any:
    sok, _ = _plasssok()
    sorter = sok["sorter"] if sok["sorter"] in SORTERBARE else "arbeidsgiver"
    synkende = sok["retning"] == "synkende"
    alle: list[dict[str, Any]] = [] if feil else service.plasser(deps(), aktor())
    valgt = _tall(sok["arbeidsgiver"])
    rader = [
        p for p in alle
        if (not sok["art"] or p["art"] == sok["art"])
        and (valgt is None or p["arbeidsgiver_id"] == valgt)
        and (not sok["ledig"] or p["ledig_na"])
    ]  # fmt: skip
    rader.sort(key=SORTERBARE[sorter][1], reverse=synkende)
    arbeidsgivere = sorted({(p["arbeidsgiver_id"], p["arbeidsgiver"]) for p in alle}, key=_navn)
    return render_template(
        "praksis/praksisplasser.html", rader=rader, per_art=_per_art(alle) if alle else [],
        sok=sok, feil={f.path: f.message for f in feil}, feilliste=feil, sorter=sorter,
        synkende=synkende, sorterbare=SORTERBARE, arter=PRAKSISARTER,
        arbeidsgivere=arbeidsgivere, filtre={k: sok[k] for k in SOK_PLASSER[:3] if sok[k]},
        kort=_kort,
    )  # fmt: skip


def _navn(par: tuple[Any, str]) -> str:
    return par[1].casefold()


@bp.get("/praksis")
@form_errors(_plassside)
def praksis() -> Any:
    """List the praksisplasser: the free places by kind, then each place with its free
    places now, filtered by kind, arbeidsgiver and "only free" and sorted by column."""
    aktor().krev("praksis.les")
    _, feil = _plasssok()
    if feil:
        raise InputInvalidError(feil)
    return _plassside([])


# --- /praksis/plasseringer: the placements by status -----------------------------------


def _plasseringsside(feil: list[FieldError] | None = None) -> Any:
    sok = {k: request.args.get(k, "").strip() for k in ("status", "veileder")}
    rader: list[dict[str, Any]] = []
    if not feil:
        veileder = aktor().bruker_id if sok["veileder"] == "mine" else None
        rader = service.plasseringsoversikt(deps(), aktor(), veileder=veileder)
    grupper = [
        {
            "status": status, "tekst": ord_, "hjelp": hjelp,
            "neste_steg": NESTE_STEG[status],
            "rader": [r for r in rader if r["status"] == status],
        }
        for status, (ord_, hjelp) in PLASSERINGSSTATUSER.items()
    ]  # fmt: skip
    return render_template(
        "praksis/statusoversikt.html", grupper=grupper, sok=sok, feilliste=feil or [],
        feil={f.path: f.message for f in feil or []}, statuser=PLASSERINGSSTATUSER,
        vist=[g for g in grupper if not sok["status"] or g["status"] == sok["status"]],
        lest=not feil, plassering_url=plassering_url,
    )  # fmt: skip


@bp.get("/praksis/plasseringer")
@form_errors(_plasseringsside)
def praksis_plasseringer() -> Any:
    """List the placements by status in the routine's order, each status with its count
    and the next step; filtered by status and to the deltakere the user follows."""
    aktor().krev("praksis.les")
    status, veileder = request.args.get("status", ""), request.args.get("veileder", "")
    feil = []
    if status and status not in PLASSERINGSSTATUSER:
        feil.append(FieldError("status", "ukjent status: velg en av statusene i listen"))
    if veileder not in ("", "mine"):
        feil.append(FieldError("veileder", "velg «Alle veiledere» eller «Mine deltakere»"))
    if feil:
        raise InputInvalidError(feil)
    return _plasseringsside()


# --- arbeidsgivere -----------------------------------------------------------------------


def _arbeidsgiverliste(feil: list[FieldError] | None = None) -> Any:
    sok = request.args.get("sok", "").strip()
    rader: list[dict[str, Any]] = []
    plasser: dict[int, list[dict[str, Any]]] = {}
    if not feil:
        rader = service.arbeidsgivere(deps(), aktor(), sok or None)
        for p in service.plasser(deps(), aktor()):
            plasser.setdefault(p["arbeidsgiver_id"], []).append(p)
    return render_template(
        "praksis/arbeidsgivere.html", rader=rader, plasser=plasser, sok=sok,
        feilliste=feil or [], lest=not feil,
    )  # fmt: skip


@bp.get("/praksis/arbeidsgivere")
@form_errors(_arbeidsgiverliste)
def praksis_arbeidsgivere() -> Any:
    """List the arbeidsgivere by name, searched by part of the name or the orgnr."""
    aktor().krev("praksis.les")
    return _arbeidsgiverliste()


@bp.get("/praksis/arbeidsgivere/<int:arbeidsgiver_id>")
def praksis_arbeidsgiver(arbeidsgiver_id: int) -> Any:
    """Show an arbeidsgiver: its data, its places with their free places, and its current
    and past placements."""
    ag = service.hent_arbeidsgiver(deps(), aktor(), arbeidsgiver_id)
    rader = service.plasseringsoversikt(deps(), aktor(), arbeidsgiver_id=arbeidsgiver_id)
    return render_template(
        "praksis/arbeidsgiver.html", ag=ag, plassering_url=plassering_url, kort=_kort,
        navaerende=[r for r in rader if r["status"] != "avsluttet"],
        tidligere=[r for r in rader if r["status"] == "avsluttet"],
    )  # fmt: skip


# --- the forms -------------------------------------------------------------------------


def _postet(schema: dict[str, Any]) -> dict[str, Any]:
    data = skjema.from_form("", request.form, schema=schema)
    if fjern := request.form.get("_remove_row"):
        skjema.remove_row(data, fjern)
    return data


def _radendring() -> bool:
    return bool(request.form.get("_add_row") or request.form.get("_remove_row"))


def _skjemaside(
    schema: dict[str, Any], verdier: Any, feil: list[FieldError], *, tittel: str, action: str,
    avbryt: str, knapp: str, valg: dict[str, list[tuple[str, str]]] | None = None,
) -> Any:  # fmt: skip
    rader = skjema.rows_wanted(
        request.form, request.form.get("_add_row"), request.form.get("_remove_row")
    )
    root, summary = skjema.build("", verdier, feil, rader, schema=schema, choices=valg)
    return render_template(
        "praksis/skjema.html", root=root, summary=summary, tittel=tittel, action=action,
        avbryt=avbryt, knapp=knapp, arter=PRAKSISARTER,
        skjema_id=request.form.get("skjema", "")[:64],
    )  # fmt: skip


def _allerede_sendt(hvor: str) -> Any:
    flash("Skjemaet var allerede sendt, og det er lagret én gang.")
    return redirect(hvor, 303)


# An arbeidsgiver


def _arbeidsgiverskjema(
    verdier: Any, feil: list[FieldError], arbeidsgiver_id: int | None = None
) -> Any:
    if arbeidsgiver_id is None:
        tekst = ("Ny arbeidsgiver", url_for("sider.praksis_ny_arbeidsgiver"))
        avbryt = url_for("sider.praksis_arbeidsgivere")
    else:
        tekst = ("Endre arbeidsgiver", request.path)
        avbryt = url_for("sider.praksis_arbeidsgiver", arbeidsgiver_id=arbeidsgiver_id)
    return _skjemaside(
        model_schema(ArbeidsgiverInn), verdier, feil, tittel=tekst[0], action=tekst[1],
        avbryt=avbryt, knapp="Lagre arbeidsgiveren",
    )  # fmt: skip


def _arbeidsgiver_som_postet(feil: list[FieldError], arbeidsgiver_id: int | None = None) -> Any:
    return _arbeidsgiverskjema(_postet(model_schema(ArbeidsgiverInn)), feil, arbeidsgiver_id)


@bp.route("/praksis/arbeidsgivere/ny", methods=["GET", "POST"])
@form_errors(_arbeidsgiver_som_postet)
def praksis_ny_arbeidsgiver() -> Any:
    """Register an arbeidsgiver; an invalid post shows the form again with every error."""
    aktor().krev("praksis.skriv")
    if request.method == "GET":
        return _arbeidsgiverskjema({}, [])
    if _radendring():
        return _arbeidsgiverskjema(_postet(model_schema(ArbeidsgiverInn)), [])
    if skjema_brukt():
        return _allerede_sendt(url_for("sider.praksis_arbeidsgivere"))
    rad = service.opprett_arbeidsgiver(
        deps(), aktor(), les(ArbeidsgiverInn, _postet(model_schema(ArbeidsgiverInn)))
    )
    merk_skjema_brukt()
    flash(f"Arbeidsgiveren «{rad['navn']}» er registrert.")
    return redirect(url_for("sider.praksis_arbeidsgiver", arbeidsgiver_id=rad["id"]), 303)


@bp.route("/praksis/arbeidsgivere/<int:arbeidsgiver_id>/endre", methods=["GET", "POST"])
@form_errors(_arbeidsgiver_som_postet)
def praksis_endre_arbeidsgiver(arbeidsgiver_id: int) -> Any:
    """Change an arbeidsgiver: the form, filled with what is stored."""
    aktor().krev("praksis.skriv")
    if request.method == "GET":
        lagret = service.hent_arbeidsgiver(deps(), aktor(), arbeidsgiver_id)
        return _arbeidsgiverskjema(lagret, [], arbeidsgiver_id)
    data = _postet(model_schema(ArbeidsgiverInn))
    if _radendring():
        return _arbeidsgiverskjema(data, [], arbeidsgiver_id)
    rad = service.endre_arbeidsgiver(deps(), aktor(), arbeidsgiver_id, les(ArbeidsgiverInn, data))
    flash(f"Arbeidsgiveren «{rad['navn']}» er endret.")
    return redirect(url_for("sider.praksis_arbeidsgiver", arbeidsgiver_id=arbeidsgiver_id), 303)


# A praksisplass


def _arbeidsgiverside(arbeidsgiver_id: int) -> str:
    return url_for("sider.praksis_arbeidsgiver", arbeidsgiver_id=arbeidsgiver_id)


def _plassvalg() -> dict[str, list[tuple[str, str]]]:
    arbeidsgivere = [(str(a["id"]), a["navn"]) for a in service.arbeidsgivere(deps(), aktor())]
    arter = [(kode, ord_) for kode, (ord_, _) in PRAKSISARTER.items()]
    return {"arbeidsgiver_id": arbeidsgivere, "art": arter}


def _plasskjema(verdier: Any, feil: list[FieldError], plass_id: int | None = None) -> Any:
    if plass_id is None:
        tittel, action = "Ny praksisplass", url_for("sider.praksis_ny_plass")
    else:
        tittel, action = "Endre praksisplass", request.path
    ag = _tall(str(verdier.get("arbeidsgiver_id") or ""))
    avbryt = (
        url_for("sider.praksis_arbeidsgiver", arbeidsgiver_id=ag)
        if ag
        else url_for("sider.praksis")
    )
    return _skjemaside(
        model_schema(PraksisplassInn), verdier, feil, tittel=tittel, action=action,
        avbryt=avbryt, knapp="Lagre praksisplassen", valg=_plassvalg(),
    )  # fmt: skip


def _plass_som_postet(feil: list[FieldError], plass_id: int | None = None) -> Any:
    return _plasskjema(_postet(model_schema(PraksisplassInn)), feil, plass_id)


@bp.route("/praksis/plasser/ny", methods=["GET", "POST"])
@form_errors(_plass_som_postet)
def praksis_ny_plass() -> Any:
    """Register a praksisplass (``?arbeidsgiver=`` chooses its arbeidsgiver)."""
    aktor().krev("praksis.skriv")
    if request.method == "GET":
        ag = _tall(request.args.get("arbeidsgiver", ""))
        return _plasskjema({"arbeidsgiver_id": ag, "kapasitet": 1, "aktiv": True}, [])
    if skjema_brukt():
        return _allerede_sendt(url_for("sider.praksis"))
    rad = service.opprett_plass(
        deps(), aktor(), les(PraksisplassInn, _postet(model_schema(PraksisplassInn)))
    )
    merk_skjema_brukt()
    flash(f"Praksisplassen ({rad['art_tekst'].lower()}) hos {rad['arbeidsgiver']} er registrert.")
    return redirect(_arbeidsgiverside(rad["arbeidsgiver_id"]), 303)


@bp.route("/praksis/plasser/<int:plass_id>/endre", methods=["GET", "POST"])
@form_errors(_plass_som_postet)
def praksis_endre_plass(plass_id: int) -> Any:
    """Change a praksisplass: the form, filled with what is stored."""
    aktor().krev("praksis.skriv")
    if request.method == "GET":
        return _plasskjema(service.hent_plass(deps(), aktor(), plass_id), [], plass_id)
    inn = les(PraksisplassInn, _postet(model_schema(PraksisplassInn)))
    rad = service.endre_plass(deps(), aktor(), plass_id, inn)
    flash(f"Praksisplassen ({rad['art_tekst'].lower()}) hos {rad['arbeidsgiver']} er endret.")
    return redirect(_arbeidsgiverside(rad["arbeidsgiver_id"]), 303)


# A placement


def _plasseringsskjema_schema() -> dict[str, Any]:
    """Return the placement's schema without its day of registration (today)."""
    schema = copy.deepcopy(model_schema(PlasseringInn))
    schema["properties"].pop("dato", None)
    return schema


def _plasseringsvalg() -> dict[str, list[tuple[str, str]]]:
    """Return the active deltakere and the active places, each place with its free places."""
    personer = [
        (str(d["id"]), f"{d['etternavn']}, {d['fornavn']} ({d['nr']})")
        for d in deltakere.liste(deps(), aktor())
        if d["status"]["type"] in AKTIVE_DELTAKERE
    ]
    plasser = [
        (str(p["id"]), _plasstekst(p)) for p in service.plasser(deps(), aktor()) if p["aktiv"]
    ]
    return {"deltaker_id": personer, "praksisplass_id": plasser}


def _plasstekst(p: dict[str, Any]) -> str:
    hvor = f"{p['arbeidsgiver']}, {p['avdeling']}" if p["avdeling"] else p["arbeidsgiver"]
    ledige = f"{p['ledige']} ledig" if p["ledige"] == 1 else f"{p['ledige']} ledige"
    return f"{hvor} – {praksisart_ord(p['art'])} ({ledige} nå)"


def _plasseringsskjema(verdier: Any, feil: list[FieldError]) -> Any:
    return _skjemaside(
        _plasseringsskjema_schema(), verdier, feil, tittel="Ny plassering",
        action=url_for("sider.praksis_ny_plassering"),
        avbryt=url_for("sider.praksis_plasseringer"), knapp="Lagre plasseringen",
        valg=_plasseringsvalg(),
    )  # fmt: skip


def _plassering_som_postet(feil: list[FieldError]) -> Any:
    return _plasseringsskjema(_postet(_plasseringsskjema_schema()), feil)


@bp.route("/praksis/plasseringer/ny", methods=["GET", "POST"])
@form_errors(_plassering_som_postet)
def praksis_ny_plassering() -> Any:
    """Place a deltaker in a praksisplass (``?plass=`` chooses the place); it starts as
    «Ny», and the answer is the placement's own page."""
    aktor().krev("praksis.skriv")
    if request.method == "GET":
        return _plasseringsskjema({"praksisplass_id": _tall(request.args.get("plass", ""))}, [])
    if skjema_brukt():
        return _allerede_sendt(url_for("sider.praksis_plasseringer"))
    inn = les(PlasseringInn, _postet(_plasseringsskjema_schema()))
    rad = service.opprett_plassering(deps(), aktor(), inn)
    merk_skjema_brukt()
    flash(f"{rad['deltaker']['navn']} er plassert med status «{rad['status_tekst']}».")
    return redirect(plassering_url(rad["id"]), 303)
