"""`dokgen lag` makes the AMB tilbudsmelding, opplæringsplan and samtalereferat from the
repository's examples: sealed PDF/A whose text holds the seed's headings and questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dokgen.cli import main
from dokgen.documents.models.eksempler import demo_path
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.test_ordlyd import LEDETEKSTER_AMB

pytestmark = pytest.mark.integration


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder (development certificate) at a temporary folder."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    return tmp_path


def _flat(tekst: str) -> str:
    return re.sub(r"\s+", " ", tekst).strip().casefold()


@pytest.mark.parametrize("type_navn", sorted(LEDETEKSTER_AMB))
def test_lag_seals_each_amb_type_with_every_heading_of_its_section(
    env: Path, type_navn: str
) -> None:
    require_command("soffice", "pdftotext", "pdfsig")
    src = env / f"{type_navn}.json"
    src.write_bytes(demo_path(type_navn).read_bytes())
    out = env / f"{type_navn}.pdf"
    assert main(["lag", type_navn, str(src), "-o", str(out), "--godkjent-av", "Lise Berg"]) == 0
    pdf = out.read_bytes()
    assert pdfinfo.pdfsig_report(pdf)[0]["valid"] is True
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    lest = _flat(pdfinfo.text(pdf, layout=False))
    assert [h for h in LEDETEKSTER_AMB[type_navn] if _flat(h) not in lest] == []
    assert "1. lise berg (" in lest  # the first party that signs, whichever it is
    assert main(["pdf", "verifiser", str(out)]) == 0
