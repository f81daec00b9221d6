"""Filling templates: Norwegian formats, escaping, line breaks, lists and the sandbox."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import pytest

from dokgen.documents.context import belop, build_context
from dokgen.documents.models import DOKUMENTTYPER, parse_dokument
from dokgen.documents.render import fill, render_docx
from dokgen.errors import TemplateInvalidError


def _dump(type_navn: str, data: dict[str, Any]) -> dict[str, Any]:
    return parse_dokument(data, tillat_syntetiske=True).model_dump(mode="json")


def _text(docx_bytes: bytes) -> str:
    document = docx.Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    header = document.sections[0].header
    parts.extend(p.text for p in header.paragraphs)
    return "\n".join(parts)


def _body_xml(docx_bytes: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_context_formats_norwegian(kontrakt: Any) -> None:
    ctx = build_context("statusrapport", _dump("statusrapport", kontrakt("statusrapport")))
    assert ctx["oppstartdato"] == "02.03.2026"
    assert ctx["tiltak"]["arrangor"]["orgnr"] == "998 877 660"
    assert ctx["oppfolgingstimer_per_maned"][0] == {"maned": "juni 2026", "timer": "14,25"}
    assert ctx["fravaer"][0] == {"dager": "2", "timer": "—", "arsak": "Sykdom"}
    assert ctx["arbeidsgivere"][0]["ansettelsesforhold"] == "Midlertidig"
    assert ctx["deltakers_kommentar"] == "—"
    assert ctx["veiledere_arrangor"][1]["epost"] == "—"


def test_absent_optional_object_offers_dashes(kontrakt: Any) -> None:
    data = kontrakt("sluttrapport")
    data["tilbake_i_arbeid"] = None
    data["status_ved_avslutning"] = "ikke_i_arbeid"  # "arbeid" requires tilbake_i_arbeid
    ctx = build_context("sluttrapport", _dump("sluttrapport", data))
    assert ctx["tilbake_i_arbeid"]["arbeidsgiver"] == "—"
    assert ctx["tilbake_i_arbeid"]["oppstartsdato"] == "—"


def test_booleans_and_codes(kontrakt: Any) -> None:
    ctx = build_context("arbeidspraksisavtale", _dump("x", kontrakt("arbeidspraksisavtale")))
    assert ctx["yrkesskadeforsikring_informert"] == "Ja"
    assert ctx["parter_som_signerer"] == ["Arbeidsgiver", "Deltaker", "Tiltaksarrangør"]


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_contract_values_and_labels_reach_the_docx(type_navn: str, kontrakt: Any) -> None:
    data = kontrakt(type_navn)
    text = _text(render_docx(type_navn, _dump(type_navn, data)))
    assert "{{" not in text
    assert "{%" not in text
    assert "None" not in text.split()
    for orgnr_holder in ("tiltak", "kunde", "leverandor", "arbeidsgiver"):
        holder = data.get(orgnr_holder, {})
        org = holder.get("orgnr") or holder.get("arrangor", {}).get("orgnr")
        if org:
            assert f"{org[:3]} {org[3:6]} {org[6:]}" in text
    if "deltaker" in data:
        assert data["deltaker"]["navn"] in text
        assert data["deltaker"]["fodselsnummer"] in text


def test_statusrapport_shows_nav_labels_and_header(kontrakt: Any) -> None:
    text = _text(render_docx("statusrapport", _dump("s", kontrakt("statusrapport"))))
    for label in (
        "Navn:",
        "Fødselsnummer:",
        "Rapporteringsperiode:",
        "Innsøkende NAV-kontor:",
        "Veiledere tiltaksarrangør: (navn og kontaktinfo/tlf)",
        "Fravær: (dager/timer - årsak)",
        "Veileders underskrift:",
    ):
        assert label in text
    assert "Statusrapport – Kari Nordmann" in text
    assert "02.06.2026 – 01.09.2026" in text


def test_special_characters_survive_escaping(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    tricky = "A & B <i>ikke html</i> \"sitat\" 'enkle' æøå ÆØÅ"
    data["bestilling_fra_nav"] = tricky
    data["deltaker"]["navn"] = "Ærlig & <Ødegård>"
    out = render_docx("statusrapport", _dump("s", data))
    text = _text(out)
    assert tricky in text
    assert "Ærlig & <Ødegård>" in text
    assert "&lt;i&gt;" in _body_xml(out)


def test_line_breaks_survive_as_breaks(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    xml = _body_xml(render_docx("statusrapport", _dump("s", data)))
    assert "siden juli.</w:t><w:br/>" in xml


def test_empty_optional_fields_print_a_dash(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    data["fravaer"] = []
    data["arbeidsgivere"] = []
    document = docx.Document(io.BytesIO(render_docx("statusrapport", _dump("s", data))))
    fravaer = next(t for t in document.tables if "Fravær" in t.rows[0].cells[0].text)
    assert [c.text for c in fravaer.rows[-1].cells] == ["—", "—", "—"]


def test_ten_arbeidsgivere_give_ten_rows(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    first = data["arbeidsgivere"][0]
    data["arbeidsgivere"] = [{**first, "navn": f"Giver {i} AS"} for i in range(10)]
    document = docx.Document(io.BytesIO(render_docx("statusrapport", _dump("s", data))))
    table = next(t for t in document.tables if "Arbeidsgiver i" in t.rows[0].cells[0].text)
    names = [r.cells[0].text for r in table.rows if r.cells[0].text.startswith("Giver ")]
    assert names == [f"Giver {i} AS" for i in range(10)]


def make_docx(text: str) -> bytes:
    """Return a .docx file of one paragraph holding ``text``."""
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ deltaker.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_sandbox_escape_is_refused(escape: str, kontrakt: Any) -> None:
    ctx = build_context("statusrapport", _dump("s", kontrakt("statusrapport")))
    with pytest.raises(TemplateInvalidError):
        fill(make_docx(escape), ctx)


def test_unknown_variable_is_refused_not_blank(kontrakt: Any) -> None:
    ctx = build_context("statusrapport", _dump("s", kontrakt("statusrapport")))
    with pytest.raises(TemplateInvalidError, match="skonummer"):
        fill(make_docx("{{ skonummer }}"), ctx)


def test_amounts_print_the_norwegian_way() -> None:
    assert belop("6325.00") == "6\u00a0325,00"
    assert belop("1234.5") == "1\u00a0234,50"
    assert belop("0") == "0,00"
