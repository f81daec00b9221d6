"""The NAV claims' use cases without HTTP: paging and totals, another organisation's claims
unseen, roles, NAV's answer and its checks, the audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import (
    AccessDeniedError,
    InputInvalidError,
    RecordNotFoundError,
    StateConflictError,
)
from dokgen.services import krav
from dokgen.storage.db import Organisasjon, Revisjon
from tests.dokgen.kravgrunnlag import grunnlag, lag_krav


def _aktor(org: Organisasjon, rolle: str) -> Aktor:
    return Aktor(org_id=org.id, navn=f"Test {rolle}", rolle=rolle, fra="127.0.0.1")


@pytest.fixture
def tre_krav(deps: Deps, org: Organisasjon, gjennomforing_id: int) -> list[str]:
    """Three October claims (the first and two corrections) and one for November, all klar."""
    ider = [
        lag_krav(deps, org.id, gjennomforing_id, grunnlag(), lopenr=n, status="klar")
        for n in range(3)
    ]
    november = grunnlag("1099.96", (21, 30)) | {
        "maned": "2026-11",
        "periode": {"fra": "2026-11-01", "til": "2026-11-30"},
    }
    return [*ider, lag_krav(deps, org.id, gjennomforing_id, november, status="klar")]


def test_a_page_of_claims_with_the_totals_of_every_claim_found(
    deps: Deps, org: Organisasjon, tre_krav: list[str]
) -> None:
    """Newest month first, pages of ``per_side``; the totals count every claim, not the page."""
    leser = _aktor(org, "leser")
    side1 = krav.liste(deps, leser, per_side=2)
    assert (side1.antall, side1.sider, len(side1.rader)) == (4, 2, 2)
    assert [r.maned for r in side1.rader] == ["2026-11", "2026-10"]
    side2 = krav.liste(deps, leser, per_side=2, side=2)
    assert [(r.maned, r.lopenr) for r in side2.rader] == [("2026-10", 1), ("2026-10", 2)]
    totaler = {t.maned: t for t in side1.totaler}
    assert (totaler["2026-10"].antall, totaler["2026-10"].belop) == (3, Decimal("35362.50"))
    assert totaler["2026-10"].belop_kroner == 3 * 11788
    assert (totaler["2026-11"].belop, totaler["2026-11"].belop_kroner) == (
        Decimal("14024.49"),
        14024,
    )
    assert totaler["2026-11"].maned_tekst == "november 2026"
    assert krav.liste(deps, leser, maned="2026-11").antall == 1
    with pytest.raises(InputInvalidError):
        krav.liste(deps, leser, side=0)


def test_another_organisations_claims_are_unseen_and_roles_hold(
    deps: Deps, org: Organisasjon, annen_org: Organisasjon, tre_krav: list[str]
) -> None:
    """Another organisation finds nothing and gets 404; a veileder may not read; leser may
    not record."""
    annen = _aktor(annen_org, "regnskap")
    assert krav.liste(deps, annen).antall == 0
    with pytest.raises(RecordNotFoundError):
        krav.hent(deps, annen, tre_krav[0])
    with pytest.raises(RecordNotFoundError):
        krav.pdf(deps, annen, tre_krav[0])
    with pytest.raises(AccessDeniedError):
        krav.liste(deps, _aktor(org, "veileder"))
    with pytest.raises(AccessDeniedError):
        krav.registrer_nav_svar(deps, _aktor(org, "leser"), tre_krav[0], "UTBETALT", "1")


def test_navs_answer_is_checked_and_the_difference_shows(
    deps: Deps, org: Organisasjon, gjennomforing_id: int, tre_krav: list[str]
) -> None:
    """Unknown status, a paid status without amount, a negative or three-decimal amount are
    refused; a partial payment shows its difference; an unmade package takes no answer."""
    regnskap = _aktor(org, "regnskap")
    with pytest.raises(InputInvalidError) as ukjent:
        krav.registrer_nav_svar(deps, regnskap, tre_krav[0], "BETALT")
    assert ukjent.value.errors[0].path == "nav_status"
    for status, belop in (("UTBETALT", None), ("DELVIS_UTBETALT", "-1"), ("UTBETALT", "1,005")):
        with pytest.raises(InputInvalidError) as feil:
            krav.registrer_nav_svar(deps, regnskap, tre_krav[0], status, belop)
        assert feil.value.errors[0].path == "utbetalt"
    k = krav.registrer_nav_svar(deps, regnskap, tre_krav[0], "DELVIS_UTBETALT", "10 000,50", "x")
    assert (k.nav_status_tekst, k.utbetalt, k.differanse) == (
        "Delvis utbetalt",
        Decimal("10000.50"),
        Decimal("-1787.50"),
    )
    assert k.nav_registrert_av == "Test regnskap"
    behandles = lag_krav(deps, org.id, gjennomforing_id, grunnlag(), lopenr=5)
    with pytest.raises(StateConflictError):
        krav.registrer_nav_svar(deps, regnskap, behandles, "BEHANDLES_AV_NAV")
    with deps.sessions() as s:
        handlinger = list(
            s.scalars(select(Revisjon.handling).where(Revisjon.objekt_type == "krav"))
        )
    assert handlinger == ["registrer_nav_svar"]
