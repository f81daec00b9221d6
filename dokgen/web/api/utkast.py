"""``/api/v1/deltakere/{id}/utkast/{type}``: a document's data prefilled from the register, to
complete and send to ``POST /api/v1/dokumenter?deltaker_id={id}``."""

from __future__ import annotations

from typing import Any

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.services import utkast as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op


@bp.get("/deltakere/<deltaker_id>/utkast/<type_navn>")
def utkast(deltaker_id: str, type_navn: str) -> Any:
    """Return the prefilled data and the required fields still to write (``mangler``)."""
    id_ = record_id(deltaker_id, "deltakeren")
    data = service.utkast(deps(), aktor(), id_, type_navn)
    return {
        "type": type_navn,
        "deltaker_id": id_,
        "data": data,
        "mangler": service.mangler(type_navn, data),
    }


SCHEMAS["Utkast"] = {
    "type": "object",
    "required": ["type", "deltaker_id", "data", "mangler"],
    "properties": {
        "type": {"type": "string", "enum": list(DOKUMENTTYPER)},
        "deltaker_id": {"type": "integer"},
        "data": {
            "type": "object",
            "description": "Dokumentets data så langt registeret kjenner dem (typens JSON)",
        },
        "mangler": {
            "type": "array",
            "description": "Påkrevde felt som må fylles ut (sti med punktum)",
            "items": {"type": "string"},
        },
    },
}

PATHS.update(
    {
        "/deltakere/{deltaker_id}/utkast/{type_navn}": {
            "get": _op(
                "Et utkast til et dokument for deltakeren, forhåndsutfylt fra registeret",
                {
                    "200": _ok("Utkastet", {"$ref": "#/components/schemas/Utkast"}),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
                parameters=[
                    {
                        "name": "deltaker_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "type_navn",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(DOKUMENTTYPER)},
                    },
                ],
            ),
        },
    }
)
