"""The month's close pages in a real browser with axe-core (WCAG 2.1 A/AA): the checks page
with findings and a correction's fields, the confirm step and the progress page that waits
for the invoice with its script."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from tests.dokgen.services.maned_hjelp import IDAG, lag_deltaker, standard
from tests.dokgen.services.maned_hjelp import fnr as syntetisk_fnr
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def test_regnskap_closes_october_in_the_browser(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """The checks page (a warning naming a deltaker) passes axe; confirm → "Avslutt oktober
    2026" → the progress page reloads itself until the invoice is ready; the month then
    asks for a correction, and that page passes axe too."""
    deps: Deps = live[1].extensions["dokgen"]
    deps.clock = lambda: IDAG
    navn = _brukere(live[1])
    org = org_av(live[1])
    gid, _, _ = standard(deps, org.id)
    lag_deltaker(deps, org.id, gid, "D-0030", fnr=syntetisk_fnr(30), fornavn="Uten",
                        etternavn="Timer")  # fmt: skip
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer"))
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Månedsavslutning"
    ).click()
    page.wait_for_url(re.compile(r"/manedsavslutning"))
    assert page.locator("h1").inner_text() == "Avslutt oktober 2026"
    assert "D-0030 Uten Timer" in page.locator("main").inner_text()
    _ren(page, axe)

    page.get_by_role("button", name="Gå videre til bekreftelse").click()
    assert page.locator("h1").inner_text() == "Bekreft: avslutt oktober 2026"
    _ren(page, axe)
    page.get_by_role("button", name="Avslutt oktober 2026").click()
    page.wait_for_url(re.compile(r"/manedsavslutning/fremdrift"))
    page.get_by_text("Alt er ferdig laget.").wait_for(timeout=120_000)
    assert page.get_by_role("link", name="Faktura 2026-0001").is_visible()
    _ren(page, axe)

    page.goto("/manedsavslutning?maned=2026-10")
    page.get_by_label("Krev oktober 2026 på nytt for denne gjennomføringen, som korreksjon").check()
    page.get_by_label("Begrunnelse for korreksjonen").fill("Timer manglet")
    _ren(page, axe)
