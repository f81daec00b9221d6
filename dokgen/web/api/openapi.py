"""``/api/v1/openapi.json``: the API described in OpenAPI 3.1, document schemas included."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.schemas import json_schema
from dokgen.web.api.blueprint import bp

# Other modules add their paths here (``PATHS.update(...)``) when they are imported, and the
# schemas those paths name (``SCHEMAS.update(...)``).
PATHS: dict[str, Any] = {}
SCHEMAS: dict[str, Any] = {}

_PROBLEM = {"$ref": "#/components/responses/Problem"}
# On answers about a record a worker still has (behandles, forsegles, sending).
RETRY_AFTER = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}


def _op(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": responses, **extra}


def _ok(
    description: str,
    schema: dict[str, Any] | None = None,
    mime: str = "application/json",
    *,
    retry_after: bool = False,
) -> dict[str, Any]:
    content = {mime: {"schema": schema or {"type": "object"}}}
    svar = {"description": description, "content": content}
    return svar | {"headers": RETRY_AFTER} if retry_after else svar


_ID = [{"name": "dokument_id", "in": "path", "required": True, "schema": {"type": "string"}}]

PATHS.update(
    {
        "/dokumenter": {
            "post": _op(
                "Opprett et dokument fra JSON eller XML",
                {
                    "201": _ok(
                        "Opprettet",
                        {"$ref": "#/components/schemas/DokumentSvar"},
                        retry_after=True,
                    ),
                    "400": _PROBLEM,
                    "404": _PROBLEM,
                    "413": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=[
                    {
                        "name": navn,
                        "in": "query",
                        "required": False,
                        "description": beskrivelse,
                        "schema": {"type": "integer"},
                    }
                    for navn, beskrivelse in (
                        ("deltaker_id", "Deltakeren i registeret dokumentet gjelder"),
                        ("gjennomforing_id", "Gjennomføringen (når dokumentet ikke har deltaker)"),
                        (
                            "plassering_id",
                            "Plasseringen dokumentet startes fra (tilretteleggingsgaranti, "
                            "oppfølgingsplan, arbeidspraksisavtale); dokumentet gjelder "
                            "plasseringens deltaker",
                        ),
                    )
                ],
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": f"#/components/schemas/{t}"} for t in DOKUMENTTYPER
                                ]
                            }
                        },
                        "application/xml": {"schema": {"type": "string"}},
                    },
                },
            ),
            "get": _op(
                "Søk i dokumenter",
                {"200": _ok("Treff")},
                parameters=[
                    {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                    for n in ("type", "status", "deltaker", "fra", "til")
                ],
            ),
        },
        "/dokumenter/{dokument_id}": {
            "get": _op(
                "Hent et dokument",
                {"200": _ok("Dokumentet", retry_after=True), "404": _PROBLEM},
                parameters=_ID,
            ),
            "put": _op(
                "Ny versjon av et dokument",
                {
                    "200": _ok("Ny versjon", retry_after=True),
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=_ID,
            ),
        },
        "/dokumenter/{dokument_id}/godkjenninger": {
            "post": _op(
                "Registrer en parts godkjenning",
                {
                    "201": _ok("Godkjent", retry_after=True),
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=_ID,
            ),
        },
        "/dokumenter/{dokument_id}/godkjenningslenker": {
            "post": _op(
                "Lag en personlig godkjenningslenke til en part (sendes på e-post)",
                {
                    "201": _ok("Laget", {"$ref": "#/components/schemas/Godkjenningslenke"}),
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    "422": _PROBLEM,
                    "502": _PROBLEM,
                },
                parameters=_ID,
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NyGodkjenningslenke"}
                        }
                    },
                },
            ),
        },
        "/dokumenter/{dokument_id}/godkjenningslenker/{lenke_id}": {
            "delete": _op(
                "Trekk tilbake en godkjenningslenke som ikke er brukt",
                {"204": {"description": "Trukket tilbake"}, "404": _PROBLEM, "409": _PROBLEM},
                parameters=[
                    *_ID,
                    {
                        "name": "lenke_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
            ),
        },
        "/dokumenter/{dokument_id}/nytt-forsok": {
            "post": _op(
                "Prøv et feilet steg igjen",
                {"202": _ok("I kø", retry_after=True), "409": _PROBLEM},
                parameters=_ID,
            ),
        },
        "/dokumenter/{dokument_id}/pdf": {
            "get": _op(
                "Last ned PDF/A",
                {
                    "200": _ok("PDF", {"type": "string", "format": "binary"}, "application/pdf"),
                    "404": _PROBLEM,
                },
                parameters=_ID,
            ),
        },
        "/dokumenter/{dokument_id}/docx": {
            "get": _op("Last ned DOCX", {"200": _ok("DOCX")}, parameters=_ID),
        },
        "/revisjonslogg": {
            "get": _op("Revisjonslogg (admin)", {"200": _ok("Linjer"), "403": _PROBLEM}),
        },
    }
)


def _components(prefix: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Return a type's JSON Schema as components: its $defs become ``type.Name`` entries."""
    defs = schema.get("$defs", {})

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                node = {**node, "$ref": f"#/components/schemas/{prefix}.{ref[8:]}"}
            return {k: rewrite(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    top = {k: v for k, v in schema.items() if k not in ("$defs", "$schema")}
    result = {prefix: rewrite(top)}
    result.update({f"{prefix}.{name}": rewrite(d) for name, d in defs.items()})
    return result


def model_schema(navn: str, modell: type[BaseModel]) -> dict[str, Any]:
    """Return an input model's JSON Schema as components named ``navn`` and ``navn.Del``."""
    return _components(navn, modell.model_json_schema(mode="validation"))


def spec() -> dict[str, Any]:
    """Return the OpenAPI document."""
    schemas: dict[str, Any] = {}
    for t in DOKUMENTTYPER:
        schemas.update(_components(t, json_schema(t)))
    schemas["DokumentSvar"] = {
        "type": "object",
        "required": ["id", "type", "versjon", "status"],
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string", "enum": list(DOKUMENTTYPER)},
            "versjon": {"type": "integer"},
            "status": {"type": "string"},
            "deltaker_id": {"type": ["integer", "null"]},
            "gjennomforing_id": {"type": ["integer", "null"]},
            "plassering_id": {"type": ["integer", "null"]},
        },
    }
    schemas["NyGodkjenningslenke"] = {
        "type": "object",
        "required": ["part", "navn", "epost"],
        "additionalProperties": False,
        "properties": {
            "part": {"type": "string", "description": "en av dokumentets parter"},
            "navn": {"type": "string", "maxLength": 200},
            "epost": {"type": "string", "format": "email", "description": "engangskoden går hit"},
            "send_epost": {
                "type": "boolean",
                "default": True,
                "description": "false: lenken sendes ikke, men står i svaret (adresse)",
            },
        },
    }
    schemas["Godkjenningslenke"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "part": {"type": "string"},
            "utloper": {"type": "string", "format": "date-time"},
            "sendt_til": {"type": ["string", "null"]},
            "adresse": {"type": ["string", "null"], "description": "bare uten send_epost"},
        },
    }
    schemas.update(SCHEMAS)
    schemas["Problem"] = {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "dokgen API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(PATHS.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "headers": {
                "RetryAfter": {
                    "description": "Sekunder til neste spørring: en arbeider har posten ennå",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
            "responses": {
                "Problem": {
                    "description": "Feil (RFC 9457)",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi() -> Any:
    """Serve the OpenAPI description (no login needed)."""
    return spec()
