"""Every document type end to end: fill → LibreOffice PDF/A-2b → PAdES seal, checked in the PDF.

Runs the real engines: docxtpl, LibreOffice over UNO, pyHanko, and poppler's pdftotext,
pdffonts and pdfsig. Each variant is made once per module and then inspected by several tests.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

import docx
import pytest

from dokgen.documents.models import DOKUMENTTYPER, Dokumentmodell, parse_dokument
from dokgen.documents.pdf.convert import Converter
from dokgen.documents.pdf.seal import KONTROLL_TEKST, MIN_FONT_SIZE, TILLEGG, Sealer, verify
from dokgen.documents.pipeline import Produsert, lag_dokument
from tests import pdfinfo
from tests.conftest import require_command
from tests.dokgen.varianter import (
    LABELS,
    VARIANTER,
    deltaker_navn,
    expected_values,
    lag_variant,
)

pytestmark = pytest.mark.integration

# An arbeidsgiver's name cell: "Arbeidsgiver nummer N" / "AS" or "Arbeidsgiver nummer" / "N AS".
NAVN = r"^Arbeidsgiver nummer (\d+)\b|^(\d+) AS$"

CASES = [(t, v) for t in sorted(DOKUMENTTYPER) for v in VARIANTER if v != "ti_arbeidsgivere"]
CASES.append(("statusrapport", "ti_arbeidsgivere"))


@pytest.fixture(autouse=True)
def poppler() -> None:
    """Require poppler's tools, which read the PDFs the session's ``converter`` makes."""
    require_command("pdftotext", "pdffonts", "pdfsig")


@pytest.fixture(scope="module")
def sealer(tmp_path_factory: pytest.TempPathFactory) -> Sealer:
    return Sealer(pkcs12=None, passord=None, dev_cert_dir=tmp_path_factory.mktemp("cert"))


@pytest.fixture(scope="module")
def made(converter: Converter, sealer: Sealer) -> dict[tuple[str, str], tuple[dict, Produsert]]:
    """Make each (type, variant) once; tests below look at the results."""
    return {}


def _make(made: dict, converter: Converter, sealer: Sealer, key: tuple[str, str]) -> Any:
    if key not in made:
        data = lag_variant(*key)
        dok: Dokumentmodell = parse_dokument(copy.deepcopy(data), tillat_syntetiske=True)
        made[key] = (
            data,
            lag_dokument(dok, converter=converter, sealer=sealer, godkjent_av="Åse Ødegård"),
        )
    return made[key]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _appears(value: str, flat: str, words: list[str]) -> bool:
    """Tell whether a value is in the text: whole, or word by word in order with small gaps.

    A table row whose cells wrap is extracted line by line across its cells, so a wrapped
    cell's words can be interleaved with its neighbours' (at most a few words apart).
    """
    value = _norm(value)
    if value in flat:
        return True
    first, *rest = value.split(" ")
    for start in (i for i, word in enumerate(words) if word == first):
        at = start
        for word in rest:
            window = words[at + 1 : at + 13]
            if word not in window:
                break
            at += 1 + window.index(word)
        else:
            return True
    return False


def _missing(data: dict, text: str) -> list[tuple[str, ...]]:
    """Return the values none of whose printed forms occur in ``text``."""
    flat = _norm(text)
    words = flat.split(" ")
    return [
        forms for forms in expected_values(data) if not any(_appears(f, flat, words) for f in forms)
    ]


def _body_text(pdf: bytes) -> str:
    """Return the PDF's text in reading order, without each page's running header and footer."""
    pages = [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in pdfinfo.page_texts(pdf, layout=False)
    ]
    header = 0
    if len(pages) > 1:
        while all(len(p) > header and p[header] == pages[0][header] for p in pages):
            header += 1
    footer = re.compile(r"Side \d+ av \d+")
    return "\n".join(footer.sub("", line) for page in pages for line in page[header:])


@pytest.mark.parametrize(("type_navn", "variant"), CASES)
def test_pdf_shows_every_value_and_label(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str, variant: str
) -> None:
    """The PDF text holds every given value in Norwegian format and NAV's labels."""
    data, result = _make(made, converter, sealer, (type_navn, variant))
    missing = _missing(data, _body_text(result.pdf))
    assert not missing, f"values missing from the PDF: {missing[:10]}"
    text = _norm(pdfinfo.text(result.pdf))
    missing_labels = [label for label in LABELS[type_navn] if _norm(label) not in text]
    assert not missing_labels, f"labels missing from the PDF: {missing_labels}"
    assert "None" not in text.split()


