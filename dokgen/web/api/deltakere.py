"""``/api/v1/deltakere``: register, list, read, change a deltaker and give them a new status.

A protected deltaker the caller does not follow, and another organisation's, answer 404. No
parameter takes a fødselsnummer: it never travels in a URL (search by name or nr).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from dokgen.oppfolging.kodeverk import ARSAKER, STATUSER
from dokgen.oppfolging.modeller import DeltakerInn, Status, les
from dokgen.services import deltakere as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp, json_object, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op, model_schema

_WHAT = "deltakeren"


def _inn() -> DeltakerInn:
    return les(DeltakerInn, json_object(), tillat_syntetiske=deps().settings.tillat_syntetiske)


def _svar(data: dict[str, Any], status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    return data, status, {"Location": url_for("api.hent_deltaker", deltaker_id=data["id"])}


@bp.get("/deltakere")
def deltakere() -> Any:
    """List the deltakere the caller may see (no fødselsnummer), filtered and sorted."""
    q = QueryArgs()
    utvalg = service.Utvalg(
        status=q.choice("status", STATUSER),
        veileder=q.integer("veileder"),
        gjennomforing_id=q.integer("gjennomforing_id"),
        sok=q.text("sok"),
        sorter=q.choice("sorter", service.SORTERINGER) or "navn",
        synkende=q.flag("synkende"),
    )
    q.check()
    return {"deltakere": service.liste(deps(), aktor(), utvalg)}


@bp.post("/deltakere")
def opprett_deltaker() -> Any:
    """Register a deltaker (veileder, admin); 201 with them and their history."""
    return _svar(service.opprett(deps(), aktor(), _inn()), 201)


@bp.get("/deltakere/<deltaker_id>")
def hent_deltaker(deltaker_id: str) -> Any:
    """Return one deltaker with every field and the status history (the read is audited)."""
    return service.hent(deps(), aktor(), record_id(deltaker_id, _WHAT))


@bp.put("/deltakere/<deltaker_id>")
def endre_deltaker(deltaker_id: str) -> Any:
    """Replace a deltaker's fields; a new status becomes a history entry."""
    id_ = record_id(deltaker_id, _WHAT)
    return _svar(service.endre(deps(), aktor(), id_, _inn()))


@bp.post("/deltakere/<deltaker_id>/status")
def endre_deltakerstatus(deltaker_id: str) -> Any:
    """Give a deltaker a new status (``Status``); the same status again changes nothing."""
    id_ = record_id(deltaker_id, _WHAT)
    status = les(Status, json_object())
    return _svar(service.endre_status(deps(), aktor(), id_, status))


