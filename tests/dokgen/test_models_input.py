"""Reading input files: the committed XML examples, load_input by suffix or content, bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dokgen.documents.models import DOKUMENTTYPER, load_input, parse_dokument, parse_xml
from dokgen.documents.models.xmlform import to_xml
from dokgen.errors import InputInvalidError, InputUnreadableError

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "models"


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_xml_examples_are_the_contract_in_xml_form(type_navn: str, kontrakt: Any) -> None:
    data = kontrakt(type_navn)
    committed = (EXAMPLES / f"{type_navn}.xml").read_bytes()
    assert committed == to_xml(data), "stale example: run scripts/lag_skjema.py"
    assert parse_xml(committed, tillat_syntetiske=True) == parse_dokument(
        data, tillat_syntetiske=True
    )


def test_load_input_reads_json_and_xml(tmp_path: Path, kontrakt: Any) -> None:
    data = kontrakt("sluttrapport")
    # Without a telling suffix, the first non-blank byte tells XML from JSON.
    as_json = tmp_path / "s.txt"
    as_json.write_text("\n  " + json.dumps(data, ensure_ascii=False), "utf-8")
    as_xml = tmp_path / "s-uten-endelse"
    as_xml.write_bytes(to_xml(data))
    from_json = load_input(as_json, tillat_syntetiske=True)
    assert from_json.type == "sluttrapport"
    assert load_input(as_xml, tillat_syntetiske=True) == from_json


def test_load_input_refuses_synthetic_identity_by_default(tmp_path: Path, kontrakt: Any) -> None:
    path = tmp_path / "a.xml"
    path.write_bytes(to_xml(kontrakt("arbeidspraksisavtale")))
    with pytest.raises(InputInvalidError) as info:
        load_input(path, tillat_syntetiske=False)
    assert [e.path for e in info.value.errors] == ["deltaker.fodselsnummer"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "statusrapport",', "ikke gyldig JSON"),
        (b"\xff\xfe{}", "ikke gyldig JSON"),
        (b"<statusrapport><sted>Oslo</statusrapport>", "ikke velformet"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "inn.json"
    path.write_bytes(content)
    with pytest.raises(InputUnreadableError, match=message):
        load_input(path, tillat_syntetiske=True)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputUnreadableError, match="kan ikke leses"):
        load_input(tmp_path / "finnes-ikke.json", tillat_syntetiske=True)


def test_xml_comments_are_ignored(kontrakt: Any) -> None:
    data = kontrakt("sluttrapport")
    xml = to_xml(data).replace(b"<sted>", b"<!-- merknad --><sted>", 1)
    assert parse_xml(xml, tillat_syntetiske=True) == parse_dokument(data, tillat_syntetiske=True)


def test_xml_booleans_are_true_or_false(kontrakt: Any) -> None:
    data = kontrakt("arbeidspraksisavtale")
    xml = to_xml(data)
    assert b"<yrkesskadeforsikring_informert>true</" in xml
    data["yrkesskadeforsikring_informert"] = False
    with pytest.raises(InputInvalidError) as refused:  # read as a boolean, refused by JMO §6
        parse_xml(to_xml(data), tillat_syntetiske=True)
    [error] = refused.value.errors
    assert error.path == "yrkesskadeforsikring_informert"
    assert "informert" in error.message
    bad = xml.replace(b">true</", b">ja</")
    with pytest.raises(InputInvalidError) as info:
        parse_xml(bad, tillat_syntetiske=True)
    assert [e.path for e in info.value.errors] == ["yrkesskadeforsikring_informert"]


def test_xml_missing_element_names_the_field(kontrakt: Any) -> None:
    data = kontrakt("statusrapport")
    data.pop("oppstartdato")
    with pytest.raises(InputInvalidError) as info:
        parse_xml(to_xml(data), tillat_syntetiske=True)
    messages = [e.message for e in info.value.errors]
    assert any("oppstartdato" in m and "påkrevd" in m for m in messages), messages


def test_xml_root_must_match_the_requested_type(kontrakt: Any) -> None:
    with pytest.raises(InputInvalidError) as info:
        parse_xml(
            to_xml(kontrakt("statusrapport")), tillat_syntetiske=True, type_navn="sluttrapport"
        )
    assert info.value.errors[0].path == "type"
    assert "<sluttrapport>" in info.value.errors[0].message
