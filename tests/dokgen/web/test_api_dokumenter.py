"""The document API end to end: real app, real SQLite, real LibreOffice, real pyHanko seal."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import func, select, update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.pdf.seal import verify
from dokgen.storage.db import Dokument, Godkjenning, Organisasjon, Revisjon, Versjon, now
from tests.conftest import FIXTURES, require_command
from tests.dokgen.services.test_jobbleie import _godkjent_av_alle_men_ikke_forseglet, _versjon
from tests.dokgen.web.conftest import over_upload_limit
from tests.pdfinfo import page_texts, pdfsig_report, text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}


def _count(deps: Deps, model: type[Any]) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _files(deps: Deps) -> list[str]:
    root = deps.settings.filer_dir
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _create(client: FlaskClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/dokumenter", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def test_statusrapport_is_previewed_approved_sealed_and_served_the_same_every_time(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """POST → preview PDF with the data; approval → sealed PDF/A, identical on every download."""
    require_command("pdfsig", "pdftotext")
    veileder, leser = auth("veileder"), auth("leser")
    doc = _create(client, veileder, kontrakt("statusrapport"))
    assert doc["type"] == "statusrapport"
    assert (doc["versjon"], doc["status"], doc["deltaker"]) == (1, "utkast", "Kari Nordmann")

    preview = client.get(doc["lenker"]["pdf"], headers=leser)
    assert preview.status_code == 200
    assert "utkast" in preview.headers["Content-Disposition"]
    assert "Kari Nordmann" in text(preview.data)
    assert pdfsig_report(preview.data) == []
    preview_pages = page_texts(preview.data)
    assert len(preview_pages) >= 2
    assert all("UTKAST – ikke godkjent" in page for page in preview_pages)

    r = client.post(
        f"/api/v1/dokumenter/{doc['id']}/godkjenninger",
        json={"part": "arrangor", "navn": "Åse Ødegård"},
        headers={**veileder, **VENT},
    )
    assert r.status_code == 201, r.json
    assert r.json["status"] == "godkjent"
    assert [g["navn"] for g in r.json["godkjenninger"]] == ["Åse Ødegård"]

    first = client.get(doc["lenker"]["pdf"], headers=leser)
    second = client.get(doc["lenker"]["pdf"], headers=leser)
    assert first.data == second.data
    # The sealed PDF is converted from the preview's DOCX without its UTKAST band.
    sealed_pages = page_texts(first.data)
    assert len(sealed_pages) == len(preview_pages)
    assert not any("UTKAST" in page for page in sealed_pages)
    assert (
        first.headers["Content-Disposition"]
        == 'attachment; filename="statusrapport-KN-2026-06-02_2026-09-01-v1.pdf"'
    )
    [signature] = pdfsig_report(first.data)
    assert signature["valid"]
    assert signature["total_document_signed"]
    assert verify(first.data).gyldig
    assert "Åse Ødegård" in text(first.data)
    docx = client.get(doc["lenker"]["docx"], headers=leser)
    assert docx.data[:2] == b"PK"

    with deps.sessions() as s:
        handlinger = s.scalars(select(Revisjon.handling).order_by(Revisjon.id)).all()
    assert handlinger == [
        "opprett",
        "last_ned_pdf",
        "godkjenn",
        "last_ned_pdf",
        "last_ned_pdf",
        "last_ned_docx",
    ]


def test_the_answer_to_a_post_is_what_a_get_then_returns(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The 201 is built from the rows just written, not read back: every field (times,
    links, parties) must be what the stored rows give."""
    veileder = auth("veileder")
    ny = client.post("/api/v1/dokumenter", json=kontrakt("arbeidspraksisavtale"), headers=veileder)
    assert ny.status_code == 201, ny.json
    assert (ny.json["versjon"], ny.json["status"], ny.json["godkjenninger"]) == (1, "behandles", [])
    assert ny.json["parter"] == ["arbeidsgiver", "deltaker", "arrangor"]
    deps.jobs.wait_idle(timeout=120)
    lest = client.get(ny.json["lenker"]["selv"], headers=veileder).json
    assert lest["status"] == "utkast"
    # RFC 3339 times with their offset, also from SQLite, which hands them back without it
    assert datetime.fromisoformat(lest["opprettet"]).utcoffset() == timedelta(0)
    endres = {"status", "status_tekst"}  # the preview was made in between
    assert {k: lest[k] for k in ny.json if k not in endres} == {
        k: v for k, v in ny.json.items() if k not in endres
    }


