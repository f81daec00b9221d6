"""PDF inspection: PDF/A claim, /Lang, fonts, pdfsig parsing and text extraction."""

from __future__ import annotations

import pytest

from tests import pdfinfo
from tests.conftest import FIXTURES, require_command

PDF = FIXTURES / "pdf"


def _pdf_with_unembedded_helvetica() -> bytes:
    """Return a one-page PDF that uses Helvetica without embedding it, and no XMP or /Lang."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 39 >>\nstream\nBT /F1 12 Tf 10 50 Td (Hei verden) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdfa_claim_and_lang_of_a_libreoffice_pdfa() -> None:
    """A LibreOffice PDF/A-2b export claims part 2, conformance B, and says nb-NO."""
    pdf = (PDF / "pdfa2b.pdf").read_bytes()
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.lang(pdf) == "nb-NO"


def test_plain_pdf_claims_nothing() -> None:
    """A PDF without XMP metadata, /Lang, tags or title gives None, empty or False for each."""
    pdf = _pdf_with_unembedded_helvetica()
    assert pdfinfo.pdfa_claim(pdf) is None
    assert pdfinfo.pdfua_claim(pdf) is None
    assert pdfinfo.lang(pdf) is None
    assert pdfinfo.xmp_extension_schemas(pdf) == {}
    assert pdfinfo.titles(pdf) == (None, None)
    assert pdfinfo.structure_types(pdf) == {}
    assert pdfinfo.catalog_flags(pdf) == {
        "marked": False,
        "display_doc_title": False,
        "outline": False,
    }


def test_the_fixture_is_tagged_but_claims_no_pdfua() -> None:
    """The LibreOffice PDF/A-2b fixture has a structure tree but no PDF/UA claim or schema."""
    pdf = (PDF / "pdfa2b.pdf").read_bytes()
    assert pdfinfo.pdfua_claim(pdf) is None
    assert pdfinfo.xmp_extension_schemas(pdf) == {}
    assert pdfinfo.catalog_flags(pdf)["marked"] is True
    assert pdfinfo.structure_types(pdf)["Document"] == 1


@pytest.mark.integration
def test_unembedded_fonts_names_helvetica_and_nothing_for_pdfa() -> None:
    """pdffonts' emb column is read: Helvetica is reported, the PDF/A's fonts are not."""
    require_command("pdffonts")
    assert pdfinfo.unembedded_fonts(_pdf_with_unembedded_helvetica()) == ["Helvetica"]
    assert pdfinfo.unembedded_fonts((PDF / "pdfa2b.pdf").read_bytes()) == []


@pytest.mark.integration
def test_text_and_page_texts() -> None:
    """pdftotext finds Norwegian letters and XML-special characters, one entry per page."""
    require_command("pdftotext")
    pdf = (PDF / "pdfa2b.pdf").read_bytes()
    assert 'Blåbærsyltetøy ÆØÅ & <tag> "sitat"' in pdfinfo.text(pdf)
    pages = pdfinfo.page_texts(pdf)
    assert len(pages) == 1
    assert "Blåbærsyltetøy" in pages[0]
    assert pdfinfo.page_texts(_pdf_with_unembedded_helvetica())[0].strip() == "Hei verden"


def test_parse_pdfsig_reads_every_signature() -> None:
    """Each "Signature #n" block becomes a dict; only "Signature is Valid." counts as valid."""
    output = (PDF / "pdfsig-to-signaturer.txt").read_text("utf-8")
    first, second = pdfinfo.parse_pdfsig(output)
    assert first["number"] == 1
    assert first["valid"] is True
    assert first["signer"] == "dokgen UTVIKLINGSSERTIFIKAT – ikke for produksjon"
    assert first["total_document_signed"] is False
    assert first["fields"]["Signature Field Name"] == "Forsegling"
    assert second["valid"] is False
    assert second["validation"] == "Digest Mismatch."
    assert second["signer"] == "Testvirksomhet AS"
    assert second["total_document_signed"] is True


@pytest.mark.integration
def test_pdfsig_report_of_an_unsigned_pdf_is_empty() -> None:
    """pdfsig on a PDF without signatures gives an empty list."""
    require_command("pdfsig")
    assert pdfinfo.pdfsig_report((PDF / "pdfa2b.pdf").read_bytes()) == []
