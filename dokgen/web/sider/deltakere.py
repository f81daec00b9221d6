"""Deltaker pages: the list (filtered, searched, sorted), a new deltaker, the deltaker's
page (details, status history, documents, frister), a new status and changing one.

Lists never show a fødselsnummer, only the birth date; a protected deltaker the user does
not follow answers 404, as the services decide.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from dokgen.documents.models import TITLER
from dokgen.documents.schemas import model_schema
from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging import timeregler
from dokgen.oppfolging.kodeverk import ARSAKER, STATUSER
from dokgen.oppfolging.modeller import DeltakerInn, Status, les
from dokgen.services import deltakere as service
from dokgen.services import dokumenter as dokumenter_service
from dokgen.services import frister as frister_service
from dokgen.services import gjennomforinger
from dokgen.services import timer as timer_service
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.datofelt import les_datoer
from dokgen.web.sider.form_errors import form_errors

# The list's columns a person can sort by, with the service's sort key.
SORTERBARE = {"navn": "Navn", "nr": "Nr.", "oppstartdato": "Oppstart", "sluttdato": "Slutt",
              "status": "Status"}  # fmt: skip
APNE_FRISTER = ("forfalt", "snart", "kommende")
VEILEDERTYPER = [("veileder", "Veileder"), ("medveileder", "Medveileder")]


def _tall(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def veiledervalg() -> list[tuple[int, str]]:
    """Return the users who follow any deltaker the caller sees, as (user id, name)."""
    navn = {
        v["bruker_id"]: v["navn"]
        for d in service.liste(deps(), aktor())
        for v in d["veiledere_arrangor"]
    }
    return sorted(navn.items(), key=lambda p: p[1].lower())


def gjennomforingsvalg() -> list[tuple[str, str]]:
    """Return the organisation's gjennomføringer as (id, name) for a select."""
    return [(str(g["id"]), g["navn"]) for g in gjennomforinger.liste(deps(), aktor())]


