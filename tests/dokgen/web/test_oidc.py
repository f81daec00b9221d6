"""OIDC login against a real OpenID provider on 127.0.0.1, driven through dokgen's real app.

The provider (``oidc_tilbyder``) publishes discovery and JWKS, answers the authorize step
with a code, and hands out a signed ID token only for the right code, client secret and PKCE
verifier. The tests follow every redirect by hand: dokgen → provider → dokgen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from dokgen.services.oidc import kandidater
from dokgen.storage.db import Bruker, Organisasjon, Revisjon
from dokgen.web.oidc import AVBRUTT, UGYLDIG, UTILGJENGELIG
from dokgen.web.sider.innlogging import UKJENT_OIDC
from tests.dokgen.conftest import ORGNR, PASSORD, org_innstillinger
from tests.dokgen.web.oidc_tilbyder import (
    KLIENT_HEMMELIGHET,
    KLIENT_ID,
    Tilbyder,
    kjor,
    ny_nokkel,
)
from tests.dokgen.web.sider_hjelp import logg_inn, token

EPOST = "ola.nordmann@eksempel.no"


def oidc_innstillinger(utsteder: str) -> dict[str, Any]:
    """Return the Settings fields that turn OIDC login on against ``utsteder``."""
    return {
        "oidc_utsteder": utsteder,
        "oidc_klient_id": KLIENT_ID,
        "oidc_klient_hemmelighet": KLIENT_HEMMELIGHET,
    }


@pytest.fixture
def tilbyder() -> Iterator[Tilbyder]:
    """Return the running fake provider; by default it vouches for Ola Nordmann."""
    with kjor(Tilbyder(person={"preferred_username": "Ola.Nordmann@Eksempel.no"})) as t:
        yield t


@pytest.fixture
def app(make_app: Callable[..., Flask], tilbyder: Tilbyder) -> Flask:
    """Return an app with OIDC login against the fake provider."""
    return make_app(**oidc_innstillinger(tilbyder.utsteder))


@pytest.fixture
def ola(deps: Deps, org: Organisasjon) -> int:
    """Return the id of an active veileder whose brukernavn is an e-mail address."""
    with deps.sessions.begin() as s:
        target = s.get(Organisasjon, org.id)
        assert target is not None
        return brukere.opprett_bruker(s, target, EPOST, "Ola Nordmann", "veileder", PASSORD).id


def til_tilbyder(client: FlaskClient, tilbyder: Tilbyder, neste: str | None = None) -> str:
    """Press the button and let the provider answer; return the callback's path and query."""
    start = client.get("/logg-inn/oidc" + (f"?{urlencode({'neste': neste})}" if neste else ""))
    assert start.status_code == 302
    assert start.location.startswith(f"{tilbyder.utsteder}/authorize?")
    svar = requests.get(start.location, allow_redirects=False, timeout=10)
    assert svar.status_code == 302
    tilbake = urlsplit(svar.headers["Location"])
    assert (tilbake.scheme, tilbake.netloc, tilbake.path) == (
        "http",
        "localhost",
        "/logg-inn/oidc/svar",
    )
    return f"{tilbake.path}?{tilbake.query}"


def gjennom(client: FlaskClient, tilbyder: Tilbyder, neste: str | None = None) -> TestResponse:
    """Run the whole flow and return dokgen's answer on the callback."""
    return client.get(til_tilbyder(client, tilbyder, neste))


def ingen_okt(client: FlaskClient) -> None:
    """Assert nobody is logged in: no user in the session, pages send to the login page."""
    with client.session_transaction() as s:
        assert "bruker_id" not in s
    r = client.get("/dokumenter")
    assert r.status_code == 302
    assert r.location.startswith("/logg-inn")


def innlogginger(deps: Deps) -> list[str]:
    """Return the actors of the audit log's login lines."""
    with deps.sessions() as s:
        query = select(Revisjon.aktor).where(Revisjon.handling == "logg_inn")
        return list(s.scalars(query))


def test_login_page_offers_the_provider_as_a_link(client: FlaskClient) -> None:
    """With OIDC configured the login page has a keyboard-reachable link beside the form."""
    page = client.get("/logg-inn?neste=/dokumenter")
    assert page.status_code == 200
    assert 'href="/logg-inn/oidc?neste=/dokumenter"' in page.text
    assert "Logg inn med Microsoft</a>" in page.text
    assert 'id="passord"' in page.text


