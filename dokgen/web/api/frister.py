"""``/api/v1/frister``: the frister of the deltakere (and gjennomføringer) the caller may see,
judged on a day, and a user's manual link of a document to a frist."""

from __future__ import annotations

from typing import Any

from flask import Response

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.oppfolging import frister as regler
from dokgen.oppfolging.modeller import FristkoblingInn, les
from dokgen.oppfolging.regelsett import TITLER as FRISTTYPER
from dokgen.services import frister as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp, json_object
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op, model_schema

# A frist's type: a document type, or a frist met otherwise (the resultatrapport's export,
# "Varsle NAV samme dag"); the rule packs' types may name document types not yet registered.
_TYPER = sorted({*DOKUMENTTYPER, *FRISTTYPER})


@bp.get("/frister")
def frister() -> Any:
    """List the frister by due date, filtered (``?format=csv`` for a download without
    fødselsnummer)."""
    q = QueryArgs()
    utvalg = service.Fristutvalg(
        dato=q.date("dato"),
        fra=q.date("fra"),
        til=q.date("til"),
        status=q.choice("status", regler.STATUSER),
        type=q.choice("type", _TYPER),
        deltaker_id=q.integer("deltaker_id"),
        gjennomforing_id=q.integer("gjennomforing_id"),
        veileder=q.integer("veileder"),
    )
    csv = q.choice("format", ("json", "csv")) == "csv"
    q.check()
    rader = service.liste(deps(), aktor(), utvalg)
    if csv:
        response = Response(service.som_csv(rader), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="frister.csv"'
        return response
    return {"frister": rader}


@bp.post("/frister/kobling")
def koble_frist() -> Any:
    """Link a document to a frist by hand (``FristkoblingInn``); 201 with the link."""
    inn = les(FristkoblingInn, json_object())
    svar = service.koble(
        deps(),
        aktor(),
        nokkel=inn.nokkel,
        dokument_id=inn.dokument_id,
        deltaker_id=inn.deltaker_id,
        gjennomforing_id=inn.gjennomforing_id,
    )
    return svar, 201


_VALGFRI_TEKST = {"type": ["string", "null"]}
_VALGFRI_ID = {"type": ["integer", "null"]}
_DATO = {"type": "string", "format": "date"}
SCHEMAS.update(model_schema("FristkoblingInn", FristkoblingInn))
SCHEMAS["Frist"] = {
    "type": "object",
    "description": "En frist vurdert på en dag; evalueringsrapportens frister har ingen deltaker",
    "required": [
        "nokkel",
        "deltaker_id",
        "gjennomforing_id",
        "type",
        "tittel",
        "periode",
        "frist",
        "status",
        "status_tekst",
        "dokument_id",
        "levert",
    ],
    "properties": {
        "nokkel": {"type": "string"},
        "deltaker_id": _VALGFRI_ID,
        "deltaker_nr": _VALGFRI_TEKST,
        "deltaker_navn": _VALGFRI_TEKST,
        "gjennomforing_id": {"type": "integer"},
        "type": {"type": "string"},
        "tittel": {"type": "string"},
        "periode": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["fra", "til"],
                    "properties": {"fra": _DATO, "til": _DATO},
                },
                {"type": "null"},
            ]
        },
        "frist": _DATO,
        "status": {"type": "string", "enum": list(regler.STATUSER)},
        "status_tekst": {"type": "string"},
        "dokument_id": _VALGFRI_TEKST,
        "levert": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["dato", "for_sent"],
                    "properties": {"dato": _DATO, "for_sent": {"type": "boolean"}},
                },
                {"type": "null"},
            ]
        },
    },
}


def _param(navn: str, beskrivelse: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": navn,
        "in": "query",
        "required": False,
        "description": beskrivelse,
        "schema": schema,
    }


_DATO_PARAM = {"type": "string", "format": "date"}
_UTVALG = [
    _param("dato", "Dagen statusene vurderes på (i dag om den mangler)", _DATO_PARAM),
    _param("fra", "Frister fra og med denne datoen", _DATO_PARAM),
    _param("til", "Frister til og med denne datoen", _DATO_PARAM),
    _param("status", "Fristens status", {"type": "string", "enum": list(regler.STATUSER)}),
    _param("type", "Hva fristen gjelder (dokumenttype)", {"type": "string", "enum": _TYPER}),
    _param("deltaker_id", "Deltakeren", {"type": "integer"}),
    _param("gjennomforing_id", "Gjennomføringen", {"type": "integer"}),
    _param("veileder", "Brukeren (id) som følger deltakerne", {"type": "integer"}),
    _param("format", "csv for nedlasting", {"type": "string", "enum": ["json", "csv"]}),
]
_LISTE = {
    "type": "object",
    "required": ["frister"],
    "properties": {"frister": {"type": "array", "items": {"$ref": "#/components/schemas/Frist"}}},
}
_KOBLING = {
    "type": "object",
    "required": ["nokkel", "dokument_id", "deltaker_id"],
    "properties": {
        "nokkel": {"type": "string"},
        "dokument_id": {"type": "string"},
        "deltaker_id": _VALGFRI_ID,
    },
}

PATHS.update(
    {
        "/frister": {
            "get": _op(
                "Frister for deltakerne du kan se, etter dato",
                {
                    "200": {
                        "description": "Fristene (CSV uten fødselsnummer med format=csv)",
                        "content": {
                            "application/json": {"schema": _LISTE},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "422": _PROBLEM,
                },
                parameters=_UTVALG,
            ),
        },
        "/frister/kobling": {
            "post": _op(
                "Koble et dokument til en frist for hånd",
                {
                    "201": _ok("Koblet", _KOBLING),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "413": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/FristkoblingInn"}
                        }
                    },
                },
            ),
        },
    }
)
