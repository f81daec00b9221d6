"""The praksisplass register's overviews: the arbeidsgivere searched by name or orgnr, and
the placements with their place in the routine's order of statuses, narrowed to a veileder's
deltakere or an arbeidsgiver."""

from __future__ import annotations

import pytest

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import deltakere
from dokgen.services import praksisplasser as pp
from dokgen.storage.db import Bruker
from tests.dokgen.register import FNR_JON, kontrakt
from tests.dokgen.services.praksis_hjelp import BEKREFTET, MOTE, arbeidsgiver, plass, status


def _plasser(deps: Deps, aktor: Aktor, plass_id: int, deltaker_id: int, start: str) -> int:
    data = {
        "praksisplass_id": plass_id,
        "deltaker_id": deltaker_id,
        "dato": "2026-08-20",
        "startdato": start,
    }
    return int(pp.opprett_plassering(deps, aktor, les(PlasseringInn, data))["id"])


def test_arbeidsgivere_are_searched_by_name_in_any_case_or_by_orgnr(
    deps: Deps, veileder: Aktor
) -> None:
    arbeidsgiver(deps, veileder)
    arbeidsgiver(deps, veileder, orgnr="998877679", navn="Søgne Økologiske Gård")
    assert [a["navn"] for a in pp.arbeidsgivere(deps, veileder)] == [
        "Gjesdal Bakeri AS",
        "Søgne Økologiske Gård",
    ]
    assert [a["navn"] for a in pp.arbeidsgivere(deps, veileder, "økologiske")] == [
        "Søgne Økologiske Gård"
    ]
    assert [a["orgnr"] for a in pp.arbeidsgivere(deps, veileder, "9747")] == ["974760673"]
    assert pp.arbeidsgivere(deps, veileder, "Kafé") == []
    with pytest.raises(InputInvalidError) as feil:
        pp.arbeidsgivere(deps, veileder, "x" * 101)
    assert [(f.path, f.message) for f in feil.value.errors] == [
        ("sok", "for langt søk (maks 100 tegn)")
    ]


def test_the_placement_overview_is_in_the_routines_order_with_each_place(
    deps: Deps, veileder: Aktor, admin: Aktor, gjennomforing_id: int
) -> None:
    bakeri = arbeidsgiver(deps, veileder)["id"]
    kommune = arbeidsgiver(deps, veileder, orgnr="998877679", navn="Ålgård kommune")["id"]
    butikk = plass(deps, veileder, bakeri, kapasitet=2)["id"]
    tiltak = plass(deps, veileder, kommune, avdeling=None, art="kommunal_tiltaksplass")["id"]
    fulgt = kontrakt("deltaker.json") | {
        "gjennomforing_id": gjennomforing_id,
        "nr": None,
        "veiledere_arrangor": [{"brukernavn": _brukernavn(deps, veileder), "type": "veileder"}],
    }
    kari = deltakere.opprett(deps, admin, les(DeltakerInn, fulgt, tillat_syntetiske=True))["id"]
    ufulgt = fulgt | {"fodselsnummer": FNR_JON, "fornavn": "Jon", "veiledere_arrangor": []}
    jon = deltakere.opprett(deps, admin, les(DeltakerInn, ufulgt, tillat_syntetiske=True))["id"]
    senere = _plasser(deps, veileder, tiltak, jon, "2026-10-01")
    tidligere = _plasser(deps, veileder, butikk, jon, "2026-09-01")
    bekreftet = _plasser(deps, veileder, butikk, kari, "2026-09-15")
    for steg in (MOTE, BEKREFTET):
        pp.endre_status(deps, veileder, bekreftet, status(**steg))

    alle = pp.plasseringsoversikt(deps, veileder)
    assert [r["id"] for r in alle] == [tidligere, senere, bekreftet]
    assert alle[1]["praksisplass"] == {
        "id": tiltak,
        "arbeidsgiver_id": kommune,
        "arbeidsgiver": "Ålgård kommune",
        "avdeling": None,
        "art": "kommunal_tiltaksplass",
        "art_tekst": "Kommunal tiltaksplass",
    }
    assert alle[2]["neste_steg"] == "Registrer at deltakeren har startet"
    mine = pp.plasseringsoversikt(deps, veileder, veileder=veileder.bruker_id)
    assert [r["deltaker"]["id"] for r in mine] == [kari]
    hos_kommunen = pp.plasseringsoversikt(deps, veileder, arbeidsgiver_id=kommune)
    assert [r["id"] for r in hos_kommunen] == [senere]


def _brukernavn(deps: Deps, aktor: Aktor) -> str:
    with deps.sessions() as s:
        rad = s.get(Bruker, aktor.bruker_id)
        assert rad is not None
        return rad.brukernavn
