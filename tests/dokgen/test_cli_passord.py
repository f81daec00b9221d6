"""``dokgen bruker passord`` as an operator runs it (click's CliRunner feeds the prompts):
a password typed twice, or a one-time one that must be changed; the same service functions
and audit lines as the pages; errors exit 2 and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dokgen.cli import main
from dokgen.errors import NotAuthenticatedError
from dokgen.services import brukere
from dokgen.services import innloggingssperre as sperre
from dokgen.settings import Settings
from dokgen.storage.db import Bruker, Revisjon, make_engine, make_sessionmaker, now

ORGNR, ANNET_ORGNR = "998877660", "974760673"
GAMMELT, NYTT = "riktig-hest-batteri-99", "blå-fjord-ved-kveld-7"


@pytest.fixture
def sessions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    """An instance with two organisations and the veileder ``ola`` in the first."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.setenv("DOKGEN_NYTT_PASSORD", GAMMELT)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    assert main(["org", "lag", "--orgnr", ANNET_ORGNR, "--navn", "Annen AS"]) == 0
    args = ["bruker", "lag", "--org", ORGNR, "--brukernavn", "ola", "--navn", "Ola Veileder"]
    assert main([*args, "--rolle", "veileder"]) == 0
    return make_sessionmaker(make_engine(Settings.from_env().database))


def _kjor(args: list[str], inndata: str = "") -> tuple[int, str, str]:
    """Run ``dokgen`` with ``inndata`` on stdin; return exit code, stdout and stderr."""
    runner = CliRunner()
    with runner.isolation(input=inndata) as (ut, feil, *_):
        rc = main(args)
        return rc, ut.getvalue().decode(), feil.getvalue().decode()


def _logger_inn(sessions: sessionmaker[Session], passord: str) -> bool:
    with sessions.begin() as s:
        try:
            brukere.logg_inn(s, "ola", passord)
        except NotAuthenticatedError:
            return False
    return True


def _linjer(sessions: sessionmaker[Session]) -> list[tuple[str, str, str | None]]:
    with sessions() as s:
        query = select(Revisjon.aktor, Revisjon.handling, Revisjon.objekt_id).where(
            Revisjon.handling.in_(["sett_passord", "tilbakestill_passord"])
        )
        return [tuple(r) for r in s.execute(query)]  # type: ignore[misc]


def _ola(sessions: sessionmaker[Session]) -> Bruker:
    with sessions() as s:
        return s.scalars(select(Bruker).where(Bruker.brukernavn == "ola")).one()


ARGS = ["bruker", "passord", "--org", ORGNR, "--brukernavn", "ola"]


def test_a_password_typed_twice_replaces_the_old_and_lifts_a_lock(
    sessions: sessionmaker[Session],
) -> None:
    """Asked twice without echo; the new password logs in, the old does not; audited as
    the command line; the password is printed and audited nowhere."""
    for _ in range(sperre.MAKS_FEIL):
        sperre.registrer_feil(sessions, "ola", now(), fra=None, foresporsel=None)
    rc, ut, feil = _kjor(ARGS, f"{NYTT}\n{NYTT}\n")
    assert (rc, feil) == (0, "")
    assert "Nytt passord: \nGjenta nytt passord: \n" in ut
    assert ut.endswith("Brukeren ola har fått nytt passord.\n")
    assert NYTT not in ut
    with sessions() as s:
        assert sperre.sperret_til(s, "ola", now()) is None
    assert _logger_inn(sessions, NYTT)
    assert not _logger_inn(sessions, GAMMELT)
    assert not _ola(sessions).ma_bytte_passord
    assert _linjer(sessions) == [("kommandolinjen (admin)", "sett_passord", str(_ola(sessions).id))]


def test_a_one_time_password_is_printed_once_and_must_be_changed(
    sessions: sessionmaker[Session],
) -> None:
    """``--engangs`` asks nothing, prints the one-time password, and flags the user."""
    rc, ut, _ = _kjor([*ARGS, "--engangs"])
    assert rc == 0
    forklaring, engangs = ut.splitlines()
    assert forklaring.startswith("Engangspassord for ola")
    assert _logger_inn(sessions, engangs)
    assert not _logger_inn(sessions, GAMMELT)
    assert _ola(sessions).ma_bytte_passord
    assert _linjer(sessions) == [
        ("kommandolinjen (admin)", "tilbakestill_passord", str(_ola(sessions).id))
    ]


@pytest.mark.parametrize(
    ("args", "inndata", "melding"),
    [
        (ARGS, "kort-pass\nkort-pass\n", "passord: må ha minst 12 tegn"),
        (ARGS, "passord123456\npassord123456\n", "passord: er et vanlig passord"),
        (ARGS, "ola-ola-ola-ola\nola-ola-ola-ola\n", "passord: kan ikke bygge på brukernavnet"),
        (
            ["bruker", "passord", "--org", ANNET_ORGNR, "--brukernavn", "ola"],
            "",
            f"organisasjonen {ANNET_ORGNR} har ingen bruker med brukernavnet ola",
        ),
    ],
)
def test_a_refused_password_or_unknown_user_exits_2_and_changes_nothing(
    sessions: sessionmaker[Session], args: list[str], inndata: str, melding: str
) -> None:
    rc, _, feil = _kjor(args, inndata)
    assert rc == 2
    assert melding in feil
    assert "Traceback" not in feil
    assert _logger_inn(sessions, GAMMELT)
    assert _linjer(sessions) == []


def test_two_different_entries_are_asked_again(sessions: sessionmaker[Session]) -> None:
    """The repeat must match: asked again (in bokmål), three times at most."""
    rc, _, feil = _kjor(ARGS, f"{NYTT}\nnoe-annet-helt\n{NYTT}\n{NYTT}\n")
    assert rc == 0
    assert feil == "Passordene er ikke like. Prøv igjen.\n"
    assert _logger_inn(sessions, NYTT)
    rc, _, feil = _kjor(ARGS, "a-helt-nytt-pass\nb-helt-nytt-pass\n" * 3)
    assert rc == 2
    assert "passord: ble ikke skrevet likt to ganger" in feil
    assert _logger_inn(sessions, NYTT)


LAG = ["bruker", "lag", "--org", ORGNR, "--navn", "Kari Leser", "--rolle", "leser"]


def test_bruker_lag_asks_twice_or_makes_a_one_time_password(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without DOKGEN_NYTT_PASSORD the password is asked for twice; with ``--engangs`` the
    operator invents nothing: a one-time password is printed once and must be changed."""
    monkeypatch.delenv("DOKGEN_NYTT_PASSORD")
    rc, ut, _ = _kjor([*LAG, "--brukernavn", "kari"], f"{NYTT}\n{NYTT}\n")
    assert rc == 0
    assert ut.endswith("Brukeren kari (leser) er laget.\n")
    rc, ut, _ = _kjor([*LAG, "--brukernavn", "kari2", "--engangs"])
    assert rc == 0
    engangs = ut.splitlines()[-1]
    with sessions.begin() as s:
        kari = brukere.logg_inn(s, "kari", NYTT)
        kari2 = brukere.logg_inn(s, "kari2", engangs)
        assert (kari.ma_bytte_passord, kari2.ma_bytte_passord) == (False, True)
        handlinger = s.scalars(
            select(Revisjon.handling).where(Revisjon.objekt_id.in_([str(kari2.id)]))
        ).all()
    assert handlinger == ["opprett_bruker"]
