"""The årsrapport started for a gjennomføring and year through the page and the API: the
year's figures in the form's fields, where they came from beside them, and the API's
``kilder``; a samarbeidsavtale started from the gjennomføring belongs to it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon
from tests.dokgen.services import arstall_hjelp as hjelp
from tests.dokgen.web.sider_hjelp import logg_inn

pytestmark = pytest.mark.integration


def _verdi(html: str, navn: str) -> str | None:
    """Return the value of the form's input named ``navn`` (None: no such input)."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{navn}"' in tag:
            treff = re.search(r'value="([^"]*)"', tag)
            return treff.group(1) if treff else ""
    return None


def _tekst(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_form_is_filled_with_the_years_figures_and_says_where_they_came_from(
    client: FlaskClient, deps: Deps, org: Organisasjon, bruker: Callable[..., str]
) -> None:
    gid = hjelp.seed(deps, org.id)
    logg_inn(client, bruker("veileder"))
    side = client.get(f"/dokumenter/ny/arsrapport?gjennomforing={gid}&ar=2026")
    assert side.status_code == 200
    html = side.text
    assert _verdi(html, "rapportar") == "2026"
    assert _verdi(html, "plasser.0.antall_deltakere") == "5"
    assert _verdi(html, "plasser.0.arsverk") == "1,86"  # the form writes a decimal comma
    assert _verdi(html, "plasser.0.godkjente_plasser") == ""
    tekst = _tekst(html)
    assert "Fylt ut fra deltakerregisteret" in tekst
    assert "Skjemaet har det dokgen vet om gjennomføringen fra før" in tekst
    assert "Alle tallene kan endres før dokumentet godkjennes." in tekst
    assert "Hvor tallene kommer fra" in tekst
    assert (
        "Plasser: beregnet fra deltakerregisteret 01.01.–31.12.2026: 5 deltakere i tiltaket "
        "minst én dag i året, 1,86 årsverk" in tekst
    )
    assert "Resultater: talt fra 2 ferdige sluttrapporter fra Kvalifisering" in tekst
    assert "deltakerregisteret vet ikke hvilken avdeling" in tekst
    # The document is stored as the gjennomføring's: the form posts back to it.
    assert f'action="/dokumenter/ny/arsrapport?gjennomforing={gid}"' in html
    # Another year by the address.
    assert _verdi(client.get(f"/dokumenter/ny/arsrapport?gjennomforing={gid}&ar=2025").text,
                  "plasser.0.antall_deltakere") == "2"  # fmt: skip


def test_the_api_gives_the_figures_the_fields_left_and_the_sources(
    client: FlaskClient, deps: Deps, org: Organisasjon, auth: Callable[..., dict[str, str]]
) -> None:
    gid = hjelp.seed(deps, org.id)
    svar = client.get(
        f"/api/v1/gjennomforinger/{gid}/utkast/arsrapport?ar=2026", headers=auth("veileder")
    )
    assert svar.status_code == 200
    body = svar.get_json()
    assert body["gjennomforing_id"] == gid
    assert body["data"]["plasser"] == [
        {"program": "kvalifisering", "antall_deltakere": 5, "arsverk": "1.86"}
    ]
    assert body["data"]["resultater"] == hjelp.RESULTATER
    assert "plasser.0.godkjente_plasser" in body["mangler"]
    assert body["kilder"][0].startswith("Plasser: beregnet fra deltakerregisteret 01.01.–31.12")
    feil = client.get(
        f"/api/v1/gjennomforinger/{gid}/utkast/arsrapport?ar=1999", headers=auth("veileder")
    )
    assert feil.status_code == 422
    assert feil.get_json()["errors"][0]["path"] == "ar"
    assert (
        client.get(
            "/api/v1/gjennomforinger/999999/utkast/arsrapport", headers=auth("veileder")
        ).status_code
        == 404
    )
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/gjennomforinger/{gjennomforing_id}/utkast/{type_navn}" in spec["paths"]
