"""Document pages: list and search, new (form or file), document, approve, new version."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, redirect, render_template, request, url_for

from dokgen.documents.models import (
    DOKUMENTTYPER,
    TITLER,
    Dokumentmodell,
    looks_like_xml,
    parse_dokument,
    parse_json,
    parse_xml,
)
from dokgen.errors import EmailSendFailedError, FieldError, InputInvalidError
from dokgen.services import admin, frister, godkjenningslenker, utkast
from dokgen.services import dokumenter as service
from dokgen.storage.db import utc
from dokgen.web import aktor, deps
from dokgen.web.sider import skjema
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.datofelt import les_datoer
from dokgen.web.sider.form_errors import form_errors

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
VENTER = (service.BEHANDLES, service.FORSEGLES)
OSLO = ZoneInfo("Europe/Oslo")


SOK = ("type", "deltaker", "fra", "til", "status")


def _dokumentside(rader: list[Any], feil: list[FieldError], mine: Any) -> Any:
    """The Dokumenter page: the user's frister, the search as given (with its errors), the hits."""
    return render_template(
        "dokumenter.html", rader=rader, sok={k: request.args.get(k, "").strip() for k in SOK},
        titler=TITLER, statustekst=service.STATUSTEKST, mine=mine,
        feil={f.path: f.message for f in feil}, feilliste=feil,
    )  # fmt: skip


def _sokefeil(feil: list[FieldError]) -> Any:
    """The search with its errors: nothing is read (not even the user's own frister)."""
    return _dokumentside([], feil, [])


@bp.get("/dokumenter")
@form_errors(_sokefeil)
def dokumenter() -> Any:
    """List and search the organisation's documents; the period's dates are typed as
    dd.mm.åååå (or ISO), and a wrong one shows the search with its error and no list."""
    sok = {k: request.args.get(k, "").strip() for k in SOK}
    datoer, feil = les_datoer(sok, ("fra", "til"))
    if feil:
        raise InputInvalidError(feil)
    valgt = {k: v or None for k, v in sok.items()} | datoer
    rader = service.finn(
        deps(), aktor(), type=valgt["type"], deltaker=valgt["deltaker"], fra=valgt["fra"],
        til=valgt["til"], status=valgt["status"],
    )  # fmt: skip
    return _dokumentside(rader, [], frister.mine(deps(), aktor()))


@bp.get("/dokumenter/ny")
def ny() -> Any:
    """Choose the type of a new document, or upload one as JSON or XML."""
    aktor().krev("dokument.skriv")
    return render_template("ny.html", titler=TITLER)


def _skjema(
    type_navn: str,
    verdier: Any,
    feil: Any,
    rader: Any,
    *,
    fylt: bool = False,
    fokus: str | None = None,
    kladd: bool = False,
    **kw: Any,
) -> Any:
    """The document form; ``fylt``: started from the register, with what is left to write.

    ``fokus``: the list whose row was just added or removed (without the script): its new
    row's first field gets the focus, or the list itself. ``kladd``: the document is a kladd
    (the form saves over it as one types); a document past it (``dokument_id``) saves the
    form as the kladd of its next version (``rettelse``: the current version's number).
    """
    root, summary = skjema.build(type_navn, verdier, feil, rader)
    gjenstar: list[tuple[str, str]] = []
    if fylt:
        felt = skjema.field_labels(root)
        gjenstar = [felt[sti] for sti in utkast.mangler(type_navn, verdier) if sti in felt]
    dokument_id = kw.get("dokument_id")
    kladd_url: str | None
    if dokument_id is None:
        kladd_url = url_for(
            "sider.ny_kladd", type_navn=type_navn, deltaker=_deltaker_id(),
            gjennomforing=_id("gjennomforing"), plassering=_id("plassering"),
        )  # fmt: skip
    else:  # a kladd, or a correction saved as its next version's kladd
        kladd_url = url_for("sider.kladd", dokument_id=dokument_id)
    return render_template(
        "skjema.html", root=root, summary=summary, type_navn=type_navn,
        tittel=TITLER[type_navn], deltaker_id=_deltaker_id(), gjennomforing_id=_id("gjennomforing"),
        plassering_id=_id("plassering"), fylt=fylt, gjenstar=gjenstar,
        seksjoner=skjema.sections(root), fokus=_fokus(root, fokus), kladd=kladd,
        kladd_url=kladd_url, ny_id=None if dokument_id else _ny_id(), **kw,
    )  # fmt: skip


