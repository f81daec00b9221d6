"""Every party approves for themselves: personal approval links through the real app, a
real SQLite database, LibreOffice and the seal, with e-mail through a real SMTP server on
127.0.0.1 and ID-porten against the fake OpenID provider of the OIDC tests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.errors import SettingsInvalidError
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import deltakere, dokumenter, gjennomforinger
from dokgen.services.brukere import aktor_for_bruker
from dokgen.settings import Settings
from dokgen.storage.db import (
    Bruker,
    Dokument,
    Godkjenning,
    Godkjenningslenke,
    Organisasjon,
    Revisjon,
    now,
)
from tests.dokgen.register import FNR_JON, FNR_KARI, aktor_for
from tests.dokgen.register import kontrakt as register_kontrakt
from tests.dokgen.web.oidc_tilbyder import KLIENT_HEMMELIGHET, KLIENT_ID, Tilbyder, kjor
from tests.dokgen.web.sider_hjelp import logg_inn, token
from tests.dokgen.web.smtp_server import SmtpServer

pytestmark = pytest.mark.integration

AVSENDER = "dokgen@eksempel.no"
_LENKE = re.compile(r"(http://\S+/godkjenning\?lenke=\S+)")
_KODE = re.compile(r"^(\d{6})\r?$", re.MULTILINE)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def tilbyder() -> Iterator[Tilbyder]:
    """The fake OpenID provider of the OIDC tests, standing in for ID-porten; the person it
    vouches for has a (synthetic) fødselsnummer, as ID-porten's ``pid``."""
    with kjor(Tilbyder(person={"pid": "15858545606"})) as t:
        yield t


@pytest.fixture
def app(make_app: Callable[..., Flask], smtp: SmtpServer, tilbyder: Tilbyder) -> Flask:
    """The app with e-mail through the test's SMTP server (no TLS on loopback) and
    ID-porten for parties through the fake provider."""
    return make_app(
        smtp_vert="127.0.0.1", smtp_port=smtp.port, smtp_avsender=AVSENDER, smtp_starttls=False,
        idporten_utsteder=tilbyder.utsteder, idporten_klient_id=KLIENT_ID,
        idporten_klient_hemmelighet=KLIENT_HEMMELIGHET,
    )  # fmt: skip


