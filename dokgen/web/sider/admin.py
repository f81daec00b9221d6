"""Admin pages: users, API tokens, templates, the audit log and the organisation's settings."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.utils import secure_filename

from dokgen.access import ROLLER
from dokgen.documents.models import TITLER
from dokgen.errors import FieldError, InputInvalidError, TemplateInvalidError
from dokgen.services import admin as service
from dokgen.services import brukere as brukere_service
from dokgen.services import innstillinger as innstillinger_service
from dokgen.web import aktor, deps
from dokgen.web.sider import passord
from dokgen.web.sider.blueprint import bp, merk_skjema_brukt, skjema_brukt
from dokgen.web.sider.form_errors import form_errors, form_with_errors

# The types a template can be uploaded for: the documents and the invoice's timeliste.
MALTITLER = {**TITLER, "timeliste": "Timeliste (vedlegg til faktura)"}


def _brukere(feil: list[FieldError] | None = None, verdier: Any = None) -> Any:
    rader = service.brukere(deps(), aktor())
    sperrer = service.innloggingssperrer(deps(), aktor(), rader)
    return render_template(
        "admin/brukere.html", rader=rader, sperrer=sperrer, roller=ROLLER, verdier=verdier or {},
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
    )  # fmt: skip


def _ny_bruker_side(feil: list[FieldError]) -> Any:
    return _brukere(feil, {k: v for k, v in request.form.items() if k != "passord"})


@bp.get("/admin/brukere")
def brukere() -> Any:
    """List the organisation's users with a form for a new one."""
    return _brukere()


@bp.post("/admin/brukere")
@form_errors(_ny_bruker_side)
def ny_bruker() -> Any:
    """Create a user; an invalid post shows the form again with every error."""
    form = request.form
    # Without a typed password: a one-time one shown once, or a link by e-mail.
    return passord.ny_bruker(
        {k: form.get(k, "") for k in ("brukernavn", "navn", "rolle", "passord", "epost")}
        | {"send_lenke": form.get("send_lenke", "")}
    )


def _avvist(feil: list[FieldError], bruker_id: int) -> Any:
    """Show the users page with why a change was refused (nothing was changed): 409 when it
    would leave the organisation without an active admin."""
    for f in feil:
        flash(f.message)
    siste = any(f.message == service.SISTE_ADMIN for f in feil)
    return (_brukere(), 409) if siste else _brukere()


@bp.post("/admin/brukere/<int:bruker_id>/deaktiver")
@form_errors(_avvist)
def deaktiver(bruker_id: int) -> Any:
    """Stop a user from logging in; the last active admin is refused (409)."""
    service.deaktiver_bruker(deps(), aktor(), bruker_id)
    flash("Brukeren er deaktivert.")
    return redirect(url_for("sider.brukere"))


@bp.post("/admin/brukere/<int:bruker_id>/frakoble-oidc")
def frakoble_oidc(bruker_id: int) -> Any:
    """Remove a user's binding to an identity at the login provider."""
    service.frakoble_oidc(deps(), aktor(), bruker_id)
    flash("Koblingen til innloggingstjenesten er fjernet. Neste innlogging derfra kobler på nytt.")
    return redirect(url_for("sider.brukere"))


@bp.post("/admin/brukere/<int:bruker_id>/opphev-sperre")
def opphev_sperre(bruker_id: int) -> Any:
    """Let a user locked out after failed logins try again at once."""
    service.opphev_sperre(deps(), aktor(), bruker_id)
    flash("Sperren er opphevet. Brukeren kan logge inn igjen.")
    return redirect(url_for("sider.brukere"))


@bp.post("/admin/brukere/<int:bruker_id>/rolle")
@form_errors(_avvist)
def endre_rolle(bruker_id: int) -> Any:
    """Give a user another role; taking it from the last active admin is refused (409)."""
    service.endre_rolle(deps(), aktor(), bruker_id, request.form.get("rolle", ""))
    flash("Rollen er endret.")
    return redirect(url_for("sider.brukere"))


_KONTAKTFELT = {"epost": "E-post", "telefon": "Telefon"}


def _kontaktside(feil: list[FieldError] | None = None, *, bruker_id: int) -> Any:
    """The form for a user's e-mail and phone, with what was posted and its errors."""
    rad = next((b for b in service.brukere(deps(), aktor()) if b.id == bruker_id), None)
    if rad is None:
        abort(404)
    lagret = {"epost": rad.epost or "", "telefon": rad.telefon or ""}
    verdier = {k: request.form.get(k, "") for k in lagret} if feil else lagret
    return render_template(
        "admin/kontakt.html", b=rad, verdier=verdier,
        feil={f.path: f.message for f in feil or []},
        feilliste=[(f.path, _KONTAKTFELT.get(f.path, ""), f.message) for f in feil or []],
    )  # fmt: skip


