"""The generated templates' structure: headings in Heading styles, table headings marked as
heading rows, list columns sized to their content, rows without free text kept whole."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table

from dokgen.documents.render import MALER_DIR

TYPER = ("statusrapport", "sluttrapport", "evalueringsrapport", "plan", "arbeidspraksisavtale")


def _table(document: docx.document.Document, heading: str) -> Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith(heading))


def _widths(table: Table) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]


@pytest.mark.parametrize("type_navn", TYPER)
def test_the_title_and_the_tiltak_are_headings(type_navn: str) -> None:
    """The title is a Heading 1 and the tiltak's name a Heading 2, so the PDF tags them."""
    document = docx.Document(str(MALER_DIR / f"{type_navn}.docx"))
    styles = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert styles == ["Heading 1", "Heading 2"]


def test_list_columns_are_sized_to_their_content() -> None:
    """ "Nr." is narrow in the endringskatalog and "Årsak" takes most of the Fravær table."""
    endring = docx.Document(str(MALER_DIR / "endringsavtale.docx"))
    nr, _, beskrivelse, _ = _widths(_table(endring, "Endringskatalog"))
    assert nr * 6 < beskrivelse
    status = docx.Document(str(MALER_DIR / "statusrapport.docx"))
    dager, timer, arsak = _widths(_table(status, "Fravær"))
    assert arsak > 2 * (dager + timer)


@pytest.mark.parametrize("type_navn", TYPER)
def test_list_headings_repeat_and_short_rows_never_split(type_navn: str) -> None:
    """Every list table's title and column row are heading rows; a row of a label/value
    table is kept whole unless it holds a free text's value."""
    document = docx.Document(str(MALER_DIR / f"{type_navn}.docx"))
    for table in document.tables:
        rows = table._tbl.tr_lst
        for tr in rows:
            props = tr.trPr
            whole = props is not None and props.find(qn("w:cantSplit")) is not None
            text = "".join(t.text or "" for t in tr.iter(qn("w:t")))
            assert whole or (text.startswith("{{ ") and ":" not in text), text[:60]
        first = rows[0].trPr
        if first is not None and first.find(qn("w:tblHeader")) is not None:
            assert rows[1].trPr.find(qn("w:tblHeader")) is not None
