"""Passwords through the real app: change your own, an admin's reset to a one-time password
that must be changed before anything else, a user made without the admin inventing a
password, and single-use set-password links sent by a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from dokgen.services import innloggingssperre as sperre
from dokgen.storage.db import Bruker, Organisasjon, Passordlenke, Revisjon, now
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.sider_hjelp import logg_inn, token
from tests.dokgen.web.smtp_server import SmtpServer, ledig_port

pytestmark = pytest.mark.integration

NYTT = "blå-fjord-ved-kveld-7"
AVSENDER = "dokgen@eksempel.no"
_ENGANGS = re.compile(r'id="engangspassord" value="([^"]+)"')
_LENKE = re.compile(r"(http://\S+/passord/ny\?lenke=\S+)")


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer) -> Flask:
    """The app with e-mail through the test's SMTP server (no TLS on loopback)."""
    return make_app(
        smtp_vert="127.0.0.1", smtp_port=smtp.port, smtp_avsender=AVSENDER, smtp_starttls=False
    )


def _handlinger(deps: Deps, *handlinger: str) -> list[tuple[str, str, str | None]]:
    with deps.sessions() as s:
        query = select(Revisjon.aktor, Revisjon.handling, Revisjon.objekt_id).order_by(Revisjon.id)
        if handlinger:
            query = query.where(Revisjon.handling.in_(handlinger))
        return [tuple(r) for r in s.execute(query)]  # type: ignore[misc]


def _alt_i_revisjonsloggen(deps: Deps) -> str:
    with deps.sessions() as s:
        return " ".join(str(v) for r in s.scalars(select(Revisjon)) for v in vars(r).values())


def _bruker(deps: Deps, brukernavn: str) -> Bruker:
    with deps.sessions() as s:
        return s.scalars(select(Bruker).where(Bruker.brukernavn == brukernavn)).one()


def _post(client: FlaskClient, url: str, side: str, **data: str) -> Any:
    return client.post(url, data={"csrf_token": token(client, side), **data})


def _endre(client: FlaskClient, naavaerende: str, nytt: str, gjenta: str | None = None) -> Any:
    felt = {"naavaerende": naavaerende, "nytt": nytt, "gjenta": nytt if gjenta is None else gjenta}
    return _post(client, "/passord", "/passord", **felt)


