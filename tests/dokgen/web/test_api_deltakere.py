"""The register's API end to end (gjennomføringer, deltakere, their status, the import of
NAV's lists, prefilled drafts, a document's deltaker): real app, real SQLite; every answer
checked against the OpenAPI description."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from dokgen.storage.db import (
    Bruker,
    Deltaker,
    Deltakerstatus,
    Deltakerveileder,
    Dokument,
    Gjennomforing,
    Organisasjon,
)
from tests.conftest import KONTRAKT
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.conftest import over_upload_limit

FNR_KARI, FNR_JON = "15858545606", "15909099169"
Auth = Callable[..., dict[str, str]]


def _fil(navn: str) -> bytes:
    return (KONTRAKT / navn).read_bytes()


def _count(deps: Deps, model: type[Any]) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def as_described(client: FlaskClient, r: TestResponse, path: str, method: str) -> Any:
    """Assert that an answer is one the OpenAPI description gives for this operation (status
    listed, body valid against its schema, dates as dates); return its JSON."""
    spec = client.get("/api/v1/openapi.json").json
    assert spec is not None
    svar = spec["paths"][path][method]["responses"]
    assert str(r.status_code) in svar, (path, method, r.status_code, r.json)
    beskrevet = svar[str(r.status_code)]
    if "$ref" in beskrevet:
        beskrevet = spec["components"]["responses"][beskrevet["$ref"].rsplit("/", 1)[1]]
    assert r.mimetype in beskrevet["content"], (r.mimetype, list(beskrevet["content"]))
    innhold = beskrevet["content"][r.mimetype]
    validator = Draft202012Validator(
        {**innhold["schema"], "components": spec["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    feil = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(r.json)]
    assert feil == [], feil
    return r.json


def _gjennomforing(client: FlaskClient, auth: Auth, kontrakt: Any, **endringer: Any) -> int:
    r = client.post(
        "/api/v1/gjennomforinger", json=kontrakt("gjennomforing") | endringer, headers=auth("admin")
    )
    return int(as_described(client, r, "/gjennomforinger", "post")["id"])


def _deltaker_data(kontrakt: Any, gjennomforing_id: int, **endringer: Any) -> dict[str, Any]:
    data: dict[str, Any] = kontrakt("deltaker") | {"gjennomforing_id": gjennomforing_id}
    data["veiledere_arrangor"] = []
    return data | endringer


@pytest.fixture
def gjennomforing_id(client: FlaskClient, auth: Auth, kontrakt: Any) -> int:
    return _gjennomforing(client, auth, kontrakt)


def test_an_admin_creates_and_changes_a_gjennomforing_and_every_role_reads_it(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any
) -> None:
    """POST 201 with Location and the stored fields; PUT replaces them; GET by every role."""
    admin = auth("admin")
    r = client.post("/api/v1/gjennomforinger", json=kontrakt("gjennomforing"), headers=admin)
    ny = as_described(client, r, "/gjennomforinger", "post")
    assert r.status_code == 201
    assert r.headers["Location"] == f"/api/v1/gjennomforinger/{ny['id']}"
    assert (ny["navn"], ny["regelsett"], ny["timepris"]) == (
        "Jobbmestrende oppfølging Oslo 2026",
        "jmo-oslo-2020",
        "1150.00",
    )
    endret = kontrakt("gjennomforing") | {"sluttdato": "2026-12-31", "navn": "JMO Oslo"}
    r = client.put(f"/api/v1/gjennomforinger/{ny['id']}", json=endret, headers=admin)
    assert as_described(client, r, "/gjennomforinger/{gjennomforing_id}", "put")["sluttdato"] == (
        "2026-12-31"
    )
    with deps.sessions() as s:
        rad = s.get(Gjennomforing, ny["id"])
        assert rad is not None
        assert (rad.navn, rad.sluttdato) == ("JMO Oslo", date(2026, 12, 31))
    for rolle in ("leser", "veileder", "regnskap"):
        r = client.get("/api/v1/gjennomforinger", headers=auth(rolle))
        assert [
            g["navn"] for g in as_described(client, r, "/gjennomforinger", "get")["gjennomforinger"]
        ] == ["JMO Oslo"]
        r = client.get(f"/api/v1/gjennomforinger/{ny['id']}", headers=auth(rolle))
        assert (
            as_described(client, r, "/gjennomforinger/{gjennomforing_id}", "get")["id"] == ny["id"]
        )


def test_only_an_admin_writes_gjennomforinger(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any, gjennomforing_id: int
) -> None:
    """Veileder, leser and regnskap get 403 on POST and PUT; nothing changes."""
    for rolle in ("veileder", "leser", "regnskap"):
        r = client.post(
            "/api/v1/gjennomforinger", json=kontrakt("gjennomforing"), headers=auth(rolle)
        )
        assert as_described(client, r, "/gjennomforinger", "post")["title"] == "Ingen tilgang"
        r = client.put(
            f"/api/v1/gjennomforinger/{gjennomforing_id}",
            json=kontrakt("gjennomforing") | {"navn": "Nytt"},
            headers=auth(rolle),
        )
        assert r.status_code == 403
    assert _count(deps, Gjennomforing) == 1
    with deps.sessions() as s:
        assert s.scalar(select(Gjennomforing.navn)) == "Jobbmestrende oppfølging Oslo 2026"


@pytest.mark.parametrize(
    ("endringer", "stier"),
    [
        ({"sluttdato": "2025-12-31"}, ["sluttdato"]),
        ({"regelsett": "ukjent-2099"}, ["regelsett"]),
        ({"startdato": "i morgen", "ukjent": 1}, ["startdato", "ukjent"]),
        ({"timepris": 1150.5}, ["timepris"]),
    ],
)
def test_a_bad_gjennomforing_is_refused_field_by_field_and_nothing_is_written(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    endringer: dict[str, Any],
    stier: list[str],
) -> None:
    """Each wrong field is named with a message in bokmål; no row is written."""
    r = client.post(
        "/api/v1/gjennomforinger", json=kontrakt("gjennomforing") | endringer, headers=auth("admin")
    )
    problem = as_described(client, r, "/gjennomforinger", "post")
    assert r.status_code == 422
    assert [e["path"] for e in problem["errors"]] == stier
    if stier == ["regelsett"]:
        assert "jmo-oslo-2020" in problem["errors"][0]["message"]
    if stier == ["sluttdato"]:
        assert problem["errors"][0]["message"] == "sluttdato kan ikke være før startdato"
    assert _count(deps, Gjennomforing) == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"navn": ', "application/json", 400),
        (b"navn=JMO", "application/x-www-form-urlencoded", 415),
        (b"[1]", "application/json", 422),
    ],
)
def test_unreadable_bodies_are_refused_before_anything_is_written(
    client: FlaskClient, deps: Deps, auth: Auth, body: bytes, content_type: str, status: int
) -> None:
    """Malformed JSON 400, a form 415, not an object 422: problem+json, no rows."""
    for path in ("/api/v1/gjennomforinger", "/api/v1/deltakere"):
        r = client.post(path, data=body, headers={**auth("admin"), "Content-Type": content_type})
        assert (r.status_code, r.mimetype) == (status, "application/problem+json"), path
    assert (_count(deps, Gjennomforing), _count(deps, Deltaker)) == (0, 0)


def test_a_veileder_registers_a_deltaker_and_changes_their_status(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any, gjennomforing_id: int
) -> None:
    """POST 201 (numbered, history started), status change → a history entry, read back."""
    veileder = auth("veileder")
    r = client.post(
        "/api/v1/deltakere", json=_deltaker_data(kontrakt, gjennomforing_id), headers=veileder
    )
    ny = as_described(client, r, "/deltakere", "post")
    assert r.status_code == 201
    assert r.headers["Location"] == f"/api/v1/deltakere/{ny['id']}"
    assert (ny["nr"], ny["navn"], ny["status"]["tekst"]) == ("D-0017", "Kari Nordmann", "Deltar")
    assert [(h["type"], h["kilde"]) for h in ny["historikk"]] == [("DELTAR", "api")]

    status = {"type": "HAR_SLUTTET", "aarsak": "FATT_JOBB", "gyldig_fra": "2026-11-13"}
    url = f"/api/v1/deltakere/{ny['id']}/status"
    r = client.post(url, json=status, headers=veileder)
    svar = as_described(client, r, "/deltakere/{deltaker_id}/status", "post")
    assert (svar["status"]["tekst"], svar["status"]["aarsak_tekst"]) == ("Har sluttet", "Fått jobb")
    r = client.get(f"/api/v1/deltakere/{ny['id']}", headers=auth("leser"))
    lest = as_described(client, r, "/deltakere/{deltaker_id}", "get")
    assert [h["type"] for h in lest["historikk"]] == ["DELTAR", "HAR_SLUTTET"]
    assert lest["fodselsnummer"] == FNR_KARI
    with deps.sessions() as s:
        assert s.scalar(select(Deltaker.status)) == "HAR_SLUTTET"
        assert _count(deps, Deltakerstatus) == 2

    endret = _deltaker_data(kontrakt, gjennomforing_id, telefon="40000018", status=status)
    r = client.put(f"/api/v1/deltakere/{ny['id']}", json=endret, headers=veileder)
    assert as_described(client, r, "/deltakere/{deltaker_id}", "put")["telefon"] == "40000018"
    assert _count(deps, Deltakerstatus) == 2


def test_a_bad_status_is_refused_per_field_and_changes_nothing(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any, gjennomforing_id: int
) -> None:
    """Unknown status or årsak, or a beskrivelse on another årsak than Annet: 422 each."""
    veileder = auth("veileder")
    r = client.post(
        "/api/v1/deltakere", json=_deltaker_data(kontrakt, gjennomforing_id), headers=veileder
    )
    url = f"/api/v1/deltakere/{r.json['id']}/status"
    for body, sti in (
        ({"type": "HOLDER_PA"}, "type"),
        ({"type": "HAR_SLUTTET", "aarsak": "LEI"}, "aarsak"),
        ({"type": "HAR_SLUTTET", "aarsak": "SYK", "beskrivelse": "Influensa"}, "beskrivelse"),
    ):
        r = client.post(url, json=body, headers=veileder)
        problem = as_described(client, r, "/deltakere/{deltaker_id}/status", "post")
        assert r.status_code == 422
        assert [e["path"] for e in problem["errors"]] == [sti]
    assert "Annet" in problem["errors"][0]["message"]
    assert _count(deps, Deltakerstatus) == 1
    with deps.sessions() as s:
        assert s.scalar(select(Deltaker.status)) == "DELTAR"


@pytest.mark.parametrize(
    ("endringer", "stier"),
    [
        ({"oppstartdato": "2026-03-02", "sluttdato": "2026-01-01"}, ["sluttdato"]),
        ({"status": {"type": "PA_PAUSE"}}, ["status.type"]),
        ({"status": {"type": "AVBRUTT", "aarsak": "KJEDER_SEG"}}, ["status.aarsak"]),
        (
            {"status": {"type": "AVBRUTT", "aarsak": "SYK", "beskrivelse": "Lang tekst"}},
            ["status.beskrivelse"],
        ),
        ({"fodselsnummer": "12345678901"}, ["fodselsnummer"]),
        ({"gjennomforing_id": 999}, ["gjennomforing_id"]),
        ({"veiledere_arrangor": [{"brukernavn": "ingen"}]}, ["veiledere_arrangor.0.brukernavn"]),
    ],
)
def test_a_bad_deltaker_is_refused_field_by_field_and_nothing_is_written(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    endringer: dict[str, Any],
    stier: list[str],
) -> None:
    """Each wrong field named (a bad fødselsnummer never echoed); no row, no history."""
    r = client.post(
        "/api/v1/deltakere",
        json=_deltaker_data(kontrakt, gjennomforing_id) | endringer,
        headers=auth("veileder"),
    )
    problem = as_described(client, r, "/deltakere", "post")
    assert r.status_code == 422
    assert [e["path"] for e in problem["errors"]] == stier
    assert "12345678901" not in r.get_data(as_text=True)
    assert (_count(deps, Deltaker), _count(deps, Deltakerstatus)) == (0, 0)


def test_a_duplicate_nr_or_fodselsnummer_is_refused_without_echoing_the_number(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any, gjennomforing_id: int
) -> None:
    """The same nr and fødselsnummer again: 422 on both fields, the number not in the answer."""
    veileder = auth("veileder")
    data = _deltaker_data(kontrakt, gjennomforing_id)
    assert client.post("/api/v1/deltakere", json=data, headers=veileder).status_code == 201
    r = client.post("/api/v1/deltakere", json=data, headers=veileder)
    problem = as_described(client, r, "/deltakere", "post")
    assert r.status_code == 422
    assert {e["path"] for e in problem["errors"]} == {"fodselsnummer", "nr"}
    assert FNR_KARI not in r.get_data(as_text=True)
    other = _deltaker_data(kontrakt, gjennomforing_id, nr="D-0018", fodselsnummer=FNR_JON)
    ny = client.post("/api/v1/deltakere", json=other, headers=veileder).json
    r = client.put(f"/api/v1/deltakere/{ny['id']}", json=other | {"nr": "D-0017"}, headers=veileder)
    assert [e["path"] for e in r.json["errors"]] == ["nr"]
    assert _count(deps, Deltaker) == 2
    with deps.sessions() as s:
        assert sorted(s.scalars(select(Deltaker.nr))) == ["D-0017", "D-0018"]


def test_the_list_filters_sorts_and_never_shows_the_fodselsnummer(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    org: Organisasjon,
    bruker: Callable[..., str],
) -> None:
    """status, veileder, gjennomforing_id, sok, sorter, synkende; bad values 422 each."""
    veileder, ase = auth("veileder"), bruker("veileder")
    kari = _deltaker_data(kontrakt, gjennomforing_id, veiledere_arrangor=[{"brukernavn": ase}])
    jon = _deltaker_data(
        kontrakt,
        gjennomforing_id,
        nr="D-0020",
        fornavn="Jon",
        etternavn="Berg",
        fodselsnummer=FNR_JON,
        oppstartdato="2026-04-01",
    )
    for data in (kari, jon):
        assert client.post("/api/v1/deltakere", json=data, headers=veileder).status_code == 201
    annen = _gjennomforing(client, auth, kontrakt, navn="Annen")

    def nr(query: str) -> list[str]:
        r = client.get(f"/api/v1/deltakere?{query}", headers=auth("leser"))
        return [d["nr"] for d in as_described(client, r, "/deltakere", "get")["deltakere"]]

    with deps.sessions() as s:
        ase_id = s.scalar(select(Bruker.id).where(Bruker.brukernavn == ase))
    assert nr("") == ["D-0020", "D-0017"]
    assert nr("sok=nordm") == ["D-0017"]
    assert nr("sok=d-0020") == ["D-0020"]
    assert nr(f"veileder={ase_id}") == ["D-0017"]
    assert nr("status=DELTAR") == ["D-0020", "D-0017"]
    assert nr("status=AVBRUTT") == []
    assert nr(f"gjennomforing_id={annen}") == []
    assert nr("sorter=oppstartdato&synkende=1") == ["D-0020", "D-0017"]
    assert nr("sorter=oppstartdato&synkende=0") == ["D-0017", "D-0020"]
    r = client.get("/api/v1/deltakere", headers=auth("leser"))
    assert FNR_KARI not in r.get_data(as_text=True)

    r = client.get(
        "/api/v1/deltakere?status=PAUSE&veileder=x&sorter=fnr&synkende=kanskje&sok=" + "a" * 101,
        headers=auth("leser"),
    )
    problem = as_described(client, r, "/deltakere", "get")
    assert [e["path"] for e in problem["errors"]] == ["status", "veileder", "sorter", "synkende"]
    r = client.get("/api/v1/deltakere?sok=" + "a" * 101, headers=auth("leser"))
    assert [e["path"] for e in r.json["errors"]] == ["sok"]


def test_roles_leser_reads_and_may_not_write_deltakere(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any, gjennomforing_id: int
) -> None:
    """A leser (and regnskap) gets 403 on every write; admin and veileder write."""
    data = _deltaker_data(kontrakt, gjennomforing_id)
    r = client.post("/api/v1/deltakere", json=data, headers=auth("admin"))
    deltaker_id = r.json["id"]
    for rolle in ("leser", "regnskap"):
        h = auth(rolle)
        assert client.post("/api/v1/deltakere", json=data, headers=h).status_code == 403
        url = f"/api/v1/deltakere/{deltaker_id}"
        assert client.put(url, json=data, headers=h).status_code == 403
        r = client.post(f"{url}/status", json={"type": "AVBRUTT"}, headers=h)
        assert (r.status_code, r.json["title"]) == (403, "Ingen tilgang")
        assert client.get(url, headers=h).status_code == 200
    assert (_count(deps, Deltaker), _count(deps, Deltakerstatus)) == (1, 1)
    assert client.get("/api/v1/deltakere").status_code == 401


def test_another_organisations_records_are_404_and_theirs_untouched(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    annen_org: Organisasjon,
) -> None:
    """Reads, writes and status of another organisation's ids: 404, rows unchanged; its
    gjennomføring is unknown to a new deltaker (422 on the field)."""
    data = _deltaker_data(kontrakt, gjennomforing_id)
    deltaker_id = client.post("/api/v1/deltakere", json=data, headers=auth("veileder")).json["id"]
    admin, veileder = auth("admin", annen_org), auth("veileder", annen_org)
    g_url, d_url = f"/api/v1/gjennomforinger/{gjennomforing_id}", f"/api/v1/deltakere/{deltaker_id}"
    r = client.get(g_url, headers=admin)
    assert as_described(client, r, "/gjennomforinger/{gjennomforing_id}", "get")["title"] == (
        "Finnes ikke"
    )
    r = client.put(g_url, json=kontrakt("gjennomforing") | {"navn": "Kapret"}, headers=admin)
    assert as_described(client, r, "/gjennomforinger/{gjennomforing_id}", "put")["status"] == 404
    assert client.get(d_url, headers=admin).status_code == 404
    assert client.put(d_url, json=data, headers=veileder).status_code == 404
    r = client.post(f"{d_url}/status", json={"type": "AVBRUTT"}, headers=veileder)
    assert as_described(client, r, "/deltakere/{deltaker_id}/status", "post")["status"] == 404
    assert client.get("/api/v1/deltakere", headers=admin).json == {"deltakere": []}
    assert client.get("/api/v1/gjennomforinger", headers=admin).json == {"gjennomforinger": []}
    r = client.post(
        "/api/v1/deltakere", json=data | {"nr": "X-1", "fodselsnummer": FNR_JON}, headers=veileder
    )
    assert [e["path"] for e in r.json["errors"]] == ["gjennomforing_id"]
    for url in ("/api/v1/deltakere/abc", f"/api/v1/deltakere/{FNR_KARI}", "/api/v1/deltakere/-1"):
        r = client.get(url, headers=auth("admin"))
        assert r.status_code == 404, url
        assert FNR_KARI not in r.get_data(as_text=True)
    with deps.sessions() as s:
        assert s.scalar(select(Gjennomforing.navn)) == "Jobbmestrende oppfølging Oslo 2026"
        assert s.scalar(select(Deltaker.status)) == "DELTAR"
        assert _count(deps, Deltaker) == 1


def test_a_protected_deltaker_is_404_to_those_who_do_not_follow_them(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    bruker: Callable[..., str],
) -> None:
    """A token (veileder or leser) follows nobody: 404 and not in the list; admins see them."""
    data = _deltaker_data(
        kontrakt,
        gjennomforing_id,
        adresse=None,
        adressebeskyttet=True,
        veiledere_arrangor=[{"brukernavn": bruker("veileder")}],
    )
    r = client.post("/api/v1/deltakere", json=data, headers=auth("admin"))
    ny = as_described(client, r, "/deltakere", "post")
    url = f"/api/v1/deltakere/{ny['id']}"
    for rolle in ("veileder", "leser"):
        assert client.get(url, headers=auth(rolle)).status_code == 404
        r = client.post(f"{url}/status", json={"type": "AVBRUTT"}, headers=auth(rolle))
        assert r.status_code in (403, 404)
        assert client.get("/api/v1/deltakere", headers=auth(rolle)).json == {"deltakere": []}
    assert client.get(url, headers=auth("admin")).json["adressebeskyttet"] is True
    with deps.sessions() as s:
        assert s.scalar(select(Deltaker.status)) == "DELTAR"


def test_a_document_for_a_deltaker_carries_their_id_and_gjennomforing(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    annen_org: Organisasjon,
) -> None:
    """``?deltaker_id=`` stores the deltaker and their gjennomføring on the document and the
    answer names the deltaker; an unknown or another organisation's id is 404, one that is no
    number 422; nothing stored."""
    veileder = auth("veileder")
    data = _deltaker_data(kontrakt, gjennomforing_id)
    deltaker_id = client.post("/api/v1/deltakere", json=data, headers=veileder).json["id"]
    url = f"/api/v1/dokumenter?deltaker_id={deltaker_id}"
    r = client.post(url, json=kontrakt("statusrapport"), headers=veileder)
    assert r.status_code == 201, r.json
    assert as_described(client, r, "/dokumenter", "post")["deltaker_id"] == deltaker_id
    assert client.get(r.json["lenker"]["selv"], headers=veileder).json["deltaker_id"] == (
        deltaker_id
    )
    with deps.sessions() as s:
        rad = s.get(Dokument, r.json["id"])
        assert rad is not None
        assert (rad.deltaker_id, rad.gjennomforing_id) == (deltaker_id, gjennomforing_id)

    fremmed = auth("veileder", annen_org)
    for query in (
        f"deltaker_id={deltaker_id}",
        "deltaker_id=987654",
        f"gjennomforing_id={gjennomforing_id}",
    ):
        r = client.post(
            f"/api/v1/dokumenter?{query}", json=kontrakt("statusrapport"), headers=fremmed
        )
        assert as_described(client, r, "/dokumenter", "post")["title"] == "Finnes ikke", query
    r = client.post(
        "/api/v1/dokumenter?deltaker_id=to&gjennomforing_id=1.5",
        json=kontrakt("statusrapport"),
        headers=veileder,
    )
    problem = as_described(client, r, "/dokumenter", "post")
    assert [e["path"] for e in problem["errors"]] == ["deltaker_id", "gjennomforing_id"]
    without = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=veileder)
    assert without.json["deltaker_id"] is None
    deps.jobs.wait_idle(timeout=120)
    assert _count(deps, Dokument) == 2


def _importer(
    client: FlaskClient, headers: dict[str, str], query: str, body: bytes, mime: str
) -> TestResponse:
    return client.post(
        f"/api/v1/deltakere/import?{query}", data=body, headers={**headers, "Content-Type": mime}
    )


def test_nav_json_is_previewed_then_imported_without_a_fodselsnummer_in_the_answers(
    client: FlaskClient, deps: Deps, auth: Auth, gjennomforing_id: int
) -> None:
    """forhandsvis=1 writes nothing; the commit registers both; the same file again changes
    nothing; no answer holds a fødselsnummer. A token follows nobody, so a veileder's token
    may not touch the protected Jon again (422 on his row, nothing said of him)."""
    admin, nav = auth("admin"), _fil("deltakere-nav.json")
    query = f"gjennomforing_id={gjennomforing_id}"
    r = _importer(client, admin, f"{query}&forhandsvis=1", nav, "application/json")
    forhand = as_described(client, r, "/deltakere/import", "post")
    assert [(n["radnr"], n["navn"]) for n in forhand["nye"]] == [
        (1, "Kari Nordmann"),
        (2, "Jon Erik Berg"),
    ]
    assert (forhand["skrevet"], forhand["feil"]) == (False, [])
    assert _count(deps, Deltaker) == 0

    r = _importer(client, admin, query, nav, "application/json")
    svar = as_described(client, r, "/deltakere/import", "post")
    assert [(n["radnr"], n["nr"]) for n in svar["nye"]] == [(1, "D-0001"), (2, "D-0002")]
    assert svar["skrevet"] is True
    for tekst in (r.get_data(as_text=True), json.dumps(forhand)):
        assert FNR_KARI not in tekst
        assert FNR_JON not in tekst
    with deps.sessions() as s:
        assert sorted(s.scalars(select(Deltaker.nr))) == ["D-0001", "D-0002"]
        assert set(s.scalars(select(Deltakerstatus.kilde))) == {"import"}
    r = _importer(client, admin, query, nav, "application/json")
    igjen = as_described(client, r, "/deltakere/import", "post")
    assert (igjen["nye"], igjen["endrede"], len(igjen["uendrede"])) == ([], [], 2)
    r = _importer(client, auth("veileder"), query, nav, "application/json")
    problem = as_described(client, r, "/deltakere/import", "post")
    assert [e["path"] for e in problem["errors"]] == ["rad 2.fodselsnummer"]
    assert FNR_JON not in r.get_data(as_text=True)
    assert _count(deps, Deltakerstatus) == 2


def test_a_coordinator_list_as_csv_or_tsv_and_its_row_errors(
    client: FlaskClient, deps: Deps, auth: Auth, gjennomforing_id: int, org: Organisasjon
) -> None:
    """CSV and a pasted table (TSV) with the veileder named; a row error is shown by the
    preview and stops the commit (422 on row and column, nothing written)."""
    with deps.sessions.begin() as s:
        target = s.get(Organisasjon, org.id)
        assert target is not None
        brukere.opprett_bruker(s, target, "ase", "Åse Ødegård", "veileder", PASSORD)
    tekst = _fil("deltakere-koordinator.csv").decode("utf-8")
    query = f"gjennomforing_id={gjennomforing_id}"
    feil = tekst.replace(";Deltar;", ";Holder på;").encode()
    r = _importer(client, auth("admin"), f"{query}&forhandsvis=1", feil, "text/csv")
    forhand = as_described(client, r, "/deltakere/import", "post")
    assert [(f["radnr"], f["felt"]) for f in forhand["feil"]] == [(2, "Status")]
    r = _importer(client, auth("admin"), query, feil, "text/csv")
    problem = as_described(client, r, "/deltakere/import", "post")
    assert (r.status_code, [e["path"] for e in problem["errors"]]) == (422, ["rad 2.Status"])
    assert _count(deps, Deltaker) == 0

    tsv = tekst.replace(";", "\t").encode()
    r = _importer(client, auth("admin"), query, tsv, "text/tab-separated-values")
    svar = as_described(client, r, "/deltakere/import", "post")
    assert [n["navn"] for n in svar["nye"]] == ["Kari Nordmann", "Jon Erik Berg"]
    r = _importer(client, auth("admin"), query, tekst.encode(), "text/csv")
    assert len(as_described(client, r, "/deltakere/import", "post")["uendrede"]) == 2
    with deps.sessions() as s:
        assert _count(deps, Deltaker) == 2
        assert s.scalar(select(func.count()).select_from(Deltakerveileder)) == 2


@pytest.mark.parametrize(
    ("query", "body", "mime", "status", "stier"),
    [
        ("", b"{}", "application/json", 422, ["gjennomforing_id"]),
        ("gjennomforing_id=en&forhandsvis=kanskje", b"{}", "application/json", 422, None),
        ("gjennomforing_id={gid}", b"<deltakere/>", "application/xml", 415, None),
        ("gjennomforing_id={gid}", b'{"deltakere": [', "application/json", 400, None),
        ("gjennomforing_id=999", _fil("deltakere-nav.json"), "application/json", 404, None),
    ],
)
def test_a_bad_import_request_is_refused_and_nothing_is_written(
    client: FlaskClient,
    deps: Deps,
    auth: Auth,
    gjennomforing_id: int,
    query: str,
    body: bytes,
    mime: str,
    status: int,
    stier: list[str] | None,
) -> None:
    """Missing or wrong parameters 422, another media type 415, unreadable 400, unknown
    gjennomføring 404: problem+json, no rows."""
    r = _importer(client, auth("admin"), query.format(gid=gjennomforing_id), body, mime)
    problem = as_described(client, r, "/deltakere/import", "post")
    assert r.status_code == status
    if stier is not None:
        assert [e["path"] for e in problem["errors"]] == stier
    if "kanskje" in query:
        assert [e["path"] for e in problem["errors"]] == ["gjennomforing_id", "forhandsvis"]
    assert _count(deps, Deltaker) == 0


def test_import_roles_other_organisations_and_the_size_limit(
    client: FlaskClient,
    make_app: Callable[..., Any],
    deps: Deps,
    auth: Auth,
    gjennomforing_id: int,
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """A leser may not import (403); another organisation's gjennomføring is 404; a body over
    the upload limit 413; nothing written."""
    nav, query = _fil("deltakere-nav.json"), f"gjennomforing_id={gjennomforing_id}"
    r = _importer(client, auth("leser"), query, nav, "application/json")
    assert as_described(client, r, "/deltakere/import", "post")["status"] == 403
    r = _importer(client, auth("admin", annen_org), query, nav, "application/json")
    assert as_described(client, r, "/deltakere/import", "post")["status"] == 404
    assert _count(deps, Deltaker) == 0
    app, token, _ = over_upload_limit(make_app, kontrakt)
    r = app.test_client().post(
        "/api/v1/deltakere/import?gjennomforing_id=1",
        data=nav,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json["title"]) == (413, "For stor fil")
    assert _count(app.extensions["dokgen"], Deltaker) == 0


def test_a_draft_is_prefilled_from_the_register_and_names_what_is_missing(
    client: FlaskClient,
    auth: Auth,
    kontrakt: Any,
    gjennomforing_id: int,
    annen_org: Organisasjon,
) -> None:
    """The statusrapport's deltaker and tiltak come from the register, its period from the
    first open frist; the rest is listed as missing; unknown type or another organisation's
    deltaker 404; a leser may not write documents (403)."""
    veileder = auth("veileder")
    data = _deltaker_data(kontrakt, gjennomforing_id)
    deltaker_id = client.post("/api/v1/deltakere", json=data, headers=veileder).json["id"]
    url = f"/api/v1/deltakere/{deltaker_id}/utkast"
    path = "/deltakere/{deltaker_id}/utkast/{type_navn}"
    r = client.get(f"{url}/statusrapport", headers=veileder)
    utkast = as_described(client, r, path, "get")
    assert (utkast["type"], utkast["deltaker_id"]) == ("statusrapport", deltaker_id)
    assert utkast["data"]["deltaker"]["navn"] == "Kari Nordmann"
    assert utkast["data"]["tiltak"]["navn"] == "Jobbmestrende oppfølging Oslo 2026"
    assert utkast["data"]["rapporteringsperiode"]["fra"] == "2026-03-02"
    assert "gjennomforte_aktiviteter" in utkast["mangler"]
    assert "deltaker.navn" not in utkast["mangler"]
    forklart = {m["path"]: m["message"] for m in utkast["mangler_forklart"]}
    assert list(forklart) == utkast["mangler"]
    assert forklart["gjennomforte_aktiviteter"] == (
        "mangler: skriv gjennomførte aktiviteter i perioden, "
        "f.eks. «Jobbsøking med veileder, CV-arbeid, to …»"
    )

    r = client.get(f"{url}/manedsrapport", headers=veileder)
    assert as_described(client, r, path, "get")["title"] == "Ukjent dokumenttype"
    r = client.get(f"{url}/statusrapport", headers=auth("veileder", annen_org))
    assert as_described(client, r, path, "get")["title"] == "Finnes ikke"
    r = client.get(f"{url}/statusrapport", headers=auth("leser"))
    assert as_described(client, r, path, "get")["title"] == "Ingen tilgang"
