"""``dokgen praksis`` as an operator runs it: an arbeidsgiver and a place registered from
files, a deltaker placed and moved through the statuses (the oppstartsmøte recorded before
the start), the free places listed; bad input exits 2 with the field, a full place exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.cli import main
from dokgen.deps import Deps
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import brukere, gjennomforinger
from dokgen.storage.db import Plassering, Revisjon
from tests.dokgen.register import FNR_JON, FNR_KARI, kontrakt
from tests.dokgen.services.praksis_hjelp import ARBEIDSGIVER, HOLDT_MOTE, deltaker
from tests.dokgen.test_cli_deltakere import ANNET_ORGNR, ORGNR, _skriv, deps, env

__all__ = ["deps", "env"]  # the fixtures, used here by name


@pytest.fixture
def to_deltakere(deps: Deps) -> tuple[int, int]:
    operator = Aktor(brukere.org_id(deps, ORGNR), "test", "admin")
    g = gjennomforinger.opprett(
        deps, operator, les(GjennomforingInn, kontrakt("gjennomforing.json"))
    )
    return (
        deltaker(deps, operator, g["id"], FNR_KARI),
        deltaker(deps, operator, g["id"], FNR_JON),
    )


def _kjor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    kode = main(["praksis", *args])
    ut = capsys.readouterr()
    return kode, ut.out, ut.err


def test_an_arbeidsgiver_a_place_and_a_placement_through_its_statuses(
    env: Path, deps: Deps, to_deltakere: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    fil = _skriv(env, "ag.json", ARBEIDSGIVER)
    assert _kjor(capsys, "arbeidsgiver", "lag", "--org", ORGNR, str(fil))[:2] == (
        0,
        "Arbeidsgiveren «Gjesdal Bakeri AS» er registrert (id 1).\n",
    )
    assert _kjor(capsys, "arbeidsgiver", "liste", "--org", ORGNR)[1].splitlines() == [
        "ID\tORGNR\tNAVN",
        "1\t974760673\tGjesdal Bakeri AS",
    ]
    plassfil = _skriv(
        env,
        "plass.json",
        {"arbeidsgiver_id": 1, "art": "sprakpraksis", "avdeling": "Kantine", "kapasitet": 1},
    )
    assert _kjor(capsys, "plass", "lag", "--org", ORGNR, str(plassfil))[1] == (
        "Praksisplassen (Språkpraksis hos Gjesdal Bakeri AS) er registrert (id 1).\n"
    )
    kari, jon = to_deltakere
    ut = _kjor(
        capsys,
        "plassering",
        "lag",
        "--org",
        ORGNR,
        "--plass",
        "1",
        "--deltaker",
        str(kari),
        "--dato",
        "2026-08-20",
        "--planlagt-sluttdato",
        "2026-12-31",
    )
    assert ut[:2] == (
        0,
        "Plassering 1: D-0001 Kari Nordmann – Ny.\n"
        "Neste steg: Avtal oppstartsmøtet med arbeidsgiver og deltaker.\n",
    )
    steg = [
        ["statusmote_avtalt", "--dato", "2026-08-25", "--statusmote-dato", "2026-08-28"],
        ["bekreftet", "--dato", "2026-08-29"],
        ["startet", "--dato", "2026-09-01"],
    ]
    for s in steg[:2]:
        assert _kjor(capsys, "plassering", "status", "--org", ORGNR, "1", *s)[0] == 0
    # «Startet» needs the oppstartsmøte recorded, not only its planned day.
    kode, _, err = _kjor(capsys, "plassering", "status", "--org", ORGNR, "1", *steg[2])
    assert (kode, "registrer først oppstartsmøtet" in err) == (2, True)
    motefil = _skriv(env, "mote.json", HOLDT_MOTE)
    assert _kjor(capsys, "oppstartsmote", "registrer", "--org", ORGNR, "1", str(motefil))[:2] == (
        0,
        "Oppstartsmøtet 28.08.2026 er registrert for plassering 1.\n",
    )
    assert _kjor(capsys, "plassering", "status", "--org", ORGNR, "1", *steg[2])[0] == 0
    assert _kjor(capsys, "plass", "liste", "--org", ORGNR, "--ledig")[1] == (
        "Ingen ledige praksisplasser.\n"
    )
    assert _kjor(capsys, "plassering", "liste", "--org", ORGNR)[1].splitlines() == [
        "ID\tSTATUS\tOPPSTART\tSLUTT\tDELTAKER\tNESTE STEG",
        "1\tStartet\t01.09.2026\t31.12.2026\tD-0001\tAvslutt med sluttdato når praksisen er over",
    ]
    # Jon cannot be confirmed into the full place: exit 1 with the reason.
    _kjor(
        capsys,
        "plassering",
        "lag",
        "--org",
        ORGNR,
        "--plass",
        "1",
        "--deltaker",
        str(jon),
        "--dato",
        "2026-08-20",
    )
    _kjor(capsys, "plassering", "status", "--org", ORGNR, "2", *steg[0])
    kode, _, err = _kjor(capsys, "plassering", "status", "--org", ORGNR, "2", *steg[1])
    assert kode == 1
    assert "praksisplassen er full: 1 av 1 plasser" in err
    # Avsluttet without a sluttdato: exit 2, the routine's reminder on its field.
    kode, _, err = _kjor(
        capsys, "plassering", "status", "--org", ORGNR, "1", "avsluttet", "--dato", "2026-10-01"
    )
    assert kode == 2
    assert "sluttdato: OBS! Husk sluttdato" in err
    ut = _kjor(
        capsys,
        "plassering",
        "status",
        "--org",
        ORGNR,
        "1",
        "avsluttet",
        "--dato",
        "2026-10-01",
        "--sluttdato",
        "2026-10-01",
        "--arsak",
        "Fikk jobb",
    )
    assert ut[:2] == (0, "Plassering 1: D-0001 Kari Nordmann – Avsluttet.\n")
    assert _kjor(capsys, "plass", "liste", "--org", ORGNR, "--ledig")[1].splitlines() == [
        "ID\tLEDIGE\tTYPE\tARBEIDSGIVER\tAVDELING",
        "1\t1 av 1\tSpråkpraksis\tGjesdal Bakeri AS\tKantine",
    ]
    assert _kjor(capsys, "plass", "liste", "--org", ANNET_ORGNR)[1] == "Ingen praksisplasser.\n"
    with deps.sessions() as s:
        rad = s.get(Plassering, 1)
        assert rad is not None
        assert (rad.status, rad.sluttarsak) == ("avsluttet", "Fikk jobb")
        aktorer = set(s.scalars(select(Revisjon.aktor).where(Revisjon.objekt_type == "plassering")))
        assert aktorer == {"kommandolinjen (admin)"}


def test_another_organisations_placement_is_not_found(
    env: Path, deps: Deps, to_deltakere: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _kjor(capsys, "arbeidsgiver", "lag", "--org", ORGNR, str(_skriv(env, "a.json", ARBEIDSGIVER)))
    _kjor(
        capsys,
        "plass",
        "lag",
        "--org",
        ORGNR,
        str(_skriv(env, "p.json", {"arbeidsgiver_id": 1, "art": "aktivitetsplass"})),
    )
    _kjor(
        capsys,
        "plassering",
        "lag",
        "--org",
        ORGNR,
        "--plass",
        "1",
        "--deltaker",
        str(to_deltakere[0]),
        "--dato",
        "2026-08-20",
    )
    kode, _, err = _kjor(
        capsys,
        "plassering",
        "status",
        "--org",
        ANNET_ORGNR,
        "1",
        "bekreftet",
        "--dato",
        "2026-08-21",
    )
    assert kode == 1
    assert "fant ikke plasseringen" in err
