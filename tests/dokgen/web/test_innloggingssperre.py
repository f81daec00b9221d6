"""Password guessing through the login form: five failures in a row lock the user name for
15 minutes, known or not, whatever its case; the real app, its database and its audit log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.services import innlogging as innlogging_service
from dokgen.services import innloggingssperre as sperre
from dokgen.storage.db import Bruker, Innloggingsforsok, Revisjon, now, utc
from dokgen.web.sider import innlogging
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.sider_hjelp import token

pytestmark = pytest.mark.integration

FEIL_PASSORD = "ikke-passordet-1"


def _forsok(client: FlaskClient, brukernavn: str, passord: str) -> Any:
    data = {"brukernavn": brukernavn, "passord": passord, "csrf_token": token(client, "/logg-inn")}
    return client.post("/logg-inn", data=data, environ_base={"REMOTE_ADDR": "192.0.2.7"})


def _logget_inn(client: FlaskClient) -> bool:
    with client.session_transaction() as s:
        return "bruker_id" in s


def _rader(deps: Deps) -> list[Innloggingsforsok]:
    with deps.sessions() as s:
        return list(s.scalars(select(Innloggingsforsok)))


def _navnerad(deps: Deps, navn: str) -> Innloggingsforsok | None:
    with deps.sessions() as s:
        return s.get(Innloggingsforsok, sperre.navnenokkel(navn))


def _sperrelinjer(deps: Deps) -> list[tuple[str, str | None, str | None]]:
    with deps.sessions() as s:
        query = select(Revisjon.aktor, Revisjon.objekt_id, Revisjon.fra).where(
            Revisjon.handling == "sperr_innlogging"
        )
        return [tuple(r) for r in s.execute(query)]  # type: ignore[misc]


def test_five_failures_lock_the_name_even_for_the_right_password(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four wrong passwords: 401. The fifth: 429 with Retry-After and the message. Then the
    right password is refused too, without being checked; the lock is audited with the
    address it came from."""
    navn = bruker("leser")
    for _ in range(4):
        r = _forsok(client, navn, FEIL_PASSORD)
        assert (r.status_code, innlogging.FEIL in r.text) == (401, True)
    r = _forsok(client, navn, FEIL_PASSORD)
    assert r.status_code == 429
    assert 890 <= int(r.headers["Retry-After"]) <= 900
    assert (
        "For mange mislykkede innlogginger med dette brukernavnet. Prøv igjen om 15 minutter"
        in (r.text)
    )

    def ikke_sjekket(*args: Any) -> None:
        raise AssertionError("the password of a locked name was checked")

    monkeypatch.setattr(innlogging_service, "sjekk_passord", ikke_sjekket)
    r = _forsok(client, navn, PASSORD)
    assert r.status_code == 429
    assert not _logget_inn(client)
    [(aktor, bruker_id, fra)] = _sperrelinjer(deps)
    assert (aktor, fra) == ("ukjent (innlogging)", "192.0.2.7")
    assert bruker_id is not None


