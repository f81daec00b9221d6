"""``/api/v1/gjennomforinger``: admins create and change gjennomføringer, every role reads them;
admins and regnskap set how one is claimed (``/fakturering``) and read what a claim still
needs (``/mangler``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request, url_for

from dokgen.errors import FieldError, InputInvalidError
from dokgen.oppfolging.modeller import FaktureringInn, GjennomforingInn, les
from dokgen.services import gjennomforinger as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import bp, json_object, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op, model_schema

_WHAT = "gjennomføringen"


def _svar(data: dict[str, Any], status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    lenke = url_for("api.hent_gjennomforing", gjennomforing_id=data["id"])
    return data, status, {"Location": lenke}


@bp.get("/gjennomforinger")
def gjennomforinger() -> Any:
    """List the organisation's gjennomføringer, the running ones first."""
    return {"gjennomforinger": service.liste(deps(), aktor())}


@bp.post("/gjennomforinger")
def opprett_gjennomforing() -> Any:
    """Create a gjennomføring (admin); 201 with it."""
    inn = les(GjennomforingInn, json_object())
    return _svar(service.opprett(deps(), aktor(), inn), 201)


@bp.get("/gjennomforinger/<gjennomforing_id>")
def hent_gjennomforing(gjennomforing_id: str) -> Any:
    """Return one gjennomføring."""
    return service.hent(deps(), aktor(), record_id(gjennomforing_id, _WHAT))


@bp.put("/gjennomforinger/<gjennomforing_id>")
def endre_gjennomforing(gjennomforing_id: str) -> Any:
    """Replace a gjennomføring's fields (admin); its deltakere's frister follow."""
    id_ = record_id(gjennomforing_id, _WHAT)
    inn = les(GjennomforingInn, json_object())
    return _svar(service.endre(deps(), aktor(), id_, inn))


@bp.put("/gjennomforinger/<gjennomforing_id>/fakturering")
def fakturering_gjennomforing(gjennomforing_id: str) -> Any:
    """Replace how a gjennomføring is claimed (admin, regnskap); the other fields stay."""
    id_ = record_id(gjennomforing_id, _WHAT)
    inn = les(FaktureringInn, json_object())
    return _svar(service.endre_fakturering(deps(), aktor(), id_, inn))


@bp.get("/gjennomforinger/<gjennomforing_id>/mangler")
def mangler_gjennomforing(gjennomforing_id: str) -> Any:
    """Return what a claim for the gjennomføring still needs on ``?dag=`` (default today)."""
    id_ = record_id(gjennomforing_id, _WHAT)
    try:
        dag = date.fromisoformat(request.args["dag"]) if "dag" in request.args else None
    except ValueError:
        raise InputInvalidError([FieldError("dag", "skriv datoen som ÅÅÅÅ-MM-DD")]) from None
    mangler = service.mangler_for_krav(deps(), aktor(), id_, dag)
    return {"mangler": [{"sti": m.sti, "melding": m.melding} for m in mangler]}


