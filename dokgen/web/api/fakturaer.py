"""``/api/v1/fakturaer``: preview, create, list, read, send, answers, credit notes, files."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import fakturaer as service
from dokgen.storage.db import Faktura, utc
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import JSON_TYPER, XML_TYPER, bp, json_body, vent
from dokgen.web.api.openapi import PATHS, RETRY_AFTER

CSV_TYPER = ("text/csv",)
PARAMETRE = ("fra", "til", "deres_referanse", "bestillingsnummer", "fakturadato", "forfallsdato")


def _inndata() -> service.Fakturainndata:
    if request.mimetype in CSV_TYPER:
        args = {k: request.args.get(k) or None for k in PARAMETRE}
        return service.fra_timeliste(request.get_data(), **args)
    if request.mimetype not in JSON_TYPER:
        raise UnsupportedMediaType("send application/json (fakturagrunnlag) eller text/csv")
    return service.fra_json(json_body())


def serialiser(rad: Faktura, *, detaljer: bool = True) -> dict[str, Any]:
    """Return the API's view of an invoice or credit note."""
    body: dict[str, Any] = {
        "id": rad.id,
        "nummer": rad.nummer,
        "art": rad.art,
        "status": rad.status,
        "status_tekst": service.STATUSTEKST[rad.status],
        "feil": rad.feil,
        "periode": {"fra": rad.periode_fra, "til": rad.periode_til},
        "fakturadato": rad.fakturadato,
        "belop": rad.belop,
        "krediterer_id": rad.krediterer_id,
        "meldings_id": rad.meldings_id,
        "opprettet": utc(rad.opprettet).isoformat(),
        "opprettet_av": rad.opprettet_av,
        "lenker": {
            "selv": url_for("api.hent_faktura", faktura_id=rad.id),
            "xml": url_for("api.faktura_xml", faktura_id=rad.id),
            "vedlegg": url_for("api.faktura_vedlegg", faktura_id=rad.id),
        },
    }
    if detaljer:
        body["linjer"] = rad.linjer
        body["forklaringer"] = rad.forklaringer
        body["rapport"] = rad.rapport
        body["forsok"] = [
            {
                "tidspunkt": utc(f.tidspunkt).isoformat(),
                "resultat": f.resultat,
                "arsak": f.arsak,
                "instans_id": f.instans_id,
                "svartype": f.svartype,
                "svarkode": f.svarkode,
            }
            for f in rad.forsok
        ]
    return body


_IN_PROGRESS = (service.BEHANDLES, service.SENDING)  # a worker has the invoice


def _svar(rad: Faktura, status: int) -> tuple[dict[str, Any], int, dict[str, str]]:
    vent(lambda: _hent(rad.id).status not in _IN_PROGRESS)
    rad = _hent(rad.id)  # with its attempts loaded
    lenke = {"Location": url_for("api.hent_faktura", faktura_id=rad.id)}
    return serialiser(rad), status, lenke | _retry_after(rad)


def _hent(faktura_id: str) -> Faktura:
    return service.hent(deps(), aktor(), faktura_id, logg_lesing=False)


def _retry_after(rad: Faktura) -> dict[str, str]:
    """Tell a polling client when to ask again while the invoice is built or sent (RFC 9110
    Retry-After)."""
    return {"Retry-After": "1"} if rad.status in _IN_PROGRESS else {}


@bp.post("/fakturaer/forhandsvisning")
def forhandsvis_faktura() -> Any:
    """Bill a fakturagrunnlag or timeliste and explain every adjustment; nothing is stored."""
    f = service.forhandsvis(deps(), aktor(), _inndata())
    return {"linjer": f.linjer, "forklaringer": f.forklaringer, "sum": str(f.sum)}


@bp.post("/fakturaer")
def opprett_faktura() -> Any:
    """Create an invoice from JSON or a CSV timeliste (``?fra=&til=…``); 201."""
    return _svar(service.opprett(deps(), aktor(), _inndata()), 201)


@bp.get("/fakturaer")
def finn_fakturaer() -> Any:
    """List the organisation's invoices, filtered by status, art and period."""
    args = request.args
    rader = service.finn(
        deps(),
        aktor(),
        status=args.get("status") or None,
        art=args.get("art") or None,
        fra=args.get("fra") or None,
        til=args.get("til") or None,
    )
    return {"fakturaer": [serialiser(r, detaljer=False) for r in rader]}


@bp.get("/fakturaer/<faktura_id>")
def hent_faktura(faktura_id: str) -> Any:
    """Return one invoice with lines, explanations, validation report and attempts."""
    rad = service.hent(deps(), aktor(), faktura_id)
    return serialiser(rad), 200, _retry_after(rad)


@bp.post("/fakturaer/<faktura_id>/sending")
def send_faktura(faktura_id: str) -> Any:
    """Send a validated invoice; a repeated call sends nothing more (202)."""
    return _svar(service.send(deps(), aktor(), faktura_id), 202)


@bp.post("/fakturaer/<faktura_id>/nytt-forsok")
def prov_faktura_igjen(faktura_id: str) -> Any:
    """Retry the failed build or send (202)."""
    return _svar(service.prov_igjen(deps(), aktor(), faktura_id), 202)


@bp.post("/fakturaer/<faktura_id>/kreditnota")
def krediter_faktura(faktura_id: str) -> Any:
    """Credit a sent invoice: ``{"linjer": ["1", …]}``, or every line not yet credited; 201."""
    body = json_body() if request.get_data() else {}
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    errors = [FieldError(k, "ukjent felt") for k in body if k != "linjer"]
    linjer = body.get("linjer")
    if linjer is not None and not (
        isinstance(linjer, list) and all(isinstance(x, str) for x in linjer)
    ):
        errors.append(FieldError("linjer", "må være en liste av linje-id-er (tekst)"))
    if errors:
        raise InputInvalidError(errors)
    return _svar(service.kreditnota(deps(), aktor(), faktura_id, linjer), 201)


