"""``/api/v1/fakturaer``: preview, create, list, read, send, answers, credit notes, files."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import fakturaer as service
from dokgen.services import fakturaliste, regelforklaringer
from dokgen.services.fakturajobber import forsokstekst, resultattekst
from dokgen.services.kreditering import Kobling, Kreditering
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


def _kobling(k: Kobling | None) -> dict[str, Any] | None:
    if k is None:
        return None
    return {
        "id": k.id,
        "nummer": k.nummer,
        "art": k.art,
        "belop": k.belop,
        "status": k.status,
        "status_tekst": service.STATUSTEKST.get(k.status, k.status),
        "begrunnelse": k.begrunnelse,
        "lenke": url_for("api.hent_faktura", faktura_id=k.id),
    }


def _linjer(rad: Faktura) -> list[dict[str, Any]]:
    navn = service.aktivitetsnavn((rad.grunnlag or {}).get("regelsett"))
    return [
        {
            **linje,
            "aktiviteter": [
                {**a, "aktivitet_tekst": navn.get(a.get("aktivitet", ""), a.get("aktivitet"))}
                for a in linje.get("aktiviteter", [])
            ],
        }
        for linje in rad.linjer
    ]


def _rapport(rapport: dict[str, Any] | None) -> dict[str, Any] | None:
    if rapport is None:
        return None
    funn = [{**f, **regelforklaringer.forklar(f).som_dict()} for f in rapport.get("findings", [])]
    return {**rapport, "findings": funn}


def serialiser(rad: Faktura, *, detaljer: bool = True) -> dict[str, Any]:
    """Return the API's view of an invoice or credit note; with ``detaljer``, its lines,
    explained findings, attempts and the invoices it links to (``krediterer``,
    ``kreditnotaer``, ``erstatter``, ``erstattet_av``)."""
    body: dict[str, Any] = {
        "id": rad.id,
        "nummer": rad.nummer,
        "art": rad.art,
        "status": rad.status,
        "status_tekst": service.STATUSTEKST.get(rad.status, rad.status),
        "feil": rad.feil,
        "periode": {"fra": rad.periode_fra, "til": rad.periode_til},
        "maned": rad.maned,
        "gjennomforing_id": rad.gjennomforing_id,
        "kjoper": ((rad.grunnlag or {}).get("kjoper") or {}).get("navn"),
        "fakturadato": rad.fakturadato,
        "belop": rad.belop,
        "krediterer_id": rad.krediterer_id,
        "erstatter_id": rad.erstatter_id,
        "begrunnelse": rad.begrunnelse,
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
        k = service.koblinger(deps(), aktor(), rad.id)
        body["krediterer"] = _kobling(k.krediterer)
        body["kreditnotaer"] = [_kobling(x) for x in k.kreditnotaer]
        body["erstatter"] = _kobling(k.erstatter)
        body["erstattet_av"] = [_kobling(x) for x in k.erstattet_av]
        body["helt_kreditert"] = k.helt_kreditert
        body["kan_korrigeres"] = k.kan_korrigeres
        body["linjer"] = _linjer(rad)
        body["forklaringer"] = rad.forklaringer
        body["rapport"] = _rapport(rad.rapport)
        body["forsok"] = [
            {
                "tidspunkt": utc(f.tidspunkt).isoformat(),
                "resultat": f.resultat,
                "resultat_tekst": resultattekst(f.resultat),
                "arsak": forsokstekst(f.arsak),
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


def _tall(verdi: str | None, navn: str) -> int | None:
    if not verdi:
        return None
    if not verdi.strip().isdigit():
        raise InputInvalidError([FieldError(navn, "må være et positivt heltall")])
    return int(verdi)


@bp.get("/fakturaer")
def finn_fakturaer() -> Any:
    """List the organisation's invoices 50 a page: search (number or buyer), buyer,
    gjennomføring, month, status, art, period; sorted; with the totals per month."""
    args = request.args
    utvalg = fakturaliste.Utvalg(
        sok=args.get("sok") or None,
        kjoper=args.get("kjoper") or None,
        gjennomforing_id=_tall(args.get("gjennomforing"), "gjennomforing"),
        maned=args.get("maned") or None,
        status=args.get("status") or None,
        art=args.get("art") or None,
        fra=args.get("fra") or None,
        til=args.get("til") or None,
        sorter=args.get("sorter") or "dato",
        synkende=(args.get("retning") or "synkende") != "stigende",
        side=_tall(args.get("side"), "side") or 1,
    )
    side = fakturaliste.sok(deps(), aktor(), utvalg)
    lenke: dict[str, Any] = {k: v for k, v in args.items() if k != "side"}
    return {
        "fakturaer": [serialiser(r, detaljer=False) for r in side.rader],
        "antall": side.antall,
        "side": side.side,
        "per_side": fakturaliste.PER_SIDE,
        "neste": url_for("api.finn_fakturaer", **lenke, side=side.side + 1) if side.flere else None,
        "forrige": url_for("api.finn_fakturaer", **lenke, side=side.side - 1)
        if side.side > 1
        else None,
        "summer": [{"maned": m.maned, "antall": m.antall, "sum": str(m.sum)} for m in side.summer],
    }


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


_KREDITFELT = ("linjer", "begrunnelse")


def _kreditbody() -> tuple[list[str] | None, str | None]:
    body = json_body() if request.get_data() else {}
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    errors = [FieldError(k, "ukjent felt") for k in body if k not in _KREDITFELT]
    linjer, begrunnelse = body.get("linjer"), body.get("begrunnelse")
    if linjer is not None and not (
        isinstance(linjer, list) and all(isinstance(x, str) for x in linjer)
    ):
        errors.append(FieldError("linjer", "må være en liste av linje-id-er (tekst)"))
    if begrunnelse is not None and not isinstance(begrunnelse, str):
        errors.append(FieldError("begrunnelse", "må være tekst"))
    if errors:
        raise InputInvalidError(errors)
    return linjer, begrunnelse


def _kreditering(k: Kreditering) -> dict[str, Any]:
    return {
        "faktura": {"id": k.faktura_id, "nummer": k.faktura_nummer},
        "linjer": [
            {
                "id": x.id,
                "deltaker_nr": x.deltaker_nr,
                "deltaker_navn": x.deltaker_navn,
                "timer": str(x.timer),
                "belop": str(x.belop),
            }
            for x in k.linjer
        ],
        "timer": str(k.timer),
        "sum": str(k.sum),
        "begrunnelse": k.begrunnelse,
        "hele": k.hele,
    }


@bp.post("/fakturaer/<faktura_id>/kreditnota/forhandsvisning")
def forhandsvis_kreditnota(faktura_id: str) -> Any:
    """Show exactly what a credit note would credit (lines, hours, total); nothing is made."""
    linjer, begrunnelse = _kreditbody()
    k = service.forhandsvis_kreditnota(
        deps(), aktor(), faktura_id, linjer or [], begrunnelse, hele=linjer is None
    )
    return _kreditering(k)


@bp.post("/fakturaer/<faktura_id>/kreditnota")
def krediter_faktura(faktura_id: str) -> Any:
    """Credit a sent invoice: ``{"linjer": ["1", …], "begrunnelse": "…"}``; without
    ``linjer`` every line not yet credited; 201. The reason is required (422)."""
    linjer, begrunnelse = _kreditbody()
    return _svar(service.kreditnota(deps(), aktor(), faktura_id, linjer, begrunnelse), 201)


_KORRIGERFELT = ("deres_referanse", "bestillingsnummer")


@bp.post("/fakturaer/<faktura_id>/korrigering")
def korriger_faktura(faktura_id: str) -> Any:
    """Make the corrected invoice of a rejected or fully credited one (its grunnlag, dated
    today, ``erstatter_id`` set); ``{"deres_referanse": …, "bestillingsnummer": …}`` change
    the references; 201."""
    body = json_body() if request.get_data() else {}
    if not isinstance(body, dict):
        raise InputInvalidError([FieldError("", "må være et JSON-objekt")])
    errors = [FieldError(k, "ukjent felt") for k in body if k not in _KORRIGERFELT]
    errors += [
        FieldError(k, "må være tekst")
        for k in _KORRIGERFELT
        if body.get(k) is not None and not isinstance(body[k], str)
    ]
    if errors:
        raise InputInvalidError(errors)
    endringer = {k: body.get(k) for k in _KORRIGERFELT}
    return _svar(service.korriger(deps(), aktor(), faktura_id, **endringer), 201)


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
                "properties": {
                    "linjer": {"type": "array", "items": {"type": "string"}},
                    "begrunnelse": {"type": "string", "maxLength": 500},
                },
                "required": ["begrunnelse"],
                "additionalProperties": False,
            }
        }
    },
}
_KORRIGERING = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {k: {"type": "string"} for k in _KORRIGERFELT},
                "additionalProperties": False,
            }
        }
    },
}
_LISTE = [
    {"name": n, "in": "query", "required": False, "schema": {"type": t}, "description": d}
    for n, t, d in (
        ("sok", "string", "fakturanummer eller kjøper (del av)"),
        ("kjoper", "string", "kjøperens navn (del av)"),
        ("gjennomforing", "integer", "gjennomføringens id"),
        ("maned", "string", "ÅÅÅÅ-MM: laget for måneden eller perioden overlapper den"),
        ("status", "string", "status"),
        ("art", "string", "faktura eller kreditnota"),
        ("fra", "string", "perioden slutter denne datoen eller senere"),
        ("til", "string", "perioden starter denne datoen eller før"),
        ("sorter", "string", "nummer, dato, belop eller status"),
        ("retning", "string", "stigende eller synkende (standard)"),
        ("side", "integer", "side (50 per side), fra 1"),
    )
]
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
            "get": _op(
                "Finn fakturaer: søk, sortering, 50 per side, summer per måned",
                {"200": "Treff", "403": "", "422": ""},
                parameters=_LISTE,
            ),
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
                "Lag kreditnota med begrunnelse for linjer som ikke er kreditert "
                "(alle når linjer mangler)",
                {"201": "Opprettet", "404": "", "409": "", "422": ""},
                retry_after=True,
                parameters=_ID,
                requestBody=_KREDITNOTA,
            ),
        },
        "/fakturaer/{faktura_id}/kreditnota/forhandsvisning": {
            "post": _op(
                "Vis hva en kreditnota vil kreditere (lager ingenting)",
                {"200": "Linjer, timer og sum", "404": "", "409": "", "422": ""},
                parameters=_ID,
                requestBody=_KREDITNOTA,
            ),
        },
        "/fakturaer/{faktura_id}/korrigering": {
            "post": _op(
                "Lag korrigert faktura av en avvist eller helt kreditert faktura",
                {"201": "Opprettet", "404": "", "409": "", "422": ""},
                retry_after=True,
                parameters=_ID,
                requestBody=_KORRIGERING,
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
