"""Invoice pages: list (search, sort, pages, totals per month), upload (timeliste CSV or
fakturagrunnlag JSON) → preview → create, invoice page with lines, explained validation
findings and history, send, the buyer's answer (Invoice Response / MLS upload), credit note
(choose → confirm → make), corrected invoice, downloads."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from dokgen.documents.models import parse_json
from dokgen.errors import (
    FieldError,
    InputInvalidError,
    InputUnreadableError,
    PayloadTooLargeError,
    TransmissionNotFoundError,
)
from dokgen.services import fakturaer as service
from dokgen.services import fakturaliste, fakturasvar, innstillinger, regelforklaringer
from dokgen.services.fakturajobber import forsokstekst, resultattekst
from dokgen.web import aktor, deps
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.datofelt import les_datoer
from dokgen.web.sider.form_errors import form_errors, form_with_errors
from ehf.errors import GrunnlagInvalidError, ProfileViolationError, XmlUnsafeError

VENTER = (service.BEHANDLES, service.SENDING)
# An answer file the form shows as a field error; nothing is written for any of them.
UGYLDIG_SVAR = (InputInvalidError, TransmissionNotFoundError, XmlUnsafeError, PayloadTooLargeError)
PARAMETRE = ("fra", "til", "deres_referanse", "bestillingsnummer")
DATOER = ("fra", "til")  # typed as dd.mm.åååå (or ISO)
MIME = {"xml": "application/xml", "vedlegg": "application/pdf"}


SOKEFELT = ("sok", "gjennomforing", "maned", "status")


def _heltall(verdi: str | None) -> int | None:
    return int(verdi) if verdi and verdi.strip().isdigit() else None


def _listeside(feil: list[Any] | None = None) -> Any:
    args = request.args
    sok = {k: args.get(k, "").strip() for k in SOKEFELT}
    sorter = args.get("sorter", "dato")
    sorter = sorter if sorter in fakturaliste.SORTERBARE else "dato"
    synkende = args.get("retning", "synkende") != "stigende"
    utvalg = fakturaliste.Utvalg(
        sok=sok["sok"] or None, gjennomforing_id=_heltall(sok["gjennomforing"]),
        maned=sok["maned"] or None, status=sok["status"] or None,
        sorter=sorter, synkende=synkende, side=_heltall(args.get("side")) or 1,
    )  # fmt: skip
    # A search that could not be used reads nothing: the errors, the form, no list.
    side = fakturaliste.Side([], 1, False, 0) if feil else fakturaliste.sok(deps(), aktor(), utvalg)
    return render_template(
        "fakturaer.html", s=side, sok=sok, filtre={k: v for k, v in sok.items() if v},
        sorter=sorter, synkende=synkende, sorterbare=fakturaliste.SORTERBARE,
        statustekst=service.STATUSTEKST, feil=feil or [],
        forste=(side.side - 1) * fakturaliste.PER_SIDE + 1,
    )  # fmt: skip


@bp.get("/fakturaer")
@form_errors(_listeside)
def fakturaer() -> Any:
    """List the organisation's invoices and credit notes: search by number, buyer,
    gjennomføring and month, sortable columns, 50 a page, totals per month."""
    return _listeside()


def _regelforklaringer(feil: list[Any]) -> dict[str, regelforklaringer.Regelforklaring]:
    """Return the explanation of each error that names a rule of the table (the buyer
    profile's ``NAV-02`` …), by rule id."""
    return {
        e.path: regelforklaringer.forklar({"rule": e.path, "message": e.message})
        for e in feil
        if getattr(e, "path", None) in regelforklaringer.FORKLARINGER
    }


def _ny(feil: list[Any] | None = None, verdier: Any = None) -> Any:
    selger, avtale = innstillinger.mangler_for(deps(), aktor())
    return render_template(
        "faktura_ny.html", feil=feil or [], verdier=verdier or {},
        mangler_selger=selger, mangler_avtale=avtale, regler=_regelforklaringer(feil or []),
        feilfelt=_datofeil(feil or []),
    )  # fmt: skip


def _datofeil(feil: list[Any]) -> dict[str, str]:
    """Return the period's date errors by field (``fra``, ``til``)."""
    return {f.path: f.message for f in feil if getattr(f, "path", None) in DATOER}


def _grunnlag_side(feil: list[Any]) -> Any:
    return _ny(feil, request.form)


@bp.get("/fakturaer/ny")
def ny_faktura() -> Any:
    """Show the upload form: a timeliste with period and reference, or a fakturagrunnlag."""
    aktor().krev("faktura.skriv")
    return _ny()


def _inndata(raw: bytes, navn: str, form: MultiDict[str, str]) -> service.Fakturainndata:
    """Return the input of an upload: JSON by name or first byte, else a timeliste CSV.

    Raises:
        InputInvalidError: the period's fra or til is no date (dd.mm.åååå or ISO).
    """
    if navn.lower().endswith(".json") or raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return service.fra_json(parse_json(raw, name="filen"))
    parametre = {k: form.get(k, "").strip() or None for k in PARAMETRE}
    datoer, feil = les_datoer(parametre, DATOER)
    if feil:
        raise InputInvalidError(feil)
    return service.fra_timeliste(raw, **{**parametre, **datoer})


@bp.post("/fakturaer/forhandsvis")
@form_errors(_grunnlag_side, GrunnlagInvalidError, ProfileViolationError, InputInvalidError)
def forhandsvis() -> Any:
    """Bill the upload without storing it: lines, every adjustment explained, the total."""
    aktor().krev("faktura.skriv")
    fil = request.files.get("fil")
    if fil is None or not fil.filename:
        velg = "velg en timeliste (CSV) eller et JSON-grunnlag"
        return form_with_errors(_ny, [FieldError("fil", velg)])
    raw = fil.read()
    visning = service.forhandsvis(deps(), aktor(), _inndata(raw, fil.filename, request.form))
    skjult = {k: request.form.get(k, "") for k in PARAMETRE}
    skjult.update(fil=base64.b64encode(raw).decode(), filnavn=fil.filename)
    navn = service.aktivitetsnavn(visning.grunnlag.get("regelsett"))
    return render_template(
        "faktura_forhandsvisning.html", v=visning, skjult=skjult, aktivitetsnavn=navn
    )


@bp.post("/fakturaer")
def opprett_faktura() -> Any:
    """Create the previewed invoice (the same upload, carried in the preview's form)."""
    form = request.form
    try:
        raw = base64.b64decode(form.get("fil", ""), validate=True)
    except (binascii.Error, ValueError):
        raise InputUnreadableError(
            "forhåndsvisningen mangler filen; last den opp på nytt"
        ) from None
    rad = service.opprett(deps(), aktor(), _inndata(raw, form.get("filnavn", ""), form))
    flash(f"Faktura {rad.nummer} er laget. Den bygges og valideres nå.")
    return redirect(url_for("sider.faktura", faktura_id=rad.id))


def _side(
    faktura_id: str,
    feil: list[FieldError] | None = None,
    kreditfeil: list[FieldError] | None = None,
) -> Any:
    rad = service.hent(deps(), aktor(), faktura_id)
    kan_krediteres = rad.art == "faktura" and rad.status in service.SENDBAR
    return render_template(
        "faktura.html", f=rad, venter=rad.status in VENTER, statustekst=service.STATUSTEKST,
        funn=regelforklaringer.forklar_alle(rad.rapport), svar=fakturasvar.visning(rad.forsok),
        svarfeil=feil or [], maks_mb=fakturasvar.SVAR_MAKS_BYTE // (1024 * 1024),
        stanset=service.stanset(deps(), rad), k=service.koblinger(deps(), aktor(), rad.id),
        kreditlinjer=service.kreditlinjer(deps(), aktor(), rad.id) if kan_krediteres else [],
        kan_krediteres=kan_krediteres, kreditfeil=kreditfeil or [],
        aktivitetsnavn=service.aktivitetsnavn((rad.grunnlag or {}).get("regelsett")),
        resultattekst=resultattekst, forsokstekst=forsokstekst,
        utboks=service.til_utboks(deps(), aktor()),
    )  # fmt: skip


def _kreditside(feil: list[FieldError], faktura_id: str) -> Any:
    return _side(faktura_id, kreditfeil=feil)


@bp.get("/fakturaer/<faktura_id>")
def faktura(faktura_id: str) -> Any:
    """Show one invoice: lines, validation report, status and history, answers, next steps."""
    return _side(faktura_id)


@bp.get("/fakturaer/<faktura_id>/status")
def faktura_status(faktura_id: str) -> Any:
    """Return the invoice's status as JSON (the page polls it while it waits)."""
    rad = service.hent(deps(), aktor(), faktura_id, logg_lesing=False)
    return {"status": rad.status, "venter": rad.status in VENTER}


@bp.post("/fakturaer/<faktura_id>/send")
def send_faktura(faktura_id: str) -> Any:
    """Hand a validated invoice to the access point, or the outbox (a second press sends
    nothing)."""
    service.send(deps(), aktor(), faktura_id)
    if service.til_utboks(deps(), aktor()):
        flash("Fakturaen legges i utboksen. Den er ikke sendt før aksesspunktet henter den.")
    else:
        flash("Fakturaen sendes til aksesspunktet.")
    return redirect(url_for("sider.faktura", faktura_id=faktura_id))


@bp.post("/fakturaer/<faktura_id>/svar")
@form_errors(_side, *UGYLDIG_SVAR, path="svar")
def registrer_svar(faktura_id: str) -> Any:
    """Register an Invoice Response or MLS file the access point delivered for this invoice."""
    aktor().krev("faktura.skriv")
    fil = request.files.get("fil")
    if fil is None or not fil.filename:
        raise InputInvalidError([FieldError("svar", "velg XML-filen med svaret")])
    xml = fil.read(fakturasvar.SVAR_MAKS_BYTE + 1)  # one byte over is enough to refuse it
    rad = service.registrer_svar(deps(), aktor(), faktura_id, xml)
    flash(f"Svaret er registrert. Status: {service.STATUSTEKST[rad.status]}.")
    return redirect(url_for("sider.faktura", faktura_id=faktura_id))


def _kreditvalg() -> tuple[list[str], str, bool]:
    form = request.form
    return form.getlist("linjer"), form.get("begrunnelse", ""), form.get("hele") == "ja"


@bp.post("/fakturaer/<faktura_id>/kreditnota/bekreft")
@form_errors(_kreditside)
def bekreft_kreditnota(faktura_id: str) -> Any:
    """Show exactly what the credit note will credit, before anything is made."""
    linjer, begrunnelse, hele = _kreditvalg()
    k = service.forhandsvis_kreditnota(deps(), aktor(), faktura_id, linjer, begrunnelse, hele=hele)
    return render_template("faktura_kreditnota.html", k=k)


@bp.post("/fakturaer/<faktura_id>/kreditnota")
@form_errors(_kreditside)
def kreditnota(faktura_id: str) -> Any:
    """Make the confirmed credit note: the chosen lines, or the whole invoice when that was
    chosen, with the reason."""
    linjer, begrunnelse, hele = _kreditvalg()
    if not hele:  # nothing chosen is never a silent full credit
        service.forhandsvis_kreditnota(deps(), aktor(), faktura_id, linjer, begrunnelse)
    valgt = None if hele else linjer
    rad = service.kreditnota(deps(), aktor(), faktura_id, valgt, begrunnelse)
    flash(f"Kreditnota {rad.nummer} er laget. Den bygges og valideres nå.")
    return redirect(url_for("sider.faktura", faktura_id=rad.id))


KORRIGERFELT = ("deres_referanse", "bestillingsnummer")


def _korrigeringsside(faktura_id: str, feil: list[Any] | None = None) -> Any:
    kilde = request.form if request.method == "POST" else request.args
    rad = service.hent(deps(), aktor(), faktura_id, logg_lesing=False)
    verdier = {k: kilde.get(k, (rad.grunnlag or {}).get(k) or "") for k in KORRIGERFELT}
    visning = None
    if not feil:
        visning = service.forhandsvis_korrigering(deps(), aktor(), faktura_id, **verdier)
    return render_template(
        "faktura_korriger.html", f=rad, v=visning, verdier=verdier, feil=feil or [],
        regler=_regelforklaringer(feil or []),
        aktivitetsnavn=service.aktivitetsnavn((rad.grunnlag or {}).get("regelsett")),
    )  # fmt: skip


def _korrigeringsfeil(feil: list[Any], faktura_id: str) -> Any:
    return _korrigeringsside(faktura_id, feil)


@bp.get("/fakturaer/<faktura_id>/korriger")
@form_errors(_korrigeringsfeil, GrunnlagInvalidError, ProfileViolationError)
def korriger(faktura_id: str) -> Any:
    """Show the corrected invoice of a rejected or fully credited one, prefilled from its
    grunnlag; the references may be changed."""
    return _korrigeringsside(faktura_id)


@bp.post("/fakturaer/<faktura_id>/korriger")
@form_errors(_korrigeringsfeil, GrunnlagInvalidError, ProfileViolationError)
def lag_korrigert(faktura_id: str) -> Any:
    """Make the corrected invoice (``erstatter_id`` → the old one)."""
    endringer = {k: request.form.get(k, "") for k in KORRIGERFELT}
    rad = service.korriger(deps(), aktor(), faktura_id, **endringer)
    flash(f"Korrigert faktura {rad.nummer} er laget. Den bygges og valideres nå.")
    return redirect(url_for("sider.faktura", faktura_id=rad.id))


@bp.post("/fakturaer/<faktura_id>/prov-igjen")
def prov_igjen_faktura(faktura_id: str) -> Any:
    """Retry the failed build or send."""
    service.prov_igjen(deps(), aktor(), faktura_id)
    flash("Fakturaen behandles på nytt.")
    return redirect(url_for("sider.faktura", faktura_id=faktura_id))


@bp.get("/fakturaer/<faktura_id>/<any(xml, vedlegg):art>")
def faktura_fil(faktura_id: str, art: str) -> Response:
    """Download the UBL XML or the timeliste PDF it carries (audited)."""
    hent_fil = service.xml if art == "xml" else service.vedlegg
    data, navn = hent_fil(deps(), aktor(), faktura_id)
    response = Response(data, mimetype=MIME[art])
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response
