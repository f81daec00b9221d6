"""The invoice list on the page and in ``GET /api/v1/fakturaer``: search fields, sortable
columns, next/previous pages, totals per month, statuses in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.services.test_fakturaliste import lag_fakturaer
from tests.dokgen.web.sider_hjelp import logg_inn

pytestmark = pytest.mark.integration


def test_the_list_page_searches_sorts_pages_and_sums(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """50 rows, "Neste side" keeping the search and order; the month's totals; words for
    the statuses; a bad month is a form error, not a crash."""
    gid = lag_fakturaer(deps, org)
    logg_inn(client, bruker("regnskap"))
    side = client.get("/fakturaer").text
    assert side.count('<td><a href="/fakturaer/') == 50
    assert "Treff (1–50 av 111)" in side
    assert "Lagt i utboks – ikke sendt" in side
    assert ">i_utboks<" not in side
    assert 'href="/fakturaer?side=2&amp;sorter=dato&amp;retning=synkende">Neste side</a>' in side
    assert '<option value="' + str(gid) + '">JMO Grorud</option>' in side
    assert "<td>2026-09</td>" in side
    assert "<td>2026-10</td>" in side
    side = client.get(f"/fakturaer?gjennomforing={gid}&maned=2026-09&sorter=nummer&side=2").text
    assert "Treff (51–56 av 56)" in side
    assert "Forrige side" in side
    assert "Neste side" not in side
    assert f"gjennomforing={gid}" in side.split("Forrige side")[0].rsplit("<a ", 1)[1]
    assert 'aria-sort="descending"' in side
    side = client.get("/fakturaer?sok=2026-0042").text
    assert side.count('<td><a href="/fakturaer/') == 1
    r = client.get("/fakturaer?maned=oktober")
    assert r.status_code == 422
    assert "oppgi måneden som ÅÅÅÅ-MM" in r.text


def test_the_list_api_pages_with_links_and_sums(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], org: Organisasjon
) -> None:
    """``neste``/``forrige`` links, ``antall``, ``summer`` as decimal strings, the statuses'
    words; a bad query is 422."""
    gid = lag_fakturaer(deps, org)
    regnskap = auth("regnskap")
    r = client.get("/api/v1/fakturaer?sok=frogner&sorter=belop&retning=stigende", headers=regnskap)
    assert r.status_code == 200
    body = r.json
    assert (body["antall"], len(body["fakturaer"]), body["per_side"]) == (56, 50, 50)
    assert body["forrige"] is None
    neste = client.get(body["neste"], headers=regnskap).json
    assert (len(neste["fakturaer"]), neste["side"], neste["neste"]) == (6, 2, None)
    alle = [float(x["belop"]) for x in body["fakturaer"] + neste["fakturaer"]]
    assert alle == sorted(alle)
    assert {x["kjoper"] for x in body["fakturaer"]} <= {"Bydel Frogner", None}
    assert {m["maned"] for m in body["summer"]} == {"2026-09", "2026-10"}
    assert all("." in m["sum"] for m in body["summer"])
    r = client.get(f"/api/v1/fakturaer?gjennomforing={gid}&maned=2026-09", headers=regnskap)
    assert r.json["antall"] == 56
    assert r.json["fakturaer"][0]["status_tekst"] in (
        "Validert – klar til sending",
        "Lagt i utboks – ikke sendt",
    )
    for query in ("maned=2026-13", "sorter=kjoper", "side=x", "gjennomforing=y"):
        assert client.get(f"/api/v1/fakturaer?{query}", headers=regnskap).status_code == 422


def test_an_over_long_search_is_a_form_error(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """A search field over 200 characters: 422 with the reason and the form; nothing is read
    (no list, no search in the audit log), as on the Dokumenter page."""
    lag_fakturaer(deps, org)
    logg_inn(client, bruker("regnskap"))
    r = client.get("/fakturaer?sok=" + "x" * 201)
    assert r.status_code == 422
    assert "kan ha høyst 200 tegn" in r.text
    assert r.text.count('<td><a href="/fakturaer/') == 0
    assert 'name="sok"' in r.text