def test_after_the_lock_the_right_password_logs_in_and_clears_the_count(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """When the 15 minutes are over the name may try again; a success forgets the failures."""
    navn = bruker("leser")
    for _ in range(5):
        _forsok(client, navn, FEIL_PASSORD)
    assert _forsok(client, navn, PASSORD).status_code == 429
    with deps.sessions.begin() as s:
        rad = s.get(Innloggingsforsok, sperre.navnenokkel(navn))
        assert rad is not None
        assert rad.sperret_til is not None
        rad.sperret_til -= timedelta(minutes=15)  # the lock has run out
    r = _forsok(client, navn, PASSORD)
    assert (r.status_code, r.location) == (302, "/")
    assert _logget_inn(client)
    assert _navnerad(deps, navn) is None
    # The address keeps its five failures: a success does not buy more guesses elsewhere.
    [adresse] = _rader(deps)
    assert adresse.feil == 5


def test_an_unknown_name_is_answered_the_same_and_nothing_is_audited(
    client: FlaskClient, deps: Deps
) -> None:
    """No user by that name: the same 401s and the same 429, so the answers never tell which
    names exist; there is no organisation to audit it in."""
    statuser = [
        _forsok(client, "finnes.ikke@eksempel.no", FEIL_PASSORD).status_code for _ in range(6)
    ]
    assert statuser == [401, 401, 401, 401, 429, 429]
    assert _sperrelinjer(deps) == []


def test_the_case_of_the_name_does_not_give_more_tries_and_other_names_may_log_in(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Failures as LESER1, Leser1 … count for leser1; another user is not affected."""
    navn, annen = bruker("leser"), bruker("veileder")
    for variant in (navn.upper(), navn.title(), f" {navn} ", navn.upper()):
        assert _forsok(client, variant, FEIL_PASSORD).status_code == 401
    assert _forsok(client, navn, FEIL_PASSORD).status_code == 429
    assert _forsok(client, navn, PASSORD).status_code == 429
    r = _forsok(client, annen, PASSORD)
    assert (r.status_code, r.location) == (302, "/")


def test_failures_further_apart_than_the_lock_start_the_count_again(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Four failures, then a fifth 16 minutes later: counted as the first of a new run."""
    navn = bruker("leser")
    for _ in range(4):
        _forsok(client, navn, FEIL_PASSORD)
    with deps.sessions.begin() as s:
        for rad in s.scalars(select(Innloggingsforsok)):
            rad.sist -= timedelta(minutes=16)
    assert _forsok(client, navn, FEIL_PASSORD).status_code == 401
    ny = _navnerad(deps, navn)
    assert ny is not None
    assert (ny.feil, ny.sperret_til) == (1, None)


def test_failures_at_once_are_all_counted_and_none_fails(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Eight wrong logins for the same name from eight browsers at the same time: each is
    answered 401 or 429 (never 500), and the name ends locked."""
    navn = bruker("leser")

    def en(_: int) -> int:
        return int(_forsok(app.test_client(), navn, FEIL_PASSORD).status_code)

    with ThreadPoolExecutor(8) as pool:
        statuser = list(pool.map(en, range(8)))
    assert set(statuser) <= {401, 429}
    assert 429 in statuser
    assert _forsok(app.test_client(), navn, PASSORD).status_code == 429


def assert_failures_at_once_count_each_and_lock_once(deps: Deps) -> None:
    """Eight first failures for a new name, released together: five are counted (the rest
    are refused before they count), exactly one call reports the lock, none raises — on
    PostgreSQL the losing first inserts are run again."""
    navn, naa = "samtidig@eksempel.no", now()
    start = threading.Barrier(8)

    def en(_: int) -> datetime | None:
        start.wait()
        return sperre.registrer_feil(deps.sessions, navn, naa, fra=None, foresporsel=None)

    with ThreadPoolExecutor(8) as pool:
        svar = list(pool.map(en, range(8)))
    assert [t for t in svar if t is not None] == [naa + sperre.SPERRETID]
    [rad] = _rader(deps)
    assert rad.sperret_til is not None
    assert (rad.feil, utc(rad.sperret_til)) == (0, naa + sperre.SPERRETID)
    with deps.sessions() as s:
        assert sperre.sperret_til(s, navn, naa) == naa + sperre.SPERRETID


def test_first_failures_at_once_count_each_and_lock_once(deps: Deps) -> None:
    """The service function itself, eight threads at once (SQLite)."""
    assert_failures_at_once_count_each_and_lock_once(deps)


def assert_forty_at_once_check_five_passwords(
    app: Flask, deps: Deps, navn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty wrong logins for one name from forty browsers at once: exactly five passwords
    are checked (each attempt is counted before its check), every answer is 401 or 429,
    the name ends locked and the lock is audited once."""
    sjekket: list[str] = []
    ekte = innlogging_service.sjekk_passord

    def teller(*args: Any) -> Any:
        sjekket.append(args[1])
        return ekte(*args)

    monkeypatch.setattr(innlogging_service, "sjekk_passord", teller)
    start = threading.Barrier(40)

    def en(i: int) -> int:
        c = app.test_client()
        data = {"brukernavn": navn, "passord": FEIL_PASSORD, "csrf_token": token(c, "/logg-inn")}
        start.wait()
        adresse = {"REMOTE_ADDR": f"192.0.2.{i + 1}"}
        return int(c.post("/logg-inn", data=data, environ_base=adresse).status_code)

    with ThreadPoolExecutor(40) as pool:
        statuser = list(pool.map(en, range(40)))
    assert len(sjekket) == sperre.MAKS_FEIL
    assert sorted(set(statuser)) == [401, 429]
    assert statuser.count(401) == sperre.MAKS_FEIL - 1
    assert _forsok(app.test_client(), navn, PASSORD).status_code == 429
    assert len(_sperrelinjer(deps)) == 1


def test_forty_at_once_check_five_passwords(
    app: Flask, deps: Deps, bruker: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the form on SQLite (the PostgreSQL twin is in tests/dokgen/pg)."""
    assert_forty_at_once_check_five_passwords(app, deps, bruker("admin"), monkeypatch)


def test_an_admin_sees_the_lock_and_lifts_it(
    app: Flask, client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The users page says until when a name is locked and offers to lift it (CSRF, audited);
    after that the user logs in."""
    navn = bruker("leser")
    for _ in range(5):
        _forsok(client, navn, FEIL_PASSORD)
    admin = app.test_client()
    assert _forsok(admin, bruker("admin"), PASSORD).status_code == 302
    side = admin.get("/admin/brukere").text
    assert "innlogging med passord sperret til " in side
    with deps.sessions() as s:
        bruker_id = s.scalars(select(Bruker.id).where(Bruker.brukernavn == navn)).one()
    url = f"/admin/brukere/{bruker_id}/opphev-sperre"
    assert f'action="{url}"' in side
    assert admin.post(url, data={}).status_code == 400  # no CSRF token
    r = admin.post(url, data={"csrf_token": token(admin, "/admin/brukere")})
    assert (r.status_code, r.location) == (302, "/admin/brukere")
    side = admin.get("/admin/brukere").text
    assert "Sperren er opphevet." in side
    assert "sperret til" not in side
    with deps.sessions() as s:
        handlinger = list(
            s.scalars(select(Revisjon.handling).where(Revisjon.objekt_id == str(bruker_id)))
        )
    assert handlinger.count("opphev_sperre") == 1
    r = _forsok(client, navn, PASSORD)
    assert (r.status_code, r.location) == (302, "/")


def test_only_an_admin_of_the_organisation_lifts_a_lock(
    app: Flask, client: FlaskClient, deps: Deps, bruker: Callable[..., str], annen_org: Any
) -> None:
    """Another role gets 403, an admin of another organisation 404; the lock stays."""
    navn = bruker("leser")
    for _ in range(5):
        _forsok(client, navn, FEIL_PASSORD)
    with deps.sessions() as s:
        bruker_id = s.scalars(select(Bruker.id).where(Bruker.brukernavn == navn)).one()
    url = f"/admin/brukere/{bruker_id}/opphev-sperre"
    for hvem, status in ((bruker("veileder"), 403), (bruker("admin", annen_org), 404)):
        c = app.test_client()
        assert _forsok(c, hvem, PASSORD).status_code == 302
        assert c.post(url, data={"csrf_token": token(c, "/dokumenter")}).status_code == status
    assert _forsok(client, navn, PASSORD).status_code == 429
