"""Generate the DOCX templates in maler/ from NAV's layouts (Bilag 8, JMO §6 and §9.1, Bilag 6,
AMB §1–2).

The output stays editable in Word/LibreOffice. Each Jinja tag is written inside one run, so
Word cannot split it. Run: ``.venv/bin/python scripts/lag_maler.py``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.models.kvalifisering import AMB_RESULTATKODER, resultat_med_kategori
from dokgen.documents.models.motereferat import DAGSORDEN
from dokgen.documents.models.tilretteleggingsgaranti import RUTINE_FRAVAER, RUTINE_GARANTI

MALER = Path(__file__).resolve().parent.parent / "maler"
FONT = "Carlito"
GRA = "E7EBEF"
NAV_BLA = RGBColor(0x00, 0x34, 0x53)

Par = tuple[str, str]


def _font(run_or_style: object, size: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _new_document(overskrift: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.widow_control = True  # two lines at least at a page's end and start
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nb-NO")
    normal.element.get_or_add_rPr().append(lang)
    doc.core_properties.language = "nb-NO"
    doc.core_properties.title = overskrift
    _header_footer(doc, overskrift)
    return doc


def _field(paragraph: Paragraph, instr: str, size: float) -> None:
    """Write a field (PAGE, NUMPAGES) as Word does, each part in its own run of ``size``:
    a field in one run was drawn in the paragraph's size, larger than the words around it."""
    for kind, text in (
        ("begin", None),
        (None, instr),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        _font(run, size)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _header_footer(doc: Document, overskrift: str) -> None:
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    _font(head.add_run(overskrift), 9, bold=False)
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _mark_size(foot, 9)
    _font(foot.add_run("Side "), 9)
    _field(foot, "PAGE", 9)
    _font(foot.add_run(" av "), 9)
    _field(foot, "NUMPAGES", 9)


def _mark_size(paragraph: Paragraph, size: float) -> None:
    """Give the paragraph mark the run size, so a field's result drawn in it matches."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    ppr.append(rpr)  # after w:jc, as the schema orders them
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size * 2)))
        rpr.append(el)


def _heading(doc: Document, text: str, level: int, size: float) -> Paragraph:
    """Write a heading in Word's own Heading style, so the PDF tags it as a heading (H1, H2)."""
    p = doc.add_paragraph(style=f"Heading {level}")
    p.paragraph_format.space_before = Pt(6 if level > 1 else 0)
    p.paragraph_format.space_after = Pt(2)
    run = p.add_run(text)
    _font(run, size, bold=True)
    run.font.color.rgb = NAV_BLA if level == 1 else RGBColor(0, 0, 0)
    run.font.italic = False
    return p


def _title(doc: Document, tittel: str, undertekst: str, tiltak: str = "{{ tiltak.navn }}") -> None:
    _heading(doc, tittel, 1, 18)
    if undertekst:
        _font(doc.add_paragraph().add_run(undertekst), 10, bold=False)
    if tiltak:
        _heading(doc, tiltak, 2, 13)


def _shade(cell: _Cell, colour: str = GRA) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _labelled(cell: _Cell, label: str, value: str) -> None:
    """Write a NAV-style cell: the label in bold, the value on the next line.

    Label and value are one paragraph (a line break between them), so widow and orphan
    control keeps the label with at least the first lines of its value where a long text
    splits over pages; a label in a paragraph of its own could end a page alone, and
    LibreOffice answers "keep with next" inside a cell by moving the whole row.
    """
    p = cell.paragraphs[0]
    _font(p.add_run(label), 9.5, bold=True)
    if value:
        p.add_run().add_break()
        _font(p.add_run(value), 10.5, bold=False)


def _fritekster() -> frozenset[str]:
    """Return the names of the fields that hold long free text (up to thousands of characters)."""
    names = set()
    for cls in DOKUMENTTYPER.values():
        for name, prop in cls.model_json_schema().get("properties", {}).items():
            options = prop.get("anyOf", [prop])
            if any(o.get("maxLength", 0) >= 1000 for o in options):
                names.add(name)
    return frozenset(names)


FRITEKSTER = _fritekster()
_FELT = re.compile(r"\{\{ (\w+) \}\}")


def _kan_deles(*values: str) -> bool:
    """Tell whether a row holds a free text, which may be longer than a page and so must be
    allowed to split; any other row is kept whole, its label never apart from its value."""
    return any(m in FRITEKSTER for v in values for m in _FELT.findall(v))


def _widths(table: Table, widths: Sequence[float]) -> None:
    """Size a table's columns (cm), in its grid and in every cell, as Word and LibreOffice read."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        column = 0
        for tc in row._tr.tc_lst:  # a merged cell spans several grid columns
            span = tc.grid_span
            _Cell(tc, table).width = Cm(sum(widths[column : column + span]))
            column += span


def _table(doc: Document, columns: int) -> Table:
    table = doc.add_table(rows=0, cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _rad_hel(row: _Row, *, overskrift: bool = False) -> None:
    """Keep a table row on one page; an ``overskrift`` row is repeated on every page the
    table continues on. A data row split at a page end left a blank strip of its bottom
    margin at the top of the next page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if overskrift:
        props.append(OxmlElement("w:tblHeader"))


def felt(doc: Document, rows: Sequence[Par | tuple[Par, Par]]) -> None:
    """Write NAV's label/value table: a pair of cells per row, or one cell across the row.

    A row of short values is kept whole on one page; a free text gets a label row of its
    own (see :func:`_fritekst`), since it may be longer than a page.
    """
    table = _table(doc, 2)
    for row in rows:
        table_row = table.add_row()
        cells = table_row.cells
        if isinstance(row[0], tuple):
            left, right = row
            _labelled(cells[0], *left)  # type: ignore[arg-type]
            _labelled(cells[1], *right)  # type: ignore[arg-type]
        elif _kan_deles(row[1]):  # type: ignore[arg-type]
            _fritekst(table, table_row, *row)  # type: ignore[arg-type]
            continue
        else:
            _labelled(cells[0].merge(cells[1]), *row)  # type: ignore[arg-type]
        _rad_hel(table_row)
    doc.add_paragraph()


def _kant(cell: _Cell, side: str) -> None:
    """Draw no border on one side of a cell (a label and its value look like one cell)."""
    borders = cell._tc.get_or_add_tcPr().first_child_found_in("w:tcBorders")
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        cell._tc.get_or_add_tcPr().append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "nil")
    borders.append(edge)


def _fritekst(table: Table, label_row: _Row, label: str, value: str) -> None:
    """Write a free text as two rows: the label, kept whole and on the page of the value's
    first lines (LibreOffice keeps a paragraph with the next row, not with the next line
    of its own cell), then the value, which may run over pages."""
    _rad_hel(label_row)
    label_cell = label_row.cells[0].merge(label_row.cells[1])
    _font(label_cell.paragraphs[0].add_run(label), 9.5, bold=True)
    label_cell.paragraphs[0].paragraph_format.keep_with_next = True
    value_cell = table.add_row().cells
    value_cell = value_cell[0].merge(value_cell[1])
    _font(value_cell.paragraphs[0].add_run(value), 10.5, bold=False)
    _kant(label_cell, "bottom")
    _kant(value_cell, "top")


def delfelt(doc: Document, label: str, deler: Sequence[Par]) -> None:
    """Write one row of sub-fields under a common label, as NAV's templates do ("Dersom
    deltaker er …: (a) Arbeidsgiver: … (b) …"): one cell, kept whole on one page."""
    table = _table(doc, 1)
    row = table.add_row()
    _rad_hel(row)
    cell = row.cells[0]
    _font(cell.paragraphs[0].add_run(label), 9.5, bold=True)
    for navn, verdi in deler:
        p = cell.add_paragraph()
        _font(p.add_run(f"{navn} "), 9.5, bold=True)
        _font(p.add_run(verdi), 10.5, bold=False)
    doc.add_paragraph()


def liste(
    doc: Document,
    label: str,
    liste_navn: str,
    kolonner: Sequence[Par],
    detalj: Par | None = None,
    *,
    bredder: Sequence[float],
) -> None:
    """Write a list field as table rows: header, one row per item, "—" when the list is empty.

    ``bredder`` are the columns' widths in cm, sized to their content (17 cm in all).
    """
    table = _table(doc, len(kolonner))
    title_row = table.add_row()
    _rad_hel(title_row, overskrift=True)
    title = title_row.cells
    merged = title[0].merge(title[-1])
    _labelled(merged, label, "")
    _shade(merged)
    header_row = table.add_row()
    _rad_hel(header_row, overskrift=True)
    header = header_row.cells
    for cell, (navn, _) in zip(header, kolonner, strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
    control = [f"{{%tr for x in {liste_navn} %}}"]
    rows: list[list[str]] = [control, [expr for _, expr in kolonner]]
    if detalj:
        rows.append([f"{detalj[0]} {detalj[1]}"])
    rows += [
        ["{%tr endfor %}"],
        [f"{{%tr if not {liste_navn} %}}"],
        ["—"] * len(kolonner),
        ["{%tr endif %}"],
    ]
    for i, values in enumerate(rows):
        row = table.add_row()
        _rad_hel(row)
        cells = row.cells
        if len(values) == 1 and len(kolonner) > 1:
            cells = [cells[0].merge(cells[-1])]
        for cell, value in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(value), 10.5, bold=False)
            if detalj and i == 1:  # an item's row stays on the page of its detail row
                cell.paragraphs[0].paragraph_format.keep_with_next = True
    _widths(table, bredder)
    doc.add_paragraph()


def signatur(doc: Document, parter: Sequence[tuple[str, Sequence[Par]]]) -> None:
    """Write the signature block: one column per party, place/date and signature lines."""
    table = _table(doc, len(parter))
    head_row = table.add_row()
    _rad_hel(head_row, overskrift=True)
    heads = head_row.cells
    for cell, (part, _) in zip(heads, parter, strict=True):
        _font(cell.paragraphs[0].add_run(part), 10.5, bold=True)
        _shade(cell)
    lines = max(len(rader) for _, rader in parter)
    for i in range(lines):
        row = table.add_row()
        _rad_hel(row)
        for cell, (_, rader) in zip(row.cells, parter, strict=True):
            if i < len(rader):
                _labelled(cell, *rader[i])


