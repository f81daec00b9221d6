"""``dokgen maned avslutt`` as an operator runs it: the checks alone, the close, a second
close refused (exit 2, nothing made), a failed invoice (exit 1), the JSON and the bokmål."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from dokgen.bootstrap import make_deps
from dokgen.cli import main
from dokgen.deps import Deps
from dokgen.services import fakturajobber
from dokgen.services.manedsavslutning import forrige_maned
from dokgen.settings import Settings
from dokgen.storage.db import Faktura, Manedskrav, Organisasjon
from tests.dokgen.conftest import org_innstillinger
from tests.dokgen.services.maned_hjelp import lag_deltaker, lag_gjennomforing, timer

pytestmark = pytest.mark.integration

ORGNR = "998877660"
# The last whole month before today: the command runs on the real clock.
MANED = forrige_maned(date.today())


@pytest.fixture
def deps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deps]:
    """An instance with one organisation set up for invoicing and a gjennomføring with two
    hours of the month registered for Kari."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.setenv("DOKGEN_JOBBMODUS", "traad")
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    made = make_deps(Settings.from_env())
    innstillinger = org_innstillinger()
    innstillinger["selger"] |= {"orgnr": ORGNR, "navn": "Eksempel AS"}
    with made.sessions.begin() as s:
        s.execute(update(Organisasjon).values(innstillinger=innstillinger))
        org_id = s.scalars(select(Organisasjon.id)).one()
    gid = lag_gjennomforing(made, org_id)
    kari = lag_deltaker(made, org_id, gid, "D-0017", oppstart=date(2020, 1, 1))
    dag = date.fromisoformat(f"{MANED}-10")
    timer(made, org_id, gid, kari, [(dag, "oppfolging", 60), (dag, "oppfolging", 60)])
    yield made
    made.jobs.close()
    made.sessions.kw["bind"].dispose()


def _antall(deps: Deps) -> tuple[int, int]:
    with deps.sessions() as s:
        krav = s.scalar(select(func.count()).select_from(Manedskrav))
        fakturaer = s.scalar(select(func.count()).select_from(Faktura))
    return int(krav or 0), int(fakturaer or 0)


def test_preview_close_and_a_second_close(deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    """--forhandsvis makes nothing (exit 0); the close makes the invoice, waits until it is
    validated and prints JSON (exit 0); the same month again is refused (exit 2)."""
    args = ["maned", "avslutt", "--org", ORGNR, "--maned", MANED]
    assert main([*args, "--forhandsvis", "--json"]) == 0
    forhand = json.loads(capsys.readouterr().out)
    [g] = forhand["gjennomforinger"]
    assert (g["art"], g["timer"], g["belop"], g["belop_kroner"], g["funn"]) == (
        "ehf", "2.00", "2300.00", 2300, [],
    )  # fmt: skip
    assert _antall(deps) == (0, 0)

    assert main([*args, "--json"]) == 0
    laget = json.loads(capsys.readouterr().out)
    assert laget["laget"] is True
    assert [k["status"] for k in laget["krav"]] == ["klar"]
    assert laget["krav"][0]["faktura_nummer"].endswith("-0001")
    assert _antall(deps) == (1, 1)

    assert main(args) == 2
    ut = capsys.readouterr()
    assert "FEIL: " in ut.out
    assert "er allerede krevd for denne gjennomføringen" in ut.out
    assert "Ingenting ble laget" in ut.err
    assert _antall(deps) == (1, 1)


def test_a_failed_invoice_exits_1(
    deps: Deps, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invoice whose build fails ends the command with 1 and says which."""

    def feiler(d: Deps, faktura_id: str) -> None:
        with d.sessions.begin() as s:
            s.execute(
                update(Faktura)
                .where(Faktura.id == faktura_id)
                .values(status=fakturajobber.FEILET, feil="Konverteringen feilet")
            )

    monkeypatch.setattr(fakturajobber, "bygg", feiler)
    assert main(["maned", "avslutt", "--org", ORGNR, "--maned", MANED]) == 1
    ut = capsys.readouterr()
    assert "Feilet (Konverteringen feilet)" in ut.out
    assert "Noen krav ble ikke ferdige" in ut.err


def test_a_bad_month_is_usage(capsys: pytest.CaptureFixture[str], deps: Deps) -> None:
    """A month not written YYYY-MM is bad input (exit 2), in bokmål."""
    assert main(["maned", "avslutt", "--org", ORGNR, "--maned", "oktober"]) == 2
    assert "ÅÅÅÅ-MM" in capsys.readouterr().err
