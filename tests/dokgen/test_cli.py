"""The ``dokgen`` document commands as a user runs them: exit codes, messages, files written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest

from dokgen.cli import main
from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.models.xmlform import to_xml
from tests import pdfinfo
from tests.conftest import require_command


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder (development certificate) at a temporary folder."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    return tmp_path


@pytest.mark.integration
def test_lag_from_json_and_xml_gives_sealed_pdfs(env: Path, kontrakt: Any) -> None:
    """`dokgen lag` writes a sealed PDF/A and the DOCX; XML input gives the same text."""
    require_command("soffice", "pdftotext", "pdfsig")
    data = kontrakt("statusrapport")
    src = _write(env, "statusrapport.json", data)
    xml_src = env / "statusrapport.xml"
    xml_src.write_bytes(to_xml(data))
    out, out_docx, out_xml = env / "ut.pdf", env / "ut.docx", env / "ut-xml.pdf"
    lag = ["lag", "statusrapport", "--godkjent-av", "Łukasz Wąsowski"]
    assert main([*lag, str(src), "-o", str(out), "--docx", str(out_docx)]) == 0
    assert main([*lag, str(xml_src), "-o", str(out_xml)]) == 0
    text = pdfinfo.text(out.read_bytes(), layout=False)
    assert "Kari Nordmann" in text
    assert "02.03.2026" in text
    assert "1. Łukasz Wąsowski (Tiltaksarrangør)" in text
    assert "oppgitt ved utstedelse fra kommandolinjen" in text
    assert "Godkjent av: dokgen" not in text
    assert out_docx.read_bytes()[:2] == b"PK"
    # The first page carries no seal stamp (it is on the last), so it must be identical.
    assert pdfinfo.page_texts(out_xml.read_bytes())[0] == pdfinfo.page_texts(out.read_bytes())[0]
    assert main(["pdf", "verifiser", str(out)]) == 0


@pytest.mark.integration
def test_lag_without_godkjent_av_gives_an_unsealed_preview(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --godkjent-av: a PDF/A with no signature and no approvals block, said so."""
    require_command("soffice", "pdftotext", "pdfsig")
    src = _write(env, "statusrapport.json", kontrakt("statusrapport"))
    out = env / "ut.pdf"
    assert main(["lag", "statusrapport", str(src), "-o", str(out)]) == 0
    assert "uforseglet forhåndsvisning" in capsys.readouterr().out
    pdf = out.read_bytes()
    assert pdfinfo.pdfsig_report(pdf) == []
    assert "Godkjent av" not in pdfinfo.text(pdf)
    assert all("UTKAST – ikke godkjent" in side for side in pdfinfo.page_texts(pdf))
    assert main(["pdf", "verifiser", str(out)]) == 1


