"""The praksisplass register's API end to end: arbeidsgivere, praksisplasser with ``ledig``,
placements and their status changes; every answer checked against the OpenAPI description,
errors as problem+json on their fields, other organisations' rows 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.storage.db import Organisasjon
from tests.dokgen.services.praksis_hjelp import ARBEIDSGIVER, BEKREFTET, MOTE
from tests.dokgen.web.test_api_deltakere import _deltaker_data, _gjennomforing, as_described

Auth = Callable[..., dict[str, str]]
FNR_KARI, FNR_JON = "15858545606", "15909099169"


@pytest.fixture
def register(client: FlaskClient, auth: Auth, kontrakt: Any) -> dict[str, Any]:
    """An arbeidsgiver with one arbeidstrening place for one, and Kari and Jon."""
    v = auth("veileder")
    r = client.post("/api/v1/arbeidsgivere", json=ARBEIDSGIVER, headers=v)
    ag = as_described(client, r, "/arbeidsgivere", "post")
    assert r.status_code == 201
    assert r.headers["Location"] == f"/api/v1/arbeidsgivere/{ag['id']}"
    plass = {
        "arbeidsgiver_id": ag["id"],
        "art": "arbeidstrening",
        "kapasitet": 1,
        "arbeidsoppgaver": "Betjene kunder",
    }
    r = client.post("/api/v1/praksisplasser", json=plass, headers=v)
    p = as_described(client, r, "/praksisplasser", "post")
    g = _gjennomforing(client, auth, kontrakt)
    deltakere = []
    for fnr in (FNR_KARI, FNR_JON):
        data = _deltaker_data(kontrakt, g, nr=None, fodselsnummer=fnr)
        deltakere.append(client.post("/api/v1/deltakere", json=data, headers=v).json["id"])
    return {"arbeidsgiver": ag, "plass": p, "deltakere": deltakere, "v": v}


def _plasser(client: FlaskClient, reg: dict[str, Any], deltaker_id: int) -> dict[str, Any]:
    data = {
        "praksisplass_id": reg["plass"]["id"],
        "deltaker_id": deltaker_id,
        "dato": "2026-08-20",
        "planlagt_sluttdato": "2026-12-31",
    }
    r = client.post("/api/v1/plasseringer", json=data, headers=reg["v"])
    assert r.status_code == 201, r.json
    return as_described(client, r, "/plasseringer", "post")


def _status(client: FlaskClient, reg: dict[str, Any], pid: int, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/plasseringer/{pid}/status", json=data, headers=reg["v"])


def test_a_placement_moves_through_its_statuses_and_the_place_fills_and_frees(
    client: FlaskClient, register: dict[str, Any], auth: Auth
) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    assert (kari["status"], kari["neste_statuser"][0]) == ("ny", "statusmote_avtalt")
    for steg in (MOTE, BEKREFTET):
        r = _status(client, register, kari["id"], steg)
        svar = as_described(client, r, "/plasseringer/{plassering_id}/status", "post")
    assert svar["status_tekst"] == "Bekreftet"
    assert r.headers["Location"] == f"/api/v1/plasseringer/{kari['id']}"
    r = client.get("/api/v1/praksisplasser?ledig=1", headers=auth("leser"))
    assert as_described(client, r, "/praksisplasser", "get") == {"praksisplasser": []}
    r = client.get("/api/v1/plasseringer?status=bekreftet", headers=auth("leser"))
    liste = as_described(client, r, "/plasseringer", "get")["plasseringer"]
    assert [p["deltaker"]["navn"] for p in liste] == ["Kari Nordmann"]

    jon = _plasser(client, register, register["deltakere"][1])
    _status(client, register, jon["id"], MOTE)
    r = _status(client, register, jon["id"], BEKREFTET)
    feil = as_described(client, r, "/plasseringer/{plassering_id}/status", "post")
    assert r.status_code == 409
    assert "praksisplassen er full: 1 av 1 plasser" in feil["detail"]

    r = _status(
        client,
        register,
        kari["id"],
        {
            "status": "avsluttet",
            "dato": "2026-09-05",
            "sluttdato": "2026-09-05",
            "sluttarsak": "Fikk jobb",
        },
    )
    assert as_described(client, r, "/plasseringer/{plassering_id}/status", "post")["sluttdato"] == (
        "2026-09-05"
    )
    r = client.get("/api/v1/praksisplasser?ledig=1&art=arbeidstrening", headers=auth("leser"))
    ledige = as_described(client, r, "/praksisplasser", "get")["praksisplasser"]
    assert [(p["id"], p["ledige"], p["art_tekst"]) for p in ledige] == [
        (register["plass"]["id"], 1, "Arbeidstrening")
    ]
    assert "definert yrkesmål" in ledige[0]["art_hjelp"]
    r = client.get(f"/api/v1/arbeidsgivere/{register['arbeidsgiver']['id']}", headers=auth("leser"))
    assert [
        p["id"]
        for p in as_described(client, r, "/arbeidsgivere/{arbeidsgiver_id}", "get")[
            "praksisplasser"
        ]
    ] == [register["plass"]["id"]]


def test_errors_are_422_on_their_fields(client: FlaskClient, register: dict[str, Any]) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    r = _status(client, register, kari["id"], {"status": "avsluttet", "dato": "2026-09-01"})
    feil = as_described(client, r, "/plasseringer/{plassering_id}/status", "post")
    assert r.status_code == 422
    assert feil["errors"] == [
        {
            "path": "sluttdato",
            "message": "OBS! Husk sluttdato: oppgi dagen praksisen sluttet, f.eks. 2026-06-30",
        }
    ]
    r = _status(client, register, kari["id"], {"status": "pause", "dato": "01.09.2026"})
    assert {f["path"] for f in r.json["errors"]} == {"status", "dato"}
    r = client.post(
        "/api/v1/arbeidsgivere", json=ARBEIDSGIVER | {"orgnr": "123"}, headers=register["v"]
    )
    assert as_described(client, r, "/arbeidsgivere", "post")["errors"][0]["path"] == "orgnr"
    r = client.get("/api/v1/praksisplasser?art=lonnstilskudd&ledig=kanskje", headers=register["v"])
    assert r.status_code == 422
    assert {f["path"] for f in r.json["errors"]} == {"art", "ledig"}
    r = client.post(
        "/api/v1/praksisplasser",
        json={"arbeidsgiver_id": 999999, "art": "aktivitetsplass"},
        headers=register["v"],
    )
    assert r.json["errors"] == [
        {"path": "arbeidsgiver_id", "message": "finnes ikke: velg en av arbeidsgiverne"}
    ]


def test_another_organisations_rows_are_404_and_leser_may_not_write(
    client: FlaskClient, register: dict[str, Any], auth: Auth, annen_org: Organisasjon
) -> None:
    kari = _plasser(client, register, register["deltakere"][0])
    fremmed = auth("admin", annen_org)
    for sti in (
        f"/api/v1/arbeidsgivere/{register['arbeidsgiver']['id']}",
        f"/api/v1/praksisplasser/{register['plass']['id']}",
        f"/api/v1/plasseringer/{kari['id']}",
        "/api/v1/plasseringer/abc",
    ):
        r = client.get(sti, headers=fremmed)
        assert r.status_code == 404, sti
        assert r.mimetype == "application/problem+json"
    r = client.post(f"/api/v1/plasseringer/{kari['id']}/status", json=MOTE, headers=fremmed)
    assert r.status_code == 404
    r = client.put(
        f"/api/v1/arbeidsgivere/{register['arbeidsgiver']['id']}",
        json=ARBEIDSGIVER,
        headers=fremmed,
    )
    assert r.status_code == 404
    assert client.get("/api/v1/plasseringer", headers=fremmed).json == {"plasseringer": []}
    r = client.post("/api/v1/arbeidsgivere", json=ARBEIDSGIVER, headers=auth("leser"))
    assert r.status_code == 403


def test_put_replaces_an_arbeidsgiver_and_a_place_but_not_below_the_places_in_use(
    client: FlaskClient, register: dict[str, Any]
) -> None:
    ag, p, v = register["arbeidsgiver"], register["plass"], register["v"]
    endret = ARBEIDSGIVER | {"navn": "Gjesdal Bakeri og Kafé AS", "kontaktpersoner": []}
    r = client.put(f"/api/v1/arbeidsgivere/{ag['id']}", json=endret, headers=v)
    svar = as_described(client, r, "/arbeidsgivere/{arbeidsgiver_id}", "put")
    assert (svar["navn"], svar["kontaktpersoner"]) == ("Gjesdal Bakeri og Kafé AS", [])
    kari = _plasser(client, register, register["deltakere"][0])
    for steg in (MOTE, BEKREFTET):
        _status(client, register, kari["id"], steg)
    plass = {"arbeidsgiver_id": ag["id"], "art": "arbeidstrening", "kapasitet": 0}
    r = client.put(f"/api/v1/praksisplasser/{p['id']}", json=plass, headers=v)
    assert as_described(client, r, "/praksisplasser/{plass_id}", "put")["errors"][0]["path"] == (
        "kapasitet"
    )
    r = client.put(
        f"/api/v1/praksisplasser/{p['id']}",
        json=plass | {"kapasitet": 3, "aktiv": False},
        headers=v,
    )
    svar = as_described(client, r, "/praksisplasser/{plass_id}", "put")
    assert (svar["kapasitet"], svar["i_bruk"], svar["ledige"], svar["ledig_na"]) == (3, 1, 2, False)
    r = client.get(f"/api/v1/praksisplasser/{p['id']}", headers=v)
    detaljer = as_described(client, r, "/praksisplasser/{plass_id}", "get")
    assert [pl["status"] for pl in detaljer["plasseringer"]] == ["bekreftet"]
    r = client.post(
        "/api/v1/plasseringer",
        headers=v,
        json={"praksisplass_id": p["id"], "deltaker_id": register["deltakere"][1]},
    )
    assert r.json["errors"] == [
        {
            "path": "praksisplass_id",
            "message": "praksisplassen er ikke aktiv og tar ikke imot nye deltakere",
        }
    ]