def test_a_user_changes_their_own_password(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The header links to the change page; every error is shown at its field and nothing
    changes; then the new password logs in, the old does not, the user's other session ends
    (this one goes on), and the change is audited."""
    navn = bruker("veileder")
    logg_inn(client, navn)
    annen_okt = app.test_client()
    logg_inn(annen_okt, navn)
    assert 'href="/passord">Endre passord</a>' in client.get("/dokumenter").text
    r = _endre(client, "feil-passord-123", "kort", "annet")
    assert r.status_code == 422
    assert "Nåværende passord: er feil" in r.text
    assert "Nytt passord: må ha minst 12 tegn" in r.text
    assert "Gjenta nytt passord: er ikke likt det nye passordet" in r.text
    r = _endre(client, PASSORD, f"{navn}-{navn}-1")
    assert "Nytt passord: kan ikke bygge på brukernavnet" in r.text
    r = _endre(client, PASSORD, "passord123456")
    assert "Nytt passord: er et vanlig passord som er lett å gjette" in r.text
    r = _endre(client, PASSORD, PASSORD)
    assert "Nytt passord: må være et annet enn det nåværende" in r.text
    assert _handlinger(deps, "endre_passord") == []
    r = _endre(client, PASSORD, NYTT)
    assert (r.status_code, r.location) == (302, "/")
    assert "Passordet er endret." in client.get("/dokumenter").text
    assert annen_okt.get("/dokumenter").location == "/logg-inn?neste=/dokumenter"
    ny = app.test_client()
    assert logg_inn(ny, navn).status_code == 401
    assert logg_inn(ny, navn, NYTT).status_code == 302
    rad = _bruker(deps, navn)
    linje = ("Test Veileder (veileder)", "endre_passord", str(rad.id))
    assert _handlinger(deps, "endre_passord") == [linje]
    assert NYTT not in _alt_i_revisjonsloggen(deps)


def test_a_wrong_current_password_counts_toward_the_login_lock(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The change form cannot be used to guess the password: five wrong current passwords
    lock the name, after which even the right one is refused there."""
    navn = bruker("leser")
    logg_inn(client, navn)
    for _ in range(sperre.MAKS_FEIL):
        assert _endre(client, "feil-passord-123", NYTT).status_code == 422
    with deps.sessions() as s:
        assert sperre.sperret_til(s, navn, now()) is not None
    r = _endre(client, PASSORD, NYTT)
    assert "Nåværende passord: for mange feil forsøk" in r.text
    assert _handlinger(deps, "endre_passord") == []


def test_an_admin_reset_forces_a_new_password_before_anything_else(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The one-time password is shown once (no-store) and audited, the old one stops working,
    a login lock is lifted; after logging in with it every page leads to the change page
    until a new password is chosen."""
    admin, leser = bruker("admin"), bruker("leser")
    leser_id = _bruker(deps, leser).id
    leserens = app.test_client()  # a session of the leser's from before the reset
    logg_inn(leserens, leser)
    for _ in range(sperre.MAKS_FEIL):  # the leser has locked the name by mistyping
        sperre.registrer_feil(deps.sessions, leser, now(), fra=None, foresporsel=None)
    logg_inn(client, admin)
    side = client.get("/admin/brukere").text
    assert f'Lag engangspassord<span class="visuelt-skjult"> for {leser}' in side
    r = _post(client, f"/admin/brukere/{leser_id}/engangspassord", "/admin/brukere")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    match = _ENGANGS.search(r.text)
    assert match
    engangs = match.group(1)
    assert re.fullmatch(r"[a-z2-9]{5}(-[a-z2-9]{5}){3}", engangs)
    assert _handlinger(deps, "tilbakestill_passord") == [
        ("Test Admin (admin)", "tilbakestill_passord", str(leser_id))
    ]
    assert engangs not in _alt_i_revisjonsloggen(deps)
    assert "må velge nytt passord ved neste innlogging" in client.get("/admin/brukere").text
    assert leserens.get("/dokumenter").status_code == 302  # ended by the reset

    ny = app.test_client()
    assert logg_inn(ny, leser).status_code == 401
    assert logg_inn(ny, leser, engangs).status_code == 302  # the lock was lifted
    for url in ("/", "/dokumenter", "/admin/brukere"):
        r = ny.get(url)
        assert (r.status_code, r.location) == (302, "/passord"), url
    assert "Du må velge et nytt passord før du kan fortsette." in ny.get("/passord").text
    assert _endre(ny, engangs, NYTT).status_code == 302
    assert ny.get("/dokumenter").status_code == 200
    assert not _bruker(deps, leser).ma_bytte_passord
    assert "Du må velge et nytt passord" not in ny.get("/passord").text


def test_only_an_admin_of_the_organisation_resets(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str], annen_org: Organisasjon
) -> None:
    """Another role: 403; another organisation's admin: 404; the password is unchanged."""
    leser = bruker("leser")
    leser_id = _bruker(deps, leser).id
    url = f"/admin/brukere/{leser_id}/engangspassord"
    logg_inn(client, bruker("veileder"))
    assert _post(client, url, "/passord").status_code == 403
    annen = app.test_client()
    logg_inn(annen, bruker("admin", annen_org))
    assert _post(annen, url, "/admin/brukere").status_code == 404
    assert logg_inn(app.test_client(), leser).status_code == 302
    assert _handlinger(deps, "tilbakestill_passord") == []


def test_an_admin_creates_a_user_without_inventing_a_password(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str]
) -> None:
    """No password typed: the user gets a one-time password shown once, which must be
    changed at the first login."""
    logg_inn(client, bruker("admin"))
    form = {"brukernavn": "kari", "navn": "Kari Nordmann", "rolle": "veileder", "epost": "x"}
    r = _post(client, "/admin/brukere", "/admin/brukere", **form)
    assert r.status_code == 422
    assert "må være en e-postadresse, som navn@eksempel.no" in r.text
    form["epost"] = "kari@eksempel.no"
    r = _post(client, "/admin/brukere", "/admin/brukere", **form)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    assert "Brukeren «kari» er opprettet." in r.text
    match = _ENGANGS.search(r.text)
    assert match
    kari = _bruker(deps, "kari")
    assert (kari.epost, kari.ma_bytte_passord) == ("kari@eksempel.no", True)
    ny = app.test_client()
    assert logg_inn(ny, "kari", match.group(1)).status_code == 302
    assert ny.get("/dokumenter").location == "/passord"


def _link(smtp: SmtpServer, antall: int = 1) -> tuple[list[str], Any, str]:
    til, melding = smtp.postkasse.vent(antall)[antall - 1]
    match = _LENKE.search(melding.get_content())
    assert match, melding.get_content()
    parts = urlsplit(match.group(1))
    return til, melding, f"{parts.path}?{parts.query}"


def _sett(client: FlaskClient, lenke: str, nytt: str, side: str | None = None) -> Any:
    data = {"lenke": lenke.split("lenke=", 1)[1], "nytt": nytt, "gjenta": nytt}
    return _post(client, "/passord/ny", side or lenke, **data)


def test_a_new_user_gets_a_link_by_email_that_works_once(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str], smtp: SmtpServer
) -> None:
    """The admin ticks "send a link": the message reaches the SMTP server addressed to the
    user; its link opens the page, a weak password leaves it unspent, a good one sets the
    password once; the token is stored only as its hash and audited nowhere."""
    logg_inn(client, bruker("admin"))
    form = {"brukernavn": "per", "navn": "Per Hansen", "rolle": "leser", "send_lenke": "ja"}
    r = _post(client, "/admin/brukere", "/admin/brukere", **form)
    assert r.status_code == 422
    assert "trengs for å sende lenken" in r.text
    r = _post(client, "/admin/brukere", "/admin/brukere", **form, epost="per@eksempel.no")
    assert (r.status_code, r.location) == (302, "/admin/brukere")
    side = client.get("/admin/brukere").text
    assert "En lenke for å velge passord er sendt til per@eksempel.no." in side
    til, melding, lenke = _link(smtp)
    assert til == ["per@eksempel.no"]
    assert (melding["To"], melding["From"]) == ("per@eksempel.no", AVSENDER)
    assert melding["Subject"] == "Velg passord til dokgen"
    assert "Brukernavnet ditt er per." in melding.get_content()
    tok = lenke.split("lenke=", 1)[1]
    with deps.sessions() as s:
        rader = list(s.scalars(select(Passordlenke)))
    assert [r.token_sha256 for r in rader] == [hashlib.sha256(tok.encode()).hexdigest()]

    per = app.test_client()  # the new user's own browser
    svar = per.get(lenke)
    assert svar.status_code == 200
    assert svar.headers["Cache-Control"] == "no-store"
    assert "brukernavnet <strong>per</strong>" in svar.text
    r = _sett(per, lenke, "kort")
    assert (r.status_code, "Nytt passord: må ha minst 12 tegn" in r.text) == (422, True)
    r = _sett(per, lenke, NYTT)
    assert (r.status_code, r.location) == (302, "/logg-inn")
    assert _sett(per, lenke, "et-helt-annet-passord", "/logg-inn").status_code == 404
    assert "Lenken virker ikke" in per.get(lenke).text
    assert logg_inn(per, "per", NYTT).status_code == 302
    assert logg_inn(app.test_client(), "per", "et-helt-annet-passord").status_code == 401
    per_id = str(_bruker(deps, "per").id)
    assert _handlinger(deps, "opprett_bruker", "lag_passordlenke", "sett_passord_med_lenke") == [
        ("Test Admin (admin)", "opprett_bruker", per_id),
        ("Test Admin (admin)", "lag_passordlenke", per_id),
        ("Per Hansen (leser)", "sett_passord_med_lenke", per_id),
    ]
    alt = _alt_i_revisjonsloggen(deps)
    assert tok not in alt
    assert NYTT not in alt


