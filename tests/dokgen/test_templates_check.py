"""The template check refuses templates that do not fit their model, and passes ours."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.templates_check import (
    UNSAFE_NAME,
    check_all,
    check_template,
    required_paths,
    unsafe_member_names,
)

MALER = Path(__file__).resolve().parents[2] / "maler"


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_shipped_templates_pass() -> None:
    assert check_all(MALER) == {name: [] for name in (*DOKUMENTTYPER, "timeliste")}


def test_unknown_placeholder_is_named() -> None:
    reasons = check_template("statusrapport", (MALER / "statusrapport.docx").read_bytes())
    assert reasons == []
    bad = check_template("statusrapport", _docx("{{ deltaker.skonummer }}"))
    assert bad == ["malen bruker feltet «deltaker.skonummer», som modellen ikke har"]
    top = check_template("statusrapport", _docx("{{ skonummer }}"))
    assert top == ["malen bruker feltet «skonummer», som modellen ikke har"]


def test_required_field_missing_from_template() -> None:
    reasons = check_template("evalueringsrapport", _docx("{{ tiltak.navn }} {{ sted }}"))
    assert "påkrevd felt «mottaker» vises ikke i malen" in reasons
    assert "påkrevd felt «tiltak.arrangor.orgnr» vises ikke i malen" in reasons
    assert not any("«sted»" in r for r in reasons)


def test_a_timeliste_template_must_show_the_hours_and_may_use_only_its_fields() -> None:
    """The invoice's timeliste is checked like a document: per activity the minutes and
    hours and the totals must show; a field the specification does not have is named."""
    assert check_template("timeliste", (MALER / "timeliste.docx").read_bytes()) == []
    reasons = check_template(
        "timeliste", _docx("{{ nummer }} {% for d in deltakere %}{{ d.nr }}{% endfor %}")
    )
    assert "påkrevd felt «sum_belop» vises ikke i malen" in reasons
    assert "påkrevd felt «deltakere.*.aktiviteter.*.timer» vises ikke i malen" in reasons
    assert not any("«nummer»" in r or "«deltakere.*.nr»" in r for r in reasons)
    bad = check_template("timeliste", _docx("{{ nummer }} {{ deltaker.fodselsnummer }}"))
    assert bad == ["malen bruker feltet «deltaker», som modellen ikke har"]


def test_required_paths_reach_into_lists() -> None:
    paths = required_paths("statusrapport")
    assert "veiledere_arrangor.*.navn" in paths
    assert "deltaker.fodselsnummer" in paths
    assert "deltakers_kommentar" not in paths


def test_not_a_docx_and_zip_bomb_are_refused() -> None:
    assert check_template("statusrapport", b"%PDF-1.7 ikke docx") == [
        "filen er ikke en DOCX (ikke en zip-fil)"
    ]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    reasons = check_template("statusrapport", bomb.getvalue())
    assert reasons == ["DOCX-filen pakker seg ut til mistenkelig mye (zip-bombe?)"]


def test_sandbox_escape_and_syntax_error_are_reasons() -> None:
    escape = check_template("statusrapport", _docx("{{ ''.__class__.__mro__ }}"))
    assert escape == ["malen prøver å nå noe sandkassen ikke tillater"]
    syntax = check_template("statusrapport", _docx("{% for %}"))
    assert syntax[0].startswith("feil i malens Jinja-kode")


def test_generated_templates_match_the_script(tmp_path: Path) -> None:
    """The committed DOCX files are what scripts/lag_maler.py writes (same text and tags)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "lag_maler", MALER.parent / "scripts" / "lag_maler.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, make in module.MAKERS.items():
        fresh = make()
        committed = docx.Document(str(MALER / f"{name}.docx"))
        fresh_text = [c.text for t in fresh.tables for r in t.rows for c in r.cells]
        committed_text = [c.text for t in committed.tables for r in t.rows for c in r.cells]
        assert fresh_text == committed_text, f"maler/{name}.docx is stale: run the script"


def _with_member(name: str) -> bytes:
    """Return the shipped statusrapport template with one more member under ``name``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(MALER / "statusrapport.docx") as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr(zipfile.ZipInfo(name), b"x")
    return out.getvalue()


@pytest.mark.parametrize(
    "name",
    [
        "../../../tmp/dokgen-evil.txt",
        "word/../../evil.xml",
        "/etc/cron.d/evil",
        "..\\..\\evil.xml",
        "word\\document.xml",
        "C:/Windows/evil.dll",
        "c:evil",
        "word/\x01evil.xml",
        "..",
    ],
)
def test_a_zip_member_with_an_unsafe_name_is_refused(name: str) -> None:
    """A template that fits its model is still refused for a member that could leave its folder."""
    assert check_template("statusrapport", _with_member("word/media/ok.png")) == []
    assert check_template("statusrapport", _with_member(name)) == [UNSAFE_NAME]


def test_a_zip_with_one_name_twice_is_refused() -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _with_member("word/document.xml")
    assert check_template("statusrapport", data) == ["DOCX-filen har to deler med samme navn"]


@pytest.mark.parametrize(
    ("names", "reasons"),
    [
        (["word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"], []),
        (["word/..x/a.xml", "word/a..xml", "docProps/"], []),
        (["word/document.xml", "../x"], [UNSAFE_NAME]),
        ([""], [UNSAFE_NAME]),
        (["a", "a", "/b"], [UNSAFE_NAME, "DOCX-filen har to deler med samme navn"]),
    ],
)
def test_unsafe_member_names(names: list[str], reasons: list[str]) -> None:
    assert unsafe_member_names(names) == reasons