def neste_frister(frister: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Return each deltaker's next open frist (the list is sorted by date)."""
    neste: dict[int, dict[str, Any]] = {}
    for f in frister:
        if f["deltaker_id"] is not None and f["status"] in APNE_FRISTER:
            neste.setdefault(f["deltaker_id"], f)
    return neste


PER_SIDE = 50  # deltakere on one page of the list


@bp.get("/deltakere")
def deltakere() -> Any:
    """List the deltakere the user may see: filters, a search and sortable columns."""
    args = request.args
    sok = {k: args.get(k, "").strip() for k in ("status", "veileder", "gjennomforing", "sok")}
    sorter = args.get("sorter", "navn")
    synkende = args.get("retning") == "synkende"
    side = max(_tall(args.get("side")) or 1, 1)
    utvalg = service.Utvalg(
        status=sok["status"] or None, veileder=_tall(sok["veileder"]),
        gjennomforing_id=_tall(sok["gjennomforing"]), sok=sok["sok"] or None,
        sorter=sorter, synkende=synkende, start=(side - 1) * PER_SIDE, grense=PER_SIDE + 1,
    )  # fmt: skip
    rader = service.liste(deps(), aktor(), utvalg)
    flere, rader = len(rader) > PER_SIDE, rader[:PER_SIDE]
    # The frister of the rows shown only, not the whole organisation's.
    utvalg_frister = frister_service.Fristutvalg(deltaker_ids=tuple(r["id"] for r in rader))
    frister = frister_service.liste(deps(), aktor(), utvalg_frister)
    return render_template(
        "register/deltakere.html", rader=rader, sok=sok, sorter=sorter,
        filtre={k: v for k, v in sok.items() if v}, synkende=synkende,
        sorterbare=SORTERBARE, statuser=STATUSER, veiledere=veiledervalg(),
        gjennomforinger=gjennomforingsvalg(), neste=neste_frister(frister),
        side=side, flere=flere, forste=(side - 1) * PER_SIDE + 1,
    )  # fmt: skip


@bp.get("/deltakere.csv")
def deltakere_csv() -> Response:
    """Download every deltaker as CSV with the fødselsnummer (admins only; audited)."""
    response = Response(service.eksport_csv(deps(), aktor()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="deltakere.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _valg() -> dict[str, list[tuple[str, str]]]:
    return {
        "gjennomforing_id": gjennomforingsvalg(),
        "status.type": list(STATUSER.items()),
        "status.aarsak": list(ARSAKER.items()),
        "veiledere_arrangor.*.type": VEILEDERTYPER,
    }


def _skjema(verdier: Any, feil: list[FieldError], deltaker_id: int | None = None) -> Any:
    root, summary = skjema.build(
        "", verdier, feil, skjema.rows_wanted(request.form, request.form.get("_add_row")),
        schema=model_schema(DeltakerInn), choices=_valg(),
    )  # fmt: skip
    if deltaker_id is None:
        tittel, action, avbryt = (
            "Ny deltaker",
            url_for("sider.ny_deltaker"),
            url_for("sider.deltakere"),
        )
    else:
        tittel = "Endre deltaker"
        action = url_for("sider.endre_deltaker", deltaker_id=deltaker_id)
        avbryt = url_for("sider.deltaker", deltaker_id=deltaker_id)
    return render_template(
        "register/skjema.html", root=root, summary=summary, tittel=tittel, action=action,
        avbryt=avbryt, knapp="Lagre deltakeren",
    )  # fmt: skip


def _postet() -> dict[str, Any]:
    return skjema.from_form("", request.form, schema=model_schema(DeltakerInn))


def _som_postet(feil: list[FieldError], deltaker_id: int | None = None) -> Any:
    return _skjema(_postet(), feil, deltaker_id)


def _les_deltaker() -> DeltakerInn | None:
    """Return the posted deltaker, or None when the post only asked for another row."""
    if request.form.get("_add_row"):
        return None
    return les(DeltakerInn, _postet(), tillat_syntetiske=deps().settings.tillat_syntetiske)


@bp.route("/deltakere/ny", methods=["GET", "POST"])
@form_errors(_som_postet)
def ny_deltaker() -> Any:
    """Register a deltaker; an invalid post shows the form again with every error."""
    aktor().krev("deltaker.skriv")
    if request.method == "GET":
        return _skjema({"status": {"type": "DELTAR"}}, [])
    inn = _les_deltaker()
    if inn is None:
        return _skjema(_postet(), [])
    rad = service.opprett(deps(), aktor(), inn, kilde="skjema")
    flash(f"{rad['navn']} er registrert som deltaker {rad['nr']}.")
    return redirect(url_for("sider.deltaker", deltaker_id=rad["id"]))


@bp.route("/deltakere/<int:deltaker_id>/endre", methods=["GET", "POST"])
@form_errors(_som_postet)
def endre_deltaker(deltaker_id: int) -> Any:
    """Change a deltaker: the form, filled with what is stored."""
    aktor().krev("deltaker.skriv")
    if request.method == "GET":
        data = service.hent(deps(), aktor(), deltaker_id)
        return _skjema(_som_inndata(data), [], deltaker_id)
    inn = _les_deltaker()
    if inn is None:
        return _skjema(_postet(), [], deltaker_id)
    service.endre(deps(), aktor(), deltaker_id, inn, kilde="skjema")
    flash("Endringene er lagret.")
    return redirect(url_for("sider.deltaker", deltaker_id=deltaker_id))


def _som_inndata(data: dict[str, Any]) -> dict[str, Any]:
    """Return a stored deltaker as the form's input (the veiledere by user name)."""
    veiledere = [
        {"brukernavn": v["brukernavn"], "type": v["type"]} for v in data["veiledere_arrangor"]
    ]
    return {**data, "veiledere_arrangor": veiledere}


def _timer(d: dict[str, Any], regelsett: str) -> dict[str, Any]:
    """Return the Timer section's data: the chosen month's activities and the form's choices."""
    maned = request.args.get("maned", "")
    if (
        len(maned) != 7
        or not maned[:4].isdigit()
        or maned[4] != "-"
        or maned[5:] not in {f"{m:02d}" for m in range(1, 13)}
    ):
        maned = f"{deps().clock().date():%Y-%m}"
    rader = timer_service.liste(deps(), aktor(), deltaker_id=d["id"], maned=maned)
    forrige, neste = timeregler.naboer(maned)
    return {
        "rader": rader, "maned": maned, "maned_tekst": timeregler.maned_tekst(maned),
        "forrige": forrige, "neste": neste,
        "sum": sum((Decimal(r["timer"] or 0) for r in rader), Decimal("0")),
        "minutter": sum(r["minutter"] for r in rader),
        "aktiviteter": timeregler.aktivitetsvalg(regelsett),
        "vis_nar": timeregler.felt_vises_for(regelsett),
    }  # fmt: skip


def _side(
    deltaker_id: int,
    feil: list[FieldError] | None = None,
    koblingsfeil: list[FieldError] | None = None,
    timerfeil: list[FieldError] | None = None,
) -> Any:
    d = service.hent(deps(), aktor(), deltaker_id)
    gjennomforing = gjennomforinger.hent(deps(), aktor(), d["gjennomforing_id"])
    utvalg = frister_service.Fristutvalg(deltaker_id=deltaker_id)
    frister = frister_service.liste(deps(), aktor(), utvalg)
    dokumenter = dokumenter_service.finn(deps(), aktor(), deltaker_id=deltaker_id)
    verdier = request.form if feil else MultiDict({"type": d["status"]["type"]})
    return render_template(
        "register/deltaker.html", d=d, frister=frister, dokumenter=dokumenter,
        gjennomforing=gjennomforing, timer=_timer(d, gjennomforing["regelsett"]),
        timerfeil={f.path: f.message for f in timerfeil or []}, timerfeilliste=timerfeil or [],
        timerverdier=request.form if timerfeil else {},
        statuser=STATUSER, arsaker=ARSAKER, titler=TITLER, apne=APNE_FRISTER,
        statustekst=dokumenter_service.STATUSTEKST, verdier=verdier,
        feil={f.path.rsplit(".", 1)[-1]: f.message for f in feil or []}, feilliste=feil or [],
        koblingsfeil={f.path: f.message for f in koblingsfeil or []},
        koblingsfeilliste=koblingsfeil or [], koblet=request.form if koblingsfeil else {},
    )  # fmt: skip


@bp.get("/deltakere/<int:deltaker_id>")
def deltaker(deltaker_id: int) -> Any:
    """Show a deltaker: details, status history, documents and frister."""
    return _side(deltaker_id)


def _koblingsside(feil: list[FieldError], deltaker_id: int) -> Any:
    return _side(deltaker_id, koblingsfeil=feil)


@bp.post("/deltakere/<int:deltaker_id>/kobling")
@form_errors(_koblingsside)
def koble(deltaker_id: int) -> Any:
    """Link one of the deltaker's documents to an open frist by hand: it meets the frist
    once finalised, whatever its period."""
    nokkel = request.form.get("nokkel", "").strip()
    dokument_id = request.form.get("dokument_id", "").strip()
    feil = [] if nokkel else [FieldError("nokkel", "velg fristen dokumentet gjelder")]
    if not dokument_id:
        feil.append(FieldError("dokument_id", "velg dokumentet som skal kobles"))
    if feil:
        raise InputInvalidError(feil)
    frister_service.koble(
        deps(), aktor(), nokkel=nokkel, dokument_id=dokument_id, deltaker_id=deltaker_id,
        gjennomforing_id=None,
    )  # fmt: skip
    flash("Dokumentet er koblet til fristen. Fristen regnes som levert når dokumentet er godkjent.")
    return redirect(url_for("sider.deltaker", deltaker_id=deltaker_id))


def _status_side(feil: list[FieldError], deltaker_id: int) -> Any:
    return _side(deltaker_id, feil)


@bp.post("/deltakere/<int:deltaker_id>/status")
@form_errors(_status_side)
def ny_status(deltaker_id: int) -> Any:
    """Give the deltaker a new status (a line in the history); "Gjelder fra" is typed as
    dd.mm.åååå (or ISO), and every error of the form is shown at once."""
    form = request.form
    data = {k: form.get(k, "").strip() or None for k in ("type", "aarsak", "beskrivelse")}
    datoer, datofeil = les_datoer(form, ("gyldig_fra",))
    try:
        status = les(Status, {**data, **datoer})
    except InputInvalidError as exc:
        raise InputInvalidError([*datofeil, *exc.errors]) from None
    if datofeil:
        raise InputInvalidError(datofeil)
    service.endre_status(deps(), aktor(), deltaker_id, status, kilde="skjema")
    flash(f"Ny status: {STATUSER[status.type]}.")
    return redirect(url_for("sider.deltaker", deltaker_id=deltaker_id))