@pytest.mark.parametrize(("type_navn", "variant"), CASES)
def test_pdf_is_pdfa_with_embedded_fonts_and_one_valid_seal(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str, variant: str
) -> None:
    """XMP claims PDF/A-2B, no font is missing, pdfsig sees one valid signature."""
    _, result = _make(made, converter, sealer, (type_navn, variant))
    assert pdfinfo.pdfa_claim(result.pdf) == ("2", "B")
    assert pdfinfo.unembedded_fonts(result.pdf) == []
    assert pdfinfo.lang(result.pdf) == "nb-NO"
    sigs = pdfinfo.pdfsig_report(result.pdf)
    assert len(sigs) == 1
    assert sigs[0]["valid"] is True
    assert verify(result.pdf).gyldig
    assert pdfinfo.notdef_runs(result.pdf) == []  # no missing-glyph box in any font
    seal_sizes = {r.size for r in pdfinfo.text_runs(result.pdf) if "LiberationSans" in r.font}
    assert seal_sizes
    assert min(seal_sizes) >= MIN_FONT_SIZE


@pytest.mark.parametrize(("type_navn", "variant"), CASES)
def test_approvals_block_covers_nothing_on_the_page(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str, variant: str
) -> None:
    """The block sits below every word of the page's own text and above its footer (words
    read by pdftotext from the unsigned revision), or on a page of its own added at the end."""
    _, result = _make(made, converter, sealer, (type_navn, variant))
    original = pdfinfo.unsigned_revision(result.pdf)
    pages = pdfinfo.page_count(original)
    side, (x1, y1, x2, y2) = pdfinfo.signature_rect(result.pdf)
    assert "Åse Ødegård" in pdfinfo.page_texts(result.pdf, layout=False)[side - 1]
    if side > pages:
        return  # an added page holds only the block
    assert side == pages
    for wx1, wy1, wx2, wy2, word in pdfinfo.word_boxes(original, side):
        overlaps = wx1 < x2 and wx2 > x1 and wy1 < y2 and wy2 > y1
        assert not overlaps, f"the block covers «{word}»"


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_one_changed_byte_is_detected(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str
) -> None:
    """Flipping one byte of signed content makes both pyHanko and pdfsig say invalid."""
    _, result = _make(made, converter, sealer, (type_navn, "kontrakt"))
    pdf = bytearray(result.pdf)
    at = len(pdf) // 3
    pdf[at] = pdf[at] ^ 0x01
    assert not verify(bytes(pdf)).gyldig
    sigs = pdfinfo.pdfsig_report(bytes(pdf))
    assert not (len(sigs) == 1 and sigs[0]["valid"] is True)


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_header_names_title_and_deltaker_on_every_page(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str
) -> None:
    """Each page of a multi-page document repeats the title and deltaker in the header; a
    page the seal added after them holds the approvals block, headed by the document's title
    and "Tillegg: godkjenninger", and says which page of the addition it is."""
    data, result = _make(made, converter, sealer, (type_navn, "lang_tekst"))
    pages = pdfinfo.page_texts(pdfinfo.unsigned_revision(result.pdf))
    assert len(pages) >= 2, "the long variant must span pages"
    who = deltaker_navn(data)
    for number, page in enumerate(pages, start=1):
        flat = _norm(page)
        assert f"Side {number} av {len(pages)}" in flat
        if who:
            assert _norm(who) in flat
    added = pdfinfo.page_texts(result.pdf)[len(pages) :]
    title, _ = pdfinfo.titles(result.pdf)
    for number, page in enumerate(added, start=1):
        assert "Side " not in page  # not a "Side X av Y" the document's own pages contradict
        assert _norm(f"{title} – {TILLEGG}") in _norm(page)
        assert f"{TILLEGG}, side {number} av {len(added)}" in _norm(page)
    if added:
        assert _norm(KONTROLL_TEKST) in _norm(added[-1])


