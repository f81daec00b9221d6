"""``/api/v1/deltakere/import``: a deltaker list from NAV (NAV's JSON, the coordinator list as
CSV or a pasted table) into one gjennomføring, previewed or committed all or nothing."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import UnsupportedMediaType

from dokgen.services import deltakerimport as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op

# text/plain is a table pasted from NAV's pages: the service tells its shape by the content.
MEDIATYPER = ("application/json", "text/csv", "text/tab-separated-values", "text/plain")


@bp.post("/deltakere/import")
def importer_deltakere() -> Any:
    """Import a deltaker list (``?gjennomforing_id=N``; ``&forhandsvis=1`` writes nothing):
    what is new, changed, unchanged and missing, and every row's errors."""
    q = QueryArgs()
    gjennomforing_id, forhandsvis = q.required_integer("gjennomforing_id"), q.flag("forhandsvis")
    q.check()
    if request.mimetype not in MEDIATYPER:
        raise UnsupportedMediaType(
            "send application/json, text/csv eller text/tab-separated-values"
        )
    return service.importer(
        deps(),
        aktor(),
        gjennomforing_id=gjennomforing_id,
        innhold=request.get_data(),
        mediatype=request.mimetype,
        forhandsvis=forhandsvis,
    )


_ID = {"type": "integer"}
_VALGFRI_ID = {"type": ["integer", "null"]}
_TEKST = {"type": "string"}


def _liste(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "required": required, "properties": properties},
    }


SCHEMAS["Importsvar"] = {
    "type": "object",
    "description": "Hva filen gir: nye, endrede og uendrede deltakere, de som mangler i filen "
    "(beholdes) og hver rads feil; skrevet er false ved forhåndsvisning",
    "required": ["nye", "endrede", "uendrede", "mangler_i_filen", "feil", "skrevet"],
    "properties": {
        "nye": _liste(
            {"radnr": _ID, "navn": _TEKST, "nr": _TEKST, "deltaker_id": _ID}, ["radnr", "navn"]
        ),
        "endrede": _liste(
            {
                "radnr": _ID,
                "deltaker_id": _ID,
                "nr": _TEKST,
                "navn": _TEKST,
                "endringer": {"type": "array", "items": {"type": "object"}},
            },
            ["radnr", "deltaker_id", "nr", "navn", "endringer"],
        ),
        "uendrede": _liste(
            {"radnr": _ID, "deltaker_id": _ID, "nr": _TEKST, "navn": _TEKST},
            ["radnr", "deltaker_id", "nr", "navn"],
        ),
        "mangler_i_filen": _liste(
            {"deltaker_id": _ID, "nr": _TEKST, "navn": _TEKST}, ["deltaker_id", "nr", "navn"]
        ),
        "feil": _liste(
            {"radnr": _VALGFRI_ID, "felt": _TEKST, "melding": _TEKST},
            ["radnr", "felt", "melding"],
        ),
        "skrevet": {"type": "boolean"},
    },
}

PATHS.update(
    {
        "/deltakere/import": {
            "post": _op(
                "Importer deltakere fra NAV (JSON, CSV eller innlimt tabell) til en gjennomføring",
                {
                    "200": _ok("Resultatet", {"$ref": "#/components/schemas/Importsvar"}),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                    "413": _PROBLEM,
                    "415": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=[
                    {
                        "name": "gjennomforing_id",
                        "in": "query",
                        "required": True,
                        "description": "Gjennomføringen deltakerne er i",
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "forhandsvis",
                        "in": "query",
                        "required": False,
                        "description": "1: vis hva importen ville gjøre, lagre ingenting",
                        "schema": {"type": "string", "enum": ["1", "0"]},
                    },
                ],
                requestBody={
                    "required": True,
                    "content": {m: {"schema": {"type": "string"}} for m in MEDIATYPER},
                },
            ),
        },
    }
)
