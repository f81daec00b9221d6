"""Invoices on PostgreSQL: the gap-free sequence under concurrent creations, and the
invoice API's list and download, with the database URL pointing at PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient  # noqa: TID251 (the app under test)
from lxml import etree
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Faktura, Organisasjon, Revisjon
from tests.dokgen.web.test_api_fakturaer import (
    assert_fifty_concurrent_creations_are_numbered_1_to_50,
)

pytestmark = pytest.mark.integration

VENT = {"Prefer": "wait=120"}
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def test_fifty_concurrent_creations_take_fifty_consecutive_numbers_on_postgresql(
    deps: Deps, org: Organisasjon, kontrakt: Any
) -> None:
    """The sequence is taken with one UPDATE … RETURNING, which PostgreSQL serialises on
    the organisation's row: no duplicate, no gap, even under load."""
    assert deps.sessions.kw["bind"].dialect.name == "postgresql"
    assert_fifty_concurrent_creations_are_numbered_1_to_50(deps, org, kontrakt)
    with deps.sessions() as s:
        statuser = s.scalars(select(Faktura.status)).all()
        opprettet = s.scalars(select(Revisjon.objekt_id).where(Revisjon.handling == "opprett"))
        assert len(set(opprettet)) == 50
    assert len(statuser) == 50


def test_an_invoice_is_built_listed_and_downloaded_on_postgresql(
    client: FlaskClient, auth: Callable[..., dict[str, str]], kontrakt: Any
) -> None:
    """The contract's fakturagrunnlag → validated invoice 2026-0001; the list filters by
    status and period; the UBL carries the number."""
    regnskap = auth("regnskap")
    r = client.post(
        "/api/v1/fakturaer", json=kontrakt("fakturagrunnlag"), headers={**regnskap, **VENT}
    )
    assert r.status_code == 201, r.json
    faktura = r.json
    assert (faktura["nummer"], faktura["status"]) == ("2026-0001", "validert")

    def ids(query: str) -> list[str]:
        found = client.get(f"/api/v1/fakturaer?{query}", headers=regnskap)
        assert found.status_code == 200, found.json
        return [f["id"] for f in found.json["fakturaer"]]

    assert ids("status=validert") == [faktura["id"]]
    assert ids("status=sendt") == []
    assert ids("fra=2026-10-01&til=2026-10-31") == [faktura["id"]]
    assert ids("fra=2027-01-01") == []
    xml = client.get(f"/api/v1/fakturaer/{faktura['id']}/xml", headers=regnskap)
    assert xml.status_code == 200
    assert etree.fromstring(xml.data).findtext(f"{{{CBC}}}ID") == "2026-0001"
