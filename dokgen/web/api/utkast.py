"""``/api/v1/deltakere/{id}/utkast/{type}``: a document's data prefilled from the register, to
complete and send to ``POST /api/v1/dokumenter?deltaker_id={id}``;
``/api/v1/gjennomforinger/{id}/utkast/{type}`` the same for a gjennomføring's own document
(``?gjennomforing_id={id}``), an årsrapport's figures with where they came from (``kilder``);
``/api/v1/plasseringer/{id}/utkast/{type}`` a document started from a placement (its
arbeidsgiver, place, dates and oppstartsmøte), to send to ``?plassering_id={id}``."""

from __future__ import annotations

from typing import Any

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import utkast as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op


@bp.get("/deltakere/<deltaker_id>/utkast/<type_navn>")
def utkast(deltaker_id: str, type_navn: str) -> Any:
    """Return the prefilled data and the required fields still to write (``mangler``), each
    also with what to write there and an example (``mangler_forklart``)."""
    id_ = record_id(deltaker_id, "deltakeren")
    data = service.utkast(deps(), aktor(), id_, type_navn)
    mangler = service.mangler(type_navn, data)
    return {
        "type": type_navn,
        "deltaker_id": id_,
        "data": data,
        "mangler": mangler,
        "mangler_forklart": service.mangler_forklart(type_navn, mangler),
    }


@bp.get("/plasseringer/<plassering_id>/utkast/<type_navn>")
def utkast_plassering(plassering_id: str, type_navn: str) -> Any:
    """Return a document prefilled from a placement and the required fields still to write
    (``mangler``), each also with what to write there and an example (``mangler_forklart``)."""
    id_ = record_id(plassering_id, "plasseringen")
    data = service.utkast_for_plassering(deps(), aktor(), id_, type_navn)
    mangler = service.mangler(type_navn, data)
    return {
        "type": type_navn,
        "plassering_id": id_,
        "data": data,
        "mangler": mangler,
        "mangler_forklart": service.mangler_forklart(type_navn, mangler),
    }


@bp.get("/gjennomforinger/<gjennomforing_id>/utkast/<type_navn>")
def utkast_gjennomforing(gjennomforing_id: str, type_navn: str) -> Any:
    """Return a gjennomføring's document prefilled (``?ar=ÅÅÅÅ``: an årsrapport's year),
    the required fields still to write and where the figures came from (``kilder``)."""
    id_ = record_id(gjennomforing_id, "gjennomføringen")
    q = QueryArgs()
    ar = q.integer("ar")
    q.check()
    if ar is not None and not 2000 <= ar <= 2099:
        raise InputInvalidError([FieldError("ar", "skriv året med fire sifre, f.eks. 2026")])
    fylt = service.utkast_for_gjennomforing(deps(), aktor(), id_, type_navn, ar=ar)
    mangler = service.mangler(type_navn, fylt.data)
    return {
        "type": type_navn,
        "gjennomforing_id": id_,
        "data": fylt.data,
        "mangler": mangler,
        "mangler_forklart": service.mangler_forklart(type_navn, mangler),
        "kilder": fylt.kilder,
    }


SCHEMAS["Utkast"] = {
    "type": "object",
    "required": ["type", "deltaker_id", "data", "mangler", "mangler_forklart"],
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
        "mangler_forklart": {
            "type": "array",
            "description": (
                "De samme feltene, hvert med hva som skal skrives og et eksempel "
                "(«mangler: skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2026-03-02»)"
            ),
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

SCHEMAS["Gjennomforingsutkast"] = {
    "type": "object",
    "required": ["type", "gjennomforing_id", "data", "mangler", "mangler_forklart", "kilder"],
    "properties": {
        **{k: v for k, v in SCHEMAS["Utkast"]["properties"].items() if k != "deltaker_id"},
        "gjennomforing_id": {"type": "integer"},
        "kilder": {
            "type": "array",
            "description": (
                "Hvor de forhåndsutfylte tallene kommer fra, i klartekst («Plasser: beregnet "
                "fra deltakerregisteret 01.01.–31.12.2026: 12 deltakere …»)"
            ),
            "items": {"type": "string"},
        },
    },
}

SCHEMAS["Plasseringsutkast"] = {
    "type": "object",
    "required": ["type", "plassering_id", "data", "mangler", "mangler_forklart"],
    "properties": {
        **{k: v for k, v in SCHEMAS["Utkast"]["properties"].items() if k != "deltaker_id"},
        "plassering_id": {"type": "integer"},
    },
}


def _sti(id_navn: str) -> list[dict[str, Any]]:
    """Return the path parameters of an utkast: the record's id and the document type."""
    return [
        {"name": id_navn, "in": "path", "required": True, "schema": {"type": "integer"}},
        {
            "name": "type_navn",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": list(DOKUMENTTYPER)},
        },
    ]


PATHS.update(
    {
        "/plasseringer/{plassering_id}/utkast/{type_navn}": {
            "get": _op(
                "Et utkast til et dokument startet fra en plassering (tilretteleggingsgaranti, "
                "oppfølgingsplan, arbeidspraksisavtale), forhåndsutfylt med arbeidsgiver, "
                "praksisplass, datoer og oppstartsmøtet",
                {
                    "200": _ok("Utkastet", {"$ref": "#/components/schemas/Plasseringsutkast"}),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
                parameters=[
                    *_sti("plassering_id"),
                ],
            ),
        },
        "/gjennomforinger/{gjennomforing_id}/utkast/{type_navn}": {
            "get": _op(
                "Et utkast til gjennomføringens eget dokument (f.eks. årsrapport), "
                "forhåndsutfylt fra registeret",
                {
                    "200": _ok("Utkastet", {"$ref": "#/components/schemas/Gjennomforingsutkast"}),
                    "400": _PROBLEM,
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
                parameters=[
                    *_sti("gjennomforing_id"),
                    {
                        "name": "ar",
                        "in": "query",
                        "required": False,
                        "description": "Årsrapportens år (standard: året for neste åpne frist)",
                        "schema": {"type": "integer"},
                    },
                ],
            ),
        },
        "/deltakere/{deltaker_id}/utkast/{type_navn}": {
            "get": _op(
                "Et utkast til et dokument for deltakeren, forhåndsutfylt fra registeret",
                {
                    "200": _ok("Utkastet", {"$ref": "#/components/schemas/Utkast"}),
                    "403": _PROBLEM,
                    "404": _PROBLEM,
                },
                parameters=[
                    *_sti("deltaker_id"),
                ],
            ),
        },
    }
)