def _xml() -> bytes:
    if request.mimetype not in XML_TYPER:
        raise UnsupportedMediaType("send application/xml")
    return request.get_data()


@bp.post("/fakturaer/svar")
def registrer_svar_uten_id() -> Any:
    """Record an MLS or MLR (found by SBDH instance id) or Invoice Response (by number) (XML)."""
    return serialiser(service.finn_og_registrer_svar(deps(), aktor(), _xml()))


@bp.post("/fakturaer/<faktura_id>/svar")
def registrer_svar(faktura_id: str) -> Any:
    """Record an Invoice Response, MLR or MLS on this invoice (XML)."""
    return serialiser(service.registrer_svar(deps(), aktor(), faktura_id, _xml()))


def _fil(data: bytes, navn: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{navn}"'
    return response


@bp.get("/fakturaer/<faktura_id>/xml")
def faktura_xml(faktura_id: str) -> Response:
    """Download the UBL XML (EHF)."""
    return _fil(*service.xml(deps(), aktor(), faktura_id), "application/xml")


@bp.get("/fakturaer/<faktura_id>/vedlegg")
def faktura_vedlegg(faktura_id: str) -> Response:
    """Download the timeliste specification PDF the invoice carries."""
    return _fil(*service.vedlegg(deps(), aktor(), faktura_id), "application/pdf")


_PROBLEM = {"$ref": "#/components/responses/Problem"}
_ID = [{"name": "faktura_id", "in": "path", "required": True, "schema": {"type": "string"}}]
_OBJ = {"application/json": {"schema": {"type": "object"}}}


def _op(
    summary: str, codes: dict[str, str], *, retry_after: bool = False, **extra: Any
) -> dict[str, Any]:
    ok: dict[str, Any] = {"content": _OBJ} | ({"headers": RETRY_AFTER} if retry_after else {})
    responses: dict[str, Any] = {
        c: (_PROBLEM if int(c) >= 400 else {"description": d, **ok}) for c, d in codes.items()
    }
    return {"summary": summary, "responses": responses, **extra}


_INNDATA = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "object", "description": "fakturagrunnlag"}},
        "text/csv": {"schema": {"type": "string", "description": "timeliste"}},
    },
}
_CSV_PARAMETRE = [
    {"name": n, "in": "query", "required": False, "schema": {"type": "string"}} for n in PARAMETRE
]
_KREDITNOTA = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"linjer": {"type": "array", "items": {"type": "string"}}},
                "additionalProperties": False,
            }
        }
    },
}
_FEIL = {"400": "", "403": "", "415": "", "422": ""}
_SVAR = {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}

PATHS.update(
    {
        "/fakturaer": {
            "post": _op(
                "Opprett en faktura fra fakturagrunnlag (JSON) eller timeliste (CSV)",
                {"201": "Opprettet", **_FEIL},
                retry_after=True,
                requestBody=_INNDATA,
                parameters=_CSV_PARAMETRE,
            ),
            "get": _op("Finn fakturaer", {"200": "Treff", "403": ""}),
        },
        "/fakturaer/forhandsvisning": {
            "post": _op(
                "Forhåndsvis faktureringen (lagrer ingenting)",
                {"200": "Linjer og forklaringer", **_FEIL},
                requestBody=_INNDATA,
                parameters=_CSV_PARAMETRE,
            ),
        },
        "/fakturaer/{faktura_id}": {
            "get": _op(
                "Hent en faktura", {"200": "Fakturaen", "404": ""}, retry_after=True, parameters=_ID
            ),
        },
        "/fakturaer/{faktura_id}/sending": {
            "post": _op(
                "Send fakturaen (idempotent)",
                {"202": "I kø", "404": "", "409": ""},
                retry_after=True,
                parameters=_ID,
            ),
        },
        "/fakturaer/{faktura_id}/nytt-forsok": {
            "post": _op(
                "Prøv en feilet faktura igjen",
                {"202": "I kø", "409": ""},
                retry_after=True,
                parameters=_ID,
            ),
        },
        "/fakturaer/{faktura_id}/kreditnota": {
            "post": _op(
                "Lag kreditnota for linjer som ikke er kreditert (alle når linjer mangler)",
                {"201": "Opprettet", "404": "", "409": "", "422": ""},
                retry_after=True,
                parameters=_ID,
                requestBody=_KREDITNOTA,
            ),
        },
        "/fakturaer/svar": {
            "post": _op(
                "Registrer MLS eller MLR (fakturaen finnes via SBDH-instans-id) "
                "eller Invoice Response",
                {"200": "Ny status", "400": "", "404": "", "409": "", "413": "", "422": ""},
                requestBody=_SVAR,
            ),
        },
        "/fakturaer/{faktura_id}/svar": {
            "post": _op(
                "Registrer Invoice Response / MLR / MLS",
                {"200": "Ny status", "400": "", "404": "", "409": "", "413": "", "422": ""},
                parameters=_ID,
                requestBody=_SVAR,
            ),
        },
        "/fakturaer/{faktura_id}/xml": {
            "get": _op("Last ned EHF-XML", {"200": "UBL 2.1", "404": ""}, parameters=_ID),
        },
        "/fakturaer/{faktura_id}/vedlegg": {
            "get": _op("Last ned timelisten (PDF)", {"200": "PDF", "404": ""}, parameters=_ID),
        },
    }
)
