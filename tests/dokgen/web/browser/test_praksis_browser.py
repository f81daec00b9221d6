"""The praksisplass pages in a real browser with axe-core (WCAG 2.1 A/AA), walked with the
keyboard only: the menu entry, the free places with the kinds' definitions and a filter,
the placements by status, the arbeidsgivere, an arbeidsgiver's page, and a new praksisplass
posted first with an error and then right."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.storage.db import Organisasjon, Praksisplass
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.test_sider_praksis import lag_praksis

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _tab_til(page: Any, test: str, grense: int = 200) -> None:
    """Press Tab until the focused element matches ``test`` (a JavaScript expression on
    ``e``, the focused element)."""
    for _ in range(grense):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {test}; }})()"):
            return
    raise AssertionError(f"Tab never reached {test}")


def _lenke(page: Any, tekst: str) -> None:
    """Tab to the link or button whose text starts with ``tekst`` and press Enter."""
    _tab_til(page, f"(e.innerText || '').trim().startsWith({tekst!r})")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def _felt(page: Any, felt_id: str) -> None:
    _tab_til(page, f"e.id === {felt_id!r}")


def test_a_veileder_walks_the_praksis_pages_with_the_keyboard(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    app = live[1]
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    with deps.sessions() as s:
        org = s.query(Organisasjon).one()
    praksis = lag_praksis(deps, org, navn)
    _logg_inn(page, navn["veileder"])

    _lenke(page, "Praksisplasser")
    page.wait_for_url(re.compile(r"/praksis$"))
    assert page.locator("h1").inner_text() == "Praksisplasser"
    _ren(page, axe)
    _lenke(page, "Hva betyr typene")  # Enter on the summary opens the definitions
    assert page.locator("details.forklaring").get_attribute("open") is not None
    assert "definert yrkesmål" in page.locator("details.forklaring").inner_text()
    _ren(page, axe)

    _felt(page, "sok-ledig")
    page.keyboard.press("Space")
    _lenke(page, "Søk")
    page.wait_for_url(re.compile(r"ledig=ja"))
    tabell = page.get_by_role("table", name=re.compile("^Praksisplasser, sortert"))
    assert tabell.get_by_role("row").count() == 1 + 2  # the header and the two free places
    _ren(page, axe)

    _lenke(page, "Plasseringer etter status")
    page.wait_for_url(re.compile(r"/praksis/plasseringer$"))
    antall = page.get_by_role("table", name=re.compile("^Antall plasseringer"))
    assert antall.get_by_role("row").nth(1).inner_text().split("\t")[:2] == ["Ny", "1"]
    _ren(page, axe)

    _lenke(page, "Arbeidsgivere")
    page.wait_for_url(re.compile(r"/praksis/arbeidsgivere$"))
    _ren(page, axe)
    _lenke(page, "Gjesdal Bakeri AS")
    page.wait_for_url(re.compile(rf"/praksis/arbeidsgivere/{praksis.bakeri}$"))
    assert "Kari Nordmann" in page.get_by_role("table", name=re.compile("^Nåværende")).inner_text()
    _ren(page, axe)

    _lenke(page, "Ny praksisplass her")
    page.wait_for_url(re.compile(r"/praksis/plasser/ny"))
    _ren(page, axe)
    _felt(page, "f-avdeling")
    page.keyboard.type("Lager")
    page.keyboard.press("Enter")  # no kind chosen: the form again with its error
    page.wait_for_load_state()
    oppsummering = page.get_by_role("alert")
    assert "Type praksisplass: mangler" in oppsummering.inner_text()
    _ren(page, axe)
    _felt(page, "f-art-aktivitetsplass")
    page.keyboard.press("Space")
    _felt(page, "f-kapasitet")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    _lenke(page, "Lagre praksisplassen")
    page.wait_for_url(re.compile(rf"/praksis/arbeidsgivere/{praksis.bakeri}$"))
    assert "er registrert" in page.get_by_role("status").inner_text()
    _ren(page, axe)
    with deps.sessions() as s:
        lager = s.scalar(select(Praksisplass).where(Praksisplass.avdeling == "Lager"))
        assert lager is not None
        assert (lager.art, lager.kapasitet, lager.arbeidsgiver_id) == (
            "aktivitetsplass",
            2,
            praksis.bakeri,
        )

    for url in ("/praksis/arbeidsgivere/ny", "/praksis/plasseringer/ny"):
        page.goto(url)
        assert page.locator("h1").inner_text() in ("Ny arbeidsgiver", "Ny plassering")
        _ren(page, axe)
