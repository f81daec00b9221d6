"""The placement's page in a real browser with axe-core (WCAG 2.1 A/AA), with the keyboard
only: the oppstartsmøte refused on its field then recorded, the status moved to «Startet»,
an absence registered, and its deletion confirmed on its own page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import praksisplasser
from tests.dokgen.register import aktor_for
from tests.dokgen.services.praksis_hjelp import arbeidsgiver, plass
from tests.dokgen.web.browser.test_sider_browser import _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import _register, org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _plassering(app: Flask) -> dict[str, Any]:
    """Kari placed in an arbeidstrening on 1 April 2026 (the day judged: 5 June)."""
    r = _register(app)
    deps: Deps = app.extensions["dokgen"]
    v = aktor_for(deps, org_av(app), r["veileder"])
    p = plass(deps, v, arbeidsgiver(deps, v)["id"])
    data = {"praksisplass_id": p["id"], "deltaker_id": r["kari"], "dato": "2026-04-01"}
    return r | {"pid": praksisplasser.opprett_plassering(deps, v, les(PlasseringInn, data))["id"]}


def _skriv(page: Any, etikett: str, tekst: str) -> None:
    felt = page.get_by_label(etikett, exact=True)
    felt.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(tekst)


def test_the_placement_is_followed_up_with_the_keyboard_and_passes_axe(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    r = _plassering(live[1])
    _logg_inn(page, r["veileder"])
    side = f"/praksis/plasseringer/{r['pid']}"
    page.goto(side)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Plassering")
    _ren(page, axe)

    # The meeting without the leder: refused on its field, the summary links to it.
    _skriv(page, "Dato for møtet", "02.04.2026")
    _skriv(page, "Leder hos arbeidsgiver", "")
    _skriv(page, "Målsetting med praksisplassen", "Komme i jobb i butikk")
    _skriv(page, "Yrkesmål (må fylles ut)", "Butikkmedarbeider")
    page.get_by_role("button", name="Lagre oppstartsmøtet").focus()
    page.keyboard.press("Enter")
    feil = page.get_by_role("alert")
    assert "legg til leder hos arbeidsgiver blant dem som møtte" in feil.inner_text()
    _ren(page, axe)

    _skriv(page, "Leder hos arbeidsgiver", "Eva Leder")
    page.get_by_role("button", name="Lagre oppstartsmøtet").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#oppstartsmote$"))
    assert "Oppstartsmøtet 02.04.2026 er lagret." in page.content()
    _ren(page, axe)

    page.get_by_label("Startet", exact=True).focus()
    page.keyboard.press("Space")
    _skriv(page, "Dato", "06.04.2026")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#status$"))
    assert "Statusen er endret til «Startet»." in page.content()
    _ren(page, axe)

    _skriv(page, "Fra dato", "04.05.2026")
    page.get_by_label("Årsak", exact=True).focus()
    page.get_by_label("Årsak", exact=True).select_option(label="Sykdom")
    _skriv(page, "Meldt av", "Eva Leder")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#fravaer$"))
    tabell = page.get_by_role("table", name="Fravær arbeidsgiver har meldt, etter dato")
    assert tabell.get_by_role("row").nth(1).inner_text().split("\t")[:3] == [
        "04.05.2026", "Sykdom", "Eva Leder",
    ]  # fmt: skip
    _ren(page, axe)

    page.get_by_role("link", name="Slett fraværet 04.05.2026").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/slett$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Slette fraværet 04.05.2026?"
    _ren(page, axe)
    page.get_by_role("button", name="Slett fraværet").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#fravaer$"))
    assert "Fraværet er slettet." in page.content()
    assert "Ingen fravær registrert." in page.content()
    _ren(page, axe)
