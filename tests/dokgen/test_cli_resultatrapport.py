"""``dokgen resultatrapport`` as an operator runs it: the seeded month to a spreadsheet (cell by
cell) and to a sealed PDF, the format by the suffix, and wrong input in bokmål."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from dokgen.bootstrap import make_deps
from dokgen.cli import main
from dokgen.deps import Deps
from dokgen.settings import Settings
from dokgen.storage.db import Organisasjon
from tests.dokgen.conftest import org_innstillinger
from tests.dokgen.services.resultat_hjelp import (
    AKTIVE,
    AVSLUTTET,
    ETTER_STATUS,
    MANED,
    STARTET,
    seed,
)
from tests.pdfinfo import pdfsig_report, text

ORGNR = "998877660"


@pytest.fixture
def gjennomforing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """An instance with one organisation and the seeded month; yield the gjennomføring's id."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.setenv("DOKGEN_JOBBMODUS", "traad")
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    made: Deps = make_deps(Settings.from_env())
    innstillinger = org_innstillinger()
    innstillinger["selger"] |= {"orgnr": ORGNR, "navn": "Eksempel AS"}
    with made.sessions.begin() as s:
        s.execute(update(Organisasjon).values(innstillinger=innstillinger))
        org_id = s.scalars(select(Organisasjon.id)).one()
    yield seed(made, org_id)
    made.jobs.close()
    made.sessions.kw["bind"].dispose()


def _args(gid: int, ut: Path, maned: str = MANED) -> list[str]:
    return ["resultatrapport", "--org", ORGNR, "--gjennomforing", str(gid), "--maned", maned,
            "-o", str(ut)]  # fmt: skip


def test_a_spreadsheet_cell_by_cell(
    gjennomforing: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ut = tmp_path / "oktober.xlsx"
    assert main(_args(gjennomforing, ut)) == 0
    assert f"{ut}: resultatrapport for {MANED}" in capsys.readouterr().out
    ark = load_workbook(ut)["Resultatrapport"]
    verdier = [c.value for c in ark[2]]
    assert verdier[0] == MANED
    assert verdier[3:] == [AKTIVE, STARTET, AVSLUTTET, *[antall for _, antall in ETTER_STATUS]]


@pytest.mark.integration
def test_a_sealed_pdf(gjennomforing: int, tmp_path: Path) -> None:
    ut = tmp_path / "oktober.pdf"
    assert main(_args(gjennomforing, ut)) == 0
    pdf = ut.read_bytes()
    assert "Antall avsluttede deltakere i tiltaket" in text(pdf)
    assert pdfsig_report(pdf)[0]["valid"] is True


def test_wrong_input_is_exit_2_in_bokmal(
    gjennomforing: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_args(gjennomforing, tmp_path / "oktober.csv")) == 2
    assert ".xlsx eller .pdf" in capsys.readouterr().err
    assert main(_args(gjennomforing, tmp_path / "x.xlsx", "2026-13")) == 2
    assert "ÅÅÅÅ-MM" in capsys.readouterr().err
    # An unknown gjennomføring is a domain error (exit 1), as in the other commands.
    assert main(_args(gjennomforing + 50, tmp_path / "x.xlsx")) == 1
    assert "fant ikke gjennomføringen" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
