"""The sealed revision's approvals block: read back from the PDF, whole names in any Latin
script, 8 pt however many approvals, never a missing glyph, still one valid seal."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from dokgen.documents.pdf import seal as seal_module
from dokgen.documents.pdf.seal import (
    KONTROLL_TEKST,
    MIN_FONT_SIZE,
    UTVIKLING_TEKST,
    Godkjenningslinje,
    Sealer,
    verify,
)
from dokgen.errors import SigningFailedError
from tests import pdfinfo
from tests.conftest import FIXTURES, require_command
from tests.dokgen.test_seal import make_pkcs12

PDFA = FIXTURES / "pdf" / "pdfa2b.pdf"
VINTER = datetime(2026, 12, 7, 13, 5, tzinfo=UTC)  # 14:05 in Oslo (UTC+01:00)
SOMMER = datetime(2026, 6, 7, 13, 5, tzinfo=UTC)  # 15:05 in Oslo (UTC+02:00)

SAMISK = Godkjenningslinje("Máret Ŋuolja Đuđđá", "Deltaker", "e-postlenke med engangskode", VINTER)
POLSK = Godkjenningslinje("Łukasz Wąsowski", "Arbeidsgiver", "ID-porten", SOMMER)
ARRANGOR = Godkjenningslinje("Åse Ødegård", "Tiltaksarrangør", "innlogget bruker", VINTER)
PAA_VEGNE = Godkjenningslinje(
    "Łukasz Wąsowski",
    "Arbeidsgiver",
    "registrert på vegne av",
    SOMMER,
    registrert_av="Åse Ødegård",
    begrunnelse="arbeidsgiveren har ikke e-post og godkjente muntlig på møtet",
)


@pytest.fixture(scope="module")
def sealer(tmp_path_factory: pytest.TempPathFactory) -> Sealer:
    """A development sealer (its block says so)."""
    return Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path_factory.mktemp("cert"))


def _flat(pdf: bytes) -> str:
    """The PDF's text in reading order with every run of white space made one space."""
    return re.sub(r"\s+", " ", pdfinfo.text(pdf, layout=False))


def _check_sealed(pdf: bytes) -> None:
    """One valid seal over the whole file, PDF/A kept, fonts embedded, 8 pt, no .notdef."""
    assert verify(pdf).gyldig is True
    assert pdf.startswith(PDFA.read_bytes())  # an incremental update: nothing rewritten
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.unembedded_fonts(pdf) == []
    assert pdfinfo.notdef_runs(pdf) == []
    block = [r for r in pdfinfo.text_runs(pdf) if "LiberationSans" in r.font]
    assert block
    assert {r.size for r in block} == {8.0, 10.0}  # the text and its heading
    assert min(r.size for r in block) >= MIN_FONT_SIZE
    (signature,) = pdfinfo.pdfsig_report(pdf)
    assert signature["valid"] is True
    assert signature["total_document_signed"] is True


@pytest.mark.integration
@pytest.mark.parametrize(
    ("godkjenninger", "forventet"),
    [
        (
            [SAMISK],
            ["1. Máret Ŋuolja Đuđđá (Deltaker) – 07.12.2026 kl. 14:05 (norsk tid, UTC+01:00) – "
             "e-postlenke med engangskode"],
        ),
        (
            [SAMISK, POLSK, ARRANGOR],
            ["1. Máret Ŋuolja Đuđđá (Deltaker)",
             "2. Łukasz Wąsowski (Arbeidsgiver) – 07.06.2026 kl. 15:05 (norsk tid, UTC+02:00) – "
             "ID-porten",
             "3. Åse Ødegård (Tiltaksarrangør) – 07.12.2026 kl. 14:05 (norsk tid, UTC+01:00) – "
             "innlogget bruker"],
        ),
        (
            [SAMISK, PAA_VEGNE, ARRANGOR],
            ["1. Máret Ŋuolja Đuđđá (Deltaker)",
             "2. Łukasz Wąsowski (Arbeidsgiver) – 07.06.2026 kl. 15:05 (norsk tid, UTC+02:00) – "
             "registrert av Åse Ødegård på vegne av Łukasz Wąsowski – begrunnelse: "
             "arbeidsgiveren har ikke e-post og godkjente muntlig på møtet",
             "3. Åse Ødegård (Tiltaksarrangør)"],
        ),
    ],
    ids=["en", "tre", "tre-med-paa-vegne-av"],
)  # fmt: skip
def test_block_reads_back_whole_from_the_sealed_pdf(
    sealer: Sealer, godkjenninger: list[Godkjenningslinje], forventet: list[str]
) -> None:
    """Every approval's name, role, method and Oslo time is in the PDF's text, letter for
    letter; the document id and how to verify replace the old truncated hash."""
    require_command("pdftotext", "pdffonts", "pdfsig")
    pdf = sealer.seal(PDFA.read_bytes(), godkjenninger=godkjenninger, dokument_id="17 v2")
    text = _flat(pdf)
    for entry in forventet:
        assert entry in text
    assert "Dokument-ID: 17 v2" in text
    assert KONTROLL_TEKST in text
    assert UTVIKLING_TEKST in text
    assert "SHA-256" not in text
    assert "\ufffd" not in text
    _check_sealed(pdf)
    assert int(pdfinfo.page_count(pdf)) == 1  # the fixture's page has room below its text


