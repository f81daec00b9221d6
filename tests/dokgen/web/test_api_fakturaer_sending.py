"""Sending invoices to an access point's HTTP API (a local server on 127.0.0.1), retries and
failures recorded, a restart resuming the work, and a hung LibreOffice during the build."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.convert import Converter
from dokgen.storage.db import Faktura
from ehf.sbdh import unwrap
from tests.conftest import wait_for

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
TOKEN = "test-token-7f3a"  # a dummy for the local test server


@dataclass
class AccessPoint:
    """A scripted access point: answers are popped in order, the last one repeats."""

    answers: list[tuple[int, bytes] | str] = field(default_factory=lambda: [(200, b"{}")])
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def answer(self) -> tuple[int, bytes] | str:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _handler(ap: AccessPoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            ap.received.append((dict(self.headers.items()), body))
            ap.gate.wait(30)
            answer = ap.answer()
            if answer == "hang":
                ap.release.wait(10)  # longer than the client's timeout
                self.close_connection = True
                return
            assert not isinstance(answer, str)
            status, payload = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def access_point() -> Iterator[AccessPoint]:
    """Start a fake access point on 127.0.0.1 (random port); its gate starts open."""
    ap = AccessPoint()
    ap.gate.set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ap))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    ap.url = f"http://127.0.0.1:{server.server_address[1]}/api/send"
    try:
        yield ap
    finally:
        ap.gate.set()
        ap.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def app(make_app: Callable[..., Flask], access_point: AccessPoint) -> Flask:
    """The app with the http transport: 3 attempts, short pauses, a 0.5 s timeout."""
    return make_app(
        aksesspunkt_url=access_point.url,
        aksesspunkt_token=TOKEN,
        send_forsok=3,
        send_pause=0.05,
        send_tidsgrense=0.5,
    )


def _create(client: FlaskClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/fakturaer", json=body, headers={**headers, **VENT})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "validert"
    result: dict[str, Any] = r.json  # type: ignore[assignment]
    return result


def _get(client: FlaskClient, headers: dict[str, str], f: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = client.get(f["lenker"]["selv"], headers=headers).json  # type: ignore[assignment]
    return result


def test_a_200_from_the_access_point_is_sendt_with_its_message_id(
    client: FlaskClient,
    access_point: AccessPoint,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """One POST with the bearer token, the XML's SHA-256 as idempotency key and the SBDH."""
    regnskap = auth("regnskap")
    access_point.answers = [(200, json.dumps({"id": "ap-77"}).encode())]
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert (r.status_code, r.json["status"], r.json["meldings_id"]) == (202, "sendt", "ap-77")
    xml = client.get(f["lenker"]["xml"], headers=regnskap).data
    [(headers, body)] = access_point.received
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Idempotency-Key"] == hashlib.sha256(xml).hexdigest()
    assert unwrap(body)[1] == xml
    assert [x["resultat"] for x in r.json["forsok"]] == ["sendt"]


