"""``/api/v1/gjennomforinger``: admins create and change gjennomføringer, every role reads them."""

from __future__ import annotations

from typing import Any

from flask import url_for

from dokgen.oppfolging.modeller import GjennomforingInn, les
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


_DATO = {"type": "string", "format": "date"}
_VALGFRI_TEKST = {"type": ["string", "null"]}
SCHEMAS.update(model_schema("GjennomforingInn", GjennomforingInn))
SCHEMAS["Gjennomforing"] = {
    "type": "object",
    "required": ["id", "navn", "tiltakstype", "regelsett", "startdato", "sluttdato"],
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
        "kjoper": {"type": ["object", "null"]},
        "deres_referanse": _VALGFRI_TEKST,
        "bestillingsnummer": _VALGFRI_TEKST,
        "evaluering_dager": {"type": "integer"},
    },
}
_SVAR = {"$ref": "#/components/schemas/Gjennomforing"}
_INN = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GjennomforingInn"}}},
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
    }
)
