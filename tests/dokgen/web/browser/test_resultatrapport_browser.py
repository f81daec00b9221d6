"""The resultatrapport page in a real browser with axe-core (WCAG 2.1 A/AA): reached from the
gjennomføring's page, a month picked with the keyboard, its numbers and mapping, the
spreadsheet downloaded and read back; and the leser's way from the frist list."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from dokgen.bootstrap import Deps
from tests.dokgen.services.resultat_hjelp import AKTIVE, MANED, seed
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def test_the_resultatrapport_page_passes_axe_and_downloads_the_month(
    page: Any, live: tuple[str, Flask], axe: Axe, tmp_path: Any
) -> None:
    app = live[1]
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    gid = seed(deps, org_av(app).id)
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer"))
    page.goto(f"/gjennomforinger/{gid}")
    page.get_by_role("link", name="Se resultatrapporten").click()
    page.wait_for_url(re.compile(rf"/gjennomforinger/{gid}/resultatrapport$"))
    assert page.locator("h1").inner_text() == "Resultatrapport"
    _ren(page, axe)
    page.get_by_label("Måned").select_option(MANED)
    page.get_by_label("Måned").press("Tab")
    page.keyboard.press("Enter")  # «Vis måneden»
    page.wait_for_url(re.compile(rf"maned={MANED}"))
    tall = page.get_by_role("table", name=re.compile("Deltakere i oktober 2026"))
    assert re.search(rf"Antall aktive deltakere i tiltaket\s+{AKTIVE}", tall.inner_text())
    status = page.get_by_role("table", name="Status på arbeidsmarkedet ved avslutning av tiltaket")
    assert re.search(r"Arbeid\s+2", status.inner_text())
    assert re.search(r"Delvis arbeid\s+Arbeid", page.locator("#kartlegging").inner_text())
    _ren(page, axe)
    with page.expect_download() as nedlasting:
        page.get_by_role("link", name=re.compile("Last ned regneark")).click()
    fil = tmp_path / "rapport.xlsx"
    nedlasting.value.save_as(fil)
    assert load_workbook(fil)["Resultatrapport"]["D2"].value == AKTIVE


def test_a_leser_finds_the_report_from_the_frister(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    app = live[1]
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    gid = seed(deps, org_av(app).id)
    _logg_inn(page, navn["leser"])
    page.goto(f"/frister?type=resultatrapport&gjennomforing={gid}&fra=01.11.2026&til=30.11.2026")
    _ren(page, axe)
    page.get_by_role("link", name=re.compile("Lag resultatrapport for oktober 2026")).click()
    page.wait_for_url(re.compile(rf"/gjennomforinger/{gid}/resultatrapport\?maned={MANED}$"))
    assert "oktober 2026" in page.locator("h2").first.inner_text().lower()
    _ren(page, axe)