def test_a_failing_access_point_is_retried_then_feilet_and_a_retry_sends(
    client: FlaskClient,
    deps: Deps,
    access_point: AccessPoint,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """500 three times: sending while it retries, then feilet with the reason; retry → sendt."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    access_point.answers = [(500, b'{"detail": "intern feil hos aksesspunktet"}')]
    access_point.gate.clear()  # hold the first answer until we have looked
    r = client.post(f"{f['lenker']['selv']}/sending", headers=regnskap)
    assert (r.status_code, r.headers["Retry-After"]) == (202, "1")  # a worker has it
    assert wait_for(lambda: len(access_point.received), lambda n: n == 1, 30) == 1
    mens = client.get(f["lenker"]["selv"], headers=regnskap)
    assert (mens.json["status"], mens.headers["Retry-After"]) == ("sending", "1")
    access_point.gate.set()
    assert deps.jobs.wait_idle(60)
    etter = client.get(f["lenker"]["selv"], headers=regnskap)
    assert "Retry-After" not in etter.headers
    failed = etter.json
    assert failed["status"] == "feilet"
    # The status line only: the body's detail is the access point's, never shown.
    assert failed["feil"] == "HTTP 500 Internal Server Error (etter 3 forsøk)"
    assert [x["resultat"] for x in failed["forsok"]] == ["nytt_forsok", "nytt_forsok", "feilet"]
    for n, forsok in enumerate(failed["forsok"][:2], start=1):
        assert forsok["arsak"].startswith(f"Forsøk {n} feilet: HTTP 500 Internal Server Error;")
        assert "intern feil" not in forsok["arsak"]
    keys = {h["Idempotency-Key"] for h, _ in access_point.received}
    assert (len(access_point.received), len(keys)) == (3, 1)

    access_point.answers = [(200, b'{"id": "ap-78"}')]
    r = client.post(f"{f['lenker']['selv']}/nytt-forsok", headers={**regnskap, **VENT})
    assert (r.status_code, r.json["status"], r.json["meldings_id"]) == (202, "sendt", "ap-78")
    assert {h["Idempotency-Key"] for h, _ in access_point.received} == keys


def test_an_access_point_that_never_answers_ends_feilet(
    client: FlaskClient,
    access_point: AccessPoint,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """Timeouts are retried like 500s; the reason says the access point did not answer."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    access_point.answers = ["hang"]
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert r.json["status"] == "feilet"
    assert r.json["feil"] == "aksesspunktet svarte ikke innen 0.5 s (etter 3 forsøk)"
    assert len(r.json["forsok"]) == 3


def test_a_restart_resumes_unfinished_sending(
    make_app: Callable[..., Flask],
    app: Flask,
    client: FlaskClient,
    deps: Deps,
    access_point: AccessPoint,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """A row left ``sending`` by a stopped process is sent by the next one, once."""
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    with deps.sessions.begin() as s:
        s.execute(update(Faktura).where(Faktura.id == f["id"]).values(status="sending"))
    restarted = make_app(
        instans=deps.settings.instans, aksesspunkt_url=access_point.url, aksesspunkt_token=TOKEN
    )
    assert restarted.extensions["dokgen"].jobs.wait_idle(60)
    assert _get(restarted.test_client(), regnskap, f)["status"] == "sendt"
    assert len(access_point.received) == 1


def test_a_hung_libreoffice_fails_the_invoice_and_a_retry_builds_it(
    client: FlaskClient,
    converter: Converter,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """The specification's conversion overruns its limit: feilet with a reason; retry → validert."""
    regnskap = auth("regnskap")
    _create(client, regnskap, kontrakt("fakturagrunnlag"))  # LibreOffice is running now
    old = converter.pid
    assert old is not None
    limit, converter.timeout = converter.timeout, 3.0
    try:
        os.killpg(old, signal.SIGSTOP)
        r = client.post(
            "/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers={**regnskap, **VENT}
        )
    finally:
        converter.timeout = limit
    assert (r.status_code, r.json["status"]) == (201, "feilet")
    assert r.json["feil"] == "PDF-konverteringen av timelisten feilet. Prøv igjen."
    assert r.json["nummer"] == "2026-0002"
    retry = client.post(f"{r.json['lenker']['selv']}/nytt-forsok", headers={**regnskap, **VENT})
    assert (retry.status_code, retry.json["status"]) == (202, "validert")
    assert retry.json["nummer"] == "2026-0002"


def _choose(deps: Deps, org: Any, **valg: str) -> None:
    """Store an admin's transport choice in the organisation's settings."""
    from dokgen.storage.db import Organisasjon

    with deps.sessions.begin() as s:
        row = s.get(Organisasjon, org.id)
        assert row is not None
        row.innstillinger = {**row.innstillinger, **valg}


def _org_app(make_app: Callable[..., Flask], **valg: str) -> tuple[Flask, dict[str, str], Any]:
    """An app whose environment names a dead access point with the instance token, and an
    organisation with ``valg`` in its settings; return the app, a regnskap token header and
    the organisation."""
    from dokgen.services import brukere
    from tests.dokgen.conftest import org_innstillinger

    app = make_app(
        aksesspunkt_url="http://127.0.0.1:9/ingen",
        aksesspunkt_token=TOKEN,
        send_forsok=1,
        send_tidsgrense=2.0,
    )
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel", org_innstillinger())
        token = brukere.lag_token(s, org, "regnskap", "t")
    _choose(deps, org, **valg)
    return app, {"Authorization": f"Bearer {token}"}, org


def test_the_organisations_own_access_point_gets_its_own_token_never_the_instances(
    make_app: Callable[..., Flask],
    access_point: AccessPoint,
    kontrakt: Any,
) -> None:
    """An organisation's own access point (its address, its token stored encrypted) is used
    instead of the environment's, and the request carries the organisation's token only."""
    from dokgen.storage.crypto import encrypt

    app, regnskap, org = _org_app(make_app)
    egen = "org-eget-token-51c9"
    _choose(
        app.extensions["dokgen"],
        org,
        transport="egen",
        aksesspunkt_url=access_point.url,
        aksesspunkt_token=encrypt(app.extensions["dokgen"].settings, egen),
    )
    client = app.test_client()
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert r.json["status"] == "sendt", r.json
    [(headers, _)] = access_point.received
    assert headers["Authorization"] == f"Bearer {egen}"
    assert not any(TOKEN in value for value in headers.values())


def test_an_address_from_old_settings_never_gets_the_instance_token(
    make_app: Callable[..., Flask],
    access_point: AccessPoint,
    kontrakt: Any,
) -> None:
    """Settings saved before the choices (``transport=http`` with an address other than the
    instance's, no token of the organisation's own) fail with the reason; nothing is sent."""
    app, regnskap, _ = _org_app(make_app, transport="http", aksesspunkt_url=access_point.url)
    client = app.test_client()
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert r.json["status"] == "feilet", r.json
    assert "eget aksesspunkt mangler adresse eller token" in r.json["feil"]
    assert access_point.received == []


def test_an_organisation_that_chose_the_outbox_never_posts(
    client: FlaskClient,
    deps: Deps,
    org: Any,
    access_point: AccessPoint,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """``transport=katalog`` in the organisation's settings writes the outbox, not the API."""
    _choose(deps, org, transport="katalog")
    regnskap = auth("regnskap")
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert (r.json["status"], r.json["status_tekst"]) == ("i_utboks", "Lagt i utboks – ikke sendt")
    assert access_point.received == []
    assert len(list(deps.settings.utboks_dir.glob("*.xml"))) == 1


def test_an_admins_own_access_point_sees_only_the_organisations_token_and_body_stays_out(
    app: Flask,
    deps: Deps,
    org: Any,
    access_point: AccessPoint,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """The admin chooses "own access point" on the settings page with its address and token.
    The token is stored encrypted and never shown; every request the fake access point gets
    carries that token and never the instance's; its error body is not shown, only the status
    line. Changing the address asks for the token again."""
    from dokgen.storage.crypto import decrypt
    from dokgen.storage.db import Organisasjon
    from tests.dokgen.web.sider_hjelp import logg_inn, token

    egen = "org-eget-token-51c9"
    side = app.test_client()
    logg_inn(side, bruker("admin"))
    valg = {"transport": "egen", "aksesspunkt_url": access_point.url, "aksesspunkt_token": ""}
    r = side.post(
        "/admin/innstillinger", data={"csrf_token": token(side, "/admin/innstillinger"), **valg}
    )
    assert r.status_code == 422
    assert "skriv tokenet dere har fått fra aksesspunktet" in r.text
    valg["aksesspunkt_token"] = egen
    r = side.post(
        "/admin/innstillinger", data={"csrf_token": token(side, "/admin/innstillinger"), **valg}
    )
    assert r.status_code == 302
    with deps.sessions() as s:
        lagret = s.get(Organisasjon, org.id).innstillinger  # type: ignore[union-attr]
    assert (lagret["transport"], lagret["aksesspunkt_url"]) == ("egen", access_point.url)
    assert egen not in json.dumps(lagret)
    assert decrypt(deps.settings, lagret["aksesspunkt_token"]) == egen
    page = side.get("/admin/innstillinger").text
    assert egen not in page
    assert "Et token er lagret (kryptert)" in page

    client, regnskap = app.test_client(), auth("regnskap")
    secret = b'{"detail": "root:x:0:0:root intern-hemmelighet", "id": "x"}'
    access_point.answers = [(400, secret), (200, b'{"id": "ap-91"}')]
    f = _create(client, regnskap, kontrakt("fakturagrunnlag"))
    r = client.post(f"{f['lenker']['selv']}/sending", headers={**regnskap, **VENT})
    assert r.json["status"] == "feilet"
    assert (
        r.json["feil"]
        == "aksesspunktet avviste forsendelsen: HTTP 400 Bad Request (etter 1 forsøk)"
    )
    assert "hemmelighet" not in r.text
    r = client.post(f"{f['lenker']['selv']}/nytt-forsok", headers={**regnskap, **VENT})
    assert (r.json["status"], r.json["meldings_id"]) == ("sendt", "ap-91")
    seen = [headers for headers, _ in access_point.received]
    assert [h["Authorization"] for h in seen] == [f"Bearer {egen}"] * 2
    assert not any(TOKEN in value for h in seen for value in h.values())

    valg.update(aksesspunkt_url=access_point.url + "?ny=1", aksesspunkt_token="")
    r = side.post(
        "/admin/innstillinger", data={"csrf_token": token(side, "/admin/innstillinger"), **valg}
    )
    assert r.status_code == 422
    assert "adressen er endret, så skriv tokenet" in r.text
