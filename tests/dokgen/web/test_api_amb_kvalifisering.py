"""The AMB tilbudsmelding, opplæringsplan and samtalereferat through the API: each example
posted, approved by its parties, sealed, and its PDF read back against the seed's words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from dokgen.documents.pdf.seal import verify
from tests.conftest import require_command
from tests.dokgen.test_ordlyd import LEDETEKSTER_AMB
from tests.pdfinfo import pdfsig_report, text

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
PAPIR = "Signerte på papir 16.03.2026"


def _flat(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip().casefold()


@pytest.mark.parametrize(
    ("type_navn", "parter", "verdier"),
    [
        (
            "tilbudsmelding",
            ["arrangor"],
            ["40 00 00 17", "Snekkerverksted", "Kantine", "NAV Grorud"],
        ),
        (
            "opplaeringsplan",
            ["arrangor", "deltaker"],
            ["Per Hansen", "15909099169", "Truckførerkurs", "01.03.2027"],
        ),
        (
            "samtalereferat",
            ["arrangor"],
            ["Per Hansen", "10.06.2026", "Nils Dahl", "Melde seg på fagteori til høsten"],
        ),
    ],
)
def test_each_amb_type_is_posted_approved_by_its_parties_and_sealed_with_the_seeds_words(
    client: FlaskClient,
    auth: Callable[..., dict[str, str]],
    kontrakt: Any,
    type_navn: str,
    parter: list[str],
    verdier: list[str],
) -> None:
    """POST the repository's example → the type's parties → a sealed PDF/A whose text holds
    every heading and question of its section of the AMB seed, and the example's values."""
    require_command("pdfsig", "pdftotext")
    veileder = auth("veileder")
    r = client.post("/api/v1/dokumenter", json=kontrakt(type_navn), headers={**veileder, **VENT})
    assert r.status_code == 201, r.json
    doc = r.json
    assert (doc["type"], doc["parter"], doc["status"]) == (type_navn, parter, "utkast")
    url = f"/api/v1/dokumenter/{doc['id']}/godkjenninger"
    if "deltaker" in parter:  # the arbeidstaker signed on paper: registered on their behalf
        svar = client.post(
            url,
            json={"part": "deltaker", "navn": "Per Hansen", "begrunnelse": PAPIR},
            headers=veileder,
        )
        assert (svar.status_code, svar.json["status"]) == (201, "delvis_godkjent"), svar.json
    svar = client.post(
        url, json={"part": "arrangor", "navn": "Lise Berg"}, headers={**veileder, **VENT}
    )
    assert (svar.status_code, svar.json["status"]) == (201, "godkjent"), svar.json

    pdf = client.get(doc["lenker"]["pdf"], headers=veileder).data
    assert pdfsig_report(pdf)[0]["valid"] is True
    assert verify(pdf).gyldig
    lest = _flat(text(pdf, layout=False))
    mangler = [h for h in LEDETEKSTER_AMB[type_navn] if _flat(h).removesuffix(":") not in lest]
    assert mangler == []
    assert [v for v in verdier if _flat(v) not in lest] == []
    assert "lise berg (tiltaksarrangør)" in lest
    if "deltaker" in parter:
        assert "per hansen (deltaker)" in lest
