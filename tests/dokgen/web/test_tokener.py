"""API tokens administered by an admin through the API and the pages: shown once, stored as a
hash only, never logged, revoked at once in this process, scoped to one organisation."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from dokgen.bootstrap import Deps
from dokgen.deps import token_cache
from dokgen.deps.token_cache import TokenCache
from dokgen.errors import NotAuthenticatedError
from dokgen.services import brukere
from dokgen.storage.db import ApiToken, Organisasjon, Revisjon
from tests.dokgen.web.sider_hjelp import antall, logg_inn, token

pytestmark = pytest.mark.integration

_TOKEN = re.compile(r"dg_[A-Za-z0-9_-]{40,}")
_TIDSPUNKT = r"\d\d\.\d\d\.\d{4} kl\. \d\d:\d\d"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _rader(deps: Deps) -> list[ApiToken]:
    with deps.sessions() as s:
        rows = list(s.scalars(select(ApiToken).order_by(ApiToken.id)))
        s.expunge_all()
    return rows


def _revisjon(deps: Deps, handling: str) -> list[tuple[str, str | None]]:
    with deps.sessions() as s:
        query = select(Revisjon.aktor, Revisjon.objekt_id).where(Revisjon.handling == handling)
        return [(a, o) for a, o in s.execute(query)]


def _ingen_klartekst(deps: Deps, token: str, caplog: pytest.LogCaptureFixture) -> None:
    """The token is in no log record and no column of any token or audit row."""
    assert all(token not in r.getMessage() for r in caplog.records)
    rad = next(
        r for r in _rader(deps) if r.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    )
    assert token not in (rad.navn, rad.rolle, rad.token_sha256)
    with deps.sessions() as s:
        for linje in s.scalars(select(Revisjon)):
            assert token not in f"{linje.aktor} {linje.objekt_id} {linje.objekt_type}"


def test_api_admin_creates_lists_and_revokes_a_token_that_then_gets_401(
    client: FlaskClient,
    deps: Deps,
    org: Organisasjon,
    auth: Callable[..., dict[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """201 with the token once; the list never has it; DELETE 204 and the next call is 401,
    although the token was remembered by this process a moment before; again is harmless."""
    caplog.set_level(logging.DEBUG)
    admin = auth("admin")
    r = client.post("/api/v1/tokener", json={"navn": "Økonomisystem", "rolle": "regnskap"},
                    headers=admin)  # fmt: skip
    assert r.status_code == 201
    assert set(r.json) == {"id", "navn", "rolle", "token"}
    assert (r.json["navn"], r.json["rolle"]) == ("Økonomisystem", "regnskap")
    assert r.headers["Cache-Control"] == "no-store"
    ny, ny_id = r.json["token"], r.json["id"]
    assert _TOKEN.fullmatch(ny)
    assert client.get("/api/v1/fakturaer", headers=_bearer(ny)).status_code == 200

    liste = client.get("/api/v1/tokener", headers=admin)
    assert liste.status_code == 200
    assert ny not in liste.text
    oppforing = next(t for t in liste.json["tokener"] if t["id"] == ny_id)
    assert oppforing["navn"] == "Økonomisystem"
    assert (oppforing["rolle"], oppforing["aktiv"], oppforing["tilbakekalt"]) == (
        "regnskap", True, None,
    )  # fmt: skip
    assert "token" not in oppforing

    r = client.delete(f"/api/v1/tokener/{ny_id}", headers=admin)
    assert (r.status_code, r.data) == (204, b"")
    r = client.get("/api/v1/fakturaer", headers=_bearer(ny))
    assert (r.status_code, r.mimetype) == (401, "application/problem+json")
    assert client.delete(f"/api/v1/tokener/{ny_id}", headers=admin).status_code == 204
    oppforing = next(
        t for t in client.get("/api/v1/tokener", headers=admin).json["tokener"] if t["id"] == ny_id
    )
    assert oppforing["aktiv"] is False
    assert oppforing["tilbakekalt"] is not None

    assert _revisjon(deps, "opprett_token") == [("token:test-admin (admin)", str(ny_id))]
    # The second DELETE changed nothing, so it wrote no second line.
    assert _revisjon(deps, "trekk_tilbake_token") == [("token:test-admin (admin)", str(ny_id))]
    _ingen_klartekst(deps, ny, caplog)


def test_api_another_organisations_token_is_404_and_keeps_working(
    client: FlaskClient,
    deps: Deps,
    annen_org: Organisasjon,
    auth: Callable[..., dict[str, str]],
) -> None:
    """An admin cannot see or revoke a token of another organisation: 404 as if absent."""
    annen = auth("leser", annen_org)
    annen_id = next(r.id for r in _rader(deps) if r.org_id == annen_org.id)
    admin = auth("admin")
    r = client.delete(f"/api/v1/tokener/{annen_id}", headers=admin)
    assert (r.status_code, r.json["title"]) == (404, "Finnes ikke")
    for ukjent in ("99999", "abc", "9" * 30):
        assert client.delete(f"/api/v1/tokener/{ukjent}", headers=admin).status_code == 404
    assert annen_id not in [
        t["id"] for t in client.get("/api/v1/tokener", headers=admin).json["tokener"]
    ]
    assert client.get("/api/v1/dokumenter", headers=annen).status_code == 200
    assert all(r.tilbakekalt is None for r in _rader(deps))


@pytest.mark.parametrize("rolle", ["veileder", "regnskap", "leser"])
def test_api_other_roles_get_403_and_change_nothing(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]], rolle: str
) -> None:
    """Only admins list, create and revoke tokens — even their own token is out of reach."""
    headers = auth(rolle)
    eget_id = _rader(deps)[0].id
    calls = [
        client.get("/api/v1/tokener", headers=headers),
        client.post("/api/v1/tokener", json={"navn": "x", "rolle": "admin"}, headers=headers),
        client.post("/api/v1/tokener", json={"navn": "", "rolle": "sjef"}, headers=headers),
        client.delete(f"/api/v1/tokener/{eget_id}", headers=headers),
    ]
    for r in calls:
        assert (r.status_code, r.json["title"]) == (403, "Ingen tilgang")
    assert [(r.rolle, r.tilbakekalt) for r in _rader(deps)] == [(rolle, None)]
    assert _revisjon(deps, "opprett_token") == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"navn": " ", "rolle": "sjef", "ekstra": 1},
            {
                "navn": "kan ikke være tom",
                "rolle": "må være en av: veileder, regnskap, leser, admin",
                "ekstra": "ukjent felt",
            },
        ),
        ({}, {"navn": "mangler (påkrevd felt)", "rolle": "mangler (påkrevd felt)"}),
        (
            {"navn": "x" * 151, "rolle": 3},
            {"navn": "for lang tekst (maks 150 tegn)", "rolle": "må være tekst"},
        ),
        (
            {"navn": "to\nlinjer", "rolle": "leser"},
            {"navn": "kan ikke inneholde linjeskift eller kontrolltegn"},
        ),
        (["navn", "rolle"], {"": "må være et objekt"}),
    ],
)
def test_api_invalid_body_is_422_with_every_error_and_writes_nothing(
    client: FlaskClient,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    body: Any,
    errors: dict[str, str],
) -> None:
    """Every field error at once, in bokmål, with its path; no token and no audit line."""
    admin = auth("admin")
    r = client.post("/api/v1/tokener", json=body, headers=admin)
    assert (r.status_code, r.mimetype) == (422, "application/problem+json")
    assert {e["path"]: e["message"] for e in r.json["errors"]} == errors
    assert antall(deps, ApiToken) == 1  # the admin's own
    assert _revisjon(deps, "opprett_token") == []


def test_api_a_body_that_is_not_json_is_400(
    client: FlaskClient, deps: Deps, auth: Callable[..., dict[str, str]]
) -> None:
    r = client.post(
        "/api/v1/tokener", data=b"navn=x", headers={**auth("admin"), "Content-Type": "text/plain"}
    )
    assert (r.status_code, r.mimetype) == (400, "application/problem+json")
    assert antall(deps, ApiToken) == 1


def test_a_lookup_racing_a_revocation_is_not_remembered(
    deps: Deps, org: Organisasjon, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``forget`` during a lookup: that lookup's answer is used once, not kept for 60 s."""
    with deps.sessions.begin() as s:
        verdi = brukere.lag_token(s, s.get(Organisasjon, org.id), "leser", "system")
    buffer = TokenCache(deps.sessions, ttl=60)
    ekte = token_cache.aktor_for_token

    def samtidig_tilbakekalt(*args: Any, **kwargs: Any) -> Any:
        aktor = ekte(*args, **kwargs)
        buffer.forget(hashlib.sha256(verdi.encode()).hexdigest())
        return aktor

    monkeypatch.setattr(token_cache, "aktor_for_token", samtidig_tilbakekalt)
    assert buffer.aktor(verdi, fra=None, foresporsel=None).rolle == "leser"
    monkeypatch.setattr(token_cache, "aktor_for_token", ekte)
    queries: list[str] = []
    event.listen(deps.sessions.kw["bind"], "before_cursor_execute", lambda *a: queries.append(a[2]))
    buffer.aktor(verdi, fra=None, foresporsel=None)
    assert len([q for q in queries if "api_token" in q]) == 1  # asked again, not remembered
    with deps.sessions.begin() as s:
        rad = s.scalar(select(ApiToken))
        assert rad is not None
        rad.tilbakekalt = rad.opprettet
    buffer.forget(hashlib.sha256(verdi.encode()).hexdigest())
    with pytest.raises(NotAuthenticatedError):
        buffer.aktor(verdi, fra=None, foresporsel=None)


