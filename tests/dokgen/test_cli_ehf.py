"""The ``dokgen ehf`` commands as a user runs them: lag, kreditnota, valider, send."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dokgen.cli import main
from tests.conftest import FIXTURES, KONTRAKT

pytestmark = pytest.mark.integration


@pytest.fixture
def env(tmp_path: Path, peppol_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the instance, the PEPPOL artifacts and the outbox at known folders."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.setenv("DOKGEN_REFERANSE_PEPPOL", str(peppol_dir))
    monkeypatch.setenv("DOKGEN_UTBOKS", str(tmp_path / "utboks"))
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    return tmp_path


def _lag(env: Path) -> Path:
    out = env / "faktura.xml"
    assert main(["ehf", "lag", str(KONTRAKT / "fakturagrunnlag.json"), "-o", str(out)]) == 0
    return out


def test_lag_from_json(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ehf lag` prints each deltaker's hours with explanations and writes the invoice."""
    out = _lag(env)
    text = capsys.readouterr().out
    assert re.search(r"D-0017 Kari Nordmann: 4[.,]25 t", text)
    assert re.search(r"D-0023 Jon Berg: 1[.,]25 t", text)
    reise = "Reisetid til oppfølgingsmøte: 80 min → 1,00 t (maks 1 t per møte)"
    assert f"rad 2 2026-10-02: {reise}" in text
    assert "Regelpakke 3.0.21: 0 feil, 0 advarsler" in text
    assert "faktura 2026-0042, sum 6\u00a0325,00" in text
    assert b'<cbc:PayableAmount currencyID="NOK">6325.00</cbc:PayableAmount>' in out.read_bytes()


def test_lag_from_csv_equals_json(env: Path) -> None:
    """The contract timeliste with the settings file gives the same XML as the JSON."""
    out = env / "fra-csv.xml"
    settings = FIXTURES / "grunnlag" / "innstillinger.json"
    args = ["ehf", "lag", str(KONTRAKT / "timeliste.csv"), "--innstillinger", str(settings)]
    assert main([*args, "-o", str(out)]) == 0
    assert out.read_bytes() == _lag(env).read_bytes()


def test_lag_with_attachment_folder(env: Path) -> None:
    """--vedlegg-mappe embeds the grunnlag's vedlegg; a missing file is bad input (2)."""
    folder = env / "vedlegg"
    folder.mkdir()
    out = env / "med-vedlegg.xml"
    args = ["ehf", "lag", str(KONTRAKT / "fakturagrunnlag.json"), "--vedlegg-mappe", str(folder)]
    assert main([*args, "-o", str(out)]) == 2
    assert not out.exists()
    shutil.copy(FIXTURES / "ubl" / "vedlegg.pdf", folder / "timeliste-2026-10.pdf")
    assert main([*args, "-o", str(out)]) == 0
    assert b'filename="timeliste-2026-10.pdf"' in out.read_bytes()


def test_lag_invalid_grunnlag_lists_every_error(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad rows exit 2 with each path and message; nothing is written."""
    data = kontrakt("fakturagrunnlag")
    data["aktiviteter"][0]["minutter"] = -5
    data["aktiviteter"][3]["aktivitet"] = "kaffe"
    src = env / "feil.json"
    src.write_text(json.dumps(data), encoding="utf-8")
    out = env / "ut.xml"
    assert main(["ehf", "lag", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "aktiviteter[0].minutter: kan ikke være negativt" in err
    assert "aktiviteter[3].aktivitet: ukjent aktivitet «kaffe»" in err
    assert not out.exists()


def test_kreditnota(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ehf kreditnota` credits chosen lines and names the invoice."""
    faktura = _lag(env)
    out = env / "kreditnota.xml"
    args = ["ehf", "kreditnota", "--faktura", str(faktura), "--nummer", "K-1"]
    assert main([*args, "--dato", "2026-11-10", "--linjer", "2", "-o", str(out)]) == 0
    assert "kreditnota K-1 for faktura 2026-0042" in capsys.readouterr().out
    xml = out.read_bytes()
    assert b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" in xml
    assert b'<cbc:PayableAmount currencyID="NOK">1437.50</cbc:PayableAmount>' in xml


def _fatal_copy(faktura: Path) -> Path:
    bad = faktura.with_name("feil.xml")
    wrong = b">1.00</cbc:PayableAmount>"
    bad.write_bytes(faktura.read_bytes().replace(b">6325.00</cbc:PayableAmount>", wrong))
    return bad


def test_valider_valid_json_and_unsafe(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 for a valid document; --json lists the fatal rule; unsafe XML is bad input (2)."""
    faktura = _lag(env)
    capsys.readouterr()
    assert main(["ehf", "valider", str(faktura)]) == 0
    assert "0 feil, 0 advarsler" in capsys.readouterr().out
    main(["ehf", "valider", str(_fatal_copy(faktura)), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["rulepack"] == "3.0.21"
    assert "BR-CO-16" in {f["rule"] for f in report["findings"]}
    unsafe = env / "farlig.xml"
    unsafe.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert main(["ehf", "valider", str(unsafe)]) == 2
    assert "DTD" in capsys.readouterr().err


def test_valider_fatal_exits_1(env: Path) -> None:
    """A document with a fatal finding makes `ehf valider` exit 1."""
    bad = _fatal_copy(_lag(env))
    assert main(["ehf", "valider", str(bad)]) == 1


def test_send_via_katalog(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ehf send` puts one SBDH in the outbox; a fatal document is never sent."""
    faktura = _lag(env)
    capsys.readouterr()
    assert main(["ehf", "send", str(faktura)]) == 0
    assert "Lagt i utboks – ikke sendt:" in capsys.readouterr().out
    (sent,) = (env / "utboks").iterdir()
    assert b"StandardBusinessDocument" in sent.read_bytes()
    assert b"2026-0042" in sent.read_bytes()
    assert main(["ehf", "send", str(_fatal_copy(faktura))]) == 1
    assert "BR-CO-16" in capsys.readouterr().err
    assert len(list((env / "utboks").iterdir())) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            (
                '\ufeff<!DOCTYPE Invoice [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
                "<ID>&b;</ID></Invoice>"
            ).encode("utf-16-le"),
            "DTD eller entiteter",
        ),
        (
            (
                '\ufeff<?xml version="1.0" encoding="UTF-16"?>'
                '<!DOCTYPE Invoice [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>'
            ).encode("utf-16-be"),
            "DTD eller entiteter",
        ),
        (
            b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE Invoice +AFs-+ADw-!ENTITY e '
            b"SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-Invoice+AD4-+ACY-e;"
            b"+ADw-/Invoice+AD4-",
            "UTF-8 eller UTF-16",
        ),
    ],
    ids=["utf16le-bomb", "utf16be-ekstern", "utf7-ekstern"],
)
def test_valider_refuses_a_dtd_in_utf16_and_utf7(
    env: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    """`ehf valider` is bad input (2) for a DTD hidden by the encoding, not a validation run."""
    unsafe = env / "farlig.xml"
    unsafe.write_bytes(data)
    assert main(["ehf", "valider", str(unsafe)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "root:" not in err
