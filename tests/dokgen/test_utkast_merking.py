"""The draft band: every header a page can use says UTKAST, the template's own header stays."""

from __future__ import annotations

import io

import docx

from dokgen.documents.render import mal_path, render_docx
from dokgen.documents.utkast import UTKAST, merk_utkast
from tests.dokgen.varianter import lag_variant


def _headers(document: docx.document.Document) -> list[list[str]]:
    found = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if not header.is_linked_to_previous:
                found.append([p.text for p in header.paragraphs])
    return found


def test_the_band_leads_the_header_and_keeps_the_templates_text() -> None:
    """A filled statusrapport gets the band above its own running header, once."""
    filled = render_docx("statusrapport", lag_variant("statusrapport", "kontrakt"))
    [header] = _headers(docx.Document(io.BytesIO(merk_utkast(filled))))
    assert header[0] == UTKAST
    assert header[1:] == [p for p in _headers(docx.Document(io.BytesIO(filled)))[0]]
    assert "Statusrapport – Kari Nordmann" in header[1]


def test_first_page_and_even_page_headers_are_marked_too() -> None:
    """A template with its own first-page and even-page headers is marked on each of them."""
    document = docx.Document(str(mal_path("plan")))
    section = document.sections[0]
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    section.first_page_header.paragraphs[0].text = "Forside"
    section.even_page_header.paragraphs[0].text = "Partallsside"
    new_section = document.add_section()
    new_section.header.is_linked_to_previous = False
    out = io.BytesIO()
    document.save(out)
    headers = _headers(docx.Document(io.BytesIO(merk_utkast(out.getvalue()))))
    assert len(headers) == 4
    assert all(h[0] == UTKAST and h.count(UTKAST) == 1 for h in headers), headers
