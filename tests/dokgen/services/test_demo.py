"""The demo seed (:mod:`dokgen.services.demo`): made through the service functions, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dokgen.access import ROLLER
from dokgen.bootstrap import Deps
from dokgen.services import brukere, demo
from dokgen.storage.db import Bruker, Organisasjon, Revisjon

pytestmark = pytest.mark.integration


def test_the_seed_adds_the_users_as_the_demo_actor_and_once_only(deps: Deps) -> None:
    """The users are made by the system actor ``demo`` (one audit line each) and can log in;
    the organisation has the demo's invoice settings; a second seed adds nothing."""
    printed: list[str] = []
    demo.seed(deps, echo=printed.append)
    deps.jobs.wait_idle(timeout=120)
    with deps.sessions() as s:
        org = s.scalar(select(Organisasjon).where(Organisasjon.orgnr == demo.ORGNR))
        assert org is not None
        assert (org.navn, org.innstillinger) == (demo.ORGNAVN, demo.innstillinger())
        users = {b.brukernavn: (b.navn, b.rolle) for b in s.scalars(select(Bruker))}
        made = s.execute(
            select(Revisjon.aktor, Revisjon.fra)
            .where(Revisjon.handling == "opprett_bruker")
            .order_by(Revisjon.id)
        ).all()
        for rolle in ROLLER:
            bruker = brukere.logg_inn(s, rolle, demo.PASSORD[rolle])
            assert (bruker.org_id, bruker.rolle) == (org.id, rolle)
        lines = s.scalar(select(Revisjon.id).order_by(Revisjon.id.desc()).limit(1))
    assert users == {rolle: (demo.NAVN[rolle], rolle) for rolle in ROLLER}
    assert [tuple(r) for r in made] == [("demo (admin)", "demo")] * len(ROLLER)
    assert (
        printed[0] == f"Demo: {demo.ORGNAVN} (orgnr {demo.ORGNR}). Brukere (brukernavn / passord):"
    )

    demo.seed(deps, echo=printed.append)
    with deps.sessions() as s:
        assert len(s.scalars(select(Bruker)).all()) == len(ROLLER)
        assert s.scalar(select(Revisjon.id).order_by(Revisjon.id.desc()).limit(1)) == lines
