"""``/api/v1/arbeidsgivere``, ``/api/v1/praksisplasser`` and ``/api/v1/plasseringer``: the
praksisplass register, and a placement's status changes (``POST
/plasseringer/{id}/status`` with ``{"status", "dato", …}``).

Another organisation's rows, and placements of protected deltakere the caller does not
follow, answer 404.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from dokgen.oppfolging.kodeverk import PLASSERINGSSTATUSER, PRAKSISARTER
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import (
    ArbeidsgiverInn,
    PlasseringInn,
    PraksisplassInn,
    StatusendringInn,
)
from dokgen.services import praksisplasser as service
from dokgen.web import aktor, deps
from dokgen.web.api.blueprint import QueryArgs, bp, json_object, record_id
from dokgen.web.api.openapi import _PROBLEM, PATHS, SCHEMAS, _ok, _op, model_schema

Svar = tuple[dict[str, Any], int, dict[str, str]]


def _svar(data: dict[str, Any], endpoint: str, navn: str, status: int = 200) -> Svar:
    return data, status, {"Location": url_for(endpoint, **{navn: data["id"]})}


def _arbeidsgiver(data: dict[str, Any], status: int = 200) -> Svar:
    return _svar(data, "api.hent_arbeidsgiver", "arbeidsgiver_id", status)


def _plass(data: dict[str, Any], status: int = 200) -> Svar:
    return _svar(data, "api.hent_praksisplass", "plass_id", status)


def _plassering(data: dict[str, Any], status: int = 200) -> Svar:
    return _svar(data, "api.hent_plassering", "plassering_id", status)


@bp.get("/arbeidsgivere")
def arbeidsgivere() -> Any:
    """List the organisation's arbeidsgivere by name."""
    return {"arbeidsgivere": service.arbeidsgivere(deps(), aktor())}


@bp.post("/arbeidsgivere")
def opprett_arbeidsgiver() -> Any:
    """Register an arbeidsgiver (veileder, admin); 201."""
    inn = les(ArbeidsgiverInn, json_object())
    return _arbeidsgiver(service.opprett_arbeidsgiver(deps(), aktor(), inn), 201)


@bp.get("/arbeidsgivere/<arbeidsgiver_id>")
def hent_arbeidsgiver(arbeidsgiver_id: str) -> Any:
    """Return an arbeidsgiver with its praksisplasser."""
    id_ = record_id(arbeidsgiver_id, "arbeidsgiveren")
    return service.hent_arbeidsgiver(deps(), aktor(), id_)


@bp.put("/arbeidsgivere/<arbeidsgiver_id>")
def endre_arbeidsgiver(arbeidsgiver_id: str) -> Any:
    """Replace an arbeidsgiver's fields."""
    id_ = record_id(arbeidsgiver_id, "arbeidsgiveren")
    inn = les(ArbeidsgiverInn, json_object())
    return _arbeidsgiver(service.endre_arbeidsgiver(deps(), aktor(), id_, inn))


@bp.get("/praksisplasser")
def praksisplasser() -> Any:
    """List the praksisplasser: ``ledig=1`` only those with a free place now."""
    q = QueryArgs()
    utvalg = service.Plassutvalg(
        ledig=q.flag("ledig"),
        art=q.choice("art", PRAKSISARTER),
        arbeidsgiver_id=q.integer("arbeidsgiver_id"),
    )
    q.check()
    return {"praksisplasser": service.plasser(deps(), aktor(), utvalg)}


@bp.post("/praksisplasser")
def opprett_praksisplass() -> Any:
    """Register a praksisplass at an arbeidsgiver (veileder, admin); 201."""
    inn = les(PraksisplassInn, json_object())
    return _plass(service.opprett_plass(deps(), aktor(), inn), 201)


@bp.get("/praksisplasser/<plass_id>")
def hent_praksisplass(plass_id: str) -> Any:
    """Return a praksisplass with its placements."""
    return service.hent_plass(deps(), aktor(), record_id(plass_id, "praksisplassen"))


@bp.put("/praksisplasser/<plass_id>")
def endre_praksisplass(plass_id: str) -> Any:
    """Replace a praksisplass's fields (the capacity not below the places in use)."""
    id_ = record_id(plass_id, "praksisplassen")
    inn = les(PraksisplassInn, json_object())
    return _plass(service.endre_plass(deps(), aktor(), id_, inn))