def test_two_clicks_at_once_set_the_password_once(
    client: FlaskClient, app: Flask, deps: Deps, bruker: Callable[..., str], smtp: SmtpServer
) -> None:
    """Two posts of the same link at once, each with its own password, three times: one is
    accepted and its password logs in, the other is refused and changes nothing."""
    navn = bruker("veileder")
    bruker_id = _bruker(deps, navn).id
    with deps.sessions.begin() as s:
        s.get(Bruker, bruker_id).epost = "ola@eksempel.no"  # type: ignore[union-attr]
    logg_inn(client, bruker("admin"))
    for runde in range(1, 4):
        r = _post(client, f"/admin/brukere/{bruker_id}/passordlenke", "/admin/brukere")
        assert r.status_code == 302
        _, _, lenke = _link(smtp, runde)
        klienter = [app.test_client(), app.test_client()]
        passord = [f"første-passord-{runde}-a", f"andre-passord-{runde}-b"]
        skjema = [
            {"csrf_token": token(k, lenke), "lenke": lenke.split("lenke=")[1], "nytt": p,
             "gjenta": p} for k, p in zip(klienter, passord, strict=True)
        ]  # fmt: skip
        with ThreadPoolExecutor(2) as pool:
            svar = list(pool.map(lambda k, d: k.post("/passord/ny", data=d).status_code,
                                 klienter, skjema))  # fmt: skip
        assert sorted(svar) == [302, 404], svar
        vinner = passord[svar.index(302)]
        taper = passord[svar.index(404)]
        assert logg_inn(app.test_client(), navn, vinner).status_code == 302
        assert logg_inn(app.test_client(), navn, taper).status_code == 401
    assert len(_handlinger(deps, "sett_passord_med_lenke")) == 3