@bp.get("/admin/brukere/<int:bruker_id>/kontakt")
def kontakt(bruker_id: int) -> Any:
    """Show a user's e-mail and phone for change."""
    return _kontaktside(bruker_id=bruker_id)


@bp.post("/admin/brukere/<int:bruker_id>/kontakt")
@form_errors(_kontaktside)
def endre_kontakt(bruker_id: int) -> Any:
    """Set a user's e-mail and phone; an invalid post shows the form with its errors."""
    form = request.form
    service.endre_kontakt(
        deps(), aktor(), bruker_id, epost=form.get("epost", ""), telefon=form.get("telefon", "")
    )
    flash("Kontaktinformasjonen er lagret.")
    return redirect(url_for("sider.brukere"))


def _tokener(feil: list[FieldError] | None = None, verdier: Any = None, ny: Any = None) -> Any:
    page = render_template(
        "admin/tokener.html", rader=brukere_service.tokener(deps(), aktor()), roller=ROLLER,
        maks_navn=brukere_service.MAKS_NAVN,
        verdier=verdier or {}, feil={f.path: f.message for f in feil or []},
        feilliste=feil or [], ny=ny, skjema=secrets.token_urlsafe(16),
    )  # fmt: skip
    # The page with a new token must not be kept by the browser or a proxy.
    return page, {"Cache-Control": "no-store"}


def _token_verdier() -> dict[str, str]:
    return {k: request.form.get(k, "") for k in ("navn", "rolle")}


def _token_side(feil: list[FieldError]) -> Any:
    return _tokener(feil, _token_verdier())


@bp.get("/admin/tokener")
def tokener() -> Any:
    """List the organisation's API tokens with a form for a new one."""
    return _tokener()


@bp.post("/admin/tokener")
@form_errors(_token_side)
def token_ny() -> Any:
    """Create a token and show it this once; an invalid post shows every error.

    The answer is the page with the token (a redirect would have to carry the token in the
    session cookie). Each form has its own id, so the same form posted again — the browser
    reloading that page — makes no second token.
    """
    if skjema_brukt():
        flash(
            "Tokenet er allerede laget, og det vises ikke igjen. Trenger du et nytt, lag et nytt."
        )
        return redirect(url_for("sider.tokener"), 303)
    ny = brukere_service.opprett_token(deps(), aktor(), _token_verdier())
    merk_skjema_brukt()
    return _tokener(ny=ny)


@bp.get("/admin/tokener/<int:token_id>/trekk-tilbake")
def token_bekreft(token_id: int) -> Any:
    """Ask whether to revoke a token."""
    rad = brukere_service.hent_token(deps(), aktor(), token_id)
    return render_template("admin/token_trekk_tilbake.html", t=rad)


@bp.post("/admin/tokener/<int:token_id>/trekk-tilbake")
def token_trekk_tilbake(token_id: int) -> Any:
    """Revoke a token; systems using it are refused from their next call."""
    rad = brukere_service.trekk_tilbake_token(deps(), aktor(), token_id)
    flash(f"Tokenet «{rad.navn}» er trukket tilbake.")
    return redirect(url_for("sider.tokener"))


def _maler(grunner: list[str] | None = None, type_navn: str = "") -> Any:
    rader = service.maler(deps(), aktor())
    return render_template(
        "admin/maler.html", rader=rader, titler=MALTITLER, grunner=grunner or [], valgt=type_navn
    )


def _mal_side(feil: list[FieldError]) -> Any:
    return _maler([f.message for f in feil], request.form.get("type", ""))


@bp.get("/admin/maler")
def maler() -> Any:
    """List the uploaded templates with a form for a new one."""
    return _maler()


@bp.post("/admin/maler")
@form_errors(_mal_side, TemplateInvalidError)
def last_opp_mal() -> Any:
    """Check and store an uploaded DOCX template; a refused one is shown with its reasons."""
    fil = request.files.get("fil")
    if fil is None or not fil.filename:
        return form_with_errors(_mal_side, [FieldError("", "velg en DOCX-fil")])
    rad = service.last_opp_mal(
        deps(), aktor(), request.form.get("type", ""), secure_filename(fil.filename), fil.read()
    )
    flash(f"Malen er lagret som versjon {rad.nummer} av {MALTITLER[rad.type].lower()}.")
    return redirect(url_for("sider.maler"))


