"""The sluttrapport fra Kvalifisering (AMB §14): sealed through ``dokgen lag`` with the seed's
headings read back from the PDF, the nine result codes as the seed writes them, and what the
model refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dokgen.cli import main
from dokgen.documents.models import parse_dokument
from dokgen.errors import InputInvalidError
from dokgen.oppfolging.kodeverk import AMB_RESULTATKODER, resultat_med_kategori
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


def test_the_nine_result_codes_are_the_seeds_lines_in_its_order() -> None:
    """§14.4 a lists "1. Arbeid uten tilskudd (1. formidlet)" … "9. Annet (5. annet)"."""
    seed = SEED_AMB.read_text(encoding="utf-8")
    start = seed.index("Overgang til Tilrettelagt arbeid")
    lines = [line.strip() for line in seed[start:].splitlines()[1:] if line.strip()][:9]
    ours = [f"{n}. {resultat_med_kategori(kode)}" for n, kode in enumerate(AMB_RESULTATKODER, 1)]
    assert ours == lines
    assert AMB_RESULTATKODER["formidlingsklar"] == (
        "Formidlingsklar/overført til NAV lokal",
        "4. ledig",
    )


@pytest.mark.integration
def test_lag_seals_the_example_and_the_pdf_reads_as_the_seed(env: Path, kontrakt: Any) -> None:
    """`dokgen lag` seals the example; the PDF holds every heading and question of §14 in
    the seed's order, the values, the chosen result with its category marked, and the seal
    names both signing parties' approval by the one who issued it."""
    require_command("soffice", "pdftotext", "pdfsig")
    data = kontrakt("sluttrapport_kvalifisering")
    src = env / "sluttrapport.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = env / "sluttrapport.pdf"
    lag = ["lag", "sluttrapport_kvalifisering", str(src), "-o", str(out)]
    assert main([*lag, "--godkjent-av", "Åse Ødegård"]) == 0
    pdf = out.read_bytes()
    text = _flat(pdfinfo.text(pdf, layout=False))
    at = 0
    for heading in LEDETEKSTER_AMB["sluttrapport_kvalifisering"]:
        found = text.find(_flat(heading), at)
        assert found >= 0, heading
        at = found
    rows = _flat(pdfinfo.text(pdf))  # laid out: a table row's cells on one line
    assert "2. arbeid med tilskudd (2. tiltak) x" in rows
    assert "1. arbeid uten tilskudd (1. formidlet) x" not in rows
    assert "egen sykdom 6 45" in rows
    assert _flat("04.08.2025 – 26.06.2026") in text
    assert _flat(data["vedtak_radgivende_utvalg"]) in text
    assert _flat(data["attest"]["beskrivelse"]) in text
    assert "jonas berg" in text
    assert "overgang til tilrettelagt arbeid nei" in text
    [signature] = pdfinfo.pdfsig_report(pdf)
    assert signature["valid"]
    assert main(["pdf", "verifiser", str(out)]) == 0


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            {"sluttdato": "2025-07-01"},
            ("sluttdato", "sluttdato kan ikke være før startdato"),
        ),
        (
            {"resultat": "annen_situasjon", "resultat_opplysninger": None},
            (
                "resultat_opplysninger",
                "når situasjonen er «Annet», skriv hva den er i nærmere opplysninger",
            ),
        ),
    ],
)
def test_the_model_refuses_what_the_seed_rules_out(
    change: dict[str, Any], error: tuple[str, str], kontrakt: Any
) -> None:
    """An end before the start, the situation «Annet» without saying what it is."""
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(kontrakt("sluttrapport_kvalifisering") | change, tillat_syntetiske=True)
    assert [(e.path, e.message) for e in info.value.errors] == [error]


def test_an_unknown_result_code_is_refused(kontrakt: Any) -> None:
    with pytest.raises(InputInvalidError) as info:
        parse_dokument(
            kontrakt("sluttrapport_kvalifisering") | {"resultat": "arbeid"},
            tillat_syntetiske=True,
        )
    assert [e.path for e in info.value.errors] == ["resultat"]
