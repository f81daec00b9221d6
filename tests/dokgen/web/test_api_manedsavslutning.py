"""``POST /api/v1/manedsavslutning``: the checks alone, the close, 422 with the findings when
a check refuses, corrections in the body, the status, and the OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.services.maned_hjelp import IDAG, standard

pytestmark = pytest.mark.integration

URL = "/api/v1/manedsavslutning?maned=2026-10"


def test_preview_close_refusal_and_correction(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    """forhandsvis=1 makes nothing; the close answers 200 with the ids; a second close is
    422 problem+json listing the finding; a correction in the body makes lopenr 1."""
    deps.clock = lambda: IDAG
    gid, _, _ = standard(deps, org.id)
    h = auth("regnskap")
    forhand = client.post(URL + "&forhandsvis=1", headers=h)
    assert forhand.status_code == 200
    [g] = forhand.json["gjennomforinger"]
    assert (g["gjennomforing_id"], g["art"], g["belop"], g["belop_kroner"]) == (
        gid, "ehf", "3450.00", 3450,
    )  # fmt: skip
    assert (g["funn"], g["krav_id"], forhand.json["laget"]) == ([], None, False)

    laget = client.post(URL, headers=h)
    assert laget.status_code == 200
    assert laget.json["laget"] is True
    assert laget.json["gjennomforinger"][0]["krav_id"]
    assert laget.json["gjennomforinger"][0]["faktura_id"]

    avvist = client.post(URL, headers=h)
    assert avvist.status_code == 422
    assert avvist.mimetype == "application/problem+json"
    assert avvist.json["title"] == "Måneden kan ikke avsluttes"
    [feil] = avvist.json["errors"]
    assert feil["path"] == f"gjennomforinger/{gid}"
    assert "Oktober 2026 er allerede krevd" in feil["message"]

    rettet = client.post(URL, headers=h, json={"korreksjoner": {str(gid): "Manglet timer"}})
    assert rettet.status_code == 200, rettet.json
    assert rettet.json["gjennomforinger"][0]["korreksjon"] is True
    assert deps.jobs.wait_idle(120)
    status = client.get("/api/v1/manedsavslutning/status?maned=2026-10", headers=h)
    assert status.json["ferdig"] is True
    assert [k["lopenr"] for k in status.json["krav"]] == [0, 1]
    assert {k["status"] for k in status.json["krav"]} == {"klar"}


def test_input_and_roles(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]]
) -> None:
    """No month or a bad one is 422 on the parameter; a veileder's token is 403; the
    endpoints are in the OpenAPI description."""
    h = auth("regnskap")
    ingen = client.post("/api/v1/manedsavslutning", headers=h)
    assert ingen.status_code == 422
    assert ingen.json["errors"][0]["path"] == "maned"
    assert client.post("/api/v1/manedsavslutning?maned=10-2026", headers=h).status_code == 422
    bad = client.post(URL, headers=h, json={"korreksjoner": ["x"]})
    assert bad.status_code == 422
    assert client.post(URL, headers=auth("veileder")).status_code == 403
    spec = client.get("/api/v1/openapi.json").json
    assert "post" in spec["paths"]["/manedsavslutning"]
    assert "get" in spec["paths"]["/manedsavslutning/status"]
    assert "Manedsavslutning" in spec["components"]["schemas"]
