"""The register's pages in a real browser with axe-core (WCAG 2.1 A/AA): the start page
with the user's frister, the Deltakere list, a deltaker's page, the import preview, the
Frister page and the calendar address; and a keyboard-only walk from a frist's start
button to the prefilled document form."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.documents.models import eksempel, parse_dokument
from dokgen.oppfolging.modeller import DeltakerInn, GjennomforingInn, les
from dokgen.services import deltakere, dokumenter, gjennomforinger
from dokgen.storage.db import Organisasjon
from tests.dokgen.register import FNR_JON, aktor_for, kontrakt
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _logg_ut, _ren
from tests.dokgen.web.test_sider_deltakere import CSV_LIM, DAG

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _register(app: Flask) -> dict[str, Any]:
    """Add users, a gjennomføring, Kari (followed by the veileder) and Jon (protected);
    judge the frister on 5 June 2026. Return the user names and the deltakere's ids."""
    deps: Deps = app.extensions["dokgen"]
    deps.clock = lambda: DAG
    navn = _brukere(app)
    with deps.sessions() as s:
        org = s.query(Organisasjon).one()
    admin = aktor_for(deps, org, navn["admin"])
    inn = les(GjennomforingInn, kontrakt("gjennomforing.json"))
    gid = int(gjennomforinger.opprett(deps, admin, inn)["id"])
    kari = kontrakt("deltaker.json") | {"gjennomforing_id": gid}
    kari["veiledere_arrangor"] = [{"brukernavn": navn["veileder"], "type": "veileder"}]
    jon = kari | {
        "nr": "D-0018", "fornavn": "Jon", "etternavn": "Beskyttet", "fodselsnummer": FNR_JON,
        "adressebeskyttet": True, "adresse": None, "veiledere_arrangor": [],
    }  # fmt: skip
    ider = [
        deltakere.opprett(deps, admin, les(DeltakerInn, d, tillat_syntetiske=True))["id"]
        for d in (kari, jon)
    ]
    return {**navn, "kari": ider[0], "jon": ider[1], "gjennomforing": gid}


def org_av(app: Flask) -> Organisasjon:
    """Return the live app's organisation."""
    deps: Deps = app.extensions["dokgen"]
    with deps.sessions() as s:
        return s.query(Organisasjon).one()


def _tab_til(page: Any, tekst: str, grense: int = 80) -> None:
    """Press Tab until the focused element's text starts with ``tekst``."""
    for _ in range(grense):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText || ''").startswith(tekst):
            return
    raise AssertionError(f"Tab never reached «{tekst}»")


