"""A gjennomføring's "Fakturering og krav" section in a real browser with axe-core (WCAG 2.1
A/AA): regnskap sees what a claim lacks, adds a timepris row with the script, is shown its
errors, saves, and the page says it is ready; the settings page without the access point."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import gjennomforinger
from dokgen.storage.db import Organisasjon
from tests.dokgen.register import aktor_for, kontrakt
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _gjennomforing(app: Flask) -> tuple[dict[str, str], int]:
    """Add the users and a gjennomføring with no timepris and no buyer."""
    deps: Deps = app.extensions["dokgen"]
    deps.clock = lambda: datetime(2026, 10, 5, 9, tzinfo=UTC)
    navn = _brukere(app)
    with deps.sessions() as s:
        org = s.query(Organisasjon).one()
    data = kontrakt("gjennomforing.json") | {"timepris": None, "kjoper": None}
    admin = aktor_for(deps, org, navn["admin"])
    ny = gjennomforinger.opprett(deps, admin, les(GjennomforingInn, data))
    return navn, int(ny["id"])


def test_regnskap_fills_the_invoicing_section_in_the_browser(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    navn, gid = _gjennomforing(live[1])
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer"))
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Gjennomføringer", exact=True
    ).click()
    page.get_by_role("link", name="Jobbmestrende oppfølging Oslo 2026").click()
    page.wait_for_url(re.compile(rf"/gjennomforinger/{gid}$"))
    mangler = page.locator("#mangler li").all_inner_texts()
    assert mangler[:2] == [
        "Timepris: fyll inn en timepris som gjelder 05.10.2026",
        "Kjøper: fyll inn kjøperens navn og organisasjonsnummer",
    ]
    _ren(page, axe)
    page.get_by_role("link", name="Timepris: fyll inn en timepris som gjelder 05.10.2026").click()
    assert page.evaluate("location.hash") == "#g-timepriser"

    page.get_by_label("EHF-faktura").check()
    page.locator("#f-kjoper-navn").fill("NAV Tiltak Oslo")
    page.get_by_label("Kjøpers organisasjonsnummer").fill("889640782")
    rader = page.locator("#g-timepriser fieldset.rad")
    rader.nth(0).get_by_label("Gjelder fra").fill("01.01.2026")
    rader.nth(0).get_by_label("Gjelder til og med").fill("30.06.2026")
    rader.nth(0).get_by_label("Timepris (kr)").fill("1150,00")
    page.get_by_role("button", name="Legg til rad i «Timepris med gyldighet»").click()
    assert rader.count() == 2
    # The script added the row in place and put the focus in it.
    assert page.evaluate("document.activeElement.name") == "timepriser.1.fra"
    rader.nth(1).get_by_label("Gjelder fra").fill("15.06.2026")  # overlaps row 1
    rader.nth(1).get_by_label("Timepris (kr)").fill("1200,00")
    page.get_by_role("button", name="Lagre fakturering og krav").click()
    page.wait_for_load_state()
    oppsummering = page.get_by_role("alert").inner_text()
    assert "rad 2 overlapper rad 1: en dag kan bare ha én timepris, endre datoene" in oppsummering
    _ren(page, axe)  # the section with its errors

    rader.nth(1).get_by_label("Gjelder fra").fill("01.07.2026")
    page.get_by_role("button", name="Lagre fakturering og krav").click()
    page.wait_for_url(re.compile(rf"/gjennomforinger/{gid}#fakturering$"))
    assert page.get_by_role("status").first.inner_text() == "Fakturering og krav er lagret."
    # The test organisation's seller is complete: only the buyer's address is left.
    assert page.locator("#mangler li").all_inner_texts() == [
        "Gateadresse eller postboks (kjøper): fyll inn",
        "Postnummer (kjøper): fyll inn",
        "Poststed (kjøper): fyll inn",
    ]
    _ren(page, axe)

    page.goto("/admin/innstillinger")
    assert page.locator("h1").inner_text() == "Innstillinger"
    assert page.locator("input[name=aksesspunkt_token]").count() == 0
    assert page.get_by_label("KID").count() == 1
    _ren(page, axe)
