"""Logs never carry a fødselsnummer or document content — whatever the request did."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.web.logs import AccessLog, FnrMaskFilter, RequestIdFilter

pytestmark = pytest.mark.integration
VENT = {"Prefer": "wait=120"}


def test_no_log_line_holds_a_fodselsnummer_or_content(
    client: FlaskClient,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Create, approve, download, a 422 and a 500-free error path, all logged at DEBUG."""
    caplog.set_level(logging.DEBUG)
    veileder = auth("veileder")
    body = kontrakt("arbeidspraksisavtale")
    fnr = body["deltaker"]["fodselsnummer"]
    doc = client.post("/api/v1/dokumenter", json=body, headers={**veileder, **VENT}).json
    for part in ("arbeidsgiver", "deltaker", "arrangor"):
        client.post(
            f"/api/v1/dokumenter/{doc['id']}/godkjenninger",
            json={"part": part}
            | ({} if part == "arrangor" else {"navn": "N N", "begrunnelse": "På papir"}),
            headers={**veileder, **VENT},
        )
    assert client.get(doc["lenker"]["pdf"], headers=veileder).status_code == 200
    bad = kontrakt("statusrapport")
    bad["deltaker"]["fodselsnummer"] = "01017012345"
    assert client.post("/api/v1/dokumenter", json=bad, headers=veileder).status_code == 422
    xml = f"<statusrapport><deltaker><fodselsnummer>{fnr}</fodselsnummer></statusrapport>"
    r = client.post(
        "/api/v1/dokumenter",
        data=xml,
        headers={**veileder, "Content-Type": "application/xml"},
    )
    assert r.status_code in (400, 422)

    logged = "\n".join(
        f"{rec.getMessage()} {rec.exc_text or ''} {rec.args!r}" for rec in caplog.records
    )
    assert caplog.records, "nothing was logged at all"
    for secret in (fnr, "01017012345", "Kari Nordmann", "Matbutikken"):
        assert secret not in logged, secret


def test_the_mask_filter_hides_any_eleven_digits_and_keeps_other_numbers() -> None:
    """Defence in depth: an 11-digit run becomes asterisks; orgnr and amounts stay."""
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "fnr %s orgnr %s", ("15858545606", "998877660"), None
    )
    FnrMaskFilter().filter(record)
    assert record.getMessage() == "fnr *********** orgnr 998877660"


def test_the_mask_filter_hides_a_fodselsnummer_written_with_a_separator_or_other_digits() -> None:
    """'158585 45606', '158585-45606' and full-width digits are masked in log lines too, as
    in error messages (the filter used to see only an unbroken run of ASCII digits)."""
    for fnr in ("158585 45606", "158585-45606", "１５８５８５４５６０６"):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "fnr %s", (fnr,), None)
        FnrMaskFilter().filter(record)
        assert "45606" not in record.getMessage()
        assert "４５６０６" not in record.getMessage()
        assert record.getMessage().startswith("fnr *")


def test_every_line_outside_a_request_gets_a_dash_for_its_request_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "start", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"  # type: ignore[attr-defined]


def test_the_access_log_leaves_out_a_calendar_feeds_secret_address(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The feed's address is its only key (a calendar program cannot log in)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("X-Request-Id", "r1")])
        return [b""]

    logg = AccessLog(app)
    with caplog.at_level(logging.INFO, logger="dokgen.tilgang"):
        for path in ("/kalender/hemmelig-token_123.ics", "/frister/kalender"):
            logg({"REQUEST_METHOD": "GET", "PATH_INFO": path}, lambda *a: None)
    linjer = [r.getMessage() for r in caplog.records]
    assert [linje.rsplit(" ", 2)[0] for linje in linjer] == [
        "GET /kalender/….ics 200",
        "GET /frister/kalender 200",
    ]
    assert "hemmelig" not in caplog.text
