"""OIDC login in a real browser: the login page with the provider's link passes axe, and the
link, reached and pressed with the keyboard, logs in through the fake provider on 127.0.0.1;
Logg ut then ends the session at the provider too (its CSP lets the form lead there)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.services import brukere
from tests.dokgen.conftest import ORGNR, PASSORD, org_innstillinger
from tests.dokgen.web.browser.conftest import serve
from tests.dokgen.web.oidc_tilbyder import KLIENT_HEMMELIGHET, KLIENT_ID, Tilbyder, kjor

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def tilbyder() -> Iterator[Tilbyder]:
    """Run the fake provider; it vouches for Kari Nordmann."""
    with kjor(Tilbyder(person={"preferred_username": "kari.nordmann@eksempel.no"})) as t:
        yield t


@pytest.fixture
def live(make_app: Callable[..., Flask], tilbyder: Tilbyder) -> Iterator[tuple[str, Flask]]:
    """Serve an app with OIDC login against the fake provider, both on 127.0.0.1."""
    yield from serve(
        make_app(
            oidc_utsteder=tilbyder.utsteder,
            oidc_klient_id=KLIENT_ID,
            oidc_klient_hemmelighet=KLIENT_HEMMELIGHET,
        )
    )


def _kari(live: tuple[str, Flask], brukernavn: str) -> None:
    """Make the organisation and Kari, a leser with this user name."""
    deps: Deps = live[1].extensions["dokgen"]
    with deps.sessions.begin() as s:
        org = brukere.opprett_org(s, ORGNR, "Eksempel AS", org_innstillinger())
        brukere.opprett_bruker(s, org, brukernavn, "Kari Nordmann", "leser", PASSORD)


def test_oidc_link_logs_in_with_the_keyboard(
    page: Any, live: tuple[str, Flask], axe: Callable[[Any], list[dict[str, Any]]]
) -> None:
    """Tab from the password past the button to the link, Enter: logged in as Kari."""
    _kari(live, "Kari.Nordmann@eksempel.no")
    page.goto("/logg-inn")
    lenke = page.get_by_role("link", name="Logg inn med Microsoft")
    assert lenke.is_visible()
    assert axe(page) == []
    page.get_by_label("Passord").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Logg inn med Microsoft"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dokumenter"))
    assert "Kari Nordmann" in page.locator("body").inner_text()
    assert page.csp_brudd == []


def test_logg_ut_ends_the_session_at_the_provider_too(
    page: Any, live: tuple[str, Flask], tilbyder: Tilbyder
) -> None:
    """After an OIDC login, Logg ut goes by the provider's end-session endpoint and back to
    dokgen's login page; the browser allows it (no CSP violation) and dokgen asks for a
    login again."""
    _kari(live, "kari.nordmann@eksempel.no")
    page.goto("/logg-inn")
    page.get_by_role("link", name="Logg inn med Microsoft").click()
    page.wait_for_url(re.compile(r"/dokumenter"))
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{live[0]}/logg-inn")
    assert [u["client_id"] for u in tilbyder.utlogginger] == [KLIENT_ID]
    assert page.get_by_role("link", name="Logg inn med Microsoft").is_visible()
    page.goto("/dokumenter")
    page.wait_for_url(re.compile(r"/logg-inn\?neste="))
    assert page.csp_brudd == []
