"""``/api/v1/resultatrapport``: a gjennomføring's monthly resultatrapport (JMO §9.2) as JSON,
or by ``Accept`` as a spreadsheet or a sealed PDF/A. No answer names a person."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request

from dokgen.services import resultatrapport as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _op

JSON = "application/json"
# The media types the report is given in, the first the default (``Accept: */*``).
MEDIATYPER = {JSON: None, **{m: f for f, m in service.FORMATER.items()}}


@bp.get("/resultatrapport")
def resultatrapport() -> Any:
    """Return the month's report: JSON, or XLSX/PDF by ``Accept`` (406 for another type)."""
    q = QueryArgs()
    gjennomforing_id = q.required_integer("gjennomforing_id")
    maned = q.text("maned") or ""
    q.check()
    godtatt = request.accept_mimetypes
    mediatype = godtatt.best_match(list(MEDIATYPER)) if godtatt else JSON
    if mediatype is None or mediatype not in MEDIATYPER:
        abort(406, "Velg application/json, application/pdf eller XLSX i Accept.")
    format_ = MEDIATYPER[mediatype]
    if format_ is None:
        return service.beregn(deps(), aktor(), gjennomforing_id, maned)
    eksport = service.eksporter(deps(), aktor(), gjennomforing_id, maned, format_)
    response = Response(eksport.innhold, mimetype=eksport.mediatype)
    response.headers["Content-Disposition"] = f'attachment; filename="{eksport.filnavn}"'
    response.headers["Vary"] = "Accept"
    return response


_ANTALL = {"type": "integer", "minimum": 0}
SCHEMAS["Resultatrapport"] = {
    "type": "object",
    "description": "Resultatrapport for en gjennomføring og måned (JMO §9.2); ingen personer",
    "required": [
        "gjennomforing",
        "arrangor",
        "maned",
        "periode",
        "aktive",
        "startet",
        "avsluttet",
        "avsluttet_etter_status",
        "kartlegging",
        "frist",
        "levert",
    ],
    "properties": {
        "gjennomforing": {"type": "object"},
        "arrangor": {"type": "object"},
        "maned": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "periode": {"type": "object"},
        "aktive": _ANTALL,
        "startet": _ANTALL,
        "avsluttet": _ANTALL,
        "avsluttet_etter_status": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["nokkel", "tekst", "antall"],
                "properties": {
                    "nokkel": {"type": "string"},
                    "tekst": {"type": "string"},
                    "antall": _ANTALL,
                },
            },
        },
        "kartlegging": {
            "type": "object",
            "description": "Hvilken status i sluttrapporten som teller som hvilken kategori",
            "properties": {
                "kilde": {"type": "string"},
                "rader": {"type": "array", "items": {"type": "object"}},
            },
        },
        "frist": {"type": ["string", "null"], "format": "date"},
        "levert": {
            "type": ["string", "null"],
            "format": "date",
            "description": "Dagen måneden først ble eksportert (møter fristen)",
        },
    },
}

PATHS["/resultatrapport"] = {
    "get": _op(
        "Resultatrapport for en gjennomføring og måned (JSON, XLSX eller forseglet PDF etter "
        "Accept)",
        {
            "200": {
                "description": "Rapporten. En eksport (XLSX/PDF) av en avsluttet måned møter "
                "månedens frist",
                "content": {
                    JSON: {"schema": {"$ref": "#/components/schemas/Resultatrapport"}},
                    service.FORMATER["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                    service.FORMATER["pdf"]: {"schema": {"type": "string", "format": "binary"}},
                },
            },
            "400": _PROBLEM,
            "403": _PROBLEM,
            "404": _PROBLEM,
            "406": _PROBLEM,
            "422": _PROBLEM,
        },
        parameters=[
            {
                "name": "gjennomforing_id",
                "in": "query",
                "required": True,
                "schema": {"type": "integer"},
            },
            {
                "name": "maned",
                "in": "query",
                "required": True,
                "description": "Måneden, ÅÅÅÅ-MM",
                "schema": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
            },
        ],
    )
}
