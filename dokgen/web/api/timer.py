"""``/api/v1/timer``: the registered activities (hours) of the deltakere the caller may see,
and new ones as a JSON list in the fakturagrunnlag's ``aktiviteter`` shape or as the timeliste
CSV, stored all rows or none; ``/api/v1/frister/varslet`` marks a no-show's frist done."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging import timeregler
from dokgen.services import frister as frister_service
from dokgen.services import timer as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import JSON_TYPER, QueryArgs, bp, json_body, json_object, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op

MEDIATYPER = ("application/json", "text/csv")


@bp.get("/timer")
def timer() -> Any:
    """List the activities by date (``?deltaker=ID&gjennomforing=ID&maned=YYYY-MM``), each
    with its billed hours and the rule pack's adjustment in words."""
    q = QueryArgs()
    deltaker_id, gjennomforing_id = q.integer("deltaker"), q.integer("gjennomforing")
    maned = q.text("maned")
    q.check()
    rader = service.liste(
        deps(), aktor(), deltaker_id=deltaker_id, gjennomforing_id=gjennomforing_id, maned=maned
    )
    return {"aktiviteter": rader}


@bp.post("/timer")
def registrer_timer() -> Any:
    """Register activities (a JSON list, or the timeliste as ``text/csv``): all or none;
    ``?forhandsvis=1`` checks and shows them with every row's errors and writes nothing."""
    q = QueryArgs()
    forhandsvis = q.flag("forhandsvis")
    q.check()
    if request.mimetype == "text/csv":
        svar = service.importer_csv(deps(), aktor(), request.get_data(), forhandsvis=forhandsvis)
    elif request.mimetype in JSON_TYPER:
        svar = service.registrer_liste(
            deps(), aktor(), json_body(), kilde="api", forhandsvis=forhandsvis
        )
    else:
        raise UnsupportedMediaType("send application/json (en liste av aktiviteter) eller text/csv")
    return svar, 200 if forhandsvis else 201


@bp.put("/timer/<aktivitet_id>")
def endre_timer(aktivitet_id: str) -> Any:
    """Change one activity (the same fields as one row of ``POST /timer``)."""
    return service.endre(deps(), aktor(), record_id(aktivitet_id, "aktiviteten"), json_object())


@bp.delete("/timer/<aktivitet_id>")
def slett_timer(aktivitet_id: str) -> Any:
    """Delete one activity (not once its month is claimed)."""
    service.slett(deps(), aktor(), record_id(aktivitet_id, "aktiviteten"))
    return "", 204


@bp.post("/frister/varslet")
def nav_varslet() -> Any:
    """Mark a "Varsle NAV samme dag" frist done: NAV is notified of the no-show."""
    body = json_object()
    deltaker_id, nokkel = body.get("deltaker_id"), body.get("nokkel")
    if not isinstance(deltaker_id, int) or not isinstance(nokkel, str):
        melding = 'send {"deltaker_id": 12, "nokkel": "varsle_nav:2026-10-09"}'
        raise InputInvalidError([FieldError("", melding)])
    return frister_service.marker_varslet(deps(), aktor(), deltaker_id=deltaker_id, nokkel=nokkel)