def signaturrader(doc: Document, label: str, parter: Sequence[tuple[str, str, str, str]]) -> None:
    """Write the signature block as one row per party, drawn only when that party signs.

    Each entry is (condition, party's name, its sted/dato, its signer's name); the rows are
    kept whole and together, the header repeated if the block crosses a page.
    """
    kolonner = ("Part", "Sted og dato", "Underskrift", "Navn")
    table = _table(doc, len(kolonner))
    title_row = table.add_row()
    _rad_hel(title_row, overskrift=True)
    merged = title_row.cells[0].merge(title_row.cells[-1])
    _labelled(merged, label, "")
    _shade(merged)
    head_row = table.add_row()
    _rad_hel(head_row, overskrift=True)
    for cell, navn in zip(head_row.cells, kolonner, strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
    for betingelse, part, sted_dato, navn in parter:
        for values in (
            [f"{{%tr if {betingelse} %}}"],
            [part, sted_dato, "", navn],
            ["{%tr endif %}"],
        ):
            row = table.add_row()
            _rad_hel(row)
            cells = row.cells if len(values) > 1 else [row.cells[0].merge(row.cells[-1])]
            for cell, value in zip(cells, values, strict=True):
                _font(
                    cell.paragraphs[0].add_run(value),
                    10.5,
                    bold=cell is cells[0] and len(values) > 1,
                )
            if len(values) > 1:  # room to sign by hand
                height = OxmlElement("w:trHeight")
                height.set(qn("w:val"), str(int(Cm(1.5).twips)))
                height.set(qn("w:hRule"), "atLeast")
                row._tr.get_or_add_trPr().append(height)
    _widths(table, (3.4, 4.2, 5.0, 4.4))
    doc.add_paragraph()


def avsnitt(doc: Document, tekst: str, bold: bool = False, *, med_neste: bool = False) -> None:
    """Write a plain paragraph of fixed text (``med_neste``: on the page of what follows)."""
    p = doc.add_paragraph()
    _font(p.add_run(tekst), 10.5, bold=bold)
    p.paragraph_format.keep_with_next = med_neste


def _deler(*deler: str | tuple[str, str], skille: str) -> str:
    """Return a Jinja expression joining the parts that are given (a missing one is "—").

    A part is an expression or (prefix, expression), the prefix printed only with its value
    ("Tlf. 40 00 00 17"). The result is "" when no part is given.
    """
    items = [
        f"('{d[0]}' ~ {d[1]} if {d[1]} != '—' else '—')" if isinstance(d, tuple) else d
        for d in deler
    ]
    return f"[{', '.join(items)}] | reject('equalto', '—') | join('{skille}')"


def sammen(*deler: str | tuple[str, str], skille: str) -> str:
    """Print the given parts joined by ``skille``, one "—" when none is given (never "— / —")."""
    return f"{{{{ {_deler(*deler, skille=skille)} or '—' }}}}"


def kontakt(person: str) -> str:
    """Print a person's name and, on the next line, the phone and e-mail that are given."""
    linje = _deler(("Tlf. ", f"{person}.telefon"), f"{person}.epost", skille=" · ")
    return f"{{{{ {person}.navn }}}}{{% set k = {linje} %}}{{% if k %}}\n{{{{ k }}}}{{% endif %}}"


def med_enhet(uttrykk: str, enhet: str) -> str:
    """Print a number with its unit ("12,5 timer"), or "—" alone when it is not given."""
    return f"{{% if {uttrykk} != '—' %}}{{{{ {uttrykk} }}}} {enhet}{{% else %}}—{{% endif %}}"


AVTALE_TILTAK = sammen("tiltak.avtalenummer", "tiltak.tiltaksnummer", skille=" / ")
VEILEDER_NAV = kontakt("veileder_nav")
VEILEDERE = [("Navn", "{{ x.navn }}"), ("Telefon", "{{ x.telefon }}"), ("E-post", "{{ x.epost }}")]
VEILEDERE_BREDDER = (6.0, 3.6, 7.4)
FRAVAER = [("Dager", "{{ x.dager }}"), ("Timer", "{{ x.timer }}"), ("Årsak", "{{ x.arsak }}")]
UNDERSKRIFT = "\n\n{{ underskriver.navn }}, {{ underskriver.rolle }}"


def statusrapport() -> Document:
    """Bilag 8 vedlegg 1."""
    doc = _new_document("Statusrapport – {{ deltaker.navn }}")
    _title(
        doc,
        "Statusrapport",
        "Statusrapporten skal utarbeides hver tredje måned etter oppstart i tiltaket",
    )
    felt(
        doc,
        [
            (("Navn:", "{{ deltaker.navn }}"), ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}")),
            (
                ("Oppstartdato:", "{{ oppstartdato }}"),
                (
                    "Rapporteringsperiode:",
                    "{{ rapporteringsperiode.fra }} – {{ rapporteringsperiode.til }}",
                ),
            ),
            (
                ("Innsøkende NAV-kontor:", "{{ innsokende_nav_kontor }}"),
                ("Veileder NAV:", VEILEDER_NAV),
            ),
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                (
                    "Avtalenummer / tiltaksnummer:",
                    AVTALE_TILTAK,
                ),
            ),
        ],
    )
    liste(
        doc,
        "Veiledere tiltaksarrangør: (navn og kontaktinfo/tlf)",
        "veiledere_arrangor",
        VEILEDERE,
        bredder=VEILEDERE_BREDDER,
    )
    felt(
        doc,
        [
            ("Bestilling fra NAV:", "{{ bestilling_fra_nav }}"),
            (
                "Status og arbeidsrelatert progresjon inkl. ev. avvik fra tidligere plan:",
                "{{ status_og_progresjon }}",
            ),
            (
                "Begrunnelse for videre oppfølging: (spesifiser ev justeringer i plan og "
                "tilretteleggingsbehov)",
                "{{ begrunnelse_videre_oppfolging }}",
            ),
        ],
    )
    liste(
        doc,
        "Arbeidsgiver i rapporteringsperioden",
        "arbeidsgivere",
        [
            ("Navnet på arbeidsgiver", "{{ x.navn }}"),
            ("Kontaktperson", "{{ x.kontaktperson }}"),
            ("Stillingsprosent", "{{ x.stillingsprosent }}"),
            ("Ansettelsesforhold (fast / midlertidig)", "{{ x.ansettelsesforhold }}"),
            ("Arbeidsforhold (lønnet arbeid / arbeidspraksis)", "{{ x.arbeidsforhold }}"),
        ],
        detalj=(
            "Begrunnelse for valg av arbeidsplass og –oppgaver:",
            "{{ x.begrunnelse_for_valg }}",
        ),
        bredder=(4.0, 3.6, 2.6, 3.2, 3.6),
    )
    liste(
        doc,
        "Antall oppfølgingstimer i rapporteringsperioden (pr mnd):",
        "oppfolgingstimer_per_maned",
        [("Måned", "{{ x.maned }}"), ("Timer", "{{ x.timer }}")],
        bredder=(5.0, 12.0),
    )
    felt(
        doc,
        [
            (
                "Anslått oppfølgingsbehov kommende periode (pr mnd):",
                med_enhet("anslatt_behov_timer_per_maned", "timer"),
            ),
        ],
    )
    liste(doc, "Fravær: (dager/timer - årsak)", "fravaer", FRAVAER, bredder=(2.2, 2.2, 12.6))
    felt(
        doc,
        [
            ("Gjennomførte aktiviteter i perioden:", "{{ gjennomforte_aktiviteter }}"),
            (
                "Oppfølging på arbeidsplassen: (oppfølging av deltaker og arbeidsgiver; ev. "
                "tilrettelegging og tilpasning)",
                "{{ oppfolging_pa_arbeidsplassen }}",
            ),
            (
                "Arbeidsgivers kommentar/vurdering av arbeidsplass: (mulighet for ordinær ansettelse "
                "og omfang, behov for kompensasjon/tilpasning ved ansettelse, m.m)",
                "{{ arbeidsgivers_vurdering }}",
            ),
            (
                "Deltakers kommentar: (dersom deltaker ikke er enig i hele rapportens innhold)",
                "{{ deltakers_kommentar }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            ("Veileders underskrift:", UNDERSKRIFT),
        ],
    )
    return doc


def sluttrapport() -> Document:
    """Bilag 8 vedlegg 2."""
    doc = _new_document("Sluttrapport – {{ deltaker.navn }}")
    _title(
        doc,
        "Sluttrapport",
        "Rapporten skal sendes NAV-kontoret innen en uke etter at tiltaket er avsluttet",
    )
    felt(
        doc,
        [
            (("Navn:", "{{ deltaker.navn }}"), ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}")),
            (
                ("Adresse:", "{{ deltaker.adresse }}"),
                ("Poststed:", sammen("deltaker.postnummer", "deltaker.poststed", skille=" ")),
            ),
            (("Oppstartdato:", "{{ oppstartdato }}"), ("Sluttdato:", "{{ sluttdato }}")),
            (
                ("Innsøkende NAV-kontor:", "{{ innsokende_nav_kontor }}"),
                ("Veileder NAV:", VEILEDER_NAV),
            ),
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                (
                    "Avtalenummer / tiltaksnummer:",
                    AVTALE_TILTAK,
                ),
            ),
        ],
    )
    liste(
        doc,
        "Veiledere tiltaksarrangør: (navn og kontaktinfo/tlf)",
        "veiledere_arrangor",
        VEILEDERE,
        bredder=VEILEDERE_BREDDER,
    )
    felt(
        doc,
        [
            (
                "Arbeidsgiver (dersom deltaker har et arbeidsforhold):",
                "{{ arbeidsgiver_ved_oppstart }}",
            ),
            ("Bestilling fra NAV:", "{{ bestilling_fra_nav }}"),
            (
                "Oppsummering/resultat av {{ tiltak.navn }} – status og anbefalinger knyttet til "
                "deltakers muligheter til å (for)bli selvforsørget med en varig tilknytning til "
                "arbeidslivet. Anbefalingene skal inkludere arbeidsgivers vurderinger.",
                "{{ oppsummering_og_anbefalinger }}",
            ),
            ("Status ved avslutning:", "{{ status_ved_avslutning }}"),
        ],
    )
    delfelt(
        doc,
        "Dersom deltaker er helt eller delvis tilbake i arbeid:",
        [
            ("(a) Arbeidsgiver:", "{{ tilbake_i_arbeid.arbeidsgiver }}"),
            ("(b) Kontaktperson:", "{{ tilbake_i_arbeid.kontaktperson }}"),
            ("(b) Stillingsprosent:", "{{ tilbake_i_arbeid.stillingsprosent }}"),
            ("(c) Fast, midlertidig, vikariat osv:", "{{ tilbake_i_arbeid.ansettelsesform }}"),
            ("(d) Oppstartsdato:", "{{ tilbake_i_arbeid.oppstartsdato }}"),
        ],
    )
    felt(
        doc,
        [
            (
                "Gjennomførte aktiviteter i tiltaket: (f. eks kartlegging, arbeidspraksis, jobbsøking, "
                "kontakt med arbeidsgivere med eller uten deltaker, oppfølging av deltaker og "
                "arbeidsgiver og lignende. Begrunn valg av aktiviteter, beskriv hva som ble "
                "gjennomført og hvordan, informer om resultatet av aktivitetene, vurder hva "
                "resultatet betydde for gjennomføringen av tiltaket og arbeid/videre plan)",
                "{{ gjennomforte_aktiviteter }}",
            ),
        ],
    )
    liste(doc, "Fravær: (dager/timer - årsak)", "fravaer", FRAVAER, bredder=(2.2, 2.2, 12.6))
    felt(
        doc,
        [
            (
                "Deltakers kommentar (dersom deltaker ikke er enig i hele rapportens innhold):",
                "{{ deltakers_kommentar }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            ("Veileders underskrift:", UNDERSKRIFT),
        ],
    )
    return doc


def plan() -> Document:
    """Plan for tiltaket (JMO kravspesifikasjon §6, §7 and §9.1), in Bilag 8's layout."""
    doc = _new_document("Plan for tiltaket – {{ deltaker.navn }}")
    _title(
        doc,
        "Plan for tiltaket",
        "Leverandør skal senest innen tre uker etter oppstart gi NAV en skriftlig "
        "tilbakemelding på plan for den enkelte deltaker",
    )
    felt(
        doc,
        [
            (("Navn:", "{{ deltaker.navn }}"), ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}")),
            (
                ("Oppstartdato:", "{{ oppstartdato }}"),
                ("Planperiode:", "{{ planperiode.fra }} – {{ planperiode.til }}"),
            ),
            (
                ("Innsøkende NAV-kontor:", "{{ innsokende_nav_kontor }}"),
                ("Veileder NAV:", VEILEDER_NAV),
            ),
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                (
                    "Avtalenummer / tiltaksnummer:",
                    AVTALE_TILTAK,
                ),
            ),
        ],
    )
    liste(
        doc,
        "Veiledere tiltaksarrangør: (navn og kontaktinfo/tlf)",
        "veiledere_arrangor",
        VEILEDERE,
        bredder=VEILEDERE_BREDDER,
    )
    avsnitt(
        doc,
        "I samarbeid med deltaker skal det utarbeides en plan for gjennomføring av tiltaket, "
        "herunder arbeidsrettet egenaktivitet og oppfølgingstimer.",
    )
    doc.add_paragraph()
    felt(
        doc,
        [
            ("Bestilling fra NAV:", "{{ bestilling_fra_nav }}"),
            ("Målsettingen for tiltaket:", "{{ mal_for_tiltaket }}"),
            (
                "Tiltaket er i tråd med deltakers forutsetninger, interesser og ferdigheter: "
                "(jobben skal matche den enkelte deltakers forutsetninger, interesser og "
                "ferdigheter)",
                "{{ forutsetninger_interesser_ferdigheter }}",
            ),
        ],
    )
    liste(
        doc,
        "Aktiviteter som planlegges gjennomført i perioden:",
        "planlagte_aktiviteter",
        [
            ("Aktivitet", "{{ x.aktivitet }}"),
            ("Tidsrom", "{{ x.tidsrom.fra }} – {{ x.tidsrom.til }}"),
        ],
        detalj=("Beskrivelse:", "{{ x.beskrivelse }}"),
        bredder=(11.0, 6.0),
    )
    felt(
        doc,
        [
            (
                "Arbeidsrettet egenaktivitet: (deltakers avtalte egenaktivitet skal være tydelig "
                "relatert til målsettingen for tiltaket)",
                "{{ arbeidsrettet_egenaktivitet }}",
            ),
        ],
    )
    liste(
        doc,
        "Estimert timeforbruk (oppfølgingstimer pr mnd):",
        "estimert_timeforbruk",
        [("Måned", "{{ x.maned }}"), ("Timer", "{{ x.timer }}")],
        bredder=(5.0, 12.0),
    )
    felt(
        doc,
        [
            ("Estimert timeforbruk i alt:", "{{ sum_estimert_timeforbruk }} timer"),
            (
                "Plan for oppfølging etter ansettelse: (tiltaket skal som hovedregel fortsette "
                "etter ansettelse for å sikre at tiltaksdeltaker forblir i jobb, med mindre "
                "deltaker ikke selv ønsker dette)",
                "{{ oppfolging_etter_ansettelse }}",
            ),
            ("Deltakers kommentar:", "{{ deltakers_kommentar }}"),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            ("Veileders underskrift:", UNDERSKRIFT),
        ],
    )
    return doc


