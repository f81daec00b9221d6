"""``dokgen praksis oppstartsmote`` and ``dokgen praksis fravaer`` as an operator runs them:
the meeting recorded from a file and shown, an absence registered, listed and deleted; bad
input exits 2 with the field, another organisation's placement exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.cli import main
from dokgen.deps import Deps
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import brukere, praksisplasser
from dokgen.storage.db import Plasseringsfravaer
from tests.dokgen.services.praksis_hjelp import HOLDT_MOTE, arbeidsgiver, plass, status
from tests.dokgen.test_cli_deltakere import ANNET_ORGNR, ORGNR, _skriv, deps, env
from tests.dokgen.test_cli_praksis import to_deltakere

__all__ = ["deps", "env", "to_deltakere"]  # the fixtures, used here by name


@pytest.fixture
def plassering(deps: Deps, to_deltakere: tuple[int, int]) -> int:
    """Kari placed in an arbeidstrening on 20 August 2026 (status «Ny»)."""
    operator = Aktor(brukere.org_id(deps, ORGNR), "test", "admin")
    ag = arbeidsgiver(deps, operator)
    p = plass(deps, operator, ag["id"])
    data = {"praksisplass_id": p["id"], "deltaker_id": to_deltakere[0], "dato": "2026-08-20"}
    return int(praksisplasser.opprett_plassering(deps, operator, les(PlasseringInn, data))["id"])


def _kjor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    kode = main(["praksis", *args])
    ut = capsys.readouterr()
    return kode, ut.out, ut.err


def test_the_meeting_is_recorded_from_a_file_and_shown(
    env: Path, deps: Deps, plassering: int, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    pid = str(plassering)
    assert _kjor(capsys, "oppstartsmote", "vis", "--org", ORGNR, pid)[1] == (
        f"Plassering {pid} har ikke registrert oppstartsmøte.\n"
    )
    uten = _skriv(env, "uten.json", HOLDT_MOTE | {"yrkesmal": None})
    kode, _, err = _kjor(capsys, "oppstartsmote", "registrer", "--org", ORGNR, pid, str(uten))
    assert kode == 2
    assert "yrkesmal: En arbeidstreningplass skal ha et definert yrkesmål" in err
    fil = _skriv(env, "mote.json", HOLDT_MOTE)
    assert _kjor(capsys, "oppstartsmote", "registrer", "--org", ORGNR, pid, str(fil))[:2] == (
        0,
        f"Oppstartsmøtet 28.08.2026 er registrert for plassering {pid}.\n",
    )
    assert _kjor(capsys, "oppstartsmote", "vis", "--org", ORGNR, pid)[1].splitlines() == [
        "Dato: 28.08.2026",
        "Møtte: Vera Veileder (veileder), Eva Leder (leder hos arbeidsgiver), "
        "Kari Nordmann (deltakeren)",
        "Målsetting: Komme i jobb i butikk",
        "Yrkesmål: Butikkmedarbeider",
        "Tilrettelegging: Korte dager den første uken",
    ]
    kode, _, err = _kjor(capsys, "oppstartsmote", "vis", "--org", ANNET_ORGNR, pid)
    assert (kode, "fant ikke plasseringen" in err) == (1, True)


def test_an_absence_is_registered_listed_and_deleted(
    env: Path, deps: Deps, plassering: int, capsys: pytest.CaptureFixture[str]
) -> None:
    operator = Aktor(brukere.org_id(deps, ORGNR), "test", "admin")
    fil = _skriv(env, "mote.json", HOLDT_MOTE)
    pid = str(plassering)
    _kjor(capsys, "oppstartsmote", "registrer", "--org", ORGNR, pid, str(fil))
    praksisplasser.endre_status(
        deps, operator, plassering, status(status="startet", dato="2026-09-01")
    )
    capsys.readouterr()
    ut = _kjor(
        capsys, "fravaer", "registrer", "--org", ORGNR, pid, "--fra", "2026-09-07",
        "--til", "2026-09-08", "--arsak", "uten_gyldig_grunn", "--meldt-av", "Eva Leder",
    )  # fmt: skip
    assert ut[:2] == (
        0,
        "Fraværet er registrert (id 1): 07.09.2026–08.09.2026, uten gyldig grunn.\n"
        "Fravær uten gyldig grunn: varsle NAV samme dag.\n",
    )
    kode, _, err = _kjor(
        capsys, "fravaer", "registrer", "--org", ORGNR, pid, "--fra", "2026-09-08",
        "--arsak", "sykdom", "--meldt-av", "Eva Leder", "--meldt-via", "telefon",
    )  # fmt: skip
    assert kode == 2
    assert "fra_dato: overlapper fraværet som allerede er registrert 07.09.2026–08.09.2026" in err
    assert _kjor(capsys, "fravaer", "liste", "--org", ORGNR, pid)[1].splitlines() == [
        "ID\tFRAVÆR\tMELDT AV\tMELDT VIA",
        "1\t07.09.2026–08.09.2026, uten gyldig grunn\tEva Leder\tE-post",
    ]
    kode, _, err = _kjor(capsys, "fravaer", "slett", "--org", ANNET_ORGNR, pid, "1")
    assert (kode, "fant ikke plasseringen" in err) == (1, True)
    assert _kjor(capsys, "fravaer", "slett", "--org", ORGNR, pid, "1")[:2] == (
        0,
        "Fraværet (id 1) er slettet.\n",
    )
    assert _kjor(capsys, "fravaer", "liste", "--org", ORGNR, pid)[1] == (
        f"Plassering {pid} har ikke registrert fravær.\n"
    )
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Plasseringsfravaer)) == 0