_TEKST = {"type": ["string", "null"]}
_HELTALL = {"type": ["integer", "null"]}
_AKTIVITET_INN = {
    "type": "object",
    "description": "Én aktivitet som i fakturagrunnlagets aktiviteter; deltakeren ved nr",
    "required": ["dato", "deltaker", "aktivitet", "minutter"],
    "additionalProperties": False,
    "properties": {
        "dato": {"type": "string", "format": "date"},
        "deltaker": {
            "type": "object",
            "required": ["nr"],
            "properties": {"nr": {"type": "string"}, "navn": {"type": "string"}},
        },
        "aktivitet": {"type": "string", "description": "Regelsettets aktivitet, f.eks. oppfolging"},
        "minutter": {"type": "integer", "minimum": 1, "maximum": timeregler.MAKS_MINUTTER},
        "mote": _TEKST,
        "rapport": _TEKST,
        "antall_deltakere": _HELTALL,
        "kommentar": _TEKST,
    },
}
SCHEMAS["AktivitetInn"] = _AKTIVITET_INN
SCHEMAS["Aktivitet"] = {
    "type": "object",
    "description": "En registrert aktivitet med fakturerte timer og regelsettets justering i ord",
    "required": [
        "id",
        "dato",
        "deltaker",
        "aktivitet",
        "aktivitet_tekst",
        "minutter",
        "timer",
        "justering",
        "krevd",
    ],
    "properties": {
        "id": _HELTALL,
        "dato": {"type": "string", "format": "date"},
        "deltaker": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "nr": {"type": "string"},
                "navn": {"type": "string"},
            },
        },
        "gjennomforing_id": {"type": "integer"},
        "aktivitet": {"type": "string"},
        "aktivitet_tekst": {"type": "string"},
        "minutter": {"type": "integer"},
        "mote": _TEKST,
        "rapport": _TEKST,
        "antall_deltakere": _HELTALL,
        "kommentar": _TEKST,
        "timer": {"type": ["string", "null"], "description": "Fakturerte timer, f.eks. 0.25"},
        "justering": {"type": "string", "description": "Tom når minuttene faktureres som de er"},
        "kilde": _TEKST,
        "registrert_av": _TEKST,
        "krevd": {"type": "boolean", "description": "Måneden er krevd eller fakturert"},
    },
}
SCHEMAS["Timesvar"] = {
    "type": "object",
    "required": ["aktiviteter", "feil", "skrevet"],
    "properties": {
        "aktiviteter": {"type": "array", "items": {"$ref": "#/components/schemas/Aktivitet"}},
        "feil": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "radnr": _HELTALL,
                    "felt": {"type": "string"},
                    "melding": {"type": "string"},
                },
            },
        },
        "skrevet": {"type": "boolean"},
    },
}
_REF_INN = {"$ref": "#/components/schemas/AktivitetInn"}
_ID = [{"name": "aktivitet_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def _query(navn: str, beskrivelse: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": navn, "in": "query", "required": False, "description": beskrivelse,
            "schema": schema}  # fmt: skip


PATHS.update(
    {
        "/timer": {
            "get": _op(
                "List registrerte aktiviteter (timer) med fakturerte timer og justering",
                {
                    "200": _ok(
                        "Aktivitetene",
                        {
                            "type": "object",
                            "properties": {
                                "aktiviteter": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Aktivitet"},
                                }
                            },
                        },
                    ),
                    "403": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=[
                    _query("deltaker", "Deltakerens id", {"type": "integer"}),
                    _query("gjennomforing", "Gjennomføringens id", {"type": "integer"}),
                    _query("maned", "Måneden, ÅÅÅÅ-MM", {"type": "string"}),
                ],
            ),
            "post": _op(
                "Registrer aktiviteter: en JSON-liste eller timelisten som CSV, alle eller ingen",
                {
                    "200": _ok("Forhåndsvisningen", {"$ref": "#/components/schemas/Timesvar"}),
                    "201": _ok("Lagret", {"$ref": "#/components/schemas/Timesvar"}),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "413": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=[
                    _query(
                        "forhandsvis",
                        "1: vis radene med justering og feil, lagre ingenting",
                        {"type": "string", "enum": ["1", "0"]},
                    )
                ],
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/AktivitetInn"},
                            }
                        },
                        "text/csv": {"schema": {"type": "string", "description": "timeliste"}},
                    },
                },
            ),
        },
        "/timer/{aktivitet_id}": {
            "put": _op(
                "Endre en aktivitet (ikke når måneden er krevd)",
                {
                    "200": _ok("Aktiviteten", {"$ref": "#/components/schemas/Aktivitet"}),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=_ID,
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AktivitetInn"}
                        }
                    },
                },
            ),
            "delete": _op(
                "Slett en aktivitet (ikke når måneden er krevd)",
                {
                    "204": {"description": "Slettet"},
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                },
                parameters=_ID,
            ),
        },
        "/frister/varslet": {
            "post": _op(
                "Merk fristen «Varsle NAV samme dag» som gjort: NAV er varslet",
                {
                    "200": _ok("Fristen er levert"),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["deltaker_id", "nokkel"],
                                "properties": {
                                    "deltaker_id": {"type": "integer"},
                                    "nokkel": {"type": "string"},
                                },
                            }
                        }
                    },
                },
            ),
        },
    }
)
