"""The invoice API end to end: real app, SQLite, LibreOffice (the timeliste PDF) and Saxon."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.services import fakturaer
from dokgen.storage.db import Faktura, Organisasjon, Revisjon, Sendeforsok
from ehf import identifiers
from ehf.sbdh import unwrap
from tests.conftest import FIXTURES, KONTRAKT, require_command
from tests.pdfinfo import text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
SVAR = FIXTURES / "transport"
CSV_ARGS = "fra=2026-10-01&til=2026-10-31&bestillingsnummer=4500123456&fakturadato=2026-11-03"


def _count(deps: Deps, model: type[Any]) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _create(client: FlaskClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/fakturaer", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def _create_csv(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    r = client.post(
        f"/api/v1/fakturaer?{CSV_ARGS}",
        data=(KONTRAKT / "timeliste.csv").read_bytes(),
        headers={**headers, **VENT, "Content-Type": "text/csv"},
    )
    assert r.status_code == 201, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def _assert_contract_invoice(
    client: FlaskClient, headers: dict[str, str], f: dict[str, Any]
) -> None:
    assert f["status"] == "validert", f
    assert [(x["deltaker_nr"], x["timer"], x["belop"]) for x in f["linjer"]] == [
        ("D-0017", "4.25", "4887.50"),
        ("D-0023", "1.25", "1437.50"),
    ]
    assert f["belop"] == "6325.00"
    assert (f["rapport"]["ok"], f["rapport"]["findings"]) == (True, [])
    assert any("maks 1 t per møte" in x["forklaring"] for x in f["forklaringer"])
    xml = client.get(f["lenker"]["xml"], headers=headers).data
    root = etree.fromstring(xml)
    assert root.findtext("cbc:ID", namespaces=NS) == f["nummer"]
    [ref] = root.findall("cac:AdditionalDocumentReference", NS)
    obj = ref.find("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", NS)
    assert obj is not None
    assert obj.get("mimeCode") == "application/pdf"
    pdf = base64.b64decode(obj.text or "")
    assert pdf == client.get(f["lenker"]["vedlegg"], headers=headers).data
    spec = " ".join(text(pdf, layout=False).split())
    for expected in (
        f"faktura {f['nummer']}",
        "D-0017 Kari Nordmann",
        "D-0023 Jon Berg",
        "Reisetid til oppfølgingsmøte",
        "Reisetid til oppfølgingsmøte: 80 min → 1,00 t (maks 1 t per møte)",
        "6 325,00",
    ):
        assert expected.replace("\u00a0", " ") in spec.replace("\u00a0", " "), expected
    obj.text = ""
    assert not identifiers.contains_person_ident(etree.tostring(root).decode())
    assert not identifiers.contains_person_ident(text(pdf))


def test_the_contract_json_becomes_a_validated_invoice_with_the_timeliste_attached(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """JSON → numbered from the sequence, 0 findings, the PDF specification embedded."""
    require_command("pdftotext")
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    assert f["nummer"] == "2026-0001"  # the input's 2026-0042 is replaced by the sequence
    _assert_contract_invoice(client, regnskap, f)
    with deps.sessions() as s:
        handlinger = s.scalars(select(Revisjon.handling).order_by(Revisjon.id)).all()
    assert handlinger == ["opprett", "last_ned_xml", "last_ned_vedlegg"]


def test_the_contract_csv_gives_the_same_invoice(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """A timeliste with period and references as parameters bills the same; rows are CSV rows."""
    require_command("pdftotext")
    regnskap = auth("regnskap")
    f = _create_csv(client, regnskap)
    _assert_contract_invoice(client, regnskap, f)
    reise = next(x for x in f["forklaringer"] if "Reisetid" in x["forklaring"])
    assert reise["rad"] == 3  # the CSV's own row (header = row 1)


def _send(client: FlaskClient, headers: dict[str, str], f: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"/api/v1/fakturaer/{f['id']}/sending", headers={**headers, **VENT})
    assert r.status_code == 202, r.json
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def test_send_through_the_outbox_writes_one_envelope_even_when_clicked_twice(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """katalog: one SBDH-wrapped invoice in the outbox, status i_utboks ("Lagt i utboks – ikke
    sendt", never the file's path); a second send is a no-op."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    sent = _send(client, regnskap, f)
    again = _send(client, regnskap, f)
    assert (sent["status"], again["status"]) == ("i_utboks", "i_utboks")
    assert sent["status_tekst"] == "Lagt i utboks – ikke sendt"
    assert sent["meldings_id"] == again["meldings_id"]
    [envelope] = list(deps.settings.utboks_dir.glob("*.xml"))
    header, payload = unwrap(envelope.read_bytes())
    assert (header["sender"], header["receiver"]) == ("0192:998877660", "0192:889640782")
    assert etree.fromstring(payload).findtext("cbc:ID", namespaces=NS) == f["nummer"]
    assert payload == client.get(f["lenker"]["xml"], headers=regnskap).data
    assert [x["resultat"] for x in again["forsok"]] == ["i_utboks"]
    assert again["forsok"][0]["resultat_tekst"] == "Lagt i utboks – ikke sendt"
    assert str(deps.settings.utboks_dir) not in json.dumps(again)
    assert envelope.name not in json.dumps(again)
    with deps.sessions() as s:
        handlinger = s.scalars(select(Revisjon.handling).order_by(Revisjon.id)).all()
    assert handlinger == ["opprett", "send", "send_igjen_ignorert", "last_ned_xml"]


def test_concurrent_sends_of_one_invoice_make_one_transmission(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Eight simultaneous sends: one goes to sending, the rest see it; one file, one attempt."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    app = client.application

    def klikk(_: int) -> int:
        with app.test_client() as c:
            return c.post(f"/api/v1/fakturaer/{f['id']}/sending", headers=regnskap).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(klikk, range(8))) == {202}
    deps.jobs.wait_idle(60)
    assert len(list(deps.settings.utboks_dir.glob("*.xml"))) == 1
    assert _count(deps, Sendeforsok) == 1
    with deps.sessions() as s:
        sendt = s.scalars(select(Revisjon.handling).where(Revisjon.handling == "send")).all()
    assert len(sendt) == 1


def test_fifty_concurrent_creations_take_fifty_consecutive_numbers(
    deps: Deps, org: Organisasjon, kontrakt: Any
) -> None:
    """The sequence is taken under the write lock: no duplicate, no gap, even under load."""
    assert_fifty_concurrent_creations_are_numbered_1_to_50(deps, org, kontrakt)


def assert_fifty_concurrent_creations_are_numbered_1_to_50(
    deps: Deps, org: Organisasjon, kontrakt: Any
) -> None:
    """Create 50 invoices on 16 threads; assert numbers 1–50, the counter at 51, and every
    invoice validert (also used by the PostgreSQL tests)."""
    aktor = Aktor(org_id=org.id, navn="Regnskap", rolle="regnskap")
    inndata = fakturaer.fra_json(kontrakt("fakturagrunnlag"))

    def lag(_: int) -> str:
        return fakturaer.opprett(deps, aktor, inndata).nummer

    with ThreadPoolExecutor(16) as pool:
        numre = list(pool.map(lag, range(50)))
    assert sorted(numre) == [f"2026-{n:04d}" for n in range(1, 51)]
    with deps.sessions() as s:
        assert s.get(Organisasjon, org.id).neste_fakturanummer == 51  # type: ignore[union-attr]
    assert deps.jobs.wait_idle(300)
    with deps.sessions() as s:
        statuser = s.scalars(select(Faktura.status)).all()
    assert set(statuser) == {"validert"}


def test_a_refused_creation_gives_its_number_back(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """A 422 stores nothing and takes no number: the next invoice gets 2026-0001."""
    regnskap = auth("regnskap")
    bad = kontrakt("fakturagrunnlag") | {"deres_referanse": "feil"}
    assert client.post("/api/v1/fakturaer", json=bad, headers=regnskap).status_code == 422
    assert _create(client, regnskap, kontrakt("fakturagrunnlag"))["nummer"] == "2026-0001"


def test_invoice_response_moves_the_status_and_keeps_the_reason(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """AB → levert; RE → avvist with the buyer's reason; both kept in the attempts."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    url = f"/api/v1/fakturaer/{f['id']}/svar"
    xml = {"Content-Type": "application/xml"}
    ab = (SVAR / "fakturasvar-ab-2026-0001.xml").read_bytes()
    early = client.post(url, data=ab, headers={**regnskap, **xml})
    assert early.status_code == 409  # not sent yet
    _send(client, regnskap, f)
    r = client.post(url, data=ab, headers={**regnskap, **xml})
    assert (r.status_code, r.json["status"], r.json["feil"]) == (200, "levert", None)
    re_ = (SVAR / "fakturasvar-re-2026-0001.xml").read_bytes()
    r = client.post(url, data=re_, headers={**regnskap, **xml})
    assert (r.json["status"], r.json["feil"]) == (
        "avvist",
        "Avvist av kjøper: Bestillingsnummeret finnes ikke (REF: referanser mangler eller er feil)",
    )
    assert [x["resultat"] for x in r.json["forsok"]] == ["i_utboks", "levert", "avvist"]


def test_a_credit_note_of_a_sent_invoice_validates_and_references_it(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Credit note: the next number, BillingReference = the invoice, 0 fatal; then sendable."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    url = f"/api/v1/fakturaer/{f['id']}/kreditnota"
    grunn = {"begrunnelse": "Feil timetall for D-0023"}
    assert client.post(url, json=grunn, headers=regnskap).status_code == 409  # not sent yet
    _send(client, regnskap, f)
    uten = client.post(url, json={"linjer": ["2"]}, headers=regnskap)  # no reason: 422
    assert (uten.status_code, uten.json["errors"][0]["path"]) == (422, "begrunnelse")
    for body, path in (([], ""), ({"linjer": [2]}, "linjer"), ({"alle": True}, "alle")):
        r = client.post(url, json=body, headers=regnskap)
        assert (r.status_code, r.json["errors"][0]["path"]) == (422, path)
    bad = client.post(url, json={"linjer": ["9"], **grunn}, headers=regnskap)
    assert (bad.status_code, bad.json["errors"]) == (
        422,
        [{"path": "linjer", "message": "ukjente linjer: 9"}],
    )
    r = client.post(url, json={"linjer": ["2"], **grunn}, headers={**regnskap, **VENT})
    assert r.status_code == 201, r.json
    k = r.json
    assert (k["art"], k["nummer"], k["status"], k["krediterer_id"]) == (
        "kreditnota",
        "2026-0002",
        "validert",
        f["id"],
    )
    assert k["rapport"]["ok"]
    assert k["belop"] == "1437.50"
    root = etree.fromstring(client.get(k["lenker"]["xml"], headers=regnskap).data)
    assert etree.QName(root).localname == "CreditNote"
    ref = "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
    assert root.findtext(ref, namespaces=NS) == f["nummer"]
    assert root.findtext("cbc:Note", namespaces=NS) == "Feil timetall for D-0023"
    assert k["begrunnelse"] == "Feil timetall for D-0023"
    assert (k["krediterer"]["id"], k["krediterer"]["nummer"]) == (f["id"], f["nummer"])
    faktura = client.get(f["lenker"]["selv"], headers=regnskap).json
    assert [x["nummer"] for x in faktura["kreditnotaer"]] == ["2026-0002"]
    assert faktura["kreditnotaer"][0]["begrunnelse"] == "Feil timetall for D-0023"
    assert client.get(k["lenker"]["vedlegg"], headers=regnskap).status_code == 404
    assert _send(client, regnskap, k)["status"] == "i_utboks"

    again = client.post(url, json={"linjer": ["2"], **grunn}, headers=regnskap)
    assert (again.status_code, again.json["errors"][0]["message"]) == (
        422,
        "linje 2 er allerede kreditert i kreditnota 2026-0002",
    )
    rest = client.post(url, json=grunn, headers={**regnskap, **VENT})
    assert (rest.status_code, rest.json["nummer"], rest.json["belop"]) == (
        201,
        "2026-0003",
        "4887.50",
    )
    assert client.post(url, json=grunn, headers=regnskap).status_code == 409


def test_a_double_clicked_credit_note_is_made_once(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Four simultaneous credit requests for the whole invoice: one credit note, three 409."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    _send(client, regnskap, f)
    app = client.application

    def klikk(_: int) -> int:
        with app.test_client() as c:
            url = f"/api/v1/fakturaer/{f['id']}/kreditnota"
            return c.post(url, json={"begrunnelse": "Dobbeltklikk"}, headers=regnskap).status_code

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(klikk, range(4))) == [201, 409, 409, 409]
    assert _count(deps, Faktura) == 2


def test_fatal_findings_keep_the_invoice_from_being_sent(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """An unknown country code passes our model but not EN 16931: ugyldig, report kept, 409."""
    regnskap = auth("regnskap")
    data = kontrakt("fakturagrunnlag")
    data["kjoper"]["adresse"]["land"] = "XX"
    f = _create(client, regnskap, data)
    assert f["status"] == "ugyldig"
    assert not f["rapport"]["ok"]
    assert "BR-CL-14" in {x["rule"] for x in f["rapport"]["findings"]}
    r = client.post(f"/api/v1/fakturaer/{f['id']}/sending", headers=regnskap)
    assert r.status_code == 409


def test_preview_explains_every_adjustment_and_stores_nothing(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]]
) -> None:
    """forhandsvisning: lines, amounts and each rule's explanation; no invoice, no number."""
    r = client.post(
        f"/api/v1/fakturaer/forhandsvisning?{CSV_ARGS}",
        data=(KONTRAKT / "timeliste.csv").read_bytes(),
        headers={**auth("regnskap"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 200, r.json
    assert r.json["sum"] == "6325.00"
    assert [x["timer"] for x in r.json["linjer"]] == ["4.25", "1.25"]
    assert {x["forklaring"] for x in r.json["forklaringer"]} >= {
        "Reisetid til oppfølgingsmøte: 80 min → 1,00 t (maks 1 t per møte)",
        "Deltaker møtte ikke: 60 min → 0,25 t (maks 0,25 t når deltakeren ikke møter)",
        "Skriving av statusrapport eller sluttrapport: 95 min → 1,00 t (maks 1 t per rapport)",
        "Gruppeaktivitet: 90 min / 4 deltakere → 0,50 t (rundet opp til nærmeste kvarter)",
    }
    assert _count(deps, Faktura) == 0


def _nothing_written(deps: Deps, revisjoner: int = 0) -> None:
    assert (_count(deps, Faktura), _count(deps, Sendeforsok)) == (0, 0)
    assert _count(deps, Revisjon) == revisjoner
    assert _files(deps.settings.filer_dir) == []
    assert _files(deps.settings.utboks_dir) == []
    with deps.sessions() as s:
        assert set(s.scalars(select(Organisasjon.neste_fakturanummer))) == {1}


BAD_CSV = "\n".join(
    [
        (KONTRAKT / "timeliste.csv").read_text(encoding="utf-8").splitlines()[0],
        "2026-10-02;D-0017;Kari Nordmann;kaffe;50;;;;",
        "2026-10-03;D-0017;Kari Nordmann;oppfolging;-5;;;;",
        "2026-11-04;D-0017;Kari Nordmann;oppfolging;30;;;;",
        "2026-10-05;D-0023;Jon Berg;gruppe;90;;;;",
        "2026-10-06;D-0023;Jon Berg;oppfolging",
    ]
).encode()


def test_bad_input_is_refused_with_every_error_and_nothing_is_written(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """400 malformed JSON; 422 for every bad CSV row and for the buyer's profile; 415."""
    regnskap = auth("regnskap")
    url = "/api/v1/fakturaer"
    json_type = {**regnskap, "Content-Type": "application/json"}
    r = client.post(url, data=b'{"type": "fakturagrunnlag",', headers=json_type)
    assert (r.status_code, r.mimetype) == (400, "application/problem+json")

    r = client.post(
        f"{url}?{CSV_ARGS}", data=BAD_CSV, headers={**regnskap, "Content-Type": "text/csv"}
    )
    assert r.status_code == 422
    assert [e["path"] for e in r.json["errors"]] == [
        "rad 2, aktivitet",
        "rad 3, minutter",
        "rad 4, dato",
        "rad 5, antall_deltakere",
        "rad 6",
    ]

    no_period = client.post(
        url,
        data=(KONTRAKT / "timeliste.csv").read_bytes(),
        headers={**regnskap, "Content-Type": "text/csv"},
    )
    assert no_period.status_code == 422
    assert {e["path"] for e in no_period.json["errors"]} >= {"periode.fra", "periode.til"}

    bad_ref = kontrakt("fakturagrunnlag") | {"deres_referanse": "Kari"}
    r = client.post(url, json=bad_ref, headers=regnskap)
    assert (r.status_code, r.json["title"]) == (422, "Fakturaen bryter kjøperens krav")
    assert [e["path"] for e in r.json["errors"]] == ["NAV-02"]

    other_seller = kontrakt("fakturagrunnlag")
    other_seller["selger"]["orgnr"] = "974760673"
    r = client.post(url, json=other_seller, headers=regnskap)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "selger.orgnr")

    r = client.post(url, data=b"<x/>", headers={**regnskap, "Content-Type": "application/xml"})
    assert r.status_code == 415
    r = client.post(f"{url}/forhandsvisning", json=bad_ref, headers=regnskap)
    assert r.status_code == 422
    _nothing_written(deps)


def test_unsafe_or_unreadable_answers_are_refused(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """/svar: a DTD/entity → 400 before parsing; not an answer → 422; nothing changes."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    _send(client, regnskap, f)
    url = f"/api/v1/fakturaer/{f['id']}/svar"
    xml = {**regnskap, "Content-Type": "application/xml"}
    r = client.post(url, data=(SVAR / "svar-med-entitet.xml").read_bytes(), headers=xml)
    assert (r.status_code, r.json["title"]) == (400, "Utrygg eller ugyldig XML")
    r = client.post(url, data=(SVAR / "svar-ukjent-kode.xml").read_bytes(), headers=xml)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "svar")
    r = client.post(url, data=(SVAR / "ordre-svar.xml").read_bytes(), headers=xml)
    assert r.status_code == 422
    r = client.get(f"/api/v1/fakturaer/{f['id']}", headers=regnskap)
    assert (r.json["status"], len(r.json["forsok"])) == ("i_utboks", 1)


def test_roles_and_other_organisations(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """veileder/leser 403; admin reads; another organisation's invoice is 404, also in lists."""
    regnskap, admin = auth("regnskap"), auth("admin")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    before = _count(deps, Revisjon)
    for rolle in ("veileder", "leser"):
        headers = auth(rolle)
        assert client.get("/api/v1/fakturaer", headers=headers).status_code == 403
        assert client.get(f["lenker"]["selv"], headers=headers).status_code == 403
        r = client.post("/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers=headers)
        assert r.status_code == 403
    r = client.post("/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers=admin)
    assert r.status_code == 403
    assert client.post(f"{f['lenker']['selv']}/sending", headers=admin).status_code == 403
    assert (_count(deps, Revisjon), _count(deps, Faktura), _count(deps, Sendeforsok)) == (
        before,
        1,
        0,
    )
    assert client.get(f["lenker"]["selv"], headers=admin).json["nummer"] == "2026-0001"

    annen = auth("regnskap", annen_org)
    tom = client.get("/api/v1/fakturaer", headers=annen).json
    assert (tom["fakturaer"], tom["antall"], tom["summer"]) == ([], 0, [])
    for path in ("", "/xml", "/vedlegg"):
        assert client.get(f"{f['lenker']['selv']}{path}", headers=annen).status_code == 404
    for path in ("/sending", "/kreditnota", "/nytt-forsok"):
        r = client.post(f"{f['lenker']['selv']}{path}", json={}, headers=annen)
        assert r.status_code == 404, path
    assert client.get("/api/v1/fakturaer/finnes-ikke", headers=regnskap).status_code == 404
    assert (_count(deps, Faktura), _count(deps, Sendeforsok)) == (1, 0)
    assert _files(deps.settings.utboks_dir) == []
    body = kontrakt("fakturagrunnlag")
    del body["selger"]  # the seller is the organisation itself, from its settings
    own = _create(client, annen, body)
    assert own["nummer"] == "2026-0001"  # each organisation has its own sequence
    listed = client.get("/api/v1/fakturaer", headers=regnskap).json["fakturaer"]
    assert [x["id"] for x in listed] == [f["id"]]
    with deps.sessions() as s:
        assert s.scalar(select(Faktura.status).where(Faktura.id == f["id"])) == "validert"


def test_a_fodselsnummer_in_the_timeliste_is_refused_without_a_trace(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A person id as deltaker_nr: 422 at its row, never echoed, never logged, nothing stored."""
    fnr = "15858545606"
    csv = BAD_CSV.splitlines()[0] + f"\n2026-10-02;{fnr};Kari Nordmann;oppfolging;50;;;;".encode()
    r = client.post(
        f"/api/v1/fakturaer?{CSV_ARGS}",
        data=csv,
        headers={**auth("regnskap"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 422
    assert [e["path"] for e in r.json["errors"]] == ["rad 2, deltaker_nr"]
    assert fnr not in r.get_data(as_text=True)
    assert fnr not in caplog.text
    _nothing_written(deps)
