"""A placement's documents in a real browser with axe-core (WCAG 2.1 A/AA): the
tilretteleggingsgaranti and the oppfølgingsplan started from a placement, prefilled with its
arbeidsgiver, clean before and after a post with errors, and saved as a kladd with the
placement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from dokgen.bootstrap import Deps
from dokgen.oppfolging.modeller import les
from dokgen.oppfolging.praksismodeller import PlasseringInn
from dokgen.services import praksisplasser
from dokgen.storage.db import Dokument
from tests.dokgen.register import aktor_for
from tests.dokgen.services.praksis_hjelp import arbeidsgiver, plass
from tests.dokgen.web.browser.test_sider_browser import _logg_inn, _ren
from tests.dokgen.web.browser.test_sider_deltakere_browser import _register, org_av

pytestmark = [pytest.mark.integration, pytest.mark.slow]

Axe = Callable[[Any], list[dict[str, Any]]]


def test_a_placements_documents_start_prefilled_and_pass_axe(
    page: Any, live: tuple[str, Flask], axe: Axe
) -> None:
    r = _register(live[1])
    deps: Deps = live[1].extensions["dokgen"]
    veileder = aktor_for(deps, org_av(live[1]), r["veileder"])
    ag = arbeidsgiver(deps, veileder)
    p = plass(deps, veileder, ag["id"])
    inn = les(
        PlasseringInn,
        {"praksisplass_id": p["id"], "deltaker_id": r["kari"], "startdato": "2026-08-31"},
    )
    pid = int(praksisplasser.opprett_plassering(deps, veileder, inn)["id"])
    _logg_inn(page, r["veileder"])
    for type_navn in ("tilretteleggingsgaranti", "oppfolgingsplan"):
        page.goto(f"/dokumenter/ny/{type_navn}?plassering={pid}")
        assert page.get_by_role("heading", name="Fylt ut fra praksisplassregisteret").is_visible()
        navn = page.locator("#f-arbeidsgiver-navn")
        assert navn.input_value() == "Gjesdal Bakeri AS"
        _ren(page, axe)
        page.get_by_role("button", name="Lagre og lag forhåndsvisning").click()
        assert "Skjemaet har" in page.get_by_role("alert").inner_text()
        assert page.locator("#f-arbeidsgiver-navn").input_value() == "Gjesdal Bakeri AS"
        _ren(page, axe)
        page.get_by_role("button", name="Lagre som kladd").click()
        page.get_by_text("Kladden er lagret").wait_for()
    with deps.sessions() as s:
        rader = s.execute(select(Dokument.type, Dokument.plassering_id)).all()
    assert sorted(tuple(rad) for rad in rader) == [
        ("oppfolgingsplan", pid),
        ("tilretteleggingsgaranti", pid),
    ]