def test_without_oidc_settings_nothing_changes(make_app: Callable[..., Flask]) -> None:
    """Unset, the page has no link and the OIDC routes do not exist."""
    client = make_app().test_client()
    page = client.get("/logg-inn")
    assert page.status_code == 200
    assert "/logg-inn/oidc" not in page.text
    assert "Microsoft" not in page.text
    assert client.get("/logg-inn/oidc").status_code == 404
    assert client.get("/logg-inn/oidc/svar?code=x&state=y").status_code == 404


def test_button_text_is_a_setting(make_app: Callable[..., Flask], tilbyder: Tilbyder) -> None:
    """DOKGEN_OIDC_NAVN names the button."""
    app = make_app(**oidc_innstillinger(tilbyder.utsteder), oidc_navn="Logg inn med ID-porten")
    assert "Logg inn med ID-porten</a>" in app.test_client().get("/logg-inn").text


def test_redirect_uri_is_the_setting_behind_a_proxy(
    make_app: Callable[..., Flask], tilbyder: Tilbyder
) -> None:
    """DOKGEN_OIDC_SVAR_URL is the redirect URI sent, with PKCE S256, state and nonce."""
    svar_url = "https://dokgen.eksempel.no/logg-inn/oidc/svar"
    app = make_app(**oidc_innstillinger(tilbyder.utsteder), oidc_svar_url=svar_url)
    start = app.test_client().get("/logg-inn/oidc")
    args = parse_qs(urlsplit(start.location).query)
    assert args["redirect_uri"] == [svar_url]
    assert args["scope"] == ["openid profile email"]
    assert args["code_challenge_method"] == ["S256"]
    assert len(args["code_challenge"][0]) == 43
    assert len(args["state"][0]) >= 20
    assert len(args["nonce"][0]) >= 20


def test_oidc_login_maps_the_person_to_the_active_user(
    client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int, caplog: pytest.LogCaptureFixture
) -> None:
    """preferred_username matches brukernavn ignoring case; a fresh session, audited, no
    secret in any log line."""
    caplog.set_level(logging.DEBUG)
    with client.session_transaction() as s:
        s["plantet"] = "av-angriper"
    r = gjennom(client, tilbyder, neste="/dokumenter?type=statusrapport")
    assert (r.status_code, r.location) == (302, "/dokumenter?type=statusrapport")
    with client.session_transaction() as s:
        assert s["bruker_id"] == ola
        assert "plantet" not in s
        assert not [k for k in s if k.startswith("_state_")]
    page = client.get("/dokumenter")
    assert page.status_code == 200
    assert "Ola Nordmann" in page.text
    assert innlogginger(deps) == ["Ola Nordmann, via OIDC (veileder)"]
    assert tilbyder.token_kall == 1
    # The log did capture the exchange (urllib3's lines) — and none of its secrets.
    assert f"{tilbyder.utsteder[len('http://') :]}" in caplog.text
    hemmeligheter = [*tilbyder.hemmeligheter, KLIENT_HEMMELIGHET]
    assert len(hemmeligheter) == 5  # code, verifier, ID token, access token, client secret
    for hemmelighet in hemmeligheter:
        assert hemmelighet not in caplog.text


def test_email_claim_matches_when_there_is_no_preferred_username(
    client: FlaskClient, tilbyder: Tilbyder, ola: int
) -> None:
    """A provider without preferred_username is matched on email."""
    tilbyder.person = {"email": EPOST.upper()}
    assert gjennom(client, tilbyder).status_code == 302
    assert client.get("/dokumenter").status_code == 200


def test_unknown_person_gets_a_message_and_no_session(
    client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int
) -> None:
    """No user is created for a person dokgen does not know."""
    tilbyder.person = {"preferred_username": "kari.ukjent@eksempel.no", "email": "kari@x.no"}
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert UKJENT_OIDC in r.text
    assert 'role="alert"' in r.text
    ingen_okt(client)
    with deps.sessions() as s:
        assert list(s.scalars(select(Bruker.brukernavn))) == [EPOST]
    assert innlogginger(deps) == []


def test_deactivated_user_is_refused(
    client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int
) -> None:
    """A deactivated user does not get in through the provider either."""
    with deps.sessions.begin() as s:
        bruker = s.get(Bruker, ola)
        assert bruker is not None
        bruker.aktiv = False
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert UKJENT_OIDC in r.text
    ingen_okt(client)
    assert innlogginger(deps) == []


def test_forged_token_is_refused(
    client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int, caplog: pytest.LogCaptureFixture
) -> None:
    """An ID token signed with another key (same key id) fails the JWKS signature check."""
    caplog.set_level(logging.DEBUG)
    tilbyder.signer_med = ny_nokkel()
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert UGYLDIG in r.text
    assert "Traceback" not in r.text
    ingen_okt(client)
    assert "OIDC: svaret ble avvist (BadSignatureError)" in caplog.text
    for hemmelighet in [*tilbyder.hemmeligheter, KLIENT_HEMMELIGHET]:
        assert hemmelighet not in caplog.text
    assert innlogginger(deps) == []


