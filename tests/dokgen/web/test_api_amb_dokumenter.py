"""The AMB document types through the API: a deltaker's sluttrapport fra Kvalifisering signed
by the arbeidstaker and the bedrift, and a gjennomføring's møtereferat (real app, SQLite,
LibreOffice and seal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.seal import verify
from dokgen.storage.db import Dokument
from tests.conftest import require_command
from tests.pdfinfo import text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
Auth = Callable[..., dict[str, str]]


def _gjennomforing(client: FlaskClient, auth: Auth, kontrakt: Any) -> int:
    r = client.post(
        "/api/v1/gjennomforinger", json=kontrakt("gjennomforing"), headers=auth("admin")
    )
    assert r.status_code == 201, r.json
    return int(r.json["id"])


def test_a_sluttrapport_kvalifisering_is_final_when_arbeidstaker_and_bedrift_have_approved(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any
) -> None:
    """The deltaker's document, parties deltaker then arrangør (§14.5); sealed, it names both
    approvals and prints the result with its category."""
    require_command("pdftotext")
    veileder = auth("veileder")
    deltaker = kontrakt("deltaker") | {
        "gjennomforing_id": _gjennomforing(client, auth, kontrakt),
        "veiledere_arrangor": [],
    }
    deltaker_id = client.post("/api/v1/deltakere", json=deltaker, headers=veileder).json["id"]
    data = kontrakt("sluttrapport_kvalifisering")
    data["deltaker"] = {"navn": "Kari Nordmann", "fodselsnummer": "15858545606"}
    r = client.post(
        f"/api/v1/dokumenter?deltaker_id={deltaker_id}", json=data, headers={**veileder, **VENT}
    )
    assert r.status_code == 201, r.json
    doc = r.json
    assert (doc["type"], doc["parter"], doc["deltaker"]) == (
        "sluttrapport_kvalifisering",
        ["deltaker", "arrangor"],
        "Kari Nordmann",
    )
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"
    papir = {"paa_vegne_av": "Kari Nordmann", "begrunnelse": "Signerte på papir 26.06.2026"}
    r = client.post(
        url, json={"part": "deltaker", "navn": "Kari Nordmann", **papir}, headers=veileder
    )
    assert (r.status_code, r.json["status"]) == (201, "delvis_godkjent")
    r = client.post(
        url, json={"part": "arrangor", "navn": "Åse Ødegård"}, headers={**veileder, **VENT}
    )
    assert r.json["status"] == "godkjent"
    assert [g["part"] for g in r.json["godkjenninger"]] == ["deltaker", "arrangor"]
    pdf = client.get(doc["lenker"]["pdf"], headers=veileder).data
    assert verify(pdf).gyldig
    skrevet = " ".join(text(pdf, layout=False).split())
    assert "Arbeid med tilskudd (2. tiltak)" in skrevet
    assert "Kari Nordmann (Deltaker)" in skrevet
    assert "Åse Ødegård (Tiltaksarrangør)" in skrevet
    with deps.sessions() as s:
        rad = s.get(Dokument, doc["id"])
        assert rad is not None
        assert rad.deltaker_id == deltaker_id


def test_a_motereferat_belongs_to_the_gjennomforing_not_to_a_deltaker(
    client: FlaskClient, deps: Deps, auth: Auth, kontrakt: Any
) -> None:
    """``?gjennomforing_id=`` alone, as for an evalueringsrapport: no deltaker in the list,
    listed by its meeting date, approved by the bedrift alone and sealed."""
    require_command("pdftotext")
    veileder = auth("veileder")
    gjennomforing_id = _gjennomforing(client, auth, kontrakt)
    r = client.post(
        f"/api/v1/dokumenter?gjennomforing_id={gjennomforing_id}",
        json=kontrakt("motereferat"),
        headers={**veileder, **VENT},
    )
    assert r.status_code == 201, r.json
    doc = r.json
    assert (doc["parter"], doc["gjennomforing_id"], doc["deltaker_id"]) == (
        ["arrangor"],
        gjennomforing_id,
        None,
    )
    funnet = client.get("/api/v1/dokumenter?type=motereferat", headers=veileder).json
    assert [d["id"] for d in funnet["dokumenter"]] == [doc["id"]]
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"
    r = client.post(url, json={"part": "arrangor"}, headers={**veileder, **VENT})
    assert r.json["status"] == "godkjent"
    pdf = client.get(doc["lenker"]["pdf"], headers=veileder).data
    assert verify(pdf).gyldig
    skrevet = " ".join(text(pdf, layout=False).split())
    assert "Dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør" in skrevet
    assert "19. Mal for dagsorden/referat fra oppfølgingsmøtene" in skrevet
    with deps.sessions() as s:
        rad = s.get(Dokument, doc["id"])
        assert rad is not None
        assert (rad.deltaker_id, rad.gjennomforing_id) == (None, gjennomforing_id)
        assert (rad.periode_fra, rad.periode_til) == ("2026-09-15", "2026-09-15")
