"""Helpers of the deltaker register's tests: the contract examples and a user's caller."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from dokgen.access import Aktor
from dokgen.bootstrap import Deps
from dokgen.storage.db import Bruker, Organisasjon
from tests.conftest import KONTRAKT

FNR_KARI, FNR_JON = "15858545606", "15909099169"


def kontrakt(navn: str) -> dict[str, Any]:
    """Return a contract example from ``shared/kontrakt``."""
    return json.loads((KONTRAKT / navn).read_text(encoding="utf-8"))


def aktor_for(deps: Deps, org: Organisasjon, brukernavn: str) -> Aktor:
    """Return the caller of a logged-in user of ``org``."""
    with deps.sessions() as s:
        b = s.scalar(select(Bruker).where(Bruker.org_id == org.id, Bruker.brukernavn == brukernavn))
        assert b is not None
        return Aktor(org.id, b.navn, b.rolle, bruker_id=b.id)
