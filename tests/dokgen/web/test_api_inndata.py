"""Hostile input on the write paths (issue 15, low findings), mostly the API's: the token is
checked before a body is read; no number, encoding or key in a body ends in a 500, is stored
or is echoed."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.db import Dokument, Faktura, Revisjon
from tests.conftest import KONTRAKT
from tests.dokgen.web.conftest import over_upload_limit
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

FNR = "15858545606"  # the contract's synthetic deltaker (Tenor, +80 on the month)
CSV_ARGS = "fra=2026-10-01&til=2026-10-31&bestillingsnummer=4500123456&fakturadato=2026-11-03"
XML = {"Content-Type": "application/xml"}


def _nothing_stored(deps: Deps) -> None:
    assert (antall(deps, Dokument), antall(deps, Faktura), antall(deps, Revisjon)) == (0, 0, 0)


WRITES = [
    ("POST", "/api/v1/dokumenter"),
    ("PUT", "/api/v1/dokumenter/d1"),
    ("POST", "/api/v1/dokumenter/d1/godkjenninger"),
    ("POST", "/api/v1/dokumenter/d1/nytt-forsok"),
    ("POST", "/api/v1/fakturaer"),
    ("POST", "/api/v1/fakturaer/forhandsvisning"),
    ("POST", "/api/v1/fakturaer/f1/sending"),
    ("POST", "/api/v1/fakturaer/f1/nytt-forsok"),
    ("POST", "/api/v1/fakturaer/f1/kreditnota"),
    ("POST", "/api/v1/fakturaer/svar"),
    ("POST", "/api/v1/fakturaer/f1/svar"),
    ("POST", "/api/v1/tokener"),
    ("DELETE", "/api/v1/tokener/1"),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize("authorization", [None, "Bearer feil-token", "Basic eDp5"])
def test_every_write_without_a_valid_token_is_401_before_the_body_is_read(
    client: FlaskClient, deps: Deps, method: str, url: str, authorization: str | None
) -> None:
    """A malformed body from a caller without a valid token is never parsed: 401, not 400."""
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    r = client.open(url, method=method, data=b'{"type": "statusrapport", ', headers=headers)
    assert (r.status_code, r.json["title"]) == (401, "Ikke innlogget")
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="dokgen"'
    _nothing_stored(deps)


def test_an_oversized_body_without_a_token_is_401_with_one_413(
    make_app: Callable[..., Any], kontrakt: Any
) -> None:
    """No size-expensive work for a caller without a token: 401 comes before the 413."""
    app, token, body = over_upload_limit(make_app, kontrakt)
    client = app.test_client()
    assert client.post("/api/v1/dokumenter", json=body).status_code == 401
    r = client.post("/api/v1/dokumenter", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "et heltall har mer enn 30 siffer"),
        ("-" + "1" * 4301, "et heltall har mer enn 30 siffer"),
        ("NaN", "NaN er ikke et tall i JSON"),
        ("[" * 100_000, "for mange nivåer i hverandre"),
    ],
)
def test_a_huge_number_in_a_json_body_is_400_not_500(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    value: str,
    message: str,
) -> None:
    """Python refuses to read an integer of over 4,300 digits (ValueError); that was a 500."""
    body = json.dumps(kontrakt("statusrapport"))[:-1] + f', "x": {value}}}'
    cases = [
        ("/api/v1/dokumenter", auth("veileder"), body),
        ("/api/v1/fakturaer/forhandsvisning", auth("regnskap"), body),
        ("/api/v1/fakturaer", auth("regnskap"), body),
    ]
    for url, headers, data in cases:
        r = client.post(url, data=data, headers={**headers, "Content-Type": "application/json"})
        assert r.status_code == 400, (url, r.status_code)
        assert r.json["title"] == "Kan ikke lese inndata"
        assert r.json["detail"] == f"ikke gyldig JSON: {message}"
    _nothing_stored(deps)


@pytest.mark.parametrize("digits", ["０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩"])
def test_a_fodselsnummer_in_other_digits_is_422_and_not_stored(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    digits: str,
) -> None:
    """Full-width and Arabic-Indic digits spelling a valid number used to be stored as given."""
    body = kontrakt("statusrapport")
    body["deltaker"]["fodselsnummer"] = FNR.translate(str.maketrans("0123456789", digits))
    r = client.post("/api/v1/dokumenter", json=body, headers=auth("veileder"))
    assert r.status_code == 422
    assert r.json["errors"] == [
        {
            "path": "deltaker.fodselsnummer",
            "message": "ugyldig fødselsnummer: kan bare inneholde sifrene 0–9",
        }
    ]
    _nothing_stored(deps)


def _no_fnr(r: Any) -> str:
    text = r.get_data(as_text=True)
    assert FNR not in text
    assert FNR[:6] not in text
    return text


def test_an_unknown_activity_does_not_echo_a_fodselsnummer(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """A timeliste with a fødselsnummer in the activity column: the row is named, not the value."""
    header = (KONTRAKT / "timeliste.csv").read_text(encoding="utf-8").splitlines()[0]
    csv = f"{header}\n2026-10-02;D-0017;Kari Nordmann;{FNR};50;;;;\n"
    r = client.post(
        f"/api/v1/fakturaer/forhandsvisning?{CSV_ARGS}",
        data=csv.encode(),
        headers={**auth("regnskap"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 422
    _no_fnr(r)
    messages = [e["message"] for e in r.json["errors"] if e["path"] == "rad 2, aktivitet"]
    assert any(m.startswith("ukjent aktivitet «***********» (kjente: oppf") for m in messages)


def test_an_unknown_key_does_not_echo_a_fodselsnummer(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """A key that is itself a fødselsnummer is refused as unknown under a masked path."""
    body = kontrakt("statusrapport")
    body[FNR] = "x"
    body["deltaker"][f"{FNR[:6]} {FNR[6:]}"] = "y"
    r = client.post("/api/v1/dokumenter", json=body, headers=auth("veileder"))
    assert r.status_code == 422
    _no_fnr(r)
    assert sorted(r.json["errors"], key=lambda e: str(e["path"])) == [
        {"path": "***********", "message": "ukjent felt"},
        {"path": "deltaker.***********", "message": "ukjent felt"},
    ]
    grunnlag = kontrakt("fakturagrunnlag")
    grunnlag["aktiviteter"][0][FNR] = 1
    r = client.post("/api/v1/fakturaer/forhandsvisning", json=grunnlag, headers=auth("regnskap"))
    assert r.status_code == 422
    _no_fnr(r)
    assert {"path": "aktiviteter[0].***********", "message": "ukjent felt"} in r.json["errors"]


def test_an_entity_name_does_not_echo_a_fodselsnummer(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """libxml2 names an undefined entity in its message; the answer gives the place only."""
    r = client.post(
        "/api/v1/dokumenter",
        data=f"<statusrapport>\n<sted>&f{FNR};</sted></statusrapport>".encode(),
        headers={**auth("veileder"), **XML},
    )
    assert r.status_code == 400
    _no_fnr(r)
    assert r.json["detail"] == "XML er ikke velformet (linje 2, kolonne 21)"


def test_the_problem_instance_does_not_echo_a_fodselsnummer(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """A fødselsnummer typed where a document id belongs is masked in ``instance``."""
    for url in (
        f"/api/v1/dokumenter/{FNR}",
        f"/api/v1/dokumenter/{FNR}/pdf",
        f"/api/v1/fakturaer/{FNR[:6]}-{FNR[6:]}",
        f"/api/v1/finnes-ikke/{FNR}",
    ):
        r = client.get(url, headers=auth("admin"))
        assert r.status_code == 404
        _no_fnr(r)
        assert "***********" in r.json["instance"]


BOMB = '<!DOCTYPE statusrapport [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
EKSTERN = '<!DOCTYPE statusrapport [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _utf16(text: str, codec: str) -> bytes:
    return ("\ufeff" + text).encode(codec)


UNSAFE_XML = [
    pytest.param(
        _utf16(f'{BOMB}<statusrapport sted="&b;">&b;</statusrapport>', "utf-16-le"), id="16le-bomb"
    ),
    pytest.param(
        _utf16(f"{EKSTERN}<statusrapport>&e;</statusrapport>", "utf-16-be"), id="16be-ekstern"
    ),
    pytest.param(
        _utf16(f'<?xml version="1.0" encoding="UTF-16"?>{BOMB}<statusrapport/>', "utf-16-be"),
        id="16be-bomb",
    ),
]
UTF7 = (
    b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE statusrapport +AFs-+ADw-!ENTITY e '
    b"SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-statusrapport+AD4-+ACY-e;"
    b"+ADw-/statusrapport+AD4-"
)


@pytest.mark.parametrize("data", UNSAFE_XML)
def test_utf16_xml_with_a_dtd_is_refused_on_every_upload_path(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], data: bytes
) -> None:
    """The no-DTD rule matched raw bytes, so UTF-16 slipped past it on documents and answers."""
    for url, rolle in (
        ("/api/v1/dokumenter", "veileder"),
        ("/api/v1/fakturaer/svar", "regnskap"),
    ):
        r = client.post(url, data=data, headers={**auth(rolle), **XML})
        assert r.status_code == 400, url
        assert r.json["detail"] == "XML med DTD eller entiteter er ikke tillatt"
    _nothing_stored(deps)


def test_utf7_xml_is_refused_on_every_upload_path(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]]
) -> None:
    """UTF-7 spells '<!DOCTYPE' as '+ADw-!DOCTYPE'; any encoding but UTF-8/16 is refused."""
    for url, rolle in (
        ("/api/v1/dokumenter", "veileder"),
        ("/api/v1/fakturaer/svar", "regnskap"),
    ):
        r = client.post(url, data=UTF7, headers={**auth(rolle), **XML})
        assert r.status_code == 400, url
        assert r.json["detail"] == "XML må være kodet som UTF-8 eller UTF-16"
    _nothing_stored(deps)


def _last_opp(client: FlaskClient, url: str, skjema: str, data: bytes, navn: str) -> Any:
    form = {"csrf_token": token(client, skjema), "fil": (io.BytesIO(data), navn)}
    return client.post(url, data=form, content_type="multipart/form-data")


def test_page_uploads_refuse_a_huge_number_and_a_dtd_in_utf16(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], kontrakt: Any
) -> None:
    """The pages' JSON and XML uploads share the API's readers: 400 with the reason, no 500."""
    stor = (json.dumps(kontrakt("statusrapport"))[:-1] + f', "x": {"9" * 5000}}}').encode()
    logg_inn(client, bruker("veileder"))
    r = _last_opp(client, "/dokumenter/last-opp", "/dokumenter/ny", stor, "s.json")
    assert r.status_code == 400
    assert "filen: ikke gyldig JSON: et heltall har mer enn 30 siffer" in r.text
    for data in UNSAFE_XML:
        r = _last_opp(client, "/dokumenter/last-opp", "/dokumenter/ny", data.values[0], "s.xml")
        assert r.status_code == 400
        assert "XML med DTD eller entiteter er ikke tillatt" in r.text
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, bruker("regnskap"))
    grunnlag = json.dumps(kontrakt("fakturagrunnlag"))[:-1] + f', "x": {"9" * 5000}}}'
    r = _last_opp(client, "/fakturaer/forhandsvis", "/fakturaer/ny", grunnlag.encode(), "g.json")
    assert r.status_code == 400
    assert "filen: ikke gyldig JSON: et heltall har mer enn 30 siffer" in r.text
    assert (antall(deps, Dokument), antall(deps, Faktura)) == (0, 0)
