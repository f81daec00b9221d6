"""``dokgen token liste`` and ``dokgen token trekk-tilbake`` as an operator runs them: exit
codes, what is printed, what the database then holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dokgen.cli import main
from dokgen.deps.token_cache import aktor_for_token
from dokgen.errors import NotAuthenticatedError
from dokgen.services import innloggingssperre as sperre
from dokgen.settings import Settings
from dokgen.storage.db import Bruker, Revisjon, make_engine, make_sessionmaker, now

ORGNR, ANNET_ORGNR = "998877660", "974760673"
UKJENT_ID = f"id: organisasjonen {ORGNR} har ikke noe token med id"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An instance in a temporary folder with two organisations."""
    monkeypatch.setenv("DOKGEN_INSTANS", str(tmp_path / "instans"))
    monkeypatch.delenv("DOKGEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("DOKGEN_MILJO", raising=False)
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Eksempel AS"]) == 0
    assert main(["org", "lag", "--orgnr", ANNET_ORGNR, "--navn", "Annen AS"]) == 0
    return tmp_path


def _lag(capsys: pytest.CaptureFixture[str], orgnr: str, rolle: str, navn: str) -> str:
    capsys.readouterr()
    assert main(["token", "lag", "--org", orgnr, "--rolle", rolle, "--navn", navn]) == 0
    return capsys.readouterr().out.strip()


def _gyldig(token: str) -> bool:
    sessions = make_sessionmaker(make_engine(Settings.from_env().database))
    with sessions() as s:
        try:
            aktor_for_token(s, token, fra=None, foresporsel=None)
        except NotAuthenticatedError:
            return False
    return True


def test_liste_shows_the_tokens_of_one_organisation_never_the_token(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line per token of that organisation: id, role, time (Oslo), status, name."""
    assert main(["token", "liste", "--org", ORGNR]) == 0
    assert capsys.readouterr().out == f"Organisasjonen {ORGNR} har ingen API-tokener.\n"
    forste = _lag(capsys, ORGNR, "regnskap", "Økonomisystem")
    andre = _lag(capsys, ORGNR, "leser", "Arkiv")
    _lag(capsys, ANNET_ORGNR, "admin", "Annet system")
    assert main(["token", "liste", "--org", ORGNR]) == 0
    out = capsys.readouterr().out
    linjer = out.splitlines()
    assert linjer[0] == "ID\tROLLE\tOPPRETTET\tSTATUS\tNAVN"
    assert re.fullmatch(r"2\tleser\t\d\d\.\d\d\.\d{4} \d\d:\d\d\taktiv\tArkiv", linjer[1])
    assert re.fullmatch(
        r"1\tregnskap\t\d\d\.\d\d\.\d{4} \d\d:\d\d\taktiv\tØkonomisystem", linjer[2]
    )
    assert len(linjer) == 3
    assert forste not in out
    assert andre not in out


def test_trekk_tilbake_revokes_once_and_is_harmless_again(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0 and a message; the token is refused afterwards; the audit log names the CLI;
    a second run changes nothing."""
    verdi = _lag(capsys, ORGNR, "veileder", "Fagsystem")
    assert _gyldig(verdi)
    assert main(["token", "trekk-tilbake", "--org", ORGNR, "--id", "1"]) == 0
    assert capsys.readouterr().out == "Tokenet «Fagsystem» (id 1) er trukket tilbake.\n"
    assert not _gyldig(verdi)
    assert main(["token", "trekk-tilbake", "--org", ORGNR, "--id", "1"]) == 0
    assert main(["token", "liste", "--org", ORGNR]) == 0
    rad = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(
        r"1\tveileder\t\S+ \S+\ttilbakekalt \d\d\.\d\d\.\d{4} \d\d:\d\d\tFagsystem", rad
    )
    sessions = make_sessionmaker(make_engine(Settings.from_env().database))
    with sessions() as s:
        query = select(Revisjon.aktor, Revisjon.objekt_id).where(
            Revisjon.handling == "trekk_tilbake_token"
        )
        assert list(s.execute(query)) == [("kommandolinjen (admin)", "1")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "123456785", "--id", "1"], "org: ingen organisasjon har orgnr 123456785"),
        (
            ["--org", ORGNR, "--id", "99"],
            f"{UKJENT_ID} 99",
        ),
        # The other organisation's token: as unknown as one that does not exist.
        (["--org", ORGNR, "--id", "2"], f"{UKJENT_ID} 2"),
    ],
)
def test_unknown_organisation_or_id_exits_2_with_a_message(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """Exit 2, the reason in bokmål on stderr, no token revoked."""
    eget = _lag(capsys, ORGNR, "leser", "Eget")
    annet = _lag(capsys, ANNET_ORGNR, "leser", "Annet")
    assert main(["token", "trekk-tilbake", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert _gyldig(eget)
    assert _gyldig(annet)


def test_liste_for_an_unknown_organisation_exits_2(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "liste", "--org", "123456785"]) == 2
    assert "org: ingen organisasjon har orgnr 123456785" in capsys.readouterr().err


def test_tokens_and_users_made_from_the_command_line_are_in_the_audit_log(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``token lag`` and ``bruker lag`` write who (the command line) made what, in the
    organisation it belongs to — never the token or the password."""
    verdi = _lag(capsys, ANNET_ORGNR, "regnskap", "Økonomisystem")
    monkeypatch.setenv("DOKGEN_NYTT_PASSORD", "riktig-hest-batteri-99")
    args = ["bruker", "lag", "--org", ORGNR, "--brukernavn", "kari", "--navn", "Kari Leser"]
    assert main([*args, "--rolle", "leser"]) == 0
    sessions = make_sessionmaker(make_engine(Settings.from_env().database))
    with sessions() as s:
        rows = list(s.execute(select(Revisjon.org_id, Revisjon.aktor, Revisjon.handling)))
        everything = " ".join(str(v) for r in s.scalars(select(Revisjon)) for v in vars(r).values())
    assert rows == [
        (2, "kommandolinjen (admin)", "opprett_token"),
        (1, "kommandolinjen (admin)", "opprett_bruker"),
    ]
    assert verdi not in everything
    assert "riktig-hest" not in everything


def _ola(monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    """Make the veileder ``ola`` with ``bruker lag``; return the instance's sessions."""
    monkeypatch.setenv("DOKGEN_NYTT_PASSORD", "riktig-hest-batteri-99")
    args = ["bruker", "lag", "--org", ORGNR, "--brukernavn", "ola", "--navn", "Ola Veileder"]
    assert main([*args, "--rolle", "veileder"]) == 0
    return make_sessionmaker(make_engine(Settings.from_env().database))


def test_frakoble_oidc_removes_the_binding_and_is_audited(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bruker frakoble-oidc`` clears the user's OIDC identity; an unknown user exits 2."""
    sessions = _ola(monkeypatch)
    with sessions.begin() as s:
        ola = s.scalars(select(Bruker).where(Bruker.brukernavn == "ola")).one()
        ola.oidc_id = "https://login.eksempel.no/t/v2.0 person-sub"
        ola_id = ola.id
    capsys.readouterr()
    assert main(["bruker", "frakoble-oidc", "--org", ORGNR, "--brukernavn", "ola"]) == 0
    assert "ola er ikke lenger koblet til innloggingstjenesten" in capsys.readouterr().out
    with sessions() as s:
        assert s.get(Bruker, ola_id).oidc_id is None  # type: ignore[union-attr]
        linjer = s.execute(
            select(Revisjon.aktor, Revisjon.objekt_id).where(Revisjon.handling == "frakoble_oidc")
        ).all()
    assert [tuple(r) for r in linjer] == [("kommandolinjen (admin)", str(ola_id))]

    assert main(["bruker", "frakoble-oidc", "--org", ANNET_ORGNR, "--brukernavn", "ola"]) == 2
    assert f"organisasjonen {ANNET_ORGNR} har ingen bruker med brukernavnet ola" in (
        capsys.readouterr().err
    )


def test_opphev_sperre_lets_a_locked_user_try_again_and_is_audited(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bruker opphev-sperre`` removes the lock of failed logins; an unknown user exits 2."""
    sessions = _ola(monkeypatch)
    naa = now()
    for _ in range(sperre.MAKS_FEIL):
        sperre.registrer_feil(sessions, "ola", naa, fra=None, foresporsel=None)
    with sessions() as s:
        assert sperre.sperret_til(s, "ola", naa) is not None
    capsys.readouterr()
    assert main(["bruker", "opphev-sperre", "--org", ORGNR, "--brukernavn", "ola"]) == 0
    assert "ola kan logge inn igjen" in capsys.readouterr().out
    with sessions() as s:
        assert sperre.sperret_til(s, "ola", naa) is None
        linjer = s.execute(
            select(Revisjon.aktor, Revisjon.handling).where(
                Revisjon.handling.in_(["sperr_innlogging", "opphev_sperre"])
            )
        ).all()
    assert [tuple(r) for r in linjer] == [
        ("ukjent (innlogging)", "sperr_innlogging"),
        ("kommandolinjen (admin)", "opphev_sperre"),
    ]
    assert main(["bruker", "opphev-sperre", "--org", ORGNR, "--brukernavn", "kari"]) == 2


def test_bruker_lag_makes_the_checks_the_admins_page_makes(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bruker lag`` calls the same service function as the users page: a blank name is
    refused (exit 2) as there, names are trimmed, and nothing is stored or audited."""
    monkeypatch.setenv("DOKGEN_NYTT_PASSORD", "riktig-hest-batteri-99")
    args = ["bruker", "lag", "--org", ORGNR, "--brukernavn", "kari", "--rolle", "leser"]
    capsys.readouterr()
    assert main([*args, "--navn", "   "]) == 2
    assert "navn: mangler (påkrevd felt)" in capsys.readouterr().err
    sessions = make_sessionmaker(make_engine(Settings.from_env().database))
    with sessions() as s:
        assert s.scalars(select(Bruker)).all() == []
        assert s.scalars(select(Revisjon)).all() == []
    assert main([*args, "--navn", "  Kari Leser "]) == 0
    with sessions() as s:
        assert s.scalars(select(Bruker.navn)).all() == ["Kari Leser"]


def test_org_lag_refuses_an_invalid_or_taken_orgnr(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["org", "lag", "--orgnr", "123456789", "--navn", "Feil AS"]) == 2
    assert "orgnr: ugyldig organisasjonsnummer" in capsys.readouterr().err
    assert main(["org", "lag", "--orgnr", ORGNR, "--navn", "Igjen AS"]) == 2
    assert "orgnr: finnes allerede" in capsys.readouterr().err