_DATO = {"type": "string", "format": "date"}
_VALGFRI_TEKST = {"type": ["string", "null"]}
SCHEMAS.update(model_schema("GjennomforingInn", GjennomforingInn))
SCHEMAS.update(model_schema("FaktureringInn", FaktureringInn))
SCHEMAS["Gjennomforing"] = {
    "type": "object",
    "required": [
        "id",
        "navn",
        "tiltakstype",
        "regelsett",
        "startdato",
        "sluttdato",
        "kravform",
        "timepriser",
    ],
    "properties": {
        "id": {"type": "integer"},
        "navn": {"type": "string"},
        "tiltakstype": {"type": "string"},
        "avtalenummer": _VALGFRI_TEKST,
        "tiltaksnummer": _VALGFRI_TEKST,
        "regelsett": {"type": "string"},
        "startdato": _DATO,
        "sluttdato": {"type": ["string", "null"], "format": "date"},
        "timepris": {"type": ["string", "null"], "description": "kroner, f.eks. 1150.00"},
        "timepriser": {
            "type": "array",
            "description": "Timepris med gyldighet, sortert etter «fra»; «til» null gjelder videre",
            "items": {
                "type": "object",
                "required": ["fra", "til", "timepris"],
                "properties": {
                    "fra": _DATO,
                    "til": {"type": ["string", "null"], "format": "date"},
                    "timepris": {"type": "string", "description": "kroner, f.eks. 1150.00"},
                },
            },
        },
        "kravform": {
            "type": "string",
            "enum": ["ehf", "nav_refusjonskrav"],
            "description": "EHF-faktura, eller refusjonskrav i NAVs arrangørflate",
        },
        "kjoper": {"type": ["object", "null"]},
        "deres_referanse": _VALGFRI_TEKST,
        "bestillingsnummer": _VALGFRI_TEKST,
        "evaluering_dager": {"type": "integer"},
        "sluttrapport_dager": {
            "type": ["integer", "null"],
            "description": "dager etter sluttdato sluttrapporten skal leveres (AMB: "
            "samarbeidsavtalen); null: regelsettets",
        },
        "resultatrapport_dag": {
            "type": "integer",
            "description": "dagen i måneden etter resultatrapporten skal sendes (1–28)",
        },
    },
}
_SVAR = {"$ref": "#/components/schemas/Gjennomforing"}
_INN = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GjennomforingInn"}}},
}
_FAKTURERING = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FaktureringInn"}}},
}
_MANGLER = {
    "type": "object",
    "required": ["mangler"],
    "properties": {
        "mangler": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["sti", "melding"],
                "properties": {
                    "sti": {
                        "type": "string",
                        "description": "feltet som skal fylles ut; selger.* er innstillingene",
                    },
                    "melding": {"type": "string"},
                },
            },
        }
    },
}
_ID = [{"name": "gjennomforing_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_FEIL = {"400": _PROBLEM, "403": _PROBLEM, "413": _PROBLEM, "415": _PROBLEM, "422": _PROBLEM}

PATHS.update(
    {
        "/gjennomforinger": {
            "get": _op(
                "Gjennomføringer",
                {
                    "200": _ok(
                        "Organisasjonens gjennomføringer, de som pågår først",
                        {
                            "type": "object",
                            "required": ["gjennomforinger"],
                            "properties": {"gjennomforinger": {"type": "array", "items": _SVAR}},
                        },
                    )
                },
            ),
            "post": _op(
                "Opprett en gjennomføring (admin)",
                {"201": _ok("Opprettet", _SVAR), **_FEIL},
                requestBody=_INN,
            ),
        },
        "/gjennomforinger/{gjennomforing_id}": {
            "get": _op(
                "Hent en gjennomføring",
                {"200": _ok("Gjennomføringen", _SVAR), "404": _PROBLEM},
                parameters=_ID,
            ),
            "put": _op(
                "Endre en gjennomføring (admin)",
                {"200": _ok("Endret", _SVAR), "404": _PROBLEM, **_FEIL},
                parameters=_ID,
                requestBody=_INN,
            ),
        },
        "/gjennomforinger/{gjennomforing_id}/fakturering": {
            "put": _op(
                "Endre hvordan gjennomføringen kreves (admin, regnskap)",
                {"200": _ok("Endret", _SVAR), "404": _PROBLEM, **_FEIL},
                parameters=_ID,
                requestBody=_FAKTURERING,
            ),
        },
        "/gjennomforinger/{gjennomforing_id}/mangler": {
            "get": _op(
                "Hva et krav for gjennomføringen fortsatt mangler",
                {
                    "200": _ok("Det som mangler (tom liste: klar)", _MANGLER),
                    "404": _PROBLEM,
                    "422": _PROBLEM,
                },
                parameters=[
                    *_ID,
                    {
                        "name": "dag",
                        "in": "query",
                        "required": False,
                        "description": "En dag i måneden som kreves (ÅÅÅÅ-MM-DD); standard i dag",
                        "schema": {"type": "string", "format": "date"},
                    },
                ],
            ),
        },
    }
)
