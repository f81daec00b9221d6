"""The møtereferat (AMB §15): sealed through ``dokgen lag`` with the seed's agenda read back
from the PDF in its order, each item with its comment, and what the model refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dokgen.cli import main
from dokgen.documents.models import parse_dokument
from dokgen.documents.models.motereferat import DAGSORDEN, Motereferat
from dokgen.errors import InputInvalidError
from tests import pdfinfo
from tests.conftest import SHARED, require_command
from tests.dokgen.test_ordlyd import LEDETEKSTER_AMB

SEED_AMB = SHARED / "kilder" / "kravspesifikasjon-amb.txt"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder (development certificate) at a temporary folder."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    return tmp_path


def test_the_agenda_is_the_seeds_numbered_items_each_with_a_comment_field() -> None:
    """§15's table: the seed's numbers (no 11, 13, 15, 17) and words, one field per item."""
    seed = SEED_AMB.read_text(encoding="utf-8")
    tabell = _flat(seed[seed.index("Kommentar/referat") :])
    for nummer, tekst in DAGSORDEN:
        assert f"{nummer}. {_flat(tekst)}" in tabell
    felt = [f for f in Motereferat.model_fields if f.startswith("punkt_")]
    assert felt == [f"punkt_{nummer}" for nummer, _ in DAGSORDEN]
    assert Motereferat.model_fields["punkt_7"].title == (
        "7. Samarbeid med NAV lokal om overgangsplanlegging og tiltakskjeding"
    )


@pytest.mark.integration
def test_lag_seals_the_example_and_the_pdf_reads_as_the_seed(env: Path, kontrakt: Any) -> None:
    """`dokgen lag` seals the example; the PDF holds §15's headings and agenda in the seed's
    order, the participants per side and each item followed by its comment."""
    require_command("soffice", "pdftotext", "pdfsig")
    data = kontrakt("motereferat")
    src = env / "motereferat.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = env / "motereferat.pdf"
    assert main(["lag", "motereferat", str(src), "-o", str(out), "--godkjent-av", "Åse"]) == 0
    pdf = out.read_bytes()
    text = _flat(pdfinfo.text(pdf, layout=False))
    at = 0
    for heading in LEDETEKSTER_AMB["motereferat"]:
        found = text.find(_flat(heading), at)
        assert found >= 0, heading
        at = found
    for nummer, tekst in DAGSORDEN:
        punkt = _flat(f"{nummer}. {tekst} {data[f'punkt_{nummer}']}")
        assert punkt in text, nummer
    assert "15.09.2026" in text
    assert _flat("Bedrift: Åse Ødegård (Attføringsansvarlig), Petter Lie (Daglig leder)") in text
    assert _flat("NAV lokal: Ola Hansen (Veileder)") in text
    assert _flat("NAV arbeidsrådgivning: Kari Holm") in text
    [signature] = pdfinfo.pdfsig_report(pdf)
    assert signature["valid"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"deltakere_nav_lokal": []}, ("deltakere_nav_lokal", "må ha minst 1 element")),
        ({"dato": "2026-09-14"}, ("dato", "referatet kan ikke være datert før møtedatoen")),
        ({"punkt_11": "Finnes ikke i malen."}, ("punkt_11", "ukjent felt")),
    ],
)
def test_the_model_refuses_what_the_seed_rules_out(
    change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """No one from NAV lokal, a referat dated before the meeting, an item the seed lacks."""
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(kontrakt("motereferat") | change, tillat_syntetiske=True)
    assert [(e.path, e.message) for e in info.value.errors] == [error]
