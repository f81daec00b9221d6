"""Documents started from a placement, on the pages and in the API: the form
``/dokumenter/ny/<type>?plassering=ID`` prefilled with the arbeidsgiver and stored with its
placement, the API's ``/plasseringer/{id}/utkast/{type}`` and ``POST
/dokumenter?plassering_id=``, another organisation's placement 404."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.data import demo_data
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import deltakere, gjennomforinger, praksisplasser
from dokgen.services.utkast import fyll_fra_eksempel, utkast_for_plassering
from dokgen.storage.db import Dokument, Organisasjon
from tests.dokgen.register import aktor_for, kontrakt
from tests.dokgen.services.praksis_hjelp import arbeidsgiver, plass
from tests.dokgen.web.sider_hjelp import logg_inn, som_skjema, token
from tests.dokgen.web.test_api_deltakere import as_described

Auth = Callable[..., dict[str, str]]


@dataclass(frozen=True)
class Oppsett:
    veileder: str
    kari: int
    gjennomforing_id: int
    plassering: int


@pytest.fixture
def oppsett(deps: Deps, org: Organisasjon, bruker: Callable[..., str]) -> Oppsett:
    """Kari, followed by a veileder, placed at Gjesdal Bakeri's arbeidstrening place."""
    navn = bruker("veileder")
    admin = aktor_for(deps, org, bruker("admin"))
    veileder = aktor_for(deps, org, navn)
    gid = int(
        gjennomforinger.opprett(deps, admin, les(GjennomforingInn, kontrakt("gjennomforing.json")))[
            "id"
        ]
    )
    data = kontrakt("deltaker.json") | {"gjennomforing_id": gid}
    data["veiledere_arrangor"] = [{"brukernavn": navn, "type": "veileder"}]
    kari = int(deltakere.opprett(deps, admin, les(DeltakerInn, data, tillat_syntetiske=True))["id"])
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"])
    inn = les(
        PlasseringInn,
        {
            "praksisplass_id": p["id"],
            "deltaker_id": kari,
            "startdato": "2026-08-31",
            "planlagt_sluttdato": "2026-12-18",
        },
    )
    pid = int(praksisplasser.opprett_plassering(deps, veileder, inn)["id"])
    return Oppsett(navn, kari, gid, pid)


def _utfylt(data: dict[str, Any]) -> dict[str, Any]:
    """Return the prefilled data completed from the type's example (what the person writes)."""
    return fyll_fra_eksempel(data["type"], data)


@pytest.mark.parametrize("type_navn", ["tilretteleggingsgaranti", "oppfolgingsplan"])
def test_the_form_started_from_a_placement_is_prefilled_and_the_document_is_the_placements(
    client: FlaskClient, deps: Deps, org: Organisasjon, oppsett: Oppsett, type_navn: str
) -> None:
    logg_inn(client, oppsett.veileder)
    url = f"/dokumenter/ny/{type_navn}?plassering={oppsett.plassering}"
    side = client.get(url)
    assert side.status_code == 200
    assert 'value="Gjesdal Bakeri AS"' in side.text
    assert 'value="974760673"' in side.text
    assert 'value="Kari Nordmann"' in side.text
    assert "Fylt ut fra praksisplassregisteret" in side.text
    assert f'action="/dokumenter/ny/{type_navn}?plassering={oppsett.plassering}"' in side.text
    assert f"/dokumenter/ny/{type_navn}/kladd?plassering={oppsett.plassering}" in side.text
    aktor = aktor_for(deps, org, oppsett.veileder)
    form = som_skjema(_utfylt(utkast_for_plassering(deps, aktor, oppsett.plassering, type_navn)))
    form["csrf_token"] = token(client, url)
    svar = client.post(url, data=form)
    assert svar.status_code == 302, svar.text[:2000]
    with deps.sessions() as s:
        dok = s.scalars(select(Dokument)).one()
        assert (dok.type, dok.plassering_id, dok.deltaker_id, dok.gjennomforing_id) == (
            type_navn,
            oppsett.plassering,
            oppsett.kari,
            oppsett.gjennomforing_id,
        )
        assert dok.gjeldende.data["arbeidsgiver"]["navn"] == "Gjesdal Bakeri AS"