def test_a_veileder_tabs_from_a_frist_to_its_prefilled_form(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """The start page lists my frister, overdue first; Tab to the first one's start button
    and Enter opens the plan form filled from Kari, stored as hers."""
    r = _register(live[1])
    _logg_inn(page, r["veileder"])
    tabell = page.get_by_role("table", name="Mine frister, de som har gått ut først")
    assert tabell.get_by_role("row").nth(1).inner_text().split("\t")[:4] == [
        "D-0017 Kari Nordmann", "Plan for tiltaket", "23.03.2026", "Forfalt",
    ]  # fmt: skip
    _ren(page, axe)
    _tab_til(page, "Start plan for tiltaket")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/dokumenter/ny/plan\?deltaker={r['kari']}$"))
    assert page.locator("h1").inner_text() == "Ny plan for tiltaket"
    verdier = page.eval_on_selector_all("input[type=text]", "es => es.map(e => e.value)")
    assert "Kari Nordmann" in verdier
    _ren(page, axe)


def test_the_deltakere_list_and_a_deltakers_page_pass_axe_with_errors_shown(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    r = _register(live[1])
    _logg_inn(page, r["veileder"])
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Deltakere").click()
    page.wait_for_url(re.compile(r"/deltakere$"))
    assert page.get_by_role("row").nth(1).inner_text().startswith("Nordmann, Kari\tD-0017")
    assert "Beskyttet" not in page.locator("main").inner_text()
    _ren(page, axe)
    page.get_by_role("link", name=re.compile(r"^Status")).click()
    page.wait_for_url(re.compile(r"sorter=status"))
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Status")
    _ren(page, axe)
    page.get_by_label("Navn eller nr.").fill("ingen slik")
    page.get_by_role("button", name="Søk").click()
    page.get_by_text("Ingen deltakere passer med søket.").wait_for()
    _ren(page, axe)

    page.goto(f"/deltakere/{r['kari']}")
    assert page.locator("h1").inner_text() == "Kari Nordmann (D-0017)"
    _ren(page, axe)
    # With a document of hers, the form to link it to a frist by hand; its errors.
    kari_deps: Deps = live[1].extensions["dokgen"]
    veileder = aktor_for(kari_deps, org_av(live[1]), r["veileder"])
    dok = parse_dokument(eksempel("statusrapport"), tillat_syntetiske=True)
    dokumenter.opprett(kari_deps, veileder, dok, deltaker_id=r["kari"])
    page.reload()
    page.get_by_role("button", name="Koble dokumentet").click()
    assert "Dokumentet ble ikke koblet" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Ny status").select_option(label="Har sluttet")
    arsak = page.get_by_role("combobox", name="Årsak (valgfritt)")
    beskrivelse = page.get_by_label("Beskrivelse av årsaken")
    assert beskrivelse.is_hidden()  # only for "Annet"
    arsak.select_option(label="Annet")
    beskrivelse.fill("Lang historie")
    arsak.select_option(label="Syk")  # the text stays in sight: the server refuses it
    page.get_by_role("button", name="Lagre ny status").click()
    assert "Statusen ble ikke endret" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.goto("/deltakere/ny")
    page.get_by_role("button", name="Lagre deltakeren").click()
    assert "Skjemaet har" in page.get_by_role("alert").inner_text()
    _ren(page, axe)


def test_the_import_preview_the_frister_page_and_the_calendar_pass_axe(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    r = _register(live[1])
    _logg_inn(page, r["admin"])
    page.goto("/deltakere/import")
    _ren(page, axe)
    page.get_by_role("button", name="Se endringene").click()
    assert "velg gjennomføringen" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Gjennomføring").select_option(label="Jobbmestrende oppfølging Oslo 2026")
    page.get_by_label("Lim inn listen").fill(CSV_LIM + "Feil, Rad;12345678901;;;;Deltar;\n")
    page.get_by_role("button", name="Se endringene").click()
    page.get_by_role("heading", name="Se over importen").wait_for()
    assert "Rad 4" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.goto("/deltakere/import")
    page.get_by_label("Gjennomføring").select_option(label="Jobbmestrende oppfølging Oslo 2026")
    page.get_by_label("Lim inn listen").fill(CSV_LIM)
    page.get_by_role("button", name="Se endringene").click()
    page.get_by_role("heading", name="Endrede (1)").wait_for()
    _ren(page, axe)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/deltakere$"))
    assert "Importen er lagret" in page.get_by_role("status").inner_text()

    _logg_ut(page)
    _logg_inn(page, r["leser"])
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Frister").click()
    page.wait_for_url(re.compile(r"/frister$"))
    _ren(page, axe)
    page.get_by_label("Status").select_option(label="Forfalt")
    page.get_by_role("button", name="Søk").click()
    page.wait_for_url(re.compile(r"status=forfalt"))
    # The months' resultatrapporter (JMO §9.2, the gjennomføring's) are overdue too.
    rader = [page.get_by_role("row").nth(i).inner_text() for i in range(1, 4)]
    assert rader[0].startswith("10.02.2026\tResultatrapport (01.01.2026 – 31.01.2026)")
    assert any(rad.startswith("23.03.2026\tPlan for tiltaket") for rad in rader)
    _ren(page, axe)
    page.get_by_role("link", name="Få dine frister i kalenderen").click()
    _ren(page, axe)
    page.get_by_role("button", name="Lag ny lenke").click()
    adresse = page.get_by_label("Kalenderadresse").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/kalender/[\w-]+\.ics", adresse)
    _ren(page, axe)