def evalueringsrapport() -> Document:
    """Bilag 8 vedlegg 4."""
    doc = _new_document("Evalueringsrapport – {{ tiltak.arrangor.navn }}")
    _title(doc, "Evaluering av tiltaket", "Fylles ut av leverandør hvert halvår")
    felt(
        doc,
        [
            (
                (
                    "Leverandør og tiltaksnummer:",
                    "{{ tiltak.arrangor.navn }} (org.nr. {{ tiltak.arrangor.orgnr }})"
                    "{% if tiltak.tiltaksnummer != '—' %}\nTiltaksnummer "
                    "{{ tiltak.tiltaksnummer }}{% endif %}",
                ),
                ("Periode:", "{{ periode.fra }} – {{ periode.til }}"),
            ),
            (("Mottaker:", "{{ mottaker }}"), ("Avtalenummer:", "{{ tiltak.avtalenummer }}")),
        ],
    )
    avsnitt(
        doc,
        "Rapport skal gis i fritekst til NAV Tiltak Oslo og må inneholde følgende elementer:",
        bold=True,
        med_neste=True,
    )
    felt(
        doc,
        [
            (
                "Erfaringer knyttet til etablering av arbeidsforhold for deltakerne i tiltaket",
                "{{ erfaringer_etablering_arbeidsforhold }}",
            ),
            (
                "Erfaringer knyttet til oppfølging av deltaker og arbeidsgiver etter ansettelse",
                "{{ erfaringer_oppfolging_etter_ansettelse }}",
            ),
            (
                "Oppsummering av systematiske tilbakemeldinger fra deltakerne",
                "{{ tilbakemeldinger_fra_deltakere }}",
            ),
            (
                "Erfaringer med samarbeidet med NAV;\ni oppfølgingen av de enkelte deltakerne",
                "{{ samarbeid_nav_deltakere }}",
            ),
            # NAV's one bullet with two sub-bullets: the common label is said once, above
            # the first; the second follows the first's answer.
            (
                "i oppfølgingen av gjeldende avtale på leverandørnivå",
                "{{ samarbeid_nav_avtale }}",
            ),
            (
                "Andre forhold tiltaksarrangør vurderer som relevante for NAVs oppfølging av tiltaket",
                "{{ andre_forhold }}",
            ),
            ("Ev forslag til endringer eller forbedringer", "{{ forslag_til_endringer }}"),
            (
                "Kommentarer til resultatmål og ev beskrivelse av videre arbeid for å "
                "opprettholde/nå målene",
                "{{ kommentarer_resultatmal }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            ("Tiltaksarrangørens underskrift:", UNDERSKRIFT),
        ],
    )
    return doc


def _part_sted_dato(part: str, ellers: str = "") -> str:
    """Print where and when a party signs (its entry in ``signaturer``), else ``ellers``."""
    return (
        f"{{% for s in signaturer if s.part == '{part}' %}}"
        "{{ [s.sted, s.dato] | reject('equalto', '—') | join(', ') }}"
        f"{{% else %}}{ellers}{{% endfor %}}"
    )


def arbeidspraksisavtale() -> Document:
    """Avtale om arbeidspraksis (JMO kravspesifikasjon punkt 6).

    §6's minimum content: formål, opplæring, oppfølging, arbeidstid, arbeidsoppgaver,
    varighet and eventuell tilrettelegging, and that the employer was told of the
    yrkesskadeforsikring. Only the parties that sign get a signature row, each with its own
    place and date, or room to write them by hand.
    """
    doc = _new_document("Arbeidspraksisavtale – {{ deltaker.navn }}")
    _title(
        doc,
        "Avtale om arbeidspraksis",
        "Skriftlig avtale mellom arbeidsgiver, tiltaksdeltaker og tiltaksarrangør",
    )
    felt(
        doc,
        [
            (
                (
                    "Arbeidsgiver:",
                    "{{ arbeidsgiver.navn }}\nOrg.nr. {{ arbeidsgiver.orgnr }}"
                    "{% if arbeidsgiver.adresse != '—' %}\n{{ arbeidsgiver.adresse }}{% endif %}",
                ),
                ("Kontaktperson hos arbeidsgiver:", kontakt("arbeidsgiver.kontaktperson")),
            ),
            (
                ("Deltaker:", "{{ deltaker.navn }}"),
                ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}"),
            ),
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                ("Veileder hos tiltaksarrangør:", kontakt("veileder_arrangor")),
            ),
            (
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
                ("Varighet:", "{{ varighet.fra }} – {{ varighet.til }}"),
            ),
            ("Formål med arbeidspraksis:", "{{ formal }}"),
            ("Opplæring og veiledning:", "{{ opplaering }}"),
            ("Oppfølging fra tiltaksarrangør:", "{{ oppfolging }}"),
            (
                "Arbeidstid:",
                "{{ arbeidstid.timer_per_uke }} timer per uke"
                "{% if arbeidstid.beskrivelse != '—' %}: {{ arbeidstid.beskrivelse }}{% endif %}",
            ),
            ("Arbeidsoppgaver:", "{{ arbeidsoppgaver }}"),
            ("Eventuell tilrettelegging:", "{{ tilrettelegging }}"),
            (
                "Arbeidsgiver er informert om at deltakeren anses som arbeidstaker etter lov om "
                "yrkesskadeforsikring og omfattes av forsikringsplikten:",
                "{{ yrkesskadeforsikring_informert }}",
            ),
        ],
    )
    signaturrader(
        doc,
        "Underskrifter",
        [
            (
                "'Arbeidsgiver' in parter_som_signerer",
                "Arbeidsgiver",
                _part_sted_dato("arbeidsgiver"),
                "{{ arbeidsgiver.kontaktperson.navn }}",
            ),
            (
                "'Deltaker' in parter_som_signerer",
                "Deltaker",
                _part_sted_dato("deltaker"),
                "{{ deltaker.navn }}",
            ),
            (
                "'Tiltaksarrangør' in parter_som_signerer",
                "Tiltaksarrangør",
                _part_sted_dato("arrangor", "{{ sted }}, {{ dato }}"),
                "{{ veileder_arrangor.navn }}",
            ),
        ],
    )
    return doc


def _signert(part: str, key: str) -> str:
    return (
        f"{{% for s in signaturer %}}{{% if s.part == '{part}' %}}{{{{ s.{key} }}}}"
        "{% endif %}{% endfor %}"
    )