def test_xml_and_json_of_the_same_data_give_the_same_document(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """An XML upload (the type's XSD) is stored as the same data as the contract JSON."""
    veileder = auth("veileder")
    from_json = _create(client, veileder, kontrakt("statusrapport"))
    xml = (FIXTURES / "models" / "statusrapport.xml").read_bytes()
    r = client.post(
        "/api/v1/dokumenter",
        data=xml,
        headers={**veileder, **VENT, "Content-Type": "application/xml"},
    )
    assert r.status_code == 201, r.json
    a = client.get(f"/api/v1/dokumenter/{from_json['id']}", headers=veileder).json
    b = client.get(f"/api/v1/dokumenter/{r.json['id']}", headers=veileder).json
    assert a["data"] == b["data"]
    assert a["data"]["deltaker"]["navn"] == "Kari Nordmann"


def test_an_agreement_is_final_only_when_every_party_has_approved(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Three parties of an arbeidspraksisavtale; on-behalf approvals need a reason."""
    veileder = auth("veileder")
    doc = _create(client, veileder, kontrakt("arbeidspraksisavtale"))
    assert doc["parter"] == ["arbeidsgiver", "deltaker", "arrangor"]
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"

    no_reason = client.post(
        url, json={"part": "arbeidsgiver", "navn": "Lise Berg"}, headers=veileder
    )
    assert no_reason.status_code == 422
    assert no_reason.json["errors"] == [
        {"path": "begrunnelse", "message": "oppgi hvorfor du godkjenner på vegne av"}
    ]
    assert _count(deps, Godkjenning) == 0  # nothing written
    papir = {"begrunnelse": "Signerte på papir 20.11.2026"}
    r = client.post(
        url, json={"part": "arbeidsgiver", "navn": "Lise Berg", **papir}, headers=veileder
    )
    assert (r.status_code, r.json["status"]) == (201, "delvis_godkjent")
    [lise] = r.json["godkjenninger"]
    assert (lise["metode"], lise["metode_tekst"]) == ("pa_vegne_av", "registrert på vegne av")
    assert (lise["navn"], lise["paa_vegne_av"]) == ("Lise Berg", "Lise Berg")
    assert lise["registrert_av"] == "token:test-veileder"
    again = client.post(url, json={"part": "arbeidsgiver"}, headers=veileder)
    assert again.status_code == 422
    assert again.json["errors"] == [{"path": "part", "message": "Arbeidsgiver har godkjent"}]
    no_reason = client.post(
        url, json={"part": "deltaker", "paa_vegne_av": "Kari Nordmann"}, headers=veileder
    )
    assert no_reason.status_code == 422
    assert no_reason.json["errors"][0]["path"] == "begrunnelse"
    unknown = client.post(url, json={"part": "kunde"}, headers=veileder)
    assert unknown.status_code == 422

    r = client.post(
        url,
        json={
            "part": "deltaker",
            "navn": "Kari Nordmann",
            "paa_vegne_av": "Kari Nordmann",
            "begrunnelse": "Signerte på papir 20.11.2026",
        },
        headers=veileder,
    )
    assert r.json["status"] == "delvis_godkjent"
    r = client.post(url, json={"part": "arrangor"}, headers={**veileder, **VENT})
    assert r.json["status"] == "godkjent"
    assert r.json["godkjenninger"][2]["metode"] == "innlogget"
    assert [g["part"] for g in r.json["godkjenninger"]] == ["arbeidsgiver", "deltaker", "arrangor"]
    assert r.json["godkjenninger"][1]["begrunnelse"] == "Signerte på papir 20.11.2026"
    pdf = client.get(doc["lenker"]["pdf"], headers=veileder).data
    assert "Lise Berg (Arbeidsgiver)" in text(pdf)
    assert _count(deps, Godkjenning) == 3


def test_a_correction_is_a_new_version_and_clears_the_approvals(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Once approved by one party the content is locked; PUT makes version 2 without approvals."""
    veileder = auth("veileder")
    body = kontrakt("endringsavtale")
    doc = _create(client, veileder, body)
    url = f"/api/v1/dokumenter/{doc['id']}"
    client.post(f"{url}/godkjenninger", json={"part": "leverandor"}, headers=veileder)

    body["beskrivelse"] = "Ny beskrivelse av endringen."
    r = client.put(url, json=body, headers={**veileder, **VENT})
    assert r.status_code == 200, r.json
    assert (r.json["versjon"], r.json["status"], r.json["godkjenninger"]) == (2, "utkast", [])
    assert client.get(url, headers=veileder).json["data"]["beskrivelse"] == body["beskrivelse"]
    with deps.sessions() as s:
        statuses = s.execute(select(Versjon.nummer, Versjon.status).order_by(Versjon.nummer)).all()
    assert [tuple(x) for x in statuses] == [(1, "erstattet"), (2, "utkast")]

    other = client.put(url, json=kontrakt("statusrapport"), headers=veileder)
    assert other.status_code == 422
    assert other.json["errors"][0]["path"] == "type"


def _statusrapport_bytes(kontrakt: Any) -> bytes:
    return json.dumps(kontrakt("statusrapport")).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "title"),
    [
        (b'{"type": "statusrapport",', "application/json", 400, "Kan ikke lese inndata"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><statusrapport>&e;'
            b"</statusrapport>",
            "application/xml",
            400,
            "Kan ikke lese inndata",
        ),
        (b'{"type": "manedsrapport"}', "application/json", 404, "Ukjent dokumenttype"),
        (b"type=statusrapport", "application/x-www-form-urlencoded", 415, "Ukjent innholdstype"),
        (b"[1, 2]", "application/json", 422, "Ugyldige data"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    body: bytes,
    content_type: str,
    status: int,
    title: str,
) -> None:
    """Malformed JSON/XML 400, DTD 400, unknown type 404, wrong media type 415 — no rows."""
    r = client.post(
        "/api/v1/dokumenter",
        data=body,
        headers={**auth("veileder"), "Content-Type": content_type},
    )
    assert r.status_code == status
    assert r.mimetype == "application/problem+json"
    assert r.json["title"] == title
    assert (_count(deps, Dokument), _count(deps, Versjon), _files(deps)) == (0, 0, [])


def test_invalid_fields_give_422_with_every_error_and_no_trace_of_the_fnr(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Every field error is listed with its path; nothing is stored; the bad fnr is not echoed."""
    body = kontrakt("statusrapport")
    body["deltaker"]["fodselsnummer"] = "12345678901"
    body["rapporteringsperiode"]["til"] = "2020-01-01"
    body["gjennomforte_aktiviteter"] = "x" * 5000
    r = client.post("/api/v1/dokumenter", json=body, headers=auth("veileder"))
    assert r.status_code == 422
    paths = [e["path"] for e in r.json["errors"]]
    assert paths == ["deltaker.fodselsnummer", "rapporteringsperiode", "gjennomforte_aktiviteter"]
    assert "12345678901" not in r.get_data(as_text=True)
    assert (_count(deps, Dokument), _count(deps, Revisjon), _files(deps)) == (0, 0, [])


def test_a_missing_or_empty_required_field_says_what_to_write_with_an_example(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The API's required-field errors say what to write, with an example from the type's
    complete example; a fødselsnummer gets no example."""
    body = kontrakt("statusrapport")
    del body["oppstartdato"]
    del body["deltaker"]["fodselsnummer"]
    body["sted"] = ""
    r = client.post("/api/v1/dokumenter", json=body, headers=auth("veileder"))
    assert r.status_code == 422
    assert {e["path"]: e["message"] for e in r.json["errors"]} == {
        "deltaker.fodselsnummer": "mangler (påkrevd felt): skriv fødselsnummeret, 11 siffer",
        "oppstartdato": ("mangler (påkrevd felt): skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2026-03-02"),
        "sted": "kan ikke være tom: skriv sted, f.eks. «Oslo»",
    }
    assert _count(deps, Dokument) == 0


def test_an_upload_over_the_limit_gives_413_and_nothing_is_written(
    make_app: Callable[..., Any], kontrakt: Any
) -> None:
    """A body over DOKGEN_MAKS_OPPLASTING_MB is refused before it is read."""
    app, token, body = over_upload_limit(make_app, kontrakt)
    deps = app.extensions["dokgen"]
    r = app.test_client().post(
        "/api/v1/dokumenter", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 413
    assert r.json["title"] == "For stor fil"
    assert _count(deps, Dokument) == 0


def test_roles_and_tokens(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Only veileder writes documents; every role reads; no or a wrong token is 401."""
    body = kontrakt("statusrapport")
    for rolle in ("leser", "regnskap", "admin"):
        r = client.post("/api/v1/dokumenter", json=body, headers=auth(rolle))
        assert (r.status_code, r.json["title"]) == (403, "Ingen tilgang"), rolle
    doc = _create(client, auth("veileder"), body)
    for rolle in ("leser", "regnskap", "admin"):
        listed = client.get("/api/v1/dokumenter", headers=auth(rolle)).json["dokumenter"]
        assert [d["id"] for d in listed] == [doc["id"]]
    r = client.post(f"/api/v1/dokumenter/{doc['id']}/godkjenninger", json={}, headers=auth("leser"))
    assert r.status_code == 403
    assert client.get("/api/v1/dokumenter").status_code == 401
    bad = client.get("/api/v1/dokumenter", headers={"Authorization": "Bearer dg_feil"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_organisation_sees_nothing(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    annen_org: Any,
    kontrakt: Any,
) -> None:
    """Another organisation's token gets 404 for the record, its files and its approvals."""
    doc = _create(client, auth("veileder"), kontrakt("statusrapport"))
    theirs = auth("veileder", annen_org)
    base = f"/api/v1/dokumenter/{doc['id']}"
    for path in (base, f"{base}/pdf", f"{base}/docx"):
        assert client.get(path, headers=theirs).status_code == 404, path
    assert client.post(f"{base}/godkjenninger", json={}, headers=theirs).status_code == 404
    assert client.put(base, json=kontrakt("statusrapport"), headers=theirs).status_code == 404
    assert client.get("/api/v1/dokumenter", headers=theirs).json == {"dokumenter": []}
    with deps.sessions() as s:
        assert s.scalar(select(Godkjenning.id)) is None


def test_search_filters_by_type_status_deltaker_and_period(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The list filters combine; the deltaker filter matches part of the name."""
    veileder = auth("veileder")
    status = _create(client, veileder, kontrakt("statusrapport"))
    evaluering = _create(client, veileder, kontrakt("evalueringsrapport"))

    def ids(query: str) -> list[str]:
        found = client.get(f"/api/v1/dokumenter?{query}", headers=veileder).json["dokumenter"]
        return [d["id"] for d in found]

    assert ids("type=statusrapport") == [status["id"]]
    assert ids("deltaker=nordm") == [status["id"]]
    assert ids("status=utkast") == [evaluering["id"], status["id"]]
    assert ids("status=godkjent") == []
    assert ids("fra=2026-09-02") == []
    assert ids("fra=2026-01-01&til=2026-03-01") == [evaluering["id"]]


def test_the_audit_log_is_for_admins_and_never_holds_content(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Admins read and export the log (who, what, when, from where); others get 403."""
    body = kontrakt("statusrapport")
    doc = _create(client, auth("veileder"), body)
    client.get(f"/api/v1/dokumenter/{doc['id']}/pdf", headers=auth("leser"))
    assert client.get("/api/v1/revisjonslogg", headers=auth("veileder")).status_code == 403
    admin = auth("admin")
    lines = client.get("/api/v1/revisjonslogg", headers=admin).json["linjer"]
    assert [(x["handling"], x["aktor"]) for x in reversed(lines)] == [
        ("opprett", "token:test-veileder (veileder)"),
        ("last_ned_pdf", "token:test-leser (leser)"),
    ]
    assert lines[0]["objekt_id"] == doc["id"]
    assert lines[0]["fra"] == "127.0.0.1"
    csv = client.get("/api/v1/revisjonslogg?format=csv", headers=admin)
    assert csv.mimetype == "text/csv"
    rows = csv.get_data(as_text=True).splitlines()
    assert rows[0] == "tidspunkt;aktor;handling;objekt_type;objekt_id;fra;foresporsel;detalj"
    assert any(";opprett;dokument;" + doc["id"] in row for row in rows)
    everything = json.dumps(lines) + csv.get_data(as_text=True)
    assert body["deltaker"]["fodselsnummer"] not in everything
    assert "Kari" not in everything


def test_openapi_describes_every_route_of_the_api(client: FlaskClient) -> None:
    """The OpenAPI document is served without a token and lists the routes the app has."""
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json
    assert spec["openapi"].startswith("3.1")
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
    }
    assert routes <= set(spec["paths"]), routes - set(spec["paths"])
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op["responses"], (path, method)
    validate(spec)  # the OpenAPI 3.1 meta-schema, $refs resolved


@pytest.mark.parametrize("type_navn", list(DOKUMENTTYPER))
def test_the_openapi_body_schema_accepts_the_contract_and_refuses_unknown_fields(
    client: FlaskClient, kontrakt: Any, type_navn: str
) -> None:
    """A client generating from the OpenAPI document sends what the API accepts."""
    components = client.get("/api/v1/openapi.json").json["components"]
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{type_navn}", "components": components}
    )
    example = kontrakt(type_navn)
    assert list(validator.iter_errors(example)) == []
    assert list(validator.iter_errors({**example, "ukjent_felt": 1})) != []


def test_unknown_routes_and_methods_answer_problem_json(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """404 and 405 use the same problem+json shape as domain errors."""
    r = client.get("/api/v1/finnes-ikke", headers=auth("leser"))
    assert (r.status_code, r.mimetype, r.json["title"]) == (
        404,
        "application/problem+json",
        "Finnes ikke",
    )
    r = client.delete("/api/v1/dokumenter", headers=auth("leser"))
    assert (r.status_code, r.json["title"]) == (405, "Metoden er ikke tillatt")


def test_retry_seals_an_approved_version_and_takes_up_a_seal_whose_job_died(
    client: Any,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """nytt-forsok: a version approved by all but left utkast is sealed; one left forsegles
    by a dead job (its lease ran out) is sealed; one whose job holds a live lease is 409."""
    headers = auth("veileder")
    r = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=headers)
    dokument_id = r.json["id"]
    with deps.sessions() as s:
        versjon_id = s.scalars(select(Versjon.id).where(Versjon.dokument_id == dokument_id)).one()
    assert deps.jobs.wait_idle(120)
    with deps.sessions() as s:
        org_id = s.scalars(select(Organisasjon.id)).one()
    _godkjent_av_alle_men_ikke_forseglet(deps, Aktor(org_id, "Åse", "veileder"), versjon_id)

    retry = client.post(
        f"/api/v1/dokumenter/{dokument_id}/nytt-forsok", headers={**headers, **VENT}
    )
    assert (retry.status_code, retry.json["status"]) == (202, "godkjent")

    def stanset(frist: timedelta) -> None:
        with deps.sessions.begin() as s:
            s.execute(
                update(Versjon)
                .where(Versjon.id == versjon_id)
                .values(
                    status="forsegles", pdf_sha256=None, jobb_frist=now() + frist, jobb_forsok=1
                )
            )

    stanset(timedelta(seconds=60))  # a job holds it
    r = client.post(f"/api/v1/dokumenter/{dokument_id}/nytt-forsok", headers=headers)
    assert r.status_code == 409
    assert _versjon(deps, versjon_id).jobb_forsok == 1

    stanset(timedelta(seconds=-1))  # its job died a while ago
    retry = client.post(
        f"/api/v1/dokumenter/{dokument_id}/nytt-forsok", headers={**headers, **VENT}
    )
    assert (retry.status_code, retry.json["status"]) == (202, "godkjent")
    versjon = _versjon(deps, versjon_id)
    assert (versjon.jobb_frist, versjon.jobb_forsok) == (None, 0)
    assert deps.store.get(versjon.pdf_sha256 or "").startswith(b"%PDF-")
