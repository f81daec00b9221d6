"""The pages an approval link opens, without login: the party proves who they are with a
one-time code sent to their e-mail (or ID-porten where it is set up), then reads the locked
PDF and approves or declines it.

The link's token travels in the query string or a hidden field (the access log writes the
path only) and is never logged. Once the code is right, this browser's session remembers,
for :data:`BEKREFTET_LEVETID`, that it proved who it is for this one link (by the token's
hash) and how; approving or declining needs that. No page is kept by a browser or proxy.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import urljoin

from flask import Response, flash, g, redirect, render_template, request, session, url_for

from dokgen.errors import (
    AccessDeniedError,
    EmailSendFailedError,
    FieldError,
    IdentityProviderFailedError,
    InputInvalidError,
    RecordNotFoundError,
    StateConflictError,
)
from dokgen.services import dokumenter
from dokgen.services import godkjenningslenker as service
from dokgen.web import deps, oidc
from dokgen.web.sider.blueprint import bp
from dokgen.web.sider.form_errors import form_errors

_INGEN_LAGRING = {"Cache-Control": "no-store"}
_NOKKEL = "godkjenningslenke"
BEKREFTET_LEVETID = 30 * 60  # seconds a right code (or ID-porten) lasts in this browser


def _token() -> str:
    return request.values.get("lenke", "")[:100]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _bekreftet(token: str) -> str | None:
    """Return how this browser proved it is the link's party (a method), or None."""
    verdi = session.get(_NOKKEL)
    if not isinstance(verdi, dict) or verdi.get("lenke") != _hash(token):
        return None
    if not isinstance(verdi.get("til"), int | float) or verdi["til"] < time.time():
        return None
    metode = verdi.get("metode")
    return metode if metode in (dokumenter.EPOSTLENKE, dokumenter.IDPORTEN) else None


def _merk_bekreftet(token: str, metode: str, navn: str | None = None) -> None:
    """Remember that this browser proved it is the link's party, how, and (ID-porten) the
    name ID-porten gave; never a fødselsnummer."""
    session[_NOKKEL] = {
        "lenke": _hash(token),
        "metode": metode,
        "til": int(time.time()) + BEKREFTET_LEVETID,
        "navn": navn,
    }


def _idporten_navn() -> str | None:
    """Return the name ID-porten gave for this browser's proof, if any."""
    navn = (session.get(_NOKKEL) or {}).get("navn")
    return navn if isinstance(navn, str) else None


def _ugyldig() -> Any:
    return render_template("godkjenning_ugyldig.html"), 404, _INGEN_LAGRING


def _side(feil: list[FieldError] | None = None, **kw: Any) -> Any:
    """The link's page: the code step, or (once proved) the PDF and the choice.

    Raises:
        RecordNotFoundError: the link does not work.
    """
    token = _token()
    info = service.apne(deps(), token)
    page = render_template(
        "godkjenning.html", info=info, lenke=token, bekreftet=_bekreftet(token),
        feil={f.path: f.message for f in feil or []}, feilliste=feil or [],
        idporten=oidc.aktiv(oidc.IDPORTEN), verdier=request.form, **kw,
    )  # fmt: skip
    return page, _INGEN_LAGRING


def _skjemaside(feil: list[FieldError]) -> Any:
    try:
        return _side(feil)
    except RecordNotFoundError:
        return _ugyldig()


@bp.get("/godkjenning")
def godkjenning_side() -> Any:
    """The page an approval link opens."""
    try:
        return _side()
    except RecordNotFoundError:
        return _ugyldig()


@bp.post("/godkjenning/kode")
@form_errors(_skjemaside)
def godkjenning_kode() -> Any:
    """Send a one-time code to the link's e-mail address."""
    token = _token()
    try:
        til = service.send_kode(deps(), token, fra=request.remote_addr, foresporsel=g.request_id)
    except RecordNotFoundError:
        return _ugyldig()
    except (StateConflictError, EmailSendFailedError) as exc:
        raise InputInvalidError([FieldError("kode", _melding(exc))]) from None
    return _side(sendt_til=til)