@pytest.fixture
def veileder_klient(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> tuple[FlaskClient, str]:
    """A logged-in veileder with an e-mail address; return the client and the user name."""
    navn = bruker("veileder")
    with deps.sessions.begin() as s:
        rad = s.scalars(select(Bruker).where(Bruker.brukernavn == navn)).one()
        rad.epost = "veileder@arrangor.no"
    assert logg_inn(client, navn).status_code == 302
    return client, navn


def _avtale(deps: Deps, brukernavn: str, kontrakt: Any) -> str:
    """Create an arbeidspraksisavtale as the user and wait for its preview; return its id."""
    with deps.sessions() as s:
        rad = s.scalars(select(Bruker).where(Bruker.brukernavn == brukernavn)).one()
        aktor = aktor_for_bruker(rad, fra=None, foresporsel=None)
    dok = parse_dokument(kontrakt("arbeidspraksisavtale"), tillat_syntetiske=True)
    dokument = dokumenter.opprett(deps, aktor, dok)
    assert deps.jobs.wait_idle(120)
    return dokument.id


def _send(client: FlaskClient, dok: str, **felt: str) -> Any:
    url = f"/dokumenter/{dok}"
    data = {"csrf_token": token(client, url), "handling": "send", **felt}
    return client.post(f"{url}/godkjenningslenker", data=data)


def _lenke(smtp: SmtpServer, antall: int) -> tuple[list[str], Any, str]:
    """Return the recipients, the message and the link (path and query) of message ``antall``."""
    til, melding = smtp.postkasse.vent(antall)[antall - 1]
    match = _LENKE.search(melding.get_content())
    assert match, melding.get_content()
    deler = urlsplit(match.group(1))
    return til, melding, f"{deler.path}?{deler.query}"


def _tok(lenke: str) -> str:
    return lenke.split("lenke=", 1)[1]


def _post(client: FlaskClient, url: str, side: str, **data: str) -> Any:
    """Post a form with the CSRF token of ``side`` (the login page's once a link is spent:
    the token is the session's, whichever page shows it)."""
    if client.get(side).status_code == 404:
        side = "/logg-inn"
    return client.post(url, data={"csrf_token": token(client, side), **data})


def _kode(client: FlaskClient, smtp: SmtpServer, lenke: str, antall: int) -> str:
    """Ask for a code on the link's page; return the code from message ``antall``."""
    r = _post(client, "/godkjenning/kode", lenke, lenke=_tok(lenke))
    assert r.status_code == 200, r.text
    _, melding = smtp.postkasse.vent(antall)[antall - 1]
    assert melding["Subject"] == "Engangskode til godkjenning"
    match = _KODE.search(melding.get_content())
    assert match, melding.get_content()
    return match.group(1)


def _bekreft(client: FlaskClient, lenke: str, kode: str) -> Any:
    return _post(client, "/godkjenning/bekreft", lenke, lenke=_tok(lenke), kode=kode)


def _svar(client: FlaskClient, lenke: str, svar: str, **data: str) -> Any:
    return _post(client, "/godkjenning/svar", lenke, lenke=_tok(lenke), svar=svar, **data)


def _godkjenninger(deps: Deps) -> list[tuple[str, str, str, str]]:
    with deps.sessions() as s:
        rader = s.scalars(select(Godkjenning).order_by(Godkjenning.id))
        return [(g.part, g.navn, g.metode, g.bruker) for g in rader]


def _status(deps: Deps, dok: str) -> tuple[str, bool]:
    with deps.sessions() as s:
        rad = s.get(Dokument, dok)
        assert rad is not None
        return rad.gjeldende.status, rad.gjeldende.pdf_sha256 is not None


def test_a_party_approves_by_link_and_code_and_the_last_approval_seals(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    smtp: SmtpServer,
    kontrakt: Any,
) -> None:
    """Arrangør approves signed in; the arbeidsgiver gets a link by e-mail and the deltaker
    one copied by hand: each opens it, gets a code by e-mail, sees the PDF and approves;
    each approval says how it was given, and the last one seals the agreement."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    side = client.get(f"/dokumenter/{dok}").text
    # No party is chosen for the person: the select starts on an empty choice.
    assert (
        '<select id="godkjenn-part" name="part">\n      <option value="">Velg part</option>' in side
    )
    r = _post(client, f"/dokumenter/{dok}/godkjenn", f"/dokumenter/{dok}", part="arrangor")
    assert r.status_code == 302

    r = _send(client, dok, part="arbeidsgiver", navn="Lise Berg", epost="lise@firma.no")
    assert (r.status_code, r.location) == (302, f"/dokumenter/{dok}")
    side = client.get(f"/dokumenter/{dok}").text
    assert "Godkjenningslenken er sendt til lise@firma.no." in side
    assert "Arbeidsgiver: lenke til Lise Berg (lise@firma.no)" in side
    til, melding, lenke = _lenke(smtp, 1)
    assert (til, melding["From"]) == (["lise@firma.no"], AVSENDER)
    assert melding["Subject"] == "Godkjenn Arbeidspraksisavtale"
    assert "Hei Lise Berg" in melding.get_content()
    with deps.sessions() as s:
        hashes = list(s.scalars(select(Godkjenningslenke.token_sha256)))
    assert hashes == [hashlib.sha256(_tok(lenke).encode()).hexdigest()]

    lise = app.test_client()  # Lise's own browser, not logged in
    r = lise.get(lenke)
    assert (r.status_code, r.headers["Cache-Control"]) == (200, "no-store")
    assert "Hei Lise Berg." in r.text
    assert "l***@firma.no" in r.text
    assert "Åpne dokumentet" not in r.text  # not before the code
    assert lise.get(f"/godkjenning/pdf?lenke={_tok(lenke)}").status_code == 302
    kode = _kode(lise, smtp, lenke, 2)
    feil = "0" * 6 if kode != "000000" else "111111"
    r = _bekreft(lise, lenke, feil)
    assert r.status_code == 422
    assert "koden stemmer ikke; du har 4 forsøk igjen" in r.text
    assert _bekreft(lise, lenke, kode).status_code == 303
    r = lise.get(lenke)
    assert "Åpne dokumentet (PDF, versjon 1)" in r.text
    pdf = lise.get(f"/godkjenning/pdf?lenke={_tok(lenke)}")
    assert (pdf.status_code, pdf.mimetype, pdf.data[:5]) == (200, "application/pdf", b"%PDF-")
    r = _svar(lise, lenke, "godkjenn")
    assert (r.status_code, "Godkjenningen din er registrert" in r.text) == (200, True)
    assert lise.get(lenke).status_code == 404  # used: it works once
    assert _svar(lise, lenke, "godkjenn").status_code == 404
    assert _status(deps, dok) == ("delvis_godkjent", False)

    url = f"/dokumenter/{dok}"
    data = {"csrf_token": token(client, url), "handling": "kopier", "part": "deltaker",
            "navn": "Kari Nordmann", "epost": "kari@eksempel.no"}  # fmt: skip
    r = client.post(f"{url}/godkjenningslenker", data=data)
    assert (r.status_code, r.headers["Cache-Control"]) == (200, "no-store")
    match = re.search(
        r'id="ny-lenke" readonly value="http://[^/]+(/godkjenning\?lenke=[^"]+)"', r.text
    )
    assert match, r.text
    kari_lenke = match.group(1)
    assert len(smtp.postkasse.meldinger) == 2  # copied by hand: no e-mail with the link
    kari = app.test_client()
    assert _bekreft(kari, kari_lenke, _kode(kari, smtp, kari_lenke, 3)).status_code == 303
    assert _svar(kari, kari_lenke, "godkjenn").status_code == 200
    assert deps.jobs.wait_idle(120)
    assert _status(deps, dok) == ("godkjent", True)
    assert _godkjenninger(deps) == [
        ("arrangor", "Test Veileder", "innlogget", "Test Veileder"),
        ("arbeidsgiver", "Lise Berg", "epostlenke", "Lise Berg"),
        ("deltaker", "Kari Nordmann", "epostlenke", "Kari Nordmann"),
    ]
    side = client.get(f"/dokumenter/{dok}").text
    assert re.search(
        r"Godkjent av Lise Berg \(Arbeidsgiver\) med e-postlenke og engangskode, "
        r"\d\d\.\d\d\.\d{4} kl\. \d\d:\d\d",
        side,
    )
    assert "Godkjent av Test Veileder (Tiltaksarrangør) som innlogget bruker" in side
    with deps.sessions() as s:
        alt = " ".join(str(v) for r in s.scalars(select(Revisjon)) for v in vars(r).values())
        handlinger = [h for h in s.scalars(select(Revisjon.handling).order_by(Revisjon.id))]
    assert _tok(lenke) not in alt
    assert handlinger.count("godkjenn") == 3
    assert {"send_godkjenningslenke", "lag_godkjenningslenke", "send_godkjenningskode",
            "feil_godkjenningskode", "bekreft_godkjenningskode",
            "les_via_godkjenningslenke"} <= set(handlinger)  # fmt: skip


def test_a_decline_carries_a_reason_to_the_veileder(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    smtp: SmtpServer,
    kontrakt: Any,
) -> None:
    """Declining needs a reason; the veileder sees it on the document page and gets an
    e-mail; the link works no more and nothing is approved."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    _send(client, dok, part="arbeidsgiver", navn="Lise Berg", epost="lise@firma.no")
    _, _, lenke = _lenke(smtp, 1)
    lise = app.test_client()
    assert _bekreft(lise, lenke, _kode(lise, smtp, lenke, 2)).status_code == 303
    r = _svar(lise, lenke, "avsla", begrunnelse="  ")
    assert r.status_code == 422
    assert "Skriv hvorfor du ikke godkjenner" in r.text
    r = _svar(lise, lenke, "avsla", begrunnelse="Sluttdatoen skal være 31.12.2026.")
    assert (r.status_code, "begrunnelsen er sendt" in r.text) == (200, True)
    assert lise.get(lenke).status_code == 404
    til, melding = smtp.postkasse.vent(3)[2]
    assert til == ["veileder@arrangor.no"]
    assert "Lise Berg (Arbeidsgiver) har ikke godkjent" in melding.get_content()
    assert "Sluttdatoen" not in melding.get_content()  # no content in e-mail: see the page
    side = client.get(f"/dokumenter/{dok}").text
    assert "Lise Berg (Arbeidsgiver) godkjente ikke versjon 1" in side
    assert "Begrunnelse: Sluttdatoen skal være 31.12.2026." in side
    assert _godkjenninger(deps) == []


def test_expired_revoked_replaced_and_older_version_links_are_refused(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    smtp: SmtpServer,
    kontrakt: Any,
) -> None:
    """A link works 14 days; a revoked one, one replaced by a newer link to the same party
    and one of a version a correction replaced answer «Lenken virker ikke»."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    anonym = app.test_client()
    _send(client, dok, part="arbeidsgiver", navn="Lise Berg", epost="lise@firma.no")
    _, _, forste = _lenke(smtp, 1)
    _send(client, dok, part="arbeidsgiver", navn="Lise Berg", epost="lise@firma.no")
    _, _, andre = _lenke(smtp, 2)
    assert anonym.get(forste).status_code == 404  # one live link a party
    r = anonym.get(andre)
    assert r.status_code == 200
    virker = deps.clock
    deps.clock = lambda: now() + timedelta(days=14, seconds=1)
    r = anonym.get(andre)
    assert (r.status_code, "Lenken virker ikke" in r.text) == (404, True)
    deps.clock = virker

    with deps.sessions() as s:
        lenke_id = s.scalars(
            select(Godkjenningslenke.id).where(Godkjenningslenke.tilbakekalt.is_(None))
        ).one()
    r = _post(client, f"/dokumenter/{dok}/godkjenningslenker/{lenke_id}/tilbakekall",
              f"/dokumenter/{dok}")  # fmt: skip
    assert r.status_code == 302
    assert "trukket tilbake" in client.get(f"/dokumenter/{dok}").text
    assert anonym.get(andre).status_code == 404

    _send(client, dok, part="deltaker", navn="Kari Nordmann", epost="kari@eksempel.no")
    _, _, kari = _lenke(smtp, 3)
    assert _bekreft(anonym, kari, _kode(anonym, smtp, kari, 4)).status_code == 303
    with deps.sessions() as s:
        rad = s.scalars(select(Bruker).where(Bruker.brukernavn == navn)).one()
        aktor = aktor_for_bruker(rad, fra=None, foresporsel=None)
    data = kontrakt("arbeidspraksisavtale")
    dokumenter.ny_versjon(deps, aktor, dok, parse_dokument(data, tillat_syntetiske=True))
    assert deps.jobs.wait_idle(120)
    assert anonym.get(kari).status_code == 404  # version 2 now: the link was for version 1
    assert _svar(anonym, kari, "godkjenn").status_code == 404
    assert _godkjenninger(deps) == []


def test_wrong_codes_are_limited(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    smtp: SmtpServer,
    kontrakt: Any,
) -> None:
    """Five wrong codes void the code, so the right one no longer works; a new code does.
    Without a right code nothing can be approved."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    _send(client, dok, part="arbeidsgiver", navn="Lise Berg", epost="lise@firma.no")
    _, _, lenke = _lenke(smtp, 1)
    lise = app.test_client()
    kode = _kode(lise, smtp, lenke, 2)
    feil = "111111" if kode != "111111" else "222222"
    r = _svar(lise, lenke, "godkjenn")
    assert (r.status_code, "Skriv inn engangskoden først" in r.text) == (422, True)
    svar = [_bekreft(lise, lenke, feil) for _ in range(5)]
    assert [r.status_code for r in svar] == [422] * 5
    assert "kan ikke brukes mer" in svar[-1].text
    r = _bekreft(lise, lenke, kode)
    assert (r.status_code, "for mange feil forsøk" in r.text) == (422, True)
    assert _bekreft(lise, lenke, _kode(lise, smtp, lenke, 3)).status_code == 303
    assert _svar(lise, lenke, "godkjenn").status_code == 200
    assert _godkjenninger(deps) == [("arbeidsgiver", "Lise Berg", "epostlenke", "Lise Berg")]


def test_staff_register_another_partys_approval_only_with_a_reason(
    veileder_klient: tuple[FlaskClient, str], deps: Deps, kontrakt: Any
) -> None:
    """On the page, the deltaker's approval by the veileder without a reason is refused
    (422, nothing written); with one it is recorded as on the party's behalf, by whom."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    url = f"/dokumenter/{dok}"
    r = _post(client, f"{url}/godkjenn", url, part="deltaker", navn="Kari Nordmann")
    assert r.status_code == 422
    assert "oppgi hvorfor du godkjenner på vegne av" in r.text
    r = _post(client, f"{url}/godkjenn", url, part="")
    assert (r.status_code, "velg parten som godkjenner" in r.text) == (422, True)
    assert _godkjenninger(deps) == []
    r = _post(client, f"{url}/godkjenn", url, part="deltaker", navn="Kari Nordmann",
              begrunnelse="Signerte på papir 05.12.2026")  # fmt: skip
    assert r.status_code == 302
    assert _godkjenninger(deps) == [("deltaker", "Kari Nordmann", "pa_vegne_av", "Test Veileder")]
    assert "registrert av Test Veileder på vegne av Kari Nordmann" in client.get(url).text


def test_the_api_makes_and_revokes_links_of_its_own_organisation_only(
    client: FlaskClient,
    app: Flask,
    deps: Deps,
    auth: Callable[..., dict[str, str]],
    annen_org: Organisasjon,
    kontrakt: Any,
) -> None:
    """POST …/godkjenningslenker without e-mail answers the address to copy; DELETE revokes
    it; another organisation's document is 404 to both, and nothing is made."""
    veileder = auth("veileder")
    r = client.post("/api/v1/dokumenter", json=kontrakt("arbeidspraksisavtale"),
                    headers={**veileder, "Prefer": "wait=120"})  # fmt: skip
    assert r.status_code == 201, r.json
    url = f"/api/v1/dokumenter/{r.json['id']}/godkjenningslenker"
    body = {"part": "arbeidsgiver", "navn": "Lise Berg", "epost": "lise@firma.no"}
    theirs = auth("veileder", annen_org)
    assert client.post(url, json=body | {"send_epost": False}, headers=theirs).status_code == 404
    assert client.post(url, json={"part": "x"}, headers=veileder).status_code == 422
    r = client.post(url, json=body | {"send_epost": False}, headers=veileder)
    assert r.status_code == 201, r.json
    assert (r.json["sendt_til"], r.json["part"]) == (None, "arbeidsgiver")
    deler = urlsplit(r.json["adresse"])
    lenke = f"{deler.path}?{deler.query}"
    assert app.test_client().get(lenke).status_code == 200
    assert client.delete(f"{url}/{r.json['id']}", headers=theirs).status_code == 404
    assert client.delete(f"{url}/{r.json['id']}", headers=veileder).status_code == 204
    assert app.test_client().get(lenke).status_code == 404
    with deps.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Godkjenningslenke)) == 1


