"""Approvals through the API end up in the sealed PDF's approvals block, each with its role,
method and Oslo time; one registered on someone's behalf names who registered it and why.
A name the seal could not draw is refused on its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.documents.pdf.seal import KONTROLL_TEKST
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.web.test_api_dokumenter import VENT, _create

pytestmark = pytest.mark.integration


def test_sealed_agreement_shows_every_approval_in_its_block(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """Three parties, two registered by staff (one on behalf, with a Sámi name): all three
    entries, whole, in the PDF."""
    require_command("pdftotext", "pdfsig")
    veileder = auth("veileder")
    doc = _create(client, veileder, kontrakt("arbeidspraksisavtale"))
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"

    grunn = "Godkjente på telefon 20.11.2026"  # staff register another party's approval
    emoji = {"part": "arbeidsgiver", "navn": "Lise 😀", "begrunnelse": grunn}
    emoji = client.post(url, json=emoji, headers=veileder)
    assert emoji.status_code == 422
    assert emoji.json["errors"] == [
        {"path": "navn", "message": "tegnet «😀» kan ikke skrives ut i dokumentet: fjern det"}
    ]

    arbeidsgiver = {"part": "arbeidsgiver", "navn": "Łukasz Wąsowski", "begrunnelse": grunn}
    r = client.post(url, json=arbeidsgiver, headers=veileder)
    assert r.status_code == 201
    on_behalf = {
        "part": "deltaker",
        "paa_vegne_av": "Máret Ŋuolja Đuđđá",
        "begrunnelse": "Signerte på papir 20.11.2026",
    }
    assert client.post(url, json=on_behalf, headers=veileder).status_code == 201
    r = client.post(url, json={"part": "arrangor"}, headers={**veileder, **VENT})
    assert r.json["status"] == "godkjent"
    bruker = r.json["godkjenninger"][1]["registrert_av"]

    pdf = client.get(doc["lenker"]["pdf"], headers=veileder).data
    flat = re.sub(r"\s+", " ", pdfinfo.text(pdf, layout=False))
    assert "1. Łukasz Wąsowski (Arbeidsgiver) – " in flat
    assert "2. Máret Ŋuolja Đuđđá (Deltaker) – " in flat
    assert (
        f"registrert av {bruker} på vegne av Máret Ŋuolja Đuđđá – "
        "begrunnelse: Signerte på papir 20.11.2026"
    ) in flat
    assert re.search(r"3\. .+ \(Tiltaksarrangør\) – \d\d\.\d\d\.\d{4} kl\. \d\d:\d\d", flat)
    assert flat.count("innlogget bruker") == 1  # the arrangør; the others registered by staff
    assert "(norsk tid, UTC+0" in flat
    assert f"Dokument-ID: {doc['id']} v1" in flat
    assert KONTROLL_TEKST in flat
    assert pdfinfo.notdef_runs(pdf) == []
    (signature,) = pdfinfo.pdfsig_report(pdf)
    assert signature["valid"] is True