def _melding(exc: Exception) -> str:
    return str(getattr(exc, "melding", None) or exc)


@bp.post("/godkjenning/bekreft")
@form_errors(_skjemaside)
def godkjenning_bekreft() -> Any:
    """Check the one-time code; a right one opens the document and the choice."""
    token = _token()
    try:
        service.bekreft_kode(
            deps(), token, request.form.get("kode", ""),
            fra=request.remote_addr, foresporsel=g.request_id,
        )  # fmt: skip
    except RecordNotFoundError:
        return _ugyldig()
    _merk_bekreftet(token, dokumenter.EPOSTLENKE)
    return redirect(url_for("sider.godkjenning_side", lenke=token), 303)


@bp.get("/godkjenning/pdf")
def godkjenning_pdf() -> Any:
    """The locked version's PDF, for a browser that proved it is the link's party."""
    token = _token()
    if _bekreftet(token) is None:
        return redirect(url_for("sider.godkjenning_side", lenke=token))
    try:
        data, navn = service.pdf(deps(), token)
    except RecordNotFoundError:
        return _ugyldig()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{navn}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/godkjenning/svar")
@form_errors(_skjemaside)
def godkjenning_svar() -> Any:
    """Approve, or decline with a reason, as the link's party."""
    token = _token()
    metode = _bekreftet(token)
    if metode is None:
        raise InputInvalidError([FieldError("kode", "skriv inn engangskoden først")])
    godkjenner = request.form.get("svar") == "godkjenn"
    try:
        navn = _idporten_navn() if metode == dokumenter.IDPORTEN else None
        if godkjenner:
            service.godkjenn(
                deps(), token, metode, fra=request.remote_addr, foresporsel=g.request_id,
                navn=navn,
            )  # fmt: skip
        else:
            service.avsla(
                deps(), token, request.form.get("begrunnelse", "")[:2000],
                fra=request.remote_addr, foresporsel=g.request_id,
            )  # fmt: skip
    except RecordNotFoundError:
        return _ugyldig()
    session.pop(_NOKKEL, None)
    return render_template(
        "godkjenning_kvittering.html", godkjent=godkjenner,
        idporten=metode == dokumenter.IDPORTEN, navn=navn,
    ), _INGEN_LAGRING  # fmt: skip


@bp.post("/godkjenning/idporten")
def godkjenning_idporten() -> Any:
    """Start an ID-porten login for the link (where ID-porten is set up)."""
    token = _token()
    if not oidc.aktiv(oidc.IDPORTEN):
        return redirect(url_for("sider.godkjenning_side", lenke=token))
    try:
        service.apne(deps(), token)
    except RecordNotFoundError:
        return _ugyldig()
    session["godkjenning_idporten"] = token
    offentlig = deps().settings.offentlig_url
    svar = url_for("sider.godkjenning_idporten_svar", _external=not offentlig)
    return oidc.start(oidc.IDPORTEN, urljoin(offentlig, svar) if offentlig else svar)


@bp.get("/godkjenning/idporten/svar")
def godkjenning_idporten_svar() -> Any:
    """ID-porten's answer: a verified login of the link's party opens the document and the
    choice; a deltaker's login must be the register's deltaker (``pid``), else it is refused."""
    token = session.pop("godkjenning_idporten", None)
    if not isinstance(token, str) or not oidc.aktiv(oidc.IDPORTEN):
        return _ugyldig()
    tilbake = redirect(url_for("sider.godkjenning_side", lenke=token), 303)
    try:
        navn = service.idporten_part(deps(), token, oidc.identitet(oidc.IDPORTEN))
    except IdentityProviderFailedError as exc:
        flash(f"Innloggingen med ID-porten virket ikke: {exc.melding}")
        return tilbake
    except AccessDeniedError as exc:  # another person than the link's deltaker
        session.pop(_NOKKEL, None)
        flash(str(exc))
        return tilbake
    except RecordNotFoundError:
        return _ugyldig()
    _merk_bekreftet(token, dokumenter.IDPORTEN, navn)
    return tilbake