@pytest.mark.parametrize(
    ("krav", "verdi"),
    [
        ("aud", "en-annen-klient"),
        ("nonce", "en-annen-nonce"),
        ("iss", "http://127.0.0.1:9/annen-utsteder"),
        ("exp", int(time.time()) - 3600),
    ],
)
def test_token_with_wrong_claim_is_refused(
    client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int, krav: str, verdi: Any
) -> None:
    """A correctly signed token for another client, login, issuer or time is refused."""
    tilbyder.endre_krav = {krav: verdi}
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert UGYLDIG in r.text
    ingen_okt(client)
    assert innlogginger(deps) == []


def test_wrong_or_unknown_state_is_refused_before_the_code_is_redeemed(
    client: FlaskClient, make_app: Callable[..., Flask], tilbyder: Tilbyder, ola: int
) -> None:
    """A callback whose state this browser did not start is refused, and the code unused."""
    tilbake = urlsplit(til_tilbyder(client, tilbyder))
    args = {k: v[0] for k, v in parse_qs(tilbake.query).items()}
    r = client.get(f"{tilbake.path}?{urlencode({**args, 'state': 'forfalsket'})}")
    assert r.status_code == 401
    assert UGYLDIG in r.text
    ingen_okt(client)
    # Another browser (no state in its session) cannot use the code either.
    r = make_app(**oidc_innstillinger(tilbyder.utsteder)).test_client().get(tilbake.geturl())
    assert r.status_code == 401
    assert UGYLDIG in r.text
    assert tilbyder.token_kall == 0


def test_refusal_by_the_provider_is_explained(
    client: FlaskClient, tilbyder: Tilbyder, ola: int, caplog: pytest.LogCaptureFixture
) -> None:
    """error=access_denied comes back as a clear message; the description is not logged."""
    tilbyder.avvis_med = "access_denied"
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert AVBRUTT in r.text
    ingen_okt(client)
    assert "OIDC: innloggingstjenesten svarte med feilen access_denied" in caplog.text
    assert "avbrot" not in caplog.text
    assert tilbyder.token_kall == 0


def test_unreachable_provider_at_the_start(make_app: Callable[..., Flask]) -> None:
    """A provider that does not answer gives a clear message on the login page, not a 500."""
    with kjor(Tilbyder()) as borte:
        utsteder = borte.utsteder  # a free port, closed again after the block
    client = make_app(**oidc_innstillinger(utsteder)).test_client()
    r = client.get("/logg-inn/oidc")
    assert r.status_code == 502
    assert UTILGJENGELIG in r.text
    assert "Logg inn med Microsoft</a>" in r.text
    ingen_okt(client)


def test_provider_gone_before_the_code_is_redeemed(make_app: Callable[..., Flask]) -> None:
    """The provider answers the start, then is gone for the token: a message, no session."""
    tilbyder = Tilbyder(person={"preferred_username": EPOST})
    with kjor(tilbyder):
        client = make_app(**oidc_innstillinger(tilbyder.utsteder)).test_client()
        tilbake = til_tilbyder(client, tilbyder)
    r = client.get(tilbake)
    assert r.status_code == 502
    assert UTILGJENGELIG in r.text
    ingen_okt(client)


def test_password_login_still_works_beside_oidc(
    client: FlaskClient, bruker: Callable[..., str]
) -> None:
    """The password form is unchanged when OIDC is configured."""
    r = logg_inn(client, bruker("leser"))
    assert (r.status_code, r.location) == (302, "/")
    assert "Test Leser" in client.get("/dokumenter").text


def test_unverified_email_is_not_a_user_name() -> None:
    """An email the provider marks unverified is never matched; preferred_username first."""
    assert kandidater({"preferred_username": " a@x.no ", "email": "b@x.no"}) == [
        "a@x.no",
        "b@x.no",
    ]
    assert kandidater({"email": "b@x.no", "email_verified": False}) == []
    assert kandidater({"email": "b@x.no", "email_verified": True}) == ["b@x.no"]
    assert kandidater({"preferred_username": 7}) == []


