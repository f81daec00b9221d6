"""Reads through the API: a read whose audit line cannot be written is refused, the health
check answers without a login."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from dokgen.bootstrap import Deps
from tests.dokgen.services.test_lesing import _revisjon

pytestmark = pytest.mark.integration


def test_a_read_whose_audit_line_cannot_be_written_is_refused(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Without its audit line a document is not served: 503, no data, the log says why
    without the record's values."""
    veileder = auth("veileder")
    body = kontrakt("statusrapport")
    doc = client.post("/api/v1/dokumenter", json=body, headers={**veileder, "Prefer": "wait=120"})
    doc_id = doc.json["id"]
    assert client.get(f"/api/v1/dokumenter/{doc_id}", headers=veileder).status_code == 200
    # The audit writer now writes to a database without the table.
    tom = create_engine(f"sqlite:///{deps.settings.instans / 'tom.db'}")
    deps.read_audit._engine = tom
    r = client.get(f"/api/v1/dokumenter/{doc_id}", headers=veileder)
    assert r.status_code == 503
    assert r.mimetype == "application/problem+json"
    assert r.json["title"] == "Revisjonsloggen er utilgjengelig"
    assert "data" not in r.json
    assert body["deltaker"]["fodselsnummer"] not in r.get_data(True)
    assert client.get("/api/v1/dokumenter", headers=veileder).status_code == 503
    failures = [x.getMessage() for x in caplog.records if x.name == "dokgen.services.audit"]
    assert failures == ["kunne ikke skrive 1 linjer i revisjonsloggen: OperationalError"] * 2
    assert all(doc_id not in m for m in failures)


def test_the_health_check_needs_no_login_and_says_503_when_the_database_is_gone(
    client: FlaskClient, deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200 with the number of jobs while the database answers; 503 problem+json when not;
    neither writes an audit line or tells anything of an organisation."""
    r = client.get("/api/v1/helse")
    assert (r.status_code, r.json) == (200, {"status": "ok", "jobber": 0, "jobbko": "lokal"})
    assert client.get("/api/v1/openapi.json").json["paths"]["/helse"]["get"]["security"] == []

    class Nede:
        def __call__(self) -> Any:
            raise OperationalError("SELECT 1", {}, Exception("unable to open database file"))

    monkeypatch.setattr(deps, "sessions", Nede())
    r = client.get("/api/v1/helse")
    assert r.status_code == 503
    assert r.mimetype == "application/problem+json"
    assert (r.json["title"], r.json["detail"]) == (
        "Tjenesten er utilgjengelig",
        "databasen svarer ikke",
    )
    monkeypatch.undo()
    assert _revisjon(deps) == []
    with deps.sessions() as s:
        assert s.execute(text("SELECT 1")).scalar() == 1
