"""The password pages in a real browser with the keyboard where it matters, axe-core
(WCAG 2.1 A/AA) on each with zero violations and no CSP violation: the change page (with
errors, and forced after an admin's reset), the one-time password page, the users page with
e-mail configured, and the set-password link's page (valid, with errors, spent)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.services import passord as passord_service
from dokgen.storage.db import Bruker, now
from tests.dokgen.conftest import PASSORD
from tests.dokgen.web.browser.conftest import serve
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _logg_ut, _ren
from tests.dokgen.web.smtp_server import ledig_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]
NYTT = "blå-fjord-ved-kveld-7"


@pytest.fixture
def live(make_app: Callable[..., Flask]) -> Iterator[tuple[str, Flask]]:
    """The app with e-mail configured (nothing is sent in these tests: the port is free)."""
    yield from serve(
        make_app(smtp_vert="127.0.0.1", smtp_port=ledig_port(), smtp_avsender="d@eksempel.no")
    )


def _skriv_inn(page: Any, brukernavn: str, passord: str) -> None:
    """Log in with the keyboard only, wherever the login leads."""
    _logg_inn(page, brukernavn, passord, til=lambda url: "/logg-inn" not in url)


def test_change_and_reset_pages_pass_axe(page: Any, live: tuple[str, Flask], axe: Axe) -> None:
    """A user changes the password from the header; an admin makes a one-time password for
    another, who is then led to the change page before anything else."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    with deps.sessions.begin() as s:
        leser = s.scalars(select(Bruker).where(Bruker.brukernavn == navn["leser"])).one()
        leser.epost = "leser@eksempel.no"
    _skriv_inn(page, navn["regnskap"], PASSORD)
    page.get_by_role("link", name="Endre passord").click()
    assert page.locator("h1").inner_text() == "Endre passord"
    _ren(page, axe)
    page.get_by_label("Nåværende passord").fill("feil-passord-123")
    page.get_by_label("Nytt passord", exact=True).fill("kort")
    page.get_by_label("Gjenta nytt passord").fill("kort")
    page.get_by_role("button", name="Endre passord").click()
    oppsummering = page.get_by_role("alert").inner_text()
    assert "Nåværende passord: er feil" in oppsummering
    assert "Nytt passord: må ha minst 12 tegn" in oppsummering
    _ren(page, axe)
    page.get_by_label("Nåværende passord").fill(PASSORD)
    page.get_by_label("Nytt passord", exact=True).fill(NYTT)
    page.get_by_label("Gjenta nytt passord").fill(NYTT)
    page.get_by_role("button", name="Endre passord").click()
    assert "Passordet er endret." in page.get_by_role("status").first.inner_text()
    _logg_ut(page)

    _skriv_inn(page, navn["admin"], PASSORD)
    page.goto("/admin/brukere")
    assert page.get_by_role("button", name=f"Send lenke for nytt passord til {navn['leser']}")
    assert page.get_by_label("Send brukeren en lenke på e-post for å velge selv").count() == 1
    _ren(page, axe)
    page.get_by_role("button", name=f"Lag engangspassord for {navn['veileder']}").click()
    engangs = page.get_by_label(f"Engangspassord for {navn['veileder']}").input_value()
    assert re.fullmatch(r"[a-z2-9]{5}(-[a-z2-9]{5}){3}", engangs)
    _ren(page, axe)
    _logg_ut(page)

    _skriv_inn(page, navn["veileder"], engangs)
    page.wait_for_url(re.compile(r"/passord$"))
    assert "Du må velge et nytt passord" in page.get_by_role("status").first.inner_text()
    _ren(page, axe)
    page.get_by_label("Nåværende passord").fill(engangs)
    page.get_by_label("Nytt passord", exact=True).fill(NYTT)
    page.get_by_label("Gjenta nytt passord").fill(NYTT)
    page.get_by_role("button", name="Endre passord").click()
    page.wait_for_url(re.compile(r"/dokumenter"))
    _ren(page, axe)


def test_the_link_page_passes_axe_and_works_once(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """The link's page greets the user, shows its errors, sets the password once, and then
    says the link no longer works."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    with deps.sessions.begin() as s:
        leser = s.scalars(select(Bruker).where(Bruker.brukernavn == navn["leser"])).one()
        token = passord_service.lag_lenke(s, Aktor(leser.org_id, "Test", "admin"), leser, now())
    page.goto(f"/passord/ny?lenke={token}")
    assert navn["leser"] in page.locator("main").inner_text()
    _ren(page, axe)
    page.get_by_label("Nytt passord", exact=True).fill(NYTT)
    page.get_by_label("Gjenta nytt passord").fill("noe-helt-annet-1")
    page.get_by_role("button", name="Lagre passordet").click()
    assert "er ikke likt det nye passordet" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Nytt passord", exact=True).fill(NYTT)
    page.get_by_label("Gjenta nytt passord").fill(NYTT)
    page.get_by_role("button", name="Lagre passordet").click()
    page.wait_for_url(re.compile(r"/logg-inn"))
    assert "Passordet er satt." in page.get_by_role("status").first.inner_text()
    _ren(page, axe)
    page.goto(f"/passord/ny?lenke={token}")
    assert page.locator("h1").inner_text() == "Lenken virker ikke"
    _ren(page, axe)
    _skriv_inn(page, navn["leser"], NYTT)
    page.wait_for_url(re.compile(r"/dokumenter"))