def _fokus(root: skjema.Group, liste: str | None) -> str | None:
    """Return the id of the field to focus after a row was added or removed, or None."""
    if not liste:
        return None
    for part in _alle(root):
        if isinstance(part, skjema.RowList) and part.name == liste:
            if part.rows:
                forste = next(
                    (d for d in _alle(part.rows[-1]) if isinstance(d, skjema.Field)), None
                )
                return forste.id if forste else part.id
            return part.id
    return None


def _alle(node: Any) -> Any:
    parts = node.rows if isinstance(node, skjema.RowList) else getattr(node, "parts", [])
    for part in parts:
        yield part
        yield from _alle(part)


def _id(navn: str) -> int | None:
    verdi = request.args.get(navn, "")
    return int(verdi) if verdi.isdigit() and len(verdi) < 10 else None


def _deltaker_id() -> int | None:
    """Return the register's deltaker a new document is for (``?deltaker=ID``), or None."""
    return _id("deltaker")


def _utkast(type_navn: str) -> tuple[dict[str, Any], list[str]]:
    """Return the new form's first values: from the placement when one is given
    (``?plassering=ID``: its deltaker, arbeidsgiver, place, dates and oppstartsmøte), else
    from the deltaker, else from the gjennomføring (``?gjennomforing=ID``, an årsrapport's
    year ``&ar=ÅÅÅÅ``), and the signed-in veileder, the organisation's poststed and today's
    date where empty; with where the register's figures came from (``kilder``, sentences
    for the person)."""
    deltaker_id, gjennomforing_id = _deltaker_id(), _id("gjennomforing")
    plassering_id = _id("plassering")
    kilder: list[str] = []
    if plassering_id is not None:
        data = utkast.utkast_for_plassering(deps(), aktor(), plassering_id, type_navn)
    elif deltaker_id is not None:
        data = utkast.utkast(deps(), aktor(), deltaker_id, type_navn)
    elif gjennomforing_id is not None:
        ar = _id("ar")
        fylt = utkast.utkast_for_gjennomforing(
            deps(), aktor(), gjennomforing_id, type_navn,
            ar=ar if ar is not None and 2000 <= ar <= 2099 else None,
        )  # fmt: skip
        data, kilder = fylt.data, fylt.kilder
    else:
        data = utkast.med_arrangor(type_navn, admin.arrangor(deps(), aktor()))
    return utkast.fra_innlogget(deps(), aktor(), type_navn, data), kilder


def _som_postet(type_navn: str, feil: list[FieldError], **kw: Any) -> Any:
    """The document form as posted, with the errors."""
    rader = skjema.rows_wanted(request.form, request.form.get("_add_row"))
    return _skjema(type_navn, skjema.from_form(type_navn, request.form), feil, rader, **kw)


def _ny_side(feil: list[FieldError], type_navn: str) -> Any:
    return _som_postet(type_navn, feil)


def _rader_endret(type_navn: str, data: dict[str, Any], **kw: Any) -> Any:
    """The form again after "Legg til rad" or "Fjern rad" (posted without the script), or
    None when neither was pressed."""
    legg_til = request.form.get("_add_row")
    fjern = request.form.get("_remove_row")
    if not legg_til and not fjern:
        return None
    liste = legg_til
    if fjern:
        liste = skjema.remove_row(data, fjern)
    rader = skjema.rows_wanted(request.form, legg_til, fjern if liste else None)
    return _skjema(type_navn, data, [], rader, fokus=liste, **kw)


