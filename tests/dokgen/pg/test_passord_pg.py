"""A set-password link on PostgreSQL, where two transactions really run side by side: both
posts find the link unspent, both wait to spend it, and only one may set the password."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.errors import NotAuthenticatedError, RecordNotFoundError
from dokgen.services import brukere
from dokgen.services import passord as passord_service
from dokgen.storage.db import Bruker, Passordlenke, Revisjon, now
from tests.dokgen.pg.test_samtidighet_pg import _table_locked

pytestmark = pytest.mark.integration


def test_two_posts_of_one_link_at_once_set_the_password_once(
    deps: Deps, pg_url: str, bruker: Callable[..., str]
) -> None:
    """The link's table is locked until both posts wait on it; then one sets its password,
    the other is told the link is spent, and one audit line is written."""
    navn = bruker("leser")
    with deps.sessions.begin() as s:
        rad = s.scalars(select(Bruker).where(Bruker.brukernavn == navn)).one()
        token = passord_service.lag_lenke(s, Aktor(rad.org_id, "Test", "admin"), rad, now())
    passord = ["første-passord-til-leser", "andre-passord-til-leser"]
    utfall: list[Any] = [None, None]

    def post(i: int) -> None:
        try:
            utfall[i] = passord_service.bruk_lenke(
                deps, token, passord[i], passord[i], fra=None, foresporsel=None
            )
        except RecordNotFoundError as exc:
            utfall[i] = exc

    with _table_locked(pg_url, "passordlenke", waiting=2):
        traader = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for t in traader:
            t.start()
    for t in traader:
        t.join(timeout=60)
    assert sorted(type(u).__name__ for u in utfall) == ["RecordNotFoundError", "str"], utfall
    vinner = passord[[isinstance(u, str) for u in utfall].index(True)]
    taper = passord[1 - passord.index(vinner)]
    with deps.sessions.begin() as s:
        assert brukere.logg_inn(s, navn, vinner).brukernavn == navn
        with pytest.raises(NotAuthenticatedError):
            brukere.logg_inn(s, navn, taper)
        assert [r.brukt is not None for r in s.scalars(select(Passordlenke))] == [True]
        linjer = s.scalars(
            select(Revisjon.handling).where(Revisjon.handling == "sett_passord_med_lenke")
        ).all()
    assert linjer == ["sett_passord_med_lenke"]
