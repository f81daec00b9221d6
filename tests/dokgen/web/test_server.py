"""The app under waitress as ``dokgen serve`` runs it: a request held by ``Prefer: wait`` does
not starve the others, and the access line has method, path without query, status, request id."""

from __future__ import annotations

import http.client
import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import waitress
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.convert import Converter
from dokgen.services import brukere
from dokgen.web.logs import AccessLog

pytestmark = pytest.mark.integration


class GatedConverter:
    """The shared LibreOffice, but each conversion waits until the test opens the gate."""

    def __init__(self, inner: Converter) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.started = threading.Event()

    def convert(self, docx: bytes) -> bytes:
        self.started.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return self.inner.convert(docx)

    def close(self) -> None:
        self.gate.set()


@pytest.fixture
def gated(converter: Converter) -> Iterator[GatedConverter]:
    conv = GatedConverter(converter)
    yield conv
    conv.gate.set()


@pytest.fixture
def served(make_app: Callable[..., Flask], gated: GatedConverter) -> Iterator[tuple[int, Deps]]:
    app = make_app(with_converter=gated)
    server = waitress.create_server(AccessLog(app), host="127.0.0.1", port=0, threads=16)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield int(server.effective_port), app.extensions["dokgen"]
    gated.gate.set()
    server.close()
    thread.join(10)


def _call(port: int, method: str, path: str, headers: dict[str, str], body: Any = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers = {**headers, "Content-Type": "application/json"}
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    conn.close()
    return r.status, json.loads(payload) if payload else None


def test_a_waiting_request_does_not_hold_up_the_others(
    served: tuple[int, Deps],
    gated: GatedConverter,
    kontrakt: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    port, deps = served
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel")
        headers = {"Authorization": f"Bearer {brukere.lag_token(s, org, 'veileder', 't')}"}
    held: dict[str, Any] = {}

    def post() -> None:
        held["answer"] = _call(
            port,
            "POST",
            "/api/v1/dokumenter",
            {**headers, "Prefer": "wait=60"},
            kontrakt("statusrapport"),
        )

    waiting = threading.Thread(target=post)
    waiting.start()
    assert gated.started.wait(30), "the worker never began the conversion"
    # Five more requests while the first is held: each answers (no timing asserted).
    for _ in range(5):
        status, body = _call(port, "GET", "/api/v1/dokumenter?type=statusrapport", headers)
        assert status == 200
        assert [d["status"] for d in body["dokumenter"]] == ["behandles"]
    assert waiting.is_alive(), "the held request answered before the work was done"
    gated.gate.set()
    waiting.join(90)
    status, doc = held["answer"]
    assert status == 201
    assert doc["status"] == "utkast"

    access = [r for r in caplog.records if r.name == "dokgen.tilgang"]
    lines = [r.getMessage() for r in access]
    assert any(line.startswith("GET /api/v1/dokumenter 200") for line in lines), lines
    assert all("?" not in line for line in lines)
    assert all(getattr(r, "request_id", "-") != "-" for r in access)


def test_a_document_a_worker_has_tells_a_polling_client_when_to_ask_again(
    make_app: Callable[..., Flask], gated: GatedConverter, kontrakt: Any
) -> None:
    """While the preview is being made, the 201 and every GET carry ``Retry-After: 1``;
    once it is done, the GET has none."""
    app = make_app(with_converter=gated)
    deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel")
        headers = {"Authorization": f"Bearer {brukere.lag_token(s, org, 'veileder', 't')}"}
    client = app.test_client()
    ny = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=headers)
    assert (ny.status_code, ny.json["status"]) == (201, "behandles")
    assert ny.headers["Retry-After"] == "1"
    assert gated.started.wait(30), "the worker never began the conversion"
    mens = client.get(ny.json["lenker"]["selv"], headers=headers)
    assert (mens.json["status"], mens.headers["Retry-After"]) == ("behandles", "1")
    gated.gate.set()
    deps.jobs.wait_idle(timeout=120)
    etter = client.get(ny.json["lenker"]["selv"], headers=headers)
    assert etter.json["status"] == "utkast"
    assert "Retry-After" not in etter.headers
    spec = client.get("/api/v1/openapi.json").json
    hent = spec["paths"]["/dokumenter/{dokument_id}"]["get"]["responses"]["200"]
    assert hent["headers"]["Retry-After"] == {"$ref": "#/components/headers/RetryAfter"}
    assert "RetryAfter" in spec["components"]["headers"]
