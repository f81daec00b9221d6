"""A placement's follow-up in the API: its oppstartsmøte (``GET/PUT
/plasseringer/{id}/oppstartsmote``, one per placement, corrected in place) and the absences
its arbeidsgiver reports (``GET/POST /plasseringer/{id}/fravaer``, ``DELETE
/plasseringer/{id}/fravaer/{fid}``).

A placement the caller may not see answers 404, as in the rest of the register.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from dokgen.errors import RecordNotFoundError
from dokgen.oppfolging.kodeverk import FRAVAERSARSAKER, MELDT_VIA, MOTEROLLER
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import FravaerInn, OppstartsmoteInn
from dokgen.services import praksisoppfolging as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp, json_object, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op, model_schema


@bp.get("/plasseringer/<plassering_id>/oppstartsmote")
def hent_oppstartsmote(plassering_id: str) -> Any:
    """Return the placement's oppstartsmøte; 404 when none is recorded."""
    mote = service.hent_oppstartsmote(deps(), aktor(), record_id(plassering_id, "plasseringen"))
    if mote is None:
        raise RecordNotFoundError("oppstartsmøtet er ikke registrert")
    return mote


@bp.put("/plasseringer/<plassering_id>/oppstartsmote")
def registrer_oppstartsmote(plassering_id: str) -> Any:
    """Record the placement's oppstartsmøte, or correct the one recorded."""
    id_ = record_id(plassering_id, "plasseringen")
    inn = les(OppstartsmoteInn, json_object())
    return service.registrer_oppstartsmote(deps(), aktor(), id_, inn)


@bp.get("/plasseringer/<plassering_id>/fravaer")
def fravaer(plassering_id: str) -> Any:
    """List the absences registered on the placement, by first day."""
    id_ = record_id(plassering_id, "plasseringen")
    return {"fravaer": service.fravaer_for_plassering(deps(), aktor(), id_)}


@bp.post("/plasseringer/<plassering_id>/fravaer")
def registrer_fravaer(plassering_id: str) -> Any:
    """Register an absence the arbeidsgiver reported; 201."""
    id_ = record_id(plassering_id, "plasseringen")
    inn = les(FravaerInn, json_object())
    ny = service.registrer_fravaer(deps(), aktor(), id_, inn)
    return ny, 201, {"Location": url_for("api.fravaer", plassering_id=id_)}


@bp.delete("/plasseringer/<plassering_id>/fravaer/<fravaer_id>")
def slett_fravaer(plassering_id: str, fravaer_id: str) -> Any:
    """Delete an absence registered by mistake; 204."""
    id_ = record_id(plassering_id, "plasseringen")
    service.slett_fravaer(deps(), aktor(), id_, record_id(fravaer_id, "fraværet"))
    return "", 204


_TEKST = {"type": "string"}
_VALGFRI = {"type": ["string", "null"]}
_DATO = {"type": "string", "format": "date"}


def _objekt(egenskaper: dict[str, Any], beskrivelse: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": beskrivelse,
        "required": list(egenskaper),
        "properties": egenskaper,
    }


_MOTEDELTAKER = _objekt(
    {"rolle": {"type": "string", "enum": list(MOTEROLLER)}, "navn": _TEKST, "rolle_tekst": _TEKST},
    "En som møtte",
)
_MOTE = {
    "plassering_id": {"type": "integer"},
    "dato": _DATO,
    "deltakere": {"type": "array", "items": _MOTEDELTAKER},
    "malsetting": _TEKST,
    "yrkesmal": _VALGFRI,
    "tilretteleggingsbehov": _VALGFRI,
    "registrert_av": _TEKST,
    "endret": _TEKST,
}
_FRAVAER = {
    "id": {"type": "integer"},
    "plassering_id": {"type": "integer"},
    "deltaker_id": {"type": "integer"},
    "fra_dato": _DATO,
    "til_dato": _DATO,
    "minutter": {"type": ["integer", "null"]},
    "arsak": {"type": "string", "enum": list(FRAVAERSARSAKER)},
    "arsak_tekst": _TEKST,
    "gyldig": {"type": "boolean", "description": "Nei: varsle NAV samme dag"},
    "meldt_av": _TEKST,
    "meldt_via": {"type": "string", "enum": list(MELDT_VIA)},
    "meldt_via_tekst": _TEKST,
    "meldt_dato": _DATO,
    "registrert_av": _TEKST,
}
SCHEMAS.update(model_schema("OppstartsmoteInn", OppstartsmoteInn))
SCHEMAS.update(model_schema("FravaerInn", FravaerInn))
SCHEMAS["Oppstartsmote"] = _objekt(_MOTE, "Oppstartsmøtet før en plassering starter")
SCHEMAS["Plasseringsfravaer"] = _objekt(_FRAVAER, "Fravær arbeidsgiveren har meldt")


def _ref(navn: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{navn}"}


def _json(navn: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(navn)}}}


def _sti(*navn: str) -> list[dict[str, Any]]:
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "integer"}} for n in navn
    ]


_FEIL = {"400": _PROBLEM, "403": _PROBLEM, "404": _PROBLEM, "415": _PROBLEM, "422": _PROBLEM}
_LISTE = _objekt({"fravaer": {"type": "array", "items": _ref("Plasseringsfravaer")}}, "Treff")

PATHS.update(
    {
        "/plasseringer/{plassering_id}/oppstartsmote": {
            "get": _op(
                "Hent oppstartsmøtet (404 når det ikke er registrert)",
                {"200": _ok("Oppstartsmøtet", _ref("Oppstartsmote")), "404": _PROBLEM},
                parameters=_sti("plassering_id"),
            ),
            "put": _op(
                "Registrer eller rett oppstartsmøtet (veileder, leder og deltaker må ha møtt; "
                "en arbeidstrening må ha et yrkesmål)",
                {"200": _ok("Registrert", _ref("Oppstartsmote")), **_FEIL},
                parameters=_sti("plassering_id"),
                requestBody=_json("OppstartsmoteInn"),
            ),
        },
        "/plasseringer/{plassering_id}/fravaer": {
            "get": _op(
                "Fraværet registrert på plasseringen",
                {"200": _ok("Treff", _LISTE), "404": _PROBLEM},
                parameters=_sti("plassering_id"),
            ),
            "post": _op(
                "Registrer fravær arbeidsgiveren har meldt (uten gyldig grunn: en frist "
                "«Varsle NAV samme dag» per dag)",
                {"201": _ok("Registrert", _ref("Plasseringsfravaer")), **_FEIL},
                parameters=_sti("plassering_id"),
                requestBody=_json("FravaerInn"),
            ),
        },
        "/plasseringer/{plassering_id}/fravaer/{fravaer_id}": {
            "delete": _op(
                "Slett fravær registrert ved en feil",
                {"204": {"description": "Slettet"}, "403": _PROBLEM, "404": _PROBLEM},
                parameters=_sti("plassering_id", "fravaer_id"),
            ),
        },
    }
)