def endringsavtale() -> Document:
    """Bilag 6 punkt 2: mal for endring til avtalen, with the endringskatalog (punkt 1)."""
    doc = _new_document("Endringsavtale nr. {{ endring_nr }} – {{ leverandor.navn }}")
    _title(doc, "Endring nr. {{ endring_nr }} til avtalen", "", tiltak="")
    avsnitt(
        doc,
        "Endring nr. {{ endring_nr }} til {{ avtale.navn }}{% if avtale.avtalenummer != '—' %} "
        "(avtalenummer {{ avtale.avtalenummer }}){% endif %} mellom {{ kunde.navn }} (org.nr. {{ kunde.orgnr }}) og "
        "{{ leverandor.navn }} (org.nr. {{ leverandor.orgnr }}), signert "
        "{{ avtale.signert_dato }}",
    )
    avsnitt(
        doc,
        "Denne endringen gjøres i henhold til betingelsene i ovenfor nevnte avtale, med "
        "mindre annet særskilt er angitt nedenfor.",
    )
    felt(
        doc,
        [
            ("Beskrivelse av endringen:", "{{ beskrivelse }}"),
            ("Justert vederlag:", "{{ vederlagsjustering }}"),
            ("Justert tidsplan:", "{{ tidsplanjustering }}"),
            ("Dato for ikraftsettelse:", "{{ ikraftsettelse }}"),
        ],
    )
    liste(
        doc,
        "Endringskatalog:",
        "endringskatalog",
        [
            ("Nr.", "{{ x.nr }}"),
            ("Dato for undertegning", "{{ x.dato_undertegnet }}"),
            (
                "Beskrivelse av endringen samt eventuell vederlagsjustering og justering av tidsplan",
                "{{ x.beskrivelse }}",
            ),
            ("Dato for ikraftsettelse", "{{ x.ikraftsettelse }}"),
        ],
        bredder=(1.2, 3.0, 9.6, 3.2),
    )
    avsnitt(doc, "Dette dokument er undertegnet i to eksemplarer hvorav hver part beholder ett.")
    signatur(
        doc,
        [
            (
                "For {{ kunde.navn }}",
                [
                    ("Dato:", _signert("kunde", "dato")),
                    ("Sign:", "\n"),
                    ("Navn:", _signert("kunde", "navn")),
                ],
            ),
            (
                "For {{ leverandor.navn }}",
                [
                    ("Dato:", _signert("leverandor", "dato")),
                    ("Sign:", "\n"),
                    ("Navn:", _signert("leverandor", "navn")),
                ],
            ),
        ],
    )
    return doc


def _avsnitt_liste(doc: Document, punkter: Sequence[str]) -> None:
    """Write the seed's numbered questions or bullets as plain paragraphs, in its order."""
    for punkt in punkter:
        avsnitt(doc, punkt)


TILBUD_SPESIFIKASJON = (
    "Spesifikasjon:",
    "\nTrenings- og opplæringstilbud: {{ x.trenings_og_opplaeringstilbud }}"
    "\nEventuelle faglige kvalifikasjonskrav: {{ x.faglige_kvalifikasjonskrav }}"
    "\nHelsemessige forutsetninger: {{ x.helsemessige_forutsetninger }}",
)
TILBUD_KOLONNER = [
    ("Avdeling", "{{ x.avdeling }}"),
    ("Antall ledige plasser til Kvalifisering", "{{ x.kvalifisering }}"),
    ("Antall ledige plasser til Tilrettelagt arbeid", "{{ x.tilrettelagt_arbeid }}"),
]
TILBUD_MELDING = "Bedriften skal gi skriftlig melding til NAV lokal minst en gang i måneden om:"
TILBUD_SPESIFISERES = (
    "Spesifiseres når det gjelder avdeling, trenings- og opplæringstilbud, eventuelle faglige "
    "kvalifikasjonskrav, helsemessige forutsetninger osv."
)


def _ledige_plasser(doc: Document, sikt: str, overskrift: str, forklaring: Sequence[str]) -> None:
    """One of §8.1/§8.2: the seed's words, a row per avdeling and the sums of the places."""
    _heading(doc, overskrift, 2, 13)
    _avsnitt_liste(
        doc,
        [
            *forklaring,
            TILBUD_MELDING,
            "• Antall ledige plasser til Kvalifisering",
            "• Antall ledige plasser til Tilrettelagt arbeid",
            TILBUD_SPESIFISERES,
        ],
    )
    liste(
        doc,
        f"{overskrift}:",
        sikt,
        TILBUD_KOLONNER,
        detalj=TILBUD_SPESIFIKASJON,
        bredder=(7.0, 5.0, 5.0),
    )
    felt(
        doc,
        [
            (
                ("Ledige plasser til Kvalifisering i alt:", f"{{{{ sum_{sikt}_kvalifisering }}}}"),
                (
                    "Ledige plasser til Tilrettelagt arbeid i alt:",
                    f"{{{{ sum_{sikt}_tilrettelagt_arbeid }}}}",
                ),
            )
        ],
    )


def tilbudsmelding() -> Document:
    """Bedriftens tilbudsmelding (AMB kravspesifikasjon §8)."""
    doc = _new_document("Tilbudsmelding – {{ bedrift.navn }}")
    _title(doc, "Bedriftens tilbudsmelding", "", tiltak="{{ bedrift.navn }}")
    felt(
        doc,
        [
            (
                ("Bedrift:", "{{ bedrift.navn }}\nOrg.nr. {{ bedrift.orgnr }}"),
                ("Til NAV lokal:", "{{ nav_lokal }}"),
            ),
        ],
    )
    _ledige_plasser(
        doc,
        "kort_sikt",
        "Ledige plasser på kort sikt (ca. 1 måned)",
        [
            "(Antall ledige plasser refererer til det rammetall bedriften er tildelt, og som er "
            "de signaliserte behov fra NAV for plasser i avtaleperioden)."
        ],
    )
    _ledige_plasser(
        doc, "lengre_sikt", "Forventet ledige plasser på lengre sikt (ca.3 måneder)", []
    )
    _heading(doc, "Spesielle anmerkninger", 2, 13)
    felt(doc, [("Spesielle anmerkninger:", "{{ spesielle_anmerkninger }}")])
    _heading(doc, "Underskrift", 2, 13)
    avsnitt(doc, "Sted, dato, underskrift av kontaktperson for bedriften og telefonnummer.")
    felt(
        doc,
        [
            (
                ("Sted og dato:", "{{ sted }}, {{ dato }}"),
                ("Telefonnummer:", "{{ underskriver.telefon }}"),
            ),
            (
                "Underskrift av kontaktperson for bedriften:",
                "\n\n" + sammen("underskriver.navn", "underskriver.rolle", skille=", "),
            ),
        ],
    )
    return doc


def opplaeringsplan() -> Document:
    """Opplæringsplan for Kvalifisering (AMB kravspesifikasjon §11.1–11.4)."""
    doc = _new_document("Opplæringsplan for Kvalifisering – {{ deltaker.navn }}")
    _title(
        doc,
        "Opplæringsplan for Kvalifisering",
        "(Inngår i den overordnede handlingsplanen fra NAV lokal.)",
    )
    felt(
        doc,
        [
            (
                ("Arbeidstaker:", "{{ deltaker.navn }}"),
                ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}"),
            ),
            (
                ("Oppstartdato:", "{{ oppstartdato }}"),
                ("Planperiode:", "{{ planperiode.fra }} – {{ planperiode.til }}"),
            ),
            (
                ("NAV lokal:", "{{ nav_lokal }}"),
                ("Saksbehandler på NAV lokal:", kontakt("saksbehandler_nav")),
            ),
            (
                ("Bedrift:", "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}"),
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
            ),
        ],
    )
    _heading(doc, "Innhold", 2, 13)
    liste(
        doc,
        "1. Faglige mål og framdriftsplan.",
        "faglige_mal",
        [("Faglig mål", "{{ x.mal }}"), ("Tidsrom", "{{ x.tidsrom.fra }} – {{ x.tidsrom.til }}")],
        detalj=("Framdriftsplan:", "{{ x.framdrift }}"),
        bredder=(11.0, 6.0),
    )
    liste(
        doc,
        "2. Eksterne kurs/opplæring.",
        "eksterne_kurs",
        [
            ("Kurs/opplæring", "{{ x.kurs }}"),
            ("Kursholder", "{{ x.kursholder }}"),
            ("Tidsrom", "{{ x.tidsrom.fra }} – {{ x.tidsrom.til }}"),
        ],
        bredder=(6.5, 4.5, 6.0),
    )
    felt(
        doc,
        [
            (
                "3. Eventuelle medisinske mål og/eller sosiale mål.",
                "{{ medisinske_og_sosiale_mal }}",
            ),
            (
                "4. Når er opplæringen og arbeidstreningen i Kvalifisering beregnet avsluttet?",
                "{{ beregnet_avsluttet }}",
            ),
        ],
    )
    _heading(doc, "Ansvarsforhold", 2, 13)
    felt(
        doc,
        [
            (
                "1. Beskriv hvordan bedriften tilrettelegger for opplæring osv.",
                "{{ tilrettelegging }}",
            ),
            ("2. Hvem er hovedansvarlig for oppfølging i bedriften?", kontakt("hovedansvarlig")),
            (
                "3. På hvilken måte stimuleres arbeidstakeren til f.eks. kurs i fagteori, å søke "
                "skole, jobbsøking, fysisk trening.",
                "{{ stimulering }}",
            ),
            (
                "4. Beskriv rutiner for samtalehyppighet og evaluering av planen med "
                "arbeidstakeren.",
                "{{ samtalehyppighet_og_evaluering }}",
            ),
            (
                "5. Beskriv hvordan eventuell ekstern oppfølging benyttes fra f.eks. "
                "sosialkontor, lege, psykolog.",
                "{{ ekstern_oppfolging }}",
            ),
            (
                "6. Beskriv hvordan eventuell oppfølging fra saksbehandler på NAV lokal benyttes.",
                "{{ oppfolging_fra_nav }}",
            ),
            (
                "7. Beskriv hvilke konsekvenser som følger dersom planen ikke blir fulgt av "
                "partene.",
                "{{ konsekvenser_ved_brudd }}",
            ),
        ],
    )
    _heading(doc, "Underskrift", 2, 13)
    avsnitt(doc, "Attføringsansvarlig og arbeidstaker", med_neste=True)
    signatur(
        doc,
        [
            (
                "Attføringsansvarlig",
                [
                    ("Sted og dato:", "{{ sted }}, {{ dato }}"),
                    (
                        "Underskrift:",
                        "\n\n" + sammen("underskriver.navn", "underskriver.rolle", skille=", "),
                    ),
                ],
            ),
            (
                "Arbeidstaker",
                [("Sted og dato:", ""), ("Underskrift:", "\n\n{{ deltaker.navn }}")],
            ),
        ],
    )
    doc.add_paragraph()
    _heading(doc, "Kopi til", 2, 13)
    avsnitt(doc, "Arbeidstaker og saksbehandler på NAV lokal", med_neste=True)
    felt(
        doc,
        [
            (
                ("Arbeidstaker:", "{{ deltaker.navn }}"),
                ("Saksbehandler på NAV lokal:", "{{ saksbehandler_nav.navn }}, {{ nav_lokal }}"),
            ),
        ],
    )
    return doc