@bp.route("/dokumenter/ny/<type_navn>", methods=["GET", "POST"])
@form_errors(_ny_side)
def ny_skjema(type_navn: str) -> Any:
    """Fill in a new document; an invalid post shows the form again with every error.

    With ``?deltaker=ID`` the form starts filled from that deltaker of the register, and
    the document is stored as theirs (it then meets their frister); ``?gjennomforing=ID``
    (a gjennomføring's own report: evalueringsrapport, samarbeidsavtale, årsrapport with its
    year's figures, ``&ar=ÅÅÅÅ``) starts it filled from that gjennomføring and stores it as
    the gjennomføring's; ``?plassering=ID`` (a tilretteleggingsgaranti, oppfølgingsplan or
    arbeidspraksisavtale) starts it filled from that placement and stores it with it and
    its deltaker. "Lagre som kladd"
    stores it as written, valid or not, and goes on with it in the form.
    """
    aktor().krev("dokument.skriv")
    if type_navn not in DOKUMENTTYPER:
        abort(404)
    if request.method == "GET":
        fylt = any(_id(navn) is not None for navn in ("deltaker", "gjennomforing", "plassering"))
        data, kilder = _utkast(type_navn)
        return _skjema(type_navn, data, [], {}, fylt=fylt, kilder=kilder)
    data = skjema.from_form(type_navn, request.form)
    side = _rader_endret(type_navn, data)
    if side is not None:
        return side
    if request.form.get("_kladd"):
        rad = service.lagre_kladd(
            deps(), aktor(), type_navn, data, deltaker_id=_deltaker_id(),
            gjennomforing_id=_id("gjennomforing"), plassering_id=_id("plassering"),
            ny_id=_ny_id(),
        )  # fmt: skip
        flash("Kladden er lagret. Du kan skrive videre nå eller senere.")
        return redirect(url_for("sider.endre", dokument_id=rad.id))
    dok = _valider(data, type_navn)
    rad = service.opprett(
        deps(), aktor(), dok, deltaker_id=_deltaker_id(), gjennomforing_id=_id("gjennomforing"),
        plassering_id=_id("plassering"), ny_id=_ny_id(),
    )  # fmt: skip
    flash("Dokumentet er lagret. Forhåndsvisningen lages nå.")
    return redirect(url_for("sider.dokument", dokument_id=rad.id))


def _ny_id() -> str:
    """Return the id the new form was shown with (``_ny_id``), or a new one."""
    return service.form_id(request.form.get("_ny_id"))


@bp.post("/dokumenter/ny/<type_navn>/kladd")
def ny_kladd(type_navn: str) -> Any:
    """Save a new form as a kladd as one types (the form's script posts it); JSON answer.

    The answer names the kladd's own address, which the script saves to from then on.
    """
    if type_navn not in DOKUMENTTYPER:
        abort(404)
    data = skjema.from_form(type_navn, request.form)
    rad = service.lagre_kladd(
        deps(), aktor(), type_navn, data, deltaker_id=_deltaker_id(),
        gjennomforing_id=_id("gjennomforing"), plassering_id=_id("plassering"), ny_id=_ny_id(),
    )  # fmt: skip
    return _kladd_svar(rad.id)


@bp.post("/dokumenter/<dokument_id>/kladd")
def kladd(dokument_id: str) -> Any:
    """Save the form over the document's kladd as one types (the form's script posts it)."""
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    service.lagre_kladd(
        deps(), aktor(), rad.type, skjema.from_form(rad.type, request.form),
        dokument_id=dokument_id, rettelse=_rettelse(),
    )  # fmt: skip
    return _kladd_svar(dokument_id)


def _rettelse() -> int | None:
    """Return the version a correction form corrects (``_rettelse``), if it says one."""
    verdi = request.form.get("_rettelse", "")
    return int(verdi) if verdi.isdigit() and len(verdi) < 10 else None


def _kladd_svar(dokument_id: str) -> dict[str, Any]:
    return {
        "dokument_id": dokument_id,
        "kladd_url": url_for("sider.kladd", dokument_id=dokument_id),
        "skjema_url": url_for("sider.endre", dokument_id=dokument_id),
        "lagret": deps().clock().astimezone(OSLO).strftime("%H:%M"),
    }


def _valider(data: Any, type_navn: str | None = None) -> Dokumentmodell:
    tillat = deps().settings.tillat_syntetiske
    return parse_dokument(data, tillat_syntetiske=tillat, type_navn=type_navn)


def _les_fil(raw: bytes) -> Dokumentmodell:
    if looks_like_xml(raw):
        return parse_xml(raw, tillat_syntetiske=deps().settings.tillat_syntetiske)
    return _valider(parse_json(raw, name="filen"))


@bp.post("/dokumenter/last-opp")
def last_opp() -> Any:
    """Create a document from an uploaded contract JSON or XML file."""
    aktor().krev("dokument.skriv")
    fil = request.files.get("fil")
    if fil is None or not fil.filename:
        raise InputInvalidError([FieldError("fil", "velg en JSON- eller XML-fil")])
    rad = service.opprett(deps(), aktor(), _les_fil(fil.read()))
    flash("Dokumentet er lastet opp. Forhåndsvisningen lages nå.")
    return redirect(url_for("sider.dokument", dokument_id=rad.id))


