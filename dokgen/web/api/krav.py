"""``/api/v1/krav``: the NAV claims — list, read, the Timedokumentasjon PDF(s), NAV's answer.

No answer here carries a fødselsnummer: it is in the PDF only.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for

from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import krav as service
from dokgen.services import kravpakke
from dokgen.storage.db import utc
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp, json_object
from dokgen.web.api.openapi import PATHS, RETRY_AFTER

_SVARFELT = ("nav_status", "utbetalt", "kommentar")


def serialiser(k: service.Krav, *, detaljer: bool = True) -> dict[str, Any]:
    """Return the API's view of a NAV claim (amounts as decimal strings)."""
    body: dict[str, Any] = {
        "id": k.id,
        "maned": k.maned,
        "lopenr": k.lopenr,
        "gjennomforing_id": k.gjennomforing_id,
        "gjennomforing_navn": k.gjennomforing_navn,
        "tiltaksnummer": k.tiltaksnummer,
        "status": k.status,
        "status_tekst": k.status_tekst,
        "feil": k.feil,
        "belop": str(k.belop),
        "belop_kroner": k.belop_kroner,
        "timepris": k.timepris,
        "kid": k.kid,
        "korrigerer_id": k.korrigerer_id,
        "begrunnelse": k.begrunnelse,
        "nav_status": k.nav_status,
        "nav_status_tekst": k.nav_status_tekst,
        "utbetalt": str(k.utbetalt) if k.utbetalt is not None else None,
        "differanse": str(k.differanse) if k.differanse is not None else None,
        "nav_kommentar": k.nav_kommentar,
        "nav_registrert": utc(k.nav_registrert).isoformat() if k.nav_registrert else None,
        "nav_registrert_av": k.nav_registrert_av,
        "opprettet": utc(k.opprettet).isoformat(),
        "opprettet_av": k.opprettet_av,
        "filer": [
            {
                "nr": f.nr,
                "filnavn": f.filnavn,
                "bytes": f.bytes,
                "lenke": url_for("api.krav_pdf", krav_id=k.id, nr=f.nr),
            }
            for f in k.filer
        ],
        "lenker": {"selv": url_for("api.hent_krav", krav_id=k.id)},
    }
    if detaljer:
        body["deltakere"] = [
            {"nr": d.nr, "navn": d.navn, "timer": d.timer, "belop": d.belop} for d in k.deltakere
        ]
    return body


def _tall(navn: str) -> int | None:
    verdi = request.args.get(navn)
    if verdi is None or verdi == "":
        return None
    if not verdi.isdigit():
        raise InputInvalidError([FieldError(navn, "må være et heltall")])
    return int(verdi)


def _retry_after(k: service.Krav) -> dict[str, str]:
    return {"Retry-After": "1"} if k.status == kravpakke.BEHANDLES else {}


@bp.get("/krav")
def finn_krav() -> Any:
    """List the NAV claims (``?maned=YYYY-MM&gjennomforing_id=&side=``), totals per month."""
    liste = service.liste(
        deps(),
        aktor(),
        maned=request.args.get("maned") or None,
        gjennomforing_id=_tall("gjennomforing_id"),
        side=_tall("side") or 1,
    )
    return {
        "krav": [serialiser(k, detaljer=False) for k in liste.rader],
        "totaler": [
            {
                "maned": t.maned,
                "antall": t.antall,
                "belop": str(t.belop),
                "belop_kroner": t.belop_kroner,
                "utbetalt": str(t.utbetalt),
            }
            for t in liste.totaler
        ],
        "antall": liste.antall,
        "side": liste.side,
        "sider": liste.sider,
        "per_side": liste.per_side,
    }


@bp.get("/krav/<krav_id>")
def hent_krav(krav_id: str) -> Any:
    """Return one NAV claim: amounts, files, the deltakere's sums, NAV's answer."""
    k = service.hent(deps(), aktor(), krav_id)
    return serialiser(k), 200, _retry_after(k)