def samtalereferat() -> Document:
    """Referat fra oppfølgingssamtale (AMB kravspesifikasjon §13.2–13.3)."""
    doc = _new_document("Referat fra oppfølgingssamtale – {{ deltaker.navn }}")
    _title(doc, "Referat fra oppfølgingssamtale", "")
    felt(
        doc,
        [
            (
                ("Arbeidstaker:", "{{ deltaker.navn }}"),
                ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}"),
            ),
            (
                ("Dato for samtalen:", "{{ samtaledato }}"),
                ("Neste oppfølgingssamtale:", "{{ neste_samtale }}"),
            ),
            (
                ("Bedrift:", "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}"),
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
            ),
        ],
    )
    _heading(doc, "Oppfølgingssamtaler. Bør skje minst hver 3. måned.", 2, 13)
    liste(
        doc,
        "1. Hvem medvirker fra personalet?",
        "medvirkende",
        [("Navn", "{{ x.navn }}"), ("Rolle", "{{ x.rolle }}")],
        bredder=(8.0, 9.0),
    )
    liste(
        doc,
        "Andre til stede:",
        "andre_til_stede",
        [("Navn", "{{ x.navn }}"), ("Rolle", "{{ x.rolle }}")],
        bredder=(8.0, 9.0),
    )
    felt(
        doc,
        [
            (
                "2. Beskriv hvilken kompetanse personalet har for denne oppgaven (samtalekurs, "
                "arbeidslederopplæring osv.)",
                "{{ personalets_kompetanse }}",
            ),
        ],
    )
    liste(
        doc,
        "3. Hvilke temaer er faste innslag i samtalene?",
        "temaer",
        [("Tema", "{{ x.tema }}")],
        detalj=("Hva ble sagt og avtalt:", "{{ x.referat }}"),
        bredder=(17.0,),
    )
    felt(
        doc,
        [
            (
                "4. Hvor ofte og hvordan blir handlingsplanen evaluert?",
                "{{ evaluering_av_planen }}",
            ),
            (
                "5. Blir det fastsatt nye delmål ved oppfølgingssamtalen?",
                "{{ nye_delmal_fastsatt }}",
            ),
        ],
    )
    liste(
        doc,
        "Nye delmål:",
        "nye_delmal",
        [("Delmål", "{{ x.delmal }}"), ("Frist", "{{ x.frist }}")],
        bredder=(12.0, 5.0),
    )
    _heading(doc, "Referat fra oppfølgingssamtalene", 2, 13)
    felt(
        doc,
        [
            ("1. Hvem får referat og hvordan oppbevares referatene?", "{{ referat_til }}"),
            ("2. Hvor lenge oppbevares referatene?", "{{ oppbevaringstid }}"),
            (
                "3. Beskriv rutinene for informasjon til NAV lokal ved endringer i planen.",
                "{{ informasjon_til_nav }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            (
                "Referent:",
                "\n\n" + sammen("underskriver.navn", "underskriver.rolle", skille=", "),
            ),
        ],
    )
    return doc


def _praksisparter() -> list[Par | tuple[Par, Par]]:
    """The parties of a placement's documents: tiltaksarrangør, arbeidsgiver and deltaker."""
    return [
        (
            ("Tiltaksarrangør:", "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}"),
            ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
        ),
        (
            (
                "Arbeidsgiver:",
                "{{ arbeidsgiver.navn }}\nOrg.nr. {{ arbeidsgiver.orgnr }}"
                "{% if arbeidsgiver.adresse != '—' %}\n{{ arbeidsgiver.adresse }}{% endif %}",
            ),
            ("Kontaktperson hos arbeidsgiver:", kontakt("arbeidsgiver.kontaktperson")),
        ),
        (
            ("Deltaker:", "{{ deltaker.navn }}"),
            ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}"),
        ),
    ]


def _praksisplassen() -> list[Par | tuple[Par, Par]]:
    return [
        (
            ("Type praksisplass:", "{{ praksisplass.art }}"),
            ("Avdeling:", "{{ praksisplass.avdeling }}"),
        ),
        ("Arbeidsoppgaver:", "{{ praksisplass.arbeidsoppgaver }}"),
    ]


def _praksisunderskrifter(doc: Document) -> None:
    """One column per party; the arrangør's place and date are the document's."""
    _heading(doc, "Underskrifter", 2, 13)
    signatur(
        doc,
        [
            (
                "Arbeidsgiver",
                [
                    ("Sted og dato:", ""),
                    ("Underskrift:", "\n\n{{ arbeidsgiver.kontaktperson.navn }}"),
                ],
            ),
            ("Deltaker", [("Sted og dato:", ""), ("Underskrift:", "\n\n{{ deltaker.navn }}")]),
            (
                "Tiltaksarrangør",
                [
                    ("Sted og dato:", "{{ sted }}, {{ dato }}"),
                    ("Underskrift:", "\n\n{{ veileder.navn }}"),
                ],
            ),
        ],
    )


def tilretteleggingsgaranti() -> Document:
    """Tilretteleggingsgaranti (the praksisplass routine: one for every place, whatever its
    kind): the parties, the place and its period, what the tiltaksarrangør guarantees, the
    veileder to contact and what to do at an absence, with the routine's sentences."""
    doc = _new_document("Tilretteleggingsgaranti – {{ deltaker.navn }}")
    _title(
        doc,
        "Tilretteleggingsgaranti",
        "Garanti for oppfølging og tilrettelegging i praksisplassen",
    )
    avsnitt(doc, RUTINE_GARANTI)
    doc.add_paragraph()
    felt(doc, _praksisparter())
    _heading(doc, "Praksisplassen", 2, 13)
    felt(
        doc,
        [
            *_praksisplassen(),
            (("Oppstart:", "{{ oppstart }}"), ("Planlagt sluttdato:", "{{ planlagt_sluttdato }}")),
        ],
    )
    _heading(doc, "Dette garanterer tiltaksarrangøren", 2, 13)
    avsnitt(
        doc,
        "Tiltaksarrangøren følger opp deltakeren og arbeidsgiveren og hjelper med "
        "tilrettelegging så lenge deltakeren er i praksisplassen.",
        med_neste=True,
    )
    felt(
        doc,
        [
            ("Tilrettelegging tiltaksarrangøren tilbyr:", "{{ tilrettelegging }}"),
            ("Oppfølging fra tiltaksarrangøren:", "{{ oppfolging }}"),
            ("Veileder hos tiltaksarrangør:", kontakt("veileder")),
        ],
    )
    _heading(doc, "Når noe ikke går som avtalt", 2, 13)
    avsnitt(doc, RUTINE_FRAVAER, med_neste=True)
    felt(
        doc,
        [
            ("Ved fravær:", "{{ ved_fravaer }}"),
            ("Når noe annet ikke fungerer:", "{{ ved_andre_problemer }}"),
        ],
    )
    _praksisunderskrifter(doc)
    return doc


def oppfolgingsplan() -> Document:
    """Oppfølgingsplan for a praksisplass (the routine: "hvor oppstart og sluttdato er
    notert"): the parties, the place, its dates, the aim from the oppstartsmøte (an
    arbeidstrening's yrkesmål), the tilrettelegging, who follows up how often, the
    evaluation and the end."""
    doc = _new_document("Oppfølgingsplan – {{ deltaker.navn }}")
    _title(doc, "Oppfølgingsplan", "Oppfølging av deltaker og arbeidsgiver i praksisplassen")
    felt(
        doc,
        [
            *_praksisparter(),
            ("Veileder hos tiltaksarrangør:", kontakt("veileder")),
        ],
    )
    _heading(doc, "Praksisplassen", 2, 13)
    felt(
        doc,
        [*_praksisplassen(), (("Oppstart:", "{{ oppstart }}"), ("Sluttdato:", "{{ sluttdato }}"))],
    )
    _heading(doc, "Mål", 2, 13)
    felt(
        doc,
        [
            ("Målsetting med praksisplassen:", "{{ malsetting }}"),
            ("Yrkesmål:", "{{ yrkesmal }}"),
        ],
    )
    _heading(doc, "Tilrettelegging", 2, 13)
    felt(doc, [("Tilrettelegging:", "{{ tilrettelegging }}")])
    _heading(doc, "Oppfølging", 2, 13)
    liste(
        doc,
        "Hvem følger opp, og hvor ofte:",
        "oppfolging",
        [("Hva", "{{ x.hva }}"), ("Hvem", "{{ x.hvem }}"), ("Når / hvor ofte", "{{ x.nar }}")],
        bredder=(8.0, 4.5, 4.5),
    )
    _heading(doc, "Evaluering og avslutning", 2, 13)
    felt(doc, [("Evaluering og avslutning:", "{{ evaluering }}")])
    _praksisunderskrifter(doc)
    return doc


def _dokumentmottakere() -> list[Par]:
    return [("Hvem", "{{ x.mottaker }}"), ("Dokumenter", "{{ x.dokumenter }}")]


