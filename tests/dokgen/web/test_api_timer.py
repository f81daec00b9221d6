"""``/api/v1/timer`` end to end: a JSON list in the fakturagrunnlag's ``aktiviteter`` shape
or the timeliste CSV, all rows or none (422 with every row's errors), the size limit, the
filters, and the answers as the OpenAPI description gives them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import brukere, deltakere
from dokgen.storage.db import Aktivitet
from tests.conftest import KONTRAKT
from tests.dokgen.register import FNR_JON, kontrakt
from tests.dokgen.web.test_api_deltakere import _count, as_described

IDAG = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
Auth = Callable[..., dict[str, str]]
CSV = {"Content-Type": "text/csv"}
JSON = {"Content-Type": "application/json"}


def _deltaker(deps: Deps, admin: Aktor, gid: int, **endringer: Any) -> int:
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid, "veiledere_arrangor": []}
    data.update(endringer)
    return int(deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))["id"])


@pytest.fixture
def register(deps: Deps, admin: Aktor, gjennomforing_id: int) -> dict[str, int]:
    deps.clock = lambda: IDAG
    kari = _deltaker(deps, admin, gjennomforing_id)
    jon = _deltaker(
        deps, admin, gjennomforing_id, nr="D-0023", fornavn="Jon", etternavn="Berg",
        fodselsnummer=FNR_JON, oppstartdato="2026-08-03",
    )  # fmt: skip
    return {"kari": kari, "jon": jon, "gjennomforing": gjennomforing_id}


def test_the_fakturagrunnlags_activities_are_registered_as_json(
    client: FlaskClient, auth: Auth, deps: Deps, register: dict[str, int]
) -> None:
    aktiviteter = kontrakt("fakturagrunnlag.json")["aktiviteter"]
    h = auth("veileder") | JSON

    r = client.post("/api/v1/timer", data=json.dumps(aktiviteter), headers=h)

    body = as_described(client, r, "/timer", "post")
    assert r.status_code == 201
    assert body["skrevet"] is True
    assert len(body["aktiviteter"]) == len(aktiviteter) == _count(deps, Aktivitet)
    ikke_mott = next(a for a in body["aktiviteter"] if a["aktivitet"] == "ikke_mott")
    assert ikke_mott["aktivitet_tekst"] == "Deltaker møtte ikke"
    assert ikke_mott["justering"] == "maks 0,25 t når deltakeren ikke møter"

    r = client.get(f"/api/v1/timer?deltaker={register['jon']}&maned=2026-10", headers=auth("leser"))
    body = as_described(client, r, "/timer", "get")
    assert [(a["dato"], a["aktivitet"], a["timer"]) for a in body["aktiviteter"]] == [
        ("2026-10-21", "video_telefon", "0.75"),
        ("2026-10-22", "gruppe", "0.50"),
    ]
    assert client.get("/api/v1/timer?maned=2026-09", headers=h).json["aktiviteter"] == []


def test_the_timeliste_csv_is_registered_and_a_preview_writes_nothing(
    client: FlaskClient, auth: Auth, deps: Deps, register: dict[str, int]
) -> None:
    csv = (KONTRAKT / "timeliste.csv").read_bytes()
    h = auth("regnskap") | CSV

    r = client.post("/api/v1/timer?forhandsvis=1", data=csv, headers=h)
    body = as_described(client, r, "/timer", "post")
    assert (r.status_code, body["skrevet"], len(body["aktiviteter"])) == (200, False, 8)
    assert _count(deps, Aktivitet) == 0

    r = client.post("/api/v1/timer", data=csv, headers=h)
    assert as_described(client, r, "/timer", "post")["skrevet"] is True
    assert _count(deps, Aktivitet) == 8


def test_every_rows_errors_answer_422_and_nothing_is_stored(
    client: FlaskClient, auth: Auth, deps: Deps, register: dict[str, int]
) -> None:
    rader = [
        {"dato": "2026-10-02", "deltaker": {"nr": "D-0017"}, "aktivitet": "oppfolging",
         "minutter": 50},
        {"dato": "2026-10-02", "deltaker": {"nr": "D-0404"}, "aktivitet": "oppfolging",
         "minutter": 50},
        {"dato": "2026-08-01", "deltaker": {"nr": "D-0023"}, "aktivitet": "gruppe",
         "minutter": 90},
    ]  # fmt: skip
    r = client.post("/api/v1/timer", data=json.dumps(rader), headers=auth("veileder") | JSON)

    body = as_described(client, r, "/timer", "post")
    assert (r.status_code, r.mimetype) == (422, "application/problem+json")
    assert [e["path"] for e in body["errors"]] == [
        "rad 2.deltaker.nr",
        "rad 3.antall_deltakere",
        "rad 3.dato",
    ]
    assert _count(deps, Aktivitet) == 0

    csv = b"dato;deltaker_nr\n"
    r = client.post("/api/v1/timer", data=csv, headers=auth("veileder") | CSV)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "rad 1")
    tekst = {"Content-Type": "text/plain"}
    r = client.post("/api/v1/timer", data=b"x", headers=auth("veileder") | tekst)
    assert r.status_code == 415
    r = client.post("/api/v1/timer", data=json.dumps(rader), headers=auth("leser") | JSON)
    assert r.status_code == 403


def test_a_timeliste_over_the_upload_limit_is_refused(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(maks_opplasting_mb=0.001)
    d = app.extensions["dokgen"]
    with d.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel")
        token = brukere.lag_token(s, org, "veileder", "t")
    csv = (KONTRAKT / "timeliste.csv").read_bytes() * 5
    r = app.test_client().post(
        "/api/v1/timer", data=csv, headers={"Authorization": f"Bearer {token}"} | CSV
    )
    assert (r.status_code, r.json["title"]) == (413, "For stor fil")
    assert _count(d, Aktivitet) == 0


def test_an_activity_is_changed_and_deleted_and_a_no_show_marked_notified(
    client: FlaskClient, auth: Auth, deps: Deps, register: dict[str, int]
) -> None:
    h = auth("veileder") | JSON
    rad = {"dato": "2026-11-04", "deltaker": {"nr": "D-0017"}, "aktivitet": "ikke_mott",
           "minutter": 60}  # fmt: skip
    ny = client.post("/api/v1/timer", data=json.dumps([rad]), headers=h).json["aktiviteter"][0]

    r = client.put(f"/api/v1/timer/{ny['id']}", data=json.dumps(rad | {"minutter": 10}), headers=h)
    assert as_described(client, r, "/timer/{aktivitet_id}", "put")["timer"] == "0.25"
    r = client.post(
        "/api/v1/frister/varslet",
        data=json.dumps({"deltaker_id": register["kari"], "nokkel": "varsle_nav:2026-11-04"}),
        headers=h,
    )
    assert as_described(client, r, "/frister/varslet", "post")["levert"] is True
    frister = client.get(f"/api/v1/frister?deltaker_id={register['kari']}", headers=h).json
    varsel = [f for f in frister["frister"] if f["nokkel"] == "varsle_nav:2026-11-04"]
    assert [(f["tittel"], f["status"]) for f in varsel] == [("Varsle NAV samme dag", "levert")]

    r = client.delete(f"/api/v1/timer/{ny['id']}", headers=h)
    assert r.status_code == 204
    assert client.delete(f"/api/v1/timer/{ny['id']}", headers=h).status_code == 404
