"""The invoice page, the credit note's confirm step and explained findings in a real
browser: keyboard and mouse, axe finds no WCAG 2.1 A/AA violation on any of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.services import fakturaer
from dokgen.storage.db import Faktura, Organisasjon
from tests.conftest import KONTRAKT
from tests.dokgen.conftest import ORGNR
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]
PERIODE = {"fra": "2026-10-01", "til": "2026-10-31", "deres_referanse": "ABC1234"}


def _faktura(deps: Deps, send: bool) -> Faktura:
    with deps.sessions() as s:
        org = s.query(Organisasjon).filter_by(orgnr=ORGNR).one()
    aktor = Aktor(org.id, "Test Regnskap", "regnskap")
    timeliste = (KONTRAKT / "timeliste.csv").read_bytes()
    rad = fakturaer.opprett(deps, aktor, fakturaer.fra_timeliste(timeliste, **PERIODE))
    assert deps.jobs.wait_idle(timeout=180)
    if send:
        fakturaer.send(deps, aktor, rad.id)
        assert deps.jobs.wait_idle(timeout=180)
    return fakturaer.hent(deps, aktor, rad.id, logg_lesing=False)


def test_the_credit_note_is_confirmed_before_it_is_made(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """Invoice page → nothing ticked: the error summary → a line and a reason → the confirm
    page lists what is credited → the credit note links back; every page passes axe."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    f = _faktura(deps, send=True)
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer$"))
    _ren(page, axe)
    page.goto(f"/fakturaer/{f.id}")
    page.locator("#status", has_text="Lagt i utboks – ikke sendt").wait_for()
    page.locator("summary", has_text="Aktiviteter for D-0017").click()
    assert page.get_by_role("cell", name="Reisetid til oppfølgingsmøte").count() >= 1
    _ren(page, axe)
    page.get_by_role("button", name="Se over kreditnotaen").click()
    page.get_by_role("alert").filter(has_text="ingen linjer er valgt").wait_for()
    assert "skriv hvorfor" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    linje = f.linjer[0]
    page.get_by_label(re.compile(rf"^Linje {linje['id']}:")).check()
    page.get_by_label("Begrunnelse").fill("Feil timetall for oktober")
    page.get_by_role("button", name="Se over kreditnotaen").click()
    page.get_by_role("heading", name=f"Se over kreditnotaen for faktura {f.nummer}").wait_for()
    assert page.get_by_role("row", name=re.compile(linje["deltaker_navn"])).count() == 1
    assert "Feil timetall for oktober" in page.content()
    _ren(page, axe)
    page.get_by_role("button", name=re.compile(r"^Lag kreditnota på")).click()
    page.wait_for_url(re.compile(r"/fakturaer/[0-9a-f-]+$"))
    page.get_by_role("heading", name=re.compile(r"^Kreditnota ")).wait_for()
    page.locator("#status", has_text="Validert").wait_for(timeout=180_000)
    assert page.get_by_role("link", name=f"faktura {f.nummer}").count() == 1
    _ren(page, axe)
    page.get_by_role("link", name=f"faktura {f.nummer}").click()
    assert page.get_by_label(re.compile(rf"^Linje {linje['id']}:")).is_disabled()
    assert page.get_by_text(re.compile(r"kreditert i kreditnota \d{4}-\d{4}")).count() == 1
    _ren(page, axe)


def test_findings_are_explained_with_details_on_demand(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """An invalid invoice: each finding in bokmål with what to do; the technical details
    open from the keyboard; the page passes axe closed and open."""
    navn = _brukere(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    f = _faktura(deps, send=False)
    sted = "/*:Invoice[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2']"
    funn = [
        {"rule": r, "flag": flagg, "message": f"[{r}]-{tekst}", "location": sted, "pack": "p"}
        for r, flagg, tekst in (
            ("BR-CO-25", "fatal", "Due date."),
            ("NO-R-002", "warning", "Foretaksregisteret."),
            ("BR-DE-99", "fatal", "Unknown rule text."),
        )
    ]
    rapport = {
        "ok": False,
        "rulepack": "3.0.21",
        "document_type": "380",
        "note": "",
        "findings": funn,
    }
    with deps.sessions.begin() as s:
        s.execute(
            update(Faktura).where(Faktura.id == f.id).values(rapport=rapport, status="ugyldig")
        )
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer$"))
    page.goto(f"/fakturaer/{f.id}")
    tabell = page.locator("#funn")
    assert "forfallsdato" in tabell.inner_text()
    assert not page.get_by_text("namespace-uri()").first.is_visible()
    _ren(page, axe)
    page.locator("#funn summary").first.focus()
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"namespace-uri\(\)")).first.wait_for()
    _ren(page, axe)
