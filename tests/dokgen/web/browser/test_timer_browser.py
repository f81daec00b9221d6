"""The Timer pages in a real browser with axe-core (WCAG 2.1 A/AA): the week view empty,
with an error on a cell and saved; and the deltaker page's Timer section with the
adjustment in words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.dokgen.web.browser.test_sider_browser import _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import _register

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def test_the_week_view_is_filled_and_saved_with_the_keyboard_and_passes_axe(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """Week 23 of 2026 (judged on Friday 5 June): Kari's row; a minute count on Saturday is
    refused on its cell with nothing stored; on Monday it is saved and shown in words."""
    r = _register(live[1])
    _logg_inn(page, r["veileder"])
    page.goto("/timer/uke?uke=2026-W23")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Timer uke 23")
    _ren(page, axe)

    page.get_by_label("Aktivitet", exact=True).select_option(
        label="Oppfølging på video eller telefon"
    )
    page.get_by_label("Minutter for Kari Nordmann 06.06.2026").fill("30")
    page.get_by_role("button", name="Lagre uken").click()
    feil = page.get_by_role("alert")
    assert "fram i tid" in feil.inner_text()
    assert (
        page.get_by_label("Minutter for Kari Nordmann 06.06.2026").get_attribute("aria-invalid")
        == "true"
    )
    _ren(page, axe)

    page.get_by_label("Minutter for Kari Nordmann 06.06.2026").fill("")
    page.get_by_label("Minutter for Kari Nordmann 01.06.2026").fill("30")
    page.get_by_label("Minutter for Kari Nordmann 01.06.2026").press("Enter")
    page.wait_for_url(re.compile(r"/timer/uke\?uke=2026-W23$"))
    assert "Oppfølging på video eller telefon: 30 min" in page.content()
    _ren(page, axe)

    page.goto(f"/deltakere/{r['kari']}?maned=2026-06#timer")
    rad = page.get_by_role("table", name="Registrerte aktiviteter i juni 2026, etter dato")
    assert rad.get_by_role("row").nth(1).inner_text().split("\t")[:5] == [
        "01.06.2026", "Oppfølging på video eller telefon", "30", "0,50", "—",
    ]  # fmt: skip
    _ren(page, axe)