def samarbeidsavtale() -> Document:
    """Samarbeidsavtale mellom NAV lokal og tiltaksarrangør (AMB kravspesifikasjon §1).

    Every heading and question of §1.1–1.7 in the seed's order and words ("Aetat" and
    "AMB-tilaket" included); the fixed numbers are the seed's, so "pkt. 1.6.c" finds its
    place. NAV lokal and the bedrift sign.
    """
    doc = _new_document("Samarbeidsavtale – {{ tiltak.arrangor.navn }} og {{ nav_lokal.navn }}")
    _title(
        doc,
        "Samarbeidsavtale",
        "Innhold i samarbeidsavtalen mellom NAV og tiltaksarrangør for AMB-tiltaket",
    )
    felt(
        doc,
        [
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                ("NAV lokal:", "{{ nav_lokal.navn }}\n" + kontakt("nav_lokal.kontaktperson")),
            ),
            (
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
                ("Avtaleperiode:", "{{ avtaleperiode.fra }} – {{ avtaleperiode.til }}"),
            ),
        ],
    )
    _heading(doc, "1.1 Samarbeidsavtalens formål og hensikt", 2, 12)
    felt(doc, [("Avtalen skal tilpasses lokale forhold.", "{{ formal }}")])
    _heading(
        doc,
        "1.2 Oppfølging av samarbeidsavtalen mellom NAV lokal og tiltaksarrangør for AMB-tilaket",
        2,
        12,
    )
    felt(
        doc,
        [
            ("Møtehyppighet; minimum én gang i året", "{{ moter_per_ar }} møter i året"),
            ("Deltakere: NAV og arbeidsmarkedsbedriften", "{{ motedeltakere }}"),
            ("Ansvar for innkalling", "{{ ansvar_for_innkalling }}"),
            (
                "Faste temaer på møtene (F.eks felles opplæring ansatte NAV/AMB-tiltaket, "
                "tilbudsmeldingen og informasjonsmøter for potensielle søkere.)",
                "{{ faste_temaer }}",
            ),
            ("Aetat orienterer om aktuelle styringsdokumenter mv.", "{{ styringsdokumenter }}"),
            ("Revisjonsdato for samarbeidsavtale", "{{ revisjonsdato }}"),
        ],
    )
    _heading(
        doc,
        "1.3 Bedriftens samarbeid med Aetat om formidling og overgang til andre "
        "arbeidsmarkedstiltak",
        2,
        12,
    )
    felt(
        doc,
        [
            (
                "Rutiner for samarbeid om tilmeldte stillinger, om jobbtilbud til "
                "tiltaksdeltakerne mv.",
                "{{ rutiner_tilmeldte_stillinger }}",
            ),
            (
                "Rutiner for hvordan bedriften konfererer med NAV før den går ut i markedet og "
                "tilbyr utlån/utleie av tiltaksdeltakere.",
                "{{ rutiner_utleie }}",
            ),
            (
                "Rutiner ved overgang til andre tiltak, for eksempel Lønnstilskudd, "
                "Arbeidspraksis i skjermet virksomhet, utdanning, AMO-kurs mv.",
                "{{ rutiner_overgang_andre_tiltak }}",
            ),
        ],
    )
    _heading(doc, "1.4 Oppdatering av dokumenter som følger av kravspesifikasjonen", 2, 12)
    felt(
        doc,
        [
            (
                "Hyppighet (revisjon av bedriftens kvalitetssikringssystem og samarbeidsavtale).",
                "{{ oppdateringshyppighet }}",
            )
        ],
    )
    liste(
        doc,
        "Liste over hvem som skal ha dokumenter.",
        "dokumentmottakere",
        _dokumentmottakere(),
        bredder=(6.0, 11.0),
    )
    _heading(doc, "1.5 Ventelister, frister, inntakskritererier mv.", 2, 12)
    felt(
        doc,
        [
            (
                "Hva er maksimal ventetid for inntak til Kvalifisering?",
                "{{ maks_ventetid_uker }} uker",
            ),
            (
                "Frist for levering av sluttrapport etter Kvalifisering og Tilrettelagt arbeid.",
                "{{ sluttrapport_frist_dager }} dager etter avslutning",
            ),
            ("Deltid, fleksibel arbeidstid, skiftarbeid mv.", "{{ deltid_arbeidstid }}"),
        ],
    )
    _heading(
        doc,
        "1.6 Lokale satsingsområder mellom bedriften og NAV lokal i kommende periode. "
        "Avtalen bør minimum inneholde:",
        2,
        12,
    )
    felt(
        doc,
        [
            (
                "a. Planer for å tilpasse bedriftens tilbud (kompetansekrav, produksjonsområder "
                "mv.) til aktuelle brukere og deres behov. Dette tas opp som fast punkt på "
                "oppfølgingsmøtene.",
                "{{ tilpasning_av_tilbud }}",
            ),
            (
                "b. Tiltak for å bedre samarbeidsrutinene mellom NAV lokal og bedriften.",
                "{{ bedre_samarbeidsrutiner }}",
            ),
            (
                "c. Mål for og resultatvurdering av attføringsarbeidet, herunder lokale "
                "resultatkrav i forhold til formidling og egenfinansiert utdanning for "
                "deltakere som avslutter Kvalifisering.",
                "{{ mal_og_resultatvurdering }}",
            ),
        ],
    )
    liste(
        doc,
        "Lokale resultatkrav:",
        "resultatkrav",
        [
            ("Område", "{{ x.omrade }}"),
            ("Krav", "{{ x.krav_prosent }}"),
            ("Beskrivelse", "{{ x.beskrivelse }}"),
        ],
        bredder=(5.0, 2.5, 9.5),
    )
    felt(
        doc,
        [
            (
                "d. Oppdatering for neste periode: Hvilke endringer som skal foretas innenfor "
                "angitte frister, innholdet i tiltaket, målgrupper mv.",
                "{{ oppdatering_neste_periode }}",
            ),
        ],
    )
    _heading(doc, "1.7 Koordinering mellom NAV lokal som bruker samme AMB-tiltak", 2, 12)
    felt(
        doc,
        [
            (
                "Det skal lages hensiktsmessige rutiner for rapportering vedrørende bl.a. "
                "inntak, oppstart, oppfølging av handlingsplaner og avslutning, til henvisende "
                "og koordinerende kontor (der dette ikke er det samme).",
                "{{ koordinering }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
        ],
    )
    signatur(
        doc,
        [
            (
                "For {{ nav_lokal.navn }}",
                [
                    ("Underskrift:", "\n"),
                    ("Navn:", "{{ underskriver_nav.navn }}, {{ underskriver_nav.rolle }}"),
                ],
            ),
            (
                "For {{ tiltak.arrangor.navn }}",
                [
                    ("Underskrift:", "\n"),
                    (
                        "Navn:",
                        "{{ underskriver_bedrift.navn }}, {{ underskriver_bedrift.rolle }}",
                    ),
                ],
            ),
        ],
    )
    return doc


def arsrapport() -> Document:
    """Årsrapport til NAV (AMB kravspesifikasjon §2.1–2.2), due by the end of June.

    The figures are the model's plain inputs (plasser, årsverk per avdeling and programme,
    results by code); the revisor-approved regnskap goes beside it as a PDF, named here.
    """
    doc = _new_document("Årsrapport {{ rapportar }} – {{ tiltak.arrangor.navn }}")
    _title(
        doc,
        "Årsrapport {{ rapportar }}",
        "Tiltaksarrangør plikter hvert år å sende årsmeldingen til NAV lokal, senest innen "
        "utgangen av juni.",
    )
    felt(
        doc,
        [
            (
                (
                    "Tiltaksarrangør:",
                    "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}",
                ),
                ("Mottaker:", "{{ mottaker }}"),
            ),
            (
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
                ("Rapporteringsår:", "{{ rapportar }}"),
            ),
        ],
    )
    _heading(doc, "2.1 Årsrapport", 2, 12)
    avsnitt(doc, "Årsrapporten skal også inneholde:", bold=True, med_neste=True)
    delfelt(
        doc,
        "Bedriftens beliggenhet, adresse, e-post, telefaks og telefon.",
        [
            ("Beliggenhet:", "{{ bedrift.beliggenhet }}"),
            ("Adresse:", "{{ bedrift.adresse }}"),
            ("E-post:", "{{ bedrift.epost }}"),
            ("Telefaks:", "{{ bedrift.telefaks }}"),
            ("Telefon:", "{{ bedrift.telefon }}"),
        ],
    )
    felt(doc, [("Eierforhold/Tiltaksarrangør.", "{{ eierforhold }}")])
    liste(
        doc,
        "Ordinært ansatte med attføringsansvarlig ansvar, antall stillinger og kompetanse.",
        "ordinaert_ansatte",
        [
            ("Funksjon", "{{ x.funksjon }}"),
            ("Antall stillinger", "{{ x.antall_stillinger }}"),
            ("Kompetanse", "{{ x.kompetanse }}"),
        ],
        bredder=(5.0, 3.2, 8.8),
    )
    avsnitt(
        doc,
        "Tildelt ramme, godkjente plasser fordelt på Kvalifisering og Tilrettelagt arbeid og "
        "faktisk gjennomførte årsverk.",
        bold=True,
        med_neste=True,
    )
    felt(doc, [("Tildelt ramme:", "{{ tildelt_ramme }} plasser")])
    liste(
        doc,
        "Godkjente plasser og faktisk gjennomførte årsverk",
        "plasser",
        [
            ("Program", "{{ x.program }}"),
            ("Godkjente plasser", "{{ x.godkjente_plasser }}"),
            ("Antall deltakere i året", "{{ x.antall_deltakere }}"),
            ("Faktisk gjennomførte årsverk", "{{ x.arsverk }}"),
        ],
        bredder=(5.0, 3.6, 4.0, 4.4),
    )
    liste(
        doc,
        "Oversikt over hvilke avdelinger tiltaket har.",
        "avdelinger",
        [("Avdeling", "{{ x.avdeling }}"), ("Hva blir produsert", "{{ x.beskrivelse }}")],
        bredder=(6.0, 11.0),
    )
    liste(
        doc,
        "Deltakere og årsverk per avdeling og program",
        "arsverk_per_avdeling",
        [
            ("Avdeling", "{{ x.avdeling }}"),
            ("Program", "{{ x.program }}"),
            ("Antall deltakere", "{{ x.antall_deltakere }}"),
            ("Årsverk", "{{ x.arsverk }}"),
        ],
        bredder=(5.6, 4.4, 3.6, 3.4),
    )
    felt(
        doc,
        [
            (
                "Hva kan tilbys mht formell opplæring/kvalifisering (fagbrev) og annen "
                "dokumenterbar kompetanse (realkompetanse).",
                "{{ opplaeringstilbud }}",
            ),
            ("Organisasjonskart.", "{{ organisasjonskart }}"),
            ("Omfanget av tverretatlig samarbeid.", "{{ tverretatlig_samarbeid }}"),
            ("Fagutvikling/kompetanseheving for ordinært ansatte", "{{ fagutvikling }}"),
        ],
    )
    liste(
        doc,
        "Resultater av attføringsarbeidet, jfr. Samarbeidsavtalens pkt. 1.6.c",
        "resultater",
        [("Resultat", "{{ x.resultat }}"), ("Antall deltakere", "{{ x.antall }}")],
        bredder=(12.0, 5.0),
    )
    felt(
        doc,
        [
            ("Overgang til Tilrettelagt arbeid", "{{ overgang_tilrettelagt_arbeid }}"),
            ("Vurdering av resultatene mot lokale resultatkrav:", "{{ resultatvurdering }}"),
        ],
    )
    _heading(
        doc,
        "2.2 Redegjørelse for hvordan NAVs driftstilskudd til AMB-tiltaket er benyttet",
        2,
        12,
    )
    avsnitt(
        doc,
        "Eget budsjett, totalbeløp mottatt i rapporteringsåret og revisor godkjent regnskap "
        "skal medfølge årsrapporten til NAV.",
        med_neste=True,
    )
    felt(
        doc,
        [
            (
                ("Eget budsjett:", "{{ eget_budsjett }} kr"),
                ("Totalbeløp mottatt i rapporteringsåret:", "{{ mottatt_driftstilskudd }} kr"),
            ),
        ],
    )
    liste(
        doc,
        "Regnskapet bygger på Norsk Standard regnskapssystem med kontoer som beskriver andel "
        "brukt til bl.a.:",
        "driftstilskudd_poster",
        [
            ("Konto", "{{ x.post }}"),
            ("Beløp (kr)", "{{ x.belop }}"),
            ("Kommentar", "{{ x.kommentar }}"),
        ],
        bredder=(9.0, 3.2, 4.8),
    )
    avsnitt(
        doc,
        "Eventuelle fellesutgifter med andre avdelinger hos tiltaksarrangør skal spesifiseres "
        "og dokumenteres",
    )
    doc.add_paragraph()
    felt(
        doc,
        [
            ("Sum brukt:", "{{ sum_poster }} kr"),
            ("Eventuelt overskudd, som overføres til neste års drift.", "{{ overskudd }} kr"),
            (
                "Vedlegg: revisorgodkjent regnskap",
                "{{ revisorgodkjent_regnskap.filnavn }}\nGodkjent av {{ revisorgodkjent_regnskap.revisor }} "
                "{{ revisorgodkjent_regnskap.godkjent_dato }}",
            ),
            ("Sted og dato:", "{{ sted }}, {{ dato }}"),
            ("Underskrift:", UNDERSKRIFT),
        ],
    )
    return doc


def timeliste() -> Document:
    """The timeliste specification an EHF invoice carries as its PDF attachment."""
    doc = _new_document("Timeliste – faktura {{ nummer }}")
    _title(doc, "Timeliste", "Spesifikasjon til faktura {{ nummer }}", tiltak="")
    felt(
        doc,
        [
            (
                ("Fra:", "{{ selger.navn }}\nOrg.nr. {{ selger.orgnr }}"),
                ("Til:", "{{ kjoper.navn }}\nOrg.nr. {{ kjoper.orgnr }}"),
            ),
            (("Fakturanummer:", "{{ nummer }}"), ("Fakturadato:", "{{ fakturadato }}")),
            (("Periode:", "{{ periode }}"), ("Timepris (kr):", "{{ timepris }}")),
            (
                ("Deres referanse:", "{{ deres_referanse }}"),
                ("Bestillingsnummer:", "{{ bestillingsnummer }}"),
            ),
            ("Regelsett:", "{{ regelsett }}"),
        ],
    )
    kolonner = ["Rad", "Dato", "Aktivitet", "Minutter", "Regel brukt", "Timer"]
    table = _table(doc, len(kolonner))
    table.autofit = False
    for column, width in zip(table.columns, (1.1, 2.2, 3.6, 1.8, 6.8, 1.5), strict=True):
        column.width = Cm(width)
    header_row = table.add_row()
    _rad_hel(header_row, overskrift=True)
    header = header_row.cells
    for cell, navn in zip(header, kolonner, strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
        _shade(cell)
    rader: list[list[str]] = [
        ["{%tr for d in deltakere %}"],
        ["Deltaker {{ d.nr }} {{ d.navn }}"],
        ["{%tr for a in d.aktiviteter %}"],
        [
            "{{ a.rad }}",
            "{{ a.dato }}",
            "{{ a.aktivitet }}",
            "{{ a.minutter }}",
            "{{ a.forklaring }}",
            "{{ a.timer }}",
        ],
        ["{%tr endfor %}"],
        ["", "", "", "", "Sum {{ d.nr }}: {{ d.belop }} kr", "{{ d.timer }}"],
        ["{%tr endfor %}"],
        ["", "", "", "", "Sum fakturert: {{ sum_belop }} kr", "{{ sum_timer }}"],
    ]
    for values in rader:
        row = table.add_row()
        _rad_hel(row)
        cells = row.cells
        if len(values) == 1:
            cells = [cells[0].merge(cells[-1])]
        for cell, value in zip(cells, values, strict=True):
            bold = value.startswith(("Deltaker", "Sum"))
            _font(cell.paragraphs[0].add_run(value), 9.5, bold=bold)
    doc.add_paragraph()
    avsnitt(
        doc,
        "Timene for hver aktivitet er regnet etter regelsettet over: tak og deling er brukt "
        "først, deretter er timene rundet opp til nærmeste kvarter.",
    )
    return doc


def timedokumentasjon() -> Document:
    """The Timedokumentasjon a NAV claim (arrangørflate, "Utbetalinger") carries as its PDF:
    per deltaker the person NAV matches on (name, fødselsnummer, dates) and every activity
    with the hours billed, then the totals and the amount to type in NAV's form."""
    doc = _new_document("Timedokumentasjon – {{ gjennomforing.navn }} – {{ maned }}{{ del_tekst }}")
    _title(
        doc, "Timedokumentasjon", "Dokumentasjon av timer til krav om utbetaling fra NAV", tiltak=""
    )
    felt(
        doc,
        [
            (
                ("Tiltaksarrangør:", "{{ arrangor.navn }}\nOrg.nr. {{ arrangor.orgnr }}"),
                ("Gjennomføring:", "{{ gjennomforing.navn }}"),
            ),
            (
                ("Tiltaksnummer:", "{{ gjennomforing.tiltaksnummer }}"),
                ("Avtalenummer:", "{{ gjennomforing.avtalenummer }}"),
            ),
            (("Periode:", "{{ maned }} ({{ periode }})"), ("Timepris (kr):", "{{ timepris }}")),
            ("Krav:", "{{ krav_tekst }}"),
        ],
    )
    kolonner = ["Dato", "Aktivitet", "Minutter", "Regel brukt", "Timer"]
    table = _table(doc, len(kolonner))
    table.autofit = False
    for column, width in zip(table.columns, (2.2, 5.0, 1.8, 6.4, 1.6), strict=True):
        column.width = Cm(width)
    header_row = table.add_row()
    _rad_hel(header_row, overskrift=True)
    for cell, navn in zip(header_row.cells, kolonner, strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
        _shade(cell)
    rader: list[list[str]] = [
        ["{%tr for d in deltakere %}"],
        ["{{ d.navn }}, fødselsnr. {{ d.fodselsnummer }}"],
        [
            "Startdato i tiltaket: {{ d.oppstartdato }}. Startdato i perioden: "
            "{{ d.start_i_perioden }}. Sluttdato i perioden: {{ d.slutt_i_perioden }}."
        ],
        ["{%tr for a in d.aktiviteter %}"],
        ["{{ a.dato }}", "{{ a.aktivitet }}", "{{ a.minutter }}", "{{ a.regel }}", "{{ a.timer }}"],
        ["{%tr endfor %}"],
        ["", "", "", "Sum {{ d.navn }}: {{ d.belop }} kr", "{{ d.timer }}"],
        ["{%tr endfor %}"],
        ["", "", "", "Sum {{ omfang }}: {{ sum_belop }} kr", "{{ sum_timer }}"],
    ]
    for values in rader:
        row = table.add_row()
        _rad_hel(row)
        cells = row.cells
        if len(values) == 1:
            cells = [cells[0].merge(cells[-1])]
        for cell, value in zip(cells, values, strict=True):
            bold = value.startswith(("{{ d.navn", "Sum"))
            _font(cell.paragraphs[0].add_run(value), 9.5, bold=bold)
    doc.add_paragraph()
    _heading(doc, "Beløp", 2, 13)
    felt(
        doc,
        [
            (("Timer i alt:", "{{ maned_timer }}"), ("Timepris (kr):", "{{ timepris }}")),
            ("Sum (timer × timepris):", "{{ maned_belop }} kr"),
            ("KID:", "{{ kid }}"),
        ],
    )
    avsnitt(
        doc,
        "Beløp å føre i NAVs skjema: {{ belop_kroner }} kr (hele kroner, avrundet fra "
        "{{ maned_belop }} kr)",
        bold=True,
    )
    doc.add_paragraph()
    avsnitt(
        doc,
        "Timene for hver aktivitet er regnet etter avtalens regelsett ({{ regelsett }}); "
        "regelen som er brukt, står ved aktiviteten.",
    )
    _heading(doc, "Erklæring", 2, 13)
    avsnitt(doc, "{{ erklaering }}")
    return doc


def _sjekk(verdi: str) -> str:
    """Print "X" in the row of the code the document chose (the context holds its words)."""
    return f"{{% if resultat == '{verdi}' %}}X{{% endif %}}"


def sluttrapport_kvalifisering() -> Document:
    """Bedriftens sluttrapport fra Kvalifisering (AMB kravspesifikasjon §14.1–14.7)."""
    doc = _new_document("Sluttrapport fra Kvalifisering – {{ deltaker.navn }}")
    _title(doc, "Sluttrapport fra Kvalifisering", "Bedriftens sluttrapport fra Kvalifisering")
    felt(
        doc,
        [
            (
                ("Arbeidstaker:", "{{ deltaker.navn }}"),
                ("Fødselsnummer:", "{{ deltaker.fodselsnummer }}"),
            ),
            (
                ("Bedrift:", "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}"),
                ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
            ),
            ("NAV lokal:", "{{ innsokende_nav_kontor }}"),
        ],
    )
    _heading(doc, "Faktiske forhold", 2, 13)
    felt(doc, [("1. Start og sluttdato.", "{{ oppstartdato }} – {{ sluttdato }}")])
    liste(
        doc,
        "2. Fravær; oppgave over antall timer og dager fordelt på årsak.",
        "fravaer",
        [("Årsak", "{{ x.arsak }}"), ("Dager", "{{ x.dager }}"), ("Timer", "{{ x.timer }}")],
        bredder=(11.0, 3.0, 3.0),
    )
    felt(
        doc,
        [
            (
                "3. Formålet med opplæringsplanen og arbeidstrening i Kvalifisering.",
                "{{ formal_opplaeringsplan }}",
            ),
            ("4. Arbeidstakerens arbeidsoppgaver.", "{{ arbeidsoppgaver }}"),
            (
                "5. Gjennomført opplæring/kurs; sertifikater/fagbrev.",
                "{{ gjennomfort_opplaering }}",
            ),
            (
                "6. Omfang av eventuelt utleie, i forbindelse med opplæring, arbeidstrening eller "
                "som et ledd i en formidling.",
                "{{ omfang_utleie }}",
            ),
        ],
    )
    _heading(doc, "Vurdering av arbeidstakeren", 2, 13)
    felt(
        doc,
        [
            (
                "1. Hvilke interesser og ressurser har kommet frem under oppholdet i "
                "Kvalifisering?",
                "{{ interesser_og_ressurser }}",
            ),
            (
                "2. Forholdet mellom helse/yrkeshemning og arbeid. (I hvilken grad hindrer "
                "yrkeshemningen utførelse av arbeid som har vært forsøkt, i hvilken grad kreves "
                "spesiell tilrettelegging av arbeidet?).",
                "{{ helse_og_arbeid }}",
            ),
            (
                "3. Arbeidstempo. (I forhold til antatt tempo i ordinært arbeidsliv).",
                "{{ arbeidstempo }}",
            ),
            (
                # "Intiativ" is the seed's spelling, kept word for word.
                "4. Selvstendighet. (Intiativ til å utføre oppgaver, behov for oppfølging og "
                "instruksjon).",
                "{{ selvstendighet }}",
            ),
            (
                "5. Stabilitet/utholdenhet. (Presist frammøte om morgenen og etter pauser, være "
                "til stede på den tilviste arbeidsplassen gjennom arbeidsdagen).",
                "{{ stabilitet }}",
            ),
            (
                "6. Jobbutførelse. (I forhold til oppsatte kvalitetskrav i bedriften).",
                "{{ jobbutforelse }}",
            ),
            (
                "7. Samarbeid. (Med overordnede og kolleger, løser vedkommende oppgaver "
                "tilfredsstillende i fellesskap med andre).",
                "{{ samarbeid }}",
            ),
            (
                "8. Oppfølging av attføringsplanen. (Antall samtaler om planen, betydelige "
                "endringer og brudd).",
                "{{ oppfolging_attforingsplan }}",
            ),
        ],
    )
    _heading(doc, "Yrkesveiledning og arbeidssøking", 2, 13)
    felt(
        doc,
        [
            (
                "1. Arbeidssøkeraktivitet; antall jobber vedkommende har søkt, bedriftens innsats.",
                "{% if antall_sokte_jobber != '—' %}Antall jobber søkt: "
                "{{ antall_sokte_jobber }}\n{% endif %}{{ arbeidssokeraktivitet }}",
            ),
            ("2. Utdanningsaktivitet; søkt skoler, søkt kurs.", "{{ utdanningsaktivitet }}"),
        ],
    )
    _heading(doc, "Resultat", 2, 13)
    felt(
        doc,
        [
            (
                "a. Arbeidstakerens situasjon ved avslutningen. Gi eventuelt nærmere "
                "opplysninger om arbeidsgiver, omfang av lønnstilskudd, forhold mellom arbeid og "
                "trygd, hvilke skole/utdanning osv. (Kfr. refusjonsskjemaet PB 1940).",
                "{{ resultat_opplysninger }}",
            ),
            ("Overgang til Tilrettelagt arbeid", "{{ overgang_til_tilrettelagt_arbeid }}"),
        ],
    )
    _resultatvalg(doc)
    felt(
        doc,
        [
            ("b. Eventuelt forslag til videre tiltak.", "{{ forslag_videre_tiltak }}"),
            ("c. Vedtaket fra rådgivende utvalg.", "{{ vedtak_radgivende_utvalg }}"),
        ],
    )
    _heading(doc, "Underskrift", 2, 13)
    felt(
        doc,
        [("Arbeidstakeren m/plass til eventuell kommentar.", "{{ arbeidstakers_kommentar }}")],
    )
    signatur(
        doc,
        [
            # The arbeidstaker writes where and when by hand, or approves digitally.
            (
                "Arbeidstakeren",
                [("Sted og dato:", "\n"), ("Underskrift:", "\n\n{{ deltaker.navn }}")],
            ),
            (
                "Attføringsansvarlige",
                [("Sted og dato:", "{{ sted }}, {{ dato }}"), ("Underskrift:", UNDERSKRIFT)],
            ),
        ],
    )
    doc.add_paragraph()
    _heading(doc, "Kopi", 2, 13)
    avsnitt(doc, "Arbeidstakeren.")
    avsnitt(doc, "NAV lokal.")
    _heading(doc, "Vedlegg", 2, 13)
    avsnitt(doc, "Bedriftens attest som arbeidstakeren kan bruke ved jobbsøking.", med_neste=True)
    felt(
        doc,
        [(("Attest:", "{{ attest.beskrivelse }}"), ("Arkivreferanse:", "{{ attest.referanse }}"))],
    )
    return doc


def _resultatvalg(doc: Document) -> None:
    """Write §14.4 a's nine situations, numbered as in the seed, the chosen one marked."""
    table = _table(doc, 3)
    head = table.add_row()
    _rad_hel(head, overskrift=True)
    for cell, navn in zip(head.cells, ("Nr.", "Situasjon ved avslutningen", "Valgt"), strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
        _shade(cell)
    for nummer, kode in enumerate(AMB_RESULTATKODER, start=1):
        row = table.add_row()
        _rad_hel(row)
        verdier = (f"{nummer}.", resultat_med_kategori(kode), _sjekk(resultat_med_kategori(kode)))
        for cell, verdi in zip(row.cells, verdier, strict=True):
            _font(cell.paragraphs[0].add_run(verdi), 10.5, bold=False)
    _widths(table, (1.4, 13.0, 2.6))
    doc.add_paragraph()


def _motedeltakere(liste_navn: str) -> str:
    """Print one side's participants, "Navn (rolle)", separated by commas; "—" when none."""
    return (
        f"{{% for x in {liste_navn} %}}{{{{ x.navn }}}}"
        "{% if x.rolle != '—' %} ({{ x.rolle }}){% endif %}{% if not loop.last %}, {% endif %}"
        "{% else %}—{% endfor %}"
    )


def motereferat() -> Document:
    """Dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør (AMB §15)."""
    doc = _new_document("Møtereferat – {{ tiltak.arrangor.navn }}")
    _title(
        doc,
        "Dagsorden og referat ved NAVs oppfølgingsmøter med tiltaksarrangør for AMB-tiltaket",
        "",
    )
    felt(
        doc,
        [
            (
                ("Bedrift:", "{{ tiltak.arrangor.navn }}\nOrg.nr. {{ tiltak.arrangor.orgnr }}"),
                ("Møtedato:", "{{ motedato }}"),
            ),
            ("Avtalenummer / tiltaksnummer:", AVTALE_TILTAK),
        ],
    )
    delfelt(
        doc,
        "Møtedeltakere:",
        [
            ("Bedrift:", _motedeltakere("deltakere_bedrift")),
            ("NAV lokal:", _motedeltakere("deltakere_nav_lokal")),
            ("NAV fylke:", _motedeltakere("deltakere_nav_fylke")),
            ("NAV arbeidsrådgivning:", _motedeltakere("deltakere_nav_arbeidsradgivning")),
        ],
    )
    _heading(doc, "Dagsorden", 2, 13)
    avsnitt(doc, "Kommentar til referat fra forrige møte.")
    avsnitt(doc, "Gjennomgang etter malen under.")
    doc.add_paragraph()
    felt(doc, [("Kommentar til referat fra forrige møte.", "{{ kommentar_forrige_referat }}")])
    _heading(doc, "Overordnet", 2, 13)
    avsnitt(doc, "Kommentar/referat står under hvert punkt.", med_neste=True)
    felt(doc, [(f"{nummer}. {tekst}", f"{{{{ punkt_{nummer} }}}}") for nummer, tekst in DAGSORDEN])
    felt(
        doc,
        [(("Sted og dato:", "{{ sted }}, {{ dato }}"), ("Referent:", UNDERSKRIFT.lstrip("\n")))],
    )
    return doc


def _tabell(
    doc: Document, kolonner: Sequence[str], bredder: Sequence[float], rader: Sequence[Sequence[str]]
) -> None:
    """A table with a shaded header row; a one-value row spans the table (a loop tag)."""
    table = _table(doc, len(kolonner))
    table.autofit = False
    for column, width in zip(table.columns, bredder, strict=True):
        column.width = Cm(width)
    header_row = table.add_row()
    _rad_hel(header_row, overskrift=True)
    for cell, navn in zip(header_row.cells, kolonner, strict=True):
        _font(cell.paragraphs[0].add_run(navn), 9.5, bold=True)
        _shade(cell)
    for values in rader:
        row = table.add_row()
        _rad_hel(row)
        cells = row.cells
        if len(values) == 1:
            cells = [cells[0].merge(cells[-1])]
        for cell, value in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(value), 9.5)


def resultatrapport() -> Document:
    """The monthly resultatrapport (JMO §9.2, Bilag 8 vedlegg 3): the numbers of active,
    started and ended deltakere, the ended by status at the end, and the status mapping."""
    doc = _new_document("Resultatrapport – {{ gjennomforing.navn }} – {{ maned }}")
    _title(doc, "Resultatrapport", "Rapportering på resultater", tiltak="")
    felt(
        doc,
        [
            (
                ("Tiltaksarrangør:", "{{ arrangor.navn }}\nOrg.nr. {{ arrangor.orgnr }}"),
                ("Gjennomføring:", "{{ gjennomforing.navn }}"),
            ),
            (
                ("Tiltaksnummer:", "{{ gjennomforing.tiltaksnummer }}"),
                ("Avtalenummer:", "{{ gjennomforing.avtalenummer }}"),
            ),
            (("Måned:", "{{ maned }} ({{ periode }})"), ("Frist:", "{{ frist }}")),
        ],
    )
    avsnitt(doc, "{{ formal }}")
    _tabell(
        doc,
        ["Deltakere", "Antall"],
        (13.0, 4.0),
        [
            ["{%tr for t in tall %}"],
            ["{{ t.etikett }}", "{{ t.antall }}"],
            ["{%tr endfor %}"],
        ],
    )
    doc.add_paragraph()
    _heading(doc, "{{ status_overskrift }}", 2, 13)
    _tabell(
        doc,
        ["Status ved avslutning", "Antall avsluttede"],
        (13.0, 4.0),
        [
            ["{%tr for s in statuser %}"],
            ["{{ s.tekst }}", "{{ s.antall }}"],
            ["{%tr endfor %}"],
        ],
    )
    doc.add_paragraph()
    _heading(doc, "Slik telles statusene", 2, 13)
    _tabell(
        doc,
        ["Status i sluttrapporten", "Teller som"],
        (10.0, 7.0),
        [
            ["{%tr for k in kartlegging %}"],
            ["{{ k.status }}", "{{ k.kategori }}"],
            ["{%tr endfor %}"],
        ],
    )
    avsnitt(doc, "Kilde: {{ kilde }}. Regelsett: {{ gjennomforing.regelsett }}.")
    avsnitt(
        doc,
        "Tallene er hentet fra deltakerregisteret og de ferdige sluttrapportene: aktive er "
        "deltakere i tiltaket en dag i måneden, avsluttede har sluttdato i måneden og status "
        "Har sluttet, Fullført eller Avbrutt.",
    )
    avsnitt(doc, "{{ sendes }}")
    return doc


# Each template's builder is the function named like its type (found by that name, so a new
# type needs only its function here); timeliste is the invoice's specification and
# timedokumentasjon a NAV claim's documentation of hours; resultatrapport the monthly
# resultatrapport (JMO §9.2).
MAKERS = {
    name: make
    for name in (*DOKUMENTTYPER, "timeliste", "timedokumentasjon", "resultatrapport")
    if callable(make := globals().get(name))
}


_STYLE_REFS = ("w:pStyle", "w:rStyle", "w:tblStyle")
_STYLE_LINKS = ("w:basedOn", "w:link", "w:next")
# Parts python-docx's default template carries that no template uses: dropping them halves
# the file and spares LibreOffice parsing ~800 KB of style definitions on every conversion.
_UNUSED_PARTS = ("stylesWithEffects", "thumbnail", "customXml")


def _slim(doc: Document) -> Document:
    """Keep only the styles the template uses (and what they build on); drop unused parts."""
    styles = doc.styles.element
    used = {"Normal"}
    for part in [doc.part, *(r.target_part for r in doc.part.rels.values() if not r.is_external)]:
        element = getattr(part, "element", None)
        if element is not None:
            for tag in _STYLE_REFS:
                used.update(e.get(qn("w:val")) for e in element.iter(qn(tag)))
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    todo = list(used)
    while todo:
        style = by_id.get(todo.pop())
        for tag in _STYLE_LINKS:
            link = style.find(qn(tag)) if style is not None else None
            if link is not None and link.get(qn("w:val")) not in used:
                used.add(link.get(qn("w:val")))
                todo.append(link.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in used and style.get(qn("w:default")) != "1":
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for owner in (doc.part, doc.part.package):
        for r_id, rel in list(owner.rels.items()):
            if any(name in rel.reltype or name in str(rel.target_ref) for name in _UNUSED_PARTS):
                del owner.rels[r_id]
    doc.core_properties.author = doc.core_properties.last_modified_by = "dokgen"
    return doc


def main(names: Sequence[str] = ()) -> None:
    """Write every template (or the named ones) into maler/."""
    MALER.mkdir(exist_ok=True)
    for name, make in MAKERS.items():
        if names and name not in names:
            continue
        path = MALER / f"{name}.docx"
        _slim(make()).save(str(path))
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
