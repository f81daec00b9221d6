"""Input beyond what any real invoice or search has is a field error, never a 500, and writes
nothing: absurd prices and dates, separated fødselsnumre in invoice lines, 100,000-character
searches (issue 15, Low). Real app, SQLite."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Faktura, Organisasjon, Revisjon
from tests.conftest import KONTRAKT
from tests.dokgen.web.sider_hjelp import logg_inn, token

pytestmark = pytest.mark.integration

FNR_MELDING = "inneholder noe som ligner et fødselsnummer; bruk deltakernummer og navn"
FOR_LANGT = "kan ha høyst 200 tegn; skriv et kortere søk"


def _uendret(deps: Deps, org: Organisasjon) -> tuple[int, int]:
    """Return (invoices stored, the organisation's next invoice number)."""
    with deps.sessions() as s:
        antall = int(s.scalar(select(func.count()).select_from(Faktura)) or 0)
        neste = s.scalar(select(Organisasjon.neste_fakturanummer).filter_by(id=org.id))
    return antall, int(neste or 0)


def _feil(client: FlaskClient, headers: dict[str, str], body: Any) -> list[tuple[str, str]]:
    """POST the body to preview and create; both 422 with the same errors, which are returned."""
    svar = []
    for url in ("/api/v1/fakturaer/forhandsvisning", "/api/v1/fakturaer"):
        r = client.post(url, json=body, headers=headers)
        assert r.status_code == 422, (url, r.status_code, r.json)
        svar.append(sorted((e["path"], e["message"]) for e in r.json["errors"]))
    assert svar[0] == svar[1]
    return svar[0]


def test_an_absurd_price_is_a_field_error(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """timepris "1e30" (or a float 1e300) overflowed the rounding to øre: now 422 at
    timepris saying the limit; nothing stored, no number taken."""
    regnskap = auth("regnskap")
    for timepris in ("1e30", 1e300, "100000.01"):
        body = kontrakt("fakturagrunnlag") | {"timepris": timepris}
        assert _feil(client, regnskap, body) == [
            ("timepris", "kan ikke være mer enn 100000 kroner per time")
        ]
    assert _uendret(deps, org) == (0, 1)
    body = kontrakt("fakturagrunnlag") | {"timepris": "100000"}
    r = client.post("/api/v1/fakturaer/forhandsvisning", json=body, headers=regnskap)
    assert (r.status_code, r.json["sum"]) == (200, "550000.00")


def test_absurd_dates_are_field_errors(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
) -> None:
    """fakturadato 9999-12-31 (its due date overflowed) and dates before 2000 or after 2099
    anywhere in the grunnlag: 422 at the field with the range; an invoice may be dated at
    most a year ahead. Nothing stored."""
    regnskap = auth("regnskap")
    siste = (deps.clock().date() + timedelta(days=366)).isoformat()
    fakturadato = f"må være en dato fra 2000-01-01 til {siste} (høyst ett år fram i tid)"
    utenfor = "må være en dato fra 2000-01-01 til 2099-12-31"

    def grunnlag(**endringer: Any) -> dict[str, Any]:
        body: dict[str, Any] = kontrakt("fakturagrunnlag")
        del body["forfallsdato"]
        return body | endringer

    assert _feil(client, regnskap, grunnlag(fakturadato="9999-12-31")) == [
        ("fakturadato", fakturadato)
    ]
    langt_fram = (deps.clock().date() + timedelta(days=400)).isoformat()
    for dato in ("1999-12-31", langt_fram):
        body = grunnlag(fakturadato=dato, forfallsdato="2026-12-31")
        assert _feil(client, regnskap, body) == [("fakturadato", fakturadato)]
    assert _feil(client, regnskap, grunnlag(forfallsdato="9999-12-31")) == [
        ("forfallsdato", utenfor)
    ]
    body = grunnlag(periode={"fra": "0001-01-01", "til": "9999-12-31"})
    assert _feil(client, regnskap, body) == [("periode.fra", utenfor), ("periode.til", utenfor)]
    body = grunnlag()
    body["aktiviteter"][0]["dato"] = "0001-01-01"
    assert ("aktiviteter[0].dato", utenfor) in _feil(client, regnskap, body)

    r = client.post(
        "/api/v1/fakturaer?fra=2026-10-01&til=2026-10-31&fakturadato=9999-12-31",
        data=(KONTRAKT / "timeliste.csv").read_bytes(),
        headers={**regnskap, "Content-Type": "text/csv"},
    )
    assert (r.status_code, r.json["errors"]) == (
        422,
        [{"path": "fakturadato", "message": fakturadato}],
    )
    assert _uendret(deps, org) == (0, 1)


def test_an_absurd_price_uploaded_on_the_page_is_shown_at_its_field(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The invoice page's preview: the form again (422) with the reason, not an error page."""
    logg_inn(client, bruker("regnskap"))
    body = kontrakt("fakturagrunnlag") | {"timepris": "1e30"}
    form = {
        "csrf_token": token(client, "/fakturaer/ny"),
        "fil": (io.BytesIO(json.dumps(body).encode()), "grunnlag.json"),
    }
    r = client.post("/fakturaer/forhandsvis", data=form, content_type="multipart/form-data")
    assert r.status_code == 422
    assert "kan ikke være mer enn 100000 kroner per time" in r.text
    assert _uendret(deps, org) == (0, 1)


@pytest.mark.parametrize(
    "skrevet", ["158585-45606", "158585 45606", "15.85.85-45606", "158585 456 06", "158585–45606"]
)
def test_a_separated_fodselsnummer_in_an_invoice_line_is_refused(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    skrevet: str,
) -> None:
    """A (synthetic) fødselsnummer with a dash, spaces or dots in a comment, a name or a
    deltaker number: 422 at each place, the number not echoed, nothing stored."""
    regnskap = auth("regnskap")
    body = kontrakt("fakturagrunnlag")
    body["aktiviteter"][0]["kommentar"] = f"Samtale, fnr {skrevet}"
    body["aktiviteter"][1]["deltaker"]["nr"] = skrevet
    assert _feil(client, regnskap, body) == [
        ("aktiviteter[0].kommentar", FNR_MELDING),
        ("aktiviteter[1].deltaker.nr", FNR_MELDING),
    ]
    r = client.post("/api/v1/fakturaer", json=body, headers=regnskap)
    assert "45606" not in r.text
    assert _uendret(deps, org) == (0, 1)


def test_a_separated_fodselsnummer_in_a_timeliste_row_is_refused(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    """The same in a CSV timeliste's comment: 422 at its row, nothing stored."""
    csv = (KONTRAKT / "timeliste.csv").read_text("utf-8").splitlines()
    csv[1] = csv[1].replace("Samtale på arbeidsplassen", "Kari, 158585-45606")
    r = client.post(
        "/api/v1/fakturaer?fra=2026-10-01&til=2026-10-31",
        data="\n".join(csv).encode(),
        headers={**auth("regnskap"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 422
    assert [e["message"] for e in r.json["errors"]] == [FNR_MELDING]
    assert r.json["errors"][0]["path"].startswith("rad 2")
    assert "45606" not in r.text
    assert _uendret(deps, org) == (0, 1)


def test_a_100000_character_search_is_a_field_error(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    bruker: Callable[..., str],
    kontrakt: Any,
) -> None:
    """Document and invoice lists, API and pages: a search field over 200 characters is 422
    naming the field (with a document stored, SQLite refused the LIKE pattern: a 500); 200
    characters still search."""
    veileder, regnskap = auth("veileder"), auth("regnskap")
    r = client.post("/api/v1/dokumenter", json=kontrakt("statusrapport"), headers=veileder)
    assert r.status_code == 201
    langt = "a" * 100_000
    for url, headers, felt in (
        (f"/api/v1/dokumenter?deltaker={langt}", veileder, "deltaker"),
        (f"/api/v1/dokumenter?type={langt}&status=utkast", veileder, "type"),
        (f"/api/v1/fakturaer?fra={langt}", regnskap, "fra"),
        (f"/api/v1/fakturaer?status={langt}", regnskap, "status"),
    ):
        r = client.get(url, headers=headers)
        assert (r.status_code, r.json["errors"]) == (
            422,
            [{"path": felt, "message": FOR_LANGT}],
        ), url[:40]
    r = client.get(f"/api/v1/dokumenter?deltaker={'a' * 200}", headers=veileder)
    assert (r.status_code, r.json) == (200, {"dokumenter": []})
    r = client.get("/api/v1/dokumenter?deltaker=nordm", headers=veileder)
    assert len(r.json["dokumenter"]) == 1

    with deps.sessions() as s:
        sok = s.scalar(select(func.count()).where(Revisjon.handling == "sok"))
    logg_inn(client, bruker("admin"))  # reads both lists
    for side in (f"/dokumenter?deltaker={langt}", f"/fakturaer?status={langt}"):
        r = client.get(side)
        assert r.status_code == 422, side[:30]
        assert FOR_LANGT in r.text
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).where(Revisjon.handling == "sok")) == sok