def test_name_shared_by_two_users_up_to_case_matches_neither(
    client: FlaskClient, deps: Deps, org: Organisasjon, tilbyder: Tilbyder
) -> None:
    """brukernavn is unique with case; an identity that fits two users (made before names
    equal but for case were refused) logs in as none."""
    with deps.sessions.begin() as s:
        target = s.get(Organisasjon, org.id)
        assert target is not None
        per = brukere.opprett_bruker(s, target, "per@eksempel.no", "Per Hansen", "leser", PASSORD)
        s.add(
            Bruker(
                org_id=org.id, brukernavn="PER@eksempel.no", navn="Per Hansen", rolle="leser",
                passord_hash=per.passord_hash,
            )
        )  # fmt: skip
    tilbyder.person = {"preferred_username": "Per@Eksempel.no"}
    r = gjennom(client, tilbyder)
    assert r.status_code == 401
    assert UKJENT_OIDC in r.text
    ingen_okt(client)


def _oidc_id(deps: Deps, bruker_id: int) -> str | None:
    with deps.sessions() as s:
        bruker = s.get(Bruker, bruker_id)
        assert bruker is not None
        return bruker.oidc_id


def _handlinger(deps: Deps, handling: str) -> list[str | None]:
    with deps.sessions() as s:
        return list(s.scalars(select(Revisjon.objekt_id).where(Revisjon.handling == handling)))


def test_the_first_login_binds_the_identity_which_then_logs_in_whatever_its_name(
    app: Flask, client: FlaskClient, deps: Deps, tilbyder: Tilbyder, ola: int
) -> None:
    """The issuer and sub are bound at the first login (audited once); a renamed account at
    the provider still logs in as the same user, and not once the user is deactivated."""
    assert gjennom(client, tilbyder).status_code == 302
    assert _oidc_id(deps, ola) == f"{tilbyder.utsteder} testperson-sub"
    assert _handlinger(deps, "koble_oidc") == [str(ola)]

    tilbyder.person = {"preferred_username": "ola.n@nytt-navn.no"}  # renamed at the provider
    ny = app.test_client()
    assert gjennom(ny, tilbyder).status_code == 302
    with ny.session_transaction() as s:
        assert s["bruker_id"] == ola
    assert _handlinger(deps, "koble_oidc") == [str(ola)]
    assert innlogginger(deps) == ["Ola Nordmann, via OIDC (veileder)"] * 2

    with deps.sessions.begin() as s:
        bruker = s.get(Bruker, ola)
        assert bruker is not None
        bruker.aktiv = False
    tredje = app.test_client()
    assert gjennom(tredje, tilbyder).status_code == 401
    ingen_okt(tredje)


def test_another_identity_with_a_bound_users_name_is_refused_until_an_admin_unbinds(
    app: Flask,
    client: FlaskClient,
    deps: Deps,
    tilbyder: Tilbyder,
    ola: int,
    bruker: Callable[..., str],
) -> None:
    """The name (UPN) given to a new person at the provider does not open the old user's
    account; once an admin removes the binding, the new identity binds at its login."""
    assert gjennom(client, tilbyder).status_code == 302
    tilbyder.person = {"preferred_username": EPOST, "sub": "en-annen-person"}
    annen = app.test_client()
    r = gjennom(annen, tilbyder)
    assert r.status_code == 401
    assert UKJENT_OIDC in r.text
    ingen_okt(annen)
    assert _oidc_id(deps, ola) == f"{tilbyder.utsteder} testperson-sub"

    admin = app.test_client()
    logg_inn(admin, bruker("admin"))
    side = admin.get("/admin/brukere").text
    assert "Aktiv, koblet til innloggingstjenesten" in side
    url = f"/admin/brukere/{ola}/frakoble-oidc"
    assert f'action="{url}"' in side
    assert admin.post(url, data={}).status_code == 400  # no CSRF token
    assert _oidc_id(deps, ola) is not None
    r = admin.post(url, data={"csrf_token": token(admin, "/admin/brukere")})
    assert (r.status_code, r.location) == (302, "/admin/brukere")
    assert "Koblingen til innloggingstjenesten er fjernet." in admin.get("/admin/brukere").text
    assert _handlinger(deps, "frakoble_oidc") == [str(ola)]

    assert gjennom(annen, tilbyder).status_code == 302
    assert _oidc_id(deps, ola) == f"{tilbyder.utsteder} en-annen-person"
    assert _handlinger(deps, "koble_oidc") == [str(ola), str(ola)]


