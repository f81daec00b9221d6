"""The buyer's answer and the access point's MLS: uploaded on the invoice page or posted to
the API, matched to the invoice (an MLS by the SBDH instance id the send recorded), with
roles, other organisations and unsafe files refused and nothing written."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.services import fakturaer as service
from dokgen.services import fakturasvar
from dokgen.storage.db import Faktura, Organisasjon, Revisjon, Sendeforsok
from ehf.sbdh import unwrap
from tests.conftest import FIXTURES, PEPPOL
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

SVAR = FIXTURES / "transport"
MLS = PEPPOL / "mls-1.0.1" / "example"
EKSEMPEL_ID = b"90f14eff-3705-4869-ad3c-caae270a234e"  # what the official examples refer to
MLR = PEPPOL / "bis-responses-2026.5" / "examples" / "MessageLevelResponse_Example.xml"
XML = {"Content-Type": "application/xml"}


def _sendt(deps: Deps, org: Organisasjon, kontrakt: Any, **endringer: Any) -> Faktura:
    """Create the contract invoice in ``org`` and send it through the katalog transport."""
    aktor = Aktor(org.id, "Test Regnskap", "regnskap")
    grunnlag = kontrakt("fakturagrunnlag") | endringer
    del grunnlag["selger"]  # the seller is the organisation itself, from its settings
    rad = service.opprett(deps, aktor, service.fra_json(grunnlag))
    assert deps.jobs.wait_idle(timeout=180)
    service.send(deps, aktor, rad.id)
    assert deps.jobs.wait_idle(timeout=180)
    rad = service.hent(deps, aktor, rad.id, logg_lesing=False)
    assert rad.status == "i_utboks", rad.feil
    return rad


def _instans_id(rad: Faktura) -> str:
    [sendt] = [x for x in rad.forsok if x.resultat == "i_utboks"]
    assert sendt.instans_id
    return sendt.instans_id


def _mls(kode: str, instans_id: str) -> bytes:
    """Return the official MLS example with this code, referring to ``instans_id``."""
    return (
        (MLS / f"MessageLevelStatus_Example_{kode}.xml")
        .read_bytes()
        .replace(EKSEMPEL_ID, instans_id.encode())
    )


def _mlr(instans_id: str, kode: str = "RE") -> bytes:
    """Return the official MLR (T71) example, referring to ``instans_id`` with this code
    (another code than its RE drops the line-level finding, as an acceptance has none)."""
    data = MLR.read_bytes().replace(b"EnvelopeID-12456789", instans_id.encode())
    if kode != "RE":
        start, slutt = data.index(b"<cac:LineResponse>"), data.index(b"</cac:LineResponse>")
        data = data[:start] + data[slutt + len(b"</cac:LineResponse>") :]
        data = data.replace(
            b"<cbc:ResponseCode>RE</cbc:ResponseCode>",
            f"<cbc:ResponseCode>{kode}</cbc:ResponseCode>".encode(),
        )
    return data


def _ir(kode: str, nummer: str) -> bytes:
    """Return the synthetic Invoice Response (AB or RE) naming invoice ``nummer``."""
    data = (SVAR / f"fakturasvar-{kode.lower()}-2026-0001.xml").read_bytes()
    return data.replace(b"<cbc:ID>2026-0001</cbc:ID>", f"<cbc:ID>{nummer}</cbc:ID>".encode())


def _last_opp(client: FlaskClient, faktura_id: str, data: bytes, navn: str = "svar.xml") -> Any:
    """Upload ``data`` as the answer file (encoded in memory: werkzeug's test client would
    spool a large upload to a temporary file it never closes)."""
    url = f"/fakturaer/{faktura_id}"
    form = MultiDict({"csrf_token": token(client, url), "fil": FileStorage(io.BytesIO(data), navn)})
    boundary, body = encode_multipart(form)
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(f"{url}/svar", data=body, content_type=content_type)


def _svarlinjer(deps: Deps) -> int:
    with deps.sessions() as s:
        handlinger = list(s.scalars(select(Revisjon.handling)))
    return handlinger.count("registrer_svar")


def test_the_send_records_the_instance_id_of_the_envelope_it_handed_over(
    deps: Deps, org: Organisasjon, kontrakt: Any, auth: Callable[..., dict[str, str]],
    client: FlaskClient,
) -> None:  # fmt: skip
    """The attempt keeps the InstanceIdentifier of the SBDH written to the outbox."""
    rad = _sendt(deps, org, kontrakt)
    [fil] = [p for p in deps.settings.utboks_dir.rglob("*.xml")]
    assert _instans_id(rad) == unwrap(fil.read_bytes())[0]["instance_id"]
    r = client.get(f"/api/v1/fakturaer/{rad.id}", headers=auth("regnskap"))
    assert [(x["resultat"], x["instans_id"]) for x in r.json["forsok"]] == [
        ("i_utboks", _instans_id(rad))
    ]


def test_an_mls_finds_its_invoice_by_instance_id_through_the_api(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    auth: Callable[..., dict[str, str]],
) -> None:  # fmt: skip
    """AB (delivered towards the receiver without confirmation) → levert, its code and meaning
    kept; AP → levert; RE → avvist with every reason."""
    regnskap = {**auth("regnskap"), **XML}
    rad = _sendt(deps, org, kontrakt)
    instans = _instans_id(rad)
    r = client.post("/api/v1/fakturaer/svar", data=_mls("AB", instans), headers=regnskap)
    assert (r.status_code, r.json["id"], r.json["status"]) == (200, rad.id, "levert")
    assert (r.json["forsok"][-1]["resultat"], r.json["forsok"][-1]["svarkode"]) == (
        "levert",
        "AB",
    )
    assert "uten bekreftelse" in r.json["forsok"][-1]["arsak"]
    r = client.post(f"/api/v1/fakturaer/{rad.id}/svar", data=_mls("AP", instans), headers=regnskap)
    assert (r.status_code, r.json["status"], r.json["feil"]) == (200, "levert", None)
    r = client.post("/api/v1/fakturaer/svar", data=_mls("RE", instans), headers=regnskap)
    assert (r.json["status"], r.json["feil"]) == (
        "avvist",
        "Avvist, eller levering til mottakeren feilet: Rejected due to validation errors; "
        "/Catalogue/cac:CatalogueLine[3]/cac:Item[1]/cac:ClassifiedTaxCategory[1]/cbc:ID[1]: "
        "Validation gives error [CL-T77-R002]- Tax categories MUST be coded using UN/ECE 5305 "
        "code list (BV: brudd på forretningsregel)",
    )
    assert [(x["resultat"], x["svartype"], x["svarkode"]) for x in r.json["forsok"]] == [
        ("i_utboks", None, None),
        ("levert", "mls", "AB"),
        ("levert", "mls", "AP"),
        ("avvist", "mls", "RE"),
    ]
    assert _svarlinjer(deps) == 3


def test_an_mlr_finds_its_invoice_by_the_instance_id_of_the_envelope(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    auth: Callable[..., dict[str, str]],
) -> None:  # fmt: skip
    """The receiver's MLR names the envelope (the official example's EnvelopeID): AB →
    levert; RE → avvist with the line-level finding; on another invoice's page → 422; an
    unknown envelope → 404, nothing written."""
    regnskap = {**auth("regnskap"), **XML}
    rad = _sendt(deps, org, kontrakt)
    annen = _sendt(deps, org, kontrakt)
    instans = _instans_id(rad)
    r = client.post("/api/v1/fakturaer/svar", data=_mlr(instans, "AB"), headers=regnskap)
    assert (r.status_code, r.json["id"], r.json["status"]) == (200, rad.id, "levert")
    r = client.post("/api/v1/fakturaer/svar", data=_mlr(instans), headers=regnskap)
    assert (r.status_code, r.json["id"], r.json["status"]) == (200, rad.id, "avvist")
    assert r.json["feil"].startswith("Avvist av mottakeren: Rejected due to validation errore; ")
    assert "[CL-T77-R002]" in r.json["feil"]
    assert [(x["resultat"], x["svartype"], x["svarkode"]) for x in r.json["forsok"]] == [
        ("i_utboks", None, None),
        ("levert", "mlr", "AB"),
        ("avvist", "mlr", "RE"),
    ]
    forsok, linjer = antall(deps, Sendeforsok), _svarlinjer(deps)
    r = client.post(f"/api/v1/fakturaer/{annen.id}/svar", data=_mlr(instans), headers=regnskap)
    assert (r.status_code, r.json["errors"][0]["path"]) == (422, "svar")
    assert r.json["errors"][0]["message"] == (
        f"svaret gjelder sendingen av {rad.nummer}, ikke {annen.nummer}"
    )
    ukjent = "0b7e4a52-2f7c-4a8e-9d0a-6f1e2d3c4b5a"
    r = client.post("/api/v1/fakturaer/svar", data=_mlr(ukjent), headers=regnskap)
    assert r.status_code == 404
    assert (antall(deps, Sendeforsok), _svarlinjer(deps)) == (forsok, linjer)
    assert service.hent(deps, Aktor(org.id, "x", "regnskap"), annen.id).status == "i_utboks"


def test_an_unknown_or_foreign_instance_id_is_not_found_and_writes_nothing(
    client: FlaskClient, deps: Deps, org: Organisasjon, annen_org: Organisasjon,
    kontrakt: Any, auth: Callable[..., dict[str, str]], bruker: Callable[..., str],
) -> None:  # fmt: skip
    """404 for an id never sent or sent by another organisation (API and page); the page
    shows the reason at the file field; another invoice's transmission is 422."""
    regnskap = {**auth("regnskap"), **XML}
    egen = _sendt(deps, org, kontrakt)
    # Another day: the other organisation's 2026-0001 is not the same document as ours.
    annen = _sendt(deps, annen_org, kontrakt, fakturadato="2026-11-04", forfallsdato="2026-12-04")
    andre = _sendt(deps, org, kontrakt)  # 2026-0002
    forsok, linjer = antall(deps, Sendeforsok), _svarlinjer(deps)
    ukjent = "0b7e4a52-2f7c-4a8e-9d0a-6f1e2d3c4b5a"
    for instans in (ukjent, _instans_id(annen)):
        r = client.post("/api/v1/fakturaer/svar", data=_mls("AP", instans), headers=regnskap)
        assert (r.status_code, r.json["errors"]) == (
            404,
            [{"path": "svar", "message": f"fant ingen sending med instans-id {instans}"}],
        )
        r = client.post(
            f"/api/v1/fakturaer/{egen.id}/svar", data=_mls("AP", instans), headers=regnskap
        )
        assert r.status_code == 404
    r = client.post(
        f"/api/v1/fakturaer/{egen.id}/svar", data=_mls("AP", _instans_id(andre)), headers=regnskap
    )
    assert (r.status_code, r.json["errors"][0]["message"]) == (
        422,
        f"svaret gjelder sendingen av {andre.nummer}, ikke {egen.nummer}",
    )
    logg_inn(client, bruker("regnskap"))
    r = _last_opp(client, egen.id, _mls("RE", _instans_id(annen)))
    assert r.status_code == 422
    assert f"Svarfil: fant ingen sending med instans-id {_instans_id(annen)}" in r.text
    assert 'aria-invalid="true"' in r.text
    r = client.post(
        f"/fakturaer/{annen.id}/svar",
        data={
            "csrf_token": token(client, f"/fakturaer/{egen.id}"),
            "fil": (io.BytesIO(b"<x/>"), "s.xml"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 404
    assert (antall(deps, Sendeforsok), _svarlinjer(deps)) == (forsok, linjer)
    with deps.sessions() as s:
        assert {s.get(Faktura, f.id).status for f in (egen, annen, andre)} == {"i_utboks"}  # type: ignore[union-attr]


def test_regnskap_registers_an_invoice_response_on_the_invoice_page(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    bruker: Callable[..., str],
) -> None:  # fmt: skip
    """AB → levert, then RE → avvist: code, meaning and reason in the answers table."""
    rad = _sendt(deps, org, kontrakt)
    logg_inn(client, bruker("regnskap"))
    side = client.get(f"/fakturaer/{rad.id}").text
    assert "Ingen svar er registrert." in side
    assert '<label for="svar-fil">Svarfil (XML)</label>' in side
    r = _last_opp(client, rad.id, _ir("AB", rad.nummer))
    assert (r.status_code, r.location) == (302, f"/fakturaer/{rad.id}")
    side = client.get(r.location).text
    assert "Svaret er registrert. Status: Levert." in side
    assert '<span class="status status--levert" id="status">Levert</span>' in side
    assert (
        "<td>Fakturasvar (Invoice Response)</td><td>AB</td><td>Mottatt av kjøper</td><td>—</td>"
        in side
    )
    _last_opp(client, rad.id, _ir("RE", rad.nummer))
    side = client.get(f"/fakturaer/{rad.id}").text
    assert '<span class="status status--avvist" id="status">Avvist av mottaker</span>' in side
    assert (
        "<td>RE</td><td>Avvist av kjøper</td>"
        "<td>Bestillingsnummeret finnes ikke (REF: referanser mangler eller er feil)</td>"
    ) in side
    assert _svarlinjer(deps) == 2


def test_an_mls_uploaded_on_the_page_is_matched_by_its_instance_id(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    bruker: Callable[..., str],
) -> None:  # fmt: skip
    """The official RE example, pointed at the transmission, rejects the invoice."""
    rad = _sendt(deps, org, kontrakt)
    logg_inn(client, bruker("regnskap"))
    r = _last_opp(client, rad.id, _mls("RE", _instans_id(rad)))
    assert r.status_code == 302
    side = client.get(f"/fakturaer/{rad.id}").text
    assert "Avvist av mottaker" in side
    assert (
        "<td>Meldingsstatus (MLS)</td><td>RE</td>"
        "<td>Avvist, eller levering til mottakeren feilet</td>"
        "<td>Rejected due to validation errors;"
    ) in side


def test_a_bad_or_unsafe_answer_file_changes_nothing(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    bruker: Callable[..., str],
) -> None:  # fmt: skip
    """No file, a DTD/entity, not XML, an unknown code, too large, another number, no CSRF:
    each answered at the file field (or 400), the invoice still sendt, no row, no audit line."""
    rad = _sendt(deps, org, kontrakt)
    logg_inn(client, bruker("regnskap"))
    url = f"/fakturaer/{rad.id}"
    r = client.post(f"{url}/svar", data={"csrf_token": token(client, url)})
    assert (r.status_code, "Svarfil: velg XML-filen med svaret" in r.text) == (422, True)
    stor = b"<a>" + b" " * fakturasvar.SVAR_MAKS_BYTE + b"</a>"
    tilfeller = [
        (
            (SVAR / "svar-med-entitet.xml").read_bytes(),
            "XML med DTD eller entiteter er ikke tillatt",
        ),
        (b"ikke xml", "XML er ikke velformet"),
        ((SVAR / "svar-ukjent-kode.xml").read_bytes(), "ukjent svarkode"),
        (stor, "svaret er større enn 1 MB"),
        (_ir("AB", "2026-9999"), f"svaret gjelder faktura 2026-9999, ikke {rad.nummer}"),
    ]
    for data, melding in tilfeller:
        r = _last_opp(client, rad.id, data)
        assert r.status_code == 422, melding
        assert '<div class="feiloppsummering" role="alert" tabindex="-1">' in r.text
        assert melding in r.text
        assert 'aria-describedby="svar-fil-hjelp svar-fil-feil" aria-invalid="true"' in r.text
    form = {"fil": (io.BytesIO(_ir("AB", rad.nummer)), "svar.xml")}
    assert (
        client.post(f"{url}/svar", data=form, content_type="multipart/form-data").status_code == 400
    )
    assert (
        service.hent(deps, Aktor(org.id, "t", "regnskap"), rad.id, logg_lesing=False).status
        == "i_utboks"
    )
    assert (antall(deps, Sendeforsok), _svarlinjer(deps)) == (1, 0)


def test_only_regnskap_registers_answers(
    client: FlaskClient, deps: Deps, org: Organisasjon, kontrakt: Any,
    auth: Callable[..., dict[str, str]], bruker: Callable[..., str],
) -> None:  # fmt: skip
    """Admin, leser and veileder get 403 on the page and the API; admin sees no form."""
    rad = _sendt(deps, org, kontrakt)
    svar = _ir("AB", rad.nummer)
    for rolle in ("admin", "leser", "veileder"):
        headers = {**auth(rolle), **XML}
        assert client.post("/api/v1/fakturaer/svar", data=svar, headers=headers).status_code == 403
        r = client.post(f"/api/v1/fakturaer/{rad.id}/svar", data=svar, headers=headers)
        assert r.status_code == 403
    logg_inn(client, bruker("admin"))
    side = client.get(f"/fakturaer/{rad.id}").text
    assert "Svar fra mottaker" in side
    assert "Registrer svaret" not in side
    assert _last_opp(client, rad.id, svar).status_code == 403
    client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})
    logg_inn(client, bruker("veileder"))
    form = {"csrf_token": token(client, "/dokumenter"), "fil": (io.BytesIO(svar), "s.xml")}
    r = client.post(f"/fakturaer/{rad.id}/svar", data=form, content_type="multipart/form-data")
    assert r.status_code == 403
    assert (antall(deps, Sendeforsok), _svarlinjer(deps)) == (1, 0)