@bp.get("/dokumenter/<dokument_id>")
def dokument(dokument_id: str) -> Any:
    """Show a document: status, files, approvals and what the user can do next."""
    return _vis(service.hent(deps(), aktor(), dokument_id))


def _vis(
    rad: Any,
    feil: list[FieldError] | None = None,
    verdier: Any = None,
    *,
    lenkefeil: list[FieldError] | None = None,
    lenkeverdier: Any = None,
    ny_lenke: godkjenningslenker.NyLenke | None = None,
) -> Any:
    v = rad.gjeldende
    godkjent = {x.part for x in v.godkjenninger}
    naa = deps().clock()
    lenker = godkjenningslenker.lenker(deps(), aktor(), v.id)
    aktive = {
        x.part: x for x in lenker
        if x.brukt is None and x.tilbakekalt is None and x.avslatt is None
        and utc(x.utloper) > naa
    }  # fmt: skip
    page = render_template(
        "dokument.html", rad=rad, v=v, tittel=TITLER[rad.type], venter=v.status in VENTER,
        statustekst=service.STATUSTEKST[v.status], partnavn=service.PARTNAVN,
        ledige=[p for p in service.parter(v.data) if p not in godkjent],
        kan_godkjennes=v.status in (service.UTKAST, service.DELVIS),
        stanset=service.stanset(deps(), v), metoder=service.METODER,
        egne_parter=service.EGNE_PARTER, aktive_lenker=aktive,
        avslag=[x for x in lenker if x.avslatt is not None],
        feil={f.path: f.message for f in feil or []}, verdier=verdier or {},
        lenkefeil={f.path: f.message for f in lenkefeil or []}, ny_lenke=ny_lenke,
        lenkeverdier=lenkeverdier or {},
    )  # fmt: skip
    # A page with a link to copy shows a secret once: no browser or proxy keeps it.
    return (page, {"Cache-Control": "no-store"}) if ny_lenke else page


def _godkjenn_side(feil: list[FieldError], dokument_id: str) -> Any:
    """The document page with the approval form as posted, and the errors."""
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    return _vis(rad, feil, request.form)


def _endre_side(feil: list[FieldError], dokument_id: str) -> Any:
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    return _som_postet(rad.type, feil, **_endre_kw(rad))


def _endre_kw(rad: Any) -> dict[str, Any]:
    """The correction form's arguments: the document, whether it is a kladd itself, and
    (else) the number of the version a correction kladd would follow."""
    er_kladd = rad.gjeldende.status == service.KLADD
    return {
        "dokument_id": rad.id, "kladd": er_kladd,
        "rettelse": None if er_kladd else rad.gjeldende.nummer,
    }  # fmt: skip


@bp.get("/dokumenter/<dokument_id>/status")
def dokument_status(dokument_id: str) -> Any:
    """Return the current version's status as JSON (the page polls it while it waits)."""
    v = service.hent(deps(), aktor(), dokument_id, logg_lesing=False).gjeldende
    return {"status": v.status, "venter": v.status in VENTER}


