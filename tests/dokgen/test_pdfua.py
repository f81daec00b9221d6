"""Accessible PDFs: PDF/A-2b with PDF/UA-1, read back from the structure tree and the XMP.

What a screen reader and a PDF/UA checker look at: the document is marked as tagged, its
structure tree holds headings and table header cells, it names its language and shows its
title, and the XMP claims PDF/A-2b and PDF/UA-1 with the extension schema PDF/A requires for
``pdfuaid``. The seal is an incremental update, so a sealed document keeps all of it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement

from dokgen.documents.context import dokumenttittel
from dokgen.documents.models import parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.pdf.pdfua import PDFUAID, declare_pdfua
from dokgen.documents.pdf.seal import Godkjenningslinje, Sealer, verify
from dokgen.documents.render import render_docx
from tests import pdfinfo
from tests.conftest import FIXTURES, require_command

FODSELSNUMMER = "15858545606"  # the contract example's synthetic deltaker
TITTEL = "Statusrapport 02.06.2026–01.09.2026"


@pytest.fixture(scope="module")
def sealer(tmp_path_factory: pytest.TempPathFactory) -> Sealer:
    """One sealer with a development certificate for the module (RSA-3072 takes a moment)."""
    return Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path_factory.mktemp("cert"))


@pytest.fixture
def statusrapport(kontrakt: Callable[[str], Any], converter: Converter) -> bytes:
    """The contract's statusrapport filled in NAV's template and converted (not sealed)."""
    require_command("pdffonts")
    data = parse_dokument(kontrakt("statusrapport"), tillat_syntetiske=True)
    return converter.convert(render_docx("statusrapport", data.model_dump(mode="json")))


def heading_docx() -> bytes:
    """Return a DOCX with real Heading 1/2 styles and a table whose first row repeats."""
    document = docx.Document()
    document.core_properties.title = "Prøvedokument for overskrifter"
    document.add_heading("Statusrapport", level=1)
    document.add_paragraph("Innledning til rapporten.")
    document.add_heading("Fravær", level=2)
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(table._cells, ("Dager", "Årsak", "2", "Sykdom"), strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assert_accessible(pdf: bytes, *, title: str) -> None:
    """Assert every PDF/UA property this module promises, as read from the file."""
    flags = pdfinfo.catalog_flags(pdf)
    assert flags["marked"] is True
    assert flags["display_doc_title"] is True
    types = pdfinfo.structure_types(pdf)
    assert types["Document"] == 1
    assert types["P"] > 0
    assert pdfinfo.lang(pdf) == "nb-NO"
    assert pdfinfo.titles(pdf) == (title, title)
    assert pdfinfo.pdfa_claim(pdf) == ("2", "B")
    assert pdfinfo.pdfua_claim(pdf) == "1"
    assert pdfinfo.xmp_extension_schemas(pdf) == {"pdfuaid": PDFUAID.decode()}
    assert pdfinfo.unembedded_fonts(pdf) == []


@pytest.mark.integration
def test_a_report_is_tagged_pdfa_2b_with_pdfua_1(statusrapport: bytes) -> None:
    """NAV's statusrapport: tagged with its lists' header cells, nb-NO, titled without a person."""
    assert_accessible(statusrapport, title=TITTEL)
    types = pdfinfo.structure_types(statusrapport)
    # Each list (veiledere, arbeidsgivere, timer, fravær) repeats a title row and a header row.
    assert types["Table"] >= 4
    assert types["TH"] >= 8
    assert types["TD"] > types["TH"]
    info_title, xmp_title = pdfinfo.titles(statusrapport)
    for title in (info_title or "", xmp_title or ""):
        assert FODSELSNUMMER not in title
        assert "Kari" not in title


@pytest.mark.integration
def test_real_headings_become_h1_h2_and_the_outline(converter: Converter) -> None:
    """Heading 1 and 2 styles are tagged H1 and H2 and bookmarked; a repeated row is TH."""
    require_command("pdffonts")
    pdf = converter.convert(heading_docx())
    assert_accessible(pdf, title="Prøvedokument for overskrifter")
    types = pdfinfo.structure_types(pdf)
    assert (types["H1"], types["H2"], types["TH"], types["TD"]) == (1, 1, 2, 2)
    assert pdfinfo.catalog_flags(pdf)["outline"] is True


@pytest.mark.integration
def test_the_templates_titles_are_headings(statusrapport: bytes) -> None:
    """The title of NAV's template is tagged as a heading a screen reader can jump to."""
    types = pdfinfo.structure_types(statusrapport)
    assert types["H1"] + types["H"] >= 1


@pytest.mark.integration
def test_a_sealed_report_keeps_its_tags_language_title_and_claims(
    statusrapport: bytes, sealer: Sealer
) -> None:
    """The seal's incremental update keeps the structure tree and every claim of the XMP."""
    linje = Godkjenningslinje(
        navn="Kari Nordmann",
        rolle="Tiltaksarrangør",
        metode="innlogget bruker",
        tidspunkt=datetime(2026, 12, 7, 13, 5, tzinfo=UTC),
    )
    sealed = sealer.seal(statusrapport, godkjenninger=[linje], dokument_id="SR-2026-0042")
    assert sealed.startswith(statusrapport)  # an incremental update: nothing rewritten
    assert verify(sealed).gyldig
    assert_accessible(sealed, title=TITTEL)
    before, after = pdfinfo.structure_types(statusrapport), pdfinfo.structure_types(sealed)
    assert after == before


@pytest.mark.integration
def test_declaring_pdfua_is_done_once_and_only_for_a_pdfua_claim(converter: Converter) -> None:
    """The declaration is added to a PDF/UA claim once; other files are returned unchanged."""
    plain = (FIXTURES / "pdf" / "pdfa2b.pdf").read_bytes()  # PDF/A-2b, no PDF/UA claim
    assert declare_pdfua(plain) == plain
    declared = converter.convert(heading_docx())
    assert declare_pdfua(declared) == declared


def test_the_title_names_type_and_period_never_a_person(kontrakt: Callable[[str], Any]) -> None:
    """The DOCX title (the PDF's) replaces the template's, which named the deltaker."""
    data = parse_dokument(kontrakt("statusrapport"), tillat_syntetiske=True)
    dumped = data.model_dump(mode="json")
    assert dokumenttittel("statusrapport", dumped) == TITTEL
    document = docx.Document(io.BytesIO(render_docx("statusrapport", dumped)))
    assert document.core_properties.title == TITTEL
    slutt = parse_dokument(kontrakt("sluttrapport"), tillat_syntetiske=True)
    assert dokumenttittel("sluttrapport", slutt.model_dump(mode="json")).startswith("Sluttrapport ")
