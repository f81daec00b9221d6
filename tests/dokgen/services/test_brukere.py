"""Users and tokens: Argon2id hashes, one message for every failed login, hashed tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dokgen.access import Aktor
from dokgen.deps.token_cache import aktor_for_token
from dokgen.errors import AccessDeniedError, InputInvalidError, NotAuthenticatedError
from dokgen.services import brukere
from dokgen.storage.db import ApiToken, Bruker, make_engine, make_sessionmaker, migrate, now

PASSORD = "korrekt-hest-batteri-stift"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    with make_sessionmaker(engine).begin() as s:
        yield s


@pytest.fixture
def org(session: Session) -> Any:
    return brukere.opprett_org(session, "998877660", "Eksempel AS")


def test_a_password_is_stored_as_an_argon2id_hash_and_checked(session: Session, org: Any) -> None:
    """The hash is Argon2id, never the password; the right password logs in."""
    brukere.opprett_bruker(session, org, "kari", "Kari Veileder", "veileder", PASSORD)
    stored = session.scalar(select(Bruker.passord_hash))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSORD not in stored
    bruker = brukere.logg_inn(session, "kari", PASSORD)
    aktor = brukere.aktor_for_bruker(bruker, fra="10.0.0.1", foresporsel="r1")
    assert aktor == Aktor(org.id, "Kari Veileder", "veileder", "10.0.0.1", "r1", bruker.id)


@pytest.mark.parametrize(("name", "password"), [("kari", "feil-passord-123"), ("ola", PASSORD)])
def test_a_wrong_name_or_password_gets_the_same_answer(
    session: Session, org: Any, name: str, password: str
) -> None:
    """Failed logins do not tell whether the user exists."""
    brukere.opprett_bruker(session, org, "kari", "Kari", "veileder", PASSORD)
    with pytest.raises(NotAuthenticatedError, match=r"^feil brukernavn eller passord$"):
        brukere.logg_inn(session, name, password)


def test_a_deactivated_user_cannot_log_in(session: Session, org: Any) -> None:
    bruker = brukere.opprett_bruker(session, org, "kari", "Kari", "veileder", PASSORD)
    bruker.aktiv = False
    with pytest.raises(NotAuthenticatedError):
        brukere.logg_inn(session, "kari", PASSORD)


def test_new_users_are_checked_with_every_error_at_once(session: Session, org: Any) -> None:
    """Unknown role and short password are reported together; a taken name is refused, in
    any case (ASCII or not), with the one neutral answer."""
    with pytest.raises(InputInvalidError) as info:
        brukere.opprett_bruker(session, org, "kari", "Kari", "sjef", "kort")
    assert [e.path for e in info.value.errors] == ["rolle", "passord"]
    brukere.opprett_bruker(session, org, "kari", "Kari", "leser", PASSORD)
    for tatt in ("kari", "KARI", "Kari"):  # names equal but for case share the login lock
        with pytest.raises(InputInvalidError, match=f"brukernavn: {brukere.NAVN_TATT}"):
            brukere.opprett_bruker(session, org, tatt, "Kari 2", "leser", PASSORD)
    brukere.opprett_bruker(session, org, "åse", "Åse", "leser", PASSORD)
    with pytest.raises(InputInvalidError, match=f"brukernavn: {brukere.NAVN_TATT}"):
        brukere.opprett_bruker(session, org, "ÅSE", "Åse 2", "leser", PASSORD)


def test_names_longer_than_the_audit_line_allows_are_refused(session: Session, org: Any) -> None:
    """A user's or token's name is written into every audit line as "token:NAVN (rolle)"
    in a 200-character column: 150 characters is the most, and nothing is stored beyond."""
    lang = "Æ" * (brukere.MAKS_NAVN + 1)
    with pytest.raises(InputInvalidError) as info:
        brukere.opprett_bruker(session, org, "kari", lang, "sjef", PASSORD)
    assert [e.path for e in info.value.errors] == ["navn", "rolle"]
    with pytest.raises(InputInvalidError, match="navn: må ha høyst 150 tegn"):
        brukere.lag_token(session, org, "veileder", lang)
    assert session.scalar(select(Bruker.id)) is None
    assert session.scalar(select(ApiToken.id)) is None
    token = brukere.lag_token(session, org, "veileder", lang[:-1])
    aktor = aktor_for_token(session, token, fra=None, foresporsel=None)
    assert len(f"{aktor.navn} ({aktor.rolle})") <= 200


def test_a_token_is_shown_once_stored_hashed_and_scoped(session: Session, org: Any) -> None:
    """Only the SHA-256 is stored; the token identifies its organisation and role."""
    token = brukere.lag_token(session, org, "regnskap", "økonomisystem")
    assert token.startswith("dg_")
    assert len(token) > 40
    stored = session.scalar(select(ApiToken.token_sha256))
    assert stored is not None
    assert token not in stored
    aktor = aktor_for_token(session, token, fra=None, foresporsel=None)
    assert (aktor.org_id, aktor.rolle, aktor.navn) == (org.id, "regnskap", "token:økonomisystem")


def test_unknown_and_revoked_tokens_are_refused(session: Session, org: Any) -> None:
    token = brukere.lag_token(session, org, "leser", "x")
    with pytest.raises(NotAuthenticatedError):
        aktor_for_token(session, token + "x", fra=None, foresporsel=None)
    row = session.scalar(select(ApiToken))
    assert row is not None
    row.tilbakekalt = now()
    with pytest.raises(NotAuthenticatedError):
        aktor_for_token(session, token, fra=None, foresporsel=None)
    with pytest.raises(InputInvalidError):
        brukere.lag_token(session, org, "sjef", "x")


def test_permissions_follow_the_roles() -> None:
    """veileder writes documents, regnskap invoices, admin administers; everyone reads documents."""
    table = {
        "dokument.les": {"veileder", "regnskap", "leser", "admin"},
        "dokument.skriv": {"veileder"},
        "faktura.skriv": {"regnskap"},
        "admin": {"admin"},
    }
    for tilgang, allowed in table.items():
        for rolle in ("veileder", "regnskap", "leser", "admin"):
            aktor = Aktor(1, "x", rolle)
            if rolle in allowed:
                aktor.krev(tilgang)
            else:
                with pytest.raises(AccessDeniedError):
                    aktor.krev(tilgang)
