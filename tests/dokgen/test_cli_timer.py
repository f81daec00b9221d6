"""``dokgen timer importer|liste`` as an operator runs them: the timeliste or a JSON list
stored whole (or, with a row's error, not at all: exit 2 naming the row), the list in words
or as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import make_deps
from dokgen.cli import main
from dokgen.cli import timer as timer_cli
from dokgen.deps import Deps
from dokgen.oppfolging.modeller import DeltakerInn, les
from dokgen.services import deltakere
from dokgen.settings import Settings
from dokgen.storage.db import Aktivitet
from tests.conftest import KONTRAKT
from tests.dokgen.register import FNR_JON, kontrakt

ORGNR = "998877660"
IDAG = datetime(2026, 11, 5, 12, tzinfo=UTC)


@pytest.fixture
def deps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deps]:
    """An instance with the contract's gjennomføring, Kari (D-0017) and Jon (D-0023); the
    commands see the same instance on a fixed day."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    fil = tmp_path / "gjennomforing.json"
    fil.write_bytes((KONTRAKT / "gjennomforing.json").read_bytes())
    assert main(["gjennomforing", "lag", "--org", ORGNR, str(fil)]) == 0
    made = make_deps(Settings.from_env())
    made.clock = lambda: IDAG
    monkeypatch.setattr(timer_cli, "_deps", lambda: made)
    admin = Aktor(1, "test", "admin")
    for endringer in ({}, {"nr": "D-0023", "fornavn": "Jon", "etternavn": "Berg",
                           "fodselsnummer": FNR_JON}):  # fmt: skip
        data = kontrakt("deltaker.json") | {"gjennomforing_id": 1, "veiledere_arrangor": []}
        deltakere.opprett(made, admin, les(DeltakerInn, data | endringer, tillat_syntetiske=True))
    yield made
    made.jobs.close()
    made.sessions.kw["bind"].dispose()


def _antall(deps: Deps) -> int:
    with deps.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(Aktivitet)) or 0)


def test_the_timeliste_is_imported_and_listed_in_words(
    deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fil = tmp_path / "timeliste.csv"
    fil.write_bytes((KONTRAKT / "timeliste.csv").read_bytes())
    capsys.readouterr()

    assert main(["timer", "importer", "--org", ORGNR, str(fil)]) == 0
    ut = capsys.readouterr().out
    assert ut.startswith("Lagret:\n")
    assert "2026-10-09\tD-0017\tDeltaker møtte ikke\t60 min\t0,25 t (maks 0,25 t når" in ut
    assert ut.endswith("8 aktiviteter.\n")
    assert _antall(deps) == 8

    assert main(["timer", "liste", "--org", ORGNR, "--maned", "2026-10", "--json"]) == 0
    rader = json.loads(capsys.readouterr().out)["aktiviteter"]
    assert [(r["dato"], r["aktivitet"], r["timer"]) for r in rader][:2] == [
        ("2026-10-02", "oppfolging", "1.00"),
        ("2026-10-02", "reise", "1.00"),
    ]
    assert main(["timer", "liste", "--org", ORGNR, "--maned", "2026-09"]) == 0
    assert capsys.readouterr().out == "Ingen registrerte aktiviteter.\n"
    assert main(["timer", "liste", "--org", ORGNR, "--maned", "oktober"]) == 2
    assert "ÅÅÅÅ-MM" in capsys.readouterr().err


def test_a_json_list_with_a_bad_row_is_refused_whole_with_exit_2(
    deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aktiviteter: list[dict[str, Any]] = kontrakt("fakturagrunnlag.json")["aktiviteter"]
    aktiviteter[2]["deltaker"]["nr"] = "D-0404"
    fil = tmp_path / "aktiviteter.json"
    fil.write_text(json.dumps(aktiviteter), encoding="utf-8")
    capsys.readouterr()

    assert main(["timer", "importer", "--org", ORGNR, str(fil), "--json"]) == 2
    svar = json.loads(capsys.readouterr().out)
    assert svar["skrevet"] is False
    assert [f["felt"] for f in svar["feil"]] == ["rad 3.deltaker.nr"]
    assert main(["timer", "importer", "--org", ORGNR, str(fil)]) == 2
    err = capsys.readouterr().err
    assert "Ugyldige inndata:" in err
    assert "rad 3.deltaker.nr: ingen deltaker med nr «D-0404»" in err
    assert _antall(deps) == 0

    tekst = tmp_path / "timer.txt"
    tekst.write_text("x", encoding="utf-8")
    assert main(["timer", "importer", "--org", ORGNR, str(tekst)]) == 2
    assert "bruk .csv (timeliste) eller .json" in capsys.readouterr().err
    assert main(["timer", "importer", str(fil)]) == 2
    assert "mangler valget --org" in capsys.readouterr().err