@bp.get("/admin/revisjonslogg")
def revisjonslogg() -> Any:
    """Show the newest audit lines."""
    rader = service.revisjonslogg(deps(), aktor(), grense=500)
    return render_template("admin/revisjonslogg.html", rader=rader)


@bp.get("/admin/revisjonslogg.csv")
def revisjonslogg_csv() -> Response:
    """Download the audit log as semicolon-separated CSV."""
    response = Response(service.eksporter_revisjonslogg(deps(), aktor()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="revisjonslogg.csv"'
    return response


def _innstillinger(v: Any, verdier: dict[str, str], feil: list[FieldError] | None = None) -> Any:
    felter = innstillinger_service.FELTER
    transportvalg = [("katalog", "Til utboks-mappen (katalog)")]
    if v.instansens_aksesspunkt:
        transportvalg.append(("instans", "Til tjenestens aksesspunkt (satt opp av driften)"))
    transportvalg.append(("egen", "Til vårt eget aksesspunkt (egen adresse og eget token)"))
    ider = {f.sti: f.id for f in felter} | {
        k: f"inn-{k}" for k in innstillinger_service.TILGANGSFELT
    }
    etiketter = {f.sti: f.etikett.rstrip("?") for f in felter} | {
        "transport": "Hvordan fakturaene sendes",
        "aksesspunkt_url": "Eget aksesspunkts adresse",
        "aksesspunkt_token": "Eget aksesspunkts token",
    }
    page = render_template(
        "admin/innstillinger.html", v=v, verdier=verdier, transportvalg=transportvalg,
        selger=innstillinger_service.SELGER, avtale=innstillinger_service.AVTALE,
        kjoper=innstillinger_service.KJOPER, ider=ider, etiketter=etiketter,
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
    )  # fmt: skip
    return page


def _innstillinger_skjema() -> dict[str, str]:
    return {k: request.form.get(k, "") for k in request.form if k != "csrf_token"}


def _innstillinger_side(feil: list[FieldError]) -> Any:
    """The settings form as posted, with the errors."""
    v, skjema = innstillinger_service.innstillinger(deps(), aktor()), _innstillinger_skjema()
    verdier = {f.sti: skjema.get(f.sti, "") for f in innstillinger_service.FELTER}
    valgt = replace(v, transport=skjema.get("transport", ""),
                    aksesspunkt_url=skjema.get("aksesspunkt_url", ""))  # fmt: skip
    return _innstillinger(valgt, verdier, feil)


@bp.route("/admin/innstillinger", methods=["GET", "POST"])
@form_errors(_innstillinger_side)
def innstillinger() -> Any:
    """Show the seller, agreement and access-point settings, with what invoicing still needs,
    and save them; an invalid post shows the form again with every error."""
    if request.method == "GET":
        v = innstillinger_service.innstillinger(deps(), aktor())
        return _innstillinger(v, v.verdier)
    innstillinger_service.lagre_innstillinger(deps(), aktor(), _innstillinger_skjema())
    flash("Innstillingene er lagret.")
    return redirect(url_for("sider.innstillinger"))


def _sertifikat(feil: list[FieldError] | None = None) -> Any:
    gjeldende = service.sertifikat(deps(), aktor())
    return render_template("admin/sertifikat.html", gjeldende=gjeldende, feilliste=feil or [])


@bp.get("/admin/sertifikat")
def sertifikat() -> Any:
    """Show which certificate seals the organisation's documents, with an upload form."""
    return _sertifikat()


@bp.post("/admin/sertifikat")
@form_errors(_sertifikat)
def last_opp_sertifikat() -> Any:
    """Check an uploaded PKCS#12 certificate and use it for the organisation's seals."""
    fil = request.files.get("fil")
    if fil is None or not fil.filename:
        raise InputInvalidError([FieldError("sertifikat", "velg en .p12- eller .pfx-fil")])
    varsler = service.lagre_sertifikat(deps(), aktor(), fil.read(), request.form.get("passord", ""))
    se = " Les advarslene under." if varsler else ""
    flash(f"Sertifikatet er lagret og brukes fra nå av ved forsegling.{se}")
    return redirect(url_for("sider.sertifikat"))


@bp.post("/admin/sertifikat/fjern")
def fjern_sertifikat() -> Any:
    """Seal with the instance's certificate again."""
    service.fjern_sertifikat(deps(), aktor())
    flash("Organisasjonens sertifikat er fjernet; tjenestens sertifikat brukes.")
    return redirect(url_for("sider.sertifikat"))