def test_only_an_admin_of_the_organisation_can_unbind(
    app: Flask,
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    ola: int,
    annen_org: Organisasjon,
) -> None:
    """Another role gets 403, an admin of another organisation 404; nothing changes."""
    with deps.sessions.begin() as s:
        rad = s.get(Bruker, ola)
        assert rad is not None
        rad.oidc_id = "https://idp.eksempel.no sub-1"
    url = f"/admin/brukere/{ola}/frakoble-oidc"
    logg_inn(client, bruker("veileder"))
    assert client.post(url, data={"csrf_token": token(client, "/dokumenter")}).status_code == 403
    annen = app.test_client()
    logg_inn(annen, bruker("admin", annen_org))
    assert annen.post(url, data={"csrf_token": token(annen, "/admin/brukere")}).status_code == 404
    assert _oidc_id(deps, ola) == "https://idp.eksempel.no sub-1"
    assert _handlinger(deps, "frakoble_oidc") == []


def logg_ut(client: FlaskClient) -> TestResponse:
    """Press the page's Logg ut button (a form with a CSRF token)."""
    return client.post("/logg-ut", data={"csrf_token": token(client, "/dokumenter")})


def test_logging_out_after_an_oidc_login_ends_the_providers_session_too(
    client: FlaskClient, tilbyder: Tilbyder, ola: int
) -> None:
    """RP-initiated logout: dokgen's session ends, and the browser goes on to the provider's
    end-session endpoint with the client id and the login page to come back to — so the next
    person at a shared computer is not logged straight back in by the provider."""
    assert gjennom(client, tilbyder).status_code == 302
    r = logg_ut(client)
    assert r.status_code == 302
    ut = urlsplit(r.location)
    assert f"{ut.scheme}://{ut.netloc}{ut.path}" == f"{tilbyder.utsteder}/logout"
    assert parse_qs(ut.query) == {
        "client_id": [KLIENT_ID],
        "post_logout_redirect_uri": ["http://localhost/logg-inn"],
    }
    ingen_okt(client)
    tilbake = requests.get(r.location, allow_redirects=False, timeout=10)
    assert (tilbake.status_code, tilbake.headers["Location"]) == (302, "http://localhost/logg-inn")
    assert len(tilbyder.utlogginger) == 1


def test_a_password_session_logs_out_here_only(
    client: FlaskClient, tilbyder: Tilbyder, ola: int
) -> None:
    """Logged in with the password, logging out does not involve the provider."""
    assert logg_inn(client, EPOST).status_code == 302
    r = logg_ut(client)
    assert (r.status_code, r.location) == (302, "/logg-inn")
    ingen_okt(client)
    assert tilbyder.utlogginger == []


def test_without_an_end_session_endpoint_logout_is_local(
    client: FlaskClient, tilbyder: Tilbyder, ola: int
) -> None:
    """A provider that publishes no end_session_endpoint: dokgen's session ends all the same."""
    tilbyder.uten_utlogging = True
    assert gjennom(client, tilbyder).status_code == 302
    r = logg_ut(client)
    assert (r.status_code, r.location) == (302, "/logg-inn")
    ingen_okt(client)


def test_behind_a_proxy_the_provider_sends_back_to_the_public_login_page(
    make_app: Callable[..., Flask], tilbyder: Tilbyder
) -> None:
    """With DOKGEN_OIDC_SVAR_URL set, the page to come back to is on that public address."""
    app = make_app(
        **oidc_innstillinger(tilbyder.utsteder),
        oidc_svar_url="https://dokgen.eksempel.no/logg-inn/oidc/svar",
    )
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, ORGNR, "Eksempel AS", org_innstillinger())
        brukere.opprett_bruker(s, org, EPOST, "Ola Nordmann", "veileder", PASSORD)
    client = app.test_client()
    start = client.get("/logg-inn/oidc")
    svar = requests.get(start.location, allow_redirects=False, timeout=10)
    tilbake = urlsplit(svar.headers["Location"])
    assert client.get(f"{tilbake.path}?{tilbake.query}").status_code == 302
    r = logg_ut(client)
    assert parse_qs(urlsplit(r.location).query)["post_logout_redirect_uri"] == [
        "https://dokgen.eksempel.no/logg-inn"
    ]


def test_forms_may_lead_to_the_providers_origin_only_when_oidc_is_on(
    make_app: Callable[..., Flask], client: FlaskClient, tilbyder: Tilbyder
) -> None:
    """The CSP's form-action adds the issuer's origin (where the logout goes on to) and
    nothing else; without OIDC it stays 'self'."""
    csp = client.get("/logg-inn").headers["Content-Security-Policy"]
    assert f"form-action 'self' {tilbyder.utsteder}" in csp
    assert (
        make_app()
        .test_client()
        .get("/logg-inn")
        .headers["Content-Security-Policy"]
        .endswith("form-action 'self'")
    )
