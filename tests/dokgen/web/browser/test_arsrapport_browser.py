"""The årsrapport started from the gjennomføring's frist in a real browser with axe-core
(WCAG 2.1 A/AA): the year's figures in the form, where they came from beside them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dokgen.bootstrap import Deps
from tests.dokgen.services.arstall_hjelp import seed
from tests.dokgen.web.browser.test_sider_browser import _brukere, _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def test_the_prefilled_arsrapport_passes_axe_and_shows_its_sources(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    app = live[1]
    deps: Deps = app.extensions["dokgen"]
    navn = _brukere(app)
    gid = seed(deps, org_av(app).id)
    _logg_inn(page, navn["veileder"], til=re.compile(r"/dokumenter"))
    page.goto(f"/dokumenter/ny/arsrapport?gjennomforing={gid}&ar=2026")
    assert page.locator("h1").inner_text() == "Ny årsrapport"
    kilder = page.locator("ul.kilder").inner_text()
    assert "5 deltakere i tiltaket minst én dag i året, 1,86 årsverk" in kilder
    assert page.locator('input[name="plasser.0.arsverk"]').input_value() == "1,86"
    _ren(page, axe)