def test_admin_page_creates_shows_the_token_once_and_revokes_it(
    client: FlaskClient,
    deps: Deps,
    bruker: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Create through the form: the token is on that answer only (not cached), the list shows
    navn, rolle, time and status; the confirmation page's POST revokes it and the API says 401."""
    caplog.set_level(logging.DEBUG)
    logg_inn(client, bruker("admin"))
    tom = client.get("/admin/tokener")
    assert tom.status_code == 200
    assert "Organisasjonen har ingen API-tokener ennå." in tom.text
    assert 'href="/admin/tokener" aria-current="page">API-tokener</a>' in tom.text
    assert '<label for="token-navn">Navn' in tom.text
    assert '<label for="token-rolle">Rolle' in tom.text

    data = {"navn": "Fagsystem", "rolle": "leser", "csrf_token": token(client, "/admin/tokener")}
    r = client.post("/admin/tokener", data=data)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    funnet = _TOKEN.findall(r.text)
    assert len(funnet) == 1
    ny = funnet[0]
    assert "Kopier tokenet nå. Det vises ikke igjen" in r.text
    assert client.get("/api/v1/dokumenter", headers=_bearer(ny)).status_code == 200

    liste = client.get("/admin/tokener")
    assert ny not in liste.text
    assert "Kopier tokenet nå" not in liste.text
    rad = re.search(r"<tr>\s*<td>Fagsystem</td>.*?</tr>", liste.text, re.S)
    assert rad
    assert re.search(rf"<td>Leser</td><td>{_TIDSPUNKT}</td>\s*<td>Aktiv</td>", rad.group(0))
    token_id = _rader(deps)[0].id
    bekreft_url = f"/admin/tokener/{token_id}/trekk-tilbake"
    assert f'href="{bekreft_url}"' in rad.group(0)

    bekreft = client.get(bekreft_url)
    assert "<h1>Trekk tilbake tokenet «Fagsystem»</h1>" in bekreft.text
    assert f'<form method="post" action="{bekreft_url}"' in bekreft.text
    assert client.post(bekreft_url, data={}).status_code == 400  # no CSRF token
    assert _rader(deps)[0].tilbakekalt is None

    r = client.post(bekreft_url, data={"csrf_token": token(client, bekreft_url)})
    assert (r.status_code, r.location) == (302, "/admin/tokener")
    etter = client.get("/admin/tokener")
    assert "Tokenet «Fagsystem» er trukket tilbake." in etter.text
    assert re.search(rf"<td>Tilbakekalt {_TIDSPUNKT}</td>\s*<td>—</td>", etter.text)
    assert client.get("/api/v1/dokumenter", headers=_bearer(ny)).status_code == 401
    assert "Tokenet er allerede trukket tilbake." in client.get(bekreft_url).text
    assert [o for _, o in _revisjon(deps, "opprett_token")] == [str(token_id)]
    assert [o for _, o in _revisjon(deps, "trekk_tilbake_token")] == [str(token_id)]
    _ingen_klartekst(deps, ny, caplog)


def test_admin_page_invalid_input_is_422_with_the_errors_and_writes_nothing(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Empty name and no role: both errors, linked from the summary, fields marked invalid."""
    logg_inn(client, bruker("admin"))
    data = {"navn": "  ", "rolle": "", "csrf_token": token(client, "/admin/tokener")}
    r = client.post("/admin/tokener", data=data)
    assert r.status_code == 422
    assert '<a href="#token-navn">Navn: kan ikke være tom</a>' in r.text
    assert (
        '<a href="#token-rolle">Rolle: må være en av: veileder, regnskap, leser, admin</a>'
        in r.text
    )
    assert r.text.count('aria-invalid="true"') == 2
    assert _TOKEN.search(r.text) is None
    assert antall(deps, ApiToken) == 0
    assert client.post("/admin/tokener", data={"navn": "x", "rolle": "leser"}).status_code == 400
    assert antall(deps, ApiToken) == 0


def test_token_pages_are_403_for_other_roles_and_404_for_another_organisation(
    client: FlaskClient,
    deps: Deps,
    annen_org: Organisasjon,
    bruker: Callable[..., str],
    auth: Callable[..., dict[str, str]],
) -> None:
    """Non-admins see no menu entry and get 403; another organisation's token is 404."""
    auth("veileder", annen_org)
    annen_id = _rader(deps)[0].id
    logg_inn(client, bruker("leser"))
    side = client.get("/dokumenter")
    assert "API-tokener" not in side.text
    assert client.get("/admin/tokener").status_code == 403
    csrf = token(client, "/dokumenter")
    r = client.post("/admin/tokener", data={"navn": "x", "rolle": "admin", "csrf_token": csrf})
    assert (r.status_code, "Ingen tilgang" in r.text) == (403, True)
    assert client.post(f"/admin/tokener/{annen_id}/trekk-tilbake",
                       data={"csrf_token": csrf}).status_code == 403  # fmt: skip
    client.post("/logg-ut", data={"csrf_token": csrf})

    logg_inn(client, bruker("admin"))
    url = f"/admin/tokener/{annen_id}/trekk-tilbake"
    assert client.get(url).status_code == 404
    r = client.post(url, data={"csrf_token": token(client, "/admin/tokener")})
    assert (r.status_code, "Finnes ikke" in r.text) == (404, True)
    assert "test-veileder" not in client.get("/admin/tokener").text
    assert [(r.org_id, r.tilbakekalt) for r in _rader(deps)] == [(annen_org.id, None)]


def test_the_token_form_posted_again_makes_no_second_token(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """Reloading the page that shows a new token posts its form again: the second post makes
    no token and shows no token, only that it was made; a fresh form makes a new one."""
    logg_inn(client, bruker("admin"))
    side = client.get("/admin/tokener").text
    skjema = re.search(r'name="skjema" value="([^"]+)"', side)
    assert skjema
    data = {
        "navn": "Fagsystem",
        "rolle": "leser",
        "csrf_token": token(client, "/admin/tokener"),
        "skjema": skjema.group(1),
    }
    forste = client.post("/admin/tokener", data=data)
    assert forste.status_code == 200
    assert len(_TOKEN.findall(forste.text)) == 1
    igjen = client.post("/admin/tokener", data=data)
    assert (igjen.status_code, igjen.location) == (303, "/admin/tokener")
    assert antall(deps, ApiToken) == 1
    liste = client.get("/admin/tokener").text
    assert "Tokenet er allerede laget, og det vises ikke igjen." in liste
    assert _TOKEN.search(liste) is None
    assert len(_revisjon(deps, "opprett_token")) == 1

    nytt = re.search(r'name="skjema" value="([^"]+)"', liste)
    assert nytt
    assert nytt.group(1) != skjema.group(1)
    r = client.post("/admin/tokener", data={**data, "skjema": nytt.group(1)})
    assert r.status_code == 200
    assert antall(deps, ApiToken) == 2
