"""The login cannot be turned into a weapon, and a session ends when its user logs out
(issue 15): the source address is throttled too, a browser the user logged in from before
still gets in while strangers lock the name, a logged-out cookie is dead everywhere, a
redirect after login stays on the site, names of other organisations are not told, and an
organisation always keeps an admin. The real app on SQLite (PostgreSQL twins in pg/)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import InputInvalidError
from dokgen.services import admin as admin_service
from dokgen.services import innloggingssperre as sperre
from dokgen.services.brukere import NAVN_TATT
from dokgen.storage.db import Bruker, Innloggingsforsok, Okt, Organisasjon, Revisjon, now
from dokgen.web import enhet
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.sider_hjelp import token

pytestmark = pytest.mark.integration

FEIL_PASSORD = "ikke-passordet-1"
ANGRIPER = "203.0.113.66"
BRUKERENS = "198.51.100.20"


def _forsok(client: FlaskClient, navn: str, passord: str, fra: str, neste: str = "") -> Any:
    data = {"brukernavn": navn, "passord": passord, "csrf_token": token(client, "/logg-inn")}
    url = f"/logg-inn?neste={neste}" if neste else "/logg-inn"
    return client.post(url, data=data, environ_base={"REMOTE_ADDR": fra})


def _logget_inn(client: FlaskClient) -> bool:
    return client.get("/dokumenter").status_code == 200


def _bruker_rad(deps: Deps, navn: str) -> Bruker:
    with deps.sessions() as s:
        return s.scalars(select(Bruker).where(Bruker.brukernavn == navn)).one()


def _handlinger(deps: Deps, handling: str) -> list[str | None]:
    with deps.sessions() as s:
        return list(s.scalars(select(Revisjon.objekt_id).where(Revisjon.handling == handling)))


def _laas_navnet(app: Flask, navn: str) -> None:
    angriper = app.test_client()
    statuser = [_forsok(angriper, navn, FEIL_PASSORD, ANGRIPER).status_code for _ in range(5)]
    assert statuser == [401, 401, 401, 401, 429]


# --- the source address ----------------------------------------------------------------


def test_one_address_is_stopped_after_twenty_failures_across_names(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Twenty wrong passwords for twenty different names from one address: the address is
    locked (429, its own message) even for a right password, without locking any of the
    names; the same user from another address logs in."""
    angriper = app.test_client()
    statuser = [
        _forsok(angriper, f"gjett{i}@eksempel.no", FEIL_PASSORD, ANGRIPER).status_code
        for i in range(sperre.MAKS_FEIL_ADRESSE)
    ]
    assert statuser == [401] * (sperre.MAKS_FEIL_ADRESSE - 1) + [429]
    navn = bruker("admin")
    r = _forsok(app.test_client(), navn, PASSORD, ANGRIPER)
    assert r.status_code == 429
    assert "For mange mislykkede innlogginger fra denne adressen. Prøv igjen om 15" in r.text
    assert 890 <= int(r.headers["Retry-After"]) <= 900
    with deps.sessions() as s:
        assert sperre.sperret_til(s, "gjett0@eksempel.no", now()) is None
    r = _forsok(app.test_client(), navn, PASSORD, BRUKERENS)
    assert (r.status_code, r.location) == (302, "/")


def _feil_via_proxy(app: Flask, klient: str, antall: int, forste: int = 0) -> list[int]:
    c = app.test_client()
    statuser = []
    for i in range(forste, forste + antall):
        data = {
            "brukernavn": f"gjett{i}@eksempel.no", "passord": FEIL_PASSORD,
            "csrf_token": token(c, "/logg-inn"),
        }  # fmt: skip
        r = c.post(
            "/logg-inn", data=data, environ_base={"REMOTE_ADDR": "10.0.0.2"},
            headers={"X-Forwarded-For": klient},
        )  # fmt: skip
        statuser.append(r.status_code)
    return statuser


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(
    make_app: Callable[..., Flask],
) -> None:
    """DOKGEN_PROXYER=1: each client behind the proxy has its own count, so one client's
    twenty failures do not lock out another reaching the service through the same proxy."""
    app = make_app(proxyer=1)
    statuser = _feil_via_proxy(app, ANGRIPER, sperre.MAKS_FEIL_ADRESSE + 1)
    assert statuser[-2:] == [429, 429]
    assert _feil_via_proxy(app, BRUKERENS, 1, forste=100) == [401]


