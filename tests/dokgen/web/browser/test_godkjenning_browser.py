"""An approval link's public pages in a real browser, with axe-core (WCAG 2.1 A/AA) on each
with zero violations and no CSP violation: the code step (with an error), the document and
the choice (with an error), the receipt, a spent link; and the veileder's document page
with the link form and a decline shown."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.services import dokumenter, godkjenningslenker
from dokgen.services.brukere import aktor_for_bruker
from dokgen.storage.db import Bruker
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.browser.conftest import serve
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.smtp_server import SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]
_KODE = re.compile(r"^(\d{6})\r?$", re.MULTILINE)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def live(make_app: Callable[..., Flask], smtp: SmtpServer) -> Iterator[tuple[str, Flask]]:
    """The app with e-mail through the test's SMTP server."""
    yield from serve(
        make_app(
            smtp_vert="127.0.0.1",
            smtp_port=smtp.port,
            smtp_avsender="d@eksempel.no",
            smtp_starttls=False,
        )
    )


def _kode(smtp: SmtpServer, antall: int) -> str:
    _, melding = smtp.postkasse.vent(antall)[antall - 1]
    match = _KODE.search(melding.get_content())
    assert match, melding.get_content()
    return match.group(1)


def test_the_link_pages_pass_axe(
    page: Any, live: tuple[str, Flask], axe: Axe, smtp: SmtpServer, kontrakt: Any
) -> None:
    """Lise opens her link, asks for a code, types a wrong one and then the right one,
    tries to decline without a reason, and approves; the spent link says it no longer works."""
    base, app = live
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    with deps.sessions() as s:
        rad = s.scalars(select(Bruker).where(Bruker.brukernavn == navn["veileder"])).one()
        aktor = aktor_for_bruker(rad, fra=None, foresporsel=None)
    dok = dokumenter.opprett(
        deps, aktor, parse_dokument(kontrakt("arbeidspraksisavtale"), tillat_syntetiske=True)
    )
    assert deps.jobs.wait_idle(120)
    data = {"part": "arbeidsgiver", "navn": "Lise Berg", "epost": "lise@firma.no"}
    ny = godkjenningslenker.send(
        deps, aktor, dok.id, data, lambda t: f"{base}/godkjenning?lenke={t}", send_epost=False
    )

    page.goto(ny.adresse)
    assert page.locator("h1").inner_text() == "Godkjenn arbeidspraksisavtale"
    _ren(page, axe)
    page.get_by_role("button", name="Send meg en kode").click()
    assert "Koden er sendt til l***@firma.no" in page.get_by_role("status").inner_text()
    _ren(page, axe)
    kode = _kode(smtp, 1)
    page.get_by_label("Engangskode").fill("000000" if kode != "000000" else "111111")
    page.get_by_role("button", name="Bekreft koden").click()
    assert "Koden stemmer ikke" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Engangskode").fill(kode)
    page.get_by_role("button", name="Bekreft koden").click()
    page.get_by_role("link", name="Åpne dokumentet (PDF, versjon 1)").wait_for()
    _ren(page, axe)
    page.get_by_role("button", name="Ikke godkjenn").click()
    assert "Skriv hvorfor du ikke godkjenner" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_role("button", name="Godkjenn dokumentet").click()
    assert page.locator("h1").inner_text() == "Godkjent"
    _ren(page, axe)
    page.goto(ny.adresse)
    assert page.locator("h1").inner_text() == "Lenken virker ikke"
    _ren(page, axe)

    # The veileder's page: the approval said how it was given, the form for the others.
    _logg_inn(page, navn["veileder"], PASSORD, til=lambda url: "/logg-inn" not in url)
    page.goto(f"/dokumenter/{dok.id}")
    assert "med e-postlenke og engangskode" in page.locator("main").inner_text()
    page.get_by_role("button", name="Send godkjenningslenke").click()
    assert "velg en av partene" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