@pytest.mark.parametrize(("type_navn", "variant"), CASES)
def test_docx_opens_and_contains_the_values(
    made: dict, converter: Converter, sealer: Sealer, type_navn: str, variant: str
) -> None:
    """The DOCX opens with python-docx and its text contains the given values."""
    data, result = _make(made, converter, sealer, (type_navn, variant))
    document = docx.Document(io.BytesIO(result.docx))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    missing = _missing(data, " ".join(parts))
    assert not missing, f"values missing from the DOCX: {missing[:10]}"


def test_ten_arbeidsgivere_become_ten_rows(
    made: dict, converter: Converter, sealer: Sealer
) -> None:
    """A list field becomes one table row per item, across pages if needed."""
    data, result = _make(made, converter, sealer, ("statusrapport", "ti_arbeidsgivere"))
    text = _body_text(result.pdf)
    assert _missing({"arbeidsgivere": data["arbeidsgivere"]}, text) == []
    assert len(data["arbeidsgivere"]) == 10


def test_a_list_table_over_a_page_break_repeats_its_heading_and_splits_no_row(
    made: dict, converter: Converter, sealer: Sealer
) -> None:
    """Where the arbeidsgivere table continues on the next page, its title and column
    headings come again, and no row is cut in two (a cut row left a blank strip at the top
    of the next page): the two lines of each name cell ("Arbeidsgiver nummer N" / "AS", or
    "Arbeidsgiver nummer" / "10 AS") are always on the same page."""
    data, result = _make(made, converter, sealer, ("statusrapport", "ti_arbeidsgivere"))
    pages = pdfinfo.page_texts(result.pdf, layout=False)
    names = [re.findall(NAVN, p, flags=re.M) for p in pages]
    names = [[a or b for a, b in found] for found in names]
    with_rows = [i for i, found in enumerate(names) if found]
    assert len(with_rows) >= 2, "the ten arbeidsgivere must cross a page break"
    assert sorted(int(n) for found in names for n in found) == list(range(1, 11))
    for i in with_rows:
        assert "Arbeidsgiver i rapporteringsperioden" in pages[i], i
        assert "Kontaktperson" in pages[i], i
        first_lines = re.findall(r"^Arbeidsgiver nummer\b", pages[i], flags=re.M)
        last_lines = re.findall(r"^(?:\d+ )?AS$", pages[i], flags=re.M)
        assert len(first_lines) == len(names[i]), (i, len(first_lines), names[i])
        assert len(last_lines) == len(names[i]), (i, len(last_lines), names[i])
    assert len(data["arbeidsgivere"]) == 10


@pytest.mark.parametrize("skyv", [1, 2])
def test_an_items_detail_row_stays_on_the_page_of_its_row(
    converter: Converter, sealer: Sealer, skyv: int
) -> None:
    """Longer text above the arbeidsgivere moves the page break into the table; each
    arbeidsgiver's row and its begrunnelse row still share a page (the old templates put
    the begrunnelse alone at the top of the next one)."""
    data = lag_variant("statusrapport", "ti_arbeidsgivere")
    data["bestilling_fra_nav"] += " Mer tekst for å flytte sideskiftet." * (12 * skyv)
    dok = parse_dokument(data, tillat_syntetiske=True)
    pdf = lag_dokument(dok, converter=converter, sealer=sealer, godkjent_av="Åse Ødegård").pdf
    pages = pdfinfo.page_texts(pdf, layout=False)
    counts = [
        (
            len(re.findall(r"^Arbeidsgiver nummer\b", p, flags=re.M)),
            p.count("Begrunnelse for valg"),
        )
        for p in pages
    ]
    assert sum(1 for rows, _ in counts if rows) >= 2, counts
    assert all(rows == details for rows, details in counts), counts


def test_every_variant_is_valid_input() -> None:
    """Guard for the test data itself: every variant parses as its type."""
    for type_navn, variant in CASES:
        dok = parse_dokument(lag_variant(type_navn, variant), tillat_syntetiske=True)
        assert dok.type == type_navn
