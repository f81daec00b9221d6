"""The month's close on PostgreSQL, where transactions run side by side: two closes at the
same moment make one claim and one invoice, whether the organisation's row lock or, without
it, the unique (gjennomføring, month, lopenr) stops the second."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.services import manedsavslutning as m
from dokgen.storage.db import Faktura, Manedskrav, Organisasjon
from tests.dokgen.pg.test_samtidighet_pg import _table_locked
from tests.dokgen.services.maned_hjelp import IDAG, standard

pytestmark = pytest.mark.integration


def _start(deps: Deps, aktor: Aktor, n: int) -> tuple[list[m.Avslutning], Callable[[], None]]:
    """Start ``n`` closes of October, each in its own thread; return their answers as they
    come and a function that waits for all of them."""
    svar: list[m.Avslutning] = []

    def trykk() -> None:
        svar.append(m.avslutt(deps, aktor, "2026-10", bekreftet=True))

    traader = [threading.Thread(target=trykk) for _ in range(n)]
    for t in traader:
        t.start()

    def vent() -> None:
        for t in traader:
            t.join(60)

    return svar, vent


def _antall(deps: Deps) -> tuple[int, int]:
    with deps.sessions() as s:
        krav = s.scalar(select(func.count()).select_from(Manedskrav))
        fakturaer = s.scalar(select(func.count()).select_from(Faktura))
    return int(krav or 0), int(fakturaer or 0)


def test_two_closes_waiting_on_the_organisation_make_one_claim(
    deps: Deps, org: Organisasjon, pg_url: str
) -> None:
    """Both closes wait for the organisation's row; the first makes the claim, the second
    then sees it and is refused by the checks."""
    deps.clock = lambda: IDAG
    standard(deps, org.id)
    aktor = Aktor(org.id, "Regn Skap", "regnskap")
    with _table_locked(pg_url, "organisasjon", 2):
        svar, vent = _start(deps, aktor, 2)
    vent()
    assert sorted(a.laget for a in svar) == [False, True]
    avvist = next(a for a in svar if not a.laget)
    assert "allerede krevd" in avvist.gjennomforinger[0].funn[0].melding
    assert _antall(deps) == (1, 1)
    assert deps.jobs.wait_idle(120)


def test_without_the_lock_the_unique_claim_stops_the_second(
    deps: Deps, org: Organisasjon, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with both closes deciding on the same read, the unique constraint lets one
    claim in; the other answers refused with nothing made (its invoice number is given
    back with its rollback)."""
    deps.clock = lambda: IDAG
    standard(deps, org.id)
    aktor = Aktor(org.id, "Regn Skap", "regnskap")
    monkeypatch.setattr(m, "lock_for_update", lambda session, query: None)
    with _table_locked(pg_url, "manedskrav", 2):
        svar, vent = _start(deps, aktor, 2)
    vent()
    assert sorted(a.laget for a in svar) == [False, True]
    avvist = next(a for a in svar if not a.laget)
    assert any("noen andre samtidig" in f.melding for f in avvist.funn)
    assert _antall(deps) == (1, 1)
    with deps.sessions() as s:
        assert s.scalar(select(Organisasjon.neste_fakturanummer)) == 2
    assert deps.jobs.wait_idle(120)