def test_without_the_setting_a_forwarded_address_is_ignored(app: Flask) -> None:
    """A client cannot escape the address count by naming a new address in each request."""
    statuser = [
        _feil_via_proxy(app, f"192.0.2.{i}", 1, forste=i)[0]
        for i in range(sperre.MAKS_FEIL_ADRESSE + 1)
    ]
    assert statuser[-2:] == [429, 429]


# --- the device cookie -----------------------------------------------------------------


def test_a_stranger_who_locks_a_name_does_not_lock_out_its_user_at_a_known_browser(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The admin logged in from this browser before; a stranger locks the admin's name from
    elsewhere. A new browser is refused (429), the admin's own browser logs in, and the
    stranger's lock stays for everyone else."""
    navn = bruker("admin")
    hjemme = app.test_client()
    assert _forsok(hjemme, navn, PASSORD, BRUKERENS).status_code == 302
    assert hjemme.get_cookie(enhet.KAKE, path="/logg-inn") is not None
    hjemme.post("/logg-ut", data={"csrf_token": token(hjemme, "/dokumenter")})
    _laas_navnet(app, navn)

    ny = app.test_client()
    r = _forsok(ny, navn, PASSORD, BRUKERENS)
    assert r.status_code == 429
    assert "logg inn fra en nettleser du har logget inn fra før" in r.text
    assert not _logget_inn(ny)

    r = _forsok(hjemme, navn, PASSORD, BRUKERENS)
    assert (r.status_code, r.location) == (302, "/")
    assert _logget_inn(hjemme)
    with deps.sessions() as s:
        assert sperre.sperret_til(s, navn, now()) is not None
    assert _forsok(app.test_client(), navn, PASSORD, BRUKERENS).status_code == 429


def test_a_device_cookie_has_its_own_five_tries_and_is_no_key_to_other_names(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Five wrong passwords through a known browser lock that browser's cookie, not the
    name (each answered 401: the browser is then counted like any other, on the name); the
    cookie of one name is not used for another, even one differing only in case; a tampered
    cookie counts for nothing."""
    navn, annen = bruker("leser"), bruker("veileder")
    kjent = app.test_client()
    assert _forsok(kjent, navn, PASSORD, BRUKERENS).status_code == 302
    statuser = [_forsok(kjent, navn, FEIL_PASSORD, BRUKERENS).status_code for _ in range(5)]
    assert statuser == [401] * 5
    with deps.sessions() as s:
        assert sperre.sperret_til(s, navn, now()) is None  # the name itself is not locked
        laaste = s.scalars(
            select(Innloggingsforsok).where(Innloggingsforsok.sperret_til.is_not(None))
        )
        assert len(list(laaste)) == 1  # the cookie's count
    # The locked cookie is treated as none: the name's own count applies, the next five
    # failures lock the name.
    statuser = [_forsok(kjent, navn, FEIL_PASSORD, BRUKERENS).status_code for _ in range(5)]
    assert statuser == [401, 401, 401, 401, 429]
    with deps.sessions.begin() as s:
        sperre.nullstill(s, navn)  # an admin lifts the name's lock
    assert _forsok(kjent, navn, PASSORD, BRUKERENS).status_code == 302

    with app.test_request_context("/logg-inn", headers=_kakehode(kjent)):
        assert enhet.nonce(navn) is not None
        assert enhet.nonce(navn.upper()) is None
        assert enhet.nonce(annen) is None
    verdi = kjent.get_cookie(enhet.KAKE, path="/logg-inn")
    assert verdi is not None
    with app.test_request_context(
        "/logg-inn", headers={"Cookie": f"{enhet.KAKE}={verdi.value[:-2]}xx"}
    ):
        assert enhet.nonce(navn) is None


def _kakehode(client: FlaskClient) -> dict[str, str]:
    verdi = client.get_cookie(enhet.KAKE, path="/logg-inn")
    assert verdi is not None
    return {"Cookie": f"{enhet.KAKE}={verdi.value}"}


# --- sessions end on the server -----------------------------------------------------------


def assert_a_cookie_copied_before_logout_is_dead_after_it(
    app: Flask, deps: Deps, navn: str
) -> None:
    """A copy of the session cookie works until its user logs out, then is sent to the login
    page; the session's row is gone."""
    eier, kopi = app.test_client(), app.test_client()
    assert _forsok(eier, navn, PASSORD, BRUKERENS).status_code == 302
    okt = eier.get_cookie("dokgen_okt")
    assert okt is not None
    kopi.set_cookie("dokgen_okt", okt.value)
    assert _logget_inn(kopi)
    with deps.sessions() as s:
        assert len(list(s.scalars(select(Okt)))) == 1
    r = eier.post("/logg-ut", data={"csrf_token": token(eier, "/dokumenter")})
    assert r.location == "/logg-inn"
    r = kopi.get("/dokumenter")
    assert (r.status_code, r.location) == (302, "/logg-inn?neste=/dokumenter")
    with deps.sessions() as s:
        assert list(s.scalars(select(Okt))) == []


def test_a_cookie_copied_before_logout_is_dead_after_it(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """On SQLite."""
    assert_a_cookie_copied_before_logout_is_dead_after_it(app, deps, bruker("leser"))


def test_a_run_out_session_is_refused_and_purged_at_the_next_login(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """A session past its 8 hours on the server is refused though its cookie is intact,
    and the next login deletes its row."""
    navn = bruker("leser")
    c = app.test_client()
    assert _forsok(c, navn, PASSORD, BRUKERENS).status_code == 302
    with deps.sessions.begin() as s:
        [okt] = s.scalars(select(Okt))
        okt.utloper = now() - timedelta(seconds=1)
        gammel = okt.id
    assert not _logget_inn(c)
    assert _forsok(app.test_client(), navn, PASSORD, BRUKERENS).status_code == 302
    with deps.sessions() as s:
        ider = list(s.scalars(select(Okt.id)))
    assert len(ider) == 1
    assert gammel not in ider


def test_a_session_cookie_without_a_server_session_is_refused(
    app: Flask, bruker: Callable[..., str]
) -> None:
    """A cookie signed with the instance secret but naming no live session (as made before
    this change, or forged by someone who has the secret) does not log in."""
    navn = bruker("leser")
    c = app.test_client()
    assert _forsok(c, navn, PASSORD, BRUKERENS).status_code == 302
    with c.session_transaction() as s:
        s["okt"] = "ingen-slik-okt"
    assert not _logget_inn(c)
    with c.session_transaction() as s:
        assert "bruker_id" not in s


# --- the redirect after login ----------------------------------------------------------------


@pytest.mark.parametrize(
    "neste",
    ["/dokumenter%0d%0aSet-Cookie:%20x=1", "/%09/evil.example", "/%0a/evil.example", "//x.no"],
)
def test_neste_with_control_characters_goes_to_the_start_page(
    app: Flask, bruker: Callable[..., str], neste: str
) -> None:
    """CR/LF (a 500 before, after a right password) and tabs or newlines (which browsers
    drop, making //host) in neste: the login succeeds and goes to the start page."""
    c = app.test_client()
    r = _forsok(c, bruker("leser"), PASSORD, BRUKERENS, neste=neste)
    assert (r.status_code, r.location) == (302, "/")
    assert "Set-Cookie: x" not in str(r.headers)


def test_a_local_neste_is_still_followed(app: Flask, bruker: Callable[..., str]) -> None:
    """A plain path with a query goes where it says."""
    c = app.test_client()
    r = _forsok(c, bruker("leser"), PASSORD, BRUKERENS, neste="/dokumenter%3Ftype%3Davtale")
    assert (r.status_code, r.location) == (302, "/dokumenter?type=avtale")


# --- audit and purge of the counters --------------------------------------------------------


def test_a_lock_through_a_case_variant_is_audited_for_the_user(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """LESER1, Leser1 … lock leser1 and the lock is audited once, on leser1."""
    navn = bruker("leser")
    c = app.test_client()
    for variant in (navn.upper(), navn.title(), navn.upper(), f" {navn.title()} "):
        assert _forsok(c, variant, FEIL_PASSORD, ANGRIPER).status_code == 401
    assert _forsok(c, navn.upper(), FEIL_PASSORD, ANGRIPER).status_code == 429
    assert _handlinger(deps, "sperr_innlogging") == [str(_bruker_rad(deps, navn).id)]


def assert_old_counter_rows_are_purged_and_live_locks_kept(app: Flask, deps: Deps) -> None:
    """Rows of names tried once long ago are deleted at the next failure; a lock that still
    runs and the new failure's rows stay."""
    gammel = now() - sperre.SPERRETID - timedelta(minutes=1)
    with deps.sessions.begin() as s:
        for i in range(30):
            s.add(Innloggingsforsok(nokkel=f"{i:064x}", feil=1, sist=gammel))
        s.add(
            Innloggingsforsok(
                nokkel="f" * 64, feil=0, sist=gammel, sperret_til=now() + timedelta(minutes=5)
            )
        )
    assert (
        _forsok(app.test_client(), "tilfeldig@eksempel.no", FEIL_PASSORD, ANGRIPER).status_code
        == 401
    )
    with deps.sessions() as s:
        nokler = set(s.scalars(select(Innloggingsforsok.nokkel)))
    assert "f" * 64 in nokler
    assert sperre.navnenokkel("tilfeldig@eksempel.no") in nokler
    assert len(nokler) == 3  # the lock, the name, the address


def test_old_counter_rows_are_purged_and_live_locks_kept(app: Flask, deps: Deps) -> None:
    """On SQLite."""
    assert_old_counter_rows_are_purged_and_live_locks_kept(app, deps)


# --- user names across organisations ------------------------------------------------------------


def _ny_bruker(admin: FlaskClient, navn: str, passord: str) -> Any:
    data = {
        "brukernavn": navn, "navn": "Ny Person", "rolle": "leser",
        "passord": passord, "csrf_token": token(admin, "/admin/brukere"),
    }  # fmt: skip
    return admin.post("/admin/brukere", data=data)


def test_another_organisations_names_are_neither_revealed_nor_taken(
    app: Flask, deps: Deps, bruker: Callable[..., str], annen_org: Organisasjon, org: Organisasjon
) -> None:
    """A name is unique within its organisation only: another organisation's admin creating
    a user with a name this organisation has gets the user made, exactly as for a new name,
    so nothing tells them the name exists here; each person logs in with their own password.
    A name of their own, in any case, is refused at the field."""
    tatt = bruker("leser")
    admin = app.test_client()
    assert _forsok(admin, bruker("admin", annen_org), PASSORD, BRUKERENS).status_code == 302
    for navn in (tatt, "helt-ny-person"):
        r = _ny_bruker(admin, navn, "sjiraff-lykt-fjord-2718")
        assert (r.status_code, r.location) == (302, "/admin/brukere"), navn
    egen = bruker("leser", annen_org)
    for navn in (egen, egen.upper(), tatt.upper()):
        r = _ny_bruker(admin, navn, "sjiraff-lykt-fjord-2718")
        assert r.status_code == 422
        assert f"Brukernavn: {NAVN_TATT}" in r.text or NAVN_TATT in r.text
    with deps.sessions() as s:
        rader = s.execute(select(Bruker.org_id, Bruker.rolle).where(Bruker.brukernavn == tatt))
        assert sorted(rader) == sorted([(annen_org.id, "leser"), (org.id, "leser")])

    her, der = app.test_client(), app.test_client()
    assert _forsok(her, tatt, PASSORD, BRUKERENS).status_code == 302
    assert _forsok(der, tatt, "sjiraff-lykt-fjord-2718", BRUKERENS).status_code == 302
    assert _handlinger(deps, "logg_inn")[-2:] == [
        str(_i_org(deps, tatt, org.id)),
        str(_i_org(deps, tatt, annen_org.id)),
    ]


def _i_org(deps: Deps, navn: str, org_id: int) -> int:
    with deps.sessions() as s:
        return s.scalars(
            select(Bruker.id).where(Bruker.brukernavn == navn, Bruker.org_id == org_id)
        ).one()


def test_the_same_name_and_password_in_two_organisations_asks_for_the_organisation(
    app: Flask, deps: Deps, bruker: Callable[..., str], annen_org: Organisasjon, org: Organisasjon
) -> None:
    """A person with one name and one password in two organisations is told to write
    navn@organisasjonsnummer, and gets into the organisation it names."""
    navn = bruker("leser")
    admin = app.test_client()
    assert _forsok(admin, bruker("admin", annen_org), PASSORD, BRUKERENS).status_code == 302
    assert _ny_bruker(admin, navn, PASSORD).status_code == 302
    c = app.test_client()
    r = _forsok(c, navn, PASSORD, BRUKERENS)
    assert r.status_code == 401
    assert "Skriv brukernavnet som brukernavn@organisasjonsnummer" in r.text
    assert _forsok(c, f"{navn}@{annen_org.orgnr}", PASSORD, BRUKERENS).status_code == 302
    assert _handlinger(deps, "logg_inn")[-1] == str(_i_org(deps, navn, annen_org.id))
    d = app.test_client()
    assert _forsok(d, f"{navn}@{org.orgnr}", PASSORD, BRUKERENS).status_code == 302
    assert _handlinger(deps, "logg_inn")[-1] == str(_i_org(deps, navn, org.id))


# --- the last admin ---------------------------------------------------------------------------


def test_the_last_admin_cannot_demote_or_deactivate_themselves(
    app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The organisation's only admin: demoting or deactivating themselves is refused (409,
    the reason on the page), nothing changes and nothing is audited; with a second admin,
    the first may step down."""
    navn = bruker("admin")
    c = app.test_client()
    assert _forsok(c, navn, PASSORD, BRUKERENS).status_code == 302
    meg = _bruker_rad(deps, navn).id
    r = c.post(
        f"/admin/brukere/{meg}/rolle",
        data={"rolle": "leser", "csrf_token": token(c, "/admin/brukere")},
    )
    assert r.status_code == 409
    assert admin_service.SISTE_ADMIN in r.text.replace("\n", " ")
    r = c.post(f"/admin/brukere/{meg}/deaktiver", data={"csrf_token": token(c, "/admin/brukere")})
    assert r.status_code == 409
    assert admin_service.SISTE_ADMIN in r.text
    rad = _bruker_rad(deps, navn)
    assert (rad.rolle, rad.aktiv) == ("admin", True)
    assert _handlinger(deps, "endre_rolle") == _handlinger(deps, "deaktiver_bruker") == []

    bruker("admin")
    r = c.post(
        f"/admin/brukere/{meg}/rolle",
        data={"rolle": "leser", "csrf_token": token(c, "/admin/brukere")},
    )
    assert (r.status_code, r.location) == (302, "/admin/brukere")
    assert _bruker_rad(deps, navn).rolle == "leser"


def assert_two_admins_demoting_each_other_at_once_leave_one(
    deps: Deps, bruker: Callable[..., str], org: Organisasjon, ganger: int = 8
) -> None:
    """Two admins, each demoting the other at the same moment, many times over: every time
    exactly one succeeds and the organisation keeps one active admin."""
    for _ in range(ganger):
        a, b = (_bruker_rad(deps, bruker("admin")) for _ in range(2))
        start = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            utfall = sorted(pool.map(_demoter, [deps] * 2, [org] * 2, [start] * 2, (a, b), (b, a)))
        assert utfall == ["InputInvalidError", "ok"]
        with deps.sessions() as s:
            roller = {s.get(Bruker, x.id).rolle for x in (a, b)}  # type: ignore[union-attr]
        assert roller == {"admin", "leser"}
        with deps.sessions.begin() as s:  # both step aside for the next round
            for x in (a, b):
                s.get(Bruker, x.id).aktiv = False  # type: ignore[union-attr]


def _demoter(
    deps: Deps, org: Organisasjon, start: threading.Barrier, meg: Bruker, den_andre: Bruker
) -> str:
    hvem = Aktor(org.id, meg.navn, "admin")
    start.wait()
    try:
        admin_service.endre_rolle(deps, hvem, den_andre.id, "leser")
    except InputInvalidError:
        return "InputInvalidError"
    return "ok"


def test_two_admins_demoting_each_other_at_once_leave_one(
    deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """On SQLite (the write lock is taken before the admins are counted)."""
    assert_two_admins_demoting_each_other_at_once_leave_one(deps, bruker, org)