@pytest.mark.integration
def test_a_long_block_adds_pages_and_keeps_its_size(sealer: Sealer) -> None:
    """Ninety approvals do not fit below the text: pages are added in the sealed revision,
    the text stays 8 pt, and the last approval is still there."""
    require_command("pdftotext", "pdffonts", "pdfsig")
    many = [SAMISK, PAA_VEGNE, ARRANGOR] * 30
    pdf = sealer.seal(PDFA.read_bytes(), godkjenninger=many, dokument_id="18 v1")
    assert pdfinfo.page_count(pdf) >= 3
    text = _flat(pdf)
    assert "90. Åse Ødegård (Tiltaksarrangør)" in text
    assert "89. Łukasz Wąsowski (Arbeidsgiver)" in text
    assert KONTROLL_TEKST in text
    _check_sealed(pdf)


@pytest.mark.integration
def test_production_certificate_block_does_not_say_development(tmp_path: Path) -> None:
    """A real certificate's block has no development warning."""
    require_command("pdftotext")
    path = tmp_path / "virksomhet.p12"
    make_pkcs12(path, b"riktig-passord", "Testvirksomhet AS")
    sealer = Sealer(pkcs12=path, passord="riktig-passord", produksjon=True)
    pdf = sealer.seal(PDFA.read_bytes(), godkjenninger=[ARRANGOR], dokument_id="19 v1")
    text = _flat(pdf)
    assert "Åse Ødegård (Tiltaksarrangør)" in text
    assert "Utviklingssertifikat" not in text
    assert "UTVIKLINGSSERTIFIKAT" not in text


@pytest.mark.integration
def test_a_character_the_font_lacks_is_drawn_as_a_question_mark(
    sealer: Sealer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past input validation (an old row), an emoji becomes "?"; drawn as is, it would be
    the font's glyph 0, which the .notdef check finds."""
    require_command("pdftotext")
    ola = [Godkjenningslinje("Ola 😀 Nordmann", "Deltaker", "innlogget bruker", VINTER)]
    pdf = sealer.seal(PDFA.read_bytes(), godkjenninger=ola, dokument_id="20 v1")
    assert "Ola ? Nordmann" in _flat(pdf)
    assert pdfinfo.notdef_runs(pdf) == []
    monkeypatch.setattr(seal_module, "_drawable", lambda text, cmap: text)
    raw = sealer.seal(PDFA.read_bytes(), godkjenninger=ola, dokument_id="20 v1")
    assert [r.font for r in pdfinfo.notdef_runs(raw)]  # the check is not blind


def test_sealing_without_approvals_is_refused(sealer: Sealer) -> None:
    """A seal always names at least one approval."""
    with pytest.raises(SigningFailedError, match="minst én godkjenning"):
        sealer.seal(PDFA.read_bytes(), godkjenninger=[], dokument_id="1")


def test_a_missing_font_setting_is_a_clear_error(tmp_path: Path) -> None:
    """DOKGEN_SEGL_SKRIFT pointing nowhere fails when the sealer is made, in bokmål."""
    with pytest.raises(SigningFailedError, match="fant ikke skrifttypen"):
        Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path, skrift=tmp_path / "x.ttf")


def _page(content: bytes) -> generic.DictionaryObject:
    return generic.DictionaryObject(
        {generic.pdf_name("/Contents"): generic.StreamObject(stream_data=content)}
    )


def test_painted_boxes_count_ink_not_clips_or_white() -> None:
    """A page-sized clip and a white fill paint nothing; a line, a grey fill and text do,
    each where the graphics state puts it."""
    content = (
        b"q 0 0 595 842 re W* n 1 1 1 rg 0 0 595 842 re f Q\n"
        b"0.5 w 56 700 m 538 700 l S\n"
        b"0.9 g 56 600 100 20 re f\n"
        b"q 1 0 0 1 0 -100 cm BT /F1 10 Tf 60 500 Td (x) Tj 0 -12 Td (y) Tj ET Q\n"
    )
    boxes = seal_module.painted_boxes(_page(content))
    assert boxes[0] == (56, 700, 538, 700)
    assert boxes[1] == (56, 600, 156, 620)
    assert boxes[2] == pytest.approx((60, 397.5, 60, 410))  # 500 - 100, from ¼ size below
    assert boxes[3] == pytest.approx((60, 385.5, 60, 398))
    assert len(boxes) == 4


@pytest.mark.integration
def test_an_untagged_pdf_is_sealed_without_a_structure_tree(sealer: Sealer) -> None:
    """A PDF without a structure tree (not LibreOffice's) gets the block and a valid seal;
    nothing is tagged, and no structure tree is made up."""
    require_command("pdftotext", "pdfsig")
    writer = IncrementalPdfFileWriter(io.BytesIO(PDFA.read_bytes()), strict=False)
    del writer.root["/StructTreeRoot"]
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    pdf = sealer.seal(out.getvalue(), godkjenninger=[ARRANGOR], dokument_id="21 v1")
    assert "1. Åse Ødegård (Tiltaksarrangør)" in _flat(pdf)
    assert "Godkjenninger" in _flat(pdf)
    assert verify(pdf).gyldig is True
    (signature,) = pdfinfo.pdfsig_report(pdf)
    assert signature["valid"] is True
    assert pdfinfo.structure_types(pdf) == Counter()
    (widget,) = pdfinfo.annotation_tags(pdf)
    assert widget["tu"] == "Elektronisk segl fra dokgen (utvikling)"
    assert widget["tabs"] == "/S"
