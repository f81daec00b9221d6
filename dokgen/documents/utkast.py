"""Mark a filled DOCX as a draft: a header band "UTKAST – ikke godkjent" on every page.

The band is written into the filled document, after the template is filled and before it is
converted, so it is there whatever template an organisation uploaded (a template need not
know about drafts), and it is LibreOffice that draws it: the PDF stays PDF/A with embedded
fonts, and the band is part of the page's running header. A sealed document is converted
from the unmarked DOCX (``dokgen.services.dokumenter.forsegl``), so it never carries it.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

UTKAST = "UTKAST – ikke godkjent"
_FARGE = RGBColor(0x9B, 0x1C, 0x1C)
_BAKGRUNN = "FBE3E3"


def _band(header: object) -> None:
    """Insert the band as the header's first paragraph."""
    paragraphs = header.paragraphs  # type: ignore[attr-defined]
    p = paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(4)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), _BAKGRUNN)
    p._p.get_or_add_pPr().append(shading)
    run = p.add_run(UTKAST)
    run.font.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = _FARGE


def merk_utkast(docx: bytes) -> bytes:
    """Return the filled DOCX with the draft band at the top of every page's header.

    Every header a page can use gets the band once: each section's default header, and its
    first-page and even-page headers where the section uses them.

    Args:
        docx: A filled document.

    Returns:
        The same document with the band.
    """
    doc = Document(io.BytesIO(docx))
    even = doc.settings.odd_and_even_pages_header_footer
    seen: set[str] = set()
    for section in doc.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if even:
            headers.append(section.even_page_header)
        for header in headers:
            if header.is_linked_to_previous and section is not doc.sections[0]:
                continue
            part = str(header.part.partname)  # one definition may serve several sections
            if part not in seen:
                seen.add(part)
                _band(header)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
