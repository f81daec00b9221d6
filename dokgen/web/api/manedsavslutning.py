"""``/api/v1/manedsavslutning``: the month's close (regnskap, admin) — the checks alone
(``forhandsvis=1``) or one invoice or NAV claim per gjennomføring — and its progress."""

from __future__ import annotations

from typing import Any

from flask import request

from dokgen.errors import FieldError, InputInvalidError
from dokgen.services import manedsavslutning as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp, json_object
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op
from dokgen.web.problem import problem


def _korreksjoner() -> dict[str, Any]:
    """Return the body's corrections (no body: none).

    Raises:
        InputInvalidError: ``korreksjoner`` is not an object.
    """
    if not request.get_data(cache=True):
        return {}
    korreksjoner = json_object().get("korreksjoner") or {}
    if not isinstance(korreksjoner, dict):
        melding = "må være et objekt: gjennomføringens id → begrunnelsen"
        raise InputInvalidError([FieldError("korreksjoner", melding)])
    return korreksjoner


def _maned(args: QueryArgs) -> str:
    maned = args.text("maned")
    if maned is None:
        args.errors.append(FieldError("maned", "må oppgis, skrevet ÅÅÅÅ-MM"))
    return maned or ""


@bp.post("/manedsavslutning")
def manedsavslutning() -> Any:
    """Close a month (or only check it, ``forhandsvis=1``); 422 when a check refuses."""
    args = QueryArgs()
    maned, forhandsvis = _maned(args), args.flag("forhandsvis")
    args.check()
    korreksjoner = _korreksjoner()
    if forhandsvis:
        return service.forhandsvis(deps(), aktor(), maned, korreksjoner=korreksjoner).som_json()
    svar = service.avslutt(deps(), aktor(), maned, korreksjoner=korreksjoner, bekreftet=True)
    if not svar.avvist:
        return svar.som_json()
    errors = [
        {"path": f"gjennomforinger/{g.gjennomforing_id}" if g else "maned", "message": f.melding}
        for g, f in svar.alle_funn
        if f.niva == service.FEIL
    ]
    detail = f"Ingenting ble laget: kontrollene stanset avslutningen av {svar.ord}."
    return problem(422, "Måneden kan ikke avsluttes", detail, errors)


@bp.get("/manedsavslutning/status")
def manedsavslutning_status() -> Any:
    """Return how far each claim of the month has come."""
    args = QueryArgs()
    maned = _maned(args)
    args.check()
    rader = service.status(deps(), aktor(), maned)
    ferdig = all(r.status != service.BEHANDLES for r in rader)
    return {"maned": maned, "ferdig": ferdig, "krav": [r.som_json() for r in rader]}


_MANED = {
    "name": "maned",
    "in": "query",
    "required": True,
    "description": "Måneden, ÅÅÅÅ-MM (en hel måned som er over)",
    "schema": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
}
_TEKST = {"type": ["string", "null"]}
SCHEMAS["Manedsfunn"] = {
    "type": "object",
    "required": ["niva", "melding", "deltakere"],
    "properties": {
        "niva": {"enum": ["feil", "advarsel"]},
        "melding": {"type": "string"},
        "deltakere": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "nr": {"type": "string"},
                    "navn": {"type": "string"},
                    "detalj": _TEKST,
                },
            },
        },
    },
}
SCHEMAS["Manedsavslutning"] = {
    "type": "object",
    "required": ["maned", "laget", "avvist", "funn", "gjennomforinger"],
    "properties": {
        "maned": {"type": "string"},
        "laget": {"type": "boolean", "description": "Kravene ble laget"},
        "avvist": {"type": "boolean", "description": "En kontroll stanser avslutningen"},
        "funn": {"type": "array", "items": {"$ref": "#/components/schemas/Manedsfunn"}},
        "gjennomforinger": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["gjennomforing_id", "art", "belop", "belop_kroner", "funn"],
                "properties": {
                    "gjennomforing_id": {"type": "integer"},
                    "navn": {"type": "string"},
                    "art": {"enum": ["ehf", "nav_refusjonskrav"]},
                    "art_tekst": {"type": "string"},
                    "timer": {"type": "string", "description": "Fakturerte timer (desimaltall)"},
                    "timepris": _TEKST,
                    "belop": {"type": "string", "description": "Det eksakte beløpet"},
                    "belop_kroner": {"type": "integer", "description": "Hele kroner (HALF_UP)"},
                    "korreksjon": {"type": "boolean"},
                    "begrunnelse": _TEKST,
                    "funn": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Manedsfunn"},
                    },
                    "krav_id": _TEKST,
                    "faktura_id": _TEKST,
                },
            },
        },
    },
}
PATHS["/manedsavslutning"] = {
    "post": _op(
        "Avslutt en måned: én EHF-faktura eller ett NAV-refusjonskrav per gjennomføring",
        {
            "200": _ok(
                "Kontrollene og det som ble laget",
                {"$ref": "#/components/schemas/Manedsavslutning"},
            ),
            "403": _PROBLEM,
            "422": _PROBLEM,
        },
        description=(
            "Med forhandsvis=1 bare kontrollene og beløpene; ingenting lagres. Uten: en "
            "kontroll med nivå feil stanser hele avslutningen (422, ingenting laget). En "
            "måned som allerede er krevd kreves på nytt bare som korreksjon med begrunnelse."
        ),
        parameters=[
            _MANED,
            {
                "name": "forhandsvis",
                "in": "query",
                "required": False,
                "description": "1: bare kontrollene",
                "schema": {"type": "string", "enum": ["0", "1"]},
            },
        ],
        requestBody={
            "required": False,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "korreksjoner": {
                                "type": "object",
                                "description": "Gjennomføringens id → begrunnelsen",
                                "additionalProperties": {"type": "string", "maxLength": 500},
                            }
                        },
                    }
                }
            },
        },
    )
}
PATHS["/manedsavslutning/status"] = {
    "get": _op(
        "Hvor langt månedens krav har kommet (behandles, klar, feilet)",
        {"200": _ok("Kravene"), "403": _PROBLEM, "422": _PROBLEM},
        parameters=[_MANED],
    )
}