@bp.route("/dokumenter/<dokument_id>/endre", methods=["GET", "POST"])
@form_errors(_endre_side)
def endre(dokument_id: str) -> Any:
    """Correct a document: the form, prefilled, becomes a new version.

    A kladd goes on being written here: "Lagre som kladd" saves over it, and the ordinary
    submit validates it and makes its preview. A correction of a document past its kladd
    is saved the same way (and as one types) as the kladd of its next version, valid or
    not; the current version stays as it is until "Lagre ny versjon" makes the kladd the
    new version. The form opens with the correction's kladd where there is one.
    """
    aktor().krev("dokument.skriv")
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    kw = _endre_kw(rad)
    er_kladd = kw["kladd"]
    if request.method == "GET":
        return _skjema(rad.type, (rad.rettekladd or rad.gjeldende).data, [], {}, **kw)
    data = skjema.from_form(rad.type, request.form)
    side = _rader_endret(rad.type, data, **kw)
    if side is not None:
        return side
    if request.form.get("_kladd"):
        service.lagre_kladd(
            deps(), aktor(), rad.type, data, dokument_id=dokument_id, rettelse=_rettelse()
        )
        flash("Kladden er lagret." if er_kladd else "Kladden til ny versjon er lagret.")
        return redirect(url_for("sider.endre", dokument_id=dokument_id))
    service.ny_versjon(deps(), aktor(), dokument_id, _valider(data, rad.type))
    if er_kladd:
        flash("Dokumentet er lagret. Forhåndsvisningen lages nå.")
    else:
        flash("Ny versjon er lagret. Tidligere godkjenninger gjelder ikke lenger.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


@bp.post("/dokumenter/<dokument_id>/kladd/forkast")
def forkast_rettekladd(dokument_id: str) -> Any:
    """Throw away the kladd of a correction; the current version is as it was."""
    service.forkast_rettekladd(deps(), aktor(), dokument_id)
    flash("Kladden til ny versjon er forkastet.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


@bp.post("/dokumenter/<dokument_id>/godkjenn")
@form_errors(_godkjenn_side)
def godkjenn(dokument_id: str) -> Any:
    """Record one party's approval of the current version."""
    form = request.form
    g = service.Godkjenningsdata(
        part=form.get("part", ""),
        navn=form.get("navn", "").strip() or None,
        paa_vegne_av=form.get("paa_vegne_av", "").strip() or None,
        begrunnelse=form.get("begrunnelse", "").strip() or None,
    )
    service.godkjenn(deps(), aktor(), dokument_id, g)
    flash("Godkjenningen er registrert.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


def _lenke_side(feil: list[FieldError], dokument_id: str) -> Any:
    """The document page with the approval-link form as posted, and the errors."""
    rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
    return _vis(rad, lenkefeil=feil, lenkeverdier=request.form)


def lenkeadresse(token: str) -> str:
    """Return the full address of an approval link (the public one behind a proxy)."""
    offentlig = deps().settings.offentlig_url
    if offentlig:
        return urljoin(offentlig, url_for("sider.godkjenning_side", lenke=token))
    return url_for("sider.godkjenning_side", lenke=token, _external=True)


@bp.post("/dokumenter/<dokument_id>/godkjenningslenker")
@form_errors(_lenke_side)
def send_godkjenningslenke(dokument_id: str) -> Any:
    """Send one party a personal approval link by e-mail, or make it to copy by hand."""
    kopier = request.form.get("handling") == "kopier"
    data = {k: request.form.get(k, "")[:300] for k in ("part", "navn", "epost")}
    try:
        ny = godkjenningslenker.send(
            deps(), aktor(), dokument_id, data, lenkeadresse, send_epost=not kopier
        )
    except EmailSendFailedError as exc:
        feil = f"e-posten ble ikke sendt: {exc.melding}. Prøv igjen, eller kopier lenken."
        raise InputInvalidError([FieldError("epost", feil)]) from None
    if kopier:
        rad = service.hent(deps(), aktor(), dokument_id, logg_lesing=False)
        return _vis(rad, ny_lenke=ny)
    flash(f"Godkjenningslenken er sendt til {ny.sendt_til}.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


@bp.post("/dokumenter/<dokument_id>/godkjenningslenker/<int:lenke_id>/tilbakekall")
def tilbakekall_godkjenningslenke(dokument_id: str, lenke_id: int) -> Any:
    """Revoke an approval link that is not used yet."""
    godkjenningslenker.tilbakekall(deps(), aktor(), dokument_id, lenke_id)
    flash("Godkjenningslenken er trukket tilbake og virker ikke lenger.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


@bp.post("/dokumenter/<dokument_id>/prov-igjen")
def prov_igjen(dokument_id: str) -> Any:
    """Queue the failed step of the current version again."""
    service.prov_igjen(deps(), aktor(), dokument_id)
    flash("Dokumentet behandles på nytt.")
    return redirect(url_for("sider.dokument", dokument_id=dokument_id))


@bp.get("/dokumenter/<dokument_id>/<any(pdf, docx):art>")
def dokument_fil(dokument_id: str, art: str) -> Response:
    """Download the PDF (sealed once approved, else the preview) or the DOCX (audited)."""
    data, navn = service.fil(deps(), aktor(), dokument_id, art)
    response = Response(data, mimetype=MIME[art])
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response