_TEKST = {"type": "string"}
_VALGFRI = {"type": ["string", "null"]}
_VALGFRI_DATO = {"type": ["string", "null"], "format": "date"}
_STATUS_SVAR: dict[str, Any] = {
    "type": "object",
    "required": ["type", "tekst", "aarsak", "aarsak_tekst", "beskrivelse", "gyldig_fra"],
    "properties": {
        "type": {"type": "string", "enum": list(STATUSER)},
        "tekst": _TEKST,
        "aarsak": {"type": ["string", "null"], "enum": [*ARSAKER, None]},
        "aarsak_tekst": _VALGFRI,
        "beskrivelse": _VALGFRI,
        "gyldig_fra": _VALGFRI_DATO,
    },
}
_KORT: dict[str, Any] = {
    "id": {"type": "integer"},
    "nr": _TEKST,
    "gjennomforing_id": {"type": "integer"},
    "navn": _TEKST,
    "fornavn": _TEKST,
    "etternavn": _TEKST,
    "fodselsdato": _VALGFRI_DATO,
    "oppstartdato": _VALGFRI_DATO,
    "sluttdato": _VALGFRI_DATO,
    "status": _STATUS_SVAR,
    "adressebeskyttet": {"type": "boolean"},
    "veiledere_arrangor": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["bruker_id", "brukernavn", "navn", "type"],
            "properties": {
                "bruker_id": {"type": "integer"},
                "brukernavn": _TEKST,
                "navn": _TEKST,
                "type": {"type": "string", "enum": ["veileder", "medveileder"]},
            },
        },
    },
}
SCHEMAS.update(model_schema("DeltakerInn", DeltakerInn))
SCHEMAS.update(model_schema("Status", Status))
SCHEMAS["DeltakerKort"] = {
    "type": "object",
    "description": "En deltaker i en liste: uten fødselsnummer, kontaktinformasjon og adresse",
    "required": list(_KORT),
    "properties": _KORT,
    "not": {"required": ["fodselsnummer"]},
}
SCHEMAS["Deltaker"] = {
    "type": "object",
    "required": [*_KORT, "fodselsnummer", "historikk"],
    "properties": {
        **_KORT,
        "mellomnavn": _VALGFRI,
        "fodselsnummer": {"type": "string", "pattern": r"^\d{11}$"},
        "telefon": _VALGFRI,
        "epost": _VALGFRI,
        "adresse": {"type": ["object", "null"]},
        "soknadsdato": _VALGFRI_DATO,
        "bestilling_fra_nav": _VALGFRI,
        "innsokende_nav_kontor": _VALGFRI,
        "veileder_nav": {"type": ["object", "null"]},
        "deltakelsesprosent": {"type": ["integer", "null"]},
        "dager_per_uke": _VALGFRI,
        "historikk": {"type": "array", "items": {"$ref": "#/components/schemas/Deltakerstatus"}},
    },
}
SCHEMAS["Deltakerstatus"] = {
    **_STATUS_SVAR,
    "required": [*_STATUS_SVAR["required"], "registrert", "registrert_av", "kilde"],
    "properties": {
        **_STATUS_SVAR["properties"],
        "registrert": {"type": "string"},
        "registrert_av": _TEKST,
        "kilde": {"type": "string", "enum": list(service.KILDER)},
    },
}

_SVAR = {"$ref": "#/components/schemas/Deltaker"}
_ID = [{"name": "deltaker_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_FEIL = {"400": _PROBLEM, "403": _PROBLEM, "413": _PROBLEM, "415": _PROBLEM, "422": _PROBLEM}


def _json(ref: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _param(navn: str, beskrivelse: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": navn,
        "in": "query",
        "required": False,
        "description": beskrivelse,
        "schema": schema,
    }


_UTVALG = [
    _param("status", "Deltakerens status (NAVs kode)", {"type": "string", "enum": list(STATUSER)}),
    _param("veileder", "Brukeren (id) som følger deltakerne", {"type": "integer"}),
    _param("gjennomforing_id", "Gjennomføringen", {"type": "integer"}),
    _param("sok", "Del av navnet eller deltakernummeret", {"type": "string", "maxLength": 100}),
    _param("sorter", "Sorter etter", {"type": "string", "enum": list(service.SORTERINGER)}),
    _param("synkende", "Synkende rekkefølge (1 eller 0)", {"type": "string", "enum": ["1", "0"]}),
]

PATHS.update(
    {
        "/deltakere": {
            "get": _op(
                "Deltakere du kan se (uten fødselsnummer)",
                {
                    "200": _ok(
                        "Treff",
                        {
                            "type": "object",
                            "required": ["deltakere"],
                            "properties": {
                                "deltakere": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/DeltakerKort"},
                                }
                            },
                        },
                    ),
                    "422": _PROBLEM,
                },
                parameters=_UTVALG,
            ),
            "post": _op(
                "Registrer en deltaker",
                {"201": _ok("Registrert", _SVAR), **_FEIL},
                requestBody=_json("DeltakerInn"),
            ),
        },
        "/deltakere/{deltaker_id}": {
            "get": _op(
                "Hent en deltaker med statushistorikken",
                {"200": _ok("Deltakeren", _SVAR), "404": _PROBLEM},
                parameters=_ID,
            ),
            "put": _op(
                "Endre en deltaker",
                {"200": _ok("Endret", _SVAR), "404": _PROBLEM, **_FEIL},
                parameters=_ID,
                requestBody=_json("DeltakerInn"),
            ),
        },
        "/deltakere/{deltaker_id}/status": {
            "post": _op(
                "Gi deltakeren ny status",
                {"200": _ok("Deltakeren med ny status", _SVAR), "404": _PROBLEM, **_FEIL},
                parameters=_ID,
                requestBody=_json("Status"),
            ),
        },
    }
)