def test_a_new_link_voids_the_old_and_a_link_expires(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], smtp: SmtpServer
) -> None:
    """Only the newest link works, and only for 24 hours."""
    navn = bruker("leser")
    bruker_id = _bruker(deps, navn).id
    with deps.sessions.begin() as s:
        s.get(Bruker, bruker_id).epost = "leser@eksempel.no"  # type: ignore[union-attr]
    logg_inn(client, bruker("admin"))
    for _ in range(2):
        _post(client, f"/admin/brukere/{bruker_id}/passordlenke", "/admin/brukere")
    _, _, forste = _link(smtp, 1)
    _, _, andre = _link(smtp, 2)
    anonym = client.application.test_client()
    assert anonym.get(forste).status_code == 404
    assert anonym.get(andre).status_code == 200
    deps.clock = lambda: now() + timedelta(hours=24, seconds=1)
    assert anonym.get(andre).status_code == 404
    assert logg_inn(anonym, navn).status_code == 302  # the password is unchanged


def _sjef_og_lise(app: Flask) -> tuple[FlaskClient, int]:
    """Add an organisation with the admin ``sjef`` (logged in on the returned client) and
    the leser ``lise`` with an e-mail address; return the client and lise's id."""
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, "998877660", "Eksempel AS")
        brukere.opprett_bruker(s, org, "sjef", "Sjef", "admin", PASSORD)
        leser = brukere.opprett_bruker(s, org, "lise", "Lise", "leser", PASSORD)
        leser.epost = "lise@eksempel.no"
        s.flush()
        leser_id = leser.id
    client = app.test_client()
    logg_inn(client, "sjef")
    return client, leser_id


def _lenker_brukt(app: Flask) -> list[bool]:
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions() as s:
        return [r.brukt is not None for r in s.scalars(select(Passordlenke))]


@pytest.mark.parametrize("starttls", [False, True])
def test_an_smtp_failure_is_reported_and_the_link_is_void(
    make_app: Callable[..., Flask], smtp: SmtpServer, starttls: bool
) -> None:
    """Nothing listens on the port, or STARTTLS is required and the server does not offer it
    (no fall-back to plain text): the admin is told, no message arrives, no usable link is
    left behind."""
    port = smtp.port if starttls else ledig_port()
    app = make_app(
        smtp_vert="127.0.0.1", smtp_port=port, smtp_avsender=AVSENDER, smtp_starttls=starttls
    )
    client, leser_id = _sjef_og_lise(app)
    r = _post(client, f"/admin/brukere/{leser_id}/passordlenke", "/admin/brukere")
    assert r.status_code == 302
    assert "E-posten ble ikke sendt: e-postserveren tok ikke imot meldingen" in (
        client.get("/admin/brukere").text
    )
    assert smtp.postkasse.meldinger == []  # refused before any message was handed over
    assert _lenker_brukt(app) == [True]


