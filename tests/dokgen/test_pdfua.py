"""Accessible PDFs: PDF/A-2b with PDF/UA-1, read back from the structure tree and the XMP.

What a screen reader and a PDF/UA checker look at: the document is marked as tagged, its
structure tree holds headings and table header cells, it names its language and shows its
title, and the XMP claims PDF/A-2b and PDF/UA-1 with the extension schema PDF/A requires for
``pdfuaid``. The seal is an incremental update, so a sealed document keeps all of it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
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
from dokgen.documents.pdf.seal import (
    TILLEGG,
    Godkjenningslinje,
    Sealer,
    block_lines,
    godkjenning_tekst,
    verify,
)
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
    # The approvals block adds its section, heading and entries, and the seal's widget a Form.
    added = after - before
    assert added == Counter({"P": len(block_lines([linje], dokument_id="x", utvikling=True)),
                             "Sect": 1, "H2": 1, "Form": 1})  # fmt: skip
    assert before - after == Counter()


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


SAMISK = Godkjenningslinje(
    "Máret Ŋuolja Đuđđá",
    "Deltaker",
    "e-postlenke med engangskode",
    datetime(2026, 12, 7, 13, 5, tzinfo=UTC),
)
PAA_VEGNE = Godkjenningslinje(
    "Łukasz Wąsowski",
    "Arbeidsgiver",
    "registrert på vegne av",
    datetime(2026, 12, 7, 14, 0, tzinfo=UTC),
    registrert_av="Åse Ødegård",
    begrunnelse="arbeidsgiveren godkjente muntlig på møtet",
)


def _section(tree: str, heading: str) -> list[tuple[str, str]]:
    """Return the approvals section of ``pdfinfo -struct-text``'s tree: (type, text) per
    element under the Sect whose heading reads ``heading``."""
    lines = tree.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() == "Sect"
        and any(f'"{heading}"' == lines[j].strip() for j in range(i + 1, min(i + 4, len(lines))))
    )
    depth = len(lines[start]) - len(lines[start].lstrip())
    elements: list[tuple[str, str]] = []
    for line in lines[start + 1 :]:
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent <= depth:
            break
        stripped = line.strip()
        if stripped.startswith('"'):
            elements[-1] = (elements[-1][0], elements[-1][1] + stripped.strip('"'))
        elif indent == depth + 2:
            elements.append((stripped.split()[0].rstrip(":"), ""))
    return elements


def _check_widget_and_claims(sealed: bytes) -> None:
    """The seal's widget is tagged /Form with its /TU, every page with annotations has
    /Tabs /S, the seal covers the whole file and the PDF/A, language and title stay."""
    (widget,) = [a for a in pdfinfo.annotation_tags(sealed) if a["subtype"] == "/Widget"]
    assert widget["tu"] == "Elektronisk segl fra dokgen (utvikling)"
    assert (widget["element"], widget["objr"], widget["in_tree"]) == ("Form", True, True)
    assert all(a["tabs"] == "/S" for a in pdfinfo.annotation_tags(sealed))
    (signature,) = pdfinfo.pdfsig_report(sealed)
    assert signature["valid"] is True
    assert signature["total_document_signed"] is True  # the tags are in the signed revision
    assert verify(sealed).gyldig
    assert_accessible(sealed, title=TITTEL)


@pytest.mark.integration
def test_the_approvals_block_is_tagged_for_a_screen_reader(
    statusrapport: bytes, sealer: Sealer
) -> None:
    """The block is real content: a section with the heading "Godkjenninger" (H2, below the
    template's H1) and one paragraph per entry, each approval's text read back from the tags;
    the signature widget is a tagged form field with a description."""
    require_command("pdfinfo", "pdfsig")
    godkjenninger = [SAMISK, PAA_VEGNE]
    sealed = sealer.seal(statusrapport, godkjenninger=godkjenninger, dokument_id="SR-7 v1")
    assert sealed.startswith(statusrapport)
    assert "Godkjenninger" not in pdfinfo.struct_text(statusrapport)
    section = _section(pdfinfo.struct_text(sealed), "Godkjenninger")
    assert section[0] == ("H2", "Godkjenninger")
    paragraphs = [text for kind, text in section[1:] if kind == "P"]
    assert len(paragraphs) == len(section) - 1  # nothing else in the section
    assert godkjenning_tekst(1, SAMISK) in paragraphs
    assert godkjenning_tekst(2, PAA_VEGNE) in paragraphs
    assert "Dokument-ID: SR-7 v1" in paragraphs
    assert pdfinfo.page_count(sealed) == pdfinfo.page_count(statusrapport)  # it fitted
    _check_widget_and_claims(sealed)


@pytest.mark.integration
def test_added_approvals_pages_name_the_document_and_are_tagged(
    statusrapport: bytes, sealer: Sealer
) -> None:
    """A block too long for the last page goes on added pages: the first names the document
    and "Tillegg: godkjenninger" in its (tagged) heading, each says which page of the
    addition it is, and an entry split between two pages is one paragraph."""
    require_command("pdfinfo", "pdfsig", "pdftotext")
    many = [SAMISK, PAA_VEGNE] * 40
    sealed = sealer.seal(statusrapport, godkjenninger=many, dokument_id="SR-8 v1")
    own = pdfinfo.page_count(statusrapport)
    added = pdfinfo.page_count(sealed) - own
    assert added >= 2
    pages = pdfinfo.page_texts(sealed, layout=False)[own:]
    for number, text in enumerate(pages, start=1):
        assert f"{TILLEGG}, side {number} av {added}" in text
        assert TITTEL in text.splitlines()[0]
    heading = f"{TITTEL} – {TILLEGG}"
    section = _section(pdfinfo.struct_text(sealed), heading)
    assert section[0] == ("H2", heading)
    paragraphs = [re.sub(r"\s+", " ", text) for kind, text in section[1:]]
    assert godkjenning_tekst(80, PAA_VEGNE) in paragraphs
    assert sum(p.startswith(("1. ", "2. ", "80. ")) for p in paragraphs) == 3
    assert len(paragraphs) == len(block_lines(many, dokument_id="SR-8 v1", utvikling=True))
    _check_widget_and_claims(sealed)