def test_the_link_expiry_is_a_setting() -> None:
    """DOKGEN_GODKJENNINGSLENKE_DAGER, 14 days unless set; ID-porten needs all three."""
    assert Settings.from_env({}).godkjenningslenke_dager == 14
    assert Settings.from_env({"DOKGEN_GODKJENNINGSLENKE_DAGER": "3"}).godkjenningslenke_dager == 3
    assert not Settings.from_env({}).idporten_aktiv
    with pytest.raises(SettingsInvalidError, match="ID-porten-innlogging mangler"):
        Settings.from_env({"DOKGEN_IDPORTEN_UTSTEDER": "https://idporten.no"})


def test_a_party_may_log_in_with_idporten_instead_of_the_code(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    tilbyder: Tilbyder,
    kontrakt: Any,
) -> None:
    """Where ID-porten is set up (the fake provider), the link's page offers it; after the
    login the party approves, recorded as ``idporten``; the fødselsnummer is kept nowhere."""
    client, navn = veileder_klient
    dok = _avtale(deps, navn, kontrakt)
    url = f"/dokumenter/{dok}"
    data = {"csrf_token": token(client, url), "handling": "kopier", "part": "deltaker",
            "navn": "Kari Nordmann", "epost": "kari@eksempel.no"}  # fmt: skip
    r = client.post(f"{url}/godkjenningslenker", data=data)
    match = re.search(r'value="http://[^/]+(/godkjenning\?lenke=[^"]+)"', r.text)
    assert match, r.text
    lenke = match.group(1)
    kari = app.test_client()
    assert "Logg inn med ID-porten" in kari.get(lenke).text
    start = _post(kari, "/godkjenning/idporten", lenke, lenke=_tok(lenke))
    assert start.status_code == 302
    assert start.location.startswith(f"{tilbyder.utsteder}/authorize?")
    svar = requests.get(start.location, allow_redirects=False, timeout=10)
    tilbake = urlsplit(svar.headers["Location"])
    assert tilbake.path == "/godkjenning/idporten/svar"
    r = kari.get(f"{tilbake.path}?{tilbake.query}")
    assert r.status_code == 303
    side = kari.get(lenke).text
    assert "Åpne dokumentet" in side
    assert "ID-porten og tidspunktet" in side
    assert _svar(kari, lenke, "godkjenn").status_code == 200
    assert _godkjenninger(deps) == [("deltaker", "Kari Nordmann", "idporten", "Kari Nordmann")]
    with deps.sessions() as s:
        alt = " ".join(str(v) for r in s.scalars(select(Revisjon)) for v in vars(r).values())
        lenker = " ".join(
            str(v) for r in s.scalars(select(Godkjenningslenke)) for v in vars(r).values()
        )
    assert "15858545606" not in alt + lenker