@bp.get("/plasseringer")
def plasseringer() -> Any:
    """List the placements the caller may see, by status, deltaker or place."""
    q = QueryArgs()
    status = q.choice("status", PLASSERINGSSTATUSER)
    deltaker_id, plass_id = q.integer("deltaker_id"), q.integer("praksisplass_id")
    q.check()
    rader = service.plasseringer(
        deps(), aktor(), status=status, deltaker_id=deltaker_id, praksisplass_id=plass_id
    )
    return {"plasseringer": rader}


@bp.post("/plasseringer")
def opprett_plassering() -> Any:
    """Place a deltaker in a praksisplass (status «Ny»); 201."""
    inn = les(PlasseringInn, json_object())
    return _plassering(service.opprett_plassering(deps(), aktor(), inn), 201)


@bp.get("/plasseringer/<plassering_id>")
def hent_plassering(plassering_id: str) -> Any:
    """Return a placement with its status history."""
    id_ = record_id(plassering_id, "plasseringen")
    return service.hent_plassering(deps(), aktor(), id_)


@bp.post("/plasseringer/<plassering_id>/status")
def endre_plasseringsstatus(plassering_id: str) -> Any:
    """Move a placement to its next status; 409 when the place is full."""
    id_ = record_id(plassering_id, "plasseringen")
    inn = les(StatusendringInn, json_object())
    return _plassering(service.endre_status(deps(), aktor(), id_, inn))


_TEKST = {"type": "string"}
_VALGFRI = {"type": ["string", "null"]}
_DATO = {"type": ["string", "null"], "format": "date"}
_HELTALL = {"type": "integer"}
_ART = {"type": "string", "enum": list(PRAKSISARTER)}
_STATUS = {"type": "string", "enum": list(PLASSERINGSSTATUSER)}


def _objekt(egenskaper: dict[str, Any], beskrivelse: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": beskrivelse,
        "required": list(egenskaper),
        "properties": egenskaper,
    }


_ARBEIDSGIVER = {
    "id": _HELTALL,
    "orgnr": {"type": "string", "pattern": r"^\d{9}$"},
    "navn": _TEKST,
    "adresse": {"type": ["object", "null"]},
    "kontaktpersoner": {"type": "array", "items": {"type": "object"}},
}
_PLASS = {
    "id": _HELTALL,
    "arbeidsgiver_id": _HELTALL,
    "arbeidsgiver": _TEKST,
    "avdeling": _VALGFRI,
    "art": _ART,
    "art_tekst": _TEKST,
    "art_hjelp": {"type": "string", "description": "Rutinens definisjon av arten"},
    "arbeidsoppgaver": _VALGFRI,
    "kapasitet": _HELTALL,
    "i_bruk": {"type": "integer", "description": "Plasseringer som er bekreftet eller startet"},
    "ledige": _HELTALL,
    "ledig_na": {"type": "boolean"},
    "aktiv": {"type": "boolean"},
}
_HISTORIKK = _objekt(
    {
        "status": _STATUS,
        "status_tekst": _TEKST,
        "dato": {"type": "string", "format": "date"},
        "registrert": _TEKST,
        "registrert_av": _TEKST,
    },
    "En status plasseringen har hatt",
)
_PLASSERING = {
    "id": _HELTALL,
    "praksisplass_id": _HELTALL,
    "deltaker": _objekt({"id": _HELTALL, "nr": _TEKST, "navn": _TEKST}, "Deltakeren"),
    "status": _STATUS,
    "status_tekst": _TEKST,
    "neste_steg": _TEKST,
    "neste_statuser": {"type": "array", "items": _STATUS},
    "statusmote_dato": _DATO,
    "startdato": _DATO,
    "planlagt_sluttdato": _DATO,
    "sluttdato": _DATO,
    "sluttarsak": _VALGFRI,
    "historikk": {"type": "array", "items": _HISTORIKK},
}
for _navn, _modell in (
    ("ArbeidsgiverInn", ArbeidsgiverInn),
    ("PraksisplassInn", PraksisplassInn),
    ("PlasseringInn", PlasseringInn),
    ("StatusendringInn", StatusendringInn),
):
    SCHEMAS.update(model_schema(_navn, _modell))
SCHEMAS["Arbeidsgiver"] = _objekt(_ARBEIDSGIVER, "En arbeidsgiver med praksisplasser")
SCHEMAS["Praksisplass"] = _objekt(_PLASS, "En praksisplass og hvor mange plasser som er ledige")
SCHEMAS["Plassering"] = _objekt(_PLASSERING, "En deltaker på en praksisplass, med historikk")


def _ref(navn: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{navn}"}


def _liste(nokkel: str, navn: str) -> dict[str, Any]:
    return _ok("Treff", _objekt({nokkel: {"type": "array", "items": _ref(navn)}}, "Treff"))


def _json(navn: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(navn)}}}


