"""A placement's oppstartsmøte and absences through the API: recorded, corrected, listed and
deleted, every answer checked against the OpenAPI description; errors on their fields,
another organisation's placement 404, a leser may read but not write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

from dokgen.storage.db import Organisasjon
from tests.dokgen.services.praksis_hjelp import HOLDT_MOTE, MOTE
from tests.dokgen.web.test_api_deltakere import as_described
from tests.dokgen.web.test_api_praksisplasser import _plasser, _status, register

__all__ = ["register"]  # the fixture, used here by name

Auth = Callable[..., dict[str, str]]
MOTESTI = "/plasseringer/{plassering_id}/oppstartsmote"
FRAVAERSTI = "/plasseringer/{plassering_id}/fravaer"


def test_the_meeting_is_put_and_read_back_and_then_the_deltaker_may_start(
    client: FlaskClient, register: dict[str, Any], auth: Auth
) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    url = f"/api/v1/plasseringer/{kari['id']}/oppstartsmote"
    r = client.get(url, headers=auth("leser"))
    assert (as_described(client, r, MOTESTI, "get")["detail"], r.status_code) == (
        "oppstartsmøtet er ikke registrert",
        404,
    )
    _status(client, register, kari["id"], MOTE)
    r = _status(client, register, kari["id"], {"status": "startet", "dato": "2026-09-01"})
    assert r.status_code == 422
    assert "registrer først oppstartsmøtet" in r.json["errors"][0]["message"]

    r = client.put(url, json=HOLDT_MOTE, headers=register["v"])
    mote = as_described(client, r, MOTESTI, "put")
    assert (mote["dato"], mote["yrkesmal"]) == ("2026-08-28", "Butikkmedarbeider")
    r = client.put(url, json=HOLDT_MOTE | {"dato": "2026-08-27"}, headers=register["v"])
    assert as_described(client, r, MOTESTI, "put")["dato"] == "2026-08-27"
    r = client.get(url, headers=auth("leser"))
    lest = as_described(client, r, MOTESTI, "get")
    assert [d["rolle_tekst"] for d in lest["deltakere"]] == [
        "Veileder",
        "Leder hos arbeidsgiver",
        "Deltakeren",
    ]
    r = _status(client, register, kari["id"], {"status": "startet", "dato": "2026-09-01"})
    assert r.json["status"] == "startet"


def test_absences_are_registered_listed_and_deleted(
    client: FlaskClient, register: dict[str, Any], auth: Auth
) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    _status(client, register, kari["id"], MOTE)
    client.put(
        f"/api/v1/plasseringer/{kari['id']}/oppstartsmote", json=HOLDT_MOTE, headers=register["v"]
    )
    _status(client, register, kari["id"], {"status": "startet", "dato": "2026-09-01"})
    url = f"/api/v1/plasseringer/{kari['id']}/fravaer"
    data = {
        "fra_dato": "2026-09-07",
        "til_dato": "2026-09-08",
        "arsak": "uten_gyldig_grunn",
        "meldt_av": "Eva Leder",
        "meldt_via": "oppmoteskjema",
        "meldt_dato": "2026-09-08",
    }
    r = client.post(url, json=data, headers=register["v"])
    ny = as_described(client, r, FRAVAERSTI, "post")
    assert r.status_code == 201
    assert r.headers["Location"] == url
    assert (ny["arsak_tekst"], ny["gyldig"], ny["meldt_via_tekst"]) == (
        "Uten gyldig grunn",
        False,
        "Oppmøteskjema",
    )
    r = client.post(url, json=data | {"arsak": "sykdom"}, headers=register["v"])
    feil = as_described(client, r, FRAVAERSTI, "post")
    assert feil["errors"] == [
        {
            "path": "fra_dato",
            "message": "overlapper fraværet som allerede er registrert 07.09.2026–08.09.2026",
        }
    ]
    r = client.post(url, json=data | {"arsak": "ferie", "minutter": 0}, headers=register["v"])
    assert r.status_code == 422
    assert {f["path"] for f in r.json["errors"]} == {"arsak", "minutter"}
    r = client.get(url, headers=auth("leser"))
    assert [f["id"] for f in as_described(client, r, FRAVAERSTI, "get")["fravaer"]] == [ny["id"]]
    r = client.delete(f"{url}/{ny['id']}", headers=auth("leser"))
    assert r.status_code == 403
    r = client.delete(f"{url}/{ny['id']}", headers=register["v"])
    assert (r.status_code, r.data) == (204, b"")
    assert client.get(url, headers=register["v"]).json == {"fravaer": []}
    r = client.delete(f"{url}/{ny['id']}", headers=register["v"])
    assert (r.status_code, r.json["detail"]) == (404, "fant ikke fraværet")


def test_another_organisations_placement_is_404(
    client: FlaskClient, register: dict[str, Any], auth: Auth, annen_org: Organisasjon
) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    fremmed = auth("admin", annen_org)
    base = f"/api/v1/plasseringer/{kari['id']}"
    for metode, sti, json in (
        ("get", "/oppstartsmote", None),
        ("put", "/oppstartsmote", HOLDT_MOTE),
        ("get", "/fravaer", None),
        ("delete", "/fravaer/1", None),
    ):
        r = getattr(client, metode)(base + sti, json=json, headers=fremmed)
        assert (r.status_code, r.mimetype) == (404, "application/problem+json"), sti
    spec = client.get("/api/v1/openapi.json").json
    assert "204" in spec["paths"][FRAVAERSTI + "/{fravaer_id}"]["delete"]["responses"]