def _avtale_for_deltaker(deps: Deps, org: Organisasjon, veileder: str, admin: str) -> str:
    """Register Kari (fødselsnummer FNR_KARI) and make an arbeidspraksisavtale that belongs
    to her, as the veileder; wait for its preview and return its id."""
    inn = les(GjennomforingInn, register_kontrakt("gjennomforing.json"))
    gid = int(gjennomforinger.opprett(deps, aktor_for(deps, org, admin), inn)["id"])
    kari = register_kontrakt("deltaker.json") | {"gjennomforing_id": gid}
    kari["veiledere_arrangor"] = [{"brukernavn": veileder, "type": "veileder"}]
    aktor = aktor_for(deps, org, veileder)
    deltaker = deltakere.opprett(
        deps, aktor_for(deps, org, admin), les(DeltakerInn, kari, tillat_syntetiske=True)
    )
    data = register_kontrakt("arbeidspraksisavtale.json")
    data["deltaker"]["fodselsnummer"] = FNR_KARI
    dok = parse_dokument(data, tillat_syntetiske=True)
    dokument = dokumenter.opprett(deps, aktor, dok, deltaker_id=int(deltaker["id"]))
    assert deps.jobs.wait_idle(120)
    return dokument.id


def _lenke_for(client: FlaskClient, dok: str, part: str, navn: str) -> str:
    """Make a link for ``part`` to copy by hand; return its path and query."""
    url = f"/dokumenter/{dok}"
    data = {"csrf_token": token(client, url), "handling": "kopier", "part": part,
            "navn": navn, "epost": f"{part}@eksempel.no"}  # fmt: skip
    r = client.post(f"{url}/godkjenningslenker", data=data)
    match = re.search(r'value="http://[^/]+(/godkjenning\?lenke=[^"]+)"', r.text)
    assert match, r.text
    return match.group(1)


