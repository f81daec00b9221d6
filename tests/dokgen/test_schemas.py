"""The committed schemas are exactly what the models generate, and they accept the contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from dokgen.documents.models import DOKUMENTTYPER
from dokgen.documents.models.xmlform import to_xml
from dokgen.documents.schemas import json_schema, write_all, xsd

REPO = Path(__file__).resolve().parents[2]


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    for path in write_all(tmp_path):
        committed = REPO / "schemas" / path.name
        assert committed.read_text("utf-8") == path.read_text("utf-8"), (
            f"{committed} is stale: run scripts/lag_skjema.py"
        )


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_xsd_accepts_the_contract_as_xml(type_navn: str, kontrakt: Any) -> None:
    schema = etree.XMLSchema(etree.fromstring(xsd(type_navn).encode()))
    document = etree.fromstring(to_xml(kontrakt(type_navn)))
    assert schema.validate(document), schema.error_log


@pytest.mark.parametrize("type_navn", sorted(DOKUMENTTYPER))
def test_json_schema_carries_labels_and_required_fields(type_navn: str) -> None:
    schema = json_schema(type_navn)
    assert schema["additionalProperties"] is False
    assert "sted" in schema["required"] or type_navn == "endringsavtale"
    titles = [p.get("title") for p in schema["properties"].values()]
    assert all(titles)
    json.dumps(schema)