@bp.get("/krav/<krav_id>/pdf")
def krav_pdf(krav_id: str) -> Response:
    """Download the Timedokumentasjon (``?nr=2`` for a split package's second file)."""
    data, navn = service.pdf(deps(), aktor(), krav_id, _tall("nr") or 1)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response


@bp.post("/krav/<krav_id>/nav-svar")
def krav_nav_svar(krav_id: str) -> Any:
    """Record NAV's answer: ``{"nav_status", "utbetalt", "kommentar"}``."""
    body = json_object()
    errors = [FieldError(k, "ukjent felt") for k in body if k not in _SVARFELT]
    for navn in _SVARFELT:
        if body.get(navn) is not None and not isinstance(body[navn], str | int | float):
            errors.append(FieldError(navn, "må være tekst eller tall"))
    if errors:
        raise InputInvalidError(errors)
    utbetalt = body.get("utbetalt")
    k = service.registrer_nav_svar(
        deps(),
        aktor(),
        krav_id,
        str(body.get("nav_status") or ""),
        str(utbetalt) if utbetalt is not None else None,
        body.get("kommentar"),
    )
    return serialiser(k)


_PROBLEM = {"$ref": "#/components/responses/Problem"}
_ID = {"name": "krav_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _spor(navn: str, beskrivelse: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": navn, "in": "query", "required": False, "description": beskrivelse,
            "schema": schema}  # fmt: skip


def _ok(beskrivelse: str, mime: str = "application/json", **extra: Any) -> dict[str, Any]:
    schema = (
        {"type": "string", "format": "binary"} if mime == "application/pdf" else {"type": "object"}
    )
    return {"description": beskrivelse, "content": {mime: {"schema": schema}}, **extra}


PATHS.update(
    {
        "/krav": {
            "get": {
                "summary": "Finn krav til NAV (refusjonskrav), med sum per måned",
                "parameters": [
                    _spor(
                        "maned", "Måneden, ÅÅÅÅ-MM", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
                    ),
                    _spor("gjennomforing_id", "Gjennomføringen", {"type": "integer"}),
                    _spor("side", "Siden, fra 1 (50 per side)", {"type": "integer", "minimum": 1}),
                ],
                "responses": {"200": _ok("Treff og totaler"), "403": _PROBLEM, "422": _PROBLEM},
            }
        },
        "/krav/{krav_id}": {
            "get": {
                "summary": "Hent et krav til NAV (uten fødselsnummer)",
                "parameters": [_ID],
                "responses": {
                    "200": _ok("Kravet", headers=RETRY_AFTER),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
            }
        },
        "/krav/{krav_id}/pdf": {
            "get": {
                "summary": "Last ned timedokumentasjonen (PDF/A, forseglet)",
                "parameters": [
                    _ID,
                    _spor(
                        "nr",
                        "Filnummeret i en delt kravpakke (1 når utelatt)",
                        {"type": "integer", "minimum": 1},
                    ),
                ],
                "responses": {
                    "200": _ok("PDF", "application/pdf"),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
            }
        },
        "/krav/{krav_id}/nav-svar": {
            "post": {
                "summary": "Registrer NAVs svar på kravet (NAVs statusnavn og utbetalt beløp)",
                "parameters": [_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["nav_status"],
                                "properties": {
                                    "nav_status": {
                                        "type": "string",
                                        "enum": list(service.NAV_STATUSER),
                                    },
                                    "utbetalt": {
                                        "type": "string",
                                        "description": "desimaltall, kr",
                                    },
                                    "kommentar": {
                                        "type": "string",
                                        "maxLength": service.MAKS_KOMMENTAR,
                                    },
                                },
                                "additionalProperties": False,
                            }
                        }
                    },
                },
                "responses": {
                    "200": _ok("Kravet med svaret"),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    "422": _PROBLEM,
                },
            }
        },
    }
)