def _idporten(part: FlaskClient, lenke: str) -> Any:
    """Log in on the link's page with ID-porten (the fake provider); return dokgen's answer."""
    start = _post(part, "/godkjenning/idporten", lenke, lenke=_tok(lenke))
    svar = requests.get(start.location, allow_redirects=False, timeout=10)
    tilbake = urlsplit(svar.headers["Location"])
    return part.get(f"{tilbake.path}?{tilbake.query}")


def test_idporten_must_log_in_the_registers_deltaker_and_names_other_parties_as_given(
    veileder_klient: tuple[FlaskClient, str],
    app: Flask,
    deps: Deps,
    org: Organisasjon,
    bruker: Callable[..., str],
    tilbyder: Tilbyder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The deltaker's link: ID-porten's ``pid`` must be the register's fødselsnummer; another
    person is refused with a message and nothing recorded, the right one approves. The
    arbeidsgiver's link: no fødselsnummer is known, so the approval carries the name
    ID-porten gives and the receipt says ID-porten confirmed it. No number is shown or logged."""
    client, navn = veileder_klient
    dok = _avtale_for_deltaker(deps, org, navn, bruker("admin"))
    lenke = _lenke_for(client, dok, "deltaker", "Kari Nordmann")

    tilbyder.person = {"pid": FNR_JON, "name": "Jon Berg"}
    annen = app.test_client()
    assert _idporten(annen, lenke).status_code == 303
    side = annen.get(lenke)
    assert side.status_code == 200
    assert "ID-porten som en annen person enn den lenken er sendt til" in side.text
    assert "Åpne dokumentet" not in side.text
    assert _svar(annen, lenke, "godkjenn").status_code == 422
    assert _godkjenninger(deps) == []
    assert FNR_JON not in side.text

    tilbyder.person = {"pid": FNR_KARI, "name": "Kari Nordmann"}
    kari = app.test_client()
    assert _idporten(kari, lenke).status_code == 303
    assert "Åpne dokumentet" in kari.get(lenke).text
    kvittering = _svar(kari, lenke, "godkjenn")
    assert kvittering.status_code == 200
    assert "Identiteten din ble bekreftet med ID-porten." in kvittering.text
    assert _godkjenninger(deps) == [("deltaker", "Kari Nordmann", "idporten", "Kari Nordmann")]

    lenke = _lenke_for(client, dok, "arbeidsgiver", "Lise Berg")
    tilbyder.person = {"pid": FNR_JON, "given_name": "Lise Marie", "family_name": "Berg"}
    lise = app.test_client()
    assert _idporten(lise, lenke).status_code == 303
    kvittering = _svar(lise, lenke, "godkjenn")
    assert "bekreftet med ID-porten" in kvittering.text
    assert "registrert på\nnavnet Lise Marie Berg, slik ID-porten oppga det" in kvittering.text
    assert _godkjenninger(deps)[1] == (
        "arbeidsgiver", "Lise Marie Berg", "idporten", "Lise Marie Berg",
    )  # fmt: skip
    assert FNR_JON not in caplog.text
    assert FNR_KARI not in caplog.text