def _sti(navn: str) -> list[dict[str, Any]]:
    return [{"name": navn, "in": "path", "required": True, "schema": _HELTALL}]


def _param(navn: str, beskrivelse: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": navn,
        "in": "query",
        "required": False,
        "description": beskrivelse,
        "schema": schema,
    }


_FEIL = {"400": _PROBLEM, "403": _PROBLEM, "415": _PROBLEM, "422": _PROBLEM}
_MED_DETALJER = {
    "Arbeidsgiver": {
        **_ARBEIDSGIVER,
        "praksisplasser": {"type": "array", "items": _ref("Praksisplass")},
    },
    "Praksisplass": {**_PLASS, "plasseringer": {"type": "array", "items": _ref("Plassering")}},
}

PATHS.update(
    {
        "/arbeidsgivere": {
            "get": _op("Arbeidsgiverne", {"200": _liste("arbeidsgivere", "Arbeidsgiver")}),
            "post": _op(
                "Registrer en arbeidsgiver",
                {"201": _ok("Registrert", _ref("Arbeidsgiver")), **_FEIL},
                requestBody=_json("ArbeidsgiverInn"),
            ),
        },
        "/arbeidsgivere/{arbeidsgiver_id}": {
            "get": _op(
                "Hent en arbeidsgiver med praksisplassene",
                {
                    "200": _ok(
                        "Arbeidsgiveren", _objekt(_MED_DETALJER["Arbeidsgiver"], "Arbeidsgiveren")
                    ),
                    "404": _PROBLEM,
                },
                parameters=_sti("arbeidsgiver_id"),
            ),
            "put": _op(
                "Endre en arbeidsgiver",
                {"200": _ok("Endret", _ref("Arbeidsgiver")), "404": _PROBLEM, **_FEIL},
                parameters=_sti("arbeidsgiver_id"),
                requestBody=_json("ArbeidsgiverInn"),
            ),
        },
        "/praksisplasser": {
            "get": _op(
                "Praksisplassene",
                {"200": _liste("praksisplasser", "Praksisplass"), "422": _PROBLEM},
                parameters=[
                    _param(
                        "ledig",
                        "Bare plasser som har ledig plass nå (1 eller 0)",
                        {"type": "string", "enum": ["1", "0"]},
                    ),
                    _param("art", "Type praksisplass", _ART),
                    _param("arbeidsgiver_id", "Arbeidsgiveren", _HELTALL),
                ],
            ),
            "post": _op(
                "Registrer en praksisplass",
                {"201": _ok("Registrert", _ref("Praksisplass")), **_FEIL},
                requestBody=_json("PraksisplassInn"),
            ),
        },
        "/praksisplasser/{plass_id}": {
            "get": _op(
                "Hent en praksisplass med plasseringene",
                {
                    "200": _ok(
                        "Praksisplassen", _objekt(_MED_DETALJER["Praksisplass"], "Praksisplassen")
                    ),
                    "404": _PROBLEM,
                },
                parameters=_sti("plass_id"),
            ),
            "put": _op(
                "Endre en praksisplass",
                {"200": _ok("Endret", _ref("Praksisplass")), "404": _PROBLEM, **_FEIL},
                parameters=_sti("plass_id"),
                requestBody=_json("PraksisplassInn"),
            ),
        },
        "/plasseringer": {
            "get": _op(
                "Plasseringene du kan se",
                {"200": _liste("plasseringer", "Plassering"), "422": _PROBLEM},
                parameters=[
                    _param("status", "Plasseringens status", _STATUS),
                    _param("deltaker_id", "Deltakeren", _HELTALL),
                    _param("praksisplass_id", "Praksisplassen", _HELTALL),
                ],
            ),
            "post": _op(
                "Plasser en deltaker på en praksisplass (status «Ny»)",
                {"201": _ok("Registrert", _ref("Plassering")), **_FEIL},
                requestBody=_json("PlasseringInn"),
            ),
        },
        "/plasseringer/{plassering_id}": {
            "get": _op(
                "Hent en plassering med historikken",
                {"200": _ok("Plasseringen", _ref("Plassering")), "404": _PROBLEM},
                parameters=_sti("plassering_id"),
            ),
        },
        "/plasseringer/{plassering_id}/status": {
            "post": _op(
                "Gi plasseringen neste status (bare framover, med dato)",
                {
                    "200": _ok("Plasseringen med ny status", _ref("Plassering")),
                    "404": _PROBLEM,
                    "409": _PROBLEM,
                    **_FEIL,
                },
                parameters=_sti("plassering_id"),
                requestBody=_json("StatusendringInn"),
            ),
        },
    }
)
