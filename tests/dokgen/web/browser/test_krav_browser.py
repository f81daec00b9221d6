"""The NAV claim pages in a real browser with axe-core (WCAG 2.1 A/AA): the list with its
totals, a made claim with the portal steps, NAV's answer recorded with the keyboard (first
with an error), and a failed package with "Prøv igjen"."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import GjennomforingInn, les
from dokgen.services import gjennomforinger, kravpakke
from tests.dokgen.kravgrunnlag import lag_krav
from tests.dokgen.register import aktor_for, kontrakt
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def _krav(app: Flask) -> tuple[dict[str, str], str, str]:
    """Add users, a gjennomføring, a made claim and a failed one; return the user names and
    the two claims' ids."""
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    org = org_av(app)
    admin = aktor_for(deps, org, navn["admin"])
    gid = int(
        gjennomforinger.opprett(deps, admin, les(GjennomforingInn, kontrakt("gjennomforing.json")))[
            "id"
        ]
    )
    klar = lag_krav(deps, org.id, gid)
    # In the job pool's thread: pyHanko runs its own event loop, and Playwright's runs here.
    deps.jobs.submit(kravpakke.bygg, deps, klar)
    assert deps.jobs.wait_idle(120)
    feilet = lag_krav(deps, org.id, gid, lopenr=1, begrunnelse="Manglet en time", status="feilet")
    return navn, klar, feilet


def test_the_claim_pages_pass_axe_and_navs_answer_is_recorded(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    """List, claim, the answer form with an error and after it, a failed package: no axe
    violation; the answer shows NAV's status in words and the difference."""
    navn, klar, feilet = _krav(live[1])
    _logg_inn(page, navn["regnskap"], til=re.compile(r"/fakturaer"))
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Krav til NAV"
    ).click()
    page.wait_for_url(re.compile(r"/krav$"))
    assert page.locator("h1").inner_text() == "Krav til NAV"
    _ren(page, axe)
    page.get_by_role("link", name="oktober 2026", exact=True).click()
    page.wait_for_url(re.compile(rf"/krav/{klar}$"))
    assert "11\u00a0788 kr" in page.locator("dl.fakta").first.inner_text()
    assert (
        page.get_by_role("link", name=re.compile(r"Last ned timedokumentasjon-.*\.pdf")).count()
        == 1
    )
    _ren(page, axe)
    page.get_by_label("NAVs status").select_option("UTBETALT")
    page.get_by_role("button", name="Registrer svaret").click()
    assert "skriv hvor mye NAV utbetalte" in page.get_by_role("alert").inner_text()
    _ren(page, axe)
    page.get_by_label("Utbetalt beløp (kr)").fill("11788")
    page.get_by_label("Utbetalt beløp (kr)").press("Enter")
    page.wait_for_url(re.compile(rf"/krav/{klar}$"))
    svar = page.locator("#nav-svar + dl").inner_text()
    assert "Utbetalt" in svar
    assert "0,00 kr" in svar
    _ren(page, axe)
    page.goto(f"/krav/{feilet}")
    assert page.get_by_role("button", name="Prøv igjen").is_visible()
    _ren(page, axe)