def test_without_smtp_no_link_is_offered(make_app: Callable[..., Flask]) -> None:
    """With no SMTP settings the users page offers one-time passwords only, and a post to
    send a link is refused."""
    app = make_app()
    client, leser_id = _sjef_og_lise(app)
    side = client.get("/admin/brukere").text
    assert "Lag engangspassord" in side
    assert "Send lenke" not in side
    assert 'name="send_lenke"' not in side
    r = _post(client, f"/admin/brukere/{leser_id}/passordlenke", "/admin/brukere")
    assert r.status_code == 409
    assert _lenker_brukt(app) == []


def test_no_token_link_or_password_reaches_the_logs(
    client: FlaskClient,
    app: Flask,
    bruker: Callable[..., str],
    smtp: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Sending a link and using it through the service's access log: the log has the path
    of each request, never the token, the link or the new password."""
    from werkzeug.test import Client

    from dokgen.web.logs import AccessLog

    caplog.set_level(logging.DEBUG, logger="dokgen")
    logg_inn(client, bruker("admin"))
    form = {"brukernavn": "per", "navn": "Per Hansen", "rolle": "leser", "send_lenke": "ja"}
    _post(client, "/admin/brukere", "/admin/brukere", **form, epost="per@eksempel.no")
    _, _, lenke = _link(smtp)
    tok = lenke.split("lenke=", 1)[1]
    logget = Client(AccessLog(app.wsgi_app))
    side = logget.get(lenke)
    assert side.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', side.text)
    assert csrf
    data = {"csrf_token": csrf.group(1), "lenke": tok, "nytt": NYTT, "gjenta": NYTT}
    assert logget.post("/passord/ny", data=data).status_code == 302
    linjer = [r.getMessage() for r in caplog.records if r.name.startswith("dokgen")]
    assert any(linje.startswith("GET /passord/ny 200") for linje in linjer), linjer
    assert any(linje.startswith("POST /passord/ny 302") for linje in linjer), linjer
    alt = "\n".join(linjer)
    assert tok not in alt
    assert NYTT not in alt


def test_reloading_the_page_that_showed_a_one_time_password_makes_no_second_one(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The reset form posted twice (the browser reloading the answer) shows the password
    once and then says it was made: the one the admin handed over still works, one audit
    line. A fresh form makes a new one."""
    admin, leser = bruker("admin"), bruker("leser")
    leser_id = _bruker(deps, leser).id
    logg_inn(client, admin)
    side = client.get("/admin/brukere").text
    skjema = re.search(
        rf'/admin/brukere/{leser_id}/engangspassord".*?name="skjema" value="([^"]+)"', side, re.S
    )
    assert skjema
    data = {"csrf_token": token(client, "/admin/brukere"), "skjema": skjema.group(1)}
    url = f"/admin/brukere/{leser_id}/engangspassord"
    forste = client.post(url, data=data)
    assert _ENGANGS.search(forste.text)
    igjen = client.post(url, data=data)
    assert (igjen.status_code, igjen.location) == (303, "/admin/brukere")
    assert "Engangspassordet er allerede laget" in client.get("/admin/brukere").text
    assert len(_handlinger(deps, "tilbakestill_passord")) == 1
    annen = re.search(
        rf'/admin/brukere/{leser_id}/engangspassord".*?name="skjema" value="([^"]+)"',
        client.get("/admin/brukere").text,
        re.S,
    )
    assert annen
    data["skjema"] = annen.group(1)
    assert _ENGANGS.search(client.post(url, data=data).text)
    assert len(_handlinger(deps, "tilbakestill_passord")) == 2
