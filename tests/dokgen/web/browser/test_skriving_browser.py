"""Writing a document in a real browser: the form in sections, rows added and removed
without a reload keeping the focus, and a kladd saved as one types; axe-core (WCAG 2.1
A/AA) with zero violations on each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.documents.models import parse_dokument
from dokgen.services import dokumenter
from dokgen.storage.db import Dokument, Organisasjon, Versjon
from tests.dokgen.register import aktor_for
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]
NY = "/dokumenter/ny/statusrapport"


def _kladder(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions() as s:
        return [(v.status, v.data) for v in s.scalars(select(Versjon).order_by(Versjon.id))]


def test_the_long_form_is_in_sections_with_a_list_of_them(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """The list of the form's parts leads to each part's heading."""
    _logg_inn(page, _brukere(live[1])["veileder"])
    page.goto(NY)
    nav = page.get_by_role("navigation", name="Deler av skjemaet")
    assert nav.get_by_role("link").count() >= 10
    _ren(page, axe)
    nav.get_by_role("link", name="Fravær").click()
    assert page.url.endswith("#g-fravaer")
    assert page.locator("#g-fravaer").is_visible()
    assert page.get_by_role("heading", name="Sted og dato").count() == 1


def test_rows_are_added_and_removed_without_a_reload_keeping_the_place(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """ "Legg til rad" puts a row in place with the focus in it, "Fjern rad" takes it out
    and leaves the focus beside it; the page is never reloaded, and what is saved has the
    rows the page shows."""
    _logg_inn(page, _brukere(live[1])["veileder"])
    page.goto(NY)
    page.evaluate("window.samme_side = true")
    page.locator("#f-fravaer-0-arsak").fill("Sykdom")
    page.get_by_role("button", name="Legg til rad i «Fravær»").click()
    assert page.locator('[name="_rows.fravaer"]').input_value() == "2"
    assert page.evaluate("document.activeElement.name") == "fravaer.1.dager"
    page.keyboard.type("2")
    page.locator("#f-fravaer-1-arsak").fill("Kurs")
    page.get_by_role("button", name="Legg til rad i «Fravær»").click()
    assert page.evaluate("document.activeElement.name") == "fravaer.2.dager"
    assert page.locator("#g-fravaer .rad > legend").all_inner_texts() == [
        "Rad 1", "Rad 2", "Rad 3"
    ]  # fmt: skip
    assert "Rad 3 er lagt til." in page.locator("#kladdstatus").inner_text()
    _ren(page, axe)
    page.get_by_role("button", name="Fjern rad 2 i «Fravær»").click()
    assert page.locator("#f-fravaer-1-arsak").count() == 0
    assert page.locator("#g-fravaer .rad > legend").all_inner_texts() == ["Rad 1", "Rad 2"]
    # The focus stays at the place: the remove button of the row before.
    assert page.evaluate("document.activeElement.textContent").startswith("Fjern rad 1")
    assert page.evaluate("window.samme_side") is True
    _ren(page, axe)
    page.locator("#f-fravaer-2-arsak").fill("Ferie")
    page.locator("#f-fravaer-2-dager").fill("1")
    page.locator("#f-fravaer-0-dager").fill("3")
    page.get_by_role("button", name="Lagre som kladd").click()
    page.wait_for_url(re.compile(r"/endre$"))
    [(status, data)] = _kladder(live[1])
    assert status == "kladd"
    assert data["fravaer"] == [
        {"dager": "3", "arsak": "Sykdom"}, {"dager": "1", "arsak": "Ferie"}
    ]  # fmt: skip
    _ren(page, axe)


def test_a_kladd_is_saved_as_one_types(page: Any, live: tuple[str, Flask], axe: Axe) -> None:
    """A few seconds after typing stops the form is saved as a kladd (the page says when),
    the address becomes the kladd's, and later typing saves over the same kladd."""
    _logg_inn(page, _brukere(live[1])["veileder"])
    page.goto(NY)
    page.get_by_label("Navn", exact=False).first.wait_for()
    page.locator("#f-deltaker-navn").fill("Kari Nord")
    status = page.locator("#kladdstatus")
    status.filter(has_text="Kladden er lagret").wait_for(timeout=20_000)
    page.wait_for_url(re.compile(r"/dokumenter/[0-9a-f-]{36}/endre$"))
    [(tilstand, data)] = _kladder(live[1])
    assert (tilstand, data["deltaker"]["navn"]) == ("kladd", "Kari Nord")
    _ren(page, axe)
    page.evaluate("document.getElementById('kladdstatus').textContent = ''")
    page.locator("#f-deltaker-navn").fill("Kari Nordmann")
    status.filter(has_text="Kladden er lagret").wait_for(timeout=20_000)
    [(tilstand, data)] = _kladder(live[1])
    assert data["deltaker"]["navn"] == "Kari Nordmann"
    deps: Deps = live[1].extensions["dokgen"]
    with deps.sessions() as s:
        assert s.scalar(select(Dokument.deltaker)) == "Kari Nordmann"
    page.reload()
    assert page.locator("#f-deltaker-navn").input_value() == "Kari Nordmann"
    assert page.get_by_role("heading", level=1).inner_text() == "Kladd: statusrapport"
    page.goto("/dokumenter")
    assert page.get_by_role("row", name=re.compile("Kari Nordmann")).inner_text().count("Kladd")
    _ren(page, axe)


def test_a_correction_is_saved_as_a_kladd_of_the_next_version_as_one_types(
    page: Any, live: tuple[str, Flask], axe: Axe, kontrakt: Any
) -> None:
    """On "Endre" of a document with a preview, typing saves the correction as a kladd of
    version 2 (the page says when), valid or not; version 1 stays as it was, and the
    document's page tells of the kladd."""
    navn = _brukere(live[1])["veileder"]
    deps: Deps = live[1].extensions["dokgen"]
    with deps.sessions() as s:
        org = s.scalars(select(Organisasjon)).one()
    dok = parse_dokument(kontrakt("statusrapport"), tillat_syntetiske=True)
    dokument_id = dokumenter.opprett(deps, aktor_for(deps, org, navn), dok).id
    assert deps.jobs.wait_idle(120)
    _logg_inn(page, navn)
    page.goto(f"/dokumenter/{dokument_id}/endre")
    assert page.get_by_role("heading", level=1).inner_text() == "Ny versjon av statusrapport"
    _ren(page, axe)
    page.locator("#f-sted").fill("")  # not valid: a kladd all the same
    page.locator("#f-status_og_progresjon").fill("Rettet etter samtale med NAV.")
    page.locator("#kladdstatus").filter(has_text="Kladden er lagret").wait_for(timeout=20_000)
    [(v1, data1), (v2, data2)] = _kladder(live[1])
    assert (v1, v2) == ("utkast", "kladd")
    assert data2["status_og_progresjon"] == "Rettet etter samtale med NAV."
    assert data2.get("sted") is None
    assert data1["sted"] == "Oslo"
    assert page.url.endswith(f"/dokumenter/{dokument_id}/endre")
    page.reload()
    assert page.locator("#f-status_og_progresjon").input_value() == "Rettet etter samtale med NAV."
    page.goto(f"/dokumenter/{dokument_id}")
    assert page.get_by_role("heading", name="Kladd til ny versjon").is_visible()
    assert page.get_by_role("link", name="Skriv videre på kladden til versjon 2").is_visible()
    _ren(page, axe)
