"""The month's close pages through Flask's test client: the checks per gjennomføring, the
confirm step, the close and the progress page; a claimed month asks for a correction."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Faktura, Manedskrav, Organisasjon
from tests.dokgen.services.maned_hjelp import IDAG, standard
from tests.dokgen.web.sider_hjelp import logg_inn, token
from tests.pdfinfo import text

pytestmark = pytest.mark.integration


@pytest.fixture
def regnskap(client: FlaskClient, deps: Deps, bruker: Callable[..., str]) -> FlaskClient:
    """Return the client logged in as regnskap, the clock on 5 November 2026."""
    deps.clock = lambda: IDAG
    logg_inn(client, bruker("regnskap"))
    return client


def _skjulte(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def _antall(deps: Deps) -> tuple[int, int]:
    with deps.sessions() as s:
        krav = s.scalar(select(func.count()).select_from(Manedskrav))
        fakturaer = s.scalar(select(func.count()).select_from(Faktura))
    return int(krav or 0), int(fakturaer or 0)


def test_regnskap_checks_confirms_and_closes_october(
    regnskap: FlaskClient, deps: Deps, org: Organisasjon
) -> None:
    """The default month is October (the last whole one); checks → confirm (art in words,
    hours, amount, whole kroner) → "Avslutt oktober 2026" → progress linking the invoice."""
    standard(deps, org.id)
    side = regnskap.get("/manedsavslutning")
    assert side.status_code == 200
    assert "<h1>Avslutt oktober 2026</h1>" in side.text
    assert "Kontrollene fant ingenting å merke seg." in side.text
    assert '<option value="2026-10" selected>Oktober 2026</option>' in side.text
    skjema = {"csrf_token": token(regnskap, "/manedsavslutning"), "maned": "2026-10"}
    bekreft = regnskap.post("/manedsavslutning/bekreft", data=skjema)
    assert bekreft.status_code == 200
    assert "EHF-faktura" in bekreft.text
    assert "3\xa0450,00" in bekreft.text
    assert '<td class="tall">3450</td>' in bekreft.text
    assert "Avslutt oktober 2026</button>" in bekreft.text
    assert _antall(deps) == (0, 0)  # nothing before the confirmation

    svar = regnskap.post("/manedsavslutning/avslutt", data=_skjulte(bekreft.text))
    assert svar.status_code == 302
    assert svar.headers["Location"].endswith("/manedsavslutning/fremdrift?maned=2026-10")
    assert _antall(deps) == (1, 1)
    assert deps.jobs.wait_idle(120)
    fremdrift = regnskap.get(svar.headers["Location"])
    assert "Alt er ferdig laget." in fremdrift.text
    assert "Faktura 2026-0001</a>" in fremdrift.text
    assert regnskap.get("/manedsavslutning/fremdrift.json?maned=2026-10").json == {"venter": False}

    # Again: refused, with the correction's checkbox and reason; nothing more is made.
    igjen = regnskap.get("/manedsavslutning?maned=2026-10")
    assert "er allerede krevd for denne gjennomføringen (faktura 2026-0001)" in igjen.text
    assert 'name="begrunnelse-1"' in igjen.text
    skjema = {"csrf_token": token(regnskap, "/manedsavslutning"), "maned": "2026-10"}
    avvist = regnskap.post("/manedsavslutning/avslutt", data=skjema | {"bekreftet": "1"})
    assert avvist.status_code == 422
    assert "Oktober 2026 kan ikke avsluttes ennå" in avvist.text
    assert _antall(deps) == (1, 1)
    rettet = regnskap.post(
        "/manedsavslutning/bekreft",
        data=skjema | {"korreksjon-1": "1", "begrunnelse-1": "Timer for D-0017 manglet"},
    )
    assert rettet.status_code == 200
    assert "korreksjon: «Timer for D-0017 manglet»" in rettet.text
    svar = regnskap.post("/manedsavslutning/avslutt", data=_skjulte(rettet.text))
    assert svar.status_code == 302
    assert _antall(deps) == (2, 2)
    assert deps.jobs.wait_idle(120)


def test_a_veileder_may_not_close_a_month(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str]
) -> None:
    """The page answers 403 to a veileder, and the menu has no entry for them."""
    logg_inn(client, bruker("veileder"))
    assert client.get("/manedsavslutning").status_code == 403
    assert "Månedsavslutning" not in client.get("/dokumenter").text


def test_an_admin_sees_the_findings_with_the_deltakere(
    client: FlaskClient, deps: Deps, bruker: Callable[..., str], org: Organisasjon
) -> None:
    """November is not over yet: the page says so and offers no way on."""
    deps.clock = lambda: IDAG
    logg_inn(client, bruker("admin"))
    standard(deps, org.id)
    side = client.get("/manedsavslutning?maned=2026-11")
    assert side.status_code == 200
    assert "Avslutt november 2026" in side.text
    assert "Ingen gjennomføringer har timer eller aktive deltakere" not in side.text
    assert "November 2026 er ikke slutt ennå" in side.text
    assert "Aktive deltakere uten registrerte timer i november 2026." in side.text
    assert "D-0017 Kari Nordmann" in side.text
    assert "15858545606" not in side.text


def test_a_nav_claim_is_made_sealed_and_linked_from_the_progress_page(
    regnskap: FlaskClient, deps: Deps, org: Organisasjon
) -> None:
    """A gjennomføring claimed in NAV's arrangørflate: the close makes the claim, the real
    package job seals its Timedokumentasjon, the progress page links the claim and the
    claim's page gives the PDF with the amount to type in whole kroner."""
    standard(deps, org.id, kravform="nav_refusjonskrav")
    skjema = {"csrf_token": token(regnskap, "/manedsavslutning"), "maned": "2026-10"}
    bekreft = regnskap.post("/manedsavslutning/bekreft", data=skjema)
    assert "Refusjonskrav i NAVs arrangørflate" in bekreft.text
    svar = regnskap.post("/manedsavslutning/avslutt", data=_skjulte(bekreft.text))
    assert svar.status_code == 302
    assert deps.jobs.wait_idle(180)
    with deps.sessions() as s:
        krav = s.scalars(select(Manedskrav)).one()
        assert (krav.art, krav.status, krav.faktura_id) == ("nav_refusjonskrav", "klar", None)
    fremdrift = regnskap.get(svar.headers["Location"])
    assert f'href="/krav/{krav.id}">Refusjonskrav til NAV</a>' in fremdrift.text
    side = regnskap.get(f"/krav/{krav.id}")
    assert side.status_code == 200
    pdf = regnskap.get(f"/krav/{krav.id}/pdf/1")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    tekst = " ".join(text(pdf.data).split())
    assert "Beløp å føre i NAVs skjema: 3 450 kr" in tekst.replace("\xa0", " ")
