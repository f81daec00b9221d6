"""The layout at its edges, read from the PDF page by page (item 5 of the issue on documents).

The edge variant (``varianter.KANT``) has 3,000-character free texts with line breaks, 15 rows
in every list and long names; the variant without optional fields shows how missing parts of
a combined field print. Runs the real LibreOffice and poppler's pdftotext.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.render import render_docx
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.varianter import KANT, KANT_RADER, lag_variant

pytestmark = pytest.mark.integration

TYPER = sorted(DOKUMENTTYPER)
FOOTER = re.compile(r"^Side \d+ av \d+$")
# What a combined field printed when parts were missing ("Tlf. — · —", "— —", "20/20129 / —").
STREKER = re.compile(r"Tlf\. —|— ·|· —|— —|/ —|— /|— timer|— %")


@pytest.fixture(scope="module")
def laget(converter: Converter) -> dict[tuple[str, str], tuple[dict[str, Any], bytes, bytes]]:
    """Make each (type, variant) once: its data, filled DOCX and PDF."""
    require_command("pdftotext")
    made = {}
    for type_navn in TYPER:
        for variant in (KANT, "tomme_valgfrie"):
            data = lag_variant(type_navn, variant)
            dok = parse_dokument(copy.deepcopy(data), tillat_syntetiske=True)
            filled = render_docx(type_navn, dok.model_dump(mode="json"))
            made[type_navn, variant] = (data, filled, converter.convert(filled))
    return made


def _lines(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in page.splitlines() if line.strip()]


def _labels(filled: bytes) -> list[str]:
    """Return the document's labels: the text of each paragraph's bold runs."""
    document = docx.Document(io.BytesIO(filled))
    labels = []
    for p in document.element.body.iter(qn("w:p")):
        bold = [
            "".join(t.text or "" for t in r.iter(qn("w:t")))
            for r in p.iter(qn("w:r"))
            if (b := r.find(f"{qn('w:rPr')}/{qn('w:b')}")) is not None
            and b.get(qn("w:val")) not in ("0", "false")
        ]
        if text := re.sub(r"\s+", " ", " ".join(bold)).strip():
            labels.append(text)
    return labels


@pytest.mark.parametrize("type_navn", TYPER)
def test_no_page_ends_with_a_label_without_its_value(laget: dict, type_navn: str) -> None:
    """The last line of every page but the last is never a label (or a label's last line):
    a label's value always starts on the label's page."""
    _, filled, pdf = laget[type_navn, KANT]
    labels = _labels(filled)
    pages = pdfinfo.page_texts(pdf, layout=False)
    assert len(pages) >= 2, "the edge variant must span pages"
    for number, page in enumerate(pages[:-1], start=1):
        last = [line for line in _lines(page) if not FOOTER.match(line)][-1]
        alone = [label for label in labels if len(last) > 3 and label.endswith(last)]
        assert not alone, (number, last)


@pytest.mark.parametrize("variant", [KANT, "tomme_valgfrie"])
@pytest.mark.parametrize("type_navn", TYPER)
def test_combined_fields_leave_out_what_is_missing(
    laget: dict, type_navn: str, variant: str
) -> None:
    """No combined field prints a dash per missing part ("Tlf. — · —", "— —", "x / —")."""
    _, _, pdf = laget[type_navn, variant]
    for number, page in enumerate(pdfinfo.page_texts(pdf, layout=False), start=1):
        # One line of the reading order is one cell's line (neighbouring cells' lone "—"s
        # are separate lines).
        for line in _lines(page.replace("\u00a0", " ")):
            assert not STREKER.search(line), (number, line)


def _values(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        return [v for k, sub in data.items() for v in ([sub] if k == key else _values(sub, key))]
    if isinstance(data, list):
        return [v for sub in data for v in _values(sub, key)]
    return []


@pytest.mark.parametrize("type_navn", TYPER)
def test_phone_numbers_are_grouped_and_percentages_have_their_sign(
    laget: dict, type_navn: str
) -> None:
    """An 8-digit phone number prints as "40 00 00 17"; a percentage as "50 %"."""
    data, _, pdf = laget[type_navn, KANT]
    flat = " ".join(_lines(pdfinfo.text(pdf, layout=False).replace("\u00a0", " ")))
    for phone in _values(data, "telefon"):
        digits = phone.replace(" ", "")
        assert " ".join(digits[i : i + 2] for i in range(0, 8, 2)) in flat
        assert digits not in flat
    for percent in _values(data, "stillingsprosent"):
        assert f"{percent} %" in flat


def test_every_list_has_fifteen_rows_over_the_pages(laget: dict) -> None:
    """Each of the statusrapport's 15 arbeidsgivere and 15 fravær rows is printed."""
    data, _, pdf = laget["statusrapport", KANT]
    assert len(data["arbeidsgivere"]) == len(data["fravaer"]) == KANT_RADER
    text = pdfinfo.text(pdf, layout=False)
    assert text.count("Begrunnelse for valg av arbeidsplass") == KANT_RADER
    assert sum(text.count(arsak) for arsak in {f["arsak"] for f in data["fravaer"]}) == KANT_RADER


@pytest.mark.parametrize("type_navn", TYPER)
def test_page_numbers_are_as_large_as_the_words_around_them(laget: dict, type_navn: str) -> None:
    """In "Side X av Y" the numbers are drawn in the footer's own size."""
    _, _, pdf = laget[type_navn, KANT]
    for number, words in enumerate(pdfinfo.word_heights(pdf), start=1):
        at = max(i for i, (w, _, _) in enumerate(words) if w == "Side")
        footer = words[at : at + 4]
        assert [w for w, _, _ in footer][::2] == ["Side", "av"], footer
        assert footer[1][0] == str(number)
        heights = {round(h, 1) for _, _, h in footer}
        assert len(heights) == 1, (number, footer)