def test_lag_help_says_godkjent_av_is_needed_for_a_seal(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names --godkjent-av NAVN and the unsealed preview without it."""
    assert main(["lag", "--help"]) == 0
    hjelp = " ".join(capsys.readouterr().out.split())
    assert "--godkjent-av NAVN" in hjelp
    assert "uforseglet forhåndsvisning" in hjelp


def test_lag_refuses_an_emoji_in_godkjent_av(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name the seal's font cannot draw is refused before anything is made."""
    src = _write(env, "statusrapport.json", kontrakt("statusrapport"))
    out = env / "ut.pdf"
    assert main(["lag", "statusrapport", str(src), "-o", str(out), "--godkjent-av", "Ola 😀"]) == 2
    assert "tegnet «😀» kan ikke skrives ut i dokumentet: fjern det" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["deltaker"].update(fodselsnummer="15858545607"), "deltaker.fodselsnummer"),
        (lambda d: d["tiltak"]["arrangor"].update(orgnr="998877661"), "tiltak.arrangor.orgnr"),
        (lambda d: d["rapporteringsperiode"].update(til="2026-01-01"), "rapporteringsperiode"),
        (lambda d: d["arbeidsgivere"][0].update(stillingsprosent=101), "arbeidsgivere.0"),
        (lambda d: d.pop("deltaker"), "deltaker"),
        (lambda d: d.update(ukjent_felt="x"), "ukjent_felt"),
    ],
)
def test_invalid_input_exit_2_with_path_and_no_file(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str], change: Any, path: str
) -> None:
    """Each validation rule: exit 2, the field path on stderr, no output file at all."""
    data = kontrakt("statusrapport")
    change(data)
    src = _write(env, "inn.json", data)
    out = env / "ut.pdf"
    assert main(["lag", "statusrapport", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert path in err
    assert "Traceback" not in err
    assert "15858545607" not in err
    assert not out.exists()
    assert list(env.glob("ut*")) == []


def test_synthetic_identity_refused_in_production(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In production a Tenor test number is invalid input."""
    monkeypatch.setenv("DOKGEN_MILJO", "produksjon")
    src = _write(env, "inn.json", kontrakt("statusrapport"))
    assert main(["lag", "statusrapport", str(src), "-o", str(env / "ut.pdf")]) == 2
    assert "deltaker.fodselsnummer" in capsys.readouterr().err


def test_malformed_json_and_unsafe_xml_exit_2(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unreadable input is bad input, not an internal error."""
    bad = env / "inn.json"
    bad.write_text("{ikke json", encoding="utf-8")
    assert main(["lag", "statusrapport", str(bad), "-o", str(env / "ut.pdf")]) == 2
    evil = env / "inn.xml"
    evil.write_bytes(b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><statusrapport/>')
    assert main(["lag", "statusrapport", str(evil), "-o", str(env / "ut.pdf")]) == 2
    assert "DTD" in capsys.readouterr().err
    assert not (env / "ut.pdf").exists()


def test_unknown_type_is_a_usage_error(env: Path, kontrakt: Any) -> None:
    """An unknown TYPE exits 2."""
    src = _write(env, "inn.json", kontrakt("statusrapport"))
    assert main(["lag", "kvartalsrapport", str(src), "-o", str(env / "ut.pdf")]) == 2


def test_skjema_prints_json_schema_and_xsd(capsys: pytest.CaptureFixture[str]) -> None:
    """`dokgen skjema` prints the type's JSON Schema, or its XSD with --xsd."""
    assert main(["skjema", "sluttrapport"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "oppstartdato" in schema["properties"]
    assert main(["skjema", "sluttrapport", "--xsd"]) == 0
    xsd = capsys.readouterr().out
    assert "<xs:schema" in xsd
    assert 'name="sluttrapport"' in xsd


def test_maler_sjekk_passes_on_shipped_templates(capsys: pytest.CaptureFixture[str]) -> None:
    """The shipped templates fit their models."""
    assert main(["maler", "sjekk"]) == 0
    out = capsys.readouterr().out
    for type_navn in ("statusrapport", "sluttrapport", "endringsavtale"):
        assert f"{type_navn}: OK" in out


def test_maler_sjekk_fails_on_a_bad_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template using a field the model lacks fails the check with its name."""
    document = docx.Document()
    document.add_paragraph("{{ deltaker.skonummer }}")
    document.save(str(tmp_path / "statusrapport.docx"))
    assert main(["maler", "sjekk", "--maler-dir", str(tmp_path)]) == 1
    assert "skonummer" in capsys.readouterr().out


@pytest.mark.integration
def test_pdf_verifiser_refuses_changed_and_appended_files(
    env: Path, kontrakt: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dokgen pdf verifiser` exits 1 for a flipped byte and for an edit appended after sealing."""
    from tests.dokgen.test_seal import appended_annotation

    require_command("soffice")
    src = _write(env, "endring.json", kontrakt("endringsavtale"))
    sealed = env / "endring.pdf"
    assert main(["lag", "endringsavtale", str(src), "-o", str(sealed), "--godkjent-av", "Åse"]) == 0
    assert main(["pdf", "verifiser", str(sealed)]) == 0
    assert "gyldig" in capsys.readouterr().out
    flipped = bytearray(sealed.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (env / "flippet.pdf").write_bytes(bytes(flipped))
    assert main(["pdf", "verifiser", str(env / "flippet.pdf")]) == 1
    (env / "tillegg.pdf").write_bytes(appended_annotation(sealed.read_bytes()))
    assert main(["pdf", "verifiser", str(env / "tillegg.pdf")]) == 1
    out = capsys.readouterr()
    assert out.out.count("UGYLDIG") == 2
    assert "Traceback" not in out.err


@pytest.mark.integration
def test_demo_writes_every_document_and_the_invoice(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's run command (`dokgen demo`) makes sealed PDFs, DOCX files and an invoice."""
    require_command("soffice", "pdfsig")
    ut = env / "demo"
    assert main(["demo", "--ut", str(ut)]) == 0
    for type_navn in DOKUMENTTYPER:
        pdf = (ut / f"{type_navn}.pdf").read_bytes()
        assert pdfinfo.pdfsig_report(pdf)[0]["valid"] is True
        assert (ut / f"{type_navn}.docx").read_bytes()[:2] == b"PK"
    assert (
        b'<cbc:PayableAmount currencyID="NOK">6325.00</cbc:PayableAmount>'
        in (ut / "faktura.xml").read_bytes()
    )
    out = capsys.readouterr().out
    assert "0 feil og 0 advarsler" in out
    assert str(ut.resolve()) in out