def test_a_kladd_saved_from_the_placement_form_is_stored_with_the_placement(
    client: FlaskClient, deps: Deps, oppsett: Oppsett
) -> None:
    logg_inn(client, oppsett.veileder)
    url = f"/dokumenter/ny/oppfolgingsplan?plassering={oppsett.plassering}"
    form = som_skjema({"malsetting": "Halvferdig"})
    form["csrf_token"] = token(client, url)
    svar = client.post(
        f"/dokumenter/ny/oppfolgingsplan/kladd?plassering={oppsett.plassering}", data=form
    )
    assert svar.status_code == 200, svar.text[:500]
    with deps.sessions() as s:
        dok = s.scalars(select(Dokument)).one()
        assert (dok.plassering_id, dok.deltaker_id) == (oppsett.plassering, oppsett.kari)


def test_another_organisations_placement_is_not_found_on_the_pages_or_in_the_api(
    client: FlaskClient,
    deps: Deps,
    oppsett: Oppsett,
    annen_org: Organisasjon,
    bruker: Callable[..., str],
    auth: Auth,
) -> None:
    logg_inn(client, bruker("veileder", annen_org))
    url = f"/dokumenter/ny/tilretteleggingsgaranti?plassering={oppsett.plassering}"
    assert client.get(url).status_code == 404
    fremmed = auth("veileder", annen_org)
    r = client.get(
        f"/api/v1/plasseringer/{oppsett.plassering}/utkast/oppfolgingsplan", headers=fremmed
    )
    assert as_described(client, r, "/plasseringer/{plassering_id}/utkast/{type_navn}", "get")
    assert r.status_code == 404
    eksempel = json.loads(demo_data("tilretteleggingsgaranti.json"))
    eksempel["tiltak"]["arrangor"] = {"navn": annen_org.navn, "orgnr": annen_org.orgnr}
    r = client.post(
        f"/api/v1/dokumenter?plassering_id={oppsett.plassering}", json=eksempel, headers=fremmed
    )
    assert r.status_code == 404
    with deps.sessions() as s:
        assert s.scalars(select(Dokument)).all() == []


def test_the_api_gives_the_placements_prefill_and_stores_the_document_with_it(
    client: FlaskClient, oppsett: Oppsett, org: Organisasjon, auth: Auth
) -> None:
    v = auth("veileder")
    sti = "/plasseringer/{plassering_id}/utkast/{type_navn}"
    r = client.get(
        f"/api/v1/plasseringer/{oppsett.plassering}/utkast/arbeidspraksisavtale", headers=v
    )
    svar = as_described(client, r, sti, "get")
    assert svar["plassering_id"] == oppsett.plassering
    assert svar["data"]["arbeidsgiver"] == {
        "navn": "Gjesdal Bakeri AS",
        "orgnr": "974760673",
        "adresse": "Ålgårdsvegen 1, 4330 Ålgård",
        "kontaktperson": {
            "navn": "Eva Leder",
            "telefon": "51000000",
            "epost": "eva@bakeri.example",
        },
    }
    assert svar["data"]["varighet"] == {"fra": "2026-08-31", "til": "2026-12-18"}
    assert svar["data"]["arbeidsoppgaver"] == "Betjene kunder, fylle varer"
    assert "formal" in svar["mangler"]
    r = client.get(f"/api/v1/plasseringer/{oppsett.plassering}/utkast/oppfolgingsplan", headers=v)
    data = _utfylt(as_described(client, r, sti, "get")["data"])
    r = client.post(f"/api/v1/dokumenter?plassering_id={oppsett.plassering}", json=data, headers=v)
    dok = as_described(client, r, "/dokumenter", "post")
    assert r.status_code == 201
    assert (dok["plassering_id"], dok["deltaker_id"]) == (oppsett.plassering, oppsett.kari)
    r = client.get(f"/api/v1/dokumenter/{dok['id']}", headers=v)
    assert r.json["plassering_id"] == oppsett.plassering
    # A placement id that is no number is a 404 as any other unknown one.
    r = client.get("/api/v1/plasseringer/x/utkast/oppfolgingsplan", headers=v)
    assert r.status_code == 404
